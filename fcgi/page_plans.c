/* page_plans.c: investigation reports, handling plans, and the electronic signatures on them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "valid.h"
#include "audit.h"
#include "authority.h"
#include "dir.h"
#include "i18n.h"
#include "notify.h"
#include "whose.h"
#include "access.h"
#include "money.h"
#include "sign.h"
#include "plan.h"
#include "step.h"
#include "workflow.h"

/* ---- the steps ---- */

struct step_tx {
	struct req *r;
	const char *department;
	const char *texts[REPORT_NPARTS];
	int submit;                  /* report: submit for sign-off (1) or keep as a draft (0) */
	long revision;               /* the report or plan revision the form showed */
	long version;                /* the complaint's version the form showed */
	const char *decision;        /* approve, return, reject */
	const char *comment;
	struct plan_content plan;
	struct json_object *errors;  /* field -> message, on KESU_EINPUT */
	const char *status;          /* the complaint's status afterwards */
	long new_version;
};

static int
bump_complaint(struct db *db, struct step_tx *t, const char *status, long version)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, t->r->a, STMT_COMPLAINT_SET_STATUS, &res, "ssi", status, t->r->arg,
	    (int64_t)version)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	t->status = status;
	t->new_version = version + 1;
	return KESU_OK;
}

/* Write or revise the reader's department's report (draft), or submit it for sign-off. */
static int
report_save_tx(struct db *db, void *arg)
{
	struct step_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, CAN_WRITE_REPORT);
	struct json_object *before = NULL, *after;
	struct db_res res, as;
	char **c, hash[65];
	long revision;
	int rc;

	if ((rc = complaint_lock(db, r, &c)) != KESU_OK)
		return rc;
	if (strcmp(c[CL_STATUS], "investigating") != 0)
		return step_refuse(r, "status", c[CL_STATUS]);
	if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_LIST, &as, "s", r->arg)) != KESU_OK)
		return rc;
	if (!accepted_department(&as, t->department))
		return KESU_EFORBIDDEN;
	if ((rc = db_exec(db, r->a, STMT_REPORT_LOCK, &res, "ss", r->arg, t->department)) != KESU_OK)
		return rc;
	revision = res.nrows == 1 ? atol(res.rows[0][2]) : 0;
	/* Someone saved it since the form was shown, or it is submitted or signed already. */
	if (revision != t->revision)
		return KESU_ECONFLICT;
	if (res.nrows == 1 && strcmp(res.rows[0][1], "draft") != 0 && strcmp(res.rows[0][1], "returned") != 0)
		return step_refuse(r, "report", res.rows[0][1]);
	report_hash(r->arg, t->department, revision + 1, t->texts, hash);
	if (res.nrows == 0)
		rc = db_exec(db, r->a, STMT_REPORT_INSERT, NULL, "sssisssssssss", r->arg, t->department,
		    t->submit ? "submitted" : "draft", (int64_t)1, t->texts[0], t->texts[1], t->texts[2],
		    t->texts[3], t->texts[4], t->texts[5], r->sess->uid, r->sess->name, hash);
	else
		rc = db_exec(db, r->a, STMT_REPORT_UPDATE, NULL, "sisssssssssii", t->submit ? "submitted" : "draft",
		    (int64_t)(revision + 1), t->texts[0], t->texts[1], t->texts[2], t->texts[3], t->texts[4],
		    t->texts[5], r->sess->uid, r->sess->name, hash, strtoll(res.rows[0][0], NULL, 10),
		    (int64_t)revision);
	if (rc != KESU_OK)
		return rc;
	if (res.nrows == 1) {
		before = json_object_new_object();
		json_object_object_add(before, "state", json_object_new_string(res.rows[0][1]));
		json_object_object_add(before, "revision", json_object_new_int64(revision));
		json_object_object_add(before, "content_hash", json_object_new_string(res.rows[0][4]));
	}
	after = json_object_new_object();
	json_object_object_add(after, "department", json_object_new_string(t->department));
	json_object_object_add(after, "state", json_object_new_string(t->submit ? "submitted" : "draft"));
	json_object_object_add(after, "revision", json_object_new_int64(revision + 1));
	for (int i = 0; i < REPORT_NPARTS; i++)
		json_object_object_add(after, report_parts[i], json_object_new_string(t->texts[i]));
	json_object_object_add(after, "content_hash", json_object_new_string(hash));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, t->submit ? "report_submit" : "report_save",
	    before, after);
	json_object_put(before);
	json_object_put(after);
	t->revision = revision + 1;
	return rc;
}

