/* csrf_pre.c: the CSRF token before sign-in — server-issued, never whatever the client offers. */
#include <stdio.h>
#include <string.h>


#include "app.h"
#include "crypto.h"
#include "csrf_pre.h"

/*
 * Double submit alone trusts the cookie: whoever can plant a kesu_csrf cookie (a sibling
 * host, a man in the middle of plain http) picks the token too. The form carries instead an
 * HMAC of the cookie under a secret only the server knows, so a planted cookie is useless.
 */
static char secret[65];

void
csrf_pre_set_secret(const char *s)
{
	snprintf(secret, sizeof(secret), "%s", s != NULL ? s : "");
}

int
csrf_pre_init(struct app *app, struct arena *a)
{
	struct db_res res;
	char fresh[65];
	int rc;

	if (secret[0] != '\0')
		return KESU_OK;
	crypto_random_hex(fresh, 32);
	/* The first worker's value wins; every other one reads it. */
	if ((rc = db_exec(app->db, a, STMT_SECRET_INSERT, NULL, "ss", "csrf_pre", fresh)) != KESU_OK ||
	    (rc = db_exec(app->db, a, STMT_SECRET_GET, &res, "s", "csrf_pre")) != KESU_OK)
		return rc;
	if (res.nrows != 1 || res.rows[0][0] == NULL || strlen(res.rows[0][0]) != 64)
		return KESU_EDB;
	csrf_pre_set_secret(res.rows[0][0]);
	explicit_bzero(fresh, sizeof(fresh));
	return KESU_OK;
}

int
csrf_pre_nonce_ok(const char *nonce)
{
	return nonce != NULL && strlen(nonce) == 64 && strspn(nonce, "0123456789abcdef") == 64;
}

int
csrf_pre_token(const char *nonce, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[32];

	out[0] = '\0';
	if (!csrf_pre_nonce_ok(nonce) || strlen(secret) != 64)
		return -1;
	crypto_hmac_sha256(secret, 64, nonce, 64, mac);
	for (unsigned int i = 0; i < 32; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

int
csrf_pre_ok(const char *nonce, const char *got)
{
	char want[65];

	if (got == NULL || csrf_pre_token(nonce, want) != 0)
		return 0;
	return crypto_streq(want, got);
}
