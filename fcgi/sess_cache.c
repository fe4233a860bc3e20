/* sess_cache.c: a worker's copy of the sessions it has seen, used only where the page's own statement proves the session alive. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "crypto.h"
#include "sess_cache.h"
#include "res_cache.h"

/*
 * Why this is safe across workers and hosts (issue 11): what is kept is the session row's
 * fields that never change after sign-in (uid, dn, name, department, roles, CSRF token); whether
 * the row still exists and is neither expired nor idle too long is never kept: every request
 * that uses a copy has it proven by its page statement (SESS_PROOF_COLS) before it shows or
 * writes anything, and falls back to reading the session when the proof fails. A sign-out on
 * another host deletes the row, so the next proof fails here.
 */
#define SLOTS 64

struct slot {
	char hash[65];
	char *uid, *dn, *name, *department, *csrf;
	unsigned roles;
};

static struct slot slots[SLOTS];

static struct slot *
slot_of(const char *hash)
{
	/* the token hash is uniformly distributed: its first hex digits pick the slot */
	unsigned v = (unsigned)(req_hexval(hash[0]) << 4 | req_hexval(hash[1]));
	return &slots[v % SLOTS];
}

static void
slot_clear(struct slot *s)
{
	free(s->uid);
	free(s->dn);
	free(s->name);
	free(s->department);
	free(s->csrf);
	memset(s, 0, sizeof(*s));
}

static char *
dup_or_null(const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		abort();
	return d;
}

int
sess_cache_load(struct app *app, struct req *r)
{
	const char *token = req_cookie(r, "kesu_session");
	struct session *s;
	struct slot *sl;
	char hash[65];

	(void)app;
	r->sess = NULL;
	if (token == NULL || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
		return 0;
	crypto_sha256_hex(token, 64, hash);
	sl = slot_of(hash);
	if (sl->hash[0] == '\0' || strcmp(sl->hash, hash) != 0)
		return 0;
	s = arena_alloc(r->a, sizeof(*s));
	memset(s, 0, sizeof(*s));
	s->token_hash = arena_strdup(r->a, hash);
	s->uid = arena_strdup(r->a, sl->uid);
	s->dn = sl->dn != NULL ? arena_strdup(r->a, sl->dn) : NULL;
	s->name = sl->name != NULL ? arena_strdup(r->a, sl->name) : NULL;
	s->department = sl->department != NULL ? arena_strdup(r->a, sl->department) : NULL;
	s->roles = sl->roles;
	s->csrf = sl->csrf != NULL ? arena_strdup(r->a, sl->csrf) : NULL;
	s->unproven = 1;
	r->sess = s;
	return 1;
}

void
sess_cache_put(const struct req *r)
{
	const struct session *s = r->sess;
	struct slot *sl;

	if (s == NULL || s->token_hash == NULL || strlen(s->token_hash) != 64 || s->uid == NULL)
		return;
	sl = slot_of(s->token_hash);
	if (strcmp(sl->hash, s->token_hash) == 0)
		return;   /* the same row: nothing in it has changed */
	slot_clear(sl);
	memcpy(sl->hash, s->token_hash, sizeof(sl->hash));
	sl->uid = dup_or_null(s->uid);
	sl->dn = dup_or_null(s->dn);
	sl->name = dup_or_null(s->name);
	sl->department = dup_or_null(s->department);
	sl->csrf = dup_or_null(s->csrf);
	sl->roles = s->roles;
}

void
sess_cache_drop(const char *token_hash)
{
	struct slot *sl;

	if (token_hash == NULL || strlen(token_hash) != 64)
		return;
	sl = slot_of(token_hash);
	if (strcmp(sl->hash, token_hash) == 0)
		slot_clear(sl);
}

int
sess_cache_need(struct app *app, struct req *r)
{
	const char *hash;
	int rc;

	if (r->sess == NULL || !r->sess->unproven)
		return r->sess != NULL ? KESU_OK : KESU_EAUTH;
	hash = r->sess->token_hash;
	if ((rc = sess_load(app, r)) != KESU_OK)
		return rc;
	if (r->sess == NULL) {
		sess_cache_drop(hash);
		return KESU_EAUTH;
	}
	return KESU_OK;
}

int
sess_cache_prove(struct app *app, struct req *r, char *const *proof)
{
	const char *age = proof != NULL ? proof[0] : NULL;

	if (r->sess == NULL || !r->sess->unproven)
		return r->sess != NULL ? KESU_OK : KESU_EAUTH;
	if (age == NULL)
		return sess_cache_need(app, r);
	r->sess->unproven = 0;
	r->sess->audit_seq = proof[1] != NULL ? strtoull(proof[1], NULL, 10) : 0;
	r->sess->record_gen = sess_record_gen(proof[2]);
	res_cache_seen(r->sess->audit_seq, r->sess->record_gen);
	app->dept_gen = proof[2] != NULL ? strtoull(proof[2], NULL, 10) : 0;
	/* Idle time is counted from the last request: a minute's precision, as sess_load. */
	if (atol(age) >= 60)
		(void)db_exec(app->db, r->a, STMT_SESSION_TOUCH, NULL, "s", r->sess->token_hash);
	return KESU_OK;
}

struct res_stamp
proof_stamp(char *const *proof)
{
	if (proof == NULL || proof[0] == NULL || proof[1] == NULL || proof[2] == NULL)
		return (struct res_stamp){ 0, 0 };
	return (struct res_stamp){ strtoull(proof[1], NULL, 10), sess_record_gen(proof[2]) };
}

int
sess_cache_kept(struct app *app, struct req *r, const char *key, struct db_res *res, int *tag, int *hit)
{
	struct db_res proof;
	int rc;

	*hit = 0;
	if (r->sess->unproven && res_cache_likely(key)) {
		if ((rc = db_exec(app->db, r->a, STMT_RESCACHE_PROOF, &proof, "si", r->sess->token_hash,
		    (int64_t)app->sess_idle)) != KESU_OK ||
		    (rc = sess_cache_prove(app, r, proof.nrows == 1 ? proof.rows[0] : NULL)) != KESU_OK)
			return rc;
		if (!(*hit = res_cache_get(key, RES_STAMP(r), r->a, res, tag)))
			res_cache_missed();
	} else if (!r->sess->unproven) {
		*hit = res_cache_get(key, RES_STAMP(r), r->a, res, tag);
	}
	return KESU_OK;
}
