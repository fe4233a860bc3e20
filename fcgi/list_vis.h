/* list_vis.h: the complaint list of a reader who does not see all, as a union of index ranges (issue 10: agentvis). */
#ifndef KESU_LIST_VIS_H
#define KESU_LIST_VIS_H

#include <stdint.h>

#include "app.h"
#include "db.h"

/*
 * Who is reading and the list's filters, each as LIST_FILTER binds them (db_stmt.c): rows[17]
 * the filters on the row's own columns (status .. repeat), stats[18] the statistics'
 * drill-down filters (department .. satisfaction). The strings belong to the caller.
 */
struct list_vis_args {
	const char *const *rows;
	const char *const *stats;
	const char *uid, *department;
	int64_t sees_quality;     /* 1: the reader sees product-quality complaints */
};

/* STMT_VIS_PAGE_OWN's last column: 1 when the reader's own complaints are not all they see
 * (after LIST_COLS, SESS_PROOF_COLS and the count column, NULL). */
#define LIST_VIS_GUARD 19
/* STMT_VIS_LIST_OWN(_AFTER)'s: the same, after LIST_COLS. */
#define LIST_VIS_ROW_GUARD 15

/*
 * The first page without filters into *res, in a's arena: STMT_VIS_PAGE_OWN when the reader's
 * own complaints are all they see (checked by that statement; else STMT_VIS_PAGE, the union,
 * which this worker then reads for this reader from now on). The list's columns, the session's
 * proof (token_hash, idle seconds), a NULL count column. *own: 1 when the rows are the
 * reader's own and those are all they see (pass it on to the count). KESU_OK or the
 * statement's error.
 */
int list_vis_first(struct db *db, struct arena *a, const char *token_hash, int64_t idle,
    const struct list_vis_args *v, struct db_res *res, int *own);

/*
 * How many complaints v's reader sees, 0..1001 (1001: more than 1,000), into *n, for the first
 * page that read chain head head (its proof column): the count this worker kept for the
 * reader at that head, else read now (STMT_VIS_COUNT; STMT_LIST_COUNT_OWNER when own, as
 * list_vis_first said) and kept. Every change that can alter who sees what is audited and so
 * moves the head. KESU_OK or the statement's error.
 */
int list_vis_first_count(struct db *db, struct arena *a, const struct list_vis_args *v, int own,
    const char *head, long *n);

/*
 * A page newest first with v's filters (STMT_VIS_LIST), after the cursor (received_at at, id)
 * when after (STMT_VIS_LIST_AFTER), into *res in a's arena: the list's columns (LIST_COLS).
 * A reader whose own complaints are all they see reads one range (STMT_VIS_LIST_OWN*, checked
 * by that statement as list_vis_first's; *own as list_vis_first's).
 */
int list_vis_page(struct db *db, struct arena *a, const struct list_vis_args *v, int after,
    const char *at, uint64_t id, struct db_res *res, int *own);

/* How many rows v's filters keep of what v's reader sees, up to 1,001 (STMT_VIS_COUNT, or
 * STMT_VIS_COUNT_OWN when own: the page of this request found the reader's own all they see):
 * one row, one column, in a's arena. */
int list_vis_count(struct db *db, struct arena *a, const struct list_vis_args *v, int own,
    struct db_res *res);

#endif
