/* fail_fast.c: a dependency that stopped answering, known at once to every worker of the master. */
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "fail_fast.h"
#include "kesu.h"

struct fail_fast *
fail_fast_shared(struct fail_fast *local, const char *what)
{
	void *p = mmap(NULL, sizeof(struct fail_fast), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		LOG_WARN("no shared page for %s health: each worker learns it alone", what);
		return local;
	}
	memset(p, 0, sizeof(struct fail_fast));
	return p;
}

int
fail_fast_may_try(struct fail_fast *f, long probe_seconds)
{
	long now = (long)time(NULL), until = __atomic_load_n(&f->down_until, __ATOMIC_ACQUIRE);

	if (until == 0)
		return 1;
	if (now < until)
		return 0;
	return __atomic_compare_exchange_n(&f->down_until, &until, now + probe_seconds, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

void
fail_fast_down(struct fail_fast *f, long seconds)
{
	__atomic_store_n(&f->down_until, (long)time(NULL) + seconds, __ATOMIC_RELEASE);
}

int
fail_fast_up(struct fail_fast *f)
{
	if (__atomic_load_n(&f->down_until, __ATOMIC_ACQUIRE) == 0)
		return 0;
	__atomic_store_n(&f->down_until, 0, __ATOMIC_RELEASE);
	return 1;
}
