/* audit.h: the tamper-evident audit trail — one hash chain over every change. */
#ifndef KESU_AUDIT_H
#define KESU_AUDIT_H

#include <json-c/json.h>
#include "arena.h"
#include "db.h"

/* Who did it, from where. */
struct audit_actor {
	const char *uid;
	const char *name;
	const char *role;         /* the role in which they acted */
	const char *request_id;
	const char *client_addr;
};

/* One event exactly as hashed and stored. */
struct audit_event {
	uint64_t seq;             /* position in the chain, 1, 2, 3 ... */
	const char *at;           /* UTC "YYYY-MM-DD HH:MM:SS.ffffff" */
	const char *actor_uid, *actor_name, *actor_role;
	const char *entity, *entity_id, *action;
	const char *before_json;  /* NULL when there was nothing before */
	const char *after_json;   /* NULL when nothing is left after */
	const char *request_id, *client_addr;
};

/*
 * Append an event to the chain inside the caller's transaction: lock the chain
 * head (at the transaction's first event), compute seq and hash, insert, move the
 * head (written by db_tx before COMMIT: db_chain_head in db.h). before/after may be NULL;
 * they are serialised with json-c (plain, keys in insertion order, '/' not
 * escaped) and not consumed; absent actor details are stored as "". Returns
 * KESU_OK, KESU_EDB, or KESU_EINTERNAL when called outside db_tx.
 */
int audit_write(struct db *db, struct arena *a, const struct audit_actor *who,
    const char *entity, const char *entity_id, const char *action,
    struct json_object *before, struct json_object *after);

/*
 * The canonical serialisation of e: each field as a netstring "<len>:<bytes>,"
 * in the order of struct audit_event, NULL written as "-1:,". In the arena.
 */
char *audit_canonical(struct arena *a, const struct audit_event *e, size_t *len);
/* hex(SHA-256(prev_hash_hex || canonical)) into out[65]. The first event's prev is 64 '0'. */
void audit_hash(const char *prev_hex, const char *canon, size_t len, char out[65]);

#endif
