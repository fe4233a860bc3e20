/* page_audit_register.c: the auditor's signature register (+ .csv, .xlsx), the exceptions found for the auditor, and the periodic review sign-off. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "authority.h"
#include "csv.h"
#include "handlers.h"
#include "money.h"
#include "register.h"
#include "sections.h"
#include "sign.h"
#include "step.h"
#include "valid.h"
#include "view.h"
#include "xlsx.h"

/* Who reads /audit*: auditors and, read-only, the GM; everyone else gets 404. */
#define AUDIT_READERS (ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_GM))

static const char *const reg_entities[] = { "handling_plan", "investigation_report", "penalty", "8d_report",
	"hold_notice", "audit_review", NULL };
static const char *const reg_decisions[] = { "approve", "return", "reject", "signoff", "execute", "appeal",
	"uphold", "revoke", "review", NULL };

static void
put_json(void *p)
{
	json_object_put(p);
}

/*
 * The period of from and to (local dates, NULL: the default) into p; a bad one's messages go into
 * errors (when not NULL) and the default period is used. The request's own field errors (a
 * failed POST whose page this is) are left as they were.
 */
static void
period_or_default(struct app *app, struct req *r, const char *from, const char *to, struct reg_period *p,
    struct json_object *errors)
{
	struct json_object *kept = r->errors;

	r->errors = NULL;
	if (reg_period_parse(app, r, from, to, p) != KESU_OK) {
		if (errors != NULL && r->errors != NULL) {
			json_object_object_foreach(r->errors, field, text)
				json_object_object_add(errors, field, json_object_get(text));
		}
		r->errors = NULL;
		(void)reg_period_parse(app, r, NULL, NULL, p);
	}
	r->errors = kept;
}

/* ---- the register's filters ---- */

struct reg_filter {
	const char *signer, *decision, *kind;
	const char *min, *max;          /* as typed (yuan) */
	int64_t min_fen, max_fen;       /* -1: open */
	int64_t after;                  /* keyset: the last id shown */
	struct reg_period period;
	struct json_object *errors;     /* {field: text}, NULL when none */
};

static int
in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

/* The filters of the query string. A bad one gets its message beside it and is not applied, so
 * the page still answers (never a 500). */
static void
filter_parse(struct app *app, struct req *r, struct reg_filter *f)
{
	const char *v;

	memset(f, 0, sizeof(*f));
	f->errors = json_object_new_object();
	arena_defer(r->a, put_json, f->errors);
	f->signer = (v = req_query(r, "signer")) != NULL && strlen(v) <= 64 ? v : "";
	f->decision = (v = req_query(r, "decision")) != NULL ? v : "";
	if (*f->decision && !in_list(reg_decisions, f->decision)) {
		errors_add(r, f->errors, "decision", "err_invalid_choice");
		f->decision = "";
	}
	f->kind = (v = req_query(r, "kind")) != NULL ? v : "";
	if (*f->kind && !in_list(reg_entities, f->kind)) {
		errors_add(r, f->errors, "kind", "err_invalid_choice");
		f->kind = "";
	}
	f->min = req_query(r, "min");
	f->max = req_query(r, "max");
	f->min_fen = f->max_fen = -1;
	if (f->min != NULL && *f->min && (f->min_fen = parse_yuan(f->min)) < 0)
		errors_add(r, f->errors, "min", "err_invalid_amount");
	if (f->max != NULL && *f->max && (f->max_fen = parse_yuan(f->max)) < 0)
		errors_add(r, f->errors, "max", "err_invalid_amount");
	f->after = INT64_MAX;
	if ((v = req_query(r, "after")) != NULL) {
		if (valid_id(v))
			f->after = strtoll(v, NULL, 10);
		else
			errors_add(r, f->errors, "after", "err_invalid_number");
	}
	period_or_default(app, r, req_query(r, "from"), req_query(r, "to"), &f->period, f->errors);
}

