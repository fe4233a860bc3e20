/* xlsx.h: one table as a spreadsheet — a frozen header row, typed cells (text, numbers, money, times), bounded memory. */
#ifndef KESU_XLSX_H
#define KESU_XLSX_H

#include <stddef.h>
#include <stdio.h>
#include "arena.h"

enum xlsx_kind {
	XLSX_TEXT,       /* as it is, never a formula */
	XLSX_INT,        /* a whole number */
	XLSX_MONEY_FEN,  /* fen in, yuan out with two decimals and a thousands separator */
	XLSX_DATETIME,   /* "YYYY-MM-DD HH:MM[:SS]" in, an Excel date-time out */
	XLSX_DATE,       /* "YYYY-MM-DD" in, an Excel date out */
	XLSX_DECIMAL     /* a decimal number ("33.3", "-2") in, a number out */
};

struct xlsx_col {
	const char *title;
	enum xlsx_kind kind;
	double width;    /* characters; 0: the default */
};

struct xlsx;

/*
 * A new spreadsheet with one sheet named sheet and the header row of cols, written to a
 * private file under tmpdir in libxlsxwriter's constant-memory mode (a row at a time, so
 * 100,000 rows cost no more memory than ten). NULL when it cannot be created (logged).
 */
struct xlsx *xlsx_new(const char *tmpdir, const char *sheet, const struct xlsx_col *cols, int ncols);
/* The next row: cells[0..ncols) as text (NULL: an empty cell), converted per column kind. */
void xlsx_row(struct xlsx *x, const char *const *cells);
/* Close it and read the file into *data (arena a), *len; the file is removed. 0, or -1. */
int xlsx_finish(struct xlsx *x, struct arena *a, unsigned char **data, size_t *len);

/* Close it and open the file for reading (already unlinked: it goes when the caller fcloses
 * it; resp_file does). NULL when it could not be written (logged). x is freed in every case. */
FILE *xlsx_finish_file(struct xlsx *x);

#endif
