/* page_penalty.c: penalty notices (处罚通知单) — proposal, the GM's signature, execution by finance or HR, appeal; finance's list of money to pay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "handlers.h"
#include "valid.h"
#include "audit.h"
#include "csv.h"
#include "dir.h"
#include "duties.h"
#include "i18n.h"
#include "notify.h"
#include "access.h"
#include "money.h"
#include "sign.h"
#include "view_as_of.h"
#include "work.h"
#include "sections.h"
#include "authority.h"
#include "step.h"
#include "penalty.h"
#include "whose.h"
#include "workflow.h"

/* Who sees every penalty: the leadership group and auditors. */
#define SEES_ALL_PENALTIES (ROLE_BIT(ROLE_GM) | ROLE_BIT(ROLE_DEPUTY_GM) | ROLE_BIT(ROLE_AUDITOR))
#define TEXT_MAX 2000

static const char *const target_kinds[] = { "department", "person", NULL };

static int
in_force(const char *state)
{
	return strcmp(state, "approved") == 0 || strcmp(state, "appealed") == 0 || strcmp(state, "revoked") == 0;
}

/* The list's rule (STMT_PENALTY_LIST), for one penalty row. */
static int
may_see_penalty(const struct req *r, char **p)
{
	const struct session *s = r->sess;
	int money = penalty_has_amount(p[P_KIND]);

	if ((s->roles & SEES_ALL_PENALTIES) != 0 || strcmp(p[P_PROPOSER_UID], s->uid) == 0)
		return 1;
	/* the penalised side, finance and HR: once it is decided in force */
	if (!in_force(p[P_STATE]))
		return 0;
	return strcmp(p[P_TARGET_UID], s->uid) == 0 ||
	    (sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)) && strcmp(p[P_TARGET_DEP], s->department) == 0) ||
	    (strcmp(p[P_TARGET_KIND], "department") == 0 && strcmp(p[P_TARGET_DEP], s->department) == 0) ||
	    (money && sess_has(r, ROLE_BIT(ROLE_FINANCE))) || (!money && sess_has(r, ROLE_BIT(ROLE_HR)));
}

/* 1 when the reader may not see penalty p: noted as a refused record (main.c, access_log.h). */
static int
penalty_refused(struct req *r, char **p)
{
	if (may_see_penalty(r, p))
		return 0;
	r->refused = arena_printf(r->a, "p-%s", p[P_ID]);
	return 1;
}

static const char *
department_name(struct app *app, struct req *r, const char *code)
{
	struct db_res deps;

	if (view_departments(app, r->a, &deps) == KESU_OK)
		for (size_t i = 0; i < deps.nrows; i++)
			if (strcmp(deps.rows[i][0], code) == 0)
				return deps.rows[i][r->lang == LANG_ZH ? 1 : 2];
	return code;
}

/* The row as the pages and the JSON twin show it. */
static struct json_object *
penalty_json(struct app *app, struct req *r, char **p)
{
	struct json_object *o = json_object_new_object();

	JADD(o, "id", json_object_new_int64(strtoll(p[P_ID], NULL, 10)));
	JADD(o, "url", jstr(arena_printf(r->a, "/penalties/%s", p[P_ID])));
	JADD(o, "number", jstr(p[P_NUMBER]));
	JADD(o, "complaint_url", jstr(arena_printf(r->a, "/complaints/%s", p[P_NUMBER])));
	JADD(o, "target_kind", jstr(p[P_TARGET_KIND]));
	JADD(o, "target_kind_label", jstr(view_label(r, "penalty_target", p[P_TARGET_KIND])));
	JADD(o, "target_department", jstr(p[P_TARGET_DEP]));
	JADD(o, "target_department_name", jstr(department_name(app, r, p[P_TARGET_DEP])));
	JADD(o, "target_uid", jstr(p[P_TARGET_UID]));
	JADD(o, "target_name", jstr(p[P_TARGET_NAME]));
	JADD(o, "kind", jstr(p[P_KIND]));
	JADD(o, "kind_label", jstr(view_label(r, "penalty_kind", p[P_KIND])));
	JADD(o, "amount_fen", p[P_AMOUNT] ? json_object_new_int64(strtoll(p[P_AMOUNT], NULL, 10)) : NULL);
	JADD(o, "amount", p[P_AMOUNT] ? jstr(fmt_yuan(r->a, strtoll(p[P_AMOUNT], NULL, 10))) : NULL);
	JADD(o, "reason", jstr(p[P_REASON]));
	JADD(o, "rule_applied", jstr(p[P_RULE]));
	JADD(o, "state", jstr(p[P_STATE]));
	JADD(o, "state_label", jstr(view_label(r, "penalty_state", p[P_STATE])));
	JADD(o, "version", json_object_new_int(atoi(p[P_VERSION])));
	JADD(o, "proposer_name", jstr(p[P_PROPOSER_NAME]));
	JADD(o, "proposer_role_label", jstr(view_label(r, "role", p[P_PROPOSER_ROLE])));
	JADD(o, "proposed_at", jstr(view_local_time(app, r->a, p[P_PROPOSED_AT])));
	JADD(o, "authority_rules", view_rules_used(app, r, p[P_RULE_IDS], p[P_PROPOSED_AT]));
	JADD(o, "executed", json_object_new_boolean(p[P_EXECUTED_AT] != NULL));
	JADD(o, "executed_at", p[P_EXECUTED_AT] ? jstr(view_local_time(app, r->a, p[P_EXECUTED_AT])) : NULL);
	JADD(o, "appeal_reason", p[P_APPEAL_REASON] ? jstr(p[P_APPEAL_REASON]) : NULL);
	JADD(o, "appealed_at", p[P_APPEALED_AT] ? jstr(view_local_time(app, r->a, p[P_APPEALED_AT])) : NULL);
	return o;
}

