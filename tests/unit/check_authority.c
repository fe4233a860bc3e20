/* check_authority.c: who must approve what, in which order, who may sign, and what a signature's hash covers (known hashes computed with sha256sum). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "authority.h"
#include "kesu.h"
#include "check_run.h"

#define YUAN(y) ((int64_t)(y) * 100)

static enum role out[AUTH_MAX_SIGNERS];

/* Resolve against the defaults. */
static int
plan(int64_t fen, int severity)
{
	return authority_resolve(authority_defaults, authority_ndefaults, "handling_plan", fen,
	    severity, out, AUTH_MAX_SIGNERS);
}

/* Check out[0..n) is exactly the given roles (ROLE__MAX-terminated). */
static void
expect(int got, const enum role *want)
{
	int n = 0;

	while (want[n] != ROLE__MAX)
		n++;
	ck_assert_int_eq(got, n);
	for (int i = 0; i < n; i++)
		ck_assert_msg(out[i] == want[i], "position %d: got %s, want %s", i,
		    role_name(out[i]), role_name(want[i]));
}

#define EXPECT(got, ...) expect((got), (const enum role[]){ __VA_ARGS__, ROLE__MAX })

/* ---- the defaults and the band boundaries ---- */

START_TEST(every_default_rule_is_valid)
{
	ck_assert_uint_eq(authority_ndefaults, 7);
	for (size_t i = 0; i < authority_ndefaults; i++)
		ck_assert_msg(authority_rule_valid(&authority_defaults[i]), "default rule %zu", i);
}
END_TEST

START_TEST(zero_yuan_plan_needs_the_department_head)
{
	EXPECT(plan(0, 3), ROLE_DEPT_HEAD);
}
END_TEST

START_TEST(one_fen_plan_needs_the_department_head)
{
	EXPECT(plan(1, 3), ROLE_DEPT_HEAD);
}
END_TEST

START_TEST(exactly_1000_yuan_stays_with_the_department_head)
{
	EXPECT(plan(YUAN(1000), 3), ROLE_DEPT_HEAD);
}
END_TEST

START_TEST(one_fen_over_1000_yuan_adds_the_deputy_gm_after_the_head)
{
	EXPECT(plan(YUAN(1000) + 1, 3), ROLE_DEPT_HEAD, ROLE_DEPUTY_GM);
}
END_TEST

START_TEST(exactly_10000_yuan_stops_at_the_deputy_gm)
{
	EXPECT(plan(YUAN(10000), 3), ROLE_DEPT_HEAD, ROLE_DEPUTY_GM);
}
END_TEST

START_TEST(one_fen_over_10000_yuan_needs_head_deputy_gm_and_gm_in_order)
{
	EXPECT(plan(YUAN(10000) + 1, 3), ROLE_DEPT_HEAD, ROLE_DEPUTY_GM, ROLE_GM);
}
END_TEST

START_TEST(a_very_large_plan_still_resolves_to_the_whole_chain)
{
	EXPECT(plan(INT64_MAX, 4), ROLE_DEPT_HEAD, ROLE_DEPUTY_GM, ROLE_GM);
}
END_TEST

START_TEST(level_1_small_plan_adds_the_gm_after_the_head)
{
	EXPECT(plan(YUAN(500), 1), ROLE_DEPT_HEAD, ROLE_GM);
}
END_TEST

START_TEST(level_1_middle_plan_puts_the_gm_after_the_deputy_gm)
{
	EXPECT(plan(YUAN(5000), 1), ROLE_DEPT_HEAD, ROLE_DEPUTY_GM, ROLE_GM);
}
END_TEST

START_TEST(level_1_large_plan_lists_the_gm_once)
{
	EXPECT(plan(YUAN(20000), 1), ROLE_DEPT_HEAD, ROLE_DEPUTY_GM, ROLE_GM);
}
END_TEST

START_TEST(level_2_to_4_plans_do_not_add_the_gm)
{
	for (int lvl = 2; lvl <= 4; lvl++)
		EXPECT(plan(YUAN(500), lvl), ROLE_DEPT_HEAD);
	/* 0 = "no level known": only the bands apply. */
	EXPECT(plan(YUAN(500), 0), ROLE_DEPT_HEAD);
}
END_TEST

