/* check_clock.c: a complaint's SLA clocks — pauses, weekends, holidays, midnight and year end — and the calendar helpers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "clock.h"
#include "i18n.h"
#include "tmpl.h"
#include "check_run.h"

/*
 * The calendar of these tests, as in check_sla.c: UTC+8, Mon-Fri 08:30-12:00 and
 * 13:00-17:30; National Day 2026-10-01..07 and New Year 2027-01-01 off; Sunday
 * 2026-09-20 and Saturday 2026-10-10 worked (调休).
 * Weekdays used: 2026-03-09 Mon, 2026-03-13 Fri, 2026-03-16 Mon, 2026-03-17 Tue,
 * 2026-09-30 Wed, 2026-10-09 Fri, 2026-12-31 Thu, 2027-01-04 Mon, 2027-01-06 Wed.
 */
static const int holidays[] = {
	20261001, 20261002, 20261003, 20261004, 20261005, 20261006, 20261007, 20270101,
};
static const int makeup_days[] = { 20260920, 20261010 };
static struct sla_calendar cal;
static struct arena *a;

static void
setup(void)
{
	static const struct sla_hours workday = { 2, { { 510, 720 }, { 780, 1050 } } };

	cal = (struct sla_calendar){ .utc_offset_min = 480 };
	for (int wd = 1; wd <= 5; wd++)
		cal.week[wd] = workday;
	cal.holidays = holidays;
	cal.nholidays = sizeof(holidays) / sizeof(holidays[0]);
	cal.makeup_days = makeup_days;
	cal.nmakeup_days = sizeof(makeup_days) / sizeof(makeup_days[0]);
	a = arena_new();
}

static void
teardown(void)
{
	arena_free(a);
}

/* An instant typed as Beijing wall-clock time, computed by libc independently of clock.c. */
static time_t
cst(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi };

	return timegm(&tm) - 8 * 3600;
}

#define HOUR 3600
#define ck_assert_time_eq(got, want) ck_assert_int_eq((long long)(got), (long long)(want))

/* The clock of step (and department, or NULL) among n; fails the test when absent. */
static const struct clock *
find(const struct clock *ks, size_t n, enum clock_step step, const char *dept)
{
	for (size_t i = 0; i < n; i++)
		if (ks[i].step == step && (dept == NULL || (ks[i].department && strcmp(ks[i].department, dept) == 0)))
			return &ks[i];
	ck_abort_msg("no %s clock", clock_step_name(step));
	return NULL;
}

static int
has(const struct clock *ks, size_t n, enum clock_step step)
{
	for (size_t i = 0; i < n; i++)
		if (ks[i].step == step)
			return 1;
	return 0;
}

/* A complaint received at t0 (level 2: respond within 4 h, resolve within 48 h), with its status history. */
static struct clock_input
complaint(time_t t0, const char *status, const struct clock_change *ch, size_t nch)
{
	return (struct clock_input){ .status = status, .received_at = t0, .respond_due = t0 + 4 * HOUR,
		.resolve_due = t0 + 48 * HOUR, .changes = ch, .nchanges = nch };
}

