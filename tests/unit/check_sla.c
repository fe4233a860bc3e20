/* check_sla.c: deadlines in natural and working time, the "Nth working day" rule, SLA clocks with pauses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sla.h"
#include "check_run.h"

/*
 * The calendar of these tests: China (UTC+8), Mon-Fri 08:30-12:00 and
 * 13:00-17:30 (210 + 270 = 480 working minutes a day). Holidays: National Day
 * 2026-10-01..07 (Thu..Wed) and New Year 2027-01-01 (Fri). Make-up working days
 * (调休): Sunday 2026-09-20 and Saturday 2026-10-10.
 * Weekdays used below: 2026-03-09 Mon, 2026-03-12 Thu, 2026-03-15 Sun,
 * 2026-09-11 Fri, 2026-09-28 Mon, 2026-09-30 Wed, 2026-10-08 Thu,
 * 2026-10-10 Sat, 2026-12-31 Thu, 2027-01-04 Mon.
 */
static const int holidays[] = {
	20261001, 20261002, 20261003, 20261004, 20261005, 20261006, 20261007, 20270101,
};
static const int makeup_days[] = { 20260920, 20261010 };
static struct sla_calendar cal;

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
}

static void teardown(void) { }

/* An instant typed as Beijing wall-clock time, computed by libc independently of sla.c. */
static time_t
cst(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi };

	return timegm(&tm) - 8 * 3600;
}

#define ck_assert_time_eq(got, want) ck_assert_int_eq((long long)(got), (long long)(want))

START_TEST(calendar_of_the_tests_passes_the_check)
{
	ck_assert_int_eq(sla_calendar_check(&cal), KESU_OK);
}
END_TEST

START_TEST(calendar_check_rejects_unsorted_dates_bad_spans_and_conflicts)
{
	static const int unsorted[] = { 20261002, 20261001 };
	static const int bad_date[] = { 20260230 };
	static const int conflict[] = { 20261010 };
	struct sla_calendar c = cal;

	c.holidays = unsorted;
	c.nholidays = 2;
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);
	c.holidays = bad_date;
	c.nholidays = 1;
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);
	/* 2026-10-10 is already a make-up day. */
	c.holidays = conflict;
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);

	c = cal;
	c.week[3].span[1].from = 700;   /* afternoon starts before the morning ends */
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);
	c = cal;
	c.week[3].span[1].to = 1441;
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);
	c = cal;
	c.week[3].nspans = 3;
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);
	c = cal;
	c.utc_offset_min = 15 * 60;
	ck_assert_int_eq(sla_calendar_check(&c), KESU_EINPUT);
}
END_TEST

START_TEST(working_days_follow_weekdays_holidays_and_make_up_days)
{
	ck_assert_int_eq(sla_is_working_day(&cal, 20260928), 1);  /* Monday */
	ck_assert_int_eq(sla_is_working_day(&cal, 20260927), 0);  /* Sunday */
	ck_assert_int_eq(sla_is_working_day(&cal, 20261001), 0);  /* National Day, a Thursday */
	ck_assert_int_eq(sla_is_working_day(&cal, 20261010), 1);  /* make-up Saturday */
	ck_assert_int_eq(sla_is_working_day(&cal, 20260920), 1);  /* make-up Sunday */
	ck_assert_int_eq(sla_is_working_day(&cal, 20270101), 0);  /* New Year, a Friday */
}
END_TEST

START_TEST(local_date_is_beijing_date_not_utc_date)
{
	/* 2026-12-31 23:30 in Beijing is 15:30 UTC the same day; 2027-01-01 00:30 is 16:30 UTC on the 31st. */
	ck_assert_int_eq(sla_local_date(&cal, cst(2026, 12, 31, 23, 30)), 20261231);
	ck_assert_int_eq(sla_local_date(&cal, cst(2027, 1, 1, 0, 30)), 20270101);
	ck_assert_int_eq(sla_local_date(&cal, cst(1969, 12, 31, 12, 0)), 19691231);
}
END_TEST

