/* list_sort.h: the complaint list's sort orders (sort=column, -column) and their keyset cursors. */
#ifndef KESU_LIST_SORT_H
#define KESU_LIST_SORT_H

#include <stdint.h>

#include "arena.h"
#include "db.h"

enum list_col { LC_RECEIVED, LC_NUMBER, LC_CUSTOMER, LC_STATUS, LC_CATEGORY, LC_SEVERITY, LC__MAX };

struct list_sort {
	enum list_col col;
	int desc;           /* 1: descending */
};

/* The column of the list's row (LIST_COLS in db_stmt.c) that each order sorts on. */
extern const int list_col_row_index[LC__MAX];
/* The names sort= takes: "received_at", "number", "customer", "status", "category", "severity". */
extern const char *const list_col_names[LC__MAX];

/*
 * s ("column" or "-column"; NULL or "": the default, newest first) into *out. 1 when it names
 * a column of list_col_names, else 0 (*out is then the default).
 */
int list_sort_parse(const char *s, struct list_sort *out);
/* Whether o is the default order (-received_at), whose statements and cursor predate sorting. */
int list_sort_is_default(const struct list_sort *o);
/* "col" or "-col", static. */
const char *list_sort_name(const struct list_sort *o);
/* The statement of order o, its first page or (after) the page after a cursor. */
enum stmt list_sort_stmt(const struct list_sort *o, int after);
/* The same for the export (STMT_EXPORT_BY_*: 1,000 rows, the record's text as well). */
enum stmt list_sort_export_stmt(const struct list_sort *o, int after);
/* The same for a search (STMT_FIND_BY_*: the newest candidates of a search in order o). */
enum stmt list_sort_find_stmt(const struct list_sort *o, int after);

/*
 * The cursor after a row: key is the row's value of the sorted column, at its received_at
 * ("YYYY-MM-DD HH:MM:SS"), id its id. The default order's is "YYYYMMDDHHMMSS.id" (as before
 * sorting existed); the others' "HEXKEY.YYYYMMDDHHMMSS.id" (the key in hex: any text, no
 * escaping). NULL when at is malformed. Allocated in a.
 */
char *list_cursor_make(struct arena *a, const struct list_sort *o, const char *key, const char *at,
    const char *id);
/* A cursor made by list_cursor_make for order o back into key, at, id. 1, or 0 when malformed. */
int list_cursor_parse(struct arena *a, const struct list_sort *o, const char *c, const char **key,
    const char **at, uint64_t *id);

#endif
