/* check_arena.c: the per-request arena and the output buffer. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check_run.h"

static struct arena *a;

static void setup(void) { a = arena_new(); }
static void teardown(void) { arena_free(a); }

START_TEST(allocations_are_zeroed_and_aligned)
{
	for (int i = 1; i < 200; i++) {
		unsigned char *p = arena_alloc(a, (size_t)i);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		for (int k = 0; k < i; k++)
			ck_assert_uint_eq(p[k], 0);
		memset(p, 0xAA, (size_t)i);
	}
}
END_TEST

START_TEST(large_allocations_get_their_own_block)
{
	char *big = arena_alloc(a, 1 << 20);
	char *small = arena_strdup(a, "after");
	memset(big, 'x', 1 << 20);
	ck_assert_str_eq(small, "after");
	ck_assert_uint_ge(arena_used(a), (size_t)(1 << 20));
}
END_TEST

START_TEST(strings_copy_and_format)
{
	ck_assert_str_eq(arena_strdup(a, "中文"), "中文");
	ck_assert_ptr_null(arena_strdup(a, NULL));
	ck_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	ck_assert_str_eq(arena_printf(a, "%s-%04d", "x", 42), "x-0042");
}
END_TEST

static int ran[3];
static int order;
static void mark(void *p) { *(int *)p = ++order; }

START_TEST(cleanups_run_last_registered_first_on_reset)
{
	order = 0;
	arena_defer(a, mark, &ran[0]);
	arena_defer(a, mark, &ran[1]);
	arena_defer(a, mark, &ran[2]);
	arena_reset(a);
	ck_assert_int_eq(ran[2], 1);
	ck_assert_int_eq(ran[1], 2);
	ck_assert_int_eq(ran[0], 3);
	ck_assert_uint_eq(arena_used(a), 0);
	/* A reset arena is usable again and runs nothing twice. */
	ck_assert_str_eq(arena_strdup(a, "again"), "again");
	arena_reset(a);
	ck_assert_int_eq(order, 3);
}
END_TEST

START_TEST(buffer_escapes_every_html_special_character)
{
	struct buf b;
	const char *in = "<a href=\"x\">Tom & Jerry's</a> 中文";

	buf_init(&b);
	buf_html_escape(&b, in, strlen(in));
	ck_assert_str_eq(b.p, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; 中文");
	buf_free(&b);
}
END_TEST

START_TEST(buffer_url_encodes_all_but_unreserved)
{
	struct buf b;

	buf_init(&b);
	buf_url_encode(&b, "a b&c=d/é~._-");
	ck_assert_str_eq(b.p, "a%20b%26c%3Dd%2F%C3%A9~._-");
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	buf_printf(&b, "%d+%s", 1, "2");
	ck_assert_str_eq(b.p, "1+2");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, allocations_are_zeroed_and_aligned);
	tcase_add_test(tc, large_allocations_get_their_own_block);
	tcase_add_test(tc, strings_copy_and_format);
	tcase_add_test(tc, cleanups_run_last_registered_first_on_reset);
	tcase_add_test(tc, buffer_escapes_every_html_special_character);
	tcase_add_test(tc, buffer_url_encodes_all_but_unreserved);
	suite_add_tcase(s, tc);
	return check_run(s);
}