/* The filters again as a query string (for the next page and the downloads). */
static const char *
filter_query(struct req *r, const struct reg_filter *f)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	buf_puts(&b, "from=");
	buf_url_encode(&b, f->period.from);
	buf_puts(&b, "&to=");
	buf_url_encode(&b, f->period.to);
	if (*f->signer) { buf_puts(&b, "&signer="); buf_url_encode(&b, f->signer); }
	if (*f->decision) { buf_puts(&b, "&decision="); buf_url_encode(&b, f->decision); }
	if (*f->kind) { buf_puts(&b, "&kind="); buf_url_encode(&b, f->kind); }
	if (f->min_fen >= 0) { buf_puts(&b, "&min="); buf_url_encode(&b, f->min); }
	if (f->max_fen >= 0) { buf_puts(&b, "&max="); buf_url_encode(&b, f->max); }
	s = arena_strndup(r->a, b.p ? b.p : "", b.len);
	buf_free(&b);
	return s;
}

static int
register_rows(struct app *app, struct req *r, const struct reg_filter *f, int64_t after, struct db_res *res)
{
	return db_exec(app->db, r->a, STMT_REG_SIGNATURES, res, "issssssssiiii", after, f->signer, f->signer,
	    f->decision, f->decision, f->kind, f->kind, f->period.from_utc, f->period.to_utc,
	    f->min_fen, f->min_fen, f->max_fen, f->max_fen);
}

/* The authority-matrix action that requires a signature on entity (NULL: none). */
static const char *
entity_action(const char *entity)
{
	static const struct { const char *entity, *action; } m[] = {
		{ "handling_plan", "handling_plan" }, { "penalty", "penalty" },
		{ "investigation_report", "investigation_signoff" }, { "8d_report", "8d_report" },
		{ "hold_notice", "hold_release" },
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i].entity, entity) == 0)
			return m[i].action;
	return NULL;
}

/* Role names of a comma list as labels, joined with " → ". */
static const char *
roles_label(struct req *r, const char *list)
{
	enum role ro[AUTH_MAX_SIGNERS];
	const char *s = "";
	int n = roles_parse(list, ro, AUTH_MAX_SIGNERS);

	for (int i = 0; i < n; i++)
		s = arena_printf(r->a, "%s%s%s", s, i ? " → " : "", view_label(r, "role", role_name(ro[i])));
	return n > 0 ? s : list;
}

/* One register row: the signature as the pages show it, what it covers today, and its rule. */
static struct json_object *
register_row(struct app *app, struct req *r, struct reg_cache **cache, char **c)
{
	char cur[65];
	long cur_rev;
	int known = reg_current_hash(app, r, cache, c[0], c[1], c[12], atol(c[2]), cur, &cur_rev);
	/* the page's rule: a signature on an earlier revision, or a hash that is not today's */
	int same = known && reg_same_revision(c[0], atol(c[2]), cur_rev);
	int current = same && strcmp(cur, c[9]) == 0;
	struct json_object *o = signature_json(app, r, c, same ? cur : NULL);
	const char *standing = !known ? "unchecked" : current ? "current" :
	    reg_changed_after_signing(c[0], atol(c[2]), c[9], cur_rev, cur) ? "changed" : "earlier";
	const char *action = entity_action(c[0]);

	json_object_object_add(o, "id", json_object_new_int64(strtoll(c[11], NULL, 10)));
	json_object_object_add(o, "entity", jstr(c[0]));
	json_object_object_add(o, "entity_label", jstr(view_label(r, "reg_entity", c[0])));
	json_object_object_add(o, "entity_id", jstr(c[1]));
	json_object_object_add(o, "number", jstr(c[12]));
	json_object_object_add(o, "record_url", jstr(strcmp(c[0], "penalty") == 0 ? arena_printf(r->a, "/penalties/%s", c[1]) :
	    strcmp(c[0], "8d_report") == 0 ? arena_printf(r->a, "/8d/%s", c[1]) :
	    strcmp(c[0], "audit_review") == 0 ? "/audit/reviews" : arena_printf(r->a, "/complaints/%s", c[12])));
	json_object_object_add(o, "amount", c[13] ? jstr(fmt_yuan(r->a, strtoll(c[13], NULL, 10))) : NULL);
	json_object_object_add(o, "amount_fen", c[13] ? json_object_new_int64(strtoll(c[13], NULL, 10)) : NULL);
	json_object_object_add(o, "standing", jstr(standing));
	json_object_object_add(o, "standing_label", jstr(view_label(r, "reg_standing", standing)));
	json_object_object_add(o, "still_applies", json_object_new_boolean(current));
	json_object_object_add(o, "current_hash", known ? jstr(cur) : NULL);
	/* The rule: the signers the plan or penalty stored when proposed; else the matrix today. */
	if (c[14] != NULL) {
		json_object_object_add(o, "rule", jstr(roles_label(r, c[14])));
		json_object_object_add(o, "rule_stored", json_object_new_boolean(1));
	} else if (action != NULL) {
		/* the matrix today, read once a page per action and level */
		const char *key = arena_printf(r->a, "rule/%s/%d", action, c[15] ? atoi(c[15]) : 0), *rule = NULL;
		if (!reg_memo_get(*cache, key, &rule)) {
			enum role req[AUTH_MAX_SIGNERS];
			int n = 0;
			if (required_signers(app->db, r->a, action, 0, c[15] ? atoi(c[15]) : 0, req, &n) == KESU_OK)
				rule = arena_printf(r->a, "%s: %s", view_label(r, "authority_action", action),
				    roles_label(r, roles_join(r->a, req, n)));
			reg_memo_put(r, cache, key, rule);
		}
		if (rule != NULL)
			json_object_object_add(o, "rule", jstr(rule));
		json_object_object_add(o, "rule_now", json_object_new_boolean(1));
	}
	return o;
}