START_TEST(response_clock_warns_at_three_quarters_and_is_overdue_after_the_deadline)
{
	time_t t0 = cst(2026, 3, 9, 10, 0);
	struct clock_change ch[] = { { t0, "registered" } };
	struct clock_input in = complaint(t0, "registered", ch, 1);
	struct clock *ks;
	size_t n;
	const struct clock *k;

	n = clock_compute(&cal, &in, t0 + 2 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert(!k->warning && !k->late && k->stopped == 0);
	ck_assert_int_eq(k->st.used_minutes, 120);
	ck_assert_int_eq(k->st.budget_minutes, 240);

	/* 3 h of 4 h: exactly 75 %. */
	n = clock_compute(&cal, &in, t0 + 3 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert(k->warning && !k->late);
	ck_assert_int_eq(k->st.state, SLA_WARNING);

	n = clock_compute(&cal, &in, t0 + 4 * HOUR + 60, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert(k->late && !k->warning);
	ck_assert_time_eq(k->st.deadline, t0 + 4 * HOUR);
	ck_assert_int_eq(k->st.remaining_minutes, -1);
}
END_TEST

START_TEST(response_clock_stops_at_triage_and_tells_whether_it_was_met)
{
	time_t t0 = cst(2026, 3, 9, 10, 0);
	struct clock_change on_time[] = { { t0, "registered" }, { t0 + HOUR, "triaged" } };
	struct clock_change too_late[] = { { t0, "registered" }, { t0 + 5 * HOUR, "triaged" } };
	struct clock_input in = complaint(t0, "triaged", on_time, 2);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	n = clock_compute(&cal, &in, t0 + 30 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert_time_eq(k->stopped, t0 + HOUR);
	ck_assert(!k->late && !k->warning);
	ck_assert_int_eq(k->st.used_minutes, 60);

	in.changes = too_late;
	n = clock_compute(&cal, &in, t0 + 30 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert_time_eq(k->stopped, t0 + 5 * HOUR);
	ck_assert(k->late);
}
END_TEST

START_TEST(waiting_for_the_customer_pauses_and_moves_the_deadline)
{
	/* Not substantiated after 1 h; the customer rejects the explanation 2 h later. */
	time_t t0 = cst(2026, 3, 9, 10, 0);
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR, "not_substantiated" },
		{ t0 + 3 * HOUR, "registered" } };
	struct clock_input in = complaint(t0, "registered", ch, 3);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	n = clock_compute(&cal, &in, t0 + 5 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert_int_eq(k->st.paused_minutes, 120);
	ck_assert_int_eq(k->st.used_minutes, 180);
	ck_assert_time_eq(k->st.deadline, t0 + 6 * HOUR);
	ck_assert(!k->late && k->warning);
	ck_assert_uint_eq(k->npauses, 1);
	ck_assert_str_eq(k->pauses[0].reason, "not_substantiated");
	ck_assert_time_eq(k->pauses[0].from, t0 + HOUR);
	ck_assert_time_eq(k->pauses[0].to, t0 + 3 * HOUR);

	/* While the wait lasts the clock says so. */
	in.nchanges = 2;
	in.status = "not_substantiated";
	n = clock_compute(&cal, &in, t0 + 2 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert_int_eq(k->st.state, SLA_PAUSED);
	ck_assert_time_eq(k->pauses[0].to, 0);
}
END_TEST

START_TEST(a_pause_across_midnight_counts_natural_minutes_on_both_days)
{
	/* Replied at 22:00, the customer disagrees at 02:00: 4 h of the resolution clock stand still. */
	time_t t0 = cst(2026, 3, 9, 10, 0);
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR, "triaged" },
		{ cst(2026, 3, 9, 22, 0), "replied" }, { cst(2026, 3, 10, 2, 0), "investigating" } };
	struct clock_input in = complaint(t0, "investigating", ch, 4);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	n = clock_compute(&cal, &in, cst(2026, 3, 10, 10, 0), a, &ks);
	k = find(ks, n, CLOCK_RESOLUTION, NULL);
	ck_assert_int_eq(k->st.paused_minutes, 240);
	ck_assert_int_eq(k->st.used_minutes, 20 * 60);
	ck_assert_time_eq(k->st.deadline, t0 + 52 * HOUR);
	ck_assert_str_eq(k->pauses[0].reason, "replied");
	/* The response clock had stopped long before the pause. */
	k = find(ks, n, CLOCK_RESPONSE, NULL);
	ck_assert_int_eq(k->st.paused_minutes, 0);
	ck_assert_uint_eq(k->npauses, 0);
}
END_TEST

START_TEST(acceptance_by_the_second_working_day_skips_the_weekend)
{
	/* Assigned Friday 10:00: Monday is the 1st working day, Tuesday 17:30 the deadline. */
	time_t t0 = cst(2026, 3, 13, 9, 0);
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR / 2, "triaged" }, { t0 + HOUR, "assigned" } };
	struct clock_assignment as[] = { { "production", "pending", cst(2026, 3, 13, 10, 0), 0, 0 } };
	struct clock_input in = complaint(t0, "assigned", ch, 3);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	in.assignments = as;
	in.nassignments = 1;
	n = clock_compute(&cal, &in, cst(2026, 3, 16, 12, 0), a, &ks);
	k = find(ks, n, CLOCK_ACCEPTANCE, "production");
	ck_assert_time_eq(k->st.deadline, cst(2026, 3, 17, 17, 30));
	ck_assert_int_eq(k->kind, SLA_WORKING);
	/* Friday 10:00-17:30 is 6.5 h of work, Monday and Tuesday 8 h each. */
	ck_assert_int_eq(k->st.budget_minutes, 390 + 480 + 480);
	/* Until Monday noon: Friday's 390 and Monday's 210 minutes; the weekend does not count. */
	ck_assert_int_eq(k->st.used_minutes, 390 + 210);
	ck_assert(!k->late && !k->warning && k->stopped == 0);

	n = clock_compute(&cal, &in, cst(2026, 3, 17, 17, 31), a, &ks);
	ck_assert(find(ks, n, CLOCK_ACCEPTANCE, "production")->late);

	/* Accepted on Monday: the clock stops, met; the report clock starts. */
	as[0].state = "accepted";
	as[0].decided_at = cst(2026, 3, 16, 9, 0);
	n = clock_compute(&cal, &in, cst(2026, 3, 17, 17, 31), a, &ks);
	k = find(ks, n, CLOCK_ACCEPTANCE, "production");
	ck_assert(!k->late && k->stopped == as[0].decided_at);
	k = find(ks, n, CLOCK_REPORT, "production");
	ck_assert_time_eq(k->st.deadline, cst(2026, 3, 19, 17, 30));
}
END_TEST

START_TEST(a_holiday_week_moves_the_working_day_deadline)
{
	/* Assigned Wednesday 30 September 2026; 1-7 October off: Thu 8th 1st, Fri 9th 2nd. */
	time_t t0 = cst(2026, 9, 30, 9, 0);
	struct clock_assignment as[] = { { "quality", "pending", cst(2026, 9, 30, 10, 0), 0, 0 } };
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR, "assigned" } };
	struct clock_input in = complaint(t0, "assigned", ch, 2);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	in.assignments = as;
	in.nassignments = 1;
	n = clock_compute(&cal, &in, cst(2026, 10, 5, 12, 0), a, &ks);
	k = find(ks, n, CLOCK_ACCEPTANCE, "quality");
	ck_assert_time_eq(k->st.deadline, cst(2026, 10, 9, 17, 30));
	/* Only the afternoon of the 30th counts so far: the holidays are not working time. */
	ck_assert_int_eq(k->st.used_minutes, 120 + 270);
	ck_assert(!k->late);

	/* Without the holidays the deadline is Friday 2 October. */
	cal.nholidays = 0;
	n = clock_compute(&cal, &in, cst(2026, 10, 5, 12, 0), a, &ks);
	k = find(ks, n, CLOCK_ACCEPTANCE, "quality");
	ck_assert_time_eq(k->st.deadline, cst(2026, 10, 2, 17, 30));
	ck_assert(k->late);
}
END_TEST

