-- 027: the statistics read faster, exact at any minute, and the median time to close in working
-- hours (issue 9, statsfast; docs/statistics.md "How the figures are kept and read"). Three more
-- kinds of aggregate rows, kept like 022's by triggers in the writing statement's transaction:
--
-- * 'wclose_hist' / working minutes to close (grains 'd' and 'm', bucketed as 022's
--   'close_hist'): the median in working hours of the business calendar, read like the natural
--   one.
-- * grain 'w' ("when the deadline passes"): day = the LOCAL DAY OF THE DEADLINE, dims
--   'resp_slot' / 'res_slot' (not answered / not resolved yet), code = the local day received,
--   a space, and the deadline's ten-minute slot of its day ('000'..'143'). The page reads
--   today's rows (one range of the primary key) and counts the slots before the current one
--   as past due; only the deadlines of the current ten minutes are read from the complaints
--   (STMT_STATS_AGG_DUE_TODAY, bounded by complaint_respond_wait / complaint_resolve_wait). A
--   deadline passes without any write, so no trigger could count it; this way the figure is
--   exact at any minute, with or without the sweep.
--
-- Why a procedure and triggers of their own rather than more dimensions in 022's stats_apply:
-- these rows read only complaint columns (no plan), so the plan's triggers need not run them,
-- and the complaint's and assignment's triggers of 022 (or a faster version of them) stay as
-- they are. stats_apply_more(lo, hi, sgn, dept) has stats_apply's signature and meaning:
-- stats_rebuild calls both, so "aggregates kept by the triggers = a rebuild from the rows"
-- (tests/integration/test_aggregate.py) covers these rows too.
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line.

DROP PROCEDURE IF EXISTS stats_apply_more;
-- Add sgn (1 or -1) times the complaints with p_lo <= id <= p_hi to the rows above, as the rows
-- stand now: for the whole company and each department assigned and not refused, or, when
-- p_dept is given, for that department only.
CREATE PROCEDURE stats_apply_more(p_lo BIGINT UNSIGNED, p_hi BIGINT UNSIGNED, p_sgn INT, p_dept VARCHAR(32))
MODIFIES SQL DATA
INSERT INTO stats_agg (grain, day, dept, dim, code, n)
WITH b AS (SELECT d.dept, c.respond_due, c.responded_at, c.resolve_due, c.replied_at, c.closed_at,
	    o.utc_offset_min AS off, DATE(c.received_at + INTERVAL o.utc_offset_min MINUTE) AS day,
	    IF(c.closed_at IS NULL, NULL, COALESCE(stats_work_at(c.closed_at + INTERVAL o.utc_offset_min MINUTE)
	        - stats_work_at(c.received_at + INTERVAL o.utc_offset_min MINUTE), 0)) AS wmin
	FROM complaint c
	JOIN stats_local o ON o.id = 1
		JOIN (SELECT c1.id, '' AS dept FROM complaint c1 WHERE c1.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c2.id, a.department FROM complaint c2 JOIN complaint_assignment a
		        ON a.number = c2.number AND a.state <> 'refused' WHERE c2.id BETWEEN p_lo AND p_hi AND p_dept IS NULL
		    UNION ALL SELECT c3.id, p_dept FROM complaint c3 WHERE c3.id BETWEEN p_lo AND p_hi AND p_dept IS NOT NULL) d
		    ON d.id = c.id
	WHERE c.id BETWEEN p_lo AND p_hi)
SELECT x.grain, x.gday, x.dept, x.dim, x.code, p_sgn * COUNT(*)
FROM (
	SELECT g.grain, IF(g.grain = 'm', b.day - INTERVAL (DAYOFMONTH(b.day) - 1) DAY, b.day) AS gday, b.dept,
	    'wclose_hist' AS dim, IF(b.wmin < 1440, b.wmin, IF(b.wmin < 14400, b.wmin - b.wmin MOD 6, b.wmin - b.wmin MOD 60)) AS code
	FROM b JOIN (SELECT 'd' AS grain UNION ALL SELECT 'm') g
	WHERE b.closed_at IS NOT NULL
	UNION ALL
	SELECT 'w', DATE(b.respond_due + INTERVAL b.off MINUTE), b.dept, 'resp_slot',
	    CONCAT(b.day, ' ', LPAD(TIME_TO_SEC(TIME(b.respond_due + INTERVAL b.off MINUTE)) DIV 600, 3, '0'))
	FROM b WHERE b.responded_at IS NULL AND b.respond_due IS NOT NULL
	UNION ALL
	SELECT 'w', DATE(b.resolve_due + INTERVAL b.off MINUTE), b.dept, 'res_slot',
	    CONCAT(b.day, ' ', LPAD(TIME_TO_SEC(TIME(b.resolve_due + INTERVAL b.off MINUTE)) DIV 600, 3, '0'))
	FROM b WHERE b.resolve_due IS NOT NULL AND b.replied_at IS NULL AND b.closed_at IS NULL
) x
GROUP BY x.grain, x.gday, x.dept, x.dim, x.code
ON DUPLICATE KEY UPDATE n = n + VALUES(n);