/* Sign off a submitted report, or return it for revision. */
static int
report_sign_tx(struct db *db, void *arg)
{
	struct step_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct json_object *after;
	struct db_res res, sig;
	enum role req[AUTH_MAX_SIGNERS], next;
	char **c, **rep, texts_hash[65];
	int rc, nreq, ret = strcmp(t->decision, "return") == 0;
	unsigned done = 0;

	if ((rc = complaint_lock(db, r, &c)) != KESU_OK)
		return rc;
	if (strcmp(c[CL_STATUS], "investigating") != 0)
		return step_refuse(r, "status", c[CL_STATUS]);
	if ((rc = db_exec(db, r->a, STMT_REPORT_LOCK, &res, "ss", r->arg, t->department)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	rep = res.rows[0];
	if (atol(rep[2]) != t->revision)
		return KESU_ECONFLICT;
	if (strcmp(rep[1], "submitted") != 0)
		return step_refuse(r, "report", rep[1]);
	{
		struct db_res sev;
		if ((rc = db_exec(db, r->a, STMT_COMPLAINT_GET, &sev, "s", r->arg)) != KESU_OK)
			return rc;
		if ((rc = required_signers(db, r->a, "investigation_signoff", 0, atoi(sev.rows[0][CC_SEVERITY]), req,
		    &nreq)) != KESU_OK) {
			errors_add(t->r, t->errors, "decision", "err_no_authority");
			return rc;
		}
	}
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_ROLES, &sig, "ssi", "investigation_report", rep[0],
	    (int64_t)t->revision)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < sig.nrows; i++)
		if (role_from_name(sig.rows[i][0]) != ROLE__MAX)
			done |= ROLE_BIT(role_from_name(sig.rows[i][0]));
	next = authority_next_signer(req, nreq, done);
	if (!may_sign_next(r, next, rep[3], t->department, 0))
		return KESU_EFORBIDDEN;
	who.role = role_name(next);   /* the role the authority matrix asked this signature of */
	snprintf(texts_hash, sizeof(texts_hash), "%s", rep[4]);
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", r->arg, "investigation_report",
	    rep[0], (int64_t)t->revision, r->sess->uid, r->sess->name, role_name(next), t->decision,
	    signature_meaning(r, "report", t->decision), t->comment ? t->comment : "", texts_hash)) != KESU_OK)
		return rc;
	done |= ROLE_BIT(next);
	if (ret || authority_next_signer(req, nreq, done) == ROLE__MAX)
		if ((rc = db_exec(db, r->a, STMT_REPORT_SET_STATE, NULL, "ss", ret ? "returned" : "signed",
		    rep[0])) != KESU_OK)
			return rc;
	after = json_object_new_object();
	json_object_object_add(after, "department", json_object_new_string(t->department));
	json_object_object_add(after, "revision", json_object_new_int64(t->revision));
	json_object_object_add(after, "decision", json_object_new_string(t->decision));
	json_object_object_add(after, "role", json_object_new_string(role_name(next)));
	json_object_object_add(after, "meaning", json_object_new_string(signature_meaning(r, "report", t->decision)));
	json_object_object_add(after, "comment", json_object_new_string(t->comment ? t->comment : ""));
	json_object_object_add(after, "content_hash", json_object_new_string(texts_hash));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, ret ? "report_return" : "report_signoff", NULL, after);
	json_object_put(after);
	return rc;
}

/* Propose a handling plan: a new revision, its signers from the matrix, the complaint to plan_proposed. */
static int notify_signer(struct db *db, struct req *r, enum role next);

