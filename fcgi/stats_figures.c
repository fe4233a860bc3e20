/* stats_figures.c: the statistics' figures of a period from the aggregates of sql/022, and the monthly close — no request, no language. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "complaint.h"
#include "crypto.h"
#include "stats_figures.h"
#include "stats_fold.h"

/* The columns of STMT_STATS_AGG. */
enum { A_P, A_DEPT, A_DIM, A_CODE, A_N, A_QTY, A_DEF, A_AMOUNT, A_RESP_OK, A_RESP_DONE, A_RES_OK, A_RES_DONE,
	A_CLOSED, A_CLOSE_MIN, A_CLOSE_WMIN, A_SAT_N, A_SAT_SUM, A_REP, A__MAX };

#define NSUMS (A__MAX - A_N)

/* One (period, department, dimension, code) with its sums over the period's days or months. */
struct arow {
	int p;
	const char *dept, *dim, *code;
	long v[NSUMS];   /* A_N .. A_REP, at col - A_N */
};

struct figs {
	struct db *db;
	struct arena *a;
	long off;
	const struct stats_period *per;
	const struct stats_range *rg[3];
	const char *dept;
	char today[11];
	int slot;            /* the current ten minutes of today, 0..143 (sql/027) */
	int pmap[3];         /* the period whose rows stand for each: a year's "before" and "a year
	                      * earlier" are the same year, read once */
	struct arow *rows;   /* sorted by p, dept, dim, code; each key once */
	size_t nrows;
	struct db_res wait, due;
};

static long
num(const char *s)
{
	if (s == NULL || (s[0] == '0' && s[1] == '\0'))   /* most sums of most rows */
		return 0;
	return strtol(s, NULL, 10);
}

static int
key_cmp(const struct arow *x, int p, const char *dept, const char *dim, const char *code)
{
	int c;

	if (x->p != p)
		return x->p < p ? -1 : 1;
	if ((c = strcmp(x->dept, dept)) != 0 || (c = strcmp(x->dim, dim)) != 0)
		return c;
	return strcmp(x->code, code);
}

static int
arow_ptr_cmp(const void *a, const void *b)
{
	const struct arow *x = *(const struct arow *const *)a, *y = *(const struct arow *const *)b;

	return key_cmp(x, y->p, y->dept, y->dim, y->code);
}

static uint32_t
fnv(uint32_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return (h ^ 0xff) * 16777619u;   /* a separator no UTF-8 text holds */
}

/*
 * The rows of STMT_STATS_AGG (each day's or month's, as stored) summed per key into f->rows,
 * sorted: what the statement's GROUP BY did, without its temporary table. A hash table of the
 * keys sums them (a year: ~3,900 rows into ~1,300 keys), then only the keys are sorted.
 */
static void
sum_rows(struct figs *f, const struct db_res *res)
{
	size_t cap = 16, n = 0;
	int32_t *slot;

	while (cap < 2 * res->nrows)
		cap *= 2;
	slot = arena_alloc(f->a, cap * sizeof(*slot));
	memset(slot, 0xff, cap * sizeof(*slot));   /* -1: empty */
	f->rows = arena_alloc(f->a, (res->nrows + 1) * sizeof(*f->rows));
	for (size_t i = 0; i < res->nrows; i++) {
		char **c = res->rows[i];
		int p = c[A_P][0] - '0';
		size_t h = fnv(fnv(fnv(2166136261u ^ (uint32_t)p, c[A_DEPT]), c[A_DIM]), c[A_CODE]) & (cap - 1);
		struct arow *r;

		while (slot[h] >= 0 && key_cmp(&f->rows[slot[h]], p, c[A_DEPT], c[A_DIM], c[A_CODE]) != 0)
			h = (h + 1) & (cap - 1);
		if (slot[h] < 0) {
			slot[h] = (int32_t)n;
			r = &f->rows[n++];
			r->p = p;
			r->dept = c[A_DEPT];
			r->dim = c[A_DIM];
			r->code = c[A_CODE];
			memset(r->v, 0, sizeof(r->v));
		}
		r = &f->rows[slot[h]];
		for (int k = 0; k < NSUMS; k++)
			r->v[k] += num(c[A_N + k]);
	}
	/* sort pointers, not the rows (144 bytes each), then lay the rows out in that order */
	{
		struct arow **ord = arena_alloc(f->a, (n + 1) * sizeof(*ord)), *sorted;
		for (size_t i = 0; i < n; i++)
			ord[i] = &f->rows[i];
		qsort(ord, n, sizeof(*ord), arow_ptr_cmp);
		sorted = arena_alloc(f->a, (n + 1) * sizeof(*sorted));
		for (size_t i = 0; i < n; i++)
			sorted[i] = *ord[i];
		f->rows = sorted;
	}
	f->nrows = n;
}

