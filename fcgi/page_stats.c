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
#include "stats_figures.h"
#include "xlsx.h"
#include "crypto.h"
#include "sign.h"
#include "step.h"

/* Who sees the whole company; a department head sees their department (and the company's total). */
#define STATS_WHOLE (SEES_ALL | ROLE_BIT(ROLE_QA_DIRECTOR))

struct stats_ctx {
	struct app *app;
	struct req *r;
	struct stats_period per;
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
	/* a department head's figures count their department's complaints: so does the list */
	if (*x->dept != '\0' && (key == NULL || strcmp(key, "department") != 0)) {
		buf_puts(&b, "&department=");
		buf_url_encode(&b, x->dept);
	}
	out = arena_strndup(x->r->a, b.p, b.len);
	buf_free(&b);
	return out;
}

/* A row: label, the three values, the changes, a link per value when key is given. */
static void
add_row(struct stats_ctx *x, struct json_object *rows, const char *code, const char *label, enum fig_kind k,
    const long fv[3], const char *key, const char *val)
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
		long v = fv[p];
		if (v < 0 && (k == FIG_COUNT || k == FIG_FEN))
			v = 0;
		json_object_object_add(o, names[p], jstr(fmt_fig(a, k, v)));
		json_object_object_add(o, arena_printf(a, "%s_n", names[p]),
		    v < 0 ? NULL : json_object_new_int64(v));
		if (key != NULL)
			json_object_object_add(o, arena_printf(a, "%s_url", names[p]),
			    jstr(list_url(x, p, *key ? key : NULL, val)));
	}
	json_object_object_add(o, "change_prev", jstr(fmt_change(a, k, fv[0], fv[1])));
	json_object_object_add(o, "change_yago", jstr(fmt_change(a, k, fv[0], fv[2])));
	json_object_array_add(rows, o);
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

/* The figures (stats_figures.c) as the page shows them: labels in the reader's language,
 * formatted values, changes and drill-down links. */
