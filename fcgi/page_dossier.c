/* page_dossier.c: a complaint's dossier for the auditor — everything on its record, every signature and the whole timeline, as one PDF. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "access.h"
#include "attach.h"
#include "audit_views.h"
#include "handlers.h"
#include "i18n.h"
#include "kesu.h"
#include "pdf.h"
#include "sess.h"
#include "tmpl.h"
#include "view.h"

#define DOSSIER_READERS (ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_GM))

/* A column's label: the form's "field_NAME" where there is one, else "dcol_NAME". */
static const char *
label(const struct req *r, const char *name)
{
	char key[80];

	snprintf(key, sizeof(key), "field_%s", name);
	if (i18n_has(r->lang, key))
		return T(r, arena_strdup(r->a, key));
	return T(r, arena_printf(r->a, "dcol_%s", name));
}

/* A code's label ("channel" "phone" → its text) when the catalog has one, else the value itself. */
static const char *
value(const struct req *r, const char *name, const char *v)
{
	char key[120];

	if (v == NULL)
		return "";
	snprintf(key, sizeof(key), "%s_%s", name, v);
	if (strlen(v) < 40 && i18n_has(r->lang, key))
		return T(r, arena_strdup(r->a, key));
	return v;
}

/* [{label, value}] of the named columns of row (names[i] NULL: skip column i). */
static struct json_object *
pairs(const struct req *r, const char *const *names, size_t n, char **row)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		struct json_object *o;

		if (names[i] == NULL || row[i] == NULL || *row[i] == '\0')
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "label", jstr(label(r, names[i])));
		json_object_object_add(o, "value", jstr(value(r, names[i], row[i])));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* A list of records, one {title, fields} each, from a statement's rows. */
static struct json_object *
records(const struct req *r, const struct db_res *res, const char *const *names, size_t n,
    const char *title_key, size_t id_col)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < res->nrows; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "title", jstr(arena_printf(r->a, "%s #%s", T(r, title_key),
		    res->rows[i][id_col] != NULL ? res->rows[i][id_col] : "")));
		json_object_object_add(o, "fields", pairs(r, names, n, res->rows[i]));
		json_object_array_add(arr, o);
	}
	return arr;
}

static const char *const complaint_names[CC__MAX] = {
	[CC_NUMBER] = "number", [CC_STATUS] = "status", [CC_RECEIVED_AT] = "received_at",
	[CC_CHANNEL] = "channel", [CC_CUSTOMER_NAME] = "customer_name",
	[CC_CUSTOMER_COMPANY] = "customer_company", [CC_CUSTOMER_TYPE] = "customer_type",
	[CC_CUSTOMER_VIP] = "customer_vip", [CC_CUSTOMER_PHONE] = "customer_phone",
	[CC_CUSTOMER_EMAIL] = "customer_email", [CC_CUSTOMER_ADDRESS] = "customer_address",
	[CC_PRODUCT] = "product", [CC_PART_NO] = "part_no", [CC_ORDER_NO] = "order_no", [CC_LOT] = "lot",
	[CC_QUANTITY] = "quantity", [CC_DEFECTIVE_QUANTITY] = "defective_quantity",
	[CC_DELIVERY_DATE] = "delivery_date", [CC_SUBJECT_PERSON] = "subject_person",
	[CC_DESCRIPTION] = "description", [CC_DEMAND] = "demand", [CC_URGENCY] = "urgency",
	[CC_CATEGORY] = "category", [CC_SEVERITY] = "severity", [CC_RESPOND_DUE] = "respond_due",
	[CC_RESOLVE_DUE] = "resolve_due", [CC_OWNER_NAME] = "owner", [CC_CREATED_BY] = "created_by",
	[CC_CREATED_AT] = "created_at", [CC_VERSION] = "version", [CC_REPEAT_REASON] = "repeat_reason",
	[CC_REPLY_TEXT] = "reply_text", [CC_REPLIED_AT] = "replied_at", [CC_SATISFACTION] = "satisfaction",
	[CC_CALLBACK_COMMENT] = "callback_comment", [CC_CALLBACK_AT] = "callback_at",
};
/* STMT_REPORT_LIST */
static const char *const report_names[] = { NULL, "department", "state", "revision", "cause", "course",
	"responsible", "conclusion", "countermeasures", "preventive", "author_uid", "author_name",
	"updated_at", "content_hash" };
