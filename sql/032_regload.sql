-- 032 (issue 10, regload): a registration's statistics in one statement, a repeat flag's in one
-- two-row update, and its search journal row without a statement of its own, so that registering
-- costs a fraction of what it did.
--
-- Measured before (a fresh database, kesu-admin bench-load 2000, slow log with long_query_time
-- = 0 and log_slow_disabled_statements = ''; docs/performance.md, "Registration"): the complaint
-- INSERT cost 4.4 ms, nearly all of it its two AFTER INSERT triggers -- stats_apply_one (029:
-- a SELECT of the new row, then a 21-row upsert) and stats_apply_more (027: one statement over
-- three derived tables, planned anew at every call) -- and each repeat flag of an earlier
-- complaint 3.4 ms (stats_apply_one twice: 21 rows out, 21 rows in, to move one count).
--
-- 1. complaint_stats_insert: a complaint as registered -- not answered, replied, closed or
--    rated, and with no assignment or plan yet (its number is new) -- has only the company's
--    rows (dept ''), and every figure of them is in NEW: no SELECT of the row, no procedure.
--    One INSERT ... SELECT over the Sequence engine's seq_1_to_19 upserts exactly the rows that
--    stats_apply_one and stats_apply_more would have upserted for it: 'all', category,
--    severity, channel, customer_type, resp_wait and res_wait for the month and the day;
--    customer, product and part_lot for the month; resp_slot and res_slot ('w'). The rows
--    those procedures give such a complaint and this one skips are all NULL-coded there too
--    (sat, close_hist, wclose_hist). Any other INSERT goes through both procedures as before.
-- 2. complaint_stats_before / complaint_stats_after: an UPDATE that changes only repeat_reason
--    of the figures' columns (a registration flagging the earlier complaint it repeats) moves
--    only `rep`, which only the 'all' rows carry (stats_apply: IF(k.dim = 'all', ...)), by
--    +1 or -1. Without a counted assignment those are the company's month and day 'all' rows:
--    one UPDATE of two primary keys. With one (its department rows carry rep too), both
--    procedures as before.
--
-- 3. audit_event_search_journal: the search journal's row (sql/030) written by the register
--    event's INSERT, one round trip less while the year's number row is held (below).
--
-- The equality test of tests/integration/test_aggregate.py (aggregates kept by every step = a
-- rebuild from the rows) covers both fast paths (registration, a repeat) and the full ones.
-- Nothing to backfill: the figures kept are exactly those kept before.
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line.

DROP TRIGGER IF EXISTS complaint_statsfast_insert;
DROP TRIGGER IF EXISTS complaint_stats_insert;
CREATE TRIGGER complaint_stats_insert AFTER INSERT ON complaint FOR EACH ROW
BEGIN
	DECLARE v_off INT
	; DECLARE v_day, v_mon DATE
	; IF NEW.responded_at IS NULL AND NEW.replied_at IS NULL AND NEW.closed_at IS NULL AND NEW.satisfaction IS NULL
	    AND NOT EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = NEW.number)
	    AND NOT EXISTS (SELECT 1 FROM handling_plan hp WHERE hp.number = NEW.number) THEN
	    SELECT utc_offset_min INTO v_off FROM stats_local WHERE id = 1
	    ; SET v_day = DATE(NEW.received_at + INTERVAL v_off MINUTE)
	    ; SET v_mon = v_day - INTERVAL (DAYOFMONTH(v_day) - 1) DAY
	    -- rows 1-10: the month's; 11-17: the day's; 18-19: the deadlines' ten-minute slots ('w')
	    ; INSERT INTO stats_agg (grain, day, dept, dim, code, n, qty, def, closed, rep)
	      SELECT x.grain, x.gday, '', x.dim, x.code, 1, IF(x.k = 1, COALESCE(NEW.quantity, 0), 0),
	        IF(x.k = 1, COALESCE(NEW.defective_quantity, 0), 0), IF(x.k = 1, NEW.status = 'closed', 0),
	        IF(x.k = 1, NEW.repeat_reason <> '', 0)
	      FROM (SELECT s.k, ELT(s.seq, 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'm',
	                'd', 'd', 'd', 'd', 'd', 'd', 'd', 'w', 'w') AS grain,
	            CASE WHEN s.seq <= 10 THEN v_mon WHEN s.seq <= 17 THEN v_day
	                WHEN s.seq = 18 THEN DATE(NEW.respond_due + INTERVAL v_off MINUTE)
	                ELSE DATE(NEW.resolve_due + INTERVAL v_off MINUTE) END AS gday,
	            ELT(s.seq, 'all', 'category', 'severity', 'channel', 'customer_type', 'resp_wait', 'res_wait',
	                'customer', 'product', 'part_lot',
	                'all', 'category', 'severity', 'channel', 'customer_type', 'resp_wait', 'res_wait',
	                'resp_slot', 'res_slot') AS dim,
	            ELT(s.seq, '', NEW.category, NEW.severity, NEW.channel, NEW.customer_type,
	                DATE(NEW.respond_due + INTERVAL v_off MINUTE), IF(NEW.resolve_due IS NULL, NULL, DATE(NEW.resolve_due + INTERVAL v_off MINUTE)),
	                NEW.customer_name, NULLIF(NEW.product, ''), IF(NEW.part_no = '', NULL, CONCAT(NEW.part_no, CHAR(9), NEW.lot)),
	                '', NEW.category, NEW.severity, NEW.channel, NEW.customer_type,
	                DATE(NEW.respond_due + INTERVAL v_off MINUTE), IF(NEW.resolve_due IS NULL, NULL, DATE(NEW.resolve_due + INTERVAL v_off MINUTE)),
	                IF(NEW.respond_due IS NULL, NULL, CONCAT(v_day, ' ',
	                    LPAD(TIME_TO_SEC(TIME(NEW.respond_due + INTERVAL v_off MINUTE)) DIV 600, 3, '0'))),
	                IF(NEW.resolve_due IS NULL, NULL, CONCAT(v_day, ' ',
	                    LPAD(TIME_TO_SEC(TIME(NEW.resolve_due + INTERVAL v_off MINUTE)) DIV 600, 3, '0')))) AS code
	          FROM (SELECT seq, IF(seq = 1 OR seq = 11, 1, 0) AS k FROM seq_1_to_19) s) x
	      WHERE x.code IS NOT NULL
	      ON DUPLICATE KEY UPDATE stats_agg.n = stats_agg.n + VALUES(n), stats_agg.qty = stats_agg.qty + VALUES(qty),
	        stats_agg.def = stats_agg.def + VALUES(def), stats_agg.closed = stats_agg.closed + VALUES(closed),
	        stats_agg.rep = stats_agg.rep + VALUES(rep)
	; ELSE
	    CALL stats_apply_one(NEW.id, 1)
	    ; CALL stats_apply_more(NEW.id, NEW.id, 1, NULL)
	; END IF
