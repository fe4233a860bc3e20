/* check_security.c: the pure parts of issue 7's holes — the sign-in "next" address, the
 * canonical user name and the slow-down rule, and CSV cells that never run as formulas. */
#include <check.h>
#include <string.h>

#include "arena.h"
#include "csv.h"
#include "duties.h"
#include "lifecycle_gaps.h"
#include "login_throttle.h"
#include "next_url.h"
#include "check_run.h"

static struct arena *a;

static void
setup(void)
{
	a = arena_new();
}

static void
teardown(void)
{
	arena_free(a);
}

START_TEST(next_url_refuses_every_way_off_site)
{
	static const char *const hostile[] = {
		"//evil.example/x", "/\\evil.example/x", "\\\\evil.example", "\\/evil.example",
		"/\t/evil.example/x", "\t/\t/evil.example/x", "/\r\n/evil.example", "/\n/evil.example",
		" //evil.example", "\x01//evil.example", "//evil.example\x1f",
		"/\\\\evil.example", "javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:x",
		"https://evil.example/", "http:/evil.example", "evil.example", "data:text/html,x",
		"", " ", "\t", "/\x7f", "/a\x01" "b", "\x00", NULL,
		/* one decoding away from another site */
		"/%09/evil.example/x", "/%5c/evil.example", "/%5C%5Cevil.example", "/%2f/evil.example",
		"%2f%2fevil.example", "/%0d%0a/evil.example", "/%00", "/a%01b",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		ck_assert_msg(next_url_local(a, hostile[i]) == NULL, "accepted hostile next #%zu", i);
}
END_TEST

START_TEST(next_url_keeps_local_paths_as_browsers_read_them)
{
	ck_assert_str_eq(next_url_local(a, "/complaints"), "/complaints");
	ck_assert_str_eq(next_url_local(a, "/complaints/261123099?tab=8d#d4"), "/complaints/261123099?tab=8d#d4");
	ck_assert_str_eq(next_url_local(a, "/"), "/");
	/* what a browser would do with it: blanks off the ends, TAB/CR/LF out, '\' is '/' */
	ck_assert_str_eq(next_url_local(a, "  /work \t"), "/work");
	ck_assert_str_eq(next_url_local(a, "/a\tb"), "/ab");
	ck_assert_str_eq(next_url_local(a, "/a\\b"), "/a/b");
	ck_assert_str_eq(next_url_local(a, "/complaints?q=%E4%B8%AD"), "/complaints?q=%E4%B8%AD");
	ck_assert_str_eq(next_url_local(a, "/a%2Fb%20c"), "/a%2Fb%20c");
	ck_assert_str_eq(next_url_local(a, "/100%"), "/100%");   /* a lone % is no escape */
}
END_TEST

START_TEST(user_names_fold_to_one_canonical_form)
{
	static const char *const same[] = {
		"hr", " hr", "hr  ", "HR", "\thr\r\n", "\xef\xbd\x88\xef\xbd\x92",   /* ｈｒ */
		"\xef\xbc\xa8\xef\xbc\xb2",                                        /* ＨＲ */
		"\xe3\x80\x80hr\xe3\x80\x80",                                      /* 　hr　 */
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		ck_assert_str_eq(login_canon_user(a, same[i]), "hr");
	/* ａｇｅｎｔ, and full-width punctuation inside a name */
	ck_assert_str_eq(login_canon_user(a, "\xef\xbd\x81\xef\xbd\x87\xef\xbd\x85\xef\xbd\x8e\xef\xbd\x94"), "agent");
	ck_assert_str_eq(login_canon_user(a, "Head\xef\xbc\x8eQuality"), "head.quality");
	/* the edges of the full-width block: U+FF00 and U+FF5F stay as they are */
	ck_assert_str_eq(login_canon_user(a, "\xef\xbc\x80"), "\xef\xbc\x80");
	ck_assert_str_eq(login_canon_user(a, "\xef\xbd\x9f"), "\xef\xbd\x9f");
	ck_assert_str_eq(login_canon_user(a, "\xef\xbd\x9e"), "~");
	ck_assert_str_eq(login_canon_user(a, "\xef\xbc\x81"), "!");
	ck_assert_str_eq(login_canon_user(a, "   "), "");
	ck_assert_str_eq(login_canon_user(a, "\xef"), "\xef");   /* truncated UTF-8 is left alone */
	ck_assert_ptr_null(login_canon_user(a, NULL));
}
END_TEST

static const struct throttle_rule rule = { 900, 3, 10, 60 };

START_TEST(an_account_slows_down_only_addresses_that_failed_for_it)
{
	struct throttle_count acct = { 10, 0, 0 }, clean = { 0, 0, 0 }, failed = { 1, 0, 0 };

	/* ten failures: an address that took part waits 5 s after the last one ... */
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &failed, &failed), 5);
	acct.since = 3;
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &failed, &failed), 2);
	/* ... while the owner at a clean desk is not held up at all */
	acct.since = 0;
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &clean, &clean), 0);
	/* nine failures: nobody waits for the account yet */
	acct.failures = 9;
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &failed, &failed), 0);
}
END_TEST

START_TEST(the_account_delay_grows_to_a_minute_and_never_locks)
{
	struct throttle_count acct = { 10, 0, 0 }, pair = { 1, 0, 0 }, addr = { 1, 0, 0 };
	static const long want[] = { 5, 10, 20, 40, 60, 60, 60 };

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		acct.failures = 10 + (long)i;
		ck_assert_int_eq(login_throttle_wait(&rule, &acct, &addr, &pair), want[i]);
	}
	acct.failures = 100000;
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &addr, &pair), 60);
	acct.since = 60;
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &addr, &pair), 0);
	/* failures older than the window are forgotten */
	acct.since = 5;
	pair.since = 900;
	ck_assert_int_eq(login_throttle_wait(&rule, &acct, &addr, &pair), 0);
}
END_TEST

