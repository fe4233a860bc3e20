/* page_calendar.c: the administrator's business calendar — weekly working hours and dated holidays / make-up days. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "as_of.h"
#include "handlers.h"
#include "audit.h"
#include "calendar.h"
#include "workflow.h"

#define NAME_MAX_CHARS 64

/* The four time fields of a weekday, in the order of calendar_week's columns. */
static const char *const span_field[4] = { "s1f", "s1t", "s2f", "s2t" };
/* Weekdays as a week is read: Monday first. */
static const int week_order[7] = { 1, 2, 3, 4, 5, 6, 0 };

static const char *
tk(const struct req *r, const char *prefix, const char *arg)
{
	return T(r, arena_printf(r->a, "%s%s", prefix, arg));
}

/* Form field "w<weekday>_<s1f|s1t|s2f|s2t>". */
static const char *
field_name(struct req *r, int wd, int f)
{
	return arena_printf(r->a, "w%d_%s", wd, span_field[f]);
}

/* What the week form holds: per weekday four "HH:MM" texts ("" = no span) and their errors (po keys). */
struct week_form {
	const char *val[7][4];
	const char *err[7][4];
	int present[7];            /* the request named this weekday's fields */
	int mins[7][4];            /* parsed; -1 = empty */
	const char *week_error;    /* a po key for the whole week, or NULL */
};

/* Fill f from calendar_week rows (weekday, span1_from, span1_to, span2_from, span2_to). */
static void
week_from_rows(struct req *r, const struct db_res *week, struct week_form *f)
{
	/* A weekday without its row does not work. */
	for (int wd = 0; wd < 7; wd++)
		for (int k = 0; k < 4; k++) {
			f->mins[wd][k] = -1;
			f->val[wd][k] = "";
		}
	for (size_t i = 0; i < week->nrows; i++) {
		int wd = atoi(week->rows[i][0]);
		if (wd < 0 || wd > 6)
			continue;
		for (int k = 0; k < 4; k++) {
			const char *v = week->rows[i][1 + k];
			char hhmm[6];
			f->mins[wd][k] = v ? atoi(v) : -1;
			if (v != NULL)
				calendar_fmt_hhmm(atoi(v), hhmm);
			f->val[wd][k] = v ? arena_strdup(r->a, hhmm) : "";
		}
	}
}

/* Check one weekday's four times; errors go next to the field they concern. 1 if it is good. */
static int
check_day(struct week_form *f, int wd)
{
	int *m = f->mins[wd], ok = 1;

	for (int k = 0; k < 4; k++) {
		const char *v = f->val[wd][k];
		m[k] = *v == '\0' ? -1 : calendar_parse_hhmm(v);
		if (*v != '\0' && m[k] < 0) {
			f->err[wd][k] = "err_calendar_time_format";
			ok = 0;
		}
	}
	if (!ok)
		return 0;
	for (int s = 0; s < 2; s++) {
		int from = m[2 * s], to = m[2 * s + 1];
		if ((from < 0) != (to < 0)) {
			f->err[wd][from < 0 ? 2 * s : 2 * s + 1] = "err_calendar_time_pair";
			ok = 0;
		} else if (from >= 0 && from >= to) {
			f->err[wd][2 * s + 1] = "err_calendar_time_order";
			ok = 0;
		}
	}
	if (!ok)
		return 0;
	if (m[0] < 0 && m[2] >= 0) {
		f->err[wd][0] = "err_calendar_span2_without_span1";
		return 0;
	}
	if (m[2] >= 0 && m[2] < m[1]) {
		f->err[wd][2] = "err_calendar_spans_overlap";
		return 0;
	}
	return 1;
}

/* The calendar page's view model: the week (f), the exceptions, the add form and notices. Caller owns it. */
static struct json_object *
calendar_view(struct app *app, struct req *r, const struct week_form *f, const struct db_res *ex,
    struct json_object *add, const char *confirm_day)
{
	struct json_object *v = view_new(app, r), *week = json_object_new_array(), *exs = json_object_new_array();
	const char *saved = req_query(r, "saved");

