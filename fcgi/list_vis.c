/* list_vis.c: the complaint list of a reader who does not see all, as a union of index ranges (issue 10: agentvis). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "list_vis.h"

/*
 * What this worker knows of a few readers (a worker serves the same people again and
 * again): whether the union is needed, and the first page's count with the chain head it
 * was read at. Every change that can alter who sees what — a registration (owner), an
 * assignment, a signature, an owner transfer, a category change — writes an audit event in
 * its own transaction and so moves the head: while the head stands still, so does every
 * reader's count. Neither is needed for the rows to be right: STMT_VIS_PAGE_OWN checks its
 * own premise, and a count is only taken for the head it was read after (heads only grow).
 */
#define SLOTS 16

struct slot {
	char key[160];       /* uid, department, sees_quality; "" unused */
	int64_t head;        /* -1: no count kept */
	long n;
	int full;            /* complaint_reader holds rows for the reader: STMT_VIS_PAGE */
	int64_t own_head;    /* -1, or the chain head at which complaint_reader held nothing for the reader */
};

static struct slot slots[SLOTS];
static unsigned next_slot;

static void
slot_key(const struct list_vis_args *v, char *key, size_t size)
{
	int n = snprintf(key, size, "%s\n%s\n%d", v->uid ? v->uid : "", v->department ? v->department : "",
	    v->sees_quality ? 1 : 0);

	if (n < 0 || (size_t)n >= size)
		*key = '\0';   /* too long to keep: never found, never kept */
}

/* The reader's slot, or (make) a new one taking the oldest's place; NULL for a key too long. */
static struct slot *
slot_get(const struct list_vis_args *v, int make)
{
	char key[160];
	struct slot *s;

	slot_key(v, key, sizeof(key));
	if (*key == '\0')
		return NULL;
	for (size_t i = 0; i < SLOTS; i++)
		if (strcmp(slots[i].key, key) == 0)
			return &slots[i];
	if (!make)
		return NULL;
	s = &slots[next_slot++ % SLOTS];
	memcpy(s->key, key, sizeof(s->key));
	s->head = -1;
	s->n = 0;
	s->full = 0;
	s->own_head = -1;
	return s;
}

/* Whether the reader's own complaints may be all they see: not a quality reader, and not
 * seen to have complaint_reader rows (which stay: assignments and signatures are not removed). */
static int
own_only(const struct list_vis_args *v, const struct slot *s)
{
	return !v->sees_quality && (s == NULL || !s->full);
}

/*
 * After an own-only statement: 1 when its rows are the page (its guard column says the reader
 * has no complaint_reader rows); otherwise 0, and the reader is read by the union from now on
 * (no row: nothing to tell, the union this time only).
 */
static int
own_held(const struct list_vis_args *v, const struct db_res *res, size_t guard)
{
	struct slot *s;

	if (res->nrows == 0)
		return 0;
	if (res->rows[0][guard] != NULL && strcmp(res->rows[0][guard], "0") == 0)
		return 1;
	if ((s = slot_get(v, 1)) != NULL)
		s->full = 1;
	return 0;
}

/*
 * The chain head the last first page of this worker read (its proof; -1: none yet), and until
 * when the head counts as busy: a reader's own range without the guard that found the head
 * moved costs a second statement, so after one the guard is read at once for a while.
 */
#define HEAD_BUSY_SECONDS 5
static int64_t last_head = -1;
static time_t busy_until;

/* The chain head a first page's statement read (SESS_PROOF_COLS' second column, after
 * LIST_COLS and the age), -1: no row. */
#define LIST_VIS_HEAD 16
static int64_t
page_head(const struct db_res *res)
{
	const char *h = res->nrows > 0 ? res->rows[0][LIST_VIS_HEAD] : NULL;

	return h != NULL ? strtoll(h, NULL, 10) : -1;
}

int
list_vis_first(struct db *db, struct arena *a, const char *token_hash, int64_t idle,
    const struct list_vis_args *v, struct db_res *res, int *own)
{
	struct slot *s = slot_get(v, 0);
	int64_t h;
	int rc;

	*own = 0;
	if (own_only(v, s)) {
		/*
		 * The guard was read at the head this worker saw last (issue 10, listp99): nothing
		 * audited has happened since, as far as this worker knows, so the reader's own range
		 * without it; kept only when the statement's own head says so (same snapshot), else
		 * read again with the guard, and the head counts as busy for HEAD_BUSY_SECONDS.
		 */
		if (s != NULL && s->own_head >= 0 && s->own_head == last_head && time(NULL) >= busy_until) {
			rc = db_exec(db, a, STMT_LISTP99_VIS_PAGE_OWN_KNOWN, res, "si" "s", token_hash, idle, v->uid);
			if (rc != KESU_OK)
				return rc;
			if ((h = page_head(res)) >= 0 && h == s->own_head) {
				*own = 1;
				return KESU_OK;
			}
			busy_until = time(NULL) + HEAD_BUSY_SECONDS;
		}
		rc = db_exec(db, a, STMT_VIS_PAGE_OWN, res, "si" "ss" "s", token_hash, idle, v->department,
		    v->uid, v->uid);
		if (rc != KESU_OK)
			return rc;
		if ((h = page_head(res)) >= 0)
			last_head = h;
		if ((*own = own_held(v, res, LIST_VIS_GUARD))) {
			if (h >= 0 && (s = slot_get(v, 1)) != NULL)
				s->own_head = h;
			return rc;
		}
	}
	rc = db_exec(db, a, STMT_VIS_PAGE, res, "si" "sssi", token_hash, idle, v->uid, v->department,
	    v->uid, v->sees_quality);
	if (rc == KESU_OK && (h = page_head(res)) >= 0)
		last_head = h;
	return rc;
}

