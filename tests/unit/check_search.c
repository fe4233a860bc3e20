/* check_search.c: what a person types becomes a Mroonga boolean query with every operator defused. */
#include <check.h>
#include <string.h>

#include "arena.h"
#include "search.h"
#include "check_run.h"

START_TEST(every_word_is_required_and_quoted)
{
	struct arena *a = arena_new();

	ck_assert_str_eq(search_boolean(a, "床垫"), "+\"床垫\"");
	ck_assert_str_eq(search_boolean(a, "  安睡\t L2026 "), "+\"安睡\" +\"L2026\"");
	/* the ideographic space separates words as a blank does */
	ck_assert_str_eq(search_boolean(a, "佛山\xe3\x80\x80床垫"), "+\"佛山\" +\"床垫\"");
	arena_free(a);
}
END_TEST

START_TEST(operators_are_text_and_quotes_are_dropped)
{
	struct arena *a = arena_new();

	ck_assert_str_eq(search_boolean(a, "-x +y *z (w) ~v <u"), "+\"-x\" +\"+y\" +\"*z\" +\"(w)\" +\"~v\" +\"<u\"");
	ck_assert_str_eq(search_boolean(a, "a\"b\\c"), "+\"abc\"");
	ck_assert_str_eq(search_boolean(a, "\" \"\" x"), "+\"x\"");
	ck_assert_ptr_null(search_boolean(a, "\"\" \\"));
	ck_assert_ptr_null(search_boolean(a, "   "));
	ck_assert_ptr_null(search_boolean(a, NULL));
	arena_free(a);
}
END_TEST

START_TEST(at_most_eight_words)
{
	struct arena *a = arena_new();
	const char *q = search_boolean(a, "1 2 3 4 5 6 7 8 9 10");

	ck_assert_str_eq(q, "+\"1\" +\"2\" +\"3\" +\"4\" +\"5\" +\"6\" +\"7\" +\"8\"");
	arena_free(a);
}
END_TEST

START_TEST(length_is_counted_in_characters)
{
	char buf[5 * 1024];

	memset(buf, 'x', 100);
	buf[100] = '\0';
	ck_assert_int_eq(search_too_long(buf), 0);
	buf[100] = 'x';
	buf[101] = '\0';
	ck_assert_int_eq(search_too_long(buf), 1);
	/* 100 Chinese characters are 300 bytes and still fine; 101 are not */
	for (int i = 0; i < 100; i++)
		memcpy(buf + 3 * i, "床", 3);
	buf[300] = '\0';
	ck_assert_int_eq(search_too_long(buf), 0);
	memcpy(buf + 300, "垫", 4);
	ck_assert_int_eq(search_too_long(buf), 1);
	memset(buf, 'y', 5000);
	buf[5000] = '\0';
	ck_assert_int_eq(search_too_long(buf), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("search");
	TCase *tc = tcase_create("boolean");

	tcase_add_test(tc, every_word_is_required_and_quoted);
	tcase_add_test(tc, operators_are_text_and_quotes_are_dropped);
	tcase_add_test(tc, at_most_eight_words);
	tcase_add_test(tc, length_is_counted_in_characters);
	suite_add_tcase(s, tc);
	return check_run(s);
}