static int
plan_propose_tx(struct db *db, void *arg)
{
	struct step_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct json_object *after, *before;
	struct db_res res, sev;
	enum role req[AUTH_MAX_SIGNERS];
	enum cstate to;
	char **c, hash[65];
	const char *signers, *rule_ids = "";
	int rc, nreq;
	int64_t plan_id;

	if ((rc = complaint_lock_version(db, r, t->version, &c)) != KESU_OK)
		return rc;
	if ((rc = workflow_apply(cstate_from_name(c[CL_STATUS]), CA_PROPOSE_PLAN, r->sess->roles,
	    strcmp(c[CL_OWNER_UID], r->sess->uid) == 0, NULL, &to)) != KESU_OK)
		return rc;
	who = req_actor_as(r, workflow_authority(workflow_find(cstate_from_name(c[CL_STATUS]), CA_PROPOSE_PLAN),
	    r->sess->roles, strcmp(c[CL_OWNER_UID], r->sess->uid) == 0));
	if ((rc = db_exec(db, r->a, STMT_REPORT_UNSIGNED, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (atol(res.rows[0][0]) > 0) {
		errors_add(t->r, t->errors, "plan", "err_reports_not_signed");
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_GET, &sev, "s", r->arg)) != KESU_OK)
		return rc;
	rc = required_signers(db, r->a, "handling_plan", t->plan.amount_fen, atoi(sev.rows[0][CC_SEVERITY]), req, &nreq);
	if (rc == KESU_EINPUT)
		errors_add(t->r, t->errors, "plan", "err_no_authority");
	if (rc != KESU_OK)
		return rc;
	signers = roles_join(r->a, req, nreq);
	if ((rc = db_exec(db, r->a, STMT_PLAN_NEXT_REVISION, &res, "s", r->arg)) != KESU_OK)
		return rc;
	t->plan.number = r->arg;
	t->plan.revision = atol(res.rows[0][0]);
	plan_hash(&t->plan, hash);
	if ((rc = db_exec(db, r->a, STMT_PLAN_INSERT, NULL, "sisiiissssss", r->arg, (int64_t)t->plan.revision,
	    t->plan.responsibility, (int64_t)t->plan.share, t->plan.loss_fen, t->plan.amount_fen,
	    t->plan.explanation, signers, r->sess->uid, r->sess->name, who.role, hash)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
		return rc;
	plan_id = strtoll(res.rows[0][0], NULL, 10);
	/* The matrix's rules (versions) its signers came from, for the auditor (015). */
	if ((rc = required_rule_ids(db, r->a, "handling_plan", t->plan.amount_fen, atoi(sev.rows[0][CC_SEVERITY]),
	    &rule_ids)) != KESU_OK ||
	    (rc = db_exec(db, r->a, STMT_PLAN_SET_RULES, NULL, "si", rule_ids, plan_id)) != KESU_OK)
		return rc;
	for (int i = 0; i < t->plan.nlines; i++) {
		const struct remedy *m = &t->plan.lines[i];
		if ((rc = db_exec(db, r->a, STMT_REMEDY_INSERT, NULL, "iissss",
		    plan_id, (int64_t)(i + 1), m->kind,
		    m->amount_fen >= 0 ? arena_printf(r->a, "%lld", (long long)m->amount_fen) : NULL,
		    m->quantity >= 0 ? arena_printf(r->a, "%ld", m->quantity) : NULL, m->note)) != KESU_OK)
			return rc;
	}
	if ((rc = bump_complaint(db, t, cstate_name(to), t->version)) != KESU_OK)
		return rc;
	before = json_object_new_object();
	json_object_object_add(before, "status", json_object_new_string(c[CL_STATUS]));
	json_object_object_add(before, "version", json_object_new_int64(t->version));
	after = json_object_new_object();
	json_object_object_add(after, "status", json_object_new_string(t->status));
	json_object_object_add(after, "version", json_object_new_int64(t->new_version));
	json_object_object_add(after, "plan_revision", json_object_new_int64(t->plan.revision));
	json_object_object_add(after, "amount_fen", json_object_new_int64(t->plan.amount_fen));
	json_object_object_add(after, "loss_fen", json_object_new_int64(t->plan.loss_fen));
	json_object_object_add(after, "responsibility", json_object_new_string(t->plan.responsibility));
	json_object_object_add(after, "company_share_pct", json_object_new_int(t->plan.share));
	json_object_object_add(after, "required_signers", json_object_new_string(signers));
	json_object_object_add(after, "rule_ids", json_object_new_string(rule_ids));
	json_object_object_add(after, "content_hash", json_object_new_string(hash));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, caction_name(CA_PROPOSE_PLAN), before, after);
	json_object_put(before);
	json_object_put(after);
	if (rc == KESU_OK)
		rc = notify_signer(db, r, authority_next_signer(req, nreq, 0));
	return rc;
}

/*
 * Queue the mail to the plan's next signer (notify.c), in the step's transaction: a role, or
 * for a department head the heads of the departments that accepted the complaint.
 */
static int
notify_signer(struct db *db, struct req *r, enum role next)
{
	const char *link = arena_printf(r->a, "/complaints/%s", r->arg);
	struct db_res as;
	int rc;

	if (next == ROLE__MAX)
		return KESU_OK;
	if (next != ROLE_DEPT_HEAD)
		return notify_queue(db, r->a, "plan_sign", "role", role_name(next), r->arg, link);
	if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_LIST, &as, "s", r->arg)) != KESU_OK)
		return rc;
	/* department, name, ..., state (STMT_ASSIGNMENT_LIST) */
	for (size_t i = 0; i < as.nrows && rc == KESU_OK; i++)
		if (strcmp(as.rows[i][AS_STATE], "accepted") == 0)
			rc = notify_queue(db, r->a, "plan_sign", "dept_head", as.rows[i][AS_DEPARTMENT], r->arg, link);
	return rc;
}