/* The index of the first row of period p, department dept, dimension dim whose code is not
 * less than code ("": the first of the dimension). */
static size_t
lower(const struct figs *f, int p, const char *dept, const char *dim, const char *code)
{
	size_t lo = 0, hi = f->nrows;

	p = f->pmap[p];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(&f->rows[mid], p, dept, dim, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Whether row i is of period p, department dept, dimension dim. */
static int
in_dim(const struct figs *f, size_t i, int p, const char *dept, const char *dim)
{
	const struct arow *r = &f->rows[i];

	return i < f->nrows && r->p == f->pmap[p] && strcmp(r->dept, dept) == 0 && strcmp(r->dim, dim) == 0;
}

/* The sum of column col over the rows of period p, department dept, dimension dim and code
 * (NULL: every code). */
static long
agg(const struct figs *f, int p, const char *dept, const char *dim, const char *code, int col)
{
	size_t i = lower(f, p, dept, dim, code != NULL ? code : "");
	long s = 0;

	if (code != NULL)
		return in_dim(f, i, p, dept, dim) && strcmp(f->rows[i].code, code) == 0 ? f->rows[i].v[col - A_N] : 0;
	for (; in_dim(f, i, p, dept, dim); i++)
		s += f->rows[i].v[col - A_N];
	return s;
}

/* Whether dept is an item of the comma-separated list. */
static int
in_list(const char *list, const char *dept)
{
	size_t l = strlen(dept);

	for (const char *p = list; *p != '\0'; ) {
		size_t n = strcspn(p, ",");
		if (n == l && strncmp(p, dept, l) == 0)
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/*
 * Complaints of period p not answered ("resp") / not resolved ("res") whose deadline has
 * passed, exactly at this minute: the deadlines of the days before today from the period's
 * aggregates ("*_wait", by the deadline's local day); today's before the current ten minutes
 * from today's rows of grain 'w' ("*_slot": the day received and the deadline's slot); those
 * of the current ten minutes from the complaints (f->due, a bounded range).
 */
static long
past_due(const struct figs *f, int p, const char *dept, const char *kind)
{
	char dim[16], slot_dim[16];
	long s = 0;

	snprintf(dim, sizeof(dim), "%s_wait", kind);
	snprintf(slot_dim, sizeof(slot_dim), "%s_slot", kind);
	for (size_t i = lower(f, p, dept, dim, ""); in_dim(f, i, p, dept, dim) &&
	    strcmp(f->rows[i].code, f->today) < 0; i++)
		s += f->rows[i].v[0];
	for (size_t i = 0; i < f->wait.nrows; i++) {
		char **c = f->wait.rows[i];
		/* code: "YYYY-MM-DD SSS", the day received and the slot */
		if (strcmp(c[0], dept) != 0 || strcmp(c[1], slot_dim) != 0 || strlen(c[2]) != 14 ||
		    atoi(c[2] + 11) >= f->slot || strncmp(c[2], f->rg[p]->from, 10) < 0 ||
		    strncmp(c[2], f->rg[p]->to, 10) >= 0)
			continue;
		s += num(c[3]);
	}
	for (size_t i = 0; i < f->due.nrows; i++) {
		char **c = f->due.rows[i];
		if (strcmp(c[1], kind) != 0 || strcmp(c[0], f->rg[p]->from) < 0 || strcmp(c[0], f->rg[p]->to) >= 0)
			continue;
		if (*dept == '\0' || in_list(c[2], dept))
			s += num(c[3]);
	}
	return s;
}

struct bucket {
	long v, n;
};

static int
bucket_cmp(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	return x->v < y->v ? -1 : x->v > y->v;
}

/* The median minutes to close (the mean of the two middle ones for an even count, as SQL's
 * MEDIAN, rounded half up), from the histogram dim ("close_hist": natural minutes,
 * "wclose_hist": working minutes); -1 when nothing closed. */
static long
median(const struct figs *f, int p, const char *dept, const char *dim)
{
	size_t first = lower(f, p, dept, dim, ""), nb = 0;
	struct bucket *h;
	long total = 0, k1, k2, v1 = -1, v2 = -1, seen = 0;

	for (size_t i = first; in_dim(f, i, p, dept, dim); i++)
		nb++;
	h = arena_alloc(f->a, (nb + 1) * sizeof(*h));
	nb = 0;
	for (size_t i = first; in_dim(f, i, p, dept, dim); i++) {
		if (f->rows[i].v[0] <= 0)
			continue;
		h[nb].v = num(f->rows[i].code);
		h[nb].n = f->rows[i].v[0];
		total += h[nb++].n;
	}
	if (total == 0)
		return -1;
	qsort(h, nb, sizeof(*h), bucket_cmp);
	k1 = (total - 1) / 2;
	k2 = total / 2;
	for (size_t i = 0; i < nb; i++) {
		if (v1 < 0 && k1 < seen + h[i].n)
			v1 = h[i].v;
		if (v2 < 0 && k2 < seen + h[i].n)
			v2 = h[i].v;
		seen += h[i].n;
	}
	return (v1 + v2 + 1) / 2;
}

static struct json_object *
section(struct json_object *sections, const char *key, const char *label, const char *field)
{
	struct json_object *s = json_object_new_object(), *rows = json_object_new_array();

	json_object_object_add(s, "key", json_object_new_string(key));
	json_object_object_add(s, "label", json_object_new_string(label));
	json_object_object_add(s, "field", field ? json_object_new_string(field) : NULL);
	json_object_object_add(s, "rows", rows);
	json_object_array_add(sections, s);
	return rows;
}

/* A row; fkey NULL: no link, "": the dates only. */
static void
row(struct json_object *rows, const char *code, enum fig_kind k, const long v[3], const char *fkey, const char *fval)
{
	struct json_object *o = json_object_new_object(), *a = json_object_new_array();

	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "kind", json_object_new_int(k));
	for (int p = 0; p < 3; p++)
		json_object_array_add(a, json_object_new_int64(v[p]));
	json_object_object_add(o, "v", a);
	if (fkey != NULL) {
		json_object_object_add(o, "fkey", json_object_new_string(fkey));
		json_object_object_add(o, "fval", json_object_new_string(fval ? fval : ""));
	}
	json_object_array_add(rows, o);
}

enum { T_N, T_QTY, T_DEF, T_RESP_OK, T_RESP_DUE, T_RES_OK, T_RES_DUE, T_CLOSED, T_AVG_MIN, T_AVG_WMIN, T_MEDIAN,
	T_WMEDIAN, T_SAT_N, T_SAT_SUM, T_SAT1, T_SAT2, T_SAT3, T_SAT4, T_SAT5, T_REPEAT, T__MAX };

static void
totals(const struct figs *f, const char *dept, long t[3][T__MAX])
{
	for (int p = 0; p < 3; p++) {
		long close_n = agg(f, p, dept, "close_hist", NULL, A_N);

		t[p][T_N] = agg(f, p, dept, "all", "", A_N);
		t[p][T_QTY] = agg(f, p, dept, "all", "", A_QTY);
		t[p][T_DEF] = agg(f, p, dept, "all", "", A_DEF);
		t[p][T_RESP_OK] = agg(f, p, dept, "all", "", A_RESP_OK);
		t[p][T_RESP_DUE] = agg(f, p, dept, "all", "", A_RESP_DONE) + past_due(f, p, dept, "resp");
		t[p][T_RES_OK] = agg(f, p, dept, "all", "", A_RES_OK);
		t[p][T_RES_DUE] = agg(f, p, dept, "all", "", A_RES_DONE) + past_due(f, p, dept, "res");
		t[p][T_CLOSED] = agg(f, p, dept, "all", "", A_CLOSED);
		/* rounded half up, as (long)(AVG(...) + 0.5) was */
		t[p][T_AVG_MIN] = close_n > 0 ? (2 * agg(f, p, dept, "all", "", A_CLOSE_MIN) + close_n) / (2 * close_n) : -1;
		t[p][T_AVG_WMIN] = close_n > 0 ? (2 * agg(f, p, dept, "all", "", A_CLOSE_WMIN) + close_n) / (2 * close_n) :
		    -1;
		t[p][T_MEDIAN] = median(f, p, dept, "close_hist");
		t[p][T_WMEDIAN] = median(f, p, dept, "wclose_hist");
		t[p][T_SAT_N] = agg(f, p, dept, "all", "", A_SAT_N);
		t[p][T_SAT_SUM] = agg(f, p, dept, "all", "", A_SAT_SUM);
		for (int s = 1; s <= 5; s++) {
			char code[2] = { (char)('0' + s), '\0' };
			t[p][T_SAT1 + s - 1] = agg(f, p, dept, "sat", code, A_N);
		}
		t[p][T_REPEAT] = agg(f, p, dept, "all", "", A_REP);
	}
}

static void
overview(const struct figs *f, struct json_object *sections)
{
	struct json_object *rows = section(sections, "overview", "po", NULL);
	long t[3][T__MAX], v[3];

	totals(f, f->dept, t);
#define ROW(code, kind, expr, key, val) do { \
		for (int p = 0; p < 3; p++) v[p] = (expr); \
		row(rows, code, kind, v, key, val); \
	} while (0)
	ROW("complaints", FIG_COUNT, t[p][T_N], "", NULL);
	ROW("quantity", FIG_COUNT, t[p][T_QTY], NULL, NULL);
	ROW("defective", FIG_COUNT, t[p][T_DEF], NULL, NULL);
	ROW("response_on_time", FIG_PERMILLE, stats_permille(t[p][T_RESP_OK], t[p][T_RESP_DUE]), "response",
	    "on_time");
	ROW("resolution_on_time", FIG_PERMILLE, stats_permille(t[p][T_RES_OK], t[p][T_RES_DUE]), "resolution",
	    "on_time");
	ROW("closed", FIG_COUNT, t[p][T_CLOSED], "status", "closed");
	ROW("resolution_rate", FIG_PERMILLE, stats_permille(t[p][T_CLOSED], t[p][T_N]), NULL, NULL);
	ROW("close_avg", FIG_MINUTES, t[p][T_AVG_MIN], NULL, NULL);
	ROW("close_median", FIG_MINUTES, t[p][T_MEDIAN], NULL, NULL);
	ROW("close_work_avg", FIG_MINUTES, t[p][T_AVG_WMIN], NULL, NULL);
	ROW("close_work_median", FIG_MINUTES, t[p][T_WMEDIAN], NULL, NULL);
	ROW("satisfaction_avg", FIG_SAT, t[p][T_SAT_N] > 0 ? (t[p][T_SAT_SUM] * 200 + t[p][T_SAT_N]) /
	    (2 * t[p][T_SAT_N]) : -1, NULL, NULL);
	ROW("satisfaction_1", FIG_COUNT, t[p][T_SAT1], "satisfaction", "1");
	ROW("satisfaction_2", FIG_COUNT, t[p][T_SAT2], "satisfaction", "2");
	ROW("satisfaction_3", FIG_COUNT, t[p][T_SAT3], "satisfaction", "3");
	ROW("satisfaction_4", FIG_COUNT, t[p][T_SAT4], "satisfaction", "4");
	ROW("satisfaction_5", FIG_COUNT, t[p][T_SAT5], "satisfaction", "5");
	ROW("repeat", FIG_COUNT, t[p][T_REPEAT], "repeat", "1");
	if (*f->dept != '\0') {
		/* a department head also sees the company's total */
		long ct[3][T__MAX];
		totals(f, "", ct);
		ROW("company_complaints", FIG_COUNT, ct[p][T_N], NULL, NULL);
	}
#undef ROW
}

/* A breakdown by one column: every code of codes (NULL-terminated) gets a row, zeros included. */
static void
breakdown(const struct figs *f, struct json_object *sections, const char *dim, const char *const *codes,
    const char *filter)
{
	struct json_object *rows = section(sections, dim, "field", dim);

	for (; *codes != NULL; codes++) {
		long v[3];
		for (int p = 0; p < 3; p++)
			v[p] = agg(f, p, f->dept, dim, *codes, A_N);
		row(rows, *codes, FIG_COUNT, v, filter, *codes);
	}
}

static const char *const responsibilities[] = { "company", "customer", "shared", NULL };
static const char *const remedies[] = { "compensation", "discount", "return", "repair", "replacement", "apology",
	NULL };

/* Responsibility (count and loss) and remedies (count, money, quantity) of the plans in force. */
static void
plans(const struct figs *f, struct json_object *sections)
{
	struct json_object *rows = section(sections, "responsibility", "field", "responsibility"), *money;
	long loss[3], comp[3], disc[3], ret[3], v[3];

	for (const char *const *c = responsibilities; *c != NULL; c++) {
		for (int p = 0; p < 3; p++)
			v[p] = agg(f, p, f->dept, "responsibility", *c, A_N);
		row(rows, *c, FIG_COUNT, v, "responsibility", *c);
	}
	rows = section(sections, "remedy", "field", "remedy");
	for (const char *const *c = remedies; *c != NULL; c++) {
		for (int p = 0; p < 3; p++)
			v[p] = agg(f, p, f->dept, "remedy", *c, A_N);
		row(rows, *c, FIG_COUNT, v, "remedy", *c);
	}
	for (int p = 0; p < 3; p++) {
		loss[p] = agg(f, p, f->dept, "responsibility", NULL, A_AMOUNT);
		comp[p] = agg(f, p, f->dept, "remedy", "compensation", A_AMOUNT);
		disc[p] = agg(f, p, f->dept, "remedy", "discount", A_AMOUNT);
		ret[p] = agg(f, p, f->dept, "remedy", "return", A_QTY);
	}
	money = section(sections, "money", "po", NULL);
	row(money, "compensation", FIG_FEN, comp, NULL, NULL);
	row(money, "discount", FIG_FEN, disc, NULL, NULL);
	row(money, "return_quantity", FIG_COUNT, ret, NULL, NULL);
	row(money, "loss", FIG_FEN, loss, NULL, NULL);
}

struct kpi_row {
	const char *code;
	long n, timely, sat, resolved, score;
};

static int
kpi_cmp(const void *a, const void *b)
{
	const struct kpi_row *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* Departments: counts per period (each active department, zeros included), and the KPI of
 * the period asked for, ranked. */
static int
departments(const struct figs *f, struct json_object *out, struct json_object *sections,
    const struct stats_weights *w)
{
	struct json_object *rows = section(sections, "department", "department", NULL), *kpi = json_object_new_array();
	struct db_res depts;
	struct kpi_row *k;
	size_t nk = 0;
	int rc;

	json_object_object_add(out, "kpi", kpi);
	if ((rc = db_exec(f->db, f->a, STMT_DEPARTMENT_LIST, &depts, "")) != KESU_OK)
		return rc;
	k = arena_alloc(f->a, (depts.nrows + 1) * sizeof(*k));
	for (size_t d = 0; d < depts.nrows; d++) {
		const char *code = depts.rows[d][0];
		long v[3];
		if (*f->dept != '\0' && strcmp(code, f->dept) != 0)
			continue;
		for (int p = 0; p < 3; p++)
			v[p] = agg(f, p, code, "all", "", A_N);
		if (v[0] > 0) {
			long sat_n = agg(f, 0, code, "all", "", A_SAT_N);
			k[nk].code = code;
			k[nk].n = v[0];
			k[nk].timely = stats_permille(agg(f, 0, code, "all", "", A_RES_OK),
			    agg(f, 0, code, "all", "", A_RES_DONE) + past_due(f, 0, code, "res"));
			/* satisfaction 1..5 as per mille of 5 */
			k[nk].sat = sat_n > 0 ? stats_permille(agg(f, 0, code, "all", "", A_SAT_SUM), sat_n * 5) : -1;
			k[nk].resolved = stats_permille(agg(f, 0, code, "all", "", A_CLOSED), v[0]);
			k[nk].score = stats_kpi(k[nk].timely, k[nk].sat, k[nk].resolved, w->t, w->s, w->r);
			nk++;
		}
		row(rows, code, FIG_COUNT, v, "department", code);
	}
	qsort(k, nk, sizeof(*k), kpi_cmp);
	for (size_t i = 0; i < nk; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "department", json_object_new_string(k[i].code));
		json_object_object_add(o, "n", json_object_new_int64(k[i].n));
		json_object_object_add(o, "timely", json_object_new_int64(k[i].timely));
		json_object_object_add(o, "sat", json_object_new_int64(k[i].sat));
		json_object_object_add(o, "resolved", json_object_new_int64(k[i].resolved));
		json_object_object_add(o, "score", json_object_new_int64(k[i].score));
		json_object_array_add(kpi, o);
	}
	return KESU_OK;
}

struct top {
	const char *code;
	long n;
};

static int
top_cmp(const void *a, const void *b)
{
	const struct top *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* "YYYY-MM-DD 00:00:00" in UTC of a local date. */
static const char *
utc_of(struct arena *a, const char *local, long off)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(local, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return "1970-01-01 00:00:00";
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) - off * 60;
	gmtime_r(&t, &tm);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min);
}

/* The ten most frequent customers, products and part/lot pairs of the period asked for: from
 * the monthly rows; a date range reads the complaints (bounded by max_statement_time). */
static int
tops(const struct figs *f, struct json_object *out)
{
	static const struct { const char *key, *dim; enum stmt id; } t[] = {
		{ "top_customers", "customer", STMT_STATS_TOP_CUSTOMERS },
		{ "top_products", "product", STMT_STATS_TOP_PRODUCTS },
		{ "top_part_lots", "part_lot", STMT_STATS_TOP_PART_LOTS },
	};
	struct json_object *all = json_object_new_array();
	int rc;

	json_object_object_add(out, "tops", all);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct json_object *s = json_object_new_object(), *rows = json_object_new_array();
		struct top *tp = arena_alloc(f->a, (f->nrows + 1) * sizeof(*tp));
		size_t nt = 0;

		json_object_object_add(s, "key", json_object_new_string(t[i].key));
		json_object_object_add(s, "rows", rows);
		json_object_array_add(all, s);
		if (f->per->kind == STATS_RANGE) {
			struct db_res res;
			const char *u[6];
			for (int p = 0; p < 3; p++) {
				u[2 * p] = utc_of(f->a, f->rg[p]->from, f->off);
				u[2 * p + 1] = utc_of(f->a, f->rg[p]->to, f->off);
			}
			if ((rc = db_exec(f->db, f->a, t[i].id, &res, "ssssssss", u[0], u[1], u[2], u[3], u[4], u[5],
			    f->dept, f->dept)) != KESU_OK)
				return rc;
			for (size_t j = 0; j < res.nrows; j++) {
				struct json_object *o = json_object_new_object();
				int two = strcmp(t[i].dim, "part_lot") == 0;
				json_object_object_add(o, "a", json_object_new_string(res.rows[j][0]));
				if (two)
					json_object_object_add(o, "b", json_object_new_string(res.rows[j][1]));
				json_object_object_add(o, "n", json_object_new_int64(num(res.rows[j][two ? 2 : 1])));
				json_object_array_add(rows, o);
			}
			continue;
		}
		for (size_t j = lower(f, 0, f->dept, t[i].dim, ""); in_dim(f, j, 0, f->dept, t[i].dim); j++) {
			if (f->rows[j].v[0] > 0) {
				tp[nt].code = f->rows[j].code;
				tp[nt++].n = f->rows[j].v[0];
			}
		}
		qsort(tp, nt, sizeof(*tp), top_cmp);
		for (size_t j = 0; j < nt && j < 10; j++) {
			struct json_object *o = json_object_new_object();
			const char *tab = strchr(tp[j].code, '\t');
			if (tab != NULL) {
				json_object_object_add(o, "a", json_object_new_string_len(tp[j].code, (int)(tab - tp[j].code)));
				json_object_object_add(o, "b", json_object_new_string(tab + 1));
			} else {
				json_object_object_add(o, "a", json_object_new_string(tp[j].code));
			}
			json_object_object_add(o, "n", json_object_new_int64(tp[j].n));
			json_object_array_add(rows, o);
		}
	}
	return KESU_OK;
}

