/* pace.h: a kind of work done at most once an interval across the workers of a master. */
#ifndef KESU_PACE_H
#define KESU_PACE_H

/*
 * After a registration's COMMIT some work is worth doing for the registrations of the last
 * moment together rather than for each (the search's catch-up, search_sync.h; the statistics'
 * fold, stats_fold.h): the first worker to claim a pace does it, and the others leave their
 * share to the next claim. The time of the next claim is shared by the master's workers (a
 * page mapped before the fork); without a master (kesu-admin, tests), or when the page cannot
 * be mapped, each process paces itself.
 */
struct pace {
	long long local;       /* the process's own next claim, when nothing is shared */
	long long *next_ms;    /* CLOCK_MONOTONIC ms before which no claim succeeds */
};

/* Map the shared page for p (in the master, before the fork); what names it in a warning. */
void pace_shared(struct pace *p, const char *what);
/* 1 when the caller claimed p: nobody had in the last interval_ms, and now nobody can until
 * interval_ms from now; else 0. */
int pace_claim(struct pace *p, int interval_ms);

#endif