/* Sign the current plan: approve (the last required signature approves it), return or reject. */
static int
plan_sign_tx(struct db *db, void *arg)
{
	struct step_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct json_object *after, *before;
	struct db_res res, sig, as;
	enum role req[AUTH_MAX_SIGNERS], next;
	enum caction act;
	char **c, **p;
	const char *status, *plan_state = NULL;
	unsigned done = 0;
	int rc, nreq, own;

	if ((rc = complaint_lock_version(db, r, t->version, &c)) != KESU_OK)
		return rc;
	if (strcmp(c[CL_STATUS], "plan_proposed") != 0)
		return step_refuse(r, "status", c[CL_STATUS]);
	if ((rc = db_exec(db, r->a, STMT_PLAN_LOCK_CURRENT, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1 || atol(res.rows[0][1]) != t->revision)
		return KESU_ECONFLICT;
	if (strcmp(res.rows[0][2], "pending") != 0)
		return step_refuse(r, "plan", res.rows[0][2]);
	p = res.rows[0];
	if ((nreq = roles_parse(p[3], req, AUTH_MAX_SIGNERS)) <= 0)
		return KESU_EINTERNAL;
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_ROLES, &sig, "ssi", "handling_plan", p[0],
	    (int64_t)t->revision)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < sig.nrows; i++)
		if (role_from_name(sig.rows[i][0]) != ROLE__MAX)
			done |= ROLE_BIT(role_from_name(sig.rows[i][0]));
	next = authority_next_signer(req, nreq, done);
	if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_LIST, &as, "s", r->arg)) != KESU_OK)
		return rc;
	own = *r->sess->department != '\0' && accepted_department(&as, r->sess->department);
	if (!may_sign_next(r, next, p[4], NULL, own))
		return KESU_EFORBIDDEN;
	who.role = role_name(next);
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", r->arg, "handling_plan", p[0],
	    (int64_t)t->revision, r->sess->uid, r->sess->name, role_name(next), t->decision,
	    signature_meaning(r, "plan", t->decision), t->comment ? t->comment : "", p[5])) != KESU_OK)
		return rc;
	done |= ROLE_BIT(next);
	status = c[CL_STATUS];
	act = CA_APPROVE_PLAN;
	if (strcmp(t->decision, "approve") != 0) {
		act = strcmp(t->decision, "return") == 0 ? CA_RETURN_PLAN : CA_REJECT_PLAN;
		plan_state = act == CA_RETURN_PLAN ? "returned" : "rejected";
	} else if (authority_next_signer(req, nreq, done) == ROLE__MAX) {
		plan_state = "approved";
	}
	/* The matrix, not the lifecycle table, says who signs: the state follows from the decision. */
	if (plan_state != NULL) {
		status = cstate_name(workflow_find(CS_PLAN_PROPOSED, act)->to);
		if ((rc = db_exec(db, r->a, STMT_PLAN_SET_STATE, NULL, "ss", plan_state, p[0])) != KESU_OK)
			return rc;
	}
	/* Every signature moves the version on, so two people acting on one version: one wins. */
	if ((rc = bump_complaint(db, t, status, t->version)) != KESU_OK)
		return rc;
	before = json_object_new_object();
	json_object_object_add(before, "status", json_object_new_string(c[CL_STATUS]));
	json_object_object_add(before, "version", json_object_new_int64(t->version));
	after = json_object_new_object();
	json_object_object_add(after, "status", json_object_new_string(status));
	json_object_object_add(after, "version", json_object_new_int64(t->new_version));
	json_object_object_add(after, "plan_revision", json_object_new_int64(t->revision));
	json_object_object_add(after, "decision", json_object_new_string(t->decision));
	json_object_object_add(after, "role", json_object_new_string(role_name(next)));
	json_object_object_add(after, "meaning", json_object_new_string(signature_meaning(r, "plan", t->decision)));
	json_object_object_add(after, "comment", json_object_new_string(t->comment ? t->comment : ""));
	json_object_object_add(after, "content_hash", json_object_new_string(p[5]));
	if (plan_state != NULL)
		json_object_object_add(after, "plan_state", json_object_new_string(plan_state));
	if (t->comment != NULL && !workflow_reason_blank(t->comment) && act != CA_APPROVE_PLAN)
		json_object_object_add(after, "reason", json_object_new_string(t->comment));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, caction_name(act), before, after);
	json_object_put(before);
	json_object_put(after);
	if (rc == KESU_OK && plan_state == NULL)
		rc = notify_signer(db, r, authority_next_signer(req, nreq, done));
	return rc;
}

