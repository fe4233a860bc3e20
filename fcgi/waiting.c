/* waiting.c: the header's count of what waits for the signed-in person, once per request. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "waiting.h"

/*
 * The header's "My work" count (STMT_WORK_COUNT): once per request, whatever the number of
 * view models built; -1 (no badge) when the query fails, so a page never fails for it.
 */
int64_t
work_count(struct app *app, struct req *r)
{
	static char for_req[sizeof(r->id)];
	static int64_t cached;
	struct db_res res;
	struct buf roles;

	if (r->sess == NULL)
		return -1;
	if (strcmp(for_req, r->id) == 0)
		return cached;
	buf_init(&roles);
	for (int i = 0; i < ROLE__MAX; i++)
		if (r->sess->roles & ROLE_BIT(i)) {
			if (roles.len > 0)
				buf_putc(&roles, ',');
			buf_puts(&roles, role_name((enum role)i));
		}
	buf_putc(&roles, '\0');
	cached = -1;
	if (db_exec(app->db, r->a, STMT_WORK_COUNT, &res, "sssi", r->sess->uid, roles.p, r->sess->department,
	    (int64_t)conf_int(app->conf, "penalty.appeal_days", 7)) == KESU_OK && res.nrows == 1 &&
	    res.rows[0][0] != NULL)
		cached = atoll(res.rows[0][0]);
	buf_free(&roles);
	memcpy(for_req, r->id, sizeof(for_req));
	return cached;
}