static int
decorate(struct stats_ctx *x, struct json_object *figs, struct json_object *v, const struct stats_weights *w)
{
	struct json_object *fs = json_object_object_get(figs, "sections"), *fk = json_object_object_get(figs, "kpi");
	struct json_object *ft = json_object_object_get(figs, "tops");
	struct json_object *sections = json_object_new_array(), *kpi = json_object_new_array();
	struct json_object *tops = json_object_new_array();
	struct arena *a = x->r->a;
	struct db_res depts;
	int rc;

	json_object_object_add(v, "sections", sections);
	json_object_object_add(v, "kpi", kpi);
	json_object_object_add(v, "tops", tops);
	if ((rc = view_departments(x->app, a, &depts)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < json_object_array_length(fs); i++) {
		struct json_object *s = json_object_array_get_idx(fs, i), *o = json_object_new_object();
		struct json_object *frows = json_object_object_get(s, "rows"), *rows = json_object_new_array();
		const char *key = json_object_get_string(json_object_object_get(s, "key"));
		const char *how = json_object_get_string(json_object_object_get(s, "label"));
		const char *field = json_object_get_string(json_object_object_get(s, "field"));

		json_object_object_add(o, "key", jstr(key));
		json_object_object_add(o, "title", jstr(T(x->r, arena_printf(a, "stats_%s", key))));
		json_object_object_add(o, "rows", rows);
		json_object_array_add(sections, o);
		for (size_t j = 0; j < json_object_array_length(frows); j++) {
			struct json_object *fr = json_object_array_get_idx(frows, j), *fkey;
			const char *code = json_object_get_string(json_object_object_get(fr, "code"));
			struct json_object *va = json_object_object_get(fr, "v");
			const char *label;
			long fv[3];

			for (int p = 0; p < 3; p++)
				fv[p] = (long)json_object_get_int64(json_object_array_get_idx(va, p));
			if (strcmp(how, "field") == 0)
				label = view_label(x->r, field, code);
			else if (strcmp(how, "department") == 0)
				label = dept_name(x, &depts, code);
			else
				label = T(x->r, arena_printf(a, "stats_%s", code));
			fkey = json_object_object_get(fr, "fkey");
			add_row(x, rows, code, label, (enum fig_kind)json_object_get_int(json_object_object_get(fr, "kind")),
			    fv, fkey ? json_object_get_string(fkey) : NULL,
			    json_object_get_string(json_object_object_get(fr, "fval")));
		}
	}
	for (size_t i = 0; i < json_object_array_length(fk); i++) {
		struct json_object *k = json_object_array_get_idx(fk, i), *o = json_object_new_object();
		const char *code = json_object_get_string(json_object_object_get(k, "department"));
		long score = (long)json_object_get_int64(json_object_object_get(k, "score"));
#define PART(name) fmt_fig(a, FIG_PERMILLE, (long)json_object_get_int64(json_object_object_get(k, name)))
		json_object_object_add(o, "rank", json_object_new_int((int)i + 1));
		json_object_object_add(o, "department", jstr(code));
		json_object_object_add(o, "name", jstr(dept_name(x, &depts, code)));
		json_object_object_add(o, "complaints", json_object_get(json_object_object_get(k, "n")));
		json_object_object_add(o, "timeliness", jstr(PART("timely")));
		json_object_object_add(o, "satisfaction", jstr(PART("sat")));
		json_object_object_add(o, "resolution", jstr(PART("resolved")));
#undef PART
		json_object_object_add(o, "score", jstr(score < 0 ? "—" : arena_printf(a, "%ld.%ld", score / 10, score % 10)));
		json_object_object_add(o, "score_permille", score < 0 ? NULL : json_object_new_int64(score));
		json_object_array_add(kpi, o);
	}
	json_object_object_add(v, "kpi_formula", jstr(kpi_formula(x->r, w->t, w->s, w->r)));
	for (size_t i = 0; i < json_object_array_length(ft); i++) {
		struct json_object *t = json_object_array_get_idx(ft, i), *o = json_object_new_object();
		struct json_object *trows = json_object_object_get(t, "rows"), *rows = json_object_new_array();
		const char *key = json_object_get_string(json_object_object_get(t, "key"));

		json_object_object_add(o, "key", jstr(key));
		json_object_object_add(o, "title", jstr(T(x->r, arena_printf(a, "stats_%s", key))));
		json_object_object_add(o, "rows", rows);
		json_object_array_add(tops, o);
		for (size_t j = 0; j < json_object_array_length(trows); j++) {
			struct json_object *tr = json_object_array_get_idx(trows, j), *row = json_object_new_object();
			const char *ta = json_object_get_string(json_object_object_get(tr, "a"));
			struct json_object *tb = json_object_object_get(tr, "b");
			json_object_object_add(row, "label", jstr(tb ? arena_printf(a, "%s / %s", ta,
			    json_object_get_string(tb)) : ta));
			json_object_object_add(row, "count", json_object_get(json_object_object_get(tr, "n")));
			/* the list's search matches the start of a name or number: the customer's name */
			if (strcmp(key, "top_customers") == 0 && strlen(ta) <= 64)
				json_object_object_add(row, "url", jstr(list_url(x, 0, "q", ta)));
			json_object_array_add(rows, row);
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
static void
charts(struct stats_ctx *x, struct json_object *figs, struct json_object *v)
{
	struct json_object *ch = json_object_new_object();
	struct buf b;
	const char *js;

	json_object_object_add(v, "charts", ch);
	json_object_object_add(ch, "trend", json_object_get(json_object_object_get(figs, "trend")));
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

static struct stats_weights
stats_weights_of(const struct app *app)
{
	struct stats_weights w = { conf_int(app->conf, "kpi.weight_timeliness", 30),
		conf_int(app->conf, "kpi.weight_satisfaction", 40), conf_int(app->conf, "kpi.weight_resolution", 30) };
	return w;
}

/* The view model of /stats; *bad: the po key of a period that cannot be read (the page says so, 422). */
static int report_annotate(struct stats_ctx *x, struct json_object *v);

static int
stats_build_for(struct app *app, struct req *r, const char *period, const char *from, const char *to,
    struct json_object **out, const char **bad)
{
	struct stats_ctx x;
	struct json_object *v, *per, *figs = NULL;
	struct stats_weights w = stats_weights_of(app);
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
		last_day(rg[p]->to, lasts[p]);
		x.first[p] = rg[p]->from;
		x.last[p] = arena_strdup(r->a, lasts[p]);
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
	if ((rc = stats_figures(app->db, r->a, app->utc_offset_min, time(NULL), &x.per, x.dept, &w, &figs)) != KESU_OK ||
	    (rc = decorate(&x, figs, v, &w)) != KESU_OK ||
	    (charts(&x, figs, v), rc = report_annotate(&x, v)) != KESU_OK) {
		json_object_put(figs);
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
	json_object_put(figs);
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
	const char *period, *sign_hash;
};

/* POST /stats/reports (period=YYYY-MM): freeze a month's figures as its report (QA director,
 * supervisors; again while unsigned, never once signed). The figures and the transaction are
 * stats_freeze_month's (stats_figures.c), as for kesu-admin stats close-month and the sweep. */
int
page_stats_report_freeze(struct app *app, struct req *r, struct resp *rs)
{
	const char *period = req_form(r, "period");
	struct stats_weights w = stats_weights_of(app);
	struct audit_actor who = req_actor_as(r, STATS_FREEZERS);
	char hash[65];
	int rc, did;

	if (!sess_has(r, STATS_FREEZERS))
		return KESU_ENOTFOUND;
	rc = stats_freeze_month(app->db, r->a, app->utc_offset_min, time(NULL), period, &w, &who, 1, &did, hash);
	if (rc == KESU_EINPUT) {
		step_error(r, "period", "err_stats_report_month");
		return KESU_EINPUT;
	}
	if (rc == KESU_EDB && db_errno(app->db) == 1969) {
		step_error(r, "period", "err_stats_too_long");
		return KESU_EINPUT;
	}
	if (rc != KESU_OK)
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
