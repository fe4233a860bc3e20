/* res_cache.h: a worker's copies of a few statement results, kept while the stamp they were read at stands. */
#ifndef KESU_RES_CACHE_H
#define KESU_RES_CACHE_H

#include <stdint.h>

#include "arena.h"
#include "db.h"

/*
 * Every audited change moves the chain head (audit_head.last_seq) in the change's own
 * transaction, on every node, and every change of complaint, complaint_facts, complaint_reader
 * and the calendar moves the record's generation (sql/035), by whatever path. A page reads both
 * with the session (sess->audit_seq, sess->record_gen: STMT_SESSION_GET or the page statement's
 * proof, in the same statement). So a result read at (or after) that stamp is still what the
 * statement returns as long as a later request reads the same stamp — provided the result
 * depends only on those tables, the audit trail and what its key says (the statement and every
 * value bound). Such results are kept here: RES_CACHE_SLOTS of them per worker, each at most
 * RES_CACHE_BYTES and all of them RES_CACHE_TOTAL, replaced first when stale, then least
 * recently used. A result must never be kept at a stamp read after it.
 */
/* What a result is kept at: the chain head and the record's generation (sql/035) a proof read
 * together; either 0 (not known) never hits nor fills. */
struct res_stamp {
	uint64_t head, gen;
};
/* A request's, from its session (sess.h: read with it, or by the page statement's proof). */
#define RES_STAMP(r) ((struct res_stamp){ (r)->sess->audit_seq, (r)->sess->record_gen })

#define RES_CACHE_SLOTS 16
#define RES_CACHE_BYTES 65536          /* one result at most */
#define RES_CACHE_TOTAL (256 * 1024)   /* all of them: the least recently used go first */

/*
 * A key for kind and the values a statement binds: each value with its length before it, so
 * no two lists of values give the same key (NULL is "-", apart from any string).
 */
const char *res_cache_key(struct arena *a, const char *kind, const char *const *vals, size_t n);

/*
 * The result kept under key at the stamp at: copied into a (the caller may keep it for the
 * request whatever later puts replace), with the tag it was kept with (tag may be NULL), 1;
 * 0 when there is none at this stamp.
 */
int res_cache_get(const char *key, struct res_stamp at, struct arena *a, struct db_res *out, int *tag);

/* Keep a copy of res under key, read at (or after) the stamp at, with a tag of the caller's
 * (what else the reading found); a result over RES_CACHE_BYTES is not kept. */
void res_cache_put(const char *key, struct res_stamp at, const struct db_res *res, int tag);

/*
 * A page whose statement would also prove the session (sess_cache.h) cannot know the stamp
 * before it runs. So each stamp a request reads is told here (res_cache_seen: the session's
 * proof or its read), and res_cache_likely(key) says whether the copy under key was read at
 * the stamp this worker saw last, no more than RES_CACHE_RECENT seconds ago, and no guess
 * failed in the last RES_CACHE_BUSY seconds: then the page proves the session alone and
 * takes the copy if the proof's stamp is still that one; a guess that fails (res_cache_missed)
 * costs that page one statement more, and the pages of the next seconds do not guess.
 */
#define RES_CACHE_RECENT 2
#define RES_CACHE_BUSY 5
void res_cache_seen(uint64_t head, uint64_t gen);
int res_cache_likely(const char *key);
void res_cache_missed(void);

/* Hits and misses since the worker started (for tests and logs). */
void res_cache_counts(uint64_t *hits, uint64_t *misses);

/* Forget everything (tests; a worker's end). */
void res_cache_clear(void);

#endif
