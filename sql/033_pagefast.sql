-- 033 (issue 10, pagefast): one complaint's page in two round trips instead of four.
--
-- Before, GET /complaints/{number} made four statements (tests/bench/pages_callgrind.sh: 4.05 a
-- request): the page row (which also proves the worker's cached session), its history, the
-- repeat flag's links and the view-log INSERT the privacy rules require. The page row stays a
-- prepared statement of its own (STMT_PAGES_COMPLAINT_PAGE / STMT_COMPLAINT_PAGE): the worker
-- decides from it, by fcgi/access.c's one rule, whether the reader may see the complaint. Only
-- then does it CALL complaint_page_more (STMT_PAGEFAST_MORE), which
--
--   1. writes the view-log row (record_view, autocommit as before) when p_log is 1,
--   2. returns the history (as STMT_AUDIT_FOR_ENTITY),
--   3. returns the complaints the repeat flag refers to that the reader may see (as
--      STMT_REPEAT_SAME_LOT / _SAME_CUSTOMER: p_all, p_quality, p_dept, p_uid are the reader's
--      LIST_VISIBLE arguments), newest first, at most ten; an empty set when it is no repeat.
--
-- A reader who may not see the complaint never reaches the CALL: no view-log row, no history.
-- The page row is not read here on purpose: a prepared SELECT's column definitions are cached
-- by the client (MariaDB 10.6+), a CALL's result sets carry them every time (66 columns).
--
-- Inside a routine SET STATEMENT max_statement_time has no effect (seen on 10.11: the bound of
-- STMT_REPEAT_SAME_*), so the repeat links are bounded by rows instead (LIMIT ROWS EXAMINED
-- 1000): the ten newest the reader may see among the first rows the index gives; a reader who
-- may see few of a very frequent customer's complaints may get fewer links (the flag still
-- shows). The same customer is found by phone, else by company, each on its own index (name,
-- phone|company, received_at) read newest first: one query with both as an OR of variables
-- was sorted (3 ms instead of 0.3 ms at 1 M complaints).
--
-- SQL SECURITY INVOKER: the workers' own table grants apply (kesu-admin grants them EXECUTE
-- on this procedure). The migration splitter ends a statement at a ';' that ends a line, so
-- inside BEGIN ... END each ';' is followed by more text on its line. Nothing to backfill: no
-- table changes.

DROP PROCEDURE IF EXISTS complaint_page_more;
CREATE PROCEDURE complaint_page_more(p_number TYPE OF complaint.number, p_log INT,
    p_uid TYPE OF record_view.actor_uid, p_actor_name TYPE OF record_view.actor_name,
    p_actor_role TYPE OF record_view.actor_role, p_what TYPE OF record_view.what,
    p_addr TYPE OF record_view.client_addr, p_request_id TYPE OF record_view.request_id,
    p_all INT, p_quality INT, p_dept TYPE OF complaint_assignment.department,
    p_rep TYPE OF complaint.repeat_reason, p_name TYPE OF complaint.customer_name,
    p_phone TYPE OF complaint.customer_phone, p_company TYPE OF complaint.customer_company,
    p_part TYPE OF complaint.part_no, p_lot TYPE OF complaint.lot, p_received TYPE OF complaint.received_at)
MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
	IF p_log = 1 THEN
	    INSERT INTO record_view (at, actor_uid, actor_name, actor_role, record, what, item, client_addr, request_id)
	      VALUES (UTC_TIMESTAMP(6), p_uid, p_actor_name, p_actor_role, p_number, p_what, '', p_addr, p_request_id)
	; END IF
	; SELECT seq, at, actor_uid, actor_name, actor_role, action,
	    JSON_VALUE(before_json, '$.status'), JSON_VALUE(after_json, '$.status')
	  FROM audit_event WHERE entity = 'complaint' AND entity_id = p_number ORDER BY seq LIMIT 1000
	; IF p_rep = 'same_lot' THEN
	    SELECT number FROM complaint WHERE part_no = p_part AND lot = p_lot AND part_no <> '' AND lot <> ''
	      AND number <> p_number AND (p_all = 1 OR owner_uid = p_uid OR (p_quality = 1 AND category = 'product_quality')
	        OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = complaint.number AND a.department = p_dept)
	        OR EXISTS (SELECT 1 FROM signature s WHERE s.number = complaint.number AND s.signer_uid = p_uid))
	      ORDER BY received_at DESC LIMIT 10 ROWS EXAMINED 1000
	; ELSEIF p_rep <> '' AND p_phone <> '' THEN
	    SELECT number FROM complaint WHERE customer_name = p_name AND customer_phone = p_phone
	      AND received_at BETWEEN p_received - INTERVAL 90 DAY AND p_received + INTERVAL 90 DAY AND number <> p_number
	      AND (p_all = 1 OR owner_uid = p_uid OR (p_quality = 1 AND category = 'product_quality')
	        OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = complaint.number AND a.department = p_dept)
	        OR EXISTS (SELECT 1 FROM signature s WHERE s.number = complaint.number AND s.signer_uid = p_uid))
	      ORDER BY received_at DESC LIMIT 10 ROWS EXAMINED 1000
	; ELSEIF p_rep <> '' THEN
	    SELECT number FROM complaint WHERE customer_name = p_name AND customer_company = p_company
	      AND received_at BETWEEN p_received - INTERVAL 90 DAY AND p_received + INTERVAL 90 DAY AND number <> p_number
	      AND (p_all = 1 OR owner_uid = p_uid OR (p_quality = 1 AND category = 'product_quality')
	        OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = complaint.number AND a.department = p_dept)
	        OR EXISTS (SELECT 1 FROM signature s WHERE s.number = complaint.number AND s.signer_uid = p_uid))
	      ORDER BY received_at DESC LIMIT 10 ROWS EXAMINED 1000
	; ELSE
	    SELECT number FROM complaint LIMIT 0
	; END IF
; END;