/* The 12-month trend up to the period's last month. */
static int
trend(const struct figs *f, struct json_object *out)
{
	struct json_object *tr = json_object_new_object(), *labels = json_object_new_array();
	struct json_object *counts = json_object_new_array();
	struct db_res res;
	int y, m, rc;

	json_object_object_add(out, "trend", tr);
	json_object_object_add(tr, "labels", labels);
	json_object_object_add(tr, "counts", counts);
	if (sscanf(f->per->last, "%4d-%2d", &y, &m) != 2)
		return KESU_EINPUT;
	m -= 11;
	if (m < 1) {
		m += 12;
		y--;
	}
	if ((rc = db_exec(f->db, f->a, STMT_STATS_AGG_TREND, &res, "sss", arena_printf(f->a, "%04d-%02d-01", y, m),
	    arena_printf(f->a, "%04d-%02d-01", y + 1, m), f->dept)) != KESU_OK)
		return rc;
	for (int i = 0; i < 12; i++) {
		const char *month = arena_printf(f->a, "%04d-%02d", y + (m - 1 + i) / 12, (m - 1 + i) % 12 + 1);
		long n = 0;
		for (size_t j = 0; j < res.nrows; j++)
			if (res.rows[j][0] != NULL && strcmp(res.rows[j][0], month) == 0)
				n = num(res.rows[j][1]);
		json_object_array_add(labels, json_object_new_string(month));
		json_object_array_add(counts, json_object_new_int64(n));
	}
	return KESU_OK;
}

