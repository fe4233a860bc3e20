/* search_sync.c: this database node's Mroonga search tables brought up to the replicated journal (sql/030). */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "fail_fast.h"
#include "pace.h"
#include "search_sync.h"

/* A node that never caught up (no mark row) starts below every journal seq. */
#define SEQ_NONE (-INT64_MAX)

/*
 * Whether this node's search tables answer, shared by every worker of the master
 * (search_sync_shared_init() maps it before the fork; fail_fast.h), as for the directory: a
 * catch-up that failed (a Mroonga table still locked after MariaDB was killed in the middle
 * of a write waits until the read timeout, db.read_timeout) makes the others skip theirs for
 * SEARCH_RETRY seconds, so registrations and searches answer at once meanwhile instead of
 * each holding a worker for the timeout. The first catch-up after the window probes again.
 * Without a master (kesu-admin, tests) it is per process.
 */
#define SEARCH_RETRY 30
/*
 * Only a catch-up that waited this long is a stall: one that failed at once (the server was
 * being restarted, a connection was refused) costs the next one nothing to try again, and
 * holding the window then kept new complaints out of the search for up to SEARCH_RETRY
 * seconds after MariaDB was back (tests/faults, the Groonga-lock case: found 21-26 s late).
 */
#define SEARCH_STALL_MS 1000
static struct fail_fast local_health, *health = &local_health;

/* When the next registration's catch-up may start, shared like health. */
static struct pace after_write;

void
search_sync_shared_init(void)
{
	health = fail_fast_shared(&local_health, "the search's");
	pace_shared(&after_write, "the registrations' catch-up");
}

int
search_catch_up_after_write(struct db *db, struct arena *a)
{
	/* Another worker's catch-up started less than the interval ago, or starts now: its batch
	 * or the next one writes these words (journal rows commit in seq order). */
	if (!pace_claim(&after_write, SEARCH_SYNC_AFTER_WRITE_MS))
		return KESU_OK;
	return search_catch_up(db, a, SEARCH_SYNC_BATCH, 1, NULL, NULL);
}

int
search_catch_up(struct db *db, struct arena *a, int batch, int max_batches,
    unsigned long *written, int *behind)
{
	struct db_res st, up;
	struct timespec t0, t1;
	int64_t mark, newest;
	long long waited_ms;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (written != NULL)
		*written = 0;
	if (behind != NULL)
		*behind = 0;
	if (!fail_fast_may_try(health, SEARCH_RETRY)) {
		if (behind != NULL)
			*behind = 1;
		return KESU_EDB;
	}
	/* The one comparison every search pays: this node's mark against the journal's newest. */
	if ((rc = db_exec(db, a, STMT_SEARCH_SYNC_STATE, &st, "")) != KESU_OK)
		goto fail;
	if (st.nrows != 1 || st.rows[0][1] == NULL)
		goto caught_up;                                /* nothing journaled yet */
	mark = st.rows[0][0] != NULL ? strtoll(st.rows[0][0], NULL, 10) : SEQ_NONE;
	newest = strtoll(st.rows[0][1], NULL, 10);
	if (mark >= newest)
		goto caught_up;
	for (int i = 0; i < max_batches; i++) {
		struct db_res done;
		int64_t upto;

		/*
		 * The batch ends at the seq of its last row. Journal rows commit in seq order (each
		 * is written under the audit head's lock), so none below upto can commit later and
		 * the mark may move to upto once they are written.
		 */
		if ((rc = db_exec(db, a, STMT_SEARCH_SYNC_UPTO, &up, "ii", mark, (int64_t)batch)) != KESU_OK)
			goto fail;
		if (up.nrows != 1 || up.rows[0][0] == NULL)
			goto caught_up;
		upto = strtoll(up.rows[0][0], NULL, 10);
		if ((rc = db_exec(db, a, STMT_SEARCH_SYNC_APPLY, &done, "ii", mark, upto)) != KESU_OK ||
		    (rc = db_exec(db, a, STMT_SEARCH_SYNC_MARK, NULL, "i", upto)) != KESU_OK)
			goto fail;
		if (written != NULL)
			*written += (unsigned long)done.affected;
		mark = upto;
		if (mark >= newest)
			goto caught_up;
	}
	if (behind != NULL)
		*behind = 1;
caught_up:
	if (fail_fast_up(health))
		LOG_INFO("the search's tables answer again");
	return KESU_OK;
fail:
	if (behind != NULL)
		*behind = 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	waited_ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (waited_ms < SEARCH_STALL_MS) {
		LOG_WARN("the search's text could not be brought up to the journal on this node: %u "
		    "after %lld ms; the next catch-up tries again", db_errno(db), waited_ms);
		return rc;
	}
	fail_fast_down(health, SEARCH_RETRY);
	LOG_WARN("the search's text could not be brought up to the journal on this node: %u "
	    "after %lld ms; no catch-up is tried for %d s", db_errno(db), waited_ms, SEARCH_RETRY);
	return rc;
}
