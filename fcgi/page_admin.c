/* page_admin.c: the administrator's authority matrix (核决权限) — who approves what, in which order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "valid.h"
#include "audit.h"
#include "authority.h"
#include "money.h"
#include "sign.h"
#include "as_of.h"

/* The actions the matrix governs (docs/authority-matrix.md). */
static const char *const matrix_actions[] = {
	"handling_plan", "investigation_signoff", "penalty", "8d_report", "hold_release", NULL
};
#define RULE_ROLE_FIELDS 4

/* Auditors read the matrix; only administrators change it. */
#define READS_MATRIX (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR))

static int
known_action(const char *a)
{
	return str_in(matrix_actions, a);
}

static const char *
band_text(struct arena *a, const char *fen)
{
	return fen != NULL ? fmt_yuan(a, strtoll(fen, NULL, 10)) : "";
}

/*
 * Gaps: for each action and level, the amounts at which no rule applies (the first one of
 * each run), checked at 0 and just past every band edge. A proposal in a gap is refused.
 */
static struct json_object *
gaps(struct req *r, const struct auth_rule *rules, size_t n)
{
	struct json_object *arr = json_object_new_array();
	enum role out[AUTH_MAX_SIGNERS];

	for (int k = 0; matrix_actions[k] != NULL; k++) {
		const char *act = matrix_actions[k];
		for (int sev = 1; sev <= 4; sev++) {
			int64_t worst = -1;
			for (size_t i = 0; i <= n; i++) {
				int64_t probes[2] = { 0, -1 };
				if (i < n) {
					if (strcmp(rules[i].action, act) != 0)
						continue;
					probes[0] = rules[i].max_amount_fen >= 0 ? rules[i].max_amount_fen + 1 : -1;
					probes[1] = rules[i].min_amount_fen >= 0 ? rules[i].min_amount_fen + 1 : -1;
				}
				for (int p = 0; p < 2; p++)
					if (probes[p] >= 0 && authority_resolve(rules, n, act, probes[p], sev, out,
					    AUTH_MAX_SIGNERS) < 0 && (worst < 0 || probes[p] < worst))
						worst = probes[p];
			}
			if (worst >= 0) {
				struct json_object *o = json_object_new_object();
				json_object_object_add(o, "action_label", jstr(view_label(r, "authority_action", act)));
				json_object_object_add(o, "severity_label", jstr(view_label(r, "severity",
				    arena_printf(r->a, "%d", sev))));
				json_object_object_add(o, "amount", jstr(fmt_yuan(r->a, worst)));
				json_object_array_add(arr, o);
			}
		}
	}
	return arr;
}

/*
 * The page: the rules, their gaps, and (for the administrator) the form; errors from a POST.
 * as_of (a local day, or NULL for now): the rules in force at its end, read-only; KESU_EINPUT
 * when it is not a real YYYY-MM-DD.
 */
static int
matrix_view(struct app *app, struct req *r, struct json_object *errors, const char *as_of,
    struct json_object **out)
{
	static const char *const sevs[] = { "0", "1", "2", "3", "4", NULL };
	static const char *approvers[ROLE__MAX + 1];
	struct db_res res;
	struct auth_rule *rules;
	struct json_object *v, *arr, *form, *roles;
	size_t nvalid = 0;
	int rc, na = 0;
	const char *until = NULL;

