/* check_register.c: the decisions behind each exception the auditor is shown (register.c), over rows as the queries return them. */
#include <check.h>
#include <string.h>

#include "penalty.h"
#include "register.h"
#include "check_run.h"

START_TEST(a_signer_who_proposed_wrote_or_is_penalised_is_a_party)
{
	ck_assert_int_eq(reg_signer_is_party("gm1", "gm1", "", ""), 1);
	ck_assert_int_eq(reg_signer_is_party("head1", "", "head1", ""), 1);
	ck_assert_int_eq(reg_signer_is_party("bob", "gm1", "", "bob"), 1);
	ck_assert_int_eq(reg_signer_is_party("gm1", "agent1", "member1", "bob"), 0);
	/* an empty party (a record without a proposer) is nobody, not everybody */
	ck_assert_int_eq(reg_signer_is_party("", "", "", ""), 0);
	ck_assert_int_eq(reg_signer_is_party("gm1", NULL, NULL, NULL), 0);
}
END_TEST

START_TEST(approvals_must_match_the_required_signers_as_a_set)
{
	ck_assert_int_eq(reg_signers_differ("dept_head,deputy_gm", "dept_head,deputy_gm"), 0);
	ck_assert_int_eq(reg_signers_differ("dept_head,deputy_gm", "deputy_gm,dept_head"), 0);
	/* fewer */
	ck_assert_int_eq(reg_signers_differ("dept_head,deputy_gm,gm", "dept_head,deputy_gm"), 1);
	ck_assert_int_eq(reg_signers_differ("gm", ""), 1);
	/* other */
	ck_assert_int_eq(reg_signers_differ("gm", "deputy_gm"), 1);
	/* one role twice is not two signers */
	ck_assert_int_eq(reg_signers_differ("dept_head,gm", "gm,gm"), 1);
	/* more than required */
	ck_assert_int_eq(reg_signers_differ("gm", "gm,deputy_gm"), 1);
}
END_TEST

START_TEST(a_changed_record_is_found_only_on_the_revision_signed)
{
	const char *h1 = "aaaa", *h2 = "bbbb";

	ck_assert_int_eq(reg_changed_after_signing("handling_plan", 1, h1, 1, h1), 0);
	ck_assert_int_eq(reg_changed_after_signing("handling_plan", 1, h1, 1, h2), 1);
	/* a signature on an earlier revision of a report applies to that revision: not a change */
	ck_assert_int_eq(reg_changed_after_signing("investigation_report", 1, h1, 2, h2), 0);
	ck_assert_int_eq(reg_changed_after_signing("investigation_report", 2, h1, 2, h2), 1);
	/* a penalty's signatures (approve, execute, uphold) all cover the one notice */
	ck_assert_int_eq(reg_changed_after_signing("penalty", 1, h1, 3, h2), 1);
	ck_assert_int_eq(reg_changed_after_signing("penalty", 2, h1, 3, h1), 0);
	ck_assert_int_eq(reg_changed_after_signing("penalty", 1, h1, 1, NULL), 0);
	ck_assert_int_eq(reg_same_revision("penalty", 1, 4), 1);
	ck_assert_int_eq(reg_same_revision("handling_plan", 1, 2), 0);
}
END_TEST

START_TEST(penalties_executed_before_approval_or_appealed_late)
{
	/* in order: approved, executed after */
	ck_assert_int_eq(reg_penalty_irregular("approved", "2026-03-01 10:00:00", "2026-03-02 10:00:00", NULL, 7), 0);
	/* executed while still proposed, or rejected */
	ck_assert_int_eq(reg_penalty_irregular("proposed", NULL, "2026-03-02 10:00:00", NULL, 7), REG_PEN_EXECUTED_EARLY);
	ck_assert_int_eq(reg_penalty_irregular("rejected", "2026-03-01 10:00:00", "2026-03-02 10:00:00", NULL, 7),
	    REG_PEN_EXECUTED_EARLY);
	/* executed a second before the approval */
	ck_assert_int_eq(reg_penalty_irregular("approved", "2026-03-01 10:00:00", "2026-03-01 09:59:59", NULL, 7),
	    REG_PEN_EXECUTED_EARLY);
	/* the appeal window includes its last second */
	ck_assert_int_eq(reg_penalty_irregular("appealed", "2026-03-01 10:00:00", NULL, "2026-03-08 10:00:00", 7), 0);
	ck_assert_int_eq(reg_penalty_irregular("appealed", "2026-03-01 10:00:00", NULL, "2026-03-08 10:00:01", 7),
	    REG_PEN_APPEAL_LATE);
	ck_assert_int_eq(reg_penalty_irregular("revoked", "2026-03-01 10:00:00", "2026-02-28 10:00:00",
	    "2026-04-01 10:00:00", 7), REG_PEN_EXECUTED_EARLY | REG_PEN_APPEAL_LATE);
}
END_TEST

