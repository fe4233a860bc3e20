/* check_audit_verify.c: checkpoints as written on paper ("SEQ:HASH"), and a walk that starts where the last slice stopped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "audit.h"
#include "audit_verify.h"
#include "kesu.h"
#include "check_run.h"

#define H64 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

START_TEST(a_paper_checkpoint_is_seq_colon_64_hex_digits_folded_to_lower_case)
{
	struct chain_checkpoint cp;
	char upper[80];

	ck_assert_int_eq(chain_checkpoint_parse("1234:" H64, &cp), 1);
	ck_assert_uint_eq(cp.seq, 1234);
	ck_assert_str_eq(cp.hash, H64);
	strcpy(upper, "7:" H64);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	ck_assert_int_eq(chain_checkpoint_parse(upper, &cp), 1);
	ck_assert_uint_eq(cp.seq, 7);
	ck_assert_str_eq(cp.hash, H64);
}
END_TEST

START_TEST(malformed_paper_checkpoints_are_refused)
{
	static const char *const bad[] = {
		NULL, "", "1234", ":" H64, "0:" H64, "-1:" H64, "x1:" H64, "12 :" H64, "12:" H64 "0",
		"12:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0", /* 63 digits */
		"12:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g",
	};
	struct chain_checkpoint cp;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(chain_checkpoint_parse(bad[i], &cp) == 0, "accepted %s", bad[i] ? bad[i] : "NULL");
}
END_TEST

START_TEST(a_walk_resumes_after_the_last_slice_and_starts_before_the_genesis)
{
	struct chain_checkpoint cps[2] = { { 5, H64 }, { 9, H64 } };
	struct chain_walk w;

	chain_walk_init(&w, cps, 2);
	ck_assert_uint_eq(w.n, 0);
	ck_assert_str_eq(w.last, "0000000000000000000000000000000000000000000000000000000000000000");
	ck_assert_uint_eq(w.bad, 0);
	chain_walk_resume(&w, 41, H64, cps, 2);
	ck_assert_uint_eq(w.n, 41);
	ck_assert_str_eq(w.last, H64);
	ck_assert_uint_eq(w.passed, 0);
}
END_TEST

START_TEST(a_checkpoint_beyond_the_chains_end_means_events_were_removed)
{
	struct chain_checkpoint cps[2] = { { 5, H64 }, { 9, H64 } };
	struct chain_walk w;

	chain_walk_resume(&w, 9, H64, cps, 2);
	chain_walk_finish(&w);
	ck_assert_uint_eq(w.bad, 0);
	chain_walk_resume(&w, 8, H64, cps, 2);
	chain_walk_finish(&w);
	ck_assert_uint_eq(w.bad, 9);
	ck_assert_ptr_nonnull(strstr(w.reason, "checkpoint at seq 9"));
}
END_TEST

START_TEST(the_streamed_hash_of_a_row_is_audit_cs_hash_of_its_canonical_form)
{
	char *f[12] = { "42", "2026-01-02 03:04:05.123456", "agent", "王丽", "agent", "complaint", "260102001",
		"register", NULL, "{\"a\":\"x:1,y\",\"n\":\"\"}", "00ab", "" };
	unsigned long len[12];
	struct audit_event e = { 42, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11] };
	struct arena *a = arena_new();
	struct chain_hasher *ctx = chain_hasher_new();
	char want[65], got[65], *canon;
	size_t n;

	for (int i = 0; i < 12; i++)
		len[i] = f[i] != NULL ? strlen(f[i]) : 0;
	canon = audit_canonical(a, &e, &n);
	audit_hash(H64, canon, n, want);
	chain_hash_row(ctx, H64, f, len, got);
	ck_assert_str_eq(got, want);
	/* the context is reused: a second row hashes the same way */
	f[8] = "{}";
	len[8] = 2;
	e.before_json = f[8];
	canon = audit_canonical(a, &e, &n);
	audit_hash(H64, canon, n, want);
	chain_hash_row(ctx, H64, f, len, got);
	ck_assert_str_eq(got, want);
	chain_hasher_free(ctx);
	arena_free(a);
}
END_TEST

/* Three events chained as audit.c chains them, as rows of STMT_VERIFY_SCAN's 14 columns. */
struct three {
	char seqs[3][4], prev[3][65], hash[3][65];
	char *row[3][14];
	unsigned long len[3][14];
};

