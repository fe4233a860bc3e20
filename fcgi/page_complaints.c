/* page_complaints.c: register, list, filter and open complaints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "sess_cache.h"
#include "audit_views.h"
#include "handlers.h"
#include "valid.h"
#include "complaint.h"
#include "plan.h"
#include "i18n.h"
#include "lifecycle_gaps.h"
#include "workflow.h"
#include "audit.h"
#include "access.h"
#include "compose.h"
#include "view_as_of.h"
#include "step.h"
#include "view_next.h"
#include "dir.h"
#include "notify.h"
#include "whose.h"
#include "search.h"
#include "search_sync.h"
#include "stats_fold.h"
#include "list_sort.h"
#include "list_export.h"
#include "form_key.h"
#include "list_vis.h"
#include "res_cache.h"
#include "list_form.h"

#define PAGE_ROWS 50

/* ---- the list ---- */

/* A filter value if it is one of codes, else NULL (an unknown value filters nothing). */
static const char *
filter_enum(const struct req *r, const char *key, const char *const *codes)
{
	const char *v = req_query(r, key);

	for (; v != NULL && *v != '\0' && *codes != NULL; codes++)
		if (strcmp(v, *codes) == 0)
			return v;
	return NULL;
}

/* A department code filter: [a-z0-9_-], at most 32 characters, else NULL. */
static const char *
filter_code(const struct req *r, const char *key)
{
	const char *v = req_query(r, key);

	if (v == NULL || *v == '\0' || strlen(v) > 32 || v[strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-")] != '\0')
		return NULL;
	return v;
}

static const char *
filter_date(const struct app *app, const struct req *r, const char *key, int next_day)
{
	const char *v = req_query(r, key);
	const char *utc;
	char local[32];
	struct tm tm;
	time_t t;
	int y, m, d;

	if (v == NULL || strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1900)
		return NULL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	/* a day that does not exist (month 13, 30 February) filters nothing, as an unknown code */
	if (tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return NULL;
	t += next_day ? 86400 : 0;
	gmtime_r(&t, &tm);
	strftime(local, sizeof(local), "%Y-%m-%d 00:00", &tm);
	utc = view_utc_time(app, r->a, local);
	return utc;
}

/* q with LIKE's wildcards escaped, as a prefix pattern "q%". */
static const char *
like(struct arena *a, const char *q)
{
	struct buf b;
	char *out;

	buf_init(&b);
	for (; *q != '\0'; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *q);
	}
	buf_putc(&b, '%');
	out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}

/*
 * The column heads' links: each sorts by its column, the current one the other way round,
 * keeping the filters (link: "k=v&" pairs without sort and after). v.sort.COLUMN = { url,
 * aria: ascending/descending/none }.
 */
static void
sort_links(struct req *r, struct json_object *v, const struct list_sort *ord, const char *link)
{
	struct json_object *o = json_object_new_object();
	size_t keep = 0;

	/* link ends with "sort=...&" when a sort is in force: leave it out */
	for (const char *p = link; *p != '\0'; ) {
		size_t n = strcspn(p, "&");
		if (strncmp(p, "sort=", 5) != 0)
			keep = (size_t)(p - link) + n + (p[n] == '&');
		else
			break;
		p += n + (p[n] == '&');
	}
	json_object_object_add(v, "sort_name", json_object_new_string(list_sort_name(ord)));
	for (int i = 0; i < LC__MAX; i++) {
		struct json_object *c = json_object_new_object();
		struct list_sort next = { (enum list_col)i, i == LC_RECEIVED };   /* first click: newest, else A-Z */
		int cur = ord->col == (enum list_col)i;

		if (cur)
			next.desc = !ord->desc;
		json_object_object_add(c, "url", json_object_new_string(arena_printf(r->a, "/complaints?%.*ssort=%s",
		    (int)keep, link, list_sort_name(&next))));
		json_object_object_add(c, "aria", json_object_new_string(cur ? (ord->desc ? "descending" : "ascending")
		    : "none"));
		json_object_object_add(c, "mark", json_object_new_string(cur ? (ord->desc ? "▼" : "▲") : ""));
		json_object_object_add(o, list_col_names[i], c);
	}
	json_object_object_add(v, "sort", o);
}

/*
 * The list's rows into ex, batch after batch along the order's cursor, up to EXPORT_MAX_ROWS.
 * filter is the list's filter arguments in the order of LIST_FILTER. A search (match) newest
 * first takes every hit, Groonga's next FIND_EXPORT_BATCH at a time (export_found); in another
 * order its newest FIND_WINDOW hits (more: truncated). KESU_OK or the statement's error.
 */
struct list_filter_args {
	const char *v[17];        /* status .. repeat, as strings */
	int64_t sees_all, sees_quality;
	const char *uid, *department;
	const char *stats[18];    /* LIST_FILTER_STATS: department .. satisfaction, each twice */
};

#define LFA(f) (f)->v[0], (f)->v[1], (f)->v[2], (f)->v[3], (f)->v[4], (f)->v[5], (f)->v[6], (f)->v[7], \
	(f)->v[8], (f)->v[9], (f)->v[10], (f)->v[11], (f)->v[12], (f)->v[13], (f)->v[14], (f)->v[15], \
	(f)->v[16], (f)->sees_all, (f)->uid, (f)->sees_quality, (f)->department, (f)->uid, \
	(f)->stats[0], (f)->stats[1], (f)->stats[2], (f)->stats[3], (f)->stats[4], (f)->stats[5], \
	(f)->stats[6], (f)->stats[7], (f)->stats[8], (f)->stats[9], (f)->stats[10], (f)->stats[11], \
	(f)->stats[12], (f)->stats[13], (f)->stats[14], (f)->stats[15], (f)->stats[16], (f)->stats[17]
#define LF_BINDS "sssssssssssssssssisiss" LIST_FILTER_STATS_BINDS

/* A search exported newest first: every hit, in Groonga's order, those the reader may see and
 * the filters keep (a row whose id is NULL is a hit left out: only its sort_key is read). */
static int
export_found(struct app *app, struct req *r, struct list_export *ex, const char *match,
    const struct list_filter_args *f)
{
	int64_t from = 0;
	int first = 1;
	struct db_res res;
	int rc;

	for (;;) {
		arena_reset(ex->batch);
		rc = first
		    ? db_exec(app->db, ex->batch, STMT_FIND_EXPORT, &res, "si" LF_BINDS, match,
			(int64_t)FIND_EXPORT_BATCH, LFA(f))
		    : db_exec(app->db, ex->batch, STMT_FIND_EXPORT_FROM, &res, "sii" LF_BINDS, match,
			from, (int64_t)FIND_EXPORT_BATCH, LFA(f));
		if (rc != KESU_OK)
			return rc;
		for (size_t i = 0; i < res.nrows; i++) {
			if (res.rows[i][0] == NULL)
				continue;
			if (ex->n >= EXPORT_MAX_ROWS) {
				ex->truncated = 1;
				return KESU_OK;
			}
			list_export_row(app, r, ex, res.rows[i]);
		}
		if (res.nrows < FIND_EXPORT_BATCH || res.rows[res.nrows - 1][23] == NULL)
			return KESU_OK;
		from = strtoll(res.rows[res.nrows - 1][23], NULL, 10);
		first = 0;
	}
}

static int
export_rows(struct app *app, struct req *r, struct list_export *ex, const struct list_sort *ord,
    const char *match, const struct list_filter_args *f)
{
	const char *ck = NULL, *ca = NULL;
	uint64_t cid = 0;
	struct db_res res;
	int rc;

	if (match != NULL && list_sort_is_default(ord))
		return export_found(app, r, ex, match, f);
	for (;;) {
		arena_reset(ex->batch);
		if (match != NULL) {
			/* the newest FIND_WINDOW hits, in the list's order */
			int64_t w = FIND_WINDOW + 1, lim = EXPORT_BATCH;
			enum stmt st = list_sort_find_stmt(ord, ca != NULL);
			if (ca == NULL)
				rc = db_exec(app->db, ex->batch, st, &res, "si" LF_BINDS "i", match, w, LFA(f), lim);
			else if (ord->col == LC_RECEIVED)
				rc = db_exec(app->db, ex->batch, st, &res, "si" LF_BINDS "ssu" "i", match, w, LFA(f),
				    ca, ca, cid, lim);
			else if (ord->col == LC_NUMBER)
				rc = db_exec(app->db, ex->batch, st, &res, "si" LF_BINDS "ssu" "i", match, w, LFA(f),
				    ck, ck, cid, lim);
			else
				rc = db_exec(app->db, ex->batch, st, &res, "si" LF_BINDS "ssssu" "i", match, w, LFA(f),
				    ck, ck, ca, ca, cid, lim);
			if (rc == KESU_OK && res.nrows > 0 && res.rows[0][23] != NULL &&
			    atoll(res.rows[0][23]) > FIND_WINDOW)
				ex->truncated = 1;   /* older hits are not in this order */
		} else if (ca == NULL)
			rc = db_exec(app->db, ex->batch, list_sort_export_stmt(ord, 0), &res,
			    LF_BINDS, LFA(f));
		else if (ord->col == LC_RECEIVED)
			rc = db_exec(app->db, ex->batch, list_sort_export_stmt(ord, 1), &res,
			    LF_BINDS "ssu", LFA(f), ca, ca, cid);
		else if (ord->col == LC_NUMBER)
			rc = db_exec(app->db, ex->batch, list_sort_export_stmt(ord, 1), &res,
			    LF_BINDS "ssu", LFA(f), ck, ck, cid);
		else
			rc = db_exec(app->db, ex->batch, list_sort_export_stmt(ord, 1), &res,
			    LF_BINDS "ssssu", LFA(f), ck, ck, ca, ca, cid);
		if (rc != KESU_OK)
			return rc;
		for (size_t i = 0; i < res.nrows && ex->n < export_max_rows(ex->kind); i++)
			list_export_row(app, r, ex, res.rows[i]);
		if (res.nrows < EXPORT_BATCH)
			return KESU_OK;
		if (ex->n >= export_max_rows(ex->kind)) {
			ex->truncated = 1;
			return KESU_OK;
		}
		/* the cursor outlives the batch: a few bytes in the request's arena per 1,000 rows */
		{
			char **last = res.rows[res.nrows - 1];
			const char *key = last[list_col_row_index[ord->col]];
			ck = arena_strdup(r->a, key != NULL ? key : "");
			ca = arena_strdup(r->a, last[3]);
			cid = strtoull(last[0], NULL, 10);
		}
	}
}

/*
 * One page of a search: the newest w candidates (STMT_FIND_BY_*: w, not w - 1, so that "more
 * than w - 1" shows), in order ord after the cursor when after, filtered as the list; when
 * recent (newest first only), from the newest month's copy (STMT_FIND_RECENT*). f: the list's
 * filter arguments.
 */
static int
find_page(struct app *app, struct req *r, const struct list_sort *ord, const char *match, int64_t w,
    int recent, int after, const char *ck, const char *ca, uint64_t cid, const struct list_filter_args *f,
    struct db_res *res)
{
	enum stmt st = recent ? (after ? STMT_FIND_RECENT_AFTER : STMT_FIND_RECENT) : list_sort_find_stmt(ord, after);
	int64_t lim = PAGE_ROWS + 1;

	if (!after)
		return db_exec(app->db, r->a, st, res, "si" LF_BINDS "i", match, w, LFA(f), lim);
	if (ord->col == LC_RECEIVED)
		return db_exec(app->db, r->a, st, res, "si" LF_BINDS "ssu" "i", match, w, LFA(f), ca, ca, cid, lim);
	if (ord->col == LC_NUMBER)
		return db_exec(app->db, r->a, st, res, "si" LF_BINDS "ssu" "i", match, w, LFA(f), ck, ck, cid, lim);
	return db_exec(app->db, r->a, st, res, "si" LF_BINDS "ssssu" "i", match, w, LFA(f), ck, ck, ca, ca, cid, lim);
}

static int list_answer(struct app *app, struct req *r, struct resp *rs, enum export_kind export);

/* view_label() remembered for one page: fifty rows repeat a few codes of each field. */
#define LABEL_MEMO 12
struct label_memo {
	const char *field;
	int n;
	const char *code[LABEL_MEMO];   /* the rows' own cells: they live as long as the request */
	const char *text[LABEL_MEMO];
};

static const char *
memo_label(const struct req *r, struct label_memo *m, const char *code)
{
	const char *text;
	int i;

	if (code == NULL)
		return view_label(r, m->field, NULL);
	for (i = 0; i < m->n; i++)
		if (strcmp(m->code[i], code) == 0)
			return m->text[i];
	text = view_label(r, m->field, code);
	if (m->n < LABEL_MEMO) {
		m->code[m->n] = code;
		m->text[m->n++] = text;
	}
	return text;
}

/* "/complaints/<number>" in arena a (by hand: fifty a page, and printf's format parsing was
 * most of it). */
static const char *
complaint_url(struct arena *a, const char *number)
{
	static const char prefix[] = "/complaints/";
	size_t n = number != NULL ? strlen(number) : 0;
	char *p = arena_alloc(a, sizeof(prefix) + n);

	memcpy(p, prefix, sizeof(prefix) - 1);
	memcpy(p + sizeof(prefix) - 1, number != NULL ? number : "", n + 1);
	return p;
}
/* A list row's cells (the row source "complaints"), in the order of its JSON twin's keys. */
enum list_row { LR_NUMBER, LR_URL, LR_STATUS, LR_STATUS_LABEL, LR_RECEIVED_AT, LR_CHANNEL,
	LR_CHANNEL_LABEL, LR_CUSTOMER_NAME, LR_CUSTOMER_COMPANY, LR_CUSTOMER_PHONE, LR_CATEGORY,
	LR_CATEGORY_LABEL, LR_SEVERITY, LR_SEVERITY_LABEL, LR_CUSTOMER_VIP, LR_OWNER_NAME, LR_OVERDUE,
	LR_REPEAT, LR_REPEAT_REASON, LR_REPEAT_LABEL, LIST_NCOLS };
static const struct tmpl_col list_cols[LIST_NCOLS] = {
	[LR_NUMBER] = { "number", TMPL_TEXT }, [LR_URL] = { "url", TMPL_TEXT },
	[LR_STATUS] = { "status", TMPL_TEXT }, [LR_STATUS_LABEL] = { "status_label", TMPL_TEXT },
	[LR_RECEIVED_AT] = { "received_at", TMPL_TEXT }, [LR_CHANNEL] = { "channel", TMPL_TEXT },
	[LR_CHANNEL_LABEL] = { "channel_label", TMPL_TEXT },
	[LR_CUSTOMER_NAME] = { "customer_name", TMPL_TEXT },
	[LR_CUSTOMER_COMPANY] = { "customer_company", TMPL_TEXT },
	[LR_CUSTOMER_PHONE] = { "customer_phone", TMPL_TEXT }, [LR_CATEGORY] = { "category", TMPL_TEXT },
	[LR_CATEGORY_LABEL] = { "category_label", TMPL_TEXT },
	[LR_SEVERITY] = { "severity", TMPL_NUMBER }, [LR_SEVERITY_LABEL] = { "severity_label", TMPL_TEXT },
	[LR_CUSTOMER_VIP] = { "customer_vip", TMPL_BOOL }, [LR_OWNER_NAME] = { "owner_name", TMPL_TEXT },
	[LR_OVERDUE] = { "overdue", TMPL_BOOL }, [LR_REPEAT] = { "repeat", TMPL_BOOL },
	[LR_REPEAT_REASON] = { "repeat_reason", TMPL_TEXT },
	[LR_REPEAT_LABEL] = { "repeat_label", TMPL_TEXT },
};
/* STMT_PAGES_LIST_*: the list's 15 columns (LIST_COLS), then the session's proof (age, chain
 * head) and the bounded count. */
#define LIST_PROOF_AGE 15
#define LIST_PAGE_COUNT (LIST_PROOF_AGE + SESS_PROOF_NCOLS)   /* STMT_PAGES_LIST_*: the bounded count */
/* This worker has counted more than 1,000 complaints: complaints are never deleted (closed,
 * withdrawn or superseded: nothing is deleted), so it stays true for every later request. */
static int over_1000;

/*
 * The first page without filters (first_plain): rows, count and the session's proof in one
 * statement, or this worker's copy of them while the stamp it was read at stands (res_cache.h:
 * any audited change, and any change of a complaint, its facts or its readers by whatever
 * path, moves it). For a reader who sees every complaint the rows are the same for all of
 * them; for any other, the reader's (uid, department, whether they see product quality), with
 * list_vis.c's "own" as the tag. The copy keeps the statement's proof columns: at the same
 * stamp, its head column is this request's too (list_vis_first_count reads it).
 */
static int
first_page(struct app *app, struct req *r, const struct list_vis_args *va, struct db_res *res, int *vis_own)
{
	int all = sess_has(r, SEES_ALL), rc;
	const char *vals[] = { all ? "all" : r->sess->uid, all ? "" : r->sess->department,
	    !all && va->sees_quality ? "q" : "", all && over_1000 ? "many" : "" };
	const char *key = res_cache_key(r->a, "list", vals, sizeof(vals) / sizeof(vals[0]));
	struct res_stamp at;
	int hit;

	if ((rc = sess_cache_kept(app, r, key, res, vis_own, &hit)) != KESU_OK || hit)
		return rc;
	if (all)
		rc = db_exec(app->db, r->a, over_1000 ? STMT_PAGES_LIST_MANY : STMT_PAGES_LIST_ALL, res,
		    "si", r->sess->token_hash, (int64_t)app->sess_idle);
	else
		rc = list_vis_first(app->db, r->a, r->sess->token_hash, (int64_t)app->sess_idle, va, res, vis_own);
	if (rc != KESU_OK)
		return rc;
	/* Kept at the head its own statement read (an empty page has no proof: not kept). */
	at = proof_stamp(res->nrows > 0 ? res->rows[0] + LIST_PROOF_AGE : NULL);
	if (r->sess->unproven &&
	    (rc = sess_cache_prove(app, r, res->nrows > 0 ? res->rows[0] + LIST_PROOF_AGE : NULL)) != KESU_OK)
		return rc;
	res_cache_put(key, at, res, *vis_own);
	return KESU_OK;
}

int
page_complaint_list(struct app *app, struct req *r, struct resp *rs)
{
	return list_answer(app, r, rs, EXPORT_NONE);
}

/* /complaints.xlsx: what the list with the same query shows, as a spreadsheet. */
int
page_complaint_xlsx(struct app *app, struct req *r, struct resp *rs)
{
	return list_answer(app, r, rs, EXPORT_XLSX);
}

/* /complaints.csv: the same as CSV (UTF-8 with a BOM, formula cells defused). */
int
page_complaint_csv(struct app *app, struct req *r, struct resp *rs)
{
	return list_answer(app, r, rs, EXPORT_CSV);
}

/*
 * The filter form's values (view "filters"): sel is status, category, severity, channel, from,
 * to, q as shown (NULL: nothing selected, ""), repeat whether ticked, sf the statistics'
 * drill-down filters (LIST_FILTER_STATS order).
 */
static struct json_object *
list_filters(struct app *app, struct req *r, const struct db_res *deps, const char *const sel[7], int repeat,
    const char *const sf[9])
{
	static const char *const on_time_codes[] = { "on_time", "late", NULL };
	static const char *const satisfaction_scores[] = { "1", "2", "3", "4", "5", NULL };
	struct json_object *filters = json_object_new_object(), *depa = json_object_new_array();
	size_t i;

	(void)app;
	json_object_object_add(filters, "status", view_options(r, "status", complaint_statuses, sel[0]));
	json_object_object_add(filters, "category", view_options(r, "category", complaint_categories, sel[1]));
	json_object_object_add(filters, "severity", view_options(r, "severity", complaint_severities, sel[2]));
	json_object_object_add(filters, "channel", view_options(r, "channel", complaint_channels, sel[3]));
	json_object_object_add(filters, "from", jstr(sel[4]));
	json_object_object_add(filters, "to", jstr(sel[5]));
	json_object_object_add(filters, "q", jstr(sel[6]));
	json_object_object_add(filters, "repeat", json_object_new_boolean(repeat));
	/* The statistics' drill-down filters (docs/statistics.md), shown in the form so that a
	 * person who followed a link from /stats sees them and can change or clear them. */
	for (i = 0; i < deps->nrows; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "code", jstr(deps->rows[i][0]));
		json_object_object_add(o, "label", jstr(deps->rows[i][r->lang == LANG_ZH ? 1 : 2]));
		json_object_object_add(o, "selected", json_object_new_boolean(sf[0] != NULL &&
		    strcmp(sf[0], deps->rows[i][0]) == 0));
		json_object_array_add(depa, o);
	}
	json_object_object_add(filters, "department", depa);
	json_object_object_add(filters, "customer_type", view_options(r, "customer_type", complaint_customer_types, sf[1]));
	json_object_object_add(filters, "responsibility", view_options(r, "responsibility", responsibilities, sf[2]));
	json_object_object_add(filters, "remedy", view_options(r, "remedy", remedy_kinds, sf[3]));
	json_object_object_add(filters, "response", view_options(r, "list_response", on_time_codes, sf[4]));
	json_object_object_add(filters, "resolution", view_options(r, "list_resolution", on_time_codes, sf[5]));
	json_object_object_add(filters, "closed_from", jstr(sf[6] ? req_query(r, "closed_from") : ""));
	json_object_object_add(filters, "closed_to", jstr(sf[7] ? req_query(r, "closed_to") : ""));
	json_object_object_add(filters, "satisfaction", view_options(r, "satisfaction", satisfaction_scores, sf[8]));
	return filters;
}

/* The view complaint_list_filters is rendered over when nothing is filtered (list_form.h). */
static struct json_object *
list_filters_view(struct app *app, struct req *r, const struct db_res *deps)
{
	static const char *const none[9];
	static const char *const empty[7] = { NULL, NULL, NULL, NULL, "", "", "" };
	struct json_object *v = json_object_new_object();

	json_object_object_add(v, "filters", list_filters(app, r, deps, empty, 0, none));
	json_object_object_add(v, "drill_applied", json_object_new_boolean(0));
	return v;
}

/* The bulk form's values (view "bulk"; complaint_list_bulk renders its fields). */
static struct json_object *
list_bulk(struct app *app, struct req *r, const struct db_res *deps)
{
	struct json_object *bulk = json_object_new_object(), *depa = json_object_new_array();

	(void)app;
	for (size_t i = 0; i < deps->nrows; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "code", jstr(deps->rows[i][0]));
		json_object_object_add(o, "name", jstr(deps->rows[i][r->lang == LANG_ZH ? 1 : 2]));
		json_object_array_add(depa, o);
	}
	json_object_object_add(bulk, "departments", depa);
	json_object_object_add(bulk, "severity", view_options(r, "severity", complaint_severities, NULL));
	return bulk;
}