; END;

-- An UPDATE that changes the figures' columns takes the complaint's rows out before and puts
-- them back after (029), unless only repeat_reason changed on a complaint without a counted
-- assignment: then the AFTER trigger moves rep on the two 'all' rows.
DROP TRIGGER IF EXISTS complaint_stats_before;
CREATE TRIGGER complaint_stats_before BEFORE UPDATE ON complaint FOR EACH ROW FOLLOWS complaint_stat_times
	IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction AND OLD.repeat_reason <=> NEW.repeat_reason
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number)
	AND NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number
	    AND NOT EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = OLD.number AND a.state <> 'refused'))
	THEN CALL stats_apply_one(OLD.id, -1); END IF;
DROP TRIGGER IF EXISTS complaint_stats_after;
CREATE TRIGGER complaint_stats_after AFTER UPDATE ON complaint FOR EACH ROW
BEGIN
	DECLARE v_day DATE
	; IF NOT (OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	    AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	    AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	    AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	    AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	    AND OLD.satisfaction <=> NEW.satisfaction AND OLD.repeat_reason <=> NEW.repeat_reason
	    AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	    AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number) THEN
	    IF OLD.received_at <=> NEW.received_at AND OLD.status <=> NEW.status AND OLD.category <=> NEW.category
	        AND OLD.severity <=> NEW.severity AND OLD.channel <=> NEW.channel AND OLD.customer_type <=> NEW.customer_type
	        AND OLD.quantity <=> NEW.quantity AND OLD.defective_quantity <=> NEW.defective_quantity
	        AND OLD.respond_due <=> NEW.respond_due AND OLD.responded_at <=> NEW.responded_at
	        AND OLD.resolve_due <=> NEW.resolve_due AND OLD.replied_at <=> NEW.replied_at AND OLD.closed_at <=> NEW.closed_at
	        AND OLD.satisfaction <=> NEW.satisfaction
	        AND OLD.customer_name <=> NEW.customer_name AND OLD.product <=> NEW.product AND OLD.part_no <=> NEW.part_no
	        AND OLD.lot <=> NEW.lot AND OLD.number <=> NEW.number
	        AND NOT EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = NEW.number AND a.state <> 'refused') THEN
	        SELECT DATE(NEW.received_at + INTERVAL o.utc_offset_min MINUTE) INTO v_day FROM stats_local o WHERE o.id = 1
	        ; UPDATE stats_agg SET rep = rep + (NEW.repeat_reason <> '') - (OLD.repeat_reason <> '')
	          WHERE dept = '' AND dim = 'all' AND code = ''
	            AND ((grain = 'm' AND day = v_day - INTERVAL (DAYOFMONTH(v_day) - 1) DAY) OR (grain = 'd' AND day = v_day))
	    ; ELSE
	        CALL stats_apply_one(NEW.id, 1)
	    ; END IF
	; END IF
; END;

-- 3. The search's journal row (sql/030) written by the register event's own INSERT rather than
--    by a statement of its own: one round trip less inside the section that holds the year's
--    number row and the chain head. Same row, same transaction, same seq (the event's, under
--    the head's lock), so journal rows still commit in seq order. A trigger's row changes are
--    replicated by Galera as rows (the other nodes do not fire it again). An event put back
--    after it was taken out (a restore; tests/integration/test_verify.py does it) finds its
--    journal row there already and leaves it.
DROP TRIGGER IF EXISTS audit_event_search_journal;
CREATE TRIGGER audit_event_search_journal AFTER INSERT ON audit_event FOR EACH ROW
	IF NEW.entity = 'complaint' AND NEW.action = 'register' THEN
	    INSERT INTO complaint_text_journal (seq, complaint_id) SELECT NEW.seq, id FROM complaint WHERE number = NEW.entity_id
	    ON DUPLICATE KEY UPDATE complaint_text_journal.seq = complaint_text_journal.seq; END IF;
