-- 026_cluster.sql: what several worker hosts share through the database (issue 11,
-- docs/scale-out.md).
--
-- lease: a named right to run a job alone, held by one process until expires_at. A run takes
-- it with one UPDATE ... WHERE expires_at < now OR holder = me, inside a transaction: a row
-- lock on one server, a certified write set on Galera (where GET_LOCK is not replicated, so
-- two hosts could both "hold" it). The sweep takes 'sweep' before it runs (fcgi/sweep.c).
CREATE TABLE IF NOT EXISTS lease (
	name       VARCHAR(32) NOT NULL PRIMARY KEY,
	holder     VARCHAR(128) NOT NULL DEFAULT '',
	taken_at   DATETIME NULL,
	expires_at DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The rows exist from the start (an UPDATE cannot take a lease that has no row); free.
INSERT IGNORE INTO lease (name, holder, taken_at, expires_at) VALUES ('sweep', '', NULL, '1970-01-01 00:00:01');

-- tx_commit: with db.commit_check = 1 (a Galera cluster, docs/scale-out.md) every attempt of
-- a db_tx call inserts the call's random token first. When the connection is lost while
-- COMMIT is on its way (a node killed), the worker reconnects and looks the token up: there,
-- the transaction committed and the user is told so; absent, it runs again under the same
-- token, whose key lets only one attempt commit. Without it that outcome is unknown, and a
-- user told "nothing was saved" who tries again stores the complaint twice. The sweep
-- deletes marks older than a day.
CREATE TABLE IF NOT EXISTS tx_commit (
	token CHAR(32) NOT NULL PRIMARY KEY,
	at    DATETIME NOT NULL,
	KEY tx_commit_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