/* ---- the complaint page's section ---- */

/* Who proposes: the head of a department that took the complaint, or a deputy GM. */
static int
may_propose(const struct req *r, const struct db_res *as)
{
	if (sess_has(r, ROLE_BIT(ROLE_DEPUTY_GM)))
		return 1;
	if (!sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)))
		return 0;
	for (size_t i = 0; i < as->nrows; i++)
		if (strcmp(as->rows[i][AS_DEPARTMENT], r->sess->department) == 0 && strcmp(as->rows[i][AS_STATE], "accepted") == 0)
			return 1;
	return 0;
}

int
penalties_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const struct db_res *as, int any)
{
	struct json_object *arr = json_object_new_array();
	struct db_res res;
	int rc;

	memset(&res, 0, sizeof(res));
	if (any && (rc = db_exec(app->db, r->a, STMT_PENALTY_FOR_COMPLAINT, &res, "s", number)) != KESU_OK) {
		json_object_put(arr);
		return rc;
	}
	for (size_t i = 0; i < res.nrows; i++)
		if (may_see_penalty(r, res.rows[i]))
			json_object_array_add(arr, penalty_json(app, r, res.rows[i]));
	JADD(v, "has_penalties", json_object_new_boolean(json_object_array_length(arr) > 0));
	JADD(v, "penalties", arr);
	if (may_propose(r, as)) {
		struct json_object *f = json_object_new_object(), *kinds = json_object_new_array();
		struct json_object *targets = json_object_new_array(), *deps = json_object_new_array();
		struct db_res d;
		for (int k = 0; penalty_kinds[k] != NULL; k++) {
			struct json_object *o = json_object_new_object();
			JADD(o, "code", jstr(penalty_kinds[k]));
			JADD(o, "label", jstr(view_label(r, "penalty_kind", penalty_kinds[k])));
			json_object_array_add(kinds, o);
		}
		for (int k = 0; target_kinds[k] != NULL; k++) {
			struct json_object *o = json_object_new_object();
			JADD(o, "code", jstr(target_kinds[k]));
			JADD(o, "label", jstr(view_label(r, "penalty_target", target_kinds[k])));
			json_object_array_add(targets, o);
		}
		if (view_departments(app, r->a, &d) == KESU_OK)
			for (size_t i = 0; i < d.nrows; i++) {
				struct json_object *o = json_object_new_object();
				JADD(o, "code", jstr(d.rows[i][0]));
				JADD(o, "label", jstr(d.rows[i][r->lang == LANG_ZH ? 1 : 2]));
				json_object_array_add(deps, o);
			}
		JADD(f, "kinds", kinds);
		JADD(f, "targets", targets);
		JADD(f, "departments", deps);
		JADD(v, "penalty_form", f);
	}
	return KESU_OK;
}

/* ---- steps ---- */

struct ptx {
	struct req *r;
	struct app *app;
	int64_t id;
	long version;
	enum paction action;
	const char *comment;
	struct json_object *errors;
	/* proposal */
	const char *target_kind, *target_dep, *target_uid, *target_name, *kind, *reason, *rule;
	unsigned target_roles;   /* a person's roles in the directory (a GM named: the deputy signs) */
	int64_t amount_fen;
	int64_t new_id;
	const char *state;
};