START_TEST(the_report_deadline_crosses_the_year_end_and_new_year)
{
	/* Accepted Thu 31 Dec 2026 15:00; 1 January off: Mon 4th, Tue 5th, Wed 6th 17:30. */
	time_t t0 = cst(2026, 12, 30, 9, 0);
	struct clock_assignment as[] = { { "rnd", "accepted", cst(2026, 12, 30, 10, 0), cst(2026, 12, 31, 15, 0), 0 } };
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR, "investigating" } };
	struct clock_input in = complaint(t0, "investigating", ch, 2);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	in.assignments = as;
	in.nassignments = 1;
	n = clock_compute(&cal, &in, cst(2027, 1, 6, 12, 0), a, &ks);
	k = find(ks, n, CLOCK_REPORT, "rnd");
	ck_assert_time_eq(k->st.deadline, cst(2027, 1, 6, 17, 30));
	ck_assert_int_eq(k->st.budget_minutes, 150 + 3 * 480);
	/* 150 on the 31st, 480 each on the 4th and 5th, 210 on the 6th: 1320 of 1590 = 83 %. */
	ck_assert_int_eq(k->st.used_minutes, 150 + 480 + 480 + 210);
	ck_assert(k->warning && !k->late);

	/* A signed report is done: no clock. */
	as[0].report_signed = 1;
	n = clock_compute(&cal, &in, cst(2027, 1, 6, 12, 0), a, &ks);
	ck_assert(!has(ks, n, CLOCK_REPORT));
}
END_TEST