START_TEST(every_penalty_needs_the_gm_whatever_the_amount)
{
	int64_t amounts[] = { 0, YUAN(50), YUAN(100), YUAN(1000) + 1, YUAN(1000000) };

	for (size_t i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++)
		EXPECT(authority_resolve(authority_defaults, authority_ndefaults, "penalty",
		    amounts[i], 2, out, AUTH_MAX_SIGNERS), ROLE_GM);
}
END_TEST

START_TEST(every_8d_report_needs_the_qa_director)
{
	EXPECT(authority_resolve(authority_defaults, authority_ndefaults, "8d_report", 0, 1, out,
	    AUTH_MAX_SIGNERS), ROLE_QA_DIRECTOR);
}
END_TEST

START_TEST(investigation_signoff_needs_the_department_head)
{
	EXPECT(authority_resolve(authority_defaults, authority_ndefaults, "investigation_signoff", 0,
	    1, out, AUTH_MAX_SIGNERS), ROLE_DEPT_HEAD);
}
END_TEST

/* ---- refusals ---- */

START_TEST(unknown_action_is_refused)
{
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, "refund", 0, 3,
	    out, AUTH_MAX_SIGNERS), -1);
	/* Actions match exactly: no case folding, no prefixes. */
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, "Handling_Plan",
	    0, 3, out, AUTH_MAX_SIGNERS), -1);
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, "handling",
	    0, 3, out, AUTH_MAX_SIGNERS), -1);
}
END_TEST

START_TEST(amount_in_a_gap_between_bands_is_refused)
{
	const struct auth_rule r[] = {
		{ "handling_plan", -1, YUAN(1000), 0, { ROLE_DEPT_HEAD }, 1 },
		{ "handling_plan", YUAN(2000), -1, 0, { ROLE_GM }, 1 },
	};

	EXPECT(authority_resolve(r, 2, "handling_plan", YUAN(1000), 3, out, 4), ROLE_DEPT_HEAD);
	ck_assert_int_eq(authority_resolve(r, 2, "handling_plan", YUAN(1000) + 1, 3, out, 4), -1);
	ck_assert_int_eq(authority_resolve(r, 2, "handling_plan", YUAN(2000), 3, out, 4), -1);
	EXPECT(authority_resolve(r, 2, "handling_plan", YUAN(2000) + 1, 3, out, 4), ROLE_GM);
}
END_TEST

START_TEST(lower_bound_is_exclusive_and_upper_bound_inclusive)
{
	const struct auth_rule r[] = {
		{ "x", YUAN(10), YUAN(20), 0, { ROLE_DEPT_HEAD }, 1 },
	};

	ck_assert_int_eq(authority_resolve(r, 1, "x", YUAN(10), 0, out, 4), -1);
	EXPECT(authority_resolve(r, 1, "x", YUAN(10) + 1, 0, out, 4), ROLE_DEPT_HEAD);
	EXPECT(authority_resolve(r, 1, "x", YUAN(20), 0, out, 4), ROLE_DEPT_HEAD);
	ck_assert_int_eq(authority_resolve(r, 1, "x", YUAN(20) + 1, 0, out, 4), -1);
}
END_TEST

START_TEST(a_band_starting_at_zero_does_not_take_zero)
{
	/* min 0 is exclusive like any other: only a negative min takes amount 0. */
	const struct auth_rule r[] = {
		{ "x", 0, YUAN(1), 0, { ROLE_DEPT_HEAD }, 1 },
	};

	ck_assert_int_eq(authority_resolve(r, 1, "x", 0, 0, out, 4), -1);
	EXPECT(authority_resolve(r, 1, "x", 1, 0, out, 4), ROLE_DEPT_HEAD);
}
END_TEST

START_TEST(negative_amount_is_refused)
{
	ck_assert_int_eq(plan(-1, 3), -1);
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, "penalty", -100,
	    3, out, AUTH_MAX_SIGNERS), -1);
}
END_TEST

