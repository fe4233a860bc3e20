/* check_res_cache.c: a kept result comes back whole at its head, never at another, and stays bounded. */
#include <check.h>
#include <string.h>

#include "res_cache.h"
#include "check_run.h"

/* A stamp at head h and generation 1. */
#define S(h) ((struct res_stamp){ (h), 1 })

/* A result of nrows rows: "r<i>", NULL, "x" repeated wide times. */
static struct db_res
make(struct arena *a, size_t nrows, size_t wide)
{
	struct db_res res;
	char *big = arena_alloc(a, wide + 1);

	memset(big, 'x', wide);
	memset(&res, 0, sizeof(res));
	res.nrows = nrows;
	res.ncols = 3;
	res.rows = arena_alloc(a, (nrows + 1) * sizeof(*res.rows));
	res.lens = arena_alloc(a, (nrows + 1) * sizeof(*res.lens));
	for (size_t i = 0; i < nrows; i++) {
		res.rows[i] = arena_alloc(a, 3 * sizeof(char *));
		res.lens[i] = arena_alloc(a, 3 * sizeof(unsigned long));
		res.rows[i][0] = arena_printf(a, "r%zu", i);
		res.lens[i][0] = strlen(res.rows[i][0]);
		res.rows[i][1] = NULL;
		res.rows[i][2] = big;
		res.lens[i][2] = wide;
	}
	return res;
}

START_TEST(a_kept_result_comes_back_whole_at_its_head_and_not_at_another)
{
	struct arena *a = arena_new(), *b = arena_new();
	struct db_res in = make(a, 3, 5), out;

	res_cache_clear();
	ck_assert_int_eq(res_cache_get("k", S(7), b, &out, NULL), 0);
	res_cache_put("k", S(7), &in, 0);
	arena_free(a);                                   /* the copy is the cache's own */
	ck_assert_int_eq(res_cache_get("k", S(8), b, &out, NULL), 0);   /* the head moved: stale */
	ck_assert_int_eq(res_cache_get("k2", S(7), b, &out, NULL), 0);
	ck_assert_int_eq(res_cache_get("k", S(7), b, &out, NULL), 1);
	/* the same head, but a row changed by a path that wrote no audit event (sql/035) */
	ck_assert_int_eq(res_cache_get("k", ((struct res_stamp){ 7, 2 }), b, &out, NULL), 0);
	ck_assert_int_eq(res_cache_get("k", S(7), b, &out, NULL), 1);
	ck_assert_uint_eq(out.nrows, 3);
	ck_assert_uint_eq(out.ncols, 3);
	ck_assert_str_eq(out.rows[2][0], "r2");
	ck_assert_uint_eq(out.lens[2][0], 2);
	ck_assert_ptr_null(out.rows[1][1]);
	ck_assert_str_eq(out.rows[0][2], "xxxxx");
	ck_assert_uint_eq(out.lens[0][2], 5);
	res_cache_clear();                               /* the caller's copy outlives the slot */
	ck_assert_str_eq(out.rows[2][0], "r2");
	arena_free(b);
}
END_TEST

START_TEST(head_zero_neither_fills_nor_hits_and_big_results_are_not_kept)
{
	struct arena *a = arena_new();
	struct db_res small = make(a, 1, 1), big = make(a, 2, RES_CACHE_BYTES), out;
	uint64_t h, m;

	res_cache_clear();
	res_cache_put("s", ((struct res_stamp){ 0, 1 }), &small, 0);
	res_cache_put("s", ((struct res_stamp){ 5, 0 }), &small, 0);
	ck_assert_int_eq(res_cache_get("s", ((struct res_stamp){ 0, 1 }), a, &out, NULL), 0);
	ck_assert_int_eq(res_cache_get("s", ((struct res_stamp){ 5, 0 }), a, &out, NULL), 0);
	res_cache_put("big", S(5), &big, 0);
	ck_assert_int_eq(res_cache_get("big", S(5), a, &out, NULL), 0);
	res_cache_put("empty", S(5), &(struct db_res){ 0 }, 0);
	ck_assert_int_eq(res_cache_get("empty", S(5), a, &out, NULL), 1);   /* no rows is a result too */
	ck_assert_uint_eq(out.nrows, 0);
	res_cache_counts(&h, &m);
	ck_assert_uint_eq(h, 1);
	ck_assert_uint_eq(m, 3);
	arena_free(a);
}
END_TEST