static int
propose_tx(struct db *db, void *arg)
{
	struct ptx *t = arg;
	struct req *r = t->r;
	/* proposed as the deputy GM, else as the head of a department that took the complaint (may_propose) */
	struct audit_actor who = req_actor_as(r, sess_has(r, ROLE_BIT(ROLE_DEPUTY_GM)) ?
	    ROLE_BIT(ROLE_DEPUTY_GM) : ROLE_BIT(ROLE_DEPT_HEAD));
	struct db_res res, as, sev;
	struct json_object *after;
	enum role req[AUTH_MAX_SIGNERS];
	char *row[P_REQUIRED + 1], hash[65];
	const char *signers, *rule_ids = "";
	int rc, nreq;

	if ((rc = complaint_access(db, r, r->arg)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_LIST, &as, "s", r->arg)) != KESU_OK)
		return rc;
	if (!may_propose(r, &as))
		return KESU_EFORBIDDEN;
	/* Nobody proposes a penalty against themselves (or the department they head). */
	if (duties_names(t->target_kind, t->target_uid, t->target_dep, r->sess->uid, r->sess->department,
	    r->sess->roles)) {
		errors_add(t->r, t->errors, "target", "err_penalty_self");
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_GET, &sev, "s", r->arg)) != KESU_OK)
		return rc;
	rc = required_signers(db, r->a, "penalty", t->amount_fen > 0 ? t->amount_fen : 0, atoi(sev.rows[0][CC_SEVERITY]),
	    req, &nreq);
	if (rc == KESU_EINPUT)
		errors_add(t->r, t->errors, "kind", "err_no_authority");
	if (rc != KESU_OK)
		return rc;
	/* A penalty naming the GM is signed by the deputy GM in the GM's place. */
	if (t->target_roles & ROLE_BIT(ROLE_GM))
		nreq = duties_substitute_gm(req, nreq);
	signers = roles_join(r->a, req, nreq);
	memset(row, 0, sizeof(row));
	row[P_NUMBER] = (char *)r->arg;
	row[P_TARGET_KIND] = (char *)t->target_kind;
	row[P_TARGET_DEP] = (char *)t->target_dep;
	row[P_TARGET_UID] = (char *)t->target_uid;
	row[P_TARGET_NAME] = (char *)t->target_name;
	row[P_KIND] = (char *)t->kind;
	row[P_AMOUNT] = t->amount_fen >= 0 ? arena_printf(r->a, "%lld", (long long)t->amount_fen) : NULL;
	row[P_REASON] = (char *)t->reason;
	row[P_RULE] = (char *)t->rule;
	penalty_hash(row, hash);
	if ((rc = db_exec(db, r->a, STMT_PENALTY_INSERT, NULL, "ssssssssssssss", r->arg, t->target_kind,
	    t->target_dep, t->target_uid, t->target_name, t->kind, row[P_AMOUNT], t->reason, t->rule,
	    r->sess->uid, r->sess->name, who.role, hash, signers)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
		return rc;
	t->new_id = strtoll(res.rows[0][0], NULL, 10);
	/* The matrix's rules (versions) its signers came from, for the auditor (015). */
	if ((rc = required_rule_ids(db, r->a, "penalty", t->amount_fen > 0 ? t->amount_fen : 0,
	    atoi(sev.rows[0][CC_SEVERITY]), &rule_ids)) != KESU_OK ||
	    (rc = db_exec(db, r->a, STMT_PENALTY_SET_RULES, NULL, "si", rule_ids, t->new_id)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	JADD(after, "penalty_id", json_object_new_int64(t->new_id));
	JADD(after, "state", json_object_new_string("proposed"));
	JADD(after, "target_kind", json_object_new_string(t->target_kind));
	JADD(after, "target_department", json_object_new_string(t->target_dep));
	JADD(after, "target_uid", json_object_new_string(t->target_uid));
	JADD(after, "kind", json_object_new_string(t->kind));
	JADD(after, "amount_fen", t->amount_fen >= 0 ? json_object_new_int64(t->amount_fen) : NULL);
	JADD(after, "reason", json_object_new_string(t->reason));
	JADD(after, "rule_applied", json_object_new_string(t->rule));
	JADD(after, "required_signers", json_object_new_string(signers));
	JADD(after, "rule_ids", json_object_new_string(rule_ids));
	JADD(after, "content_hash", json_object_new_string(hash));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, "penalty_propose", NULL, after);
	json_object_put(after);
	/* The first signer is told by mail (notify.c), in this transaction. */
	if (rc == KESU_OK && nreq > 0)
		rc = notify_queue(db, r->a, "penalty_sign", "role", role_name(req[0]), r->arg,
		    arena_printf(r->a, "/penalties/%lld", (long long)t->new_id));
	return rc;
}

/* 1 when penalty p is against a person who is a GM in the directory (looked up now: a GM
 * named by a penalty cannot decide its appeal even if the role came later). */
static int
names_gm(struct ptx *t, char **p)
{
	struct dir_user u;

	if (strcmp(p[P_TARGET_KIND], "person") != 0 || p[P_TARGET_UID] == NULL || *p[P_TARGET_UID] == '\0')
		return 0;
	if (dir_lookup(t->app->dir, t->r->a, p[P_TARGET_UID], &u) != KESU_OK)
		return 0;
	return (u.roles & ROLE_BIT(ROLE_GM)) != 0;
}

/* Whether the reader may take action a on penalty p now (besides the state machine). */
static int
actor_ok(struct ptx *t, char **p, const struct db_res *sigs, enum role *sign_as)
{
	struct req *r = t->r;
	enum role req[AUTH_MAX_SIGNERS], next;
	int nreq;

	*sign_as = ROLE__MAX;
	/* Whom a penalty names may appeal it, and do nothing else with it. */
	if (t->action != PA_APPEAL && duties_names(p[P_TARGET_KIND], p[P_TARGET_UID], p[P_TARGET_DEP],
	    r->sess->uid, r->sess->department, r->sess->roles))
		return 0;
	switch (t->action) {
	case PA_APPROVE:
	case PA_REJECT:
		if ((nreq = roles_parse(p[P_REQUIRED], req, AUTH_MAX_SIGNERS)) <= 0)
			return 0;
		next = authority_next_signer(req, nreq, approved_roles(sigs, "penalty", p[P_ID], 1));
		if (!authority_may_sign(r->sess->uid, r->sess->roles, p[P_PROPOSER_UID], next))
			return 0;
		*sign_as = next;
		return 1;
	case PA_EXECUTE:
		*sign_as = penalty_executor(p[P_KIND]);
		return sess_has(r, ROLE_BIT(*sign_as));
	case PA_APPEAL:
		return strcmp(p[P_TARGET_UID], r->sess->uid) == 0 ||
		    (strcmp(p[P_TARGET_KIND], "department") == 0 && sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)) &&
		    strcmp(p[P_TARGET_DEP], r->sess->department) == 0);
	default:   /* uphold, revoke: the GM, who did not propose it — the deputy GM when it names the GM */
		*sign_as = names_gm(t, p) ? ROLE_DEPUTY_GM : ROLE_GM;
		return authority_may_sign(r->sess->uid, r->sess->roles, p[P_PROPOSER_UID], *sign_as);
	}
}

