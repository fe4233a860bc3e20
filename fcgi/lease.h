/* lease.h: a named right to run a job alone across every worker host, held in the lease table (026). */
#ifndef KESU_LEASE_H
#define KESU_LEASE_H

#include "arena.h"
#include "db.h"

/*
 * Take the lease name for holder (or renew it, when holder has it) for seconds, in one db_tx
 * transaction: one UPDATE ... WHERE expires_at < now OR holder = me, then the row read back.
 * Works on a Galera cluster (a write set certified like any other), unlike GET_LOCK.
 * Returns 1 when holder has the lease now, 0 when another holder has it (its name and expiry
 * copied to other/other_until when they are not NULL, allocated in a), or -1 on a database
 * error (logged).
 */
int lease_take(struct db *db, struct arena *a, const char *name, const char *holder, int seconds,
    const char **other, const char **other_until);

/* Give the lease up if holder has it, so the next run need not wait for the expiry. KESU_*. */
int lease_release(struct db *db, const char *name, const char *holder);

/* A holder name for this process: "hostname:pid", allocated in a. */
const char *lease_holder_self(struct arena *a);

#endif
