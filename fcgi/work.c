/* work.c: My work's common parts — a row and a list. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "complaint.h"
#include "work.h"

struct json_object *
work_row(struct app *app, struct req *r, char **c, const char *now)
{
	struct json_object *row = json_object_new_object();
	int overdue = complaint_overdue(c[1], c[5], c[6], now);

	json_object_object_add(row, "number", jstr(c[0]));
	json_object_object_add(row, "url", jstr(arena_printf(r->a, "/complaints/%s", c[0])));
	json_object_object_add(row, "status", jstr(c[1]));
	json_object_object_add(row, "status_label", jstr(view_label(r, "status", c[1])));
	json_object_object_add(row, "received_at", jstr(view_local_time(app, r->a, c[2])));
	json_object_object_add(row, "customer_name", jstr(c[3]));
	json_object_object_add(row, "severity", json_object_new_int(atoi(c[4])));
	json_object_object_add(row, "severity_label", jstr(view_label(r, "severity", c[4])));
	json_object_object_add(row, "owner_name", jstr(c[7]));
	json_object_object_add(row, "overdue", json_object_new_boolean(overdue));
	return row;
}

void
work_list_add(struct req *r, struct json_object *lists, const char *key, struct json_object *rows)
{
	struct json_object *o = json_object_new_object();
	size_t n = json_object_array_length(rows);

	json_object_object_add(o, "key", jstr(key));
	json_object_object_add(o, "title", jstr(T(r, arena_printf(r->a, "work_%s", key))));
	json_object_object_add(o, "count", json_object_new_int((int)n));
	json_object_object_add(o, "empty", json_object_new_boolean(n == 0));
	json_object_object_add(o, "rows", rows);
	json_object_array_add(lists, o);
}

