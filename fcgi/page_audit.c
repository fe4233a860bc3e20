/* page_audit.c: the auditor's trail — every audit event, filtered, newest first, with its change as a diff; CSV and .xlsx. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "handlers.h"
#include "access.h"
#include "audit.h"
#include "audit_diff.h"
#include "conf.h"
#include "csv.h"
#include "valid.h"
#include "i18n.h"
#include "workflow.h"
#include "xlsx.h"

#define TRAIL_PAGE 50
/* A filter that no index serves (kind, role, action, only) reads at most this many
 * sequence numbers per page; fewer matches than a page means "look further back". */
#define TRAIL_WINDOW 100000
/* An export's cap, and how many windows it may read for it (5 M events). */
#define TRAIL_EXPORT_MAX 100000
#define TRAIL_EXPORT_WINDOWS 50
#define TRAIL_EXPORT_CHUNK 1000
/* A period over this many days needs another filter (record, actor, kind, role, action, only). */
#define TRAIL_MAX_DAYS 366

#define TRAIL_READERS (ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_GM))

/* The record kinds of the filter: the entity they live under ("" any) and their actions' pattern. */
static const struct trail_kind {
	const char *code;
	const char *entity;
	const char *pattern;
} kinds[] = {
	{ "complaint", "complaint",
	  "^(?!(report_|propose_plan|approve_plan|return_plan|reject_plan|plan_|penalty_|remedy_|attachment_|8d_|hold_))" },
	{ "report", "", "^report_" },
	{ "plan", "", "^(propose_plan|approve_plan|return_plan|reject_plan|plan_)" },
	{ "8d", "", "^8d_" },
	{ "hold", "", "^hold_" },
	{ "penalty", "", "^penalty_" },
	{ "finance", "", "^remedy_" },
	{ "attachment", "", "^attachment_" },
	{ "authority", "authority_rule", "" },
	{ "calendar", "calendar", "" },
	{ "session", "session", "" },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *const kind_codes[] = { "complaint", "report", "plan", "8d", "hold", "penalty", "finance",
	"attachment", "authority", "calendar", "session", NULL };
static const char *const only_codes[] = { "signatures", "failures", NULL };

/* Electronic signatures, and failed attempts (wrong signing passwords, refused sign-ins). */
static const char sig_pattern[] =
    "^(report_signoff|report_return|approve_plan|return_plan|reject_plan|penalty_approve|penalty_reject|"
    "penalty_uphold|penalty_revoke|8d_approve|8d_return|hold_release)$";
static const char fail_pattern[] =
    "^(signature_password_failed|login_failed|login_throttled|access_refused)$";

/* The filters as typed (for the form) and as the statements take them. */
struct trail_q {
	const char *kind, *record, *actor, *role, *action, *from, *to, *only, *after;
	/* resolved */
	const char *entity, *pattern, *only_pattern;
	const char *rec_number;     /* a complaint: its number (its events and its 8Ds') */
	const char *rec_8d;         /* an 8D id */
	const char *rec_penalty;    /* a penalty id (events of its complaint that name it) */
	uint64_t before;            /* seq < before */
	uint64_t floor;             /* seq > floor: the period's start */
	int has_residual;           /* a filter no index serves */
	int empty;                  /* the period holds no event */
};

static int
is_date(const char *s, struct tm *tm)
{
	const char *end;

	if (s == NULL || strlen(s) != 10)
		return 0;
	memset(tm, 0, sizeof(*tm));
	end = strptime(s, "%Y-%m-%d", tm);
	if (end == NULL || *end != '\0' || tm->tm_year < 100 || tm->tm_year > 1100)
		return 0;
	/* strptime accepts 02-31: normalise and compare. */
	{
		struct tm n = *tm;
		time_t t = timegm(&n);
		struct tm back;
		gmtime_r(&t, &back);
		return back.tm_mday == tm->tm_mday && back.tm_mon == tm->tm_mon;
	}
}

static int
is_name(const char *s, size_t max, const char *extra)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > max)
		return 0;
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' &&
		    strchr(extra, *p) == NULL)
			return 0;
	return 1;
}

/* A query parameter, "" and blanks as absent. */
static const char *
param(const struct req *r, const char *key)
{
	const char *v = req_query(r, key);

	while (v != NULL && *v == ' ')
		v++;
	return v != NULL && *v != '\0' ? v : NULL;
}