static struct json_object *
filter_view(struct req *r, const struct reg_filter *f)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "signer", jstr(f->signer));
	json_object_object_add(o, "min", jstr(f->min_fen >= 0 ? f->min : ""));
	json_object_object_add(o, "max", jstr(f->max_fen >= 0 ? f->max : ""));
	json_object_object_add(o, "from", jstr(f->period.from));
	json_object_object_add(o, "to", jstr(f->period.to));
	json_object_object_add(o, "decision_options", view_options(r, "decision", reg_decisions, f->decision));
	json_object_object_add(o, "kind_options", view_options(r, "reg_entity", reg_entities, f->kind));
	json_object_object_add(o, "errors", json_object_get(f->errors));
	json_object_object_add(o, "has_errors", json_object_new_boolean(json_object_object_length(f->errors) > 0));
	return o;
}

static int
signatures_view(struct app *app, struct req *r, struct json_object **out)
{
	struct reg_cache *cache = NULL;
	struct reg_filter f;
	struct db_res res, fails;
	struct json_object *v, *rows, *frows;
	size_t shown;
	const char *q;
	int rc, too_broad = 0, failures_too_broad = 0;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	filter_parse(app, r, &f);
	/* A query that runs out of its time (error 1969) asks for narrower filters instead of failing. */
	memset(&res, 0, sizeof(res));
	memset(&fails, 0, sizeof(fails));
	if ((rc = register_rows(app, r, &f, f.after, &res)) == KESU_EDB && db_errno(app->db) == 1969)
		too_broad = 1;
	else if (rc != KESU_OK)
		return rc;
	if ((rc = db_exec(app->db, r->a, STMT_REG_FAILURES, &fails, "ssss", f.signer, f.signer,
	    arena_printf(r->a, "%s.000000", f.period.from_utc), arena_printf(r->a, "%s.000000", f.period.to_utc)))
	    == KESU_EDB && db_errno(app->db) == 1969)
		failures_too_broad = 1;
	else if (rc != KESU_OK)
		return rc;
	q = filter_query(r, &f);
	v = view_new(app, r);
	rows = json_object_new_array();
	shown = res.nrows > 50 ? 50 : res.nrows;
	/* what the page's signatures cover, one statement per kind of record (not one per row) */
	if ((rc = reg_prefetch(app, r, &cache, res.rows, shown)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < shown; i++)
		json_object_array_add(rows, register_row(app, r, &cache, res.rows[i]));
	json_object_object_add(v, "signatures", rows);
	json_object_object_add(v, "has_signatures", json_object_new_boolean(shown > 0));
	json_object_object_add(v, "too_broad", json_object_new_boolean(too_broad));
	json_object_object_add(v, "failures_too_broad", json_object_new_boolean(failures_too_broad));
	if (res.nrows > 50)
		json_object_object_add(v, "next_url", jstr(arena_printf(r->a, "/audit/signatures?%s&after=%s", q,
		    res.rows[49][11])));
	json_object_object_add(v, "csv_url", jstr(arena_printf(r->a, "/audit/signatures.csv?%s", q)));
	json_object_object_add(v, "xlsx_url", jstr(arena_printf(r->a, "/audit/signatures.xlsx?%s", q)));
	frows = json_object_new_array();
	for (size_t i = 0; i < fails.nrows; i++) {
		char **c = fails.rows[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "seq", json_object_new_int64(strtoll(c[0], NULL, 10)));
		json_object_object_add(o, "at_utc", jstr(view_iso_utc(r->a, arena_strndup(r->a, c[1], 19))));
		json_object_object_add(o, "at", jstr(view_local_time(app, r->a, c[1])));
		json_object_object_add(o, "uid", jstr(c[2]));
		json_object_object_add(o, "name", jstr(c[3]));
		json_object_object_add(o, "role_label", jstr(view_label(r, "role", c[4])));
		json_object_object_add(o, "client_addr", jstr(c[5]));
		json_object_object_add(o, "request_id", jstr(c[6]));
		json_object_array_add(frows, o);
	}
	json_object_object_add(v, "failures", frows);
	json_object_object_add(v, "has_failures", json_object_new_boolean(fails.nrows > 0));
	json_object_object_add(v, "no_failures", json_object_new_boolean(fails.nrows == 0 && !failures_too_broad));
	json_object_object_add(v, "no_signatures", json_object_new_boolean(shown == 0 && !too_broad));
	json_object_object_add(v, "filter", filter_view(r, &f));
	json_object_object_add(v, "zone", jstr(view_zone_label(app, r->a)));
	*out = v;
	return KESU_OK;
}

int
page_audit_signatures(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, signatures_view, "audit_signatures");
}

