/* sess.c: sessions stored hashed in MariaDB, the CSRF check, and the signed-in person's roles. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "crypto.h"
#include "csrf_pre.h"
#include "res_cache.h"

int
sess_load(struct app *app, struct req *r)
{
	const char *token = req_cookie(r, "kesu_session");
	char hash[65];
	struct db_res res;
	struct session *s;
	char **row;
	int rc;

	r->sess = NULL;
	/* The secret of pre-login CSRF tokens, loaded once per worker. */
	if ((rc = csrf_pre_init(app, r->a)) != KESU_OK)
		return rc;
	/* Tokens are 64 hex digits; anything else cannot be ours. */
	if (token == NULL || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
		return KESU_OK;
	crypto_sha256_hex(token, 64, hash);
	rc = db_exec(app->db, r->a, STMT_SESSION_GET, &res, "si", hash, (int64_t)app->sess_idle);
	if (rc != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_OK;
	row = res.rows[0];
	s = arena_alloc(r->a, sizeof(*s));
	s->token_hash = arena_strdup(r->a, hash);
	s->uid = row[0];
	s->dn = row[1];
	s->name = row[2];
	s->department = row[3];
	s->roles = (unsigned)strtoul(row[4], NULL, 10);
	s->csrf = row[5];
	s->audit_seq = row[7] != NULL ? strtoull(row[7], NULL, 10) : 0;
	s->record_gen = sess_record_gen(row[8]);
	res_cache_seen(s->audit_seq, s->record_gen);
	app->dept_gen = row[8] != NULL ? strtoull(row[8], NULL, 10) : 0;
	r->sess = s;
	/* Idle time is counted from the last request, but writing on every request
	 * would double the work of a page: a minute's precision is enough. */
	if (row[6] != NULL && atol(row[6]) >= 60)
		(void)db_exec(app->db, r->a, STMT_SESSION_TOUCH, NULL, "s", hash);
	return KESU_OK;
}

uint64_t
sess_record_gen(const char *gens)
{
	const char *sp = gens != NULL ? strchr(gens, ' ') : NULL;

	return sp != NULL ? strtoull(sp + 1, NULL, 10) : 0;
}

int
sess_create(struct app *app, struct arena *a, const struct dir_user *u, char token[65], char csrf[65])
{
	char hash[65];

	crypto_random_hex(token, 32);      /* 256 bits */
	crypto_random_hex(csrf, 32);
	crypto_sha256_hex(token, 64, hash);
	return db_exec(app->db, a, STMT_SESSION_INSERT, NULL, "sssssusi", hash, u->uid, u->dn,
	    u->display_name ? u->display_name : u->uid, u->department ? u->department : "",
	    (uint64_t)u->roles, csrf, (int64_t)app->sess_absolute);
}

int
csrf_ok(const struct req *r)
{
	const char *expect, *got;

	got = r->csrf_header != NULL ? r->csrf_header : req_form(r, "csrf_token");
	/* Before sign-in: the HMAC of the server-issued kesu_csrf cookie (csrf_pre.c), so a
	 * cookie planted by someone else gives them no token. */
	if (r->sess == NULL)
		return csrf_pre_ok(req_cookie(r, "kesu_csrf"), got);
	/* Signed in: the session's token. */
	expect = r->sess->csrf;
	if (expect == NULL || got == NULL || strlen(expect) < 32)
		return 0;
	return crypto_streq(expect, got);
}

const char *
sess_role(const struct session *s)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (s->roles & ROLE_BIT(i))
			return role_name((enum role)i);
	return "none";
}

int
sess_has(const struct req *r, unsigned mask)
{
	return r->sess != NULL && (r->sess->roles & mask) != 0;
}