START_TEST(natural_hours_cross_midnight)
{
	/* Tue 2026-03-10 23:00 + 2 h = Wed 03-11 01:00. */
	ck_assert_time_eq(sla_add_natural(cst(2026, 3, 10, 23, 0), 120), cst(2026, 3, 11, 1, 0));
}
END_TEST

START_TEST(natural_hours_cross_year_end)
{
	/* Level 1 "resolve within 24 h" from 2026-12-31 22:00 = 2027-01-01 22:00, holiday or not. */
	ck_assert_time_eq(sla_add_natural(cst(2026, 12, 31, 22, 0), 24 * 60), cst(2027, 1, 1, 22, 0));
	/* Level 3 "resolve within 72 h" from 2026-12-30 09:15 = 2027-01-02 09:15. */
	ck_assert_time_eq(sla_add_natural(cst(2026, 12, 30, 9, 15), 72 * 60), cst(2027, 1, 2, 9, 15));
}
END_TEST

START_TEST(working_minutes_inside_one_span)
{
	/* Tue 2026-03-10 09:00 + 60 = 10:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 9, 0), 60), cst(2026, 3, 10, 10, 0));
}
END_TEST

START_TEST(working_minutes_skip_the_lunch_break)
{
	/* 11:30 + 60: 30 until 12:00, 30 from 13:00 -> 13:30. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 11, 30), 60), cst(2026, 3, 10, 13, 30));
}
END_TEST

START_TEST(working_minutes_that_fill_the_morning_end_at_noon)
{
	/* 11:00 + 60 = 12:00 exactly, not 13:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 11, 0), 60), cst(2026, 3, 10, 12, 0));
}
END_TEST

START_TEST(working_day_of_480_minutes_ends_next_morning_at_the_same_time)
{
	/* Mon 2026-03-09 10:00 + 480: 120 (10-12) + 270 (13-17:30) = 390; 90 more from Tue 08:30 -> 10:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 9, 10, 0), 480), cst(2026, 3, 10, 10, 0));
}
END_TEST

START_TEST(working_minutes_skip_a_weekend)
{
	/* Fri 2026-09-11 17:00 + 60: 30 on Friday, Sat/Sun off, 30 from Mon 09-14 08:30 -> 09:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 9, 11, 17, 0), 60), cst(2026, 9, 14, 9, 0));
}
END_TEST

START_TEST(working_minutes_skip_national_day)
{
	/* Wed 2026-09-30 16:30 + 120: 60 on the 30th, 1-7 Oct off, 60 from Thu 10-08 08:30 -> 09:30. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 9, 30, 16, 30), 120), cst(2026, 10, 8, 9, 30));
}
END_TEST

START_TEST(working_minutes_use_a_make_up_saturday)
{
	/* Fri 2026-10-09 17:00 + 60: 30 on Friday, 30 on make-up Sat 10-10 from 08:30 -> 09:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 10, 9, 17, 0), 60), cst(2026, 10, 10, 9, 0));
	/* The Sunday after it is an ordinary Sunday: Sat 17:00 + 60 -> Mon 10-12 09:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 10, 10, 17, 0), 60), cst(2026, 10, 12, 9, 0));
}
END_TEST

START_TEST(make_up_day_works_its_own_hours_when_given)
{
	struct sla_calendar c = cal;

	c.makeup = (struct sla_hours){ 1, { { 600, 900 } } };   /* 10:00-15:00 */
	/* Fri 2026-10-09 17:00 + 60: 30 on Friday, 30 from Sat 10:00 -> 10:30. */
	ck_assert_time_eq(sla_add_working_minutes(&c, cst(2026, 10, 9, 17, 0), 60), cst(2026, 10, 10, 10, 30));
}
END_TEST