/* ---- the register to take away ---- */

enum { EXP_SIGNED_UTC, EXP_SIGNED_LOCAL, EXP_NAME, EXP_UID, EXP_ROLE, EXP_DECISION, EXP_MEANING, EXP_NUMBER,
	EXP_KIND, EXP_ID, EXP_REVISION, EXP_AMOUNT, EXP_HASH, EXP_STANDING, EXP_RULE, EXP_COMMENT, EXP__MAX };
static const struct xlsx_col export_cols[EXP__MAX] = {
	{ "reg_col_signed_utc", XLSX_DATETIME, 19 }, { "reg_col_signed_local", XLSX_DATETIME, 17 },
	{ "reg_col_name", XLSX_TEXT, 16 }, { "reg_col_uid", XLSX_TEXT, 12 }, { "reg_col_role", XLSX_TEXT, 14 },
	{ "reg_col_decision", XLSX_TEXT, 10 }, { "reg_col_meaning", XLSX_TEXT, 40 },
	{ "reg_col_number", XLSX_TEXT, 11 }, { "reg_col_kind", XLSX_TEXT, 14 }, { "reg_col_id", XLSX_INT, 8 },
	{ "reg_col_revision", XLSX_INT, 8 }, { "reg_col_amount", XLSX_MONEY_FEN, 12 },
	{ "reg_col_hash", XLSX_TEXT, 66 }, { "reg_col_standing", XLSX_TEXT, 20 }, { "reg_col_rule", XLSX_TEXT, 30 },
	{ "reg_col_comment", XLSX_TEXT, 30 },
};

/* Every page of the filtered register, at most 20,000 signatures, as cells (xlsx: money in fen). */
typedef void (*export_row_fn)(void *ctx, const char *const *cells);