/*
 * The mails a penalty step queues (notify.c), in its transaction: the next signer while it
 * waits for signatures; once in force, whoever carries it out (finance or HR) and the
 * penalised person (the notice, which may be appealed); an appeal, the GM.
 */
static int
notify_penalty_step(struct db *db, struct req *r, char **p, enum paction action, enum pstate to,
    const char *number)
{
	const char *link = arena_printf(r->a, "/penalties/%s", p[P_ID]);
	int rc = KESU_OK;

	if (action == PA_APPROVE && to == PS_PROPOSED) {
		struct db_res sigs;
		enum role req[AUTH_MAX_SIGNERS], next;
		int nreq = roles_parse(p[P_REQUIRED], req, AUTH_MAX_SIGNERS);
		if ((rc = db_exec(db, r->a, STMT_SIGNATURE_LIST, &sigs, "s", number)) != KESU_OK)
			return rc;
		next = authority_next_signer(req, nreq, approved_roles(&sigs, "penalty", p[P_ID], 1));
		if (next != ROLE__MAX)
			rc = notify_queue(db, r->a, "penalty_sign", "role", role_name(next), number, link);
	} else if (action == PA_APPROVE && to == PS_APPROVED) {
		rc = notify_queue(db, r->a, "penalty_execute", "role", role_name(penalty_executor(p[P_KIND])),
		    number, link);
		if (rc == KESU_OK && strcmp(p[P_TARGET_KIND], "person") == 0)
			rc = notify_queue(db, r->a, "penalty_notice", "user", p[P_TARGET_UID], number, link);
		else if (rc == KESU_OK)
			rc = notify_queue(db, r->a, "penalty_notice", "dept_head", p[P_TARGET_DEP], number, link);
	} else if (action == PA_APPEAL) {
		rc = notify_queue(db, r->a, "penalty_appeal", "role", "gm", number, link);
	}
	return rc;
}

/* The step's decision recorded on the signature ("approve", "reject", "execute", "uphold", "revoke"). */
static int
step_tx(struct db *db, void *arg)
{
	struct ptx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct db_res res, sigs;
	struct json_object *before, *after;
	enum pstate from, to;
	enum role sign_as;
	char **p, hash[65];
	const char *number;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_PENALTY_LOCK, &res, "i", t->id)) != KESU_OK)
		return rc;
	if (res.nrows != 1 || penalty_refused(r, res.rows[0]))
		return KESU_ENOTFOUND;
	p = res.rows[0];
	number = p[P_NUMBER];
	if (atol(p[P_VERSION]) != t->version)
		return KESU_ECONFLICT;
	if ((from = pstate_from_name(p[P_STATE])) == PS__MAX)
		return KESU_EINTERNAL;
	if ((rc = penalty_apply(from, p[P_EXECUTED_AT] != NULL, p[P_APPEALED_AT] != NULL, t->action, &to)) != KESU_OK)
		return rc == KESU_ESTATE ? step_refuse(r, "penalty_state", p[P_STATE]) : rc;
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_LIST, &sigs, "s", number)) != KESU_OK)
		return rc;
	if (!actor_ok(t, p, &sigs, &sign_as))
		return KESU_EFORBIDDEN;
	/* The role the matrix or the step asked for (signer, executor); an appeal of a department's
	 * penalty is its head's; a person appeals as themselves. */
	if (sign_as != ROLE__MAX)
		who.role = role_name(sign_as);
	else if (t->action == PA_APPEAL && strcmp(p[P_TARGET_KIND], "department") == 0)
		who = req_actor_as(r, ROLE_BIT(ROLE_DEPT_HEAD));
	if (t->action == PA_APPEAL) {
		char *end = NULL;
		struct tm tm;
		time_t decided;
		memset(&tm, 0, sizeof(tm));
		end = p[P_DECIDED_AT] ? strptime(p[P_DECIDED_AT], "%Y-%m-%d %H:%M:%S", &tm) : NULL;
		decided = end != NULL ? timegm(&tm) : 0;
		if (!penalty_appeal_open(decided, time(NULL), (int)conf_int(t->app->conf, "penalty.appeal_days", 7))) {
			errors_add(t->r, t->errors, "reason", "err_appeal_closed");
			return KESU_EINPUT;
		}
		rc = db_exec(db, r->a, STMT_PENALTY_APPEAL, &res, "ssii", t->comment, r->sess->uid, t->id,
		    (int64_t)t->version);
	} else {
		/* a signature on exactly what the notice says */
		penalty_hash(p, hash);
		if (strcmp(hash, p[P_HASH]) != 0) {
			LOG_ERR("penalty %lld: its stored content no longer matches its hash; not signed", (long long)t->id);
			return KESU_ECONFLICT;
		}
		if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", number, "penalty", p[P_ID],
		    (int64_t)(t->action == PA_APPROVE || t->action == PA_REJECT ? 1 : atol(p[P_VERSION]) + 1),
		    r->sess->uid, r->sess->name, role_name(sign_as), paction_name(t->action),
		    signature_meaning(r, "penalty", paction_name(t->action)), t->comment ? t->comment : "",
		    hash)) != KESU_OK)
			return rc;
		if (t->action == PA_EXECUTE) {
			rc = db_exec(db, r->a, STMT_PENALTY_EXECUTE, &res, "sii", r->sess->uid, t->id, (int64_t)t->version);
		} else {
			/* approve: only the last required signer puts it in force */
			if (t->action == PA_APPROVE) {
				enum role req[AUTH_MAX_SIGNERS];
				int nreq = roles_parse(p[P_REQUIRED], req, AUTH_MAX_SIGNERS);
				if (authority_next_signer(req, nreq, approved_roles(&sigs, "penalty", p[P_ID], 1) |
				    ROLE_BIT(sign_as)) != ROLE__MAX)
					to = PS_PROPOSED;
			}
			rc = db_exec(db, r->a, STMT_PENALTY_DECIDE, &res, "sii", pstate_name(to), t->id, (int64_t)t->version);
		}
	}
	if (rc != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	t->state = pstate_name(to);
	before = json_object_new_object();
	JADD(before, "state", json_object_new_string(p[P_STATE]));
	JADD(before, "version", json_object_new_int64(t->version));
	after = json_object_new_object();
	JADD(after, "penalty_id", json_object_new_int64(t->id));
	JADD(after, "state", json_object_new_string(t->state));
	JADD(after, "version", json_object_new_int64(t->version + 1));
	if (t->comment != NULL && *t->comment != '\0')
		json_object_object_add(after, t->action == PA_APPEAL ? "reason" : "comment", json_object_new_string(t->comment));
	if (t->action != PA_APPEAL) {
		JADD(after, "role", json_object_new_string(role_name(sign_as)));
		JADD(after, "content_hash", json_object_new_string(hash));
	}
	rc = audit_write(db, r->a, &who, "complaint", number, arena_printf(r->a, "penalty_%s",
	    paction_name(t->action)), before, after);
	json_object_put(before);
	json_object_put(after);
	if (rc == KESU_OK)
		rc = notify_penalty_step(db, r, p, t->action, to, number);
	return rc;
}