static int
list_answer(struct app *app, struct req *r, struct resp *rs, enum export_kind export)
{
	const char *status, *category, *severity, *channel, *from, *to, *q, *cursor_at = NULL;
	const char *qn = NULL, *repeat, *match = NULL, *cursor_key = NULL;
	const char *sf[9];   /* the statistics' drill-down filters (LIST_FILTER_STATS), NULL: any */
	static const char *const on_time[] = { "on_time", "late", NULL };
	static const char *const satisfaction_scores[] = { "1", "2", "3", "4", "5", NULL };
	char now[32];
	int too_broad = 0, too_long = 0, bad_sort, bad_cursor, after = 0, windowed = 0, status_code = 200;
	int drill = 0;   /* any of the statistics' drill-down filters (sf) given */
	int first_plain;   /* STMT_PAGES_LIST_*: rows, count and session proof in one statement */
	int search_behind = 0;   /* this database node's search text not yet complete (search_sync.h) */
	long long cand = -1;
	struct list_sort ord;
	struct list_filter_args fa;
	struct list_vis_args va;
	int vis_own = 0;   /* list_vis.h: the page read was the reader's own, all they see */
	uint64_t cursor_id = 0;
	struct db_res res;
	struct json_object *v, *form, *count = NULL;
	struct db_res deps;
	const char *q_shown;
	struct tmpl_rows rows;
	struct label_memo memo[5] = { { NULL, 0, { NULL }, { NULL } } };
	const char **cells;
	struct buf link;
	int rc;
	size_t i, shown;

	status = filter_enum(r, "status", complaint_statuses);
	category = filter_enum(r, "category", complaint_categories);
	severity = filter_enum(r, "severity", complaint_severities);
	channel = filter_enum(r, "channel", complaint_channels);
	from = filter_date(app, r, "from", 0);
	to = filter_date(app, r, "to", 1);
	repeat = req_query(r, "repeat") != NULL && strcmp(req_query(r, "repeat"), "1") == 0 ? "1" : NULL;
	sf[0] = filter_code(r, "department");
	sf[1] = filter_enum(r, "customer_type", complaint_customer_types);
	sf[2] = filter_enum(r, "responsibility", responsibilities);
	sf[3] = filter_enum(r, "remedy", remedy_kinds);
	sf[4] = filter_enum(r, "response", on_time);
	sf[5] = filter_enum(r, "resolution", on_time);
	sf[6] = filter_date(app, r, "closed_from", 0);
	sf[7] = filter_date(app, r, "closed_to", 1);
	sf[8] = filter_enum(r, "satisfaction", satisfaction_scores);
	for (size_t k = 0; k < sizeof(sf) / sizeof(sf[0]); k++)
		drill = drill || sf[k] != NULL;
	q = req_query(r, "q");
	if (q != NULL && search_too_long(q)) {
		too_long = 1;   /* said on the page; nothing is looked for */
		q = NULL;
	}
	if (q != NULL && *q == '\0')
		q = NULL;
	/* Any word anywhere in the text, from the full-text index (issue 9); the prefix
	 * match only for a search with no word in it (quotes alone). */
	if (q != NULL && (match = search_boolean(r->a, q)) != NULL)
		q = NULL;
	/* The node's search tables up to the replicated journal first (issue 11, search_sync.h);
	 * still behind after its bounded share: the page says the search may miss complaints. */
	if (match != NULL)
		(void)search_catch_up(app->db, r->a, SEARCH_SYNC_BATCH, SEARCH_SYNC_REQUEST_BATCHES, NULL,
		    &search_behind);
	if (q != NULL)
		qn = like(r->a, q);
	/* sort=column or -column, a search as the list. */
	bad_sort = !list_sort_parse(req_query(r, "sort"), &ord);
	/* The first page without filters, newest first (what people open all day): one statement
	 * with its count and the proof of a cached session (sess_cache.h). Any other list reads
	 * the session first. */
	first_plain = export == EXPORT_NONE && !bad_sort && !too_long && list_sort_is_default(&ord) &&
	    (req_query(r, "after") == NULL || *req_query(r, "after") == '\0') && !status && !category &&
	    !severity && !channel && !from && !to && !q && !match && !repeat && !drill;
	if (!first_plain && (rc = sess_cache_need(app, r)) != KESU_OK)
		return rc;

	fa = (struct list_filter_args){ { status, status, category, category, severity, severity, channel,
		channel, from, from, to, to, q, qn, qn, qn, repeat }, sess_has(r, SEES_ALL),
		sess_has(r, SEES_QUALITY), r->sess->uid, r->sess->department, { sf[0], sf[0], sf[1], sf[1],
		sf[2], sf[2], sf[3], sf[3], sf[4], sf[4], sf[5], sf[5], sf[6], sf[6], sf[7], sf[7],
		sf[8], sf[8] } };
	/* A reader who does not see all reads the list through list_vis.c's union (issue 10). */
	va = (struct list_vis_args){ fa.v, fa.stats, fa.uid, fa.department, fa.sees_quality };
	if (export != EXPORT_NONE) {
		struct list_export ex;

		if (too_long || bad_sort) {
			step_error(r, too_long ? "q" : "sort", too_long ? "search_too_long" : "sort_unknown");
			return KESU_EINPUT;
		}
		if ((rc = list_export_open(app, r, rs, &ex, export)) != KESU_OK)
			return rc;
		if ((rc = export_rows(app, r, &ex, &ord, match, &fa)) != KESU_OK) {
			list_export_abort(&ex);
			return rc;
		}
		return list_export_finish(app, r, rs, &ex);
	}
	/* A cursor that does not fit this order (another sort's, or garbled): said beside the
	 * filters, and the first page is shown. */
	after = list_cursor_parse(r->a, &ord, req_query(r, "after"), &cursor_key, &cursor_at, &cursor_id);
	bad_cursor = !after && req_query(r, "after") != NULL && *req_query(r, "after") != '\0';
	memset(&res, 0, sizeof(res));
	if (too_long) {
		rc = KESU_OK;
	} else if (match != NULL) {
		/* A search: its newest candidates in the list's order (search.h, FIND_WINDOW). */
		int plain = list_sort_is_default(&ord) && sess_has(r, SEES_ALL) && status == NULL &&
		    category == NULL && severity == NULL && channel == NULL && from == NULL && to == NULL &&
		    repeat == NULL && !drill;
		int64_t w = (plain ? FIND_WINDOW_PLAIN : FIND_WINDOW) + 1;
		int recent = plain;

		for (;;) {
			rc = find_page(app, r, &ord, match, w, recent, after, cursor_key, cursor_at, cursor_id, &fa, &res);
			if (rc != KESU_OK)
				break;
			cand = res.nrows > 0 && res.rows[0][23] != NULL ? atoll(res.rows[0][23]) : -1;
			/* the newest month holds fewer hits than the window, or this page ran out of
			 * them: the whole index, same window */
			if (recent && (cand < w || res.nrows <= PAGE_ROWS)) {
				recent = 0;
				continue;
			}
			/* a page that ran out of the plain window (or found nothing in it after a
			 * cursor, so its candidates are unknown): the larger window, once */
			if (w <= FIND_WINDOW && res.nrows <= PAGE_ROWS && (cand >= w || (after && res.nrows == 0))) {
				w = FIND_WINDOW + 1;
				plain = 0;
				continue;
			}
			break;
		}
		/* Older hits exist that this page does not reach: every other order sorts only the
		 * window; newest first runs out of it. The page says so. */
		if (rc == KESU_OK && (cand >= w || (after && res.nrows == 0)) &&
		    (res.nrows <= PAGE_ROWS || !list_sort_is_default(&ord)))
			windowed = 1;
		if (rc == KESU_OK) {
			/* How many: exact up to 1,000, then "more than 1,000", over every hit. */
			long n = -1;
			int more = 0;
			if (plain && cand >= 0) {
				n = cand;
			} else {
				struct db_res cnt;
				int crc = db_exec(app->db, r->a, STMT_FIND_COUNT, &cnt, "s" LF_BINDS, match, LFA(&fa));
				if (crc == KESU_OK && cnt.nrows == 1 && cnt.rows[0][0] != NULL)
					n = atol(cnt.rows[0][0]);
				else if (crc != KESU_OK && !(crc == KESU_EDB && db_errno(app->db) == 1969))
					return crc;
			}
			if (n >= 0) {
				more = n > 1000;
				count = json_object_new_object();
				json_object_object_add(count, "n", json_object_new_int64(more ? 1000 : n));
				json_object_object_add(count, "more", json_object_new_boolean(more));
			}
		}
	} else {
		if (first_plain)
			rc = first_page(app, r, &va, &res, &vis_own);
		else if (!sess_has(r, SEES_ALL) && list_sort_is_default(&ord))
			rc = list_vis_page(app->db, r->a, &va, after, cursor_at, cursor_id, &res, &vis_own);
		else if (!after)
			rc = db_exec(app->db, r->a, list_sort_stmt(&ord, 0), &res, LF_BINDS, LFA(&fa));
		else if (ord.col == LC_RECEIVED)
			rc = db_exec(app->db, r->a, list_sort_stmt(&ord, 1), &res, LF_BINDS "ssu",
			    LFA(&fa), cursor_at, cursor_at, cursor_id);
		else if (ord.col == LC_NUMBER)
			rc = db_exec(app->db, r->a, list_sort_stmt(&ord, 1), &res, LF_BINDS "ssu",
			    LFA(&fa), cursor_key, cursor_key, cursor_id);
		else
			rc = db_exec(app->db, r->a, list_sort_stmt(&ord, 1), &res, LF_BINDS "ssssu",
			    LFA(&fa), cursor_key, cursor_key, cursor_at, cursor_at, cursor_id);
		/* A cached session: alive, as the statement saw it (no row: read again). */
		if (rc == KESU_OK && first_plain && r->sess->unproven &&
		    (rc = sess_cache_prove(app, r, res.nrows > 0 ? res.rows[0] + LIST_PROOF_AGE : NULL)) !=
		    KESU_OK)
			return rc;
		if (rc == KESU_OK) {
			/* How many: exact up to 1,000, then "more than 1,000" (a bounded count). A first
			 * page that is not full is the whole list; without filters one index is enough
			 * (STMT_LIST_COUNT_ALL, _OWNER). */
			struct db_res cnt;
			int crc = KESU_OK, unfiltered = !status && !category && !severity && !channel &&
			    !from && !to && !q && !repeat && !drill;
			char *whole[2] = { NULL, NULL }, n_shown[24];
			char **whole_row[1] = { whole };
			long vis_n;

			memset(&cnt, 0, sizeof(cnt));
			if (!after && res.nrows <= PAGE_ROWS) {
				snprintf(n_shown, sizeof(n_shown), "%zu", res.nrows);
				whole[0] = n_shown;
				cnt.rows = whole_row;
				cnt.nrows = 1;
			} else if (first_plain && sess_has(r, SEES_ALL) && (over_1000 ||
			    (res.rows[0][LIST_PAGE_COUNT] != NULL && atol(res.rows[0][LIST_PAGE_COUNT]) > 1000))) {
				/* more than 1,000 complaints: true from now on in this worker */
				over_1000 = 1;
				snprintf(n_shown, sizeof(n_shown), "1001");
				whole[0] = n_shown;
				cnt.rows = whole_row;
				cnt.nrows = 1;
			} else if (first_plain && !sess_has(r, SEES_ALL)) {
				/* kept by this worker while the chain head stands still (list_vis.h) */
				if ((crc = list_vis_first_count(app->db, r->a, &va, vis_own,
				    res.rows[0][LIST_PROOF_AGE + 1], &vis_n)) == KESU_OK) {
					snprintf(n_shown, sizeof(n_shown), "%ld", vis_n);
					whole[0] = n_shown;
					cnt.rows = whole_row;
					cnt.nrows = 1;
				}
			} else if (first_plain && res.rows[0][LIST_PAGE_COUNT] != NULL &&
			    (sess_has(r, SEES_ALL) || atol(res.rows[0][LIST_PAGE_COUNT]) > 1000)) {
				/* counted by the page's statement (every complaint, or the reader's own) */
				whole[0] = res.rows[0][LIST_PAGE_COUNT];
				cnt.rows = whole_row;
				cnt.nrows = 1;
			} else if (unfiltered && sess_has(r, SEES_ALL)) {
				crc = db_exec(app->db, r->a, STMT_LIST_COUNT_ALL, &cnt, "");
			} else if (!sess_has(r, SEES_ALL)) {
				crc = list_vis_count(app->db, r->a, &va, vis_own, &cnt);   /* 1,001 a branch */
			} else {
				crc = db_exec(app->db, r->a, STMT_LIST_COUNT, &cnt, LF_BINDS, LFA(&fa));
			}
			if (crc == KESU_OK && cnt.nrows == 1 && cnt.rows[0][0] != NULL) {
				long n = atol(cnt.rows[0][0]);
				count = json_object_new_object();
				json_object_object_add(count, "n", json_object_new_int64(n > 1000 ? 1000 : n));
				json_object_object_add(count, "more", json_object_new_boolean(n > 1000));
			} else if (crc != KESU_OK && !(crc == KESU_EDB && db_errno(app->db) == 1969)) {
				return crc;
			}
		}
	}
	if (rc == KESU_EDB && db_errno(app->db) == 1969) {
		/* max_statement_time: the filters match too much to sort in time. */
		too_broad = 1;
		memset(&res, 0, sizeof(res));
	} else if (rc != KESU_OK) {
		return rc;
	}

	v = view_new(app, r);
	shown = res.nrows > PAGE_ROWS ? PAGE_ROWS : res.nrows;
	utc_now(now);
	/* The rows as text cells the template walks (tmpl.h, a row source): no json-c object per
	 * cell, which was half the page's instructions; json-c only for the JSON twin. */
	cells = arena_alloc(r->a, (shown > 0 ? shown : 1) * LIST_NCOLS * sizeof(*cells));
	memo[0].field = "status";
	memo[1].field = "channel";
	memo[2].field = "category";
	memo[3].field = "severity";
	memo[4].field = "repeat";
	for (i = 0; i < shown; i++) {
		char **c = res.rows[i];
		const char **o = cells + i * LIST_NCOLS;
		int repeated = c[14] != NULL && *c[14] != '\0';
		o[LR_NUMBER] = c[1] ? c[1] : "";
		o[LR_URL] = complaint_url(r->a, c[1]);
		o[LR_STATUS] = c[2] ? c[2] : "";
		o[LR_STATUS_LABEL] = memo_label(r, &memo[0], c[2]);
		o[LR_RECEIVED_AT] = c[3] ? view_local_time(app, r->a, c[3]) : "";
		o[LR_CHANNEL] = c[4] ? c[4] : "";
		o[LR_CHANNEL_LABEL] = memo_label(r, &memo[1], c[4]);
		o[LR_CUSTOMER_NAME] = c[5] ? c[5] : "";
		o[LR_CUSTOMER_COMPANY] = c[6] ? c[6] : "";
		o[LR_CUSTOMER_PHONE] = complaint_mask_phone(r->a, c[7]);
		o[LR_CATEGORY] = c[8] ? c[8] : "";
		o[LR_CATEGORY_LABEL] = memo_label(r, &memo[2], c[8]);
		o[LR_SEVERITY] = c[9] ? c[9] : "0";
		o[LR_SEVERITY_LABEL] = memo_label(r, &memo[3], c[9]);
		o[LR_CUSTOMER_VIP] = c[10] != NULL && atoi(c[10]) ? "1" : NULL;
		o[LR_OWNER_NAME] = c[11] ? c[11] : "";
		o[LR_OVERDUE] = complaint_overdue(c[2], c[12], c[13], now) ? "1" : NULL;
		o[LR_REPEAT] = repeated ? "1" : NULL;
		o[LR_REPEAT_REASON] = c[14] ? c[14] : "";
		o[LR_REPEAT_LABEL] = repeated ? memo_label(r, &memo[4], c[14]) : NULL;
	}
	rows = (struct tmpl_rows){ "complaints", list_cols, LIST_NCOLS, shown, cells };
	/* The JSON twin as before: the same keys in the same order. */
	if (r->want_json)
		json_object_object_add(v, "complaints", tmpl_rows_json(&rows));
	json_object_object_add(v, "empty", json_object_new_boolean(shown == 0 && !too_broad && !too_long));
	json_object_object_add(v, "search_too_long", json_object_new_boolean(too_long));
	json_object_object_add(v, "count", count);
	if (bad_sort) {
		json_object_object_add(v, "sort_unknown", json_object_new_boolean(1));
		json_object_object_add(v, "error", json_object_new_string("sort_unknown"));
		status_code = 400;
	} else if (bad_cursor) {
		json_object_object_add(v, "cursor_unknown", json_object_new_boolean(1));
		json_object_object_add(v, "error", json_object_new_string("cursor_unknown"));
		status_code = 400;
	}
	if (windowed)
		json_object_object_add(v, "find_window", json_object_new_int(FIND_WINDOW));
	if (search_behind)
		json_object_object_add(v, "search_behind", json_object_new_boolean(1));
	if (too_long)
		json_object_object_add(v, "search_max_chars", json_object_new_int(SEARCH_MAX_CHARS));
	json_object_object_add(v, "too_broad", json_object_new_boolean(too_broad));

	/* Links keep the filters; "next" continues after the last row shown. */
	buf_init(&link);
	{
		static const char *const keys[] = { "status", "category", "severity", "channel", "from", "to", "q",
			"repeat", "department", "customer_type", "responsibility", "remedy", "response", "resolution",
			"closed_from", "closed_to", "satisfaction", "sort" };
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			const char *val = req_query(r, keys[i]);
			if (strcmp(keys[i], "sort") == 0)   /* only a sort that was understood */
				val = list_sort_is_default(&ord) ? NULL : list_sort_name(&ord);
			if (val != NULL && *val != '\0' && strlen(val) <= SEARCH_MAX_BYTES) {
				buf_puts(&link, keys[i]);
				buf_putc(&link, '=');
				buf_url_encode(&link, val);
				buf_putc(&link, '&');
			}
		}
	}
	if (res.nrows > PAGE_ROWS) {
		char **last = res.rows[PAGE_ROWS - 1];
		char *cur = list_cursor_make(r->a, &ord, last[list_col_row_index[ord.col]], last[3], last[0]);
		if (cur != NULL) {
			json_object_object_add(v, "next_cursor", json_object_new_string(cur));
			json_object_object_add(v, "next_url", json_object_new_string(
			    arena_printf(r->a, "/complaints?%safter=%s", link.p ? link.p : "", cur)));
		}
	} else {
		json_object_object_add(v, "next_cursor", NULL);
	}
	if (cursor_at != NULL)
		json_object_object_add(v, "first_url", json_object_new_string(
		    arena_printf(r->a, "/complaints%s%.*s", link.len ? "?" : "",
		    (int)(link.len ? link.len - 1 : 0), link.p ? link.p : "")));
	sort_links(r, v, &ord, link.p ? link.p : "");
	{
		struct buf qe;
		buf_init(&qe);
		buf_url_encode(&qe, link.len ? arena_strndup(r->a, link.p, link.len - 1) : "");
		json_object_object_add(v, "save_search_url", json_object_new_string(arena_printf(r->a,
		    "/searches?query=%.*s", (int)qe.len, qe.p ? qe.p : "")));
		buf_free(&qe);
	}
	json_object_object_add(v, "export_xlsx_url", json_object_new_string(arena_printf(r->a, "/complaints.xlsx%s%.*s",
	    link.len ? "?" : "", (int)(link.len ? link.len - 1 : 0), link.p ? link.p : "")));
	json_object_object_add(v, "export_csv_url", json_object_new_string(arena_printf(r->a, "/complaints.csv%s%.*s",
	    link.len ? "?" : "", (int)(link.len ? link.len - 1 : 0), link.p ? link.p : "")));
	buf_free(&link);

	/* The departments (filters and bulk form), once per request. */
	if (view_departments(app, r->a, &deps) != KESU_OK)
		memset(&deps, 0, sizeof(deps));
	/* Nothing filtered and a page (not its JSON twin): the filter form is the same on every
	 * such request, rendered once per worker (list_form.h). */
	q_shown = too_long ? "" : req_query(r, "q");
	if (!r->want_json && !status && !category && !severity && !channel && !from && !to && !repeat &&
	    !drill && (q_shown == NULL || *q_shown == '\0') &&
	    (form = list_form_html(app, r, LIST_FORM_FILTERS, &deps, list_filters_view)) != NULL) {
		json_object_object_add(v, "filters_html", form);
		json_object_object_add(v, "drill_applied", json_object_new_boolean(0));
	} else {
		const char *const sel[] = { status, category, severity, channel, from ? req_query(r, "from") : "",
			to ? req_query(r, "to") : "", q_shown };
		json_object_object_add(v, "drill_applied", json_object_new_boolean(drill));
		json_object_object_add(v, "filters", list_filters(app, r, &deps, sel, repeat != NULL, sf));
	}
	/* The supervisor's bulk triage and assignment of the rows ticked (issue 9); its fields
	 * the same on every page of a language (list_form.h). */
	if (sess_has(r, ROLE_BIT(ROLE_SUPERVISOR)) && shown > 0) {
		if (!r->want_json && (form = list_form_html(app, r, LIST_FORM_BULK, &deps, list_bulk)) != NULL) {
			json_object_object_add(v, "bulk", json_object_new_boolean(1));
			json_object_object_add(v, "bulk_html", form);
		} else {
			json_object_object_add(v, "bulk", list_bulk(app, r, &deps));
		}
	}
	resp_page_rows(app, r, rs, status_code, "complaint_list", v, &rows, 1);
	return KESU_OK;
}

