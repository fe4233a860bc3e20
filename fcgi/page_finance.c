/* page_finance.c: finance's list of approved compensation, discounts and returns — executed, exported as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "valid.h"
#include "audit.h"
#include "csv.h"
#include "money.h"
#include "sections.h"
#include "step.h"

#define FINANCE_ROWS 200

static struct json_object *
remedy_row(struct app *app, struct req *r, char **c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "plan_id", json_object_new_int64(strtoll(c[0], NULL, 10)));
	json_object_object_add(o, "line", json_object_new_int(atoi(c[1])));
	json_object_object_add(o, "key", jstr(arena_printf(r->a, "%s:%s", c[0], c[1])));
	json_object_object_add(o, "kind", jstr(c[2]));
	json_object_object_add(o, "kind_label", jstr(view_label(r, "remedy", c[2])));
	json_object_object_add(o, "amount_fen", c[3] ? json_object_new_int64(strtoll(c[3], NULL, 10)) : NULL);
	json_object_object_add(o, "amount", c[3] ? jstr(fmt_yuan(r->a, strtoll(c[3], NULL, 10))) : NULL);
	json_object_object_add(o, "quantity", c[4] ? json_object_new_int64(strtoll(c[4], NULL, 10)) : NULL);
	json_object_object_add(o, "note", jstr(c[5]));
	json_object_object_add(o, "number", jstr(c[6]));
	json_object_object_add(o, "url", jstr(arena_printf(r->a, "/complaints/%s", c[6])));
	json_object_object_add(o, "revision", json_object_new_int(atoi(c[7])));
	json_object_object_add(o, "customer_name", jstr(c[8]));
	json_object_object_add(o, "customer_company", jstr(c[9]));
	json_object_object_add(o, "executed", json_object_new_boolean(c[10] != NULL));
	json_object_object_add(o, "executed_at", c[10] ? jstr(view_local_time(app, r->a, c[10])) : NULL);
	json_object_object_add(o, "executed_name", c[11] ? jstr(c[11]) : NULL);
	json_object_object_add(o, "executed_note", c[12] ? jstr(c[12]) : NULL);
	return o;
}

/* The rows of one page: a plan's lines are never split across pages. *next: the cursor or NULL. */
static int
finance_rows(struct app *app, struct req *r, int open_only, const char *after, struct db_res *res,
    size_t *shown, const char **next)
{
	int rc;

	if (valid_id(after))
		rc = db_exec(app->db, r->a, STMT_FINANCE_REMEDIES_AFTER, res, "is", (int64_t)open_only, after);
	else
		rc = db_exec(app->db, r->a, STMT_FINANCE_REMEDIES, res, "i", (int64_t)open_only);
	if (rc != KESU_OK)
		return rc;
	*shown = res->nrows;
	*next = NULL;
	if (res->nrows > FINANCE_ROWS) {
		const char *cut = res->rows[FINANCE_ROWS][0];
		*shown = FINANCE_ROWS;
		while (*shown > 0 && strcmp(res->rows[*shown - 1][0], cut) == 0)
			(*shown)--;
		/* the next page starts with the plan that was cut */
		*next = arena_printf(r->a, "%lld", strtoll(cut, NULL, 10) + 1);
	}
	return KESU_OK;
}

int
page_finance(struct app *app, struct req *r, struct resp *rs)
{
	const char *after = req_query(r, "after"), *next;
	int open_only = req_query(r, "all") == NULL;
	struct json_object *v, *rows;
	struct db_res res;
	size_t shown;
	int rc;

	if ((rc = finance_rows(app, r, open_only, after, &res, &shown, &next)) != KESU_OK)
		return rc;
	v = view_new(app, r);
	rows = json_object_new_array();
	for (size_t i = 0; i < shown; i++)
		json_object_array_add(rows, remedy_row(app, r, res.rows[i]));
	json_object_object_add(v, "remedies", rows);
	json_object_object_add(v, "empty", json_object_new_boolean(shown == 0));
	json_object_object_add(v, "open_only", json_object_new_boolean(open_only));
	json_object_object_add(v, "can_execute", json_object_new_boolean(sess_has(r, ROLE_BIT(ROLE_FINANCE))));
	if (next != NULL)
		json_object_object_add(v, "next_url", jstr(arena_printf(r->a, "/finance?after=%s%s", next,
		    open_only ? "" : "&all=1")));
	json_object_object_add(v, "csv_url", jstr(open_only ? "/finance.csv" : "/finance.csv?all=1"));
	view_done_notice(r, v);
	{
		/* the fines and deductions in force, with their own pages */
		struct json_object *lists = json_object_new_array(), *pen = json_object_new_array();
		if ((rc = penalties_work(app, r, lists)) != KESU_OK) {
			json_object_put(lists);
			json_object_put(pen);
			json_object_put(v);
			return rc;
		}
		for (size_t i = 0; i < json_object_array_length(lists); i++) {
			struct json_object *l = json_object_array_get_idx(lists, i);
			if (strcmp(json_object_get_string(json_object_object_get(l, "key")), "penalties_to_execute") == 0)
				json_object_object_add(v, "penalties", json_object_get(json_object_object_get(l, "rows")));
		}
		json_object_put(lists);
		json_object_put(pen);
	}
	resp_page(app, r, rs, 200, "finance", v);
	return KESU_OK;
}