/* ---- handlers ---- */


int
page_penalty_propose(struct app *app, struct req *r, struct resp *rs)
{
	struct ptx t;
	const char *target, *amount;
	int rc;

	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	if (!sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD) | ROLE_BIT(ROLE_DEPUTY_GM)))
		return KESU_EFORBIDDEN;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.app = app;
	t.errors = json_object_new_object();
	t.amount_fen = -1;
	t.target_kind = req_form(r, "target_kind");
	target = req_form(r, "target");
	t.kind = req_form(r, "kind");
	amount = req_form(r, "amount");
	t.reason = req_form(r, "reason");
	t.rule = req_form(r, "rule");
	if (!str_in(target_kinds, t.target_kind))
		errors_add(r, t.errors, "target_kind", "err_invalid_choice");
	if (!str_in(penalty_kinds, t.kind))
		errors_add(r, t.errors, "kind", "err_invalid_choice");
	if (t.reason == NULL || workflow_reason_blank(t.reason) || strlen(t.reason) > TEXT_MAX)
		errors_add(r, t.errors, "reason", t.reason != NULL && strlen(t.reason) > TEXT_MAX ? "err_too_long" : "err_required");
	if (t.rule == NULL || workflow_reason_blank(t.rule) || strlen(t.rule) > 500)
		errors_add(r, t.errors, "rule", t.rule != NULL && strlen(t.rule) > 500 ? "err_too_long" : "err_required");
	if (t.kind != NULL && penalty_has_amount(t.kind)) {
		if ((t.amount_fen = parse_yuan(amount)) <= 0)
			errors_add(r, t.errors, "amount", "err_penalty_amount");
	}
	if (target == NULL || workflow_reason_blank(target) || strlen(target) > 64) {
		errors_add(r, t.errors, "target", "err_required");
	} else if (t.target_kind != NULL && strcmp(t.target_kind, "person") == 0) {
		struct dir_user u;
		if ((rc = dir_lookup(app->dir, r->a, target, &u)) == KESU_ENOTFOUND) {
			errors_add(r, t.errors, "target", "err_owner_unknown");
		} else if (rc != KESU_OK) {
			json_object_put(t.errors);
			return rc;
		} else {
			t.target_uid = u.uid;
			t.target_name = u.display_name;
			t.target_dep = u.department != NULL ? u.department : "";
			t.target_roles = u.roles;
		}
	} else if (t.target_kind != NULL) {
		t.target_dep = target;
		t.target_uid = "";
		t.target_name = department_name(app, r, target);
		if (t.target_name == target)   /* not a department */
			errors_add(r, t.errors, "target", "err_department_unknown");
	}
	rc = json_object_object_length(t.errors) > 0 ? KESU_EINPUT : db_tx(app->db, propose_tx, &t);
	if (rc == KESU_EINPUT && json_object_object_length(t.errors) > 0)
		return step_fields(r, t.errors);
	json_object_put(t.errors);
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("complaint %s: penalty %lld proposed", r->arg, (long long)t.new_id);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		JADD(v, "id", json_object_new_int64(t.new_id));
		JADD(v, "url", jstr(arena_printf(r->a, "/penalties/%lld", (long long)t.new_id)));
		JADD(v, "state", jstr("proposed"));
		resp_json(rs, 201, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/penalties/%lld", (long long)t.new_id));
	return KESU_OK;
}

