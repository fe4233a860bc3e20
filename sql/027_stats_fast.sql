-- 027: the statistics read faster and the median time to close in working hours (issue 9,
-- docs/statistics.md "How the figures are kept and read"). stats_apply gains three dimensions;
-- the migration rebuilds every aggregate row from the complaints with it (the backfill):
--
-- * 'wclose_hist' / working minutes to close (bucketed as 'close_hist'): the median in working
--   hours of the business calendar, read like the natural one.
-- * grain 'w' ("when the deadline passes"): day = the LOCAL DAY OF THE DEADLINE, dims
--   'resp_slot' / 'res_slot' (not answered / not resolved yet), code = the local day received,
--   a space, and the deadline's ten-minute slot of its day ('000'..'143'). The page reads
--   today's rows (one range of the primary key) and counts the slots before the current one
--   as past due; only the deadlines of the current ten minutes are read from the complaints
--   (STMT_STATS_AGG_DUE_TODAY, bounded by complaint_respond_wait / complaint_resolve_wait). A
--   deadline passes without any write, so no trigger could count it; this way the figure is
--   exact at any minute, with or without the sweep.
--
-- stats_apply is 022's with those rows added (and the working minutes computed once per row);
-- the triggers of 022 call it by name and are unchanged.

DROP PROCEDURE IF EXISTS stats_apply;
-- Add sgn (1 or -1) times the figures of the complaints with p_lo <= id <= p_hi, as the rows
-- stand now: for the whole company and each department assigned and not refused, or, when
-- p_dept is given, for that department only (an assignment that starts or stops counting).
CREATE PROCEDURE stats_apply(p_lo BIGINT UNSIGNED, p_hi BIGINT UNSIGNED, p_sgn INT, p_dept VARCHAR(32))
MODIFIES SQL DATA
INSERT INTO stats_agg (grain, day, dept, dim, code, n, qty, def, amount_fen, resp_ok, resp_done, res_ok,
	res_done, closed, close_min, close_wmin, sat_n, sat_sum, rep)
SELECT g.grain, IF(g.grain = 'm', x.day - INTERVAL (DAYOFMONTH(x.day) - 1) DAY, x.day) AS gday, x.dept, x.dim, x.code,
	p_sgn * SUM(x.n), p_sgn * SUM(x.qty), p_sgn * SUM(x.def), p_sgn * SUM(x.amount_fen), p_sgn * SUM(x.resp_ok),
	p_sgn * SUM(x.resp_done), p_sgn * SUM(x.res_ok), p_sgn * SUM(x.res_done), p_sgn * SUM(x.closed),
	p_sgn * SUM(x.close_min), p_sgn * SUM(x.close_wmin), p_sgn * SUM(x.sat_n), p_sgn * SUM(x.sat_sum), p_sgn * SUM(x.rep)
