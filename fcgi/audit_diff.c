/* audit_diff.c: an audit event's before and after images as field-by-field rows for people (pure). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "audit_diff.h"
#include "money.h"

/* Parse s into an object; *o NULL when s is NULL or "null". 0, or -1 when not JSON. */
static int
parse(const char *s, struct json_object **o)
{
	struct json_tokener *tok;
	enum json_tokener_error err;
	size_t end;

	*o = NULL;
	if (s == NULL || *s == '\0')
		return 0;
	tok = json_tokener_new();
	/* The terminating NUL is part of the input, so that a bare "null" or number ends. */
	*o = json_tokener_parse_ex(tok, s, (int)strlen(s) + 1);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
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
		/* A code has a label "<field>_<code>"; a free text (a reason, a name) has none. */
		if (*s != '\0' && strlen(s) < 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s) &&
		    (size_t)snprintf(key, sizeof(key), "%s_%s", field, s) < sizeof(key) &&
		    text != NULL && (t = text(ctx, key)) != NULL)
			return arena_strdup(a, t);
		return arena_strdup(a, s);
	}
	return arena_strdup(a, json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* Whether a and b hold the same value (json-c's deep equality). */
static int
same(struct json_object *a, int ina, struct json_object *b, int inb)
{
	if (ina != inb)
		return 0;
	return json_object_equal(a, b);
}

static void
add_row(struct arena *a, struct diff_row *rows, long *n, const char *field,
    struct json_object *bo, struct json_object *ao, diff_text_fn text, void *ctx)
{
	struct json_object *bv = NULL, *av = NULL;
	int inb = bo != NULL && json_object_object_get_ex(bo, field, &bv);
	int ina = ao != NULL && json_object_object_get_ex(ao, field, &av);
	char key[160];
	const char *label = NULL;

	if (same(bv, inb, av, ina))
		return;
	if ((size_t)snprintf(key, sizeof(key), "audit_field_%s", field) < sizeof(key) && text != NULL)
		label = text(ctx, key);
	rows[*n].field = arena_strdup(a, field);
	rows[*n].label = arena_strdup(a, label != NULL ? label : field);
	rows[*n].before = show(a, field, bv, inb, text, ctx);
	rows[*n].after = show(a, field, av, ina, text, ctx);
	(*n)++;
}

long
audit_diff(struct arena *a, const char *before_json, const char *after_json,
    diff_text_fn text, void *ctx, struct diff_row **out)
{
	struct json_object *bo = NULL, *ao = NULL;
	struct diff_row *rows;
	size_t cap = 0;
	long n = 0;

	*out = NULL;
	if (parse(before_json, &bo) != 0 || parse(after_json, &ao) != 0) {
		json_object_put(bo);
		json_object_put(ao);
		return -1;
	}
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
		cap += (size_t)json_object_object_length(bo);
	if (ao != NULL)
		cap += (size_t)json_object_object_length(ao);
	if (cap == 0)
		goto out;
	rows = arena_alloc(a, cap * sizeof(*rows));
	if (ao != NULL) {
		json_object_object_foreach(ao, k, v) {
			(void)v;
			add_row(a, rows, &n, k, bo, ao, text, ctx);
		}
	}
	if (bo != NULL) {
		json_object_object_foreach(bo, k, v) {
			(void)v;
			if (ao == NULL || !json_object_object_get_ex(ao, k, NULL))
				add_row(a, rows, &n, k, bo, ao, text, ctx);
		}
	}
	if (n > 0)
		*out = rows;
out:
	json_object_put(bo);
	json_object_put(ao);
	return n;
}