	for (int i = 0; i < 7; i++) {
		int wd = week_order[i];
		struct json_object *d = json_object_new_object();
		json_object_object_add(d, "weekday", json_object_new_int(wd));
		json_object_object_add(d, "label", jstr(tk(r, "weekday_", arena_printf(r->a, "%d", wd))));
		json_object_object_add(d, "working", json_object_new_boolean(f->mins[wd][0] >= 0));
		for (int k = 0; k < 4; k++) {
			json_object_object_add(d, span_field[k], jstr(f->val[wd][k]));
			if (f->err[wd][k] != NULL)
				json_object_object_add(d, arena_printf(r->a, "%s_error", span_field[k]),
				    jstr(T(r, f->err[wd][k])));
		}
		json_object_array_add(week, d);
	}
	json_object_object_add(v, "week", week);
	if (f->week_error != NULL)
		json_object_object_add(v, "week_error", jstr(T(r, f->week_error)));

	/* YYYYMMDD, kind, name, created_by */
	for (size_t i = 0; i < ex->nrows; i++) {
		char **e = ex->rows[i];
		int date = atoi(e[0]);
		long z = sla_days_from_civil(date / 10000, date / 100 % 100, date % 100);
		int wd = (int)(((z + 4) % 7 + 7) % 7);
		const char *day = arena_printf(r->a, "%04d-%02d-%02d", date / 10000, date / 100 % 100, date % 100);
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "day", jstr(day));
		json_object_object_add(o, "weekday_label", jstr(tk(r, "weekday_", arena_printf(r->a, "%d", wd))));
		json_object_object_add(o, "kind", jstr(e[1]));
		json_object_object_add(o, "kind_label", jstr(tk(r, "calendar_kind_", e[1])));
		json_object_object_add(o, "holiday", json_object_new_boolean(strcmp(e[1], "holiday") == 0));
		json_object_object_add(o, "name", jstr(e[2]));
		json_object_object_add(o, "created_by", jstr(e[3]));
		json_object_object_add(o, "delete_url", jstr(arena_printf(r->a, "/admin/calendar?delete=%s", day)));
		if (confirm_day != NULL && strcmp(confirm_day, day) == 0) {
			struct json_object *c = json_object_new_object();
			json_object_object_add(c, "day", jstr(day));
			json_object_object_add(c, "kind_label", jstr(tk(r, "calendar_kind_", e[1])));
			json_object_object_add(c, "name", jstr(e[2]));
			json_object_object_add(v, "confirm_delete", c);
		}
		json_object_array_add(exs, o);
	}
	json_object_object_add(v, "has_exceptions", json_object_new_boolean(ex->nrows > 0));
	json_object_object_add(v, "exceptions", exs);

	if (add == NULL) {
		add = json_object_new_object();
		json_object_object_add(add, "day", jstr(""));
		json_object_object_add(add, "name", jstr(""));
		json_object_object_add(add, "holiday", json_object_new_boolean(1));
	}
	json_object_object_add(v, "add", add);
	if (saved != NULL && (strcmp(saved, "week") == 0 || strcmp(saved, "added") == 0 ||
	    strcmp(saved, "deleted") == 0))
		json_object_object_add(v, "notice", jstr(tk(r, "calendar_saved_", saved)));
	return v;
}

/* The calendar as stored, with the week form f, errors and all; answers with status. */
static int
show(struct app *app, struct req *r, struct resp *rs, int status, struct week_form *f,
    struct json_object *add, const char *confirm_day)
{
	struct db_res week, ex;
	struct week_form stored;
	struct json_object *v;
	const char *as_of = status == 200 ? req_query(r, "as_of") : NULL, *until = NULL;
	int rc, bad_day = 0;

