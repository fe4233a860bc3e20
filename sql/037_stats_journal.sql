-- 037 (issue 10, statsjournal): a registration's statistics journalled in one row, folded into
-- stats_agg in batches, so that registering no longer upserts 19 aggregate rows under the
-- year's number lock.
--
-- Measured before (the 1 M bench, 2,000 complaint INSERTs in one transaction, mariadbd's CPU
-- from /proc; docs/performance.md, "The eighth sitting"): 1.0 ms of CPU an INSERT with the
-- triggers, 0.3 ms with 032's complaint_stats_insert dropped. That trigger's 19 upserts were the
-- costliest part of a registration, and they ran while the year's number row was held, so every
-- other registration waited for them too.
--
-- Now a plain registration (032's condition: not answered, replied, closed or rated, no
-- assignment or plan) writes its figures' columns into stats_journal, one row keyed by the
-- complaint's id. stats_fold (fcgi/stats_fold.c) adds the journal's rows to stats_agg in
-- batches, grouped, so that a hundred registrations of a day move the rows they share once:
-- after a registration's COMMIT (at most one fold per 100 ms across a master's workers), before
-- the statistics are read (stats_figures: every figure shown or frozen counts every complaint
-- committed before it), by the sweep and by kesu-admin bench-load.
--
-- Why the figures stay exact: stats_agg holds sums. A complaint's rows are its registration's
-- figures (+1, from the journal row: NEW as the trigger saw it, not the row as it stands at the
-- fold) plus, for each later change, its rows as they stood after minus before (the UPDATE and
-- DELETE triggers, unchanged, from the complaint as it stands). Sums do not depend on the order
-- in which their terms are added, so a change made before the fold moves the rows as it always
-- did (a row may read one less until the fold), and after the fold stats_agg is exactly what it
-- was before this migration. tests/integration/test_aggregate.py (kept = rebuilt) covers it.
--
-- The fold is one transaction: the one-row stats_fold_mark locked (folders one at a time on a
-- node; on Galera two nodes' folds of the same rows conflict at certification and one is run
-- again), the batch's highest id, INSERT ... SELECT of the journal rows up to it (a locking
-- read in REPEATABLE READ: a registration still writing a row below it is waited for, and one
-- that comes later cannot slip below it), then DELETE of the same rows.
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line.

CREATE TABLE IF NOT EXISTS stats_journal (
	id                 BIGINT UNSIGNED  NOT NULL PRIMARY KEY,   -- complaint.id
	received_at        DATETIME         NOT NULL,
	status             VARCHAR(24)      NOT NULL,
	category           VARCHAR(24)      NOT NULL,
	severity           TINYINT UNSIGNED NOT NULL,
	channel            VARCHAR(24)      NOT NULL,
	customer_type      VARCHAR(24)      NOT NULL,
	customer_name      VARCHAR(128)     NOT NULL,
	product            VARCHAR(200)     NOT NULL,
	part_no            VARCHAR(64)      NOT NULL,
	lot                VARCHAR(64)      NOT NULL,
	quantity           INT UNSIGNED     NULL,
	defective_quantity INT UNSIGNED     NULL,
	respond_due        DATETIME         NULL,
	resolve_due        DATETIME         NULL,
	repeat_reason      VARCHAR(16)      NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The fold's 19 rows a complaint (032's seq_1_to_19: the workers' account reads only base tables).
CREATE TABLE IF NOT EXISTS stats_slot (
	k TINYINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
INSERT IGNORE INTO stats_slot (k) SELECT seq FROM seq_1_to_19;

-- One row: locked by each fold, and how many journal rows were folded in all.
CREATE TABLE IF NOT EXISTS stats_fold_mark (
	id     TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	folded BIGINT UNSIGNED  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
INSERT IGNORE INTO stats_fold_mark (id, folded) VALUES (1, 0);

DROP TRIGGER IF EXISTS complaint_stats_insert;
CREATE TRIGGER complaint_stats_insert AFTER INSERT ON complaint FOR EACH ROW
BEGIN
	IF NEW.responded_at IS NULL AND NEW.replied_at IS NULL AND NEW.closed_at IS NULL AND NEW.satisfaction IS NULL
	    AND NOT EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = NEW.number)
	    AND NOT EXISTS (SELECT 1 FROM handling_plan hp WHERE hp.number = NEW.number) THEN
	    INSERT INTO stats_journal (id, received_at, status, category, severity, channel, customer_type,
	        customer_name, product, part_no, lot, quantity, defective_quantity, respond_due, resolve_due,
	        repeat_reason)
	    VALUES (NEW.id, NEW.received_at, NEW.status, NEW.category, NEW.severity, NEW.channel, NEW.customer_type,
	        NEW.customer_name, NEW.product, NEW.part_no, NEW.lot, NEW.quantity, NEW.defective_quantity,
	        NEW.respond_due, NEW.resolve_due, NEW.repeat_reason)
	; ELSE
	    CALL stats_apply_one(NEW.id, 1)
	    ; CALL stats_apply_more(NEW.id, NEW.id, 1, NULL)
	; END IF
; END;

-- As 027's, and the journal emptied first: the rebuild counts every complaint from its row.
-- Run it with the workers stopped (as `kesu-admin migrate` is).
DROP PROCEDURE IF EXISTS stats_rebuild;
CREATE PROCEDURE stats_rebuild() MODIFIES SQL DATA
BEGIN
	DECLARE lo BIGINT UNSIGNED DEFAULT 0
	; DECLARE top BIGINT UNSIGNED DEFAULT 0
	; SET SESSION tmp_table_size = 268435456, max_heap_table_size = 268435456
	; CALL stats_calendar_fill()
	; DELETE FROM stats_journal
	; DELETE FROM stats_agg
	; SELECT COALESCE(MAX(id), 0) INTO top FROM complaint
	; WHILE lo <= top DO CALL stats_apply(lo, lo + 9999, 1, NULL)
	; CALL stats_apply_more(lo, lo + 9999, 1, NULL)
	; SET lo = lo + 10000
	; END WHILE
; END;
