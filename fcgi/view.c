/* view.c: the parts every view model shares, texts in the user's language, and local time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "waiting.h"
#include "i18n.h"
#include "sla.h"

/* The label of an enumerated value: po key "<field>_<code>". */
const char *
view_label(const struct req *r, const char *field, const char *code)
{
	char key[80];
	const char *text;
	size_t fl, cl;

	if (code == NULL)
		return "";
	/* field "_" code, cut like snprintf would: a list page asks this 200 times, and the
	 * format parser cost more than the catalog lookup. */
	fl = strnlen(field, sizeof(key) - 1);
	memcpy(key, field, fl);
	if (fl < sizeof(key) - 1)
		key[fl++] = '_';
	cl = strnlen(code, sizeof(key) - 1 - fl);
	memcpy(key + fl, code, cl);
	key[fl + cl] = '\0';
	text = T(r, key);
	/* A missing text comes back as the key itself: copy it out of this frame. */
	return text == key ? arena_strdup(r->a, key) : text;
}

struct json_object *
jstr(const char *s)
{
	return json_object_new_string(s != NULL ? s : "");
}

/*
 * The departments, kept by each worker while their generation (sql/030, moved by every change
 * of the table on any node, read with the session: app->dept_gen) stays the same, so a change
 * shows on every host in its next request. Without a generation (no session read it yet, or
 * a process that reads none) the copy is kept DEPARTMENTS_CACHE_SECONDS.
 */
#define DEPARTMENTS_CACHE_SECONDS 300
static struct {
	char **cells;     /* nrows * 3, malloc'd */
	size_t nrows;
	time_t loaded;
	uint64_t gen;     /* app->dept_gen when loaded */
} deps_cache;

int
view_departments(struct app *app, struct arena *a, struct db_res *out)
{
	time_t now = time(NULL);
	int rc;

	if (deps_cache.cells == NULL || (app->dept_gen != 0 && app->dept_gen != deps_cache.gen) ||
	    (app->dept_gen == 0 && now - deps_cache.loaded >= DEPARTMENTS_CACHE_SECONDS) ||
	    now < deps_cache.loaded) {
		struct db_res res;
		char **cells;
		if ((rc = db_exec(app->db, a, STMT_DEPARTMENT_LIST, &res, "")) != KESU_OK)
			return rc;
		if ((cells = calloc(res.nrows * 3 + 1, sizeof(*cells))) == NULL)
			return KESU_EINTERNAL;
		for (size_t i = 0; i < res.nrows * 3; i++)
			if ((cells[i] = strdup(res.rows[i / 3][i % 3])) == NULL) {
				for (size_t k = 0; k < i; k++)
					free(cells[k]);
				free(cells);
				return KESU_EINTERNAL;
			}
		for (size_t i = 0; deps_cache.cells != NULL && i < deps_cache.nrows * 3; i++)
			free(deps_cache.cells[i]);
		free(deps_cache.cells);
		deps_cache.cells = cells;
		deps_cache.nrows = res.nrows;
		deps_cache.loaded = now;
		deps_cache.gen = app->dept_gen;
	}
	/* The caller's rows live in its arena: a reload in between cannot pull them away. */
	memset(out, 0, sizeof(*out));
	out->nrows = deps_cache.nrows;
	out->ncols = 3;
	out->rows = arena_alloc(a, (deps_cache.nrows + 1) * sizeof(*out->rows));
	for (size_t i = 0; i < deps_cache.nrows; i++) {
		out->rows[i] = arena_alloc(a, 3 * sizeof(char *));
		for (int k = 0; k < 3; k++)
			out->rows[i][k] = arena_strdup(a, deps_cache.cells[i * 3 + k]);
	}
	return KESU_OK;
}

void
errors_add(const struct req *r, struct json_object *errors, const char *field, const char *key)
{
	if (!json_object_object_get_ex(errors, field, NULL))
		json_object_object_add(errors, field, jstr(T(r, key)));
}

struct audit_actor
req_actor(const struct req *r)
{
	struct audit_actor who = { r->sess->uid, r->sess->name, sess_role(r->sess), r->id, r->remote_addr };
	return who;
}

struct audit_actor
req_actor_as(const struct req *r, unsigned mask)
{
	struct audit_actor who = req_actor(r);

	for (int i = 0; i < ROLE__MAX; i++)
		if ((r->sess->roles & mask & ROLE_BIT(i)) != 0) {
			who.role = role_name((enum role)i);
			break;
		}
	return who;
}

