/* page_searches.c: a person's saved searches — named queries of the complaint list, kept, listed, deleted. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "audit.h"
#include "i18n.h"
#include "step.h"
#include "view.h"
#include "workflow.h"

#define SAVED_MAX 50            /* searches a person keeps */
#define SAVED_NAME_CHARS 60
#define SAVED_QUERY_BYTES 1000

/*
 * The list's query worth keeping: q without a leading '?' and without the cursor ("after=...",
 * a position, not a search). NULL when it is too long, not UTF-8 or holds a control character.
 */
static const char *
clean_query(struct arena *a, const char *q)
{
	struct buf b;
	const char *out;

	if (q == NULL)
		return "";
	if (*q == '?')
		q++;
	if (strlen(q) > SAVED_QUERY_BYTES || !utf8_valid(q, strlen(q)))
		return NULL;
	for (const char *p = q; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	buf_init(&b);
	while (*q != '\0') {
		size_t n = strcspn(q, "&");
		if (n > 0 && strncmp(q, "after=", 6) != 0) {
			if (b.len > 0)
				buf_putc(&b, '&');
			buf_append(&b, q, n);
		}
		q += n + (q[n] == '&');
	}
	out = arena_strndup(a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return out;
}

static int
searches_view(struct app *app, struct req *r, struct json_object **out)
{
	struct json_object *v = view_new(app, r), *list = json_object_new_array();
	const char *query = clean_query(r->a, req_query(r, "query"));
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_SAVED_LIST, &res, "s", r->sess->uid)) != KESU_OK) {
		json_object_put(v);
		json_object_put(list);
		return rc;
	}
	for (size_t i = 0; i < res.nrows && i < SAVED_MAX; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", jstr(res.rows[i][0]));
		json_object_object_add(o, "name", jstr(res.rows[i][1]));
		json_object_object_add(o, "query", jstr(res.rows[i][2]));
		json_object_object_add(o, "url", json_object_new_string(arena_printf(r->a, "/complaints%s%s",
		    *res.rows[i][2] ? "?" : "", res.rows[i][2])));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "searches", list);
	json_object_object_add(v, "empty", json_object_new_boolean(res.nrows == 0));
	json_object_object_add(v, "query", jstr(query != NULL ? query : ""));
	json_object_object_add(v, "query_url", json_object_new_string(arena_printf(r->a, "/complaints%s%s",
	    query != NULL && *query ? "?" : "", query != NULL ? query : "")));
	view_done_notice(r, v);
	*out = v;
	return KESU_OK;
}

/* GET /searches: the person's saved searches and the form that names the current one. */
int
page_searches(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, searches_view, "searches");
}

struct saved_tx {
	struct req *r;
	const char *name, *query;
	uint64_t id;
	int full;              /* 1: SAVED_MAX searches kept already */
};

static int
save_tx(struct db *db, void *arg)
{
	struct saved_tx *t = arg;
	struct audit_actor who = req_actor(t->r);
	struct json_object *after;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, t->r->a, STMT_SAVED_LIST, &res, "s", t->r->sess->uid)) != KESU_OK)
		return rc;
	if (res.nrows >= SAVED_MAX) {
		t->full = 1;
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, t->r->a, STMT_SAVED_INSERT, &res, "sss", t->r->sess->uid, t->name, t->query)) != KESU_OK)
		return rc;
	t->id = res.insert_id;
	after = json_object_new_object();
	json_object_object_add(after, "name", json_object_new_string(t->name));
	json_object_object_add(after, "query", json_object_new_string(t->query));
	rc = audit_write(db, t->r->a, &who, "saved_search", arena_printf(t->r->a, "%llu", (unsigned long long)t->id),
	    "save", NULL, after);
	json_object_put(after);
	return rc;
}

/* POST /searches: name and query (the list's query string) kept for the signed-in person. */
int
page_searches_save(struct app *app, struct req *r, struct resp *rs)
{
	struct saved_tx t = { r, req_form(r, "name"), clean_query(r->a, req_form(r, "query")), 0, 0 };
	int rc;

	if (t.name == NULL || workflow_reason_blank(t.name) || utf8_chars(t.name) > SAVED_NAME_CHARS)
		step_error(r, "name", "err_saved_name");
	if (t.query == NULL)
		step_error(r, "query", "err_saved_query");
	if (step_error_count(r) > 0)
		return KESU_EINPUT;
	rc = db_tx(app->db, save_tx, &t);
	if (rc == KESU_EINPUT && t.full) {
		step_error(r, "name", "err_saved_full");
		return KESU_EINPUT;
	}
	if (rc == KESU_ECONFLICT) {   /* the name is taken (uid, name) */
		step_error(r, "name", "err_saved_taken");
		return KESU_EINPUT;
	}
	if (rc == KESU_OK) {
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "id", json_object_new_int64((int64_t)t.id));
		json_object_object_add(j, "name", json_object_new_string(t.name));
		json_object_object_add(j, "query", json_object_new_string(t.query));
		return step_answer(r, rs, rc, NULL, j, "/searches", "saved_search_save");
	}
	return rc;
}

static int
delete_tx(struct db *db, void *arg)
{
	struct saved_tx *t = arg;
	struct audit_actor who = req_actor(t->r);
	struct json_object *before;
	struct db_res res;
	int rc;

	/* Someone else's search is not found: the same answer as one that never was. */
	if ((rc = db_exec(db, t->r->a, STMT_SAVED_GET, &res, "us", t->id, t->r->sess->uid)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, t->r->a, STMT_SAVED_DELETE, NULL, "us", t->id, t->r->sess->uid)) != KESU_OK)
		return rc;
	before = json_object_new_object();
	json_object_object_add(before, "name", json_object_new_string(res.rows[0][1]));
	json_object_object_add(before, "query", json_object_new_string(res.rows[0][2]));
	rc = audit_write(db, t->r->a, &who, "saved_search", res.rows[0][0], "delete", before, NULL);
	json_object_put(before);
	return rc;
}

/* POST /searches/{id}/delete: one of the person's own saved searches goes. */
int
page_searches_delete(struct app *app, struct req *r, struct resp *rs)
{
	struct saved_tx t = { r, NULL, NULL, strtoull(r->arg, NULL, 10), 0 };
	int rc = db_tx(app->db, delete_tx, &t);

	if (rc != KESU_OK)
		return rc;
	return step_answer(r, rs, rc, NULL, json_object_new_object(), "/searches", "saved_search_delete");
}
