/* page_8d.c: 8D reports — opened from a complaint, filled discipline by discipline, approved or returned with a signature, revised as new versions, hold notices, print view and PDF. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "valid.h"
#include "attach.h"
#include "audit.h"
#include "authority.h"
#include "clock.h"
#include "eightd.h"
#include "i18n.h"
#include "notify.h"
#include "pages.h"
#include "step.h"
#include "whose.h"
#include "workflow.h"
#include "sla.h"

/* Who writes 8Ds, who sees them before they are approved (everyone else who may see a
 * covered complaint sees the approved versions only). */
#define WRITES_8D ROLE_BIT(ROLE_QUALITY_ENGINEER)
#define SEES_DRAFTS (ROLE_BIT(ROLE_QUALITY_ENGINEER) | ROLE_BIT(ROLE_QA_DIRECTOR) | ROLE_BIT(ROLE_AUDITOR))
#define ACCEPT_TYPES ".jpg,.jpeg,.png,.gif,.webp,.pdf,.docx,.xlsx"
#define COMMENT_MAX 2000
#define HOLD_ROWS 6

static const char *const location_kinds[] = { "warehouse", "in_transit", "at_customer", NULL };

/* An 8D as read for one request. */
struct ed {
	char **row;              /* STMT_8D_GET: id, number, title, owner_uid, owner_name, opened_at,
	                          * part_received_at, d3_due, d4_due, d7_due, d8_due, d3_done_at,
	                          * d4_done_at, d7_done_at, d8_done_at */
	struct db_res cs;        /* STMT_8D_COMPLAINTS: number, customer_name, status, part_no, lot,
	                          * category, owner_uid */
	struct db_res vs;        /* STMT_8D_VERSIONS, oldest first */
	int drafts;              /* the reader sees versions that are not approved */
};

/* One step's state, as page_plans.c keeps it. */
struct ed_tx {
	struct req *r;
	struct app *app;
	const char *id;
	long version, revision;
	int disc;                        /* save: the discipline */
	struct json_object *content;     /* save: its normalised fields */
	const char *decision, *comment;
	struct json_object *comments;    /* return: discipline -> comment */
	const char *number;              /* open, link: the complaint */
	const char *title, *received;    /* open */
	const char *recipient, *note;    /* sent */
	const char *hold_id;             /* release */
	const char *reason;              /* hold */
	const char *lines[HOLD_ROWS][5]; /* hold: kind, location, part, lot, quantity */
	int nlines;
	const char *names[8], *types[8]; /* attachments */
	char hashes[8][65];
	size_t nfiles;
	struct json_object *errors;      /* field -> message, on KESU_EINPUT */
	long new_id;                     /* open: the new 8D */
};

/* ---- small helpers ---- */

/* The disciplines of a STMT_8D_VERSIONS row (4..12) or STMT_8D_VERSION_LOCK row (4..12), parsed
 * into out[] (caller puts them). */
static void
parse_disciplines(char **v, struct json_object *out[ED_NDISC])
{
	for (int i = 0; i < ED_NDISC; i++) {
		out[i] = v[4 + i] != NULL ? json_tokener_parse(v[4 + i]) : NULL;
		if (out[i] == NULL || !json_object_is_type(out[i], json_type_object)) {
			json_object_put(out[i]);
			out[i] = eightd_empty(i);
		}
	}
}

static void
put_disciplines(struct json_object *d[ED_NDISC])
{
	for (int i = 0; i < ED_NDISC; i++)
		json_object_put(d[i]);
}

/*
 * The SHA-256 a signature on version covers: the 8D's number and title, the version, every
 * discipline, and the files attached up to that version (by their SHA-256).
 */
static void
version_hash(char **e, long version, struct json_object *const d[ED_NDISC], const struct db_res *att,
    char out[65])
{
	struct json_object *o = json_object_new_object(), *files = json_object_new_array();

	json_object_object_add(o, "kind", json_object_new_string("8d_report"));
	json_object_object_add(o, "id", json_object_new_int64(strtoll(e[0], NULL, 10)));
	json_object_object_add(o, "number", json_object_new_string(e[1]));
	json_object_object_add(o, "title", json_object_new_string(e[2]));
	json_object_object_add(o, "version", json_object_new_int64(version));
	for (int i = 0; i < ED_NDISC; i++)
		json_object_object_add(o, eightd_disciplines[i].code, json_object_get(d[i]));
	for (size_t i = 0; att != NULL && i < att->nrows; i++)
		if (atol(att->rows[i][7]) <= version)
			json_object_array_add(files, json_object_new_string(att->rows[i][1]));
	json_object_object_add(o, "attachments", files);
	authority_content_hash(o, out);
	json_object_put(o);
}

/* The severity of complaint number (0 when unknown). */
static int
severity_of(struct db *db, struct arena *a, const char *number)
{
	struct db_res res;

	if (db_exec(db, a, STMT_COMPLAINT_GET, &res, "s", number) != KESU_OK || res.nrows != 1)
		return 0;
	return atoi(res.rows[0][CC_SEVERITY]);
}

/*
 * The 8D r->arg if the reader may see it: they may see one of the complaints it covers, and
 * either they see drafts (quality engineers, the QA director, auditors) or a version of it is
 * approved. KESU_ENOTFOUND otherwise, as for an id never issued. lock: FOR UPDATE.
 */
static int
ed_load(struct db *db, struct req *r, int lock, struct ed *e)
{
	struct db_res res;
	int rc, seen = 0, approved = 0;

	memset(e, 0, sizeof(*e));
	if (!valid_digits(r->arg, 18))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, lock ? STMT_8D_LOCK : STMT_8D_GET, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	e->row = res.rows[0];
	if ((rc = db_exec(db, r->a, STMT_8D_COMPLAINTS, &e->cs, "s", r->arg)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < e->cs.nrows && !seen; i++) {
		rc = complaint_access(db, r, e->cs.rows[i][0]);
		if (rc != KESU_OK && rc != KESU_ENOTFOUND)
			return rc;
		seen = rc == KESU_OK;
	}
	if (!seen)
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, STMT_8D_VERSIONS, &e->vs, "s", r->arg)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < e->vs.nrows; i++)
		approved |= strcmp(e->vs.rows[i][2], "approved") == 0;
	e->drafts = sess_has(r, SEES_DRAFTS);
	return e->drafts || approved ? KESU_OK : KESU_ENOTFOUND;
}

/* Who records that an approved version went to the customer: the 8D's owner, a quality
 * engineer, or the first responder of a complaint it covers (they keep the customer informed). */
static int
may_record_sent(const struct req *r, const struct ed *e)
{
	if (strcmp(e->row[3], r->sess->uid) == 0 || sess_has(r, WRITES_8D))
		return 1;
	for (size_t i = 0; i < e->cs.nrows; i++)
		if (strcmp(e->cs.rows[i][6], r->sess->uid) == 0)
			return 1;
	return 0;
}

/* The version row numbered v (0: the latest the reader may see), or NULL. */
static char **
ed_version(const struct ed *e, long v)
{
	for (size_t i = e->vs.nrows; i-- > 0; ) {
		char **row = e->vs.rows[i];
		if (!e->drafts && strcmp(row[2], "approved") != 0)
			continue;
		if (v == 0 || atol(row[1]) == v)
			return row;
	}
	return NULL;
}

/* ---- the view ---- */

static const char *
tk(const struct req *r, const char *prefix, const char *arg)
{
	return T(r, arena_printf(r->a, "%s%s", prefix, arg));
}

static struct json_object *
options(const struct req *r, const char *label_prefix, const char *const *codes, const char *selected)
{
	struct json_object *arr = json_object_new_array();

	for (; *codes != NULL; codes++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "code", jstr(*codes));
		json_object_object_add(o, "label", jstr(tk(r, label_prefix, *codes)));
		json_object_object_add(o, "selected", json_object_new_boolean(selected != NULL && strcmp(selected, *codes) == 0));
		json_object_array_add(arr, o);
	}
	return arr;
}