void
view_done_notice(const struct req *r, struct json_object *v)
{
	const char *done = req_query(r, "done");
	char key[64];

	if (done == NULL || strlen(done) > 40 || strspn(done, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(done))
		return;
	/* a lifecycle step, else any audited action with a text of its own */
	snprintf(key, sizeof(key), "caction_%s", done);
	if (!i18n_has((enum lang)r->lang, key))
		snprintf(key, sizeof(key), "action_%s", done);
	if (i18n_has((enum lang)r->lang, key))
		JADD(v, "done", jstr(T(r, key)));
}

const char *
T(const struct req *r, const char *key)
{
	return i18n_get((enum lang)r->lang, key);
}

struct json_object *
view_new(struct app *app, struct req *r)
{
	struct json_object *v = json_object_new_object();
	enum lang other = r->lang == LANG_ZH ? LANG_EN : LANG_ZH;

	JADD(v, "lang", json_object_new_string(lang_code((enum lang)r->lang)));
	JADD(v, "html_lang", json_object_new_string(r->lang == LANG_ZH ? "zh-CN" : "en"));
	JADD(v, "other_lang", json_object_new_string(lang_code(other)));
	JADD(v, "other_lang_label",
	    json_object_new_string(other == LANG_ZH ? "中文" : "English"));
	JADD(v, "path", json_object_new_string(r->path ? r->path : "/"));
	if (app != NULL)
		JADD(v, "tz_label", jstr(view_zone_label(app, r->a)));
	if (r->sess != NULL) {
		struct json_object *u = json_object_new_object();
		struct json_object *roles = json_object_new_array();
		struct json_object *role_labels = json_object_new_array();
		for (int i = 0; i < ROLE__MAX; i++)
			if (r->sess->roles & ROLE_BIT(i)) {
				char key[48];
				json_object_array_add(roles, json_object_new_string(role_name((enum role)i)));
				snprintf(key, sizeof(key), "role_%s", role_name((enum role)i));
				json_object_array_add(role_labels, json_object_new_string(T(r, key)));
			}
		JADD(u, "uid", json_object_new_string(r->sess->uid));
		JADD(u, "name", json_object_new_string(r->sess->name));
		JADD(u, "department", json_object_new_string(r->sess->department));
		JADD(u, "roles", roles);
		JADD(u, "role_labels", role_labels);
		JADD(v, "user", u);
		JADD(v, "csrf_token", json_object_new_string(r->sess->csrf));
		JADD(v, "can_register",
		    json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_AGENT) | ROLE_BIT(ROLE_SUPERVISOR))));
		JADD(v, "sees_finance",
		    json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_FINANCE) | ROLE_BIT(ROLE_AUDITOR))));
		JADD(v, "sees_stats", json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_SUPERVISOR) |
		    ROLE_BIT(ROLE_DEPUTY_GM) | ROLE_BIT(ROLE_GM) | ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_QA_DIRECTOR) |
		    ROLE_BIT(ROLE_DEPT_HEAD))));
		JADD(v, "sees_matrix",
		    json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR))));
		JADD(v, "is_admin", json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_ADMIN))));
		JADD(v, "sees_calendar",
		    json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR))));
		JADD(v, "sees_audit",
		    json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_GM))));
		/* The header's count of "My work", rendered here so no page needs a script for it. */
		{
			int64_t n = work_count(app, r);
			JADD(v, "work_count", n >= 0 ? json_object_new_int64(n) : NULL);
			JADD(v, "has_work", json_object_new_boolean(n > 0));
		}
	}
	return v;
}

/* Parse "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM[:SS]" as a calendar time; -1 when malformed. */
static int
parse_dt(const char *s, struct tm *tm)
{
	int y, mo, d, h, mi, sec = 0, n = 0;
	char sep;

	if (s == NULL)
		return -1;
	if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &n) != 6 || n == 0)
		return -1;
	if (sep != ' ' && sep != 'T')
		return -1;
	if (s[n] == ':') {
		int m = 0;
		if (sscanf(s + n, ":%2d%n", &sec, &m) != 1)
			return -1;
		n += m;
	}
	if (s[n] != '\0' && s[n] != '.')
		return -1;
	if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 59 || h < 0 || mi < 0 || sec < 0)
		return -1;
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	/* Reject 31 February and friends: timegm normalises them, so compare back. */
	{
		struct tm chk = *tm;
		time_t t = timegm(&chk);
		gmtime_r(&t, &chk);
		if (chk.tm_mday != d || chk.tm_mon != mo - 1)
			return -1;
	}
	return 0;
}

