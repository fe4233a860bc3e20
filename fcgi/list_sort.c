/* list_sort.c: which statement sorts the complaint list by which column, and the cursors that page through it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list_sort.h"
#include "req.h"

const char *const list_col_names[LC__MAX] = {
	[LC_RECEIVED] = "received_at", [LC_NUMBER] = "number", [LC_CUSTOMER] = "customer",
	[LC_STATUS] = "status", [LC_CATEGORY] = "category", [LC_SEVERITY] = "severity",
};

const int list_col_row_index[LC__MAX] = {
	[LC_RECEIVED] = 3, [LC_NUMBER] = 1, [LC_CUSTOMER] = 5, [LC_STATUS] = 2, [LC_CATEGORY] = 8,
	[LC_SEVERITY] = 9,
};

/* [column][descending][after] */
static const enum stmt stmts[LC__MAX][2][2] = {
	[LC_RECEIVED] = { { STMT_LIST_BY_RECEIVED_ASC, STMT_LIST_BY_RECEIVED_ASC_AFTER },
	    { STMT_COMPLAINT_LIST, STMT_COMPLAINT_LIST_AFTER } },
	[LC_NUMBER] = { { STMT_LIST_BY_NUMBER_ASC, STMT_LIST_BY_NUMBER_ASC_AFTER },
	    { STMT_LIST_BY_NUMBER_DESC, STMT_LIST_BY_NUMBER_DESC_AFTER } },
	[LC_CUSTOMER] = { { STMT_LIST_BY_CUSTOMER_ASC, STMT_LIST_BY_CUSTOMER_ASC_AFTER },
	    { STMT_LIST_BY_CUSTOMER_DESC, STMT_LIST_BY_CUSTOMER_DESC_AFTER } },
	[LC_STATUS] = { { STMT_LIST_BY_STATUS_ASC, STMT_LIST_BY_STATUS_ASC_AFTER },
	    { STMT_LIST_BY_STATUS_DESC, STMT_LIST_BY_STATUS_DESC_AFTER } },
	[LC_CATEGORY] = { { STMT_LIST_BY_CATEGORY_ASC, STMT_LIST_BY_CATEGORY_ASC_AFTER },
	    { STMT_LIST_BY_CATEGORY_DESC, STMT_LIST_BY_CATEGORY_DESC_AFTER } },
	[LC_SEVERITY] = { { STMT_LIST_BY_SEVERITY_ASC, STMT_LIST_BY_SEVERITY_ASC_AFTER },
	    { STMT_LIST_BY_SEVERITY_DESC, STMT_LIST_BY_SEVERITY_DESC_AFTER } },
};

/* [column][descending][after], for the export */
static const enum stmt export_stmts[LC__MAX][2][2] = {
	[LC_RECEIVED] = { { STMT_EXPORT_BY_RECEIVED_ASC, STMT_EXPORT_BY_RECEIVED_ASC_AFTER },
	    { STMT_EXPORT_BY_RECEIVED_DESC, STMT_EXPORT_BY_RECEIVED_DESC_AFTER } },
	[LC_NUMBER] = { { STMT_EXPORT_BY_NUMBER_ASC, STMT_EXPORT_BY_NUMBER_ASC_AFTER },
	    { STMT_EXPORT_BY_NUMBER_DESC, STMT_EXPORT_BY_NUMBER_DESC_AFTER } },
	[LC_CUSTOMER] = { { STMT_EXPORT_BY_CUSTOMER_ASC, STMT_EXPORT_BY_CUSTOMER_ASC_AFTER },
	    { STMT_EXPORT_BY_CUSTOMER_DESC, STMT_EXPORT_BY_CUSTOMER_DESC_AFTER } },
	[LC_STATUS] = { { STMT_EXPORT_BY_STATUS_ASC, STMT_EXPORT_BY_STATUS_ASC_AFTER },
	    { STMT_EXPORT_BY_STATUS_DESC, STMT_EXPORT_BY_STATUS_DESC_AFTER } },
	[LC_CATEGORY] = { { STMT_EXPORT_BY_CATEGORY_ASC, STMT_EXPORT_BY_CATEGORY_ASC_AFTER },
	    { STMT_EXPORT_BY_CATEGORY_DESC, STMT_EXPORT_BY_CATEGORY_DESC_AFTER } },
	[LC_SEVERITY] = { { STMT_EXPORT_BY_SEVERITY_ASC, STMT_EXPORT_BY_SEVERITY_ASC_AFTER },
	    { STMT_EXPORT_BY_SEVERITY_DESC, STMT_EXPORT_BY_SEVERITY_DESC_AFTER } },
};

