/* page_stats.c: the complaint statistics (/stats): the procedure's table for a period beside the one before and a year earlier, the department KPI, and its CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "access.h"
#include "complaint.h"
#include "csv.h"
#include "handlers.h"
#include "i18n.h"
#include "money.h"
#include "stats.h"
#include "xlsx.h"
#include "crypto.h"
#include "sign.h"
#include "step.h"

/* Who sees the whole company; a department head sees their department (and the company's total). */
#define STATS_WHOLE (SEES_ALL | ROLE_BIT(ROLE_QA_DIRECTOR))

enum fig_kind { FIG_COUNT, FIG_PERMILLE, FIG_MINUTES, FIG_FEN, FIG_SAT };

/* One figure in the three periods; -1 (rates, averages) means "nothing to count". */
struct fig {
	long v[3];
};

struct stats_ctx {
	struct app *app;
	struct req *r;
	struct stats_period per;
	const char *utc[6];          /* cur, prev, yago: from, to in UTC */
	const char *dept;            /* "" for the whole company */
	const char *first[3], *last[3];  /* local dates of each period, for the list's from/to */
};

static void
last_day(const char *to_excl, char out[11])
{
	struct tm tm;
	time_t t;
	int y, m, d;

	memset(&tm, 0, sizeof(tm));
	sscanf(to_excl, "%4d-%2d-%2d", &y, &m, &d);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d - 1;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static const char *
fmt_fig(struct arena *a, enum fig_kind k, long v)
{
	if (v < 0 && k != FIG_COUNT && k != FIG_FEN)
		return "—";
	switch (k) {
	case FIG_PERMILLE:
		return arena_printf(a, "%ld.%ld%%", v / 10, v % 10);
	case FIG_MINUTES:   /* hours with one decimal */
		return arena_printf(a, "%ld.%ld h", (v + 3) / 60, ((v + 3) % 60) / 6);
	case FIG_FEN:
		return fmt_yuan(a, v);
	case FIG_SAT:       /* hundredths */
		return arena_printf(a, "%ld.%02ld", v / 100, v % 100);
	case FIG_COUNT:
	default:
		return arena_printf(a, "%ld", v);
	}
}

static const char *
fmt_change(struct arena *a, enum fig_kind k, long now, long then)
{
	long d;

	if (now < 0 || then < 0) {
		if (k == FIG_COUNT || k == FIG_FEN) {
			now = now < 0 ? 0 : now;
			then = then < 0 ? 0 : then;
		} else {
			return "—";
		}
	}
	d = now - then;
	if (d == 0)
		return "±0";
	if (k == FIG_PERMILLE)
		return arena_printf(a, "%s%ld.%ld pt", d > 0 ? "+" : "-", labs(d) / 10, labs(d) % 10);
	return arena_printf(a, "%s%s", d > 0 ? "+" : "-", fmt_fig(a, k, labs(d)));
}

/* A drill-down link: the list with the period's dates and one more filter (NULL: none). */
static const char *
list_url(struct stats_ctx *x, int p, const char *key, const char *val)
{
	struct buf b;
	const char *out;

	buf_init(&b);
	buf_puts(&b, "/complaints?from=");
	buf_puts(&b, x->first[p]);
	buf_puts(&b, "&to=");
	buf_puts(&b, x->last[p]);
	if (key != NULL) {
		buf_putc(&b, '&');
		buf_puts(&b, key);
		buf_putc(&b, '=');
		buf_url_encode(&b, val);
	}
	out = arena_strndup(x->r->a, b.p, b.len);
	buf_free(&b);
	return out;
}

/* A row: label, the three values, the changes, a link per value when key is given. */
static void
add_row(struct stats_ctx *x, struct json_object *rows, const char *code, const char *label, enum fig_kind k,
    const struct fig *f, const char *key, const char *val)
{
	static const char *const names[3] = { "cur", "prev", "yago" };
	struct arena *a = x->r->a;
	struct json_object *o = json_object_new_object();

	static const char *const units[] = { [FIG_COUNT] = "count", [FIG_PERMILLE] = "rate", [FIG_MINUTES] = "hours",
		[FIG_FEN] = "yuan", [FIG_SAT] = "score" };

	json_object_object_add(o, "code", jstr(code));
	json_object_object_add(o, "label", jstr(label));
	json_object_object_add(o, "unit", jstr(units[k]));
	json_object_object_add(o, "kind", json_object_new_int(k));
	for (int p = 0; p < 3; p++) {
		long v = f->v[p];
		if (v < 0 && (k == FIG_COUNT || k == FIG_FEN))
			v = 0;
		json_object_object_add(o, names[p], jstr(fmt_fig(a, k, v)));
		json_object_object_add(o, arena_printf(a, "%s_n", names[p]),
		    v < 0 ? NULL : json_object_new_int64(v));
		if (key != NULL)
			json_object_object_add(o, arena_printf(a, "%s_url", names[p]),
			    jstr(list_url(x, p, *key ? key : NULL, val)));
	}
	json_object_object_add(o, "change_prev", jstr(fmt_change(a, k, f->v[0], f->v[1])));
	json_object_object_add(o, "change_yago", jstr(fmt_change(a, k, f->v[0], f->v[2])));
	json_object_array_add(rows, o);
}

static struct json_object *
section(struct json_object *sections, struct req *r, const char *key)
{
	struct json_object *s = json_object_new_object(), *rows = json_object_new_array();

	json_object_object_add(s, "key", jstr(key));
	json_object_object_add(s, "title", jstr(T(r, arena_printf(r->a, "stats_%s", key))));
	json_object_object_add(s, "rows", rows);
	json_object_array_add(sections, s);
	return rows;
}

static int
run(struct stats_ctx *x, enum stmt id, const char *dept, struct db_res *res)
{
	return db_exec(x->app->db, x->r->a, id, res, "ssssssss", x->utc[0], x->utc[1], x->utc[2], x->utc[3],
	    x->utc[4], x->utc[5], dept, dept);
}

static long
num(const char *s)
{
	return s == NULL ? -1 : strtol(s, NULL, 10);
}

/* A breakdown by one column: every code of codes (NULL-terminated) gets a row, zeros included. */
static int
breakdown(struct stats_ctx *x, struct json_object *sections, enum stmt id, const char *key,
    const char *field, const char *const *codes, const char *filter)
{
	struct json_object *rows = section(sections, x->r, key);
	struct db_res res;
	int rc;

	if ((rc = run(x, id, x->dept, &res)) != KESU_OK)
		return rc;
	for (; *codes != NULL; codes++) {
		struct fig f = { { 0, 0, 0 } };
		for (size_t i = 0; i < res.nrows; i++)
			if (res.rows[i][1] != NULL && strcmp(res.rows[i][1], *codes) == 0)
				f.v[atoi(res.rows[i][0])] = num(res.rows[i][2]);
		add_row(x, rows, *codes, view_label(x->r, field, *codes), FIG_COUNT, &f, filter, *codes);
	}
	return KESU_OK;
}

static const char *const responsibilities[] = { "company", "customer", "shared", NULL };
static const char *const remedies[] = { "compensation", "discount", "return", "repair", "replacement", "apology",
	NULL };

/* Totals: one struct fig per column of STMT_STATS_TOTALS. */
enum { T_N = 1, T_QTY, T_DEF, T_RESP_OK, T_RESP_DUE, T_RES_OK, T_RES_DUE, T_CLOSED, T_AVG_MIN, T_SAT_N,
	T_SAT_SUM, T_SAT1, T_SAT2, T_SAT3, T_SAT4, T_SAT5, T_REPEAT, T__MAX };

static int
totals(struct stats_ctx *x, const char *dept, long t[3][T__MAX], long median[3])
{
	struct db_res res;
	int rc;

	memset(t, 0, sizeof(long) * 3 * T__MAX);
	for (int p = 0; p < 3; p++) {
		t[p][T_AVG_MIN] = -1;
		median[p] = -1;
	}
	if ((rc = run(x, STMT_STATS_TOTALS, dept, &res)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		int p = atoi(res.rows[i][0]);
		for (int k = T_N; k < T__MAX; k++)
			t[p][k] = k == T_AVG_MIN ? (res.rows[i][k] ? (long)(strtod(res.rows[i][k], NULL) + 0.5) : -1) :
			    num(res.rows[i][k]);
	}
	if ((rc = run(x, STMT_STATS_MEDIAN, dept, &res)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++)
		if (res.rows[i][1] != NULL)
			median[atoi(res.rows[i][0])] = (long)(strtod(res.rows[i][1], NULL) + 0.5);
	return KESU_OK;
}

static int
overview(struct stats_ctx *x, struct json_object *sections)
{
	long t[3][T__MAX], med[3];
	struct json_object *rows;
	struct fig f;
	int rc;

	if ((rc = totals(x, x->dept, t, med)) != KESU_OK)
		return rc;
	rows = section(sections, x->r, "overview");
#define ROW(code, kind, expr, key, val) do { \
		for (int p = 0; p < 3; p++) f.v[p] = (expr); \
		add_row(x, rows, code, T(x->r, "stats_" code), kind, &f, key, val); \
	} while (0)
	ROW("complaints", FIG_COUNT, t[p][T_N], "", NULL);
	ROW("quantity", FIG_COUNT, t[p][T_QTY], NULL, NULL);
	ROW("defective", FIG_COUNT, t[p][T_DEF], NULL, NULL);
	ROW("response_on_time", FIG_PERMILLE, stats_permille(t[p][T_RESP_OK], t[p][T_RESP_DUE]), NULL, NULL);
	ROW("resolution_on_time", FIG_PERMILLE, stats_permille(t[p][T_RES_OK], t[p][T_RES_DUE]), NULL, NULL);
	ROW("closed", FIG_COUNT, t[p][T_CLOSED], "status", "closed");
	ROW("resolution_rate", FIG_PERMILLE, stats_permille(t[p][T_CLOSED], t[p][T_N]), NULL, NULL);
	ROW("close_avg", FIG_MINUTES, t[p][T_AVG_MIN], NULL, NULL);
	ROW("close_median", FIG_MINUTES, med[p], NULL, NULL);
	ROW("satisfaction_avg", FIG_SAT, t[p][T_SAT_N] > 0 ? (t[p][T_SAT_SUM] * 200 + t[p][T_SAT_N]) /
	    (2 * t[p][T_SAT_N]) : -1, NULL, NULL);
	ROW("satisfaction_1", FIG_COUNT, t[p][T_SAT1], NULL, NULL);
	ROW("satisfaction_2", FIG_COUNT, t[p][T_SAT2], NULL, NULL);
	ROW("satisfaction_3", FIG_COUNT, t[p][T_SAT3], NULL, NULL);
	ROW("satisfaction_4", FIG_COUNT, t[p][T_SAT4], NULL, NULL);
	ROW("satisfaction_5", FIG_COUNT, t[p][T_SAT5], NULL, NULL);
	ROW("repeat", FIG_COUNT, t[p][T_REPEAT], "repeat", "1");
#undef ROW
	if (*x->dept != '\0') {
		/* a department head also sees the company's total */
		long ct[3][T__MAX], cm[3];
		if ((rc = totals(x, "", ct, cm)) != KESU_OK)
			return rc;
		for (int p = 0; p < 3; p++)
			f.v[p] = ct[p][T_N];
		add_row(x, rows, "company_complaints", T(x->r, "stats_company_complaints"), FIG_COUNT, &f, NULL, NULL);
	}
	return KESU_OK;
}

/* Responsibility (count and loss) and remedies (count, money, quantity) of the plans in force. */
static int
plans(struct stats_ctx *x, struct json_object *sections)
{
	struct json_object *rows = section(sections, x->r, "responsibility"), *money;
	struct fig loss = { { 0, 0, 0 } }, comp = { { 0, 0, 0 } }, disc = { { 0, 0, 0 } }, ret = { { 0, 0, 0 } };
	struct db_res res;
	int rc;

	if ((rc = run(x, STMT_STATS_BY_RESPONSIBILITY, x->dept, &res)) != KESU_OK)
		return rc;
	for (const char *const *c = responsibilities; *c != NULL; c++) {
		struct fig f = { { 0, 0, 0 } };
		for (size_t i = 0; i < res.nrows; i++)
			if (strcmp(res.rows[i][1], *c) == 0)
				f.v[atoi(res.rows[i][0])] = num(res.rows[i][2]);
		add_row(x, rows, *c, view_label(x->r, "responsibility", *c), FIG_COUNT, &f, NULL, NULL);
	}
	for (size_t i = 0; i < res.nrows; i++)
		loss.v[atoi(res.rows[i][0])] += num(res.rows[i][3]);

	rows = section(sections, x->r, "remedy");
	if ((rc = run(x, STMT_STATS_BY_REMEDY, x->dept, &res)) != KESU_OK)
		return rc;
	for (const char *const *c = remedies; *c != NULL; c++) {
		struct fig f = { { 0, 0, 0 } };
		for (size_t i = 0; i < res.nrows; i++) {
			int p = atoi(res.rows[i][0]);
			if (strcmp(res.rows[i][1], *c) != 0)
				continue;
			f.v[p] = num(res.rows[i][2]);
			if (strcmp(*c, "compensation") == 0)
				comp.v[p] = num(res.rows[i][3]);
			else if (strcmp(*c, "discount") == 0)
				disc.v[p] = num(res.rows[i][3]);
			else if (strcmp(*c, "return") == 0)
				ret.v[p] = num(res.rows[i][4]);
		}
		add_row(x, rows, *c, view_label(x->r, "remedy", *c), FIG_COUNT, &f, NULL, NULL);
	}
	money = section(sections, x->r, "money");
	add_row(x, money, "compensation", T(x->r, "stats_compensation"), FIG_FEN, &comp, NULL, NULL);
	add_row(x, money, "discount", T(x->r, "stats_discount"), FIG_FEN, &disc, NULL, NULL);
	add_row(x, money, "return_quantity", T(x->r, "stats_return_quantity"), FIG_COUNT, &ret, NULL, NULL);
	add_row(x, money, "loss", T(x->r, "stats_loss"), FIG_FEN, &loss, NULL, NULL);
	return KESU_OK;
}

static const char *
dept_name(struct stats_ctx *x, struct db_res *depts, const char *code)
{
	for (size_t i = 0; i < depts->nrows; i++)
		if (strcmp(depts->rows[i][0], code) == 0)
			return depts->rows[i][x->r->lang == LANG_ZH ? 1 : 2];
	return code;
}

/* The formula as the page says it: the catalog's text with {t}, {s}, {r} replaced by the weights. */
static const char *
kpi_formula(struct req *r, long wt, long ws, long wr)
{
	const char *f = T(r, "stats_kpi_formula");
	struct buf b;
	const char *out;

	buf_init(&b);
	for (; *f != '\0'; f++) {
		if (f[0] == '{' && (f[1] == 't' || f[1] == 's' || f[1] == 'r') && f[2] == '}') {
			buf_puts(&b, arena_printf(r->a, "%ld", f[1] == 't' ? wt : f[1] == 's' ? ws : wr));
			f += 2;
		} else {
			buf_putc(&b, *f);
		}
	}
	out = arena_strndup(r->a, b.p, b.len);
	buf_free(&b);
	return out;
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

/* Departments: counts per period, and the KPI of the period asked for, ranked. */
static int
departments(struct stats_ctx *x, struct json_object *v, struct json_object *sections)
{
	struct json_object *rows = section(sections, x->r, "department"), *kpi = json_object_new_array();
	long wt = conf_int(x->app->conf, "kpi.weight_timeliness", 30);
	long ws = conf_int(x->app->conf, "kpi.weight_satisfaction", 40);
	long wr = conf_int(x->app->conf, "kpi.weight_resolution", 30);
	struct db_res res, depts;
	struct kpi_row *k;
	size_t nk = 0;
	int rc;

	json_object_object_add(v, "kpi", kpi);
	if ((rc = view_departments(x->app, x->r->a, &depts)) != KESU_OK)
		return rc;
	if ((rc = run(x, STMT_STATS_BY_DEPARTMENT, x->dept, &res)) != KESU_OK)
		return rc;
	k = arena_alloc(x->r->a, (depts.nrows + 1) * sizeof(*k));
	for (size_t d = 0; d < depts.nrows; d++) {
		const char *code = depts.rows[d][0];
		struct fig f = { { 0, 0, 0 } };
		if (*x->dept != '\0' && strcmp(code, x->dept) != 0)
			continue;
		for (size_t i = 0; i < res.nrows; i++) {
			char **c = res.rows[i];
			if (strcmp(c[1], code) != 0)
				continue;
			f.v[atoi(c[0])] = num(c[2]);
			if (atoi(c[0]) == 0) {
				long sat_n = num(c[5]);
				k[nk].code = code;
				k[nk].n = num(c[2]);
				k[nk].timely = stats_permille(num(c[3]), num(c[4]));
				/* satisfaction 1..5 as per mille of 5 */
				k[nk].sat = sat_n > 0 ? stats_permille(num(c[6]), sat_n * 5) : -1;
				k[nk].resolved = stats_permille(num(c[7]), num(c[2]));
				k[nk].score = stats_kpi(k[nk].timely, k[nk].sat, k[nk].resolved, wt, ws, wr);
				nk++;
			}
		}
		add_row(x, rows, code, dept_name(x, &depts, code), FIG_COUNT, &f, NULL, NULL);
	}
	qsort(k, nk, sizeof(*k), kpi_cmp);
	for (size_t i = 0; i < nk; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "rank", json_object_new_int((int)i + 1));
		json_object_object_add(o, "department", jstr(k[i].code));
		json_object_object_add(o, "name", jstr(dept_name(x, &depts, k[i].code)));
		json_object_object_add(o, "complaints", json_object_new_int64(k[i].n));
		json_object_object_add(o, "timeliness", jstr(fmt_fig(x->r->a, FIG_PERMILLE, k[i].timely)));
		json_object_object_add(o, "satisfaction", jstr(fmt_fig(x->r->a, FIG_PERMILLE, k[i].sat)));
		json_object_object_add(o, "resolution", jstr(fmt_fig(x->r->a, FIG_PERMILLE, k[i].resolved)));
		json_object_object_add(o, "score", jstr(k[i].score < 0 ? "—" :
		    arena_printf(x->r->a, "%ld.%ld", k[i].score / 10, k[i].score % 10)));
		json_object_object_add(o, "score_permille", k[i].score < 0 ? NULL : json_object_new_int64(k[i].score));
		json_object_array_add(kpi, o);
	}
	json_object_object_add(v, "kpi_formula", jstr(kpi_formula(x->r, wt, ws, wr)));
	return KESU_OK;
}

/* The top ten customers, products and part/lot pairs of the period asked for. */
static int
tops(struct stats_ctx *x, struct json_object *v)
{
	static const struct { enum stmt id; const char *key; int cols; } t[] = {
		{ STMT_STATS_TOP_CUSTOMERS, "top_customers", 1 },
		{ STMT_STATS_TOP_PRODUCTS, "top_products", 1 },
		{ STMT_STATS_TOP_PART_LOTS, "top_part_lots", 2 },
	};
	struct json_object *all = json_object_new_array();
	struct db_res res;
	int rc;

	json_object_object_add(v, "tops", all);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct json_object *s = json_object_new_object(), *rows = json_object_new_array();
		json_object_object_add(s, "key", jstr(t[i].key));
		json_object_object_add(s, "title", jstr(T(x->r, arena_printf(x->r->a, "stats_%s", t[i].key))));
		json_object_object_add(s, "rows", rows);
		json_object_array_add(all, s);
		if ((rc = run(x, t[i].id, x->dept, &res)) != KESU_OK)
			return rc;
		for (size_t j = 0; j < res.nrows; j++) {
			char **c = res.rows[j];
			struct json_object *o = json_object_new_object();
			json_object_object_add(o, "label", jstr(t[i].cols == 2 ?
			    arena_printf(x->r->a, "%s / %s", c[0], c[1]) : c[0]));
			json_object_object_add(o, "count", json_object_new_int64(num(c[t[i].cols])));
			/* the list's search matches the start of a name or number: the customer's name */
			if (t[i].id == STMT_STATS_TOP_CUSTOMERS && strlen(c[0]) <= 64)
				json_object_object_add(o, "url", jstr(list_url(x, 0, "q", c[0])));
			json_object_array_add(rows, o);
		}
	}
	return KESU_OK;
}

/* {labels: [...], counts: [...]} of a section's rows ("cur_n"), or of the KPI ("score_permille" / 10). */
static struct json_object *
series(struct json_object *rows, const char *label, const char *value, int tenths)
{
	struct json_object *o = json_object_new_object(), *l = json_object_new_array(), *c = json_object_new_array();

	for (size_t i = 0; rows != NULL && i < json_object_array_length(rows); i++) {
		struct json_object *row = json_object_array_get_idx(rows, i), *n = json_object_object_get(row, value);
		json_object_array_add(l, json_object_get(json_object_object_get(row, label)));
		json_object_array_add(c, tenths ? json_object_new_double(n ? json_object_get_int64(n) / 10.0 : 0) :
		    json_object_new_int64(n ? json_object_get_int64(n) : 0));
	}
	json_object_object_add(o, "labels", l);
	json_object_object_add(o, "counts", c);
	return o;
}

static struct json_object *
section_rows(struct json_object *v, const char *key)
{
	struct json_object *sections = json_object_object_get(v, "sections");

	for (size_t i = 0; i < json_object_array_length(sections); i++) {
		struct json_object *s = json_object_array_get_idx(sections, i);
		if (strcmp(json_object_get_string(json_object_object_get(s, "key")), key) == 0)
			return json_object_object_get(s, "rows");
	}
	return NULL;
}

/*
 * The charts' data (static/stats.js draws them): the 12 months up to the period's last, the
 * category and level breakdowns, the KPI ranking — "charts" in the JSON twin, and as text
 * for the page's <script type="application/json"> with < > & ' written as \u escapes, so the
 * block cannot be closed or broken by any name in it.
 */
static int
charts(struct stats_ctx *x, struct json_object *v)
{
	struct json_object *ch = json_object_new_object(), *trend = json_object_new_object();
	struct json_object *labels = json_object_new_array(), *counts = json_object_new_array();
	struct db_res res;
	struct buf b;
	const char *js, *from_utc, *to_utc;
	int y, m, rc;

	json_object_object_add(v, "charts", ch);
	sscanf(x->last[0], "%4d-%2d", &y, &m);
	/* the first month of the twelve */
	m -= 11;
	if (m < 1) {
		m += 12;
		y--;
	}
	from_utc = view_utc_time(x->app, x->r->a, arena_printf(x->r->a, "%04d-%02d-01 00:00", y, m));
	/* twelve months after the first */
	to_utc = view_utc_time(x->app, x->r->a, arena_printf(x->r->a, "%04d-%02d-01 00:00", y + 1, m));
	if (from_utc == NULL || to_utc == NULL)
		return KESU_EINPUT;
	if ((rc = db_exec(x->app->db, x->r->a, STMT_STATS_TREND, &res, "issss", (int64_t)x->app->utc_offset_min,
	    from_utc, to_utc, x->dept, x->dept)) != KESU_OK)
		return rc;
	for (int i = 0; i < 12; i++) {
		const char *month = arena_printf(x->r->a, "%04d-%02d", y + (m - 1 + i) / 12, (m - 1 + i) % 12 + 1);
		long n = 0;
		for (size_t j = 0; j < res.nrows; j++)
			if (res.rows[j][0] != NULL && strcmp(res.rows[j][0], month) == 0)
				n = num(res.rows[j][1]);
		json_object_array_add(labels, jstr(month));
		json_object_array_add(counts, json_object_new_int64(n));
	}
	json_object_object_add(trend, "labels", labels);
	json_object_object_add(trend, "counts", counts);
	json_object_object_add(ch, "trend", trend);
	json_object_object_add(ch, "category", series(section_rows(v, "category"), "label", "cur_n", 0));
	json_object_object_add(ch, "severity", series(section_rows(v, "severity"), "label", "cur_n", 0));
	json_object_object_add(ch, "kpi", series(json_object_object_get(v, "kpi"), "name", "score_permille", 1));
	{
		struct json_object *t = json_object_new_object();
		json_object_object_add(t, "trend", jstr(T(x->r, "stats_chart_trend")));
		json_object_object_add(t, "category", jstr(T(x->r, "stats_category")));
		json_object_object_add(t, "severity", jstr(T(x->r, "stats_severity")));
		json_object_object_add(t, "kpi", jstr(T(x->r, "stats_kpi_score")));
		json_object_object_add(ch, "titles", t);
	}
	js = json_object_to_json_string_ext(ch, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	buf_init(&b);
	for (; *js != '\0'; js++) {
		if (*js == '<')
			buf_puts(&b, "\\u003c");
		else if (*js == '>')
			buf_puts(&b, "\\u003e");
		else if (*js == '&')
			buf_puts(&b, "\\u0026");
		else if (*js == '\'')
			buf_puts(&b, "\\u0027");
		else
			buf_putc(&b, *js);
	}
	json_object_object_add(v, "chart_json", json_object_new_string_len(b.p, (int)b.len));
	buf_free(&b);
	return KESU_OK;
}

static int
stats_scope(struct req *r, const char **dept)
{
	if (sess_has(r, STATS_WHOLE)) {
		*dept = "";
		return KESU_OK;
	}
	if (sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)) && r->sess->department != NULL && *r->sess->department != '\0') {
		*dept = r->sess->department;
		return KESU_OK;
	}
	return KESU_ENOTFOUND;
}

