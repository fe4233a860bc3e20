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

/*
 * A row source (issue 10, listfast): a table of text cells that a section walks without a
 * json-c object per cell. It stands for the key name of the root view: {{#name}}...{{/name}}
 * renders once per row with the row on top of the context stack, where {{col}} finds the row's
 * cell and any other name resolves further down the stack, as for an array of objects.
 * {{col}} escapes exactly as for a json-c string; sources are looked up before the view's own
 * keys. Cells by kind:
 *   TMPL_TEXT   a string; "" is falsey; NULL: the row has no such key (lookups fall through);
 *   TMPL_BOOL   true when non-NULL and not "", printed "true" / "false";
 *   TMPL_NUMBER an integer in decimal (as json-c prints it); "0" is falsey; NULL: no such key.
 * The caller owns everything; it must outlive the render.
 */
enum tmpl_cell { TMPL_TEXT, TMPL_BOOL, TMPL_NUMBER };
struct tmpl_col {
	const char *name;
	enum tmpl_cell kind;
};
#define TMPL_ROWS_COLS_MAX 32   /* columns of one source */
#define TMPL_ROWS_MAX 4         /* sources of one render */
struct tmpl_rows {
	const char *name;              /* the root view's key it stands for */
	const struct tmpl_col *cols;
	size_t ncols;                  /* at most TMPL_ROWS_COLS_MAX */
	size_t nrows;
	const char *const *cells;      /* nrows * ncols, row by row */
};
/* tmpl_render() with row sources (at most TMPL_ROWS_MAX; more, or a source with more than
 * TMPL_ROWS_COLS_MAX columns or UINT32_MAX rows: -1, nothing rendered). */
int tmpl_render_rows(const struct tmpl_set *s, const char *name, struct json_object *view,
    const struct tmpl_rows *rows, size_t nrows, struct buf *out);
/* The JSON twin of a row source: an array of one object per row, keys in column order (a
 * NULL TEXT or NUMBER cell: no key), as the same rows built with json-c. Caller owns it. */
struct json_object *tmpl_rows_json(const struct tmpl_rows *rows);

#endif