int
stats_figures(struct db *db, struct arena *a, long utc_offset_min, time_t now, const struct stats_period *per,
    const char *dept, const struct stats_weights *w, struct json_object **out)
{
	struct figs f;
	struct json_object *o, *sections;
	time_t lt = now + utc_offset_min * 60;
	struct tm tm;
	int rc;

	*out = NULL;
	/* Every registration committed before now counts: its journal row folded first (sql/037). */
	{
		int behind = 0;
		if ((rc = stats_fold(db, a, STATS_FOLD_BATCH, STATS_FOLD_READ_BATCHES, NULL, &behind)) != KESU_OK)
			return rc;
		if (behind)
			LOG_WARN("statistics read with registrations still to fold (over %d)",
			    STATS_FOLD_BATCH * STATS_FOLD_READ_BATCHES);
	}
	memset(&f, 0, sizeof(f));
	f.db = db;
	f.a = a;
	f.off = utc_offset_min;
	f.per = per;
	f.dept = dept;
	f.rg[0] = &per->cur;
	f.rg[1] = &per->prev;
	f.rg[2] = &per->yago;
	gmtime_r(&lt, &tm);
	strftime(f.today, sizeof(f.today), "%Y-%m-%d", &tm);
	f.slot = (tm.tm_hour * 60 + tm.tm_min) / 10;
	f.pmap[0] = 0;
	f.pmap[1] = 1;
	/* a year: the year before is also "a year earlier" (read once) */
	f.pmap[2] = strcmp(per->prev.from, per->yago.from) == 0 && strcmp(per->prev.to, per->yago.to) == 0 ? 1 : 2;
	{
		const char *g = per->kind == STATS_RANGE ? "d" : "m";
		const char *yfrom = f.pmap[2] == 2 ? per->yago.from : per->yago.to;   /* [to, to): nothing */
		struct db_res agg;
		if ((rc = db_exec(db, a, STMT_STATS_AGG, &agg, "sssss" "sssss" "sssss", g, per->cur.from, per->cur.to,
		    dept, dept, g, per->prev.from, per->prev.to, dept, dept, g, yfrom, per->yago.to, dept,
		    dept)) != KESU_OK)
			return rc;
		sum_rows(&f, &agg);
	}
	if ((rc = db_exec(db, a, STMT_STATS_AGG_WAIT_TODAY, &f.wait, "sss", f.today, dept, dept)) != KESU_OK)
		return rc;
	{
		/* the start of the current ten minutes, UTC */
		time_t start = now - (time_t)(((lt % 600) + 600) % 600);
		char slot_utc[32];
		struct tm st;
		gmtime_r(&start, &st);
		strftime(slot_utc, sizeof(slot_utc), "%Y-%m-%d %H:%M:%S", &st);
		if ((rc = db_exec(db, a, STMT_STATS_AGG_DUE_TODAY, &f.due, "isis", (int64_t)utc_offset_min, slot_utc,
		    (int64_t)utc_offset_min, slot_utc)) != KESU_OK)
			return rc;
	}
	o = json_object_new_object();
	sections = json_object_new_array();
	json_object_object_add(o, "sections", sections);
	overview(&f, sections);
	breakdown(&f, sections, "category", complaint_categories, "category");
	breakdown(&f, sections, "severity", complaint_severities, "severity");
	breakdown(&f, sections, "channel", complaint_channels, "channel");
	breakdown(&f, sections, "customer_type", complaint_customer_types, "customer_type");
	if ((rc = departments(&f, o, sections, w)) != KESU_OK)
		goto err;
	plans(&f, sections);
	if ((rc = tops(&f, o)) != KESU_OK || (rc = trend(&f, o)) != KESU_OK)
		goto err;
	*out = o;
	return KESU_OK;
err:
	json_object_put(o);
	return rc;
}

