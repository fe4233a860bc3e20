/* db_stmt.c: the statement table — every SQL statement Kesu's workers run, by enum stmt. */
#include "db.h"

/* The complaint's columns, from the list that also names them (db.h: COMPLAINT_COLUMNS). */
#define CC_SQL(e, sql) sql
#define COMPLAINT_COLS COMPLAINT_COLUMNS(CC_SQL)

/*
 * Columns of a list row. Dates come back as they are stored (the client library writes
 * them as "YYYY-MM-DD HH:MM:SS"): formatting them on the server and parsing them again
 * in C cost the list page a tenth of its speed. Overdue is decided in C against one
 * "now" per request.
 */
#define LIST_COLS \
	"id, number, status, received_at, channel, customer_name, customer_company, " \
	"customer_phone, category, severity, customer_vip, owner_name, respond_due, resolve_due, " \
	"repeat_reason"

/*
 * The list's filters: each optional parameter is passed twice, NULL meaning "any".
 * Order: status, category, severity, channel, from, to, then q and three prefix patterns
 * (number, customer name, company), then "repeat" (any non-NULL: flagged ones only), then
 * who may see the row (docs/lifecycle.md, "Who sees a complaint"): "sees all" (1/0), the
 * reader's uid (owner), "sees product-quality complaints" (1/0), the reader's department
 * (assigned), the reader's uid again (signed something on it).
 * Prefixes, not substrings: each is a range on its own index, so MariaDB merges three index ranges instead of reading a million rows.
 */
/*
 * The statistics' drill-down filters (issue 9, docs/statistics.md), after the visibility rule,
 * each passed twice as above (LIST_FILTER_STATS_BINDS): a department counting the complaint
 * (assigned, not refused), customer type, responsibility and remedy of the plan in force,
 * response / resolution "on_time" or "late" (as the rates count them), closed from / to (UTC),
 * the customer's satisfaction score at the callback (1-5).
 */
#define LIST_FILTER_STATS \
	"AND (? IS NULL OR EXISTS (SELECT 1 FROM complaint_assignment fd WHERE fd.number = complaint.number " \
	"AND fd.department = ? AND fd.state <> 'refused')) AND (? IS NULL OR customer_type = ?) " \
	"AND (? IS NULL OR EXISTS (SELECT 1 FROM handling_plan fp WHERE fp.number = complaint.number " \
	"AND fp.state = 'approved' AND fp.responsibility = ? AND NOT EXISTS (SELECT 1 FROM handling_plan f2 " \
	"WHERE f2.number = fp.number AND f2.state = 'approved' AND f2.revision > fp.revision))) " \
	"AND (? IS NULL OR EXISTS (SELECT 1 FROM handling_plan fp JOIN plan_remedy fr ON fr.plan_id = fp.id " \
	"WHERE fp.number = complaint.number AND fp.state = 'approved' AND fr.kind = ? AND NOT EXISTS (SELECT 1 " \
	"FROM handling_plan f2 WHERE f2.number = fp.number AND f2.state = 'approved' AND f2.revision > fp.revision))) " \
	"AND (? IS NULL OR ((responded_at IS NOT NULL OR respond_due < UTC_TIMESTAMP()) " \
	"AND (? = 'on_time') = COALESCE(responded_at <= respond_due, 0))) " \
	"AND (? IS NULL OR (resolve_due IS NOT NULL AND (COALESCE(replied_at, closed_at) IS NOT NULL " \
	"OR resolve_due < UTC_TIMESTAMP()) AND (? = 'on_time') = COALESCE(COALESCE(replied_at, closed_at) <= resolve_due, 0))) " \
	"AND (? IS NULL OR closed_at >= ?) AND (? IS NULL OR closed_at < ?) " \
	"AND (? IS NULL OR satisfaction = ?)"
/* Who may see a row (docs/lifecycle.md): sees all (1/0), uid, sees product quality (1/0), department, uid. */
#define LIST_VISIBLE \
	"(? = 1 OR owner_uid = ? OR (? = 1 AND category = 'product_quality') " \
	"OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = complaint.number AND a.department = ?) " \
	"OR EXISTS (SELECT 1 FROM signature s WHERE s.number = complaint.number AND s.signer_uid = ?))"
/* The filters on the row's own columns (also the agentvis branches' filters, without the rule). */
#define LIST_FILTER_ROWS \
	"(? IS NULL OR status = ?) AND (? IS NULL OR category = ?) " \
	"AND (? IS NULL OR severity = ?) AND (? IS NULL OR channel = ?) " \
	"AND (? IS NULL OR received_at >= ?) AND (? IS NULL OR received_at < ?) " \
	"AND (? IS NULL OR number LIKE ? OR customer_name LIKE ? OR customer_company LIKE ?) " \
	"AND (? IS NULL OR repeat_reason <> '') "
#define LIST_FILTER \
	LIST_FILTER_ROWS \
	"AND " LIST_VISIBLE " " \
	LIST_FILTER_STATS

/*
 * The complaint page's row: the record, the reader's access facts, what its sections hold (CP_*),
 * FROM COMPLAINT_PAGE_READER_FROM. Issue 10 (pagefacts, sql/033): the counts and the pending
 * plan's signers come from the complaint's one complaint_facts row and the access facts from
 * complaint_reader (sql/031) by primary key, joined, instead of eleven subqueries that MariaDB
 * planned anew at every view. Bound after the select list: department, uid.
 */
#define COMPLAINT_PAGE_COLS \
	COMPLAINT_COLS ", rd.reader IS NOT NULL, ru.reader IS NOT NULL, f.pending_roles, " COMPLAINT_PAGE_COUNTS
/* The page row's facts after the access facts: what its sections hold (CP_N_REPORTS ...); a
 * complaint with nothing counted has no complaint_facts row (zeros). */
#define COMPLAINT_PAGE_COUNTS \
	"COALESCE(f.n_reports, 0), COALESCE(f.n_signatures, 0), COALESCE(f.n_plans, 0), " \
	"COALESCE(f.n_attachments, 0), COALESCE(f.n_inquiries, 0), " \
	"(SELECT gen FROM cache_generation WHERE name = 'calendar'), " \
	"COALESCE(f.n_penalties, 0), COALESCE(f.n_8ds, 0), COALESCE(f.n_assignments, 0)"
#define COMPLAINT_PAGE_FROM "complaint c LEFT JOIN complaint_facts f ON f.complaint_number = c.number"
#define COMPLAINT_PAGE_READER_FROM \
	COMPLAINT_PAGE_FROM " LEFT JOIN complaint_reader rd ON rd.reader = CONCAT('d:', ?) AND rd.complaint_id = c.id " \
	"LEFT JOIN complaint_reader ru ON ru.reader = CONCAT('u:', ?) AND ru.complaint_id = c.id"

/*
 * The generations a page's session proof reads in one column, "DEPT REC": the departments'
 * (sql/030: view.c's cache; strtoull reads it first) and the record's, record_gen's total
 * (sql/035: res_cache.h), which any change of complaint, complaint_facts, complaint_reader or
 * the calendar moves, audited or not. One subquery of two primary-key reads: about 15 µs of
 * mariadbd's CPU more than the departments' alone (an aggregate over both generations' rows
 * with IF() cost 70, docs/performance.md).
 */
#define GENS_COL \
	"(SELECT CONCAT(gen, ' ', (SELECT COALESCE(SUM(n), 0) FROM record_gen)) FROM cache_generation " \
	"WHERE name = 'department')"