/* Local midnight of a "YYYY-MM-DD" (plus days) as UTC "YYYY-MM-DD HH:MM:SS", in the arena. */
static const char *
local_day_utc(const struct app *app, struct arena *a, const struct tm *day, int plus_days)
{
	struct tm t = *day;
	time_t s;
	char out[32];

	t.tm_mday += plus_days;
	s = timegm(&t) - app->utc_offset_min * 60L;
	gmtime_r(&s, &t);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S", &t);
	return arena_strdup(a, out);
}

/*
 * Read and check the filters into q; each bad one gets its message in errors (by field).
 * Resolves a penalty's complaint and a period's sequence numbers. KESU_OK (errors may be
 * set) or a database error.
 */
static int
trail_parse(struct app *app, struct req *r, struct trail_q *q, struct json_object *errors)
{
	struct tm from_tm, to_tm;
	int has_from = 0, has_to = 0, rc;
	struct db_res res;

	memset(q, 0, sizeof(*q));
	q->kind = param(r, "kind");
	q->record = param(r, "record");
	q->actor = param(r, "actor");
	q->role = param(r, "role");
	q->action = param(r, "action");
	q->from = param(r, "from");
	q->to = param(r, "to");
	q->only = param(r, "only");
	q->after = param(r, "after");
	q->entity = q->pattern = q->only_pattern = "";
	q->rec_number = q->rec_8d = q->rec_penalty = "";
	q->before = UINT64_MAX;

	if (q->kind != NULL) {
		size_t i;
		for (i = 0; i < NKINDS && strcmp(kinds[i].code, q->kind) != 0; i++)
			;
		if (i == NKINDS)
			errors_add(r, errors, "kind", "audit_err_kind");
		else
			q->entity = kinds[i].entity, q->pattern = kinds[i].pattern;
	}
	if (q->only != NULL) {
		if (strcmp(q->only, "signatures") == 0)
			q->only_pattern = sig_pattern;
		else if (strcmp(q->only, "failures") == 0)
			q->only_pattern = fail_pattern;
		else
			errors_add(r, errors, "only", "audit_err_only");
	}
	if (q->record != NULL) {
		const char *rec = q->record;
		if (complaint_number_valid(rec)) {
			q->rec_number = rec;
		} else if ((strncmp(rec, "8d-", 3) == 0 || strncmp(rec, "8D-", 3) == 0) && valid_id(rec + 3)) {
			q->rec_8d = rec + 3;
		} else if ((strncmp(rec, "p-", 2) == 0 || strncmp(rec, "P-", 2) == 0) && valid_id(rec + 2)) {
			if ((rc = db_exec(app->db, r->a, STMT_TRAIL_PENALTY_NUMBER, &res, "u",
			    (uint64_t)strtoull(rec + 2, NULL, 10))) != KESU_OK)
				return rc;
			if (res.nrows == 1) {
				q->rec_number = res.rows[0][0];
				q->rec_penalty = rec + 2;
			} else {
				errors_add(r, errors, "record", "audit_err_record_unknown");
			}
		} else {
			errors_add(r, errors, "record", "audit_err_record");
		}
	}
	if (q->actor != NULL && !is_name(q->actor, 64, ".-@"))
		errors_add(r, errors, "actor", "audit_err_actor");
	if (q->role != NULL && role_from_name(q->role) == ROLE__MAX && strcmp(q->role, "none") != 0)
		errors_add(r, errors, "role", "audit_err_role");
	if (q->action != NULL && !is_name(q->action, 64, ""))
		errors_add(r, errors, "action", "audit_err_action");
	if (q->after != NULL) {
		if (!valid_digits(q->after, 19) || (q->before = strtoull(q->after, NULL, 10)) == 0)
			errors_add(r, errors, "after", "audit_err_after");
	}
	if (q->from != NULL && !(has_from = is_date(q->from, &from_tm)))
		errors_add(r, errors, "from", "audit_err_date");
	if (q->to != NULL && !(has_to = is_date(q->to, &to_tm)))
		errors_add(r, errors, "to", "audit_err_date");
	if (has_from && has_to && timegm(&from_tm) > timegm(&to_tm))
		errors_add(r, errors, "to", "audit_err_period_order");
	q->has_residual = q->kind != NULL || q->role != NULL || q->action != NULL || q->only != NULL;
	/* A year of events with nothing else to narrow it would be millions of rows to page through. */
	if (has_from && q->record == NULL && q->actor == NULL && !q->has_residual) {
		time_t end = has_to ? timegm(&to_tm) : time(NULL);
		if ((end - timegm(&from_tm)) / 86400 > TRAIL_MAX_DAYS)
			errors_add(r, errors, "from", "audit_err_period_long");
	}
	if (json_object_object_length(errors) > 0)
		return KESU_OK;
	/* The period as sequence numbers, through the index on at (013). */
	if (has_from) {
		if ((rc = db_exec(app->db, r->a, STMT_TRAIL_SEQ_FROM, &res, "s",
		    local_day_utc(app, r->a, &from_tm, 0))) != KESU_OK)
			return rc;
		if (res.nrows == 0)
			q->empty = 1;
		else
			q->floor = strtoull(res.rows[0][0], NULL, 10) - 1;
	}
	if (has_to) {
		uint64_t hi;
		if ((rc = db_exec(app->db, r->a, STMT_TRAIL_SEQ_TO, &res, "s",
		    local_day_utc(app, r->a, &to_tm, 1))) != KESU_OK)
			return rc;
		if (res.nrows == 0) {
			q->empty = 1;
		} else {
			hi = strtoull(res.rows[0][0], NULL, 10) + 1;
			if (hi < q->before)
				q->before = hi;
		}
	}
	return KESU_OK;
}

