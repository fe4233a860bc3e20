/* work.h: My work's common parts — a row and a list. */
#ifndef KESU_WORK_H
#define KESU_WORK_H

#include "app.h"

/* One row of a "my work" list from WORK_COLS (number, status, received_at, customer_name,
 * severity, respond_due, resolve_due, owner_name); now: utc_now()'s text. Caller owns it. */
struct json_object *work_row(struct app *app, struct req *r, char **c, const char *now);
/* {key, title, count, empty, rows} appended to lists (which takes rows). */
void work_list_add(struct req *r, struct json_object *lists, const char *key, struct json_object *rows);

#endif
