/* search_sync.c: this database node's Mroonga search tables brought up to the replicated journal (sql/030). */
#include <stdint.h>
#include <stdlib.h>

#include "search_sync.h"

/* A node that never caught up (no mark row) starts below every journal seq. */
#define SEQ_NONE (-INT64_MAX)

int
search_catch_up(struct db *db, struct arena *a, int batch, int max_batches,
    unsigned long *written, int *behind)
{
	struct db_res st, up;
	int64_t mark, newest;
	int rc;

	if (written != NULL)
		*written = 0;
	if (behind != NULL)
		*behind = 0;
	/* The one comparison every search pays: this node's mark against the journal's newest. */
	if ((rc = db_exec(db, a, STMT_SEARCH_SYNC_STATE, &st, "")) != KESU_OK)
		goto fail;
	if (st.nrows != 1 || st.rows[0][1] == NULL)
		return KESU_OK;                         /* nothing journaled yet */
	mark = st.rows[0][0] != NULL ? strtoll(st.rows[0][0], NULL, 10) : SEQ_NONE;
	newest = strtoll(st.rows[0][1], NULL, 10);
	if (mark >= newest)
		return KESU_OK;
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
			return KESU_OK;
		upto = strtoll(up.rows[0][0], NULL, 10);
		if ((rc = db_exec(db, a, STMT_SEARCH_SYNC_APPLY, &done, "ii", mark, upto)) != KESU_OK ||
		    (rc = db_exec(db, a, STMT_SEARCH_SYNC_MARK, NULL, "i", upto)) != KESU_OK)
			goto fail;
		if (written != NULL)
			*written += (unsigned long)done.affected;
		mark = upto;
		if (mark >= newest)
			return KESU_OK;
	}
	if (behind != NULL)
		*behind = 1;
	return KESU_OK;
fail:
	LOG_WARN("the search's text could not be brought up to the journal on this node: %u", db_errno(db));
	return rc;
}