/* The view model of /stats; *bad: the po key of a period that cannot be read (the page says so, 422). */
static int report_annotate(struct stats_ctx *x, struct json_object *v);

static int
stats_build_for(struct app *app, struct req *r, const char *period, const char *from, const char *to,
    struct json_object **out, const char **bad)
{
	struct stats_ctx x;
	struct json_object *v, *sections, *per;
	char today[11], lasts[3][11];
	const struct stats_range *rg[3];
	time_t now = time(NULL) + app->utc_offset_min * 60;
	struct tm tm;
	int rc;

	memset(&x, 0, sizeof(x));
	x.app = app;
	x.r = r;
	*bad = NULL;
	if ((rc = stats_scope(r, &x.dept)) != KESU_OK)
		return rc;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	v = view_new(app, r);
	*out = v;
	per = json_object_new_object();
	json_object_object_add(v, "period", per);
	json_object_object_add(per, "value", jstr(period));
	json_object_object_add(per, "from_value", jstr(from));
	json_object_object_add(per, "to_value", jstr(to));
	if ((*bad = stats_period_parse(period, from, to, today, &x.per)) != NULL) {
		json_object_object_add(v, "error", jstr(T(r, *bad)));
		return KESU_OK;
	}
	rg[0] = &x.per.cur;
	rg[1] = &x.per.prev;
	rg[2] = &x.per.yago;
	for (int p = 0; p < 3; p++) {
		x.utc[2 * p] = view_utc_time(app, r->a, arena_printf(r->a, "%s 00:00", rg[p]->from));
		x.utc[2 * p + 1] = view_utc_time(app, r->a, arena_printf(r->a, "%s 00:00", rg[p]->to));
		last_day(rg[p]->to, lasts[p]);
		x.first[p] = rg[p]->from;
		x.last[p] = arena_strdup(r->a, lasts[p]);
		if (x.utc[2 * p] == NULL || x.utc[2 * p + 1] == NULL)
			return KESU_EINPUT;
	}
	json_object_object_add(per, "label", jstr(x.per.label));
	json_object_object_add(per, "is_month", json_object_new_boolean(x.per.kind == STATS_MONTH));
	json_object_object_add(v, "can_freeze", json_object_new_boolean(*x.dept == '\0' &&
	    sess_has(r, ROLE_BIT(ROLE_QA_DIRECTOR) | ROLE_BIT(ROLE_SUPERVISOR))));
	json_object_object_add(per, "from", jstr(x.first[0]));
	json_object_object_add(per, "to", jstr(x.last[0]));
	json_object_object_add(per, "prev", jstr(arena_printf(r->a, "%s – %s", x.first[1], x.last[1])));
	json_object_object_add(per, "yago", jstr(arena_printf(r->a, "%s – %s", x.first[2], x.last[2])));
	json_object_object_add(v, "department", *x.dept ? jstr(x.dept) : NULL);
	sections = json_object_new_array();
	json_object_object_add(v, "sections", sections);
	if ((rc = overview(&x, sections)) != KESU_OK ||
	    (rc = breakdown(&x, sections, STMT_STATS_BY_CATEGORY, "category", "category", complaint_categories,
	    "category")) != KESU_OK ||
	    (rc = breakdown(&x, sections, STMT_STATS_BY_SEVERITY, "severity", "severity", complaint_severities,
	    "severity")) != KESU_OK ||
	    (rc = breakdown(&x, sections, STMT_STATS_BY_CHANNEL, "channel", "channel", complaint_channels,
	    "channel")) != KESU_OK ||
	    (rc = breakdown(&x, sections, STMT_STATS_BY_CUSTOMER_TYPE, "customer_type", "customer_type",
	    complaint_customer_types, NULL)) != KESU_OK ||
	    (rc = departments(&x, v, sections)) != KESU_OK ||
	    (rc = plans(&x, sections)) != KESU_OK ||
	    (rc = tops(&x, v)) != KESU_OK ||
	    (rc = charts(&x, v)) != KESU_OK ||
	    (rc = report_annotate(&x, v)) != KESU_OK) {
		if (rc == KESU_EDB && db_errno(app->db) == 1969) {
			/* max_statement_time: say so instead of an error page */
			json_object_object_add(v, "error", jstr(T(r, "err_stats_too_long")));
			json_object_object_add(v, "sections", json_object_new_array());
			*bad = "err_stats_too_long";
			return KESU_OK;
		}
		json_object_put(v);
		*out = NULL;
		return rc;
	}
	{
		const char *q = x.per.kind == STATS_RANGE ? arena_printf(r->a, "from=%s&to=%s", x.first[0], x.last[0]) :
		    arena_printf(r->a, "period=%s", x.per.label);
		json_object_object_add(v, "csv_url", jstr(arena_printf(r->a, "/stats.csv?%s", q)));
		json_object_object_add(v, "xlsx_url", jstr(arena_printf(r->a, "/stats.xlsx?%s", q)));
	}
	return KESU_OK;
}

