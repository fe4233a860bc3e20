/* compose.h: the complaint page and My work, each composed in one place from a table of sections. */
#ifndef KESU_COMPOSE_H
#define KESU_COMPOSE_H

#include "app.h"

/* The complaint page's view model for r->arg into *out (caller owns it): the record, its
 * history and assignments, then each section of the table; KESU_ENOTFOUND when the reader
 * may not see it. */
int complaint_page(struct app *app, struct req *r, struct json_object **out);

/* My work's view model into *out (caller owns it): each section the person can act on. */
int work_page(struct app *app, struct req *r, struct json_object **out);

#endif
