/* ed.c: an 8D report as the pages read it — loaded with access checked, its versions and their content hash. */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "authority.h"
#include "audit.h"
#include "ed.h"
#include "sign.h"
#include "step.h"
#include "valid.h"

const char *const location_kinds[] = { "warehouse", "in_transit", "at_customer", NULL };

const char *
sget(struct json_object *o, const char *k)
{
	struct json_object *v;
	return o != NULL && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

/* The disciplines of a STMT_8D_VERSIONS row (4..12) or STMT_8D_VERSION_LOCK row (4..12), parsed
 * into out[] (caller puts them). */
void
parse_disciplines(char **v, struct json_object *out[ED_NDISC])
{
	for (int i = 0; i < ED_NDISC; i++) {
		out[i] = v[4 + i] != NULL ? json_tokener_parse(v[4 + i]) : NULL;
		if (out[i] == NULL || !json_object_is_type(out[i], json_type_object)) {
			json_object_put(out[i]);
			out[i] = eightd_empty(i);
		}
	}
}

void
put_disciplines(struct json_object *d[ED_NDISC])
{
	for (int i = 0; i < ED_NDISC; i++)
		json_object_put(d[i]);
}

/*
 * The SHA-256 a signature on version covers: the 8D's number and title, the version, every
 * discipline, and the files attached up to that version (by their SHA-256).
 */
void
version_hash(char **e, long version, struct json_object *const d[ED_NDISC], const struct db_res *att,
    char out[65])
{
	struct json_object *o = json_object_new_object(), *files = json_object_new_array();

	json_object_object_add(o, "kind", json_object_new_string("8d_report"));
	json_object_object_add(o, "id", json_object_new_int64(strtoll(e[0], NULL, 10)));
	json_object_object_add(o, "number", json_object_new_string(e[1]));
	json_object_object_add(o, "title", json_object_new_string(e[2]));
	json_object_object_add(o, "version", json_object_new_int64(version));
	for (int i = 0; i < ED_NDISC; i++)
		json_object_object_add(o, eightd_disciplines[i].code, json_object_get(d[i]));
	for (size_t i = 0; att != NULL && i < att->nrows; i++)
		if (atol(att->rows[i][7]) <= version)
			json_object_array_add(files, json_object_new_string(att->rows[i][1]));
	json_object_object_add(o, "attachments", files);
	authority_content_hash(o, out);
	json_object_put(o);
}

/* The severity of complaint number (0 when unknown). */
int
severity_of(struct db *db, struct arena *a, const char *number)
{
	struct db_res res;

	if (db_exec(db, a, STMT_COMPLAINT_GET, &res, "s", number) != KESU_OK || res.nrows != 1)
		return 0;
	return atoi(res.rows[0][CC_SEVERITY]);
}

/*
 * The 8D r->arg if the reader may see it: they may see one of the complaints it covers, and
 * either they see drafts (quality engineers, the QA director, auditors) or a version of it is
 * approved. KESU_ENOTFOUND otherwise, as for an id never issued. lock: FOR UPDATE.
 */
int
ed_load(struct db *db, struct req *r, int lock, struct ed *e)
{
	struct db_res res;
	int rc, seen = 0, approved = 0;

	memset(e, 0, sizeof(*e));
	if (!valid_digits(r->arg, 18))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, lock ? STMT_8D_LOCK : STMT_8D_GET, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	e->row = res.rows[0];
	if ((rc = db_exec(db, r->a, STMT_8D_COMPLAINTS, &e->cs, "s", r->arg)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < e->cs.nrows && !seen; i++) {
		rc = complaint_access(db, r, e->cs.rows[i][EC_NUMBER]);
		if (rc != KESU_OK && rc != KESU_ENOTFOUND)
			return rc;
		seen = rc == KESU_OK;
	}
	if (!seen)
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, STMT_8D_VERSIONS, &e->vs, "s", r->arg)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < e->vs.nrows; i++)
		approved |= strcmp(e->vs.rows[i][EV_STATE], "approved") == 0;
	e->drafts = sess_has(r, SEES_DRAFTS);
	return e->drafts || approved ? KESU_OK : KESU_ENOTFOUND;
}

/* Who records that an approved version went to the customer: the 8D's owner, a quality
 * engineer, or the first responder of a complaint it covers (they keep the customer informed). */
int
may_record_sent(const struct req *r, const struct ed *e)
{
	if (strcmp(e->row[ED_OWNER_UID], r->sess->uid) == 0 || sess_has(r, WRITES_8D))
		return 1;
	for (size_t i = 0; i < e->cs.nrows; i++)
		if (strcmp(e->cs.rows[i][EC_OWNER_UID], r->sess->uid) == 0)
			return 1;
	return 0;
}

/* The version row numbered v (0: the latest the reader may see), or NULL. */
char **
ed_version(const struct ed *e, long v)
{
	for (size_t i = e->vs.nrows; i-- > 0; ) {
		char **row = e->vs.rows[i];
		if (!e->drafts && strcmp(row[EV_STATE], "approved") != 0)
			continue;
		if (v == 0 || atol(row[EV_VERSION]) == v)
			return row;
	}
	return NULL;
}

/* Which parts are complete in d: D3; the initial analysis D0-D4; the permanent actions D5-D7
 * (when D0 says no full 8D is needed, D0-D3 complete the analysis and the actions). */
void
parts_done(struct json_object *const d[ED_NDISC], int *d3, int *d4, int *d7)
{
	int full = strcmp(sget(d[0], "full_8d"), "no") != 0, c[ED_NDISC];

	for (int i = 0; i < ED_NDISC; i++)
		c[i] = eightd_discipline_complete(i, d[i]);
	*d3 = c[3];
	*d4 = c[0] && c[1] && c[2] && c[3] && (!full || c[4]);
	*d7 = *d4 && (!full || (c[5] && c[6] && c[7]));
}