FROM (
	-- the complaint's own figures, one row per dimension
	SELECT b.dept, CASE k.dim WHEN 'resp_slot' THEN DATE(b.respond_due + INTERVAL b.off MINUTE)
	    WHEN 'res_slot' THEN DATE(b.resolve_due + INTERVAL b.off MINUTE) ELSE b.day END AS day, k.dim,
		CASE k.dim WHEN 'all' THEN '' WHEN 'category' THEN b.category WHEN 'severity' THEN b.severity
		WHEN 'channel' THEN b.channel WHEN 'customer_type' THEN b.customer_type
		WHEN 'sat' THEN b.satisfaction
		WHEN 'resp_wait' THEN IF(b.responded_at IS NULL, DATE(b.respond_due + INTERVAL b.off MINUTE), NULL)
		WHEN 'res_wait' THEN IF(b.resolve_due IS NOT NULL AND b.replied_at IS NULL AND b.closed_at IS NULL,
		    DATE(b.resolve_due + INTERVAL b.off MINUTE), NULL)
		WHEN 'close_hist' THEN IF(b.closed_at IS NULL, NULL,
		    IF(b.cmin < 1440, b.cmin, IF(b.cmin < 14400, b.cmin - b.cmin MOD 6, b.cmin - b.cmin MOD 60)))
		WHEN 'wclose_hist' THEN IF(b.closed_at IS NULL, NULL, IF(b.wmin < 1440, b.wmin,
		    IF(b.wmin < 14400, b.wmin - b.wmin MOD 6, b.wmin - b.wmin MOD 60)))
		WHEN 'resp_slot' THEN IF(b.responded_at IS NULL, CONCAT(b.day, ' ',
		    LPAD(TIME_TO_SEC(TIME(b.respond_due + INTERVAL b.off MINUTE)) DIV 600, 3, '0')), NULL)
		WHEN 'res_slot' THEN IF(b.resolve_due IS NOT NULL AND b.replied_at IS NULL AND b.closed_at IS NULL,
		    CONCAT(b.day, ' ', LPAD(TIME_TO_SEC(TIME(b.resolve_due + INTERVAL b.off MINUTE)) DIV 600, 3, '0')), NULL)
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
		IF(k.dim = 'all' AND b.closed_at IS NOT NULL, b.wmin, 0) AS close_wmin,
		IF(k.dim = 'all', b.satisfaction IS NOT NULL, 0) AS sat_n,
		IF(k.dim = 'all', COALESCE(b.satisfaction, 0), 0) AS sat_sum,
		IF(k.dim = 'all', b.repeat_reason <> '', 0) AS rep
	FROM (SELECT c.category, c.severity, c.channel, c.customer_type, c.satisfaction, c.responded_at, c.respond_due,
		    c.resolve_due, c.replied_at, c.closed_at, c.received_at, c.customer_name, c.product, c.part_no, c.lot,
		    c.quantity, c.defective_quantity, c.status, c.repeat_reason, d.dept, o.utc_offset_min AS off, DATE(c.received_at + INTERVAL o.utc_offset_min MINUTE) AS day,
		    TIMESTAMPDIFF(MINUTE, c.received_at, c.closed_at) AS cmin,
		    IF(c.closed_at IS NULL, NULL, COALESCE(stats_work_at(c.closed_at + INTERVAL o.utc_offset_min MINUTE)
		        - stats_work_at(c.received_at + INTERVAL o.utc_offset_min MINUTE), 0)) AS wmin
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
	    UNION ALL SELECT 'close_hist' UNION ALL SELECT 'wclose_hist' UNION ALL SELECT 'resp_slot' UNION ALL SELECT 'res_slot' UNION ALL SELECT 'customer' UNION ALL SELECT 'product' UNION ALL SELECT 'part_lot') k
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
JOIN (SELECT 'd' AS grain UNION ALL SELECT 'm' UNION ALL SELECT 'w') g ON IF(x.dim IN ('resp_slot', 'res_slot'),
	g.grain = 'w', g.grain = 'm' OR (g.grain = 'd' AND x.dim NOT IN ('customer', 'product', 'part_lot')))
WHERE x.code IS NOT NULL
GROUP BY g.grain, gday, x.dept, x.dim, x.code
ON DUPLICATE KEY UPDATE n = n + VALUES(n), qty = qty + VALUES(qty), def = def + VALUES(def),
	amount_fen = amount_fen + VALUES(amount_fen), resp_ok = resp_ok + VALUES(resp_ok),
	resp_done = resp_done + VALUES(resp_done), res_ok = res_ok + VALUES(res_ok), res_done = res_done + VALUES(res_done),
	closed = closed + VALUES(closed), close_min = close_min + VALUES(close_min),
	close_wmin = close_wmin + VALUES(close_wmin), sat_n = sat_n + VALUES(sat_n), sat_sum = sat_sum + VALUES(sat_sum),
	rep = rep + VALUES(rep);

-- The backfill: every aggregate row again from the rows, with the new dimensions. As 022's,
-- it runs with the workers stopped (kesu-admin migrate).
CALL stats_rebuild();