static int
stats_build(struct app *app, struct req *r, struct json_object **out, const char **bad)
{
	return stats_build_for(app, r, req_query(r, "period"), req_query(r, "from"), req_query(r, "to"), out, bad);
}

/* GET /stats: the statistics page (JSON twin with Accept: application/json). */
int
page_stats(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v = NULL;
	const char *bad;
	int rc;

	if ((rc = stats_build(app, r, &v, &bad)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, bad != NULL ? 422 : 200, "stats", v);
	return KESU_OK;
}

/*
 * A change as a spreadsheet number: "+2" -> 2, "-33.3 pt" -> -33.3, "+1,500.00" -> 1500.00,
 * "±0" -> 0, unquoted; anything else ("—") as a defused text cell. The server wrote these
 * from integers, so a plain number is all they can be; a leading '+' would read as a formula.
 */
static void
csv_change(struct buf *b, const char *s)
{
	char tmp[64];
	size_t n = 0;
	int digits = 0;

	if (strcmp(s, "±0") == 0) {
		buf_putc(b, '0');
		return;
	}
	if (*s == '+')
		s++;
	for (; *s != '\0' && n < sizeof(tmp) - 1; s++) {
		if (*s == ',')
			continue;
		if (*s == ' ' || *s == '%')
			break;
		if ((*s < '0' || *s > '9') && *s != '.' && !(*s == '-' && n == 0)) {
			digits = 0;
			break;
		}
		digits |= *s >= '0' && *s <= '9';
		tmp[n++] = *s;
	}
	tmp[n] = '\0';
	if (digits)
		buf_puts(b, tmp);
	else
		csv_field(b, "—");
}

/* GET /stats.csv: the same table and the KPI as CSV (UTF-8 BOM, formula cells defused). */
int
page_stats_csv(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v = NULL, *sections, *kpi;
	const char *bad;
	struct buf b;
	int rc;

	if ((rc = stats_build(app, r, &v, &bad)) != KESU_OK)
		return rc;
	if (bad != NULL) {
		json_object_put(v);
		return KESU_EINPUT;
	}
	buf_init(&b);
	buf_puts(&b, "\xEF\xBB\xBF");
	{
		const char *head[] = { T(r, "stats_section"), T(r, "stats_figure"), T(r, "stats_cur"),
			T(r, "stats_prev"), T(r, "stats_change"), T(r, "stats_yago"), T(r, "stats_change") };
		for (size_t i = 0; i < 7; i++) {
			if (i > 0)
				buf_putc(&b, ',');
			csv_field(&b, head[i]);
		}
		buf_puts(&b, "\r\n");
	}
	sections = json_object_object_get(v, "sections");
	for (size_t i = 0; i < json_object_array_length(sections); i++) {
		struct json_object *s = json_object_array_get_idx(sections, i);
		struct json_object *rows = json_object_object_get(s, "rows");
		for (size_t j = 0; j < json_object_array_length(rows); j++) {
			struct json_object *o = json_object_array_get_idx(rows, j);
			const char *keys[] = { "label", "cur", "prev", "change_prev", "yago", "change_yago" };
			csv_field(&b, json_object_get_string(json_object_object_get(s, "title")));
			for (size_t k = 0; k < 6; k++) {
				const char *cell = json_object_get_string(json_object_object_get(o, keys[k]));
				buf_putc(&b, ',');
				if (strncmp(keys[k], "change_", 7) == 0)
					csv_change(&b, cell);
				else
					csv_field(&b, cell);
			}
			buf_puts(&b, "\r\n");
		}
	}
	kpi = json_object_object_get(v, "kpi");
	buf_puts(&b, "\r\n");
	{
		const char *head[] = { T(r, "stats_kpi_rank"), T(r, "stats_department"), T(r, "stats_complaints"),
			T(r, "stats_kpi_timeliness"), T(r, "stats_kpi_satisfaction"), T(r, "stats_kpi_resolution"),
			T(r, "stats_kpi_score") };
		for (size_t i = 0; i < 7; i++) {
			if (i > 0)
				buf_putc(&b, ',');
			csv_field(&b, head[i]);
		}
		buf_puts(&b, "\r\n");
	}
	for (size_t i = 0; i < json_object_array_length(kpi); i++) {
		struct json_object *o = json_object_array_get_idx(kpi, i);
		const char *keys[] = { "rank", "name", "complaints", "timeliness", "satisfaction", "resolution", "score" };
		for (size_t k = 0; k < 7; k++) {
			if (k > 0)
				buf_putc(&b, ',');
			csv_field(&b, json_object_get_string(json_object_object_get(o, keys[k])));
		}
		buf_puts(&b, "\r\n");
	}
	resp_download(r, rs, "text/csv; charset=utf-8", arena_printf(r->a, "kesu-stats-%s.csv",
	    json_object_get_string(json_object_object_get(json_object_object_get(v, "period"), "label"))),
	    b.p, b.len);
	buf_free(&b);
	json_object_put(v);
	return KESU_OK;
}

/* A figure of the JSON row in the unit a spreadsheet shows ("33.3" for 333 per mille, yuan for fen). */
static const char *
xlsx_value(struct arena *a, const char *unit, struct json_object *n)
{
	long v;

	if (n == NULL)
		return NULL;
	v = (long)json_object_get_int64(n);
	if (strcmp(unit, "rate") == 0)
		return arena_printf(a, "%.1f", v / 10.0);
	if (strcmp(unit, "hours") == 0)
		return arena_printf(a, "%.1f", v / 60.0);
	if (strcmp(unit, "yuan") == 0 || strcmp(unit, "score") == 0)
		return arena_printf(a, "%.2f", v / 100.0);
	return arena_printf(a, "%ld", v);
}

/* GET /stats.xlsx: the table and the KPI as real cells — numbers, rates in %, money in yuan. */
int
page_stats_xlsx(struct app *app, struct req *r, struct resp *rs)
{
	struct xlsx_col cols[] = {
		{ T(r, "stats_section"), XLSX_TEXT, 24 }, { T(r, "stats_figure"), XLSX_TEXT, 30 },
		{ T(r, "stats_unit"), XLSX_TEXT, 8 }, { T(r, "stats_cur"), XLSX_DECIMAL, 14 },
		{ T(r, "stats_prev"), XLSX_DECIMAL, 14 }, { T(r, "stats_change"), XLSX_DECIMAL, 12 },
		{ T(r, "stats_yago"), XLSX_DECIMAL, 14 }, { T(r, "stats_change"), XLSX_DECIMAL, 12 },
	};
	struct json_object *v = NULL, *sections, *kpi;
	const char *bad, *label;
	unsigned char *data;
	struct xlsx *x;
	size_t len;
	int rc;

	if ((rc = stats_build(app, r, &v, &bad)) != KESU_OK)
		return rc;
	if (bad != NULL) {
		json_object_put(v);
		return KESU_EINPUT;
	}
	if ((x = xlsx_new(conf_str(app->conf, "xlsx.tmpdir", "/tmp"), "Kesu", cols, 8)) == NULL) {
		json_object_put(v);
		return KESU_EINTERNAL;
	}
	sections = json_object_object_get(v, "sections");
	for (size_t i = 0; i < json_object_array_length(sections); i++) {
		struct json_object *s = json_object_array_get_idx(sections, i);
		struct json_object *rows = json_object_object_get(s, "rows");
		for (size_t j = 0; j < json_object_array_length(rows); j++) {
			struct json_object *o = json_object_array_get_idx(rows, j);
			const char *unit = json_object_get_string(json_object_object_get(o, "unit"));
			struct json_object *c = json_object_object_get(o, "cur_n"), *p = json_object_object_get(o, "prev_n");
			struct json_object *y = json_object_object_get(o, "yago_n");
			struct json_object *d1 = c && p ? json_object_new_int64(json_object_get_int64(c) -
			    json_object_get_int64(p)) : NULL;
			struct json_object *d2 = c && y ? json_object_new_int64(json_object_get_int64(c) -
			    json_object_get_int64(y)) : NULL;
			const char *cells[8] = { json_object_get_string(json_object_object_get(s, "title")),
				json_object_get_string(json_object_object_get(o, "label")),
				T(r, arena_printf(r->a, "stats_unit_%s", unit)),
				xlsx_value(r->a, unit, c), xlsx_value(r->a, unit, p), xlsx_value(r->a, unit, d1),
				xlsx_value(r->a, unit, y), xlsx_value(r->a, unit, d2) };
			xlsx_row(x, cells);
			json_object_put(d1);
			json_object_put(d2);
		}
	}
	kpi = json_object_object_get(v, "kpi");
	for (size_t i = 0; i < json_object_array_length(kpi); i++) {
		struct json_object *o = json_object_array_get_idx(kpi, i);
		static const char *const parts[] = { "score", "timeliness", "satisfaction", "resolution" };
		for (size_t k = 0; k < 4; k++) {
			struct json_object *n = json_object_object_get(o, k == 0 ? "score_permille" : parts[k]);
			const char *val = n == NULL ? NULL : k == 0 ? xlsx_value(r->a, "rate", n) :
			    json_object_get_string(n);
			/* "100.0%" -> "100.0" */
			if (val != NULL && k > 0 && strchr(val, '%') != NULL)
				val = arena_strndup(r->a, val, (size_t)(strchr(val, '%') - val));
			else if (val != NULL && k > 0)
				val = NULL;   /* "—": nothing to count */
			const char *cells[8] = { T(r, "stats_kpi"),
				arena_printf(r->a, "%d. %s · %s", json_object_get_int(json_object_object_get(o, "rank")),
				    json_object_get_string(json_object_object_get(o, "name")),
				    T(r, arena_printf(r->a, "stats_kpi_%s", parts[k]))),
				T(r, k == 0 ? "stats_unit_points" : "stats_unit_rate"), val, NULL, NULL, NULL, NULL };
			xlsx_row(x, cells);
		}
	}
	if (xlsx_finish(x, r->a, &data, &len) != 0) {
		json_object_put(v);
		return KESU_EINTERNAL;
	}
	label = json_object_get_string(json_object_object_get(json_object_object_get(v, "period"), "label"));
	resp_download(r, rs, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    arena_printf(r->a, "kesu-stats-%s.xlsx", label), data, len);
	json_object_put(v);
	return KESU_OK;
}

/* ---- the monthly report ---- */

/* Who closes a month (freezes its figures) and who signs it. */
#define STATS_FREEZERS (ROLE_BIT(ROLE_QA_DIRECTOR) | ROLE_BIT(ROLE_SUPERVISOR))
#define STATS_SIGNER ROLE_BIT(ROLE_QA_DIRECTOR)

/* The figures a report keeps: {"sections": {key: {code: number}}, "kpi": {department: score}},
 * the period's own column only, codes and numbers (no language). Caller owns it. */
static struct json_object *
frozen_figures(struct json_object *v)
{
	struct json_object *f = json_object_new_object(), *secs = json_object_new_object(), *kpi = json_object_new_object();
	struct json_object *sections = json_object_object_get(v, "sections"), *k = json_object_object_get(v, "kpi");

	for (size_t i = 0; i < json_object_array_length(sections); i++) {
		struct json_object *s = json_object_array_get_idx(sections, i), *m = json_object_new_object();
		struct json_object *rows = json_object_object_get(s, "rows");
		for (size_t j = 0; j < json_object_array_length(rows); j++) {
			struct json_object *o = json_object_array_get_idx(rows, j);
			json_object_object_add(m, json_object_get_string(json_object_object_get(o, "code")),
			    json_object_get(json_object_object_get(o, "cur_n")));
		}
		json_object_object_add(secs, json_object_get_string(json_object_object_get(s, "key")), m);
	}
	for (size_t i = 0; i < json_object_array_length(k); i++) {
		struct json_object *o = json_object_array_get_idx(k, i);
		json_object_object_add(kpi, json_object_get_string(json_object_object_get(o, "department")),
		    json_object_get(json_object_object_get(o, "score_permille")));
	}
	json_object_object_add(f, "sections", secs);
	json_object_object_add(f, "kpi", kpi);
	return f;
}

/* The live page of a month with a report: each row's frozen figure and, when the live one
 * differs (a complaint reopened, a late callback), the difference. */
static int
report_annotate(struct stats_ctx *x, struct json_object *v)
{
	struct json_object *sections = json_object_object_get(v, "sections"), *f, *rep, *fs;
	struct db_res res;
	char **c;
	int rc, changed = 0;

	if (x->per.kind != STATS_MONTH || *x->dept != '\0')
		return KESU_OK;
	if ((rc = db_exec(x->app->db, x->r->a, STMT_STATS_REPORT_GET, &res, "s", x->per.label)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_OK;
	c = res.rows[0];
	if ((f = json_tokener_parse(c[2])) == NULL)
		return KESU_EINTERNAL;
	rep = json_object_new_object();
	json_object_object_add(rep, "content_hash", jstr(c[3]));
	json_object_object_add(rep, "frozen_at", jstr(view_local_time(x->app, x->r->a, c[4])));
	json_object_object_add(rep, "frozen_by", jstr(c[5]));
	json_object_object_add(rep, "signed", json_object_new_boolean(c[6] != NULL));
	json_object_object_add(rep, "signed_at", c[6] ? jstr(view_local_time(x->app, x->r->a, c[6])) : NULL);
	json_object_object_add(rep, "signer_name", c[7] ? jstr(c[7]) : NULL);
	json_object_object_add(rep, "can_sign", json_object_new_boolean(c[6] == NULL && sess_has(x->r, STATS_SIGNER)));
	fs = json_object_object_get(f, "sections");
	for (size_t i = 0; i < json_object_array_length(sections); i++) {
		struct json_object *s = json_object_array_get_idx(sections, i);
		struct json_object *m = json_object_object_get(fs, json_object_get_string(json_object_object_get(s, "key")));
		struct json_object *rows = json_object_object_get(s, "rows");
		for (size_t j = 0; j < json_object_array_length(rows); j++) {
			struct json_object *o = json_object_array_get_idx(rows, j), *fn = NULL, *cn;
			enum fig_kind k = (enum fig_kind)json_object_get_int(json_object_object_get(o, "kind"));
			long fv, cv;
			if (m == NULL || !json_object_object_get_ex(m, json_object_get_string(json_object_object_get(o, "code")),
			    &fn))
				continue;
			cn = json_object_object_get(o, "cur_n");
			fv = fn ? (long)json_object_get_int64(fn) : -1;
			cv = cn ? (long)json_object_get_int64(cn) : -1;
			json_object_object_add(o, "frozen_n", fn ? json_object_new_int64(fv) : NULL);
			json_object_object_add(o, "frozen", jstr(fmt_fig(x->r->a, k, fv < 0 && (k == FIG_COUNT || k == FIG_FEN) ?
			    0 : fv)));
			if (fv != cv) {
				json_object_object_add(o, "live_diff", jstr(fmt_change(x->r->a, k, cv, fv)));
				changed++;
			}
		}
	}
	json_object_object_add(rep, "changed", json_object_new_int(changed));
	json_object_object_add(v, "report", rep);
	json_object_put(f);
	return KESU_OK;
}

struct freeze_tx {
	struct req *r;
	const char *period, *figures, *hash, *sign_hash;
	int64_t id;
};

static int
freeze_tx(struct db *db, void *arg)
{
	struct freeze_tx *t = arg;
	struct audit_actor who = req_actor_as(t->r, STATS_FREEZERS);
	struct json_object *after;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, t->r->a, STMT_STATS_REPORT_LOCK, &res, "s", t->period)) != KESU_OK)
		return rc;
	if (res.nrows == 1 && res.rows[0][1] != NULL)
		return KESU_ECONFLICT;   /* signed: it never changes */
	if (res.nrows == 1)
		rc = db_exec(db, t->r->a, STMT_STATS_REPORT_UPDATE, NULL, "ssss", t->figures, t->hash, t->r->sess->uid,
		    res.rows[0][0]);
	else
		rc = db_exec(db, t->r->a, STMT_STATS_REPORT_INSERT, NULL, "ssss", t->period, t->figures, t->hash,
		    t->r->sess->uid);
	if (rc != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "period", json_object_new_string(t->period));
	json_object_object_add(after, "content_hash", json_object_new_string(t->hash));
	rc = audit_write(db, t->r->a, &who, "stats_report", t->period, "stats_report_freeze", NULL, after);
	json_object_put(after);
	return rc;
}