/* STMT_PLAN_LIST */
static const char *const plan_names[] = { NULL, "revision", "state", "responsibility", "company_share_pct",
	"loss_fen", "amount_fen", "explanation", "required_roles", "proposer_uid", "proposer_name",
	"proposer_role", "proposed_at", "content_hash" };
/* STMT_DOSSIER_8D_VERSIONS */
static const char *const ed_names[] = { NULL, "title", "owner_name", "version", "state", "revision",
	"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "comments", "author_name", "updated_at",
	"decided_at" };
/* STMT_DOSSIER_HOLDS */
static const char *const hold_names[] = { NULL, "eightd_id", "state", "reason", "issued_name", "issued_at",
	"released_at", "content_hash" };
/* STMT_PENALTY_FOR_COMPLAINT (PENALTY_COLS) */
static const char *const penalty_names[] = { NULL, NULL, "target_kind", "target_department", "target_uid",
	"target_name", "kind", "amount_fen", "reason", "rule_applied", "state", "version", "proposer_uid",
	"proposer_name", "proposer_role", "proposed_at", "decided_at", "executed_at", "executed_by",
	"appeal_reason", "appealed_by", "appealed_at", "content_hash", "required_roles" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The events of one record, with hashes and the before/after images, appended to arr. */
static int
timeline(struct app *app, struct req *r, const char *entity, const char *id, struct json_object *arr)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_DOSSIER_EVENTS, &res, "ss", entity, id)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **e = res.rows[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "seq", json_object_new_int64(strtoll(e[0], NULL, 10)));
		json_object_object_add(o, "at", jstr(view_local_time(app, r->a, e[1])));
		json_object_object_add(o, "actor", jstr(arena_printf(r->a, "%s (%s)", e[3], e[2])));
		json_object_object_add(o, "role", jstr(view_label(r, "role", e[4])));
		json_object_object_add(o, "record", jstr(arena_printf(r->a, "%s %s", e[5], e[6])));
		json_object_object_add(o, "action", jstr(e[7]));
		json_object_object_add(o, "before", jstr(e[8]));
		json_object_object_add(o, "after", jstr(e[9]));
		json_object_object_add(o, "hash", jstr(e[10]));
		json_object_array_add(arr, o);
	}
	return KESU_OK;
}

static int
by_seq(const void *x, const void *y)
{
	int64_t a = json_object_get_int64(json_object_object_get(*(struct json_object *const *)x, "seq"));
	int64_t b = json_object_get_int64(json_object_object_get(*(struct json_object *const *)y, "seq"));

	return a < b ? -1 : a > b;
}