static const char *
sget(struct json_object *o, const char *k)
{
	struct json_object *v;
	return o != NULL && json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

/* One field as shown (read) and, when form, as an input of the discipline's form. */
static struct json_object *
field_json(struct req *r, const struct ed_discipline *dd, const struct ed_field *f, struct json_object *disc,
    int form, struct json_object *errors)
{
	struct json_object *o = json_object_new_object(), *e;
	const char *name = arena_printf(r->a, "%s_%s", dd->code, f->name);

	json_object_object_add(o, "name", jstr(name));
	json_object_object_add(o, "label", jstr(tk(r, "ed_", name)));
	json_object_object_add(o, "required", json_object_new_boolean(f->required));
	if (errors != NULL && json_object_object_get_ex(errors, name, &e)) {
		json_object_object_add(o, "error", json_object_get(e));
		/* The browser lands on the first wrong field, in the page's order (errors are
		 * added discipline by discipline, field by field). */
		json_object_object_foreach(errors, first, unused) {
			(void)unused;
			if (strcmp(first, name) == 0)
				json_object_object_add(o, "autofocus", json_object_new_boolean(1));
			break;
		}
	}
	if (f->kind != ED_LIST) {
		const char *v = sget(disc, f->name);
		json_object_object_add(o, "value", jstr(v));
		json_object_object_add(o, "text", jstr(f->kind == ED_CHOICE && *v ? tk(r, "ed_choice_", v) : v));
		if (!form)
			return o;
		json_object_object_add(o, "is_textarea", json_object_new_boolean(f->kind == ED_TEXT));
		json_object_object_add(o, "is_select", json_object_new_boolean(f->kind == ED_CHOICE));
		json_object_object_add(o, "is_input", json_object_new_boolean(f->kind == ED_DATE || f->kind == ED_INT));
		json_object_object_add(o, "type", jstr(f->kind == ED_DATE ? "date" : "text"));
		json_object_object_add(o, "maxlength", json_object_new_int(f->kind == ED_INT ? 9 : ED_TEXT_MAX));
		if (f->kind == ED_CHOICE)
			json_object_object_add(o, "options", options(r, "ed_choice_", f->choices, v));
		/* The form does not insist: a draft may be saved half-filled (submission checks). */
		json_object_object_add(o, "required", json_object_new_boolean(0));
		return o;
	}
	{
		struct json_object *heads = json_object_new_array(), *rows = json_object_new_array(), *v = NULL;
		size_t n;
		json_object_object_add(o, "is_list", json_object_new_boolean(1));
		for (int c = 0; c < f->ncols; c++)
			json_object_array_add(heads, jstr(tk(r, "ed_col_", f->cols[c].name)));
		json_object_object_add(o, "heads", heads);
		if (disc != NULL)
			json_object_object_get_ex(disc, f->name, &v);
		n = v != NULL && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
		/* The rows there are, and on the form two empty ones to add (up to the maximum). */
		for (size_t k = 0; k < (form ? (n + 2 > ED_MAX_ROWS ? ED_MAX_ROWS : n + 2) : n); k++) {
			struct json_object *row = k < n ? json_object_array_get_idx(v, k) : NULL, *cells = json_object_new_array();
			for (int c = 0; c < f->ncols; c++) {
				struct json_object *cell = json_object_new_object();
				const char *val = sget(row, f->cols[c].name);
				json_object_object_add(cell, "name", jstr(arena_printf(r->a, "%s_%s", name, f->cols[c].name)));
				json_object_object_add(cell, "value", jstr(val));
				json_object_object_add(cell, "text", jstr(f->cols[c].choices != NULL && *val ?
				    tk(r, "ed_choice_", val) : val));
				json_object_object_add(cell, "label", jstr(tk(r, "ed_col_", f->cols[c].name)));
				if (f->cols[c].choices != NULL) {
					json_object_object_add(cell, "is_select", json_object_new_boolean(1));
					json_object_object_add(cell, "options", options(r, "ed_choice_", f->cols[c].choices, val));
				}
				json_object_array_add(cells, cell);
			}
			json_object_array_add(rows, cells);
		}
		json_object_object_add(o, "rows", rows);
		json_object_object_add(o, "has_rows", json_object_new_boolean(json_object_array_length(rows) > 0));
	}
	return o;
}

/* A stored value as the reader sees it: a choice by its label, anything else as it is. */
static const char *
value_label(const struct req *r, const char *const *choices, const char *v)
{
	return choices != NULL && v != NULL && *v != '\0' ? tk(r, "ed_choice_", v) : v;
}

/*
 * Labels for one entry of eightd_diff(): chosen values by their label (before/after of a
 * choice field; each changed cell of a list, with its row number and its column's label).
 */
static void
diff_labels(struct req *r, struct json_object *x, int d, const char *field)
{
	const struct ed_field *f = NULL;
	struct json_object *cells;

	for (int k = 0; d >= 0 && k < eightd_disciplines[d].nfields; k++)
		if (strcmp(eightd_disciplines[d].fields[k].name, field) == 0)
			f = &eightd_disciplines[d].fields[k];
	if (f == NULL)
		return;
	if (f->kind == ED_CHOICE) {
		json_object_object_add(x, "before", jstr(value_label(r, f->choices, sget(x, "before"))));
		json_object_object_add(x, "after", jstr(value_label(r, f->choices, sget(x, "after"))));
	}
	if (!json_object_object_get_ex(x, "cells", &cells))
		return;
	json_object_object_add(x, "is_list", json_object_new_boolean(1));
	for (size_t i = 0; i < json_object_array_length(cells); i++) {
		struct json_object *c = json_object_array_get_idx(cells, i);
		const char *col = sget(c, "column");
		for (int k = 0; k < f->ncols; k++)
			if (strcmp(f->cols[k].name, col) == 0) {
				json_object_object_add(c, "column_label", jstr(tk(r, "ed_col_", col)));
				json_object_object_add(c, "before", jstr(value_label(r, f->cols[k].choices, sget(c, "before"))));
				json_object_object_add(c, "after", jstr(value_label(r, f->cols[k].choices, sget(c, "after"))));
			}
	}
}

/* A signature as signatures.mustache shows it (a STMT_8D_SIGNATURES row): the shared form
 * (page_plans.c) with the entity and the 8D version it was given on. */
static struct json_object *
eightd_signature_json(struct app *app, struct req *r, char **s, const char *current_hash)
{
	struct json_object *o = signature_json(app, r, s, current_hash);

	json_object_object_add(o, "entity", jstr(s[0]));
	json_object_object_add(o, "version", json_object_new_int(atoi(s[2])));
	return o;
}

static struct json_object *
attachment_json(struct app *app, struct req *r, char **c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(strtoll(c[0], NULL, 10)));
	json_object_object_add(o, "url", jstr(arena_printf(r->a, "/attachments/%s", c[0])));
	json_object_object_add(o, "sha256", jstr(c[1]));
	json_object_object_add(o, "size", json_object_new_int64(strtoll(c[2], NULL, 10)));
	json_object_object_add(o, "size_text", jstr(arena_printf(r->a, "%lld KB", (strtoll(c[2], NULL, 10) + 1023) / 1024)));
	json_object_object_add(o, "content_type", jstr(c[3]));
	json_object_object_add(o, "filename", jstr(c[4]));
	json_object_object_add(o, "uploaded_name", jstr(c[5]));
	json_object_object_add(o, "uploaded_at", jstr(view_local_time(app, r->a, c[6])));
	json_object_object_add(o, "version", json_object_new_int(atoi(c[7])));
	return o;
}

/* One clock of the 8D: natural time from start to due, stopped when done. */
static struct json_object *
clock_json(struct app *app, struct req *r, const char *step, const char *start, const char *due,
    const char *done, time_t now)
{
	struct json_object *o = json_object_new_object();
	struct sla_clock k = { clock_parse_utc(start), clock_parse_utc(due), SLA_NATURAL, 0, NULL, 0 };
	struct sla_status st;
	time_t stop = clock_parse_utc(done);
	const char *state;
	long pct;

	sla_status(NULL, &k, stop != 0 ? stop : now, &st);
	state = stop != 0 ? (stop > k.deadline_basis ? "late" : "met") : sla_state_name(st.state);
	pct = st.budget_minutes > 0 ? st.used_minutes * 100 / st.budget_minutes : 100;
	json_object_object_add(o, "step", jstr(step));
	json_object_object_add(o, "label", jstr(tk(r, "step_", step)));
	json_object_object_add(o, "start", jstr(view_local_time(app, r->a, start)));
	json_object_object_add(o, "deadline", jstr(view_local_time(app, r->a, due)));
	json_object_object_add(o, "stopped", done != NULL ? jstr(view_local_time(app, r->a, done)) : NULL);
	json_object_object_add(o, "percent", json_object_new_int64(pct));
	json_object_object_add(o, "bar", json_object_new_int64(pct < 0 ? 0 : pct > 100 ? 100 : pct));
	json_object_object_add(o, "state", jstr(state));
	json_object_object_add(o, "state_label", jstr(tk(r, "clock_state_", state)));
	json_object_object_add(o, "late", json_object_new_boolean(strcmp(state, "late") == 0 ||
	    strcmp(state, "overdue") == 0));
	return o;
}

/* Which parts are complete in d: D3; the initial analysis D0-D4; the permanent actions D5-D7
 * (when D0 says no full 8D is needed, D0-D3 complete the analysis and the actions). */
static void
parts_done(struct json_object *const d[ED_NDISC], int *d3, int *d4, int *d7)
{
	int full = strcmp(sget(d[0], "full_8d"), "no") != 0, c[ED_NDISC];

	for (int i = 0; i < ED_NDISC; i++)
		c[i] = eightd_discipline_complete(i, d[i]);
	*d3 = c[3];
	*d4 = c[0] && c[1] && c[2] && c[3] && (!full || c[4]);
	*d7 = *d4 && (!full || (c[5] && c[6] && c[7]));
}

/* The hold notices with their lines and release signatures. */
static struct json_object *
holds_json(struct app *app, struct req *r, const struct ed *e, const struct db_res *sigs, int can_release)
{
	struct json_object *arr = json_object_new_array();
	struct db_res hs, ls;

	if (db_exec(app->db, r->a, STMT_HOLD_LIST, &hs, "s", e->row[0]) != KESU_OK ||
	    db_exec(app->db, r->a, STMT_HOLD_LINES, &ls, "s", e->row[0]) != KESU_OK)
		return arr;
	for (size_t i = 0; i < hs.nrows; i++) {
		char **h = hs.rows[i];
		struct json_object *o = json_object_new_object(), *lines = json_object_new_array(), *sa = json_object_new_array();
		json_object_object_add(o, "id", json_object_new_int64(strtoll(h[0], NULL, 10)));
		json_object_object_add(o, "state", jstr(h[1]));
		json_object_object_add(o, "state_label", jstr(tk(r, "hold_state_", h[1])));
		json_object_object_add(o, "reason", jstr(h[2]));
		json_object_object_add(o, "issued_name", jstr(h[4]));
		json_object_object_add(o, "issued_at", jstr(view_local_time(app, r->a, h[5])));
		json_object_object_add(o, "released_at", h[6] ? jstr(view_local_time(app, r->a, h[6])) : NULL);
		json_object_object_add(o, "content_hash", jstr(h[7]));
		for (size_t k = 0; k < ls.nrows; k++) {
			char **l = ls.rows[k];
			struct json_object *lo;
			if (strcmp(l[0], h[0]) != 0)
				continue;
			lo = json_object_new_object();
			json_object_object_add(lo, "line", json_object_new_int(atoi(l[1])));
			json_object_object_add(lo, "location_kind", jstr(l[2]));
			json_object_object_add(lo, "location_kind_label", jstr(tk(r, "hold_location_", l[2])));
			json_object_object_add(lo, "location", jstr(l[3]));
			json_object_object_add(lo, "part_no", jstr(l[4]));
			json_object_object_add(lo, "lot", jstr(l[5]));
			json_object_object_add(lo, "quantity", json_object_new_int64(strtoll(l[6], NULL, 10)));
			json_object_array_add(lines, lo);
		}
		json_object_object_add(o, "lines", lines);
		for (size_t k = 0; k < sigs->nrows; k++)
			if (strcmp(sigs->rows[k][0], "hold_notice") == 0 && strcmp(sigs->rows[k][1], h[0]) == 0)
				json_object_array_add(sa, eightd_signature_json(app, r, sigs->rows[k], h[7]));
		json_object_object_add(o, "has_signatures", json_object_new_boolean(json_object_array_length(sa) > 0));
		json_object_object_add(o, "signatures", sa);
		json_object_object_add(o, "can_release", json_object_new_boolean(can_release &&
		    strcmp(h[1], "on_hold") == 0 && strcasecmp(h[3], r->sess->uid) != 0));
		json_object_array_add(arr, o);
	}
	return arr;
}

/*
 * The 8D page's view model for r->arg (?version=N shows that version; the changes since the
 * version before it are listed). A form sent with errors comes back through the step runner,
 * which puts what was typed into this page. Caller owns *out.
 */
