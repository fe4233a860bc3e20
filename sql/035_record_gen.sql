-- 035 (issue 10, rescache): the record's generation, so that a worker may keep what a page read
-- (fcgi/res_cache.h) and prove it fresh by anything that changed the rows, audited or not.
--
-- A worker keeps the rows of the pages people open all day (the list's first page, a
-- complaint's row, its history and repeat links) stamped with what its request's session proof
-- read: the chain head, which every audited change moves, and this generation, which every
-- change of complaint, complaint_facts, complaint_reader and the calendar (calendar_week,
-- calendar_exception: a complaint's clocks) moves by whatever path — a step, a
-- trigger, an administrator's or a test's own UPDATE — in the change's own transaction. A copy
-- is used only when a later proof reads both unchanged (the sum of counters that only grow
-- changes whenever one does), so no page shows a row older than the one its statement would
-- read.
--
-- Counted in 16 rows per node (by connection id) rather than one, so that transactions of
-- different connections seldom wait for each other on it: the total is SUM(n), a range of at
-- most 16 rows of the primary key per node. Written on the node that made the change and
-- replicated with it (Galera): the sum is the same on every node once it has applied a change.
CREATE TABLE IF NOT EXISTS record_gen (
	node   VARCHAR(64)      NOT NULL,
	bucket TINYINT UNSIGNED NOT NULL,
	n      BIGINT UNSIGNED  NOT NULL,
	PRIMARY KEY (node, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
INSERT IGNORE INTO record_gen (node, bucket, n) VALUES ('', 0, 1);

-- One count more, in this node's row of this connection's bucket (the triggers below call it:
-- they run as their definer, so the workers, which may only read record_gen, move it too).
DROP PROCEDURE IF EXISTS record_gen_bump;
CREATE PROCEDURE record_gen_bump() MODIFIES SQL DATA INSERT INTO record_gen (node, bucket, n) VALUES (LEFT(@@wsrep_node_name, 64), CONNECTION_ID() % 16, 1) ON DUPLICATE KEY UPDATE n = n + 1;

DROP TRIGGER IF EXISTS complaint_gen_insert;
CREATE TRIGGER complaint_gen_insert AFTER INSERT ON complaint FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_gen_update;
CREATE TRIGGER complaint_gen_update AFTER UPDATE ON complaint FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_gen_delete;
CREATE TRIGGER complaint_gen_delete AFTER DELETE ON complaint FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_facts_gen_insert;
CREATE TRIGGER complaint_facts_gen_insert AFTER INSERT ON complaint_facts FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_facts_gen_update;
CREATE TRIGGER complaint_facts_gen_update AFTER UPDATE ON complaint_facts FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_facts_gen_delete;
CREATE TRIGGER complaint_facts_gen_delete AFTER DELETE ON complaint_facts FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_reader_gen_insert;
CREATE TRIGGER complaint_reader_gen_insert AFTER INSERT ON complaint_reader FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_reader_gen_update;
CREATE TRIGGER complaint_reader_gen_update AFTER UPDATE ON complaint_reader FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS complaint_reader_gen_delete;
CREATE TRIGGER complaint_reader_gen_delete AFTER DELETE ON complaint_reader FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS calendar_week_rgen_insert;
CREATE TRIGGER calendar_week_rgen_insert AFTER INSERT ON calendar_week FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS calendar_week_rgen_update;
CREATE TRIGGER calendar_week_rgen_update AFTER UPDATE ON calendar_week FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS calendar_week_rgen_delete;
CREATE TRIGGER calendar_week_rgen_delete AFTER DELETE ON calendar_week FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS calendar_exception_rgen_insert;
CREATE TRIGGER calendar_exception_rgen_insert AFTER INSERT ON calendar_exception FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS calendar_exception_rgen_update;
CREATE TRIGGER calendar_exception_rgen_update AFTER UPDATE ON calendar_exception FOR EACH ROW CALL record_gen_bump();
DROP TRIGGER IF EXISTS calendar_exception_rgen_delete;
CREATE TRIGGER calendar_exception_rgen_delete AFTER DELETE ON calendar_exception FOR EACH ROW CALL record_gen_bump();
