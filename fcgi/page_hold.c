/* page_hold.c: hold notices (Hold货通知单) of an 8D — issued on stock in the warehouse, in transit and at the customer, released with a signature. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "authority.h"
#include "ed.h"
#include "eightd.h"
#include "sign.h"
#include "valid.h"
#include "workflow.h"

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
	hold_hash(r->arg, e.row[ED_NUMBER], t->reason, (const char *const (*)[5])t->lines, t->nlines, hash);
	if ((rc = db_exec(db, r->a, STMT_HOLD_INSERT, NULL, "ssssss", r->arg, e.row[ED_NUMBER], t->reason, r->sess->uid,
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
static int
hold_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	static const char *const cols[5] = { "location_kind", "location", "part_no", "lot", "quantity" };

	(void)app;
	t->reason = req_form(r, "reason");
	if (t->reason == NULL || workflow_reason_blank(t->reason))
		errors_add(r, t->errors, "reason", "err_required");
	else if (strlen(t->reason) > COMMENT_MAX)
		errors_add(r, t->errors, "reason", "err_too_long");
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
		if (t->nlines == HOLD_ROWS || !str_in(location_kinds, c[0]) || workflow_reason_blank(c[1]) || workflow_reason_blank(c[2]) ||
		    strlen(c[1]) > 200 || strlen(c[2]) > 64 || strlen(c[3]) > 64 || !valid_digits(c[4], 9) || atol(c[4]) <= 0) {
			errors_add(r, t->errors, "lines", "err_hold_line");
			break;
		}
		memcpy(t->lines[t->nlines++], c, sizeof(c));
	}
	if (t->nlines == 0)
		errors_add(r, t->errors, "lines", "err_hold_line");
	return KESU_OK;
}

const struct ed_step ed_hold = { "hold_issue", 0, WRITES_8D, hold_fields, 0, hold_tx };

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
	if ((rc = required_signers(db, r->a, "hold_release", 0, severity_of(db, r->a, e.row[ED_NUMBER]), req, &nreq)) != KESU_OK) {
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
	if ((rc = db_exec(db, r->a, STMT_SIGNATURE_INSERT, NULL, "sssisssssss", e.row[ED_NUMBER], "hold_notice", t->hold_id,
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
static int
release_fields(struct app *app, struct req *r, struct ed_tx *t)
{
	(void)app;
	t->hold_id = req_form(r, "hold");
	t->comment = req_form(r, "comment");
	if (!valid_id(t->hold_id))
		return KESU_EINPUT;
	if (t->comment != NULL && strlen(t->comment) > COMMENT_MAX)
		errors_add(r, t->errors, "comment", "err_too_long");
	return KESU_OK;
}

const struct ed_step ed_hold_release = { "hold_release", -1, 0, release_fields, 1, release_tx };