static int
ed_view(struct app *app, struct req *r, struct json_object **out)
{
	struct ed e;
	struct db_res sigs, att, sent, hist;
	struct json_object *v, *o, *discs, *vers, *d[ED_NDISC], *prev[ED_NDISC], *comments = NULL, *sarr;
	enum role req[AUTH_MAX_SIGNERS];
	const char *want = req_query(r, "version");
	char **cur, **latest, hash[65];
	long vnum, returned_from = 0;
	int rc, nreq = 0, editable, signable = 0, latest_is_cur, d3, d4, d7, chain_pending = 0;
	unsigned chain_done = 0;
	time_t now = time(NULL);

	if ((rc = ed_load(app->db, r, 0, &e)) != KESU_OK)
		return rc;
	if (want != NULL && !valid_digits(want, 9))
		return KESU_ENOTFOUND;
	if ((cur = ed_version(&e, want != NULL ? atol(want) : 0)) == NULL)
		return KESU_ENOTFOUND;
	latest = e.vs.rows[e.vs.nrows - 1];
	latest_is_cur = cur == latest;
	vnum = atol(cur[1]);
	if ((rc = db_exec(app->db, r->a, STMT_8D_SIGNATURES, &sigs, "ss", e.row[0], e.row[0])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_8D_ATTACHMENT_LIST, &att, "s", e.row[0])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_8D_SENT_LIST, &sent, "s", e.row[0])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_AUDIT_FOR_ENTITY, &hist, "ss", "8d_report", e.row[0])) != KESU_OK)
		return rc;
	parse_disciplines(cur, d);
	version_hash(e.row, vnum, d, &att, hash);
	editable = latest_is_cur && strcmp(cur[2], "draft") == 0 && sess_has(r, WRITES_8D);
	if (cur[13] != NULL)
		comments = json_tokener_parse(cur[13]);
	/* A draft that revises a returned version shows the director's comments of that version,
	 * beside the disciplines they concern, until it is submitted. */
	if (comments == NULL && strcmp(cur[2], "draft") == 0 && vnum > 1)
		for (size_t i = 0; i < e.vs.nrows; i++)
			if (atol(e.vs.rows[i][1]) == vnum - 1 && strcmp(e.vs.rows[i][2], "returned") == 0 &&
			    e.vs.rows[i][13] != NULL) {
				comments = json_tokener_parse(e.vs.rows[i][13]);
				returned_from = vnum - 1;
			}
	if (latest_is_cur && strcmp(cur[2], "submitted") == 0) {
		unsigned done = 0;
		enum role next;
		chain_pending = 1;
		if (required_signers(app->db, r->a, "8d_report", 0, severity_of(app->db, r->a, e.row[1]), req, &nreq) != KESU_OK)
			nreq = 0;
		for (size_t i = 0; i < sigs.nrows; i++)
			if (strcmp(sigs.rows[i][0], "8d_report") == 0 && atol(sigs.rows[i][2]) == vnum &&
			    strcmp(sigs.rows[i][6], "approve") == 0 && role_from_name(sigs.rows[i][5]) != ROLE__MAX)
				done |= ROLE_BIT(role_from_name(sigs.rows[i][5]));
		next = authority_next_signer(req, nreq, done);
		signable = next != ROLE__MAX && authority_may_sign(r->sess->uid, r->sess->roles, cur[17], next);
		chain_done = done;
	}

	v = view_new(app, r);
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(strtoll(e.row[0], NULL, 10)));
	/* The complaint it was opened for, only to those who may see that complaint (issue 7):
	 * a reader who reaches the 8D through another covered complaint learns nothing of it. */
	json_object_object_add(o, "number", complaint_access(app->db, r, e.row[1]) == KESU_OK ?
	    jstr(e.row[1]) : NULL);
	json_object_object_add(o, "title", jstr(e.row[2]));
	json_object_object_add(o, "owner_uid", jstr(e.row[3]));
	json_object_object_add(o, "owner_name", jstr(e.row[4]));
	json_object_object_add(o, "opened_at", jstr(view_local_time(app, r->a, e.row[5])));
	json_object_object_add(o, "part_received_at", jstr(view_local_time(app, r->a, e.row[6])));
	json_object_object_add(o, "url", jstr(arena_printf(r->a, "/8d/%s", e.row[0])));
	json_object_object_add(v, "eightd", o);
	{
		struct json_object *cs = json_object_new_array();
		for (size_t i = 0; i < e.cs.nrows; i++) {
			struct json_object *c;
			/* Linked complaints the reader may not see leave no trace, not even the number;
			 * on any error the row is left out too (closed by default). */
			if (complaint_access(app->db, r, e.cs.rows[i][0]) != KESU_OK)
				continue;
			c = json_object_new_object();
			json_object_object_add(c, "number", jstr(e.cs.rows[i][0]));
			json_object_object_add(c, "url", jstr(arena_printf(r->a, "/complaints/%s", e.cs.rows[i][0])));
			json_object_object_add(c, "customer_name", jstr(e.cs.rows[i][1]));
			json_object_object_add(c, "status_label", jstr(view_label(r, "status", e.cs.rows[i][2])));
			json_object_object_add(c, "part_no", jstr(e.cs.rows[i][3]));
			json_object_object_add(c, "lot", jstr(e.cs.rows[i][4]));
			json_object_array_add(cs, c);
		}
		json_object_object_add(v, "complaints", cs);
	}
	/* The version shown. */
	o = json_object_new_object();
	json_object_object_add(o, "version", json_object_new_int64(vnum));
	json_object_object_add(o, "state", jstr(cur[2]));
	json_object_object_add(o, "state_label", jstr(tk(r, "ed_state_", cur[2])));
	json_object_object_add(o, "revision", json_object_new_int64(atol(cur[3])));
	json_object_object_add(o, "author_name", jstr(cur[15]));
	json_object_object_add(o, "updated_at", jstr(view_local_time(app, r->a, cur[16])));
	json_object_object_add(o, "decided_at", cur[19] ? jstr(view_local_time(app, r->a, cur[19])) : NULL);
	json_object_object_add(o, "content_hash", jstr(hash));
	json_object_object_add(o, "hash_short", jstr(arena_strndup(r->a, hash, 12)));
	json_object_object_add(o, "is_latest", json_object_new_boolean(latest_is_cur));
	json_object_object_add(o, "approved", json_object_new_boolean(strcmp(cur[2], "approved") == 0));
	json_object_object_add(o, "print_url", jstr(arena_printf(r->a, "/8d/%s/print?version=%ld", e.row[0], vnum)));
	json_object_object_add(o, "pdf_url", jstr(arena_printf(r->a, "/8d/%s/pdf?version=%ld", e.row[0], vnum)));
	json_object_object_add(v, "current", o);

	discs = json_object_new_array();
	for (int i = 0; i < ED_NDISC; i++) {
		const struct ed_discipline *dd = &eightd_disciplines[i];
		struct json_object *x = json_object_new_object(), *fs = json_object_new_array(), *files = json_object_new_array();
		struct json_object *src = d[i], *cm;
		json_object_object_add(x, "code", jstr(dd->code));
		json_object_object_add(x, "title", jstr(tk(r, "ed_title_", dd->code)));
		json_object_object_add(x, "complete", json_object_new_boolean(eightd_discipline_complete(i, d[i])));
		{
			/* Its state in the page's index: returned (a comment of the director's to
			 * answer), else complete, incomplete or empty, as saved. */
			const char *state = eightd_discipline_complete(i, d[i]) ? "complete" : "empty";
			for (int k = 0; *state == 'e' && k < dd->nfields; k++)
				if (*eightd_field_text(r->a, d[i], &dd->fields[k]) != '\0')
					state = "incomplete";
			if (comments != NULL && json_object_object_get_ex(comments, dd->code, &cm) &&
			    *json_object_get_string(cm) != '\0')
				state = "returned";
			json_object_object_add(x, "state", jstr(state));
			json_object_object_add(x, "state_label", jstr(tk(r, "ed_disc_state_", state)));
			json_object_object_add(x, "returned_from", returned_from > 0 ?
			    json_object_new_int64(returned_from) : NULL);
		}
		for (int k = 0; k < dd->nfields; k++)
			json_object_array_add(fs, field_json(r, dd, &dd->fields[k], src, editable, NULL));
		json_object_object_add(x, "fields", fs);
		if (comments != NULL && json_object_object_get_ex(comments, dd->code, &cm) &&
		    *json_object_get_string(cm) != '\0')
			json_object_object_add(x, "return_comment", json_object_get(cm));
		for (size_t k = 0; k < att.nrows; k++)
			if (strcmp(att.rows[k][8], dd->code) == 0 && atol(att.rows[k][7]) <= vnum)
				json_object_array_add(files, attachment_json(app, r, att.rows[k]));
		json_object_object_add(x, "has_attachments", json_object_new_boolean(json_object_array_length(files) > 0));
		json_object_object_add(x, "attachments", files);
		json_object_object_add(x, "editable", json_object_new_boolean(editable));
		json_object_object_add(x, "is_d3", json_object_new_boolean(i == 3));
		json_object_array_add(discs, x);
	}
	json_object_object_add(v, "disciplines", discs);
	json_object_put(comments);

	/* What changed since the version before the one shown. */
	if (vnum > 1) {
		char **p = NULL;
		for (size_t i = 0; i < e.vs.nrows; i++)
			if (atol(e.vs.rows[i][1]) == vnum - 1)
				p = e.vs.rows[i];
		if (p != NULL && (e.drafts || strcmp(p[2], "approved") == 0)) {
			struct json_object *diff;
			parse_disciplines(p, prev);
			diff = eightd_diff(r->a, prev, d);
			for (size_t i = 0; i < json_object_array_length(diff); i++) {
				struct json_object *x = json_object_array_get_idx(diff, i);
				const char *dc = sget(x, "discipline"), *fd = sget(x, "field");
				json_object_object_add(x, "discipline_title", jstr(tk(r, "ed_title_", dc)));
				json_object_object_add(x, "field_label", jstr(tk(r, "ed_", arena_printf(r->a, "%s_%s", dc, fd))));
				diff_labels(r, x, eightd_discipline_index(dc), fd);
			}
			json_object_object_add(v, "diff_from", json_object_new_int64(vnum - 1));
			json_object_object_add(v, "has_diff", json_object_new_boolean(1));
			json_object_object_add(v, "diff_empty", json_object_new_boolean(json_object_array_length(diff) == 0));
			json_object_object_add(v, "diff", diff);
			put_disciplines(prev);
		}
	}
	vers = json_object_new_array();
	for (size_t i = 0; i < e.vs.nrows; i++) {
		char **x = e.vs.rows[i];
		struct json_object *vo;
		if (!e.drafts && strcmp(x[2], "approved") != 0)
			continue;
		vo = json_object_new_object();
		json_object_object_add(vo, "version", json_object_new_int64(atol(x[1])));
		json_object_object_add(vo, "state_label", jstr(tk(r, "ed_state_", x[2])));
		json_object_object_add(vo, "url", jstr(arena_printf(r->a, "/8d/%s?version=%s", e.row[0], x[1])));
		json_object_object_add(vo, "shown", json_object_new_boolean(x == cur));
		json_object_array_add(vers, vo);
	}
	json_object_object_add(v, "versions", vers);

	sarr = json_object_new_array();
	for (size_t i = 0; i < sigs.nrows; i++)
		if (strcmp(sigs.rows[i][0], "8d_report") == 0 && (e.drafts || atol(sigs.rows[i][2]) == vnum))
			json_object_array_add(sarr, eightd_signature_json(app, r, sigs.rows[i],
			    atol(sigs.rows[i][2]) == vnum ? hash : NULL));
	json_object_object_add(v, "has_signatures", json_object_new_boolean(json_object_array_length(sarr) > 0));
	json_object_object_add(v, "signatures", sarr);
	/* A submitted version: its signing chain, with the names of who can sign (whose.c). */
	if (chain_pending && nreq > 0) {
		json_object_object_add(v, "chain", whose_chain(app, r, req, nreq, chain_done, 1, sarr, NULL, NULL));
		json_object_object_add(v, "has_chain", json_object_new_boolean(1));
	}

	/* Clocks: D3 in hours, the initial analysis from the part's arrival, the rest from opening. */
	{
		struct json_object *ks = json_object_new_array();
		json_object_array_add(ks, clock_json(app, r, "8d_d3", e.row[5], e.row[7], e.row[11], now));
		json_object_array_add(ks, clock_json(app, r, "8d_d4", e.row[6], e.row[8], e.row[12], now));
		json_object_array_add(ks, clock_json(app, r, "8d_d7", e.row[5], e.row[9], e.row[13], now));
		json_object_array_add(ks, clock_json(app, r, "8d_d8", e.row[5], e.row[10], e.row[14], now));
		json_object_object_add(v, "clocks", ks);
	}
	parts_done(d, &d3, &d4, &d7);
	json_object_object_add(v, "ready_to_submit", json_object_new_boolean(d4 && d7));
	put_disciplines(d);

	/* What the reader may do now. */
	json_object_object_add(v, "editable", json_object_new_boolean(editable));
	/* One form saves every discipline: its inputs sit in the sections and name it. */
	if (editable)
		json_object_object_add(v, "form_owner", jstr("eightd-form"));
	json_object_object_add(v, "can_submit", json_object_new_boolean(editable));
	json_object_object_add(v, "signable", json_object_new_boolean(signable));
	if (signable)
		json_object_object_add(v, "sign_meaning", jstr(T(r, "meaning_8d_report_approve")));
	json_object_object_add(v, "can_revise", json_object_new_boolean(latest_is_cur && sess_has(r, WRITES_8D) &&
	    (strcmp(cur[2], "returned") == 0 || strcmp(cur[2], "approved") == 0)));
	json_object_object_add(v, "can_record_sent", json_object_new_boolean(strcmp(cur[2], "approved") == 0 &&
	    may_record_sent(r, &e)));
	json_object_object_add(v, "attach_accept", jstr(ACCEPT_TYPES));
	{
		struct json_object *ss = json_object_new_array();
		for (size_t i = 0; i < sent.nrows; i++) {
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "version", json_object_new_int(atoi(sent.rows[i][0])));
			json_object_object_add(x, "recipient", jstr(sent.rows[i][1]));
			json_object_object_add(x, "note", jstr(sent.rows[i][2]));
			json_object_object_add(x, "sent_name", jstr(sent.rows[i][3]));
			json_object_object_add(x, "sent_at", jstr(view_local_time(app, r->a, sent.rows[i][4])));
			json_object_array_add(ss, x);
		}
		json_object_object_add(v, "has_sent", json_object_new_boolean(sent.nrows > 0));
		json_object_object_add(v, "sent", ss);
	}
	{
		struct json_object *holds = holds_json(app, r, &e, &sigs, sess_has(r, ROLE_BIT(ROLE_QA_DIRECTOR) |
		    ROLE_BIT(ROLE_QUALITY_ENGINEER)));
		struct json_object *rows = json_object_new_array();
		json_object_object_add(v, "has_holds", json_object_new_boolean(json_object_array_length(holds) > 0));
		json_object_object_add(v, "holds", holds);
		json_object_object_add(v, "can_hold", json_object_new_boolean(strcmp(latest[2], "draft") == 0 &&
		    sess_has(r, WRITES_8D)));
		for (int i = 0; i < HOLD_ROWS; i++) {
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "line", json_object_new_int(i + 1));
			json_object_object_add(x, "kinds", options(r, "hold_location_", location_kinds, NULL));
			json_object_array_add(rows, x);
		}
		json_object_object_add(v, "hold_rows", rows);
	}
	{
		struct json_object *h = json_object_new_array();
		for (size_t i = 0; i < hist.nrows; i++) {
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "at", jstr(view_local_time(app, r->a, hist.rows[i][1])));
			json_object_object_add(x, "actor_name", jstr(hist.rows[i][3]));
			json_object_object_add(x, "action", jstr(hist.rows[i][5]));
			json_object_object_add(x, "action_label", jstr(view_label(r, "action", hist.rows[i][5])));
			json_object_array_add(h, x);
		}
		json_object_object_add(v, "history", h);
	}
	view_done_notice(r, v);
	*out = v;
	return KESU_OK;
}

