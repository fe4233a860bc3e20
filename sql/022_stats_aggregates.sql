-- 022: the statistics' figures kept per local day and per local month (docs/statistics.md,
-- "How the figures are kept"), so /stats reads at most a few thousand rows for a year instead of
-- every complaint of it.
--
-- Why triggers rather than upserts in the steps: a complaint's figures depend on four tables
-- (complaint; complaint_assignment for the departments; handling_plan and plan_remedy for the
-- plan in force) written by some thirty statements in the steps, the bulk actions, the sweep,
-- the seeding and any step added later. A trigger runs in the same transaction as each of
-- them and no path can forget it. Each trigger takes the complaint's whole contribution away
-- BEFORE the change (reading the rows as they were) and adds it back AFTER (as they are), both
-- through the one procedure stats_apply, which the backfill uses too: one definition of every
-- figure, so the incremental figures and a rebuild from the rows cannot drift apart.
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line.

-- The local time the days are counted in (app.utc_offset_minutes). Changing the configured
-- offset needs `CALL stats_rebuild()` after updating this row.
CREATE TABLE IF NOT EXISTS stats_local (
	id             TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	utc_offset_min SMALLINT NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO stats_local (id, utc_offset_min) VALUES (1, 480);

-- grain 'd': day is a local day; grain 'm': day is the first of a local month.
-- dept '' is the whole company; otherwise the complaints assigned to the department, not refused.
-- dim / code: 'all' / '' (every figure), 'category' / 'severity' / 'channel' / 'customer_type'
-- (codes), 'sat' / '1'..'5', 'resp_wait' / 'res_wait' (not answered / not resolved yet: the
-- local day of the deadline), 'close_hist' / minutes to close (bucketed, for the median),
-- 'responsibility' / code (amount_fen = loss), 'remedy' / kind (amount_fen, qty = quantity);
-- monthly only: 'customer' / name, 'product' / name, 'part_lot' / part_no TAB lot (the tops).
CREATE TABLE IF NOT EXISTS stats_agg (
	grain      CHAR(1)      NOT NULL,
	day        DATE         NOT NULL,
	dept       VARCHAR(32)  NOT NULL,
	dim        VARCHAR(16)  NOT NULL,
	code       VARCHAR(200) NOT NULL,
	n          BIGINT NOT NULL DEFAULT 0,   -- complaints
	qty        BIGINT NOT NULL DEFAULT 0,   -- quantity delivered (remedy: quantity)
	def        BIGINT NOT NULL DEFAULT 0,   -- defective quantity
	amount_fen BIGINT NOT NULL DEFAULT 0,   -- responsibility: loss; remedy: amount
	resp_ok    BIGINT NOT NULL DEFAULT 0,   -- answered by respond_due
	resp_done  BIGINT NOT NULL DEFAULT 0,   -- answered
	res_ok     BIGINT NOT NULL DEFAULT 0,   -- resolved by resolve_due
	res_done   BIGINT NOT NULL DEFAULT 0,   -- with a resolve_due, resolved
	closed     BIGINT NOT NULL DEFAULT 0,   -- status closed
	close_min  BIGINT NOT NULL DEFAULT 0,   -- sum of natural minutes received -> closed
	close_wmin BIGINT NOT NULL DEFAULT 0,   -- sum of working minutes received -> closed
	sat_n      BIGINT NOT NULL DEFAULT 0,
	sat_sum    BIGINT NOT NULL DEFAULT 0,
	rep        BIGINT NOT NULL DEFAULT 0,   -- repeat complaints
	PRIMARY KEY (grain, day, dept, dim, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The deadlines that pass today (a bounded range each) for the page's "past due now" counts.
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_respond_wait (responded_at, respond_due);
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_resolve_wait (replied_at, closed_at, resolve_due);

-- Working minutes of the business calendar (docs/statistics.md, "Time to close"), filled by
-- stats_calendar_fill() from calendar_week and calendar_exception: for each local day, the
-- working minutes before it (from 2000-01-01) and its spans (minutes after local midnight).
-- Refreshed by stats_rebuild() only (`kesu-admin stats rebuild` after the calendar changes).
CREATE TABLE IF NOT EXISTS stats_workday (
	day     DATE NOT NULL PRIMARY KEY,
	before_min BIGINT NOT NULL,
	s1_from SMALLINT NULL, s1_to SMALLINT NULL,
	s2_from SMALLINT NULL, s2_to SMALLINT NULL
) ENGINE=InnoDB;

DROP FUNCTION IF EXISTS stats_work_at;
-- Working minutes from 2000-01-01 local to the local time t (NULL outside 2000..2099).
CREATE FUNCTION stats_work_at(t DATETIME) RETURNS BIGINT READS SQL DATA
	RETURN (SELECT w.before_min
	    + GREATEST(0, LEAST(TIME_TO_SEC(t) DIV 60, COALESCE(w.s1_to, 0)) - COALESCE(w.s1_from, 0))
	    + GREATEST(0, LEAST(TIME_TO_SEC(t) DIV 60, COALESCE(w.s2_to, 0)) - COALESCE(w.s2_from, 0))
	    FROM stats_workday w WHERE w.day = DATE(t));

DROP PROCEDURE IF EXISTS stats_calendar_fill;
-- The working calendar table from the business calendar: a holiday has no spans, a make-up
-- working day has Monday's (as fcgi/sla.c counts them).
CREATE PROCEDURE stats_calendar_fill() MODIFIES SQL DATA
BEGIN
	DELETE FROM stats_workday
	; SET STATEMENT max_recursive_iterations = 40000 FOR
	  INSERT INTO stats_workday (day, before_min, s1_from, s1_to, s2_from, s2_to)
	  WITH RECURSIVE days (d) AS (SELECT DATE '2000-01-01' UNION ALL SELECT d + INTERVAL 1 DAY FROM days WHERE d < DATE '2099-12-31'),
	  spans AS (SELECT days.d,
	      IF(x.kind = 'holiday', NULL, w.span1_from) AS s1_from, IF(x.kind = 'holiday', NULL, w.span1_to) AS s1_to,
	      IF(x.kind = 'holiday', NULL, w.span2_from) AS s2_from, IF(x.kind = 'holiday', NULL, w.span2_to) AS s2_to
	    FROM days LEFT JOIN calendar_exception x ON x.day = days.d
	    LEFT JOIN calendar_week w ON w.weekday = IF(x.kind = 'workday', 1, DAYOFWEEK(days.d) - 1))
	  SELECT d, COALESCE(SUM(COALESCE(s1_to - s1_from, 0) + COALESCE(s2_to - s2_from, 0))
	      OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), s1_from, s1_to, s2_from, s2_to
	  FROM spans
; END;

DROP PROCEDURE IF EXISTS stats_apply;
-- Add sgn (1 or -1) times the figures of the complaints with p_lo <= id <= p_hi, as the rows
-- stand now: for the whole company and each department assigned and not refused, or, when
-- p_dept is given, for that department only (an assignment that starts or stops counting).
CREATE PROCEDURE stats_apply(p_lo BIGINT UNSIGNED, p_hi BIGINT UNSIGNED, p_sgn INT, p_dept VARCHAR(32))
MODIFIES SQL DATA
INSERT INTO stats_agg (grain, day, dept, dim, code, n, qty, def, amount_fen, resp_ok, resp_done, res_ok,
	res_done, closed, close_min, close_wmin, sat_n, sat_sum, rep)
SELECT g.grain, IF(g.grain = 'd', x.day, x.day - INTERVAL (DAYOFMONTH(x.day) - 1) DAY) AS gday, x.dept, x.dim, x.code,
	p_sgn * SUM(x.n), p_sgn * SUM(x.qty), p_sgn * SUM(x.def), p_sgn * SUM(x.amount_fen), p_sgn * SUM(x.resp_ok),
	p_sgn * SUM(x.resp_done), p_sgn * SUM(x.res_ok), p_sgn * SUM(x.res_done), p_sgn * SUM(x.closed),
	p_sgn * SUM(x.close_min), p_sgn * SUM(x.close_wmin), p_sgn * SUM(x.sat_n), p_sgn * SUM(x.sat_sum), p_sgn * SUM(x.rep)
FROM (
	-- the complaint's own figures, one row per dimension
	SELECT b.dept, b.day, k.dim,
		CASE k.dim WHEN 'all' THEN '' WHEN 'category' THEN b.category WHEN 'severity' THEN b.severity
		WHEN 'channel' THEN b.channel WHEN 'customer_type' THEN b.customer_type
		WHEN 'sat' THEN b.satisfaction
		WHEN 'resp_wait' THEN IF(b.responded_at IS NULL, DATE(b.respond_due + INTERVAL b.off MINUTE), NULL)
		WHEN 'res_wait' THEN IF(b.resolve_due IS NOT NULL AND b.replied_at IS NULL AND b.closed_at IS NULL,
		    DATE(b.resolve_due + INTERVAL b.off MINUTE), NULL)
		WHEN 'close_hist' THEN IF(b.closed_at IS NULL, NULL,
		    IF(b.cmin < 1440, b.cmin, IF(b.cmin < 14400, b.cmin - b.cmin MOD 6, b.cmin - b.cmin MOD 60)))
		WHEN 'customer' THEN b.customer_name WHEN 'product' THEN NULLIF(b.product, '')
		WHEN 'part_lot' THEN IF(b.part_no = '', NULL, CONCAT(b.part_no, CHAR(9), b.lot)) END AS code,
		1 AS n,
		IF(k.dim = 'all', COALESCE(b.quantity, 0), 0) AS qty,
		IF(k.dim = 'all', COALESCE(b.defective_quantity, 0), 0) AS def,
		0 AS amount_fen,
		IF(k.dim = 'all', COALESCE(b.responded_at <= b.respond_due, 0), 0) AS resp_ok,
		IF(k.dim = 'all', b.responded_at IS NOT NULL, 0) AS resp_done,
		IF(k.dim = 'all', COALESCE(COALESCE(b.replied_at, b.closed_at) <= b.resolve_due, 0), 0) AS res_ok,
		IF(k.dim = 'all', b.resolve_due IS NOT NULL AND COALESCE(b.replied_at, b.closed_at) IS NOT NULL, 0) AS res_done,
		IF(k.dim = 'all', b.status = 'closed', 0) AS closed,
		IF(k.dim = 'all', COALESCE(b.cmin, 0), 0) AS close_min,
		IF(k.dim = 'all' AND b.closed_at IS NOT NULL,
		    COALESCE(stats_work_at(b.closed_at + INTERVAL b.off MINUTE) - stats_work_at(b.received_at + INTERVAL b.off MINUTE), 0), 0)
		    AS close_wmin,
		IF(k.dim = 'all', b.satisfaction IS NOT NULL, 0) AS sat_n,
		IF(k.dim = 'all', COALESCE(b.satisfaction, 0), 0) AS sat_sum,
		IF(k.dim = 'all', b.repeat_reason <> '', 0) AS rep
	FROM (SELECT c.category, c.severity, c.channel, c.customer_type, c.satisfaction, c.responded_at, c.respond_due,
		    c.resolve_due, c.replied_at, c.closed_at, c.received_at, c.customer_name, c.product, c.part_no, c.lot,
		    c.quantity, c.defective_quantity, c.status, c.repeat_reason, d.dept, o.utc_offset_min AS off, DATE(c.received_at + INTERVAL o.utc_offset_min MINUTE) AS day,
		    TIMESTAMPDIFF(MINUTE, c.received_at, c.closed_at) AS cmin
		FROM complaint c
		JOIN stats_local o ON o.id = 1
		JOIN (SELECT c1.id, '' AS dept FROM complaint c1 WHERE c1.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c2.id, a.department FROM complaint c2 JOIN complaint_assignment a
		        ON a.number = c2.number AND a.state <> 'refused' WHERE c2.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c3.id, p_dept FROM complaint c3 WHERE c3.id BETWEEN p_lo AND p_hi AND p_dept IS NOT NULL) d
		    ON d.id = c.id
		WHERE c.id BETWEEN p_lo AND p_hi) b
	JOIN (SELECT 'all' AS dim UNION ALL SELECT 'category' UNION ALL SELECT 'severity' UNION ALL SELECT 'channel'
	    UNION ALL SELECT 'customer_type' UNION ALL SELECT 'sat' UNION ALL SELECT 'resp_wait' UNION ALL SELECT 'res_wait'
	    UNION ALL SELECT 'close_hist' UNION ALL SELECT 'customer' UNION ALL SELECT 'product' UNION ALL SELECT 'part_lot') k
	UNION ALL
	-- the handling plan in force (the last approved revision): responsibility and loss, and
	-- each remedy kind once per complaint with its amounts and quantities
	SELECT p.dept, p.day, p.dim, p.code, 1, SUM(p.qty), 0, SUM(p.amount_fen), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
	FROM (SELECT c.id, d.dept, DATE(c.received_at + INTERVAL o.utc_offset_min MINUTE) AS day, 'responsibility' AS dim,
		    hp.responsibility AS code, 0 AS qty, hp.loss_fen AS amount_fen, 0 AS line
		FROM complaint c
		JOIN stats_local o ON o.id = 1
		JOIN (SELECT c1.id, '' AS dept FROM complaint c1 WHERE c1.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c2.id, a.department FROM complaint c2 JOIN complaint_assignment a
		        ON a.number = c2.number AND a.state <> 'refused' WHERE c2.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c3.id, p_dept FROM complaint c3 WHERE c3.id BETWEEN p_lo AND p_hi AND p_dept IS NOT NULL) d
		    ON d.id = c.id
		JOIN handling_plan hp ON hp.number = c.number AND hp.state = 'approved' AND NOT EXISTS (SELECT 1
		    FROM handling_plan h2 WHERE h2.number = hp.number AND h2.state = 'approved' AND h2.revision > hp.revision)
		WHERE c.id BETWEEN p_lo AND p_hi
		UNION ALL
		SELECT c.id, d.dept, DATE(c.received_at + INTERVAL o.utc_offset_min MINUTE), 'remedy', pr.kind,
		    COALESCE(pr.quantity, 0), COALESCE(pr.amount_fen, 0), pr.line
		FROM complaint c
		JOIN stats_local o ON o.id = 1
		JOIN (SELECT c1.id, '' AS dept FROM complaint c1 WHERE c1.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c2.id, a.department FROM complaint c2 JOIN complaint_assignment a
		        ON a.number = c2.number AND a.state <> 'refused' WHERE c2.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c3.id, p_dept FROM complaint c3 WHERE c3.id BETWEEN p_lo AND p_hi AND p_dept IS NOT NULL) d
		    ON d.id = c.id
		JOIN handling_plan hp ON hp.number = c.number AND hp.state = 'approved' AND NOT EXISTS (SELECT 1
		    FROM handling_plan h2 WHERE h2.number = hp.number AND h2.state = 'approved' AND h2.revision > hp.revision)
		JOIN plan_remedy pr ON pr.plan_id = hp.id
		WHERE c.id BETWEEN p_lo AND p_hi) p
	GROUP BY p.id, p.dept, p.day, p.dim, p.code
) x
JOIN (SELECT 'd' AS grain UNION ALL SELECT 'm') g ON g.grain = 'm' OR x.dim NOT IN ('customer', 'product', 'part_lot')
WHERE x.code IS NOT NULL
GROUP BY g.grain, gday, x.dept, x.dim, x.code
ON DUPLICATE KEY UPDATE n = n + VALUES(n), qty = qty + VALUES(qty), def = def + VALUES(def),
	amount_fen = amount_fen + VALUES(amount_fen), resp_ok = resp_ok + VALUES(resp_ok),
	resp_done = resp_done + VALUES(resp_done), res_ok = res_ok + VALUES(res_ok), res_done = res_done + VALUES(res_done),
	closed = closed + VALUES(closed), close_min = close_min + VALUES(close_min),
	close_wmin = close_wmin + VALUES(close_wmin), sat_n = sat_n + VALUES(sat_n), sat_sum = sat_sum + VALUES(sat_sum),
	rep = rep + VALUES(rep);

DROP PROCEDURE IF EXISTS stats_rebuild;
-- Every figure again from the rows (the backfill; after a change of stats_local or of the
-- calendar): 10,000 complaints a statement, each committed on its own in autocommit mode.
-- Run it with the workers stopped (as `kesu-admin migrate` is): a step between two slices
-- would be counted twice.
CREATE PROCEDURE stats_rebuild() MODIFIES SQL DATA
BEGIN
	DECLARE lo BIGINT UNSIGNED DEFAULT 0
	; DECLARE top BIGINT UNSIGNED DEFAULT 0
	; SET SESSION tmp_table_size = 268435456, max_heap_table_size = 268435456
	; CALL stats_calendar_fill()
	; DELETE FROM stats_agg
	; SELECT COALESCE(MAX(id), 0) INTO top FROM complaint
	; WHILE lo <= top DO CALL stats_apply(lo, lo + 9999, 1, NULL)
	; SET lo = lo + 10000
	; END WHILE
; END;

-- The triggers: the figures of a complaint out before a change, in after it.
DROP TRIGGER IF EXISTS complaint_stats_insert;
CREATE TRIGGER complaint_stats_insert AFTER INSERT ON complaint FOR EACH ROW
	CALL stats_apply(NEW.id, NEW.id, 1, NULL);
DROP TRIGGER IF EXISTS complaint_stats_delete;
CREATE TRIGGER complaint_stats_delete BEFORE DELETE ON complaint FOR EACH ROW
	CALL stats_apply(OLD.id, OLD.id, -1, NULL);
-- Only a change of what the figures read (a version bump alone costs nothing). The before
-- trigger follows 017's, which sets responded_at / closed_at in NEW.
DROP TRIGGER IF EXISTS complaint_stats_before;
CREATE TRIGGER complaint_stats_before BEFORE UPDATE ON complaint FOR EACH ROW FOLLOWS complaint_stat_times
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction AND OLD.repeat_reason <=> NEW.repeat_reason
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number) THEN CALL stats_apply(OLD.id, OLD.id, -1, NULL); END IF;
DROP TRIGGER IF EXISTS complaint_stats_after;
CREATE TRIGGER complaint_stats_after AFTER UPDATE ON complaint FOR EACH ROW
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction AND OLD.repeat_reason <=> NEW.repeat_reason
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number) THEN CALL stats_apply(NEW.id, NEW.id, 1, NULL); END IF;

-- A department counts a complaint while its assignment is not refused.
DROP TRIGGER IF EXISTS assignment_stats_insert;
CREATE TRIGGER assignment_stats_insert AFTER INSERT ON complaint_assignment FOR EACH ROW
	IF NEW.state <> 'refused' THEN CALL stats_apply((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), 1, NEW.department); END IF;
DROP TRIGGER IF EXISTS assignment_stats_update;
CREATE TRIGGER assignment_stats_update AFTER UPDATE ON complaint_assignment FOR EACH ROW
BEGIN
	IF OLD.state <> 'refused' AND NOT (NEW.state <> 'refused' AND NEW.department = OLD.department AND NEW.number = OLD.number)
	THEN CALL stats_apply((SELECT id FROM complaint WHERE number = OLD.number),
	    (SELECT id FROM complaint WHERE number = OLD.number), -1, OLD.department)
	; END IF
	; IF NEW.state <> 'refused' AND NOT (OLD.state <> 'refused' AND NEW.department = OLD.department AND NEW.number = OLD.number)
	THEN CALL stats_apply((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), 1, NEW.department)
	; END IF
; END;
DROP TRIGGER IF EXISTS assignment_stats_delete;
CREATE TRIGGER assignment_stats_delete AFTER DELETE ON complaint_assignment FOR EACH ROW
	IF OLD.state <> 'refused' THEN CALL stats_apply((SELECT id FROM complaint WHERE number = OLD.number),
	    (SELECT id FROM complaint WHERE number = OLD.number), -1, OLD.department); END IF;

-- The plan in force changes when a revision becomes approved (or stops being).
DROP TRIGGER IF EXISTS plan_stats_before_insert;
CREATE TRIGGER plan_stats_before_insert BEFORE INSERT ON handling_plan FOR EACH ROW
	IF NEW.state = 'approved' THEN CALL stats_apply((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), -1, NULL); END IF;
DROP TRIGGER IF EXISTS plan_stats_after_insert;
CREATE TRIGGER plan_stats_after_insert AFTER INSERT ON handling_plan FOR EACH ROW
	IF NEW.state = 'approved' THEN CALL stats_apply((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), 1, NULL); END IF;
DROP TRIGGER IF EXISTS plan_stats_before_update;
CREATE TRIGGER plan_stats_before_update BEFORE UPDATE ON handling_plan FOR EACH ROW
	IF (OLD.state = 'approved' OR NEW.state = 'approved') AND NOT (OLD.state <=> NEW.state
	    AND OLD.responsibility <=> NEW.responsibility AND OLD.loss_fen <=> NEW.loss_fen AND OLD.revision <=> NEW.revision
	    AND OLD.number <=> NEW.number)
	THEN CALL stats_apply((SELECT id FROM complaint WHERE number = OLD.number),
	    (SELECT id FROM complaint WHERE number = OLD.number), -1, NULL); END IF;
DROP TRIGGER IF EXISTS plan_stats_after_update;
CREATE TRIGGER plan_stats_after_update AFTER UPDATE ON handling_plan FOR EACH ROW
	IF (OLD.state = 'approved' OR NEW.state = 'approved') AND NOT (OLD.state <=> NEW.state
	    AND OLD.responsibility <=> NEW.responsibility AND OLD.loss_fen <=> NEW.loss_fen AND OLD.revision <=> NEW.revision
	    AND OLD.number <=> NEW.number)
	THEN CALL stats_apply((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), 1, NULL); END IF;

-- Remedy lines are written with a pending plan; one added to an approved plan counts too.
DROP TRIGGER IF EXISTS remedy_stats_before_insert;
CREATE TRIGGER remedy_stats_before_insert BEFORE INSERT ON plan_remedy FOR EACH ROW
	IF (SELECT state FROM handling_plan WHERE id = NEW.plan_id) = 'approved' THEN CALL stats_apply(
	    (SELECT c.id FROM handling_plan hp JOIN complaint c ON c.number = hp.number WHERE hp.id = NEW.plan_id),
	    (SELECT c.id FROM handling_plan hp JOIN complaint c ON c.number = hp.number WHERE hp.id = NEW.plan_id),
	    -1, NULL); END IF;
DROP TRIGGER IF EXISTS remedy_stats_after_insert;
CREATE TRIGGER remedy_stats_after_insert AFTER INSERT ON plan_remedy FOR EACH ROW
	IF (SELECT state FROM handling_plan WHERE id = NEW.plan_id) = 'approved' THEN CALL stats_apply(
	    (SELECT c.id FROM handling_plan hp JOIN complaint c ON c.number = hp.number WHERE hp.id = NEW.plan_id),
	    (SELECT c.id FROM handling_plan hp JOIN complaint c ON c.number = hp.number WHERE hp.id = NEW.plan_id),
	    1, NULL); END IF;

-- The backfill (it fills stats_workday first). stats_workday changes only here, so what a
-- trigger takes away is always what an earlier one added.
CALL stats_rebuild();