/* POST /stats/reports (period=YYYY-MM): freeze a month's figures as its report (QA director,
 * supervisors; again while unsigned, never once signed). */
int
page_stats_report_freeze(struct app *app, struct req *r, struct resp *rs)
{
	const char *period = req_form(r, "period"), *bad;
	struct json_object *v = NULL, *f;
	struct freeze_tx t;
	char hash[65];
	int rc;

	if (!sess_has(r, STATS_FREEZERS))
		return KESU_ENOTFOUND;
	{
		struct stats_period p;
		if (period == NULL || stats_period_parse(period, NULL, NULL, "2000-01-01", &p) != NULL ||
		    p.kind != STATS_MONTH) {
			step_error(r, "period", "err_stats_report_month");
			return KESU_EINPUT;
		}
	}
	if ((rc = stats_build_for(app, r, period, NULL, NULL, &v, &bad)) != KESU_OK)
		return rc;
	if (bad != NULL) {
		json_object_put(v);
		step_error(r, "period", bad);
		return KESU_EINPUT;
	}
	f = frozen_figures(v);
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.period = period;
	t.figures = arena_strdup(r->a, json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN));
	crypto_sha256_hex(t.figures, strlen(t.figures), hash);
	t.hash = hash;
	json_object_put(f);
	json_object_put(v);
	if ((rc = db_tx(app->db, freeze_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("stats: report %s frozen", period);
	if (r->want_json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "period", jstr(period));
		json_object_object_add(o, "content_hash", jstr(hash));
		resp_json(rs, 200, o);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/stats?period=%s", period));
	return KESU_OK;
}

static int
sign_tx(struct db *db, void *arg)
{
	struct freeze_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, STATS_SIGNER);
	struct json_object *after;
	struct db_res res;
	const char *id;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_STATS_REPORT_LOCK, &res, "s", t->period)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	/* signed already, or frozen again since the page that was signed was shown */
	if (res.rows[0][1] != NULL || strcmp(res.rows[0][2], t->sign_hash) != 0)
		return KESU_ECONFLICT;
	id = res.rows[0][0];
	if ((rc = db_exec(db, r->a, STMT_STATS_REPORT_SIGN, &res, "ssss", r->sess->uid, r->sess->name,
	    id, t->sign_hash)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", "", "stats_report",
	    id, (int64_t)1, r->sess->uid, r->sess->name, "qa_director", "approve",
	    T(r, "stats_report_meaning"), t->period, t->sign_hash)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "period", json_object_new_string(t->period));
	json_object_object_add(after, "content_hash", json_object_new_string(t->sign_hash));
	json_object_object_add(after, "decision", json_object_new_string("approve"));
	rc = audit_write(db, r->a, &who, "stats_report", t->period, "stats_report_sign", NULL, after);
	json_object_put(after);
	return rc;
}