static int
export_all(struct app *app, struct req *r, const struct reg_filter *f, int fen, export_row_fn emit, void *ctx)
{
	struct reg_cache *cache = NULL;
	int64_t after = f->after;
	int rc;

	for (int pages = 0; pages < 400; pages++) {
		struct db_res res;
		size_t shown;
		if ((rc = register_rows(app, r, f, after, &res)) != KESU_OK)
			return rc;
		shown = res.nrows > 50 ? 50 : res.nrows;
		if ((rc = reg_prefetch(app, r, &cache, res.rows, shown)) != KESU_OK)
			return rc;
		for (size_t i = 0; i < shown; i++) {
			char **c = res.rows[i];
			struct json_object *o = register_row(app, r, &cache, c);
			const char *cells[EXP__MAX];
			struct json_object *x;
			cells[EXP_SIGNED_UTC] = c[10];
			cells[EXP_SIGNED_LOCAL] = view_local_time(app, r->a, c[10]);
			cells[EXP_NAME] = c[4];
			cells[EXP_UID] = c[3];
			cells[EXP_ROLE] = view_label(r, "role", c[5]);
			cells[EXP_DECISION] = view_label(r, "decision", c[6]);
			cells[EXP_MEANING] = arena_strdup(r->a, json_object_get_string(json_object_object_get(o, "meaning")));
			cells[EXP_NUMBER] = c[12];
			cells[EXP_KIND] = view_label(r, "reg_entity", c[0]);
			cells[EXP_ID] = c[1];
			cells[EXP_REVISION] = c[2];
			cells[EXP_AMOUNT] = c[13] == NULL ? NULL : fen ? c[13] : fmt_yuan(r->a, strtoll(c[13], NULL, 10));
			cells[EXP_HASH] = c[9];
			cells[EXP_STANDING] = arena_strdup(r->a, json_object_get_string(json_object_object_get(o, "standing_label")));
			x = json_object_object_get(o, "rule");
			cells[EXP_RULE] = x ? arena_printf(r->a, "%s%s", json_object_get_string(x),
			    json_object_object_get(o, "rule_now") ? arena_printf(r->a, " (%s)", T(r, "reg_rule_now")) : "") : "";
			cells[EXP_COMMENT] = c[8];
			emit(ctx, cells);
			json_object_put(o);
		}
		if (res.nrows <= 50)
			break;
		after = strtoll(res.rows[49][11], NULL, 10);
	}
	return KESU_OK;
}

static void
csv_emit(void *ctx, const char *const *cells)
{
	struct buf *b = ctx;

	for (int k = 0; k < EXP__MAX; k++) {
		if (k > 0)
			buf_putc(b, ',');
		csv_field(b, cells[k]);
	}
	buf_puts(b, "\r\n");
}

int
page_audit_signatures_csv(struct app *app, struct req *r, struct resp *rs)
{
	struct reg_filter f;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	filter_parse(app, r, &f);
	rs->status = 200;
	rs->ctype = "text/csv; charset=utf-8";
	resp_header(rs, "Content-Disposition", "attachment; filename=\"kesu-signatures.csv\"");
	buf_puts(&rs->body, "\xEF\xBB\xBF");
	for (int k = 0; k < EXP__MAX; k++) {
		if (k > 0)
			buf_putc(&rs->body, ',');
		csv_field(&rs->body, T(r, export_cols[k].title));
	}
	buf_puts(&rs->body, "\r\n");
	return export_all(app, r, &f, 0, csv_emit, &rs->body);
}

static void
xlsx_emit(void *ctx, const char *const *cells)
{
	xlsx_row(ctx, cells);
}