START_TEST(working_minutes_from_night_start_next_morning)
{
	/* Tue 2026-03-10 22:00 + 30 -> Wed 03-11 08:30 + 30 = 09:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 22, 0), 30), cst(2026, 3, 11, 9, 0));
	/* Wed 06:00 (before hours, same day) + 30 -> 09:00 the same Wednesday. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 11, 6, 0), 30), cst(2026, 3, 11, 9, 0));
}
END_TEST

START_TEST(working_minutes_from_a_sunday_start_on_monday)
{
	/* Sun 2026-03-15 10:00 + 480 = all of Mon 03-16 -> 17:30. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 15, 10, 0), 480), cst(2026, 3, 16, 17, 30));
}
END_TEST

START_TEST(zero_working_minutes_is_the_next_working_moment)
{
	/* Inside hours: the start itself. At lunch: 13:00. On a Saturday: Monday 08:30. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 9, 0), 0), cst(2026, 3, 10, 9, 0));
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 12, 30), 0), cst(2026, 3, 10, 13, 0));
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 14, 9, 0), 0), cst(2026, 3, 16, 8, 30));
	/* Negative counts as zero. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 3, 10, 12, 30), -5), cst(2026, 3, 10, 13, 0));
}
END_TEST

START_TEST(working_minutes_cross_year_end)
{
	/* Thu 2026-12-31 17:00 + 60: 30 on the 31st; Fri 01-01 holiday, Sat/Sun off; 30 from Mon 2027-01-04 08:30 -> 09:00. */
	ck_assert_time_eq(sla_add_working_minutes(&cal, cst(2026, 12, 31, 17, 0), 60), cst(2027, 1, 4, 9, 0));
}
END_TEST

START_TEST(working_seconds_between_two_instants_count_only_hours)
{
	/* Fri 2026-09-11 17:00 -> Mon 09-14 09:00: 30 + 30 = 60 minutes. */
	ck_assert_int_eq(sla_working_seconds(&cal, cst(2026, 9, 11, 17, 0), cst(2026, 9, 14, 9, 0)), 60 * 60);
	/* Across National Day: Wed 09-30 12:00 -> Thu 10-08 12:00 = 270 + 210 = 480 minutes. */
	ck_assert_int_eq(sla_working_seconds(&cal, cst(2026, 9, 30, 12, 0), cst(2026, 10, 8, 12, 0)), 480 * 60);
	ck_assert_int_eq(sla_working_seconds(&cal, cst(2026, 9, 14, 9, 0), cst(2026, 9, 11, 17, 0)), 0);
}
END_TEST

START_TEST(second_working_day_from_a_friday_is_tuesday_evening)
{
	/* Fri 2026-09-11 10:00: Mon 09-14 is the 1st, Tue 09-15 the 2nd -> 17:30. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 9, 11, 10, 0), 2), cst(2026, 9, 15, 17, 30));
	/* Received Friday evening after hours: the same. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 9, 11, 21, 0), 2), cst(2026, 9, 15, 17, 30));
}
END_TEST

START_TEST(second_working_day_from_the_day_before_national_day)
{
	/* Wed 2026-09-30: 1-7 Oct off; Thu 10-08 the 1st, Fri 10-09 the 2nd -> 17:30. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 9, 30, 10, 0), 2), cst(2026, 10, 9, 17, 30));
}
END_TEST

START_TEST(second_working_day_can_be_a_make_up_saturday)
{
	/* Thu 2026-10-08: Fri 10-09 the 1st, make-up Sat 10-10 the 2nd -> 17:30. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 10, 8, 9, 0), 2), cst(2026, 10, 10, 17, 30));
}
END_TEST

START_TEST(day_of_start_never_counts_even_before_hours_or_on_a_sunday)
{
	/* Tue 2026-03-10 07:00, 1st working day -> Wed 03-11 17:30 (not Tuesday). */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 3, 10, 7, 0), 1), cst(2026, 3, 11, 17, 30));
	/* Sun 2026-09-13: Mon 09-14 the 1st, Tue 09-15 the 2nd. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 9, 13, 10, 0), 2), cst(2026, 9, 15, 17, 30));
	/* 23:59 on Tuesday is still Tuesday in Beijing (15:59 UTC): the 1st is Wednesday. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 3, 10, 23, 59), 1), cst(2026, 3, 11, 17, 30));
}
END_TEST

START_TEST(third_working_day_crosses_national_day)
{
	/* Investigation report "within 3 working days" from Mon 2026-09-28: Tue 29, Wed 30, Thu 10-08 -> 17:30. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 9, 28, 15, 0), 3), cst(2026, 10, 8, 17, 30));
}
END_TEST

START_TEST(first_working_day_after_year_end_is_monday_fourth)
{
	/* Thu 2026-12-31: Fri 01-01 holiday, weekend; Mon 2027-01-04 the 1st, Tue 01-05 the 2nd. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 12, 31, 10, 0), 1), cst(2027, 1, 4, 17, 30));
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 12, 31, 10, 0), 2), cst(2027, 1, 5, 17, 30));
}
END_TEST

START_TEST(zero_working_days_is_the_end_of_the_same_working_day)
{
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 3, 10, 10, 0), 0), cst(2026, 3, 10, 17, 30));
	/* From a Sunday: the end of Monday. */
	ck_assert_time_eq(sla_add_working_days(&cal, cst(2026, 3, 15, 10, 0), 0), cst(2026, 3, 16, 17, 30));
}
END_TEST