START_TEST(the_slots_are_bounded_and_the_least_recently_used_goes)
{
	struct arena *a = arena_new();
	struct db_res one = make(a, 1, 1), out;

	res_cache_clear();
	for (int i = 0; i < RES_CACHE_SLOTS; i++)
		res_cache_put(arena_printf(a, "k%d", i), S(9), &one, 0);
	ck_assert_int_eq(res_cache_get("k0", S(9), a, &out, NULL), 1);   /* k0 used again: k1 is the oldest */
	res_cache_put("new", S(9), &one, 0);
	ck_assert_int_eq(res_cache_get("k1", S(9), a, &out, NULL), 0);
	ck_assert_int_eq(res_cache_get("k0", S(9), a, &out, NULL), 1);
	ck_assert_int_eq(res_cache_get("new", S(9), a, &out, NULL), 1);
	res_cache_put("k0", S(10), &one, 42);                       /* same key, new head: replaced in place */
	ck_assert_int_eq(res_cache_get("k0", S(9), a, &out, NULL), 0);
	{
		int tag = 0;
		ck_assert_int_eq(res_cache_get("k0", S(10), a, &out, &tag), 1);
		ck_assert_int_eq(tag, 42);                      /* with what the caller kept with it */
	}
	arena_free(a);
	res_cache_clear();
}
END_TEST

START_TEST(a_copy_is_likely_fresh_only_at_the_head_seen_last_and_not_after_a_miss)
{
	struct arena *a = arena_new();
	struct db_res one = make(a, 1, 1);

	res_cache_clear();
	res_cache_put("p", S(11), &one, 0);
	ck_assert_int_eq(res_cache_likely("p"), 0);   /* no head seen yet */
	res_cache_seen(11, 1);
	ck_assert_int_eq(res_cache_likely("p"), 1);
	ck_assert_int_eq(res_cache_likely("q"), 0);
	res_cache_seen(11, 2);                         /* a row changed without an audit event */
	ck_assert_int_eq(res_cache_likely("p"), 0);
	res_cache_seen(12, 1);                            /* something was audited meanwhile */
	ck_assert_int_eq(res_cache_likely("p"), 0);
	res_cache_put("p", S(12), &one, 0);
	ck_assert_int_eq(res_cache_likely("p"), 1);
	res_cache_missed();                            /* a guess failed: none for a while */
	ck_assert_int_eq(res_cache_likely("p"), 0);
	arena_free(a);
	res_cache_clear();
}
END_TEST

START_TEST(all_the_copies_together_stay_under_the_total)
{
	struct arena *a = arena_new();
	struct db_res big = make(a, 2, RES_CACHE_BYTES / 2 - 200), out;
	int kept = 0;

	res_cache_clear();
	for (int i = 0; i < RES_CACHE_SLOTS; i++)
		res_cache_put(arena_printf(a, "b%d", i), S(3), &big, 0);
	for (int i = 0; i < RES_CACHE_SLOTS; i++)
		kept += res_cache_get(arena_printf(a, "b%d", i), S(3), a, &out, NULL);
	ck_assert_int_le(kept * RES_CACHE_BYTES, RES_CACHE_TOTAL);
	ck_assert_int_ge(kept, RES_CACHE_TOTAL / RES_CACHE_BYTES - 1);
	ck_assert_int_eq(res_cache_get(arena_printf(a, "b%d", RES_CACHE_SLOTS - 1), S(3), a, &out, NULL), 1);
	arena_free(a);
	res_cache_clear();
}
END_TEST

START_TEST(keys_of_different_values_never_meet)
{
	struct arena *a = arena_new();
	const char *x[] = { "a|1:b", "c" }, *y[] = { "a", "b|1:c" }, *z[] = { NULL, "c" }, *w[] = { "-", "c" };

	ck_assert_str_ne(res_cache_key(a, "t", x, 2), res_cache_key(a, "t", y, 2));
	ck_assert_str_ne(res_cache_key(a, "t", z, 2), res_cache_key(a, "t", w, 2));
	ck_assert_str_eq(res_cache_key(a, "t", x, 2), res_cache_key(a, "t", x, 2));
	ck_assert_str_ne(res_cache_key(a, "t", x, 2), res_cache_key(a, "u", x, 2));
	arena_free(a);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("res_cache");
	TCase *tc = tcase_create("res_cache");

	tcase_add_test(tc, a_kept_result_comes_back_whole_at_its_head_and_not_at_another);
	tcase_add_test(tc, head_zero_neither_fills_nor_hits_and_big_results_are_not_kept);
	tcase_add_test(tc, the_slots_are_bounded_and_the_least_recently_used_goes);
	tcase_add_test(tc, keys_of_different_values_never_meet);
	tcase_add_test(tc, a_copy_is_likely_fresh_only_at_the_head_seen_last_and_not_after_a_miss);
	tcase_add_test(tc, all_the_copies_together_stay_under_the_total);
	suite_add_tcase(s, tc);
	return check_run(s);
}
