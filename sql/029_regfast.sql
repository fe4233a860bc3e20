-- 029 (issue 10, regfast): a complaint's statistics kept at a fraction of the cost, so that
-- registration stays cheap and flat up to a million complaints.
--
-- Measured before (tests/bench/run.sh, slow log with long_query_time = 0, docs/performance.md):
-- the complaint INSERT cost 5.4 ms, nearly all of it the trigger's CALL stats_apply (022), and
-- each repeat flag of an earlier complaint 13 ms (stats_apply twice). SHOW PROFILE puts the time
-- in "Optimizing": stats_apply is one statement over eleven derived tables and unions (the
-- departments, the plan in force and its remedies), planned anew at every call.
--
-- stats_apply_one(id, sgn) gives exactly what stats_apply(id, id, sgn, NULL) gives, and is what
-- the complaint's own triggers call:
-- * a complaint with no counted assignment (not refused) and no approved plan -- every complaint
--   while it is registered, and so every registration and every repeat flag -- has only its own
--   figures for the whole company (dept ''). They are read from the row once into variables and
--   written by one upsert over the Sequence engine's seq_1_to_21 (12 dimensions a month, 9 a day):
--   no join to plan, no derived table to materialise;
-- * any other complaint goes through stats_apply as before (the departments and the plan).
-- The CASE of stats_apply's "own figures" and the ELT below must stay equal: the equality test
-- of tests/integration/test_aggregate.py (aggregates kept by every step = a rebuild from the rows)
-- runs the fast path (registration, triage) and the full one (assignment, plan, reopen).
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line. Nothing to backfill: the figures are unchanged.