/* The head's sequence number (0 for an empty chain). */
static int
head_seq(struct app *app, struct arena *a, uint64_t *seq)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, a, STMT_AUDIT_HEAD_GET, &res, "")) != KESU_OK)
		return rc;
	*seq = res.nrows == 1 && res.rows[0][0] != NULL ? strtoull(res.rows[0][0], NULL, 10) : 0;
	return KESU_OK;
}

/*
 * Events with before > seq > floor matching q, newest first, at most limit, into res (arena a).
 * The record's and the actor's events come through their indexes; anything else walks the
 * primary key down from before.
 */
static int
trail_fetch(struct app *app, struct arena *a, const struct trail_q *q, uint64_t before, uint64_t floor,
    long limit, struct db_res *res)
{
	const char *actor = q->actor ? q->actor : "", *role = q->role ? q->role : "";
	const char *action = q->action ? q->action : "";

#define FILTER_ARGS before, floor, actor, actor, role, role, action, action, q->entity, q->entity, \
	q->pattern, q->pattern, q->only_pattern, q->only_pattern, (uint64_t)limit
	if (q->record != NULL)
		return db_exec(app->db, a, STMT_TRAIL_RECORD, res, "sssss" "uussssssssssss" "u",
		    q->rec_number, q->rec_8d, q->rec_penalty[0] ? "" : q->rec_number, q->rec_penalty,
		    q->rec_penalty, FILTER_ARGS);
	if (q->actor != NULL)
		return db_exec(app->db, a, STMT_TRAIL_ACTOR, res, "s" "uussssssssssss" "u", q->actor, FILTER_ARGS);
	return db_exec(app->db, a, STMT_TRAIL_SCAN, res, "uussssssssssss" "u", FILTER_ARGS);
#undef FILTER_ARGS
}

/* A penalty's events stand under its complaint: its own id, when the query names a penalty. */
static const char *
penalty_of_event(struct arena *a, const char *after_json, const char *before_json)
{
	const char *src = after_json != NULL ? after_json : before_json;
	const char *p;

	if (src == NULL || (p = strstr(src, "\"penalty_id\":")) == NULL)
		return NULL;
	p += strlen("\"penalty_id\":");
	return arena_strndup(a, p, strspn(p, "0123456789"));
}

/*
 * Catalog lookup for audit_diff(): NULL when the reader's language has no text. A field's
 * label may also be the form's own ("field_<name>", an 8D's "ed_<name>"); a code's label may
 * be an 8D choice's ("ed_choice_<code>") or a role's.
 */
static const char *
diff_text(void *ctx, const char *key)
{
	static const char *const field_alt[] = { "field_", "ed_", NULL };
	static const char *const code_alt[] = { "ed_choice_", "role_", NULL };
	const struct req *r = ctx;
	char alt[200];

	if (i18n_has(r->lang, key))
		return i18n_get(r->lang, key);
	if (strncmp(key, "audit_field_", 12) == 0) {
		for (int i = 0; field_alt[i] != NULL; i++)
			if ((size_t)snprintf(alt, sizeof(alt), "%s%s", field_alt[i], key + 12) < sizeof(alt) &&
			    i18n_has(r->lang, alt))
				return i18n_get(r->lang, alt);
		/* An 8D's field stands under its discipline: "ed_d<N>_<name>". */
		for (int d = 0; d <= 8; d++)
			if ((size_t)snprintf(alt, sizeof(alt), "ed_d%d_%s", d, key + 12) < sizeof(alt) &&
			    i18n_has(r->lang, alt))
				return i18n_get(r->lang, alt);
		return NULL;
	}
	/* "<field>_<code>": the code is what follows the field, which audit_diff() put first. */
	for (const char *u = strchr(key, '_'); u != NULL; u = strchr(u + 1, '_'))
		for (int i = 0; code_alt[i] != NULL; i++)
			if ((size_t)snprintf(alt, sizeof(alt), "%s%s", code_alt[i], u + 1) < sizeof(alt) &&
			    i18n_has(r->lang, alt))
				return i18n_get(r->lang, alt);
	return NULL;
}