int
page_8d_view(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v;
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	if ((rc = ed_view(app, r, &v)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, 200, "eightd_view", v);
	return KESU_OK;
}

/*
 * Answer a step: its errors to the step runner (step.h), or back to the page (JSON: the id,
 * version and revision).
 */
static int
finish(struct app *app, struct req *r, struct resp *rs, struct ed_tx *t, int rc, const char *what)
{
	/* Field errors go to the step runner, which shows the page again with what was typed. */
	if (rc == KESU_EINPUT) {
		json_object_object_foreach(t->errors, field, text)
			step_error_text(r, field, json_object_get_string(text));
	}
	json_object_put(t->errors);
	json_object_put(t->content);
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("8d %s: %s", r->arg, what);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "id", json_object_new_int64(atoll(r->arg)));
		json_object_object_add(v, "version", json_object_new_int64(t->version));
		json_object_object_add(v, "revision", json_object_new_int64(t->revision));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/8d/%s?done=%s", r->arg, what));
	return KESU_OK;
}

static void
tx_init(struct ed_tx *t, struct app *app, struct req *r)
{
	memset(t, 0, sizeof(*t));
	t->r = r;
	t->app = app;
	t->errors = json_object_new_object();
	t->disc = -1;
}

/* version (and revision when want_rev is 1) from the form; want_rev < 0: neither (a hold's
 * release does not touch the 8D's content). KESU_EINPUT when malformed. */
static int
tx_versions(struct ed_tx *t, int want_rev)
{
	const char *v = req_form(t->r, "version"), *rv = req_form(t->r, "revision");

	if (want_rev < 0)
		return KESU_OK;
	if (!valid_digits(v, 9) || (want_rev && !valid_digits(rv, 9)))
		return KESU_EINPUT;
	t->version = atol(v);
	t->revision = want_rev ? atol(rv) : 0;
	return KESU_OK;
}

/* The common start of every write: signed in, a well-formed id, the 8D visible. */
static int
write_start(struct app *app, struct req *r, struct ed_tx *t, int want_rev)
{
	struct ed e;
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	tx_init(t, app, r);
	if ((rc = ed_load(app->db, r, 0, &e)) != KESU_OK)
		return rc;
	return tx_versions(t, want_rev);
}

static int
abort_start(struct ed_tx *t, int rc)
{
	json_object_put(t->errors);
	return rc;
}

/*
 * Inside a transaction: the 8D locked (the reader may see it) and its latest version locked;
 * KESU_ECONFLICT unless it is the version the form showed, in one of the states allowed
 * (a comma-free list such as "draft"), and, when rev >= 0, at that revision. An approved
 * version is never in the list: it never changes.
 */
static int
lock_latest(struct db *db, struct ed_tx *t, struct ed *e, char ***v, const char *states, long rev)
{
	struct db_res res;
	int rc;

	if ((rc = ed_load(db, t->r, 1, e)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, t->r->a, STMT_8D_VERSION_LOCK, &res, "s", t->r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	*v = res.rows[0];
	if (atol((*v)[1]) != t->version || strstr(states, (*v)[2]) == NULL || (rev >= 0 && atol((*v)[3]) != rev))
		return KESU_ECONFLICT;
	return KESU_OK;
}

static int
audit_8d(struct db *db, struct req *r, const char *id, const char *action, struct json_object *after)
{
	struct audit_actor who = req_actor(r);
	int rc = audit_write(db, r->a, &who, "8d_report", id, action, NULL, after);

	json_object_put(after);
	return rc;
}

/* ---- open ---- */

static int
open_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct json_object *after, *empty[ED_NDISC];
	const char *texts[ED_NDISC];
	struct db_res res;
	char **c;
	int rc;

	if ((rc = complaint_lock(db, r, &c)) != KESU_OK)
		return rc;
	if (strcmp(c[3], "product_quality") != 0) {
		errors_add(t->r, t->errors, "title", "err_8d_product_quality_only");
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, r->a, STMT_8D_INSERT, NULL, "sssssisiii", r->arg, t->title, r->sess->uid,
	    r->sess->name, t->received, (int64_t)conf_int(t->app->conf, "eightd.d3_hours", 24), t->received,
	    (int64_t)conf_int(t->app->conf, "eightd.initial_days", 5),
	    (int64_t)conf_int(t->app->conf, "eightd.d7_days", 30),
	    (int64_t)conf_int(t->app->conf, "eightd.d8_days", 60))) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
		return rc;
	t->new_id = atol(res.rows[0][0]);
	for (int i = 0; i < ED_NDISC; i++) {
		empty[i] = eightd_empty(i);
		texts[i] = arena_strdup(r->a, json_object_to_json_string_ext(empty[i], JSON_C_TO_STRING_PLAIN));
		json_object_put(empty[i]);
	}
	if ((rc = db_exec(db, r->a, STMT_8D_LINK, NULL, "iss", (int64_t)t->new_id, r->arg, r->sess->uid)) != KESU_OK ||
	    (rc = db_exec(db, r->a, STMT_8D_VERSION_INSERT, NULL, "iisssssssssss", (int64_t)t->new_id, (int64_t)1,
	    texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], texts[7], texts[8],
	    r->sess->uid, r->sess->name)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "eightd_id", json_object_new_int64(t->new_id));
	json_object_object_add(after, "title", json_object_new_string(t->title));
	if ((rc = audit_write(db, r->a, &who, "complaint", r->arg, "8d_open", NULL, after)) != KESU_OK) {
		json_object_put(after);
		return rc;
	}
	json_object_object_add(after, "number", json_object_new_string(r->arg));
	return audit_8d(db, r, arena_printf(r->a, "%ld", t->new_id), "8d_open", after);
}

/* POST /complaints/{number}/8d: a quality engineer opens an 8D on a product-quality complaint. */
int
page_8d_open(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	const char *rec;
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	if (!sess_has(r, WRITES_8D))
		return KESU_EFORBIDDEN;
	tx_init(&t, app, r);
	t.title = req_form(r, "title");
	rec = req_form(r, "part_received_at");
	if (t.title == NULL || workflow_reason_blank(t.title))
		errors_add(r, t.errors, "title", "err_required");
	else if (strlen(t.title) > 200)
		errors_add(r, t.errors, "title", "err_too_long");
	if (rec != NULL && *rec != '\0' && (t.received = view_utc_time(app, r->a, rec)) == NULL)
		errors_add(r, t.errors, "part_received_at", "err_invalid_date");
	rc = json_object_object_length(t.errors) > 0 ? KESU_EINPUT : db_tx(app->db, open_tx, &t);
	if (rc == KESU_EINPUT) {
		json_object_object_foreach(t.errors, field, text)
			step_error_text(r, field, json_object_get_string(text));
	}
	json_object_put(t.errors);
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("complaint %s: 8D %ld opened", r->arg, t.new_id);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "id", json_object_new_int64(t.new_id));
		json_object_object_add(v, "version", json_object_new_int(1));
		json_object_object_add(v, "revision", json_object_new_int(1));
		resp_json(rs, 201, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/8d/%ld", t.new_id));
	return KESU_OK;
}

/* ---- save a discipline ---- */

/* The typed fields of discipline code, as eightd_normalise reads them: "<code>_<field>" and,
 * for a list, its columns "<code>_<field>_<col>" repeated in row order (or a JSON array). */
