/* stats_fold.c: the registrations' statistics, journalled by their trigger, folded into stats_agg (sql/037). */
#include <stdlib.h>

#include "kesu.h"
#include "pace.h"
#include "stats_fold.h"

struct fold_tx {
	struct arena *a;
	long batch;
	uint64_t n;   /* journal rows folded by this transaction */
};

/* One batch: the folders one at a time (the mark row), the batch's highest id, its rows added
 * to stats_agg and taken out of the journal, the count on the mark. */
static int
fold_tx(struct db *db, void *arg)
{
	struct fold_tx *t = arg;
	struct db_res res;
	uint64_t hi;
	int rc;

	t->n = 0;   /* run again by db_tx after a deadlock or a lost connection */
	if ((rc = db_exec(db, t->a, STMT_STATS_FOLD_LOCK, &res, "")) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, t->a, STMT_STATS_FOLD_TOP, &res, "i", (int64_t)t->batch)) != KESU_OK)
		return rc;
	if (res.nrows != 1 || res.rows[0][0] == NULL)
		return KESU_OK;   /* nothing journalled */
	hi = strtoull(res.rows[0][0], NULL, 10);
	if ((rc = db_exec(db, t->a, STMT_STATS_FOLD_ADD, NULL, "u", hi)) != KESU_OK ||
	    (rc = db_exec(db, t->a, STMT_STATS_FOLD_DROP, &res, "u", hi)) != KESU_OK)
		return rc;
	t->n = res.affected;
	return db_exec(db, t->a, STMT_STATS_FOLD_MARK, NULL, "u", t->n);
}

int
stats_fold(struct db *db, struct arena *a, long batch, int max_batches, unsigned long *folded, int *behind)
{
	struct fold_tx t = { .a = a, .batch = batch };
	struct db_res any;
	int rc, i;

	if (folded != NULL)
		*folded = 0;
	if (behind != NULL)
		*behind = 0;
	/* Nothing journalled (a plain read sees every registration committed before it): no
	 * transaction, and no wait on the mark for the statistics page read meanwhile by others. */
	if ((rc = db_exec(db, a, STMT_STATS_FOLD_ANY, &any, "")) != KESU_OK || any.nrows == 0)
		return rc;
	for (i = 0; i < max_batches; i++) {
		if ((rc = db_tx(db, fold_tx, &t)) != KESU_OK)
			break;
		if (folded != NULL)
			*folded += (unsigned long)t.n;
		if (t.n < (uint64_t)batch)
			break;
	}
	if (behind != NULL)
		*behind = rc == KESU_OK && i == max_batches;
	return rc;
}

static struct pace after_write;

void
stats_fold_shared_init(void)
{
	pace_shared(&after_write, "the registrations' statistics");
}

int
stats_fold_after_write(struct db *db, struct arena *a)
{
	if (!pace_claim(&after_write, STATS_FOLD_AFTER_WRITE_MS))
		return KESU_OK;
	return stats_fold(db, a, STATS_FOLD_BATCH, 1, NULL, NULL);
}