/* UTC "YYYY-MM-DD HH:MM:SS[.ffffff]" -> local "YYYY-MM-DD HH:MM:SS", in the arena. */
static const char *
local_seconds(const struct app *app, struct arena *a, const char *utc)
{
	struct tm tm;
	time_t t;
	char out[32];

	memset(&tm, 0, sizeof(tm));
	if (utc == NULL || strptime(utc, "%Y-%m-%d %H:%M:%S", &tm) == NULL)
		return utc;
	t = timegm(&tm) + app->utc_offset_min * 60L;
	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S", &tm);
	return arena_strdup(a, out);
}

static const char *
action_label(const struct req *r, const char *action)
{
	return caction_from_name(action) != CA__MAX ? view_label(r, "caction", action) : view_label(r, "action", action);
}

/* The reason a person gave, from the parsed after-image (reason, else comment); NULL when none. */
static const char *
reason_of(struct arena *a, struct json_object *o)
{
	struct json_object *v;

	if (o != NULL && json_object_is_type(o, json_type_object) &&
	    ((json_object_object_get_ex(o, "reason", &v) && json_object_is_type(v, json_type_string) &&
	    *json_object_get_string(v)) ||
	    (json_object_object_get_ex(o, "comment", &v) && json_object_is_type(v, json_type_string) &&
	    *json_object_get_string(v))))
		return arena_strdup(a, json_object_get_string(v));
	return NULL;
}

/*
 * An event's before and after images parsed once for the diff and the reason (each was parsed
 * twice before: tests/bench/trail.sh); *diff: the diff's rows, -1 when an image is not JSON.
 * Returns the reason. Everything in arena a; the parsed images are put here.
 */
static const char *
event_images(struct req *r, struct arena *a, char **e, struct diff_row **d, long *n)
{
	struct json_object *bo = NULL, *ao = NULL;
	int bad_b = audit_json_parse(e[8], &bo), bad_a = audit_json_parse(e[9], &ao);
	const char *reason = reason_of(a, ao);

	*d = NULL;
	*n = bad_b != 0 || bad_a != 0 ? -1 : audit_diff_obj(a, bo, ao, diff_text, r, d);
	json_object_put(bo);
	json_object_put(ao);
	return reason;
}

/* Where the record of an event is read, and its name; url NULL when it has no page. */
static void
record_of(struct arena *a, char **e, const char **url, const char **label, const char **trail)
{
	const char *entity = e[5], *id = e[6], *pen = NULL;

	*url = *label = *trail = NULL;
	if (strcmp(entity, "complaint") == 0) {
		if (strncmp(e[7], "penalty_", 8) == 0 && (pen = penalty_of_event(a, e[9], e[8])) != NULL && *pen) {
			*url = arena_printf(a, "/penalties/%s", pen);
			*label = arena_printf(a, "%s · P-%s", id, pen);
			*trail = arena_printf(a, "p-%s", pen);
			return;
		}
		*url = arena_printf(a, "/complaints/%s", id);
		*label = id;
		*trail = id;
	} else if (strcmp(entity, "8d_report") == 0) {
		*url = arena_printf(a, "/8d/%s", id);
		*label = arena_printf(a, "8D-%s", id);
		*trail = arena_printf(a, "8d-%s", id);
	} else if (strcmp(entity, "authority_rule") == 0) {
		*url = "/admin/authority";
		*label = arena_printf(a, "%s %s", entity, id);
	} else if (strcmp(entity, "calendar") == 0) {
		*url = "/admin/calendar";
		*label = id;
	} else {
		*label = id;
	}
}