struct json_object *
stats_frozen(struct json_object *figs)
{
	struct json_object *f = json_object_new_object(), *secs = json_object_new_object(), *kpi = json_object_new_object();
	struct json_object *sections = json_object_object_get(figs, "sections"), *k = json_object_object_get(figs, "kpi");

	for (size_t i = 0; i < json_object_array_length(sections); i++) {
		struct json_object *s = json_object_array_get_idx(sections, i), *m = json_object_new_object();
		struct json_object *rows = json_object_object_get(s, "rows");
		for (size_t j = 0; j < json_object_array_length(rows); j++) {
			struct json_object *o = json_object_array_get_idx(rows, j);
			enum fig_kind kd = (enum fig_kind)json_object_get_int(json_object_object_get(o, "kind"));
			long v = (long)json_object_get_int64(json_object_array_get_idx(json_object_object_get(o, "v"), 0));
			/* a count or an amount with nothing counted is 0; a rate, average or score: null */
			if (v < 0 && (kd == FIG_COUNT || kd == FIG_FEN))
				v = 0;
			json_object_object_add(m, json_object_get_string(json_object_object_get(o, "code")),
			    v < 0 ? NULL : json_object_new_int64(v));
		}
		json_object_object_add(secs, json_object_get_string(json_object_object_get(s, "key")), m);
	}
	for (size_t i = 0; i < json_object_array_length(k); i++) {
		struct json_object *o = json_object_array_get_idx(k, i);
		long score = (long)json_object_get_int64(json_object_object_get(o, "score"));
		json_object_object_add(kpi, json_object_get_string(json_object_object_get(o, "department")),
		    score < 0 ? NULL : json_object_new_int64(score));
	}
	json_object_object_add(f, "sections", secs);
	json_object_object_add(f, "kpi", kpi);
	return f;
}