/* One penalty's page: the notice, its signatures, and the forms the reader may use. */
static int
penalty_page(struct app *app, struct req *r, struct json_object **out)
{
	struct db_res res, sigs;
	struct json_object *v, *o, *sarr;
	struct ptx t;
	char **p, hash[65];
	int rc;

	if (!valid_id(r->arg))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(app->db, r->a, STMT_PENALTY_GET, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1 || penalty_refused(r, res.rows[0]))
		return KESU_ENOTFOUND;
	p = res.rows[0];
	if ((rc = db_exec(app->db, r->a, STMT_SIGNATURE_LIST, &sigs, "s", p[P_NUMBER])) != KESU_OK)
		return rc;
	penalty_hash(p, hash);
	v = view_new(app, r);
	o = penalty_json(app, r, p);
	sarr = json_object_new_array();
	for (size_t i = 0; i < sigs.nrows; i++)
		if (strcmp(sigs.rows[i][SG_ENTITY], "penalty") == 0 && strcmp(sigs.rows[i][SG_ENTITY_ID], p[P_ID]) == 0)
			json_object_array_add(sarr, signature_json(app, r, sigs.rows[i], hash));
	JADD(o, "signatures", sarr);
	JADD(o, "has_signatures", json_object_new_boolean(json_object_array_length(sarr) > 0));
	/* the signing chain: signed / next / later, with names and times (whose.c) */
	{
		enum role req[AUTH_MAX_SIGNERS];
		int nreq = roles_parse(p[P_REQUIRED], req, AUTH_MAX_SIGNERS);
		if (nreq > 0) {
			JADD(o, "chain", whose_chain(app, r, req, nreq,
			    approved_roles(&sigs, "penalty", p[P_ID], 1), strcmp(p[P_STATE], "proposed") == 0,
			    sarr, NULL, p[P_TARGET_DEP]));
			JADD(o, "has_chain", json_object_new_boolean(1));
		}
	}
	JADD(o, "content_hash", jstr(hash));
	JADD(v, "penalty", o);
	view_done_notice(r, v);

	/* the forms: each offered only when the step would be accepted now */
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.app = app;
	{
		struct json_object *steps = json_object_new_array();
		static const enum paction all[] = { PA_APPROVE, PA_REJECT, PA_EXECUTE, PA_APPEAL, PA_UPHOLD, PA_REVOKE };
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			enum role as;
			enum pstate to;
			struct json_object *s;
			t.action = all[i];
			if (penalty_apply(pstate_from_name(p[P_STATE]), p[P_EXECUTED_AT] != NULL,
			    p[P_APPEALED_AT] != NULL, all[i], &to) != KESU_OK || !actor_ok(&t, p, &sigs, &as))
				continue;
			s = json_object_new_object();
			JADD(s, "action", jstr(paction_name(all[i])));
			JADD(s, "label", jstr(view_label(r, "penalty_action", paction_name(all[i]))));
			JADD(s, "signs", json_object_new_boolean(all[i] != PA_APPEAL));
			JADD(s, "needs_comment", json_object_new_boolean(all[i] != PA_APPROVE &&
			    all[i] != PA_EXECUTE));
			if (all[i] != PA_APPEAL) {
				JADD(s, "meaning", jstr(signature_meaning(r, "penalty", paction_name(all[i]))));
				JADD(s, "role_label", jstr(view_label(r, "role", role_name(as))));
			}
			json_object_array_add(steps, s);
		}
		JADD(v, "has_steps", json_object_new_boolean(json_object_array_length(steps) > 0));
		JADD(v, "steps", steps);
	}
	*out = v;
	return KESU_OK;
}

int
page_penalty_view(struct app *app, struct req *r, struct resp *rs)
{
	/* ?as_of=SEQ or ?at=...: the notice as it stood then, from its events in the complaint's trail. */
	if (as_of_wanted(r)) {
		struct as_of_target t = { AS_OF_RECORD, "asof_title_penalty", r->arg, NULL, "complaint", NULL,
			"penalty_", "penalty_id", r->arg, "penalty", r->arg, arena_printf(r->a, "/penalties/%s", r->arg),
			as_of_penalty_shown };
		struct db_res res;
		int rc;

		if (!valid_id(r->arg))
			return KESU_ENOTFOUND;
		if ((rc = db_exec(app->db, r->a, STMT_PENALTY_GET, &res, "s", r->arg)) != KESU_OK)
			return rc;
		if (res.nrows != 1 || penalty_refused(r, res.rows[0]))
			return KESU_ENOTFOUND;
		t.number = t.entity_id = res.rows[0][P_NUMBER];
		return as_of_answer(app, r, rs, &t);
	}
	return resp_view(app, r, rs, penalty_page, "penalty_view");
}

