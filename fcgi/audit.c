/* audit.c: the audit trail — every change appended, inside its own transaction, to one SHA-256 hash chain. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#include "audit.h"
#include "crypto.h"
#include "kesu.h"

/* The genesis "previous hash". */
static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

#define AUDIT_NFIELDS 12

/* The fields of e in canonical order (struct audit_event's); seq is formatted into seqbuf. */
static void
fields(const struct audit_event *e, char seqbuf[24], const char *f[AUDIT_NFIELDS])
{
	snprintf(seqbuf, 24, "%" PRIu64, e->seq);
	f[0] = seqbuf;
	f[1] = e->at;
	f[2] = e->actor_uid;
	f[3] = e->actor_name;
	f[4] = e->actor_role;
	f[5] = e->entity;
	f[6] = e->entity_id;
	f[7] = e->action;
	f[8] = e->before_json;
	f[9] = e->after_json;
	f[10] = e->request_id;
	f[11] = e->client_addr;
}

char *
audit_canonical(struct arena *a, const struct audit_event *e, size_t *len)
{
	const char *f[AUDIT_NFIELDS];
	char seqbuf[24], *out, *p;
	size_t n = 0;

	fields(e, seqbuf, f);
	/* Netstrings: a length prefix makes ':' and ',' inside values unambiguous. */
	for (int i = 0; i < AUDIT_NFIELDS; i++)
		n += f[i] == NULL ? 4 : (size_t)snprintf(NULL, 0, "%zu:,", strlen(f[i])) + strlen(f[i]);
	p = out = arena_alloc(a, n + 1);
	for (int i = 0; i < AUDIT_NFIELDS; i++) {
		size_t l;

		if (f[i] == NULL) {
			memcpy(p, "-1:,", 4);
			p += 4;
			continue;
		}
		l = strlen(f[i]);
		p += sprintf(p, "%zu:", l);
		memcpy(p, f[i], l);
		p += l;
		*p++ = ',';
	}
	*p = '\0';
	*len = n;
	return out;
}

void
audit_hash(const char *prev_hex, const char *canon, size_t len, char out[65])
{
	static const char hexdig[] = "0123456789abcdef";
	unsigned char md[32];
	struct crypto_sha256 ctx;

	if (prev_hex == NULL)
		prev_hex = zero_hash;
	crypto_sha256_init(&ctx);
	crypto_sha256_update(&ctx, prev_hex, strlen(prev_hex));
	crypto_sha256_update(&ctx, canon, len);
	crypto_sha256_final(&ctx, md);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hexdig[md[i] >> 4];
		out[2 * i + 1] = hexdig[md[i] & 15];
	}
	out[64] = '\0';
}

/* Now in UTC with microseconds, "YYYY-MM-DD HH:MM:SS.ffffff", in the arena. */
static char *
now_utc(struct arena *a)
{
	struct timespec ts;
	struct tm tm;
	char s[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(s + 19, sizeof(s) - 19, ".%06ld", ts.tv_nsec / 1000L);
	return arena_strdup(a, s);
}

/* The JSON text of v as stored and hashed, in the arena; NULL for no value. */
static char *
json_text(struct arena *a, struct json_object *v)
{
	if (v == NULL)
		return NULL;
	return arena_strdup(a, json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* The columns are NOT NULL: an absent actor detail is stored (and hashed) as "". */
static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

int
audit_write(struct db *db, struct arena *a, const struct audit_actor *who,
    const char *entity, const char *entity_id, const char *action,
    struct json_object *before, struct json_object *after)
{
	static const struct audit_actor nobody;
	struct db_chain_head *head = db_chain_head(db);
	struct audit_event e;
	struct db_res res;
	char hash[65], *canon;
	size_t len;
	int rc;

	/* Outside a transaction the head lock would end at once and the event could commit alone. */
	if (!db_in_tx(db)) {
		LOG_ERR("audit_write outside db_tx (%s/%s)", nz(entity), nz(action));
		return KESU_EINTERNAL;
	}
	if (who == NULL)
		who = &nobody;
	/* Serialises writers: whoever holds the head row appends the next link. Locked and read at
	 * the transaction's first event; its later events continue from where the last one left it
	 * (the row stays locked), and each event's INSERT moves the row (sql/038; db.h, db_chain_head). */
	if (!head->held) {
		if ((rc = db_exec(db, a, STMT_AUDIT_HEAD_LOCK, &res, "")) != KESU_OK)
			return rc;
		if (res.nrows != 1 || res.rows[0][0] == NULL || res.rows[0][1] == NULL ||
		    strlen(res.rows[0][1]) >= sizeof(head->hash)) {
			LOG_ERR("audit_head has no row: run kesu-admin migrate");
			return KESU_EDB;
		}
		head->seq = strtoull(res.rows[0][0], NULL, 10);
		memcpy(head->hash, res.rows[0][1], strlen(res.rows[0][1]) + 1);
		head->held = 1;
	}

	memset(&e, 0, sizeof(e));
	e.seq = head->seq + 1;
	e.at = now_utc(a);
	e.actor_uid = nz(who->uid);
	e.actor_name = nz(who->name);
	e.actor_role = nz(who->role);
	e.entity = nz(entity);
	e.entity_id = nz(entity_id);
	e.action = nz(action);
	e.before_json = json_text(a, before);
	e.after_json = json_text(a, after);
	e.request_id = nz(who->request_id);
	e.client_addr = nz(who->client_addr);
	canon = audit_canonical(a, &e, &len);
	audit_hash(head->hash, canon, len, hash);

	if ((rc = db_exec(db, a, STMT_AUDIT_INSERT, NULL, "usssssssssssss", e.seq, e.at,
	    e.actor_uid, e.actor_name, e.actor_role, e.entity, e.entity_id, e.action,
	    e.before_json, e.after_json, e.request_id, e.client_addr, head->hash, hash)) != KESU_OK)
		return rc == KESU_ECONFLICT ? KESU_EDB : rc;
	head->seq = e.seq;
	memcpy(head->hash, hash, sizeof(head->hash));
	return KESU_OK;
}
