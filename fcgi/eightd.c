/* eightd.c: the 8D report's fields, its completeness rules and the diff between two versions (no I/O). */
#include <stdio.h>
#include <string.h>

#include "eightd.h"
#include "valid.h"
#include "workflow.h"

static const char *const yes_no[] = { "yes", "no", NULL };
static const char *const cause_kinds[] = { "occurrence", "escape", NULL };
static const char *const methods[] = { "five_whys", "fishbone", "is_is_not", "fault_tree", "other", NULL };

static const struct ed_col member_cols[] = {
	{ "name", 1, NULL }, { "role", 1, NULL }, { "contact", 0, NULL },
};
static const struct ed_col cause_cols[] = {
	{ "kind", 1, cause_kinds }, { "cause", 1, NULL }, { "method", 1, methods }, { "verification", 1, NULL },
};
static const struct ed_col action_cols[] = {
	{ "kind", 1, cause_kinds }, { "action", 1, NULL }, { "verification", 1, NULL },
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TEXT(n, req) { n, ED_TEXT, req, NULL, NULL, 0 }

static const struct ed_field d0[] = {
	TEXT("emergency_response", 1),
	{ "full_8d", ED_CHOICE, 1, yes_no, NULL, 0 },
	TEXT("full_8d_reason", 0),
};
static const struct ed_field d1[] = {
	TEXT("champion", 1),
	TEXT("leader", 1),
	{ "members", ED_LIST, 1, NULL, member_cols, N(member_cols) },
};
static const struct ed_field d2[] = {
	TEXT("what", 1), TEXT("where", 1), TEXT("when", 1), TEXT("who", 1), TEXT("why", 1),
	TEXT("how", 1), TEXT("how_many", 1), TEXT("is_is_not", 1),
	TEXT("part_numbers", 1), TEXT("lots", 1),
	{ "defective_quantity", ED_INT, 1, NULL, NULL, 0 },
};
static const struct ed_field d3[] = {
	TEXT("containment", 1), TEXT("sorting", 0), TEXT("verification", 1),
};
static const struct ed_field d4[] = {
	{ "causes", ED_LIST, 1, NULL, cause_cols, N(cause_cols) },
};
static const struct ed_field d5[] = {
	{ "actions", ED_LIST, 1, NULL, action_cols, N(action_cols) },
};
static const struct ed_field d6[] = {
	TEXT("implementation", 1),
	{ "implemented_on", ED_DATE, 1, NULL, NULL, 0 },
	TEXT("validation", 1), TEXT("evidence", 1),
	{ "containment_removed", ED_CHOICE, 1, yes_no, NULL, 0 },
	{ "containment_removed_on", ED_DATE, 0, NULL, NULL, 0 },
};
static const struct ed_field d7[] = {
	TEXT("fmea", 1), TEXT("control_plan", 1), TEXT("work_instructions", 1), TEXT("procedures", 1),
	TEXT("similar_products", 1),
};
static const struct ed_field d8[] = {
	TEXT("lessons_learned", 1), TEXT("recognition", 1),
};

const struct ed_discipline eightd_disciplines[ED_NDISC] = {
	{ "d0", d0, N(d0) }, { "d1", d1, N(d1) }, { "d2", d2, N(d2) }, { "d3", d3, N(d3) },
	{ "d4", d4, N(d4) }, { "d5", d5, N(d5) }, { "d6", d6, N(d6) }, { "d7", d7, N(d7) },
	{ "d8", d8, N(d8) },
};

int
eightd_discipline_index(const char *code)
{
	if (code == NULL || code[0] != 'd' || code[1] < '0' || code[1] > '8' || code[2] != '\0')
		return -1;
	return code[1] - '0';
}

static int
date_ok(const char *s)
{
	int m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static void
error(struct json_object *errors, const char *code, const char *field, const char *key, int *nerr)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", code, field);
	(*nerr)++;
	if (!json_object_object_get_ex(errors, name, NULL))
		json_object_object_add(errors, name, json_object_new_string(key));
}

static const char *
str_of(struct json_object *o)
{
	return o != NULL && json_object_is_type(o, json_type_string) ? json_object_get_string(o) : "";
}

struct json_object *
eightd_empty(int d)
{
	const struct ed_discipline *dd = &eightd_disciplines[d];
	struct json_object *o = json_object_new_object();

	for (int i = 0; i < dd->nfields; i++)
		json_object_object_add(o, dd->fields[i].name, dd->fields[i].kind == ED_LIST ?
		    json_object_new_array() : json_object_new_string(""));
	return o;
}

struct json_object *
eightd_normalise(int d, struct json_object *in, struct json_object *errors, int *nerr)
{
	const struct ed_discipline *dd = &eightd_disciplines[d];
	struct json_object *out = json_object_new_object();

	*nerr = 0;
	for (int i = 0; i < dd->nfields; i++) {
		const struct ed_field *f = &dd->fields[i];
		struct json_object *v = NULL, *rows;
		char key[64];
		const char *s;

		snprintf(key, sizeof(key), "%s_%s", dd->code, f->name);
		if (in != NULL)
			json_object_object_get_ex(in, key, &v);
		if (f->kind != ED_LIST) {
			s = str_of(v);
			if (strlen(s) > ED_TEXT_MAX) {
				error(errors, dd->code, f->name, "err_too_long", nerr);
				s = "";
			} else if (*s != '\0' && f->kind == ED_CHOICE && !str_in(f->choices, s)) {
				error(errors, dd->code, f->name, "err_invalid_choice", nerr);
				s = "";
			} else if (*s != '\0' && f->kind == ED_DATE && !date_ok(s)) {
				error(errors, dd->code, f->name, "err_invalid_date", nerr);
				s = "";
			} else if (*s != '\0' && f->kind == ED_INT && !valid_digits(s, 9)) {
				error(errors, dd->code, f->name, "err_invalid_number", nerr);
				s = "";
			}
			json_object_object_add(out, f->name, json_object_new_string(s));
			continue;
		}
		rows = json_object_new_array();
		for (size_t k = 0; v != NULL && json_object_is_type(v, json_type_array) &&
		    k < json_object_array_length(v); k++) {
			struct json_object *row = json_object_array_get_idx(v, k), *o;
			int empty = 1;
			if (!json_object_is_type(row, json_type_object))
				continue;
			o = json_object_new_object();
			for (int c = 0; c < f->ncols; c++) {
				struct json_object *cell = NULL;
				json_object_object_get_ex(row, f->cols[c].name, &cell);
				s = str_of(cell);
				if (strlen(s) > ED_LINE_MAX) {
					error(errors, dd->code, f->name, "err_too_long", nerr);
					s = "";
				} else if (*s != '\0' && f->cols[c].choices != NULL && !str_in(f->cols[c].choices, s)) {
					error(errors, dd->code, f->name, "err_invalid_choice", nerr);
					s = "";
				}
				if (!workflow_reason_blank(s))
					empty = 0;
				json_object_object_add(o, f->cols[c].name, json_object_new_string(s));
			}
			/* An empty row of the form is no row. */
			if (empty) {
				json_object_put(o);
				continue;
			}
			if (json_object_array_length(rows) == ED_MAX_ROWS) {
				json_object_put(o);
				error(errors, dd->code, f->name, "err_8d_too_many_rows", nerr);
				break;
			}
			json_object_array_add(rows, o);
		}
		json_object_object_add(out, f->name, rows);
	}
	return out;
}

/* Whether a list has a complete row of kind (occurrence, escape). */
static int
has_kind(struct json_object *rows, const char *kind)
{
	for (size_t k = 0; rows != NULL && k < json_object_array_length(rows); k++) {
		struct json_object *c;
		if (json_object_object_get_ex(json_object_array_get_idx(rows, k), "kind", &c) &&
		    strcmp(str_of(c), kind) == 0)
			return 1;
	}
	return 0;
}

/* The problems of discipline i (appended to errors); full: whether D0 asks for a full 8D. */
static int
discipline_missing(int i, struct json_object *disc, int full, struct json_object *errors)
{
	const struct ed_discipline *dd = &eightd_disciplines[i];
	int nerr = 0;

	if (i >= 4 && !full)
		return 0;
	for (int k = 0; k < dd->nfields; k++) {
		const struct ed_field *f = &dd->fields[k];
		struct json_object *v = NULL;
		if (disc != NULL)
			json_object_object_get_ex(disc, f->name, &v);
		if (f->kind != ED_LIST) {
			if (f->required && workflow_reason_blank(str_of(v)))
				error(errors, dd->code, f->name, "err_required", &nerr);
			continue;
		}
		if (v == NULL || !json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0) {
			if (f->required)
				error(errors, dd->code, f->name, "err_required", &nerr);
			continue;
		}
		for (size_t r = 0; r < json_object_array_length(v); r++) {
			struct json_object *row = json_object_array_get_idx(v, r), *cell;
			for (int c = 0; c < f->ncols; c++)
				if (f->cols[c].required && (!json_object_object_get_ex(row, f->cols[c].name, &cell) ||
				    workflow_reason_blank(str_of(cell))))
					error(errors, dd->code, f->name, "err_8d_row_incomplete", &nerr);
		}
		/* Why it occurred and why it escaped detection: both, in D4 and in D5. */
		if (f->cols[0].choices == cause_kinds && (!has_kind(v, "occurrence") || !has_kind(v, "escape")))
			error(errors, dd->code, f->name, "err_8d_occurrence_and_escape", &nerr);
	}
	if (i == 6) {
		struct json_object *rm = NULL, *on = NULL;
		if (disc != NULL) {
			json_object_object_get_ex(disc, "containment_removed", &rm);
			json_object_object_get_ex(disc, "containment_removed_on", &on);
		}
		if (strcmp(str_of(rm), "yes") == 0 && workflow_reason_blank(str_of(on)))
			error(errors, dd->code, "containment_removed_on", "err_required", &nerr);
	}
	return nerr;
}

/* D0's answer: a full 8D unless it says "no". */
static int
full_8d(struct json_object *d0disc)
{
	struct json_object *v = NULL;

	if (d0disc != NULL)
		json_object_object_get_ex(d0disc, "full_8d", &v);
	return strcmp(str_of(v), "no") != 0;
}

int
eightd_missing(struct json_object *const d[ED_NDISC], struct json_object *errors)
{
	int n = 0, full = full_8d(d[0]);

	for (int i = 0; i < ED_NDISC; i++)
		n += discipline_missing(i, d[i], full, errors);
	return n;
}

int
eightd_discipline_complete(int i, struct json_object *disc)
{
	struct json_object *scratch = json_object_new_object();
	int n;

	/* Judged as for a full 8D: a discipline D0 made optional is complete only when filled. */
	n = discipline_missing(i, disc, 1, scratch);
	json_object_put(scratch);
	return n == 0;
}

const char *
eightd_field_text(struct arena *a, struct json_object *disc, const struct ed_field *f)
{
	struct json_object *v = NULL;
	struct buf b;
	const char *out;

	if (disc != NULL)
		json_object_object_get_ex(disc, f->name, &v);
	if (f->kind != ED_LIST)
		return arena_strdup(a, str_of(v));
	buf_init(&b);
	for (size_t r = 0; v != NULL && json_object_is_type(v, json_type_array) && r < json_object_array_length(v); r++) {
		struct json_object *row = json_object_array_get_idx(v, r), *cell;
		if (r > 0)
			buf_putc(&b, '\n');
		for (int c = 0; c < f->ncols; c++) {
			if (c > 0)
				buf_puts(&b, " / ");
			buf_puts(&b, json_object_object_get_ex(row, f->cols[c].name, &cell) ? str_of(cell) : "");
		}
	}
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

static struct json_object *
row_at(struct json_object *disc, const char *field, size_t i)
{
	struct json_object *v;

	if (disc == NULL || !json_object_object_get_ex(disc, field, &v) || !json_object_is_type(v, json_type_array) ||
	    i >= json_object_array_length(v))
		return NULL;
	return json_object_array_get_idx(v, i);
}

static size_t
rows_of(struct json_object *disc, const char *field)
{
	struct json_object *v;

	if (disc == NULL || !json_object_object_get_ex(disc, field, &v) || !json_object_is_type(v, json_type_array))
		return 0;
	return json_object_array_length(v);
}

/* The cells of a list that differ, row by row: [{row, column, before, after}]. */
static struct json_object *
list_cells(struct json_object *before, struct json_object *after, const struct ed_field *f)
{
	struct json_object *cells = json_object_new_array();
	size_t nb = rows_of(before, f->name), na = rows_of(after, f->name);

	for (size_t i = 0; i < (nb > na ? nb : na); i++) {
		struct json_object *rb = row_at(before, f->name, i), *ra = row_at(after, f->name, i), *cell;
		for (int c = 0; c < f->ncols; c++) {
			const char *x = rb != NULL && json_object_object_get_ex(rb, f->cols[c].name, &cell) ? str_of(cell) : "";
			const char *y = ra != NULL && json_object_object_get_ex(ra, f->cols[c].name, &cell) ? str_of(cell) : "";
			struct json_object *o;
			if (strcmp(x, y) == 0)
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "row", json_object_new_int((int)i + 1));
			json_object_object_add(o, "column", json_object_new_string(f->cols[c].name));
			json_object_object_add(o, "before", json_object_new_string(x));
			json_object_object_add(o, "after", json_object_new_string(y));
			json_object_array_add(cells, o);
		}
	}
	return cells;
}

struct json_object *
eightd_diff(struct arena *a, struct json_object *const before[ED_NDISC], struct json_object *const after[ED_NDISC])
{
	struct json_object *arr = json_object_new_array();

	for (int i = 0; i < ED_NDISC; i++) {
		const struct ed_discipline *dd = &eightd_disciplines[i];
		for (int k = 0; k < dd->nfields; k++) {
			const struct ed_field *f = &dd->fields[k];
			const char *x = eightd_field_text(a, before[i], f);
			const char *y = eightd_field_text(a, after[i], f);
			struct json_object *o;
			if (strcmp(x, y) == 0)
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "discipline", json_object_new_string(dd->code));
			json_object_object_add(o, "field", json_object_new_string(f->name));
			if (f->kind == ED_LIST) {
				/* Only what changed: a list is compared cell by cell, not as a whole. */
				json_object_object_add(o, "cells", list_cells(before[i], after[i], f));
			} else {
				json_object_object_add(o, "before", json_object_new_string(x));
				json_object_object_add(o, "after", json_object_new_string(y));
			}
			json_object_array_add(arr, o);
		}
	}
	return arr;
}