int
stats_close_target(const char *today, char out[8])
{
	int y, m, d;

	if (today == NULL || sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3 || d < 10)
		return 0;
	if (--m < 1) {
		m = 12;
		y--;
	}
	if (y < 2000 || y > 2099)
		return 0;
	{
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%04d-%02d", y, m);
		memcpy(out, tmp, 8);
	}
	return 1;
}

struct freeze {
	struct arena *a;
	const struct audit_actor *who;
	const char *month, *figures, *hash;
	int replace, did;
};

static int
freeze_tx(struct db *db, void *arg)
{
	struct freeze *t = arg;
	struct json_object *after;
	struct db_res res;
	int rc;

	t->did = 0;
	if ((rc = db_exec(db, t->a, STMT_STATS_REPORT_LOCK, &res, "s", t->month)) != KESU_OK)
		return rc;
	if (res.nrows == 1 && !t->replace)
		return KESU_OK;          /* closed already: nothing more */
	if (res.nrows == 1 && res.rows[0][1] != NULL)
		return KESU_ECONFLICT;   /* signed: it never changes */
	if (res.nrows == 1)
		rc = db_exec(db, t->a, STMT_STATS_REPORT_UPDATE, NULL, "ssss", t->figures, t->hash, t->who->uid,
		    res.rows[0][0]);
	else
		rc = db_exec(db, t->a, STMT_STATS_REPORT_INSERT, NULL, "ssss", t->month, t->figures, t->hash,
		    t->who->uid);
	if (rc != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "period", json_object_new_string(t->month));
	json_object_object_add(after, "content_hash", json_object_new_string(t->hash));
	rc = audit_write(db, t->a, t->who, "stats_report", t->month, "stats_report_freeze", NULL, after);
	json_object_put(after);
	t->did = rc == KESU_OK;
	return rc;
}