static void
three_events(struct chain_hasher *h, struct three *t)
{
	static const char zero[] = "0000000000000000000000000000000000000000000000000000000000000000";

	for (int e = 0; e < 3; e++) {
		char *f[12] = { t->seqs[e], "2026-01-02 03:04:05.123456", "agent", "王丽", "agent", "complaint",
			"260102001", "register", NULL, "{}", "00ab", "" };

		snprintf(t->seqs[e], sizeof(t->seqs[e]), "%d", e + 1);
		memcpy(t->prev[e], e == 0 ? zero : t->hash[e - 1], 65);
		for (int i = 0; i < 12; i++) {
			t->row[e][i] = f[i];
			t->len[e][i] = f[i] != NULL ? strlen(f[i]) : 0;
		}
		chain_hash_row(h, t->prev[e], t->row[e], t->len[e], t->hash[e]);
		t->row[e][12] = t->prev[e];
		t->row[e][13] = t->hash[e];
		t->len[e][12] = t->len[e][13] = 64;
	}
}

START_TEST(each_row_is_checked_against_the_one_before_its_contents_and_the_checkpoints)
{
	struct chain_hasher *h = chain_hasher_new();
	struct chain_checkpoint cp = { 2, "" };
	struct chain_walk w;
	struct three t;

	three_events(h, &t);
	memcpy(cp.hash, t.hash[1], 65);
	chain_walk_init(&w, &cp, 1);
	for (int e = 0; e < 3; e++)
		ck_assert_int_eq(chain_walk_row(&w, h, t.row[e], t.len[e]), 1);
	ck_assert_uint_eq(w.n, 3);
	ck_assert_uint_eq(w.passed, 1);
	ck_assert_str_eq(w.last, t.hash[2]);

	/* an edited field: the hash no longer matches */
	chain_walk_init(&w, NULL, 0);
	t.row[1][3] = "mallory";
	t.len[1][3] = 7;
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[0], t.len[0]), 1);
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[1], t.len[1]), 0);
	ck_assert_uint_eq(w.bad, 2);
	ck_assert_ptr_nonnull(strstr(w.reason, "contents"));

	/* a removed event: the next one stored is named */
	chain_walk_init(&w, NULL, 0);
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[0], t.len[0]), 1);
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[2], t.len[2]), 0);
	ck_assert_uint_eq(w.bad, 2);
	ck_assert_ptr_nonnull(strstr(w.reason, "next one stored is seq 3"));

	/* a range that starts later, from a wrong hash of the event before */
	chain_walk_resume(&w, 2, t.hash[0], NULL, 0);
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[2], t.len[2]), 0);
	ck_assert_uint_eq(w.bad, 3);
	ck_assert_ptr_nonnull(strstr(w.reason, "prev_hash"));

	/* a checkpoint that says otherwise */
	memcpy(cp.hash, t.hash[0], 65);
	chain_walk_init(&w, &cp, 1);
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[0], t.len[0]), 1);
	t.row[1][3] = "王丽";
	t.len[1][3] = strlen("王丽");
	ck_assert_int_eq(chain_walk_row(&w, h, t.row[1], t.len[1]), 0);
	ck_assert_uint_eq(w.bad, 2);
	ck_assert_ptr_nonnull(strstr(w.reason, "checkpoint at seq 2"));
	chain_hasher_free(h);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("audit_verify");
	TCase *tc = tcase_create("audit_verify");

	kesu_log_level(-1);
	tcase_add_test(tc, a_paper_checkpoint_is_seq_colon_64_hex_digits_folded_to_lower_case);
	tcase_add_test(tc, malformed_paper_checkpoints_are_refused);
	tcase_add_test(tc, a_walk_resumes_after_the_last_slice_and_starts_before_the_genesis);
	tcase_add_test(tc, a_checkpoint_beyond_the_chains_end_means_events_were_removed);
	tcase_add_test(tc, the_streamed_hash_of_a_row_is_audit_cs_hash_of_its_canonical_form);
	tcase_add_test(tc, each_row_is_checked_against_the_one_before_its_contents_and_the_checkpoints);
	suite_add_tcase(s, tc);
	return check_run(s);
}