	/* ?as_of=YYYY-MM-DD: the versions in force at the end of that local day (015). */
	if (as_of != NULL && (strlen(as_of) != 10 ||
	    (until = as_of_local_end_utc(r->a, app->utc_offset_min, as_of)) == NULL)) {
		bad_day = 1;
		as_of = NULL;
		status = 400;
	}
	if (as_of != NULL)
		rc = db_exec(app->db, r->a, STMT_CALENDAR_WEEK_AS_OF, &week, "ss", until, until);
	else
		rc = db_exec(app->db, r->a, STMT_CALENDAR_WEEK, &week, "");
	if (rc == KESU_OK && as_of != NULL)
		rc = db_exec(app->db, r->a, STMT_CALENDAR_EXCEPTIONS_AS_OF, &ex, "ss", until, until);
	else if (rc == KESU_OK)
		rc = db_exec(app->db, r->a, STMT_CALENDAR_EXCEPTIONS, &ex, "");
	if (rc != KESU_OK) {
		json_object_put(add);
		return rc;
	}
	if (f == NULL) {
		memset(&stored, 0, sizeof(stored));
		week_from_rows(r, &week, &stored);
		f = &stored;
	}
	v = calendar_view(app, r, f, &ex, add, confirm_day);
	/* Auditors read the calendar; nobody edits it as it stood. */
	json_object_object_add(v, "can_edit", json_object_new_boolean(as_of == NULL && sess_has(r, ROLE_BIT(ROLE_ADMIN))));
	json_object_object_add(v, "as_of", as_of != NULL ? jstr(as_of) : NULL);
	json_object_object_add(v, "as_of_utc", until != NULL ? jstr(until) : NULL);
	if (bad_day)
		json_object_object_add(v, "as_of_error", jstr(T(r, "asof_err_day")));
	resp_page(app, r, rs, status, "calendar", v);
	return KESU_OK;
}

int
page_calendar(struct app *app, struct req *r, struct resp *rs)
{
	const char *del = req_query(r, "delete");

	/* ?delete=YYYY-MM-DD asks first: the page shows what would go, and a button to confirm. */
	return show(app, r, rs, 200, NULL, NULL, calendar_parse_date(del) ? del : NULL);
}

/* ---- changes ---- */

struct cal_tx {
	struct req *r;
	struct week_form *f;
	const char *day;          /* add, delete */
	const char *kind, *name;  /* add */
};

/* {"1": "08:30-12:00,13:00-17:30", ...} of a week (minutes per weekday, -1 = none). */
static struct json_object *
week_json(struct req *r, int mins[7][4])
{
	struct json_object *o = json_object_new_object();

	for (int wd = 0; wd < 7; wd++) {
		char a[6], b[6], c[6], d[6];
		const char *text = "";
		calendar_fmt_hhmm(mins[wd][0], a);
		calendar_fmt_hhmm(mins[wd][1], b);
		calendar_fmt_hhmm(mins[wd][2], c);
		calendar_fmt_hhmm(mins[wd][3], d);
		if (mins[wd][2] >= 0)
			text = arena_printf(r->a, "%s-%s,%s-%s", a, b, c, d);
		else if (mins[wd][0] >= 0)
			text = arena_printf(r->a, "%s-%s", a, b);
		json_object_object_add(o, arena_printf(r->a, "%d", wd), json_object_new_string(text));
	}
	return o;
}

static const char *
num_or_null(struct req *r, int m)
{
	return m < 0 ? NULL : arena_printf(r->a, "%d", m);
}

static int
week_tx(struct db *db, void *arg)
{
	struct cal_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_ADMIN));
	struct week_form old;
	struct json_object *before, *after;
	struct db_res week;
	int rc, changed = 0;

	if ((rc = db_exec(db, r->a, STMT_CALENDAR_WEEK_LOCK, &week, "")) != KESU_OK)
		return rc;
	memset(&old, 0, sizeof(old));
	week_from_rows(r, &week, &old);
	for (int wd = 0; wd < 7; wd++) {
		int *m = t->f->mins[wd];
		if (!t->f->present[wd]) {
			memcpy(m, old.mins[wd], sizeof(old.mins[wd]));
			continue;
		}
		if (memcmp(m, old.mins[wd], sizeof(old.mins[wd])) == 0)
			continue;
		changed = 1;
		if ((rc = db_exec(db, r->a, STMT_CALENDAR_WEEK_SET, NULL, "issss", (int64_t)wd,
		    num_or_null(r, m[0]), num_or_null(r, m[1]), num_or_null(r, m[2]), num_or_null(r, m[3]))) != KESU_OK)
			return rc;
		/* The weekday's new version, in force from now (015). */
		if ((rc = db_exec(db, r->a, STMT_CALENDAR_WEEK_VERSION_END, NULL, "i", (int64_t)wd)) != KESU_OK ||
		    (rc = db_exec(db, r->a, STMT_CALENDAR_WEEK_VERSION_ADD, NULL, "issss", (int64_t)wd,
		    num_or_null(r, m[0]), num_or_null(r, m[1]), num_or_null(r, m[2]), num_or_null(r, m[3]))) != KESU_OK)
			return rc;
	}
	if (!changed)
		return KESU_OK;
	before = week_json(r, old.mins);
	after = week_json(r, t->f->mins);
	rc = audit_write(db, r->a, &who, "calendar", "week", "calendar_week_set", before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

static int
add_tx(struct db *db, void *arg)
{
	struct cal_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_ADMIN));
	struct json_object *after;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_CALENDAR_EXCEPTION_ADD, NULL, "ssss", t->day, t->kind, t->name,
	    r->sess->uid)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_CALENDAR_EXCEPTION_VERSION_END, NULL, "s", t->day)) != KESU_OK ||
	    (rc = db_exec(db, r->a, STMT_CALENDAR_EXCEPTION_VERSION_ADD, NULL, "ssss", t->day, t->kind, t->name,
	    r->sess->uid)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "day", json_object_new_string(t->day));
	json_object_object_add(after, "kind", json_object_new_string(t->kind));
	json_object_object_add(after, "name", json_object_new_string(t->name));
	rc = audit_write(db, r->a, &who, "calendar", t->day, "calendar_exception_add", NULL, after);
	json_object_put(after);
	return rc;
}

