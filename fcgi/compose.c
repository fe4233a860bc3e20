/* compose.c: the complaint page and My work, each composed in one place from a table of sections. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "sess_cache.h"
#include "compose.h"
#include "res_cache.h"
#include "complaint.h"
#include "i18n.h"
#include "lifecycle_gaps.h"
#include "access.h"
#include "sections.h"
#include "view_next.h"
#include "whose.h"
#include "work.h"
#include "waiting.h"
#include "workflow.h"

/* The complaint's columns (db.h: COMPLAINT_COLUMNS) after id, number, status, received_at that are plain fields. */
static const struct {
	int col;
	const char *name;
	const char *enum_field;   /* label prefix, or NULL */
	const char *label_name;   /* name "_label", when enum_field */
} detail_cols[] = {
	{ CC_CHANNEL, "channel", "channel", "channel_label" }, { CC_CUSTOMER_NAME, "customer_name", NULL, NULL },
	{ CC_CUSTOMER_COMPANY, "customer_company", NULL, NULL },
	{ CC_CUSTOMER_TYPE, "customer_type", "customer_type", "customer_type_label" },
	{ CC_CUSTOMER_PHONE, "customer_phone", NULL, NULL }, { CC_CUSTOMER_EMAIL, "customer_email", NULL, NULL },
	{ CC_CUSTOMER_ADDRESS, "customer_address", NULL, NULL }, { CC_PRODUCT, "product", NULL, NULL },
	{ CC_PART_NO, "part_no", NULL, NULL }, { CC_ORDER_NO, "order_no", NULL, NULL },
	{ CC_LOT, "lot", NULL, NULL }, { CC_QUANTITY, "quantity", NULL, NULL },
	{ CC_DEFECTIVE_QUANTITY, "defective_quantity", NULL, NULL }, { CC_DELIVERY_DATE, "delivery_date", NULL, NULL },
	{ CC_SUBJECT_PERSON, "subject_person", NULL, NULL }, { CC_DESCRIPTION, "description", NULL, NULL },
	{ CC_DEMAND, "demand", "demand", "demand_label" }, { CC_URGENCY, "urgency", "urgency", "urgency_label" },
	{ CC_CATEGORY, "category", "category", "category_label" }, { CC_OWNER_UID, "owner_uid", NULL, NULL },
	{ CC_OWNER_NAME, "owner_name", NULL, NULL }, { CC_CREATED_BY, "created_by", NULL, NULL },
};

/* Whether the person's department has an assignment in state st ("pending") in the result of STMT_ASSIGNMENT_LIST. */
static int
own_assignment(const struct req *r, const struct db_res *as, const char *st)
{
	for (size_t i = 0; i < as->nrows; i++)
		if (strcmp(as->rows[i][AS_DEPARTMENT], r->sess->department) == 0 && strcmp(as->rows[i][AS_STATE], st) == 0)
			return 1;
	return 0;
}

/*
 * The complaints a repeat flag refers to (issue 9): c.repeat_of = [{number, url}], those the
 * reader may see, newest first, at most ten. Nothing is added when the lookup fails (the flag
 * itself still shows).
 */
