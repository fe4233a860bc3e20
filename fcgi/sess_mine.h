/* sess_mine.h: a person's own sessions — at most ten, listed to them, the others ended on demand. */
#ifndef KESU_SESS_MINE_H
#define KESU_SESS_MINE_H

struct app;
struct db;
struct req;
struct resp;

/* The most sessions one person keeps (session.max_per_person overrides it). */
#define SESS_MAX_PER_PERSON 10

/*
 * After session token_hash was created for uid from r's address, inside the caller's
 * transaction: record the address, and end the person's oldest sessions beyond the
 * newest max (the new one always stays). KESU_OK or a DB error.
 */
int sess_mine_after_login(struct app *app, struct db *db, struct req *r, const char *uid,
    const char *token_hash);

/* GET /sessions: the signed-in person's sessions (created, last seen, client address), this
 * one marked, with a form that ends the others. */
int page_sessions(struct app *app, struct req *r, struct resp *rs);

/* POST /sessions/end-others: ends every session of the person but this one (audited). */
int page_sessions_end_others(struct app *app, struct req *r, struct resp *rs);

#endif