/* [column][descending][after], for a search */
static const enum stmt find_stmts[LC__MAX][2][2] = {
	[LC_RECEIVED] = { { STMT_FIND_BY_RECEIVED_ASC, STMT_FIND_BY_RECEIVED_ASC_AFTER },
	    { STMT_FIND_BY_RECEIVED_DESC, STMT_FIND_BY_RECEIVED_DESC_AFTER } },
	[LC_NUMBER] = { { STMT_FIND_BY_NUMBER_ASC, STMT_FIND_BY_NUMBER_ASC_AFTER },
	    { STMT_FIND_BY_NUMBER_DESC, STMT_FIND_BY_NUMBER_DESC_AFTER } },
	[LC_CUSTOMER] = { { STMT_FIND_BY_CUSTOMER_ASC, STMT_FIND_BY_CUSTOMER_ASC_AFTER },
	    { STMT_FIND_BY_CUSTOMER_DESC, STMT_FIND_BY_CUSTOMER_DESC_AFTER } },
	[LC_STATUS] = { { STMT_FIND_BY_STATUS_ASC, STMT_FIND_BY_STATUS_ASC_AFTER },
	    { STMT_FIND_BY_STATUS_DESC, STMT_FIND_BY_STATUS_DESC_AFTER } },
	[LC_CATEGORY] = { { STMT_FIND_BY_CATEGORY_ASC, STMT_FIND_BY_CATEGORY_ASC_AFTER },
	    { STMT_FIND_BY_CATEGORY_DESC, STMT_FIND_BY_CATEGORY_DESC_AFTER } },
	[LC_SEVERITY] = { { STMT_FIND_BY_SEVERITY_ASC, STMT_FIND_BY_SEVERITY_ASC_AFTER },
	    { STMT_FIND_BY_SEVERITY_DESC, STMT_FIND_BY_SEVERITY_DESC_AFTER } },
};

int
list_sort_parse(const char *s, struct list_sort *out)
{
	int desc = 0;

	out->col = LC_RECEIVED;
	out->desc = 1;
	if (s == NULL || *s == '\0')
		return 1;
	if (*s == '-') {
		desc = 1;
		s++;
	}
	for (int i = 0; i < LC__MAX; i++)
		if (strcmp(s, list_col_names[i]) == 0) {
			out->col = (enum list_col)i;
			out->desc = desc;
			return 1;
		}
	return 0;
}

int
list_sort_is_default(const struct list_sort *o)
{
	return o->col == LC_RECEIVED && o->desc;
}

const char *
list_sort_name(const struct list_sort *o)
{
	static const char *const desc[LC__MAX] = {
		[LC_RECEIVED] = "-received_at", [LC_NUMBER] = "-number", [LC_CUSTOMER] = "-customer",
		[LC_STATUS] = "-status", [LC_CATEGORY] = "-category", [LC_SEVERITY] = "-severity",
	};
	return o->desc ? desc[o->col] : list_col_names[o->col];
}

enum stmt
list_sort_stmt(const struct list_sort *o, int after)
{
	return stmts[o->col][o->desc ? 1 : 0][after ? 1 : 0];
}

enum stmt
list_sort_export_stmt(const struct list_sort *o, int after)
{
	return export_stmts[o->col][o->desc ? 1 : 0][after ? 1 : 0];
}