int
page_audit_signatures_xlsx(struct app *app, struct req *r, struct resp *rs)
{
	struct xlsx_col cols[EXP__MAX];
	struct reg_filter f;
	struct xlsx *x;
	unsigned char *data;
	size_t len;
	int rc;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	filter_parse(app, r, &f);
	for (int k = 0; k < EXP__MAX; k++) {
		cols[k] = export_cols[k];
		cols[k].title = T(r, export_cols[k].title);
	}
	if ((x = xlsx_new(conf_str(app->conf, "paths.tmp", "/tmp"), T(r, "reg_title"), cols, EXP__MAX)) == NULL)
		return KESU_EINTERNAL;
	if ((rc = export_all(app, r, &f, 1, xlsx_emit, x)) != KESU_OK) {
		(void)xlsx_finish(x, r->a, &data, &len);
		return rc;
	}
	if (xlsx_finish(x, r->a, &data, &len) != 0)
		return KESU_EINTERNAL;
	resp_download(r, rs, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "kesu-signatures.xlsx", data, len);
	return KESU_OK;
}

/* ---- exceptions ---- */

/* The period of ?from= &to= with its errors beside the filter (then the default period). */
static void
period_of_query(struct app *app, struct req *r, struct reg_period *p, struct json_object *v)
{
	struct json_object *errors = json_object_new_object();

	period_or_default(app, r, req_query(r, "from"), req_query(r, "to"), p, errors);
	json_object_object_add(v, "from", jstr(p->from));
	json_object_object_add(v, "to", jstr(p->to));
	json_object_object_add(v, "has_errors", json_object_new_boolean(json_object_object_length(errors) > 0));
	json_object_object_add(v, "errors", errors);
}

static int
exceptions_view(struct app *app, struct req *r, struct json_object **out)
{
	struct reg_period p;
	struct json_object *v, *lists;
	long total;
	int rc;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	v = view_new(app, r);
	period_of_query(app, r, &p, v);
	if ((rc = reg_exceptions(app, r, &p, &lists, &total)) != KESU_OK) {
		json_object_put(v);
		return rc;
	}
	/* "none found for <period>" under each empty list */
	for (size_t i = 0; i < json_object_array_length(lists); i++)
		json_object_object_add(json_object_array_get_idx(lists, i), "none_text",
		    jstr(arena_printf(r->a, "%s %s – %s.", T(r, "reg_exc_none"), p.from, p.to)));
	json_object_object_add(v, "exceptions", lists);
	json_object_object_add(v, "total", json_object_new_int64(total));
	json_object_object_add(v, "period_text", jstr(arena_printf(r->a, "%s %s – %s", T(r, "reg_period_text"), p.from, p.to)));
	*out = v;
	return KESU_OK;
}

int
page_audit_exceptions(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, exceptions_view, "audit_exceptions");
}

/* ---- periodic review ---- */

/* The days between reviews (audit.review_days, default 31). */
static long
review_days(struct app *app)
{
	long d = conf_int(app->conf, "audit.review_days", 31);
	return d > 0 ? d : 31;
}

/* The last review (STMT_REG_REVIEW_LAST row) or NULL, and whether a review is due now. */
static int
review_due(struct app *app, struct req *r, char ***last)
{
	struct db_res res;
	struct tm tm;
	time_t at;

	*last = NULL;
	if (db_exec(app->db, r->a, STMT_REG_REVIEW_LAST, &res, "") != KESU_OK)
		return 0;
	if (res.nrows == 0)
		return 1;
	*last = res.rows[0];
	memset(&tm, 0, sizeof(tm));
	if (strptime(res.rows[0][3], "%Y-%m-%d %H:%M:%S", &tm) == NULL)
		return 1;
	at = timegm(&tm);
	return time(NULL) - at > review_days(app) * 86400L;
}

