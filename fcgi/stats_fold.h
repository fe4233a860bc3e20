/* stats_fold.h: the registrations' statistics, journalled by their trigger, folded into stats_agg (sql/037). */
#ifndef KESU_STATS_FOLD_H
#define KESU_STATS_FOLD_H

#include "arena.h"
#include "db.h"

/* Journal rows folded per transaction; transactions per fold before the statistics are read. */
#define STATS_FOLD_BATCH 1000
#define STATS_FOLD_READ_BATCHES 100

/*
 * Add the rows of stats_journal to stats_agg, oldest first, batch rows a transaction, until
 * fewer than batch were left or max_batches transactions ran (sql/037 says why the figures
 * stay exact whenever the fold runs). Outside any transaction; folders on one node wait for
 * each other, so any worker may call it at any time. *folded (may be NULL) counts the rows
 * folded; *behind (may be NULL) is set to 1 when rows were still left after max_batches.
 * KESU_OK, or the database's error (logged by db.c; the journal rows stay for the next fold).
 */
int stats_fold(struct db *db, struct arena *a, long batch, int max_batches, unsigned long *folded, int *behind);

/* At most one registration's fold per STATS_FOLD_AFTER_WRITE_MS across the master's workers. */
#define STATS_FOLD_AFTER_WRITE_MS 100
/* Map the page the workers share the pace of stats_fold_after_write() on: in the master, before the fork. */
void stats_fold_shared_init(void);
/*
 * After a registration's COMMIT: one batch of stats_fold(), unless another worker of the
 * master started one less than STATS_FOLD_AFTER_WRITE_MS ago (then nothing: KESU_OK). So the
 * registrations of a moment are folded together, and the statistics page, which folds before
 * it reads, seldom finds more than a moment's journal.
 */
int stats_fold_after_write(struct db *db, struct arena *a);

#endif
