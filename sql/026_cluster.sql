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