static int
delete_tx(struct db *db, void *arg)
{
	struct cal_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_ADMIN));
	struct json_object *before;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_CALENDAR_EXCEPTION_LOCK, &res, "s", t->day)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, STMT_CALENDAR_EXCEPTION_DELETE, NULL, "s", t->day)) != KESU_OK ||
	    (rc = db_exec(db, r->a, STMT_CALENDAR_EXCEPTION_VERSION_END, NULL, "s", t->day)) != KESU_OK)
		return rc;
	before = json_object_new_object();
	json_object_object_add(before, "day", json_object_new_string(t->day));
	json_object_object_add(before, "kind", json_object_new_string(res.rows[0][0]));
	json_object_object_add(before, "name", json_object_new_string(res.rows[0][1]));
	rc = audit_write(db, r->a, &who, "calendar", t->day, "calendar_exception_delete", before, NULL);
	json_object_put(before);
	return rc;
}

/* 422 with the errors: {"errors": {field: text}} for JSON, the page with them for HTML. */
static int
refuse(struct app *app, struct req *r, struct resp *rs, struct json_object *msgs, struct week_form *f,
    struct json_object *add, const char *confirm_day)
{
	if (r->want_json) {
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "errors", msgs);
		json_object_put(add);
		resp_json(rs, 422, e);
		return KESU_OK;
	}
	json_object_put(msgs);
	return show(app, r, rs, 422, f, add, confirm_day);
}

/* After a change: the page again (303), or the calendar as it is now (JSON). */
static int
done(struct app *app, struct req *r, struct resp *rs, const char *what)
{
	if (r->want_json)
		return show(app, r, rs, 200, NULL, NULL, NULL);
	resp_redirect(rs, arena_printf(r->a, "/admin/calendar?saved=%s", what));
	return KESU_OK;
}