static int
reviews_view(struct app *app, struct req *r, struct json_object **out)
{
	struct json_object *v, *rows;
	struct reg_period p;
	struct db_res res;
	const char *after = req_query(r, "after");
	char **last;
	int rc, due;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(app->db, r->a, STMT_REG_REVIEW_LIST, &res, "i",
	    after != NULL && valid_id(after) ? strtoll(after, NULL, 10) : INT64_MAX)) != KESU_OK)
		return rc;
	due = review_due(app, r, &last);
	v = view_new(app, r);
	rows = json_object_new_array();
	for (size_t i = 0; i < res.nrows && i < 50; i++) {
		char **c = res.rows[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(strtoll(c[0], NULL, 10)));
		json_object_object_add(o, "period_from", jstr(c[1]));
		json_object_object_add(o, "period_to", jstr(c[2]));
		json_object_object_add(o, "exceptions_open", json_object_new_int(atoi(c[3])));
		json_object_object_add(o, "reviewer_uid", jstr(c[4]));
		json_object_object_add(o, "reviewer_name", jstr(c[5]));
		json_object_object_add(o, "note", jstr(c[6]));
		json_object_object_add(o, "reviewed_at_utc", jstr(view_iso_utc(r->a, c[7])));
		json_object_object_add(o, "reviewed_at", jstr(view_local_time(app, r->a, c[7])));
		json_object_object_add(o, "content_hash", jstr(c[8]));
		json_object_object_add(o, "hash_short", jstr(arena_strndup(r->a, c[8], 12)));
		json_object_object_add(o, "exceptions_url", jstr(arena_printf(r->a, "/audit/exceptions?from=%s&to=%s", c[1], c[2])));
		json_object_array_add(rows, o);
	}
	if (res.nrows > 50)
		json_object_object_add(v, "next_url", jstr(arena_printf(r->a, "/audit/reviews?after=%s", res.rows[49][0])));
	json_object_object_add(v, "reviews", rows);
	json_object_object_add(v, "has_reviews", json_object_new_boolean(res.nrows > 0));
	json_object_object_add(v, "due", json_object_new_boolean(due));
	json_object_object_add(v, "review_days", json_object_new_int64(review_days(app)));
	/* The form proposes the period since the last review (or the default), to today. */
	period_or_default(app, r, last != NULL ? last[2] : NULL, NULL, &p, NULL);
	json_object_object_add(v, "from", jstr(p.from));
	json_object_object_add(v, "to", jstr(p.to));
	json_object_object_add(v, "can_sign", json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_AUDITOR))));
	json_object_object_add(v, "meaning", jstr(T(r, "meaning_audit_review_review")));
	view_done_notice(r, v);
	*out = v;
	return KESU_OK;
}

int
page_audit_reviews(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, reviews_view, "audit_reviews");
}

struct review_tx {
	struct req *r;
	const struct reg_period *p;
	long open;
	const char *note, *meaning;
	char hash[65];
	uint64_t id;
};

static int
review_tx(struct db *db, void *arg)
{
	struct review_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_AUDITOR));
	struct json_object *after;
	struct db_res res;
	const char *id;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_REG_REVIEW_INSERT, &res, "ssissss", t->p->from, t->p->to, (int64_t)t->open,
	    r->sess->uid, r->sess->name, t->note, t->hash)) != KESU_OK)
		return rc;
	t->id = res.insert_id;
	id = arena_printf(r->a, "%llu", (unsigned long long)t->id);
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", "", "audit_review", id, (int64_t)1,
	    r->sess->uid, r->sess->name, "auditor", "review", t->meaning, t->note, t->hash)) != KESU_OK)
		return rc;
	who.role = "auditor";
	after = json_object_new_object();
	json_object_object_add(after, "period_from", json_object_new_string(t->p->from));
	json_object_object_add(after, "period_to", json_object_new_string(t->p->to));
	json_object_object_add(after, "exceptions_open", json_object_new_int64(t->open));
	json_object_object_add(after, "note", json_object_new_string(t->note));
	json_object_object_add(after, "meaning", json_object_new_string(t->meaning));
	json_object_object_add(after, "content_hash", json_object_new_string(t->hash));
	rc = audit_write(db, r->a, &who, "audit_review", id, "audit_review_signed", NULL, after);
	json_object_put(after);
	return rc;
}