/* One branch's filter binds (LIST_FILTER_ROWS, LIST_FILTER_STATS), in order. */
#define VF(v) (v)->rows[0], (v)->rows[1], (v)->rows[2], (v)->rows[3], (v)->rows[4], (v)->rows[5], \
	(v)->rows[6], (v)->rows[7], (v)->rows[8], (v)->rows[9], (v)->rows[10], (v)->rows[11], (v)->rows[12], \
	(v)->rows[13], (v)->rows[14], (v)->rows[15], (v)->rows[16], \
	(v)->stats[0], (v)->stats[1], (v)->stats[2], (v)->stats[3], (v)->stats[4], (v)->stats[5], \
	(v)->stats[6], (v)->stats[7], (v)->stats[8], (v)->stats[9], (v)->stats[10], (v)->stats[11], \
	(v)->stats[12], (v)->stats[13], (v)->stats[14], (v)->stats[15], (v)->stats[16], (v)->stats[17]
#define VFB "sssssssssssssssss" LIST_FILTER_STATS_BINDS

int
list_vis_first_count(struct db *db, struct arena *a, const struct list_vis_args *v, int own,
    const char *head, long *n)
{
	struct slot *s = slot_get(v, 0);
	int64_t h = head != NULL ? strtoll(head, NULL, 10) : -1;
	struct db_res res;
	int rc;

	if (s != NULL && h >= 0 && s->head == h) {
		*n = s->n;
		return KESU_OK;
	}
	if (own) {
		rc = db_exec(db, a, STMT_LIST_COUNT_OWNER, &res, "s", v->uid);
	} else {
		static const char *const none[18];   /* no filter: every one NULL */

		struct list_vis_args all = { none, none, v->uid, v->department, v->sees_quality };
		rc = list_vis_count(db, a, &all, 0, &res);
	}
	if (rc != KESU_OK)
		return rc;
	*n = res.nrows == 1 && res.rows[0][0] != NULL ? atol(res.rows[0][0]) : 0;
	if (h >= 0 && (s = slot_get(v, 1)) != NULL) {
		s->head = h;
		s->n = *n;
	}
	return KESU_OK;
}

int
list_vis_page(struct db *db, struct arena *a, const struct list_vis_args *v, int after,
    const char *at, uint64_t id, struct db_res *res, int *own)
{
	int rc;

	*own = 0;
	if (own_only(v, slot_get(v, 0))) {
		rc = after
		    ? db_exec(db, a, STMT_VIS_LIST_OWN_AFTER, res, "ss" "s" VFB "ssu", v->department, v->uid,
			v->uid, VF(v), at, at, id)
		    : db_exec(db, a, STMT_VIS_LIST_OWN, res, "ss" "s" VFB, v->department, v->uid, v->uid, VF(v));
		if (rc != KESU_OK || (*own = own_held(v, res, LIST_VIS_ROW_GUARD)))
			return rc;
	}
	if (!after)
		return db_exec(db, a, STMT_VIS_LIST, res, "s" VFB "s" VFB "s" VFB "i" VFB,
		    v->uid, VF(v), v->department, VF(v), v->uid, VF(v), v->sees_quality, VF(v));
	return db_exec(db, a, STMT_VIS_LIST_AFTER, res,
	    "s" VFB "ssu" "s" VFB "ssu" "s" VFB "ssu" "i" VFB "ssu",
	    v->uid, VF(v), at, at, id, v->department, VF(v), at, at, id,
	    v->uid, VF(v), at, at, id, v->sees_quality, VF(v), at, at, id);
}

int
list_vis_count(struct db *db, struct arena *a, const struct list_vis_args *v, int own, struct db_res *res)
{
	if (own)
		return db_exec(db, a, STMT_VIS_COUNT_OWN, res, "s" VFB, v->uid, VF(v));
	return db_exec(db, a, STMT_VIS_COUNT, res, "s" VFB "s" VFB "s" VFB "i" VFB,
	    v->uid, VF(v), v->department, VF(v), v->uid, VF(v), v->sees_quality, VF(v));
}