START_TEST(empty_matrix_or_missing_action_is_refused)
{
	ck_assert_int_eq(authority_resolve(authority_defaults, 0, "handling_plan", 0, 3, out, 4), -1);
	ck_assert_int_eq(authority_resolve(NULL, 0, "handling_plan", 0, 3, out, 4), -1);
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, NULL, 0, 3, out,
	    4), -1);
}
END_TEST

START_TEST(too_small_output_is_refused_not_truncated)
{
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, "handling_plan",
	    YUAN(20000), 3, out, 2), -1);
	ck_assert_int_eq(authority_resolve(authority_defaults, authority_ndefaults, "handling_plan",
	    YUAN(20000), 3, out, 3), 3);
}
END_TEST

START_TEST(level_rule_alone_covers_its_level_only)
{
	const struct auth_rule r[] = {
		{ "8d_report", -1, -1, 1, { ROLE_QA_DIRECTOR }, 1 },
	};

	EXPECT(authority_resolve(r, 1, "8d_report", 0, 1, out, 4), ROLE_QA_DIRECTOR);
	ck_assert_int_eq(authority_resolve(r, 1, "8d_report", 0, 2, out, 4), -1);
	ck_assert_int_eq(authority_resolve(r, 1, "8d_report", 0, 0, out, 4), -1);
}
END_TEST

START_TEST(a_matching_invalid_rule_refuses_the_case)
{
	/* Senior before junior: the loader should have refused it; resolve refuses too. */
	const struct auth_rule r[] = {
		{ "handling_plan", -1, -1, 0, { ROLE_GM, ROLE_DEPT_HEAD }, 2 },
		{ "penalty", -1, -1, 0, { ROLE_GM }, 1 },
	};

	ck_assert_int_eq(authority_resolve(r, 2, "handling_plan", 0, 3, out, 4), -1);
	/* ... but does not poison the other actions. */
	EXPECT(authority_resolve(r, 2, "penalty", 0, 3, out, 4), ROLE_GM);
}
END_TEST

/* ---- merging rules ---- */

START_TEST(level_rule_roles_take_their_place_by_seniority)
{
	/* The level rule names a junior role: it goes before the band's deputy GM. */
	const struct auth_rule r[] = {
		{ "handling_plan", -1, -1, 0, { ROLE_DEPUTY_GM }, 1 },
		{ "handling_plan", -1, -1, 2, { ROLE_DEPT_HEAD, ROLE_GM }, 2 },
	};

	EXPECT(authority_resolve(r, 2, "handling_plan", 0, 2, out, 4), ROLE_DEPT_HEAD,
	    ROLE_DEPUTY_GM, ROLE_GM);
	EXPECT(authority_resolve(r, 2, "handling_plan", 0, 3, out, 4), ROLE_DEPUTY_GM);
}
END_TEST

START_TEST(overlapping_bands_add_up_without_duplicates)
{
	const struct auth_rule r[] = {
		{ "handling_plan", -1, YUAN(100), 0, { ROLE_DEPT_HEAD }, 1 },
		{ "handling_plan", YUAN(50), -1, 0, { ROLE_DEPT_HEAD, ROLE_FINANCE, ROLE_GM }, 3 },
	};

	EXPECT(authority_resolve(r, 2, "handling_plan", YUAN(60), 0, out, 4), ROLE_DEPT_HEAD,
	    ROLE_FINANCE, ROLE_GM);
	EXPECT(authority_resolve(r, 2, "handling_plan", YUAN(50), 0, out, 4), ROLE_DEPT_HEAD);
}
END_TEST

START_TEST(equal_rank_roles_keep_the_order_first_named)
{
	const struct auth_rule r[] = {
		{ "x", -1, -1, 0, { ROLE_HR }, 1 },
		{ "x", -1, -1, 1, { ROLE_DEPT_HEAD }, 1 },
	};

	EXPECT(authority_resolve(r, 2, "x", 0, 1, out, 4), ROLE_HR, ROLE_DEPT_HEAD);
}
END_TEST

/* ---- rule validation ---- */

