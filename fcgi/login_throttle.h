/* login_throttle.h: who may try a password now — sign-in and signature re-checks, one rule. */
#ifndef KESU_LOGIN_THROTTLE_H
#define KESU_LOGIN_THROTTLE_H

#include "arena.h"

struct app;
struct req;

/*
 * The one form of a typed user name that everything counts, compares and searches with:
 * full-width ASCII (U+FF01..U+FF5E) and the ideographic space (U+3000) folded to ASCII,
 * leading and trailing blanks removed, ASCII lower-cased — so " hr", "HR  " and "ｈｒ" are all
 * "hr", the person the directory would find. Allocated from a; NULL for NULL.
 */
char *login_canon_user(struct arena *a, const char *typed);

/* What the failure table knows of one key: failures in the window, seconds since the last
 * one, seconds left of a lock (0: none). All 0 when the key never failed. */
struct throttle_count {
	long failures, since, locked;
};

/* The rule's numbers (login.* in kesu.conf). */
struct throttle_rule {
	long window;            /* failures older than this are forgotten (900 s) */
	long addr_slow_after;   /* failures of one client address before it must wait (3) */
	long account_slow_after;/* failures of one account before attempts for it wait (10) */
	long account_delay_max; /* the longest wait an account's failures impose (60 s) */
};

/*
 * Seconds an attempt must wait (0: may go ahead), given the counts of the account, of the
 * client address, and of this address's failures for this account ("pair"). The account's
 * delay (5, 10, 20, 40, then account_delay_max seconds after its last failure) applies only
 * to addresses that have failed for it: a clean address — the owner at their own desk — is
 * never held up by what others typed, so nobody can lock anyone out; it answers to the
 * address's own throttle only (a growing pause after addr_slow_after failures, or its lock).
 */
long login_throttle_wait(const struct throttle_rule *rule, const struct throttle_count *account,
    const struct throttle_count *addr, const struct throttle_count *pair);

/*
 * Seconds the client of request r must wait before trying a password for the canonical
 * user canon (login_canon_user) — into *wait. KESU_OK or a DB error.
 */
int login_throttle_check(struct app *app, struct req *r, const char *canon, long *wait);

/* Count one failure for canon from r's address (account, address and pair), inside the
 * caller's transaction db. KESU_OK or a DB error. */
struct db;
int login_throttle_fail(struct app *app, struct db *db, struct req *r, const char *canon);

/* The right password from r's address: forget the account's failures and this address's
 * failures for it (other addresses that failed for it stay marked). */
int login_throttle_ok(struct app *app, struct db *db, struct req *r, const char *canon);

#endif
