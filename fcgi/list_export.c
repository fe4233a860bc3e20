/* list_export.c: the filtered complaint list written as .xlsx or CSV a batch at a time, and its audit record. */
#include <stdlib.h>
#include <string.h>

#include "list_export.h"
#include "audit.h"
#include "complaint.h"
#include "conf.h"
#include "csv.h"
#include "i18n.h"
#include "kesu.h"
#include "view.h"
#include "xlsx.h"

/* The columns, their titles (po keys) and kinds; row_of says which EXPORT_COLS value fills each. */
static const struct {
	const char *title;
	enum xlsx_kind kind;
	double width;
} cols[] = {
	{ "field_number", XLSX_TEXT, 12 }, { "field_received_at", XLSX_DATETIME, 17 },
	{ "field_status", XLSX_TEXT, 10 }, { "field_channel", XLSX_TEXT, 10 },
	{ "field_customer_name", XLSX_TEXT, 14 }, { "field_customer_company", XLSX_TEXT, 20 },
	{ "field_customer_type", XLSX_TEXT, 10 }, { "field_customer_phone", XLSX_TEXT, 14 },
	{ "field_product", XLSX_TEXT, 18 }, { "field_part_no", XLSX_TEXT, 12 }, { "field_lot", XLSX_TEXT, 12 },
	{ "field_order_no", XLSX_TEXT, 12 }, { "field_category", XLSX_TEXT, 12 },
	{ "field_severity", XLSX_INT, 6 }, { "field_urgency", XLSX_TEXT, 8 }, { "field_owner", XLSX_TEXT, 10 },
	{ "field_description", XLSX_TEXT, 40 }, { "field_demand", XLSX_TEXT, 10 },
	{ "repeat", XLSX_TEXT, 10 },
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

int
list_export_open(struct app *app, struct req *r, struct resp *rs, struct list_export *ex, enum export_kind kind)
{
	memset(ex, 0, sizeof(*ex));
	ex->kind = kind;
	ex->batch = arena_new();
	if (kind == EXPORT_XLSX) {
		struct xlsx_col *xc = ex->xcols;
		_Static_assert(NCOLS <= (int)(sizeof(ex->xcols) / sizeof(ex->xcols[0])), "xcols too small");
		for (int i = 0; i < NCOLS; i++) {
			xc[i].title = T(r, cols[i].title);
			xc[i].kind = cols[i].kind;
			xc[i].width = cols[i].width;
		}
		if ((ex->x = xlsx_new(conf_str(app->conf, "export.tmpdir", "/tmp"), T(r, "list_title"), xc, NCOLS)) == NULL) {
			list_export_abort(ex);
			return KESU_EINTERNAL;
		}
		return KESU_OK;
	}
	/* CSV: straight into the response's body, UTF-8 with a BOM (Chinese text survives Excel). */
	buf_reset(&rs->body);
	ex->csv = &rs->body;
	buf_puts(ex->csv, "\xEF\xBB\xBF");
	for (int i = 0; i < NCOLS; i++) {
		if (i > 0)
			buf_putc(ex->csv, ',');
		csv_field(ex->csv, T(r, cols[i].title));
	}
	buf_puts(ex->csv, "\r\n");
	return KESU_OK;
}

void
list_export_row(struct app *app, struct req *r, struct list_export *ex, char **c)
{
	struct arena *a = ex->batch;
	/* EXPORT_COLS: 0 id, 1 number, 2 status, 3 received_at, 4 channel, 5 customer_name,
	 * 6 company, 7 phone, 8 category, 9 severity, 10 vip, 11 owner, 12 respond_due,
	 * 13 resolve_due, 14 repeat_reason, 15 customer_type, 16 product, 17 part_no, 18 lot,
	 * 19 order_no, 20 description, 21 demand, 22 urgency */
	const char *cells[NCOLS] = {
		c[1], view_local_time(app, a, c[3]), view_label(r, "status", c[2]), view_label(r, "channel", c[4]),
		c[5], c[6], view_label(r, "customer_type", c[15]), complaint_mask_phone(a, c[7]),
		c[16], c[17], c[18], c[19], view_label(r, "category", c[8]),
		c[9], view_label(r, "urgency", c[22]), c[11], c[20], view_label(r, "demand", c[21]),
		c[14] != NULL && *c[14] != '\0' ? view_label(r, "repeat", c[14]) : "",
	};

	if (ex->kind == EXPORT_XLSX) {
		xlsx_row(ex->x, cells);
	} else {
		for (int i = 0; i < NCOLS; i++) {
			if (i > 0)
				buf_putc(ex->csv, ',');
			csv_field(ex->csv, cells[i]);
		}
		buf_puts(ex->csv, "\r\n");
	}
	ex->n++;
}

struct export_tx {
	struct req *r;
	const char *format;
	size_t n;
	int truncated;
};

static int
export_audit(struct db *db, void *arg)
{
	struct export_tx *t = arg;
	struct audit_actor who = req_actor(t->r);
	struct json_object *after = json_object_new_object();
	int rc;

	json_object_object_add(after, "format", json_object_new_string(t->format));
	json_object_object_add(after, "query", json_object_new_string(t->r->query_string ? t->r->query_string : ""));
	json_object_object_add(after, "rows", json_object_new_int64((int64_t)t->n));
	json_object_object_add(after, "truncated", json_object_new_boolean(t->truncated));
	rc = audit_write(db, t->r->a, &who, "complaint_list", "complaints", "export", NULL, after);
	json_object_put(after);
	return rc;
}

int
list_export_finish(struct app *app, struct req *r, struct resp *rs, struct list_export *ex)
{
	struct export_tx t = { r, ex->kind == EXPORT_XLSX ? "xlsx" : "csv", ex->n, ex->truncated };
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if (ex->kind == EXPORT_XLSX) {
		int bad = xlsx_finish(ex->x, r->a, &data, &len);
		ex->x = NULL;
		if (bad != 0) {
			list_export_abort(ex);
			return KESU_EINTERNAL;
		}
	}
	arena_free(ex->batch);
	ex->batch = NULL;
	/* No file leaves without its audit record. */
	if ((rc = db_tx(app->db, export_audit, &t)) != KESU_OK) {
		if (ex->kind == EXPORT_CSV)
			buf_reset(&rs->body);
		return rc;
	}
	resp_header(rs, "X-Kesu-Rows", arena_printf(r->a, "%zu", ex->n));
	if (ex->truncated)
		resp_header(rs, "X-Kesu-Truncated", "1");
	if (ex->kind == EXPORT_XLSX) {
		resp_download(r, rs, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    "kesu-complaints.xlsx", data, len);
	} else {
		rs->status = 200;
		rs->ctype = "text/csv; charset=utf-8";
		resp_header(rs, "Content-Disposition", "attachment; filename=\"kesu-complaints.csv\"");
	}
	LOG_INFO("exported %zu complaints as %s%s", ex->n, t.format, ex->truncated ? " (truncated)" : "");
	return KESU_OK;
}

void
list_export_abort(struct list_export *ex)
{
	if (ex->x != NULL) {
		unsigned char *data;
		size_t len;
		struct arena *a = arena_new();
		xlsx_finish(ex->x, a, &data, &len);   /* closes and removes the file */
		arena_free(a);
		ex->x = NULL;
	}
	if (ex->csv != NULL)
		buf_reset(ex->csv);
	arena_free(ex->batch);
	ex->batch = NULL;
}