/* POST /stats/reports/sign (period, content_hash, password): the QA director signs a frozen month. */
int
page_stats_report_sign(struct app *app, struct req *r, struct resp *rs)
{
	struct freeze_tx t;
	struct json_object *errors;
	int rc;

	if (!sess_has(r, STATS_SIGNER))
		return KESU_ENOTFOUND;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.period = req_form(r, "period");
	t.sign_hash = req_form(r, "content_hash");
	if (t.period == NULL || strlen(t.period) != 7 || t.sign_hash == NULL || strlen(t.sign_hash) != 64)
		return KESU_EINPUT;
	errors = json_object_new_object();
	rc = signature_password(app, r, errors);
	if (rc == KESU_EINPUT || json_object_object_length(errors) > 0)
		return step_fields(r, errors);
	json_object_put(errors);
	if (rc != KESU_OK)
		return rc;
	if ((rc = db_tx(app->db, sign_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("stats: report %s signed", t.period);
	if (r->want_json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "period", jstr(t.period));
		json_object_object_add(o, "signed", json_object_new_boolean(1));
		resp_json(rs, 200, o);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/stats?period=%s", t.period));
	return KESU_OK;
}

static int
reports_build(struct app *app, struct req *r, struct json_object **out)
{
	struct json_object *v, *rows;
	struct db_res res;
	int rc;

	if (!sess_has(r, STATS_WHOLE))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(app->db, r->a, STMT_STATS_REPORT_LIST, &res, "")) != KESU_OK)
		return rc;
	v = view_new(app, r);
	rows = json_object_new_array();
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "period", jstr(c[1]));
		json_object_object_add(o, "url", jstr(arena_printf(r->a, "/stats?period=%s", c[1])));
		json_object_object_add(o, "content_hash", jstr(c[2]));
		json_object_object_add(o, "frozen_at", jstr(view_local_time(app, r->a, c[3])));
		json_object_object_add(o, "frozen_by", jstr(c[4]));
		json_object_object_add(o, "signed", json_object_new_boolean(c[5] != NULL));
		json_object_object_add(o, "signed_at", c[5] ? jstr(view_local_time(app, r->a, c[5])) : NULL);
		json_object_object_add(o, "signer_name", c[6] ? jstr(c[6]) : NULL);
		json_object_array_add(rows, o);
	}
	json_object_object_add(v, "reports", rows);
	json_object_object_add(v, "empty", json_object_new_boolean(res.nrows == 0));
	json_object_object_add(v, "can_freeze", json_object_new_boolean(sess_has(r, STATS_FREEZERS)));
	*out = v;
	return KESU_OK;
}

/* GET /stats/reports: the frozen monthly reports, signed or waiting for the QA director. */
int
page_stats_reports(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, reports_build, "stats_reports");
}