/* /finance.csv: the same rows for a spreadsheet — UTF-8 with a BOM, so Chinese text survives. */
int
page_finance_csv(struct app *app, struct req *r, struct resp *rs)
{
	static const char *const heads[] = { "csv_number", "csv_customer", "csv_company", "csv_plan", "remedy_kind",
		"csv_amount", "remedy_quantity", "remedy_note", "csv_executed_at", "csv_executed_by", NULL };
	int open_only = req_query(r, "all") == NULL;
	const char *after = NULL, *next;
	struct db_res res;
	size_t shown;
	int rc;

	rs->status = 200;
	rs->ctype = "text/csv; charset=utf-8";
	resp_header(rs, "Content-Disposition", "attachment; filename=\"kesu-finance.csv\"");
	buf_puts(&rs->body, "\xEF\xBB\xBF");
	for (int i = 0; heads[i] != NULL; i++) {
		if (i > 0)
			buf_putc(&rs->body, ',');
		csv_field(&rs->body, T(r, heads[i]));
	}
	buf_puts(&rs->body, "\r\n");
	/* every page of the list, at most 50,000 lines */
	for (int pages = 0; pages < 250; pages++) {
		if ((rc = finance_rows(app, r, open_only, after, &res, &shown, &next)) != KESU_OK)
			return rc;
		for (size_t i = 0; i < shown; i++) {
			char **c = res.rows[i];
			const char *cells[] = { c[6], c[8], c[9], c[7], view_label(r, "remedy", c[2]),
				c[3] ? fmt_yuan(r->a, strtoll(c[3], NULL, 10)) : "", c[4] ? c[4] : "", c[5],
				c[10] ? view_local_time(app, r->a, c[10]) : "", c[11] ? c[11] : "" };
			for (size_t k = 0; k < sizeof(cells) / sizeof(cells[0]); k++) {
				if (k > 0)
					buf_putc(&rs->body, ',');
				csv_field(&rs->body, cells[k]);
			}
			buf_puts(&rs->body, "\r\n");
		}
		if (next == NULL)
			break;
		after = next;
	}
	return KESU_OK;
}

struct exec_tx {
	struct req *r;
	const char *plan_id, *line, *note;
};

static int
remedy_exec_tx(struct db *db, void *arg)
{
	struct exec_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_FINANCE));
	struct db_res res;
	struct json_object *after;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_REMEDY_LOCK, &res, "ss", t->plan_id, t->line)) != KESU_OK)
		return rc;
	if (res.nrows != 1 || strcmp(res.rows[0][2], "approved") != 0)
		return KESU_ENOTFOUND;
	if (res.rows[0][1] != NULL)
		return KESU_ECONFLICT;   /* marked already */
	if ((rc = db_exec(db, r->a, STMT_REMEDY_EXECUTE, NULL, "sssss", r->sess->uid, r->sess->name,
	    t->note ? t->note : "", t->plan_id, t->line)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "plan_id", json_object_new_int64(strtoll(t->plan_id, NULL, 10)));
	json_object_object_add(after, "line", json_object_new_int(atoi(t->line)));
	json_object_object_add(after, "kind", json_object_new_string(res.rows[0][0]));
	json_object_object_add(after, "amount_fen", res.rows[0][4] ? json_object_new_int64(strtoll(res.rows[0][4], NULL, 10)) : NULL);
	json_object_object_add(after, "note", json_object_new_string(t->note ? t->note : ""));
	rc = audit_write(db, r->a, &who, "complaint", res.rows[0][3], "remedy_execute", NULL, after);
	json_object_put(after);
	return rc;
}

/* POST /finance/execute (remedy = "plan_id:line", note): finance marks a line paid or credited. */
int
page_finance_execute(struct app *app, struct req *r, struct resp *rs)
{
	const char *key = req_form(r, "remedy"), *colon;
	struct exec_tx t = { r, NULL, NULL, req_form(r, "note") };
	int rc;

	if (key == NULL || (colon = strchr(key, ':')) == NULL || (t.note != NULL && strlen(t.note) > 500))
		return KESU_EINPUT;
	t.plan_id = arena_strndup(r->a, key, (size_t)(colon - key));
	t.line = colon + 1;
	if (!valid_id(t.plan_id) || !valid_id(t.line) || strlen(t.line) > 3)
		return KESU_EINPUT;
	if ((rc = db_tx(app->db, remedy_exec_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("finance: remedy %s:%s executed", t.plan_id, t.line);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "remedy", jstr(key));
		json_object_object_add(v, "executed", json_object_new_boolean(1));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, "/finance?done=remedy_execute");
	return KESU_OK;
}
