/* list_export.c: the filtered complaint list written as .xlsx or CSV a batch at a time, and its audit record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A new file under dir, already unlinked (it goes when closed), for reading and writing; NULL (logged). */
static FILE *
tmp_file(const char *dir)
{
	char path[256];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/kesu-csv-XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0) {
		LOG_ERR("mkstemp in %s: %s", dir, strerror(errno));
		return NULL;
	}
	unlink(path);
	if ((f = fdopen(fd, "w+b")) == NULL) {
		LOG_ERR("fdopen: %s", strerror(errno));
		close(fd);
	}
	return f;
}

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
	/* CSV: UTF-8 with a BOM (Chinese text survives Excel), into a file nobody else can open. */
	if ((ex->csv = tmp_file(conf_str(app->conf, "export.tmpdir", "/tmp"))) == NULL) {
		list_export_abort(ex);
		return KESU_EINTERNAL;
	}
	buf_init(&ex->line);
	buf_puts(&ex->line, "\xEF\xBB\xBF");
	for (int i = 0; i < NCOLS; i++) {
		if (i > 0)
			buf_putc(&ex->line, ',');
		csv_field(&ex->line, T(r, cols[i].title));
	}
	buf_puts(&ex->line, "\r\n");
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
				buf_putc(&ex->line, ',');
			csv_field(&ex->line, cells[i]);
		}
		buf_puts(&ex->line, "\r\n");
		/* to the file a few rows at a time: the line buffer stays small */
		if (ex->line.len >= 65536) {
			if (fwrite(ex->line.p, 1, ex->line.len, ex->csv) != ex->line.len)
				ex->failed = 1;
			buf_reset(&ex->line);
		}
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
	FILE *f;
	int rc;

	if (ex->kind == EXPORT_XLSX) {
		f = xlsx_finish_file(ex->x);
		ex->x = NULL;
	} else {
		if (ex->line.len > 0 && fwrite(ex->line.p, 1, ex->line.len, ex->csv) != ex->line.len)
			ex->failed = 1;
		buf_free(&ex->line);
		f = ex->csv;
		ex->csv = NULL;
		if (fflush(f) != 0 || ex->failed) {
			LOG_ERR("the CSV export could not be written: %s", strerror(errno));
			fclose(f);
			f = NULL;
		}
	}
	arena_free(ex->batch);
	ex->batch = NULL;
	if (f == NULL)
		return KESU_EINTERNAL;
	/* No file leaves without its audit record. */
	if ((rc = db_tx(app->db, export_audit, &t)) != KESU_OK) {
		fclose(f);
		return rc;
	}
	resp_header(rs, "X-Kesu-Rows", arena_printf(r->a, "%zu", ex->n));
	if (ex->truncated)
		resp_header(rs, "X-Kesu-Truncated", "1");
	if (ex->kind == EXPORT_XLSX)
		resp_file(r, rs, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		    "kesu-complaints.xlsx", f);
	else
		resp_file(r, rs, "text/csv; charset=utf-8", "kesu-complaints.csv", f);
	LOG_INFO("exported %zu complaints as %s%s", ex->n, t.format, ex->truncated ? " (truncated)" : "");
	return KESU_OK;
}

void
list_export_abort(struct list_export *ex)
{
	if (ex->x != NULL) {
		FILE *f = xlsx_finish_file(ex->x);   /* closes and removes the file */
		if (f != NULL)
			fclose(f);
		ex->x = NULL;
	}
	if (ex->csv != NULL)
		fclose(ex->csv);
	ex->csv = NULL;
	buf_free(&ex->line);
	arena_free(ex->batch);
	ex->batch = NULL;
}