/* One event as the page and its JSON twin show it. */
static struct json_object *
event_view(struct app *app, struct req *r, char **e)
{
	struct json_object *o = json_object_new_object(), *changes = json_object_new_array();
	const char *url, *label, *trail, *reason;
	struct diff_row *d;
	long n;

	json_object_object_add(o, "seq", json_object_new_int64(strtoll(e[0], NULL, 10)));
	json_object_object_add(o, "at_utc", jstr(arena_strndup(r->a, e[1], 19)));
	json_object_object_add(o, "at_iso", jstr(view_iso_utc(r->a, arena_strndup(r->a, e[1], 19))));
	json_object_object_add(o, "at_local", jstr(local_seconds(app, r->a, e[1])));
	json_object_object_add(o, "actor_uid", jstr(e[2]));
	json_object_object_add(o, "actor_name", jstr(e[3]));
	json_object_object_add(o, "actor_role", jstr(e[4]));
	json_object_object_add(o, "actor_role_label", jstr(*e[4] && strcmp(e[4], "none") != 0 ?
	    view_label(r, "role", e[4]) : ""));
	json_object_object_add(o, "entity", jstr(e[5]));
	json_object_object_add(o, "entity_id", jstr(e[6]));
	json_object_object_add(o, "action", jstr(e[7]));
	json_object_object_add(o, "action_label", jstr(action_label(r, e[7])));
	record_of(r->a, e, &url, &label, &trail);
	json_object_object_add(o, "record_url", url ? jstr(url) : NULL);
	json_object_object_add(o, "record_label", jstr(label));
	json_object_object_add(o, "record_trail_url", trail ?
	    jstr(arena_printf(r->a, "/audit?record=%s", trail)) : NULL);
	reason = event_images(r, r->a, e, &d, &n);
	json_object_object_add(o, "reason", reason ? jstr(reason) : NULL);
	json_object_object_add(o, "request_id", jstr(e[10]));
	json_object_object_add(o, "client_addr", jstr(e[11]));
	json_object_object_add(o, "prev_hash", jstr(e[12]));
	json_object_object_add(o, "hash", jstr(e[13]));
	for (long i = 0; i < n; i++) {
		struct json_object *c = json_object_new_object();
		json_object_object_add(c, "field", jstr(d[i].field));
		json_object_object_add(c, "label", jstr(d[i].label));
		json_object_object_add(c, "before", d[i].before ? jstr(d[i].before) : NULL);
		json_object_object_add(c, "after", d[i].after ? jstr(d[i].after) : NULL);
		json_object_array_add(changes, c);
	}
	json_object_object_add(o, "changes", changes);
	json_object_object_add(o, "has_changes", json_object_new_boolean(n > 0));
	return o;
}

/* The query string of q's filters (without after), URL-encoded, "" when none. */
static const char *
filter_query(struct arena *a, const struct trail_q *q)
{
	const char *keys[] = { "kind", "record", "actor", "role", "action", "from", "to", "only" };
	const char *vals[] = { q->kind, q->record, q->actor, q->role, q->action, q->from, q->to, q->only };
	struct buf b;
	const char *out;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (vals[i] == NULL)
			continue;
		buf_puts(&b, b.len ? "&" : "");
		buf_puts(&b, keys[i]);
		buf_putc(&b, '=');
		buf_url_encode(&b, vals[i]);
	}
	out = arena_strdup(a, b.len ? b.p : "");
	buf_free(&b);
	return out;
}

static void
form_values(struct req *r, struct json_object *v, const struct trail_q *q)
{
	struct json_object *f = json_object_new_object();
	static const char *const role_codes[] = { "agent", "supervisor", "dept_head", "dept_member",
		"quality_engineer", "qa_director", "deputy_gm", "gm", "finance", "hr", "auditor", "admin", NULL };

	json_object_object_add(f, "kinds", view_options(r, "audit_kind", kind_codes, q->kind));
	json_object_object_add(f, "roles", view_options(r, "role", role_codes, q->role));
	json_object_object_add(f, "onlys", view_options(r, "audit_only", only_codes, q->only));
	json_object_object_add(f, "record", jstr(q->record));
	json_object_object_add(f, "actor", jstr(q->actor));
	json_object_object_add(f, "action", jstr(q->action));
	json_object_object_add(f, "from", jstr(q->from));
	json_object_object_add(f, "to", jstr(q->to));
	json_object_object_add(v, "filters", f);
}