START_TEST(calendar_without_working_time_gives_minus_one_instead_of_looping)
{
	struct sla_calendar c = { .utc_offset_min = 480 };

	ck_assert_time_eq(sla_add_working_minutes(&c, cst(2026, 3, 10, 9, 0), 60), -1);
	ck_assert_time_eq(sla_add_working_days(&c, cst(2026, 3, 10, 9, 0), 2), -1);
}
END_TEST

/* Level 2 "respond within 4 h", natural, registered Tue 2026-03-10 09:00: deadline 13:00. */
static struct sla_clock
natural_4h(const struct sla_pause *p, size_t n)
{
	return (struct sla_clock){ .start = cst(2026, 3, 10, 9, 0), .kind = SLA_NATURAL,
	    .budget_minutes = 240, .pauses = p, .npauses = n };
}

START_TEST(clock_without_pause_counts_elapsed_time)
{
	struct sla_clock c = natural_4h(NULL, 0);
	struct sla_status st;

	sla_status(&cal, &c, cst(2026, 3, 10, 10, 0), &st);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 10, 13, 0));
	ck_assert_int_eq(st.budget_minutes, 240);
	ck_assert_int_eq(st.used_minutes, 60);
	ck_assert_int_eq(st.paused_minutes, 0);
	ck_assert_int_eq(st.remaining_minutes, 180);
	ck_assert_double_eq_tol(st.fraction, 0.25, 1e-9);
	ck_assert_int_eq(st.state, SLA_OK);
	ck_assert_str_eq(sla_state_name(st.state), "ok");
}
END_TEST

START_TEST(clock_warns_at_exactly_75_percent_and_not_a_second_before)
{
	struct sla_clock c = natural_4h(NULL, 0);
	struct sla_status st;

	/* 75 % of 240 min = 180 min -> 12:00. */
	sla_status(&cal, &c, cst(2026, 3, 10, 12, 0) - 1, &st);
	ck_assert_int_eq(st.state, SLA_OK);
	sla_status(&cal, &c, cst(2026, 3, 10, 12, 0), &st);
	ck_assert_int_eq(st.state, SLA_WARNING);
	ck_assert_int_eq(st.used_minutes, 180);
	ck_assert_double_eq_tol(st.fraction, 0.75, 1e-9);
	ck_assert_str_eq(sla_state_name(st.state), "warning");
}
END_TEST