static struct json_object *
typed_fields(struct req *r, int d)
{
	const struct ed_discipline *dd = &eightd_disciplines[d];
	struct json_object *in = json_object_new_object();

	for (int i = 0; i < dd->nfields; i++) {
		const struct ed_field *f = &dd->fields[i];
		const char *key = arena_printf(r->a, "%s_%s", dd->code, f->name);
		struct json_object *arr;
		if (f->kind != ED_LIST) {
			const char *v = req_form(r, key);
			if (v != NULL)
				json_object_object_add(in, key, json_object_new_string(v));
			continue;
		}
		if (r->json != NULL && json_object_object_get_ex(r->json, key, &arr) &&
		    json_object_is_type(arr, json_type_array)) {
			json_object_object_add(in, key, json_object_get(arr));
			continue;
		}
		arr = json_object_new_array();
		for (int c = 0; c < f->ncols; c++) {
			const char *ck = arena_printf(r->a, "%s_%s", key, f->cols[c].name);
			size_t row = 0;
			for (size_t k = 0; k < r->nform && row < ED_MAX_ROWS + 2; k++) {
				struct json_object *o;
				if (strcmp(r->form[k].key, ck) != 0)
					continue;
				if ((o = json_object_array_get_idx(arr, row)) == NULL) {
					o = json_object_new_object();
					json_object_array_put_idx(arr, row, o);
				}
				json_object_object_add(o, f->cols[c].name, json_object_new_string(r->form[k].val));
				row++;
			}
		}
		for (size_t k = 0; k < json_object_array_length(arr); k++)
			if (json_object_array_get_idx(arr, k) == NULL)
				json_object_array_put_idx(arr, k, json_object_new_object());
		/* No cell of the list in the form: the list was not posted (saving all disciplines). */
		if (json_object_array_length(arr) > 0)
			json_object_object_add(in, key, arr);
		else
			json_object_put(arr);
	}
	return in;
}

/*
 * What was typed into discipline d (typed_fields' object), as a stored discipline keyed by
 * field so that the page shows it again exactly as typed, wrong values included. Caller owns it.
 */
static struct json_object *
typed_display(int d, struct json_object *in)
{
	const struct ed_discipline *dd = &eightd_disciplines[d];
	struct json_object *out = eightd_empty(d);
	size_t cl = strlen(dd->code);

	json_object_object_foreach(in, k, val) {
		for (int i = 0; i < dd->nfields; i++) {
			if (strncmp(k, dd->code, cl) != 0 || k[cl] != '_' || strcmp(k + cl + 1, dd->fields[i].name) != 0)
				continue;
			if (dd->fields[i].kind == ED_LIST ? json_object_is_type(val, json_type_array) :
			    json_object_is_type(val, json_type_string))
				json_object_object_add(out, dd->fields[i].name, json_object_get(val));
		}
	}
	return out;
}

static int
save_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *d[ED_NDISC], *after;
	const char *texts[ED_NDISC];
	struct db_res res;
	struct ed e;
	char **v;
	int rc, d3, d4, d7;

	if ((rc = lock_latest(db, t, &e, &v, "draft", t->revision)) != KESU_OK)
		return rc;
	parse_disciplines(v, d);
	for (int i = 0; i < ED_NDISC; i++) {
		struct json_object *c = t->content;
		/* all disciplines at once: content is {code: fields} of those posted */
		if (t->disc == ED_NDISC ? !json_object_object_get_ex(t->content, eightd_disciplines[i].code, &c) :
		    t->disc != i)
			continue;
		json_object_put(d[i]);
		d[i] = json_object_get(c);
	}
	for (int i = 0; i < ED_NDISC; i++)
		texts[i] = arena_strdup(r->a, json_object_to_json_string_ext(d[i], JSON_C_TO_STRING_PLAIN));
	parts_done(d, &d3, &d4, &d7);
	put_disciplines(d);
	if ((rc = db_exec(db, r->a, STMT_8D_VERSION_SAVE, &res, "sssssssssssii", texts[0], texts[1], texts[2],
	    texts[3], texts[4], texts[5], texts[6], texts[7], texts[8], r->sess->uid, r->sess->name,
	    strtoll(v[0], NULL, 10), (int64_t)t->revision)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	/* A part's clock stops the first time it is complete. */
	if ((rc = db_exec(db, r->a, STMT_8D_SET_DONE, NULL, "iiiis", (int64_t)d3, (int64_t)d4, (int64_t)d7,
	    (int64_t)0, r->arg)) != KESU_OK)
		return rc;
	t->revision++;
	after = json_object_new_object();
	json_object_object_add(after, "version", json_object_new_int64(t->version));
	json_object_object_add(after, "revision", json_object_new_int64(t->revision));
	if (t->disc == ED_NDISC) {
		json_object_object_add(after, "disciplines", json_object_get(t->content));
	} else {
		json_object_object_add(after, "discipline", json_object_new_string(eightd_disciplines[t->disc].code));
		json_object_object_add(after, "fields", json_object_get(t->content));
	}
	return audit_8d(db, r, r->arg, "8d_save", after);
}

/*
 * Discipline d as typed, checked: its normalised fields (caller owns them), problems added to
 * t->errors in the reader's language; *shown gets what was typed, as typed, for the page.
 */
static struct json_object *
typed_discipline(struct req *r, struct ed_tx *t, int d, int *nerr, struct json_object **shown)
{
	struct json_object *in = typed_fields(r, d), *keys = json_object_new_object(), *out;
	int n = 0;

	out = eightd_normalise(d, in, keys, &n);
	/* Messages are keys until here: translate them for the page. */
	json_object_object_foreach(keys, k, val)
		errors_add(r, t->errors, k, json_object_get_string(val));
	json_object_put(keys);
	*nerr += n;
	*shown = json_object_object_length(in) > 0 ? typed_display(d, in) : NULL;
	json_object_put(in);
	return out;
}

/*
 * POST /8d/{id}/save: version, revision, discipline and its fields — a draft saved; with
 * discipline=all, every discipline whose fields were posted, in one revision (the page's one
 * form). A draft: the submit's completeness rules do not apply, only each value's own check.
 */
int
page_8d_save(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	struct json_object *shown = NULL;
	const char *which;
	int rc, nerr = 0;

	if ((rc = write_start(app, r, &t, 1)) != KESU_OK)
		return abort_start(&t, rc);
	if (!sess_has(r, WRITES_8D))
		return abort_start(&t, KESU_EFORBIDDEN);
	which = req_form(r, "discipline");
	if (which != NULL && strcmp(which, "all") == 0) {
		t.disc = ED_NDISC;
		t.content = json_object_new_object();
		shown = json_object_new_object();
		for (int i = 0; i < ED_NDISC; i++) {
			struct json_object *typed, *c = typed_discipline(r, &t, i, &nerr, &typed);
			if (typed == NULL) {
				json_object_put(c);
				continue;
			}
			json_object_object_add(t.content, eightd_disciplines[i].code, c);
			json_object_object_add(shown, eightd_disciplines[i].code, typed);
		}
	} else {
		if ((t.disc = eightd_discipline_index(which)) < 0)
			return abort_start(&t, KESU_EINPUT);
		t.content = typed_discipline(r, &t, t.disc, &nerr, &shown);
	}
	rc = nerr > 0 ? KESU_EINPUT : db_tx(app->db, save_tx, &t);
	if (rc == KESU_EINPUT && shown != NULL) {
		/* The page comes back with every value as it was typed, wrong ones included. */
		json_object_put(t.content);
		t.content = shown;
		shown = NULL;
	}
	json_object_put(shown);
	return finish(app, r, rs, &t, rc, "8d_save");
}

/* ---- submit ---- */

static int
submit_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *d[ED_NDISC], *after, *keys;
	struct db_res res, att;
	struct ed e;
	char **v, hash[65];
	int rc, n;

	if ((rc = lock_latest(db, t, &e, &v, "draft", t->revision)) != KESU_OK)
		return rc;
	parse_disciplines(v, d);
	keys = json_object_new_object();
	n = eightd_missing(d, keys);
	json_object_object_foreach(keys, k, val)
		errors_add(t->r, t->errors, k, json_object_get_string(val));
	json_object_put(keys);
	if (n > 0) {
		put_disciplines(d);
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, r->a, STMT_8D_ATTACHMENT_LIST, &att, "s", r->arg)) != KESU_OK) {
		put_disciplines(d);
		return rc;
	}
	version_hash(e.row, t->version, d, &att, hash);
	put_disciplines(d);
	if ((rc = db_exec(db, r->a, STMT_8D_VERSION_SUBMIT, &res, "sii", r->sess->uid, strtoll(v[0], NULL, 10),
	    (int64_t)t->revision)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	t->revision++;
	after = json_object_new_object();
	json_object_object_add(after, "version", json_object_new_int64(t->version));
	json_object_object_add(after, "state", json_object_new_string("submitted"));
	json_object_object_add(after, "content_hash", json_object_new_string(hash));
	if ((rc = audit_8d(db, r, r->arg, "8d_submit", after)) != KESU_OK)
		return rc;
	/* The QA director, who signs it next, is told by mail (notify.c). */
	return notify_queue(db, r->a, "eightd_sign", "role", "qa_director", arena_printf(r->a, "8D-%s", r->arg),
	    arena_printf(r->a, "/8d/%s", r->arg));
}

/* POST /8d/{id}/submit: version, revision — the draft goes to the QA director. */
int
page_8d_submit(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, 1)) != KESU_OK)
		return abort_start(&t, rc);
	if (!sess_has(r, WRITES_8D))
		return abort_start(&t, KESU_EFORBIDDEN);
	rc = db_tx(app->db, submit_tx, &t);
	return finish(app, r, rs, &t, rc, "8d_submit");
}

/* ---- approve or return ---- */

