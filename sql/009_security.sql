-- 009: issue 7's security holes.
-- A per-install secret for the pre-login CSRF token (HMAC of the kesu_csrf cookie): created
-- once by the first worker that needs it, from the OS CSPRNG (never by SQL's RAND()).
CREATE TABLE IF NOT EXISTS install_secret (
	name       VARCHAR(32) NOT NULL PRIMARY KEY,
	value      CHAR(64)    NOT NULL,
	created_at DATETIME    NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
-- The sessions page shows where each session was signed in from.
ALTER TABLE session ADD COLUMN IF NOT EXISTS client_addr VARCHAR(64) NOT NULL DEFAULT '';
-- Sign-in time to the microsecond: "the oldest ended first" must not depend on which of the
-- sessions created in the same second the server happens to list first.
ALTER TABLE session MODIFY created_at DATETIME(6) NOT NULL;
ALTER TABLE session ADD INDEX IF NOT EXISTS session_uid_created (uid, created_at);
