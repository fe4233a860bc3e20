/* page_verify.c: the auditor verifies the audit chain from the browser (bounded slices, signed checkpoints) and reads who looked at what. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "audit_verify.h"
#include "conf.h"
#include "handlers.h"
#include "kesu.h"
#include "sess.h"
#include "sign.h"
#include "step.h"
#include "valid.h"
#include "view.h"

/* Who may reach /audit*: auditors, and the GM read-only; anyone else gets 404. */
#define AUDIT_READERS (ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_GM))

/* Events one request walks at most (audit.verify_slice); about 0.1 s per 10 000 here. */
#define VERIFY_SLICE_DEFAULT 100000

/* STMT_VERIFY_RUN_* columns. */
enum { VR_ID, VR_BY, VR_NAME, VR_STARTED, VR_FINISHED, VR_TARGET_SEQ, VR_TARGET_HASH, VR_CHECKED_SEQ,
	VR_CHECKED_HASH, VR_ELAPSED, VR_STATUS, VR_BAD_SEQ, VR_REASON, VR_CHECKPOINTS };

static const char *
nn(const char *s)
{
	return s != NULL ? s : "";
}

/* A run row as the page shows it. */
static struct json_object *
run_json(struct app *app, struct req *r, char **row)
{
	struct json_object *o = json_object_new_object();
	const char *status = nn(row[VR_STATUS]);

	json_object_object_add(o, "id", json_object_new_int64(strtoll(row[VR_ID], NULL, 10)));
	json_object_object_add(o, "started_by", jstr(row[VR_BY]));
	json_object_object_add(o, "started_name", jstr(row[VR_NAME]));
	json_object_object_add(o, "started_at", jstr(view_local_time(app, r->a, row[VR_STARTED])));
	json_object_object_add(o, "finished_at", row[VR_FINISHED] != NULL ?
	    jstr(view_local_time(app, r->a, row[VR_FINISHED])) : NULL);
	json_object_object_add(o, "head_seq", json_object_new_int64(strtoll(row[VR_TARGET_SEQ], NULL, 10)));
	json_object_object_add(o, "head_hash", jstr(row[VR_TARGET_HASH]));
	json_object_object_add(o, "checked", json_object_new_int64(strtoll(row[VR_CHECKED_SEQ], NULL, 10)));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(strtoll(row[VR_ELAPSED], NULL, 10)));
	json_object_object_add(o, "status", jstr(status));
	json_object_object_add(o, "status_label", jstr(T(r, arena_printf(r->a, "verify_status_%s", status))));
	json_object_object_add(o, "running", json_object_new_boolean(strcmp(status, "running") == 0));
	json_object_object_add(o, "intact", json_object_new_boolean(strcmp(status, "intact") == 0));
	json_object_object_add(o, "broken", json_object_new_boolean(strcmp(status, "broken") == 0));
	if (row[VR_BAD_SEQ] != NULL)
		json_object_object_add(o, "bad_seq", json_object_new_int64(strtoll(row[VR_BAD_SEQ], NULL, 10)));
	json_object_object_add(o, "reason", jstr(row[VR_REASON]));
	json_object_object_add(o, "checkpoints", json_object_new_int64(strtoll(row[VR_CHECKPOINTS], NULL, 10)));
	return o;
}

/* The checkpoints, in chain order, into cps (calloc'd: the caller frees) from STMT_CHECKPOINT_LIST. */
static struct chain_checkpoint *
checkpoints_of(const struct db_res *res, size_t *n)
{
	struct chain_checkpoint *cps = calloc(res->nrows + 1, sizeof(*cps));

	if (cps == NULL)
		abort();
	*n = 0;
	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i][2] != NULL && strlen(res->rows[i][2]) == 64) {
			cps[*n].seq = strtoull(res->rows[i][1], NULL, 10);
			memcpy(cps[*n].hash, res->rows[i][2], 65);
			(*n)++;
		}
	return cps;
}

