/* clock.c: the SLA clocks of one complaint, computed from its record, status history and assignments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static const char *const step_names[CLOCK__MAX] = {
	[CLOCK_RESPONSE] = "response",
	[CLOCK_ACCEPTANCE] = "acceptance",
	[CLOCK_REPORT] = "report",
	[CLOCK_RESOLUTION] = "resolution",
	[CLOCK_CALLBACK] = "callback",
};

const char *
clock_step_name(enum clock_step s)
{
	return (unsigned)s < CLOCK__MAX ? step_names[s] : "?";
}

/* Waiting for the customer: the company's clocks stand still. */
static int
waiting_for_customer(const char *status)
{
	return strcmp(status, "not_substantiated") == 0 || strcmp(status, "replied") == 0;
}

/*
 * The pauses of the response and resolution clocks: every stretch of time in a status
 * that waits for the customer, and every closed stretch that a reopening ended (a case
 * closed now stops the clock instead). In order, not overlapping.
 */
static size_t
pauses_of(const struct clock_input *in, struct arena *a, struct clock_pause **out)
{
	struct clock_pause *p = arena_alloc(a, (in->nchanges + 1) * sizeof(*p));
	const char *cur = "registered";
	time_t since = in->received_at;
	size_t n = 0;

	for (size_t i = 0; i < in->nchanges; i++) {
		const struct clock_change *c = &in->changes[i];

		if (strcmp(c->to, cur) == 0)
			continue;
		if ((waiting_for_customer(cur) || strcmp(cur, "closed") == 0) && c->at > since)
			p[n++] = (struct clock_pause){ since, c->at, cur };
		cur = c->to;
		since = c->at;
	}
	if (waiting_for_customer(cur))
		p[n++] = (struct clock_pause){ since, 0, cur };
	*out = p;
	return n;
}

/* The first change at or after `after` to a status that is none of keep[] (NULL-terminated); 0 if none. */
static time_t
first_leave(const struct clock_input *in, time_t after, const char *const *keep)
{
	for (size_t i = 0; i < in->nchanges; i++) {
		const struct clock_change *c = &in->changes[i];
		int kept = 0;

		if (c->at < after)
			continue;
		for (const char *const *k = keep; *k != NULL; k++)
			kept |= strcmp(c->to, *k) == 0;
		if (!kept)
			return c->at;
	}
	return 0;
}

/* When the case was closed, if it is closed now: the last change to closed. */
static time_t
closed_at(const struct clock_input *in)
{
	if (strcmp(in->status, "closed") != 0)
		return 0;
	for (size_t i = in->nchanges; i > 0; i--)
		if (strcmp(in->changes[i - 1].to, "closed") == 0)
			return in->changes[i - 1].at;
	return 0;
}

/* Evaluate one clock at its stop, or at now while it runs. */
static void
evaluate(const struct sla_calendar *cal, struct clock *k, time_t deadline_basis,
    const struct clock_pause *pauses, size_t npauses, struct arena *a, time_t now)
{
	struct sla_pause *sp = arena_alloc(a, (npauses + 1) * sizeof(*sp));
	struct sla_clock c;
	time_t at;

	for (size_t i = 0; i < npauses; i++) {
		sp[i].from = pauses[i].from;
		sp[i].to = pauses[i].to;
	}
	c = (struct sla_clock){ k->start, deadline_basis, k->kind, 0, sp, npauses };
	at = k->stopped != 0 && k->stopped < now ? k->stopped : now;
	sla_status(cal, &c, at, &k->st);
	k->late = k->st.state == SLA_OVERDUE;
	k->warning = k->stopped == 0 && !k->late &&
	    k->st.used_minutes * SLA_WARN_DEN >= k->st.budget_minutes * SLA_WARN_NUM;
	/* Only the pauses that fell inside the clock's running time are shown with it. */
	k->pauses = pauses;
	k->npauses = 0;
	for (size_t i = 0; i < npauses; i++)
		if (pauses[i].from <= at && (pauses[i].to == 0 || pauses[i].to > k->start))
			k->npauses = i + 1;
}

