/* sweep.c: the overdue sweep that kesu-admin sweep runs every minute — reminders, escalations, inquiries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "audit.h"
#include "calendar.h"
#include "clock.h"
#include "lease.h"
#include "notify.h"
#include "stats_fold.h"
#include "sweep.h"

/* The sweep's documents are written in this name in the audit trail. */
#define SWEEP_UID "kesu-sweep"
#define SWEEP_NAME "kesu-admin sweep"
#define SWEEP_ROLE "system"

struct sweep_tx {
	struct arena *a;                   /* this complaint's rows; reset by every attempt */
	const struct sla_calendar *cal;
	const char *number;
	time_t now;
	struct audit_actor who;
	struct sweep_counts n;             /* what this attempt issued */
};

/* Issue one reminder or escalation; counted and audited only when it is new. */
static int
issue(struct db *db, struct sweep_tx *t, const char *kind, const struct clock *k,
    const char *type, const char *addressee)
{
	const char *step = clock_step_name(k->step), *dept = k->department ? k->department : "";
	struct json_object *after;
	struct db_res res;
	char due[32];
	int rc;

	clock_fmt_utc(k->st.deadline, due);
	if ((rc = db_exec(db, t->a, STMT_REMINDER_ISSUE, &res, "sssssss", t->number, kind, step, dept,
	    type, addressee, due)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_OK;
	if (strcmp(kind, "escalation") == 0)
		t->n.escalations++;
	else
		t->n.reminders++;
	after = json_object_new_object();
	json_object_object_add(after, "document", json_object_new_string(kind));
	json_object_object_add(after, "step", json_object_new_string(step));
	if (*dept != '\0')
		json_object_object_add(after, "department", json_object_new_string(dept));
	json_object_object_add(after, "addressee_type", json_object_new_string(type));
	json_object_object_add(after, "addressee", json_object_new_string(addressee));
	json_object_object_add(after, "deadline", json_object_new_string(due));
	rc = audit_write(db, t->a, &t->who, "complaint", t->number,
	    strcmp(kind, "escalation") == 0 ? "escalation_issued" : "reminder_issued", NULL, after);
	json_object_put(after);
	/* Its addressees are told by mail, in the same transaction as the document. */
	if (rc == KESU_OK)
		rc = notify_queue(db, t->a, kind, type, addressee, t->number,
		    arena_printf(t->a, "/complaints/%s", t->number));
	return rc;
}

/* The reminders of one late, running clock: to the person responsible and their head. */
static int
remind(struct db *db, struct sweep_tx *t, const struct clock_input *in, const struct clock *k,
    int severity, const char *owner)
{
	int rc = KESU_OK;

	switch (k->step) {
	case CLOCK_RESPONSE:
		/* While registered: a complaint waiting for the customer's word is not the owner's delay. */
		if (strcmp(in->status, "registered") != 0)
			break;
		if ((rc = issue(db, t, "reminder", k, "user", owner)) != KESU_OK ||
		    (rc = issue(db, t, "reminder", k, "role", "supervisor")) != KESU_OK)
			break;
		/* Level 1 and 2: the leadership group takes over. */
		if (severity >= 1 && severity <= 2 && (rc = issue(db, t, "escalation", k, "role", "gm")) == KESU_OK)
			rc = issue(db, t, "escalation", k, "role", "deputy_gm");
		break;
	case CLOCK_ACCEPTANCE:
		rc = issue(db, t, "reminder", k, "dept_head", k->department);
		break;
	case CLOCK_REPORT:
		if ((rc = issue(db, t, "reminder", k, "dept", k->department)) == KESU_OK)
			rc = issue(db, t, "reminder", k, "dept_head", k->department);
		break;
	case CLOCK_CALLBACK:
		if (strcmp(in->status, "replied") != 0)
			break;
		/* FALLTHROUGH */
	case CLOCK_RESOLUTION:
		if ((rc = issue(db, t, "reminder", k, "user", owner)) == KESU_OK)
			rc = issue(db, t, "reminder", k, "role", "supervisor");
		break;
	case CLOCK__MAX:
		break;
	}
	return rc;
}

/* Add name to the comma-separated list in b unless it is there already. */
static void
add_step(struct buf *b, const char *name)
{
	size_t l = strlen(name);

	for (const char *p = b->p; p != NULL && *p != '\0'; ) {
		size_t n = strcspn(p, ",");
		if (n == l && strncmp(p, name, l) == 0)
			return;
		p += n + (p[n] == ',');
	}
	if (b->len > 0)
		buf_putc(b, ',');
	buf_puts(b, name);
}

static int
inquire_one(struct db *db, struct sweep_tx *t, const char *dept, const char *type, const char *addressee,
    const char *steps)
{
	struct json_object *after;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, t->a, STMT_INQUIRY_ISSUE, &res, "sssss", t->number, dept, type, addressee,
	    steps)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_OK;
	t->n.inquiries++;
	after = json_object_new_object();
	json_object_object_add(after, "document", json_object_new_string("inquiry"));
	json_object_object_add(after, "inquiry_id", json_object_new_int64((int64_t)res.insert_id));
	json_object_object_add(after, "department", json_object_new_string(dept));
	json_object_object_add(after, "addressee_type", json_object_new_string(type));
	json_object_object_add(after, "addressee", json_object_new_string(addressee));
	json_object_object_add(after, "steps", json_object_new_string(steps));
	rc = audit_write(db, t->a, &t->who, "complaint", t->number, "inquiry_issued", NULL, after);
	json_object_put(after);
	if (rc == KESU_OK)
		rc = notify_queue(db, t->a, "inquiry", type, addressee, t->number,
		    arena_printf(t->a, "/inquiries/%lld", (long long)res.insert_id));
	return rc;
}

/*
 * A closed complaint that overran: a step late at its end, or a reminder issued while it was
 * open (a signed report's time is the report's own record, so its lateness is known here only
 * through the reminder the sweep issued when it was late).
 */
static int
inquire(struct db *db, struct sweep_tx *t, const struct clock_input *in, const struct clock *ks, size_t nk)
{
	struct db_res rem;
	struct buf steps;
	size_t accepted = 0;
	int rc;

	if ((rc = db_exec(db, t->a, STMT_REMINDER_FOR_COMPLAINT, &rem, "s", t->number)) != KESU_OK)
		return rc;
	buf_init(&steps);
	for (size_t i = 0; i < nk; i++)
		if (ks[i].late)
			add_step(&steps, clock_step_name(ks[i].step));
	for (size_t i = 0; i < rem.nrows; i++)
		add_step(&steps, rem.rows[i][1]);
	if (steps.len == 0)
		goto out;
	for (size_t i = 0; i < in->nassignments && rc == KESU_OK; i++)
		if (strcmp(in->assignments[i].state, "accepted") == 0) {
			accepted++;
			rc = inquire_one(db, t, in->assignments[i].department, "dept_head",
			    in->assignments[i].department, steps.p);
		}
	/* No department took it on: the customer service centre answers, through its supervisors. */
	if (rc == KESU_OK && accepted == 0)
		rc = inquire_one(db, t, "cs", "role", "supervisor", steps.p);
out:
	buf_free(&steps);
	return rc;
}

/*
 * When the sweep must look at this open complaint next (sql/036): the earliest deadline of its
 * clocks still running and not late yet; none (the row goes) when every running clock is late
 * and reminded, until a change brings it back. A deadline is a time in UTC that pauses only
 * move later, so looking then at the latest is never too late; a look that finds nothing late
 * sets the next one.
 */
static int
sweep_due_next(struct db *db, struct sweep_tx *t, const struct clock *ks, size_t nk)
{
	time_t next = 0;
	char txt[32];

	for (size_t i = 0; i < nk; i++)
		if (ks[i].stopped == 0 && !ks[i].late && ks[i].st.deadline > 0 &&
		    (next == 0 || ks[i].st.deadline < next))
			next = ks[i].st.deadline;
	if (next == 0)
		return db_exec(db, t->a, STMT_SWEEP_DUE_DROP, NULL, "s", t->number);
	/* Not earlier than the next minute: a deadline passing now is looked at by the next run. */
	if (next <= t->now)
		next = t->now + 60;
	clock_fmt_utc(next, txt);
	return db_exec(db, t->a, STMT_SWEEP_DUE_SET, NULL, "ss", t->number, txt);
}

static int
sweep_tx(struct db *db, void *arg)
{
	struct sweep_tx *t = arg;
	struct clock_input in;
	struct clock *ks;
	struct db_res due;
	const char *owner = NULL;
	int severity = 0, rc;
	size_t nk;

	arena_reset(t->a);
	memset(&t->n, 0, sizeof(t->n));
	/* The complaint row stays locked: a step taken meanwhile waits, and sees the documents.
	 * Then its sweep_due row (sql/036): a change that brings it forward meanwhile waits too,
	 * and so comes after what this transaction sets. */
	if ((rc = clock_load(db, t->a, t->number, 1, &in, &severity, &owner)) != KESU_OK)
		return rc == KESU_ENOTFOUND ? KESU_OK : rc;
	if ((rc = db_exec(db, t->a, STMT_SWEEP_DUE_LOCK, &due, "s", t->number)) != KESU_OK)
		return rc;
	nk = clock_compute(t->cal, &in, t->now, t->a, &ks);
	if (strcmp(in.status, "closed") == 0) {
		if ((rc = inquire(db, t, &in, ks, nk)) != KESU_OK)
			return rc;
		return due.nrows > 0 ? db_exec(db, t->a, STMT_SWEEP_DUE_DROP, NULL, "s", t->number) : KESU_OK;
	}
	for (size_t i = 0; i < nk; i++)
		if (ks[i].stopped == 0 && ks[i].late &&
		    (rc = remind(db, t, &in, &ks[i], severity, owner)) != KESU_OK)
			return rc;
	return sweep_due_next(db, t, ks, nk);
}

/*
 * 8D reports (008): a part past its deadline and not done (D3 containment, the initial
 * analysis D0-D4, the permanent actions D5-D7, approval) gets a reminder to the 8D's owner and
 * to the QA director, filed under the complaint it was opened from. department carries
 * "8d-<id>" so that two 8Ds of one complaint are reminded separately.
 */
static int
sweep_8d_tx(struct db *db, void *arg)
{
	static const char *const steps[4] = { "8d_d3", "8d_d4", "8d_d7", "8d_d8" };
	struct sweep_tx *t = arg;
	struct db_res res;
	char **e;
	int rc;

	arena_reset(t->a);
	memset(&t->n, 0, sizeof(t->n));
	if ((rc = db_exec(db, t->a, STMT_8D_LOCK, &res, "s", t->number)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_OK;
	/* id, number, title, owner_uid, owner_name, opened_at, part_received_at, d3_due, d4_due,
	 * d7_due, d8_due, d3_done_at, d4_done_at, d7_done_at, d8_done_at */
	e = res.rows[0];
	for (int i = 0; i < 4; i++) {
		const char *to[2][2] = { { "user", e[3] }, { "role", "qa_director" } };
		time_t due = clock_parse_utc(e[7 + i]);
		if (e[11 + i] != NULL || due == 0 || due >= t->now || e[14] != NULL)
			continue;
		for (int k = 0; k < 2; k++) {
			struct json_object *after;
			const char *dept = arena_printf(t->a, "8d-%s", e[0]);
			if ((rc = db_exec(db, t->a, STMT_REMINDER_ISSUE, &res, "sssssss", e[1], "reminder", steps[i],
			    dept, to[k][0], to[k][1], e[7 + i])) != KESU_OK)
				return rc;
			if (res.affected != 1)
				continue;
			t->n.reminders++;
			after = json_object_new_object();
			json_object_object_add(after, "document", json_object_new_string("reminder"));
			json_object_object_add(after, "step", json_object_new_string(steps[i]));
			json_object_object_add(after, "eightd_id", json_object_new_string(e[0]));
			json_object_object_add(after, "addressee_type", json_object_new_string(to[k][0]));
			json_object_object_add(after, "addressee", json_object_new_string(to[k][1]));
			json_object_object_add(after, "deadline", json_object_new_string(e[7 + i]));
			rc = audit_write(db, t->a, &t->who, "complaint", e[1], "reminder_issued", NULL, after);
			json_object_put(after);
			if (rc != KESU_OK)
				return rc;
		}
	}
	return KESU_OK;
}

/* Keep the lease through a long run; a run that lost it (it stalled past the expiry) stops. */
static int
renew(struct db *db, struct arena *a, const char *me)
{
	switch (lease_take(db, a, "sweep", me, SWEEP_LEASE_SECONDS, NULL, NULL)) {
	case 1:
		return KESU_OK;
	case 0:
		LOG_ERR("the sweep's lease was taken by another run meanwhile: this run stops");
		return KESU_ECONFLICT;
	default:
		return KESU_EDB;
	}
}

int
sweep_run(struct db *db, long utc_offset_min, time_t now, struct sweep_counts *out)
{
	struct arena *a = arena_new(), *per = arena_new();
	struct sla_calendar cal;
	struct db_res open, closed;
	struct sweep_tx t;
	static char busy[128];
	const char *me, *other = NULL, *other_until = NULL;
	char reqid[32];
	int rc, held = 0;

	memset(out, 0, sizeof(*out));
	/*
	 * Exactly one run at a time, whichever host's timer started it: a second run finds the
	 * lease taken and stops. Documents are unique anyway (a run that lost its lease
	 * half-way and a new one never issue the same document twice); the lease keeps two
	 * hosts from doing the same work and from racing on the same complaints.
	 */
	me = lease_holder_self(a);
	switch (lease_take(db, a, "sweep", me, SWEEP_LEASE_SECONDS, &other, &other_until)) {
	case 1:
		break;
	case 0:
		snprintf(busy, sizeof(busy), "%s", other);
		out->busy_holder = busy;
		snprintf(out->busy_until, sizeof(out->busy_until), "%s", other_until ? other_until : "");
		rc = KESU_OK;
		goto out;
	default:
		rc = KESU_EDB;
		goto out;
	}
	held = 1;
	/* db.commit_check's marks (026) are needed for minutes; a day's are kept, then dropped. */
	{
		struct db_res gone;
		if (db_exec(db, a, STMT_TX_MARK_PURGE, &gone, "") != KESU_OK)
			LOG_WARN("could not delete old commit marks; next run");
	}
	/* The registrations' statistics the workers' folds left (sql/037): a minute's at most. */
	{
		unsigned long folded = 0;
		int behind = 0;
		if (stats_fold(db, a, STATS_FOLD_BATCH, STATS_FOLD_READ_BATCHES, &folded, &behind) != KESU_OK)
			LOG_WARN("could not fold the registrations' statistics; the next fold will");
		else if (behind)
			LOG_WARN("%lu registrations' statistics folded, more left for the next run", folded);
	}
	/* One calendar for the whole run: an edit meanwhile counts from the next run. */
	if ((rc = calendar_load(db, a, utc_offset_min, &cal)) != KESU_OK)
		goto out;
	/* The complaints that may have something due; the clocks decide (at most 20000 of each a run:
	 * the open ones by sweep_due, oldest due first, so a backlog is worked off run by run). */
	if ((rc = db_exec(db, a, STMT_SWEEP_OPEN_CANDIDATES, &open, "")) != KESU_OK ||
	    (rc = db_exec(db, a, STMT_SWEEP_CLOSED_CANDIDATES, &closed, "")) != KESU_OK)
		goto out;
	snprintf(reqid, sizeof(reqid), "sweep-%lld", (long long)now);
	memset(&t, 0, sizeof(t));
	t.a = per;
	t.cal = &cal;
	t.now = now;
	t.who = (struct audit_actor){ SWEEP_UID, SWEEP_NAME, SWEEP_ROLE, reqid, "" };
	for (size_t i = 0; i < open.nrows + closed.nrows; i++) {
		t.number = i < open.nrows ? open.rows[i][0] : closed.rows[i - open.nrows][0];
		if (i > 0 && i % 500 == 0 && (rc = renew(db, a, me)) != KESU_OK)
			goto out;
		if ((rc = db_tx(db, sweep_tx, &t)) != KESU_OK) {
			LOG_ERR("complaint %s: the sweep's transaction failed", t.number);
			goto out;
		}
		out->complaints++;
		out->reminders += t.n.reminders;
		out->escalations += t.n.escalations;
		out->inquiries += t.n.inquiries;
	}
	{
		struct db_res eds;
		char nowtxt[32];
		clock_fmt_utc(now, nowtxt);
		if ((rc = db_exec(db, a, STMT_SWEEP_8D_CANDIDATES, &eds, "ssss", nowtxt, nowtxt, nowtxt,
		    nowtxt)) != KESU_OK)
			goto out;
		for (size_t i = 0; i < eds.nrows; i++) {
			t.number = eds.rows[i][0];
			if ((rc = db_tx(db, sweep_8d_tx, &t)) != KESU_OK) {
				LOG_ERR("8d %s: the sweep's transaction failed", t.number);
				goto out;
			}
			out->reminders += t.n.reminders;
		}
	}
	rc = KESU_OK;
out:
	if (held && lease_release(db, "sweep", me) != KESU_OK)
		LOG_WARN("could not give the sweep's lease up; it expires by itself");
	arena_free(per);
	arena_free(a);
	return rc;
}

int
sweep_stats_close(struct db *db, long utc_offset_min, time_t now, const struct stats_weights *w, int *did)
{
	struct arena *a;
	struct audit_actor who;
	char today[11], month[8], hash[65], reqid[32];
	time_t lt = now + utc_offset_min * 60;
	struct tm tm;
	int rc;

	*did = 0;
	gmtime_r(&lt, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (!stats_close_target(today, month))
		return KESU_OK;
	a = arena_new();
	snprintf(reqid, sizeof(reqid), "sweep-%lld", (long long)now);
	who = (struct audit_actor){ SWEEP_UID, SWEEP_NAME, SWEEP_ROLE, reqid, "" };
	if ((rc = stats_freeze_month(db, a, utc_offset_min, now, month, w, &who, 0, did, hash)) != KESU_OK)
		LOG_ERR("the close of %s failed", month);
	arena_free(a);
	return rc;
}
