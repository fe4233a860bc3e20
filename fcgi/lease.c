/* lease.c: a named right to run a job alone across every worker host (the sweep's), held in the lease table. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lease.h"

struct lease_tx {
	struct arena *a;
	const char *name, *holder;
	int seconds;
	const char *got, *until;         /* the row as read back */
};

static int
lease_take_tx(struct db *db, void *arg)
{
	struct lease_tx *t = arg;
	struct db_res res;
	int rc;

	t->got = t->until = NULL;
	if ((rc = db_exec(db, t->a, STMT_LEASE_TAKE, &res, "ssiss", t->holder, t->holder,
	    (int64_t)t->seconds, t->name, t->holder)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, t->a, STMT_LEASE_HOLDER, &res, "s", t->name)) != KESU_OK)
		return rc;
	if (res.nrows != 1) {
		LOG_ERR("lease %s: no such row (kesu-admin migrate adds it)", t->name);
		return KESU_ENOTFOUND;
	}
	t->got = res.rows[0][0];
	t->until = res.rows[0][1];
	return KESU_OK;
}

int
lease_take(struct db *db, struct arena *a, const char *name, const char *holder, int seconds,
    const char **other, const char **other_until)
{
	struct lease_tx t = { a, name, holder, seconds, NULL, NULL };

	if (db_tx(db, lease_take_tx, &t) != KESU_OK || t.got == NULL)
		return -1;
	if (strcmp(t.got, holder) == 0)
		return 1;
	if (other != NULL)
		*other = t.got;
	if (other_until != NULL)
		*other_until = t.until;
	return 0;
}

int
lease_release(struct db *db, const char *name, const char *holder)
{
	struct arena *a = arena_new();
	struct db_res res;
	int rc;

	rc = db_exec(db, a, STMT_LEASE_RELEASE, &res, "ss", name, holder);
	arena_free(a);
	return rc;
}

const char *
lease_holder_self(struct arena *a)
{
	char host[64];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	return arena_printf(a, "%s:%ld", host, (long)getpid());
}
