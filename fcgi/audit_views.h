/* audit_views.h: who looked at what (PIPL) — one append-only row per complaint page, attachment or dossier opened. */
#ifndef KESU_AUDIT_VIEWS_H
#define KESU_AUDIT_VIEWS_H

#include "app.h"

/*
 * Record that the signed-in reader opened what ("complaint", "attachment", "dossier") of the
 * complaint record (item: the attachment's id, or NULL): one autocommit INSERT, no transaction
 * of its own and never the hash chain. Outside a signed-in request it does nothing. A failure
 * is logged and the page still answers (the record itself was readable).
 */
void audit_view_log(struct app *app, struct req *r, const char *record, const char *what, const char *item);

#endif
