/* audit_diff.c: an audit event's before and after images as field-by-field rows for people (pure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "audit_diff.h"
#include "money.h"

/* Parse s into an object; *o NULL when s is NULL or "null". 0, or -1 when not JSON. */
int
audit_json_parse(const char *s, struct json_object **o)
{
	/* One tokener for the process, reset for each image: a trail page parses a hundred. */
	static struct json_tokener *tok;
	enum json_tokener_error err;
	size_t end;

	*o = NULL;
	if (s == NULL || *s == '\0')
		return 0;
	if (tok == NULL && (tok = json_tokener_new()) == NULL)
		abort();
	json_tokener_reset(tok);
	/* The terminating NUL is part of the input, so that a bare "null" or number ends. */
	*o = json_tokener_parse_ex(tok, s, (int)strlen(s) + 1);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (err == json_tokener_success && end < strlen(s))
		err = json_tokener_error_parse_unexpected;   /* something after the value */
	if (err != json_tokener_success) {
		json_object_put(*o);
		*o = NULL;
		return -1;
	}
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* v as a person reads it (see audit_diff()), in the arena; NULL for an absent value. */
static const char *
show(struct arena *a, const char *field, struct json_object *v, int present, diff_text_fn text, void *ctx)
{
	char key[160];
	const char *t;

	if (!present)
		return NULL;
	if (v == NULL)
		return "—";
	if (ends_with(field, "_fen") && (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_string))) {
		int64_t fen = json_object_get_int64(v);
		return fmt_yuan(a, fen);
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		/* A code has a label "<field>_<code>", or "<field's first words>_<code>" (the code
		 * of "repeat_reason" is a "repeat_..."); a free text (a reason, a name) has none. */
		if (*s != '\0' && strlen(s) < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s) &&
		    text != NULL && strlen(field) < 64) {
			char f[64];
			char *u;
			strcpy(f, field);
			for (;;) {
				snprintf(key, sizeof(key), "%s_%s", f, s);
				if ((t = text(ctx, key)) != NULL)
					return arena_strdup(a, t);
				if ((u = strrchr(f, '_')) == NULL)
					break;
				*u = '\0';
			}
		}
		return arena_strdup(a, s);
	}
	return arena_strdup(a, json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* One value at the end of a path: the last key (for its codes' labels), the path and its label. */
struct leaf {
	const char *path, *label, *name;
	struct json_object *v;
};

struct leaves {
	struct leaf *l;
	size_t n, cap;
};

static void
leaf_add(struct arena *a, struct leaves *ls, const char *path, const char *label, const char *name,
    struct json_object *v)
{
	if (ls->n == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 16;
		struct leaf *l = arena_alloc(a, cap * sizeof(*l));
		if (ls->n)
			memcpy(l, ls->l, ls->n * sizeof(*l));
		ls->l = l;
		ls->cap = cap;
	}
	ls->l[ls->n++] = (struct leaf){ path, label, name, v };
}

/* The label of a key: "audit_field_<key>" from the catalog, else the key. */
static const char *
key_label(const char *key, diff_text_fn text, void *ctx)
{
	char k[160];
	const char *t = NULL;

	if ((size_t)snprintf(k, sizeof(k), "audit_field_%s", key) < sizeof(k) && text != NULL)
		t = text(ctx, k);
	return t != NULL ? t : key;
}

/*
 * v's leaves into ls: an object's members by "path.key" (label "parent › key"), an array's
 * items by "path[i]" (label "parent i"), anything else (and empty containers) as it is.
 */
static void
flatten(struct arena *a, struct leaves *ls, const char *path, const char *label, const char *name,
    struct json_object *v, diff_text_fn text, void *ctx, int depth)
{
	if (depth < 8 && json_object_is_type(v, json_type_object) && json_object_object_length(v) > 0) {
		json_object_object_foreach(v, k, m) {
			const char *kl = key_label(k, text, ctx);
			flatten(a, ls, path ? arena_printf(a, "%s.%s", path, k) : arena_strdup(a, k),
			    label ? arena_printf(a, "%s › %s", label, kl) : arena_strdup(a, kl), k, m, text, ctx,
			    depth + 1);
		}
		return;
	}
	if (depth < 8 && json_object_is_type(v, json_type_array) && json_object_array_length(v) > 0) {
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++)
			flatten(a, ls, arena_printf(a, "%s[%zu]", path, i), arena_printf(a, "%s %zu", label, i + 1),
			    name, json_object_array_get_idx(v, i), text, ctx, depth + 1);
		return;
	}
	leaf_add(a, ls, path, label, name, v);
}

static const struct leaf *
find(const struct leaves *ls, const char *path)
{
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->l[i].path, path) == 0)
			return &ls->l[i];
	return NULL;
}

