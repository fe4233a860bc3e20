/* sign.c: electronic signatures — who must sign (the authority matrix), in which order, who has approved, the password again, and a signature as shown. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "i18n.h"
#include "login_throttle.h"
#include "sign.h"

/* Role names of a comma-separated list, in order, into out; -1 on an unknown name or too many. */
int
roles_parse(const char *list, enum role out[], int max)
{
	int n = 0;

	while (list != NULL && *list != '\0') {
		size_t len = strcspn(list, ",");
		char name[32];
		if (len == 0 || len >= sizeof(name) || n == max)
			return -1;
		memcpy(name, list, len);
		name[len] = '\0';
		if ((out[n++] = role_from_name(name)) == ROLE__MAX)
			return -1;
		list += len;
		if (*list == ',')
			list++;
	}
	return n;
}

const char *
roles_join(struct arena *a, const enum role roles[], int n)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		buf_puts(&b, role_name(roles[i]));
	}
	s = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return s;
}

int
authority_rule_from_row(char **c, struct auth_rule *ru)
{
	ru->action = c[1];
	ru->min_amount_fen = c[2] != NULL ? strtoll(c[2], NULL, 10) : -1;
	ru->max_amount_fen = c[3] != NULL ? strtoll(c[3], NULL, 10) : -1;
	ru->severity = atoi(c[4]);
	ru->nroles = roles_parse(c[5], ru->roles, AUTH_RULE_ROLES);
	return ru->nroles >= 0 && authority_rule_valid(ru);
}

/*
 * The signers the matrix names for action, amount and level, junior first, into out[]
 * (AUTH_MAX_SIGNERS). KESU_OK with *n set; KESU_EINPUT when no rule covers the case or
 * a rule of the action is invalid (logged: the administrator must fix the matrix).
 */
int
required_signers(struct db *db, struct arena *a, const char *action, int64_t amount_fen, int severity,
    enum role out[], int *n)
{
	struct auth_rule *rules;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, a, STMT_AUTHORITY_RULES, &res, "s", action)) != KESU_OK)
		return rc;
	rules = arena_alloc(a, (res.nrows + 1) * sizeof(*rules));
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		if (!authority_rule_from_row(c, &rules[i])) {
			LOG_ERR("authority_rule %s (%s) is invalid: no %s can be approved until it is fixed",
			    c[0], action, action);
			return KESU_EINPUT;
		}
	}
	*n = authority_resolve(rules, res.nrows, action, amount_fen, severity, out, AUTH_MAX_SIGNERS);
	return *n < 0 ? KESU_EINPUT : KESU_OK;
}