/* POST /audit/reviews: an auditor signs "audit trail reviewed for period P" with their password. */
static int
review_sign(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *errors, *content, *lists;
	struct reg_period p;
	struct review_tx t;
	const char *note = req_form(r, "note");
	int rc;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	if (!sess_has(r, ROLE_BIT(ROLE_AUDITOR)))
		return KESU_EFORBIDDEN;     /* the GM reads, never signs here */
	if (note == NULL)
		note = "";
	if (strlen(note) > 2000)
		step_error(r, "note", "err_too_long");
	rc = reg_period_parse(app, r, req_form(r, "from"), req_form(r, "to"), &p);
	if (rc != KESU_OK || step_error_count(r) > 0)
		return KESU_EINPUT;
	errors = json_object_new_object();
	rc = signature_password(app, r, errors);
	if (rc == KESU_EINPUT)
		return step_fields(r, errors);
	json_object_put(errors);
	if (rc != KESU_OK)
		return rc;
	/* The exceptions open at this moment, for the period signed. */
	if ((rc = reg_exceptions(app, r, &p, &lists, &t.open)) != KESU_OK)
		return rc;
	json_object_put(lists);
	memset(t.hash, 0, sizeof(t.hash));
	t.r = r;
	t.p = &p;
	t.note = note;
	t.meaning = arena_printf(r->a, "%s %s – %s", T(r, "meaning_audit_review_review"), p.from, p.to);
	content = json_object_new_object();
	json_object_object_add(content, "kind", json_object_new_string("audit_review"));
	json_object_object_add(content, "period_from", json_object_new_string(p.from));
	json_object_object_add(content, "period_to", json_object_new_string(p.to));
	json_object_object_add(content, "exceptions_open", json_object_new_int64(t.open));
	json_object_object_add(content, "reviewer_uid", json_object_new_string(r->sess->uid));
	json_object_object_add(content, "note", json_object_new_string(note));
	authority_content_hash(content, t.hash);
	json_object_put(content);
	if ((rc = db_tx(app->db, review_tx, &t)) != KESU_OK)
		return rc;
	if (r->want_json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64((int64_t)t.id));
		json_object_object_add(o, "exceptions_open", json_object_new_int64(t.open));
		json_object_object_add(o, "content_hash", json_object_new_string(t.hash));
		resp_json(rs, 200, o);
	} else
		resp_redirect(rs, "/audit/reviews?done=audit_review_signed");
	return KESU_OK;
}

int
page_audit_review_sign(struct app *app, struct req *r, struct resp *rs)
{
	int rc = review_sign(app, r, rs);

	/* A failed signature: the reviews page again with what was typed, errors beside the fields
	 * (the route table's homes are the complaint areas'; this page is its own home). */
	if (rc == KESU_EINPUT || rc == KESU_ELOCKED || rc == KESU_EDIR) {
		struct step_page pg = { page_audit_reviews, "/audit/reviews", NULL, NULL };
		step_failed(app, r, rs, rc, &pg);
		return KESU_OK;
	}
	return rc;
}

/* My work: an overdue review for auditors (audit.review_days since the last one). */
int
audit_review_work(struct app *app, struct req *r, struct json_object *lists)
{
	struct json_object *o, *rows, *row;
	char **last;

	if (!sess_has(r, ROLE_BIT(ROLE_AUDITOR)) || !review_due(app, r, &last))
		return KESU_OK;
	rows = json_object_new_array();
	row = json_object_new_object();
	json_object_object_add(row, "url", jstr("/audit/reviews"));
	json_object_object_add(row, "last_period", last ? jstr(arena_printf(r->a, "%s – %s", last[1], last[2])) : NULL);
	json_object_object_add(row, "last_at", last ? jstr(view_local_time(app, r->a, last[3])) : NULL);
	json_object_object_add(row, "last_by", last ? jstr(last[4]) : NULL);
	json_object_object_add(row, "review_days", json_object_new_int64(review_days(app)));
	json_object_array_add(rows, row);
	o = json_object_new_object();
	json_object_object_add(o, "key", jstr("audit_review_due"));
	json_object_object_add(o, "title", jstr(T(r, "work_audit_review_due")));
	json_object_object_add(o, "count", json_object_new_int(1));
	json_object_object_add(o, "empty", json_object_new_boolean(0));
	json_object_object_add(o, "rows", rows);
	json_object_array_add(lists, o);
	return KESU_OK;
}