START_TEST(closed_complaints_need_a_callback_and_quality_ones_an_approved_8d)
{
	ck_assert_int_eq(reg_closed_without_callback("closed", "2026-03-01 10:00:00", NULL), 1);
	ck_assert_int_eq(reg_closed_without_callback("closed", "2026-03-01 10:00:00", "2026-03-03 10:00:00"), 0);
	/* never replied (closed as not substantiated): no callback owed */
	ck_assert_int_eq(reg_closed_without_callback("closed", NULL, NULL), 0);
	ck_assert_int_eq(reg_closed_without_callback("replied", "2026-03-01 10:00:00", NULL), 0);
	ck_assert_int_eq(reg_quality_closed_without_8d("product_quality", "closed", 0), 1);
	ck_assert_int_eq(reg_quality_closed_without_8d("product_quality", "closed", 1), 0);
	ck_assert_int_eq(reg_quality_closed_without_8d("service_quality", "closed", 0), 0);
	ck_assert_int_eq(reg_quality_closed_without_8d("product_quality", "investigating", 0), 0);
}
END_TEST

START_TEST(a_missed_deadline_needs_a_reminder_after_the_grace)
{
	const char *now = "2026-03-10 12:00:00";

	/* still registered 2 h after its response deadline, no reminder */
	ck_assert_int_eq(reg_deadline_unreminded("registered", "2026-03-10 10:00:00", "2026-03-12 10:00:00", now, 3600, 0, 0), 1);
	ck_assert_int_eq(reg_deadline_unreminded("registered", "2026-03-10 10:00:00", "2026-03-12 10:00:00", now, 3600, 1, 0), 0);
	/* within the sweep's grace */
	ck_assert_int_eq(reg_deadline_unreminded("registered", "2026-03-10 11:30:00", "2026-03-12 10:00:00", now, 3600, 0, 0), 0);
	/* open past its resolution deadline */
	ck_assert_int_eq(reg_deadline_unreminded("investigating", "2026-03-01 10:00:00", "2026-03-09 10:00:00", now, 3600, 1, 0), 2);
	ck_assert_int_eq(reg_deadline_unreminded("investigating", "2026-03-01 10:00:00", "2026-03-09 10:00:00", now, 3600, 1, 1), 0);
	/* closed, or case by case (no resolution deadline) */
	ck_assert_int_eq(reg_deadline_unreminded("closed", "2026-03-01 10:00:00", "2026-03-09 10:00:00", now, 3600, 0, 0), 0);
	ck_assert_int_eq(reg_deadline_unreminded("investigating", "2026-03-01 10:00:00", NULL, now, 3600, 1, 0), 0);
}
END_TEST

START_TEST(a_penalty_hash_covers_its_reason)
{
	char *row[P_REQUIRED + 1], h1[65], h2[65];

	for (int i = 0; i <= P_REQUIRED; i++)
		row[i] = (char *)"x";
	row[P_AMOUNT] = (char *)"5000";
	penalty_hash(row, h1);
	row[P_REASON] = (char *)"y";
	penalty_hash(row, h2);
	ck_assert_int_eq(strlen(h1), 64);
	ck_assert_str_ne(h1, h2);
}
END_TEST

static Suite *
register_suite(void)
{
	Suite *s = suite_create("register");
	TCase *tc = tcase_create("register");

	tcase_add_test(tc, a_signer_who_proposed_wrote_or_is_penalised_is_a_party);
	tcase_add_test(tc, approvals_must_match_the_required_signers_as_a_set);
	tcase_add_test(tc, a_changed_record_is_found_only_on_the_revision_signed);
	tcase_add_test(tc, penalties_executed_before_approval_or_appealed_late);
	tcase_add_test(tc, closed_complaints_need_a_callback_and_quality_ones_an_approved_8d);
	tcase_add_test(tc, a_missed_deadline_needs_a_reminder_after_the_grace);
	tcase_add_test(tc, a_penalty_hash_covers_its_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(register_suite());
}