START_TEST(closing_stops_every_clock_and_a_reopening_pauses_the_resolution_clock)
{
	time_t t0 = cst(2026, 3, 9, 10, 0);
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR, "triaged" },
		{ t0 + 10 * HOUR, "closed" }, { t0 + 30 * HOUR, "registered" }, { t0 + 31 * HOUR, "triaged" } };
	struct clock_assignment as[] = { { "sales", "accepted", t0 + 2 * HOUR, t0 + 3 * HOUR, 0 } };
	struct clock_input in = complaint(t0, "closed", ch, 3);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	in.assignments = as;
	in.nassignments = 1;
	n = clock_compute(&cal, &in, t0 + 20 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESOLUTION, NULL);
	ck_assert_time_eq(k->stopped, t0 + 10 * HOUR);
	ck_assert(!k->late);
	k = find(ks, n, CLOCK_REPORT, "sales");
	ck_assert_time_eq(k->stopped, t0 + 10 * HOUR);

	/* Reopened after 20 h closed: those 20 h do not count against the resolution. */
	in.status = "triaged";
	in.nchanges = 5;
	n = clock_compute(&cal, &in, t0 + 50 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_RESOLUTION, NULL);
	ck_assert(k->stopped == 0 && !k->late);
	ck_assert_int_eq(k->st.paused_minutes, 20 * 60);
	ck_assert_int_eq(k->st.used_minutes, 30 * 60);
	ck_assert_str_eq(k->pauses[0].reason, "closed");
	ck_assert_time_eq(k->st.deadline, t0 + 68 * HOUR);
}
END_TEST

START_TEST(callback_within_seven_days_of_the_reply_stops_when_it_is_recorded)
{
	time_t t0 = cst(2026, 3, 9, 10, 0), rep = cst(2026, 3, 11, 16, 0);
	struct clock_change ch[] = { { t0, "registered" }, { t0 + HOUR, "triaged" }, { rep, "replied" },
		{ rep + 8 * 24 * HOUR, "callback_done" } };
	struct clock_input in = complaint(t0, "replied", ch, 3);
	struct clock *ks;
	const struct clock *k;
	size_t n;

	in.replied_at = rep;
	n = clock_compute(&cal, &in, rep + 6 * 24 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_CALLBACK, NULL);
	ck_assert_time_eq(k->st.deadline, rep + 7 * 24 * HOUR);
	/* The callback is the company's own step: waiting in "replied" does not pause it. */
	ck_assert_int_eq(k->st.paused_minutes, 0);
	ck_assert(k->warning && !k->late);
	n = clock_compute(&cal, &in, rep + 7 * 24 * HOUR + 60, a, &ks);
	ck_assert(find(ks, n, CLOCK_CALLBACK, NULL)->late);

	in.status = "callback_done";
	in.nchanges = 4;
	n = clock_compute(&cal, &in, rep + 9 * 24 * HOUR, a, &ks);
	k = find(ks, n, CLOCK_CALLBACK, NULL);
	ck_assert_time_eq(k->stopped, rep + 8 * 24 * HOUR);
	ck_assert(k->late);
}
END_TEST

START_TEST(no_resolution_clock_for_a_case_by_case_level)
{
	time_t t0 = cst(2026, 3, 9, 10, 0);
	struct clock_change ch[] = { { t0, "registered" } };
	struct clock_input in = complaint(t0, "registered", ch, 1);
	struct clock *ks;
	size_t n;

	in.resolve_due = 0;
	n = clock_compute(&cal, &in, t0 + HOUR, a, &ks);
	ck_assert_uint_eq(n, 1);
	ck_assert(!has(ks, n, CLOCK_RESOLUTION));
}
END_TEST

START_TEST(times_parse_and_format_as_stored)
{
	char out[32];

	ck_assert_time_eq(clock_parse_utc("2026-12-31 16:00:00"), cst(2027, 1, 1, 0, 0));
	ck_assert_time_eq(clock_parse_utc("2026-12-31 16:00:00.123456"), cst(2027, 1, 1, 0, 0));
	ck_assert_time_eq(clock_parse_utc("2024-02-29 23:59"), cst(2024, 3, 1, 7, 59));
	ck_assert_time_eq(clock_parse_utc(NULL), 0);
	ck_assert_time_eq(clock_parse_utc("yesterday"), 0);
	clock_fmt_utc(cst(2027, 1, 1, 0, 0), out);
	ck_assert_str_eq(out, "2026-12-31 16:00:00");

	ck_assert_int_eq(calendar_parse_hhmm("08:30"), 510);
	ck_assert_int_eq(calendar_parse_hhmm("24:00"), 1440);
	ck_assert_int_eq(calendar_parse_hhmm("24:01"), -1);
	ck_assert_int_eq(calendar_parse_hhmm("8:30"), -1);
	ck_assert_int_eq(calendar_parse_hhmm("12:60"), -1);
	ck_assert_int_eq(calendar_parse_hhmm(""), -1);
	calendar_fmt_hhmm(1050, out);
	ck_assert_str_eq(out, "17:30");
	ck_assert_int_eq(calendar_parse_date("2026-10-01"), 20261001);
	ck_assert_int_eq(calendar_parse_date("2028-02-29"), 20280229);
	ck_assert_int_eq(calendar_parse_date("2026-02-29"), 0);
	ck_assert_int_eq(calendar_parse_date("2026-1-01"), 0);
	ck_assert_int_eq(calendar_parse_date("1999-12-31"), 0);
}
END_TEST

