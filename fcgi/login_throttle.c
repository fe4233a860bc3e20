/* login_throttle.c: who may try a password now — sign-in and signature re-checks, one rule. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "login_throttle.h"

char *
login_canon_user(struct arena *a, const char *typed)
{
	const unsigned char *s = (const unsigned char *)typed;
	size_t n, k = 0, b, e;
	char *p;

	if (typed == NULL)
		return NULL;
	n = strlen(typed);
	p = arena_alloc(a, n + 1);
	while (*s != '\0') {
		/* U+FF01..U+FF5E is EF BC 81..EF BD 9E; U+3000 is E3 80 80 */
		if (s[0] == 0xEF && (s[1] == 0xBC || s[1] == 0xBD) && s[2] >= 0x80 && s[2] <= 0xBF) {
			unsigned cp = 0xF000u | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
			if (cp >= 0xFF01 && cp <= 0xFF5E) {
				p[k++] = (char)(cp - 0xFF01 + 0x21);
				s += 3;
				continue;
			}
		} else if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
			p[k++] = ' ';
			s += 3;
			continue;
		}
		p[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
		s++;
	}
	/* Full-width letters fold to upper-case ASCII too: lower-case after folding. */
	for (size_t i = 0; i < k; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] = (char)(p[i] - 'A' + 'a');
	for (b = 0; b < k && (p[b] == ' ' || (p[b] >= '\t' && p[b] <= '\r')); b++)
		;
	for (e = k; e > b && (p[e - 1] == ' ' || (p[e - 1] >= '\t' && p[e - 1] <= '\r')); e--)
		;
	memmove(p, p + b, e - b);
	p[e - b] = '\0';
	return p;
}

/* Seconds still to wait when a pause of delay seconds must follow the last failure. */
static long
remaining(long delay, long since)
{
	return since < delay ? delay - since : 0;
}

long
login_throttle_wait(const struct throttle_rule *rule, const struct throttle_count *account,
    const struct throttle_count *addr, const struct throttle_count *pair)
{
	long wait = 0;

	if (addr->locked > 0)
		wait = addr->locked;
	else if (addr->failures >= rule->addr_slow_after && addr->since < rule->window) {
		/* 1, 2, 4 ... 64 seconds between attempts as one address's failures pile up. */
		long k = addr->failures - rule->addr_slow_after;
		wait = remaining(1L << (k > 6 ? 6 : k), addr->since);
	}
	if (pair->failures > 0 && pair->since < rule->window &&
	    account->failures >= rule->account_slow_after && account->since < rule->window) {
		long k = account->failures - rule->account_slow_after, delay = 5;
		while (k-- > 0 && delay < rule->account_delay_max)
			delay *= 2;
		if (delay > rule->account_delay_max)
			delay = rule->account_delay_max;
		long w = remaining(delay, account->since);
		if (w > wait)
			wait = w;
	}
	return wait;
}

static int
count_get(struct app *app, struct req *r, const char *key, struct throttle_count *c)
{
	struct db_res res;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = db_exec(app->db, r->a, STMT_LOGIN_FAIL_GET, &res, "s", key)) != KESU_OK)
		return rc;
	if (res.nrows == 0)
		return KESU_OK;
	c->failures = atol(res.rows[0][0]);
	c->since = atol(res.rows[0][1]);
	c->locked = atol(res.rows[0][2]);
	/* A count whose last failure left the window is restarted by the next failure. */
	if (c->since >= app->login_window && c->locked == 0)
		c->failures = 0;
	return KESU_OK;
}

static const char *
addr_of(const struct req *r)
{
	return r->remote_addr != NULL ? r->remote_addr : "-";
}

static void
rule_of(const struct app *app, struct throttle_rule *rule)
{
	rule->window = app->login_window;
	rule->addr_slow_after = app->login_slow_after;
	rule->account_slow_after = conf_int(app->conf, "login.account_slow_after", 10);
	rule->account_delay_max = conf_int(app->conf, "login.account_delay_max", 60);
}

int
login_throttle_check(struct app *app, struct req *r, const char *canon, long *wait)
{
	struct throttle_count account, addr, pair;
	struct throttle_rule rule;
	int rc;

	*wait = 0;
	rule_of(app, &rule);
	if ((rc = count_get(app, r, arena_printf(r->a, "u:%s", canon), &account)) != KESU_OK ||
	    (rc = count_get(app, r, arena_printf(r->a, "a:%s", addr_of(r)), &addr)) != KESU_OK ||
	    (rc = count_get(app, r, arena_printf(r->a, "p:%s@%s", canon, addr_of(r)), &pair)) != KESU_OK)
		return rc;
	*wait = login_throttle_wait(&rule, &account, &addr, &pair);
	return KESU_OK;
}

int
login_throttle_fail(struct app *app, struct db *db, struct req *r, const char *canon)
{
	/* An account is never locked (lock threshold out of reach): it is slowed down. */
	const int64_t never = (int64_t)1 << 40;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_LOGIN_FAIL_UPSERT, NULL, "siii",
	    arena_printf(r->a, "u:%s", canon), (int64_t)app->login_window, never, (int64_t)0)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_LOGIN_FAIL_UPSERT, NULL, "siii",
	    arena_printf(r->a, "p:%s@%s", canon, addr_of(r)), (int64_t)app->login_window, never,
	    (int64_t)0)) != KESU_OK)
		return rc;
	/* One address trying many accounts (or one) is locked out: only that address. */
	return db_exec(db, r->a, STMT_LOGIN_FAIL_UPSERT, NULL, "siii",
	    arena_printf(r->a, "a:%s", addr_of(r)), (int64_t)app->login_window,
	    (int64_t)app->login_lock_after * 3, (int64_t)app->login_lock_seconds);
}

int
login_throttle_ok(struct app *app, struct db *db, struct req *r, const char *canon)
{
	int rc;

	(void)app;
	if ((rc = db_exec(db, r->a, STMT_LOGIN_FAIL_CLEAR, NULL, "s",
	    arena_printf(r->a, "p:%s@%s", canon, addr_of(r)))) != KESU_OK)
		return rc;
	return db_exec(db, r->a, STMT_LOGIN_FAIL_CLEAR, NULL, "s", arena_printf(r->a, "u:%s", canon));
}