DROP PROCEDURE IF EXISTS stats_rebuild;
-- As 022's, with stats_apply_more (027). Every figure again from the rows (the backfill; after a change of stats_local or of the
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
	; CALL stats_apply_more(lo, lo + 9999, 1, NULL)
	; SET lo = lo + 10000
	; END WHILE
; END;

-- The complaint's rows out before a change, in after it: only a change of what they read. The
-- before trigger follows 017's (which sets responded_at / closed_at in NEW); the status is in
-- the condition too, so that the two always agree whatever the order of the BEFORE triggers.
DROP TRIGGER IF EXISTS complaint_statsfast_insert;
CREATE TRIGGER complaint_statsfast_insert AFTER INSERT ON complaint FOR EACH ROW
	CALL stats_apply_more(NEW.id, NEW.id, 1, NULL);
DROP TRIGGER IF EXISTS complaint_statsfast_delete;
CREATE TRIGGER complaint_statsfast_delete BEFORE DELETE ON complaint FOR EACH ROW
	CALL stats_apply_more(OLD.id, OLD.id, -1, NULL);
DROP TRIGGER IF EXISTS complaint_statsfast_before;
CREATE TRIGGER complaint_statsfast_before BEFORE UPDATE ON complaint FOR EACH ROW FOLLOWS complaint_stat_times
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.respond_due <=> NEW.respond_due
	    AND OLD.responded_at <=> NEW.responded_at AND OLD.resolve_due <=> NEW.resolve_due
	    AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at AND OLD.number <=> NEW.number)
	THEN CALL stats_apply_more(OLD.id, OLD.id, -1, NULL); END IF;
DROP TRIGGER IF EXISTS complaint_statsfast_after;
CREATE TRIGGER complaint_statsfast_after AFTER UPDATE ON complaint FOR EACH ROW
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.respond_due <=> NEW.respond_due
	    AND OLD.responded_at <=> NEW.responded_at AND OLD.resolve_due <=> NEW.resolve_due
	    AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at AND OLD.number <=> NEW.number)
	THEN CALL stats_apply_more(NEW.id, NEW.id, 1, NULL); END IF;

-- A department counts a complaint while its assignment is not refused (as 022's).
DROP TRIGGER IF EXISTS assignment_statsfast_insert;
CREATE TRIGGER assignment_statsfast_insert AFTER INSERT ON complaint_assignment FOR EACH ROW
	IF NEW.state <> 'refused' THEN CALL stats_apply_more((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), 1, NEW.department); END IF;
DROP TRIGGER IF EXISTS assignment_statsfast_update;
CREATE TRIGGER assignment_statsfast_update AFTER UPDATE ON complaint_assignment FOR EACH ROW
BEGIN
	IF OLD.state <> 'refused' AND NOT (NEW.state <> 'refused' AND NEW.department = OLD.department AND NEW.number = OLD.number)
	THEN CALL stats_apply_more((SELECT id FROM complaint WHERE number = OLD.number),
	    (SELECT id FROM complaint WHERE number = OLD.number), -1, OLD.department)
	; END IF
	; IF NEW.state <> 'refused' AND NOT (OLD.state <> 'refused' AND NEW.department = OLD.department AND NEW.number = OLD.number)
	THEN CALL stats_apply_more((SELECT id FROM complaint WHERE number = NEW.number),
	    (SELECT id FROM complaint WHERE number = NEW.number), 1, NEW.department)
	; END IF
; END;
DROP TRIGGER IF EXISTS assignment_statsfast_delete;
CREATE TRIGGER assignment_statsfast_delete AFTER DELETE ON complaint_assignment FOR EACH ROW
	IF OLD.state <> 'refused' THEN CALL stats_apply_more((SELECT id FROM complaint WHERE number = OLD.number),
	    (SELECT id FROM complaint WHERE number = OLD.number), -1, OLD.department); END IF;

-- The backfill: every aggregate row again from the rows, with the new ones. As 022's, it runs
-- with the workers stopped (kesu-admin migrate).
CALL stats_rebuild();