/* ---- the 8D's steps: one shape for all ---- */

/*
 * Answer a step: its errors to the step runner (step.h), or back to the page (JSON: the id,
 * version and revision).
 */
int
ed_finish(struct app *app, struct req *r, struct resp *rs, struct ed_tx *t, int rc, const char *what)
{
	struct json_object *v = json_object_new_object();

	(void)app;
	json_object_object_add(v, "id", json_object_new_int64(atoll(r->arg)));
	json_object_object_add(v, "version", json_object_new_int64(t->version));
	json_object_object_add(v, "revision", json_object_new_int64(t->revision));
	rc = step_answer(r, rs, rc, t->errors, v, arena_printf(r->a, "/8d/%s", r->arg), what);
	json_object_put(t->errors);
	json_object_put(t->content);
	return rc;
}

void
tx_init(struct ed_tx *t, struct app *app, struct req *r)
{
	memset(t, 0, sizeof(*t));
	t->r = r;
	t->app = app;
	t->errors = json_object_new_object();
	t->disc = -1;
}

/* version (and revision when want_rev is 1) from the form; want_rev < 0: neither (a hold's
 * release does not touch the 8D's content). KESU_EINPUT when malformed. */
int
tx_versions(struct ed_tx *t, int want_rev)
{
	const char *v = req_form(t->r, "version"), *rv = req_form(t->r, "revision");

	if (want_rev < 0)
		return KESU_OK;
	if (!valid_digits(v, 9) || (want_rev && !valid_digits(rv, 9)))
		return KESU_EINPUT;
	t->version = atol(v);
	t->revision = want_rev ? atol(rv) : 0;
	return KESU_OK;
}

/* The common start of every write: signed in, a well-formed id, the 8D visible. */
int
write_start(struct app *app, struct req *r, struct ed_tx *t, int want_rev)
{
	struct ed e;
	int rc;

	tx_init(t, app, r);
	if ((rc = ed_load(app->db, r, 0, &e)) != KESU_OK)
		return rc;
	return tx_versions(t, want_rev);
}

int
abort_start(struct ed_tx *t, int rc)
{
	json_object_put(t->errors);
	return rc;
}

/*
 * Inside a transaction: the 8D locked (the reader may see it) and its latest version locked;
 * KESU_ECONFLICT unless it is the version the form showed, in one of the states allowed
 * (a comma-free list such as "draft"), and, when rev >= 0, at that revision. An approved
 * version is never in the list: it never changes.
 */
int
lock_latest(struct db *db, struct ed_tx *t, struct ed *e, char ***v, const char *states, long rev)
{
	struct db_res res;
	int rc;

	if ((rc = ed_load(db, t->r, 1, e)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, t->r->a, STMT_8D_VERSION_LOCK, &res, "s", t->r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	*v = res.rows[0];
	/* Another version or revision than the form showed: someone acted meanwhile. The same
	 * version in a state this step does not take: said in words. */
	if (atol((*v)[1]) != t->version || (rev >= 0 && atol((*v)[3]) != rev))
		return KESU_ECONFLICT;
	if (strstr(states, (*v)[2]) == NULL)
		return step_refuse(t->r, "ed_state", (*v)[2]);
	return KESU_OK;
}

int
audit_8d(struct db *db, struct req *r, const char *id, const char *action, struct json_object *after)
{
	/* The role the step required (its table entry's roles), not the first one the person holds. */
	const struct ed_step *st = r->step;
	unsigned mask = st != NULL ? st->roles : 0;
	struct audit_actor who;
	int rc;

	/* Opening is the quality engineer's (a route of its own, no step entry); a decision on a
	 * submitted 8D is the QA director's (the step leaves it to its transaction). */
	if (strcmp(action, "8d_open") == 0)
		mask = WRITES_8D;
	else if (strcmp(action, "8d_approve") == 0 || strcmp(action, "8d_return") == 0)
		mask = ROLE_BIT(ROLE_QA_DIRECTOR);
	who = req_actor_as(r, mask);
	/* A signature (an 8D decision, a hold release) stands under the role it was given in. */
	{
		struct json_object *role;
		if (after != NULL && json_object_object_get_ex(after, "role", &role) &&
		    json_object_is_type(role, json_type_string) &&
		    role_from_name(json_object_get_string(role)) != ROLE__MAX)
			who.role = role_name(role_from_name(json_object_get_string(role)));
	}
	rc = audit_write(db, r->a, &who, "8d_report", id, action, NULL, after);

	json_object_put(after);
	return rc;
}

int
ed_step(struct app *app, struct req *r, struct resp *rs, const struct ed_step *st)
{
	struct ed_tx t;
	const char *what;
	int rc;

	if ((rc = write_start(app, r, &t, st->want_rev)) != KESU_OK)
		return abort_start(&t, rc);
	if (st->roles != 0 && !sess_has(r, st->roles))
		return abort_start(&t, KESU_EFORBIDDEN);
	rc = st->fields != NULL ? st->fields(app, r, &t) : KESU_OK;
	if (rc == KESU_OK && json_object_object_length(t.errors) > 0)
		rc = KESU_EINPUT;
	if (rc == KESU_OK && st->signs)
		rc = signature_password(app, r, t.errors);
	if (rc == KESU_OK)
		rc = db_tx(app->db, st->tx, &t);
	/* A signature's decision names what it did: approved or returned. */
	what = st->what;
	if (st->signs && t.decision != NULL && strcmp(t.decision, "return") == 0 && strcmp(what, "8d_approve") == 0)
		what = "8d_return";
	json_object_put(t.comments);
	return ed_finish(app, r, rs, &t, rc, what);
}
