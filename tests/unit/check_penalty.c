/* check_penalty.c: the penalty notice's state machine, its executors and the appeal window. */
#include <check.h>
#include <string.h>

#include "penalty.h"
#include "check_run.h"

START_TEST(every_state_against_every_action)
{
	/* [from][action] -> expected "to", or -1 for a conflict; executed = 0, appealed = 0 */
	static const int want[PS__MAX][PA__MAX] = {
		/*              approve      reject       execute      appeal       uphold       revoke */
		[PS_PROPOSED] = { PS_APPROVED, PS_REJECTED, -1,          -1,          -1,          -1 },
		[PS_APPROVED] = { -1,          -1,          PS_APPROVED, PS_APPEALED, -1,          -1 },
		[PS_REJECTED] = { -1,          -1,          -1,          -1,          -1,          -1 },
		[PS_APPEALED] = { -1,          -1,          -1,          -1,          PS_APPROVED, PS_REVOKED },
		[PS_REVOKED]  = { -1,          -1,          -1,          -1,          -1,          -1 },
	};
	for (int s = 0; s < PS__MAX; s++)
		for (int a = 0; a < PA__MAX; a++) {
			enum pstate to = PS__MAX;
			int rc = penalty_apply((enum pstate)s, 0, 0, (enum paction)a, &to);
			if (want[s][a] < 0)
				ck_assert_msg(rc == KESU_ESTATE && to == PS__MAX, "%s/%s allowed",
				    pstate_name((enum pstate)s), paction_name((enum paction)a));
			else
				ck_assert_msg(rc == KESU_OK && (int)to == want[s][a], "%s/%s -> %s",
				    pstate_name((enum pstate)s), paction_name((enum paction)a), pstate_name(to));
		}
}
END_TEST

START_TEST(executed_once_appealed_once)
{
	enum pstate to;

	ck_assert_int_eq(penalty_apply(PS_APPROVED, 1, 0, PA_EXECUTE, &to), KESU_ESTATE);
	/* an executed penalty may still be appealed, but only once */
	ck_assert_int_eq(penalty_apply(PS_APPROVED, 1, 0, PA_APPEAL, &to), KESU_OK);
	ck_assert_int_eq(to, PS_APPEALED);
	ck_assert_int_eq(penalty_apply(PS_APPROVED, 1, 1, PA_APPEAL, &to), KESU_ESTATE);
	ck_assert_int_eq(penalty_apply(PS__MAX, 0, 0, PA_APPROVE, &to), KESU_EINPUT);
	ck_assert_int_eq(penalty_apply(PS_PROPOSED, 0, 0, PA__MAX, &to), KESU_EINPUT);
}
END_TEST

START_TEST(money_goes_to_finance_the_rest_to_hr)
{
	ck_assert_int_eq(penalty_executor("fine"), ROLE_FINANCE);
	ck_assert_int_eq(penalty_executor("bonus_deduction"), ROLE_FINANCE);
	for (const char *const *k = penalty_kinds; *k != NULL; k++)
		if (!penalty_has_amount(*k))
			ck_assert_int_eq(penalty_executor(*k), ROLE_HR);
	ck_assert(!penalty_has_amount("warning"));
	ck_assert(!penalty_has_amount(NULL));
}
END_TEST

START_TEST(the_appeal_window_includes_its_last_second)
{
	time_t t0 = 1795000000;

	ck_assert(penalty_appeal_open(t0, t0, 7));
	ck_assert(penalty_appeal_open(t0, t0 + 7 * 86400, 7));
	ck_assert(!penalty_appeal_open(t0, t0 + 7 * 86400 + 1, 7));
	ck_assert(!penalty_appeal_open(t0, t0 - 1, 7));       /* a clock that went back */
	ck_assert(!penalty_appeal_open(0, t0, 7));            /* never approved */
	ck_assert(penalty_appeal_open(t0, t0, 0));
	ck_assert(!penalty_appeal_open(t0, t0 + 1, 0));
}
END_TEST

START_TEST(names_round_trip)
{
	for (int s = 0; s < PS__MAX; s++)
		ck_assert_int_eq(pstate_from_name(pstate_name((enum pstate)s)), s);
	for (int a = 0; a < PA__MAX; a++)
		ck_assert_int_eq(paction_from_name(paction_name((enum paction)a)), a);
	ck_assert_int_eq(pstate_from_name("nope"), PS__MAX);
	ck_assert_int_eq(paction_from_name(NULL), PA__MAX);
}
END_TEST

static Suite *
penalty_suite(void)
{
	Suite *s = suite_create("penalty");
	TCase *tc = tcase_create("penalty");

	tcase_add_test(tc, every_state_against_every_action);
	tcase_add_test(tc, executed_once_appealed_once);
	tcase_add_test(tc, money_goes_to_finance_the_rest_to_hr);
	tcase_add_test(tc, the_appeal_window_includes_its_last_second);
	tcase_add_test(tc, names_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(penalty_suite());
}