size_t
clock_compute(const struct sla_calendar *cal, const struct clock_input *in, time_t now,
    struct arena *a, struct clock **out)
{
	static const char *const responding[] = { "registered", "not_substantiated", NULL };
	static const char *const replied[] = { "replied", NULL };
	struct clock *ks = arena_alloc(a, (3 + 2 * in->nassignments) * sizeof(*ks));
	struct clock_pause *pauses;
	size_t np = pauses_of(in, a, &pauses), n = 0;
	time_t closed = closed_at(in);

	/* Response: the first move out of registered (or the explanation's wait) answers it. */
	ks[n] = (struct clock){ .step = CLOCK_RESPONSE, .kind = SLA_NATURAL, .start = in->received_at };
	ks[n].stopped = first_leave(in, in->received_at, responding);
	evaluate(cal, &ks[n], in->respond_due, pauses, np, a, now);
	n++;

	for (size_t i = 0; i < in->nassignments; i++) {
		const struct clock_assignment *as = &in->assignments[i];
		time_t due = sla_add_working_days(cal, as->assigned_at, CLOCK_ACCEPT_WORKING_DAYS);

		if (due == (time_t)-1)
			continue;
		ks[n] = (struct clock){ .step = CLOCK_ACCEPTANCE, .department = as->department,
			.kind = SLA_WORKING, .start = as->assigned_at };
		ks[n].stopped = strcmp(as->state, "pending") != 0 && as->decided_at != 0 ? as->decided_at : closed;
		evaluate(cal, &ks[n], due, NULL, 0, a, now);
		n++;
	}
	for (size_t i = 0; i < in->nassignments; i++) {
		const struct clock_assignment *as = &in->assignments[i];
		time_t due;

		/* A signed report is done; when it was signed is the report's own record. */
		if (strcmp(as->state, "accepted") != 0 || as->decided_at == 0 || as->report_signed)
			continue;
		if ((due = sla_add_working_days(cal, as->decided_at, CLOCK_REPORT_WORKING_DAYS)) == (time_t)-1)
			continue;
		ks[n] = (struct clock){ .step = CLOCK_REPORT, .department = as->department,
			.kind = SLA_WORKING, .start = as->decided_at, .stopped = closed };
		evaluate(cal, &ks[n], due, NULL, 0, a, now);
		n++;
	}

	if (in->resolve_due != 0) {
		ks[n] = (struct clock){ .step = CLOCK_RESOLUTION, .kind = SLA_NATURAL,
			.start = in->received_at, .stopped = closed };
		evaluate(cal, &ks[n], in->resolve_due, pauses, np, a, now);
		n++;
	}

	if (in->replied_at != 0) {
		time_t left = first_leave(in, in->replied_at, replied);

		ks[n] = (struct clock){ .step = CLOCK_CALLBACK, .kind = SLA_NATURAL, .start = in->replied_at };
		ks[n].stopped = left != 0 ? left : closed;
		evaluate(cal, &ks[n], sla_add_natural(in->replied_at, CLOCK_CALLBACK_MINUTES), NULL, 0, a, now);
		n++;
	}
	*out = ks;
	return n;
}

/* Two decimal digits at p as a number, or -1 (stops at a NUL: p[1] is read only after a digit). */
static int
dig2(const char *p)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

