/* pace.c: a kind of work done at most once an interval across the workers of a master. */
#include <sys/mman.h>
#include <time.h>

#include "kesu.h"
#include "pace.h"

void
pace_shared(struct pace *p, const char *what)
{
	void *m = mmap(NULL, sizeof(long long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		LOG_WARN("no shared page for %s: each worker paces its own", what);
		p->next_ms = &p->local;
		return;
	}
	*(long long *)m = 0;
	p->next_ms = m;
}

int
pace_claim(struct pace *p, int interval_ms)
{
	struct timespec ts;
	long long now, next;

	if (p->next_ms == NULL)
		p->next_ms = &p->local;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	next = __atomic_load_n(p->next_ms, __ATOMIC_ACQUIRE);
	return now >= next && __atomic_compare_exchange_n(p->next_ms, &next, now + interval_ms, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}