/* ---- the registration form ---- */

static const char *
form_get(void *ctx, const char *name)
{
	return req_form(ctx, name);
}

static const char *const input_type[] = {
	[CFT_TEXT] = "text", [CFT_LONGTEXT] = "textarea", [CFT_ENUM] = "select",
	[CFT_INT] = "number", [CFT_BOOL] = "checkbox", [CFT_DATE] = "date",
	[CFT_DATETIME] = "datetime-local", [CFT_EMAIL] = "email", [CFT_PHONE] = "tel",
};

/* The form's view: {fields: {name: {name, label, value, error, ...}}}; values and errors may be NULL. */
static struct json_object *
form_view(struct app *app, struct req *r, const char *const *values, struct json_object *errors)
{
	struct json_object *v = view_new(app, r), *fields = json_object_new_object();

	for (int i = 0; i < CF__MAX; i++) {
		const struct cfield_spec *f = &complaint_fields[i];
		struct json_object *o = json_object_new_object(), *e = NULL;
		const char *val = values ? values[i] : NULL;
		char key[64];

		snprintf(key, sizeof(key), "field_%s", f->name);
		json_object_object_add(o, "name", json_object_new_string(f->name));
		json_object_object_add(o, "label", json_object_new_string(T(r, key)));
		json_object_object_add(o, "value", jstr(val));
		json_object_object_add(o, "required", json_object_new_boolean(f->required));
		json_object_object_add(o, "type", json_object_new_string(input_type[f->type]));
		json_object_object_add(o, "is_textarea", json_object_new_boolean(f->type == CFT_LONGTEXT));
		json_object_object_add(o, "is_select", json_object_new_boolean(f->type == CFT_ENUM));
		json_object_object_add(o, "is_checkbox", json_object_new_boolean(f->type == CFT_BOOL));
		json_object_object_add(o, "is_input", json_object_new_boolean(
		    f->type != CFT_LONGTEXT && f->type != CFT_ENUM && f->type != CFT_BOOL));
		json_object_object_add(o, "checked", json_object_new_boolean(val && strcmp(val, "1") == 0));
		if (f->maxlen > 0 && f->type != CFT_BOOL)
			json_object_object_add(o, "maxlength", json_object_new_int((int)f->maxlen));
		if (f->type == CFT_ENUM)
			json_object_object_add(o, "options", view_options(r, f->name, f->values, val));
		if (errors != NULL && json_object_object_get_ex(errors, f->name, &e))
			json_object_object_add(o, "error", json_object_new_string(T(r, json_object_get_string(e))));
		json_object_object_add(fields, f->name, o);
	}
	json_object_object_add(v, "fields", fields);
	/* The form's key (form_key.c): the one it was sent with when shown again, else a new one. */
	{
		const char *k = req_form(r, "form_key");
		char fresh[FORM_KEY_LEN + 1];
		if (!form_key_valid(k)) {
			form_key_new(fresh);
			k = fresh;
		}
		json_object_object_add(v, "form_key", json_object_new_string(k));
	}
	return v;
}