/* GET /audit/verify[?run=ID]: the chain head, the run in focus, past runs, the checkpoints. */
static int
verify_view(struct app *app, struct req *r, struct json_object **out)
{
	const char *want = req_query(r, "run");
	struct json_object *v, *runs, *cps, *focus = NULL;
	struct db_res head, list, cpl, one;
	int rc, checkpointed = 0;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(app->db, r->a, STMT_AUDIT_HEAD_GET, &head, "")) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_VERIFY_RUN_LIST, &list, "")) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_CHECKPOINT_LIST, &cpl, "")) != KESU_OK)
		return rc;
	v = view_new(app, r);
	if (head.nrows == 1) {
		json_object_object_add(v, "head_seq", json_object_new_int64(strtoll(nn(head.rows[0][0]), NULL, 10)));
		json_object_object_add(v, "head_hash", jstr(head.rows[0][1]));
	}
	runs = json_object_new_array();
	for (size_t i = 0; i < list.nrows; i++)
		json_object_array_add(runs, run_json(app, r, list.rows[i]));
	json_object_object_add(v, "runs", runs);

	if (want != NULL && valid_id(want)) {
		if ((rc = db_exec(app->db, r->a, STMT_VERIFY_RUN_GET, &one, "u",
		    (uint64_t)strtoull(want, NULL, 10))) != KESU_OK) {
			json_object_put(v);
			return rc;
		}
		if (one.nrows == 1)
			focus = run_json(app, r, one.rows[0]);
	} else if (list.nrows > 0) {
		focus = run_json(app, r, list.rows[0]);
	}

	cps = json_object_new_array();
	for (size_t i = 0; i < cpl.nrows; i++) {
		char **c = cpl.rows[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "seq", json_object_new_int64(strtoll(c[1], NULL, 10)));
		json_object_object_add(o, "hash", jstr(c[2]));
		json_object_object_add(o, "run", json_object_new_int64(strtoll(c[3], NULL, 10)));
		json_object_object_add(o, "signer_uid", jstr(c[4]));
		json_object_object_add(o, "signer_name", jstr(c[5]));
		json_object_object_add(o, "role", jstr(view_label(r, "role", c[6])));
		json_object_object_add(o, "meaning", jstr(c[7]));
		json_object_object_add(o, "signed_at", jstr(view_local_time(app, r->a, c[8])));
		json_object_array_add(cps, o);
		if (focus != NULL && strcmp(c[1], json_object_get_string(json_object_object_get(focus, "head_seq"))) == 0)
			checkpointed = 1;
	}
	json_object_object_add(v, "checkpoints", cps);
	if (focus != NULL) {
		/* An intact run's head can become a checkpoint, once, signed by an auditor. */
		json_object_object_add(focus, "may_sign", json_object_new_boolean(!checkpointed &&
		    json_object_get_boolean(json_object_object_get(focus, "intact")) &&
		    sess_has(r, ROLE_BIT(ROLE_AUDITOR))));
		json_object_object_add(focus, "checkpointed", json_object_new_boolean(checkpointed));
		json_object_object_add(v, "run", focus);
	}
	json_object_object_add(v, "may_start", json_object_new_boolean(sess_has(r, AUDIT_READERS)));
	json_object_object_add(v, "meaning", jstr(T(r, "meaning_audit_checkpoint")));
	view_done_notice(r, v);
	*out = v;
	return KESU_OK;
}

int
page_audit_verify(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, verify_view, "audit_verify");
}

