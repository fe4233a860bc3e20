/* check_list_sort.c: sort=column picks an indexed order, and its cursor carries the sort key both ways. */
#include <check.h>
#include <string.h>

#include "arena.h"
#include "list_sort.h"
#include "check_run.h"

START_TEST(known_columns_both_ways_and_unknown_ones_refused)
{
	struct list_sort o;

	ck_assert_int_eq(list_sort_parse(NULL, &o), 1);
	ck_assert(list_sort_is_default(&o));
	ck_assert_int_eq(list_sort_stmt(&o, 0), STMT_COMPLAINT_LIST);
	ck_assert_int_eq(list_sort_stmt(&o, 1), STMT_COMPLAINT_LIST_AFTER);
	ck_assert_int_eq(list_sort_parse("customer", &o), 1);
	ck_assert_int_eq(o.col, LC_CUSTOMER);
	ck_assert_int_eq(o.desc, 0);
	ck_assert_str_eq(list_sort_name(&o), "customer");
	ck_assert_int_eq(list_sort_stmt(&o, 1), STMT_LIST_BY_CUSTOMER_ASC_AFTER);
	ck_assert_int_eq(list_sort_parse("-severity", &o), 1);
	ck_assert_int_eq(o.desc, 1);
	ck_assert_str_eq(list_sort_name(&o), "-severity");
	ck_assert_int_eq(list_sort_stmt(&o, 0), STMT_LIST_BY_SEVERITY_DESC);
	ck_assert_int_eq(list_sort_parse("customer_phone", &o), 0);
	ck_assert(list_sort_is_default(&o));
	ck_assert_int_eq(list_sort_parse("--number", &o), 0);
	ck_assert_int_eq(list_sort_parse("number; DROP TABLE complaint", &o), 0);
	ck_assert_int_eq(list_sort_parse("-", &o), 0);
}
END_TEST

START_TEST(cursors_round_trip_with_chinese_keys)
{
	struct arena *a = arena_new();
	struct list_sort o;
	const char *key, *at;
	uint64_t id;
	char *c;

	list_sort_parse("-customer", &o);
	c = list_cursor_make(a, &o, "张伟 & Co.", "2026-11-30 08:15:00", "4711");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(strchr(c, '&'));
	ck_assert_int_eq(list_cursor_parse(a, &o, c, &key, &at, &id), 1);
	ck_assert_str_eq(key, "张伟 & Co.");
	ck_assert_str_eq(at, "2026-11-30 08:15:00");
	ck_assert_uint_eq(id, 4711);

	/* the default order keeps the cursor it always had */
	list_sort_parse(NULL, &o);
	c = list_cursor_make(a, &o, "ignored", "2026-11-30 08:15:00", "12");
	ck_assert_str_eq(c, "20261130081500.12");
	ck_assert_int_eq(list_cursor_parse(a, &o, c, &key, &at, &id), 1);
	ck_assert_uint_eq(id, 12);

	/* an empty key (a customer with no name) still pages */
	list_sort_parse("customer", &o);
	c = list_cursor_make(a, &o, "", "2026-11-30 08:15:00", "9");
	ck_assert_int_eq(list_cursor_parse(a, &o, c, &key, &at, &id), 1);
	ck_assert_str_eq(key, "");
	arena_free(a);
}
END_TEST

START_TEST(malformed_cursors_are_refused)
{
	struct arena *a = arena_new();
	struct list_sort o;
	const char *key, *at;
	uint64_t id;

	list_sort_parse("status", &o);
	ck_assert_int_eq(list_cursor_parse(a, &o, NULL, &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "6f70656e.20261130081500.0", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "6f7.20261130081500.5", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "zz.20261130081500.5", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "6f70.2026113008150x.5", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "6f70.20261130081500.5x", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &o, "ff.20261130081500.5", &key, &at, &id), 0);   /* not UTF-8 */
	ck_assert_int_eq(list_cursor_parse(a, &o, "0000.20261130081500.5", &key, &at, &id), 0); /* NUL */
	ck_assert_int_eq(list_cursor_parse(a, &o, "6f70.20261130081500.5", &key, &at, &id), 1);
	ck_assert_str_eq(key, "op");
	arena_free(a);
}
END_TEST

START_TEST(a_cursor_made_for_another_order_or_an_impossible_time_is_refused)
{
	struct arena *a = arena_new();
	struct list_sort cust, num, sev, stat, def;
	const char *key, *at;
	uint64_t id;
	char *c;

	list_sort_parse("customer", &cust);
	list_sort_parse("-number", &num);
	list_sort_parse("severity", &sev);
	list_sort_parse("-status", &stat);
	list_sort_parse(NULL, &def);
	c = list_cursor_make(a, &cust, "张伟", "2026-11-30 08:15:00", "7");
	ck_assert_int_eq(list_cursor_parse(a, &num, c, &key, &at, &id), 0);   /* a name is no number */
	ck_assert_int_eq(list_cursor_parse(a, &sev, c, &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &stat, c, &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &def, c, &key, &at, &id), 0);
	c = list_cursor_make(a, &def, NULL, "2026-11-30 08:15:00", "7");
	ck_assert_int_eq(list_cursor_parse(a, &cust, c, &key, &at, &id), 0);   /* newest-first's, not a name's */
	c = list_cursor_make(a, &num, "261130007", "2026-11-30 08:15:00", "7");
	ck_assert_int_eq(list_cursor_parse(a, &num, c, &key, &at, &id), 1);
	ck_assert_int_eq(list_cursor_parse(a, &stat, c, &key, &at, &id), 0);
	/* month 13, hour 24 */
	ck_assert_int_eq(list_cursor_parse(a, &def, "20261301081500.5", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &def, "20261130241500.5", &key, &at, &id), 0);
	ck_assert_int_eq(list_cursor_parse(a, &def, "20261130231500.5", &key, &at, &id), 1);
	arena_free(a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("list_sort");
	TCase *tc = tcase_create("list_sort");

	tcase_add_test(tc, known_columns_both_ways_and_unknown_ones_refused);
	tcase_add_test(tc, cursors_round_trip_with_chinese_keys);
	tcase_add_test(tc, malformed_cursors_are_refused);
	tcase_add_test(tc, a_cursor_made_for_another_order_or_an_impossible_time_is_refused);
	suite_add_tcase(s, tc);
	return check_run(s);
}
