/* eightd.h: the 8D report's disciplines and fields, what must be filled to submit, and what changed between versions (pure). */
#ifndef KESU_EIGHTD_H
#define KESU_EIGHTD_H

#include <json-c/json.h>

#include "arena.h"

#define ED_NDISC 9          /* D0 .. D8 */
#define ED_TEXT_MAX 5000    /* bytes of one text field */
#define ED_LINE_MAX 200     /* bytes of one cell of a list */
#define ED_MAX_ROWS 8       /* rows of one list (team members, causes, actions) */

enum ed_kind {
	ED_TEXT,     /* free text */
	ED_CHOICE,   /* one of choices[] */
	ED_DATE,     /* YYYY-MM-DD */
	ED_INT,      /* a whole number >= 0 */
	ED_LIST      /* rows of cols[] */
};

/* A column of a list: a short text, or one of choices[] when choices is set. */
struct ed_col {
	const char *name;
	int required;                  /* a row that is not empty must have it */
	const char *const *choices;    /* NULL-terminated, or NULL */
};

struct ed_field {
	const char *name;
	enum ed_kind kind;
	int required;                  /* to submit (ED_LIST: at least one row) */
	const char *const *choices;    /* ED_CHOICE */
	const struct ed_col *cols;     /* ED_LIST */
	int ncols;
};

struct ed_discipline {
	const char *code;              /* "d0" .. "d8" */
	const struct ed_field *fields;
	int nfields;
};

/* The disciplines in order; eightd_disciplines[i].code is "d<i>". */
extern const struct ed_discipline eightd_disciplines[ED_NDISC];

/* The index of "d0".."d8", or -1. */
int eightd_discipline_index(const char *code);

/*
 * One discipline's fields from in (an object keyed "<code>_<field>": strings, and for a list
 * an array of objects keyed by column name; anything else is dropped) checked and put into a
 * new object keyed "<field>" (every field present: "" when not given, lists without empty
 * rows). Problems go into errors as "<code>_<field>" -> po key of the message (err_too_long,
 * err_invalid_choice, err_invalid_date, err_invalid_number, err_8d_too_many_rows); they do not
 * stop the rest. Returns the new object (caller owns it) and the number of problems in *nerr.
 */
struct json_object *eightd_normalise(int d, struct json_object *in, struct json_object *errors, int *nerr);

/* An empty discipline (every field "" or []); caller owns it. */
struct json_object *eightd_empty(int d);

/*
 * What is missing to submit, into errors as "<code>_<field>" -> po key (err_required,
 * err_8d_row_incomplete, err_8d_occurrence_and_escape). The rules (docs/8d.md):
 *   - every required field is filled (not only spaces);
 *   - D0 says whether a full 8D is needed; when it says "no", D4 to D8 may stay empty;
 *   - a list row that is not empty has every required column;
 *   - the root causes (D4) and the permanent actions (D5) name at least one for why it
 *     occurred ("occurrence") and one for why it escaped detection ("escape");
 *   - containment removed (D6 "yes") needs the date it was removed.
 * d[i] is discipline i as stored (NULL counts as empty). Returns the number of problems.
 */
int eightd_missing(struct json_object *const d[ED_NDISC], struct json_object *errors);

/* 1 when discipline i alone has nothing missing by the rules above, judged as for a full 8D. */
int eightd_discipline_complete(int i, struct json_object *disc);

/*
 * A field's value as text: a string as it is, a list as one line per row, cells joined by
 * " / " ("" for none). In the arena.
 */
const char *eightd_field_text(struct arena *a, struct json_object *disc, const struct ed_field *f);

/*
 * What changed from before to after, discipline by discipline and field by field, in order:
 * an array of {discipline, field, before, after} (texts as eightd_field_text gives them), or for
 * a list {discipline, field, cells: [{row (from 1), column, before, after}]} with only the cells
 * that differ (a row added or removed: its non-empty cells against ""). Values are stored codes,
 * not labels. NULL entries count as empty. Caller owns the array.
 */
struct json_object *eightd_diff(struct arena *a, struct json_object *const before[ED_NDISC],
    struct json_object *const after[ED_NDISC]);

#endif
