/* check_stats.c: the statistics' periods (month, quarter, year, range; the one before; a year earlier), rates and the KPI score. */
#include <check.h>
#include <string.h>

#include "stats.h"
#include "stats_figures.h"
#include "check_run.h"

#define RANGE(rg, f, t) do { ck_assert_str_eq((rg).from, f); ck_assert_str_eq((rg).to, t); } while (0)

START_TEST(a_month_is_compared_with_the_month_before_and_the_same_month_a_year_earlier)
{
	struct stats_period p;

	ck_assert_ptr_null(stats_period_parse("2026-11", NULL, NULL, "2026-11-30", &p));
	ck_assert_int_eq(p.kind, STATS_MONTH);
	ck_assert_str_eq(p.label, "2026-11");
	RANGE(p.cur, "2026-11-01", "2026-12-01");
	RANGE(p.prev, "2026-10-01", "2026-11-01");
	RANGE(p.yago, "2025-11-01", "2025-12-01");
	ck_assert_str_eq(p.last, "2026-11-30");
}
END_TEST

START_TEST(january_follows_december_of_the_year_before)
{
	struct stats_period p;

	ck_assert_ptr_null(stats_period_parse("2026-01", NULL, NULL, "2026-11-30", &p));
	RANGE(p.prev, "2025-12-01", "2026-01-01");
	ck_assert_ptr_null(stats_period_parse("2026-12", NULL, NULL, "2026-11-30", &p));
	RANGE(p.cur, "2026-12-01", "2027-01-01");
}
END_TEST

START_TEST(a_quarter_and_a_year)
{
	struct stats_period p;

	ck_assert_ptr_null(stats_period_parse("2026-Q3", NULL, NULL, "2026-11-30", &p));
	ck_assert_str_eq(p.label, "2026-Q3");
	RANGE(p.cur, "2026-07-01", "2026-10-01");
	RANGE(p.prev, "2026-04-01", "2026-07-01");
	RANGE(p.yago, "2025-07-01", "2025-10-01");
	ck_assert_ptr_null(stats_period_parse("2026-Q1", NULL, NULL, "2026-11-30", &p));
	RANGE(p.prev, "2025-10-01", "2026-01-01");
	ck_assert_ptr_null(stats_period_parse("2026", NULL, NULL, "2026-11-30", &p));
	ck_assert_str_eq(p.label, "2026");
	RANGE(p.cur, "2026-01-01", "2027-01-01");
	RANGE(p.prev, "2025-01-01", "2026-01-01");
	RANGE(p.yago, "2025-01-01", "2026-01-01");
	ck_assert_str_eq(p.last, "2026-12-31");
}
END_TEST

START_TEST(a_date_range_is_compared_with_as_many_days_before_it)
{
	struct stats_period p;

	ck_assert_ptr_null(stats_period_parse(NULL, "2026-03-01", "2026-03-10", "2026-11-30", &p));
	ck_assert_int_eq(p.kind, STATS_RANGE);
	RANGE(p.cur, "2026-03-01", "2026-03-11");
	RANGE(p.prev, "2026-02-19", "2026-03-01");
	RANGE(p.yago, "2025-03-01", "2025-03-11");
	ck_assert_str_eq(p.last, "2026-03-10");
	ck_assert_ptr_null(stats_period_parse("", "2028-02-29", "2028-02-29", "2026-11-30", &p));
	RANGE(p.yago, "2027-03-01", "2027-03-01");
}
END_TEST

START_TEST(nothing_asked_is_this_month)
{
	struct stats_period p;

	ck_assert_ptr_null(stats_period_parse(NULL, NULL, NULL, "2026-11-30", &p));
	ck_assert_str_eq(p.label, "2026-11");
	RANGE(p.cur, "2026-11-01", "2026-12-01");
}
END_TEST

START_TEST(bad_periods_are_named)
{
	struct stats_period p;

	ck_assert_str_eq(stats_period_parse("2026-13", NULL, NULL, "2026-11-30", &p), "err_stats_month");
	ck_assert_str_eq(stats_period_parse("2026-00", NULL, NULL, "2026-11-30", &p), "err_stats_month");
	ck_assert_str_eq(stats_period_parse("2026-Q5", NULL, NULL, "2026-11-30", &p), "err_stats_period");
	ck_assert_str_eq(stats_period_parse("1990", NULL, NULL, "2026-11-30", &p), "err_stats_period");
	ck_assert_str_eq(stats_period_parse("2026-1", NULL, NULL, "2026-11-30", &p), "err_stats_period");
	ck_assert_str_eq(stats_period_parse("20x6", NULL, NULL, "2026-11-30", &p), "err_stats_period");
	ck_assert_str_eq(stats_period_parse(NULL, "2000-01-01", "2029-12-31", "2026-11-30", &p), "err_stats_range_long");
	ck_assert_str_eq(stats_period_parse(NULL, "2026-03-10", "2026-03-01", "2026-11-30", &p), "err_stats_range_order");
	ck_assert_str_eq(stats_period_parse(NULL, "2026-02-30", "2026-03-01", "2026-11-30", &p), "err_stats_period");
	ck_assert_str_eq(stats_period_parse(NULL, "2026-03-01", NULL, "2026-11-30", &p), "err_stats_period");
}
END_TEST

START_TEST(rates_round_half_up_and_the_kpi_weighs_its_parts)
{
	ck_assert_int_eq(stats_permille(1, 3), 333);
	ck_assert_int_eq(stats_permille(2, 3), 667);
	ck_assert_int_eq(stats_permille(0, 0), -1);
	ck_assert_int_eq(stats_kpi(1000, 800, 500, 30, 40, 30), 770);
	/* no satisfaction yet: timeliness and resolution count half each */
	ck_assert_int_eq(stats_kpi(1000, -1, 500, 30, 40, 30), 750);
	ck_assert_int_eq(stats_kpi(-1, -1, -1, 30, 40, 30), -1);
}
END_TEST

START_TEST(the_month_is_closed_from_the_tenth_of_the_next_one)
{
	char m[8] = "";

	ck_assert(!stats_close_target("2026-12-09", m));
	ck_assert(stats_close_target("2026-12-10", m));
	ck_assert_str_eq(m, "2026-11");
	ck_assert(stats_close_target("2026-01-31", m));
	ck_assert_str_eq(m, "2025-12");
	ck_assert(!stats_close_target("2026-01", m));
	ck_assert(!stats_close_target(NULL, m));
}
END_TEST


int
main(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("periods");

	tcase_add_test(tc, a_month_is_compared_with_the_month_before_and_the_same_month_a_year_earlier);
	tcase_add_test(tc, january_follows_december_of_the_year_before);
	tcase_add_test(tc, a_quarter_and_a_year);
	tcase_add_test(tc, a_date_range_is_compared_with_as_many_days_before_it);
	tcase_add_test(tc, nothing_asked_is_this_month);
	tcase_add_test(tc, bad_periods_are_named);
	tcase_add_test(tc, rates_round_half_up_and_the_kpi_weighs_its_parts);
	tcase_add_test(tc, the_month_is_closed_from_the_tenth_of_the_next_one);
	suite_add_tcase(s, tc);
	return check_run(s);
}