START_TEST(clock_is_on_time_at_the_deadline_and_overdue_after_it)
{
	struct sla_clock c = natural_4h(NULL, 0);
	struct sla_status st;

	sla_status(&cal, &c, cst(2026, 3, 10, 13, 0), &st);
	ck_assert_int_eq(st.state, SLA_WARNING);
	ck_assert_int_eq(st.remaining_minutes, 0);
	sla_status(&cal, &c, cst(2026, 3, 10, 14, 30), &st);
	ck_assert_int_eq(st.state, SLA_OVERDUE);
	ck_assert_int_eq(st.used_minutes, 330);
	ck_assert_int_eq(st.remaining_minutes, -90);
	ck_assert_double_eq_tol(st.fraction, 330.0 / 240.0, 1e-9);
	ck_assert_str_eq(sla_state_name(st.state), "overdue");
}
END_TEST

START_TEST(clock_one_pause_shifts_the_deadline_by_its_length)
{
	struct sla_pause pp[] = { { cst(2026, 3, 10, 10, 0), cst(2026, 3, 10, 10, 30) } };
	struct sla_clock c = natural_4h(pp, 1);
	struct sla_status st;

	/* At 11:00: 120 elapsed - 30 paused = 90 used; deadline 13:00 + 30 = 13:30. */
	sla_status(&cal, &c, cst(2026, 3, 10, 11, 0), &st);
	ck_assert_int_eq(st.used_minutes, 90);
	ck_assert_int_eq(st.paused_minutes, 30);
	ck_assert_int_eq(st.remaining_minutes, 150);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 10, 13, 30));
	ck_assert_int_eq(st.state, SLA_OK);
}
END_TEST

START_TEST(clock_several_pauses_add_up_and_overlaps_count_once)
{
	struct sla_pause pp[] = {
		{ cst(2026, 3, 10, 9, 30), cst(2026, 3, 10, 9, 40) },    /* 10 */
		{ cst(2026, 3, 10, 10, 0), cst(2026, 3, 10, 10, 20) },   /* 20 */
		{ cst(2026, 3, 10, 10, 10), cst(2026, 3, 10, 10, 30) },  /* overlaps: +10 */
		{ cst(2026, 3, 10, 11, 0), cst(2026, 3, 10, 11, 20) },   /* 20 */
	};
	struct sla_clock c = natural_4h(pp, 4);
	struct sla_status st;

	/* At 12:00: 180 elapsed - 60 paused = 120 used; deadline 13:00 + 60 = 14:00. */
	sla_status(&cal, &c, cst(2026, 3, 10, 12, 0), &st);
	ck_assert_int_eq(st.paused_minutes, 60);
	ck_assert_int_eq(st.used_minutes, 120);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 10, 14, 0));
	ck_assert_int_eq(st.state, SLA_OK);
}
END_TEST

START_TEST(clock_open_pause_is_paused_and_keeps_moving_the_deadline)
{
	struct sla_pause pp[] = { { cst(2026, 3, 10, 10, 0), 0 } };
	struct sla_clock c = natural_4h(pp, 1);
	struct sla_status st;

	/* At 11:00: 60 used, 60 paused, deadline 14:00. */
	sla_status(&cal, &c, cst(2026, 3, 10, 11, 0), &st);
	ck_assert_int_eq(st.state, SLA_PAUSED);
	ck_assert_int_eq(st.used_minutes, 60);
	ck_assert_int_eq(st.paused_minutes, 60);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 10, 14, 0));
	/* At 15:00, long past the original 13:00: still 60 used, 300 paused, deadline 18:00, not overdue. */
	sla_status(&cal, &c, cst(2026, 3, 10, 15, 0), &st);
	ck_assert_int_eq(st.state, SLA_PAUSED);
	ck_assert_int_eq(st.used_minutes, 60);
	ck_assert_int_eq(st.paused_minutes, 300);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 10, 18, 0));
	ck_assert_str_eq(sla_state_name(st.state), "paused");
}
END_TEST