static int
sign_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *d[ED_NDISC], *after;
	enum role req[AUTH_MAX_SIGNERS], next;
	struct db_res res, att, sig;
	struct ed e;
	char **v, hash[65];
	const char *mean, *state = NULL;
	unsigned done = 0;
	int rc, nreq, ret = strcmp(t->decision, "return") == 0;

	if ((rc = lock_latest(db, t, &e, &v, "submitted", t->revision)) != KESU_OK)
		return rc;
	if ((rc = required_signers(db, r->a, "8d_report", 0, severity_of(db, r->a, e.row[1]), req, &nreq)) != KESU_OK) {
		if (rc == KESU_EINPUT)
			errors_add(t->r, t->errors, "decision", "err_no_authority");
		return rc;
	}
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_ROLES, &sig, "ssi", "8d_report", r->arg, (int64_t)t->version)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < sig.nrows; i++)
		if (role_from_name(sig.rows[i][0]) != ROLE__MAX)
			done |= ROLE_BIT(role_from_name(sig.rows[i][0]));
	next = authority_next_signer(req, nreq, done);
	/* The matrix's next signer, never whoever submitted it. */
	if (next == ROLE__MAX || !authority_may_sign(r->sess->uid, r->sess->roles, v[13], next))
		return KESU_EFORBIDDEN;
	if ((rc = db_exec(db, r->a, STMT_8D_ATTACHMENT_LIST, &att, "s", r->arg)) != KESU_OK)
		return rc;
	parse_disciplines(v, d);
	version_hash(e.row, t->version, d, &att, hash);
	put_disciplines(d);
	mean = T(r, ret ? "meaning_8d_report_return" : "meaning_8d_report_approve");
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", e.row[1], "8d_report", r->arg,
	    (int64_t)t->version, r->sess->uid, r->sess->name, role_name(next), t->decision, mean,
	    t->comment != NULL ? t->comment : "", hash)) != KESU_OK)
		return rc;
	done |= ROLE_BIT(next);
	if (ret)
		state = "returned";
	else if (authority_next_signer(req, nreq, done) == ROLE__MAX)
		state = "approved";
	if (state != NULL) {
		const char *cm = ret ? json_object_to_json_string_ext(t->comments, JSON_C_TO_STRING_PLAIN) : NULL;
		if ((rc = db_exec(db, r->a, STMT_8D_VERSION_DECIDE, &res, "sss", state, cm, v[0])) != KESU_OK)
			return rc;
		if (res.affected != 1)
			return KESU_ECONFLICT;
		/* The first approval closes the 8D's last clock (and any still running). */
		if (!ret && (rc = db_exec(db, r->a, STMT_8D_SET_DONE, NULL, "iiiis", (int64_t)1, (int64_t)1,
		    (int64_t)1, (int64_t)1, r->arg)) != KESU_OK)
			return rc;
	}
	after = json_object_new_object();
	json_object_object_add(after, "version", json_object_new_int64(t->version));
	json_object_object_add(after, "decision", json_object_new_string(t->decision));
	json_object_object_add(after, "role", json_object_new_string(role_name(next)));
	json_object_object_add(after, "meaning", json_object_new_string(mean));
	json_object_object_add(after, "comment", json_object_new_string(t->comment ? t->comment : ""));
	if (ret)
		json_object_object_add(after, "comments", json_object_get(t->comments));
	json_object_object_add(after, "content_hash", json_object_new_string(hash));
	if (state != NULL)
		json_object_object_add(after, "state", json_object_new_string(state));
	return audit_8d(db, r, r->arg, ret ? "8d_return" : "8d_approve", after);
}

/*
 * POST /8d/{id}/sign: version, revision, decision (approve, return), comment, comment_d0 ..
 * comment_d8 (a return needs at least one comment), password.
 */
int
page_8d_sign(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc, any = 0;

	if ((rc = write_start(app, r, &t, 1)) != KESU_OK)
		return abort_start(&t, rc);
	t.decision = req_form(r, "decision");
	t.comment = req_form(r, "comment");
	t.comments = json_object_new_object();
	if (t.comment != NULL && !workflow_reason_blank(t.comment))
		any = 1;
	if (t.comment != NULL && strlen(t.comment) > COMMENT_MAX)
		errors_add(r, t.errors, "comment", "err_too_long");
	for (int i = 0; i < ED_NDISC; i++) {
		const char *k = arena_printf(r->a, "comment_%s", eightd_disciplines[i].code), *c = req_form(r, k);
		if (c == NULL || workflow_reason_blank(c))
			continue;
		if (strlen(c) > COMMENT_MAX)
			errors_add(r, t.errors, k, "err_too_long");
		json_object_object_add(t.comments, eightd_disciplines[i].code, json_object_new_string(c));
		any = 1;
	}
	if (t.decision == NULL || (strcmp(t.decision, "approve") != 0 && strcmp(t.decision, "return") != 0))
		errors_add(r, t.errors, "decision", "err_invalid_choice");
	else if (strcmp(t.decision, "return") == 0 && !any)
		errors_add(r, t.errors, "comment", "err_8d_return_comment");
	if (json_object_object_length(t.errors) > 0) {
		rc = KESU_EINPUT;
	} else {
		/* The signer types their password again: checked by a bind, before anything is written. */
		rc = password_recheck(app, r, req_form(r, "password"));
		if (rc == KESU_EAUTH) {
			LOG_INFO("8d %s: a signature refused, wrong password for %s", r->arg, r->sess->uid);
			errors_add(r, t.errors, "password", "err_signature_password");
			rc = KESU_EINPUT;
		} else if (rc == KESU_OK) {
			rc = db_tx(app->db, sign_tx, &t);
		}
	}
	json_object_put(t.comments);
	return finish(app, r, rs, &t, rc, t.decision != NULL && strcmp(t.decision, "return") == 0 ?
	    "8d_return" : "8d_approve");
}

/* ---- revise: a new version ---- */

static int
revise_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *after;
	struct ed e;
	char **v;
	int rc;

	if ((rc = lock_latest(db, t, &e, &v, "returned approved", -1)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_8D_VERSION_INSERT, NULL, "iisssssssssss", strtoll(r->arg, NULL, 10),
	    (int64_t)(t->version + 1), v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
	    r->sess->uid, r->sess->name)) != KESU_OK)
		return rc;
	t->version++;
	t->revision = 1;
	after = json_object_new_object();
	json_object_object_add(after, "from_version", json_object_new_int64(t->version - 1));
	json_object_object_add(after, "version", json_object_new_int64(t->version));
	return audit_8d(db, r, r->arg, "8d_revise", after);
}

/* POST /8d/{id}/revise: version — a returned or approved version copied into a new draft. */
int
page_8d_revise(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, 0)) != KESU_OK)
		return abort_start(&t, rc);
	if (!sess_has(r, WRITES_8D))
		return abort_start(&t, KESU_EFORBIDDEN);
	rc = db_tx(app->db, revise_tx, &t);
	return finish(app, r, rs, &t, rc, "8d_revise");
}

/* ---- link another complaint ---- */

static int
link_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *after;
	struct db_res res;
	struct ed e;
	char **v;
	int rc;

	if ((rc = lock_latest(db, t, &e, &v, "draft", -1)) != KESU_OK)
		return rc;
	/* Linking shows each covered complaint to the readers of the others: the engineer must
	 * see every complaint the 8D covers already (issue 7) ... */
	for (size_t i = 0; i < e.cs.nrows; i++)
		if ((rc = complaint_access(db, r, e.cs.rows[i][0])) == KESU_ENOTFOUND)
			return KESU_EFORBIDDEN;
		else if (rc != KESU_OK)
			return rc;
	/* ... and the one linked: only a product-quality complaint the engineer may see. */
	if ((rc = complaint_access(db, r, t->number)) == KESU_ENOTFOUND ||
	    (rc == KESU_OK && ((rc = db_exec(db, r->a, STMT_COMPLAINT_GET, &res, "s", t->number)) != KESU_OK ||
	    strcmp(res.rows[0][CC_CATEGORY], "product_quality") != 0))) {
		if (rc != KESU_OK && rc != KESU_ENOTFOUND)
			return rc;
		errors_add(t->r, t->errors, "number", "err_8d_link_number");
		return KESU_EINPUT;
	}
	if (rc != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_8D_LINK, NULL, "iss", strtoll(r->arg, NULL, 10), t->number,
	    r->sess->uid)) == KESU_ECONFLICT) {
		errors_add(t->r, t->errors, "number", "err_8d_link_twice");
		return KESU_EINPUT;
	}
	if (rc != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "number", json_object_new_string(t->number));
	return audit_8d(db, r, r->arg, "8d_link", after);
}

/* POST /8d/{id}/link: version, number — one 8D covers another complaint too. */
int
page_8d_link(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, 0)) != KESU_OK)
		return abort_start(&t, rc);
	if (!sess_has(r, WRITES_8D))
		return abort_start(&t, KESU_EFORBIDDEN);
	t.number = req_form(r, "number");
	if (!complaint_number_valid(t.number)) {
		errors_add(r, t.errors, "number", "err_8d_link_number");
		rc = KESU_EINPUT;
	} else {
		rc = db_tx(app->db, link_tx, &t);
	}
	return finish(app, r, rs, &t, rc, "8d_link");
}

/* ---- sent to the customer ---- */

static int
sent_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *after;
	struct ed e;
	int rc, approved = 0;

	if ((rc = ed_load(db, r, 1, &e)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < e.vs.nrows; i++)
		if (atol(e.vs.rows[i][1]) == t->version)
			approved = strcmp(e.vs.rows[i][2], "approved") == 0;
	/* Only an approved version leaves the company. */
	if (!approved)
		return KESU_ECONFLICT;
	if (!may_record_sent(r, &e))
		return KESU_EFORBIDDEN;
	if ((rc = db_exec(db, r->a, STMT_8D_SENT_INSERT, NULL, "sissss", r->arg, (int64_t)t->version, t->recipient,
	    t->note, r->sess->uid, r->sess->name)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "version", json_object_new_int64(t->version));
	json_object_object_add(after, "recipient", json_object_new_string(t->recipient));
	json_object_object_add(after, "note", json_object_new_string(t->note));
	return audit_8d(db, r, r->arg, "8d_sent", after);
}

/* POST /8d/{id}/sent: version, recipient, note — the owner records that it went to the customer. */
int
page_8d_sent(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, 0)) != KESU_OK)
		return abort_start(&t, rc);
	t.recipient = req_form(r, "recipient");
	t.note = req_form(r, "note") != NULL ? req_form(r, "note") : "";
	if (t.recipient == NULL || workflow_reason_blank(t.recipient))
		errors_add(r, t.errors, "recipient", "err_required");
	else if (strlen(t.recipient) > 200)
		errors_add(r, t.errors, "recipient", "err_too_long");
	if (strlen(t.note) > 500)
		errors_add(r, t.errors, "note", "err_too_long");
	rc = json_object_object_length(t.errors) > 0 ? KESU_EINPUT : db_tx(app->db, sent_tx, &t);
	return finish(app, r, rs, &t, rc, "8d_sent");
}

/* ---- attachments on a discipline ---- */

