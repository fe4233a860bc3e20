/* page_8d.c: 8D reports — opened from a complaint, filled discipline by discipline, approved or returned with a signature, revised as new versions, hold notices. */
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
#include "handlers.h"
#include "valid.h"
#include "attach.h"
#include "audit.h"
#include "authority.h"
#include "clock.h"
#include "ed.h"
#include "eightd.h"
#include "i18n.h"
#include "notify.h"
#include "access.h"
#include "sign.h"
#include "step.h"
#include "view_8d.h"
#include "whose.h"
#include "workflow.h"
#include "sla.h"
#include "view_as_of.h"


int
page_8d_view(struct app *app, struct req *r, struct resp *rs)
{
	/* ?as_of=SEQ or ?at=...: the 8D as it stood then, from the audit trail, to its readers only. */
	if (as_of_wanted(r)) {
		struct as_of_target t = { AS_OF_8D, "asof_title_8d", r->arg, NULL, "8d_report", r->arg,
			NULL, NULL, NULL, NULL, NULL, arena_printf(r->a, "/8d/%s", r->arg), as_of_8d_shown };
		struct ed e;
		int rc;

		if ((rc = ed_load(app->db, r, 0, &e)) != KESU_OK)
			return rc;
		t.number = e.row[1];
		return as_of_answer(app, r, rs, &t);
	}
	return resp_view(app, r, rs, ed_view, "eightd_view");
}

/* ---- open ---- */

static int
open_tx(struct db *db, void *arg)
{
	struct ed_tx *t = arg;
	struct req *r = t->r;
	/* Recorded as the role that may open an 8D (a quality engineer), not the first one held. */
	struct audit_actor who = req_actor_as(r, WRITES_8D);
	struct json_object *after, *empty[ED_NDISC];
	const char *texts[ED_NDISC];
	struct db_res res;
	char **c;
	int rc;

	if ((rc = complaint_lock(db, r, &c)) != KESU_OK)
		return rc;
	if (strcmp(c[CL_CATEGORY], "product_quality") != 0) {
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
	    strtoll(v[EV_ID], NULL, 10), (int64_t)t->revision)) != KESU_OK)
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
 * t->errors in the reader's language; *posted: whether any of its fields was sent. On an
 * error the step runner shows the page again with what was typed, wrong values included.
 */
static struct json_object *
typed_discipline(struct req *r, struct ed_tx *t, int d, int *nerr, int *posted)
{
	struct json_object *in = typed_fields(r, d), *keys = json_object_new_object(), *out;
	int n = 0;

	out = eightd_normalise(d, in, keys, &n);
	/* Messages are keys until here: translate them for the page. */
	json_object_object_foreach(keys, k, val)
		errors_add(r, t->errors, k, json_object_get_string(val));
	json_object_put(keys);
	*nerr += n;
	*posted = json_object_object_length(in) > 0;
	json_object_put(in);
	return out;
}

/*
 * POST /8d/{id}/save: version, revision, discipline and its fields — a draft saved; with
 * discipline=all, every discipline whose fields were posted, in one revision (the page's one
 * form). A draft: the submit's completeness rules do not apply, only each value's own check.
 */
static int
save_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	const char *which = req_form(r, "discipline");
	int nerr = 0, posted;

	(void)app;
	if (which != NULL && strcmp(which, "all") == 0) {
		t->disc = ED_NDISC;
		t->content = json_object_new_object();
		for (int i = 0; i < ED_NDISC; i++) {
			struct json_object *c = typed_discipline(r, t, i, &nerr, &posted);
			if (!posted) {
				json_object_put(c);
				continue;
			}
			json_object_object_add(t->content, eightd_disciplines[i].code, c);
		}
		return KESU_OK;
	}
	if ((t->disc = eightd_discipline_index(which)) < 0)
		return KESU_EINPUT;
	t->content = typed_discipline(r, t, t->disc, &nerr, &posted);
	return KESU_OK;
}