int
page_complaint_new(struct app *app, struct req *r, struct resp *rs)
{
	const char *values[CF__MAX] = { 0 };
	char now[32];
	time_t t;
	struct tm tm;

	/* Sensible starting values: received now, an ordinary case. */
	t = time(NULL) + app->utc_offset_min * 60;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M", &tm);
	values[CF_RECEIVED_AT] = now;
	values[CF_CUSTOMER_TYPE] = "consumer";
	values[CF_URGENCY] = "normal";
	values[CF_SEVERITY] = "3";
	resp_page(app, r, rs, 200, "complaint_new", form_view(app, r, values, NULL));
	return KESU_OK;
}

struct register_tx {
	struct req *r;
	const struct complaint_in *in;
	const char *form_key;   /* NULL: sent without one (JSON clients may) */
	int again;              /* this form had been registered already: nothing new stored */
	char number[16];
};

static int
register_tx(struct db *db, void *arg)
{
	struct register_tx *t = arg;
	struct session *s = t->r->sess;
	/* registered as an agent, else as the supervisor (the route's roles) */
	struct audit_actor who = req_actor_as(t->r, ROLE_BIT(ROLE_AGENT) | ROLE_BIT(ROLE_SUPERVISOR));
	int rc;

	/* Run again by db_tx after a lost connection: start from nothing. */
	t->again = 0;
	t->number[0] = '\0';
	if (t->form_key != NULL) {
		if ((rc = form_key_claim(db, t->r->a, s->uid, t->form_key, t->number)) != KESU_OK)
			return rc;
		if (t->number[0] != '\0') {
			t->again = 1;
			return KESU_OK;
		}
	}
	if ((rc = complaint_register(db, t->r->a, &who, s->uid, s->name, t->in, t->number)) != KESU_OK)
		return rc;
	return t->form_key != NULL ? form_key_bind(db, t->r->a, s->uid, t->form_key, t->number) : KESU_OK;
}