static int
attach_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct db_res res;
	struct ed e;
	char **v;
	int rc;

	if ((rc = lock_latest(db, t, &e, &v, "draft", -1)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < t->nfiles; i++) {
		struct json_object *after;
		if ((rc = db_exec(db, r->a, STMT_8D_ATTACHMENT_INSERT, NULL, "ssissssiis", e.row[1], t->hashes[i],
		    (int64_t)r->uploads[i].len, t->types[i], t->names[i], r->sess->uid, r->sess->name,
		    strtoll(r->arg, NULL, 10), (int64_t)t->version, eightd_disciplines[t->disc].code)) != KESU_OK)
			return rc;
		if ((rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
			return rc;
		after = json_object_new_object();
		json_object_object_add(after, "attachment_id", json_object_new_int64(strtoll(res.rows[0][0], NULL, 10)));
		json_object_object_add(after, "version", json_object_new_int64(t->version));
		json_object_object_add(after, "discipline", json_object_new_string(eightd_disciplines[t->disc].code));
		json_object_object_add(after, "filename", json_object_new_string(t->names[i]));
		json_object_object_add(after, "content_type", json_object_new_string(t->types[i]));
		json_object_object_add(after, "size", json_object_new_int64((int64_t)r->uploads[i].len));
		json_object_object_add(after, "sha256", json_object_new_string(t->hashes[i]));
		if ((rc = audit_8d(db, r, r->arg, "attachment_add", after)) != KESU_OK)
			return rc;
	}
	return KESU_OK;
}

/* POST /8d/{id}/attachments (multipart): version, discipline, file(s) — on the draft only. */
int
page_8d_attach(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, 0)) != KESU_OK)
		return abort_start(&t, rc);
	if (!sess_has(r, WRITES_8D))
		return abort_start(&t, KESU_EFORBIDDEN);
	if ((t.disc = eightd_discipline_index(req_form(r, "discipline"))) < 0)
		return abort_start(&t, KESU_EINPUT);
	if (r->nuploads > sizeof(t.names) / sizeof(t.names[0]))
		return abort_start(&t, KESU_ETOOBIG);
	if (r->nuploads == 0 || (r->nuploads == 1 && r->uploads[0].len == 0))
		errors_add(r, t.errors, "file", "err_file_required");
	for (size_t i = 0; i < r->nuploads && json_object_object_length(t.errors) == 0; i++) {
		const struct upload *u = &r->uploads[i];
		if (u->len > app->attach_max)
			return abort_start(&t, KESU_ETOOBIG);
		t.names[i] = attach_clean_name(r->a, u->filename);
		if (u->len == 0 || (t.types[i] = attach_sniff(u->data, u->len, t.names[i])) == NULL)
			errors_add(r, t.errors, "file", "err_file_type");
	}
	if (json_object_object_length(t.errors) > 0)
		return finish(app, r, rs, &t, KESU_EINPUT, "attachment_add");
	/* The bytes first, by their hash: a transaction that then fails leaves a file nothing names. */
	for (size_t i = 0; i < r->nuploads; i++)
		if (attach_store(app->attach_dir, r->uploads[i].data, r->uploads[i].len, t.hashes[i]) != 0)
			return abort_start(&t, KESU_EINTERNAL);
	t.nfiles = r->nuploads;
	rc = db_tx(app->db, attach_tx, &t);
	return finish(app, r, rs, &t, rc, "attachment_add");
}

/* ---- hold notices ---- */

static void
hold_hash(const char *id, const char *number, const char *reason, const char *const lines[][5], int n,
    char out[65])
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(o, "kind", json_object_new_string("hold_notice"));
	json_object_object_add(o, "eightd_id", json_object_new_int64(strtoll(id, NULL, 10)));
	json_object_object_add(o, "number", json_object_new_string(number));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	for (int i = 0; i < n; i++) {
		struct json_object *l = json_object_new_object();
		json_object_object_add(l, "location_kind", json_object_new_string(lines[i][0]));
		json_object_object_add(l, "location", json_object_new_string(lines[i][1]));
		json_object_object_add(l, "part_no", json_object_new_string(lines[i][2]));
		json_object_object_add(l, "lot", json_object_new_string(lines[i][3]));
		json_object_object_add(l, "quantity", json_object_new_int64(atoll(lines[i][4])));
		json_object_array_add(arr, l);
	}
	json_object_object_add(o, "lines", arr);
	authority_content_hash(o, out);
	json_object_put(o);
}

static int
hold_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *after;
	struct db_res res;
	struct ed e;
	char **v, hash[65];
	int64_t hid;
	int rc;

	if ((rc = lock_latest(db, t, &e, &v, "draft", -1)) != KESU_OK)
		return rc;
	hold_hash(r->arg, e.row[1], t->reason, (const char *const (*)[5])t->lines, t->nlines, hash);
	if ((rc = db_exec(db, r->a, STMT_HOLD_INSERT, NULL, "ssssss", r->arg, e.row[1], t->reason, r->sess->uid,
	    r->sess->name, hash)) != KESU_OK ||
	    (rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
		return rc;
	hid = strtoll(res.rows[0][0], NULL, 10);
	for (int i = 0; i < t->nlines; i++)
		if ((rc = db_exec(db, r->a, STMT_HOLD_LINE_INSERT, NULL, "iisssss", hid, (int64_t)(i + 1),
		    t->lines[i][0], t->lines[i][1], t->lines[i][2], t->lines[i][3], t->lines[i][4])) != KESU_OK)
			return rc;
	after = json_object_new_object();
	json_object_object_add(after, "hold_id", json_object_new_int64(hid));
	json_object_object_add(after, "lines", json_object_new_int(t->nlines));
	json_object_object_add(after, "content_hash", json_object_new_string(hash));
	return audit_8d(db, r, r->arg, "hold_issue", after);
}

/* The nth value of a repeated form field (or of a JSON array "lines" of objects). */
static const char *
nth(struct req *r, const char *key, int n)
{
	struct json_object *arr, *o, *f;
	int k = 0;

	if (r->json != NULL && json_object_object_get_ex(r->json, "lines", &arr) &&
	    json_object_is_type(arr, json_type_array))
		return (o = json_object_array_get_idx(arr, (size_t)n)) != NULL && json_object_object_get_ex(o, key, &f) ?
		    json_object_get_string(f) : NULL;
	for (size_t i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].key, key) == 0 && k++ == n)
			return r->form[i].val;
	return NULL;
}

/* POST /8d/{id}/hold: reason and lines (location_kind, location, part_no, lot, quantity). */
int
page_8d_hold(struct app *app, struct req *r, struct resp *rs)
{
	static const char *const cols[5] = { "location_kind", "location", "part_no", "lot", "quantity" };
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, 0)) != KESU_OK)
		return abort_start(&t, rc);
	if (!sess_has(r, WRITES_8D))
		return abort_start(&t, KESU_EFORBIDDEN);
	t.reason = req_form(r, "reason");
	if (t.reason == NULL || workflow_reason_blank(t.reason))
		errors_add(r, t.errors, "reason", "err_required");
	else if (strlen(t.reason) > COMMENT_MAX)
		errors_add(r, t.errors, "reason", "err_too_long");
	for (int i = 0; i < HOLD_ROWS + 1; i++) {
		const char *c[5];
		int empty = 1;
		for (int k = 0; k < 5; k++) {
			c[k] = nth(r, cols[k], i);
			if (c[k] == NULL)
				c[k] = "";
			empty &= workflow_reason_blank(c[k]);
		}
		if (empty)
			continue;   /* an empty row of the form */
		if (t.nlines == HOLD_ROWS || !str_in(location_kinds, c[0]) || workflow_reason_blank(c[1]) || workflow_reason_blank(c[2]) ||
		    strlen(c[1]) > 200 || strlen(c[2]) > 64 || strlen(c[3]) > 64 || !valid_digits(c[4], 9) || atol(c[4]) <= 0) {
			errors_add(r, t.errors, "lines", "err_hold_line");
			break;
		}
		memcpy(t.lines[t.nlines++], c, sizeof(c));
	}
	if (t.nlines == 0)
		errors_add(r, t.errors, "lines", "err_hold_line");
	rc = json_object_object_length(t.errors) > 0 ? KESU_EINPUT : db_tx(app->db, hold_tx, &t);
	return finish(app, r, rs, &t, rc, "hold_issue");
}

static int
release_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	struct json_object *after;
	enum role req[AUTH_MAX_SIGNERS], next;
	struct db_res res, sig;
	struct ed e;
	const char *mean = T(r, "meaning_hold_release_approve");
	unsigned done = 0;
	int rc, nreq;

	if ((rc = ed_load(db, r, 1, &e)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_HOLD_LOCK, &res, "ss", t->hold_id, r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	if (strcmp(res.rows[0][1], "on_hold") != 0)
		return KESU_ECONFLICT;
	if ((rc = required_signers(db, r->a, "hold_release", 0, severity_of(db, r->a, e.row[1]), req, &nreq)) != KESU_OK) {
		if (rc == KESU_EINPUT)
			errors_add(t->r, t->errors, "password", "err_no_authority");
		return rc;
	}
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_ROLES, &sig, "ssi", "hold_notice", t->hold_id, (int64_t)1)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < sig.nrows; i++)
		if (role_from_name(sig.rows[i][0]) != ROLE__MAX)
			done |= ROLE_BIT(role_from_name(sig.rows[i][0]));
	next = authority_next_signer(req, nreq, done);
	if (next == ROLE__MAX || !authority_may_sign(r->sess->uid, r->sess->roles, res.rows[0][2], next))
		return KESU_EFORBIDDEN;
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", e.row[1], "hold_notice", t->hold_id,
	    (int64_t)1, r->sess->uid, r->sess->name, role_name(next), "approve", mean,
	    t->comment != NULL ? t->comment : "", res.rows[0][3])) != KESU_OK)
		return rc;
	done |= ROLE_BIT(next);
	if (authority_next_signer(req, nreq, done) == ROLE__MAX &&
	    (rc = db_exec(db, r->a, STMT_HOLD_RELEASE, NULL, "s", t->hold_id)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "hold_id", json_object_new_int64(atoll(t->hold_id)));
	json_object_object_add(after, "role", json_object_new_string(role_name(next)));
	json_object_object_add(after, "meaning", json_object_new_string(mean));
	json_object_object_add(after, "comment", json_object_new_string(t->comment ? t->comment : ""));
	json_object_object_add(after, "content_hash", json_object_new_string(res.rows[0][3]));
	return audit_8d(db, r, r->arg, "hold_release", after);
}

/* POST /8d/{id}/hold/release: hold, comment, password — the held stock released, signed. */
int
page_8d_hold_release(struct app *app, struct req *r, struct resp *rs)
{
	struct ed_tx t;
	int rc;

	if ((rc = write_start(app, r, &t, -1)) != KESU_OK)
		return abort_start(&t, rc);
	t.hold_id = req_form(r, "hold");
	t.comment = req_form(r, "comment");
	if (!valid_digits(t.hold_id, 18))
		return abort_start(&t, KESU_EINPUT);
	if (t.comment != NULL && strlen(t.comment) > COMMENT_MAX)
		errors_add(r, t.errors, "comment", "err_too_long");
	if (json_object_object_length(t.errors) > 0) {
		rc = KESU_EINPUT;
	} else {
		rc = password_recheck(app, r, req_form(r, "password"));
		if (rc == KESU_EAUTH) {
			LOG_INFO("8d %s: a release refused, wrong password for %s", r->arg, r->sess->uid);
			errors_add(r, t.errors, "password", "err_signature_password");
			rc = KESU_EINPUT;
		} else if (rc == KESU_OK) {
			rc = db_tx(app->db, release_tx, &t);
		}
	}
	return finish(app, r, rs, &t, rc, "hold_release");
}

/* ---- the print view and the PDF ---- */

/* The print view's model: the approved version ?version=N (default: the latest approved). */
static int
print_view(struct app *app, struct req *r, struct json_object **out)
{
	struct json_object *v, *cur, *ap;
	const char *num;
	int rc;

	if ((rc = ed_view(app, r, &v)) != KESU_OK)
		return rc;
	/* Only an approved version is printed: a customer never receives a draft. */
	if (!json_object_object_get_ex(v, "current", &cur) || !json_object_object_get_ex(cur, "approved", &ap) ||
	    !json_object_get_boolean(ap)) {
		json_object_put(v);
		return KESU_ENOTFOUND;
	}
	/* A printed version carries its own signatures only: the page shows staff every version's,
	 * but a return of an earlier version does not belong on the document the customer gets. */
	{
		struct json_object *all, *mine = json_object_new_array();
		int vnum = json_object_get_int(json_object_object_get(cur, "version"));
		if (json_object_object_get_ex(v, "signatures", &all))
			for (size_t i = 0; i < json_object_array_length(all); i++) {
				struct json_object *s = json_object_array_get_idx(all, i);
				if (json_object_get_int(json_object_object_get(s, "version")) == vnum)
					json_object_array_add(mine, json_object_get(s));
			}
		json_object_object_add(v, "has_signatures", json_object_new_boolean(json_object_array_length(mine) > 0));
		json_object_object_add(v, "signatures", mine);
	}
	json_object_object_add(v, "company", jstr(conf_str(app->conf, "app.company_name", T(r, "company_name"))));
	/* Titled by its complaint's number, or by the 8D's id for a reader who may not see that one. */
	num = json_object_get_string(json_object_object_get(json_object_object_get(v, "eightd"), "number"));
	if (num == NULL)
		num = json_object_get_string(json_object_object_get(json_object_object_get(v, "eightd"), "id"));
	json_object_object_add(v, "print_title", jstr(arena_printf(r->a, "8D %s v%d", num,
	    json_object_get_int(json_object_object_get(cur, "version")))));
	*out = v;
	return KESU_OK;
}

