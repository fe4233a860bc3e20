/* view_plans.c: the complaint page's reports-and-plans section and My work's reports and plans to act on. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authority.h"
#include "i18n.h"
#include "access.h"
#include "money.h"
#include "sign.h"
#include "view_as_of.h"
#include "work.h"
#include "sections.h"
#include "plan.h"
#include "whose.h"
#include "workflow.h"

/* [{role, role_label, signed, next}] for the required signers of one revision. */
static struct json_object *
signer_steps(const struct req *r, const enum role req[], int n, unsigned approved, int pending)
{
	struct json_object *arr = json_object_new_array();
	enum role next = pending ? authority_next_signer(req, n, approved) : ROLE__MAX;

	for (int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		JADD(o, "role", jstr(role_name(req[i])));
		JADD(o, "role_label", jstr(view_label(r, "role", role_name(req[i]))));
		JADD(o, "signed", json_object_new_boolean((approved & ROLE_BIT(req[i])) != 0));
		JADD(o, "next", json_object_new_boolean(req[i] == next));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* ---- the page's sections ---- */

/* A text field for the field partial. */
static struct json_object *
text_field(const struct req *r, const char *name, const char *value, int required)
{
	struct json_object *o = json_object_new_object();

	JADD(o, "name", jstr(name));
	JADD(o, "label", jstr(T(r, arena_printf(r->a, "field_%s", name))));
	JADD(o, "value", jstr(value));
	JADD(o, "is_textarea", json_object_new_boolean(1));
	JADD(o, "required", json_object_new_boolean(required));
	JADD(o, "maxlength", json_object_new_int(TEXT_MAX));
	return o;
}


static struct json_object *
reports_json(struct app *app, struct req *r, char **crow, const struct db_res *as,
    const struct db_res *reps, const struct db_res *sigs, int *all_signed)
{
	struct json_object *arr = json_object_new_array();
	enum role req[AUTH_MAX_SIGNERS];
	int nreq = -1, investigating = strcmp(crow[CC_STATUS], "investigating") == 0;

	*all_signed = 1;
	for (size_t i = 0; i < as->nrows; i++) {
		char **a = as->rows[i], **rep = NULL;
		struct json_object *o, *sarr, *fields;
		const char *state;
		char hash[65] = "";
		long revision = 0;
		int mine, editable, signable = 0;

		if (strcmp(a[3], "accepted") != 0)
			continue;
		for (size_t k = 0; k < reps->nrows && rep == NULL; k++)
			if (strcmp(reps->rows[k][1], a[0]) == 0)
				rep = reps->rows[k];
		state = rep != NULL ? rep[2] : "none";
		if (strcmp(state, "signed") != 0)
			*all_signed = 0;
		o = json_object_new_object();
		JADD(o, "department", jstr(a[0]));
		JADD(o, "name", jstr(a[r->lang == LANG_ZH ? 1 : 2]));
		JADD(o, "state", jstr(state));
		JADD(o, "state_label", jstr(view_label(r, "report", state)));
		mine = strcmp(a[0], r->sess->department) == 0 && sess_has(r, CAN_WRITE_REPORT);
		editable = mine && investigating && (rep == NULL || strcmp(state, "draft") == 0 ||
		    strcmp(state, "returned") == 0);
		fields = json_object_new_array();
		sarr = json_object_new_array();
		if (rep != NULL) {
			const char *texts[REPORT_NPARTS];
			revision = atol(rep[3]);
			for (int k = 0; k < REPORT_NPARTS; k++) {
				texts[k] = rep[4 + k];
				json_object_object_add(o, report_parts[k], jstr(rep[4 + k]));
			}
			/* Hashed again from what is stored: a changed text shows every signature as earlier. */
			report_hash(crow[CC_NUMBER], a[0], revision, texts, hash);
			JADD(o, "revision", json_object_new_int64(revision));
			JADD(o, "author_name", jstr(rep[11]));
			JADD(o, "updated_at", jstr(view_local_time(app, r->a, rep[12])));
			JADD(o, "content_hash", jstr(hash));
			JADD(o, "hash_short", jstr(arena_strndup(r->a, hash, 12)));
			for (size_t k = 0; k < sigs->nrows; k++)
				if (strcmp(sigs->rows[k][SG_ENTITY], "investigation_report") == 0 &&
				    strcmp(sigs->rows[k][SG_ENTITY_ID], rep[0]) == 0)
					json_object_array_add(sarr, signature_json(app, r, sigs->rows[k],
					    atol(sigs->rows[k][SG_REVISION]) == revision ? hash : NULL));
			if (strcmp(state, "submitted") == 0) {
				unsigned done;
				enum role next;
				if (nreq < 0 && required_signers(app->db, r->a, "investigation_signoff", 0,
				    atoi(crow[CC_SEVERITY]), req, &nreq) != KESU_OK)
					nreq = 0;
				done = approved_roles(sigs, "investigation_report", rep[0], revision);
				next = authority_next_signer(req, nreq, done);
				JADD(o, "signers", signer_steps(r, req, nreq, done, 1));
				JADD(o, "has_signers", json_object_new_boolean(nreq > 0));
				/* its signing chain, with the names of those who can sign (whose.c) */
				JADD(o, "chain", whose_chain(app, r, req, nreq, done, 1, sarr, NULL, a[0]));
				signable = investigating && may_sign_next(r, next, rep[10], a[0], 0);
				if (signable)
					JADD(o, "sign_meaning", jstr(signature_meaning(r, "report", "approve")));
			}
		}
		for (int k = 0; editable && k < REPORT_NPARTS; k++)
			json_object_array_add(fields, text_field(r, report_parts[k],
			    rep != NULL ? rep[4 + k] : "", 1));
		JADD(o, "fields", fields);
		JADD(o, "editable", json_object_new_boolean(editable));
		JADD(o, "signable", json_object_new_boolean(signable));
		JADD(o, "has_text", json_object_new_boolean(rep != NULL && !editable));
		JADD(o, "signatures", sarr);
		JADD(o, "has_signatures", json_object_new_boolean(json_object_array_length(sarr) > 0));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *
remedies_json(struct req *r, const struct plan_content *p)
{
	struct json_object *arr = json_object_new_array();

	for (int i = 0; i < p->nlines; i++) {
		const struct remedy *m = &p->lines[i];
		struct json_object *o = json_object_new_object();
		JADD(o, "line", json_object_new_int(i + 1));
		JADD(o, "kind", jstr(m->kind));
		JADD(o, "kind_label", jstr(view_label(r, "remedy", m->kind)));
		JADD(o, "amount_fen", m->amount_fen >= 0 ? json_object_new_int64(m->amount_fen) : NULL);
		JADD(o, "amount", m->amount_fen >= 0 ? jstr(fmt_yuan(r->a, m->amount_fen)) : NULL);
		JADD(o, "quantity", m->quantity >= 0 ? json_object_new_int64(m->quantity) : NULL);
		JADD(o, "note", jstr(m->note));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* One plan revision as shown; *content receives it as stored (for the form of the next one). */
static struct json_object *
plan_json(struct app *app, struct req *r, char **crow, char **p, const struct db_res *rem,
    const struct db_res *sigs, const struct db_res *as, struct plan_content *content)
{
	struct json_object *o = json_object_new_object(), *sarr = json_object_new_array();
	enum role req[AUTH_MAX_SIGNERS];
	int nreq = roles_parse(p[8], req, AUTH_MAX_SIGNERS);
	int pending = strcmp(p[2], "pending") == 0;
	unsigned done = approved_roles(sigs, "handling_plan", p[0], atol(p[1]));
	char hash[65];

	plan_from_rows(crow[CC_NUMBER], p, rem, content);
	plan_hash(content, hash);
	if (nreq < 0)
		nreq = 0;
	JADD(o, "revision", json_object_new_int(atoi(p[1])));
	JADD(o, "state", jstr(p[2]));
	JADD(o, "state_label", jstr(view_label(r, "plan", p[2])));
	JADD(o, "responsibility", jstr(p[3]));
	JADD(o, "responsibility_label", jstr(view_label(r, "responsibility", p[3])));
	JADD(o, "company_share_pct", json_object_new_int(atoi(p[4])));
	JADD(o, "customer_share_pct", json_object_new_int(100 - atoi(p[4])));
	JADD(o, "loss_fen", json_object_new_int64(content->loss_fen));
	JADD(o, "loss", jstr(fmt_yuan(r->a, content->loss_fen)));
	JADD(o, "amount_fen", json_object_new_int64(content->amount_fen));
	JADD(o, "amount", jstr(fmt_yuan(r->a, content->amount_fen)));
	JADD(o, "explanation", jstr(p[7]));
	JADD(o, "remedies", remedies_json(r, content));
	JADD(o, "proposer_uid", jstr(p[9]));
	JADD(o, "proposer_name", jstr(p[10]));
	JADD(o, "proposer_role_label", jstr(view_label(r, "role", p[11])));
	JADD(o, "proposed_at", jstr(view_local_time(app, r->a, p[12])));
	JADD(o, "authority_rules", view_rules_used(app, r, p[14], p[12]));
	JADD(o, "content_hash", jstr(hash));
	JADD(o, "hash_short", jstr(arena_strndup(r->a, hash, 12)));
	JADD(o, "print_url", jstr(arena_printf(r->a, "/complaints/%s/plan?revision=%s", crow[CC_NUMBER], p[1])));
	JADD(o, "print_url_internal", jstr(arena_printf(r->a,
	    "/complaints/%s/plan?revision=%s&internal=1", crow[CC_NUMBER], p[1])));
	JADD(o, "signers", signer_steps(r, req, nreq, done, pending));
	JADD(o, "has_signers", json_object_new_boolean(nreq > 0));
	for (size_t k = 0; k < sigs->nrows; k++)
		if (strcmp(sigs->rows[k][SG_ENTITY], "handling_plan") == 0 && strcmp(sigs->rows[k][SG_ENTITY_ID], p[0]) == 0)
			json_object_array_add(sarr, signature_json(app, r, sigs->rows[k], hash));
	JADD(o, "signatures", sarr);
	JADD(o, "has_signatures", json_object_new_boolean(json_object_array_length(sarr) > 0));
	/* signed / next / later, with names and times (whose.c) */
	JADD(o, "chain", whose_chain(app, r, req, nreq, done, pending, sarr, as, NULL));
	if (pending && strcmp(crow[CC_STATUS], "plan_proposed") == 0) {
		enum role next = authority_next_signer(req, nreq, done);
		int own = strcmp(r->sess->department, "") != 0 && accepted_department(as, r->sess->department);
		if (may_sign_next(r, next, p[9], NULL, own)) {
			JADD(o, "signable", json_object_new_boolean(1));
			JADD(o, "sign_role_label", jstr(view_label(r, "role", role_name(next))));
			JADD(o, "sign_meaning", jstr(signature_meaning(r, "plan", "approve")));
		} else if (next != ROLE__MAX && (r->sess->roles & ROLE_BIT(next)) != 0 &&
		    strcmp(p[9], r->sess->uid) == 0) {
			/* Nobody approves their own proposal: say why there is no form. */
			JADD(o, "own_proposal", json_object_new_boolean(1));
		}
	}
	return o;
}

/* The form of a new plan, filled from the latest one (a returned plan is revised, not retyped). */
static struct json_object *
plan_form_json(struct req *r, const struct plan_content *last)
{
	struct json_object *f = json_object_new_object(), *rows = json_object_new_array(), *opts;

	for (int i = 0; i < REMEDY_ROWS; i++) {
		const struct remedy *m = last != NULL && i < last->nlines ? &last->lines[i] : NULL;
		struct json_object *o = json_object_new_object();
		struct json_object *kinds = view_options(r, "remedy", remedy_kinds, m != NULL ? m->kind : NULL);
		JADD(o, "line", json_object_new_int(i + 1));
		JADD(o, "kinds", kinds);
		JADD(o, "amount", jstr(m != NULL && m->amount_fen >= 0 ?
		    fmt_yuan(r->a, m->amount_fen) : ""));
		JADD(o, "quantity", jstr(m != NULL && m->quantity >= 0 ?
		    arena_printf(r->a, "%ld", m->quantity) : ""));
		JADD(o, "note", jstr(m != NULL ? m->note : ""));
		json_object_array_add(rows, o);
	}
	JADD(f, "remedy_rows", rows);
	opts = view_options(r, "responsibility", responsibilities, last != NULL ? last->responsibility : NULL);
	JADD(f, "responsibilities", opts);
	JADD(f, "company_share_pct", jstr(last != NULL ?
	    arena_printf(r->a, "%d", last->share) : ""));
	JADD(f, "loss", jstr(last != NULL ? fmt_yuan(r->a, last->loss_fen) : ""));
	JADD(f, "explanation", jstr(last != NULL ? last->explanation : ""));
	JADD(f, "errors", json_object_new_object());
	return f;
}

int
plans_view(struct app *app, struct req *r, struct json_object *v, char **crow, const struct db_res *as)
{
	struct db_res reps, sigs, plans, rem;
	struct json_object *reports, *parr;
	struct plan_content last;
	int rc, all_signed, have_last = 0;

	/* crow is a STMT_COMPLAINT_PAGE row: 41..43 count reports, signatures and plans, so
	 * a complaint without them costs no query. */
	memset(&reps, 0, sizeof(reps));
	memset(&sigs, 0, sizeof(sigs));
	memset(&plans, 0, sizeof(plans));
	memset(&rem, 0, sizeof(rem));
	if ((atol(crow[CP_N_REPORTS]) > 0 &&
	    (rc = db_exec(app->db, r->a, STMT_REPORT_LIST, &reps, "s", crow[CC_NUMBER])) != KESU_OK) ||
	    (atol(crow[CP_N_SIGNATURES]) > 0 &&
	    (rc = db_exec(app->db, r->a, STMT_SIGNATURE_LIST, &sigs, "s", crow[CC_NUMBER])) != KESU_OK) ||
	    (atol(crow[CP_N_PLANS]) > 0 &&
	    ((rc = db_exec(app->db, r->a, STMT_PLAN_LIST, &plans, "s", crow[CC_NUMBER])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_REMEDY_LIST, &rem, "s", crow[CC_NUMBER])) != KESU_OK)))
		return rc;
	reports = reports_json(app, r, crow, as, &reps, &sigs, &all_signed);
	JADD(v, "has_reports", json_object_new_boolean(json_object_array_length(reports) > 0));
	JADD(v, "reports", reports);

	parr = json_object_new_array();
	for (size_t i = 0; i < plans.nrows; i++) {
		struct plan_content pc;
		struct json_object *o = plan_json(app, r, crow, plans.rows[i], &rem, &sigs, as, &pc);
		JADD(o, "is_current", json_object_new_boolean(i == 0));
		json_object_array_add(parr, o);
		if (i == 0) {
			last = pc;
			have_last = 1;
		}
	}
	JADD(v, "has_plans", json_object_new_boolean(plans.nrows > 0));
	JADD(v, "plans", parr);

	/* A plan is proposed while investigating, by whom the lifecycle allows, once every
	 * responsible department's report is signed off. */
	if (strcmp(crow[CC_STATUS], "investigating") == 0) {
		enum caction acts[CA__MAX];
		int n = workflow_actions(CS_INVESTIGATING, r->sess->roles, strcmp(crow[CC_OWNER_UID], r->sess->uid) == 0,
		    acts, CA__MAX), may = 0;
		for (int i = 0; i < n; i++)
			may |= acts[i] == CA_PROPOSE_PLAN;
		if (may && all_signed)
			JADD(v, "plan_form", plan_form_json(r, have_last ? &last : NULL));
		else if (may)
			JADD(v, "plan_waits_for_reports", json_object_new_boolean(1));
	}
	return KESU_OK;
}

/* ---- my work ---- */

int
plans_work(struct app *app, struct req *r, struct json_object *lists)
{
	struct json_object *write = json_object_new_array(), *sign = json_object_new_array();
	struct json_object *plans = json_object_new_array();
	struct db_res res;
	char now[32];
	int rc, writer = sess_has(r, CAN_WRITE_REPORT), head = sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD));

	utc_now(now);
	if ((writer || head) && *r->sess->department != '\0') {
		if ((rc = db_exec(app->db, r->a, STMT_WORK_REPORTS, &res, "s", r->sess->department)) != KESU_OK)
			goto fail;
		for (size_t i = 0; i < res.nrows; i++) {
			const char *st = res.rows[i][8];
			if (strcmp(st, "submitted") == 0 && head)
				json_object_array_add(sign, work_row(app, r, res.rows[i], now));
			else if (strcmp(st, "submitted") != 0 && writer)
				json_object_array_add(write, work_row(app, r, res.rows[i], now));
		}
	}
	if ((rc = db_exec(app->db, r->a, STMT_WORK_PLANS, &res, "s", r->sess->uid)) != KESU_OK)
		goto fail;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		enum role req[AUTH_MAX_SIGNERS], next;
		int n = roles_parse(c[8], req, AUTH_MAX_SIGNERS);
		if (n <= 0)
			continue;
		next = authority_next_signer(req, n, roles_from_list(c[10]));
		/* A department head signs for a responsible department of theirs: the page decides. */
		if (next != ROLE__MAX && (r->sess->roles & ROLE_BIT(next)) != 0 && strcmp(c[9], r->sess->uid) != 0 &&
		    complaint_access(app->db, r, c[0]) == KESU_OK)
			json_object_array_add(plans, work_row(app, r, c, now));
	}
	if (writer && *r->sess->department != '\0')
		work_list_add(r, lists, "reports_to_write", write);
	else
		json_object_put(write);
	if (head && *r->sess->department != '\0')
		work_list_add(r, lists, "reports_to_sign", sign);
	else
		json_object_put(sign);
	if (sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD) | ROLE_BIT(ROLE_DEPUTY_GM) | ROLE_BIT(ROLE_GM)) ||
	    json_object_array_length(plans) > 0)
		work_list_add(r, lists, "plans_to_sign", plans);
	else
		json_object_put(plans);
	return KESU_OK;
fail:
	json_object_put(write);
	json_object_put(sign);
	json_object_put(plans);
	return rc;
}