int
page_complaint_create(struct app *app, struct req *r, struct resp *rs)
{
	struct complaint_in in;
	struct json_object *errors;
	struct register_tx t;
	int rc;

	errors = json_object_new_object();
	if (complaint_validate(r->a, form_get, r, app->utc_offset_min, &in, errors) > 0) {
		const char *typed[CF__MAX];
		if (r->want_json) {
			struct json_object *v = json_object_new_object(), *msgs = json_object_new_object();
			json_object_object_foreach(errors, k, e)
				json_object_object_add(msgs, k, json_object_new_string(T(r, json_object_get_string(e))));
			json_object_object_add(v, "errors", msgs);
			json_object_object_add(v, "error_codes", errors);
			resp_json(rs, 422, v);
			return KESU_OK;
		}
		/* Everything typed comes back, as typed. */
		for (int i = 0; i < CF__MAX; i++)
			typed[i] = req_form(r, complaint_fields[i].name);
		{
			struct json_object *v = form_view(app, r, typed, errors);
			json_object_object_add(v, "has_errors", json_object_new_boolean(1));
			json_object_put(errors);
			resp_page(app, r, rs, 422, "complaint_new", v);
		}
		return KESU_OK;
	}
	json_object_put(errors);

	memset(&t, 0, sizeof(t));
	t.r = r;
	t.in = &in;
	/* The same form sent twice registers one complaint (form_key.c). */
	t.form_key = req_form(r, "form_key");
	if (t.form_key != NULL && *t.form_key == '\0')
		t.form_key = NULL;
	if (t.form_key != NULL && !form_key_valid(t.form_key)) {
		LOG_WARN("registration with a malformed form key refused");
		return KESU_EINPUT;
	}
	if ((rc = db_tx(app->db, register_tx, &t)) != KESU_OK)
		return rc;
	if (t.again)
		LOG_INFO("complaint %s: the same form again, nothing registered", t.number);
	else
		LOG_INFO("registered complaint %s", t.number);
	/* Its words into this node's search, outside the registration's locks (complaint.c): in
	 * this batch, or in the next registration's, a search's or the sweep's (search_sync.h).
	 * A catch-up after every registration cost MariaDB about as much as the registration
	 * itself (issue 10, regfast2: docs/performance.md). */
	(void)search_catch_up_after_write(app->db, r->a);
	/* Its statistics likewise, folded from their journal with the moment's others (sql/037). */
	(void)stats_fold_after_write(app->db, r->a);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "number", json_object_new_string(t.number));
		json_object_object_add(v, "url", json_object_new_string(arena_printf(r->a, "/complaints/%s", t.number)));
		resp_header(rs, "Location", arena_printf(r->a, "/complaints/%s", t.number));
		resp_json(rs, 201, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/complaints/%s?registered=1", t.number));
	return KESU_OK;
}

