-- 025: a registration form's key (issue 10: faults). The registration form carries a random key;
-- the key and the number of the complaint it registered are stored in the registration's own
-- transaction, so the same form sent again (after an error page, a lost connection, a double
-- click) answers with that complaint instead of registering it twice (fcgi/form_key.c).
-- Nothing to backfill: complaints registered before this migration were sent without a key.
-- Idempotent: DDL commits by itself.
CREATE TABLE IF NOT EXISTS registration_key (
	owner_uid   VARCHAR(64) NOT NULL,           -- who sent the form (a key is only theirs)
	form_key    VARCHAR(64) NOT NULL,           -- as the form sent it: 16 to 64 of [A-Za-z0-9_-]
	number      VARCHAR(16) NULL,               -- the complaint it registered (set in the same transaction)
	created_at  DATETIME    NOT NULL,           -- UTC
	PRIMARY KEY (owner_uid, form_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
