/* audit_diff.h: an audit event's change as field-by-field rows, before -> after (pure). */
#ifndef KESU_AUDIT_DIFF_H
#define KESU_AUDIT_DIFF_H

#include <stddef.h>
#include <json-c/json.h>
#include "arena.h"

/*
 * The texts a diff needs, in the reader's language: the text of key, or NULL when the
 * catalog has none (then the diff shows the field's name or the code as stored).
 */
typedef const char *(*diff_text_fn)(void *ctx, const char *key);

/* One changed field: its label and both values as shown; before/after NULL when absent. */
struct diff_row {
	const char *field;    /* the field's name as stored */
	const char *label;    /* "audit_field_<name>" from the catalog, else the name */
	const char *before;
	const char *after;
};

/*
 * The fields of before_json and after_json (JSON objects, either may be NULL or not an
 * object), in the order they first appear (after's order, then fields only before had),
 * leaving out those equal on both sides. Values are shown as: a string as it is, or its
 * code's label "<field>_<code>" when the catalog has one (status, severity, role, kind...);
 * a field ending in "_fen" as yuan ("1,234.50"); numbers and booleans as JSON; nested
 * objects and arrays as compact JSON. Everything in arena a. Returns the number of rows
 * (*out: an array of them, NULL when 0); -1 when a side is present but not valid JSON.
 */
long audit_diff(struct arena *a, const char *before_json, const char *after_json,
    diff_text_fn text, void *ctx, struct diff_row **out);
/* The same over images the caller parsed (NULL: absent), which are not consumed: a page that
 * also reads the after-image (its reason) parses each event's JSON once. Never -1. */
long audit_diff_obj(struct arena *a, struct json_object *before, struct json_object *after,
    diff_text_fn text, void *ctx, struct diff_row **out);
/* Parse an image as audit_diff() does: *o (caller puts) NULL for NULL, "" or "null"; 0, or -1
 * when s is not JSON (or has something after the value). */
int audit_json_parse(const char *s, struct json_object **o);

#endif