START_TEST(clock_paused_after_its_deadline_stays_overdue)
{
	struct sla_pause pp[] = { { cst(2026, 3, 10, 13, 30), 0 } };
	struct sla_clock c = natural_4h(pp, 1);
	struct sla_status st;

	/* At 14:00: 270 used (09:00-13:30), 30 paused, deadline 13:30 < now. */
	sla_status(&cal, &c, cst(2026, 3, 10, 14, 0), &st);
	ck_assert_int_eq(st.state, SLA_OVERDUE);
	ck_assert_int_eq(st.used_minutes, 270);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 10, 13, 30));
}
END_TEST

START_TEST(clock_pause_in_the_future_or_before_start_does_not_count)
{
	struct sla_pause pp[] = {
		{ cst(2026, 3, 10, 8, 0), cst(2026, 3, 10, 9, 15) },   /* only 09:00-09:15 counts */
		{ cst(2026, 3, 10, 11, 0), cst(2026, 3, 10, 12, 0) },  /* after now */
	};
	struct sla_clock c = natural_4h(pp, 2);
	struct sla_status st;

	sla_status(&cal, &c, cst(2026, 3, 10, 10, 0), &st);
	ck_assert_int_eq(st.paused_minutes, 15);
	ck_assert_int_eq(st.used_minutes, 45);
	ck_assert_int_eq(st.state, SLA_OK);
	/* Before start nothing is used. */
	sla_status(&cal, &c, cst(2026, 3, 10, 8, 30), &st);
	ck_assert_int_eq(st.used_minutes, 0);
	ck_assert_int_eq(st.paused_minutes, 0);
}
END_TEST

START_TEST(working_clock_pause_over_a_weekend_counts_only_working_time)
{
	/*
	 * 16 working hours (960 min) from Thu 2026-03-12 09:00: Thu 180 + 270 = 450,
	 * Fri 480 -> 930, 30 more on Mon 03-16 -> basis Mon 09:00.
	 * Paused Fri 16:30 -> Mon 10:30: working time Fri 16:30-17:30 (60) + Mon
	 * 08:30-10:30 (120) = 180, not the 66 natural hours.
	 * Deadline: Mon 09:00 + 180 working = 12:00.
	 * At Mon 11:00: worked 450 + 480 + 150 = 1080, minus 180 -> 900 used,
	 * 60 remaining, 900/960 = 93.75 % -> warning.
	 */
	struct sla_pause pp[] = { { cst(2026, 3, 13, 16, 30), cst(2026, 3, 16, 10, 30) } };
	struct sla_clock c = { .start = cst(2026, 3, 12, 9, 0), .kind = SLA_WORKING,
	    .budget_minutes = 960, .pauses = pp, .npauses = 1 };
	struct sla_status st;

	sla_status(&cal, &c, cst(2026, 3, 16, 11, 0), &st);
	ck_assert_int_eq(st.paused_minutes, 180);
	ck_assert_int_eq(st.used_minutes, 900);
	ck_assert_int_eq(st.remaining_minutes, 60);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 16, 12, 0));
	ck_assert_double_eq_tol(st.fraction, 0.9375, 1e-9);
	ck_assert_int_eq(st.state, SLA_WARNING);
	/* Without the pause it would have been overdue since Mon 09:00. */
	c.npauses = 0;
	sla_status(&cal, &c, cst(2026, 3, 16, 11, 0), &st);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 16, 9, 0));
	ck_assert_int_eq(st.state, SLA_OVERDUE);
	ck_assert_int_eq(st.remaining_minutes, -120);
}
END_TEST