DROP PROCEDURE IF EXISTS stats_apply_one;
CREATE PROCEDURE stats_apply_one(p_id BIGINT UNSIGNED, p_sgn INT) MODIFIES SQL DATA
BEGIN
	DECLARE v_day, v_mon DATE
	; DECLARE v_cat, v_sev, v_chan, v_ctype, v_sat, v_resp_wait, v_res_wait, v_hist, v_cust, v_prod, v_pl VARCHAR(200)
	; DECLARE v_qty, v_def, v_resp_ok, v_resp_done, v_res_ok, v_res_done, v_closed, v_cmin, v_wmin, v_sat_n, v_sat_sum, v_rep BIGINT
	; DECLARE v_found, v_other INT DEFAULT 0
	; SELECT 1, EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = c.number AND a.state <> 'refused')
	      OR EXISTS (SELECT 1 FROM handling_plan hp WHERE hp.number = c.number AND hp.state = 'approved'),
	    DATE(c.received_at + INTERVAL o.utc_offset_min MINUTE), c.category, c.severity, c.channel, c.customer_type,
	    c.satisfaction,
	    IF(c.responded_at IS NULL, DATE(c.respond_due + INTERVAL o.utc_offset_min MINUTE), NULL),
	    IF(c.resolve_due IS NOT NULL AND c.replied_at IS NULL AND c.closed_at IS NULL,
	        DATE(c.resolve_due + INTERVAL o.utc_offset_min MINUTE), NULL),
	    c.customer_name, NULLIF(c.product, ''), IF(c.part_no = '', NULL, CONCAT(c.part_no, CHAR(9), c.lot)),
	    COALESCE(c.quantity, 0), COALESCE(c.defective_quantity, 0), COALESCE(c.responded_at <= c.respond_due, 0),
	    c.responded_at IS NOT NULL, COALESCE(COALESCE(c.replied_at, c.closed_at) <= c.resolve_due, 0),
	    c.resolve_due IS NOT NULL AND COALESCE(c.replied_at, c.closed_at) IS NOT NULL, c.status = 'closed',
	    TIMESTAMPDIFF(MINUTE, c.received_at, c.closed_at),
	    IF(c.closed_at IS NOT NULL, COALESCE(stats_work_at(c.closed_at + INTERVAL o.utc_offset_min MINUTE)
	        - stats_work_at(c.received_at + INTERVAL o.utc_offset_min MINUTE), 0), 0),
	    c.satisfaction IS NOT NULL, COALESCE(c.satisfaction, 0), c.repeat_reason <> ''
	  INTO v_found, v_other, v_day, v_cat, v_sev, v_chan, v_ctype, v_sat, v_resp_wait, v_res_wait, v_cust, v_prod, v_pl,
	    v_qty, v_def, v_resp_ok, v_resp_done, v_res_ok, v_res_done, v_closed, v_cmin, v_wmin, v_sat_n, v_sat_sum, v_rep
	  FROM complaint c JOIN stats_local o ON o.id = 1 WHERE c.id = p_id
	; IF v_other THEN CALL stats_apply(p_id, p_id, p_sgn, NULL)
	; ELSEIF v_found THEN
	    SET v_mon = v_day - INTERVAL (DAYOFMONTH(v_day) - 1) DAY
	    ; SET v_hist = IF(v_cmin IS NULL, NULL,
	        IF(v_cmin < 1440, v_cmin, IF(v_cmin < 14400, v_cmin - v_cmin MOD 6, v_cmin - v_cmin MOD 60)))
	    -- rows 1-12: the month's dimensions; 13-21: the day's (all but customer, product, part_lot);
	    -- k, the dimension: all, category, severity, channel, customer_type, sat, resp_wait,
	    -- res_wait, close_hist, customer, product, part_lot (as stats_apply's CASE)
	    ; INSERT INTO stats_agg (grain, day, dept, dim, code, n, qty, def, amount_fen, resp_ok, resp_done, res_ok,
	        res_done, closed, close_min, close_wmin, sat_n, sat_sum, rep)
	      SELECT x.grain, x.gday, '', x.dim, x.code, p_sgn, p_sgn * IF(x.k = 1, v_qty, 0), p_sgn * IF(x.k = 1, v_def, 0), 0,
	        p_sgn * IF(x.k = 1, v_resp_ok, 0), p_sgn * IF(x.k = 1, v_resp_done, 0), p_sgn * IF(x.k = 1, v_res_ok, 0),
	        p_sgn * IF(x.k = 1, v_res_done, 0), p_sgn * IF(x.k = 1, v_closed, 0), p_sgn * IF(x.k = 1, COALESCE(v_cmin, 0), 0),
	        p_sgn * IF(x.k = 1, v_wmin, 0), p_sgn * IF(x.k = 1, v_sat_n, 0), p_sgn * IF(x.k = 1, v_sat_sum, 0),
	        p_sgn * IF(x.k = 1, v_rep, 0)
	      FROM (SELECT s.k, IF(s.seq <= 12, 'm', 'd') AS grain, IF(s.seq <= 12, v_mon, v_day) AS gday,
	            ELT(s.k, 'all', 'category', 'severity', 'channel', 'customer_type', 'sat', 'resp_wait', 'res_wait',
	                'close_hist', 'customer', 'product', 'part_lot') AS dim,
	            ELT(s.k, '', v_cat, v_sev, v_chan, v_ctype, v_sat, v_resp_wait, v_res_wait, v_hist, v_cust, v_prod, v_pl)
	                AS code
	          FROM (SELECT seq, IF(seq <= 12, seq, seq - 12) AS k FROM seq_1_to_21) s) x
	      WHERE x.code IS NOT NULL
	      ON DUPLICATE KEY UPDATE stats_agg.n = stats_agg.n + VALUES(n), stats_agg.qty = stats_agg.qty + VALUES(qty),
	        stats_agg.def = stats_agg.def + VALUES(def), stats_agg.resp_ok = stats_agg.resp_ok + VALUES(resp_ok),
	        stats_agg.resp_done = stats_agg.resp_done + VALUES(resp_done), stats_agg.res_ok = stats_agg.res_ok + VALUES(res_ok),
	        stats_agg.res_done = stats_agg.res_done + VALUES(res_done), stats_agg.closed = stats_agg.closed + VALUES(closed),
	        stats_agg.close_min = stats_agg.close_min + VALUES(close_min),
	        stats_agg.close_wmin = stats_agg.close_wmin + VALUES(close_wmin), stats_agg.sat_n = stats_agg.sat_n + VALUES(sat_n),
	        stats_agg.sat_sum = stats_agg.sat_sum + VALUES(sat_sum), stats_agg.rep = stats_agg.rep + VALUES(rep)
	; END IF
; END;

-- The complaint's own triggers, as in 022, through stats_apply_one.
DROP TRIGGER IF EXISTS complaint_stats_insert;
CREATE TRIGGER complaint_stats_insert AFTER INSERT ON complaint FOR EACH ROW
	CALL stats_apply_one(NEW.id, 1);
DROP TRIGGER IF EXISTS complaint_stats_delete;
CREATE TRIGGER complaint_stats_delete BEFORE DELETE ON complaint FOR EACH ROW
	CALL stats_apply_one(OLD.id, -1);
DROP TRIGGER IF EXISTS complaint_stats_before;
CREATE TRIGGER complaint_stats_before BEFORE UPDATE ON complaint FOR EACH ROW FOLLOWS complaint_stat_times
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction AND OLD.repeat_reason <=> NEW.repeat_reason
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number) THEN CALL stats_apply_one(OLD.id, -1); END IF;
DROP TRIGGER IF EXISTS complaint_stats_after;
CREATE TRIGGER complaint_stats_after AFTER UPDATE ON complaint FOR EACH ROW
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction AND OLD.repeat_reason <=> NEW.repeat_reason
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number) THEN CALL stats_apply_one(NEW.id, 1); END IF;

-- The search's copy of the last month (023): a complaint received before the month's start is
-- no longer copied only to be deleted by the same trigger's next statement (two Mroonga writes
-- for nothing: the bench's load registers a year of complaints, eleven months of them older).
-- What remains is as before: the newest complaints, the oldest dropped 100 at a time.
DROP TRIGGER IF EXISTS complaint_text_recent_copy;
CREATE TRIGGER complaint_text_recent_copy AFTER INSERT ON complaint_text FOR EACH ROW BEGIN IF NEW.sort_key >= TIMESTAMPDIFF(SECOND, '2000-01-01 00:00:00', UTC_TIMESTAMP() - INTERVAL 31 DAY) * 4294967296 THEN REPLACE INTO complaint_text_recent (complaint_id, received_at, sort_key, body) VALUES (NEW.complaint_id, NEW.received_at, NEW.sort_key, NEW.body); END IF; DELETE FROM complaint_text_recent WHERE sort_key < TIMESTAMPDIFF(SECOND, '2000-01-01 00:00:00', UTC_TIMESTAMP() - INTERVAL 31 DAY) * 4294967296 ORDER BY sort_key LIMIT 100; END;