/* ---- the handlers ---- */

/*
 * Answer a step: its errors to the step runner (step.h), or the complaint's page (JSON: its
 * status and version).
 */
static int
finish(struct app *app, struct req *r, struct resp *rs, struct step_tx *t, int rc, const char *what,
    const char *form)
{
	struct json_object *v = json_object_new_object();

	(void)app;
	(void)form;
	json_object_object_add(v, "number", jstr(r->arg));
	if (t->status != NULL) {
		json_object_object_add(v, "status", jstr(t->status));
		json_object_object_add(v, "version", json_object_new_int64(t->new_version));
	}
	json_object_object_add(v, "revision", json_object_new_int64(t->revision));
	rc = step_answer(r, rs, rc, t->errors, v, arena_printf(r->a, "/complaints/%s", r->arg), what);
	json_object_put(t->errors);
	return rc;
}

static void
step_init(struct step_tx *t, struct req *r)
{
	memset(t, 0, sizeof(*t));
	t->r = r;
	t->errors = json_object_new_object();
}

/* The decision, comment and password of a signature form; 1 when they can be signed. */
static int
signature_fields(struct app *app, struct req *r, struct step_tx *t, int may_reject, int *rc)
{
	t->decision = req_form(r, "decision");
	t->comment = req_form(r, "comment");
	if (t->decision == NULL || (strcmp(t->decision, "approve") != 0 && strcmp(t->decision, "return") != 0 &&
	    !(may_reject && strcmp(t->decision, "reject") == 0)))
		errors_add(t->r, t->errors, "decision", "err_invalid_choice");
	else if (strcmp(t->decision, "approve") != 0 && workflow_reason_blank(t->comment))
		errors_add(t->r, t->errors, "comment", "err_reason_required");
	if (t->comment != NULL && strlen(t->comment) > 2000)
		errors_add(t->r, t->errors, "comment", "err_too_long");
	if (json_object_object_length(t->errors) > 0) {
		*rc = KESU_EINPUT;
		return 0;
	}
	*rc = signature_password(app, r, t->errors);
	return *rc == KESU_OK;
}