	/* ?as_of=YYYY-MM-DD: the versions in force at the end of that local day (015), read-only. */
	if (as_of != NULL) {
		if ((until = as_of_local_end_utc(r->a, app->utc_offset_min, as_of)) == NULL || strlen(as_of) != 10)
			return KESU_EINPUT;
		rc = db_exec(app->db, r->a, STMT_AUTHORITY_AS_OF, &res, "ss", until, until);
	} else {
		rc = db_exec(app->db, r->a, STMT_AUTHORITY_ALL, &res, "");
	}
	if (rc != KESU_OK)
		return rc;
	for (int i = 0; i < ROLE__MAX; i++)
		if (i != ROLE_AUDITOR && i != ROLE_ADMIN)
			approvers[na++] = role_name((enum role)i);
	approvers[na] = NULL;
	rules = arena_alloc(r->a, (res.nrows + 1) * sizeof(*rules));
	v = view_new(app, r);
	arr = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		struct json_object *o = json_object_new_object(), *labels = json_object_new_array();
		struct auth_rule ru;
		int ok = authority_rule_from_row(c, &ru);
		if (ok)
			rules[nvalid++] = ru;
		for (int k = 0; ok && k < ru.nroles; k++)
			json_object_array_add(labels, jstr(view_label(r, "role", role_name(ru.roles[k]))));
		json_object_object_add(o, "id", json_object_new_int64(strtoll(c[0], NULL, 10)));
		json_object_object_add(o, "action", jstr(c[1]));
		json_object_object_add(o, "action_label", jstr(view_label(r, "authority_action", c[1])));
		json_object_object_add(o, "above", jstr(band_text(r->a, c[2])));
		json_object_object_add(o, "up_to", jstr(band_text(r->a, c[3])));
		json_object_object_add(o, "severity", json_object_new_int(atoi(c[4])));
		json_object_object_add(o, "severity_label", jstr(atoi(c[4]) == 0 ? T(r, "any") :
		    view_label(r, "severity", c[4])));
		json_object_object_add(o, "roles", jstr(c[5]));
		json_object_object_add(o, "role_labels", labels);
		json_object_object_add(o, "valid", json_object_new_boolean(ok));
		if (as_of != NULL) {
			/* The version's interval: the auditor sees since when, and until when, it applied. */
			json_object_object_add(o, "effective_from", jstr(strncmp(c[6], "2000-01-01 00:00:00", 19) == 0 ?
			    T(r, "asof_since_start") : view_local_time(app, r->a, c[6])));
			json_object_object_add(o, "effective_to", c[7] ? jstr(view_local_time(app, r->a, c[7])) : NULL);
			json_object_object_add(o, "effective_from_utc", jstr(c[6]));
			json_object_object_add(o, "effective_to_utc", c[7] ? jstr(c[7]) : NULL);
		}
		json_object_array_add(arr, o);
	}
	json_object_object_add(v, "rules", arr);
	arr = gaps(r, rules, nvalid);
	json_object_object_add(v, "has_gaps", json_object_new_boolean(json_object_array_length(arr) > 0));
	json_object_object_add(v, "gaps", arr);
	/* The matrix as it stood is history: nobody edits it, not even the administrator. */
	json_object_object_add(v, "can_edit", json_object_new_boolean(as_of == NULL && sess_has(r, ROLE_BIT(ROLE_ADMIN))));
	json_object_object_add(v, "as_of", as_of != NULL ? jstr(as_of) : NULL);
	json_object_object_add(v, "as_of_utc", until != NULL ? jstr(until) : NULL);

	form = json_object_new_object();
	json_object_object_add(form, "actions", view_options(r, "authority_action", matrix_actions, req_form(r, "action")));
	json_object_object_add(form, "severities", view_options(r, "severity_any", sevs, req_form(r, "severity")));
	roles = json_object_new_array();
	for (int k = 0; k < RULE_ROLE_FIELDS; k++) {
		struct json_object *o = json_object_new_object();
		const char *name = arena_printf(r->a, "role%d", k + 1);
		json_object_object_add(o, "name", jstr(name));
		json_object_object_add(o, "n", json_object_new_int(k + 1));
		json_object_object_add(o, "options", view_options(r, "role", approvers, req_form(r, name)));
		json_object_array_add(roles, o);
	}
	json_object_object_add(form, "roles", roles);
	json_object_object_add(form, "above", jstr(req_form(r, "above")));
	json_object_object_add(form, "up_to", jstr(req_form(r, "up_to")));
	json_object_object_add(form, "errors", errors != NULL ? errors : json_object_new_object());
	json_object_object_add(v, "form", form);
	*out = v;
	return KESU_OK;
}