int
page_penalty_step(struct app *app, struct req *r, struct resp *rs)
{
	struct ptx t;
	const char *version = req_form(r, "version");
	int rc;

	if (!valid_id(r->arg))
		return KESU_ENOTFOUND;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.app = app;
	t.id = strtoll(r->arg, NULL, 10);
	t.errors = json_object_new_object();
	t.action = paction_from_name(req_form(r, "action"));
	t.comment = req_form(r, "comment");
	if (t.action == PA__MAX || !valid_id(version) || strlen(version) > 9) {
		json_object_put(t.errors);
		return KESU_EINPUT;
	}
	t.version = atol(version);
	{
		/* Not seen: 404 before anything else, the password included. */
		struct db_res res;
		if ((rc = db_exec(app->db, r->a, STMT_PENALTY_GET, &res, "s", r->arg)) != KESU_OK) {
			json_object_put(t.errors);
			return rc;
		}
		if (res.nrows != 1 || penalty_refused(r, res.rows[0])) {
			json_object_put(t.errors);
			return KESU_ENOTFOUND;
		}
	}
	if (t.comment != NULL && strlen(t.comment) > TEXT_MAX)
		errors_add(r, t.errors, "comment", "err_too_long");
	if (t.action != PA_APPROVE && t.action != PA_EXECUTE && workflow_reason_blank(t.comment))
		errors_add(r, t.errors, "comment", "err_reason_required");
	if (json_object_object_length(t.errors) == 0 && t.action != PA_APPEAL) {
		/* a signature: the password again, throttled like sign-in */
		rc = signature_password(app, r, t.errors);
		if (rc != KESU_OK && rc != KESU_EINPUT) {
			json_object_put(t.errors);
			return rc;
		}
	}
	rc = json_object_object_length(t.errors) > 0 ? KESU_EINPUT : db_tx(app->db, step_tx, &t);
	if (rc == KESU_EINPUT && json_object_object_length(t.errors) > 0)
		return step_fields(r, t.errors);
	json_object_put(t.errors);
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("penalty %s: %s", r->arg, paction_name(t.action));
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		JADD(v, "id", json_object_new_int64(t.id));
		JADD(v, "state", jstr(t.state));
		JADD(v, "version", json_object_new_int64(t.version + 1));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/penalties/%s?done=penalty_%s", r->arg, paction_name(t.action)));
	return KESU_OK;
}

/* /penalties: those the reader may see, filtered by state and kind, 50 a page. */
int
page_penalty_list(struct app *app, struct req *r, struct resp *rs)
{
	static const char *const states[] = { "proposed", "approved", "rejected", "appealed", "revoked", NULL };
	const char *state = req_query(r, "state"), *kind = req_query(r, "kind"), *after = req_query(r, "after");
	const struct session *s = r->sess;
	struct json_object *v, *rows;
	struct db_res res;
	size_t shown;
	int rc;

	if (s == NULL)
		return KESU_EAUTH;
	if (!str_in(states, state))
		state = NULL;
	if (!str_in(penalty_kinds, kind))
		kind = NULL;
#define VIS state, state, kind, kind, (int64_t)sess_has(r, SEES_ALL_PENALTIES), s->uid, s->uid, \
	(int64_t)sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)), s->department, s->department, \
	(int64_t)sess_has(r, ROLE_BIT(ROLE_FINANCE)), (int64_t)sess_has(r, ROLE_BIT(ROLE_HR))
	if (valid_id(after))
		rc = db_exec(app->db, r->a, STMT_PENALTY_LIST_AFTER, &res, "ssssississiis", VIS, after);
	else
		rc = db_exec(app->db, r->a, STMT_PENALTY_LIST, &res, "ssssississii", VIS);
#undef VIS
	if (rc != KESU_OK)
		return rc;
	v = view_new(app, r);
	rows = json_object_new_array();
	shown = res.nrows > 50 ? 50 : res.nrows;
	for (size_t i = 0; i < shown; i++)
		json_object_array_add(rows, penalty_json(app, r, res.rows[i]));
	JADD(v, "penalties", rows);
	JADD(v, "empty", json_object_new_boolean(shown == 0));
	if (res.nrows > 50) {
		const char *last = res.rows[49][P_ID];
		JADD(v, "next_cursor", jstr(last));
		JADD(v, "next_url", jstr(arena_printf(r->a, "/penalties?after=%s%s%s%s%s", last,
		    state ? "&state=" : "", state ? state : "", kind ? "&kind=" : "", kind ? kind : "")));
	}
	JADD(v, "state_options", view_options(r, "penalty_state", states, state));
	JADD(v, "kind_options", view_options(r, "penalty_kind", penalty_kinds, kind));
	resp_page(app, r, rs, 200, "penalty_list", v);
	return KESU_OK;
}

/* ---- my work ---- */