START_TEST(working_clock_open_pause_on_a_weekend_does_not_grow)
{
	/* Paused since Fri 2026-03-13 17:00, seen on Sunday: only Fri 17:00-17:30 is paused working time. */
	struct sla_pause pp[] = { { cst(2026, 3, 13, 17, 0), 0 } };
	struct sla_clock c = { .start = cst(2026, 3, 12, 9, 0), .kind = SLA_WORKING,
	    .budget_minutes = 960, .pauses = pp, .npauses = 1 };
	struct sla_status st;

	/* Used: Thu 450 + Fri 08:30-17:00 450 = 900. Deadline Mon 09:00 + 30 = 09:30. */
	sla_status(&cal, &c, cst(2026, 3, 15, 20, 0), &st);
	ck_assert_int_eq(st.state, SLA_PAUSED);
	ck_assert_int_eq(st.paused_minutes, 30);
	ck_assert_int_eq(st.used_minutes, 900);
	ck_assert_time_eq(st.deadline, cst(2026, 3, 16, 9, 30));
}
END_TEST

START_TEST(working_clock_by_the_second_working_day)
{
	/*
	 * Department opinion "by the 2nd working day", assigned Fri 2026-09-11 10:00:
	 * basis Tue 09-15 17:30; budget = Fri 120 + 270 + Mon 480 + Tue 480 = 1350.
	 */
	struct sla_pause pp[] = { { cst(2026, 9, 14, 14, 0), cst(2026, 9, 14, 15, 0) } };
	struct sla_clock c = { .start = cst(2026, 9, 11, 10, 0), .kind = SLA_WORKING, .pauses = pp };
	struct sla_status st;

	c.deadline_basis = sla_add_working_days(&cal, c.start, 2);
	ck_assert_time_eq(c.deadline_basis, cst(2026, 9, 15, 17, 30));

	/* Mon 17:30 without pause: 390 + 480 = 870 used, 870/1350 = 64 % -> ok. */
	sla_status(&cal, &c, cst(2026, 9, 14, 17, 30), &st);
	ck_assert_int_eq(st.budget_minutes, 1350);
	ck_assert_int_eq(st.used_minutes, 870);
	ck_assert_int_eq(st.state, SLA_OK);
	ck_assert_time_eq(st.deadline, cst(2026, 9, 15, 17, 30));

	/* One working hour paused on Monday: the deadline moves past Tuesday's close to Wed 09:30. */
	c.npauses = 1;
	sla_status(&cal, &c, cst(2026, 9, 15, 18, 0), &st);
	ck_assert_time_eq(st.deadline, cst(2026, 9, 16, 9, 30));
	ck_assert_int_eq(st.used_minutes, 1290);
	ck_assert_int_eq(st.remaining_minutes, 60);
	ck_assert_int_eq(st.state, SLA_WARNING);
	/* Wed 09:31: overdue. */
	sla_status(&cal, &c, cst(2026, 9, 16, 9, 31), &st);
	ck_assert_int_eq(st.state, SLA_OVERDUE);
}
END_TEST

START_TEST(working_clock_is_on_time_at_close_and_overdue_a_minute_later)
{
	/* Basis Tue 09-15 17:30; at 17:30 on the dot: on time; at 17:31: overdue even though no working time passed. */
	struct sla_clock c = { .start = cst(2026, 9, 11, 10, 0), .kind = SLA_WORKING };
	struct sla_status st;

	c.deadline_basis = sla_add_working_days(&cal, c.start, 2);
	sla_status(&cal, &c, cst(2026, 9, 15, 17, 30), &st);
	ck_assert_int_eq(st.state, SLA_WARNING);
	ck_assert_int_eq(st.remaining_minutes, 0);
	sla_status(&cal, &c, cst(2026, 9, 15, 17, 31), &st);
	ck_assert_int_eq(st.state, SLA_OVERDUE);
	ck_assert_int_eq(st.remaining_minutes, 0);
}
END_TEST