/* ---- one complaint ---- */


int
page_complaint_view(struct app *app, struct req *r, struct resp *rs)
{
	/* ?as_of=SEQ or ?at=...: the record as it stood then, from the audit trail (read-only);
	 * it reads the session first (only the page's own statement proves a cached one). */
	int rc;

	if (!as_of_wanted(r))
		rc = resp_view(app, r, rs, complaint_page, "complaint_view");
	else if ((rc = sess_cache_need(app, r)) == KESU_OK)
		rc = as_of_complaint(app, r, rs);

	/* Who looked at what (PIPL): the page carries the customer's unmasked details. */
	if (rc == KESU_OK)
		audit_view_log(app, r, r->arg, "complaint", NULL);
	return rc;
}

#define MAX_DEPARTMENTS 10

struct action_tx {
	struct req *r;
	enum caction action;
	const char *reason;
	const char *departments[MAX_DEPARTMENTS];
	int ndepartments;
	long version;
	enum cstate to;
	long new_version;
	const char *reply_text;  /* record_reply: what the customer was told */
	const char *satisfaction, *comment; /* record_callback */
	const char *category, *severity;    /* triage_substantiated: a correction (NULL: none) */
	int any_version;         /* a bulk step: the version found when locked (no form showed one) */
	const char *bad_field;   /* on KESU_EINPUT: "reason", "departments", "reply_text", "satisfaction" */
	const char *bad_key;     /* its message (a po key) */
};

/* assign: every department named must exist and be active. */
static int
assign_departments(struct db *db, struct action_tx *t, struct json_object *after)
{
	struct req *r = t->r;
	struct json_object *arr;
	struct db_res deps;
	int rc;

	if (t->ndepartments == 0) {
		t->bad_field = "departments";
		t->bad_key = "err_departments_required";
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, r->a, STMT_DEPARTMENT_LIST, &deps, "")) != KESU_OK)
		return rc;
	arr = json_object_new_array();
	json_object_object_add(after, "departments", arr);
	for (int i = 0; i < t->ndepartments; i++) {
		int known = 0;
		for (size_t k = 0; k < deps.nrows && !known; k++)
			known = strcmp(deps.rows[k][0], t->departments[i]) == 0;
		if (!known) {
			t->bad_field = "departments";
			t->bad_key = "err_department_unknown";
			return KESU_EINPUT;
		}
		if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_UPSERT, NULL, "sss", r->arg,
		    t->departments[i], r->sess->uid)) != KESU_OK)
			return rc;
		/* The department's head is told by mail (sent later by kesu-admin mail). */
		if ((rc = notify_queue(db, r->a, "assigned", "dept_head", t->departments[i], r->arg,
		    arena_printf(r->a, "/complaints/%s", r->arg))) != KESU_OK)
			return rc;
		json_object_array_add(arr, json_object_new_string(t->departments[i]));
	}
	return KESU_OK;
}