int
page_admin_authority(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v;
	int rc;

	if ((rc = matrix_view(app, r, NULL, req_query(r, "as_of"), &v)) == KESU_EINPUT) {
		/* A malformed day: today's matrix with the message, never an error page. */
		if ((rc = matrix_view(app, r, NULL, NULL, &v)) != KESU_OK)
			return rc;
		json_object_object_add(v, "as_of_error", jstr(T(r, "asof_err_day")));
		resp_page(app, r, rs, 400, "admin_authority", v);
		return KESU_OK;
	}
	if (rc != KESU_OK)
		return rc;
	resp_page(app, r, rs, 200, "admin_authority", v);
	return KESU_OK;
}

struct rule_tx {
	struct req *r;
	struct auth_rule rule;
	int64_t id;
	const char *roles;
};

static struct json_object *
rule_json(char **c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "action", json_object_new_string(c[1]));
	json_object_object_add(o, "min_amount_fen", c[2] ? json_object_new_int64(strtoll(c[2], NULL, 10)) : NULL);
	json_object_object_add(o, "max_amount_fen", c[3] ? json_object_new_int64(strtoll(c[3], NULL, 10)) : NULL);
	json_object_object_add(o, "severity", json_object_new_int(atoi(c[4])));
	json_object_object_add(o, "roles", json_object_new_string(c[5]));
	return o;
}

static int
rule_add_tx(struct db *db, void *arg)
{
	struct rule_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_ADMIN));
	const struct auth_rule *ru = &t->rule;
	char *row[6];
	struct db_res res;
	struct json_object *after;
	int rc;

	row[2] = ru->min_amount_fen >= 0 ? arena_printf(r->a, "%lld", (long long)ru->min_amount_fen) : NULL;
	row[3] = ru->max_amount_fen >= 0 ? arena_printf(r->a, "%lld", (long long)ru->max_amount_fen) : NULL;
	if ((rc = db_exec(db, r->a, STMT_AUTHORITY_INSERT, NULL, "sssis", ru->action, row[2], row[3],
	    (int64_t)ru->severity, t->roles)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
		return rc;
	row[0] = res.rows[0][0];
	/* The rule's version, in force from now (015): the matrix can be shown as of any day. */
	if ((rc = db_exec(db, r->a, STMT_AUTHORITY_VERSION_ADD, NULL, "isssis", strtoll(row[0], NULL, 10),
	    ru->action, row[2], row[3], (int64_t)ru->severity, t->roles)) != KESU_OK)
		return rc;
	row[1] = (char *)ru->action;
	row[4] = arena_printf(r->a, "%d", ru->severity);
	row[5] = (char *)t->roles;
	after = rule_json(row);
	rc = audit_write(db, r->a, &who, "authority_rule", row[0], "authority_rule_add", NULL, after);
	json_object_put(after);
	return rc;
}

static int
rule_delete_tx(struct db *db, void *arg)
{
	struct rule_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_ADMIN));
	struct db_res res;
	struct json_object *before;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_AUTHORITY_GET, &res, "i", t->id)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, STMT_AUTHORITY_DELETE, NULL, "i", t->id)) != KESU_OK)
		return rc;
	/* Its version leaves force now; the row stays, for the matrix as of an earlier day. */
	if ((rc = db_exec(db, r->a, STMT_AUTHORITY_VERSION_END, NULL, "i", t->id)) != KESU_OK)
		return rc;
	before = rule_json(res.rows[0]);
	rc = audit_write(db, r->a, &who, "authority_rule", res.rows[0][0], "authority_rule_delete", before, NULL);
	json_object_put(before);
	return rc;
}