/* GET /audit: the trail. A bad filter answers 422 with its message beside it. */
int
page_audit(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v, *errors, *events;
	struct trail_q q;
	struct db_res res;
	uint64_t before, floor, head;
	const char *fq;
	int rc, bad;

	if (!sess_has(r, TRAIL_READERS))
		return KESU_ENOTFOUND;
	errors = json_object_new_object();
	if ((rc = trail_parse(app, r, &q, errors)) != KESU_OK) {
		json_object_put(errors);
		return rc;
	}
	v = view_new(app, r);
	form_values(r, v, &q);
	fq = filter_query(r->a, &q);
	json_object_object_add(v, "csv_url", jstr(arena_printf(r->a, "/audit.csv%s%s", *fq ? "?" : "", fq)));
	json_object_object_add(v, "xlsx_url", jstr(arena_printf(r->a, "/audit.xlsx%s%s", *fq ? "?" : "", fq)));
	json_object_object_add(v, "zone", jstr(view_zone_label(app, r->a)));
	bad = json_object_object_length(errors) > 0;
	json_object_object_add(v, "errors", errors);
	json_object_object_add(v, "has_errors", json_object_new_boolean(bad));
	events = json_object_new_array();
	json_object_object_add(v, "events", events);
	if (bad || q.empty) {
		json_object_object_add(v, "empty", json_object_new_boolean(1));
		resp_page(app, r, rs, bad ? 422 : 200, "audit_trail", v);
		return KESU_OK;
	}
	if ((rc = head_seq(app, r->a, &head)) != KESU_OK)
		goto fail;
	before = q.before < head + 1 ? q.before : head + 1;
	floor = q.floor;
	/* A filter no index serves reads one window of the chain per page, never all of it. */
	if (q.has_residual && q.record == NULL && before > floor + TRAIL_WINDOW)
		floor = before - TRAIL_WINDOW;
	rc = trail_fetch(app, r->a, &q, before, floor, TRAIL_PAGE + 1, &res);
	if (rc == KESU_EDB && db_errno(app->db) == 1969) {
		errors_add(r, errors, q.actor ? "actor" : "kind", "audit_err_too_broad");
		json_object_object_add(v, "has_errors", json_object_new_boolean(1));
		json_object_object_add(v, "empty", json_object_new_boolean(1));
		resp_page(app, r, rs, 422, "audit_trail", v);
		return KESU_OK;
	}
	if (rc != KESU_OK)
		goto fail;
	for (size_t i = 0; i < res.nrows && i < TRAIL_PAGE; i++)
		json_object_array_add(events, event_view(app, r, res.rows[i]));
	json_object_object_add(v, "empty", json_object_new_boolean(res.nrows == 0));
	json_object_object_add(v, "head_seq", json_object_new_int64((int64_t)head));
	if (res.nrows > TRAIL_PAGE) {
		const char *last = res.rows[TRAIL_PAGE - 1][0];
		json_object_object_add(v, "next_url", jstr(arena_printf(r->a, "/audit?%s%safter=%s", fq,
		    *fq ? "&" : "", last)));
	} else if (floor > q.floor) {
		/* The window ended before the page filled: say how far it looked, and go on from there. */
		json_object_object_add(v, "searched_to", json_object_new_int64((int64_t)floor + 1));
		json_object_object_add(v, "next_url", jstr(arena_printf(r->a, "/audit?%s%safter=%" PRIu64, fq,
		    *fq ? "&" : "", floor + 1)));
	}
	if (q.after != NULL)
		json_object_object_add(v, "first_url", jstr(arena_printf(r->a, "/audit%s%s", *fq ? "?" : "", fq)));
	resp_page(app, r, rs, 200, "audit_trail", v);
	return KESU_OK;
fail:
	json_object_put(v);
	return rc;
}

/* ---- exports ---- */

enum { COL_SEQ, COL_UTC, COL_LOCAL, COL_UID, COL_NAME, COL_ROLE, COL_ACTION, COL_RECORD, COL_REASON,
	COL_CHANGES, COL_CLIENT, COL_REQUEST, COL_PREV, COL_HASH, NCOLS };

static const char *const col_keys[NCOLS] = { "audit_col_seq", "audit_col_utc", "audit_col_local",
	"audit_col_uid", "audit_col_name", "audit_col_role", "audit_col_action", "audit_col_record",
	"audit_col_reason", "audit_col_changes", "audit_col_client", "audit_col_request",
	"audit_col_prev_hash", "audit_col_hash" };