START_TEST(rule_validation_refuses_what_cannot_be_signed)
{
	const struct auth_rule bad[] = {
		{ NULL, -1, -1, 0, { ROLE_GM }, 1 },
		{ "", -1, -1, 0, { ROLE_GM }, 1 },
		{ "x", -1, -1, 0, { ROLE_GM }, 0 },
		{ "x", -1, -1, 0, { ROLE_GM }, 5 },
		{ "x", -1, -1, 0, { ROLE_GM, ROLE_GM }, 2 },
		{ "x", -1, -1, 0, { ROLE_GM, ROLE_DEPT_HEAD }, 2 },
		{ "x", -1, -1, 0, { ROLE_AUDITOR }, 1 },
		{ "x", -1, -1, 0, { ROLE_ADMIN }, 1 },
		{ "x", -1, -1, 0, { ROLE__MAX }, 1 },
		{ "x", YUAN(10), YUAN(10), 0, { ROLE_GM }, 1 },
		{ "x", YUAN(10), YUAN(5), 0, { ROLE_GM }, 1 },
		{ "x", -1, -1, 5, { ROLE_GM }, 1 },
		{ "x", -1, -1, -1, { ROLE_GM }, 1 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!authority_rule_valid(&bad[i]), "bad rule %zu accepted", i);
	ck_assert(!authority_rule_valid(NULL));
}
END_TEST

START_TEST(rule_validation_accepts_a_band_of_only_zero)
{
	const struct auth_rule r = { "x", -1, 0, 0, { ROLE_DEPT_HEAD }, 1 };

	ck_assert(authority_rule_valid(&r));
	EXPECT(authority_resolve(&r, 1, "x", 0, 0, out, 4), ROLE_DEPT_HEAD);
	ck_assert_int_eq(authority_resolve(&r, 1, "x", 1, 0, out, 4), -1);
}
END_TEST

/* ---- who may sign ---- */

START_TEST(proposer_may_not_approve_their_own_plan)
{
	unsigned roles = ROLE_BIT(ROLE_DEPT_HEAD) | ROLE_BIT(ROLE_DEPUTY_GM);

	ck_assert_int_eq(authority_may_sign("zhang", roles, "zhang", ROLE_DEPT_HEAD), 0);
	ck_assert_int_eq(authority_may_sign("zhang", roles, "zhang", ROLE_DEPUTY_GM), 0);
}
END_TEST

START_TEST(proposer_in_other_letter_case_is_still_the_proposer)
{
	ck_assert_int_eq(authority_may_sign("Zhang", ROLE_BIT(ROLE_GM), "zhang", ROLE_GM), 0);
}
END_TEST

START_TEST(signer_without_the_required_role_is_refused)
{
	ck_assert_int_eq(authority_may_sign("li", ROLE_BIT(ROLE_DEPT_HEAD), "zhang", ROLE_GM), 0);
	ck_assert_int_eq(authority_may_sign("li", 0, "zhang", ROLE_DEPT_HEAD), 0);
}
END_TEST

START_TEST(holder_of_the_role_who_did_not_propose_may_sign)
{
	ck_assert_int_eq(authority_may_sign("liu", ROLE_BIT(ROLE_GM) | ROLE_BIT(ROLE_DEPUTY_GM),
	    "zhang", ROLE_GM), 1);
}
END_TEST

START_TEST(unknown_signer_or_proposer_is_refused)
{
	ck_assert_int_eq(authority_may_sign(NULL, ROLE_BIT(ROLE_GM), "zhang", ROLE_GM), 0);
	ck_assert_int_eq(authority_may_sign("", ROLE_BIT(ROLE_GM), "zhang", ROLE_GM), 0);
	ck_assert_int_eq(authority_may_sign("liu", ROLE_BIT(ROLE_GM), NULL, ROLE_GM), 0);
	ck_assert_int_eq(authority_may_sign("liu", ROLE_BIT(ROLE_GM), "", ROLE_GM), 0);
}
END_TEST

START_TEST(auditor_and_admin_never_sign_even_holding_the_role)
{
	ck_assert_int_eq(authority_may_sign("wu", ROLE_BIT(ROLE_AUDITOR), "zhang", ROLE_AUDITOR), 0);
	ck_assert_int_eq(authority_may_sign("wu", ROLE_BIT(ROLE_ADMIN), "zhang", ROLE_ADMIN), 0);
	ck_assert_int_eq(authority_may_sign("wu", ~0u, "zhang", ROLE__MAX), 0);
}
END_TEST

/* ---- next signer ---- */

START_TEST(next_signer_walks_the_chain_in_order)
{
	int n = plan(YUAN(20000), 3);
	unsigned done = 0;

	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(authority_next_signer(out, n, done), ROLE_DEPT_HEAD);
	done |= ROLE_BIT(ROLE_DEPT_HEAD);
	ck_assert_int_eq(authority_next_signer(out, n, done), ROLE_DEPUTY_GM);
	done |= ROLE_BIT(ROLE_DEPUTY_GM);
	ck_assert_int_eq(authority_next_signer(out, n, done), ROLE_GM);
	done |= ROLE_BIT(ROLE_GM);
	ck_assert_int_eq(authority_next_signer(out, n, done), ROLE__MAX);
}
END_TEST

START_TEST(next_signer_waits_for_the_junior_even_if_a_senior_signed)
{
	int n = plan(YUAN(20000), 3);

	ck_assert_int_eq(authority_next_signer(out, n, ROLE_BIT(ROLE_GM)), ROLE_DEPT_HEAD);
	ck_assert_int_eq(authority_next_signer(out, n, ROLE_BIT(ROLE_GM) | ROLE_BIT(ROLE_DEPT_HEAD)),
	    ROLE_DEPUTY_GM);
}
END_TEST

START_TEST(next_signer_ignores_roles_that_are_not_required)
{
	int n = plan(YUAN(500), 3);

	ck_assert_int_eq(authority_next_signer(out, n, ROLE_BIT(ROLE_GM)), ROLE_DEPT_HEAD);
	ck_assert_int_eq(authority_next_signer(out, n, ROLE_BIT(ROLE_DEPT_HEAD)), ROLE__MAX);
}
END_TEST

START_TEST(next_signer_of_an_empty_list_is_done)
{
	ck_assert_int_eq(authority_next_signer(out, 0, 0), ROLE__MAX);
}
END_TEST

/* ---- content hash ---- */

static char *
hash_of(const char *json)
{
	static char h[4][65];
	static int k;
	struct json_object *o = json_tokener_parse(json);

	ck_assert_msg(o != NULL, "test JSON does not parse: %s", json);
	k = (k + 1) % 4;
	authority_content_hash(o, h[k]);
	json_object_put(o);
	return h[k];
}

/*
 * The canonical form of the content below is the 67 bytes
 *   {"a":[true,null,"x\"y\u000a"],"b":1,"c":{"y":"王","z":-2},"d":0.5}
 * printf '%s' "$that" | sha256sum  -> KNOWN_HASH
 */
#define KNOWN_HASH "c1f22926955820705704837918703697d08c192ddbd5779ca9e0ff3ac6890f4a"

START_TEST(hash_of_known_content_matches_sha256sum)
{
	ck_assert_str_eq(hash_of("{ \"d\": 0.5, \"c\": { \"z\": -2, \"y\": \"王\" }, \"b\": 1,"
	    " \"a\": [ true, null, \"x\\\"y\\n\" ] }"), KNOWN_HASH);
}
END_TEST

START_TEST(hash_of_null_content_is_the_hash_of_null)
{
	char h[65];

	authority_content_hash(NULL, h);
	ck_assert_str_eq(h, "74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b");
}
END_TEST

START_TEST(hash_does_not_depend_on_key_order_at_any_depth)
{
	struct json_object *x = json_object_new_object(), *y = json_object_new_object();
	struct json_object *xi = json_object_new_object(), *yi = json_object_new_object();
	char hx[65], hy[65];

	json_object_object_add(xi, "amount_fen", json_object_new_int64(123456));
	json_object_object_add(xi, "kind", json_object_new_string("compensation"));
	json_object_object_add(x, "version", json_object_new_int(3));
	json_object_object_add(x, "line", xi);
	json_object_object_add(x, "responsibility", json_object_new_string("company"));

	json_object_object_add(y, "responsibility", json_object_new_string("company"));
	json_object_object_add(yi, "kind", json_object_new_string("compensation"));
	json_object_object_add(yi, "amount_fen", json_object_new_int64(123456));
	json_object_object_add(y, "line", yi);
	json_object_object_add(y, "version", json_object_new_int(3));

	authority_content_hash(x, hx);
	authority_content_hash(y, hy);
	ck_assert_str_eq(hx, hy);
	/* Formatting of the input never matters either. */
	ck_assert_str_eq(hx, hash_of("{\"version\":3,\"line\":{\"kind\":\"compensation\","
	    "\"amount_fen\":123456},\"responsibility\":\"company\"}"));
	json_object_put(x);
	json_object_put(y);
}
END_TEST

START_TEST(hash_changes_when_any_value_changes)
{
	static const char *const base =
	    "{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
	    "{\"kind\":\"apology\"}],\"ok\":true,\"note\":null}}";
	static const char *const changed[] = {
		/* top-level value */
		"{\"v\":2,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"apology\"}],\"ok\":true,\"note\":null}}",
		/* nested amount, one fen */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100001},"
		"{\"kind\":\"apology\"}],\"ok\":true,\"note\":null}}",
		/* nested string */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"Apology\"}],\"ok\":true,\"note\":null}}",
		/* boolean */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"apology\"}],\"ok\":false,\"note\":null}}",
		/* null to empty string */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"apology\"}],\"ok\":true,\"note\":\"\"}}",
		/* number to string */
		"{\"v\":\"1\",\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"apology\"}],\"ok\":true,\"note\":null}}",
		/* array order */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"apology\"},"
		"{\"kind\":\"refund\",\"fen\":100000}],\"ok\":true,\"note\":null}}",
		/* a key renamed */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"apology\"}],\"ok\":true,\"notes\":null}}",
		/* a key added */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000},"
		"{\"kind\":\"apology\",\"fen\":0}],\"ok\":true,\"note\":null}}",
		/* a line removed */
		"{\"v\":1,\"plan\":{\"lines\":[{\"kind\":\"refund\",\"fen\":100000}],"
		"\"ok\":true,\"note\":null}}",
	};
	char ref[65];

	strcpy(ref, hash_of(base));
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++)
		ck_assert_msg(strcmp(hash_of(changed[i]), ref) != 0, "change %zu kept the hash", i);
}
END_TEST

