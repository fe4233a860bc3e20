/* view_8d.c: the 8D page's view model, its print view's, its section on the complaint page and My work's 8Ds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "attach.h"
#include "authority.h"
#include "clock.h"
#include "ed.h"
#include "i18n.h"
#include "access.h"
#include "sign.h"
#include "work.h"
#include "sections.h"
#include "sla.h"
#include "valid.h"
#include "view_8d.h"
#include "whose.h"
#include "workflow.h"

static const char *
tk(const struct req *r, const char *prefix, const char *arg)
{
	return T(r, arena_printf(r->a, "%s%s", prefix, arg));
}

/* One field as shown (read) and, when form, as an input of the discipline's form. */
static struct json_object *
field_json(struct req *r, const struct ed_discipline *dd, const struct ed_field *f, struct json_object *disc,
    int form, struct json_object *errors)
{
	struct json_object *o = json_object_new_object(), *e;
	const char *name = arena_printf(r->a, "%s_%s", dd->code, f->name);

	JADD(o, "name", jstr(name));
	JADD(o, "label", jstr(tk(r, "ed_", name)));
	JADD(o, "required", json_object_new_boolean(f->required));
	if (errors != NULL && json_object_object_get_ex(errors, name, &e)) {
		JADD(o, "error", json_object_get(e));
		/* The browser lands on the first wrong field, in the page's order (errors are
		 * added discipline by discipline, field by field). */
		json_object_object_foreach(errors, first, unused) {
			(void)unused;
			if (strcmp(first, name) == 0)
				JADD(o, "autofocus", json_object_new_boolean(1));
			break;
		}
	}
	if (f->kind != ED_LIST) {
		const char *v = sget(disc, f->name);
		JADD(o, "value", jstr(v));
		JADD(o, "text", jstr(f->kind == ED_CHOICE && *v ? tk(r, "ed_choice_", v) : v));
		if (!form)
			return o;
		JADD(o, "is_textarea", json_object_new_boolean(f->kind == ED_TEXT));
		JADD(o, "is_select", json_object_new_boolean(f->kind == ED_CHOICE));
		JADD(o, "is_input", json_object_new_boolean(f->kind == ED_DATE || f->kind == ED_INT));
		JADD(o, "type", jstr(f->kind == ED_DATE ? "date" : "text"));
		JADD(o, "maxlength", json_object_new_int(f->kind == ED_INT ? 9 : ED_TEXT_MAX));
		if (f->kind == ED_CHOICE)
			JADD(o, "options", view_options(r, "ed_choice", f->choices, v));
		/* The form does not insist: a draft may be saved half-filled (submission checks). */
		JADD(o, "required", json_object_new_boolean(0));
		return o;
	}
	{
		struct json_object *heads = json_object_new_array(), *rows = json_object_new_array(), *v = NULL;
		size_t n;
		JADD(o, "is_list", json_object_new_boolean(1));
		for (int c = 0; c < f->ncols; c++)
			json_object_array_add(heads, jstr(tk(r, "ed_col_", f->cols[c].name)));
		JADD(o, "heads", heads);
		if (disc != NULL)
			json_object_object_get_ex(disc, f->name, &v);
		n = v != NULL && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
		/* The rows there are, and on the form two empty ones to add (up to the maximum). */
		for (size_t k = 0; k < (form ? (n + 2 > ED_MAX_ROWS ? ED_MAX_ROWS : n + 2) : n); k++) {
			struct json_object *row = k < n ? json_object_array_get_idx(v, k) : NULL, *cells = json_object_new_array();
			for (int c = 0; c < f->ncols; c++) {
				struct json_object *cell = json_object_new_object();
				const char *val = sget(row, f->cols[c].name);
				JADD(cell, "name", jstr(arena_printf(r->a, "%s_%s", name, f->cols[c].name)));
				JADD(cell, "value", jstr(val));
				JADD(cell, "text", jstr(f->cols[c].choices != NULL && *val ?
				    tk(r, "ed_choice_", val) : val));
				JADD(cell, "label", jstr(tk(r, "ed_col_", f->cols[c].name)));
				if (f->cols[c].choices != NULL) {
					JADD(cell, "is_select", json_object_new_boolean(1));
					JADD(cell, "options", view_options(r, "ed_choice", f->cols[c].choices, val));
				}
				json_object_array_add(cells, cell);
			}
			json_object_array_add(rows, cells);
		}
		JADD(o, "rows", rows);
		JADD(o, "has_rows", json_object_new_boolean(json_object_array_length(rows) > 0));
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
		JADD(x, "before", jstr(value_label(r, f->choices, sget(x, "before"))));
		JADD(x, "after", jstr(value_label(r, f->choices, sget(x, "after"))));
	}
	if (!json_object_object_get_ex(x, "cells", &cells))
		return;
	JADD(x, "is_list", json_object_new_boolean(1));
	for (size_t i = 0; i < json_object_array_length(cells); i++) {
		struct json_object *c = json_object_array_get_idx(cells, i);
		const char *col = sget(c, "column");
		for (int k = 0; k < f->ncols; k++)
			if (strcmp(f->cols[k].name, col) == 0) {
				JADD(c, "column_label", jstr(tk(r, "ed_col_", col)));
				JADD(c, "before", jstr(value_label(r, f->cols[k].choices, sget(c, "before"))));
				JADD(c, "after", jstr(value_label(r, f->cols[k].choices, sget(c, "after"))));
			}
	}
}