static int
done(struct app *app, struct req *r, struct resp *rs, int rc, struct json_object *errors)
{
	struct json_object *v;

	if (rc == KESU_EINPUT && errors != NULL && json_object_object_length(errors) > 0) {
		if (r->want_json) {
			v = json_object_new_object();
			json_object_object_add(v, "errors", errors);
			resp_json(rs, 422, v);
			return KESU_OK;
		}
		if ((rc = matrix_view(app, r, errors, NULL, &v)) != KESU_OK)
			return rc;
		resp_page(app, r, rs, 422, "admin_authority", v);
		return KESU_OK;
	}
	json_object_put(errors);
	if (rc != KESU_OK)
		return rc;
	if (r->want_json) {
		if ((rc = matrix_view(app, r, NULL, NULL, &v)) != KESU_OK)
			return rc;
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, "/admin/authority?saved=1");
	return KESU_OK;
}

int
page_admin_authority_add(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *errors;
	struct rule_tx t;
	const char *above, *up_to, *sev;
	int rc = KESU_OK;

	memset(&t, 0, sizeof(t));
	t.r = r;
	errors = json_object_new_object();
	t.rule.action = req_form(r, "action");
	if (!known_action(t.rule.action))
		errors_add(r, errors, "action", "err_invalid_choice");
	above = req_form(r, "above");
	up_to = req_form(r, "up_to");
	t.rule.min_amount_fen = above == NULL || *above == '\0' ? -1 : parse_yuan(above);
	t.rule.max_amount_fen = up_to == NULL || *up_to == '\0' ? -1 : parse_yuan(up_to);
	if (above != NULL && *above != '\0' && t.rule.min_amount_fen < 0)
		errors_add(r, errors, "above", "err_invalid_amount");
	if (up_to != NULL && *up_to != '\0' && t.rule.max_amount_fen < 0)
		errors_add(r, errors, "up_to", "err_invalid_amount");
	if (t.rule.max_amount_fen >= 0 && t.rule.max_amount_fen <= t.rule.min_amount_fen)
		errors_add(r, errors, "up_to", "err_band_empty");
	sev = req_form(r, "severity");
	t.rule.severity = sev != NULL && strlen(sev) == 1 && *sev >= '0' && *sev <= '4' ? *sev - '0' : -1;
	if (t.rule.severity < 0)
		errors_add(r, errors, "severity", "err_invalid_choice");
	for (int k = 0; k < RULE_ROLE_FIELDS; k++) {
		const char *name = req_form(r, arena_printf(r->a, "role%d", k + 1));
		enum role ro;
		if (name == NULL || *name == '\0')
			continue;
		if ((ro = role_from_name(name)) == ROLE__MAX) {
			errors_add(r, errors, "roles", "err_invalid_choice");
			continue;
		}
		t.rule.roles[t.rule.nroles++] = ro;
	}
	if (t.rule.nroles == 0)
		errors_add(r, errors, "roles", "err_roles_required");
	else if (json_object_object_length(errors) == 0 && !authority_rule_valid(&t.rule))
		/* the same role twice, a senior before a junior, an auditor or administrator */
		errors_add(r, errors, "roles", "err_roles_order");
	if (json_object_object_length(errors) > 0)
		return done(app, r, rs, KESU_EINPUT, errors);
	t.roles = roles_join(r->a, t.rule.roles, t.rule.nroles);
	rc = db_tx(app->db, rule_add_tx, &t);
	if (rc == KESU_OK)
		LOG_INFO("authority matrix: rule added for %s", t.rule.action);
	return done(app, r, rs, rc, errors);
}

int
page_admin_authority_delete(struct app *app, struct req *r, struct resp *rs)
{
	struct rule_tx t;
	int rc;

	if (!valid_digits(r->arg, 9))
		return KESU_ENOTFOUND;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.id = strtoll(r->arg, NULL, 10);
	rc = db_tx(app->db, rule_delete_tx, &t);
	if (rc == KESU_OK)
		LOG_INFO("authority matrix: rule %s deleted", r->arg);
	return done(app, r, rs, rc, NULL);
}
