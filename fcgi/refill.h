/* refill.h: put what a person typed back into the form they sent, with each error beside its field. */
#ifndef KESU_REFILL_H
#define KESU_REFILL_H

#include <stddef.h>
#include <json-c/json.h>
#include "arena.h"
#include "req.h"

/* What went wrong with a step, as the form should show it. */
struct refill {
	const char *action;          /* the path the form was posted to (its action, query ignored) */
	const struct kv *form;       /* the posted fields, repeated names in order */
	size_t nform;
	struct json_object *errors;  /* {field: text} or {"field.N": text} for the N-th (0-based) of a name; may be NULL */
	const char *message;         /* the summary's first line (plain text), e.g. "Please correct 2 fields" */
	const char *kept_title;      /* heading of the kept values when the form is not on the page (plain text) */
};

/*
 * Rewrite the page html (a page Kesu rendered itself) into out: in the form whose action is
 * rf->action — of several, the one whose hidden fields and buttons agree most with what was
 * posted — every text input, textarea, select, checkbox and radio takes the posted value again
 * (hidden, password, file and button inputs keep the page's own: a fresh version and CSRF
 * token); each error stands after its field (aria-invalid, aria-describedby); a summary at the
 * top of the form links to each; the first invalid field (else the summary) gets autofocus so
 * the browser lands there; <details> around the form are opened. When no such form is on the
 * page, the summary and the typed values (read-only) go at the top of <main>, so nothing typed
 * is lost. Returns 1 when the form was found, 0 otherwise. Values are HTML-escaped.
 */
int refill_page(const char *html, size_t len, const struct refill *rf, struct buf *out);

/* Whether a posted field is worth showing back as typed text (not a token, version, password or code). */
int refill_kept(const char *key, const char *val);

#endif
