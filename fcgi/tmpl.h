/* tmpl.h: the template engine — mustache compiled once at start-up, rendering json-c view models. */
#ifndef KESU_TMPL_H
#define KESU_TMPL_H

#include <json-c/json.h>
#include "arena.h"

struct tmpl_set;

/* An empty set; add sources, then compile. Free with tmpl_set_free(). */
struct tmpl_set *tmpl_set_new(void);
/* Add a template source under name (copied). Returns 0, or -1 with *err (malloc'd). */
int tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len, char **err);
/*
 * Parse every template added. A malformed template (unclosed section, mismatched
 * close tag, bad delimiter change, unclosed tag) fails with -1 and *err naming the
 * template and line. Partials are looked up by name at render time; a missing
 * partial renders as the empty string (the mustache spec).
 */
int tmpl_set_compile(struct tmpl_set *s, char **err);
/*
 * Load every "*.mustache" file of dir under its base name without the extension
 * ("complaint_list.mustache" -> "complaint_list") and compile. NULL with *err on failure.
 */
struct tmpl_set *tmpl_set_load_dir(const char *dir, char **err);
/* Whether a template of that name exists. */
int tmpl_set_has(const struct tmpl_set *s, const char *name);
/*
 * Render template name with view into out (appended). {{x}} escapes & < > " ';
 * {{{x}}} and {{&x}} do not. Returns 0, or -1 when no such template exists.
 */
int tmpl_render(const struct tmpl_set *s, const char *name, struct json_object *view, struct buf *out);
void tmpl_set_free(struct tmpl_set *s);

#endif
