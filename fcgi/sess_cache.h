/* sess_cache.h: a worker's copy of the sessions it has seen, used only where the page's own statement proves the session alive. */
#ifndef KESU_SESS_CACHE_H
#define KESU_SESS_CACHE_H

#include "sess.h"
#include "res_cache.h"

/*
 * A page statement proves a cached session with SESS_PROOF_COLS (db_stmt.c) after its own
 * columns: the session's idle seconds (NULL when the row is gone, expired or idle too long)
 * and the chain head; bound "si": the token hash, app->sess_idle.
 */

/*
 * Load r->sess from this worker's cache when the request's kesu_session token names a
 * session this worker read before: no round trip, and r->sess->unproven is set. A session
 * row never changes but for last_seen (sess.c), so the copy is the row as long as the row
 * exists: a page that takes a cached session must prove that with SESS_PROOF_COLS in its
 * first statement (sess_cache_prove), or call sess_cache_need, before anything it does
 * could be seen or written. Returns 1 when served from the cache, 0 otherwise (r->sess is
 * then NULL: call sess_load). The strings live in the request arena.
 */
int sess_cache_load(struct app *app, struct req *r);

/* Remember r->sess (as sess_load just read it) for this worker's later requests. */
void sess_cache_put(const struct req *r);

/*
 * The proof: the SESS_PROOF_COLS values a page statement returned, proof[0..2] (age NULL:
 * the row is not alive; proof NULL when the statement returned no row). Alive: clears
 * unproven, takes the chain head and the departments' generation (app->dept_gen), touches last_seen once a minute as sess_load does, KESU_OK. Otherwise the session
 * is read again (sess_cache_need): KESU_OK when it is alive after all, KESU_EAUTH when it is not.
 */
#define SESS_PROOF_NCOLS 3   /* age, chain head, the generations (db_stmt.c GENS_COL) */
int sess_cache_prove(struct app *app, struct req *r, char *const *proof);

/* The stamp (res_cache.h) a statement's proof columns read, { 0, 0 } when there are none or
 * the session was not alive in them: what that statement's own rows may be kept at. */
struct res_stamp proof_stamp(char *const *proof);

/*
 * A page's rows this worker keeps under key (res_cache.h), if they are still what its statement
 * would read: a cached session whose copy looks fresh (res_cache_likely) is proven alone first,
 * by one short statement (STMT_RESCACHE_PROOF); a proven session's stamp is known already.
 * *hit 1: res (and *tag, may be NULL) are the copy's; 0: read them, and keep them at the stamp
 * their statement's proof read (proof_stamp), or RES_STAMP(r) once proven. KESU_OK, or the
 * proof's error (KESU_EAUTH: the session is gone).
 */
int sess_cache_kept(struct app *app, struct req *r, const char *key, struct db_res *res, int *tag, int *hit);

/*
 * For a page that cannot prove the session in its statement: read it now (one round trip,
 * as sess_load). KESU_OK when r->sess is proven (or was), KESU_EAUTH when the session is gone
 * (r->sess is then NULL and dropped from the cache), or a DB error.
 */
int sess_cache_need(struct app *app, struct req *r);

/* Forget a session (sign-out) in this worker; other workers' copies fail their next proof. */
void sess_cache_drop(const char *token_hash);

#endif