/* ?version= defaults to the latest approved version for the print view and the PDF. */
static void
default_approved(struct app *app, struct req *r)
{
	struct ed e;

	if (req_query(r, "version") != NULL || ed_load(app->db, r, 0, &e) != KESU_OK)
		return;
	for (size_t i = e.vs.nrows; i-- > 0; )
		if (strcmp(e.vs.rows[i][2], "approved") == 0) {
			struct kv *q = arena_alloc(r->a, (r->nquery + 1) * sizeof(*q));
			if (r->nquery > 0)
				memcpy(q, r->query, r->nquery * sizeof(*q));
			q[r->nquery].key = "version";
			q[r->nquery].val = e.vs.rows[i][1];
			q[r->nquery].len = strlen(e.vs.rows[i][1]);
			r->query = q;
			r->nquery++;
			return;
		}
}

int
page_8d_print(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v;
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	default_approved(app, r);
	if ((rc = print_view(app, r, &v)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, 200, "eightd_print", v);
	return KESU_OK;
}

/* Write n bytes to path (0600); 0 or -1. */
static int
write_file(const char *path, const char *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ssize_t w = 0;

	if (fd < 0)
		return -1;
	while (n > 0 && (w = write(fd, p, n)) > 0) {
		p += w;
		n -= (size_t)w;
	}
	close(fd);
	return n == 0 ? 0 : -1;
}

/*
 * Chromium prints html (a file in a private directory) to pdf. It runs in its own process
 * group with no network (every host name resolves to nothing and there is no proxy to reach),
 * a profile in the same private directory, and a time limit after which the whole group is
 * killed. As root, Chromium refuses to start without --no-sandbox (its sandbox needs an
 * unprivileged user): the flag is added only then, and only for this local file of our own
 * HTML. 0 when the PDF was written.
 */
static int
run_chromium(const char *chromium, const char *dir, const char *html, const char *pdf, long timeout)
{
	char profile[512], out[600], url[600];
	pid_t pid;
	int status = 0;
	time_t end = time(NULL) + timeout;

	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(out, sizeof(out), "--print-to-pdf=%s", pdf);
	snprintf(url, sizeof(url), "file://%s", html);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		const char *argv[16];
		int n = 0, devnull = open("/dev/null", O_RDWR);
		setpgid(0, 0);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		argv[n++] = chromium;
		argv[n++] = "--headless";
		if (geteuid() == 0)
			argv[n++] = "--no-sandbox";
		argv[n++] = "--disable-gpu";
		argv[n++] = "--no-pdf-header-footer";
		argv[n++] = "--host-resolver-rules=MAP * ~NOTFOUND";
		argv[n++] = "--proxy-server=127.0.0.1:9";
		argv[n++] = "--disable-extensions";
		argv[n++] = "--no-first-run";
		argv[n++] = profile;
		argv[n++] = out;
		argv[n++] = url;
		argv[n] = NULL;
		setenv("HOME", dir, 1);
		execv(chromium, (char *const *)argv);
		_exit(127);
	}
	setpgid(pid, pid);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -1;
		if (time(NULL) >= end) {
			LOG_ERR("chromium did not print within %ld s: killed", timeout);
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(50000);
	}
	/* Its helpers may outlive it: the group goes with it. */
	kill(-pid, SIGKILL);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Remove the private directory and what Chromium left in it. */
static void
remove_tree(const char *dir)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/rm", "rm", "-rf", "--", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int
page_8d_pdf(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v, *t;
	struct buf html;
	char dir[256], hpath[300], ppath[300];
	const char *tmp = conf_str(app->conf, "pdf.tmpdir", "/tmp");
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if (r->sess == NULL)
		return KESU_EAUTH;
	default_approved(app, r);
	if ((rc = print_view(app, r, &v)) != KESU_OK)
		return rc;
	json_object_object_add(v, "pdf", json_object_new_boolean(1));
	/* The texts, as resp_page would add them. */
	t = json_object_get(i18n_table(r->lang));
	json_object_object_add(v, "t", t);
	buf_init(&html);
	rc = tmpl_render(app->tmpl, "eightd_print", v, &html);
	json_object_put(v);
	if (rc != 0) {
		buf_free(&html);
		return KESU_EINTERNAL;
	}
	snprintf(dir, sizeof(dir), "%s/kesu-pdf-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		LOG_ERR("mkdtemp in %s: %s", tmp, strerror(errno));
		buf_free(&html);
		return KESU_EINTERNAL;
	}
	snprintf(hpath, sizeof(hpath), "%s/8d.html", dir);
	snprintf(ppath, sizeof(ppath), "%s/8d.pdf", dir);
	rc = write_file(hpath, html.p, html.len);
	buf_free(&html);
	if (rc == 0)
		rc = run_chromium(conf_str(app->conf, "pdf.chromium", "/usr/bin/chromium"), dir, hpath, ppath,
		    conf_int(app->conf, "pdf.timeout", 30));
	if (rc == 0) {
		FILE *f = fopen(ppath, "rb");
		long n;
		if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 4 && fseek(f, 0, SEEK_SET) == 0) {
			data = arena_alloc(r->a, (size_t)n);
			len = fread(data, 1, (size_t)n, f) == (size_t)n ? (size_t)n : 0;
		}
		if (f != NULL)
			fclose(f);
	}
	remove_tree(dir);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0) {
		LOG_ERR("8d %s: no PDF came out of chromium", r->arg);
		return KESU_EINTERNAL;
	}
	rs->status = 200;
	rs->ctype = "application/pdf";
	resp_header(rs, "Content-Disposition", attach_disposition(r->a, arena_printf(r->a, "8D-%s-v%s.pdf",
	    r->arg, req_query(r, "version"))));
	resp_header(rs, "Cache-Control", "no-store");
	buf_append(&rs->body, (const char *)data, len);
	return KESU_OK;
}

/* ---- on the complaint's page, and in "my work" ---- */

int
eightd_complaint_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const char *category, int any)
{
	struct json_object *arr = json_object_new_array();
	struct db_res res;
	int rc, drafts = sess_has(r, SEES_DRAFTS);

	memset(&res, 0, sizeof(res));
	if (any && (rc = db_exec(app->db, r->a, STMT_8D_FOR_COMPLAINT, &res, "s", number)) != KESU_OK) {
		json_object_put(arr);
		return rc;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		struct json_object *o;
		/* Before approval an 8D is the quality engineers' and the QA director's. */
		if (!drafts && c[5] == NULL)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(atoll(c[0])));
		json_object_object_add(o, "url", jstr(arena_printf(r->a, "/8d/%s", c[0])));
		json_object_object_add(o, "title", jstr(c[1]));
		json_object_object_add(o, "owner_name", jstr(c[2]));
		json_object_object_add(o, "version", json_object_new_int(drafts ? atoi(c[3]) : atoi(c[5])));
		json_object_object_add(o, "state", jstr(drafts ? c[4] : "approved"));
		json_object_object_add(o, "state_label", jstr(tk(r, "ed_state_", drafts ? c[4] : "approved")));
		json_object_array_add(arr, o);
	}
	json_object_object_add(v, "has_eightds", json_object_new_boolean(json_object_array_length(arr) > 0));
	json_object_object_add(v, "eightds", arr);
	json_object_object_add(v, "can_open_8d", json_object_new_boolean(sess_has(r, WRITES_8D) &&
	    strcmp(category, "product_quality") == 0));
	return KESU_OK;
}

static int
work_8d(struct app *app, struct req *r, struct json_object *lists, const char *key, enum stmt id, const char *param)
{
	struct json_object *rows = json_object_new_array();
	struct db_res res;
	char now[32];
	int rc = param != NULL ? db_exec(app->db, r->a, id, &res, "s", param) : db_exec(app->db, r->a, id, &res, "");

	if (rc != KESU_OK) {
		json_object_put(rows);
		return rc;
	}
	utc_now(now);
	/* d.id, d.number, d.title, d.owner_name, v.version, v.state, v.updated_at, d.d8_due */
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		struct json_object *o;
		struct req probe = *r;
		probe.arg = c[0];
		{
			struct ed e;
			if (ed_load(app->db, &probe, 0, &e) != KESU_OK)
				continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "number", jstr(arena_printf(r->a, "8D #%s · %s", c[0], c[1])));
		json_object_object_add(o, "url", jstr(arena_printf(r->a, "/8d/%s", c[0])));
		json_object_object_add(o, "received_at", jstr(view_local_time(app, r->a, c[6])));
		json_object_object_add(o, "customer_name", jstr(c[2]));
		json_object_object_add(o, "severity", json_object_new_int(0));
		json_object_object_add(o, "severity_label", jstr(arena_printf(r->a, "v%s", c[4])));
		json_object_object_add(o, "status_label", jstr(tk(r, "ed_state_", c[5])));
		json_object_object_add(o, "owner_name", jstr(c[3]));
		json_object_object_add(o, "overdue", json_object_new_boolean(c[7] != NULL && strcmp(c[7], now) < 0));
		/* the 8D's own columns in "My work" (the keys above stay for older clients) */
		json_object_object_add(o, "eightd_id", json_object_new_int64(atoll(c[0])));
		json_object_object_add(o, "complaint_number", jstr(c[1]));
		json_object_object_add(o, "title", jstr(c[2]));
		json_object_object_add(o, "version", json_object_new_int(atoi(c[4])));
		json_object_object_add(o, "updated_at", jstr(view_local_time(app, r->a, c[6])));
		json_object_object_add(o, "d8_due", c[7] ? jstr(view_local_time(app, r->a, c[7])) : NULL);
		json_object_array_add(rows, o);
	}
	work_list_add(r, lists, key, rows);
	return KESU_OK;
}

int
eightd_work(struct app *app, struct req *r, struct json_object *lists)
{
	int rc = KESU_OK;

	if (sess_has(r, ROLE_BIT(ROLE_QA_DIRECTOR)))
		rc = work_8d(app, r, lists, "8d_to_approve", STMT_WORK_8D_SUBMITTED, NULL);
	if (rc == KESU_OK && sess_has(r, WRITES_8D))
		rc = work_8d(app, r, lists, "8d_to_write", STMT_WORK_8D_OWNED, r->sess->uid);
	return rc;
}