static const char *const stmts[STMT__MAX] = {
	[STMT_NOW_UTC] = "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')",

	[STMT_SESSION_INSERT] =
	    "INSERT INTO session (token_hash, uid, dn, display_name, department, roles, csrf_token, "
	    "created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), "
	    "UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL ? SECOND)",
	/* A session is alive while neither its absolute nor its idle limit has passed. */
	/* The chain head's seq rides along: every audited change moves it (waiting.c's cache); so
	 * does the departments' generation (sql/030: view.c's cache). */
	[STMT_SESSION_GET] =
	    "SELECT uid, dn, display_name, department, roles, csrf_token, "
	    "TIMESTAMPDIFF(SECOND, last_seen, UTC_TIMESTAMP()), "
	    "(SELECT last_seq FROM audit_head WHERE id = 1), "
	    GENS_COL " FROM session "
	    "WHERE token_hash = ? AND expires_at > UTC_TIMESTAMP() "
	    "AND last_seen > UTC_TIMESTAMP() - INTERVAL ? SECOND",
	[STMT_SESSION_TOUCH] = "UPDATE session SET last_seen = UTC_TIMESTAMP() WHERE token_hash = ?",
	[STMT_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?",
	[STMT_SESSION_PURGE] =
	    "DELETE FROM session WHERE expires_at < UTC_TIMESTAMP() "
	    "OR last_seen < UTC_TIMESTAMP() - INTERVAL ? SECOND LIMIT 1000",

	/* failures, seconds since the last one, seconds left of a lock (0: none) */
	[STMT_LOGIN_FAIL_GET] =
	    "SELECT failures, TIMESTAMPDIFF(SECOND, last_at, UTC_TIMESTAMP()), "
	    "IF(locked_until > UTC_TIMESTAMP(), TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), locked_until) + 1, 0) "
	    "FROM login_failure WHERE throttle_key = ?",
	/*
	 * Count one more failure: restart the count when the last one is older than the
	 * window (param 2), lock for param 4 seconds once the count reaches param 3.
	 * MariaDB evaluates the assignments left to right, each seeing the ones before.
	 */
	[STMT_LOGIN_FAIL_UPSERT] =
	    "INSERT INTO login_failure (throttle_key, failures, last_at, locked_until) "
	    "VALUES (?, 1, UTC_TIMESTAMP(), NULL) ON DUPLICATE KEY UPDATE "
	    "failures = IF(last_at < UTC_TIMESTAMP() - INTERVAL ? SECOND, 1, failures + 1), "
	    "locked_until = IF(failures >= ?, UTC_TIMESTAMP() + INTERVAL ? SECOND, NULL), "
	    "last_at = UTC_TIMESTAMP()",
	[STMT_LOGIN_FAIL_CLEAR] = "DELETE FROM login_failure WHERE throttle_key = ?",

	[STMT_AUDIT_HEAD_LOCK] = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE",
	[STMT_AUDIT_INSERT] =
	    "INSERT INTO audit_event (seq, at, actor_uid, actor_name, actor_role, entity, entity_id, "
	    "action, before_json, after_json, request_id, client_addr, prev_hash, hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	/* The history shown on a record's page: who did what when (the values stay in the trail). */
	/* 6, 7: the status before and after, where the event changed it (the page's clocks). */
	[STMT_AUDIT_FOR_ENTITY] =
	    "SELECT seq, at, actor_uid, actor_name, actor_role, action, "
	    "JSON_VALUE(before_json, '$.status'), JSON_VALUE(after_json, '$.status') "
	    "FROM audit_event WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT 1000",
	/* The chain in order, a page at a time, for kesu-admin audit verify. */
	[STMT_AUDIT_SCAN] =
	    "SELECT seq, at, actor_uid, actor_name, actor_role, entity, entity_id, action, "
	    "before_json, after_json, request_id, client_addr, prev_hash, hash "
	    "FROM audit_event WHERE seq > ? ORDER BY seq LIMIT 1000",
	/* The head as it stands, without a lock (kesu-admin audit verify). */
	[STMT_AUDIT_HEAD_GET] = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1",

	[STMT_SEVERITY_GET] =
	    "SELECT respond_minutes, resolve_minutes FROM severity_level WHERE level = ?",
	[STMT_SEVERITY_LIST] =
	    "SELECT level, respond_minutes, resolve_minutes FROM severity_level ORDER BY level",
	/* The row stays locked until the registering transaction ends: numbers have no gaps. */
	[STMT_COMPLAINT_SEQ_NEXT] =
	    "INSERT INTO complaint_seq (year, last_seq) VALUES (?, LAST_INSERT_ID(1)) "
	    "ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + 1)",
	/* The year's number row and the chain's head, both locked to COMMIT in one round trip; the
	 * complaint's INSERT moves the number row (trigger complaint_insert, sql/039 and 040). */
	[STMT_COMPLAINT_SEQ_HEAD] =
	    "SELECT s.last_seq, h.last_seq, h.last_hash FROM complaint_seq s JOIN audit_head h ON h.id = 1 "
	    "WHERE s.year = ? FOR UPDATE",
	[STMT_LAST_INSERT_ID] = "SELECT LAST_INSERT_ID()",
	[STMT_COMPLAINT_COUNT] = "SELECT COUNT(*) FROM complaint",
	[STMT_COMPLAINT_INSERT] =
	    "INSERT INTO complaint (number, year, seq, status, received_at, channel, customer_name, "
	    "customer_company, customer_type, customer_vip, customer_phone, customer_email, "
	    "customer_address, product, part_no, order_no, lot, quantity, defective_quantity, "
	    "delivery_date, subject_person, description, demand, urgency, category, severity, "
	    "respond_due, resolve_due, owner_uid, owner_name, created_by, repeat_reason, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
	/* The same customer within 90 days, by phone when one was given, else by company: the
	 * newest earlier complaint (number, repeat_reason), or none. Each on an index that starts with
	 * both (019), read backwards from the new complaint's time: one entry, however often the
	 * customer complained (issue 10: the cost stays flat up to a million). The index is named:
	 * left to choose, the optimizer took complaint_customer (name, received_at) on the 1 M bench,
	 * where one name has 220,000 complaints (estimated 425,502 rows, read until the phone
	 * matched), and weighed the three indexes at every registration (~60 µs of CPU more). */
	[STMT_REPEAT_BY_PHONE] =
	    "SELECT number, repeat_reason FROM complaint FORCE INDEX (complaint_customer_phone_links) "
	    "WHERE customer_name = ? AND customer_phone = ? "
	    "AND received_at >= ? - INTERVAL 90 DAY AND received_at <= ? ORDER BY received_at DESC, id DESC LIMIT 1",
	[STMT_REPEAT_BY_COMPANY] =
	    "SELECT number, repeat_reason FROM complaint FORCE INDEX (complaint_customer_company_links) "
	    "WHERE customer_name = ? AND customer_company = ? "
	    "AND received_at >= ? - INTERVAL 90 DAY AND received_at <= ? ORDER BY received_at DESC, id DESC LIMIT 1",
	/* Another customer who complained about the same part number and lot: the first name
	 * after ? other than the new complaint's own, with the newest complaint of theirs on the lot
	 * (name, number, repeat_reason). Asked once per customer wanted (REPEAT_LOT_OTHERS in
	 * complaint.h), each a step on complaint_part_lot (part_no, lot, customer_name, id) that
	 * reads one entry however many complaints the lot has (ANALYZE at 1 M: r_rows 1 at every
	 * step; a DISTINCT ... LIMIT 2 read every complaint of the first names, 82 on the bench's
	 * lots, growing with the table). */
	[STMT_REPEAT_LOT] =
	    "SELECT l.customer_name, n.number, n.repeat_reason FROM (SELECT customer_name FROM complaint "
	    "WHERE part_no = ? AND lot = ? AND customer_name > ? AND customer_name <> ? ORDER BY customer_name LIMIT 1) l "
	    "JOIN complaint n ON n.id = (SELECT c2.id FROM complaint c2 WHERE c2.part_no = ? AND c2.lot = ? "
	    "AND c2.customer_name = l.customer_name ORDER BY c2.id DESC LIMIT 1)",
	[STMT_COMPLAINT_GET] = "SELECT " COMPLAINT_COLS " FROM complaint WHERE number = ?",
	/* Newest first, 51 rows: the 51st only tells that there is a next page. */
	/*
	 * A filter that matches very many rows makes the index merge read them all: the list
	 * gives up after 3 s (error 1969) and asks for a narrower search, rather than tying up
	 * a worker.
	 */
	[STMT_COMPLAINT_LIST] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY received_at DESC, id DESC LIMIT 51",
	/* The next page after the cursor (received_at, id) of the last row shown. */
	[STMT_COMPLAINT_LIST_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (received_at < ? OR (received_at = ? AND id < ?))"
	    " ORDER BY received_at DESC, id DESC LIMIT 51",
	/* A lifecycle step: the row is locked, its version compared, then moved on. */
	[STMT_COMPLAINT_LOCK] =
	    "SELECT status, version, owner_uid, category FROM complaint WHERE number = ? FOR UPDATE",
	[STMT_COMPLAINT_SET_STATUS] =
	    "UPDATE complaint SET status = ?, version = version + 1, updated_at = UTC_TIMESTAMP() "
	    "WHERE number = ? AND version = ?",

	[STMT_DEPARTMENT_LIST] =
	    "SELECT code, name_zh, name_en FROM department WHERE active = 1 ORDER BY sort, code",
	[STMT_ASSIGNMENT_UPSERT] =
	    "INSERT INTO complaint_assignment (number, department, state, assigned_by, assigned_at) "
	    "VALUES (?, ?, 'pending', ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE state = 'pending', "
	    "assigned_by = VALUES(assigned_by), assigned_at = UTC_TIMESTAMP(), decided_by = NULL, "
	    "decided_at = NULL, reason = NULL",
	[STMT_ASSIGNMENT_LIST] =
	    "SELECT " ASSIGNMENT_COLUMNS(CC_SQL) " FROM complaint_assignment a "
	    "JOIN department d ON d.code = a.department WHERE a.number = ? ORDER BY d.sort, d.code",
	/* Only a pending assignment is decided: a second click changes nothing (0 rows). */
	[STMT_ASSIGNMENT_DECIDE] =
	    "UPDATE complaint_assignment SET state = ?, decided_by = ?, decided_at = UTC_TIMESTAMP(), "
	    "reason = ? WHERE number = ? AND department = ? AND state = 'pending'",
	/* pending, accepted */
	[STMT_ASSIGNMENT_OPEN] =
	    "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'accepted'), 0) "
	    "FROM complaint_assignment WHERE number = ?",

	/* "My work": each list on its own index, newest first, at most 100 rows. */
#define WORK_COLS "c.number, c.status, c.received_at, c.customer_name, c.severity, " \
	"c.respond_due, c.resolve_due, c.owner_name"
	/* The owner's cases that wait for the owner (the customer's word, reply, callback, close);
	 * the others wait for someone else and are followed on the list. */
	[STMT_WORK_OWNED] =
	    "SELECT " WORK_COLS " FROM complaint c WHERE c.owner_uid = ? AND c.status IN "
	    "('not_substantiated', 'approved', 'replied', 'callback_done') "
	    "ORDER BY c.received_at DESC LIMIT 100",
	[STMT_WORK_BY_STATUS] =
	    "SELECT " WORK_COLS " FROM complaint c WHERE c.status = ? "
	    "ORDER BY c.received_at DESC, c.id DESC LIMIT 100",
	[STMT_WORK_ASSIGNMENTS] =
	    "SELECT " WORK_COLS " FROM complaint_assignment a JOIN complaint c ON c.number = a.number "
	    "WHERE a.department = ? AND a.state = 'pending' ORDER BY c.received_at DESC LIMIT 100",
	/* Reports that the department must write (none, draft, returned) or sign (submitted). */
	[STMT_WORK_REPORTS] =
	    "SELECT " WORK_COLS ", COALESCE(r.state, '') FROM complaint_assignment a "
	    "JOIN complaint c ON c.number = a.number LEFT JOIN investigation_report r "
	    "ON r.number = a.number AND r.department = a.department "
	    "WHERE a.department = ? AND a.state = 'accepted' AND c.status = 'investigating' "
	    "AND (r.id IS NULL OR r.state <> 'signed') ORDER BY c.received_at DESC LIMIT 100",
	/* Plans waiting for signatures, with the roles that approved the current revision; the
	 * page keeps those whose next signer is the reader. */
	[STMT_WORK_PLANS] =
	    "SELECT " WORK_COLS ", p.required_roles, p.proposer_uid, "
	    "(SELECT COALESCE(GROUP_CONCAT(s.role), '') FROM signature s WHERE s.entity = 'handling_plan' "
	    "AND s.entity_id = p.id AND s.revision = p.revision AND s.decision = 'approve') "
	    "FROM handling_plan p JOIN complaint c ON c.number = p.number "
	    "WHERE p.state = 'pending' AND c.status = 'plan_proposed' AND ? <> '' "
	    "ORDER BY c.received_at DESC LIMIT 200",
#undef WORK_COLS

	/* Who may see a complaint (page_complaints.c, complaint_access()). */
	[STMT_COMPLAINT_ACCESS] =
	    "SELECT c.owner_uid, c.category, "
	    "EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = c.number AND a.department = ?), "
	    "EXISTS (SELECT 1 FROM signature s WHERE s.number = c.number AND s.signer_uid = ?), "
	    "(SELECT p.required_roles FROM handling_plan p WHERE p.number = c.number AND p.state = 'pending' "
	    "ORDER BY p.revision DESC LIMIT 1) FROM complaint c WHERE c.number = ?",
	/*
	 * The complaint's page in one round trip: the record (COMPLAINT_COLS), then the facts that
	 * db.h's COMPLAINT_PAGE_FACTS names in this order: who may see it as STMT_COMPLAINT_ACCESS
	 * (assigned to the reader's department, signed by the reader, the pending plan's signers),
	 * how many reports, signatures, plans, attachments and inquiries it has (the page skips the
	 * queries that would find nothing), the calendar's generation (cache_generation's
	 * 'calendar' row, sql/033; calendar_get()), and how many penalties and 8D reports it has.
	 */
	[STMT_COMPLAINT_PAGE] = "SELECT " COMPLAINT_PAGE_COLS " FROM " COMPLAINT_PAGE_READER_FROM " WHERE c.number = ?",
	[STMT_COMPLAINT_SET_REPLY] =
	    "UPDATE complaint SET reply_text = ?, replied_at = UTC_TIMESTAMP() WHERE number = ?",
	[STMT_COMPLAINT_SET_CALLBACK] =
	    "UPDATE complaint SET satisfaction = ?, callback_comment = ?, callback_at = UTC_TIMESTAMP() "
	    "WHERE number = ?",

	[STMT_COMPLAINT_SET_OWNER] =
	    "UPDATE complaint SET owner_uid = ?, owner_name = ?, version = version + 1, "
	    "updated_at = UTC_TIMESTAMP() WHERE number = ? AND version = ?",

	/* ---- reports, plans, signatures (004) ---- */
	[STMT_AUTHORITY_RULES] =
	    "SELECT id, action, min_amount_fen, max_amount_fen, severity, roles FROM authority_rule "
	    "WHERE action = ? ORDER BY id",
	[STMT_AUTHORITY_ALL] =
	    "SELECT id, action, min_amount_fen, max_amount_fen, severity, roles FROM authority_rule "
	    "ORDER BY action, severity, COALESCE(min_amount_fen, -1), id",
	[STMT_AUTHORITY_GET] =
	    "SELECT id, action, min_amount_fen, max_amount_fen, severity, roles FROM authority_rule "
	    "WHERE id = ? FOR UPDATE",
	[STMT_AUTHORITY_INSERT] =
	    "INSERT INTO authority_rule (action, min_amount_fen, max_amount_fen, severity, roles) "
	    "VALUES (?, ?, ?, ?, ?)",
	[STMT_AUTHORITY_DELETE] = "DELETE FROM authority_rule WHERE id = ?",
#define REPORT_TEXTS "cause, course, responsible, conclusion, countermeasures, preventive"
	[STMT_REPORT_LIST] =
	    "SELECT id, department, state, revision, " REPORT_TEXTS ", author_uid, author_name, "
	    "updated_at, content_hash FROM investigation_report WHERE number = ? ORDER BY department",
	[STMT_REPORT_LOCK] =
	    "SELECT id, state, revision, author_uid, content_hash FROM investigation_report "
	    "WHERE number = ? AND department = ? FOR UPDATE",
	[STMT_REPORT_INSERT] =
	    "INSERT INTO investigation_report (number, department, state, revision, " REPORT_TEXTS ", "
	    "author_uid, author_name, updated_at, content_hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?)",
	[STMT_REPORT_UPDATE] =
	    "UPDATE investigation_report SET state = ?, revision = ?, cause = ?, course = ?, "
	    "responsible = ?, conclusion = ?, countermeasures = ?, preventive = ?, author_uid = ?, "
	    "author_name = ?, updated_at = UTC_TIMESTAMP(), content_hash = ? WHERE id = ? AND revision = ?",
#undef REPORT_TEXTS
	[STMT_REPORT_SET_STATE] = "UPDATE investigation_report SET state = ? WHERE id = ?",
	/* Accepted departments without a signed report: a plan waits for them. */
	[STMT_REPORT_UNSIGNED] =
	    "SELECT COUNT(*) FROM complaint_assignment a LEFT JOIN investigation_report r "
	    "ON r.number = a.number AND r.department = a.department AND r.state = 'signed' "
	    "WHERE a.number = ? AND a.state = 'accepted' AND r.id IS NULL",
	[STMT_SIGNATURE_INSERT] =
	    "INSERT INTO signature (number, entity, entity_id, revision, signer_uid, signer_name, role, "
	    "decision, meaning, comment, content_hash, signed_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
	[STMT_SIGNATURE_LIST] =
	    "SELECT " SIGNATURE_COLUMNS(CC_SQL) " FROM signature WHERE number = ? ORDER BY id",
	/* The roles that approved one revision of an entity. */
	[STMT_SIGNATURE_ROLES] =
	    "SELECT role FROM signature WHERE entity = ? AND entity_id = ? AND revision = ? "
	    "AND decision = 'approve'",
	[STMT_PLAN_LIST] =
	    "SELECT id, revision, state, responsibility, company_share_pct, loss_fen, amount_fen, "
	    "explanation, required_roles, proposer_uid, proposer_name, proposer_role, proposed_at, "
	    "content_hash, rule_ids FROM handling_plan WHERE number = ? ORDER BY revision DESC",
	[STMT_PLAN_LOCK_CURRENT] =
	    "SELECT id, revision, state, required_roles, proposer_uid, content_hash FROM handling_plan "
	    "WHERE number = ? ORDER BY revision DESC LIMIT 1 FOR UPDATE",
	[STMT_PLAN_NEXT_REVISION] =
	    "SELECT COALESCE(MAX(revision), 0) + 1 FROM handling_plan WHERE number = ?",
	[STMT_PLAN_INSERT] =
	    "INSERT INTO handling_plan (number, revision, state, responsibility, company_share_pct, "
	    "loss_fen, amount_fen, explanation, required_roles, proposer_uid, proposer_name, "
	    "proposer_role, proposed_at, content_hash) "
	    "VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?)",
	[STMT_PLAN_SET_STATE] = "UPDATE handling_plan SET state = ? WHERE id = ?",
	[STMT_REMEDY_INSERT] =
	    "INSERT INTO plan_remedy (plan_id, line, kind, amount_fen, quantity, note) "
	    "VALUES (?, ?, ?, ?, ?, ?)",
	[STMT_REMEDY_LIST] =
	    "SELECT r.plan_id, r.line, r.kind, r.amount_fen, r.quantity, r.note FROM plan_remedy r "
	    "JOIN handling_plan p ON p.id = r.plan_id WHERE p.number = ? ORDER BY r.plan_id, r.line",

	/* ---- attachments (006) ---- */
	[STMT_ATTACHMENT_INSERT] =
	    "INSERT INTO attachment (number, entity, department, sha256, size, content_type, filename, "
	    "uploaded_by, uploaded_name, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())",
	[STMT_ATTACHMENT_LIST] =
	    "SELECT id, entity, department, sha256, size, content_type, filename, uploaded_name, uploaded_at "
	    "FROM attachment WHERE number = ? ORDER BY id",
	[STMT_ATTACHMENT_GET] =
	    "SELECT number, sha256, content_type, filename, size FROM attachment WHERE id = ?",

	/* ---- penalties, finance (007) ---- */
#define PENALTY_COLS "id, number, target_kind, target_department, target_uid, target_name, kind, " \
	"amount_fen, reason, rule_applied, state, version, proposer_uid, proposer_name, proposer_role, " \
	"proposed_at, decided_at, executed_at, executed_by, appeal_reason, appealed_by, appealed_at, content_hash, " \
	"required_roles, rule_ids"
	[STMT_PENALTY_INSERT] =
	    "INSERT INTO penalty (number, target_kind, target_department, target_uid, target_name, kind, "
	    "amount_fen, reason, rule_applied, state, proposer_uid, proposer_name, proposer_role, "
	    "proposed_at, content_hash, required_roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?, "
	    "UTC_TIMESTAMP(), ?, ?)",
	[STMT_PENALTY_GET] = "SELECT " PENALTY_COLS " FROM penalty WHERE id = ?",
	[STMT_PENALTY_LOCK] = "SELECT " PENALTY_COLS " FROM penalty WHERE id = ? FOR UPDATE",
	/* approve, reject, uphold, revoke: the new state; decided_at is the first decision's time */
	[STMT_PENALTY_DECIDE] =
	    "UPDATE penalty SET state = ?, decided_at = COALESCE(decided_at, UTC_TIMESTAMP()), "
	    "version = version + 1 WHERE id = ? AND version = ?",
	[STMT_PENALTY_EXECUTE] =
	    "UPDATE penalty SET executed_at = UTC_TIMESTAMP(), executed_by = ?, version = version + 1 "
	    "WHERE id = ? AND version = ? AND executed_at IS NULL",
	[STMT_PENALTY_APPEAL] =
	    "UPDATE penalty SET state = 'appealed', appeal_reason = ?, appealed_by = ?, "
	    "appealed_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ? AND version = ?",
	[STMT_PENALTY_FOR_COMPLAINT] = "SELECT " PENALTY_COLS " FROM penalty WHERE number = ? ORDER BY id",
	/*
	 * The penalties a reader may see, newest first, 51 rows (the 51st says there is more):
	 * filters state and kind (NULL: any); then "sees all" (1/0: GM, deputy GM, auditor), the
	 * reader's uid (proposer), and for penalties in force: the uid again (target), "is a
	 * department head" (1/0) and their department, their department again (a penalty on the
	 * department as a whole), "finance" (1/0: money), "HR" (1/0: the rest).
	 */
#define PENALTY_VISIBLE \
	"(? IS NULL OR state = ?) AND (? IS NULL OR kind = ?) AND (? = 1 OR proposer_uid = ? " \
	"OR (state IN ('approved', 'appealed', 'revoked') AND (target_uid = ? " \
	"OR (? = 1 AND target_department = ?) OR (target_kind = 'department' AND target_department = ?) " \
	"OR (? = 1 AND kind IN ('fine', 'bonus_deduction')) OR (? = 1 AND kind NOT IN ('fine', 'bonus_deduction')))))"
	[STMT_PENALTY_LIST] =
	    "SELECT " PENALTY_COLS " FROM penalty WHERE " PENALTY_VISIBLE " ORDER BY id DESC LIMIT 51",
	[STMT_PENALTY_LIST_AFTER] =
	    "SELECT " PENALTY_COLS " FROM penalty WHERE " PENALTY_VISIBLE " AND id < ? ORDER BY id DESC LIMIT 51",
#undef PENALTY_VISIBLE
	/* What waits: in a state (proposed, approved, appealed), not executed when approved. */
	[STMT_PENALTY_WORK] =
	    "SELECT " PENALTY_COLS " FROM penalty WHERE state = ? AND (? = 0 OR executed_at IS NULL) "
	    "ORDER BY id LIMIT 200",
#undef PENALTY_COLS
	/* Finance: the money and goods of approved plans, line by line, newest plan first. */
#define FINANCE_REMEDY_COLS "r.plan_id, r.line, r.kind, r.amount_fen, r.quantity, r.note, p.number, " \
	"p.revision, c.customer_name, c.customer_company, r.executed_at, r.executed_name, r.executed_note"
#define FINANCE_REMEDY_FROM " FROM plan_remedy r JOIN handling_plan p ON p.id = r.plan_id " \
	"AND p.state = 'approved' JOIN complaint c ON c.number = p.number " \
	"WHERE r.kind IN ('compensation', 'discount', 'return') AND (? = 0 OR r.executed_at IS NULL) "
	[STMT_FINANCE_REMEDIES] =
	    "SELECT " FINANCE_REMEDY_COLS FINANCE_REMEDY_FROM "ORDER BY r.plan_id DESC, r.line LIMIT 201",
	[STMT_FINANCE_REMEDIES_AFTER] =
	    "SELECT " FINANCE_REMEDY_COLS FINANCE_REMEDY_FROM "AND r.plan_id < ? "
	    "ORDER BY r.plan_id DESC, r.line LIMIT 201",
#undef FINANCE_REMEDY_COLS
#undef FINANCE_REMEDY_FROM
	[STMT_REMEDY_LOCK] =
	    "SELECT r.kind, r.executed_at, p.state, p.number, r.amount_fen, r.quantity FROM plan_remedy r "
	    "JOIN handling_plan p ON p.id = r.plan_id WHERE r.plan_id = ? AND r.line = ? FOR UPDATE",
	[STMT_REMEDY_EXECUTE] =
	    "UPDATE plan_remedy SET executed_at = UTC_TIMESTAMP(), executed_by = ?, executed_name = ?, "
	    "executed_note = ? WHERE plan_id = ? AND line = ? AND executed_at IS NULL",
	/* ---- calendar, clocks and sweep (005) ---- */
#define WEEK_COLS "weekday, span1_from, span1_to, span2_from, span2_to"
	[STMT_CALENDAR_WEEK] = "SELECT " WEEK_COLS " FROM calendar_week ORDER BY weekday",
	[STMT_CALENDAR_WEEK_LOCK] = "SELECT " WEEK_COLS " FROM calendar_week ORDER BY weekday FOR UPDATE",
#undef WEEK_COLS
	/* Minutes as decimal text, NULL for "no span". */
	[STMT_CALENDAR_WEEK_SET] =
	    "INSERT INTO calendar_week (weekday, span1_from, span1_to, span2_from, span2_to) "
	    "VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE span1_from = VALUES(span1_from), "
	    "span1_to = VALUES(span1_to), span2_from = VALUES(span2_from), span2_to = VALUES(span2_to)",
	/* Ordered by day: the loader's date lists must be ascending. */
	[STMT_CALENDAR_EXCEPTIONS] =
	    "SELECT DATE_FORMAT(day, '%Y%m%d'), kind, name, created_by FROM calendar_exception ORDER BY day",
	[STMT_CALENDAR_EXCEPTION_LOCK] =
	    "SELECT kind, name, created_by FROM calendar_exception WHERE day = ? FOR UPDATE",
	[STMT_CALENDAR_EXCEPTION_ADD] =
	    "INSERT INTO calendar_exception (day, kind, name, created_by, created_at) "
	    "VALUES (?, ?, ?, ?, UTC_TIMESTAMP())",
	[STMT_CALENDAR_EXCEPTION_DELETE] = "DELETE FROM calendar_exception WHERE day = ?",

	/* What a complaint's clocks need (fcgi/clock.c); replied_at comes with migration 004. */
#define CLOCK_COLS "status, severity, received_at, respond_due, resolve_due, replied_at, owner_uid"
	[STMT_CLOCK_COMPLAINT] = "SELECT " CLOCK_COLS " FROM complaint WHERE number = ?",
	[STMT_CLOCK_COMPLAINT_LOCK] = "SELECT " CLOCK_COLS " FROM complaint WHERE number = ? FOR UPDATE",
#undef CLOCK_COLS
	/* The status history: every audit event of the complaint whose after-image has a status. */
	[STMT_CLOCK_STATUS_CHANGES] =
	    "SELECT at, JSON_VALUE(before_json, '$.status'), JSON_VALUE(after_json, '$.status') "
	    "FROM audit_event WHERE entity = 'complaint' AND entity_id = ? "
	    "AND JSON_VALUE(after_json, '$.status') IS NOT NULL ORDER BY seq LIMIT 1000",
	/* department, state, assigned_at, decided_at, whether its investigation report (004) is signed */
	[STMT_CLOCK_ASSIGNMENTS] =
	    "SELECT a.department, a.state, a.assigned_at, a.decided_at, EXISTS (SELECT 1 FROM "
	    "investigation_report r WHERE r.number = a.number AND r.department = a.department "
	    "AND r.state = 'signed') FROM complaint_assignment a WHERE a.number = ? ORDER BY a.department",
	/*
	 * The open complaints the sweep must look at now (sql/036: sweep_due, kept by triggers
	 * and by the sweep itself), oldest due first, 20,000 a run: one range of an index.
	 */
	[STMT_SWEEP_OPEN_CANDIDATES] =
	    "SELECT number FROM sweep_due WHERE due <= UTC_TIMESTAMP() ORDER BY due, number LIMIT 20000",
	/* Inside the sweep's transaction for one complaint, after its row (clock_load) is locked. */
	[STMT_SWEEP_DUE_LOCK] = "SELECT due FROM sweep_due WHERE number = ? FOR UPDATE",
	[STMT_SWEEP_DUE_SET] =
	    "INSERT INTO sweep_due (number, due) VALUES (?, ?) ON DUPLICATE KEY UPDATE due = VALUES(due)",
	[STMT_SWEEP_DUE_DROP] = "DELETE FROM sweep_due WHERE number = ?",
	/*
	 * Complaints closed in the last 14 days without an inquiry that may have overrun a
	 * deadline: a reminder was issued, the first answer came after respond_due, the close
	 * after resolve_due, the callback late, or a department decided or reported late.
	 */
	[STMT_SWEEP_CLOSED_CANDIDATES] =
	    "SELECT c.number FROM complaint c WHERE c.status = 'closed' "
	    "AND c.updated_at >= UTC_TIMESTAMP() - INTERVAL 14 DAY "
	    "AND NOT EXISTS (SELECT 1 FROM overdue_inquiry q WHERE q.number = c.number) AND ("
	    "EXISTS (SELECT 1 FROM reminder m WHERE m.number = c.number) "
	    "OR c.resolve_due < c.updated_at "
	    "OR c.replied_at < c.updated_at - INTERVAL 7 DAY "
	    "OR EXISTS (SELECT 1 FROM audit_event e WHERE e.entity = 'complaint' AND e.entity_id = c.number "
	    "AND e.action IN ('triage_substantiated', 'triage_not_substantiated', 'answer_grumble') "
	    "AND e.at > c.respond_due) "
	    "OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = c.number AND "
	    "(a.state = 'pending' OR a.decided_at > a.assigned_at + INTERVAL 1 DAY "
	    "OR (a.state = 'accepted' AND a.decided_at < c.updated_at - INTERVAL 2 DAY "
	    "AND NOT EXISTS (SELECT 1 FROM investigation_report r WHERE r.number = a.number "
	    "AND r.department = a.department AND r.state = 'signed'))))) "
	    "ORDER BY c.number LIMIT 20000",
	/* Issued once: a second sweep finds the row and changes nothing (0 rows affected). */
	[STMT_REMINDER_ISSUE] =
	    "INSERT INTO reminder (number, kind, step, department, addressee_type, addressee, deadline, "
	    "issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE id = id",
	[STMT_REMINDER_FOR_COMPLAINT] =
	    "SELECT kind, step, department, addressee_type, addressee, deadline, issued_at "
	    "FROM reminder WHERE number = ? ORDER BY issued_at, id LIMIT 200",
	/* "My work": reminders to one addressee (a uid, a role, a department) on open complaints. */
	[STMT_REMINDER_FOR_ADDRESSEE] =
	    "SELECT r.number, r.kind, r.step, r.department, r.deadline, r.issued_at, c.status, "
	    "c.customer_name, c.severity, r.id FROM reminder r JOIN complaint c ON c.number = r.number "
	    "WHERE r.addressee_type = ? AND r.addressee = ? AND c.status <> 'closed' "
	    "AND r.acked_at IS NULL ORDER BY r.issued_at DESC, r.id DESC LIMIT 100",
	[STMT_INQUIRY_ISSUE] =
	    "INSERT INTO overdue_inquiry (number, department, addressee_type, addressee, steps, issued_at) "
	    "VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE id = id",
	[STMT_INQUIRY_OPEN_FOR_ADDRESSEE] =
	    "SELECT q.id, q.number, q.department, q.steps, q.issued_at, c.customer_name, c.severity "
	    "FROM overdue_inquiry q JOIN complaint c ON c.number = q.number "
	    "WHERE q.addressee_type = ? AND q.addressee = ? AND q.answered_at IS NULL "
	    "ORDER BY q.issued_at DESC, q.id DESC LIMIT 100",
	[STMT_INQUIRY_FOR_COMPLAINT] =
	    "SELECT id, department, steps, issued_at, answered_by_name, answered_at "
	    "FROM overdue_inquiry WHERE number = ? ORDER BY id",
#define INQUIRY_COLS "id, number, department, addressee_type, addressee, steps, issued_at, answer, " \
	"answered_by, answered_by_name, answered_at"
	[STMT_INQUIRY_GET] = "SELECT " INQUIRY_COLS " FROM overdue_inquiry WHERE id = ?",
	[STMT_INQUIRY_LOCK] = "SELECT " INQUIRY_COLS " FROM overdue_inquiry WHERE id = ? FOR UPDATE",
#undef INQUIRY_COLS
	/* Answered once: a second answer changes nothing (0 rows). */
	[STMT_INQUIRY_ANSWER] =
	    "UPDATE overdue_inquiry SET answer = ?, answered_by = ?, answered_by_name = ?, "
	    "answered_at = UTC_TIMESTAMP() WHERE id = ? AND answered_at IS NULL",
	/* ---- 8D reports (008) ---- */
	/* The deadlines from now (D3 in hours, the rest in natural days) and from the day the
	 * defective part arrived (the initial analysis); a NULL arrival counts from now. */
	[STMT_8D_INSERT] =
	    "INSERT INTO eightd (number, title, owner_uid, owner_name, opened_at, part_received_at, "
	    "d3_due, d4_due, d7_due, d8_due) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(), "
	    "COALESCE(?, UTC_TIMESTAMP()), UTC_TIMESTAMP() + INTERVAL ? HOUR, "
	    "COALESCE(?, UTC_TIMESTAMP()) + INTERVAL ? DAY, UTC_TIMESTAMP() + INTERVAL ? DAY, "
	    "UTC_TIMESTAMP() + INTERVAL ? DAY)",
#define EIGHTD_COLS EIGHTD_COLUMNS(CC_SQL)
	[STMT_8D_GET] = "SELECT " EIGHTD_COLS " FROM eightd WHERE id = ?",
	[STMT_8D_LOCK] = "SELECT " EIGHTD_COLS " FROM eightd WHERE id = ? FOR UPDATE",
#undef EIGHTD_COLS
	/* A part's clock stops the first time it is complete: later saves do not move it. */
	[STMT_8D_SET_DONE] =
	    "UPDATE eightd SET d3_done_at = COALESCE(d3_done_at, IF(? = 1, UTC_TIMESTAMP(), NULL)), "
	    "d4_done_at = COALESCE(d4_done_at, IF(? = 1, UTC_TIMESTAMP(), NULL)), "
	    "d7_done_at = COALESCE(d7_done_at, IF(? = 1, UTC_TIMESTAMP(), NULL)), "
	    "d8_done_at = COALESCE(d8_done_at, IF(? = 1, UTC_TIMESTAMP(), NULL)) WHERE id = ?",
	[STMT_8D_LINK] =
	    "INSERT INTO eightd_complaint (eightd_id, number, linked_by, linked_at) "
	    "VALUES (?, ?, ?, UTC_TIMESTAMP())",
	[STMT_8D_COMPLAINTS] =
	    "SELECT " EIGHTD_COMPLAINT_COLUMNS(CC_SQL) " "
	    "FROM eightd_complaint e JOIN complaint c ON c.number = e.number "
	    "WHERE e.eightd_id = ? ORDER BY e.linked_at, e.number",
	/* The 8Ds covering a complaint: the latest version and its state, the latest approved one. */
	[STMT_8D_FOR_COMPLAINT] =
	    "SELECT d.id, d.title, d.owner_name, v.version, v.state, "
	    "(SELECT MAX(a.version) FROM eightd_version a WHERE a.eightd_id = d.id AND a.state = 'approved') "
	    "FROM eightd_complaint e JOIN eightd d ON d.id = e.eightd_id "
	    "JOIN eightd_version v ON v.eightd_id = d.id AND v.version = "
	    "(SELECT MAX(x.version) FROM eightd_version x WHERE x.eightd_id = d.id) "
	    "WHERE e.number = ? ORDER BY d.id",
#define EIGHTD_TEXTS "d0, d1, d2, d3, d4, d5, d6, d7, d8"
	[STMT_8D_VERSION_INSERT] =
	    "INSERT INTO eightd_version (eightd_id, version, state, revision, " EIGHTD_TEXTS ", "
	    "author_uid, author_name, updated_at) "
	    "VALUES (?, ?, 'draft', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())",
	[STMT_8D_VERSIONS] =
	    "SELECT " EIGHTD_VERSION_COLUMNS(CC_SQL) " FROM eightd_version "
	    "WHERE eightd_id = ? ORDER BY version",
	/* The latest version, locked: every write goes through it. */
	[STMT_8D_VERSION_LOCK] =
	    "SELECT id, version, state, revision, " EIGHTD_TEXTS ", submitted_by FROM eightd_version "
	    "WHERE eightd_id = ? ORDER BY version DESC LIMIT 1 FOR UPDATE",
	/* Only a draft is saved, and only from the revision the form showed. */
	[STMT_8D_VERSION_SAVE] =
	    "UPDATE eightd_version SET d0 = ?, d1 = ?, d2 = ?, d3 = ?, d4 = ?, d5 = ?, d6 = ?, d7 = ?, "
	    "d8 = ?, revision = revision + 1, author_uid = ?, author_name = ?, updated_at = UTC_TIMESTAMP() "
	    "WHERE id = ? AND revision = ? AND state = 'draft'",
#undef EIGHTD_TEXTS
	[STMT_8D_VERSION_SUBMIT] =
	    "UPDATE eightd_version SET state = 'submitted', revision = revision + 1, submitted_by = ?, "
	    "submitted_at = UTC_TIMESTAMP() WHERE id = ? AND revision = ? AND state = 'draft'",
	[STMT_8D_VERSION_DECIDE] =
	    "UPDATE eightd_version SET state = ?, comments = ?, decided_at = UTC_TIMESTAMP() "
	    "WHERE id = ? AND state = 'submitted'",
	/* The signatures on an 8D and on its hold notices' releases (as STMT_SIGNATURE_LIST). */
	[STMT_8D_SIGNATURES] =
	    "SELECT " SIGNATURE_COLUMNS(CC_SQL) " FROM signature "
	    "WHERE (entity = '8d_report' AND entity_id = ?) OR (entity = 'hold_notice' AND entity_id IN "
	    "(SELECT h.id FROM hold_notice h WHERE h.eightd_id = ?)) ORDER BY id",
	[STMT_8D_SENT_INSERT] =
	    "INSERT INTO eightd_sent (eightd_id, version, recipient, note, sent_by, sent_name, sent_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())",
	[STMT_8D_SENT_LIST] =
	    "SELECT version, recipient, note, sent_name, sent_at FROM eightd_sent WHERE eightd_id = ? "
	    "ORDER BY id",
	[STMT_8D_ATTACHMENT_INSERT] =
	    "INSERT INTO attachment (number, entity, department, sha256, size, content_type, filename, "
	    "uploaded_by, uploaded_name, uploaded_at, eightd_id, eightd_version, discipline) "
	    "VALUES (?, '8d_report', '', ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?, ?, ?)",
	[STMT_8D_ATTACHMENT_LIST] =
	    "SELECT id, sha256, size, content_type, filename, uploaded_name, uploaded_at, eightd_version, "
	    "discipline FROM attachment WHERE eightd_id = ? ORDER BY id",
	[STMT_HOLD_INSERT] =
	    "INSERT INTO hold_notice (eightd_id, number, state, reason, issued_by, issued_name, issued_at, "
	    "content_hash) VALUES (?, ?, 'on_hold', ?, ?, ?, UTC_TIMESTAMP(), ?)",
	[STMT_HOLD_LINE_INSERT] =
	    "INSERT INTO hold_line (hold_id, line, location_kind, location, part_no, lot, quantity) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_HOLD_LIST] =
	    "SELECT id, state, reason, issued_by, issued_name, issued_at, released_at, content_hash "
	    "FROM hold_notice WHERE eightd_id = ? ORDER BY id",
	[STMT_HOLD_LINES] =
	    "SELECT l.hold_id, l.line, l.location_kind, l.location, l.part_no, l.lot, l.quantity "
	    "FROM hold_line l JOIN hold_notice h ON h.id = l.hold_id WHERE h.eightd_id = ? "
	    "ORDER BY l.hold_id, l.line",
	[STMT_HOLD_LOCK] =
	    "SELECT id, state, issued_by, content_hash FROM hold_notice WHERE id = ? AND eightd_id = ? "
	    "FOR UPDATE",
	[STMT_HOLD_RELEASE] =
	    "UPDATE hold_notice SET state = 'released', released_at = UTC_TIMESTAMP() "
	    "WHERE id = ? AND state = 'on_hold'",
#define WORK_8D_COLS "d.id, d.number, d.title, d.owner_name, v.version, v.state, v.updated_at, d.d8_due"
	/* Versions waiting for the QA director, oldest first. */
	[STMT_WORK_8D_SUBMITTED] =
	    "SELECT " WORK_8D_COLS " FROM eightd_version v JOIN eightd d ON d.id = v.eightd_id "
	    "WHERE v.state = 'submitted' ORDER BY v.submitted_at, v.id LIMIT 100",
	/* An engineer's 8Ds whose latest version is a draft or was returned. */
	[STMT_WORK_8D_OWNED] =
	    "SELECT " WORK_8D_COLS " FROM eightd d JOIN eightd_version v ON v.eightd_id = d.id "
	    "AND v.version = (SELECT MAX(x.version) FROM eightd_version x WHERE x.eightd_id = d.id) "
	    "WHERE d.owner_uid = ? AND v.state IN ('draft', 'returned') ORDER BY d.id DESC LIMIT 100",
#undef WORK_8D_COLS
	/* 8Ds with a part past its deadline and not done (the sweep's reminders). */
	[STMT_SWEEP_8D_CANDIDATES] =
	    "SELECT id FROM eightd WHERE (d3_done_at IS NULL AND d3_due < ?) "
	    "OR (d4_done_at IS NULL AND d4_due < ?) OR (d7_done_at IS NULL AND d7_due < ?) "
	    "OR (d8_done_at IS NULL AND d8_due < ?) ORDER BY id LIMIT 20000",
	/* ---- issue 7: security ---- */
	[STMT_SECRET_INSERT] =
	    "INSERT IGNORE INTO install_secret (name, value, created_at) VALUES (?, ?, UTC_TIMESTAMP())",
	[STMT_SECRET_GET] = "SELECT value FROM install_secret WHERE name = ?",
	/* The client address, and the sign-in time to the microsecond (ordering of STMT_SESSION_EXCESS). */
	[STMT_SESSION_SET_ADDR] =
	    "UPDATE session SET client_addr = ?, created_at = UTC_TIMESTAMP(6) WHERE token_hash = ?",
	/* A person's sessions beyond the newest param 3, the one just made (param 2) kept first. */
	[STMT_SESSION_EXCESS] =
	    "SELECT token_hash FROM session WHERE uid = ? "
	    "ORDER BY token_hash = ? DESC, created_at DESC, last_seen DESC LIMIT 1000 OFFSET ?",
	/* token_hash, created_at, last_seen, client_addr of a person's live sessions, newest first */
	[STMT_SESSION_LIST_MINE] =
	    "SELECT token_hash, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), last_seen, client_addr FROM session "
	    "WHERE uid = ? AND expires_at > UTC_TIMESTAMP() AND last_seen > UTC_TIMESTAMP() - INTERVAL ? SECOND "
	    "ORDER BY created_at DESC, last_seen DESC",
	[STMT_SESSION_END_OTHERS] = "DELETE FROM session WHERE uid = ? AND token_hash <> ?",
	/* lifecycle_gaps.c: category, severity, respond_due, resolve_due of a complaint */
	[STMT_TRIAGE_FACTS] =
	    "SELECT category, severity, DATE_FORMAT(respond_due, '%Y-%m-%d %H:%i:%s'), "
	    "DATE_FORMAT(resolve_due, '%Y-%m-%d %H:%i:%s') FROM complaint WHERE number = ?",
	/* category, severity, respond minutes, resolve minutes (< 0: none) twice, number */
	[STMT_TRIAGE_CORRECT] =
	    "UPDATE complaint SET category = ?, severity = ?, respond_due = received_at + INTERVAL ? MINUTE, "
	    "resolve_due = IF(? < 0, NULL, received_at + INTERVAL ? MINUTE), updated_at = UTC_TIMESTAMP() "
	    "WHERE number = ?",
	[STMT_8D_APPROVED_COUNT] =
	    "SELECT COUNT(*) FROM eightd_complaint e JOIN eightd_version v ON v.eightd_id = e.eightd_id "
	    "WHERE e.number = ? AND v.state = 'approved'",
	[STMT_REPEAT_MARK] = "UPDATE complaint SET repeat_reason = ? WHERE number = ? AND repeat_reason = ''",
	/* ---- end security ---- */
	/* ---- issue 7: work ---- */
	/* Mail: queued by a step in its transaction, claimed and sent by kesu-admin (notify.c). */
	[STMT_MAIL_QUEUE] =
	    "INSERT INTO mail_outbox (kind, addressee_type, addressee, number, link, created_at, next_try_at) "
	    "VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())",
	/* A run claims the due rows for itself and pushes them out of the others' sight for lease
	 * seconds: two runs never send the same row. */
	[STMT_MAIL_CLAIM] =
	    "UPDATE mail_outbox SET claim = ?, next_try_at = UTC_TIMESTAMP() + INTERVAL ? SECOND "
	    "WHERE state = 'pending' AND next_try_at <= UTC_TIMESTAMP() ORDER BY id LIMIT 200",
	[STMT_MAIL_CLAIMED] =
	    "SELECT id, kind, addressee_type, addressee, number, link, attempts FROM mail_outbox "
	    "WHERE claim = ? AND state = 'pending' ORDER BY id",
	[STMT_MAIL_SENT] =
	    "UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, sent_at = UTC_TIMESTAMP(), "
	    "last_error = NULL WHERE id = ? AND claim = ?",
	/* SET runs left to right: state sees the attempts already counted. */
	[STMT_MAIL_RETRY] =
	    "UPDATE mail_outbox SET attempts = attempts + 1, state = IF(attempts >= ?, 'failed', 'pending'), "
	    "next_try_at = UTC_TIMESTAMP() + INTERVAL (60 << LEAST(attempts - 1, 10)) SECOND, last_error = ? "
	    "WHERE id = ? AND claim = ?",
	[STMT_MAIL_FAILED] =
	    "UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, last_error = ? "
	    "WHERE id = ? AND claim = ?",
	/* id, number, kind, step, department, addressee_type, addressee, acked_at */
	[STMT_REMINDER_LOCK] =
	    "SELECT id, number, kind, step, department, addressee_type, addressee, acked_at "
	    "FROM reminder WHERE id = ? FOR UPDATE",
	[STMT_REMINDER_ACK] =
	    "UPDATE reminder SET acked_at = UTC_TIMESTAMP(), acked_by = ?, acked_by_name = ? "
	    "WHERE id = ? AND acked_at IS NULL",
	/*
	 * The header's count of "My work", rendered by the server on every page: one statement of
	 * indexed counts over what the reader can act on now. Parameters: uid, the reader's roles
	 * (a comma list of role names), department ('' for none), penalty.appeal_days. The next
	 * signer of a plan or penalty is the required role after as many approvals as it has
	 * (signatures come in the matrix's order). Reminders count once per complaint; one
	 * acknowledged no longer counts.
	 */
#define NEXT_SIGNER(entity, rev) "SUBSTRING_INDEX(SUBSTRING_INDEX(x.required_roles, ',', 1 + " \
	"(SELECT COUNT(*) FROM signature s WHERE s.entity = '" entity "' AND s.entity_id = x.id AND " \
	"s.revision = " rev " AND s.decision = 'approve')), ',', -1)"
	[STMT_WORK_COUNT] =
	    "SELECT (SELECT COUNT(*) FROM complaint c WHERE c.owner_uid = me.uid AND c.status IN "
	    "('not_substantiated', 'approved', 'replied', 'callback_done')) "
	    /* a supervisor's queue is counted up to 1,000 (a million registered complaints must
	     * not be read for a badge) */
	    "+ IF(FIND_IN_SET('supervisor', me.roles), (SELECT COUNT(*) FROM (SELECT 1 FROM complaint c "
	    "WHERE c.status IN ('registered', 'triaged') LIMIT 1000) q), 0) "
	    "+ IF(FIND_IN_SET('dept_head', me.roles) AND me.dept <> '', (SELECT COUNT(*) FROM "
	    "complaint_assignment a WHERE a.department = me.dept AND a.state = 'pending'), 0) "
	    /* reports to write (members, heads) or to sign off (heads) */
	    "+ IF(me.dept = '', 0, (SELECT COUNT(*) FROM complaint_assignment a JOIN complaint c ON "
	    "c.number = a.number LEFT JOIN investigation_report r ON r.number = a.number AND "
	    "r.department = a.department WHERE a.department = me.dept AND a.state = 'accepted' AND "
	    "c.status = 'investigating' AND (r.id IS NULL OR r.state <> 'signed') AND "
	    "((COALESCE(r.state, '') = 'submitted' AND FIND_IN_SET('dept_head', me.roles)) OR "
	    "(COALESCE(r.state, '') <> 'submitted' AND (FIND_IN_SET('dept_member', me.roles) OR "
	    "FIND_IN_SET('quality_engineer', me.roles) OR "
	    "FIND_IN_SET('dept_head', me.roles)))))) "
	    /* plans whose next signer is one of the reader's roles (a head: of an accepted department) */
	    "+ (SELECT COUNT(*) FROM handling_plan x JOIN complaint c ON c.number = x.number "
	    "WHERE x.state = 'pending' AND c.status = 'plan_proposed' AND x.proposer_uid <> me.uid AND "
	    "FIND_IN_SET(" NEXT_SIGNER("handling_plan", "x.revision") ", me.roles) AND "
	    "(" NEXT_SIGNER("handling_plan", "x.revision") " <> 'dept_head' OR EXISTS (SELECT 1 FROM "
	    "complaint_assignment a WHERE a.number = x.number AND a.department = me.dept AND a.state = 'accepted'))) "
	    /* penalties: to sign, to execute (finance: money; HR: the rest), appeals to decide, and
	     * the penalised person's own notice while the appeal is open */
	    "+ (SELECT COUNT(*) FROM penalty x WHERE x.state = 'proposed' AND x.proposer_uid <> me.uid "
	    "AND x.target_uid <> me.uid AND FIND_IN_SET(" NEXT_SIGNER("penalty", "1") ", me.roles)) "
	    "+ IF(FIND_IN_SET('finance', me.roles), (SELECT COUNT(*) FROM penalty x WHERE x.state = 'approved' "
	    "AND x.executed_at IS NULL AND x.kind IN ('fine', 'bonus_deduction')), 0) "
	    "+ IF(FIND_IN_SET('finance', me.roles), (SELECT COUNT(*) FROM plan_remedy r JOIN handling_plan p "
	    "ON p.id = r.plan_id AND p.state = 'approved' WHERE r.kind IN ('compensation', 'discount', 'return') "
	    "AND r.executed_at IS NULL), 0) "
	    "+ IF(FIND_IN_SET('hr', me.roles), (SELECT COUNT(*) FROM penalty x WHERE x.state = 'approved' "
	    "AND x.executed_at IS NULL AND x.kind NOT IN ('fine', 'bonus_deduction')), 0) "
	    "+ IF(FIND_IN_SET('gm', me.roles), (SELECT COUNT(*) FROM penalty x WHERE x.state = 'appealed' "
	    "AND x.proposer_uid <> me.uid AND x.target_uid <> me.uid), 0) "
	    "+ (SELECT COUNT(*) FROM penalty x WHERE x.target_uid = me.uid AND x.state = 'approved' AND "
	    "x.appealed_at IS NULL AND x.decided_at > UTC_TIMESTAMP() - INTERVAL me.days DAY) "
	    /* 8D: versions for the QA director; an engineer's drafts and returned versions */
	    "+ IF(FIND_IN_SET('qa_director', me.roles), (SELECT COUNT(*) FROM eightd_version v "
	    "WHERE v.state = 'submitted'), 0) "
	    "+ (SELECT COUNT(*) FROM eightd d JOIN eightd_version v ON v.eightd_id = d.id AND v.version = "
	    "(SELECT MAX(y.version) FROM eightd_version y WHERE y.eightd_id = d.id) WHERE d.owner_uid = me.uid "
	    "AND v.state IN ('draft', 'returned')) "
	    /* unacknowledged reminders on open complaints, one per complaint, counted up to 100
	     * (what My work lists of them), and unanswered inquiries up to 1,000 (issue 10,
	     * sweepdue: at a million overdue complaints a supervisor's 20,000 reminders took 170 ms
	     * of every badge a worker had to count again; with the roles as an IN list, which the
	     * index reminder_addressee can range over, and this bound: 1.2 ms). A derived table
	     * cannot read me: the reader's uid, roles (one per slot, ROLE__MAX of them, NULL when
	     * fewer) and department are bound again for them (binds before me's). */
	    "+ (SELECT COUNT(*) FROM (SELECT DISTINCT r.number FROM reminder r JOIN complaint c ON c.number = r.number "
	    "WHERE r.acked_at IS NULL AND c.status <> 'closed' AND ((r.addressee_type = 'user' AND "
	    "r.addressee = ?) OR (r.addressee_type = 'role' AND r.addressee IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) "
	    "OR (r.addressee_type = 'dept_head' AND r.addressee = ? AND FIND_IN_SET('dept_head', ?)) "
	    "OR (r.addressee_type = 'dept' AND r.addressee = ? AND FIND_IN_SET('dept_member', ?))) "
	    "LIMIT 100) rq) "
	    "+ (SELECT COUNT(*) FROM (SELECT 1 FROM overdue_inquiry q WHERE q.answered_at IS NULL AND "
	    "((q.addressee_type = 'dept_head' AND q.addressee = ? AND FIND_IN_SET('dept_head', ?)) "
	    "OR (q.addressee_type = 'role' AND FIND_IN_SET(q.addressee, ?))) LIMIT 1000) iq) "
	    "FROM (SELECT ? AS uid, ? AS roles, ? AS dept, ? AS days) me",
#undef NEXT_SIGNER
	/* The penalised person's approved notices while the appeal is open (penalty.appeal_days). */
	[STMT_WORK_PENALTY_MINE] =
	    "SELECT id, number, target_kind, target_department, target_uid, target_name, kind, "
	    "amount_fen, reason, rule_applied, state, version, proposer_uid, proposer_name, proposer_role, "
	    "proposed_at, decided_at, executed_at, executed_by, appeal_reason, appealed_by, appealed_at, "
	    "content_hash, required_roles, rule_ids, decided_at + INTERVAL ? DAY FROM penalty WHERE target_uid = ? "
	    "AND state = 'approved' AND appealed_at IS NULL AND decided_at > UTC_TIMESTAMP() - INTERVAL ? DAY "
	    "ORDER BY id DESC LIMIT 50",
	/* ---- end work ---- */
	/* ---- issue 7: steps ---- */
	/* Who changed a record last, and when (a write that met a newer version says so). */
	[STMT_AUDIT_LAST_CHANGE] =
	    "SELECT actor_name, at FROM audit_event WHERE entity = ? AND entity_id = ? "
	    "ORDER BY seq DESC LIMIT 1",
	/* ---- end steps ---- */
	/* ---- issue 8: trail ---- */
	/*
	 * The auditor's trail (page_audit.c), newest first, a page at a time (keyset: seq < ?),
	 * inside a window of sequence numbers (seq > ?: a period turned into seqs, or the slice a
	 * filtered scan may read at once). Each filter is '' when not used. Three access paths,
	 * each on an index: a record's events (audit_entity), an actor's (audit_actor), or the
	 * primary key's range. max_statement_time: never a stalled worker (1969: "narrow it").
	 */
#define TRAIL_COLS "e.seq, e.at, e.actor_uid, e.actor_name, e.actor_role, e.entity, e.entity_id, " \
	"e.action, e.before_json, e.after_json, e.request_id, e.client_addr, e.prev_hash, e.hash"
/* seq < before, seq > window floor; then actor, role, action, entity, the kind's and "only"'s patterns. */
#define TRAIL_FILTER "AND e.seq < ? AND e.seq > ? AND (? = '' OR e.actor_uid = ?) " \
	"AND (? = '' OR e.actor_role = ?) AND (? = '' OR e.action = ?) AND (? = '' OR e.entity = ?) " \
	"AND (? = '' OR e.action REGEXP ?) AND (? = '' OR e.action REGEXP ?)"
#define TRAIL_FILTER_BINDS "uussssssssssss"
	[STMT_TRAIL_RECORD] =
	    "SET STATEMENT max_statement_time = 2 FOR SELECT " TRAIL_COLS " FROM ("
	    "SELECT 'complaint' AS en, CAST(? AS CHAR(64)) AS id "
	    "UNION ALL SELECT '8d_report', CAST(? AS CHAR(64)) "
	    "UNION ALL SELECT '8d_report', CAST(k.eightd_id AS CHAR(64)) FROM eightd_complaint k "
	    "WHERE k.number = ?) r "
	    "JOIN audit_event e ON e.entity = r.en COLLATE utf8mb4_bin AND e.entity_id = r.id COLLATE utf8mb4_bin "
	    "WHERE (? = '' OR JSON_VALUE(COALESCE(e.after_json, e.before_json), '$.penalty_id') = ?) "
	    TRAIL_FILTER " ORDER BY e.seq DESC LIMIT ?",
	[STMT_TRAIL_ACTOR] =
	    "SET STATEMENT max_statement_time = 2 FOR SELECT " TRAIL_COLS " FROM audit_event e "
	    "FORCE INDEX (audit_actor) WHERE e.actor_uid = ? " TRAIL_FILTER " ORDER BY e.seq DESC LIMIT ?",
	[STMT_TRAIL_SCAN] =
	    "SET STATEMENT max_statement_time = 2 FOR SELECT " TRAIL_COLS " FROM audit_event e "
	    "WHERE 1 = 1 " TRAIL_FILTER " ORDER BY e.seq DESC LIMIT ?",
	/* A period as sequence numbers: the first event at or after a moment, the last before one. */
	[STMT_TRAIL_SEQ_FROM] = "SELECT seq FROM audit_event WHERE at >= ? ORDER BY at, seq LIMIT 1",
	[STMT_TRAIL_SEQ_TO] = "SELECT seq FROM audit_event WHERE at < ? ORDER BY at DESC, seq DESC LIMIT 1",
	[STMT_TRAIL_PENALTY_NUMBER] = "SELECT number FROM penalty WHERE id = ?",
	/* ---- end trail ---- */
	/* ---- issue 8: register ---- */
	/*
	 * The signature register, newest first, keyset by id (after: the last id shown, or a
	 * huge number). The first 12 columns are STMT_SIGNATURE_LIST's (signature_json()); then
	 * the complaint number, the plan's or penalty's amount and the signers it stored, and the
	 * complaint's level. Filters: signer, decision, entity ('' = any), period [from, to) UTC,
	 * amount range in fen (-1 = open). Bounded: primary key backwards, LIMIT, 3 s.
	 */
	[STMT_REG_SIGNATURES] =
	    "SET STATEMENT max_statement_time = 3 FOR "
	    "SELECT s.entity, s.entity_id, s.revision, s.signer_uid, s.signer_name, s.role, s.decision, "
	    "s.meaning, s.comment, s.content_hash, DATE_FORMAT(s.signed_at, '%Y-%m-%d %H:%i:%s'), s.id, "
	    "s.number, COALESCE(hp.amount_fen, pe.amount_fen), COALESCE(hp.required_roles, pe.required_roles), "
	    "c.severity FROM signature s "
	    "LEFT JOIN handling_plan hp ON s.entity = 'handling_plan' AND hp.id = s.entity_id "
	    "LEFT JOIN penalty pe ON s.entity = 'penalty' AND pe.id = s.entity_id "
	    "LEFT JOIN complaint c ON c.number = s.number AND s.number <> '' "
	    "WHERE s.id < ? AND (? = '' OR s.signer_uid = ?) AND (? = '' OR s.decision = ?) "
	    "AND (? = '' OR s.entity = ?) AND s.signed_at >= ? AND s.signed_at < ? "
	    "AND (? < 0 OR COALESCE(hp.amount_fen, pe.amount_fen) >= ?) "
	    "AND (? < 0 OR COALESCE(hp.amount_fen, pe.amount_fen) <= ?) "
	    "ORDER BY s.id DESC LIMIT 51",
	/* Failed signing attempts (wrong password on a signature) in [from, to), by signer or all:
	 * on audit_actor when a signer is given, else the trail backwards; LIMIT 200, 3 s. */
	[STMT_REG_FAILURES] =
	    "SET STATEMENT max_statement_time = 3 FOR "
	    "SELECT seq, at, actor_uid, actor_name, actor_role, client_addr, request_id FROM audit_event "
	    "WHERE action = 'signature_password_failed' AND (? = '' OR actor_uid = ?) "
	    "AND at >= ? AND at < ? ORDER BY seq DESC LIMIT 200",
	/* An investigation report as its sign-off hashes it (plan.c report_hash). */
	[STMT_REG_REPORT_GET] =
	    "SELECT number, department, revision, cause, course, responsible, conclusion, countermeasures, "
	    "preventive FROM investigation_report WHERE id = ?",
	/* A hold notice's stored hash (what its release signature was checked against). */
	[STMT_REG_HOLD_GET] = "SELECT content_hash FROM hold_notice WHERE id = ?",
	/* Exception 1: each signature in the period with the parties of what it signed: proposer
	 * (plan, penalty), author (report; 8D version's last author), submitter (8D), issuer (hold
	 * notice), the penalised person. */
	[STMT_REG_EXC_PARTY] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT s.id, s.number, s.entity, s.entity_id, s.signer_uid, s.signer_name, s.role, "
	    "DATE_FORMAT(s.signed_at, '%Y-%m-%d %H:%i:%s'), "
	    "COALESCE(hp.proposer_uid, pe.proposer_uid, ev.submitted_by, hn.issued_by, ''), "
	    "COALESCE(ir.author_uid, ev.author_uid, ''), COALESCE(pe.target_uid, '') FROM signature s "
	    "LEFT JOIN handling_plan hp ON s.entity = 'handling_plan' AND hp.id = s.entity_id "
	    "LEFT JOIN penalty pe ON s.entity = 'penalty' AND pe.id = s.entity_id "
	    "LEFT JOIN investigation_report ir ON s.entity = 'investigation_report' AND ir.id = s.entity_id "
	    "LEFT JOIN eightd_version ev ON s.entity = '8d_report' AND ev.eightd_id = s.entity_id "
	    "AND ev.version = s.revision "
	    "LEFT JOIN hold_notice hn ON s.entity = 'hold_notice' AND hn.id = s.entity_id "
	    "WHERE s.signed_at >= ? AND s.signed_at < ? ORDER BY s.signed_at DESC, s.id DESC LIMIT 2000",
	/* Exception 2: approved plans and penalties proposed in the period, the signers they stored
	 * when proposed and the roles that approved (the plan's revision; a penalty's first decision). */
	[STMT_REG_EXC_SIGNERS] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "(SELECT 'handling_plan', p.id, p.number, p.required_roles, "
	    "COALESCE(GROUP_CONCAT(s.role ORDER BY s.id SEPARATOR ','), ''), p.proposed_at "
	    "FROM handling_plan p LEFT JOIN signature s ON s.entity = 'handling_plan' AND s.entity_id = p.id "
	    "AND s.revision = p.revision AND s.decision = 'approve' "
	    "WHERE p.state = 'approved' AND p.proposed_at >= ? AND p.proposed_at < ? "
	    "GROUP BY p.id ORDER BY p.id DESC LIMIT 1000) UNION ALL "
	    "(SELECT 'penalty', p.id, p.number, p.required_roles, "
	    "COALESCE(GROUP_CONCAT(s.role ORDER BY s.id SEPARATOR ','), ''), p.proposed_at "
	    "FROM penalty p LEFT JOIN signature s ON s.entity = 'penalty' AND s.entity_id = p.id "
	    "AND s.revision = 1 AND s.decision = 'approve' "
	    "WHERE p.state IN ('approved', 'appealed', 'revoked') AND p.proposed_at >= ? AND p.proposed_at < ? "
	    "GROUP BY p.id ORDER BY p.id DESC LIMIT 1000)",
	/* Exception 3: the latest 200 signatures of the period (as STMT_SIGNATURE_LIST, then the number);
	 * each costs a recomputation of its record's hash. */
	[STMT_REG_EXC_SIGNED] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT s.entity, s.entity_id, s.revision, s.signer_uid, s.signer_name, s.role, s.decision, "
	    "s.meaning, s.comment, s.content_hash, DATE_FORMAT(s.signed_at, '%Y-%m-%d %H:%i:%s'), s.id, "
	    "s.number FROM signature s WHERE s.signed_at >= ? AND s.signed_at < ? "
	    "AND s.entity IN ('investigation_report', 'handling_plan', 'penalty', '8d_report', 'hold_notice') "
	    "ORDER BY s.signed_at DESC, s.id DESC LIMIT 200",
	/* Exception 4: penalties proposed in the period that were executed or appealed. */
	[STMT_REG_EXC_PENALTY] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT id, number, state, DATE_FORMAT(decided_at, '%Y-%m-%d %H:%i:%s'), "
	    "DATE_FORMAT(executed_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(appealed_at, '%Y-%m-%d %H:%i:%s'), "
	    "target_name, target_department FROM penalty "
	    "WHERE proposed_at >= ? AND proposed_at < ? AND (executed_at IS NOT NULL OR appealed_at IS NOT NULL) "
	    "ORDER BY id DESC LIMIT 2000",
	/* Exception 5: complaints received in the period that are closed (status index). */
	[STMT_REG_EXC_CALLBACK] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT number, status, DATE_FORMAT(replied_at, '%Y-%m-%d %H:%i:%s'), "
	    "DATE_FORMAT(callback_at, '%Y-%m-%d %H:%i:%s'), customer_name FROM complaint "
	    "WHERE status = 'closed' AND received_at >= ? AND received_at < ? "
	    "ORDER BY received_at DESC, id DESC LIMIT 2000",
	/* Exception 6: closed product-quality complaints received in the period, with the number
	 * of approved 8D versions covering each (category index). */
	[STMT_REG_EXC_8D] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT c.number, c.status, c.category, c.customer_name, "
	    "(SELECT COUNT(*) FROM eightd_complaint ec JOIN eightd_version v ON v.eightd_id = ec.eightd_id "
	    "AND v.state = 'approved' WHERE ec.number = c.number) FROM complaint c "
	    "WHERE c.category = 'product_quality' AND c.status = 'closed' "
	    "AND c.received_at >= ? AND c.received_at < ? ORDER BY c.received_at DESC, c.id DESC LIMIT 2000",
	/* Exception 7: complaints received in the period with their deadlines and the reminders
	 * issued for their response and resolution (reminder_number index). */
	[STMT_REG_EXC_REMINDER] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT c.number, c.status, DATE_FORMAT(c.respond_due, '%Y-%m-%d %H:%i:%s'), "
	    "DATE_FORMAT(c.resolve_due, '%Y-%m-%d %H:%i:%s'), "
	    "(SELECT COUNT(*) FROM reminder m WHERE m.number = c.number AND m.step = 'response'), "
	    "(SELECT COUNT(*) FROM reminder m WHERE m.number = c.number AND m.step = 'resolution'), "
	    "c.customer_name FROM complaint c WHERE c.received_at >= ? AND c.received_at < ? "
	    "AND c.respond_due < ? ORDER BY c.received_at DESC, c.id DESC LIMIT 2000",
	[STMT_REG_REVIEW_INSERT] =
	    "INSERT INTO audit_review (period_from, period_to, exceptions_open, reviewer_uid, reviewer_name, "
	    "note, reviewed_at, content_hash) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), ?)",
	/* The reviews, newest first (keyset by id). */
	[STMT_REG_REVIEW_LIST] =
	    "SELECT r.id, DATE_FORMAT(r.period_from, '%Y-%m-%d'), DATE_FORMAT(r.period_to, '%Y-%m-%d'), "
	    "r.exceptions_open, r.reviewer_uid, r.reviewer_name, r.note, "
	    "DATE_FORMAT(r.reviewed_at, '%Y-%m-%d %H:%i:%s'), r.content_hash FROM audit_review r "
	    "WHERE r.id < ? ORDER BY r.id DESC LIMIT 51",
	[STMT_REG_REVIEW_LAST] =
	    "SELECT id, DATE_FORMAT(period_from, '%Y-%m-%d'), DATE_FORMAT(period_to, '%Y-%m-%d'), "
	    "DATE_FORMAT(reviewed_at, '%Y-%m-%d %H:%i:%s'), reviewer_name FROM audit_review "
	    "ORDER BY reviewed_at DESC, id DESC LIMIT 1",
	/* ---- end register ---- */
	/* ---- issue 8: history ---- */
	/* The matrix and the calendar as they stood (015): every version with its UTC interval
	 * [effective_from, effective_to); the "as of" instant is passed twice. */
	[STMT_AUTHORITY_VERSION_ADD] =
	    "INSERT INTO authority_rule_version (rule_id, action, min_amount_fen, max_amount_fen, "
	    "severity, roles, effective_from) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
	[STMT_AUTHORITY_VERSION_END] =
	    "UPDATE authority_rule_version SET effective_to = UTC_TIMESTAMP(6) "
	    "WHERE rule_id = ? AND effective_to IS NULL",
	/* 6, 7: when the rule came into force and left it (UTC). */
	[STMT_AUTHORITY_AS_OF] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT rule_id, action, min_amount_fen, max_amount_fen, severity, roles, "
	    "DATE_FORMAT(effective_from, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(effective_to, '%Y-%m-%d %H:%i:%s') "
	    "FROM authority_rule_version WHERE effective_from <= ? "
	    "AND (effective_to IS NULL OR effective_to > ?) "
	    "ORDER BY action, severity, COALESCE(min_amount_fen, -1), rule_id LIMIT 1000",
	[STMT_CALENDAR_WEEK_VERSION_END] =
	    "UPDATE calendar_week_version SET effective_to = UTC_TIMESTAMP(6) "
	    "WHERE weekday = ? AND effective_to IS NULL",
	[STMT_CALENDAR_WEEK_VERSION_ADD] =
	    "INSERT INTO calendar_week_version (weekday, span1_from, span1_to, span2_from, span2_to, "
	    "effective_from) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
	/* The columns of STMT_CALENDAR_WEEK. */
	[STMT_CALENDAR_WEEK_AS_OF] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT weekday, span1_from, span1_to, span2_from, span2_to FROM calendar_week_version "
	    "WHERE effective_from <= ? AND (effective_to IS NULL OR effective_to > ?) "
	    "ORDER BY weekday, id LIMIT 1000",
	[STMT_CALENDAR_EXCEPTION_VERSION_END] =
	    "UPDATE calendar_exception_version SET effective_to = UTC_TIMESTAMP(6) "
	    "WHERE day = ? AND effective_to IS NULL",
	[STMT_CALENDAR_EXCEPTION_VERSION_ADD] =
	    "INSERT INTO calendar_exception_version (day, kind, name, created_by, effective_from) "
	    "VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))",
	/* The columns of STMT_CALENDAR_EXCEPTIONS. */
	[STMT_CALENDAR_EXCEPTIONS_AS_OF] =
	    "SET STATEMENT max_statement_time = 5 FOR "
	    "SELECT DATE_FORMAT(day, '%Y%m%d'), kind, name, created_by FROM calendar_exception_version "
	    "WHERE effective_from <= ? AND (effective_to IS NULL OR effective_to > ?) "
	    "ORDER BY day, id LIMIT 5000",
	/* One record's events up to a sequence number and a UTC instant, for as_of_rebuild(). */
	[STMT_AS_OF_EVENTS] =
	    "SELECT seq, at, action, after_json FROM audit_event WHERE entity = ? AND entity_id = ? "
	    "AND seq <= ? AND at <= ? ORDER BY seq LIMIT 5000",
	/* The signatures that existed at a UTC instant (as STMT_SIGNATURE_LIST). */
	[STMT_AS_OF_SIGNATURES] =
	    "SELECT entity, entity_id, revision, signer_uid, signer_name, role, decision, meaning, "
	    "comment, content_hash, DATE_FORMAT(signed_at, '%Y-%m-%d %H:%i:%s'), id "
	    "FROM signature WHERE number = ? AND signed_at <= ? ORDER BY id LIMIT 1000",
	/* When a sequence number was written (its signatures then are those signed by that time). */
	[STMT_AS_OF_SEQ_AT] = "SELECT at FROM audit_event WHERE seq = ?",
	/* An 8D's and its hold notices' signatures at a UTC instant (as STMT_8D_SIGNATURES). */
	[STMT_AS_OF_8D_SIGNATURES] =
	    "SELECT entity, entity_id, revision, signer_uid, signer_name, role, decision, meaning, "
	    "comment, content_hash, DATE_FORMAT(signed_at, '%Y-%m-%d %H:%i:%s'), id FROM signature "
	    "WHERE ((entity = '8d_report' AND entity_id = ?) OR (entity = 'hold_notice' AND entity_id IN "
	    "(SELECT h.id FROM hold_notice h WHERE h.eightd_id = ?))) AND signed_at <= ? ORDER BY id LIMIT 1000",
	/* The rules its signers came from, set at proposal in the same transaction (015). */
	[STMT_PLAN_SET_RULES] = "UPDATE handling_plan SET rule_ids = ? WHERE id = ?",
	[STMT_PENALTY_SET_RULES] = "UPDATE penalty SET rule_ids = ? WHERE id = ?",
	/* ---- end history ---- */
	/* ---- issue 8: verify ---- */
#define VERIFY_RUN_COLS "id, started_by, started_name, started_at, finished_at, target_seq, target_hash, " \
	"checked_seq, checked_hash, elapsed_ms, status, bad_seq, reason, checkpoints"
	/* A run sets out to reach the head as it stands now; it starts before event 1. */
	[STMT_VERIFY_RUN_INSERT] =
	    "INSERT INTO audit_verify_run (started_by, started_name, started_at, target_seq, target_hash, "
	    "checked_hash) VALUES (?, ?, UTC_TIMESTAMP(6), ?, ?, ?)",
	[STMT_VERIFY_RUN_GET] = "SELECT " VERIFY_RUN_COLS " FROM audit_verify_run WHERE id = ?",
	/* One slice at a time per run: two clicks on "continue" never walk the same slice twice. */
	[STMT_VERIFY_RUN_LOCK] = "SELECT " VERIFY_RUN_COLS " FROM audit_verify_run WHERE id = ? FOR UPDATE",
	/* After a slice: how far, how long, the outcome (finished_at once it is not 'running'). */
	[STMT_VERIFY_RUN_UPDATE] =
	    "UPDATE audit_verify_run SET checked_seq = ?, checked_hash = ?, elapsed_ms = elapsed_ms + ?, "
	    "status = ?, bad_seq = ?, reason = ?, checkpoints = checkpoints + ?, "
	    "finished_at = IF(? = 'running', NULL, UTC_TIMESTAMP(6)) WHERE id = ?",
	[STMT_VERIFY_RUN_LIST] = "SELECT " VERIFY_RUN_COLS " FROM audit_verify_run ORDER BY id DESC LIMIT 20",
#undef VERIFY_RUN_COLS
	/* Every checkpoint in chain order (a verification passes through each). */
	[STMT_CHECKPOINT_LIST] =
	    "SELECT id, seq, hash, run_id, signer_uid, signer_name, role, meaning, signed_at "
	    "FROM audit_checkpoint ORDER BY seq LIMIT 10000",
	[STMT_CHECKPOINT_INSERT] =
	    "INSERT INTO audit_checkpoint (seq, hash, run_id, signer_uid, signer_name, role, meaning, signed_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
	/* Who looked at what: one autocommit INSERT per page opened, outside the hash chain. */
	[STMT_VIEW_LOG] =
	    "INSERT INTO record_view (at, actor_uid, actor_name, actor_role, record, what, item, "
	    "client_addr, request_id) VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?)",
	/* Keyset pages of 50 (the 51st row says there is more), newest first, on (record, id) / (actor_uid, id). */
	[STMT_VIEW_BY_RECORD] =
	    "SELECT id, at, actor_uid, actor_name, actor_role, record, what, item, client_addr, request_id "
	    "FROM record_view WHERE record = ? AND id < ? ORDER BY id DESC LIMIT 51",
	[STMT_VIEW_BY_ACTOR] =
	    "SELECT id, at, actor_uid, actor_name, actor_role, record, what, item, client_addr, request_id "
	    "FROM record_view WHERE actor_uid = ? AND id < ? ORDER BY id DESC LIMIT 51",
	/* A record's whole timeline with hashes, for the dossier (on audit_entity). */
	[STMT_DOSSIER_EVENTS] =
	    "SELECT seq, at, actor_uid, actor_name, actor_role, entity, entity_id, action, before_json, "
	    "after_json, hash FROM audit_event WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT 5000",
	/* Every version of the 8Ds of a complaint. */
	[STMT_DOSSIER_8D_VERSIONS] =
	    "SELECT d.id, d.title, d.owner_name, v.version, v.state, v.revision, v.d0, v.d1, v.d2, v.d3, "
	    "v.d4, v.d5, v.d6, v.d7, v.d8, v.comments, v.author_name, v.updated_at, v.decided_at "
	    "FROM eightd_complaint e JOIN eightd d ON d.id = e.eightd_id "
	    "JOIN eightd_version v ON v.eightd_id = d.id WHERE e.number = ? ORDER BY d.id, v.version LIMIT 500",
	/* The hold notices of the 8Ds of a complaint. */
	[STMT_DOSSIER_HOLDS] =
	    "SELECT h.id, h.eightd_id, h.state, h.reason, h.issued_name, h.issued_at, h.released_at, h.content_hash "
	    "FROM eightd_complaint e JOIN hold_notice h ON h.eightd_id = e.eightd_id "
	    "WHERE e.number = ? ORDER BY h.id LIMIT 500",
	/* The chain in order for audit_verify.c: 5,000 events a read (fewer round trips than STMT_AUDIT_SCAN). */
	[STMT_VERIFY_SCAN] =
	    "SELECT seq, at, actor_uid, actor_name, actor_role, entity, entity_id, action, "
	    "before_json, after_json, request_id, client_addr, prev_hash, hash "
	    "FROM audit_event WHERE seq > ? ORDER BY seq LIMIT 5000",
	/* ---- end verify ---- */
	/* ---- issue 9: stats ---- */
	/*
	 * The statistics (docs/statistics.md): each statement reads three periods at once —
	 * r.p = 0 the period asked for, 1 the one before, 2 the same period a year earlier —
	 * [f, t) in UTC, then a department ('' for the whole company). Ranges on
	 * complaint_received; at most 10 s, then the page says the period is too large.
	 */
#define STATS_JOIN \
	" FROM (SELECT 0 AS p, CAST(? AS DATETIME) AS f, CAST(? AS DATETIME) AS t" \
	" UNION ALL SELECT 1, CAST(? AS DATETIME), CAST(? AS DATETIME)" \
	" UNION ALL SELECT 2, CAST(? AS DATETIME), CAST(? AS DATETIME)) r" \
	" JOIN complaint c ON c.received_at >= r.f AND c.received_at < r.t"
#define STATS_WHERE \
	" WHERE (? = '' OR EXISTS (SELECT 1 FROM complaint_assignment d WHERE d.number = c.number" \
	" AND d.department = ? AND d.state <> 'refused'))"
#define STATS_PLAN \
	" JOIN handling_plan hp ON hp.number = c.number AND hp.state = 'approved' AND NOT EXISTS" \
	" (SELECT 1 FROM handling_plan h2 WHERE h2.number = hp.number AND h2.state = 'approved'" \
	" AND h2.revision > hp.revision)"
#define STATS_SQL(sel, rest) "SET STATEMENT max_statement_time = 10 FOR SELECT " sel STATS_JOIN rest
	/* On time: answered by respond_due; resolved (replied, else closed) by resolve_due. */
	[STMT_STATS_TOTALS] = STATS_SQL("r.p, COUNT(*), COALESCE(SUM(c.quantity), 0), "
	    "COALESCE(SUM(c.defective_quantity), 0), "
	    "COALESCE(SUM(c.responded_at IS NOT NULL AND c.responded_at <= c.respond_due), 0), "
	    "COALESCE(SUM(c.responded_at IS NOT NULL OR c.respond_due < UTC_TIMESTAMP()), 0), "
	    "COALESCE(SUM(c.resolve_due IS NOT NULL AND COALESCE(c.replied_at, c.closed_at) <= c.resolve_due), 0), "
	    "COALESCE(SUM(c.resolve_due IS NOT NULL AND (COALESCE(c.replied_at, c.closed_at) IS NOT NULL "
	    "OR c.resolve_due < UTC_TIMESTAMP())), 0), "
	    "COALESCE(SUM(c.status = 'closed'), 0), "
	    "AVG(TIMESTAMPDIFF(MINUTE, c.received_at, c.closed_at)), "
	    "COUNT(c.satisfaction), COALESCE(SUM(c.satisfaction), 0), "
	    "COALESCE(SUM(c.satisfaction = 1), 0), COALESCE(SUM(c.satisfaction = 2), 0), "
	    "COALESCE(SUM(c.satisfaction = 3), 0), COALESCE(SUM(c.satisfaction = 4), 0), "
	    "COALESCE(SUM(c.satisfaction = 5), 0), COALESCE(SUM(c.repeat_reason <> ''), 0)",
	    STATS_WHERE " GROUP BY r.p"),
	[STMT_STATS_MEDIAN] = STATS_SQL("DISTINCT r.p, "
	    "MEDIAN(TIMESTAMPDIFF(MINUTE, c.received_at, c.closed_at)) OVER (PARTITION BY r.p)",
	    STATS_WHERE " AND c.closed_at IS NOT NULL"),
	[STMT_STATS_BY_CATEGORY] = STATS_SQL("r.p, c.category, COUNT(*)", STATS_WHERE " GROUP BY r.p, c.category"),
	[STMT_STATS_BY_SEVERITY] = STATS_SQL("r.p, c.severity, COUNT(*)", STATS_WHERE " GROUP BY r.p, c.severity"),
	[STMT_STATS_BY_CHANNEL] = STATS_SQL("r.p, c.channel, COUNT(*)", STATS_WHERE " GROUP BY r.p, c.channel"),
	[STMT_STATS_BY_CUSTOMER_TYPE] = STATS_SQL("r.p, c.customer_type, COUNT(*)",
	    STATS_WHERE " GROUP BY r.p, c.customer_type"),
	/* Per department (not refused): the count and the KPI's parts. */
	[STMT_STATS_BY_DEPARTMENT] = STATS_SQL("r.p, a.department, COUNT(*), "
	    "COALESCE(SUM(c.resolve_due IS NOT NULL AND COALESCE(c.replied_at, c.closed_at) <= c.resolve_due), 0), "
	    "COALESCE(SUM(c.resolve_due IS NOT NULL AND (COALESCE(c.replied_at, c.closed_at) IS NOT NULL "
	    "OR c.resolve_due < UTC_TIMESTAMP())), 0), "
	    "COUNT(c.satisfaction), COALESCE(SUM(c.satisfaction), 0), COALESCE(SUM(c.status = 'closed'), 0)",
	    " JOIN complaint_assignment a ON a.number = c.number AND a.state <> 'refused'"
	    STATS_WHERE " GROUP BY r.p, a.department"),
	/* The complaint's handling plan in force: its last approved revision. */
	[STMT_STATS_BY_RESPONSIBILITY] = STATS_SQL("r.p, hp.responsibility, COUNT(*), COALESCE(SUM(hp.loss_fen), 0)",
	    STATS_PLAN STATS_WHERE " GROUP BY r.p, hp.responsibility"),
	[STMT_STATS_BY_REMEDY] = STATS_SQL("r.p, pr.kind, COUNT(DISTINCT c.id), COALESCE(SUM(pr.amount_fen), 0), "
	    "COALESCE(SUM(pr.quantity), 0)",
	    STATS_PLAN " JOIN plan_remedy pr ON pr.plan_id = hp.id" STATS_WHERE " GROUP BY r.p, pr.kind"),
	/* The ten most frequent in the period asked for. */
	[STMT_STATS_TOP_CUSTOMERS] = STATS_SQL("c.customer_name, COUNT(*) AS n",
	    STATS_WHERE " AND r.p = 0 GROUP BY c.customer_name ORDER BY n DESC, c.customer_name LIMIT 10"),
	[STMT_STATS_TOP_PRODUCTS] = STATS_SQL("c.product, COUNT(*) AS n",
	    STATS_WHERE " AND r.p = 0 AND c.product <> '' GROUP BY c.product ORDER BY n DESC, c.product LIMIT 10"),
	[STMT_STATS_TOP_PART_LOTS] = STATS_SQL("c.part_no, c.lot, COUNT(*) AS n",
	    STATS_WHERE " AND r.p = 0 AND c.part_no <> '' GROUP BY c.part_no, c.lot ORDER BY n DESC, c.part_no, c.lot "
	    "LIMIT 10"),
	/* The 12-month trend: complaints per local month (offset in minutes), [from, to) in UTC. */
	[STMT_STATS_TREND] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT DATE_FORMAT(c.received_at + INTERVAL ? MINUTE, "
	    "'%Y-%m') AS m, COUNT(*) FROM complaint c WHERE c.received_at >= ? AND c.received_at < ?"
	    " AND (? = '' OR EXISTS (SELECT 1 FROM complaint_assignment d WHERE d.number = c.number"
	    " AND d.department = ? AND d.state <> 'refused')) GROUP BY m",
	/* The monthly reports: a signed one is never changed (every write says signed_at IS NULL). */
	[STMT_STATS_REPORT_GET] =
	    "SELECT id, period, figures, content_hash, frozen_at, frozen_by, signed_at, signer_name "
	    "FROM stats_report WHERE period = ?",
	[STMT_STATS_REPORT_LIST] =
	    "SELECT id, period, content_hash, frozen_at, frozen_by, signed_at, signer_name "
	    "FROM stats_report ORDER BY period DESC LIMIT 240",
	[STMT_STATS_REPORT_LOCK] = "SELECT id, signed_at, content_hash FROM stats_report WHERE period = ? FOR UPDATE",
	[STMT_STATS_REPORT_INSERT] =
	    "INSERT INTO stats_report (period, figures, content_hash, frozen_at, frozen_by) "
	    "VALUES (?, ?, ?, UTC_TIMESTAMP(), ?)",
	[STMT_STATS_REPORT_UPDATE] =
	    "UPDATE stats_report SET figures = ?, content_hash = ?, frozen_at = UTC_TIMESTAMP(), frozen_by = ? "
	    "WHERE id = ? AND signed_at IS NULL",
	[STMT_STATS_REPORT_SIGN] =
	    "UPDATE stats_report SET signed_at = UTC_TIMESTAMP(), signer_uid = ?, signer_name = ? "
	    "WHERE id = ? AND signed_at IS NULL AND content_hash = ?",
#undef STATS_SQL
#undef STATS_PLAN
#undef STATS_WHERE
#undef STATS_JOIN
	/* ---- end stats ---- */
	/* ---- issue 9: search ---- */
	/* The list's count, exact up to 1,000 (1,001 rows read at most): then "more than 1,000". */
	[STMT_LIST_COUNT] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT COUNT(*) FROM (SELECT 1 FROM complaint WHERE "
	    LIST_FILTER " LIMIT 1001) x",
	/*
	 * The list sorted by a column (sort=column, -column for descending), each direction with
	 * its next page after the cursor (the column's value, received_at, id of the last row):
	 * every order is one of complaint's indexes ((column, received_at, id), number, received_at),
	 * so a page reads 51 entries of it. The default, -received_at, is STMT_COMPLAINT_LIST.
	 */
	[STMT_LIST_BY_NUMBER_ASC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY number ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_NUMBER_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (number > ? OR (number = ? AND id > ?))"
	    " ORDER BY number ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_NUMBER_DESC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY number DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_NUMBER_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (number < ? OR (number = ? AND id < ?))"
	    " ORDER BY number DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_RECEIVED_ASC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_RECEIVED_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (received_at > ? OR (received_at = ? AND id > ?))"
	    " ORDER BY received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_CUSTOMER_ASC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY customer_name ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_CUSTOMER_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (customer_name > ? OR (customer_name = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY customer_name ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_CUSTOMER_DESC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY customer_name DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_CUSTOMER_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (customer_name < ? OR (customer_name = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY customer_name DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_STATUS_ASC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY status ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_STATUS_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (status > ? OR (status = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY status ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_STATUS_DESC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY status DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_STATUS_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (status < ? OR (status = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY status DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_CATEGORY_ASC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY category ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_CATEGORY_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (category > ? OR (category = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY category ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_CATEGORY_DESC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY category DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_CATEGORY_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (category < ? OR (category = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY category DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_SEVERITY_ASC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY severity ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_SEVERITY_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (severity > ? OR (severity = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY severity ASC, received_at ASC, id ASC LIMIT 51",
	[STMT_LIST_BY_SEVERITY_DESC] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY severity DESC, received_at DESC, id DESC LIMIT 51",
	[STMT_LIST_BY_SEVERITY_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (severity < ? OR (severity = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY severity DESC, received_at DESC, id DESC LIMIT 51",
	/*
	 * The list as a spreadsheet (/complaints.xlsx, .csv): the list's filters and orders, the
	 * list's columns first (so a row's cursor is made as the list's), then the record's text;
	 * 1,000 rows a statement, page after page by the same keyset cursor, up to the export's
	 * bound. The default order (-received_at) is STMT_EXPORT_BY_RECEIVED_DESC.
	 */
/* The export's columns: LIST_COLS (0..14), then the record's subject and text (15..22). */
#define EXPORT_COLS LIST_COLS ", customer_type, product, part_no, lot, order_no, description, demand, urgency"
	[STMT_EXPORT_BY_NUMBER_ASC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY number ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_NUMBER_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (number > ? OR (number = ? AND id > ?))"
	    " ORDER BY number ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_NUMBER_DESC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY number DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_NUMBER_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (number < ? OR (number = ? AND id < ?))"
	    " ORDER BY number DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_RECEIVED_ASC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_RECEIVED_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (received_at > ? OR (received_at = ? AND id > ?))"
	    " ORDER BY received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_RECEIVED_DESC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_RECEIVED_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (received_at < ? OR (received_at = ? AND id < ?))"
	    " ORDER BY received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_CUSTOMER_ASC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY customer_name ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_CUSTOMER_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (customer_name > ? OR (customer_name = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY customer_name ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_CUSTOMER_DESC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY customer_name DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_CUSTOMER_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (customer_name < ? OR (customer_name = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY customer_name DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_STATUS_ASC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY status ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_STATUS_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (status > ? OR (status = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY status ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_STATUS_DESC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY status DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_STATUS_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (status < ? OR (status = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY status DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_CATEGORY_ASC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY category ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_CATEGORY_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (category > ? OR (category = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY category ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_CATEGORY_DESC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY category DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_CATEGORY_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (category < ? OR (category = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY category DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_SEVERITY_ASC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY severity ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_SEVERITY_ASC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (severity > ? OR (severity = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY severity ASC, received_at ASC, id ASC LIMIT 1000",
	[STMT_EXPORT_BY_SEVERITY_DESC] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " ORDER BY severity DESC, received_at DESC, id DESC LIMIT 1000",
	[STMT_EXPORT_BY_SEVERITY_DESC_AFTER] =
	    "SET STATEMENT max_statement_time = 10 FOR SELECT " EXPORT_COLS " FROM complaint WHERE " LIST_FILTER
	    " AND (severity < ? OR (severity = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY severity DESC, received_at DESC, id DESC LIMIT 1000",
	/* A person's saved searches, by name (the menu shows them; at most 50 are kept). */
	[STMT_SAVED_LIST] =
	    "SELECT id, name, query FROM saved_search WHERE uid = ? ORDER BY name LIMIT 51",
	[STMT_SAVED_INSERT] =
	    "INSERT INTO saved_search (uid, name, query, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP())",
	[STMT_SAVED_GET] = "SELECT id, name, query FROM saved_search WHERE id = ? AND uid = ? FOR UPDATE",
	[STMT_SAVED_DELETE] = "DELETE FROM saved_search WHERE id = ? AND uid = ?",
	/*
	 * The complaints a repeat flag refers to, for links on the complaint page: the same customer
	 * within 90 days either side (as STMT_REPEAT_CUSTOMER decides), or the same part number and
	 * lot; only those the reader may see (the list's rule), the newest ten.
	 */
	[STMT_REPEAT_SAME_CUSTOMER] =
	    "SET STATEMENT max_statement_time = 1 FOR SELECT number FROM complaint WHERE customer_name = ? "
	    "AND received_at BETWEEN ? - INTERVAL 90 DAY AND ? + INTERVAL 90 DAY AND number <> ? "
	    "AND ((? <> '' AND customer_phone = ?) OR (? = '' AND customer_company = ?)) AND (? = 1 OR owner_uid = ? OR (? = 1 AND category = 'product_quality') "
	    "OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = complaint.number AND a.department = ?) "
	    "OR EXISTS (SELECT 1 FROM signature s WHERE s.number = complaint.number AND s.signer_uid = ?)) "
	    "ORDER BY received_at DESC LIMIT 10",
	[STMT_REPEAT_SAME_LOT] =
	    "SET STATEMENT max_statement_time = 1 FOR SELECT number FROM complaint WHERE part_no = ? AND lot = ? "
	    "AND part_no <> '' AND lot <> '' AND number <> ? AND (? = 1 OR owner_uid = ? OR (? = 1 AND category = 'product_quality') "
	    "OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = complaint.number AND a.department = ?) "
	    "OR EXISTS (SELECT 1 FROM signature s WHERE s.number = complaint.number AND s.signer_uid = ?)) "
	    "ORDER BY received_at DESC LIMIT 10",
	/* ---- end search ---- */
	/* ---- issue 8: auditfix ---- */
	/* Refused access, bounded: 1 affected row for the first refusal of the minute, 2 after. */
	[STMT_REFUSAL_COUNT] =
	    "INSERT INTO access_refusal (actor_uid, route, minute, first_path) "
	    "VALUES (?, ?, DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:00'), ?) "
	    "ON DUPLICATE KEY UPDATE n = n + 1",
	/* The signature register's records, one statement per kind for a whole page: the ids come
	 * as one JSON array (at most a page's worth), each looked up on its primary key or index.
	 * Columns as the single-record statements they replace, the key last (register.c). */
#define REG_IDS(col) " " col " IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) j)"
	[STMT_REG_REPORTS_BATCH] =
	    "SELECT number, department, revision, cause, course, responsible, conclusion, countermeasures, "
	    "preventive, id FROM investigation_report WHERE" REG_IDS("id"),
	[STMT_REG_PLANS_BATCH] =
	    "SELECT id, revision, state, responsibility, company_share_pct, loss_fen, amount_fen, "
	    "explanation, required_roles, proposer_uid, proposer_name, proposer_role, proposed_at, "
	    "content_hash, rule_ids, number FROM handling_plan WHERE" REG_IDS("id"),
	[STMT_REG_REMEDIES_BATCH] =
	    "SELECT plan_id, line, kind, amount_fen, quantity, note FROM plan_remedy WHERE" REG_IDS("plan_id")
	    " ORDER BY plan_id, line",
	[STMT_REG_PENALTIES_BATCH] =
	    "SELECT id, number, target_kind, target_department, target_uid, target_name, kind, "
	    "amount_fen, reason, rule_applied, state, version, proposer_uid, proposer_name, proposer_role, "
	    "proposed_at, decided_at, executed_at, executed_by, appeal_reason, appealed_by, appealed_at, content_hash, "
	    "required_roles, rule_ids FROM penalty WHERE" REG_IDS("id"),
	[STMT_REG_8DS_BATCH] = "SELECT " EIGHTD_COLUMNS(CC_SQL) " FROM eightd WHERE" REG_IDS("id"),
	[STMT_REG_8D_VERSIONS_BATCH] =
	    "SELECT " EIGHTD_VERSION_COLUMNS(CC_SQL) ", eightd_id FROM eightd_version WHERE" REG_IDS("eightd_id"),
	[STMT_REG_8D_FILES_BATCH] =
	    "SELECT id, sha256, size, content_type, filename, uploaded_name, uploaded_at, eightd_version, "
	    "discipline, eightd_id FROM attachment WHERE" REG_IDS("eightd_id") " ORDER BY id",
	[STMT_REG_HOLDS_BATCH] = "SELECT content_hash, id FROM hold_notice WHERE" REG_IDS("id"),
#undef REG_IDS
	/* ---- end auditfix ---- */
	/* ---- issue 8: proof ---- */
	/*
	 * kesu-admin audit verify streams the chain in primary-key ranges, one per connection
	 * (db_stream: text protocol, nothing buffered), only the columns the hash covers.
	 */
	[STMT_PROOF_RANGE] =
	    "SELECT seq, at, actor_uid, actor_name, actor_role, entity, entity_id, action, "
	    "before_json, after_json, request_id, client_addr, prev_hash, hash "
	    "FROM audit_event WHERE seq BETWEEN ? AND ? ORDER BY seq",
	/* The first event beyond the head read in the same snapshot (none in an intact chain). */
	[STMT_PROOF_BEYOND] = "SELECT seq FROM audit_event WHERE seq > ? ORDER BY seq LIMIT 1",
	/* ---- end proof ---- */
	/* ---- issue 9: aggregate ---- */
#define STATS_AGG_NO_TOPS " AND s.dim NOT IN ('customer', 'product', 'part_lot')"
#define STATS_AGG_PART(p, more) "SELECT " p ", s.dept, s.dim, s.code, s.n, NULLIF(s.qty, 0), NULLIF(s.def, 0), " \
	"NULLIF(s.amount_fen, 0), NULLIF(s.resp_ok, 0), NULLIF(s.resp_done, 0), NULLIF(s.res_ok, 0), " \
	"NULLIF(s.res_done, 0), NULLIF(s.closed, 0), NULLIF(s.close_min, 0), NULLIF(s.close_wmin, 0), " \
	"NULLIF(s.sat_n, 0), NULLIF(s.sat_sum, 0), NULLIF(s.rep, 0) FROM stats_agg s WHERE s.grain = ? AND s.day >= ? AND s.day < ? " \
	"AND (s.dept = ? OR (s.dim IN ('all', 'res_wait') AND (s.dept = '' OR ? = ''))) AND s.n <> 0" more
	/*
	 * The statistics from the aggregates of sql/022 (docs/statistics.md): for each of the three
	 * periods (0 asked for, 1 before, 2 a year earlier) the grain ('m' for whole months, 'd' for
	 * a date range), its local dates [from, to), then the department twice ('' the whole
	 * company): its own rows, and the figures every department's KPI needs (company view) or the
	 * company's total (a department head). Three ranges of the primary key (grain, day): a year
	 * reads its twelve months' rows, whatever the number of complaints or of years kept. The
	 * rows come as stored and stats_figures.c sums them (no GROUP BY: its temporary table was
	 * most of the statement's time); a zero as NULL (most sums of most rows: nothing for the
	 * client library to convert); the tops (customer, product, part/lot) only for the period
	 * asked for.
	 */
	[STMT_STATS_AGG] =
	    "SET STATEMENT max_statement_time = 10 FOR " STATS_AGG_PART("0", "") " UNION ALL "
	    STATS_AGG_PART("1", STATS_AGG_NO_TOPS) " UNION ALL " STATS_AGG_PART("2", STATS_AGG_NO_TOPS),
	/* Deadlines passed in the current ten minutes before now (the aggregates know the slot,
	 * sql/027, not the minute): per local day received, kind and the departments counting the
	 * complaint. Ranges on complaint_respond_wait / complaint_resolve_wait from the slot's
	 * start (UTC): at most ten minutes of deadlines, whatever the day's volume. */
	[STMT_STATS_AGG_DUE_TODAY] =
	    "SET STATEMENT max_statement_time = 10 FOR "
	    "SELECT DATE(c.received_at + INTERVAL ? MINUTE) AS d, 'resp' AS k, COALESCE((SELECT GROUP_CONCAT("
	    "a.department ORDER BY a.department) FROM complaint_assignment a WHERE a.number = c.number "
	    "AND a.state <> 'refused'), '') AS ds, COUNT(*) FROM complaint c WHERE c.responded_at IS NULL "
	    "AND c.respond_due >= ? AND c.respond_due < UTC_TIMESTAMP() GROUP BY d, k, ds "
	    "UNION ALL SELECT DATE(c.received_at + INTERVAL ? MINUTE) AS d, 'res' AS k, COALESCE((SELECT "
	    "GROUP_CONCAT(a.department ORDER BY a.department) FROM complaint_assignment a WHERE a.number = "
	    "c.number AND a.state <> 'refused'), '') AS ds, COUNT(*) FROM complaint c WHERE c.replied_at IS NULL "
	    "AND c.closed_at IS NULL AND c.resolve_due >= ? AND c.resolve_due < UTC_TIMESTAMP() GROUP BY d, k, ds",
	/* The 12-month trend: complaints per local month of a department ('' the company). */
	[STMT_STATS_AGG_TREND] =
	    "SELECT DATE_FORMAT(day, '%Y-%m'), n FROM stats_agg WHERE grain = 'm' AND day >= ? AND day < ? "
	    "AND dept = ? AND dim = 'all' AND code = ''",
	[STMT_STATS_REPORT_EXISTS] = "SELECT id, content_hash FROM stats_report WHERE period = ?",
#undef STATS_AGG_PART
#undef STATS_AGG_NO_TOPS
	/* ---- end aggregate ---- */
	/* ---- issue 9: find ---- */
	/*
	 * A search (docs/architecture.md, "Search"). Groonga finds the complaints that hold every
	 * word and keeps the newest LIMIT of them by sort_key (sql/023: received_at then id as one
	 * number); with only MATCH in the WHERE, Mroonga hands the whole ORDER BY ... LIMIT to
	 * Groonga (Mroonga_fast_order_limit), so a word in 140,000 complaints costs one pass over
	 * its posting list and a top-N heap, never 140,000 rows. COUNT(*) OVER () tells how many
	 * candidates there were (N: there may be more hits). Only the candidates are read from
	 * complaint, filtered as the list filters (LIST_FILTER, its q left NULL) and put in the
	 * page's order with the list's cursor. The list's columns first, then the export's, then n.
	 */
#define FIND_COLS LIST_COLS ", customer_type, product, part_no, lot, order_no, description, demand, urgency"
#define FIND_PAGE_IN(table) "SET STATEMENT max_statement_time = 3 FOR SELECT " FIND_COLS ", h.n FROM " \
	"(SELECT complaint_id, COUNT(*) OVER () AS n FROM (SELECT complaint_id FROM " table " " \
	"WHERE MATCH (body) AGAINST (? IN BOOLEAN MODE) ORDER BY sort_key DESC LIMIT ?) h0) h " \
	"JOIN complaint ON complaint.id = h.complaint_id WHERE " LIST_FILTER
#define FIND_PAGE FIND_PAGE_IN("complaint_text")
	/*
	 * The same, newest first, from the newest month's copy (sql/023, complaint_text_recent):
	 * a broad word's newest 1,001 hits are there, read from a posting list a twelfth as long.
	 * Fewer candidates than asked for: the caller asks complaint_text.
	 */
	[STMT_FIND_RECENT] = FIND_PAGE_IN("complaint_text_recent") " ORDER BY received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_RECENT_AFTER] = FIND_PAGE_IN("complaint_text_recent")
	    " AND (received_at < ? OR (received_at = ? AND id < ?)) ORDER BY received_at DESC, id DESC LIMIT ?",
	/* How many hits pass the filters, all of them (not only candidates): exact up to 1,000
	 * (1,001 rows read at most, in no order, so nothing is sorted). */
	[STMT_FIND_COUNT] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT COUNT(*) FROM (SELECT 1 FROM "
	    "(SELECT complaint_id FROM complaint_text WHERE MATCH (body) AGAINST (? IN BOOLEAN MODE)) h "
	    "JOIN complaint ON complaint.id = h.complaint_id WHERE " LIST_FILTER " LIMIT 1001) x",
	/*
	 * A search exported newest first, every hit up to the export's bound: Groonga's next LIMIT
	 * hits older than sort_key ? (none for the first batch), each with its sort_key (the last
	 * one is where the next batch starts) and, when the reader may see it and it passes the
	 * filters, its row (else NULLs: the LEFT JOIN keeps the key of a hit that is left out).
	 */
#define FIND_EXPORT(range) "SET STATEMENT max_statement_time = 10 FOR SELECT " FIND_COLS ", h.sort_key FROM " \
	"(SELECT complaint_id, sort_key FROM complaint_text WHERE MATCH (body) AGAINST (? IN BOOLEAN MODE) " \
	range "ORDER BY sort_key DESC LIMIT ?) h LEFT JOIN complaint ON complaint.id = h.complaint_id AND " \
	LIST_FILTER " ORDER BY h.sort_key DESC"
	[STMT_FIND_EXPORT] = FIND_EXPORT(""),
	[STMT_FIND_EXPORT_FROM] = FIND_EXPORT("AND sort_key < ? "),
	[STMT_FIND_BY_NUMBER_ASC] = FIND_PAGE " ORDER BY number ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_NUMBER_ASC_AFTER] = FIND_PAGE " AND (number > ? OR (number = ? AND id > ?))"
	    " ORDER BY number ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_NUMBER_DESC] = FIND_PAGE " ORDER BY number DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_NUMBER_DESC_AFTER] = FIND_PAGE " AND (number < ? OR (number = ? AND id < ?))"
	    " ORDER BY number DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_RECEIVED_ASC] = FIND_PAGE " ORDER BY received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_RECEIVED_ASC_AFTER] = FIND_PAGE " AND (received_at > ? OR (received_at = ? AND id > ?))"
	    " ORDER BY received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_RECEIVED_DESC] = FIND_PAGE " ORDER BY received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_RECEIVED_DESC_AFTER] = FIND_PAGE " AND (received_at < ? OR (received_at = ? AND id < ?))"
	    " ORDER BY received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_CUSTOMER_ASC] = FIND_PAGE " ORDER BY customer_name ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_CUSTOMER_ASC_AFTER] = FIND_PAGE " AND (customer_name > ? OR (customer_name = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY customer_name ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_CUSTOMER_DESC] = FIND_PAGE " ORDER BY customer_name DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_CUSTOMER_DESC_AFTER] = FIND_PAGE " AND (customer_name < ? OR (customer_name = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY customer_name DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_STATUS_ASC] = FIND_PAGE " ORDER BY status ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_STATUS_ASC_AFTER] = FIND_PAGE " AND (status > ? OR (status = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY status ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_STATUS_DESC] = FIND_PAGE " ORDER BY status DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_STATUS_DESC_AFTER] = FIND_PAGE " AND (status < ? OR (status = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY status DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_CATEGORY_ASC] = FIND_PAGE " ORDER BY category ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_CATEGORY_ASC_AFTER] = FIND_PAGE " AND (category > ? OR (category = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY category ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_CATEGORY_DESC] = FIND_PAGE " ORDER BY category DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_CATEGORY_DESC_AFTER] = FIND_PAGE " AND (category < ? OR (category = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY category DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_SEVERITY_ASC] = FIND_PAGE " ORDER BY severity ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_SEVERITY_ASC_AFTER] = FIND_PAGE " AND (severity > ? OR (severity = ? AND (received_at > ? OR (received_at = ? AND id > ?))))"
	    " ORDER BY severity ASC, received_at ASC, id ASC LIMIT ?",
	[STMT_FIND_BY_SEVERITY_DESC] = FIND_PAGE " ORDER BY severity DESC, received_at DESC, id DESC LIMIT ?",
	[STMT_FIND_BY_SEVERITY_DESC_AFTER] = FIND_PAGE " AND (severity < ? OR (severity = ? AND (received_at < ? OR (received_at = ? AND id < ?))))"
	    " ORDER BY severity DESC, received_at DESC, id DESC LIMIT ?",
#undef FIND_EXPORT
#undef FIND_PAGE
#undef FIND_PAGE_IN
#undef FIND_COLS
	/* ---- end find ---- */
	/* ---- issue 10: floor ---- */
	/*
	 * The list's count without filters (list_answer): STMT_LIST_COUNT evaluates the filters on
	 * every row it counts (1,001 rows read whole, with the confidentiality subqueries), where
	 * these read 1,001 entries of one index. A reader who sees everything: any 1,001
	 * complaints. Anyone else: their own complaints; 1,001 of them is "more than 1,000",
	 * fewer sends the list to STMT_LIST_COUNT (assignments and signatures count too).
	 */
	[STMT_LIST_COUNT_ALL] = "SELECT COUNT(*) FROM (SELECT 1 FROM complaint LIMIT 1001) x",
	[STMT_LIST_COUNT_OWNER] =
	    "SELECT COUNT(*) FROM (SELECT 1 FROM complaint WHERE owner_uid = ? LIMIT 1001) x",
	/* ---- end floor ---- */
	/* ---- issue 10: faults ---- */
	/* A registration form's key (form_key.c, sql/025): one row per registration sent with a key. */
	[STMT_FORM_KEY_CLAIM] =
	    "INSERT INTO registration_key (owner_uid, form_key, created_at) VALUES (?, ?, UTC_TIMESTAMP())",
	[STMT_FORM_KEY_GET] =
	    "SELECT number FROM registration_key WHERE owner_uid = ? AND form_key = ? LOCK IN SHARE MODE",
	[STMT_FORM_KEY_BIND] =
	    "UPDATE registration_key SET number = ? WHERE owner_uid = ? AND form_key = ?",
	/* ---- end faults ---- */
	/* ---- issue 11: cluster ---- */
	/* A lease (026): taken when free or expired, or renewed by its holder. On Galera the row's
	 * write set is certified like any other: two hosts never both take it. */
	[STMT_LEASE_TAKE] =
	    "UPDATE lease SET taken_at = IF(holder = ?, taken_at, UTC_TIMESTAMP()), holder = ?, "
	    "expires_at = UTC_TIMESTAMP() + INTERVAL ? SECOND "
	    "WHERE name = ? AND (expires_at < UTC_TIMESTAMP() OR holder = ?)",
	/* Read in the taking transaction: affected rows cannot tell a renewal in the same second. */
	[STMT_LEASE_HOLDER] =
	    "SELECT holder, expires_at FROM lease WHERE name = ?",
	[STMT_LEASE_RELEASE] =
	    "UPDATE lease SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE name = ? AND holder = ?",
	/* db.commit_check: a db_tx call's mark, the first statement of each attempt (db_tx). */
	[STMT_TX_MARK] =
	    "INSERT INTO tx_commit (token, at) VALUES (?, UTC_TIMESTAMP())",
	[STMT_TX_MARKED] =
	    "SELECT 1 FROM tx_commit WHERE token = ?",
	/* The sweep: marks older than a day answer nobody any more (bounded, on tx_commit_at). */
	[STMT_TX_MARK_PURGE] =
	    "DELETE FROM tx_commit WHERE at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 10000",
	/* ---- end cluster ---- */
	/* ---- issue 9: statsfast ---- */
	/* Today's deadlines not met yet, per department, kind and (day received, ten-minute slot)
	 * (sql/027, grain 'w'): one range of the primary key. Binds: the local day, the department
	 * twice ('' the whole company: every department's rows too). */
	[STMT_STATS_AGG_WAIT_TODAY] =
	    "SELECT dept, dim, code, n FROM stats_agg WHERE grain = 'w' AND day = ? "
	    "AND (dept = ? OR dept = '' OR ? = '') AND n <> 0",
	/* ---- end statsfast ---- */
	/* ---- issue 10: pages ---- */
	/* A worker's copy of a session proven alive by the page's statement (sess_cache.h):
	 * its idle seconds, NULL when the row is gone, expired or idle too long; the chain
	 * head; the departments' generation (sql/030, as STMT_SESSION_GET: view.c's cache).
	 * Bound "si": the token hash, the idle limit. SESS_PROOF_NCOLS columns. */
#define SESS_PROOF_COLS \
	"(SELECT TIMESTAMPDIFF(SECOND, last_seen, UTC_TIMESTAMP()) FROM session " \
	"WHERE token_hash = ? AND expires_at > UTC_TIMESTAMP() " \
	"AND last_seen > UTC_TIMESTAMP() - INTERVAL ? SECOND), " \
	"(SELECT last_seq FROM audit_head WHERE id = 1), " \
	GENS_COL
	/*
	 * The pages people open all day in one round trip (sess_cache.h): the page's statement
	 * also proves the worker's copy of the session alive (SESS_PROOF_COLS) and reads the
	 * chain head the header's count is kept by. The list's first page without filters,
	 * newest first, with its bounded count: every complaint for a reader who sees all (_ALL,
	 * as STMT_LIST_COUNT_ALL: no rule, every row is theirs); any other reader's is
	 * STMT_VIS_PAGE(_OWN). The uncorrelated subqueries are evaluated once, not per row.
	 */
	[STMT_PAGES_LIST_ALL] =
	    "SELECT " LIST_COLS ", " SESS_PROOF_COLS ", (SELECT COUNT(*) FROM (SELECT 1 FROM complaint LIMIT 1001) x) "
	    "FROM complaint ORDER BY received_at DESC, id DESC LIMIT 51",
	/* _ALL once the worker has seen more than 1,000 complaints: no complaint is ever deleted,
	 * so "more than 1,000" stays true and need not be counted again (same columns, count NULL).
	 * What the floor's list reads, and the proof. */
	[STMT_PAGES_LIST_MANY] =
	    "SELECT " LIST_COLS ", " SESS_PROOF_COLS ", NULL FROM complaint ORDER BY received_at DESC, id DESC LIMIT 51",
	/* A reader who does not see all: STMT_VIS_PAGE (issue 10: agentvis). */
	/* STMT_COMPLAINT_PAGE with the proof after its columns (CP_PROOF_AGE, CP_PROOF_HEAD). */
	[STMT_PAGES_COMPLAINT_PAGE] =
	    "SELECT " COMPLAINT_PAGE_COLS ", " SESS_PROOF_COLS " FROM " COMPLAINT_PAGE_READER_FROM " WHERE c.number = ?",
	/* ---- end pages ---- */
	/* ---- issue 11: textrepl ---- */
	/* This node's mark (its own Aria row: not replicated) and the journal's newest seq. */
	[STMT_SEARCH_SYNC_STATE] =
	    "SELECT (SELECT seq FROM complaint_text_mark WHERE node = @@wsrep_node_name), "
	    "(SELECT seq FROM complaint_text_journal ORDER BY seq DESC LIMIT 1)",
	/* The last seq of the next batch after the mark. */
	[STMT_SEARCH_SYNC_UPTO] =
	    "SELECT MAX(seq) FROM (SELECT seq FROM complaint_text_journal WHERE seq > ? ORDER BY seq LIMIT ?) x",
	/*
	 * The batch's complaints whose text this node lacks or holds otherwise: every complaint's
	 * text is written here, after the registration's COMMIT (complaint.c), on every node.
	 * One autocommit statement: the rows it reads are share-locked for its few milliseconds.
	 */
#define SYNC_BODY "CONCAT_WS(' ', c.number, c.customer_name, c.customer_company, c.product, c.part_no, " \
	"c.lot, c.order_no, c.subject_person, c.description, c.demand)"
	[STMT_SEARCH_SYNC_APPLY] =
	    "REPLACE INTO complaint_text (complaint_id, received_at, body) "
	    "SELECT c.id, c.received_at, " SYNC_BODY " FROM complaint_text_journal j "
	    "JOIN complaint c ON c.id = j.complaint_id WHERE j.seq > ? AND j.seq <= ? AND NOT EXISTS "
	    "(SELECT 1 FROM complaint_text t WHERE t.complaint_id = c.id AND t.received_at = c.received_at "
	    "AND t.body = " SYNC_BODY " COLLATE utf8mb4_bin)",
#undef SYNC_BODY
	/* The mark only moves forward (two workers may catch up at once). */
	[STMT_SEARCH_SYNC_MARK] =
	    "INSERT INTO complaint_text_mark (node, seq) VALUES (@@wsrep_node_name, ?) "
	    "ON DUPLICATE KEY UPDATE seq = GREATEST(seq, VALUES(seq))",
	/* ---- end textrepl ---- */
	/* ---- issue 10: listfast ---- */
	/* ---- end listfast ---- */
	/* ---- issue 10: agentvis ---- */
	/*
	 * The list of a reader who does not see all, newest first: LIST_VISIBLE as a UNION of
	 * four index ranges, each read newest first and cut at 51 entries — the reader's own
	 * (complaint_owner), the reader's department's and the reader's signatures' (sql/031:
	 * complaint_reader_recent), product quality for those who see it (complaint_category;
	 * nothing otherwise) — then the newest 51 of at most 204, each complaint once. The same
	 * rows as LIST_VISIBLE, in the same order: a complaint is visible exactly when it is in
	 * one of the four sets, and the newest 51 of a union are among the newest 51 of its parts.
	 * Each branch binds its key, then the filters (VIS_F: LIST_FILTER_ROWS, LIST_FILTER_STATS),
	 * then, on later pages, the cursor (received_at, received_at, id).
	 */
#define VIS_F LIST_FILTER_ROWS LIST_FILTER_STATS
#define VIS_AFTER(at, id) " AND (" at " < ? OR (" at " = ? AND " id " < ?))"
#define VIS_OWN(cur) "(SELECT id AS vid, received_at AS vat FROM complaint WHERE owner_uid = ? AND " VIS_F cur \
	" ORDER BY received_at DESC, id DESC LIMIT 51)"
#define VIS_READER(kind, cur) "(SELECT r.complaint_id, r.complaint_received_at FROM complaint_reader r " \
	"STRAIGHT_JOIN complaint ON complaint.id = r.complaint_id WHERE r.reader = CONCAT('" kind "', ?) AND " \
	VIS_F cur " ORDER BY r.complaint_received_at DESC, r.complaint_id DESC LIMIT 51)"
#define VIS_QUALITY(cur) "(SELECT id, received_at FROM complaint WHERE ? = 1 AND category = 'product_quality' AND " \
	VIS_F cur " ORDER BY received_at DESC, id DESC LIMIT 51)"
#define VIS_UNION(c1, c2) VIS_OWN(c1) " UNION " VIS_READER("d:", c2) " UNION " VIS_READER("u:", c2) \
	" UNION " VIS_QUALITY(c1)
	[STMT_VIS_LIST] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM (" VIS_UNION("", "") ") v "
	    "STRAIGHT_JOIN complaint ON complaint.id = v.vid ORDER BY v.vat DESC, v.vid DESC LIMIT 51",
	[STMT_VIS_LIST_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS " FROM ("
	    VIS_UNION(VIS_AFTER("received_at", "id"), VIS_AFTER("r.complaint_received_at", "r.complaint_id")) ") v "
	    "STRAIGHT_JOIN complaint ON complaint.id = v.vid ORDER BY v.vat DESC, v.vid DESC LIMIT 51",
	/*
	 * The same pages for a reader whose own complaints are all they see (sees_quality 0 and
	 * nothing in complaint_reader): one branch, a quarter of the union's planning. Each row
	 * carries whether that holds (LIST_VIS_ROW_GUARD, 1: it does not — list_vis.c then reads
	 * the union), read by the same statement.
	 */
#define VIS_GUARD "EXISTS (SELECT 1 FROM complaint_reader WHERE reader IN (CONCAT('d:', ?), CONCAT('u:', ?)))"
	[STMT_VIS_LIST_OWN] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS ", " VIS_GUARD " FROM complaint "
	    "WHERE owner_uid = ? AND " VIS_F " ORDER BY received_at DESC, id DESC LIMIT 51",
	[STMT_VIS_LIST_OWN_AFTER] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS ", " VIS_GUARD " FROM complaint "
	    "WHERE owner_uid = ? AND " VIS_F VIS_AFTER("received_at", "id") " ORDER BY received_at DESC, id DESC LIMIT 51",
	[STMT_VIS_COUNT_OWN] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT COUNT(*) FROM (SELECT 1 FROM complaint "
	    "WHERE owner_uid = ? AND " VIS_F " LIMIT 1001) x",
	/* How many, exact up to 1,000: each branch's first 1,001, each complaint once (a branch
	 * that reaches 1,001 makes it "more than 1,000" whatever the others hold). */
#define VIS_COUNT_OF(f) "SELECT COUNT(*) FROM ((SELECT id FROM complaint WHERE owner_uid = ? AND " f " LIMIT 1001) " \
	"UNION (SELECT r.complaint_id FROM complaint_reader r STRAIGHT_JOIN complaint ON complaint.id = r.complaint_id " \
	"WHERE r.reader = CONCAT('d:', ?) AND " f " LIMIT 1001) " \
	"UNION (SELECT r.complaint_id FROM complaint_reader r STRAIGHT_JOIN complaint ON complaint.id = r.complaint_id " \
	"WHERE r.reader = CONCAT('u:', ?) AND " f " LIMIT 1001) " \
	"UNION (SELECT id FROM complaint WHERE ? = 1 AND category = 'product_quality' AND " f " LIMIT 1001)) x"
	[STMT_VIS_COUNT] = "SET STATEMENT max_statement_time = 3 FOR " VIS_COUNT_OF(VIS_F),
	/*
	 * The first page without filters in one round trip (as STMT_PAGES_LIST_*: the session's
	 * proof rides along; the count column is NULL: list_vis.c keeps each reader's count with
	 * the chain head it was read at, and reads it again, STMT_VIS_COUNT, only when the head
	 * has moved). The indexes are named: each branch has one that reads it in order, and the
	 * choice among those that start alike cost more to plan than the branch to read.
	 */
#define VIS_PAGE_OWN "(SELECT id AS vid, received_at AS vat FROM complaint FORCE INDEX (complaint_owner) " \
	"WHERE owner_uid = ? ORDER BY received_at DESC, id DESC LIMIT 51)"
#define VIS_PAGE_READER(kind) "(SELECT complaint_id, complaint_received_at FROM complaint_reader " \
	"FORCE INDEX (complaint_reader_recent) WHERE reader = CONCAT('" kind "', ?) " \
	"ORDER BY complaint_received_at DESC, complaint_id DESC LIMIT 51)"
#define VIS_PAGE_QUALITY "(SELECT id, received_at FROM complaint FORCE INDEX (complaint_category) " \
	"WHERE ? = 1 AND category = 'product_quality' ORDER BY received_at DESC, id DESC LIMIT 51)"
	[STMT_VIS_PAGE] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS ", " SESS_PROOF_COLS ", NULL FROM ("
	    VIS_PAGE_OWN " UNION " VIS_PAGE_READER("d:") " UNION " VIS_PAGE_READER("u:") " UNION " VIS_PAGE_QUALITY
	    ") v STRAIGHT_JOIN complaint ON complaint.id = v.vid ORDER BY v.vat DESC, v.vid DESC LIMIT 51",
	/*
	 * The same page for a reader who sees product quality no more than anyone (sees_quality 0)
	 * and for whom complaint_reader holds nothing: their own complaints are all they see, one
	 * index range as the supervisor's list (the union costs MariaDB twice that to plan and
	 * run). Whether that holds is read by the same statement (its last column, 1: it does not
	 * — list_vis.c then reads STMT_VIS_PAGE), so the page is never short of a row.
	 */
	[STMT_VIS_PAGE_OWN] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS ", " SESS_PROOF_COLS ", NULL, "
	    VIS_GUARD " FROM complaint FORCE INDEX (complaint_owner) WHERE owner_uid = ? ORDER BY received_at DESC, id DESC LIMIT 51",
#undef VIS_GUARD
#undef VIS_PAGE_OWN
#undef VIS_PAGE_READER
#undef VIS_PAGE_QUALITY
#undef VIS_COUNT_OF
#undef VIS_UNION
#undef VIS_QUALITY
#undef VIS_READER
#undef VIS_OWN
#undef VIS_AFTER
#undef VIS_F
	/* ---- end agentvis ---- */
	/* ---- issue 10: pagefast ---- */
	/*
	 * STMT_COMPLAINT_PAGE / STMT_PAGES_COMPLAINT_PAGE for a reader who sees every complaint
	 * (SEES_ALL): the same columns, the three access facts (CP_IN_DEPARTMENT, CP_SIGNED_BY_ME,
	 * CP_PENDING_SIGNERS) as constants, since complaint_may_see() does not read them for such a
	 * reader and nothing else does; three subqueries fewer at every view.
	 */
	[STMT_PAGEFAST_PAGE_ALL] =
	    "SELECT " COMPLAINT_COLS ", 0, 0, NULL, " COMPLAINT_PAGE_COUNTS " FROM " COMPLAINT_PAGE_FROM " WHERE c.number = ?",
	[STMT_PAGEFAST_PAGES_ALL] =
	    "SELECT " COMPLAINT_COLS ", 0, 0, NULL, " COMPLAINT_PAGE_COUNTS ", " SESS_PROOF_COLS
	    " FROM " COMPLAINT_PAGE_FROM " WHERE c.number = ?",
	/*
	 * STMT_REPEAT_SAME_LOT / _SAME_CUSTOMER for a reader who sees every complaint (SEES_ALL):
	 * without the rule of who sees a row, whose EXISTS subqueries MariaDB materialises at every
	 * execution although "? = 1" already holds (over a quarter of the statement's server time at 1 M).
	 */
	/* Issue 10 (pagefacts): each on the one index that reads it newest first, named, so that
	 * MariaDB does not weigh five indexes at every execution, and that holds the number, so no
	 * row is read (sql/033) — the customer's case: a complaint with a phone; without one,
	 * STMT_PAGEFACTS_REPEAT_COMPANY_ALL. */
	[STMT_PAGEFAST_REPEAT_LOT_ALL] =
	    "SET STATEMENT max_statement_time = 1 FOR SELECT number FROM complaint "
	    "FORCE INDEX (complaint_part_lot_links) WHERE part_no = ? AND lot = ? "
	    "AND part_no <> '' AND lot <> '' AND number <> ? ORDER BY received_at DESC LIMIT 10",
	[STMT_PAGEFAST_REPEAT_CUSTOMER_ALL] =
	    "SET STATEMENT max_statement_time = 1 FOR SELECT number FROM complaint "
	    "FORCE INDEX (complaint_customer_phone_links) WHERE customer_name = ? AND customer_phone = ? "
	    "AND received_at BETWEEN ? - INTERVAL 90 DAY AND ? + INTERVAL 90 DAY AND number <> ? "
	    "ORDER BY received_at DESC LIMIT 10",
	/* ---- end pagefast ---- */
	/* ---- issue 10: regload ---- */
	/* ---- end regload ---- */
	/* ---- issue 10: pagefacts ---- */
	/* STMT_PAGEFAST_REPEAT_CUSTOMER_ALL for a complaint without a phone: the same customer
	 * name and company within 90 days (STMT_REPEAT_SAME_CUSTOMER's second case). */
	[STMT_PAGEFACTS_REPEAT_COMPANY_ALL] =
	    "SET STATEMENT max_statement_time = 1 FOR SELECT number FROM complaint "
	    "FORCE INDEX (complaint_customer_company_links) WHERE customer_name = ? AND customer_company = ? "
	    "AND received_at BETWEEN ? - INTERVAL 90 DAY AND ? + INTERVAL 90 DAY AND number <> ? "
	    "ORDER BY received_at DESC LIMIT 10",
	/* ---- end pagefacts ---- */
	/* ---- issue 10: regfast2 ---- */
	/* ---- end regfast2 ---- */
	/* ---- issue 10: listp99 ---- */
	/*
	 * STMT_VIS_PAGE_OWN for a reader this worker saw own-only at the chain head it expects
	 * now: the same columns with the guard column NULL — a twentieth of the statement's
	 * server time was the guard's subquery. list_vis.c takes the rows only when the head this
	 * statement reads (its proof) is still the one the guard was read at: complaint_reader
	 * changes only with audited writes (its triggers run in the transaction that moves the
	 * head), so at that head it still holds nothing for the reader. Bound "si" "s".
	 */
	[STMT_LISTP99_VIS_PAGE_OWN_KNOWN] =
	    "SET STATEMENT max_statement_time = 3 FOR SELECT " LIST_COLS ", " SESS_PROOF_COLS ", NULL, NULL "
	    "FROM complaint FORCE INDEX (complaint_owner) WHERE owner_uid = ? ORDER BY received_at DESC, id DESC LIMIT 51",
	/* ---- end listp99 ---- */
	/* ---- issue 10: pagerender ---- */
	/* ---- end pagerender ---- */
	/* ---- issue 10: rescache ---- */
	/* The session's proof alone (SESS_PROOF_COLS), for a page whose rows this worker keeps
	 * while the chain head stands still (res_cache.h). */
	[STMT_RESCACHE_PROOF] = "SELECT " SESS_PROOF_COLS,
	/* ---- end rescache ---- */
	/* ---- issue 10: statsjournal ---- */
	/* The registrations' statistics folded from their journal (sql/037, stats_fold.c): the
	 * folders one at a time, the batch's highest id, its rows added grouped (032's trigger's
	 * nineteen rows a complaint, from the journal row instead of NEW), then taken out. */
	[STMT_STATS_FOLD_ANY] = "SELECT id FROM stats_journal LIMIT 1",
	[STMT_STATS_FOLD_LOCK] = "SELECT folded FROM stats_fold_mark WHERE id = 1 FOR UPDATE",
	[STMT_STATS_FOLD_TOP] = "SELECT MAX(id) FROM (SELECT id FROM stats_journal ORDER BY id LIMIT ?) t",
	[STMT_STATS_FOLD_ADD] =
	    "INSERT INTO stats_agg (grain, day, dept, dim, code, n, qty, def, closed, rep) "
	    "SELECT x.grain, x.gday, '', x.dim, x.code, COUNT(*), SUM(x.qty), SUM(x.def), SUM(x.closed), SUM(x.rep) "
	    "FROM (SELECT ELT(s.k, 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'm', 'm', "
	    "        'd', 'd', 'd', 'd', 'd', 'd', 'd', 'w', 'w') AS grain, "
	    "    CASE WHEN s.k <= 10 THEN j.mon WHEN s.k <= 17 THEN j.day "
	    "        WHEN s.k = 18 THEN DATE(j.respond_due + INTERVAL j.off MINUTE) "
	    "        ELSE DATE(j.resolve_due + INTERVAL j.off MINUTE) END AS gday, "
	    "    ELT(s.k, 'all', 'category', 'severity', 'channel', 'customer_type', 'resp_wait', 'res_wait', "
	    "        'customer', 'product', 'part_lot', "
	    "        'all', 'category', 'severity', 'channel', 'customer_type', 'resp_wait', 'res_wait', "
	    "        'resp_slot', 'res_slot') AS dim, "
	    "    ELT(s.k, '', j.category, j.severity, j.channel, j.customer_type, "
	    "        DATE(j.respond_due + INTERVAL j.off MINUTE), "
	    "        IF(j.resolve_due IS NULL, NULL, DATE(j.resolve_due + INTERVAL j.off MINUTE)), "
	    "        j.customer_name, NULLIF(j.product, ''), IF(j.part_no = '', NULL, CONCAT(j.part_no, CHAR(9), j.lot)), "
	    "        '', j.category, j.severity, j.channel, j.customer_type, "
	    "        DATE(j.respond_due + INTERVAL j.off MINUTE), "
	    "        IF(j.resolve_due IS NULL, NULL, DATE(j.resolve_due + INTERVAL j.off MINUTE)), "
	    "        IF(j.respond_due IS NULL, NULL, CONCAT(j.day, ' ', "
	    "            LPAD(TIME_TO_SEC(TIME(j.respond_due + INTERVAL j.off MINUTE)) DIV 600, 3, '0'))), "
	    "        IF(j.resolve_due IS NULL, NULL, CONCAT(j.day, ' ', "
	    "            LPAD(TIME_TO_SEC(TIME(j.resolve_due + INTERVAL j.off MINUTE)) DIV 600, 3, '0')))) AS code, "
	    "    IF(s.k IN (1, 11), COALESCE(j.quantity, 0), 0) AS qty, "
	    "    IF(s.k IN (1, 11), COALESCE(j.defective_quantity, 0), 0) AS def, "
	    "    IF(s.k IN (1, 11), j.status = 'closed', 0) AS closed, "
	    "    IF(s.k IN (1, 11), j.repeat_reason <> '', 0) AS rep "
	    "  FROM (SELECT jj.category, jj.severity, jj.channel, jj.customer_type, jj.customer_name, jj.product, "
	    "        jj.part_no, jj.lot, jj.quantity, jj.defective_quantity, jj.status, jj.repeat_reason, "
	    "        jj.respond_due, jj.resolve_due, o.utc_offset_min AS off, "
	    "        DATE(jj.received_at + INTERVAL o.utc_offset_min MINUTE) AS day, "
	    "        DATE(jj.received_at + INTERVAL o.utc_offset_min MINUTE) - INTERVAL "
	    "            (DAYOFMONTH(jj.received_at + INTERVAL o.utc_offset_min MINUTE) - 1) DAY AS mon "
	    "      FROM stats_journal jj JOIN stats_local o ON o.id = 1 WHERE jj.id <= ?) j "
	    "  JOIN stats_slot s) x "
	    "WHERE x.code IS NOT NULL "
	    "GROUP BY x.grain, x.gday, x.dim, x.code "
	    "ON DUPLICATE KEY UPDATE stats_agg.n = stats_agg.n + VALUES(n), stats_agg.qty = stats_agg.qty + VALUES(qty), "
	    "  stats_agg.def = stats_agg.def + VALUES(def), stats_agg.closed = stats_agg.closed + VALUES(closed), "
	    "  stats_agg.rep = stats_agg.rep + VALUES(rep)",
	[STMT_STATS_FOLD_DROP] = "DELETE FROM stats_journal WHERE id <= ?",
	[STMT_STATS_FOLD_MARK] = "UPDATE stats_fold_mark SET folded = folded + ? WHERE id = 1",
	/* ---- end statsjournal ---- */
};

const char *
db_stmt_sql(enum stmt id)
{
	return id < STMT__MAX ? stmts[id] : NULL;
}

/*
 * The parameters each statement takes, one letter a "?" in order (s string, i integer,
 * u unsigned, d double): db.c checks at prepare time that the SQL has as many, and every
 * db_exec() passes exactly this string — a statement and its callers cannot drift apart.
 */
static const char *const stmt_binds[STMT__MAX] = {
	[STMT_NOW_UTC] = "",
	[STMT_SESSION_INSERT] = "sssssusi",
	[STMT_SESSION_GET] = "si",
	[STMT_SESSION_TOUCH] = "s",
	[STMT_SESSION_DELETE] = "s",
	[STMT_SESSION_PURGE] = "i",
	[STMT_LOGIN_FAIL_GET] = "s",
	[STMT_LOGIN_FAIL_UPSERT] = "siii",
	[STMT_LOGIN_FAIL_CLEAR] = "s",
	[STMT_AUDIT_HEAD_LOCK] = "",
	[STMT_AUDIT_INSERT] = "usssssssssssss",
	[STMT_AUDIT_FOR_ENTITY] = "ss",
	[STMT_AUDIT_SCAN] = "u",
	[STMT_AUDIT_HEAD_GET] = "",
	[STMT_SEVERITY_GET] = "i",
	[STMT_SEVERITY_LIST] = "",
	[STMT_COMPLAINT_SEQ_NEXT] = "i",
	[STMT_COMPLAINT_SEQ_HEAD] = "i",
	[STMT_LAST_INSERT_ID] = "",
	[STMT_COMPLAINT_COUNT] = "",
	[STMT_COMPLAINT_INSERT] = "siissssssssssssssssssssssissssss",
	[STMT_REPEAT_BY_PHONE] = "ssss",
	[STMT_REPEAT_BY_COMPANY] = "ssss",
	[STMT_REPEAT_LOT] = "ssssss",
	[STMT_COMPLAINT_GET] = "s",
	[STMT_COMPLAINT_LIST] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_COMPLAINT_LIST_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_COMPLAINT_LOCK] = "s",
	[STMT_COMPLAINT_SET_STATUS] = "ssi",
	[STMT_DEPARTMENT_LIST] = "",
	[STMT_ASSIGNMENT_UPSERT] = "sss",
	[STMT_ASSIGNMENT_LIST] = "s",
	[STMT_ASSIGNMENT_DECIDE] = "sssss",
	[STMT_ASSIGNMENT_OPEN] = "s",
	[STMT_WORK_OWNED] = "s",
	[STMT_WORK_BY_STATUS] = "s",
	[STMT_WORK_ASSIGNMENTS] = "s",
	[STMT_WORK_REPORTS] = "s",
	[STMT_WORK_PLANS] = "s",
	[STMT_COMPLAINT_ACCESS] = "sss",
	[STMT_COMPLAINT_PAGE] = "sss",
	[STMT_COMPLAINT_SET_REPLY] = "ss",
	[STMT_COMPLAINT_SET_CALLBACK] = "iss",
	[STMT_COMPLAINT_SET_OWNER] = "sssi",
	[STMT_AUTHORITY_RULES] = "s",
	[STMT_AUTHORITY_ALL] = "",
	[STMT_AUTHORITY_GET] = "i",
	[STMT_AUTHORITY_INSERT] = "sssis",
	[STMT_AUTHORITY_DELETE] = "i",
	[STMT_REPORT_LIST] = "s",
	[STMT_REPORT_LOCK] = "ss",
	[STMT_REPORT_INSERT] = "sssisssssssss",
	[STMT_REPORT_UPDATE] = "sisssssssssii",
	[STMT_REPORT_SET_STATE] = "ss",
	[STMT_REPORT_UNSIGNED] = "s",
	[STMT_SIGNATURE_INSERT] = "sssisssssss",
	[STMT_SIGNATURE_LIST] = "s",
	[STMT_SIGNATURE_ROLES] = "ssi",
	[STMT_PLAN_LIST] = "s",
	[STMT_PLAN_LOCK_CURRENT] = "s",
	[STMT_PLAN_NEXT_REVISION] = "s",
	[STMT_PLAN_INSERT] = "sisiiissssss",
	[STMT_PLAN_SET_STATE] = "ss",
	[STMT_REMEDY_INSERT] = "iissss",
	[STMT_REMEDY_LIST] = "s",
	[STMT_ATTACHMENT_INSERT] = "ssssissss",
	[STMT_ATTACHMENT_LIST] = "s",
	[STMT_ATTACHMENT_GET] = "s",
	[STMT_PENALTY_INSERT] = "ssssssssssssss",
	[STMT_PENALTY_GET] = "s",
	[STMT_PENALTY_LOCK] = "i",
	[STMT_PENALTY_DECIDE] = "sii",
	[STMT_PENALTY_EXECUTE] = "sii",
	[STMT_PENALTY_APPEAL] = "ssii",
	[STMT_PENALTY_FOR_COMPLAINT] = "s",
	[STMT_PENALTY_LIST] = "ssssississii",
	[STMT_PENALTY_LIST_AFTER] = "ssssississiis",
	[STMT_PENALTY_WORK] = "si",
	[STMT_FINANCE_REMEDIES] = "i",
	[STMT_FINANCE_REMEDIES_AFTER] = "is",
	[STMT_REMEDY_LOCK] = "ss",
	[STMT_REMEDY_EXECUTE] = "sssss",
	[STMT_CALENDAR_WEEK] = "",
	[STMT_CALENDAR_WEEK_LOCK] = "",
	[STMT_CALENDAR_WEEK_SET] = "issss",
	[STMT_CALENDAR_EXCEPTIONS] = "",
	[STMT_CALENDAR_EXCEPTION_LOCK] = "s",
	[STMT_CALENDAR_EXCEPTION_ADD] = "ssss",
	[STMT_CALENDAR_EXCEPTION_DELETE] = "s",
	[STMT_CLOCK_COMPLAINT] = "s",
	[STMT_CLOCK_COMPLAINT_LOCK] = "s",
	[STMT_CLOCK_STATUS_CHANGES] = "s",
	[STMT_CLOCK_ASSIGNMENTS] = "s",
	[STMT_SWEEP_OPEN_CANDIDATES] = "",
	[STMT_SWEEP_DUE_LOCK] = "s",
	[STMT_SWEEP_DUE_SET] = "ss",
	[STMT_SWEEP_DUE_DROP] = "s",
	[STMT_SWEEP_CLOSED_CANDIDATES] = "",
	[STMT_REMINDER_ISSUE] = "sssssss",
	[STMT_REMINDER_FOR_COMPLAINT] = "s",
	[STMT_REMINDER_FOR_ADDRESSEE] = "ss",
	[STMT_INQUIRY_ISSUE] = "sssss",
	[STMT_INQUIRY_OPEN_FOR_ADDRESSEE] = "ss",
	[STMT_INQUIRY_FOR_COMPLAINT] = "s",
	[STMT_INQUIRY_GET] = "s",
	[STMT_INQUIRY_LOCK] = "s",
	[STMT_INQUIRY_ANSWER] = "ssss",
	[STMT_8D_INSERT] = "sssssisiii",
	[STMT_8D_GET] = "s",
	[STMT_8D_LOCK] = "s",
	[STMT_8D_SET_DONE] = "iiiis",
	[STMT_8D_LINK] = "iss",
	[STMT_8D_COMPLAINTS] = "s",
	[STMT_8D_FOR_COMPLAINT] = "s",
	[STMT_8D_VERSION_INSERT] = "iisssssssssss",
	[STMT_8D_VERSIONS] = "s",
	[STMT_8D_VERSION_LOCK] = "s",
	[STMT_8D_VERSION_SAVE] = "sssssssssssii",
	[STMT_8D_VERSION_SUBMIT] = "sii",
	[STMT_8D_VERSION_DECIDE] = "sss",
	[STMT_8D_SIGNATURES] = "ss",
	[STMT_8D_SENT_INSERT] = "sissss",
	[STMT_8D_SENT_LIST] = "s",
	[STMT_8D_ATTACHMENT_INSERT] = "ssissssiis",
	[STMT_8D_ATTACHMENT_LIST] = "s",
	[STMT_HOLD_INSERT] = "ssssss",
	[STMT_HOLD_LINE_INSERT] = "iisssss",
	[STMT_HOLD_LIST] = "s",
	[STMT_HOLD_LINES] = "s",
	[STMT_HOLD_LOCK] = "ss",
	[STMT_HOLD_RELEASE] = "s",
	[STMT_WORK_8D_SUBMITTED] = "",
	[STMT_WORK_8D_OWNED] = "s",
	[STMT_SWEEP_8D_CANDIDATES] = "ssss",
	[STMT_SECRET_INSERT] = "ss",
	[STMT_SECRET_GET] = "s",
	[STMT_SESSION_SET_ADDR] = "ss",
	[STMT_SESSION_EXCESS] = "ssi",
	[STMT_SESSION_LIST_MINE] = "si",
	[STMT_SESSION_END_OTHERS] = "ss",
	[STMT_TRIAGE_FACTS] = "s",
	[STMT_TRIAGE_CORRECT] = "siiiis",
	[STMT_8D_APPROVED_COUNT] = "s",
	[STMT_REPEAT_MARK] = "ss",
	[STMT_MAIL_QUEUE] = "sssss",
	[STMT_MAIL_CLAIM] = "si",
	[STMT_MAIL_CLAIMED] = "s",
	[STMT_MAIL_SENT] = "ss",
	[STMT_MAIL_RETRY] = "isss",
	[STMT_MAIL_FAILED] = "sss",
	[STMT_REMINDER_LOCK] = "s",
	[STMT_REMINDER_ACK] = "sss",
	[STMT_WORK_COUNT] = "s" "ssssssssssss" "ssss" "sss" "sssi",
	[STMT_WORK_PENALTY_MINE] = "isi",
	[STMT_AUDIT_LAST_CHANGE] = "ss",
	/* ---- issue 8: trail ---- */
	[STMT_TRAIL_RECORD] = "sssss" TRAIL_FILTER_BINDS "u",
	[STMT_TRAIL_ACTOR] = "s" TRAIL_FILTER_BINDS "u",
	[STMT_TRAIL_SCAN] = TRAIL_FILTER_BINDS "u",
	[STMT_TRAIL_SEQ_FROM] = "s",
	[STMT_TRAIL_SEQ_TO] = "s",
	[STMT_TRAIL_PENALTY_NUMBER] = "u",
	/* ---- end trail ---- */
	/* ---- issue 8: register ---- */
	[STMT_REG_SIGNATURES] = "issssssssiiii",
	[STMT_REG_FAILURES] = "ssss",
	[STMT_REG_REPORT_GET] = "s",
	[STMT_REG_HOLD_GET] = "s",
	[STMT_REG_EXC_PARTY] = "ss",
	[STMT_REG_EXC_SIGNERS] = "ssss",
	[STMT_REG_EXC_SIGNED] = "ss",
	[STMT_REG_EXC_PENALTY] = "ss",
	[STMT_REG_EXC_CALLBACK] = "ss",
	[STMT_REG_EXC_8D] = "ss",
	[STMT_REG_EXC_REMINDER] = "sss",
	[STMT_REG_REVIEW_INSERT] = "ssissss",
	[STMT_REG_REVIEW_LIST] = "i",
	[STMT_REG_REVIEW_LAST] = "",
	/* ---- end register ---- */
	/* ---- issue 8: history ---- */
	[STMT_AUTHORITY_VERSION_ADD] = "isssis",
	[STMT_AUTHORITY_VERSION_END] = "i",
	[STMT_AUTHORITY_AS_OF] = "ss",
	[STMT_CALENDAR_WEEK_VERSION_END] = "i",
	[STMT_CALENDAR_WEEK_VERSION_ADD] = "issss",
	[STMT_CALENDAR_WEEK_AS_OF] = "ss",
	[STMT_CALENDAR_EXCEPTION_VERSION_END] = "s",
	[STMT_CALENDAR_EXCEPTION_VERSION_ADD] = "ssss",
	[STMT_CALENDAR_EXCEPTIONS_AS_OF] = "ss",
	[STMT_AS_OF_EVENTS] = "ssus",
	[STMT_AS_OF_SIGNATURES] = "ss",
	[STMT_AS_OF_SEQ_AT] = "u",
	[STMT_AS_OF_8D_SIGNATURES] = "sss",
	[STMT_PLAN_SET_RULES] = "si",
	[STMT_PENALTY_SET_RULES] = "si",
	/* ---- end history ---- */
	/* ---- issue 8: verify ---- */
	[STMT_VERIFY_RUN_INSERT] = "ssuss",
	[STMT_VERIFY_RUN_GET] = "u",
	[STMT_VERIFY_RUN_LOCK] = "u",
	[STMT_VERIFY_RUN_UPDATE] = "ususssusu",
	[STMT_VERIFY_RUN_LIST] = "",
	[STMT_CHECKPOINT_LIST] = "",
	[STMT_CHECKPOINT_INSERT] = "usussss",
	[STMT_VIEW_LOG] = "ssssssss",
	[STMT_VIEW_BY_RECORD] = "su",
	[STMT_VIEW_BY_ACTOR] = "su",
	[STMT_DOSSIER_EVENTS] = "ss",
	[STMT_DOSSIER_8D_VERSIONS] = "s",
	[STMT_DOSSIER_HOLDS] = "s",
	[STMT_VERIFY_SCAN] = "u",
	/* ---- end verify ---- */
	/* ---- issue 9: stats ---- */
	[STMT_STATS_TOTALS] = "ssssssss",
	[STMT_STATS_MEDIAN] = "ssssssss",
	[STMT_STATS_BY_CATEGORY] = "ssssssss",
	[STMT_STATS_BY_SEVERITY] = "ssssssss",
	[STMT_STATS_BY_CHANNEL] = "ssssssss",
	[STMT_STATS_BY_CUSTOMER_TYPE] = "ssssssss",
	[STMT_STATS_BY_DEPARTMENT] = "ssssssss",
	[STMT_STATS_BY_RESPONSIBILITY] = "ssssssss",
	[STMT_STATS_BY_REMEDY] = "ssssssss",
	[STMT_STATS_TOP_CUSTOMERS] = "ssssssss",
	[STMT_STATS_TOP_PRODUCTS] = "ssssssss",
	[STMT_STATS_TOP_PART_LOTS] = "ssssssss",
	[STMT_STATS_TREND] = "issss",
	[STMT_STATS_REPORT_GET] = "s",
	[STMT_STATS_REPORT_LIST] = "",
	[STMT_STATS_REPORT_LOCK] = "s",
	[STMT_STATS_REPORT_INSERT] = "ssss",
	[STMT_STATS_REPORT_UPDATE] = "ssss",
	[STMT_STATS_REPORT_SIGN] = "ssss",
	/* ---- end stats ---- */
	/* ---- issue 9: search ---- */
	[STMT_LIST_COUNT] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_NUMBER_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_NUMBER_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_LIST_BY_NUMBER_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_NUMBER_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_LIST_BY_RECEIVED_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_RECEIVED_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_LIST_BY_CUSTOMER_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_CUSTOMER_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_CUSTOMER_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_CUSTOMER_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_STATUS_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_STATUS_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_STATUS_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_STATUS_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_CATEGORY_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_CATEGORY_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_CATEGORY_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_CATEGORY_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_SEVERITY_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_SEVERITY_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_LIST_BY_SEVERITY_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_LIST_BY_SEVERITY_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_NUMBER_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_NUMBER_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_EXPORT_BY_NUMBER_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_NUMBER_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_EXPORT_BY_RECEIVED_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_RECEIVED_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_EXPORT_BY_RECEIVED_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_RECEIVED_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu",
	[STMT_EXPORT_BY_CUSTOMER_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_CUSTOMER_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_CUSTOMER_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_CUSTOMER_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_STATUS_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_STATUS_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_STATUS_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_STATUS_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_CATEGORY_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_CATEGORY_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_CATEGORY_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_CATEGORY_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_SEVERITY_ASC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_SEVERITY_ASC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_EXPORT_BY_SEVERITY_DESC] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_EXPORT_BY_SEVERITY_DESC_AFTER] = "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu",
	[STMT_SAVED_LIST] = "s",
	[STMT_SAVED_INSERT] = "sss",
	[STMT_SAVED_GET] = "us",
	[STMT_SAVED_DELETE] = "us",
	[STMT_REPEAT_SAME_CUSTOMER] = "ssssssss" "isiss",
	[STMT_REPEAT_SAME_LOT] = "sss" "isiss",
	/* ---- end search ---- */
	/* ---- issue 8: auditfix ---- */
	[STMT_REFUSAL_COUNT] = "sss",
	[STMT_REG_REPORTS_BATCH] = "s",
	[STMT_REG_PLANS_BATCH] = "s",
	[STMT_REG_REMEDIES_BATCH] = "s",
	[STMT_REG_PENALTIES_BATCH] = "s",
	[STMT_REG_8DS_BATCH] = "s",
	[STMT_REG_8D_VERSIONS_BATCH] = "s",
	[STMT_REG_8D_FILES_BATCH] = "s",
	[STMT_REG_HOLDS_BATCH] = "s",
	/* ---- end auditfix ---- */
	/* ---- issue 8: proof ---- */
	[STMT_PROOF_RANGE] = "uu",
	[STMT_PROOF_BEYOND] = "u",
	/* ---- end proof ---- */
	/* ---- issue 9: aggregate ---- */
	[STMT_STATS_AGG] = "sssss" "sssss" "sssss",
	[STMT_STATS_AGG_DUE_TODAY] = "isis",
	[STMT_STATS_AGG_TREND] = "sss",
	[STMT_STATS_REPORT_EXISTS] = "s",
	/* ---- end aggregate ---- */
	/* ---- issue 9: find ---- */
	[STMT_FIND_COUNT] = "s" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_FIND_RECENT] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_RECENT_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu" "i",
	[STMT_FIND_EXPORT] = "s" "i" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_FIND_EXPORT_FROM] = "s" "i" "i" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS,
	[STMT_FIND_BY_NUMBER_ASC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_NUMBER_ASC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu" "i",
	[STMT_FIND_BY_NUMBER_DESC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_NUMBER_DESC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu" "i",
	[STMT_FIND_BY_RECEIVED_ASC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_RECEIVED_ASC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu" "i",
	[STMT_FIND_BY_RECEIVED_DESC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_RECEIVED_DESC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssu" "i",
	[STMT_FIND_BY_CUSTOMER_ASC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_CUSTOMER_ASC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_CUSTOMER_DESC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_CUSTOMER_DESC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_STATUS_ASC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_STATUS_ASC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_STATUS_DESC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_STATUS_DESC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_CATEGORY_ASC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_CATEGORY_ASC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_CATEGORY_DESC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_CATEGORY_DESC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_SEVERITY_ASC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_SEVERITY_ASC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	[STMT_FIND_BY_SEVERITY_DESC] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "i",
	[STMT_FIND_BY_SEVERITY_DESC_AFTER] = "si" "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS "ssssu" "i",
	/* ---- end find ---- */
	/* ---- issue 10: floor ---- */
	[STMT_LIST_COUNT_ALL] = "",
	[STMT_LIST_COUNT_OWNER] = "s",
	/* ---- end floor ---- */
	/* ---- issue 10: faults ---- */
	[STMT_FORM_KEY_CLAIM] = "ss",
	[STMT_FORM_KEY_GET] = "ss",
	[STMT_FORM_KEY_BIND] = "sss",
	/* ---- end faults ---- */
	/* ---- issue 11: cluster ---- */
	[STMT_LEASE_TAKE] = "ssiss",
	[STMT_LEASE_HOLDER] = "s",
	[STMT_LEASE_RELEASE] = "ss",
	[STMT_TX_MARK] = "s",
	[STMT_TX_MARKED] = "s",
	[STMT_TX_MARK_PURGE] = "",
	/* ---- end cluster ---- */
	/* ---- issue 9: statsfast ---- */
	[STMT_STATS_AGG_WAIT_TODAY] = "sss",
	/* ---- end statsfast ---- */
	/* ---- issue 10: pages ---- */
	[STMT_PAGES_LIST_ALL] = "si",
	[STMT_PAGES_LIST_MANY] = "si",
	[STMT_PAGES_COMPLAINT_PAGE] = "si" "ss" "s",
	/* ---- end pages ---- */
	/* ---- issue 11: textrepl ---- */
	[STMT_SEARCH_SYNC_STATE] = "",
	[STMT_SEARCH_SYNC_UPTO] = "ii",
	[STMT_SEARCH_SYNC_APPLY] = "ii",
	[STMT_SEARCH_SYNC_MARK] = "i",
	/* ---- end textrepl ---- */
	/* ---- issue 10: listfast ---- */
	/* ---- end listfast ---- */
	/* ---- issue 10: agentvis ---- */
#define VIS_FB "sssssssssssssssss" LIST_FILTER_STATS_BINDS   /* LIST_FILTER_ROWS, LIST_FILTER_STATS */
	[STMT_VIS_LIST] = "s" VIS_FB "s" VIS_FB "s" VIS_FB "i" VIS_FB,
	[STMT_VIS_LIST_AFTER] = "s" VIS_FB "ssu" "s" VIS_FB "ssu" "s" VIS_FB "ssu" "i" VIS_FB "ssu",
	[STMT_VIS_COUNT] = "s" VIS_FB "s" VIS_FB "s" VIS_FB "i" VIS_FB,
	[STMT_VIS_PAGE] = "si" "sssi",
	[STMT_VIS_PAGE_OWN] = "si" "ss" "s",
	[STMT_VIS_LIST_OWN] = "ss" "s" VIS_FB,
	[STMT_VIS_LIST_OWN_AFTER] = "ss" "s" VIS_FB "ssu",
	[STMT_VIS_COUNT_OWN] = "s" VIS_FB,
#undef VIS_FB
	/* ---- end agentvis ---- */
	/* ---- issue 10: pagefast ---- */
	[STMT_PAGEFAST_PAGE_ALL] = "s",
	[STMT_PAGEFAST_PAGES_ALL] = "si" "s",
	[STMT_PAGEFAST_REPEAT_LOT_ALL] = "sss",
	[STMT_PAGEFAST_REPEAT_CUSTOMER_ALL] = "sssss",
	/* ---- end pagefast ---- */
	/* ---- issue 10: regload ---- */
	/* ---- end regload ---- */
	/* ---- issue 10: pagefacts ---- */
	[STMT_PAGEFACTS_REPEAT_COMPANY_ALL] = "sssss",
	/* ---- end pagefacts ---- */
	/* ---- issue 10: regfast2 ---- */
	/* ---- end regfast2 ---- */
	/* ---- issue 10: listp99 ---- */
	[STMT_LISTP99_VIS_PAGE_OWN_KNOWN] = "si" "s",
	/* ---- end listp99 ---- */
	/* ---- issue 10: pagerender ---- */
	/* ---- end pagerender ---- */
	/* ---- issue 10: rescache ---- */
	[STMT_RESCACHE_PROOF] = "si",
	/* ---- end rescache ---- */
	/* ---- issue 10: statsjournal ---- */
	[STMT_STATS_FOLD_ANY] = "",
	[STMT_STATS_FOLD_LOCK] = "",
	[STMT_STATS_FOLD_TOP] = "i",
	[STMT_STATS_FOLD_ADD] = "u",
	[STMT_STATS_FOLD_DROP] = "u",
	[STMT_STATS_FOLD_MARK] = "u",
	/* ---- end statsjournal ---- */
};

const char *
db_stmt_binds(enum stmt id)
{
	return id < STMT__MAX ? stmt_binds[id] : NULL;
}