/* One event's cells (in arena a). */
static void
export_cells(struct app *app, struct req *r, struct arena *a, char **e, const char *cells[NCOLS])
{
	const char *url, *label, *trail;
	struct diff_row *d;
	struct buf b;
	long n;

	record_of(a, e, &url, &label, &trail);
	cells[COL_SEQ] = e[0];
	cells[COL_UTC] = arena_strndup(a, e[1], 19);
	cells[COL_LOCAL] = local_seconds(app, a, e[1]);
	cells[COL_UID] = e[2];
	cells[COL_NAME] = e[3];
	cells[COL_ROLE] = *e[4] && strcmp(e[4], "none") != 0 ? view_label(r, "role", e[4]) : "";
	cells[COL_ACTION] = action_label(r, e[7]);
	cells[COL_RECORD] = label;
	cells[COL_REASON] = event_images(r, a, e, &d, &n);
	buf_init(&b);
	for (long i = 0; i < n; i++)
		buf_printf(&b, "%s%s: %s → %s", i ? "\n" : "", d[i].label, d[i].before ? d[i].before : "",
		    d[i].after ? d[i].after : "");
	cells[COL_CHANGES] = arena_strdup(a, b.len ? b.p : "");
	buf_free(&b);
	cells[COL_REQUEST] = e[10];
	cells[COL_CLIENT] = e[11];
	cells[COL_PREV] = e[12];
	cells[COL_HASH] = e[13];
}

struct export_tx {
	struct req *r;
	const char *format, *filters;
	long rows;
	int cut;
};

static int
export_audit_tx(struct db *db, void *arg)
{
	struct export_tx *t = arg;
	struct audit_actor who = req_actor_as(t->r, TRAIL_READERS);
	struct json_object *after = json_object_new_object();
	int rc;

	json_object_object_add(after, "format", jstr(t->format));
	json_object_object_add(after, "filters", jstr(t->filters));
	json_object_object_add(after, "rows", json_object_new_int64(t->rows));
	json_object_object_add(after, "cut", json_object_new_boolean(t->cut));
	rc = audit_write(db, t->r->a, &who, "audit", "trail", "audit_export", NULL, after);
	json_object_put(after);
	return rc;
}

/* The sink of an export: a CSV buffer or a spreadsheet. */
struct sink {
	struct buf *csv;
	struct xlsx *x;
};

static void
sink_row(struct sink *s, const char *const *cells)
{
	if (s->x != NULL) {
		xlsx_row(s->x, cells);
		return;
	}
	for (int k = 0; k < NCOLS; k++) {
		if (k > 0)
			buf_putc(s->csv, ',');
		csv_field(s->csv, cells[k]);
	}
	buf_puts(s->csv, "\r\n");
}

/*
 * Every event the filters select, newest first, into the sink, a chunk at a time in a scratch
 * arena (constant memory besides the output), at most TRAIL_EXPORT_MAX rows and
 * TRAIL_EXPORT_WINDOWS windows; *cut when it stopped before the end.
 */
static int
export_rows(struct app *app, struct req *r, const struct trail_q *q, struct sink *s, long *rows, int *cut)
{
	struct arena *scratch = arena_new();
	uint64_t before, head, floor;
	int rc, windows = 0;

	*rows = 0;
	*cut = 0;
	if (q->empty)
		goto out;
	if ((rc = head_seq(app, scratch, &head)) != KESU_OK)
		goto err;
	before = q->before < head + 1 ? q->before : head + 1;
	while (before > q->floor + 1) {
		struct db_res res;
		long want = TRAIL_EXPORT_MAX - *rows < TRAIL_EXPORT_CHUNK ? TRAIL_EXPORT_MAX - *rows : TRAIL_EXPORT_CHUNK;

		floor = q->floor;
		if (q->has_residual && q->record == NULL && before > floor + TRAIL_WINDOW)
			floor = before - TRAIL_WINDOW;
		if ((rc = trail_fetch(app, scratch, q, before, floor, want + 1, &res)) != KESU_OK)
			goto err;
		for (size_t i = 0; i < res.nrows && (long)i < want; i++) {
			const char *cells[NCOLS];
			export_cells(app, r, scratch, res.rows[i], cells);
			sink_row(s, cells);
			(*rows)++;
		}
		if ((long)res.nrows > want) {
			if (*rows >= TRAIL_EXPORT_MAX) {
				*cut = 1;
				break;
			}
			before = strtoull(res.rows[want - 1][0], NULL, 10);
		} else if (floor > q->floor) {
			/* This window is done; the next one, unless the export has read enough of the chain. */
			if (++windows >= TRAIL_EXPORT_WINDOWS) {
				*cut = 1;
				break;
			}
			before = floor + 1;
		} else {
			break;
		}
		arena_reset(scratch);
	}
out:
	arena_free(scratch);
	return KESU_OK;
err:
	arena_free(scratch);
	return rc;
}