/*
 * accept_assignment / refuse_assignment by the head of a department the complaint waits for.
 * The first acceptance starts the investigation; when every department has refused, the
 * complaint goes back to the supervisor (triaged).
 */
static int
decide_assignment(struct db *db, struct action_tx *t, enum cstate from, struct json_object *after)
{
	struct req *r = t->r;
	struct session *s = r->sess;
	const struct wf_transition *w = workflow_find(CS_ASSIGNED, t->action);
	int refuse = t->action == CA_REFUSE_ASSIGNMENT;
	struct db_res res;
	int rc;

	if (w == NULL || (s->roles & w->roles) == 0)
		return KESU_EFORBIDDEN;
	if (from != CS_ASSIGNED && from != CS_INVESTIGATING)
		return KESU_ESTATE;
	if (refuse && workflow_reason_blank(t->reason)) {
		t->bad_field = "reason";
		t->bad_key = "err_reason_required";
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_DECIDE, &res, "sssss", refuse ? "refused" : "accepted",
	    s->uid, refuse ? t->reason : NULL, r->arg, s->department)) != KESU_OK)
		return rc;
	/* Not waiting for this person's department. */
	if (res.affected != 1)
		return KESU_EFORBIDDEN;
	json_object_object_add(after, "department", json_object_new_string(s->department));
	json_object_object_add(after, "assignment", json_object_new_string(refuse ? "refused" : "accepted"));
	t->to = from;
	if (!refuse) {
		if (from == CS_ASSIGNED)
			return workflow_apply(from, t->action, s->roles, 0, t->reason, &t->to);
		return KESU_OK;
	}
	if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_OPEN, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (from == CS_ASSIGNED && atol(res.rows[0][0]) == 0 && atol(res.rows[0][1]) == 0)
		return workflow_apply(from, t->action, s->roles, 0, t->reason, &t->to);
	return KESU_OK;
}

/* record_reply keeps what the customer was told; record_callback the satisfaction (1-5) and comment. */
static int
record_reply_or_callback(struct db *db, struct action_tx *t, struct json_object *after)
{
	struct req *r = t->r;

	if (t->action == CA_RECORD_REPLY) {
		if (workflow_reason_blank(t->reply_text)) {
			t->bad_field = "reply_text";
			t->bad_key = "err_required";
			return KESU_EINPUT;
		}
		json_object_object_add(after, "reply_text", json_object_new_string(t->reply_text));
		return db_exec(db, r->a, STMT_COMPLAINT_SET_REPLY, NULL, "ss", t->reply_text, r->arg);
	}
	if (t->satisfaction == NULL || strlen(t->satisfaction) != 1 || *t->satisfaction < '1' ||
	    *t->satisfaction > '5') {
		t->bad_field = "satisfaction";
		t->bad_key = "err_invalid_choice";
		return KESU_EINPUT;
	}
	json_object_object_add(after, "satisfaction", json_object_new_int(*t->satisfaction - '0'));
	json_object_object_add(after, "callback_comment", json_object_new_string(t->comment ? t->comment : ""));
	return db_exec(db, r->a, STMT_COMPLAINT_SET_CALLBACK, NULL, "iss", (int64_t)(*t->satisfaction - '0'),
	    t->comment ? t->comment : "", r->arg);
}

static int
action_tx(struct db *db, void *arg)
{
	struct action_tx *t = arg;
	struct req *r = t->r;
	struct session *s = r->sess;
	struct audit_actor who = req_actor(r);
	struct json_object *before = NULL, *after = NULL;
	struct db_res res;
	enum cstate from;
	char **c;
	int rc;

	/* A bulk step showed no version: it takes the one it finds when it locks the complaint. */
	if ((rc = t->any_version ? complaint_lock(db, r, &c) : complaint_lock_version(db, r, t->version, &c)) != KESU_OK)
		return rc;
	if (t->any_version)
		t->version = atol(c[CL_VERSION]);
	if ((from = cstate_from_name(c[CL_STATUS])) == CS__MAX)
		return KESU_EINTERNAL;
	/* Recorded under the role the transition allows this person (the owning agent, the
	 * supervisor, the department head...), not merely their first role. */
	who = req_actor_as(r, t->action == CA_ACCEPT_ASSIGNMENT || t->action == CA_REFUSE_ASSIGNMENT ?
	    ROLE_BIT(ROLE_DEPT_HEAD) : workflow_authority(workflow_find(from, t->action), s->roles,
	    strcmp(c[CL_OWNER_UID], s->uid) == 0));
	if (!workflow_fits_category(t->action, c[CL_CATEGORY]))
		return step_refuse(r, "status", c[CL_STATUS]);

	/* Closing a product-quality complaint that no approved 8D covers: say why (issue 7) —
	 * once the state allows closing at all, which is said first. */
	if (t->action == CA_CLOSE && workflow_find(from, CA_CLOSE) == NULL)
		return step_refuse(r, "status", c[CL_STATUS]);
	if (t->action == CA_CLOSE && workflow_reason_blank(t->reason)) {
		int needs;
		if ((rc = close_needs_reason(db, r->a, r->arg, c[CL_CATEGORY], &needs)) != KESU_OK)
			return rc;
		if (needs) {
			t->bad_field = "reason";
			t->bad_key = "err_close_reason_no_8d";
			return KESU_EINPUT;
		}
	}

	after = json_object_new_object();
	if (t->action == CA_ACCEPT_ASSIGNMENT || t->action == CA_REFUSE_ASSIGNMENT) {
		rc = decide_assignment(db, t, from, after);
	} else {
		rc = workflow_apply(from, t->action, s->roles, strcmp(c[CL_OWNER_UID], s->uid) == 0,
		    t->reason, &t->to);
		if (rc == KESU_EINPUT) {
			t->bad_field = "reason";
			t->bad_key = "err_reason_required";
		}
		if (rc == KESU_OK && t->action == CA_TRIAGE_SUBSTANTIATED)
			rc = triage_correct(db, r->a, &who, r->arg, t->category, t->severity, t->reason,
			    &t->bad_field, &t->bad_key);
		if (rc == KESU_OK && t->action == CA_ASSIGN)
			rc = assign_departments(db, t, after);
		if (rc == KESU_OK && (t->action == CA_RECORD_REPLY || t->action == CA_RECORD_CALLBACK))
			rc = record_reply_or_callback(db, t, after);
	}
	if (rc == KESU_ESTATE)
		rc = step_refuse(r, "status", c[CL_STATUS]);
	if (rc != KESU_OK)
		goto out;
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_SET_STATUS, &res, "ssi", cstate_name(t->to),
	    r->arg, (int64_t)t->version)) != KESU_OK)
		goto out;
	if (res.affected != 1) {
		rc = KESU_ECONFLICT;
		goto out;
	}
	t->new_version = t->version + 1;
	before = json_object_new_object();
	json_object_object_add(before, "status", json_object_new_string(cstate_name(from)));
	json_object_object_add(before, "version", json_object_new_int64(t->version));
	json_object_object_add(after, "status", json_object_new_string(cstate_name(t->to)));
	json_object_object_add(after, "version", json_object_new_int64(t->new_version));
	if (t->reason != NULL && !workflow_reason_blank(t->reason))
		json_object_object_add(after, "reason", json_object_new_string(t->reason));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, caction_name(t->action), before, after);
out:
	json_object_put(before);
	json_object_put(after);
	return rc;
}

/* The departments of an assign step: repeated "departments" fields (checkboxes), each may also be a comma-separated list (JSON). */
static void
collect_departments(struct req *r, struct action_tx *t)
{
	for (size_t i = 0; i < r->nform; i++) {
		char *copy, *tok, *save = NULL;
		if (strcmp(r->form[i].key, "departments") != 0)
			continue;
		copy = arena_strdup(r->a, r->form[i].val);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save)) {
			int dup = 0;
			for (int k = 0; k < t->ndepartments; k++)
				dup |= strcmp(t->departments[k], tok) == 0;
			if (!dup && t->ndepartments < MAX_DEPARTMENTS && strlen(tok) <= 32)
				t->departments[t->ndepartments++] = tok;
		}
	}
}