START_TEST(hash_cannot_be_fooled_by_quotes_inside_strings)
{
	/* One key whose value spells out a second key must not equal two keys. */
	ck_assert_str_ne(hash_of("{\"a\":\"x\\\",\\\"b\\\":\\\"y\"}"), hash_of("{\"a\":\"x\",\"b\":\"y\"}"));
	ck_assert_str_ne(hash_of("[\"a\\\\\"]"), hash_of("[\"a\\\\\\\\\"]"));
}
END_TEST

START_TEST(hash_sees_bytes_after_an_embedded_nul)
{
	struct json_object *x = json_object_new_string_len("ab\0c", 4);
	struct json_object *y = json_object_new_string_len("ab\0d", 4);
	struct json_object *z = json_object_new_string("ab");
	char hx[65], hy[65], hz[65];

	authority_content_hash(x, hx);
	authority_content_hash(y, hy);
	authority_content_hash(z, hz);
	ck_assert_str_ne(hx, hy);
	ck_assert_str_ne(hx, hz);
	json_object_put(x);
	json_object_put(y);
	json_object_put(z);
}
END_TEST

START_TEST(hash_keeps_large_integers_exact)
{
	ck_assert_str_ne(hash_of("[9223372036854775807]"), hash_of("[9223372036854775806]"));
	ck_assert_str_ne(hash_of("[18446744073709551615]"), hash_of("[9223372036854775807]"));
	ck_assert_str_ne(hash_of("[-9223372036854775808]"), hash_of("[-9223372036854775807]"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("authority");
	TCase *resolve = tcase_create("resolve");
	TCase *sign = tcase_create("sign");
	TCase *hash = tcase_create("hash");

	kesu_log_level(-1);
	tcase_add_test(resolve, every_default_rule_is_valid);
	tcase_add_test(resolve, zero_yuan_plan_needs_the_department_head);
	tcase_add_test(resolve, one_fen_plan_needs_the_department_head);
	tcase_add_test(resolve, exactly_1000_yuan_stays_with_the_department_head);
	tcase_add_test(resolve, one_fen_over_1000_yuan_adds_the_deputy_gm_after_the_head);
	tcase_add_test(resolve, exactly_10000_yuan_stops_at_the_deputy_gm);
	tcase_add_test(resolve, one_fen_over_10000_yuan_needs_head_deputy_gm_and_gm_in_order);
	tcase_add_test(resolve, a_very_large_plan_still_resolves_to_the_whole_chain);
	tcase_add_test(resolve, level_1_small_plan_adds_the_gm_after_the_head);
	tcase_add_test(resolve, level_1_middle_plan_puts_the_gm_after_the_deputy_gm);
	tcase_add_test(resolve, level_1_large_plan_lists_the_gm_once);
	tcase_add_test(resolve, level_2_to_4_plans_do_not_add_the_gm);
	tcase_add_test(resolve, every_penalty_needs_the_gm_whatever_the_amount);
	tcase_add_test(resolve, every_8d_report_needs_the_qa_director);
	tcase_add_test(resolve, investigation_signoff_needs_the_department_head);
	tcase_add_test(resolve, unknown_action_is_refused);
	tcase_add_test(resolve, amount_in_a_gap_between_bands_is_refused);
	tcase_add_test(resolve, lower_bound_is_exclusive_and_upper_bound_inclusive);
	tcase_add_test(resolve, a_band_starting_at_zero_does_not_take_zero);
	tcase_add_test(resolve, negative_amount_is_refused);
	tcase_add_test(resolve, empty_matrix_or_missing_action_is_refused);
	tcase_add_test(resolve, too_small_output_is_refused_not_truncated);
	tcase_add_test(resolve, level_rule_alone_covers_its_level_only);
	tcase_add_test(resolve, a_matching_invalid_rule_refuses_the_case);
	tcase_add_test(resolve, level_rule_roles_take_their_place_by_seniority);
	tcase_add_test(resolve, overlapping_bands_add_up_without_duplicates);
	tcase_add_test(resolve, equal_rank_roles_keep_the_order_first_named);
	tcase_add_test(resolve, rule_validation_refuses_what_cannot_be_signed);
	tcase_add_test(resolve, rule_validation_accepts_a_band_of_only_zero);
	suite_add_tcase(s, resolve);

	tcase_add_test(sign, proposer_may_not_approve_their_own_plan);
	tcase_add_test(sign, proposer_in_other_letter_case_is_still_the_proposer);
	tcase_add_test(sign, signer_without_the_required_role_is_refused);
	tcase_add_test(sign, holder_of_the_role_who_did_not_propose_may_sign);
	tcase_add_test(sign, unknown_signer_or_proposer_is_refused);
	tcase_add_test(sign, auditor_and_admin_never_sign_even_holding_the_role);
	tcase_add_test(sign, next_signer_walks_the_chain_in_order);
	tcase_add_test(sign, next_signer_waits_for_the_junior_even_if_a_senior_signed);
	tcase_add_test(sign, next_signer_ignores_roles_that_are_not_required);
	tcase_add_test(sign, next_signer_of_an_empty_list_is_done);
	suite_add_tcase(s, sign);

	tcase_add_test(hash, hash_of_known_content_matches_sha256sum);
	tcase_add_test(hash, hash_of_null_content_is_the_hash_of_null);
	tcase_add_test(hash, hash_does_not_depend_on_key_order_at_any_depth);
	tcase_add_test(hash, hash_changes_when_any_value_changes);
	tcase_add_test(hash, hash_cannot_be_fooled_by_quotes_inside_strings);
	tcase_add_test(hash, hash_sees_bytes_after_an_embedded_nul);
	tcase_add_test(hash, hash_keeps_large_integers_exact);
	suite_add_tcase(s, hash);

	return check_run(s);
}