int
page_report_save(struct app *app, struct req *r, struct resp *rs)
{
	struct step_tx t;
	int rc = KESU_OK;

	if (!complaint_number_valid(r->arg))
		return KESU_ENOTFOUND;
	step_init(&t, r);
	t.department = r->sess->department;
	t.submit = req_form(r, "submit") != NULL && strcmp(req_form(r, "submit"), "1") == 0;
	if (valid_version(req_form(r, "revision"), &t.revision) != KESU_OK || !sess_has(r, CAN_WRITE_REPORT) ||
	    *t.department == '\0') {
		json_object_put(t.errors);
		return !sess_has(r, CAN_WRITE_REPORT) ? (complaint_access(app->db, r, r->arg) != KESU_OK ?
		    KESU_ENOTFOUND : KESU_EFORBIDDEN) : KESU_EINPUT;
	}
	for (int i = 0; i < REPORT_NPARTS; i++) {
		const char *v = req_form(r, report_parts[i]);
		t.texts[i] = v != NULL ? v : "";
		if (strlen(t.texts[i]) > TEXT_MAX)
			errors_add(r, t.errors, report_parts[i], "err_too_long");
		else if (t.submit && workflow_reason_blank(t.texts[i]))
			errors_add(r, t.errors, report_parts[i], "err_required");
	}
	if (json_object_object_length(t.errors) > 0)
		rc = KESU_EINPUT;
	else
		rc = db_tx(app->db, report_save_tx, &t);
	return finish(app, r, rs, &t, rc, t.submit ? "report_submit" : "report_save", "report");
}

int
page_report_sign(struct app *app, struct req *r, struct resp *rs)
{
	struct step_tx t;
	int rc;

	if (!complaint_number_valid(r->arg))
		return KESU_ENOTFOUND;
	step_init(&t, r);
	t.department = req_form(r, "department");
	if (t.department == NULL || strlen(t.department) > 32 ||
	    valid_version(req_form(r, "revision"), &t.revision) != KESU_OK) {
		json_object_put(t.errors);
		return KESU_EINPUT;
	}
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK) {
		json_object_put(t.errors);
		return rc;
	}
	if (signature_fields(app, r, &t, 0, &rc))
		rc = db_tx(app->db, report_sign_tx, &t);
	return finish(app, r, rs, &t, rc, strcmp(t.decision ? t.decision : "", "return") == 0 ?
	    "report_return" : "report_signoff", "report_sign");
}

/* The plan's fields from the form (remedy_kind, remedy_amount, remedy_quantity, remedy_note
 * repeated in order) or from JSON ("remedies": [{kind, amount, quantity, note}]). */
