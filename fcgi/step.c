/* step.c: how every write answers when it cannot be done — the page again, with what was typed. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "refill.h"
#include "step.h"

static void
errors_put(void *p)
{
	json_object_put(p);
}

static struct json_object *
errors_of(struct req *r)
{
	if (r->errors == NULL) {
		r->errors = json_object_new_object();
		arena_defer(r->a, errors_put, r->errors);
	}
	return r->errors;
}

void
step_error_text(struct req *r, const char *field, const char *text)
{
	struct json_object *e = errors_of(r);
	if (!json_object_object_get_ex(e, field, NULL))
		json_object_object_add(e, field, json_object_new_string(text ? text : ""));
}

void
step_error(struct req *r, const char *field, const char *key)
{
	step_error_text(r, field, T(r, key));
}

int
step_fields(struct req *r, struct json_object *errors)
{
	if (errors != NULL) {
		json_object_object_foreach(errors, field, text)
			step_error_text(r, field, json_object_get_string(text));
		json_object_put(errors);
	}
	return KESU_EINPUT;
}

int
step_answer(struct req *r, struct resp *rs, int rc, struct json_object *errors, struct json_object *json,
    const char *page, const char *what)
{
	/* Field errors go to the step runner, which shows the page again with what was typed. */
	if (rc == KESU_EINPUT && errors != NULL) {
		json_object_object_foreach(errors, field, text)
			step_error_text(r, field, json_object_get_string(text));
	}
	if (rc != KESU_OK || !r->want_json) {
		json_object_put(json);
		json = NULL;
	}
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("%s: %s", page, what);
	if (json != NULL)
		resp_json(rs, 200, json);
	else
		resp_redirect(rs, arena_printf(r->a, "%s?done=%s", page, what));
	return KESU_OK;
}

int
step_error_count(const struct req *r)
{
	return r->errors == NULL ? 0 : json_object_object_length(r->errors);
}

/* text with every "{name}" replaced by value, in the arena. */
static const char *
fill(struct arena *a, const char *text, const char *name, const char *value)
{
	const char *at = strstr(text, name);
	if (at == NULL || value == NULL)
		return text;
	return arena_printf(a, "%.*s%s%s", (int)(at - text), text, value, at + strlen(name));
}

int
step_refuse(struct req *r, const char *state_field, const char *state)
{
	const char *label = view_label(r, state_field, state);
	r->why = fill(r->a, T(r, "step_refused_state"), "{state}", *label ? label : state);
	return KESU_ESTATE;
}

/* "changed by NAME at TIME", from the record's last audit event; the plain text without one. */
static const char *
conflict_text(struct app *app, struct req *r, const struct step_page *pg)
{
	struct db_res res;
	const char *t;

	if (pg->entity == NULL || pg->entity_id == NULL ||
	    db_exec(app->db, r->a, STMT_AUDIT_LAST_CHANGE, &res, "ss", pg->entity, pg->entity_id) != KESU_OK ||
	    res.nrows == 0 || res.rows[0][0] == NULL)
		return T(r, "step_conflict");
	t = fill(r->a, T(r, "step_conflict_by"), "{name}", res.rows[0][0]);
	return fill(r->a, t, "{time}", view_local_time(app, r->a, res.rows[0][1]));
}

static const char *
message(struct app *app, struct req *r, int rc, const struct step_page *pg)
{
	switch (rc) {
	case KESU_EINPUT:
		return step_error_count(r) > 0 ? T(r, "step_fix") : T(r, "err_page_bad_request");
	case KESU_ECONFLICT:
		return conflict_text(app, r, pg);
	case KESU_ESTATE:
		return r->why != NULL ? r->why : T(r, "err_page_state");
	case KESU_EFORBIDDEN:
		return T(r, "step_forbidden");
	case KESU_ELOCKED:
		return T(r, "err_page_locked");
	case KESU_EDIR:
		return T(r, "err_page_dir_unavailable");
	case KESU_ETOOBIG:
		return T(r, "err_page_too_big");
	default:
		return T(r, "err_page_internal");
	}
}

void
step_failed(struct app *app, struct req *r, struct resp *rs, int rc, const struct step_page *pg)
{
	const char *path = r->path;
	enum method m = r->method;
	int status, prc;

	resp_reset(rs);
	status = rc == KESU_EINPUT && step_error_count(r) > 0 ? 422 : resp_status(rc);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		char key[64];
		snprintf(key, sizeof(key), "err_page_%s", resp_code(rc));
		json_object_object_add(v, "error", json_object_new_string(resp_code(rc)));
		json_object_object_add(v, "message", json_object_new_string(
		    rc == KESU_ECONFLICT || rc == KESU_ESTATE || step_error_count(r) > 0
		    ? message(app, r, rc, pg) : T(r, key)));
		if (r->errors != NULL)
			json_object_object_add(v, "errors", json_object_get(r->errors));
		resp_json(rs, status, v);
		return;
	}
	/* Those who are not signed in, forged posts, records the reader may not see and a database
	 * that is down get the error page: it still lists what was typed. */
	if (pg == NULL || pg->page == NULL || rc == KESU_EAUTH || rc == KESU_ECSRF || rc == KESU_ENOTFOUND ||
	    rc == KESU_EDB || rc == KESU_EINTERNAL) {
		resp_error(app, r, rs, rc);
		return;
	}
	/* The page as it is now, rendered by its own handler, then the typed values put back. */
	r->method = METHOD_GET;
	r->path = pg->path;
	prc = pg->page(app, r, rs);
	r->method = m;
	r->path = path;
	if (prc != KESU_OK || rs->status != 200 || rs->ctype != NULL) {
		resp_reset(rs);
		resp_error(app, r, rs, rc);
		return;
	}
	{
		struct refill rf = { path, r->form, r->nform, r->errors, message(app, r, rc, pg), T(r, "step_kept_title") };
		struct buf out;
		buf_init(&out);
		refill_page(rs->body.p ? rs->body.p : "", rs->body.len, &rf, &out);
		buf_reset(&rs->body);
		buf_append(&rs->body, out.p ? out.p : "", out.len);
		buf_free(&out);
	}
	rs->status = status;
}
