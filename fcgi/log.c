/* log.c: log lines, allocation that aborts on exhaustion, and role names. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kesu.h"

const char *kesu_reqid = "-";
static int log_max = LOG_LVL_INFO;

static const char *const lvl_names[] = { "ERR", "WARN", "INFO", "DEBUG" };

void
kesu_log_level(int lvl)
{
	log_max = lvl;
}

void
kesu_log(int lvl, const char *func, const char *reqid, const char *fmt, ...)
{
	char when[32], msg[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (lvl > log_max)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A value someone typed must not forge a log line of its own. */
	for (char *p = msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	/* One write per line so lines of concurrent workers do not interleave. */
	fprintf(stderr, "%s.%03ldZ [%ld] %s %s req=%s: %s\n", when, ts.tv_nsec / 1000000L,
	    (long)getpid(), lvl_names[lvl < 0 ? 0 : lvl > 3 ? 3 : lvl], func,
	    reqid ? reqid : "-", msg);
}

static void
oom(size_t n)
{
	fprintf(stderr, "kesu: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (p == NULL)
		oom(n * sz);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom(n);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);
	if (p == NULL)
		oom(strlen(s));
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

static const char *const role_names[ROLE__MAX] = {
	[ROLE_AGENT] = "agent",
	[ROLE_SUPERVISOR] = "supervisor",
	[ROLE_DEPT_HEAD] = "dept_head",
	[ROLE_DEPT_MEMBER] = "dept_member",
	[ROLE_QUALITY_ENGINEER] = "quality_engineer",
	[ROLE_QA_DIRECTOR] = "qa_director",
	[ROLE_DEPUTY_GM] = "deputy_gm",
	[ROLE_GM] = "gm",
	[ROLE_FINANCE] = "finance",
	[ROLE_HR] = "hr",
	[ROLE_AUDITOR] = "auditor",
	[ROLE_ADMIN] = "admin",
};

const char *
role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "unknown";
}

int
str_in(const char *const *list, const char *v)
{
	for (; v != NULL && *list != NULL; list++)
		if (strcmp(*list, v) == 0)
			return 1;
	return 0;
}

int
name_index(const char *const names[], int n, const char *name)
{
	for (int i = 0; name != NULL && i < n; i++)
		if (names[i] != NULL && strcmp(names[i], name) == 0)
			return i;
	return n;
}

enum role
role_from_name(const char *name)
{
	return (enum role)name_index(role_names, ROLE__MAX, name);
}