/* n decimal digits at p, or -1. */
static int
digits(const char *p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/*
 * On the hot path of every list row: plain arithmetic on the fixed format instead of
 * sscanf, timegm, gmtime and strftime (which took ~4 % of a list page).
 */
const char *
view_local_time(const struct app *app, struct arena *a, const char *utc)
{
	int y, mo, d, h, mi, date;
	long mins, day;
	char out[48];

	if (utc == NULL || strlen(utc) < 16 || utc[4] != '-' || utc[7] != '-' ||
	    (utc[10] != ' ' && utc[10] != 'T') || utc[13] != ':')
		return utc;
	y = digits(utc, 4);
	mo = digits(utc + 5, 2);
	d = digits(utc + 8, 2);
	h = digits(utc + 11, 2);
	mi = digits(utc + 14, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
		return utc;
	mins = sla_days_from_civil(y, mo, d) * 1440 + h * 60 + mi + app->utc_offset_min;
	day = mins >= 0 ? mins / 1440 : (mins - 1439) / 1440;
	mins -= day * 1440;
	date = sla_civil_from_days(day);
	y = date / 10000;
	mo = date / 100 % 100;
	d = date % 100;
	if (y < 0 || y > 9999) {
		snprintf(out, sizeof(out), "%04d-%02d-%02d %02d:%02d", y, mo, d, (int)(mins / 60), (int)(mins % 60));
		return arena_strdup(a, out);
	}
	/* By hand: every date of a list page comes through here (sla.h). */
	{
		char *p = arena_alloc(a, 17);
		sla_put_minute(p, date, (int)(mins / 60), (int)(mins % 60));
		p[16] = '\0';
		return p;
	}
}

const char *
view_utc_time(const struct app *app, struct arena *a, const char *local)
{
	struct tm tm;
	time_t t;
	char out[32];

	if (parse_dt(local, &tm) != 0)
		return NULL;
	t = timegm(&tm) - app->utc_offset_min * 60;
	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M:00", &tm);
	return arena_strdup(a, out);
}

const char *
view_zone_label(const struct app *app, struct arena *a)
{
	long m = app->utc_offset_min < 0 ? -app->utc_offset_min : app->utc_offset_min;

	if (m % 60 == 0)
		return arena_printf(a, "UTC%c%ld", app->utc_offset_min < 0 ? '-' : '+', m / 60);
	return arena_printf(a, "UTC%c%ld:%02ld", app->utc_offset_min < 0 ? '-' : '+', m / 60, m % 60);
}

const char *
view_iso_utc(struct arena *a, const char *utc)
{
	if (utc == NULL || strlen(utc) < 19)
		return utc != NULL ? utc : "";
	return arena_printf(a, "%.10sT%.8sZ", utc, utc + 11);
}

void
utc_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* view_options() with nothing selected, per worker: the same codes and labels on every page
 * (issue 10, listfast: the list's ten selects were a tenth of its instructions). Each entry
 * holds a reference to the catalog its labels came from: a catalog loaded anew is another
 * object, and the entry is built again. */
#define OPTIONS_CACHE 32
#define OPTIONS_FIELD_MAX 32
static struct {
	char field[OPTIONS_FIELD_MAX];
	const char *const *codes;     /* static arrays (view.h) */
	int lang;
	struct json_object *table;   /* the catalog it was built from (a reference) */
	struct json_object *arr;     /* NULL: a free entry */
} options_cache[OPTIONS_CACHE];

static struct json_object *
options_build(const struct req *r, const char *field, const char *const *codes, const char *selected)
{
	struct json_object *arr = json_object_new_array();

	for (; *codes != NULL; codes++) {
		struct json_object *o = json_object_new_object();
		JADD(o, "code", jstr(*codes));
		JADD(o, "label", jstr(view_label(r, field, *codes)));
		JADD(o, "selected", json_object_new_boolean(selected != NULL &&
		    strcmp(selected, *codes) == 0));
		json_object_array_add(arr, o);
	}
	return arr;
}

struct json_object *
view_options(const struct req *r, const char *field, const char *const *codes, const char *selected)
{
	struct json_object *table = i18n_table((enum lang)r->lang);
	size_t i;

	if (selected != NULL || table == NULL || strlen(field) >= OPTIONS_FIELD_MAX)
		return options_build(r, field, codes, selected);
	for (i = 0; i < OPTIONS_CACHE && options_cache[i].arr != NULL; i++)
		if (options_cache[i].codes == codes && options_cache[i].lang == r->lang &&
		    strcmp(options_cache[i].field, field) == 0) {
			if (options_cache[i].table == table)
				return json_object_get(options_cache[i].arr);
			break;   /* texts loaded anew: built again in this entry */
		}
	if (i == OPTIONS_CACHE)
		return options_build(r, field, codes, NULL);
	if (options_cache[i].arr != NULL) {
		json_object_put(options_cache[i].arr);
		json_object_put(options_cache[i].table);
	}
	memcpy(options_cache[i].field, field, strlen(field) + 1);
	options_cache[i].codes = codes;
	options_cache[i].lang = r->lang;
	options_cache[i].table = json_object_get(table);
	options_cache[i].arr = options_build(r, field, codes, NULL);
	return json_object_get(options_cache[i].arr);
}
