/* waiting.c: the header's count of what waits for the signed-in person, once per request. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "waiting.h"

/*
 * How long a worker may show a count it computed while nothing audited has happened since: what
 * waits for someone changes only through audited steps (which move the chain head), except
 * the appeal window of a penalty, which passes with time — a minute late at most.
 */
#define WORK_COUNT_TTL 60

/*
 * The header's "My work" count (STMT_WORK_COUNT): once per request, whatever the number of
 * view models built; -1 (no badge) when the query fails, so a page never fails for it.
 * STMT_WORK_COUNT reads every open complaint of the reader's queues (a supervisor's: all
 * registered ones), which at a million complaints cost more than the rest of a page. So each
 * worker keeps the last reader's count while the chain head the session query read
 * (sess->audit_seq) has not moved and for at most WORK_COUNT_TTL seconds.
 */
int64_t
work_count(struct app *app, struct req *r)
{
	static char for_req[sizeof(r->id)];
	static int64_t cached;
	static char for_uid[128], for_dept[128];
	static unsigned for_roles;
	static uint64_t for_seq;
	static time_t at;
	time_t now = time(NULL);
	const char *dept, *slot[12];   /* the reader's roles, one per slot of STMT_WORK_COUNT's IN list */
	struct db_res res;
	struct buf roles;

	_Static_assert(ROLE__MAX == 12, "STMT_WORK_COUNT's IN list has a slot per role");

	if (r->sess == NULL)
		return -1;
	if (strcmp(for_req, r->id) == 0)
		return cached;
	dept = r->sess->department != NULL ? r->sess->department : "";
	if (cached >= 0 && at != 0 && now >= at && now - at < WORK_COUNT_TTL && for_seq == r->sess->audit_seq &&
	    r->sess->audit_seq != 0 && for_roles == r->sess->roles && strcmp(for_uid, r->sess->uid) == 0 &&
	    strcmp(for_dept, dept) == 0) {
		memcpy(for_req, r->id, sizeof(for_req));
		return cached;
	}
	buf_init(&roles);
	memset(slot, 0, sizeof(slot));
	for (int i = 0, k = 0; i < ROLE__MAX; i++)
		if (r->sess->roles & ROLE_BIT(i)) {
			if (roles.len > 0)
				buf_putc(&roles, ',');
			buf_puts(&roles, role_name((enum role)i));
			slot[k++] = role_name((enum role)i);
		}
	buf_putc(&roles, '\0');
	cached = -1;
	if (db_exec(app->db, r->a, STMT_WORK_COUNT, &res, "s" "ssssssssssss" "ssss" "sss" "sssi",
	    r->sess->uid, slot[0], slot[1], slot[2], slot[3], slot[4], slot[5], slot[6], slot[7], slot[8],
	    slot[9], slot[10], slot[11], r->sess->department, roles.p, r->sess->department, roles.p,
	    r->sess->department, roles.p, roles.p, r->sess->uid, roles.p, r->sess->department,
	    (int64_t)conf_int(app->conf, "penalty.appeal_days", 7)) == KESU_OK && res.nrows == 1 &&
	    res.rows[0][0] != NULL)
		cached = atoll(res.rows[0][0]);
	buf_free(&roles);
	memcpy(for_req, r->id, sizeof(for_req));
	at = 0;
	if (cached >= 0 && strlen(r->sess->uid) < sizeof(for_uid) && strlen(dept) < sizeof(for_dept)) {
		strcpy(for_uid, r->sess->uid);
		strcpy(for_dept, dept);
		for_roles = r->sess->roles;
		for_seq = r->sess->audit_seq;
		at = now;
	}
	return cached;
}
