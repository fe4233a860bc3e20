/* search_sync.h: this database node's Mroonga search tables brought up to the replicated journal (sql/030). */
#ifndef KESU_SEARCH_SYNC_H
#define KESU_SEARCH_SYNC_H

#include "arena.h"
#include "db.h"

/* Journal rows written per statement, and statements per search request (at most 1,000 rows). */
#define SEARCH_SYNC_BATCH 500
#define SEARCH_SYNC_REQUEST_BATCHES 2

/*
 * Bring the complaint_text (and so complaint_text_recent) of the node this connection reaches
 * up to complaint_text_journal, the replicated list of complaints whose text was written:
 * first one statement compares the node's mark (complaint_text_mark, an Aria table, so
 * local to the node) with the journal's newest seq, two primary-key reads; when they differ,
 * up to max_batches statements each rewrite the text of the next batch journal rows whose
 * complaint_text row is missing or different (REPLACE ... SELECT from complaint), and move the
 * mark. Outside any transaction; idempotent, so two workers may run it at once.
 *
 * Returns KESU_OK, or KESU_EDB (logged; the search then runs on what the node has). After a
 * failure no catch-up is tried for 30 s by any worker of the master (KESU_EDB at once, *behind
 * set), so a search table that does not answer costs one timeout, not one per request. *written
 * (may be NULL) counts the rows written; *behind (may be NULL) is set to 1 when journal rows
 * are still waiting after max_batches (a node that was away from searches for long: the
 * sweep and the next searches go on), else 0.
 */
/* Map the page the workers share the search tables' health on: in the master, before the fork. */
void search_sync_shared_init(void);
int search_catch_up(struct db *db, struct arena *a, int batch, int max_batches,
    unsigned long *written, int *behind);

/* At most one registration's catch-up per SEARCH_SYNC_AFTER_WRITE_MS across the master's workers. */
#define SEARCH_SYNC_AFTER_WRITE_MS 100
/*
 * After a registration's COMMIT (issue 10, regfast2): search_catch_up() of one batch, unless
 * another worker of the master started one less than SEARCH_SYNC_AFTER_WRITE_MS ago, in which
 * case nothing is done (KESU_OK) and the words wait in the journal for the next registration's
 * catch-up, a search (which catches up before it reads) or the sweep. So a burst of
 * registrations writes its words in a few batches instead of one statement each, and the
 * registrations' catch-ups seldom rewrite the same journal rows at once (only when one takes
 * longer than the interval); a search still finds every complaint committed before it. Returns what search_catch_up() returns, or KESU_OK when skipped.
 */
int search_catch_up_after_write(struct db *db, struct arena *a);

#endif
