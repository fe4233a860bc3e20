/* xlsx.c: one table as a spreadsheet — a frozen header row, typed cells (text, numbers, money, times), bounded memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "kesu.h"
#include "xlsx.h"

/*
 * Why libxlsxwriter (Debian's libxlsxwriter-dev): it writes real .xlsx cells with number and
 * date formats, Chinese text and frozen panes, in a constant-memory mode that streams rows to
 * disk — what finance and auditors expect of a spreadsheet, without a zip/XML writer of our own.
 */

struct xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *money, *datetime, *date;
	const struct xlsx_col *cols;
	int ncols;
	lxw_row_t row;
	char path[256];
};

struct xlsx *
xlsx_new(const char *tmpdir, const char *sheet, const struct xlsx_col *cols, int ncols)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir };
	struct xlsx *x = xcalloc(1, sizeof(*x));
	int fd;

	snprintf(x->path, sizeof(x->path), "%s/kesu-xlsx-XXXXXX", tmpdir);
	if ((fd = mkstemp(x->path)) < 0) {
		LOG_ERR("mkstemp in %s: %s", tmpdir, strerror(errno));
		free(x);
		return NULL;
	}
	close(fd);
	if ((x->wb = workbook_new_opt(x->path, &opt)) == NULL ||
	    (x->ws = workbook_add_worksheet(x->wb, sheet)) == NULL) {
		LOG_ERR("libxlsxwriter could not start a workbook in %s", tmpdir);
		if (x->wb != NULL)
			workbook_close(x->wb);
		unlink(x->path);
		free(x);
		return NULL;
	}
	x->cols = cols;
	x->ncols = ncols;
	x->head = workbook_add_format(x->wb);
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xE8EEF7);
	x->money = workbook_add_format(x->wb);
	format_set_num_format(x->money, "#,##0.00");
	x->datetime = workbook_add_format(x->wb);
	format_set_num_format(x->datetime, "yyyy-mm-dd hh:mm");
	x->date = workbook_add_format(x->wb);
	format_set_num_format(x->date, "yyyy-mm-dd");
	for (int c = 0; c < ncols; c++) {
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width > 0 ? cols[c].width : 16, NULL);
		worksheet_write_string(x->ws, 0, (lxw_col_t)c, cols[c].title, x->head);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	return x;
}

/* "YYYY-MM-DD[ HH:MM[:SS]]" into d; 0, or -1 when it is not such a time. */
static int
parse_time(const char *s, lxw_datetime *d)
{
	int y, mo, da, h = 0, mi = 0, se = 0, n;

	memset(d, 0, sizeof(*d));
	n = sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &da, &h, &mi, &se);
	if (n < 3 || mo < 1 || mo > 12 || da < 1 || da > 31)
		return -1;
	d->year = y;
	d->month = mo;
	d->day = da;
	d->hour = h;
	d->min = mi;
	d->sec = se;
	return 0;
}

void
xlsx_row(struct xlsx *x, const char *const *cells)
{
	for (int c = 0; c < x->ncols; c++) {
		const char *v = cells[c];
		lxw_col_t col = (lxw_col_t)c;
		lxw_datetime d;
		char *end;
		if (v == NULL || *v == '\0')
			continue;
		switch (x->cols[c].kind) {
		case XLSX_INT: {
			long long n = strtoll(v, &end, 10);
			if (*end == '\0')
				worksheet_write_number(x->ws, x->row, col, (double)n, NULL);
			else
				worksheet_write_string(x->ws, x->row, col, v, NULL);
			break;
		}
		case XLSX_MONEY_FEN: {
			long long fen = strtoll(v, &end, 10);
			/* Fen are whole numbers: yuan with two decimals are exact in a double below 2^53 fen. */
			if (*end == '\0')
				worksheet_write_number(x->ws, x->row, col, (double)fen / 100.0, x->money);
			else
				worksheet_write_string(x->ws, x->row, col, v, NULL);
			break;
		}
		case XLSX_DECIMAL: {
			double n = strtod(v, &end);
			if (*end == '\0' && end != v)
				worksheet_write_number(x->ws, x->row, col, n, NULL);
			else
				worksheet_write_string(x->ws, x->row, col, v, NULL);
			break;
		}
		case XLSX_DATETIME:
		case XLSX_DATE:
			if (parse_time(v, &d) == 0)
				worksheet_write_datetime(x->ws, x->row, col, &d,
				    x->cols[c].kind == XLSX_DATE ? x->date : x->datetime);
			else
				worksheet_write_string(x->ws, x->row, col, v, NULL);
			break;
		default:
			/* A string cell is text whatever it starts with: a spreadsheet never runs it. */
			worksheet_write_string(x->ws, x->row, col, v, NULL);
			break;
		}
	}
	x->row++;
}

int
xlsx_finish(struct xlsx *x, struct arena *a, unsigned char **data, size_t *len)
{
	int rc = -1;
	FILE *f;
	long n;

	*data = NULL;
	*len = 0;
	if (workbook_close(x->wb) != LXW_NO_ERROR) {
		LOG_ERR("libxlsxwriter could not write %s", x->path);
	} else if ((f = fopen(x->path, "rb")) != NULL) {
		if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
			*data = arena_alloc(a, (size_t)n);
			if (fread(*data, 1, (size_t)n, f) == (size_t)n) {
				*len = (size_t)n;
				rc = 0;
			}
		}
		fclose(f);
	}
	unlink(x->path);
	free(x);
	return rc;
}

FILE *
xlsx_finish_file(struct xlsx *x)
{
	FILE *f = NULL;

	if (workbook_close(x->wb) != LXW_NO_ERROR)
		LOG_ERR("libxlsxwriter could not write %s", x->path);
	else if ((f = fopen(x->path, "rb")) == NULL)
		LOG_ERR("%s: %s", x->path, strerror(errno));
	unlink(x->path);
	free(x);
	return f;
}