static void
repeat_links(struct app *app, struct req *r, char **row, struct json_object *c)
{
	struct json_object *arr;
	struct db_res res;
	int64_t all = sess_has(r, SEES_ALL), quality = sess_has(r, SEES_QUALITY);
	int rc, cached;
	/* Everything the statements below bind, and which one runs (res_cache.h): the same key at
	 * the same stamp gives the same links (complaint and complaint_reader rows). A reader who
	 * sees all: whoever reads. */
	const char *vals[] = { row[CC_NUMBER], row[CC_REPEAT_REASON], row[CC_PART_NO], row[CC_LOT],
	    row[CC_CUSTOMER_NAME], row[CC_CUSTOMER_PHONE], row[CC_CUSTOMER_COMPANY], row[CC_RECEIVED_AT],
	    all ? "all" : r->sess->uid, all ? "" : r->sess->department, quality ? "q" : "" };
	const char *key = res_cache_key(r->a, "repeat", vals, sizeof(vals) / sizeof(vals[0]));

	/* A reader who sees every complaint: the statements without the rule (cheaper to run). */
	if ((cached = res_cache_get(key, RES_STAMP(r), r->a, &res, NULL)) != 0)
		rc = KESU_OK;
	else if (all && strcmp(row[CC_REPEAT_REASON], "same_lot") == 0)
		rc = db_exec(app->db, r->a, STMT_PAGEFAST_REPEAT_LOT_ALL, &res, "sss", row[CC_PART_NO], row[CC_LOT],
		    row[CC_NUMBER]);
	else if (all)   /* the same customer: by phone, or by company when there is no phone */
		rc = db_exec(app->db, r->a, *row[CC_CUSTOMER_PHONE] != '\0' ? STMT_PAGEFAST_REPEAT_CUSTOMER_ALL :
		    STMT_PAGEFACTS_REPEAT_COMPANY_ALL, &res, "sssss", row[CC_CUSTOMER_NAME],
		    *row[CC_CUSTOMER_PHONE] != '\0' ? row[CC_CUSTOMER_PHONE] : row[CC_CUSTOMER_COMPANY],
		    row[CC_RECEIVED_AT], row[CC_RECEIVED_AT], row[CC_NUMBER]);
	else if (strcmp(row[CC_REPEAT_REASON], "same_lot") == 0)
		rc = db_exec(app->db, r->a, STMT_REPEAT_SAME_LOT, &res, "sss" "isiss", row[CC_PART_NO], row[CC_LOT],
		    row[CC_NUMBER], all, r->sess->uid, quality, r->sess->department, r->sess->uid);
	else
		rc = db_exec(app->db, r->a, STMT_REPEAT_SAME_CUSTOMER, &res, "ssssssss" "isiss", row[CC_CUSTOMER_NAME],
		    row[CC_RECEIVED_AT], row[CC_RECEIVED_AT], row[CC_NUMBER], row[CC_CUSTOMER_PHONE],
		    row[CC_CUSTOMER_PHONE], row[CC_CUSTOMER_PHONE], row[CC_CUSTOMER_COMPANY],
		    all, r->sess->uid, quality, r->sess->department, r->sess->uid);
	if (rc == KESU_OK && !cached)
		res_cache_put(key, RES_STAMP(r), &res, 0);
	if (rc != KESU_OK || res.nrows == 0)
		return;
	arr = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		struct json_object *o = json_object_new_object();
		JADD(o, "number", jstr(res.rows[i][0]));
		JADD(o, "url", json_object_new_string(arena_printf(r->a, "/complaints/%s", res.rows[i][0])));
		json_object_array_add(arr, o);
	}
	JADD(c, "repeat_of", arr);
	JADD(c, "has_repeat_of", json_object_new_boolean(1));
}

/* [{code, name}] of the active departments, for the assign form. */
static struct json_object *
department_options(struct app *app, struct req *r)
{
	struct json_object *arr = json_object_new_array();
	struct db_res res;

	if (view_departments(app, r->a, &res) != KESU_OK)
		return arr;
	for (size_t i = 0; i < res.nrows; i++) {
		struct json_object *o = json_object_new_object();
		JADD(o, "code", jstr(res.rows[i][0]));
		JADD(o, "name", jstr(res.rows[i][r->lang == LANG_ZH ? 1 : 2]));
		json_object_array_add(arr, o);
	}
	return arr;
}

/*
 * The steps this person may take now, for the page's forms:
 * [{action, label, needs_reason, confirm, departments}].
 */