static int
post_week(struct app *app, struct req *r, struct resp *rs)
{
	struct week_form *f = arena_alloc(r->a, sizeof(*f));
	struct json_object *msgs = json_object_new_object();
	struct db_res week;
	struct cal_tx t = { r, f, NULL, NULL, NULL };
	int bad = 0, working = 0, rc;

	/* Start from the stored week: a weekday the request does not name stays as it is. */
	if ((rc = db_exec(app->db, r->a, STMT_CALENDAR_WEEK, &week, "")) != KESU_OK) {
		json_object_put(msgs);
		return rc;
	}
	week_from_rows(r, &week, f);
	for (int wd = 0; wd < 7; wd++) {
		for (int k = 0; k < 4; k++) {
			const char *v = req_form(r, field_name(r, wd, k));
			if (v == NULL)
				continue;
			f->present[wd] = 1;
		}
		if (!f->present[wd])
			continue;
		for (int k = 0; k < 4; k++) {
			const char *v = req_form(r, field_name(r, wd, k));
			/* Spaces around a time are a slip of the keyboard, not an error. */
			while (v != NULL && *v == ' ')
				v++;
			f->val[wd][k] = v != NULL ? arena_strndup(r->a, v, strcspn(v, " ")) : "";
		}
		if (!check_day(f, wd)) {
			bad = 1;
			for (int k = 0; k < 4; k++)
				if (f->err[wd][k] != NULL)
					json_object_object_add(msgs, field_name(r, wd, k), jstr(T(r, f->err[wd][k])));
		}
	}
	for (int wd = 0; wd < 7 && !bad; wd++)
		working |= f->mins[wd][0] >= 0;
	if (!bad && !working) {
		/* Deadlines in working days need working days. */
		f->week_error = "err_calendar_no_working_day";
		json_object_object_add(msgs, "week", jstr(T(r, f->week_error)));
		bad = 1;
	}
	if (bad)
		return refuse(app, r, rs, msgs, f, NULL, NULL);
	json_object_put(msgs);
	if ((rc = db_tx(app->db, week_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("business calendar: weekly hours saved");
	return done(app, r, rs, "week");
}

static int
post_add(struct app *app, struct req *r, struct resp *rs)
{
	const char *day = req_form(r, "day"), *kind = req_form(r, "kind"), *name = req_form(r, "name");
	struct json_object *msgs = json_object_new_object(), *add = json_object_new_object();
	struct cal_tx t = { r, NULL, day, kind, name };
	int bad = 0, rc;

	json_object_object_add(add, "day", jstr(day));
	json_object_object_add(add, "name", jstr(name));
	json_object_object_add(add, "holiday", json_object_new_boolean(kind == NULL || strcmp(kind, "holiday") == 0));
	json_object_object_add(add, "workday", json_object_new_boolean(kind != NULL && strcmp(kind, "workday") == 0));
	if (calendar_parse_date(day) == 0) {
		json_object_object_add(add, "day_error", jstr(T(r, "err_calendar_date")));
		json_object_object_add(msgs, "day", jstr(T(r, "err_calendar_date")));
		bad = 1;
	}
	if (kind == NULL || (strcmp(kind, "holiday") != 0 && strcmp(kind, "workday") != 0)) {
		json_object_object_add(add, "kind_error", jstr(T(r, "err_calendar_kind")));
		json_object_object_add(msgs, "kind", jstr(T(r, "err_calendar_kind")));
		bad = 1;
	}
	if (name == NULL || workflow_reason_blank(name) || utf8_chars(name) > NAME_MAX_CHARS) {
		json_object_object_add(add, "name_error", jstr(T(r, "err_calendar_name")));
		json_object_object_add(msgs, "name", jstr(T(r, "err_calendar_name")));
		bad = 1;
	}
	if (!bad) {
		rc = db_tx(app->db, add_tx, &t);
		if (rc == KESU_OK) {
			json_object_put(msgs);
			json_object_put(add);
			LOG_INFO("business calendar: %s added (%s)", day, kind);
			return done(app, r, rs, "added");
		}
		if (rc != KESU_ECONFLICT) {
			json_object_put(msgs);
			json_object_put(add);
			return rc;
		}
		/* The day has an exception already (its primary key). */
		json_object_object_add(add, "day_error", jstr(T(r, "err_calendar_day_taken")));
		json_object_object_add(msgs, "day", jstr(T(r, "err_calendar_day_taken")));
	}
	return refuse(app, r, rs, msgs, NULL, add, NULL);
}

static int
post_delete(struct app *app, struct req *r, struct resp *rs)
{
	const char *day = req_form(r, "day"), *confirm = req_form(r, "confirm");
	struct cal_tx t = { r, NULL, day, NULL, NULL };
	int rc;

	if (calendar_parse_date(day) == 0)
		return KESU_ENOTFOUND;
	/* Nothing goes without the confirmation the page asked for. */
	if (confirm == NULL || strcmp(confirm, "1") != 0) {
		struct json_object *msgs = json_object_new_object();
		json_object_object_add(msgs, "confirm", jstr(T(r, "err_calendar_confirm")));
		return refuse(app, r, rs, msgs, NULL, NULL, day);
	}
	if ((rc = db_tx(app->db, delete_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("business calendar: %s deleted", day);
	return done(app, r, rs, "deleted");
}

int
page_calendar_post(struct app *app, struct req *r, struct resp *rs)
{
	const char *op = req_form(r, "op");

	if (op != NULL && strcmp(op, "week") == 0)
		return post_week(app, r, rs);
	if (op != NULL && strcmp(op, "add") == 0)
		return post_add(app, r, rs);
	if (op != NULL && strcmp(op, "delete") == 0)
		return post_delete(app, r, rs);
	return KESU_EINPUT;
}