int
stats_freeze_month(struct db *db, struct arena *a, long utc_offset_min, time_t now, const char *month,
    const struct stats_weights *w, const struct audit_actor *who, int replace, int *did, char hash[65])
{
	struct stats_period per;
	struct json_object *figs, *frozen;
	struct freeze t;
	struct db_res res;
	int rc;

	*did = 0;
	hash[0] = '\0';
	if (month == NULL || stats_period_parse(month, NULL, NULL, "2000-01-01", &per) != NULL ||
	    per.kind != STATS_MONTH)
		return KESU_EINPUT;
	/* closing again: nothing to compute */
	if (!replace) {
		if ((rc = db_exec(db, a, STMT_STATS_REPORT_EXISTS, &res, "s", month)) != KESU_OK)
			return rc;
		if (res.nrows > 0) {
			snprintf(hash, 65, "%s", res.rows[0][1]);
			return KESU_OK;
		}
	}
	if ((rc = stats_figures(db, a, utc_offset_min, now, &per, "", w, &figs)) != KESU_OK)
		return rc;
	frozen = stats_frozen(figs);
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.who = who;
	t.month = month;
	t.replace = replace;
	t.figures = arena_strdup(a, json_object_to_json_string_ext(frozen, JSON_C_TO_STRING_PLAIN));
	crypto_sha256_hex(t.figures, strlen(t.figures), hash);
	t.hash = hash;
	json_object_put(frozen);
	json_object_put(figs);
	if ((rc = db_tx(db, freeze_tx, &t)) != KESU_OK)
		return rc;
	*did = t.did;
	return KESU_OK;
}