/* The writer both the list's local times and the clocks' UTC times use (sla.h). */
START_TEST(a_minute_is_written_as_snprintf_would_write_it)
{
	static const struct { int date, h, mi; } cases[] = {
		{ 20261130, 18, 5 }, { 10101, 0, 0 }, { 99991231, 23, 59 }, { 20000229, 9, 30 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[17], want[32];
		sla_put_minute(got, cases[i].date, cases[i].h, cases[i].mi);
		got[16] = '\0';
		snprintf(want, sizeof(want), "%04d-%02d-%02d %02d:%02d", cases[i].date / 10000,
		    cases[i].date / 100 % 100, cases[i].date % 100, cases[i].h, cases[i].mi);
		ck_assert_str_eq(got, want);
	}
}
END_TEST
int
main(void)
{
	Suite *s = suite_create("sla");
	TCase *tc = tcase_create("sla");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, calendar_of_the_tests_passes_the_check);
	tcase_add_test(tc, calendar_check_rejects_unsorted_dates_bad_spans_and_conflicts);
	tcase_add_test(tc, working_days_follow_weekdays_holidays_and_make_up_days);
	tcase_add_test(tc, local_date_is_beijing_date_not_utc_date);
	tcase_add_test(tc, natural_hours_cross_midnight);
	tcase_add_test(tc, natural_hours_cross_year_end);
	tcase_add_test(tc, working_minutes_inside_one_span);
	tcase_add_test(tc, working_minutes_skip_the_lunch_break);
	tcase_add_test(tc, working_minutes_that_fill_the_morning_end_at_noon);
	tcase_add_test(tc, working_day_of_480_minutes_ends_next_morning_at_the_same_time);
	tcase_add_test(tc, working_minutes_skip_a_weekend);
	tcase_add_test(tc, working_minutes_skip_national_day);
	tcase_add_test(tc, working_minutes_use_a_make_up_saturday);
	tcase_add_test(tc, make_up_day_works_its_own_hours_when_given);
	tcase_add_test(tc, working_minutes_from_night_start_next_morning);
	tcase_add_test(tc, working_minutes_from_a_sunday_start_on_monday);
	tcase_add_test(tc, zero_working_minutes_is_the_next_working_moment);
	tcase_add_test(tc, working_minutes_cross_year_end);
	tcase_add_test(tc, working_seconds_between_two_instants_count_only_hours);
	tcase_add_test(tc, second_working_day_from_a_friday_is_tuesday_evening);
	tcase_add_test(tc, second_working_day_from_the_day_before_national_day);
	tcase_add_test(tc, second_working_day_can_be_a_make_up_saturday);
	tcase_add_test(tc, day_of_start_never_counts_even_before_hours_or_on_a_sunday);
	tcase_add_test(tc, third_working_day_crosses_national_day);
	tcase_add_test(tc, first_working_day_after_year_end_is_monday_fourth);
	tcase_add_test(tc, zero_working_days_is_the_end_of_the_same_working_day);
	tcase_add_test(tc, calendar_without_working_time_gives_minus_one_instead_of_looping);
	tcase_add_test(tc, clock_without_pause_counts_elapsed_time);
	tcase_add_test(tc, clock_warns_at_exactly_75_percent_and_not_a_second_before);
	tcase_add_test(tc, clock_is_on_time_at_the_deadline_and_overdue_after_it);
	tcase_add_test(tc, clock_one_pause_shifts_the_deadline_by_its_length);
	tcase_add_test(tc, clock_several_pauses_add_up_and_overlaps_count_once);
	tcase_add_test(tc, clock_open_pause_is_paused_and_keeps_moving_the_deadline);
	tcase_add_test(tc, clock_paused_after_its_deadline_stays_overdue);
	tcase_add_test(tc, clock_pause_in_the_future_or_before_start_does_not_count);
	tcase_add_test(tc, working_clock_pause_over_a_weekend_counts_only_working_time);
	tcase_add_test(tc, working_clock_open_pause_on_a_weekend_does_not_grow);
	tcase_add_test(tc, working_clock_by_the_second_working_day);
	tcase_add_test(tc, working_clock_is_on_time_at_close_and_overdue_a_minute_later);
	tcase_add_test(tc, a_minute_is_written_as_snprintf_would_write_it);
	suite_add_tcase(s, tc);
	return check_run(s);
}