START_TEST(one_address_is_slowed_and_locked_by_its_own_failures)
{
	struct throttle_count none = { 0, 0, 0 }, addr = { 3, 0, 0 };

	ck_assert_int_eq(login_throttle_wait(&rule, &none, &addr, &none), 1);
	addr.failures = 5;
	ck_assert_int_eq(login_throttle_wait(&rule, &none, &addr, &none), 4);
	addr.failures = 50;
	ck_assert_int_eq(login_throttle_wait(&rule, &none, &addr, &none), 64);
	addr.locked = 700;
	ck_assert_int_eq(login_throttle_wait(&rule, &none, &addr, &none), 700);
}
END_TEST

static const char *
csv1(struct buf *b, const char *cell)
{
	buf_reset(b);
	csv_field(b, cell);
	buf_append(b, "", 0);
	return b->p;
}

START_TEST(csv_cells_that_a_spreadsheet_would_run_are_defused)
{
	static const char *const hostile[] = {
		"=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\t", "\rx", " =1", "  @x",
		"\n=cmd|' /C calc'!A0", " \n-2",
	};
	static const char *const plain[] = { "", "abc", "1=1", "a-b", "王丽", "1.5", "'=x", NULL };
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		ck_assert_msg(csv_cell_is_formula(hostile[i]), "not defused: #%zu", i);
		ck_assert_msg(strncmp(csv1(&b, hostile[i]), "\"'", 2) == 0, "no quote mark: %s", b.p);
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		ck_assert_msg(!csv_cell_is_formula(plain[i]), "defused plain #%zu", i);
	ck_assert_str_eq(csv1(&b, "say \"hi\""), "\"say \"\"hi\"\"\"");
	ck_assert_str_eq(csv1(&b, "\t=1+1"), "\"'\t=1+1\"");
	ck_assert_str_eq(csv1(&b, NULL), "\"\"");
	buf_free(&b);
}
END_TEST

START_TEST(a_penalty_names_its_person_or_the_head_of_its_department)
{
	const unsigned head = ROLE_BIT(ROLE_DEPT_HEAD), member = ROLE_BIT(ROLE_DEPT_MEMBER);

	ck_assert(duties_names("person", "head.production", "production", "head.production", "production", head));
	ck_assert(!duties_names("person", "member.production", "production", "head.production", "production", head));
	ck_assert(duties_names("department", "", "production", "head.production", "production", head));
	ck_assert(!duties_names("department", "", "production", "member.production", "production", member));
	ck_assert(!duties_names("department", "", "quality", "head.production", "production", head));
	ck_assert(!duties_names("department", "", "", "x", "", head));
	ck_assert(!duties_names(NULL, "a", "b", "a", "b", head));
	ck_assert(!duties_names("person", "", "", "", "", head));
	ck_assert(duties_names("person", "gm", "management", "gm", "management", ROLE_BIT(ROLE_GM)));
}
END_TEST

START_TEST(the_deputy_gm_signs_in_place_of_a_named_gm)
{
	enum role g[] = { ROLE_GM }, b[] = { ROLE_DEPT_HEAD, ROLE_GM }, c[] = { ROLE_DEPUTY_GM, ROLE_GM },
	    d[] = { ROLE_QA_DIRECTOR };

	ck_assert_int_eq(duties_substitute_gm(g, 1), 1);
	ck_assert_int_eq(g[0], ROLE_DEPUTY_GM);
	ck_assert_int_eq(duties_substitute_gm(b, 2), 2);
	ck_assert_int_eq(b[0], ROLE_DEPT_HEAD);
	ck_assert_int_eq(b[1], ROLE_DEPUTY_GM);
	ck_assert_int_eq(duties_substitute_gm(c, 2), 1);
	ck_assert_int_eq(c[0], ROLE_DEPUTY_GM);
	ck_assert_int_eq(duties_substitute_gm(d, 1), 1);
	ck_assert_int_eq(d[0], ROLE_QA_DIRECTOR);
}
END_TEST

START_TEST(only_product_quality_complaints_want_an_8d_before_closing)
{
	ck_assert(close_category_wants_8d("product_quality"));
	for (const char *const *c = (const char *const[]){ "service_quality", "contract", "grumble", "other", "",
	    NULL }; *c != NULL; c++)
		ck_assert_msg(!close_category_wants_8d(*c), "%s", *c);
	ck_assert(!close_category_wants_8d(NULL));
}
END_TEST

static Suite *
security_suite(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("next_url");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, next_url_refuses_every_way_off_site);
	tcase_add_test(tc, next_url_keeps_local_paths_as_browsers_read_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("login_throttle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, user_names_fold_to_one_canonical_form);
	tcase_add_test(tc, an_account_slows_down_only_addresses_that_failed_for_it);
	tcase_add_test(tc, the_account_delay_grows_to_a_minute_and_never_locks);
	tcase_add_test(tc, one_address_is_slowed_and_locked_by_its_own_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("duties");
	tcase_add_test(tc, a_penalty_names_its_person_or_the_head_of_its_department);
	tcase_add_test(tc, the_deputy_gm_signs_in_place_of_a_named_gm);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle_gaps");
	tcase_add_test(tc, only_product_quality_complaints_want_an_8d_before_closing);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_test(tc, csv_cells_that_a_spreadsheet_would_run_are_defused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(security_suite());
}