/* A signature as signatures.mustache shows it (a STMT_8D_SIGNATURES row): the shared form
 * (page_plans.c) with the entity and the 8D version it was given on. */
static struct json_object *
eightd_signature_json(struct app *app, struct req *r, char **s, const char *current_hash)
{
	struct json_object *o = signature_json(app, r, s, current_hash);

	JADD(o, "entity", jstr(s[0]));
	JADD(o, "version", json_object_new_int(atoi(s[2])));
	return o;
}

static struct json_object *
attachment_json(struct app *app, struct req *r, char **c)
{
	struct json_object *o = json_object_new_object();

	JADD(o, "id", json_object_new_int64(strtoll(c[0], NULL, 10)));
	JADD(o, "url", jstr(arena_printf(r->a, "/attachments/%s", c[0])));
	JADD(o, "sha256", jstr(c[1]));
	JADD(o, "size", json_object_new_int64(strtoll(c[2], NULL, 10)));
	JADD(o, "size_text", jstr(arena_printf(r->a, "%lld KB", (strtoll(c[2], NULL, 10) + 1023) / 1024)));
	JADD(o, "content_type", jstr(c[3]));
	JADD(o, "filename", jstr(c[4]));
	JADD(o, "uploaded_name", jstr(c[5]));
	JADD(o, "uploaded_at", jstr(view_local_time(app, r->a, c[6])));
	JADD(o, "version", json_object_new_int(atoi(c[7])));
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
	JADD(o, "step", jstr(step));
	JADD(o, "label", jstr(tk(r, "step_", step)));
	JADD(o, "start", jstr(view_local_time(app, r->a, start)));
	JADD(o, "deadline", jstr(view_local_time(app, r->a, due)));
	JADD(o, "stopped", done != NULL ? jstr(view_local_time(app, r->a, done)) : NULL);
	JADD(o, "percent", json_object_new_int64(pct));
	JADD(o, "bar", json_object_new_int64(pct < 0 ? 0 : pct > 100 ? 100 : pct));
	JADD(o, "state", jstr(state));
	JADD(o, "state_label", jstr(tk(r, "clock_state_", state)));
	JADD(o, "late", json_object_new_boolean(strcmp(state, "late") == 0 ||
	    strcmp(state, "overdue") == 0));
	return o;
}