/* The dossier's view model: the complaint and everything on it, the chain head now. */
static int
dossier_view(struct app *app, struct req *r, struct json_object **out)
{
	struct db_res c, reports, plans, eds, holds, pens, sigs, head;
	struct json_object *v, *arr, *tl;
	char now[32];
	int rc;

	if (!sess_has(r, DOSSIER_READERS))
		return KESU_ENOTFOUND;
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	/* The head first: every event of the dossier is at or before it (or was added while printing). */
	if ((rc = db_exec(app->db, r->a, STMT_AUDIT_HEAD_GET, &head, "")) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_COMPLAINT_GET, &c, "s", r->arg)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_REPORT_LIST, &reports, "s", r->arg)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_PLAN_LIST, &plans, "s", r->arg)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_DOSSIER_8D_VERSIONS, &eds, "s", r->arg)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_DOSSIER_HOLDS, &holds, "s", r->arg)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_PENALTY_FOR_COMPLAINT, &pens, "s", r->arg)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_SIGNATURE_LIST, &sigs, "s", r->arg)) != KESU_OK)
		return rc;
	if (c.nrows != 1)
		return KESU_ENOTFOUND;
	v = view_new(app, r);
	utc_now(now);
	json_object_object_add(v, "number", jstr(r->arg));
	json_object_object_add(v, "exported_at", jstr(view_local_time(app, r->a, now)));
	json_object_object_add(v, "exported_by", jstr(arena_printf(r->a, "%s (%s)", r->sess->name, r->sess->uid)));
	if (head.nrows == 1) {
		json_object_object_add(v, "head_seq", jstr(head.rows[0][0]));
		json_object_object_add(v, "head_hash", jstr(head.rows[0][1]));
	}
	json_object_object_add(v, "complaint", pairs(r, complaint_names, CC__MAX, c.rows[0]));
	json_object_object_add(v, "reports", records(r, &reports, report_names, NELEM(report_names),
	    "dossier_report", 0));
	json_object_object_add(v, "plans", records(r, &plans, plan_names, NELEM(plan_names), "dossier_plan", 0));
	json_object_object_add(v, "eightds", records(r, &eds, ed_names, NELEM(ed_names), "dossier_8d", 0));
	json_object_object_add(v, "holds", records(r, &holds, hold_names, NELEM(hold_names), "dossier_hold", 0));
	json_object_object_add(v, "penalties", records(r, &pens, penalty_names, NELEM(penalty_names),
	    "dossier_penalty", 0));

	arr = json_object_new_array();
	for (size_t i = 0; i < sigs.nrows; i++) {
		char **s = sigs.rows[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "record", jstr(arena_printf(r->a, "%s #%s r%s", s[0], s[1], s[2])));
		json_object_object_add(o, "signer", jstr(arena_printf(r->a, "%s (%s)", s[4], s[3])));
		json_object_object_add(o, "role", jstr(view_label(r, "role", s[5])));
		json_object_object_add(o, "decision", jstr(s[6]));
		json_object_object_add(o, "meaning", jstr(s[7]));
		json_object_object_add(o, "comment", jstr(s[8]));
		json_object_object_add(o, "content_hash", jstr(s[9]));
		json_object_object_add(o, "signed_at", jstr(view_local_time(app, r->a, s[10])));
		json_object_array_add(arr, o);
	}
	json_object_object_add(v, "signatures", arr);

	/* One timeline: the complaint's own events and those of each 8D on it, in chain order. */
	tl = json_object_new_array();
	rc = timeline(app, r, "complaint", r->arg, tl);
	for (size_t i = 0; rc == KESU_OK && i < eds.nrows; i++)
		if (i == 0 || strcmp(eds.rows[i][0], eds.rows[i - 1][0]) != 0)
			rc = timeline(app, r, "8d_report", eds.rows[i][0], tl);
	if (rc != KESU_OK) {
		json_object_put(tl);
		json_object_put(v);
		return rc;
	}
	json_object_array_sort(tl, by_seq);
	json_object_object_add(v, "timeline", tl);
	json_object_object_add(v, "pdf", json_object_new_boolean(1));
	*out = v;
	return KESU_OK;
}

/* GET /complaints/{n}/dossier.pdf: auditors and the GM; printed by Chromium as the 8D is (pdf.c). */
int
page_complaint_dossier(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v, *seq, *hash;
	struct buf html, key;
	int rc;

	if ((rc = dossier_view(app, r, &v)) != KESU_OK)
		return rc;
	audit_view_log(app, r, r->arg, "dossier", NULL);
	json_object_object_add(v, "t", json_object_get(i18n_table(r->lang)));
	buf_init(&html);
	buf_init(&key);
	/*
	 * The PDF's key: the dossier without the chain head, which moves with every write
	 * anywhere. With it in the key, a busy system would queue a new print at every poll and
	 * the PDF might never arrive; without it, the first request of the minute (the export's
	 * minute is in the document) is printed with the head at that moment, and the polls that
	 * follow fetch that print. A change to the record itself still makes a new document.
	 */
	seq = json_object_get(json_object_object_get(v, "head_seq"));
	hash = json_object_get(json_object_object_get(v, "head_hash"));
	json_object_object_del(v, "head_seq");
	json_object_object_del(v, "head_hash");
	rc = tmpl_render(app->tmpl, "dossier", v, &key);
	if (seq != NULL)
		json_object_object_add(v, "head_seq", seq);
	if (hash != NULL)
		json_object_object_add(v, "head_hash", hash);
	if (rc == 0)
		rc = tmpl_render(app->tmpl, "dossier", v, &html);
	json_object_put(v);
	if (rc != 0) {
		buf_free(&html);
		buf_free(&key);
		return KESU_EINTERNAL;
	}
	/* Printed once by the renderer (pdf.c), never in this worker: 202 until it is ready. */
	rc = pdf_answer(app, r, rs, html.p, html.len, key.p, key.len, arena_printf(r->a, "dossier-%s.pdf", r->arg));
	buf_free(&html);
	buf_free(&key);
	return rc;
}