int
required_rule_ids(struct db *db, struct arena *a, const char *action, int64_t amount_fen, int severity,
    const char **ids)
{
	struct db_res res;
	const char *out = "";
	int rc;

	if ((rc = db_exec(db, a, STMT_AUTHORITY_RULES, &res, "s", action)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		struct auth_rule ru;
		if (authority_rule_from_row(res.rows[i], &ru) &&
		    authority_rule_matches(&ru, action, amount_fen, severity))
			out = *out == '\0' ? res.rows[i][0] : arena_printf(a, "%s,%s", out, res.rows[i][0]);
	}
	*ids = out;
	return KESU_OK;
}

/* The ROLE_BITs that approved (entity, id, revision) among the signatures of the complaint. */
unsigned
approved_roles(const struct db_res *sigs, const char *entity, const char *id, long revision)
{
	unsigned mask = 0;

	for (size_t i = 0; i < sigs->nrows; i++) {
		char **s = sigs->rows[i];
		enum role ro;
		if (strcmp(s[SG_ENTITY], entity) == 0 && strcmp(s[SG_ENTITY_ID], id) == 0 && atol(s[SG_REVISION]) == revision &&
		    strcmp(s[SG_DECISION], "approve") == 0 && (ro = role_from_name(s[SG_ROLE])) != ROLE__MAX)
			mask |= ROLE_BIT(ro);
	}
	return mask;
}

/* ---- the signer's password again ---- */

struct recheck_fail_tx {
	struct app *app;
	struct req *r;
	const char *canon;
};

static int
recheck_fail_tx(struct db *db, void *arg)
{
	struct recheck_fail_tx *t = arg;
	struct audit_actor who = req_actor(t->r);
	int rc;

	if ((rc = login_throttle_fail(t->app, db, t->r, t->canon)) != KESU_OK)
		return rc;
	return audit_write(db, t->r->a, &who, "session", t->r->sess->uid, "signature_password_failed",
	    NULL, NULL);
}

/*
 * The signed-in person's password again, for an electronic signature. Wrong guesses count
 * under the same rule as sign-in (login_throttle.c: per account, slowed down, never locked
 * for a clean address) and are audited, so a session left open cannot be used to try
 * passwords: KESU_OK, KESU_EAUTH (empty or wrong), KESU_ELOCKED (wait a moment), KESU_EDIR,
 * or a DB error.
 */
int
password_recheck(struct app *app, struct req *r, const char *password)
{
	struct recheck_fail_tx ft = { app, r, NULL };
	long wait;
	int rc;

	if (password == NULL || *password == '\0')
		return KESU_EAUTH;
	ft.canon = login_canon_user(r->a, r->sess->uid);
	if ((rc = login_throttle_check(app, r, ft.canon, &wait)) != KESU_OK)
		return rc;
	if (wait > 0)
		return KESU_ELOCKED;
	rc = dir_check_password(app->dir, r->sess->dn, password);
	if (rc == KESU_EAUTH) {
		int frc = db_tx(app->db, recheck_fail_tx, &ft);
		return frc != KESU_OK ? frc : KESU_EAUTH;
	}
	if (rc == KESU_OK)
		(void)login_throttle_ok(app, app->db, r, ft.canon);
	return rc;
}

/*
 * What a signature means, in the reader's language: the text of "meaning_<kind>_<decision>",
 * where kind names the signed entity as the catalog does. The meaning stored with the
 * signature (what the signer read, in their language) is the fallback for an entity or a
 * decision the catalog does not name.
 */
static const char *
signature_meaning_for(const struct req *r, const char *entity, const char *decision, const char *stored)
{
	static const struct { const char *entity, *kind; } kinds[] = {
		{ "investigation_report", "report" }, { "handling_plan", "plan" }, { "penalty", "penalty" },
		{ "8d_report", "8d_report" }, { "hold_notice", "hold_release" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (entity != NULL && strcmp(entity, kinds[i].entity) == 0) {
			const char *key = arena_printf(r->a, "meaning_%s_%s", kinds[i].kind, decision ? decision : "");
			if (i18n_has((enum lang)r->lang, key))
				return T(r, key);
		}
	return stored;
}

/* What the signer declares, in their language: po key "meaning_<entity>_<decision>". */
const char *
signature_meaning(const struct req *r, const char *entity, const char *decision)
{
	return T(r, arena_printf(r->a, "meaning_%s_%s", entity, decision));
}

/* A signature as the page, the print view and the JSON twin show it (a STMT_SIGNATURE_LIST row). */
struct json_object *
signature_json(struct app *app, struct req *r, char **s, const char *current_hash)
{
	struct json_object *o = json_object_new_object();
	int earlier = current_hash == NULL || strcmp(s[SG_CONTENT_HASH], current_hash) != 0;

	json_object_object_add(o, "signer_uid", jstr(s[SG_SIGNER_UID]));
	json_object_object_add(o, "signer_name", jstr(s[SG_SIGNER_NAME]));
	json_object_object_add(o, "role", jstr(s[SG_ROLE]));
	json_object_object_add(o, "role_label", jstr(view_label(r, "role", s[SG_ROLE])));
	json_object_object_add(o, "decision", jstr(s[SG_DECISION]));
	json_object_object_add(o, "decision_label", jstr(view_label(r, "decision", s[SG_DECISION])));
	json_object_object_add(o, "meaning", jstr(signature_meaning_for(r, s[SG_ENTITY], s[SG_DECISION], s[SG_MEANING])));
	json_object_object_add(o, "signed_meaning", jstr(s[SG_MEANING]));
	json_object_object_add(o, "comment", jstr(s[SG_COMMENT]));
	json_object_object_add(o, "content_hash", jstr(s[SG_CONTENT_HASH]));
	json_object_object_add(o, "hash_short", jstr(arena_strndup(r->a, s[SG_CONTENT_HASH], 12)));
	json_object_object_add(o, "signed_at_utc", jstr(view_iso_utc(r->a, s[SG_SIGNED_AT])));
	json_object_object_add(o, "signed_at", jstr(view_local_time(app, r->a, s[SG_SIGNED_AT])));
	json_object_object_add(o, "revision", json_object_new_int(atoi(s[SG_REVISION])));
	/* The content changed since it was signed: the signature applies to an earlier version. */
	json_object_object_add(o, "earlier_version", json_object_new_boolean(earlier));
	return o;
}

int
signature_password(struct app *app, struct req *r, struct json_object *errors)
{
	/* The signer types their password again: checked by a bind, before anything is written. */
	int rc = password_recheck(app, r, req_form(r, "password"));

	if (rc == KESU_EAUTH) {
		LOG_INFO("%s: a signature refused, wrong password for %s", r->path, r->sess->uid);
		errors_add(r, errors, "password", "err_signature_password");
		return KESU_EINPUT;
	}
	return rc;
}