time_t
clock_parse_utc(const char *s)
{
	int y, mo, d, h, mi, sec = 0;

	if (s == NULL)
		return 0;
	/* MariaDB's "YYYY-MM-DD HH:MM:SS" read by hand (the complaint page reads a dozen times;
	 * sscanf was most of the clocks' parsing, issue 10 pagerender); any other shape as before. */
	if (dig2(s) >= 0 && dig2(s + 2) >= 0 && s[4] == '-' && dig2(s + 5) >= 0 && s[7] == '-' &&
	    dig2(s + 8) >= 0 && s[10] == ' ' && dig2(s + 11) >= 0 && s[13] == ':' && dig2(s + 14) >= 0 &&
	    s[16] == ':' && dig2(s + 17) >= 0) {
		y = dig2(s) * 100 + dig2(s + 2);
		mo = dig2(s + 5);
		d = dig2(s + 8);
		h = dig2(s + 11);
		mi = dig2(s + 14);
		sec = dig2(s + 17);
	} else if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) < 5)
		return 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	return (time_t)(sla_days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + sec);
}

void
clock_fmt_utc(time_t t, char out[32])
{
	long days = (long)(t / 86400), secs = (long)(t % 86400);
	int date;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	date = sla_civil_from_days(days);
	if (date >= 0 && date / 10000 <= 9999) {   /* by hand, as snprintf would print it */
		int sc = (int)(secs % 60);
		sla_put_minute(out, date, (int)(secs / 3600), (int)(secs / 60 % 60));
		out[16] = ':';
		out[17] = (char)('0' + sc / 10);
		out[18] = (char)('0' + sc % 10);
		out[19] = '\0';
		return;
	}
	snprintf(out, 32, "%04d-%02d-%02d %02ld:%02ld:%02ld", date / 10000 % 10000, date / 100 % 100,
	    date % 100, secs / 3600, secs / 60 % 60, secs % 60);
}

int
clock_load(struct db *db, struct arena *a, const char *number, int lock, struct clock_input *in,
    int *severity, const char **owner_uid)
{
	struct db_res c, ch, as;
	struct clock_change *changes;
	struct clock_assignment *asg;
	size_t n = 0;
	int rc;

	memset(in, 0, sizeof(*in));
	if ((rc = db_exec(db, a, lock ? STMT_CLOCK_COMPLAINT_LOCK : STMT_CLOCK_COMPLAINT, &c, "s",
	    number)) != KESU_OK)
		return rc;
	if (c.nrows != 1)
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, a, STMT_CLOCK_STATUS_CHANGES, &ch, "s", number)) != KESU_OK ||
	    (rc = db_exec(db, a, STMT_CLOCK_ASSIGNMENTS, &as, "s", number)) != KESU_OK)
		return rc;
	/* status, severity, received_at, respond_due, resolve_due, replied_at, owner_uid */
	in->status = c.rows[0][0];
	in->received_at = clock_parse_utc(c.rows[0][2]);
	in->respond_due = clock_parse_utc(c.rows[0][3]);
	in->resolve_due = clock_parse_utc(c.rows[0][4]);
	in->replied_at = clock_parse_utc(c.rows[0][5]);
	if (severity != NULL)
		*severity = atoi(c.rows[0][1]);
	if (owner_uid != NULL)
		*owner_uid = c.rows[0][6];

	/* at, status before, status after */
	changes = arena_alloc(a, (ch.nrows + 1) * sizeof(*changes));
	for (size_t i = 0; i < ch.nrows; i++)
		if (ch.rows[i][2] != NULL && clock_parse_utc(ch.rows[i][0]) != 0)
			changes[n++] = (struct clock_change){ clock_parse_utc(ch.rows[i][0]), ch.rows[i][2] };
	in->changes = changes;
	in->nchanges = n;

	/* department, state, assigned_at, decided_at, report signed */
	asg = arena_alloc(a, (as.nrows + 1) * sizeof(*asg));
	for (size_t i = 0; i < as.nrows; i++)
		asg[i] = (struct clock_assignment){ as.rows[i][0], as.rows[i][1],
			clock_parse_utc(as.rows[i][2]), clock_parse_utc(as.rows[i][3]),
			as.rows[i][4] != NULL && atoi(as.rows[i][4]) != 0 };
	in->assignments = asg;
	in->nassignments = as.nrows;
	return KESU_OK;
}
