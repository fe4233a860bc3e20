/* sess_mine.c: a person's own sessions — at most ten, listed to them, the others ended on demand. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "audit.h"
#include "conf.h"
#include "sess_mine.h"

int
sess_mine_after_login(struct app *app, struct db *db, struct req *r, const char *uid,
    const char *token_hash)
{
	long max = conf_int(app->conf, "session.max_per_person", SESS_MAX_PER_PERSON);
	struct db_res old;
	int rc;

	if (max < 1)
		max = 1;
	if ((rc = db_exec(db, r->a, STMT_SESSION_SET_ADDR, NULL, "ss",
	    r->remote_addr != NULL ? r->remote_addr : "", token_hash)) != KESU_OK)
		return rc;
	/* The oldest first out: a stolen cookie kept quiet is ended by the owner's next sign-ins. */
	if ((rc = db_exec(db, r->a, STMT_SESSION_EXCESS, &old, "ssi", uid, token_hash, (int64_t)max)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < old.nrows; i++)
		if ((rc = db_exec(db, r->a, STMT_SESSION_DELETE, NULL, "s", old.rows[i][0])) != KESU_OK)
			return rc;
	return KESU_OK;
}

int
page_sessions(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v, *list;
	struct db_res res;
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	if ((rc = db_exec(app->db, r->a, STMT_SESSION_LIST_MINE, &res, "si", r->sess->uid,
	    (int64_t)app->sess_idle)) != KESU_OK)
		return rc;
	v = view_new(app, r);
	list = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **row = res.rows[i];
		struct json_object *o = json_object_new_object();
		/* Only a short mark of each session: its token hash is nobody's business. */
		json_object_object_add(o, "current", json_object_new_boolean(strcmp(row[0], r->sess->token_hash) == 0));
		json_object_object_add(o, "created_at", jstr(view_local_time(app, r->a, row[1])));
		json_object_object_add(o, "last_seen", jstr(view_local_time(app, r->a, row[2])));
		json_object_object_add(o, "client_addr", jstr(row[3] != NULL && *row[3] != '\0' ? row[3] : "-"));
		json_object_array_add(list, o);
	}
	json_object_object_add(v, "sessions", list);
	json_object_object_add(v, "has_others", json_object_new_boolean(res.nrows > 1));
	json_object_object_add(v, "max_sessions", json_object_new_int64(
	    conf_int(app->conf, "session.max_per_person", SESS_MAX_PER_PERSON)));
	view_done_notice(r, v);
	if (req_query(r, "ended") != NULL)
		json_object_object_add(v, "ended", json_object_new_int(atoi(req_query(r, "ended"))));
	resp_page(app, r, rs, 200, "sessions", v);
	return KESU_OK;
}

struct end_tx {
	struct req *r;
	long ended;
};

static int
end_others_tx(struct db *db, void *arg)
{
	struct end_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct json_object *after;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_SESSION_LIST_MINE, &res, "si", r->sess->uid, (int64_t)1 << 30)) != KESU_OK)
		return rc;
	t->ended = res.nrows > 0 ? (long)res.nrows - 1 : 0;
	if ((rc = db_exec(db, r->a, STMT_SESSION_END_OTHERS, NULL, "ss", r->sess->uid, r->sess->token_hash)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "ended", json_object_new_int64(t->ended));
	rc = audit_write(db, r->a, &who, "session", r->sess->uid, "sessions_end_others", NULL, after);
	json_object_put(after);
	return rc;
}

int
page_sessions_end_others(struct app *app, struct req *r, struct resp *rs)
{
	struct end_tx t = { r, 0 };
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	if ((rc = db_tx(app->db, end_others_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("%s ended %ld other session(s)", r->sess->uid, t.ended);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "ended", json_object_new_int64(t.ended));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/sessions?ended=%ld", t.ended));
	return KESU_OK;
}