/* The hold notices with their lines and release signatures. */
static struct json_object *
holds_json(struct app *app, struct req *r, const struct ed *e, const struct db_res *sigs, int can_release)
{
	struct json_object *arr = json_object_new_array();
	struct db_res hs, ls;

	if (db_exec(app->db, r->a, STMT_HOLD_LIST, &hs, "s", e->row[ED_ID]) != KESU_OK ||
	    db_exec(app->db, r->a, STMT_HOLD_LINES, &ls, "s", e->row[ED_ID]) != KESU_OK)
		return arr;
	for (size_t i = 0; i < hs.nrows; i++) {
		char **h = hs.rows[i];
		struct json_object *o = json_object_new_object(), *lines = json_object_new_array(), *sa = json_object_new_array();
		JADD(o, "id", json_object_new_int64(strtoll(h[0], NULL, 10)));
		JADD(o, "state", jstr(h[1]));
		JADD(o, "state_label", jstr(tk(r, "hold_state_", h[1])));
		JADD(o, "reason", jstr(h[2]));
		JADD(o, "issued_name", jstr(h[4]));
		JADD(o, "issued_at", jstr(view_local_time(app, r->a, h[5])));
		JADD(o, "released_at", h[6] ? jstr(view_local_time(app, r->a, h[6])) : NULL);
		JADD(o, "content_hash", jstr(h[7]));
		for (size_t k = 0; k < ls.nrows; k++) {
			char **l = ls.rows[k];
			struct json_object *lo;
			if (strcmp(l[0], h[0]) != 0)
				continue;
			lo = json_object_new_object();
			JADD(lo, "line", json_object_new_int(atoi(l[1])));
			JADD(lo, "location_kind", jstr(l[2]));
			JADD(lo, "location_kind_label", jstr(tk(r, "hold_location_", l[2])));
			JADD(lo, "location", jstr(l[3]));
			JADD(lo, "part_no", jstr(l[4]));
			JADD(lo, "lot", jstr(l[5]));
			JADD(lo, "quantity", json_object_new_int64(strtoll(l[6], NULL, 10)));
			json_object_array_add(lines, lo);
		}
		JADD(o, "lines", lines);
		for (size_t k = 0; k < sigs->nrows; k++)
			if (strcmp(sigs->rows[k][SG_ENTITY], "hold_notice") == 0 && strcmp(sigs->rows[k][SG_ENTITY_ID], h[0]) == 0)
				json_object_array_add(sa, eightd_signature_json(app, r, sigs->rows[k], h[7]));
		JADD(o, "has_signatures", json_object_new_boolean(json_object_array_length(sa) > 0));
		JADD(o, "signatures", sa);
		JADD(o, "can_release", json_object_new_boolean(can_release &&
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
int
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
	vnum = atol(cur[EV_VERSION]);
	if ((rc = db_exec(app->db, r->a, STMT_8D_SIGNATURES, &sigs, "ss", e.row[ED_ID], e.row[ED_ID])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_8D_ATTACHMENT_LIST, &att, "s", e.row[ED_ID])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_8D_SENT_LIST, &sent, "s", e.row[ED_ID])) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_AUDIT_FOR_ENTITY, &hist, "ss", "8d_report", e.row[ED_ID])) != KESU_OK)
		return rc;
	parse_disciplines(cur, d);
	version_hash(e.row, vnum, d, &att, hash);
	editable = latest_is_cur && strcmp(cur[EV_STATE], "draft") == 0 && sess_has(r, WRITES_8D);
	if (cur[EV_COMMENTS] != NULL)
		comments = json_tokener_parse(cur[EV_COMMENTS]);
	/* A draft that revises a returned version shows the director's comments of that version,
	 * beside the disciplines they concern, until it is submitted. */
	if (comments == NULL && strcmp(cur[EV_STATE], "draft") == 0 && vnum > 1)
		for (size_t i = 0; i < e.vs.nrows; i++)
			if (atol(e.vs.rows[i][EV_VERSION]) == vnum - 1 && strcmp(e.vs.rows[i][EV_STATE], "returned") == 0 &&
			    e.vs.rows[i][EV_COMMENTS] != NULL) {
				comments = json_tokener_parse(e.vs.rows[i][EV_COMMENTS]);
				returned_from = vnum - 1;
			}
	if (latest_is_cur && strcmp(cur[EV_STATE], "submitted") == 0) {
		unsigned done = 0;
		enum role next;
		chain_pending = 1;
		if (required_signers(app->db, r->a, "8d_report", 0, severity_of(app->db, r->a, e.row[ED_NUMBER]), req, &nreq) != KESU_OK)
			nreq = 0;
		for (size_t i = 0; i < sigs.nrows; i++)
			if (strcmp(sigs.rows[i][SG_ENTITY], "8d_report") == 0 && atol(sigs.rows[i][SG_REVISION]) == vnum &&
			    strcmp(sigs.rows[i][SG_DECISION], "approve") == 0 && role_from_name(sigs.rows[i][SG_ROLE]) != ROLE__MAX)
				done |= ROLE_BIT(role_from_name(sigs.rows[i][SG_ROLE]));
		next = authority_next_signer(req, nreq, done);
		signable = next != ROLE__MAX && authority_may_sign(r->sess->uid, r->sess->roles, cur[EV_SUBMITTED_BY], next);
		chain_done = done;
	}

	v = view_new(app, r);
	o = json_object_new_object();
	JADD(o, "id", json_object_new_int64(strtoll(e.row[ED_ID], NULL, 10)));
	/* The complaint it was opened for, only to those who may see that complaint (issue 7):
	 * a reader who reaches the 8D through another covered complaint learns nothing of it. */
	JADD(o, "number", complaint_access(app->db, r, e.row[ED_NUMBER]) == KESU_OK ?
	    jstr(e.row[ED_NUMBER]) : NULL);
	JADD(o, "title", jstr(e.row[ED_TITLE]));
	JADD(o, "owner_uid", jstr(e.row[ED_OWNER_UID]));
	JADD(o, "owner_name", jstr(e.row[ED_OWNER_NAME]));
	JADD(o, "opened_at", jstr(view_local_time(app, r->a, e.row[ED_OPENED_AT])));
	JADD(o, "part_received_at", jstr(view_local_time(app, r->a, e.row[ED_PART_RECEIVED_AT])));
	JADD(o, "url", jstr(arena_printf(r->a, "/8d/%s", e.row[ED_ID])));
	JADD(v, "eightd", o);
	{
		struct json_object *cs = json_object_new_array();
		for (size_t i = 0; i < e.cs.nrows; i++) {
			struct json_object *c;
			/* Linked complaints the reader may not see leave no trace, not even the number;
			 * on any error the row is left out too (closed by default). */
			if (complaint_access(app->db, r, e.cs.rows[i][EC_NUMBER]) != KESU_OK)
				continue;
			c = json_object_new_object();
			JADD(c, "number", jstr(e.cs.rows[i][EC_NUMBER]));
			JADD(c, "url", jstr(arena_printf(r->a, "/complaints/%s", e.cs.rows[i][EC_NUMBER])));
			JADD(c, "customer_name", jstr(e.cs.rows[i][EC_CUSTOMER_NAME]));
			JADD(c, "status_label", jstr(view_label(r, "status", e.cs.rows[i][EC_STATUS])));
			JADD(c, "part_no", jstr(e.cs.rows[i][EC_PART_NO]));
			JADD(c, "lot", jstr(e.cs.rows[i][EC_LOT]));
			json_object_array_add(cs, c);
		}
		JADD(v, "complaints", cs);
	}
	/* The version shown. */
	o = json_object_new_object();
	JADD(o, "version", json_object_new_int64(vnum));
	JADD(o, "state", jstr(cur[EV_STATE]));
	JADD(o, "state_label", jstr(tk(r, "ed_state_", cur[EV_STATE])));
	JADD(o, "revision", json_object_new_int64(atol(cur[EV_REVISION])));
	JADD(o, "author_name", jstr(cur[EV_AUTHOR_NAME]));
	JADD(o, "updated_at", jstr(view_local_time(app, r->a, cur[EV_UPDATED_AT])));
	JADD(o, "decided_at", cur[EV_DECIDED_AT] ? jstr(view_local_time(app, r->a, cur[EV_DECIDED_AT])) : NULL);
	JADD(o, "content_hash", jstr(hash));
	JADD(o, "hash_short", jstr(arena_strndup(r->a, hash, 12)));
	JADD(o, "is_latest", json_object_new_boolean(latest_is_cur));
	JADD(o, "approved", json_object_new_boolean(strcmp(cur[EV_STATE], "approved") == 0));
	JADD(o, "print_url", jstr(arena_printf(r->a, "/8d/%s/print?version=%ld", e.row[ED_ID], vnum)));
	JADD(o, "pdf_url", jstr(arena_printf(r->a, "/8d/%s/pdf?version=%ld", e.row[ED_ID], vnum)));
	JADD(v, "current", o);

	discs = json_object_new_array();
	for (int i = 0; i < ED_NDISC; i++) {
		const struct ed_discipline *dd = &eightd_disciplines[i];
		struct json_object *x = json_object_new_object(), *fs = json_object_new_array(), *files = json_object_new_array();
		struct json_object *src = d[i], *cm;
		JADD(x, "code", jstr(dd->code));
		JADD(x, "title", jstr(tk(r, "ed_title_", dd->code)));
		JADD(x, "complete", json_object_new_boolean(eightd_discipline_complete(i, d[i])));
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
			JADD(x, "state", jstr(state));
			JADD(x, "state_label", jstr(tk(r, "ed_disc_state_", state)));
			JADD(x, "returned_from", returned_from > 0 ?
			    json_object_new_int64(returned_from) : NULL);
		}
		for (int k = 0; k < dd->nfields; k++)
			json_object_array_add(fs, field_json(r, dd, &dd->fields[k], src, editable, NULL));
		JADD(x, "fields", fs);
		if (comments != NULL && json_object_object_get_ex(comments, dd->code, &cm) &&
		    *json_object_get_string(cm) != '\0')
			JADD(x, "return_comment", json_object_get(cm));
		for (size_t k = 0; k < att.nrows; k++)
			if (strcmp(att.rows[k][8], dd->code) == 0 && atol(att.rows[k][7]) <= vnum)
				json_object_array_add(files, attachment_json(app, r, att.rows[k]));
		JADD(x, "has_attachments", json_object_new_boolean(json_object_array_length(files) > 0));
		JADD(x, "attachments", files);
		JADD(x, "editable", json_object_new_boolean(editable));
		JADD(x, "is_d3", json_object_new_boolean(i == 3));
		json_object_array_add(discs, x);
	}
	JADD(v, "disciplines", discs);
	json_object_put(comments);

	/* What changed since the version before the one shown. */
	if (vnum > 1) {
		char **p = NULL;
		for (size_t i = 0; i < e.vs.nrows; i++)
			if (atol(e.vs.rows[i][EV_VERSION]) == vnum - 1)
				p = e.vs.rows[i];
		if (p != NULL && (e.drafts || strcmp(p[2], "approved") == 0)) {
			struct json_object *diff;
			parse_disciplines(p, prev);
			diff = eightd_diff(r->a, prev, d);
			for (size_t i = 0; i < json_object_array_length(diff); i++) {
				struct json_object *x = json_object_array_get_idx(diff, i);
				const char *dc = sget(x, "discipline"), *fd = sget(x, "field");
				JADD(x, "discipline_title", jstr(tk(r, "ed_title_", dc)));
				JADD(x, "field_label", jstr(tk(r, "ed_", arena_printf(r->a, "%s_%s", dc, fd))));
				diff_labels(r, x, eightd_discipline_index(dc), fd);
			}
			JADD(v, "diff_from", json_object_new_int64(vnum - 1));
			JADD(v, "has_diff", json_object_new_boolean(1));
			JADD(v, "diff_empty", json_object_new_boolean(json_object_array_length(diff) == 0));
			JADD(v, "diff", diff);
			put_disciplines(prev);
		}
	}
	vers = json_object_new_array();
	for (size_t i = 0; i < e.vs.nrows; i++) {
		char **x = e.vs.rows[i];
		struct json_object *vo;
		if (!e.drafts && strcmp(x[EV_STATE], "approved") != 0)
			continue;
		vo = json_object_new_object();
		JADD(vo, "version", json_object_new_int64(atol(x[EV_VERSION])));
		JADD(vo, "state_label", jstr(tk(r, "ed_state_", x[EV_STATE])));
		JADD(vo, "url", jstr(arena_printf(r->a, "/8d/%s?version=%s", e.row[ED_ID], x[EV_VERSION])));
		JADD(vo, "shown", json_object_new_boolean(x == cur));
		json_object_array_add(vers, vo);
	}
	JADD(v, "versions", vers);

	sarr = json_object_new_array();
	for (size_t i = 0; i < sigs.nrows; i++)
		if (strcmp(sigs.rows[i][SG_ENTITY], "8d_report") == 0 && (e.drafts || atol(sigs.rows[i][SG_REVISION]) == vnum))
			json_object_array_add(sarr, eightd_signature_json(app, r, sigs.rows[i],
			    atol(sigs.rows[i][SG_REVISION]) == vnum ? hash : NULL));
	JADD(v, "has_signatures", json_object_new_boolean(json_object_array_length(sarr) > 0));
	JADD(v, "signatures", sarr);
	/* A submitted version: its signing chain, with the names of who can sign (whose.c). */
	if (chain_pending && nreq > 0) {
		JADD(v, "chain", whose_chain(app, r, req, nreq, chain_done, 1, sarr, NULL, NULL));
		JADD(v, "has_chain", json_object_new_boolean(1));
	}

	/* Clocks: D3 in hours, the initial analysis from the part's arrival, the rest from opening. */
	{
		struct json_object *ks = json_object_new_array();
		json_object_array_add(ks, clock_json(app, r, "8d_d3", e.row[ED_OPENED_AT], e.row[ED_D3_DUE], e.row[ED_D3_DONE_AT], now));
		json_object_array_add(ks, clock_json(app, r, "8d_d4", e.row[ED_PART_RECEIVED_AT], e.row[ED_D4_DUE], e.row[ED_D4_DONE_AT], now));
		json_object_array_add(ks, clock_json(app, r, "8d_d7", e.row[ED_OPENED_AT], e.row[ED_D7_DUE], e.row[ED_D7_DONE_AT], now));
		json_object_array_add(ks, clock_json(app, r, "8d_d8", e.row[ED_OPENED_AT], e.row[ED_D8_DUE], e.row[ED_D8_DONE_AT], now));
		JADD(v, "clocks", ks);
	}
	parts_done(d, &d3, &d4, &d7);
	JADD(v, "ready_to_submit", json_object_new_boolean(d4 && d7));
	put_disciplines(d);

	/* What the reader may do now. */
	JADD(v, "editable", json_object_new_boolean(editable));
	/* One form saves every discipline: its inputs sit in the sections and name it. */
	if (editable)
		JADD(v, "form_owner", jstr("eightd-form"));
	JADD(v, "can_submit", json_object_new_boolean(editable));
	JADD(v, "signable", json_object_new_boolean(signable));
	if (signable)
		JADD(v, "sign_meaning", jstr(T(r, "meaning_8d_report_approve")));
	JADD(v, "can_revise", json_object_new_boolean(latest_is_cur && sess_has(r, WRITES_8D) &&
	    (strcmp(cur[EV_STATE], "returned") == 0 || strcmp(cur[EV_STATE], "approved") == 0)));
	JADD(v, "can_record_sent", json_object_new_boolean(strcmp(cur[EV_STATE], "approved") == 0 &&
	    may_record_sent(r, &e)));
	JADD(v, "attach_accept", jstr(ACCEPT_TYPES));
	{
		struct json_object *ss = json_object_new_array();
		for (size_t i = 0; i < sent.nrows; i++) {
			struct json_object *x = json_object_new_object();
			JADD(x, "version", json_object_new_int(atoi(sent.rows[i][0])));
			JADD(x, "recipient", jstr(sent.rows[i][1]));
			JADD(x, "note", jstr(sent.rows[i][2]));
			JADD(x, "sent_name", jstr(sent.rows[i][3]));
			JADD(x, "sent_at", jstr(view_local_time(app, r->a, sent.rows[i][4])));
			json_object_array_add(ss, x);
		}
		JADD(v, "has_sent", json_object_new_boolean(sent.nrows > 0));
		JADD(v, "sent", ss);
	}
	{
		struct json_object *holds = holds_json(app, r, &e, &sigs, sess_has(r, ROLE_BIT(ROLE_QA_DIRECTOR) |
		    ROLE_BIT(ROLE_QUALITY_ENGINEER)));
		struct json_object *rows = json_object_new_array();
		JADD(v, "has_holds", json_object_new_boolean(json_object_array_length(holds) > 0));
		JADD(v, "holds", holds);
		JADD(v, "can_hold", json_object_new_boolean(strcmp(latest[2], "draft") == 0 &&
		    sess_has(r, WRITES_8D)));
		for (int i = 0; i < HOLD_ROWS; i++) {
			struct json_object *x = json_object_new_object();
			JADD(x, "line", json_object_new_int(i + 1));
			JADD(x, "kinds", view_options(r, "hold_location", location_kinds, NULL));
			json_object_array_add(rows, x);
		}
		JADD(v, "hold_rows", rows);
	}
	{
		struct json_object *h = json_object_new_array();
		for (size_t i = 0; i < hist.nrows; i++) {
			struct json_object *x = json_object_new_object();
			JADD(x, "at", jstr(view_local_time(app, r->a, hist.rows[i][1])));
			JADD(x, "actor_name", jstr(hist.rows[i][3]));
			JADD(x, "action", jstr(hist.rows[i][5]));
			JADD(x, "action_label", jstr(view_label(r, "action", hist.rows[i][5])));
			json_object_array_add(h, x);
		}
		JADD(v, "history", h);
	}
	view_done_notice(r, v);
	*out = v;
	return KESU_OK;
}