/* What clock_parse_utc and clock_fmt_utc did with sscanf and snprintf before they read and
 * wrote MariaDB's format by hand (issue 10, pagerender): the same answers, any input. */
static time_t
parse_by_sscanf(const char *s)
{
	int y, mo, d, h, mi, sec = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) < 5)
		return 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return 0;
	return (time_t)(sla_days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + sec);
}

START_TEST(times_parsed_and_printed_by_hand_as_sscanf_and_snprintf_did)
{
	static const char *const in[] = {
		"2026-12-31 16:00:00", "2026-12-31 16:00:00.5", "2026-12-31 16:00", "2026-12-31 16:00:",
		"2026-12-31 16:00:7", "2026-12-31T16:00:00", "2026-12-31  16:00:00", "2026-02-30 10:00:00",
		"1969-12-31 23:59:59", "2026-13-01 00:00:00", "2026-12-31 24:00:00", "2026-12-31 23:60:00",
		"2026-12-31 23:59:60", "2026-12-31 23:59:61", "+026-12-31 23:59:59", "2026-1-31 23:59:59",
		"2026-12-31", "", "2026", "2026-12-31 1", "9999-12-31 23:59:59", "2026-12-31 16:00:00Z",
	};
	char out[32], ref[32];

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		ck_assert_msg(clock_parse_utc(in[i]) == parse_by_sscanf(in[i]), "%s", in[i]);
	for (long long t = -62135596800LL; t < 253402300800LL; t += 9999991LL * 7) {
		long days = (long)(t / 86400), secs = (long)(t % 86400);
		int date;
		if (secs < 0) {
			secs += 86400;
			days--;
		}
		date = sla_civil_from_days(days);
		snprintf(ref, sizeof(ref), "%04d-%02d-%02d %02ld:%02ld:%02ld", date / 10000 % 10000, date / 100 % 100,
		    date % 100, secs / 3600, secs / 60 % 60, secs % 60);
		clock_fmt_utc((time_t)t, out);
		ck_assert_str_eq(out, ref);
		ck_assert_msg(clock_parse_utc(out) == parse_by_sscanf(out), "%s", out);
	}
}
END_TEST

/* Every text the clocks, reminders, inquiries and calendar pages look up by a computed key. */
START_TEST(every_computed_key_of_the_clocks_and_the_calendar_has_both_texts)
{
	static const char *const fixed[] = {
		"clock_state_ok", "clock_state_warning", "clock_state_overdue", "clock_state_paused",
		"clock_state_met", "clock_state_late", "clock_pause_not_substantiated",
		"clock_pause_replied", "clock_pause_closed", "clock_kind_natural", "clock_kind_working",
		"document_reminder", "document_escalation", "document_inquiry", "role_system",
		"action_reminder_issued", "action_escalation_issued", "action_inquiry_issued",
		"action_inquiry_answered", "action_calendar_week_set", "action_calendar_exception_add",
		"action_calendar_exception_delete", "calendar_kind_holiday", "calendar_kind_workday",
		"calendar_saved_week", "calendar_saved_added", "calendar_saved_deleted",
		"err_calendar_time_format", "err_calendar_time_pair", "err_calendar_time_order",
		"err_calendar_span2_without_span1", "err_calendar_spans_overlap",
		"err_calendar_no_working_day", "err_calendar_date", "err_calendar_kind",
		"err_calendar_name", "err_calendar_day_taken", "err_calendar_confirm",
		"err_answer_required", "err_answer_too_long", "addressee_you", "addressee_head_suffix",
		"unit_day", "unit_hour", "unit_minute", "list_sep", NULL,
	};
	char *err = NULL, key[64];

	ck_assert_msg(i18n_load(KESU_SRCDIR "/po", &err) == 0, "%s", err ? err : "");
	for (int i = 0; fixed[i] != NULL; i++)
		for (int l = 0; l < LANG__MAX; l++)
			ck_assert_msg(json_object_object_get_ex(i18n_table((enum lang)l), fixed[i], NULL),
			    "\"%s\" is missing", fixed[i]);
	for (int s = 0; s < CLOCK__MAX; s++) {
		snprintf(key, sizeof(key), "step_%s", clock_step_name((enum clock_step)s));
		ck_assert_msg(json_object_object_get_ex(i18n_table(LANG_ZH), key, NULL), "\"%s\" is missing", key);
	}
	for (int wd = 0; wd < 7; wd++) {
		snprintf(key, sizeof(key), "weekday_%d", wd);
		ck_assert_msg(json_object_object_get_ex(i18n_table(LANG_EN), key, NULL), "\"%s\" is missing", key);
	}
	i18n_free();
}
END_TEST

