/* list_form.c: the complaint list's fixed forms, rendered once per worker, language and set of departments (issue 10: listp99). */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "list_form.h"
#include "tmpl.h"

static const char *const form_tmpl[LIST_FORM__MAX] = {
	[LIST_FORM_FILTERS] = "complaint_list_filters",
	[LIST_FORM_BULK] = "complaint_list_bulk",
};

/*
 * What an entry was rendered from: the catalog (a reference: a catalog loaded anew is another
 * object) and the departments, written out (they change only with the department table, and
 * view_departments() reloads them when its generation moves).
 */
static struct {
	struct json_object *table;
	char *deps;                 /* malloc'd */
	size_t depslen;
	struct json_object *html;   /* NULL: a free entry */
} cache[LIST_FORM__MAX][LANG__MAX];

/* The departments as one string: each cell followed by a unit separator. */
static void
deps_key(const struct db_res *deps, struct buf *b)
{
	for (size_t i = 0; i < deps->nrows; i++)
		for (size_t k = 0; k < 3 && k < deps->ncols; k++) {
			if (deps->rows[i][k] != NULL)
				buf_puts(b, deps->rows[i][k]);
			buf_putc(b, '\x1f');
		}
	buf_putc(b, '\0');
}

struct json_object *
list_form_html(struct app *app, struct req *r, enum list_form which, const struct db_res *deps,
    list_form_build build)
{
	struct json_object *table, *view;
	struct buf key, out;
	size_t n;

	if ((unsigned)which >= LIST_FORM__MAX || r->lang < 0 || r->lang >= LANG__MAX ||
	    (table = i18n_table((enum lang)r->lang)) == NULL)
		return NULL;
	buf_init(&key);
	deps_key(deps, &key);
	if (cache[which][r->lang].html != NULL && cache[which][r->lang].table == table &&
	    cache[which][r->lang].depslen == key.len && memcmp(cache[which][r->lang].deps, key.p, key.len) == 0) {
		buf_free(&key);
		return json_object_get(cache[which][r->lang].html);
	}
	/* A miss: render the form over the view the page builds for it, with the texts. */
	view = build(app, r, deps);
	json_object_object_add(view, "t", json_object_get(table));
	buf_init(&out);
	if (tmpl_render(app->tmpl, form_tmpl[which], view, &out) != 0 || out.p == NULL) {
		json_object_put(view);
		buf_free(&out);
		buf_free(&key);
		return NULL;
	}
	json_object_put(view);
	/* The page's own line ends the form: its last newline is not part of it. */
	n = out.len;
	if (n > 0 && out.p[n - 1] == '\n')
		n--;
	if (cache[which][r->lang].html != NULL) {
		json_object_put(cache[which][r->lang].html);
		json_object_put(cache[which][r->lang].table);
		free(cache[which][r->lang].deps);
	}
	cache[which][r->lang].html = json_object_new_string_len(out.p, (int)n);
	cache[which][r->lang].table = json_object_get(table);
	cache[which][r->lang].deps = key.p;   /* the buffer's memory is the key from now on */
	cache[which][r->lang].depslen = key.len;
	buf_free(&out);
	return json_object_get(cache[which][r->lang].html);
}