/* The triage form's choices: category and level, the current ones selected (issue 7). */
static struct json_object *
triage_options(struct req *r, const char *category, const char *severity)
{
	struct json_object *o = json_object_new_object(), *cats = json_object_new_array();
	struct json_object *levels = json_object_new_array();

	for (int k = 0; complaint_categories[k] != NULL; k++) {
		struct json_object *x = json_object_new_object();
		JADD(x, "code", jstr(complaint_categories[k]));
		JADD(x, "label", jstr(view_label(r, "category", complaint_categories[k])));
		JADD(x, "selected", json_object_new_boolean(strcmp(category, complaint_categories[k]) == 0));
		json_object_array_add(cats, x);
	}
	for (int k = 0; complaint_severities[k] != NULL; k++) {
		struct json_object *x = json_object_new_object();
		JADD(x, "code", jstr(complaint_severities[k]));
		JADD(x, "label", jstr(view_label(r, "severity", complaint_severities[k])));
		JADD(x, "selected", json_object_new_boolean(severity != NULL &&
		    strcmp(severity, complaint_severities[k]) == 0));
		json_object_array_add(levels, x);
	}
	JADD(o, "categories", cats);
	JADD(o, "severities", levels);
	return o;
}

static struct json_object *
action_list(struct app *app, struct req *r, const char *status, const char *owner_uid,
    const char *category, const char *severity, int close_reason, const struct db_res *assignments)
{
	struct json_object *arr = json_object_new_array();
	enum caction acts[CA__MAX];
	enum cstate st = cstate_from_name(status);
	int n;

	if (st == CS__MAX)
		return arr;
	n = workflow_actions(st, r->sess->roles, strcmp(owner_uid, r->sess->uid) == 0, acts, CA__MAX);
	/* A head whose department accepts after another one did: the case is already investigating. */
	if (st == CS_INVESTIGATING && own_assignment(r, assignments, "pending") &&
	    sess_has(r, workflow_find(CS_ASSIGNED, CA_ACCEPT_ASSIGNMENT)->roles) && n + 2 <= CA__MAX) {
		acts[n++] = CA_ACCEPT_ASSIGNMENT;
		acts[n++] = CA_REFUSE_ASSIGNMENT;
	}
	for (int i = 0; i < n; i++) {
		const struct wf_transition *t = workflow_find(st == CS_INVESTIGATING &&
		    (acts[i] == CA_ACCEPT_ASSIGNMENT || acts[i] == CA_REFUSE_ASSIGNMENT) ? CS_ASSIGNED : st, acts[i]);
		struct json_object *o;
		if (!workflow_on_page(acts[i]) || t == NULL || !workflow_fits_category(acts[i], category))
			continue;
		/* Accepting or refusing is for the head of a department the complaint waits for. */
		if ((acts[i] == CA_ACCEPT_ASSIGNMENT || acts[i] == CA_REFUSE_ASSIGNMENT) &&
		    !own_assignment(r, assignments, "pending"))
			continue;
		o = json_object_new_object();
		JADD(o, "action", json_object_new_string(caction_name(acts[i])));
		JADD(o, "label", jstr(view_label(r, "caction", caction_name(acts[i]))));
		JADD(o, "needs_reason", json_object_new_boolean(t->needs_reason));
		/* Closing steps end the case: the page asks before it sends them. */
		if (t->to == CS_CLOSED)
			JADD(o, "confirm", jstr(T(r, "confirm_close")));
		if (acts[i] == CA_ASSIGN)
			JADD(o, "departments", department_options(app, r));
		if (acts[i] == CA_TRIAGE_SUBSTANTIATED)
			JADD(o, "triage", triage_options(r, category, severity));
		if (acts[i] == CA_CLOSE && close_reason)
			JADD(o, "close_reason_hint", jstr(T(r, "close_reason_no_8d_hint")));
		if (acts[i] == CA_RECORD_REPLY)
			JADD(o, "needs_reply", json_object_new_boolean(1));
		if (acts[i] == CA_RECORD_CALLBACK) {
			struct json_object *sc = json_object_new_array();
			for (int k = 5; k >= 1; k--) {
				struct json_object *so = json_object_new_object();
				JADD(so, "value", json_object_new_int(k));
				JADD(so, "label", jstr(view_label(r, "satisfaction",
				    arena_printf(r->a, "%d", k))));
				json_object_array_add(sc, so);
			}
			JADD(o, "satisfaction_options", sc);
			JADD(o, "needs_satisfaction", json_object_new_boolean(1));
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

/* ---- the complaint page's sections ---- */

/* What every section of the complaint page is given: the page statement's row (CC_, CP_
 * names), the complaint's history and its assignments. */
struct complaint_ctx {
	char **row;
	const struct db_res *hist;
	const struct db_res *assignments;
};

static int
section_plans(struct app *app, struct req *r, struct json_object *v, const struct complaint_ctx *cx)
{
	return plans_view(app, r, v, cx->row, cx->assignments);
}

static int
section_attachments(struct app *app, struct req *r, struct json_object *v, const struct complaint_ctx *cx)
{
	return attachments_view(app, r, v, r->arg, cx->assignments, atol(cx->row[CP_N_ATTACHMENTS]) > 0);
}

static int
section_clocks(struct app *app, struct req *r, struct json_object *v, const struct complaint_ctx *cx)
{
	return clocks_view_add(app, r, cx->row, cx->hist, cx->assignments, v);
}

static int
section_penalties(struct app *app, struct req *r, struct json_object *v, const struct complaint_ctx *cx)
{
	return penalties_view(app, r, v, r->arg, cx->assignments, atol(cx->row[CP_N_PENALTIES]) > 0);
}

static int
section_8d(struct app *app, struct req *r, struct json_object *v, const struct complaint_ctx *cx)
{
	return eightd_complaint_view(app, r, v, r->arg, cx->row[CC_CATEGORY], atol(cx->row[CP_N_8DS]) > 0);
}

/*
 * The sections of the complaint page, in the order they fill the view model. Each is given
 * what the page statement already read (so a section with nothing to show runs no query),
 * and none of them calls another: a new section is one line here and one builder.
 */
static const struct {
	const char *name;
	int (*fn)(struct app *, struct req *, struct json_object *, const struct complaint_ctx *);
} complaint_sections[] = {
	{ "plans", section_plans },           /* reports, plans, signatures, their forms */
	{ "attachments", section_attachments },
	{ "clocks", section_clocks },         /* SLA clocks and overdue inquiries */
	{ "penalties", section_penalties },
	{ "8d", section_8d },
};

/*
 * The page statement's row (CC_, CP_ columns): this worker's copy when the stamp it was read at
 * is proven unchanged (res_cache.h), else read — a cached session proven alive by the same
 * statement (sess_cache.h). The row depends on the complaint, the reader's uid and department
 * (its access facts) and on complaint, complaint_facts, complaint_reader and the calendar's
 * generation only; a reader who sees every complaint reads it without the access facts, the
 * same for all of them.
 */
static int
page_row(struct app *app, struct req *r, struct db_res *res)
{
	int all = sess_has(r, SEES_ALL), rc;
	const char *vals[] = { r->arg, all ? "all" : r->sess->uid, all ? "" : r->sess->department };
	const char *key = res_cache_key(r->a, "page", vals, sizeof(vals) / sizeof(vals[0]));
	struct db_res keep;
	struct res_stamp at;
	int hit;

	if ((rc = sess_cache_kept(app, r, key, res, NULL, &hit)) != KESU_OK || hit)
		return rc;
	if (r->sess->unproven && all)
		rc = db_exec(app->db, r->a, STMT_PAGEFAST_PAGES_ALL, res, "sis", r->sess->token_hash,
		    (int64_t)app->sess_idle, r->arg);
	else if (r->sess->unproven)
		rc = db_exec(app->db, r->a, STMT_PAGES_COMPLAINT_PAGE, res, "sisss", r->sess->token_hash,
		    (int64_t)app->sess_idle, r->sess->department, r->sess->uid, r->arg);
	else if (all)
		rc = db_exec(app->db, r->a, STMT_PAGEFAST_PAGE_ALL, res, "s", r->arg);
	else
		rc = db_exec(app->db, r->a, STMT_COMPLAINT_PAGE, res, "sss", r->sess->department, r->sess->uid,
		    r->arg);
	if (rc != KESU_OK)
		return rc;
	/* The stamp the row is kept at: read by the same statement, or before it (never after: a
	 * session read again because the proof failed read a stamp newer than the row). */
	at = RES_STAMP(r);
	if (r->sess->unproven) {
		char **proof = res->nrows == 1 ? res->rows[0] + CP__MAX : NULL;
		at = proof_stamp(proof);
		if ((rc = sess_cache_prove(app, r, proof)) != KESU_OK)
			return rc;
	}
	/* Kept without the proof's columns. */
	if (res->nrows == 1) {
		keep = *res;
		keep.ncols = CP__MAX;
		res_cache_put(key, at, &keep, 0);
	}
	return KESU_OK;
}

int
complaint_page(struct app *app, struct req *r, struct json_object **out)
{
	struct db_res res, hist, as;
	struct json_object *v, *c, *h;
	struct complaint_ctx cx;
	char **row, now[32];
	int rc;

	if (!complaint_number_valid(r->arg))
		return KESU_ENOTFOUND;
	if ((rc = page_row(app, r, &res)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	row = res.rows[0];
	if (!complaint_may_see(r, row[CC_OWNER_UID], row[CC_CATEGORY], row[CP_IN_DEPARTMENT], row[CP_SIGNED_BY_ME], row[CP_PENDING_SIGNERS])) {
		r->refused = r->arg;   /* refused access, recorded by main.c (access_log.h) */
		return KESU_ENOTFOUND;
	}
	/* The history changes only with an audited step, which moves the chain head: a worker's
	 * copy read at the stamp this request read is the history (res_cache.h). */
	{
		const char *key = res_cache_key(r->a, "history", (const char *[]){ r->arg }, 1);
		if (!res_cache_get(key, RES_STAMP(r), r->a, &hist, NULL)) {
			if ((rc = db_exec(app->db, r->a, STMT_AUDIT_FOR_ENTITY, &hist, "ss", "complaint", r->arg)) != KESU_OK)
				return rc;
			res_cache_put(key, RES_STAMP(r), &hist, 0);
		}
	}

	v = view_new(app, r);
	c = json_object_new_object();
	JADD(c, "number", jstr(row[CC_NUMBER]));
	JADD(c, "status", jstr(row[CC_STATUS]));
	JADD(c, "status_label", jstr(view_label(r, "status", row[CC_STATUS])));
	JADD(c, "received_at", jstr(view_local_time(app, r->a, row[CC_RECEIVED_AT])));
	for (size_t i = 0; i < sizeof(detail_cols) / sizeof(detail_cols[0]); i++) {
		const char *val = row[detail_cols[i].col];
		/* The names are the table's literals: json-c keeps them without a copy (view.h: JADD). */
		json_object_object_add_ex(c, detail_cols[i].name, jstr(val), JSON_C_OBJECT_ADD_CONSTANT_KEY);
		if (detail_cols[i].enum_field != NULL)
			json_object_object_add_ex(c, detail_cols[i].label_name,
			    jstr(view_label(r, detail_cols[i].enum_field, val)), JSON_C_OBJECT_ADD_CONSTANT_KEY);
	}
	JADD(c, "customer_vip", json_object_new_boolean(row[CC_CUSTOMER_VIP] && atoi(row[CC_CUSTOMER_VIP])));
	JADD(c, "severity", json_object_new_int(atoi(row[CC_SEVERITY])));
	JADD(c, "severity_label", jstr(view_label(r, "severity", row[CC_SEVERITY])));
	JADD(c, "respond_due", jstr(view_local_time(app, r->a, row[CC_RESPOND_DUE])));
	JADD(c, "resolve_due", row[CC_RESOLVE_DUE] ? jstr(view_local_time(app, r->a, row[CC_RESOLVE_DUE])) : NULL);
	JADD(c, "created_at", jstr(view_local_time(app, r->a, row[CC_CREATED_AT])));
	JADD(c, "version", json_object_new_int(atoi(row[CC_VERSION])));
	JADD(c, "repeat_reason", jstr(row[CC_REPEAT_REASON]));
	if (row[CC_REPEAT_REASON] != NULL && *row[CC_REPEAT_REASON] != '\0') {
		JADD(c, "repeat_label", jstr(view_label(r, "repeat", row[CC_REPEAT_REASON])));
		repeat_links(app, r, row, c);
	}
	/* The reply to the customer and the callback, once recorded. */
	JADD(c, "reply_text", row[CC_REPLY_TEXT] ? jstr(row[CC_REPLY_TEXT]) : NULL);
	JADD(c, "replied_at", row[CC_REPLIED_AT] ? jstr(view_local_time(app, r->a, row[CC_REPLIED_AT])) : NULL);
	JADD(c, "satisfaction", row[CC_SATISFACTION] ? json_object_new_int(atoi(row[CC_SATISFACTION])) : NULL);
	JADD(c, "callback_comment", row[CC_CALLBACK_COMMENT] ? jstr(row[CC_CALLBACK_COMMENT]) : NULL);
	JADD(c, "callback_at", row[CC_CALLBACK_AT] ? jstr(view_local_time(app, r->a, row[CC_CALLBACK_AT])) : NULL);
	utc_now(now);
	JADD(c, "respond_overdue", json_object_new_boolean(
	    row[CC_RESPOND_DUE] != NULL && strcmp(row[CC_RESPOND_DUE], now) < 0 && strcmp(row[CC_STATUS], "registered") == 0));
	JADD(c, "resolve_overdue", json_object_new_boolean(
	    row[CC_RESOLVE_DUE] != NULL && strcmp(row[CC_RESOLVE_DUE], now) < 0));
	JADD(v, "complaint", c);

	h = json_object_new_array();
	for (size_t i = 0; i < hist.nrows; i++) {
		char **e = hist.rows[i];
		struct json_object *o = json_object_new_object();
		JADD(o, "seq", json_object_new_int64(strtoll(e[0], NULL, 10)));
		JADD(o, "at", jstr(view_local_time(app, r->a, e[1])));
		JADD(o, "at_utc", jstr(e[1]));
		JADD(o, "actor_uid", jstr(e[2]));
		JADD(o, "actor_name", jstr(e[3]));
		JADD(o, "actor_role", jstr(e[4]));
		JADD(o, "actor_role_label", jstr(view_label(r, "role", e[4])));
		JADD(o, "action", jstr(e[5]));
		JADD(o, "action_label", jstr(caction_from_name(e[5]) != CA__MAX ?
		    view_label(r, "caction", e[5]) : view_label(r, "action", e[5])));
		json_object_array_add(h, o);
	}
	JADD(v, "history", h);
	{
		struct json_object *arr = json_object_new_array(), *acts;
		/* The page statement counted them: no round trip for a complaint not yet assigned. */
		memset(&as, 0, sizeof(as));
		if (atol(row[CP_N_ASSIGNMENTS]) > 0 &&
		    (rc = db_exec(app->db, r->a, STMT_ASSIGNMENT_LIST, &as, "s", r->arg)) != KESU_OK) {
			json_object_put(arr);
			json_object_put(v);
			return rc;
		}
		for (size_t i = 0; i < as.nrows; i++) {
			char **a = as.rows[i];
			struct json_object *o = json_object_new_object();
			JADD(o, "department", jstr(a[AS_DEPARTMENT]));
			JADD(o, "name", jstr(a[r->lang == LANG_ZH ? AS_NAME_ZH : AS_NAME_EN]));
			JADD(o, "state", jstr(a[AS_STATE]));
			JADD(o, "state_label", jstr(view_label(r, "assignment", a[AS_STATE])));
			JADD(o, "assigned_by", jstr(a[AS_ASSIGNED_BY]));
			JADD(o, "assigned_at", jstr(view_local_time(app, r->a, a[AS_ASSIGNED_AT])));
			JADD(o, "decided_by", a[AS_DECIDED_BY] ? jstr(a[AS_DECIDED_BY]) : NULL);
			JADD(o, "decided_at", a[AS_DECIDED_AT] ? jstr(view_local_time(app, r->a, a[AS_DECIDED_AT])) : NULL);
			JADD(o, "reason", a[AS_REASON] ? jstr(a[AS_REASON]) : NULL);
			json_object_array_add(arr, o);
		}
		JADD(v, "has_assignments", json_object_new_boolean(as.nrows > 0));
		JADD(v, "assignments", arr);
		/* arr belongs to v now */
		cx.row = row;
		cx.hist = &hist;
		cx.assignments = &as;
		for (size_t i = 0; i < sizeof(complaint_sections) / sizeof(complaint_sections[0]); i++)
			if ((rc = complaint_sections[i].fn(app, r, v, &cx)) != KESU_OK) {
				LOG_WARN("complaint %s: section %s failed", r->arg, complaint_sections[i].name);
				json_object_put(v);
				return rc;
			}
		int close_reason = 0;
		/* No 8D linked at all (the page statement counted them): none approved either. */
		if (close_category_wants_8d(row[CC_CATEGORY]) && atol(row[CP_N_8DS]) == 0)
			close_reason = 1;
		else if (close_needs_reason(app->db, r->a, row[CC_NUMBER], row[CC_CATEGORY], &close_reason) != KESU_OK)
			close_reason = 0;
		acts = action_list(app, r, row[CC_STATUS], row[CC_OWNER_UID], row[CC_CATEGORY], row[CC_SEVERITY], close_reason, &as);
		JADD(v, "has_actions", json_object_new_boolean(json_object_array_length(acts) > 0));
		JADD(v, "actions", acts);
	}
	JADD(v, "can_set_owner", json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_SUPERVISOR)) &&
	    strcmp(row[CC_STATUS], "closed") != 0));
	JADD(v, "just_registered", json_object_new_boolean(req_query(r, "registered") != NULL));
	view_done_notice(r, v);
	/* What the complaint waits for now, who can do it and since when (after a step: what's next);
	 * the assignments read above (a GET changes nothing in between). */
	whose_turn_add(app, r, v, row, hist.nrows > 0 ? hist.rows[hist.nrows - 1][1] : row[CC_RECEIVED_AT], &as);
	view_next_steps(r, v);
	*out = v;
	return KESU_OK;
}

/* One list of "my work" from a statement with one string parameter. */
static int
work_list(struct app *app, struct req *r, struct json_object *lists, const char *key,
    enum stmt id, const char *param)
{
	struct json_object *rows;
	struct db_res res;
	char now[32];
	int rc;

	if ((rc = db_exec(app->db, r->a, id, &res, "s", param)) != KESU_OK)
		return rc;
	utc_now(now);
	rows = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++)
		json_object_array_add(rows, work_row(app, r, res.rows[i], now));
	work_list_add(r, lists, key, rows);
	return KESU_OK;
}

/* ---- My work's sections ---- */

enum work_param { WP_UID, WP_STATUS_REGISTERED, WP_STATUS_TRIAGED, WP_DEPARTMENT };

/*
 * The sections of My work, in order: who sees each (0: everyone) and either a statement that
 * lists complaints (with the parameter it takes) or a builder of its own lists. A section the
 * person cannot act on is not shown at all.
 */
static const struct work_section {
	const char *key;
	unsigned roles;
	enum stmt stmt;
	enum work_param param;
	int (*fn)(struct app *, struct req *, struct json_object *lists);
} work_sections[] = {
	{ "owned", ROLE_BIT(ROLE_AGENT) | ROLE_BIT(ROLE_SUPERVISOR), STMT_WORK_OWNED, WP_UID, NULL },
	{ "to_triage", ROLE_BIT(ROLE_SUPERVISOR), STMT_WORK_BY_STATUS, WP_STATUS_REGISTERED, NULL },
	{ "to_assign", ROLE_BIT(ROLE_SUPERVISOR), STMT_WORK_BY_STATUS, WP_STATUS_TRIAGED, NULL },
	{ "to_accept", ROLE_BIT(ROLE_DEPT_HEAD), STMT_WORK_ASSIGNMENTS, WP_DEPARTMENT, NULL },
	{ "reports_plans", 0, STMT__MAX, WP_UID, plans_work },
	{ "penalties", 0, STMT__MAX, WP_UID, penalties_work },
	{ "8d", 0, STMT__MAX, WP_UID, eightd_work },
	{ "audit_review", ROLE_BIT(ROLE_AUDITOR), STMT__MAX, WP_UID, audit_review_work },
};

static const char *
work_param_value(const struct req *r, enum work_param p)
{
	switch (p) {
	case WP_UID:
		return r->sess->uid;
	case WP_STATUS_REGISTERED:
		return "registered";
	case WP_STATUS_TRIAGED:
		return "triaged";
	case WP_DEPARTMENT:
		return r->sess->department;
	}
	return "";
}

int
work_page(struct app *app, struct req *r, struct json_object **out)
{
	struct json_object *v, *lists;
	int rc = KESU_OK;

	lists = json_object_new_array();
	for (size_t i = 0; i < sizeof(work_sections) / sizeof(work_sections[0]) && rc == KESU_OK; i++) {
		const struct work_section *ws = &work_sections[i];
		if (ws->roles != 0 && !sess_has(r, ws->roles))
			continue;
		if (ws->fn != NULL)
			rc = ws->fn(app, r, lists);
		else if (ws->param != WP_DEPARTMENT || *r->sess->department != '\0')
			rc = work_list(app, r, lists, ws->key, ws->stmt, work_param_value(r, ws->param));
	}
	if (rc != KESU_OK) {
		json_object_put(lists);
		return rc;
	}
	v = view_new(app, r);
	JADD(v, "nothing", json_object_new_boolean(json_object_array_length(lists) == 0));
	JADD(v, "lists", lists);
	if ((rc = work_sweep_add(app, r, v)) != KESU_OK) {
		json_object_put(v);
		return rc;
	}
	/* Each kind of record has its own columns: the template picks them by these flags. */
	for (size_t i = 0; i < json_object_array_length(lists); i++) {
		struct json_object *l = json_object_array_get_idx(lists, i);
		const char *key = json_object_get_string(json_object_object_get(l, "key"));
		const char *kind = strncmp(key, "8d_", 3) == 0 ? "eightd" :
		    strcmp(key, "audit_review_due") == 0 ? "review" :
		    strcmp(key, "remedies_to_execute") == 0 ? "remedy" :
		    strstr(key, "penalt") != NULL || strcmp(key, "appeals_to_decide") == 0 ? "penalty" : "complaint";
		JADD(l, "kind", jstr(kind));
		json_object_object_add(l, arena_printf(r->a, "is_%s", kind), json_object_new_boolean(1));
		JADD(l, "is_notice", json_object_new_boolean(strcmp(key, "penalty_notices") == 0));
	}
	/* Everything waiting: the same count as the header of every page (work_count()). */
	{
		int64_t total = work_count(app, r);
		JADD(v, "total", json_object_new_int64(total > 0 ? total : 0));
	}
	JADD(v, "acked", json_object_new_boolean(req_query(r, "acked") != NULL));
	*out = v;
	return KESU_OK;
}