/* The new templates escape what people typed: an inquiry's answer, a holiday's name, a department's name. */
START_TEST(clocks_inquiry_and_calendar_templates_escape_what_people_typed)
{
	static const struct {
		const char *tmpl, *view;
	} cases[] = {
		{ "clocks", "{\"clocks\": [{\"label\": \"x\", \"department_name\": \"<script>a</script>\", "
		  "\"has_pauses\": true, \"pauses\": [{\"reason_label\": \"<img src=x>\"}]}], "
		  "\"has_inquiries\": true, \"inquiries\": [{\"url\": \"/inquiries/1\", "
		  "\"answered\": true, \"answered_by_name\": \"<b>'\\\"&\"}]}" },
		{ "inquiry", "{\"inquiry\": {\"id\": 1, \"answered\": true, \"answer\": \"<script>a</script>\", "
		  "\"answered_by_name\": \"<b>\"}, \"can_answer\": true, \"typed\": \"</textarea><script>\"}" },
		{ "calendar", "{\"has_exceptions\": true, \"exceptions\": [{\"day\": \"2026-10-01\", "
		  "\"name\": \"<script>a</script>\"}], \"confirm_delete\": {\"name\": \"<img src=x>\"}, "
		  "\"add\": {\"name\": \"\\\"><script>\"}}" },
	};
	char *err = NULL;
	struct tmpl_set *set = tmpl_set_load_dir(KESU_SRCDIR "/templates", &err);

	ck_assert_msg(set != NULL, "%s", err ? err : "");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct json_object *v = json_tokener_parse(cases[i].view);
		struct buf out;

		ck_assert_msg(v != NULL, "view %zu is not JSON", i);
		buf_init(&out);
		ck_assert_int_eq(tmpl_render(set, cases[i].tmpl, v, &out), 0);
		/* The layout's own <script src=...> is markup of ours; a bare <script> came from a value. */
		ck_assert_msg(strstr(out.p, "<script>") == NULL && strstr(out.p, "<img") == NULL &&
		    strstr(out.p, "<b>") == NULL, "%s lets markup through: %s", cases[i].tmpl, out.p);
		ck_assert_msg(strstr(out.p, "&lt;script&gt;") != NULL || strstr(out.p, "&lt;img") != NULL,
		    "%s shows nothing of the value", cases[i].tmpl);
		buf_free(&out);
		json_object_put(v);
	}
	tmpl_set_free(set);
}
END_TEST

static Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clocks");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, response_clock_warns_at_three_quarters_and_is_overdue_after_the_deadline);
	tcase_add_test(tc, response_clock_stops_at_triage_and_tells_whether_it_was_met);
	tcase_add_test(tc, waiting_for_the_customer_pauses_and_moves_the_deadline);
	tcase_add_test(tc, a_pause_across_midnight_counts_natural_minutes_on_both_days);
	tcase_add_test(tc, acceptance_by_the_second_working_day_skips_the_weekend);
	tcase_add_test(tc, a_holiday_week_moves_the_working_day_deadline);
	tcase_add_test(tc, the_report_deadline_crosses_the_year_end_and_new_year);
	tcase_add_test(tc, closing_stops_every_clock_and_a_reopening_pauses_the_resolution_clock);
	tcase_add_test(tc, callback_within_seven_days_of_the_reply_stops_when_it_is_recorded);
	tcase_add_test(tc, no_resolution_clock_for_a_case_by_case_level);
	tcase_add_test(tc, times_parse_and_format_as_stored);
	tcase_add_test(tc, times_parsed_and_printed_by_hand_as_sscanf_and_snprintf_did);
	tcase_add_test(tc, every_computed_key_of_the_clocks_and_the_calendar_has_both_texts);
	tcase_add_test(tc, clocks_inquiry_and_calendar_templates_escape_what_people_typed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(clock_suite());
}