static void
add_row(struct arena *a, struct diff_row *rows, long *n, const struct leaf *b, const struct leaf *f,
    diff_text_fn text, void *ctx)
{
	const struct leaf *any = f != NULL ? f : b;

	if (b != NULL && f != NULL && json_object_equal(b->v, f->v))
		return;
	rows[*n].field = any->path;
	rows[*n].label = any->label;
	rows[*n].before = b != NULL ? show(a, b->name, b->v, 1, text, ctx) : NULL;
	rows[*n].after = f != NULL ? show(a, f->name, f->v, 1, text, ctx) : NULL;
	(*n)++;
}

long
audit_diff(struct arena *a, const char *before_json, const char *after_json,
    diff_text_fn text, void *ctx, struct diff_row **out)
{
	struct json_object *bo = NULL, *ao = NULL;
	long n;

	*out = NULL;
	if (audit_json_parse(before_json, &bo) != 0 || audit_json_parse(after_json, &ao) != 0) {
		json_object_put(bo);
		json_object_put(ao);
		return -1;
	}
	n = audit_diff_obj(a, bo, ao, text, ctx, out);
	json_object_put(bo);
	json_object_put(ao);
	return n;
}

long
audit_diff_obj(struct arena *a, struct json_object *before, struct json_object *after,
    diff_text_fn text, void *ctx, struct diff_row **out)
{
	/* our own references: the caller's objects are not consumed */
	struct json_object *bo = json_object_get(before), *ao = json_object_get(after);
	struct diff_row *rows;
	struct leaves bl = { 0 }, al = { 0 };
	long n = 0;

	*out = NULL;
	/* A side that is not an object (a bare value) is shown as one field "value". */
	if (bo != NULL && !json_object_is_type(bo, json_type_object)) {
		struct json_object *w = json_object_new_object();
		json_object_object_add(w, "value", bo);
		bo = w;
	}
	if (ao != NULL && !json_object_is_type(ao, json_type_object)) {
		struct json_object *w = json_object_new_object();
		json_object_object_add(w, "value", ao);
		ao = w;
	}
	if (bo != NULL)
		flatten(a, &bl, NULL, NULL, NULL, bo, text, ctx, 0);
	if (ao != NULL)
		flatten(a, &al, NULL, NULL, NULL, ao, text, ctx, 0);
	/* An empty object at the top is no field at all. */
	if (bl.n == 1 && bl.l[0].path == NULL)
		bl.n = 0;
	if (al.n == 1 && al.l[0].path == NULL)
		al.n = 0;
	if (bl.n + al.n == 0)
		goto out;
	rows = arena_alloc(a, (bl.n + al.n) * sizeof(*rows));
	for (size_t i = 0; i < al.n; i++)
		add_row(a, rows, &n, find(&bl, al.l[i].path), &al.l[i], text, ctx);
	for (size_t i = 0; i < bl.n; i++)
		if (find(&al, bl.l[i].path) == NULL)
			add_row(a, rows, &n, &bl.l[i], NULL, text, ctx);
	if (n > 0)
		*out = rows;
out:
	json_object_put(bo);
	json_object_put(ao);
	return n;
}
