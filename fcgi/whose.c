/* whose.c: whose turn it is — names for a pending step, from the directory with a short per-worker cache. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dir.h"
#include "i18n.h"
#include "whose.h"

/* A worker's cache of "role (department) -> names"; a handful of entries cover a company. */
#define WHOSE_CACHE 64

static struct whose_entry {
	enum role role;
	char department[33];
	char *names;          /* malloc'd; "" for nobody */
	time_t expires;
} cache[WHOSE_CACHE];

const char *
whose_names(struct app *app, struct arena *a, enum role role, const char *department)
{
	const char *dep = department != NULL ? department : "";
	time_t now = time(NULL);
	struct whose_entry *e = NULL, *oldest = &cache[0];
	struct dir_user people[32];
	struct buf b;
	size_t n;

	if (role >= ROLE__MAX || strlen(dep) >= sizeof(cache[0].department))
		return NULL;
	for (size_t i = 0; i < WHOSE_CACHE; i++) {
		if (cache[i].names != NULL && cache[i].role == role && strcmp(cache[i].department, dep) == 0) {
			e = &cache[i];
			break;
		}
		if (cache[i].expires < oldest->expires)
			oldest = &cache[i];
	}
	if (e != NULL && e->expires > now)
		return *e->names != '\0' ? arena_strdup(a, e->names) : NULL;
	if (dir_role_people(app->dir, a, role, department, people, 32, &n) != KESU_OK)
		return e != NULL && *e->names != '\0' ? arena_strdup(a, e->names) : NULL;  /* stale beats none */
	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, "、");
		buf_puts(&b, people[i].display_name);
	}
	buf_putc(&b, '\0');
	if (e == NULL)
		e = oldest;
	free(e->names);
	e->role = role;
	strcpy(e->department, dep);
	e->names = xstrdup(b.p);
	e->expires = now + conf_int(app->conf, "dir.names_ttl", 300);
	buf_free(&b);
	return *e->names != '\0' ? arena_strdup(a, e->names) : NULL;
}

/*
 * Names of the heads (or members) of the departments of as in state st, joined; NULL for none.
 * unsigned_only: only departments whose report is not signed yet (the report step).
 */
static const char *
department_people(struct app *app, struct req *r, const struct db_res *as, const char *st, enum role role,
    int unsigned_only)
{
	struct buf b;
	const char *out;

	buf_init(&b);
	for (size_t i = 0; i < as->nrows; i++) {
		const char *names;
		if (strcmp(as->rows[i][AS_STATE], st) != 0)
			continue;
		/* the report step: departments whose report is signed are done (column 9) */
		if (unsigned_only && as->rows[i][AS_REPORT_SIGNED] != NULL && atoi(as->rows[i][AS_REPORT_SIGNED]) != 0)
			continue;
		if ((names = whose_names(app, r->a, role, as->rows[i][AS_DEPARTMENT])) == NULL)
			continue;
		if (b.len > 0)
			buf_puts(&b, "、");
		buf_puts(&b, names);
	}
	out = b.len > 0 ? arena_strndup(r->a, b.p, b.len) : NULL;
	buf_free(&b);
	return out;
}

/* The next signer's role of the pending plan in v ("plans"[0].signers[].next), or ROLE__MAX. */
static enum role
plan_next_signer(struct json_object *v)
{
	struct json_object *plans, *p, *signers;

	if (!json_object_object_get_ex(v, "plans", &plans) || !json_object_is_type(plans, json_type_array) ||
	    json_object_array_length(plans) == 0)
		return ROLE__MAX;
	p = json_object_array_get_idx(plans, 0);
	if (!json_object_object_get_ex(p, "signers", &signers))
		return ROLE__MAX;
	for (size_t i = 0; i < json_object_array_length(signers); i++) {
		struct json_object *s = json_object_array_get_idx(signers, i);
		if (json_object_get_boolean(json_object_object_get(s, "next")))
			return role_from_name(json_object_get_string(json_object_object_get(s, "role")));
	}
	return ROLE__MAX;
}

