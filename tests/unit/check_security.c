/* check_security.c: the pure parts of issue 7's holes — the sign-in "next" address, the
 * canonical user name and the slow-down rule, and CSV cells that never run as formulas. */
#include <check.h>
#include <string.h>

#include <openssl/evp.h>

#include "arena.h"
#include "crypto.h"
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


static void
hex_of(const unsigned char *md, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[md[i] >> 4];
		out[2 * i + 1] = h[md[i] & 15];
	}
	out[2 * n] = '\0';
}

START_TEST(sha256_gives_the_fips_180_test_vectors)
{
	static const struct { const char *in, *want; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char out[65];
	struct crypto_sha256 c;
	unsigned char md[32], many[1000];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		crypto_sha256_hex(v[i].in, strlen(v[i].in), out);
		ck_assert_str_eq(out, v[i].want);
	}
	/* a million 'a', fed 1,000 at a time */
	memset(many, 'a', sizeof(many));
	crypto_sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		crypto_sha256_update(&c, many, sizeof(many));
	crypto_sha256_final(&c, md);
	hex_of(md, 32, out);
	ck_assert_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(sha256_agrees_with_openssl_at_every_length_and_split)
{
	unsigned char data[300], md[32], ref[EVP_MAX_MD_SIZE];
	unsigned int rlen;
	char got[65], want[65];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 131 + 7);
	for (size_t n = 0; n <= sizeof(data); n++) {
		struct crypto_sha256 c;
		size_t cut = n / 3;
		ck_assert(EVP_Digest(data, n, ref, &rlen, EVP_sha256(), NULL) == 1 && rlen == 32);
		hex_of(ref, 32, want);
		crypto_sha256_hex(data, n, got);
		ck_assert_msg(strcmp(got, want) == 0, "length %zu", n);
		crypto_sha256_init(&c);
		crypto_sha256_update(&c, data, cut);
		crypto_sha256_update(&c, data + cut, n - cut);
		crypto_sha256_final(&c, md);
		hex_of(md, 32, got);
		ck_assert_msg(strcmp(got, want) == 0, "length %zu split at %zu", n, cut);
	}
}
END_TEST

START_TEST(hmac_sha256_gives_the_rfc_4231_test_vectors)
{
	unsigned char mac[32], key[131];
	char out[65];
	const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";

	crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
	hex_of(mac, 32, out);
	ck_assert_str_eq(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(key, 0xaa, sizeof(key));
	crypto_hmac_sha256(key, sizeof(key), big, strlen(big), mac);
	hex_of(mac, 32, out);
	ck_assert_str_eq(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(random_tokens_differ_and_compare_in_constant_time_by_content)
{
	char t1[65], t2[65];

	crypto_random_hex(t1, 32);
	crypto_random_hex(t2, 32);
	ck_assert_uint_eq(strlen(t1), 64);
	ck_assert_uint_eq(strspn(t1, "0123456789abcdef"), 64);
	ck_assert_str_ne(t1, t2);
	ck_assert(crypto_streq(t1, t1));
	ck_assert(!crypto_streq(t1, t2));
	ck_assert(!crypto_streq("abc", "abcd"));
	ck_assert(!crypto_streq(NULL, "a"));
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

	tc = tcase_create("crypto");
	tcase_add_test(tc, sha256_gives_the_fips_180_test_vectors);
	tcase_add_test(tc, sha256_agrees_with_openssl_at_every_length_and_split);
	tcase_add_test(tc, hmac_sha256_gives_the_rfc_4231_test_vectors);
	tcase_add_test(tc, random_tokens_differ_and_compare_in_constant_time_by_content);
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