const struct ed_step ed_save = { "8d_save", 1, WRITES_8D, save_fields, 0, save_tx };

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
	if ((rc = db_exec(db, r->a, STMT_8D_VERSION_SUBMIT, &res, "sii", r->sess->uid, strtoll(v[EV_ID], NULL, 10),
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
const struct ed_step ed_submit = { "8d_submit", 1, WRITES_8D, NULL, 0, submit_tx };

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
	if ((rc = required_signers(db, r->a, "8d_report", 0, severity_of(db, r->a, e.row[ED_NUMBER]), req, &nreq)) != KESU_OK) {
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
	if (next == ROLE__MAX || !authority_may_sign(r->sess->uid, r->sess->roles, v[EV_LOCK_SUBMITTED_BY], next))
		return KESU_EFORBIDDEN;
	if ((rc = db_exec(db, r->a, STMT_8D_ATTACHMENT_LIST, &att, "s", r->arg)) != KESU_OK)
		return rc;
	parse_disciplines(v, d);
	version_hash(e.row, t->version, d, &att, hash);
	put_disciplines(d);
	mean = T(r, ret ? "meaning_8d_report_return" : "meaning_8d_report_approve");
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", e.row[ED_NUMBER], "8d_report", r->arg,
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
		if ((rc = db_exec(db, r->a, STMT_8D_VERSION_DECIDE, &res, "sss", state, cm, v[EV_ID])) != KESU_OK)
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
static int
sign_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	int any = 0;

	(void)app;
	t->decision = req_form(r, "decision");
	t->comment = req_form(r, "comment");
	t->comments = json_object_new_object();
	if (t->comment != NULL && !workflow_reason_blank(t->comment))
		any = 1;
	if (t->comment != NULL && strlen(t->comment) > COMMENT_MAX)
		errors_add(r, t->errors, "comment", "err_too_long");
	for (int i = 0; i < ED_NDISC; i++) {
		const char *k = arena_printf(r->a, "comment_%s", eightd_disciplines[i].code), *c = req_form(r, k);
		if (c == NULL || workflow_reason_blank(c))
			continue;
		if (strlen(c) > COMMENT_MAX)
			errors_add(r, t->errors, k, "err_too_long");
		json_object_object_add(t->comments, eightd_disciplines[i].code, json_object_new_string(c));
		any = 1;
	}
	if (t->decision == NULL || (strcmp(t->decision, "approve") != 0 && strcmp(t->decision, "return") != 0))
		errors_add(r, t->errors, "decision", "err_invalid_choice");
	else if (strcmp(t->decision, "return") == 0 && !any)
		errors_add(r, t->errors, "comment", "err_8d_return_comment");
	return KESU_OK;
}

const struct ed_step ed_sign = { "8d_approve", 1, 0, sign_fields, 1, sign_tx };

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
	    (int64_t)(t->version + 1), v[EV_D0], v[EV_D1], v[EV_D2], v[EV_D3], v[EV_D4], v[EV_D5], v[EV_D6], v[EV_D7], v[EV_D8],
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
const struct ed_step ed_revise = { "8d_revise", 0, WRITES_8D, NULL, 0, revise_tx };

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
		if ((rc = complaint_access(db, r, e.cs.rows[i][EC_NUMBER])) == KESU_ENOTFOUND)
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
static int
link_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	(void)app;
	t->number = req_form(r, "number");
	if (!complaint_number_valid(t->number))
		errors_add(r, t->errors, "number", "err_8d_link_number");
	return KESU_OK;
}

const struct ed_step ed_link = { "8d_link", 0, WRITES_8D, link_fields, 0, link_tx };

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
		if (atol(e.vs.rows[i][EV_VERSION]) == t->version)
			approved = strcmp(e.vs.rows[i][EV_STATE], "approved") == 0;
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
static int
sent_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	(void)app;
	t->recipient = req_form(r, "recipient");
	t->note = req_form(r, "note") != NULL ? req_form(r, "note") : "";
	if (t->recipient == NULL || workflow_reason_blank(t->recipient))
		errors_add(r, t->errors, "recipient", "err_required");
	else if (strlen(t->recipient) > 200)
		errors_add(r, t->errors, "recipient", "err_too_long");
	if (strlen(t->note) > 500)
		errors_add(r, t->errors, "note", "err_too_long");
	return KESU_OK;
}

const struct ed_step ed_sent = { "8d_sent", 0, 0, sent_fields, 0, sent_tx };

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
		if ((rc = db_exec(db, r->a, STMT_8D_ATTACHMENT_INSERT, NULL, "ssissssiis", e.row[ED_NUMBER], t->hashes[i],
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
static int
attach_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	if ((t->disc = eightd_discipline_index(req_form(r, "discipline"))) < 0)
		return KESU_EINPUT;
	if (r->nuploads > sizeof(t->names) / sizeof(t->names[0]))
		return KESU_ETOOBIG;
	if (r->nuploads == 0 || (r->nuploads == 1 && r->uploads[0].len == 0))
		errors_add(r, t->errors, "file", "err_file_required");
	for (size_t i = 0; i < r->nuploads && json_object_object_length(t->errors) == 0; i++) {
		const struct upload *u = &r->uploads[i];
		if (u->len > app->attach_max)
			return KESU_ETOOBIG;
		t->names[i] = attach_clean_name(r->a, u->filename);
		if (u->len == 0 || (t->types[i] = attach_sniff(u->data, u->len, t->names[i])) == NULL)
			errors_add(r, t->errors, "file", "err_file_type");
	}
	if (json_object_object_length(t->errors) > 0)
		return KESU_OK;
	/* The bytes first, by their hash: a transaction that then fails leaves a file nothing names. */
	for (size_t i = 0; i < r->nuploads; i++)
		if (attach_store(app->attach_dir, r->uploads[i].data, r->uploads[i].len, t->hashes[i]) != 0) {
			errors_add(r, t->errors, "file", "err_file_storage");
			return KESU_OK;
		}
	t->nfiles = r->nuploads;
	return KESU_OK;
}

/* POST /8d/{id}/attachments (multipart): version, discipline, file(s) — on the draft only. */
const struct ed_step ed_attach = { "attachment_add", 0, WRITES_8D, attach_fields, 0, attach_tx };

/* Every 8D write of the route table (main.c names the step): the one way ed_step() runs them. */
int
page_8d_step(struct app *app, struct req *r, struct resp *rs)
{
	return r->step != NULL ? ed_step(app, r, rs, r->step) : KESU_EINTERNAL;
}