void
whose_turn_add(struct app *app, struct req *r, struct json_object *v, char **row,
    const char *last_change, const struct db_res *as)
{
	const char *status = row[CC_STATUS], *step, *names = NULL, *since = last_change;
	enum role role = ROLE__MAX;
	struct json_object *o;
	int mine = 0, owner = 0;

	if (strcmp(status, "registered") == 0) {
		step = "triage", role = ROLE_SUPERVISOR, since = row[CC_RECEIVED_AT];
	} else if (strcmp(status, "triaged") == 0) {
		step = "assign", role = ROLE_SUPERVISOR;
	} else if (strcmp(status, "assigned") == 0) {
		step = "accept", role = ROLE_DEPT_HEAD;
		names = department_people(app, r, as, "pending", ROLE_DEPT_HEAD, 0);
		for (size_t i = 0; i < as->nrows; i++)
			if (strcmp(as->rows[i][AS_STATE], "pending") == 0 && strcmp(as->rows[i][AS_DEPARTMENT], r->sess->department) == 0 &&
			    sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)))
				mine = 1;
	} else if (strcmp(status, "investigating") == 0) {
		step = "report", role = ROLE_DEPT_MEMBER;
		names = department_people(app, r, as, "accepted", ROLE_DEPT_MEMBER, 1);
		for (size_t i = 0; i < as->nrows; i++)
			if (strcmp(as->rows[i][AS_STATE], "accepted") == 0 && strcmp(as->rows[i][AS_DEPARTMENT], r->sess->department) == 0)
				mine = 1;
	} else if (strcmp(status, "plan_proposed") == 0) {
		step = "plan_sign", role = plan_next_signer(v);
		if (role == ROLE_DEPT_HEAD)
			names = department_people(app, r, as, "accepted", ROLE_DEPT_HEAD, 0);
		mine = role != ROLE__MAX && sess_has(r, ROLE_BIT(role));
		if (role == ROLE_DEPT_HEAD) {
			/* a head signs for a department of theirs that took the complaint */
			mine = 0;
			for (size_t i = 0; i < as->nrows; i++)
				if (strcmp(as->rows[i][AS_STATE], "accepted") == 0 &&
				    strcmp(as->rows[i][AS_DEPARTMENT], r->sess->department) == 0 && sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)))
					mine = 1;
		}
	} else if (strcmp(status, "not_substantiated") == 0) {
		step = "customer_word", owner = 1;
	} else if (strcmp(status, "approved") == 0) {
		step = "reply", owner = 1;
	} else if (strcmp(status, "replied") == 0) {
		step = "callback", owner = 1;
	} else if (strcmp(status, "callback_done") == 0) {
		step = "close", owner = 1;
	} else {
		return;
	}
	if (owner) {
		names = row[CC_OWNER_NAME];
		mine = strcmp(row[CC_OWNER_UID], r->sess->uid) == 0;
	} else if (role != ROLE__MAX && names == NULL && role != ROLE_DEPT_HEAD && role != ROLE_DEPT_MEMBER) {
		names = whose_names(app, r->a, role, NULL);
		if (!mine)
			mine = sess_has(r, ROLE_BIT(role));
	}
	o = json_object_new_object();
	JADD(o, "step", jstr(step));
	JADD(o, "step_label", jstr(view_label(r, "whose_step", step)));
	JADD(o, "role", role != ROLE__MAX ? jstr(role_name(role)) : NULL);
	JADD(o, "role_label", owner ? jstr(T(r, "whose_owner")) :
	    role != ROLE__MAX ? jstr(view_label(r, "role", role_name(role))) : NULL);
	JADD(o, "names", names != NULL ? jstr(names) : NULL);
	JADD(o, "since", since != NULL ? jstr(view_local_time(app, r->a, since)) : NULL);
	JADD(o, "mine", json_object_new_boolean(mine));
	JADD(v, "whose_turn", o);
}

struct json_object *
whose_chain(struct app *app, struct req *r, const enum role req[], int n, unsigned approved,
    int pending, struct json_object *signatures, const struct db_res *as, const char *department)
{
	struct json_object *chain = json_object_new_array();
	int seen_next = 0;

	for (int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		const char *state, *who = NULL, *when = NULL, *role = role_name(req[i]);
		if (approved & ROLE_BIT(req[i])) {
			state = "signed";
			for (size_t k = 0; signatures != NULL && k < json_object_array_length(signatures); k++) {
				struct json_object *sg = json_object_array_get_idx(signatures, k);
				if (strcmp(json_object_get_string(json_object_object_get(sg, "role")), role) == 0 &&
				    strcmp(json_object_get_string(json_object_object_get(sg, "decision")), "approve") == 0 &&
				    !json_object_get_boolean(json_object_object_get(sg, "earlier_version"))) {
					who = json_object_get_string(json_object_object_get(sg, "signer_name"));
					when = json_object_get_string(json_object_object_get(sg, "signed_at"));
				}
			}
		} else {
			state = pending && !seen_next ? "next" : "later";
			seen_next = 1;
			if (req[i] != ROLE_DEPT_HEAD)
				who = whose_names(app, r->a, req[i], NULL);
			else if (department != NULL)
				who = whose_names(app, r->a, ROLE_DEPT_HEAD, department);
			else if (as != NULL)
				who = department_people(app, r, as, "accepted", ROLE_DEPT_HEAD, 0);
		}
		JADD(o, "role", jstr(role));
		JADD(o, "role_label", jstr(view_label(r, "role", role)));
		JADD(o, "state", jstr(state));
		JADD(o, "state_label", jstr(view_label(r, "chain", state)));
		JADD(o, "who", who != NULL ? jstr(who) : NULL);
		JADD(o, "when", when != NULL ? jstr(when) : NULL);
		json_object_array_add(chain, o);
	}
	return chain;
}
