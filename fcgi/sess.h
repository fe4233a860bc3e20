/* sess.h: the signed-in person — sessions in MariaDB, their roles, the CSRF check. */
#ifndef KESU_SESS_H
#define KESU_SESS_H

#include "dir.h"
#include "req.h"

struct app;

/* The signed-in person, from the session row (strings in the request arena). */
struct session {
	const char *token_hash;
	const char *uid, *dn, *name, *department;
	unsigned roles;
	const char *csrf;
	uint64_t audit_seq;   /* the chain head when the session was read: what has changed */
	uint64_t record_gen;  /* the record's generation read with it (sql/035: res_cache.h) */
	int unproven;         /* read from the worker's cache, not yet proven alive (sess_cache.h) */
};

/* The record's generation in the proof's generations column ("DEPT REC", db_stmt.c GENS_COL); 0: none. */
uint64_t sess_record_gen(const char *gens);

/*
 * Load the session of the request's kesu_session cookie into r->sess (NULL when
 * none or expired). Touches last_seen at most once a minute. KESU_OK or KESU_EDB.
 */
int sess_load(struct app *app, struct req *r);
/* Create a session for u inside the caller's transaction; the cookie token into token[65], its CSRF token into csrf[65]. */
int sess_create(struct app *app, struct arena *a, const struct dir_user *u, char token[65], char csrf[65]);
/* Whether the request carries the right CSRF token (form field csrf_token or X-CSRF-Token header). */
int csrf_ok(const struct req *r);
/* The role in which the session acts, for audit records: the first role it has, in role order. */
const char *sess_role(const struct session *s);
/* Whether the session has any of the roles in mask. */
int sess_has(const struct req *r, unsigned mask);

#endif
