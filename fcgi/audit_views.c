/* audit_views.c: who looked at what — an append-only log of complaints, files and dossiers opened, outside the hash chain. */
#include "audit_views.h"
#include "conf.h"
#include "kesu.h"
#include "sess.h"

void
audit_view_log(struct app *app, struct req *r, const char *record, const char *what, const char *item)
{
	if (r->sess == NULL || record == NULL)
		return;
	/* audit.view_log = 0 exists for tests/bench/verify.sh's A/B measurement only (docs/audit.md). */
	if (!conf_int(app->conf, "audit.view_log", 1))
		return;
	/* Cheap on purpose: one INSERT on the worker's connection, autocommit (docs/performance.md). */
	if (db_exec(app->db, r->a, STMT_VIEW_LOG, NULL, "ssssssss", r->sess->uid,
	    r->sess->name != NULL ? r->sess->name : "", sess_role(r->sess), record, what,
	    item != NULL ? item : "", r->remote_addr != NULL ? r->remote_addr : "", r->id) != KESU_OK)
		LOG_ERR("%s %s: the view was not logged", what, record);
}