/* ---- the print view ---- */

/* The print view's model: the approved version ?version=N (default: the latest approved). */
int
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
		JADD(v, "has_signatures", json_object_new_boolean(json_object_array_length(mine) > 0));
		JADD(v, "signatures", mine);
	}
	JADD(v, "company", jstr(conf_str(app->conf, "app.company_name", T(r, "company_name"))));
	/* Titled by its complaint's number, or by the 8D's id for a reader who may not see that one. */
	num = json_object_get_string(json_object_object_get(json_object_object_get(v, "eightd"), "number"));
	if (num == NULL)
		num = json_object_get_string(json_object_object_get(json_object_object_get(v, "eightd"), "id"));
	JADD(v, "print_title", jstr(arena_printf(r->a, "8D %s v%d", num,
	    json_object_get_int(json_object_object_get(cur, "version")))));
	*out = v;
	return KESU_OK;
}

/* ?version= defaults to the latest approved version for the print view and the PDF. */
void
default_approved(struct app *app, struct req *r)
{
	struct ed e;

	if (req_query(r, "version") != NULL || ed_load(app->db, r, 0, &e) != KESU_OK)
		return;
	for (size_t i = e.vs.nrows; i-- > 0; )
		if (strcmp(e.vs.rows[i][EV_STATE], "approved") == 0) {
			struct kv *q = arena_alloc(r->a, (r->nquery + 1) * sizeof(*q));
			if (r->nquery > 0)
				memcpy(q, r->query, r->nquery * sizeof(*q));
			q[r->nquery].key = "version";
			q[r->nquery].val = e.vs.rows[i][EV_VERSION];
			q[r->nquery].len = strlen(e.vs.rows[i][EV_VERSION]);
			r->query = q;
			r->nquery++;
			return;
		}
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
		JADD(o, "id", json_object_new_int64(atoll(c[0])));
		JADD(o, "url", jstr(arena_printf(r->a, "/8d/%s", c[0])));
		JADD(o, "title", jstr(c[1]));
		JADD(o, "owner_name", jstr(c[2]));
		JADD(o, "version", json_object_new_int(drafts ? atoi(c[3]) : atoi(c[5])));
		JADD(o, "state", jstr(drafts ? c[4] : "approved"));
		JADD(o, "state_label", jstr(tk(r, "ed_state_", drafts ? c[4] : "approved")));
		json_object_array_add(arr, o);
	}
	JADD(v, "has_eightds", json_object_new_boolean(json_object_array_length(arr) > 0));
	JADD(v, "eightds", arr);
	JADD(v, "can_open_8d", json_object_new_boolean(sess_has(r, WRITES_8D) &&
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
		JADD(o, "number", jstr(arena_printf(r->a, "8D #%s · %s", c[0], c[1])));
		JADD(o, "url", jstr(arena_printf(r->a, "/8d/%s", c[0])));
		JADD(o, "received_at", jstr(view_local_time(app, r->a, c[6])));
		JADD(o, "customer_name", jstr(c[2]));
		JADD(o, "severity", json_object_new_int(0));
		JADD(o, "severity_label", jstr(arena_printf(r->a, "v%s", c[4])));
		JADD(o, "status_label", jstr(tk(r, "ed_state_", c[5])));
		JADD(o, "owner_name", jstr(c[3]));
		JADD(o, "overdue", json_object_new_boolean(c[7] != NULL && strcmp(c[7], now) < 0));
		/* the 8D's own columns in "My work" (the keys above stay for older clients) */
		JADD(o, "eightd_id", json_object_new_int64(atoll(c[0])));
		JADD(o, "complaint_number", jstr(c[1]));
		JADD(o, "title", jstr(c[2]));
		JADD(o, "version", json_object_new_int(atoi(c[4])));
		JADD(o, "updated_at", jstr(view_local_time(app, r->a, c[6])));
		JADD(o, "d8_due", c[7] ? jstr(view_local_time(app, r->a, c[7])) : NULL);
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