enum stmt
list_sort_find_stmt(const struct list_sort *o, int after)
{
	return find_stmts[o->col][o->desc ? 1 : 0][after ? 1 : 0];
}

/* "YYYY-MM-DD HH:MM:SS" as "YYYYMMDDHHMMSS" into out[15]; 0 when malformed. */
static int
compact_time(const char *at, char out[15])
{
	int y, mo, d, h, mi, s;

	if (at == NULL || sscanf(at, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
		return 0;
	snprintf(out, 15, "%04d%02d%02d%02d%02d%02d", y, mo, d, h, mi, s);
	return 1;
}

char *
list_cursor_make(struct arena *a, const struct list_sort *o, const char *key, const char *at, const char *id)
{
	static const char hex[] = "0123456789abcdef";
	char t[15];
	struct buf b;
	char *out;

	if (!compact_time(at, t) || id == NULL)
		return NULL;
	if (list_sort_is_default(o))
		return arena_printf(a, "%s.%s", t, id);
	buf_init(&b);
	for (const unsigned char *p = (const unsigned char *)(key ? key : ""); *p != '\0'; p++) {
		buf_putc(&b, hex[*p >> 4]);
		buf_putc(&b, hex[*p & 15]);
	}
	out = arena_printf(a, "%.*s.%s.%s", (int)b.len, b.p ? b.p : "", t, id);
	buf_free(&b);
	return out;
}

/* 1 when k can be a value of column col (a cursor made for another order mostly cannot). */
static int
key_fits(enum list_col col, const char *k)
{
	switch (col) {
	case LC_NUMBER:     /* digits */
	case LC_SEVERITY:
		if (*k == '\0')
			return 0;
		for (; *k != '\0'; k++)
			if (*k < '0' || *k > '9')
				return 0;
		return 1;
	case LC_STATUS:     /* a code: a-z and _ */
	case LC_CATEGORY:
		if (*k == '\0')
			return 0;
		for (; *k != '\0'; k++)
			if ((*k < 'a' || *k > 'z') && *k != '_')
				return 0;
		return 1;
	default:            /* a customer's name: any text */
		return 1;
	}
}

/* "YYYYMMDDHHMMSS" (exactly 14 digits at c) as "YYYY-MM-DD HH:MM:SS"; NULL when malformed. */
static const char *
parse_time(struct arena *a, const char *c)
{
	int y, mo, d, h, mi, s, n = 0;

	if (sscanf(c, "%4d%2d%2d%2d%2d%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 14)
		return NULL;
	for (int i = 0; i < 14; i++)
		if (c[i] < '0' || c[i] > '9')
			return NULL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
		return NULL;
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
}

int
list_cursor_parse(struct arena *a, const struct list_sort *o, const char *c, const char **key,
    const char **at, uint64_t *id)
{
	const char *dot, *p;
	char *end, *k;
	size_t klen;

	if (c == NULL || strlen(c) > 600)
		return 0;
	if (list_sort_is_default(o)) {
		dot = c;
		klen = 0;
	} else {
		if ((dot = strchr(c, '.')) == NULL)
			return 0;
		klen = (size_t)(dot - c);
		if (klen % 2 != 0)
			return 0;
		dot++;
	}
	/* the key: pairs of hex digits, valid UTF-8 once decoded */
	k = arena_alloc(a, klen / 2 + 1);
	for (size_t i = 0; i < klen; i += 2) {
		int hi = req_hexval(c[i]), lo = req_hexval(c[i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		k[i / 2] = (char)(hi << 4 | lo);
	}
	k[klen / 2] = '\0';
	if (!utf8_valid(k, klen / 2) || !key_fits(o->col, k))
		return 0;
	p = dot;
	if (strlen(p) < 16 || p[14] != '.' || (*at = parse_time(a, p)) == NULL)
		return 0;
	if (p[15] < '1' || p[15] > '9')
		return 0;
	*id = strtoull(p + 15, &end, 10);
	if (*end != '\0' || *id == 0)
		return 0;
	*key = k;
	return 1;
}