struct slice_tx {
	struct app *app;
	struct req *r;
	uint64_t run;
	uint64_t slice;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/*
 * One slice of a run: at most t->slice events after where it stopped, in one transaction that
 * holds the run's row (a second "continue" waits, then finds the slice done). The last slice
 * compares the hash reached with the head the run set out to reach and looks for checkpoints
 * beyond the chain's end.
 */
static int
slice_tx(struct db *db, void *arg)
{
	struct slice_tx *t = arg;
	struct req *r = t->r;
	struct chain_checkpoint *cps = NULL;
	struct arena *scratch = NULL;
	struct db_res run, cpl, head;
	struct chain_walk w;
	const char *status = "running";
	uint64_t target;
	size_t ncps;
	double t0 = now_ms();
	int rc, more = 0;

	if ((rc = db_exec(db, r->a, STMT_VERIFY_RUN_LOCK, &run, "u", t->run)) != KESU_OK)
		return rc;
	if (run.nrows != 1)
		return KESU_ENOTFOUND;
	if (strcmp(run.rows[0][VR_STATUS], "running") != 0)
		return KESU_OK;
	if ((rc = db_exec(db, r->a, STMT_CHECKPOINT_LIST, &cpl, "")) != KESU_OK)
		return rc;
	cps = checkpoints_of(&cpl, &ncps);
	target = strtoull(run.rows[0][VR_TARGET_SEQ], NULL, 10);
	chain_walk_resume(&w, strtoull(run.rows[0][VR_CHECKED_SEQ], NULL, 10), run.rows[0][VR_CHECKED_HASH], cps, ncps);
	/* An empty trail (head 0) is intact at once; chain_walk's upto 0 would mean "to the end". */
	if (target > 0) {
		scratch = arena_new();
		rc = chain_walk(db, scratch, &w, target, t->slice, &more);
		arena_free(scratch);
		if (rc != KESU_OK)
			goto out;
	}
	if (w.bad != 0) {
		status = "broken";
	} else if (!more) {
		status = "intact";
		if (w.n < target) {
			w.bad = w.n + 1;
			snprintf(w.reason, sizeof(w.reason), "event missing (the chain ends at seq %" PRIu64
			    ", the head was at %" PRIu64 ")", w.n, target);
		} else if (strcmp(w.last, run.rows[0][VR_TARGET_HASH]) != 0) {
			w.bad = w.n;
			snprintf(w.reason, sizeof(w.reason), "the head's hash when the run started is not "
			    "the hash of event %" PRIu64, w.n);
		} else {
			/* A checkpoint beyond today's head: events after it were removed. */
			if ((rc = db_exec(db, r->a, STMT_AUDIT_HEAD_GET, &head, "")) != KESU_OK)
				goto out;
			w.n = head.nrows == 1 ? strtoull(nn(head.rows[0][0]), NULL, 10) : 0;
			chain_walk_finish(&w);
			w.n = target;
		}
		if (w.bad != 0)
			status = "broken";
	}
	rc = db_exec(db, r->a, STMT_VERIFY_RUN_UPDATE, NULL, "ususssusu", w.n,
	    w.last, (uint64_t)(now_ms() - t0 + 0.5), status,
	    w.bad != 0 ? arena_printf(r->a, "%" PRIu64, w.bad) : NULL, w.reason,
	    (uint64_t)w.passed, status, t->run);
out:
	free(cps);
	return rc;
}

static int
start_tx(struct db *db, void *arg)
{
	struct slice_tx *t = arg;
	struct req *r = t->r;
	struct db_res head, id;
	static const char zero[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	int rc;

	if ((rc = db_exec(db, r->a, STMT_AUDIT_HEAD_GET, &head, "")) != KESU_OK)
		return rc;
	if (head.nrows != 1 || head.rows[0][0] == NULL || head.rows[0][1] == NULL)
		return KESU_EINTERNAL;
	if ((rc = db_exec(db, r->a, STMT_VERIFY_RUN_INSERT, &id, "ssuss", r->sess->uid, nn(r->sess->name),
	    (uint64_t)strtoull(head.rows[0][0], NULL, 10), head.rows[0][1], zero)) != KESU_OK)
		return rc;
	t->run = id.insert_id;
	return t->run != 0 ? KESU_OK : KESU_EINTERNAL;
}

/*
 * POST /audit/verify: without run, start a run that sets out to reach today's head; with
 * run=ID, continue it. Either way at most audit.verify_slice events are walked in this
 * request; the page then shows how far it got, with a "continue" button while it runs.
 */
int
page_audit_verify_post(struct app *app, struct req *r, struct resp *rs)
{
	const char *run = req_form(r, "run");
	struct slice_tx t = { app, r, 0, 0 };
	int rc;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	t.slice = (uint64_t)conf_int(app->conf, "audit.verify_slice", VERIFY_SLICE_DEFAULT);
	if (t.slice == 0)
		t.slice = VERIFY_SLICE_DEFAULT;
	/* A smaller slice may be asked for (scripts, tests); never a larger one. */
	{
		const char *want = req_form(r, "slice");
		if (want != NULL && valid_id(want) && strlen(want) < 10 && strtoull(want, NULL, 10) < t.slice)
			t.slice = strtoull(want, NULL, 10);
	}
	if (run != NULL && *run != '\0') {
		if (!valid_id(run))
			return KESU_EINPUT;
		t.run = strtoull(run, NULL, 10);
	} else if ((rc = db_tx(app->db, start_tx, &t)) != KESU_OK) {
		return rc;
	}
	if ((rc = db_tx(app->db, slice_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("audit verify run %" PRIu64 ": a slice of at most %" PRIu64 " events", t.run, t.slice);
	if (r->want_json) {
		struct db_res one;
		if ((rc = db_exec(app->db, r->a, STMT_VERIFY_RUN_GET, &one, "u", t.run)) != KESU_OK)
			return rc;
		if (one.nrows != 1)
			return KESU_ENOTFOUND;
		resp_json(rs, 200, run_json(app, r, one.rows[0]));
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/audit/verify?run=%" PRIu64, t.run));
	return KESU_OK;
}

struct sign_tx {
	struct req *r;
	uint64_t run;
	uint64_t seq;
	const char *hash;
};

static int
checkpoint_tx(struct db *db, void *arg)
{
	struct sign_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor_as(r, ROLE_BIT(ROLE_AUDITOR));
	struct json_object *after;
	struct db_res run, cpl;
	const char *meaning = T(r, "meaning_audit_checkpoint");
	int rc;

	if ((rc = db_exec(db, r->a, STMT_VERIFY_RUN_LOCK, &run, "u", t->run)) != KESU_OK)
		return rc;
	if (run.nrows != 1)
		return KESU_ENOTFOUND;
	if (strcmp(run.rows[0][VR_STATUS], "intact") != 0)
		return step_refuse(r, "verify_status", run.rows[0][VR_STATUS]);
	t->seq = strtoull(run.rows[0][VR_TARGET_SEQ], NULL, 10);
	t->hash = run.rows[0][VR_TARGET_HASH];
	if ((rc = db_exec(db, r->a, STMT_CHECKPOINT_LIST, &cpl, "")) != KESU_OK)
		return rc;
	for (size_t i = 0; i < cpl.nrows; i++)
		if (strtoull(cpl.rows[i][1], NULL, 10) == t->seq)
			return step_refuse(r, "verify_status", "checkpointed");
	who.role = "auditor";
	if ((rc = db_exec(db, r->a, STMT_CHECKPOINT_INSERT, NULL, "usussss", t->seq, t->hash, t->run,
	    r->sess->uid, nn(r->sess->name), "auditor", meaning)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "seq", json_object_new_int64((int64_t)t->seq));
	json_object_object_add(after, "hash", json_object_new_string(t->hash));
	json_object_object_add(after, "run", json_object_new_int64((int64_t)t->run));
	json_object_object_add(after, "meaning", json_object_new_string(meaning));
	rc = audit_write(db, r->a, &who, "audit_checkpoint", arena_printf(r->a, "%" PRIu64, t->seq),
	    "checkpoint_sign", NULL, after);
	json_object_put(after);
	return rc;
}

/* POST /audit/verify/checkpoint?run=ID: an auditor signs the intact run's head as a checkpoint. */
int
page_audit_checkpoint(struct app *app, struct req *r, struct resp *rs)
{
	const char *run = req_query(r, "run");
	struct json_object *errors;
	struct sign_tx t = { r, 0, 0, NULL };
	int rc;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	if (!sess_has(r, ROLE_BIT(ROLE_AUDITOR)))
		return KESU_EFORBIDDEN;
	if (run == NULL || !valid_id(run))
		run = req_form(r, "run");
	if (run == NULL || !valid_id(run))
		return KESU_EINPUT;
	t.run = strtoull(run, NULL, 10);
	errors = json_object_new_object();
	rc = signature_password(app, r, errors);
	if (rc == KESU_OK)
		rc = db_tx(app->db, checkpoint_tx, &t);
	if (rc == KESU_EINPUT && json_object_object_length(errors) > 0)
		return step_fields(r, errors);
	json_object_put(errors);
	if (rc != KESU_OK)
		return rc;
	LOG_INFO("audit checkpoint at seq %" PRIu64 " signed by %s", t.seq, r->sess->uid);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "seq", json_object_new_int64((int64_t)t.seq));
		json_object_object_add(v, "hash", jstr(t.hash));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, arena_printf(r->a, "/audit/verify?run=%" PRIu64 "&done=checkpoint_sign", t.run));
	return KESU_OK;
}

/* ---- who looked at what ---- */

/* GET /audit/views?record=NUMBER | ?actor=UID [&before=ID]: 50 a page, newest first. */
static int
views_view(struct app *app, struct req *r, struct json_object **out)
{
	const char *record = req_query(r, "record"), *actor = req_query(r, "actor");
	const char *before = req_query(r, "before");
	struct json_object *v, *list;
	struct db_res res;
	uint64_t below = UINT64_MAX;
	size_t n;
	int rc;

	if (!sess_has(r, AUDIT_READERS))
		return KESU_ENOTFOUND;
	if (before != NULL && valid_id(before))
		below = strtoull(before, NULL, 10);
	if (record != NULL && *record == '\0')
		record = NULL;
	if (actor != NULL && *actor == '\0')
		actor = NULL;
	if (record != NULL && (strlen(record) > 16 || !valid_digits(record, 16)))
		record = NULL;
	if (actor != NULL && strlen(actor) > 64)
		actor = NULL;
	v = view_new(app, r);
	json_object_object_add(v, "record", jstr(record));
	json_object_object_add(v, "actor", jstr(actor));
	json_object_object_add(v, "retention_days", json_object_new_int64(
	    conf_int(app->conf, "audit.view_retention_days", 1095)));
	list = json_object_new_array();
	json_object_object_add(v, "views", list);
	if (record == NULL && actor == NULL) {
		*out = v;
		return KESU_OK;
	}
	if ((rc = record != NULL ? db_exec(app->db, r->a, STMT_VIEW_BY_RECORD, &res, "su", record, below)
	    : db_exec(app->db, r->a, STMT_VIEW_BY_ACTOR, &res, "su", actor, below)) != KESU_OK) {
		json_object_put(v);
		return rc;
	}
	n = res.nrows > 50 ? 50 : res.nrows;
	for (size_t i = 0; i < n; i++) {
		char **c = res.rows[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_int64(strtoll(c[0], NULL, 10)));
		json_object_object_add(o, "at", jstr(view_local_time(app, r->a, c[1])));
		json_object_object_add(o, "at_utc", jstr(c[1]));
		json_object_object_add(o, "actor_uid", jstr(c[2]));
		json_object_object_add(o, "actor_name", jstr(c[3]));
		json_object_object_add(o, "actor_role", jstr(view_label(r, "role", c[4])));
		json_object_object_add(o, "record", jstr(c[5]));
		json_object_object_add(o, "what", jstr(T(r, arena_printf(r->a, "view_what_%s", c[6]))));
		json_object_object_add(o, "item", jstr(c[7]));
		json_object_object_add(o, "client_addr", jstr(c[8]));
		json_object_object_add(o, "request_id", jstr(c[9]));
		json_object_array_add(list, o);
	}
	if (res.nrows > 50) {
		struct buf u;

		buf_init(&u);
		buf_puts(&u, "/audit/views?");
		buf_puts(&u, record != NULL ? "record=" : "actor=");
		buf_url_encode(&u, record != NULL ? record : actor);
		buf_printf(&u, "&before=%s", res.rows[49][0]);
		json_object_object_add(v, "next", jstr(arena_strndup(r->a, u.p, u.len)));
		buf_free(&u);
	}
	*out = v;
	return KESU_OK;
}

int
page_audit_views(struct app *app, struct req *r, struct resp *rs)
{
	return resp_view(app, r, rs, views_view, "audit_views");
}