int
penalties_work(struct app *app, struct req *r, struct json_object *lists)
{
	static const struct { const char *key; const char *state; int unexecuted; enum paction action; } w[] = {
		{ "penalties_to_sign", "proposed", 0, PA_APPROVE },
		{ "penalties_to_execute", "approved", 1, PA_EXECUTE },
		{ "appeals_to_decide", "appealed", 0, PA_UPHOLD },
	};
	int any = 0;

	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
		struct json_object *rows = json_object_new_array();
		struct db_res res, sigs;
		struct ptx t;
		int rc;
		memset(&t, 0, sizeof(t));
		t.r = r;
		t.app = app;
		t.action = w[k].action;
		if ((rc = db_exec(app->db, r->a, STMT_PENALTY_WORK, &res, "si", w[k].state, (int64_t)w[k].unexecuted)) != KESU_OK) {
			json_object_put(rows);
			return rc;
		}
		for (size_t i = 0; i < res.nrows; i++) {
			char **p = res.rows[i];
			enum role as;
			memset(&sigs, 0, sizeof(sigs));
			if (!may_see_penalty(r, p))
				continue;
			if (w[k].action == PA_APPROVE &&
			    db_exec(app->db, r->a, STMT_SIGNATURE_LIST, &sigs, "s", p[P_NUMBER]) != KESU_OK)
				continue;
			if (actor_ok(&t, p, &sigs, &as)) {
				/* the keys of a "my work" row too */
				struct json_object *o = penalty_json(app, r, p);
				JADD(o, "status_label", jstr(arena_printf(r->a, "%s · %s",
				    view_label(r, "penalty_kind", p[P_KIND]), view_label(r, "penalty_state", p[P_STATE]))));
				JADD(o, "customer_name", jstr(p[P_TARGET_NAME]));
				JADD(o, "owner_name", jstr(p[P_PROPOSER_NAME]));
				JADD(o, "received_at", jstr(view_local_time(app, r->a, p[P_PROPOSED_AT])));
				json_object_array_add(rows, o);
			}
		}
		/* A section only for whom can act on it: signing and appeals for the leadership,
		 * execution for finance and HR (an empty one says "nothing waits"). */
		if (json_object_array_length(rows) > 0 || sess_has(r, w[k].action == PA_EXECUTE ?
		    ROLE_BIT(ROLE_FINANCE) | ROLE_BIT(ROLE_HR) : ROLE_BIT(ROLE_GM))) {
			struct json_object *o = json_object_new_object();
			JADD(o, "key", jstr(w[k].key));
			JADD(o, "title", jstr(T(r, arena_printf(r->a, "work_%s", w[k].key))));
			JADD(o, "count", json_object_new_int((int)json_object_array_length(rows)));
			JADD(o, "empty", json_object_new_boolean(json_object_array_length(rows) == 0));
			JADD(o, "rows", rows);
			json_object_array_add(lists, o);
			any = 1;
		} else {
			json_object_put(rows);
		}
	}
	(void)any;
	/* the penalised person: the notice and until when it may be appealed */
	{
		long days = conf_int(app->conf, "penalty.appeal_days", 7);
		struct db_res res;
		int rc;
		if ((rc = db_exec(app->db, r->a, STMT_WORK_PENALTY_MINE, &res, "isi", (int64_t)days,
		    r->sess->uid, (int64_t)days)) != KESU_OK)
			return rc;
		if (res.nrows > 0) {
			struct json_object *rows = json_object_new_array();
			for (size_t i = 0; i < res.nrows; i++) {
				struct json_object *o = penalty_json(app, r, res.rows[i]);
				JADD(o, "appeal_until", jstr(view_local_time(app, r->a, res.rows[i][P_RULE_IDS + 1])));
				json_object_array_add(rows, o);
			}
			work_list_add(r, lists, "penalty_notices", rows);
		}
	}
	/* finance: the money of approved plans still to pay or credit */
	if (sess_has(r, ROLE_BIT(ROLE_FINANCE))) {
		struct json_object *rows = json_object_new_array(), *o;
		struct db_res res;
		int rc;
		if ((rc = db_exec(app->db, r->a, STMT_FINANCE_REMEDIES, &res, "i", (int64_t)1)) != KESU_OK) {
			json_object_put(rows);
			return rc;
		}
		for (size_t i = 0; i < res.nrows && i < 200; i++) {
			char **c = res.rows[i];
			o = json_object_new_object();
			JADD(o, "number", jstr(c[6]));
			JADD(o, "url", jstr("/finance"));
			JADD(o, "customer_name", jstr(c[8]));
			JADD(o, "status_label", jstr(arena_printf(r->a, "%s%s%s", view_label(r, "remedy", c[2]),
			    c[3] ? " · ¥ " : "", c[3] ? fmt_yuan(r->a, strtoll(c[3], NULL, 10)) : "")));
			/* the finance line's own columns in "My work" */
			JADD(o, "kind_label", jstr(view_label(r, "remedy", c[2])));
			JADD(o, "amount", c[3] ? jstr(fmt_yuan(r->a, strtoll(c[3], NULL, 10))) : NULL);
			JADD(o, "quantity", c[4] ? json_object_new_int64(strtoll(c[4], NULL, 10)) : NULL);
			JADD(o, "note", jstr(c[5]));
			json_object_array_add(rows, o);
		}
		o = json_object_new_object();
		JADD(o, "key", jstr("remedies_to_execute"));
		JADD(o, "title", jstr(T(r, "work_remedies_to_execute")));
		JADD(o, "count", json_object_new_int((int)json_object_array_length(rows)));
		JADD(o, "empty", json_object_new_boolean(json_object_array_length(rows) == 0));
		JADD(o, "rows", rows);
		json_object_array_add(lists, o);
	}
	return KESU_OK;
}
