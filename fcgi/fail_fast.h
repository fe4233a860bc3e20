/* fail_fast.h: a dependency that stopped answering, known at once to every worker of the master. */
#ifndef KESU_FAIL_FAST_H
#define KESU_FAIL_FAST_H

/*
 * After a failure the dependency counts as down for a while, and callers fail at once instead
 * of each holding a worker for its timeout (issue 10: no stall). When the time is up, one
 * caller probes (the window is moved on first, so the others keep failing fast meanwhile); its
 * success clears it. Used by dir.c (the directory) and search_sync.c (the search tables).
 */
struct fail_fast {
	long down_until;   /* time(NULL) before which the dependency is not asked; 0: up */
};

/* A page the workers share, mapped in the master before the fork, for one dependency: the
 * page, or local (each process then learns it alone; logged with what) if it cannot be mapped. */
struct fail_fast *fail_fast_shared(struct fail_fast *local, const char *what);
/* 1 when the dependency may be asked now; the caller that probes after the window holds the
 * others off for probe_seconds more. */
int fail_fast_may_try(struct fail_fast *f, long probe_seconds);
/* It failed: callers fail at once for seconds. */
void fail_fast_down(struct fail_fast *f, long seconds);
/* It answered: 1 when it had counted as down (for the caller's log line), else 0. */
int fail_fast_up(struct fail_fast *f);

#endif