static void
plan_fields(struct req *r, struct step_tx *t)
{
	struct plan_content *p = &t->plan;
	const char *resp = req_form(r, "responsibility"), *share = req_form(r, "company_share_pct");
	const char *loss = req_form(r, "loss");
	struct json_object *arr = NULL;
	size_t nk = 0, na = 0, nq = 0, nn = 0;
	const char *kinds[REMEDY_ROWS + 1] = { 0 }, *amounts[REMEDY_ROWS + 1] = { 0 };
	const char *qtys[REMEDY_ROWS + 1] = { 0 }, *notes[REMEDY_ROWS + 1] = { 0 };

	p->explanation = req_form(r, "explanation");
	if (p->explanation == NULL || workflow_reason_blank(p->explanation))
		errors_add(t->r, t->errors, "explanation", "err_required");
	else if (strlen(p->explanation) > TEXT_MAX)
		errors_add(t->r, t->errors, "explanation", "err_too_long");
	if (!str_in(responsibilities, resp))
		errors_add(t->r, t->errors, "responsibility", "err_invalid_choice");
	else
		p->responsibility = resp;
	p->share = strcmp(resp ? resp : "", "company") == 0 ? 100 : 0;
	if (resp != NULL && strcmp(resp, "shared") == 0) {
		/* Shared responsibility needs the company's share: 1 to 99 %. */
		if (!valid_digits(share, 2) ||
		    atoi(share) < 1 || atoi(share) > 99)
			errors_add(t->r, t->errors, "company_share_pct", "err_share");
		else
			p->share = atoi(share);
	}
	p->loss_fen = loss == NULL || *loss == '\0' ? 0 : parse_yuan(loss);
	if (p->loss_fen < 0)
		errors_add(t->r, t->errors, "loss", "err_invalid_amount");

	if (r->json != NULL && json_object_object_get_ex(r->json, "remedies", &arr) &&
	    json_object_is_type(arr, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(arr) && nk < REMEDY_ROWS + 1; i++) {
			struct json_object *o = json_object_array_get_idx(arr, i), *f;
			kinds[nk++] = json_object_object_get_ex(o, "kind", &f) ? json_object_get_string(f) : "";
			amounts[na++] = json_object_object_get_ex(o, "amount", &f) ? json_object_get_string(f) : "";
			qtys[nq++] = json_object_object_get_ex(o, "quantity", &f) ? json_object_get_string(f) : "";
			notes[nn++] = json_object_object_get_ex(o, "note", &f) ? json_object_get_string(f) : "";
		}
	} else {
		for (size_t i = 0; i < r->nform; i++) {
			const char *k = r->form[i].key, *v = r->form[i].val;
			if (strcmp(k, "remedy_kind") == 0 && nk < REMEDY_ROWS + 1)
				kinds[nk++] = v;
			else if (strcmp(k, "remedy_amount") == 0 && na < REMEDY_ROWS + 1)
				amounts[na++] = v;
			else if (strcmp(k, "remedy_quantity") == 0 && nq < REMEDY_ROWS + 1)
				qtys[nq++] = v;
			else if (strcmp(k, "remedy_note") == 0 && nn < REMEDY_ROWS + 1)
				notes[nn++] = v;
		}
	}
	for (size_t i = 0; i < nk; i++) {
		const char *kind = kinds[i], *amt = i < na ? amounts[i] : "", *qty = i < nq ? qtys[i] : "";
		const char *note = i < nn && notes[i] != NULL ? notes[i] : "";
		struct remedy *m;
		if (kind == NULL || *kind == '\0')
			continue;   /* an empty row of the form */
		if (p->nlines == REMEDY_ROWS || !str_in(remedy_kinds, kind)) {
			errors_add(t->r, t->errors, "remedies", "err_invalid_choice");
			break;
		}
		m = &p->lines[p->nlines++];
		m->kind = kind;
		m->note = strlen(note) <= 500 ? note : "";
		m->amount_fen = -1;
		m->quantity = -1;
		if (strcmp(kind, "compensation") == 0 || strcmp(kind, "discount") == 0) {
			if ((m->amount_fen = parse_yuan(amt)) <= 0)
				errors_add(t->r, t->errors, "remedies", "err_remedy_amount");
			else
				p->amount_fen += m->amount_fen;
		} else if (strcmp(kind, "apology") != 0) {
			char *end;
			errno = 0;
			m->quantity = qty != NULL ? strtol(qty, &end, 10) : 0;
			if (qty == NULL || *qty == '\0' || *end != '\0' || errno != 0 || m->quantity <= 0 ||
			    m->quantity > 100000000)
				errors_add(t->r, t->errors, "remedies", "err_remedy_quantity");
		} else if (workflow_reason_blank(note)) {
			errors_add(t->r, t->errors, "remedies", "err_remedy_note");
		}
	}
	if (p->nlines == 0)
		errors_add(t->r, t->errors, "remedies", "err_remedy_required");
}

int
page_plan_propose(struct app *app, struct req *r, struct resp *rs)
{
	struct step_tx t;
	int rc = KESU_OK;

	if (!complaint_number_valid(r->arg))
		return KESU_ENOTFOUND;
	step_init(&t, r);
	if (valid_version(req_form(r, "version"), &t.version) != KESU_OK) {
		json_object_put(t.errors);
		return KESU_EINPUT;
	}
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK) {
		json_object_put(t.errors);
		return rc;
	}
	plan_fields(r, &t);
	rc = json_object_object_length(t.errors) > 0 ? KESU_EINPUT : db_tx(app->db, plan_propose_tx, &t);
	if (rc == KESU_OK)
		t.revision = t.plan.revision;
	return finish(app, r, rs, &t, rc, caction_name(CA_PROPOSE_PLAN), "plan");
}

int
page_plan_sign(struct app *app, struct req *r, struct resp *rs)
{
	struct step_tx t;
	int rc;
	const char *what;

	if (!complaint_number_valid(r->arg))
		return KESU_ENOTFOUND;
	step_init(&t, r);
	if (valid_version(req_form(r, "version"), &t.version) != KESU_OK ||
	    valid_version(req_form(r, "revision"), &t.revision) != KESU_OK) {
		json_object_put(t.errors);
		return KESU_EINPUT;
	}
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK) {
		json_object_put(t.errors);
		return rc;
	}
	if (signature_fields(app, r, &t, 1, &rc))
		rc = db_tx(app->db, plan_sign_tx, &t);
	what = t.decision == NULL || strcmp(t.decision, "approve") == 0 ? "approve_plan" :
	    strcmp(t.decision, "return") == 0 ? "return_plan" : "reject_plan";
	return finish(app, r, rs, &t, rc, what, "plan_sign");
}
