/* list_export.h: the complaint list as a spreadsheet (.xlsx or CSV), bounded and audited. */
#ifndef KESU_LIST_EXPORT_H
#define KESU_LIST_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "app.h"
#include "req.h"
#include "resp.h"
#include "xlsx.h"

/* At most this many rows in one export; more are left out (the audit record and a header say so).
 * Both kinds are written row by row to a private temporary file (the .xlsx in libxlsxwriter's
 * constant-memory mode), audited, then sent from the file 64 KiB at a time (resp_file): the
 * worker's memory does not grow with the rows. */
#define EXPORT_MAX_ROWS 100000
#define export_max_rows(kind) ((void)(kind), EXPORT_MAX_ROWS)
/* Rows a statement reads (the LIMIT of STMT_EXPORT_*). */
#define EXPORT_BATCH 1000

enum export_kind { EXPORT_NONE, EXPORT_XLSX, EXPORT_CSV };

struct list_export {
	enum export_kind kind;
	struct arena *batch;     /* one batch of rows at a time: reset before each statement */
	struct xlsx *x;          /* EXPORT_XLSX */
	struct xlsx_col xcols[24];   /* x's columns: xlsx_new keeps a pointer to them */
	FILE *csv;               /* EXPORT_CSV: the temporary file, written row by row */
	struct buf line;         /* EXPORT_CSV: the row being written */
	size_t n;                /* rows written */
	int truncated;           /* 1: EXPORT_MAX_ROWS reached with rows left */
	int failed;              /* 1: a write to the file failed (no file is sent) */
};

/* Start an export of kind (its header row written to its temporary file). KESU_OK, or KESU_EINTERNAL (logged). */
int list_export_open(struct app *app, struct req *r, struct resp *rs, struct list_export *ex, enum export_kind kind);
/* One row of STMT_EXPORT_* or STMT_FIND_* (EXPORT_COLS / FIND_COLS in db_stmt.c); strings it makes live in ex->batch. */
void list_export_row(struct app *app, struct req *r, struct list_export *ex, char **row);
/*
 * Record the export in the audit trail (entity "complaint_list", action "export", with the
 * format, the query and the number of rows) and answer the file (resp_file: sent from the file
 * after the headers). KESU_OK, or the error of the audit's transaction (then no file is sent).
 * Frees ex's resources in every case.
 */
int list_export_finish(struct app *app, struct req *r, struct resp *rs, struct list_export *ex);
/* Free ex's resources without answering (an error on the way). */
void list_export_abort(struct list_export *ex);

#endif
