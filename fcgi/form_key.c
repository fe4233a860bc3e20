/* form_key.c: a registration form's key, so that the same form sent twice registers one complaint. */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "form_key.h"
#include "kesu.h"

/*
 * Why: when the database goes away around COMMIT, the worker cannot know whether the
 * registration was stored (db_tx reports "outcome unknown") and the person sees an error page.
 * Sending the same form again must not store the complaint twice. The form carries a random key
 * issued with the page; the key and the complaint's number are stored in the registration's own
 * transaction (table registration_key, sql/025), so a key that exists names a complaint that
 * exists, and a retry is answered with that complaint instead of a new one.
 */

int
form_key_valid(const char *k)
{
	size_t n;

	if (k == NULL)
		return 0;
	n = strlen(k);
	return n >= 16 && n <= 64 &&
	    strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

void
form_key_new(char out[FORM_KEY_LEN + 1])
{
	crypto_random_hex(out, FORM_KEY_LEN / 2);
}

int
form_key_claim(struct db *db, struct arena *a, const char *uid, const char *key, char number[16])
{
	struct db_res res;
	int rc;

	number[0] = '\0';
	/*
	 * The INSERT comes first: it locks only the new row, so registrations with different keys
	 * never wait for each other here, and one with the same key waits until the first has
	 * committed (then 1062) or rolled back (then the insert succeeds).
	 */
	rc = db_exec(db, a, STMT_FORM_KEY_CLAIM, NULL, "ss", uid, key);
	if (rc != KESU_ECONFLICT)
		return rc;
	/* Taken: a locking read sees the committed row whatever this transaction read before. */
	if ((rc = db_exec(db, a, STMT_FORM_KEY_GET, &res, "ss", uid, key)) != KESU_OK)
		return rc;
	if (res.nrows != 1 || res.rows[0][0] == NULL) {
		LOG_ERR("form key of %s taken but names no complaint", uid);
		return KESU_EDB;
	}
	snprintf(number, 16, "%s", res.rows[0][0]);
	return KESU_OK;
}

int
form_key_bind(struct db *db, struct arena *a, const char *uid, const char *key, const char *number)
{
	return db_exec(db, a, STMT_FORM_KEY_BIND, NULL, "sss", number, uid, key);
}
