-- 033 (issue 10, pagefast): one complaint's page in one round trip.
--
-- Before, GET /complaints/{number} made four statements (tests/bench/pages_callgrind.sh: 4.05 a
-- request): the page row (which also proves the worker's cached session), its history, the
-- repeat flag's links and the view-log INSERT the privacy rules require. complaint_page_read
-- makes them one CALL with three result sets, read by fcgi/compose.c (STMT_PAGEFAST_COMPLAINT):
--
--   1. the page row: exactly the columns of STMT_COMPLAINT_PAGE (db_stmt.c: COMPLAINT_PAGE_COLS,
--      the complaint's columns in db.h's COMPLAINT_COLUMNS order, then the page's facts in
--      COMPLAINT_PAGE_FACTS order), then SESS_PROOF_COLS (age of the session, chain head,
--      departments' generation), then 1 when this call logged the view; no row: no complaint;
--   2. its history (as STMT_AUDIT_FOR_ENTITY);
--   3. the complaints its repeat flag refers to that the reader may see (as STMT_REPEAT_SAME_LOT
--      / _SAME_CUSTOMER), newest first, at most ten; empty when it is no repeat.
--
-- The view-log row (record_view, autocommit as before) is written only when the reader may see
-- the complaint by the rule of fcgi/access.c's complaint_may_see, which the worker applies to
-- row 1 as well: p_all / p_quality are the reader's SEES_ALL / SEES_QUALITY roles, p_signer_re
-- matches a role of the reader other than dept_head in the pending plan's signers (NULL: none),
-- and the session must be alive (the proof). Should the two ever disagree, the worker logs
-- the view itself and says so in its log (compose.c). SQL SECURITY INVOKER: the workers' own
-- table grants apply (kesu-admin grants them EXECUTE on this procedure).
--
-- Inside a routine SET STATEMENT max_statement_time has no effect (seen on 10.11), so the
-- repeat links are bounded by rows instead: the 1,000 newest complaints of the same lot or
-- customer (the index's own order), of which the ten newest the reader may see.
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line. Nothing to backfill: no table changes.

DROP PROCEDURE IF EXISTS complaint_page_read;
CREATE PROCEDURE complaint_page_read(p_number TYPE OF complaint.number, p_dept TYPE OF session.department,
    p_uid TYPE OF session.uid, p_token_hash TYPE OF session.token_hash, p_idle INT, p_all INT, p_quality INT,
    p_signer_re VARCHAR(400), p_log INT, p_actor_name TYPE OF record_view.actor_name,
    p_actor_role TYPE OF record_view.actor_role, p_what TYPE OF record_view.what,
    p_addr TYPE OF record_view.client_addr, p_request_id TYPE OF record_view.request_id)
MODIFIES SQL DATA SQL SECURITY INVOKER
BEGIN
	DECLARE v_found, v_in_dept, v_signed, v_vis, v_logged INT DEFAULT 0
	; DECLARE v_age BIGINT
	; DECLARE v_owner TYPE OF complaint.owner_uid
	; DECLARE v_cat TYPE OF complaint.category
	; DECLARE v_pending TYPE OF handling_plan.required_roles
	; DECLARE v_rep TYPE OF complaint.repeat_reason
	; DECLARE v_name TYPE OF complaint.customer_name
	; DECLARE v_phone TYPE OF complaint.customer_phone
	; DECLARE v_company TYPE OF complaint.customer_company
	; DECLARE v_part TYPE OF complaint.part_no
	; DECLARE v_lot TYPE OF complaint.lot
	; DECLARE v_received TYPE OF complaint.received_at
	; SELECT c.id IS NOT NULL, c.owner_uid, c.category,
	    EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = c.number AND a.department = p_dept),
	    EXISTS (SELECT 1 FROM signature s WHERE s.number = c.number AND s.signer_uid = p_uid),
	    (SELECT p.required_roles FROM handling_plan p WHERE p.number = c.number AND p.state = 'pending'
	        ORDER BY p.revision DESC LIMIT 1),
	    c.repeat_reason, c.customer_name, c.customer_phone, c.customer_company, c.part_no, c.lot, c.received_at
	  INTO v_found, v_owner, v_cat, v_in_dept, v_signed, v_pending, v_rep, v_name, v_phone, v_company,
	    v_part, v_lot, v_received
	  FROM (SELECT 1) one LEFT JOIN complaint c ON c.number = p_number
	; SET v_age = (SELECT TIMESTAMPDIFF(SECOND, last_seen, UTC_TIMESTAMP()) FROM session
	    WHERE token_hash = p_token_hash AND expires_at > UTC_TIMESTAMP()
	    AND last_seen > UTC_TIMESTAMP() - INTERVAL p_idle SECOND)
	-- complaint_may_see (fcgi/access.c), compared byte for byte as strcmp does
	; SET v_vis = v_found AND (p_all = 1 OR BINARY v_owner = BINARY p_uid
	    OR (p_quality = 1 AND BINARY v_cat = 'product_quality') OR (p_dept <> '' AND v_in_dept = 1)
	    OR v_signed = 1 OR (v_pending IS NOT NULL AND p_signer_re IS NOT NULL
	    AND CAST(v_pending AS BINARY) REGEXP p_signer_re))
	; IF v_vis AND p_log = 1 AND v_age IS NOT NULL THEN
	    INSERT INTO record_view (at, actor_uid, actor_name, actor_role, record, what, item, client_addr, request_id)
	      VALUES (UTC_TIMESTAMP(6), p_uid, p_actor_name, p_actor_role, p_number, p_what, '', p_addr, p_request_id)
	    ; SET v_logged = 1
	; END IF
	; SELECT id, number, status, received_at, channel, customer_name, customer_company, customer_type, customer_vip,
	    customer_phone, customer_email, customer_address, product, part_no, order_no, lot, quantity,
	    defective_quantity, delivery_date, subject_person, description, demand, urgency, category, severity,
	    respond_due, resolve_due, owner_uid, owner_name, created_by, created_at, version, repeat_reason, reply_text,
	    replied_at, satisfaction, callback_comment, callback_at,
	    v_in_dept, v_signed, v_pending,
	    (SELECT COUNT(*) FROM investigation_report x WHERE x.number = c.number),
	    (SELECT COUNT(*) FROM signature x WHERE x.number = c.number),
	    (SELECT COUNT(*) FROM handling_plan x WHERE x.number = c.number),
	    (SELECT COUNT(*) FROM attachment x WHERE x.number = c.number),
	    (SELECT COUNT(*) FROM overdue_inquiry x WHERE x.number = c.number),
	    (SELECT COALESCE(MAX(seq), 0) FROM audit_event x WHERE x.entity = 'calendar'),
	    (SELECT COUNT(*) FROM penalty x WHERE x.number = c.number),
	    (SELECT COUNT(*) FROM eightd_complaint x WHERE x.number = c.number),
	    (SELECT COUNT(*) FROM complaint_assignment x WHERE x.number = c.number),
	    v_age, (SELECT last_seq FROM audit_head WHERE id = 1),
	    (SELECT gen FROM cache_generation WHERE name = 'department'), v_logged
	  FROM complaint c WHERE c.number = p_number
	; SELECT seq, at, actor_uid, actor_name, actor_role, action,
	    JSON_VALUE(before_json, '$.status'), JSON_VALUE(after_json, '$.status')
	  FROM audit_event WHERE entity = 'complaint' AND entity_id = p_number AND v_found ORDER BY seq LIMIT 1000
	; IF v_found AND v_rep = 'same_lot' THEN
	    SELECT x.number FROM (SELECT number, received_at FROM complaint WHERE part_no = v_part AND lot = v_lot
	        AND part_no <> '' AND lot <> ''
	        AND number <> p_number ORDER BY received_at DESC LIMIT 1000) x JOIN complaint k ON k.number = x.number
	      WHERE p_all = 1 OR k.owner_uid = p_uid OR (p_quality = 1 AND k.category = 'product_quality')
	        OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = k.number AND a.department = p_dept)
	        OR EXISTS (SELECT 1 FROM signature s WHERE s.number = k.number AND s.signer_uid = p_uid)
	      ORDER BY x.received_at DESC LIMIT 10
	; ELSEIF v_found AND v_rep <> '' THEN
	    SELECT x.number FROM (SELECT number, received_at FROM complaint WHERE customer_name = v_name
	        AND received_at BETWEEN v_received - INTERVAL 90 DAY AND v_received + INTERVAL 90 DAY
	        AND number <> p_number
	        AND ((v_phone <> '' AND customer_phone = v_phone) OR (v_phone = '' AND customer_company = v_company))
	        ORDER BY received_at DESC LIMIT 1000) x JOIN complaint k ON k.number = x.number
	      WHERE p_all = 1 OR k.owner_uid = p_uid OR (p_quality = 1 AND k.category = 'product_quality')
	        OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = k.number AND a.department = p_dept)
	        OR EXISTS (SELECT 1 FROM signature s WHERE s.number = k.number AND s.signer_uid = p_uid)
	      ORDER BY x.received_at DESC LIMIT 10
	; ELSE
	    SELECT number FROM complaint LIMIT 0
	; END IF
; END;
