/* access_log.c: refused access among the failed attempts — at most one audit event per person, route and minute. */
#include <string.h>

#include "access_log.h"
#include "audit.h"
#include "kesu.h"
#include "sess.h"

static const char *const refusal_codes[REFUSAL__MAX] = {
	[REFUSAL_ROLE] = "role",
	[REFUSAL_AUDITOR] = "auditor",
	[REFUSAL_RECORD] = "record",
	[REFUSAL_AUDIT_PAGE] = "audit_page",
	[REFUSAL_STEP] = "step",
};

const char *
refusal_code(enum refusal why)
{
	return why >= 0 && why < REFUSAL__MAX ? refusal_codes[why] : "step";
}

struct refusal_tx {
	struct req *r;
	const char *route, *record, *path;
	int status;
	enum refusal why;
};

static int
refusal_tx(struct db *db, void *arg)
{
	struct refusal_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct json_object *after = json_object_new_object();
	int rc;

	json_object_object_add(after, "route", json_object_new_string(t->route));
	json_object_object_add(after, "path", json_object_new_string(t->path));
	if (t->record != NULL)
		json_object_object_add(after, "record", json_object_new_string(t->record));
	json_object_object_add(after, "status", json_object_new_int(t->status));
	json_object_object_add(after, "refusal", json_object_new_string(refusal_code(t->why)));
	/* entity_id is at most 64 characters: the record, else the route's (ASCII) pattern. */
	rc = audit_write(db, r->a, &who, "access", t->record != NULL ? t->record :
	    strlen(t->route) > 64 ? arena_strndup(r->a, t->route, 64) : t->route, "access_refused", NULL, after);
	json_object_put(after);
	return rc;
}

void
access_refusal_log(struct app *app, struct req *r, const char *route, int status, enum refusal why)
{
	struct db_res res;
	struct refusal_tx t;
	const char *path = r->path != NULL ? r->path : "";
	size_t n = strlen(path);

	if (r->sess == NULL || route == NULL)
		return;
	/* A path is kept to 255 bytes, cut before a UTF-8 continuation byte. */
	if (n > 255) {
		n = 255;
		while (n > 0 && ((unsigned char)path[n] & 0xC0) == 0x80)
			n--;
		path = arena_strndup(r->a, path, n);
	}
	t = (struct refusal_tx){ r, route, why == REFUSAL_RECORD ? r->refused : NULL, path, status, why };
	/* The bound: one row per person, route and minute. 1 affected row: the first refusal of
	 * the minute (it goes into the chain); 2: counted only. */
	if (db_exec(app->db, r->a, STMT_REFUSAL_COUNT, &res, "sss", r->sess->uid, route, path) != KESU_OK) {
		LOG_ERR("refusal on %s not recorded", route);
		return;
	}
	if (res.affected != 1)
		return;
	if (db_tx(app->db, refusal_tx, &t) != KESU_OK)
		LOG_ERR("refusal on %s: the audit event was not written", route);
}
