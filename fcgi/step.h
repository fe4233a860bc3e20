/* step.h: how every write answers when it cannot be done — the page again, with what was typed. */
#ifndef KESU_STEP_H
#define KESU_STEP_H

#include "app.h"

/*
 * Where a write's form lives: the page the runner renders again on any error. page is the
 * GET handler of that page (r->arg unchanged), path its address, entity and entity_id the
 * audit trail's names for the record (for "changed by NAME at TIME"; NULL when none).
 */
struct step_page {
	handler_fn page;
	const char *path;
	const char *entity;
	const char *entity_id;
};

/* field has the error of message key (the first error of a field stays). Collected in r->errors. */
void step_error(struct req *r, const char *field, const char *key);
/* The same with a text made by the caller (in the request's language). */
void step_error_text(struct req *r, const char *field, const char *text);
/* Take over a page's {field: text} errors (errors is released): KESU_EINPUT for the runner. */
int step_fields(struct req *r, struct json_object *errors);
/*
 * The answer of a write that ran with result rc: on KESU_EINPUT its {field: text} errors go to
 * the runner (errors stays the caller's); on success JSON json (200) or 303 to page?done=what,
 * the notice the page shows. json is released in every other case. Returns rc.
 */
int step_answer(struct req *r, struct resp *rs, int rc, struct json_object *errors, struct json_object *json,
    const char *page, const char *what);
/* The number of field errors collected so far. */
int step_error_count(const struct req *r);

/*
 * A step that the record's current state does not allow: r->why says so in words, naming the
 * state's label (po key "<state_field>_<state>", e.g. "status_approved"). Returns KESU_ESTATE.
 */
int step_refuse(struct req *r, const char *state_field, const char *state);

/*
 * The one answer of a write that failed with rc: JSON {"error", "message", "errors"} with the
 * status; for a page, pg's page rendered again (fresh from the database) with every typed
 * value back in its form, each field's error beside it, a summary at the top of the form and
 * the browser's focus on the first error; a stale version names who changed the record and
 * when; a refused step says why. Errors that must not show the page (not signed in, no CSRF
 * token, not found, the database down) get the error page, which still shows what was typed.
 */
void step_failed(struct app *app, struct req *r, struct resp *rs, int rc, const struct step_page *pg);

#endif
