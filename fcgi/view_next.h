/* view_next.h: "your next step" — what waits for the reader on a record, read off its view model. */
#ifndef KESU_VIEW_NEXT_H
#define KESU_VIEW_NEXT_H

#include <json-c/json.h>

#include "app.h"

/*
 * Adds to the complaint page's view model v (as composed by its sections) "next_steps": an
 * array of {kind, label, href} — each step this reader can take now on this record, with an
 * in-page link to its form (or the 8D's page) — and "has_next_steps". Nothing is queried: the
 * sections have already decided what the reader may do (signable, editable, actions, ...).
 * The strings belong to v.
 */
void view_next_steps(const struct req *r, struct json_object *v);

#endif