int
page_complaint_action(struct app *app, struct req *r, struct resp *rs)
{
	const char *name = req_form(r, "action"), *version = req_form(r, "version");
	struct action_tx t;
	int rc;

	if (!complaint_number_valid(r->arg))
		return KESU_ENOTFOUND;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.reason = req_form(r, "reason");
	t.reply_text = req_form(r, "reply_text");
	t.satisfaction = req_form(r, "satisfaction");
	t.comment = req_form(r, "comment");
	t.category = req_form(r, "category");
	t.severity = req_form(r, "severity");
	t.action = name ? caction_from_name(name) : CA__MAX;
	if (t.action == CA__MAX || !workflow_on_page(t.action) || !valid_digits(version, 9))
		return KESU_EINPUT;
	if ((t.reason != NULL && strlen(t.reason) > 2000) || (t.reply_text != NULL && strlen(t.reply_text) > 5000) ||
	    (t.comment != NULL && strlen(t.comment) > 2000))
		return KESU_ETOOBIG;
	t.version = atol(version);
	if (t.action == CA_ASSIGN)
		collect_departments(r, &t);
	rc = db_tx(app->db, action_tx, &t);
	if (rc == KESU_EINPUT && t.bad_field != NULL)
		step_error(r, t.bad_field, t.bad_key);   /* said next to the step's field */
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("complaint %s: %s", r->arg, caction_name(t.action));
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "number", jstr(r->arg));
		json_object_object_add(v, "status", jstr(cstate_name(t.to)));
		json_object_object_add(v, "version", json_object_new_int64(t.new_version));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/complaints/%s?done=%s", r->arg, caction_name(t.action)));
	return KESU_OK;
}

/* ---- bulk steps (issue 9) ---- */

#define BULK_MAX 100

/* The words for why one complaint of a bulk step was not changed. */
static const char *
bulk_message(struct req *r, int rc, const struct action_tx *t)
{
	switch (rc) {
	case KESU_EINPUT:
		return T(r, t->bad_key != NULL ? t->bad_key : "err_page_bad_request");
	case KESU_ESTATE:
		return r->why != NULL ? r->why : T(r, "err_page_state");
	case KESU_ENOTFOUND:
		return T(r, "bulk_not_found");
	case KESU_EFORBIDDEN:
		return T(r, "step_forbidden");
	case KESU_ECONFLICT:
		return T(r, "bulk_conflict");
	default:
		return T(r, "err_page_db_unavailable");
	}
}

/*
 * POST /complaints/bulk: the supervisor's triage or assignment of the selected complaints
 * (number repeated, action=triage|assign). Each complaint is its own step — its own
 * transaction with its own audit record, exactly as on its page — so one that cannot be
 * changed (state, access, a department unknown) is left as it was and the others go on;
 * the answer lists each complaint's result.
 */
int
page_complaint_bulk(struct app *app, struct req *r, struct resp *rs)
{
	const char *action = req_form(r, "action"), *numbers[BULK_MAX];
	const char *saved_arg = r->arg;
	struct json_object *v, *results;
	size_t n = 0;
	int nok = 0;

	if (!sess_has(r, ROLE_BIT(ROLE_SUPERVISOR)))
		return KESU_ENOTFOUND;
	if (action == NULL || (strcmp(action, "triage") != 0 && strcmp(action, "assign") != 0))
		step_error(r, "action", "err_bulk_action");
	for (size_t i = 0; i < r->nform; i++) {
		if (strcmp(r->form[i].key, "number") != 0)
			continue;
		if (n == BULK_MAX) {
			step_error(r, "number", "err_bulk_too_many");
			break;
		}
		if (!complaint_number_valid(r->form[i].val)) {
			step_error(r, "number", "err_bulk_number");
			break;
		}
		int dup = 0;
		for (size_t k = 0; k < n; k++)
			dup |= strcmp(numbers[k], r->form[i].val) == 0;
		if (!dup)
			numbers[n++] = r->form[i].val;
	}
	if (n == 0 && step_error_count(r) == 0)
		step_error(r, "number", "err_bulk_none");
	if (step_error_count(r) > 0)
		return KESU_EINPUT;

	results = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct action_tx t;
		struct json_object *o = json_object_new_object();
		int rc;

		memset(&t, 0, sizeof(t));
		t.r = r;
		t.any_version = 1;
		t.reason = req_form(r, "reason");
		t.category = req_form(r, "category");
		t.severity = req_form(r, "severity");
		if (t.category != NULL && *t.category == '\0')
			t.category = NULL;
		if (t.severity != NULL && *t.severity == '\0')
			t.severity = NULL;
		t.action = strcmp(action, "triage") == 0 ? CA_TRIAGE_SUBSTANTIATED : CA_ASSIGN;
		if (t.action == CA_ASSIGN)
			collect_departments(r, &t);
		r->arg = numbers[i];
		r->why = NULL;
		rc = db_tx(app->db, action_tx, &t);
		json_object_object_add(o, "number", json_object_new_string(numbers[i]));
		json_object_object_add(o, "url", json_object_new_string(arena_printf(r->a, "/complaints/%s", numbers[i])));
		json_object_object_add(o, "ok", json_object_new_boolean(rc == KESU_OK));
		if (rc == KESU_OK) {
			nok++;
			json_object_object_add(o, "status", jstr(cstate_name(t.to)));
			json_object_object_add(o, "status_label", jstr(view_label(r, "status", cstate_name(t.to))));
			LOG_INFO("complaint %s: %s (bulk)", numbers[i], caction_name(t.action));
		} else {
			json_object_object_add(o, "error", jstr(resp_code(rc)));
			json_object_object_add(o, "message", jstr(bulk_message(r, rc, &t)));
		}
		json_object_array_add(results, o);
	}
	r->arg = saved_arg;
	r->why = NULL;
	v = r->want_json ? json_object_new_object() : view_new(app, r);
	json_object_object_add(v, "action", jstr(action));
	json_object_object_add(v, "action_label", jstr(T(r, strcmp(action, "triage") == 0 ? "bulk_triage" : "bulk_assign")));
	json_object_object_add(v, "done", json_object_new_int(nok));
	json_object_object_add(v, "failed", json_object_new_int((int)n - nok));
	json_object_object_add(v, "results", results);
	if (r->want_json) {
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_page(app, r, rs, 200, "bulk_result", v);
	return KESU_OK;
}

/* ---- the first responder ---- */

struct owner_tx {
	struct req *r;
	long version;
	const char *uid, *name;
};

static int
owner_tx(struct db *db, void *arg)
{
	struct owner_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_SUPERVISOR));
	struct json_object *before, *after;
	struct db_res res, cur;
	char **c;
	int rc;

	if ((rc = complaint_lock_version(db, r, t->version, &c)) != KESU_OK)
		return rc;
	if (strcmp(c[CL_STATUS], "closed") == 0)
		return step_refuse(r, "status", c[CL_STATUS]);
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_GET, &cur, "s", r->arg)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_SET_OWNER, &res, "sssi", t->uid, t->name, r->arg,
	    (int64_t)t->version)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	before = json_object_new_object();
	json_object_object_add(before, "owner_uid", json_object_new_string(cur.rows[0][CC_OWNER_UID]));
	json_object_object_add(before, "owner_name", json_object_new_string(cur.rows[0][CC_OWNER_NAME]));
	json_object_object_add(before, "version", json_object_new_int64(t->version));
	after = json_object_new_object();
	json_object_object_add(after, "owner_uid", json_object_new_string(t->uid));
	json_object_object_add(after, "owner_name", json_object_new_string(t->name));
	json_object_object_add(after, "version", json_object_new_int64(t->version + 1));
	rc = audit_write(db, r->a, &who, "complaint", r->arg, "set_owner", before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

/*
 * The supervisor names another first responder (首问负责人): an agent or supervisor found in
 * the directory, who then owns the case to the end.
 */
int
page_complaint_owner(struct app *app, struct req *r, struct resp *rs)
{
	struct owner_tx t = { r, 0, NULL, NULL };
	const char *uid = req_form(r, "owner"), *version = req_form(r, "version");
	const char *bad = NULL;
	struct dir_user u;
	int rc;

	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	if (!sess_has(r, ROLE_BIT(ROLE_SUPERVISOR)))
		return KESU_EFORBIDDEN;
	if (!valid_digits(version, 9))
		return KESU_EINPUT;
	t.version = atol(version);
	if (uid == NULL || workflow_reason_blank(uid) || strlen(uid) > 64) {
		bad = "err_required";
	} else if ((rc = dir_lookup(app->dir, r->a, uid, &u)) == KESU_ENOTFOUND) {
		bad = "err_owner_unknown";
	} else if (rc != KESU_OK) {
		return rc;
	} else if ((u.roles & (ROLE_BIT(ROLE_AGENT) | ROLE_BIT(ROLE_SUPERVISOR))) == 0) {
		bad = "err_owner_not_agent";
	}
	if (bad != NULL) {
		step_error(r, "owner", bad);
		return KESU_EINPUT;
	}
	t.uid = u.uid;
	t.name = u.display_name;
	if ((rc = db_tx(app->db, owner_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("complaint %s: a new first responder", r->arg);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "number", jstr(r->arg));
		json_object_object_add(v, "owner_uid", jstr(t.uid));
		json_object_object_add(v, "owner_name", jstr(t.name));
		json_object_object_add(v, "version", json_object_new_int64(t.version + 1));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/complaints/%s?done=set_owner", r->arg));
	return KESU_OK;
}

/* ---- my work ---- */

int
page_my_work(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, work_page, "my_work");
}