/* A bad filter on an export: the trail page with its messages (the form is there). */
static int
export_check(struct app *app, struct req *r, struct resp *rs, struct trail_q *q, int *answered)
{
	struct json_object *errors = json_object_new_object();
	int rc;

	*answered = 0;
	if ((rc = trail_parse(app, r, q, errors)) != KESU_OK) {
		json_object_put(errors);
		return rc;
	}
	if (json_object_object_length(errors) > 0) {
		json_object_put(errors);
		*answered = 1;
		return page_audit(app, r, rs);
	}
	json_object_put(errors);
	return KESU_OK;
}

static int
export_audit(struct app *app, struct req *r, const struct trail_q *q, const char *format, long rows, int cut)
{
	struct export_tx t = { r, format, filter_query(r->a, q), rows, cut };

	return db_tx(app->db, export_audit_tx, &t);
}

/* GET /audit.csv: the filtered trail as CSV (UTF-8 BOM, formula cells defused). */
int
page_audit_csv(struct app *app, struct req *r, struct resp *rs)
{
	struct trail_q q;
	struct sink s;
	long rows;
	int rc, cut, answered;

	if (!sess_has(r, TRAIL_READERS))
		return KESU_ENOTFOUND;
	if ((rc = export_check(app, r, rs, &q, &answered)) != KESU_OK || answered)
		return rc;
	rs->status = 200;
	rs->ctype = "text/csv; charset=utf-8";
	resp_header(rs, "Content-Disposition", "attachment; filename=\"kesu-audit-trail.csv\"");
	resp_header(rs, "Cache-Control", "no-store");
	buf_puts(&rs->body, "\xEF\xBB\xBF");
	for (int i = 0; i < NCOLS; i++) {
		if (i > 0)
			buf_putc(&rs->body, ',');
		csv_field(&rs->body, T(r, col_keys[i]));
	}
	buf_puts(&rs->body, "\r\n");
	s.csv = &rs->body;
	s.x = NULL;
	if ((rc = export_rows(app, r, &q, &s, &rows, &cut)) != KESU_OK)
		return rc;
	if (cut) {
		const char *cells[NCOLS] = { NULL };
		cells[COL_REASON] = T(r, "audit_export_cut");
		sink_row(&s, cells);
	}
	return export_audit(app, r, &q, "csv", rows, cut);
}

/* GET /audit.xlsx: the same rows as a spreadsheet. */
int
page_audit_xlsx(struct app *app, struct req *r, struct resp *rs)
{
	struct xlsx_col cols[NCOLS];
	struct trail_q q;
	struct sink s;
	unsigned char *data;
	size_t len;
	long rows;
	int rc, cut, answered;

	if (!sess_has(r, TRAIL_READERS))
		return KESU_ENOTFOUND;
	if ((rc = export_check(app, r, rs, &q, &answered)) != KESU_OK || answered)
		return rc;
	for (int i = 0; i < NCOLS; i++) {
		cols[i].title = T(r, col_keys[i]);
		cols[i].kind = i == COL_SEQ ? XLSX_INT : i == COL_UTC || i == COL_LOCAL ? XLSX_DATETIME : XLSX_TEXT;
		cols[i].width = i == COL_CHANGES ? 60 : i == COL_PREV || i == COL_HASH ? 66 : i == COL_SEQ ? 10 : 20;
	}
	if ((s.x = xlsx_new(conf_str(app->conf, "paths.tmp", "/tmp"), "audit", cols, NCOLS)) == NULL)
		return KESU_EINTERNAL;
	s.csv = NULL;
	if ((rc = export_rows(app, r, &q, &s, &rows, &cut)) != KESU_OK) {
		xlsx_finish(s.x, r->a, &data, &len);
		return rc;
	}
	if (cut) {
		const char *cells[NCOLS] = { NULL };
		cells[COL_REASON] = T(r, "audit_export_cut");
		sink_row(&s, cells);
	}
	if (xlsx_finish(s.x, r->a, &data, &len) != 0)
		return KESU_EINTERNAL;
	if ((rc = export_audit(app, r, &q, "xlsx", rows, cut)) != KESU_OK)
		return rc;
	resp_download(r, rs, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "kesu-audit-trail.xlsx", data, len);
	resp_header(rs, "Cache-Control", "no-store");
	return KESU_OK;
}
