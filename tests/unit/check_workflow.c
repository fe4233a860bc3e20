/* check_workflow.c: the complaint lifecycle — every (state, action) pair, every role, owners, reasons, the roads through it, the buttons, the names. */
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kesu.h"
#include "workflow.h"

#define B(r)      ROLE_BIT(ROLE_##r)
#define ALL_ROLES (ROLE_BIT(ROLE__MAX) - 1u)
#define RESP      (B(AGENT) | B(SUPERVISOR))
#define APPROVERS (B(DEPT_HEAD) | B(DEPUTY_GM) | B(GM))

/*
 * The lifecycle as docs/lifecycle.md states it, written out again here on
 * purpose: the tests compare the code with this, not with the code's own table.
 */
static const struct wf_transition spec[] = {
	{ CS_REGISTERED, CA_TRIAGE_SUBSTANTIATED, CS_TRIAGED, B(SUPERVISOR), 0, 0 },
	{ CS_REGISTERED, CA_TRIAGE_NOT_SUBSTANTIATED, CS_NOT_SUBSTANTIATED, B(SUPERVISOR), 0, 1 },
	{ CS_REGISTERED, CA_ANSWER_GRUMBLE, CS_CLOSED, RESP, B(AGENT), 1 },
	{ CS_NOT_SUBSTANTIATED, CA_CUSTOMER_ACCEPTS_EXPLANATION, CS_CLOSED, RESP, B(AGENT), 0 },
	{ CS_NOT_SUBSTANTIATED, CA_CUSTOMER_REJECTS_EXPLANATION, CS_REGISTERED, RESP, B(AGENT), 1 },
	{ CS_TRIAGED, CA_ASSIGN, CS_ASSIGNED, B(SUPERVISOR), 0, 0 },
	{ CS_ASSIGNED, CA_ACCEPT_ASSIGNMENT, CS_INVESTIGATING, B(DEPT_HEAD), 0, 0 },
	{ CS_ASSIGNED, CA_REFUSE_ASSIGNMENT, CS_TRIAGED, B(DEPT_HEAD), 0, 1 },
	{ CS_INVESTIGATING, CA_PROPOSE_PLAN, CS_PLAN_PROPOSED, RESP | B(DEPT_HEAD), B(AGENT), 0 },
	{ CS_PLAN_PROPOSED, CA_APPROVE_PLAN, CS_APPROVED, APPROVERS, 0, 0 },
	{ CS_PLAN_PROPOSED, CA_RETURN_PLAN, CS_INVESTIGATING, APPROVERS, 0, 1 },
	{ CS_PLAN_PROPOSED, CA_REJECT_PLAN, CS_INVESTIGATING, APPROVERS, 0, 1 },
	{ CS_APPROVED, CA_RECORD_REPLY, CS_REPLIED, RESP, B(AGENT), 0 },
	{ CS_REPLIED, CA_CUSTOMER_DISAGREES, CS_INVESTIGATING, RESP, B(AGENT), 1 },
	{ CS_REPLIED, CA_RECORD_CALLBACK, CS_CALLBACK_DONE, RESP, B(AGENT), 0 },
	{ CS_CALLBACK_DONE, CA_CUSTOMER_DISAGREES, CS_INVESTIGATING, RESP, B(AGENT), 1 },
	{ CS_CALLBACK_DONE, CA_CLOSE, CS_CLOSED, RESP, B(AGENT), 0 },
	{ CS_CLOSED, CA_REOPEN, CS_REGISTERED, RESP, B(AGENT), 1 },
};
#define NSPEC (sizeof(spec) / sizeof(spec[0]))

static const struct wf_transition *
spec_find(enum cstate s, enum caction a)
{
	for (size_t i = 0; i < NSPEC; i++)
		if (spec[i].from == s && spec[i].action == a)
			return &spec[i];
	return NULL;
}

/* What any "allowed" attempt passes as its reason. */
#define REASON "客户不接受解释"

/* ---- every pair, every role ---- */

START_TEST(every_allowed_pair_moves_to_its_target_for_each_allowed_role)
{
	for (size_t i = 0; i < NSPEC; i++)
		for (int r = 0; r < ROLE__MAX; r++) {
			enum cstate to = CS__MAX;

			if (!(spec[i].roles & ROLE_BIT(r)))
				continue;
			ck_assert_msg(workflow_apply(spec[i].from, spec[i].action, ROLE_BIT(r), 1,
			    REASON, &to) == KESU_OK, "%s --%s--> as owning %s",
			    cstate_name(spec[i].from), caction_name(spec[i].action), role_name(r));
			ck_assert_msg(to == spec[i].to, "%s --%s--> gave %s, want %s",
			    cstate_name(spec[i].from), caction_name(spec[i].action), cstate_name(to),
			    cstate_name(spec[i].to));
		}
}
END_TEST

START_TEST(every_pair_outside_the_table_is_a_conflict_whoever_asks)
{
	int conflicts = 0;

	for (int s = 0; s < CS__MAX; s++)
		for (int a = 0; a < CA__MAX; a++) {
			enum cstate to = CS__MAX;

			if (spec_find(s, a) != NULL)
				continue;
			conflicts++;
			ck_assert_msg(workflow_apply(s, a, ALL_ROLES, 1, REASON, &to) == KESU_ESTATE,
			    "%s --%s--> should be a conflict", cstate_name(s), caction_name(a));
			ck_assert_int_eq(workflow_apply(s, a, 0, 0, NULL, &to), KESU_ESTATE);
			ck_assert_int_eq(to, CS__MAX);
			ck_assert_ptr_null(workflow_find(s, a));
		}
	ck_assert_int_eq(conflicts, CS__MAX * CA__MAX - (int)NSPEC);
}
END_TEST

START_TEST(every_allowed_pair_refuses_each_role_outside_its_mask)
{
	for (size_t i = 0; i < NSPEC; i++) {
		enum cstate to = CS__MAX;

		for (int r = 0; r < ROLE__MAX; r++) {
			if (spec[i].roles & ROLE_BIT(r))
				continue;
			for (int owner = 0; owner <= 1; owner++)
				ck_assert_msg(workflow_apply(spec[i].from, spec[i].action, ROLE_BIT(r),
				    owner, REASON, &to) == KESU_EFORBIDDEN, "%s --%s--> as %s",
				    cstate_name(spec[i].from), caction_name(spec[i].action), role_name(r));
		}
		/* All the roles that may not act, held together, still may not. */
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action,
		    ALL_ROLES & ~spec[i].roles, 1, REASON, &to), KESU_EFORBIDDEN);
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action, 0, 1, REASON, &to),
		    KESU_EFORBIDDEN);
		ck_assert_int_eq(to, CS__MAX);
	}
}
END_TEST

START_TEST(owner_only_roles_are_refused_when_not_the_owner_and_others_are_not)
{
	int owner_rows = 0;

	for (size_t i = 0; i < NSPEC; i++)
		for (int r = 0; r < ROLE__MAX; r++) {
			int want;

			if (!(spec[i].roles & ROLE_BIT(r)))
				continue;
			want = (spec[i].owner_roles & ROLE_BIT(r)) ? KESU_EFORBIDDEN : KESU_OK;
			owner_rows += want == KESU_EFORBIDDEN;
			ck_assert_msg(workflow_apply(spec[i].from, spec[i].action, ROLE_BIT(r), 0,
			    REASON, NULL) == want, "%s --%s--> as a %s who is not the owner",
			    cstate_name(spec[i].from), caction_name(spec[i].action), role_name(r));
		}
	ck_assert_int_gt(owner_rows, 0);
}
END_TEST

START_TEST(agent_who_is_also_supervisor_may_act_without_owning)
{
	enum cstate to = CS__MAX;

	ck_assert_int_eq(workflow_apply(CS_APPROVED, CA_RECORD_REPLY, B(AGENT), 0, NULL, &to),
	    KESU_EFORBIDDEN);
	ck_assert_int_eq(workflow_apply(CS_APPROVED, CA_RECORD_REPLY, B(AGENT) | B(SUPERVISOR), 0,
	    NULL, &to), KESU_OK);
	ck_assert_int_eq(to, CS_REPLIED);
	/* A department head proposes a plan without owning the complaint; the agent must own it. */
	ck_assert_int_eq(workflow_apply(CS_INVESTIGATING, CA_PROPOSE_PLAN, B(DEPT_HEAD), 0, NULL, NULL),
	    KESU_OK);
	ck_assert_int_eq(workflow_apply(CS_INVESTIGATING, CA_PROPOSE_PLAN, B(AGENT), 0, NULL, NULL),
	    KESU_EFORBIDDEN);
}
END_TEST

START_TEST(reason_required_transitions_refuse_missing_empty_and_blank_reasons)
{
	static const char *const blank[] = {
		"", " ", "   ", "\t", "\r\n", " \t\v\f\r\n ",
		"\xC2\xA0",              /* no-break space */
		"\xE3\x80\x80",          /* ideographic space, as a Chinese IME types it */
		" \xE3\x80\x80\xC2\xA0\t",
	};
	int rows = 0;

	for (size_t i = 0; i < NSPEC; i++) {
		enum cstate to = CS__MAX;
		unsigned who = spec[i].roles;

		if (!spec[i].needs_reason)
			continue;
		rows++;
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action, who, 1, NULL, &to),
		    KESU_EINPUT);
		for (size_t k = 0; k < sizeof(blank) / sizeof(blank[0]); k++)
			ck_assert_msg(workflow_apply(spec[i].from, spec[i].action, who, 1, blank[k],
			    &to) == KESU_EINPUT, "%s with blank reason #%zu",
			    caction_name(spec[i].action), k);
		ck_assert_int_eq(to, CS__MAX);
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action, who, 1, "  x ", &to),
		    KESU_OK);
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action, who, 1,
		    "\xE3\x80\x80不满意", &to), KESU_OK);
	}
	ck_assert_int_eq(rows, 9);
}
END_TEST

START_TEST(transitions_without_a_reason_need_none)
{
	for (size_t i = 0; i < NSPEC; i++) {
		if (spec[i].needs_reason)
			continue;
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action, spec[i].roles, 1, NULL,
		    NULL), KESU_OK);
		ck_assert_int_eq(workflow_apply(spec[i].from, spec[i].action, spec[i].roles, 1, "",
		    NULL), KESU_OK);
	}
}
END_TEST

START_TEST(table_rows_agree_with_the_spec_on_reason_and_owner)
{
	for (size_t i = 0; i < NSPEC; i++) {
		const struct wf_transition *t = workflow_find(spec[i].from, spec[i].action);

		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->to, spec[i].to);
		ck_assert_uint_eq(t->roles, spec[i].roles);
		ck_assert_uint_eq(t->owner_roles, spec[i].owner_roles);
		ck_assert_int_eq(t->needs_reason, spec[i].needs_reason);
	}
}
END_TEST

START_TEST(state_is_checked_before_role_and_role_before_reason)
{
	/* Wrong state and wrong role: the state wins (the page was stale). */
	ck_assert_int_eq(workflow_apply(CS_CLOSED, CA_APPROVE_PLAN, B(AUDITOR), 0, NULL, NULL),
	    KESU_ESTATE);
	/* Right state, wrong role, no reason: forbidden, not a form error. */
	ck_assert_int_eq(workflow_apply(CS_PLAN_PROPOSED, CA_RETURN_PLAN, B(AGENT), 1, NULL, NULL),
	    KESU_EFORBIDDEN);
	ck_assert_int_eq(workflow_apply(CS_PLAN_PROPOSED, CA_RETURN_PLAN, B(GM), 0, NULL, NULL),
	    KESU_EINPUT);
}
END_TEST

START_TEST(unknown_state_is_internal_and_unknown_action_is_input)
{
	enum cstate to = CS_CLOSED;

	ck_assert_int_eq(workflow_apply(CS__MAX, CA_CLOSE, ALL_ROLES, 1, REASON, &to),
	    KESU_EINTERNAL);
	ck_assert_int_eq(workflow_apply((enum cstate)-1, CA_CLOSE, ALL_ROLES, 1, REASON, &to),
	    KESU_EINTERNAL);
	ck_assert_int_eq(workflow_apply(CS_CALLBACK_DONE, CA__MAX, ALL_ROLES, 1, REASON, &to),
	    KESU_EINPUT);
	ck_assert_int_eq(workflow_apply(CS_CALLBACK_DONE, (enum caction)-1, ALL_ROLES, 1, REASON,
	    &to), KESU_EINPUT);
	ck_assert_int_eq(to, CS_CLOSED);
	ck_assert_ptr_null(workflow_find(CS__MAX, CA_CLOSE));
}
END_TEST

START_TEST(auditors_admins_finance_hr_and_members_never_move_a_complaint)
{
	unsigned readers = B(AUDITOR) | B(ADMIN) | B(FINANCE) | B(HR) | B(DEPT_MEMBER)
	    | B(QUALITY_ENGINEER) | B(QA_DIRECTOR);
	enum caction out[CA__MAX];

	for (int s = 0; s < CS__MAX; s++)
		for (int owner = 0; owner <= 1; owner++)
			ck_assert_int_eq(workflow_actions(s, readers, owner, out, CA__MAX), 0);
}
END_TEST

/* ---- the roads ---- */

/* Apply, expect success and the state reached; returns it. */
static enum cstate
step(enum cstate from, enum caction a, unsigned roles, int owner, const char *reason,
    enum cstate want)
{
	enum cstate to = CS__MAX;
	int rc = workflow_apply(from, a, roles, owner, reason, &to);

	ck_assert_msg(rc == KESU_OK, "%s --%s--> refused (%d)", cstate_name(from), caction_name(a), rc);
	ck_assert_msg(to == want, "%s --%s--> reached %s, want %s", cstate_name(from),
	    caction_name(a), cstate_name(to), cstate_name(want));
	return to;
}

/* The happy road from registration; ends closed. */
static enum cstate
happy_road(enum cstate s)
{
	s = step(s, CA_TRIAGE_SUBSTANTIATED, B(SUPERVISOR), 0, NULL, CS_TRIAGED);
	s = step(s, CA_ASSIGN, B(SUPERVISOR), 0, NULL, CS_ASSIGNED);
	s = step(s, CA_ACCEPT_ASSIGNMENT, B(DEPT_HEAD), 0, NULL, CS_INVESTIGATING);
	s = step(s, CA_PROPOSE_PLAN, B(AGENT), 1, NULL, CS_PLAN_PROPOSED);
	s = step(s, CA_APPROVE_PLAN, B(GM), 0, NULL, CS_APPROVED);
	s = step(s, CA_RECORD_REPLY, B(AGENT), 1, NULL, CS_REPLIED);
	s = step(s, CA_RECORD_CALLBACK, B(AGENT), 1, NULL, CS_CALLBACK_DONE);
	return step(s, CA_CLOSE, B(AGENT), 1, NULL, CS_CLOSED);
}

START_TEST(happy_road_from_registration_to_closure_walks_with_the_right_people)
{
	ck_assert_int_eq(happy_road(CS_REGISTERED), CS_CLOSED);
}
END_TEST

START_TEST(grumble_is_answered_at_once_and_closed)
{
	step(CS_REGISTERED, CA_ANSWER_GRUMBLE, B(AGENT), 1, "已解释退货政策", CS_CLOSED);
}
END_TEST

START_TEST(not_substantiated_closes_once_the_customer_accepts)
{
	enum cstate s = step(CS_REGISTERED, CA_TRIAGE_NOT_SUBSTANTIATED, B(SUPERVISOR), 0,
	    "客户使用不当", CS_NOT_SUBSTANTIATED);

	step(s, CA_CUSTOMER_ACCEPTS_EXPLANATION, B(AGENT), 1, NULL, CS_CLOSED);
}
END_TEST

START_TEST(rejected_explanation_goes_back_to_triage)
{
	enum cstate s = step(CS_REGISTERED, CA_TRIAGE_NOT_SUBSTANTIATED, B(SUPERVISOR), 0,
	    "客户使用不当", CS_NOT_SUBSTANTIATED);

	s = step(s, CA_CUSTOMER_REJECTS_EXPLANATION, B(AGENT), 1, "客户坚持是质量问题", CS_REGISTERED);
	ck_assert_int_eq(happy_road(s), CS_CLOSED);
}
END_TEST

START_TEST(refused_assignment_goes_back_to_the_supervisor)
{
	enum cstate s = step(CS_TRIAGED, CA_ASSIGN, B(SUPERVISOR), 0, NULL, CS_ASSIGNED);

	s = step(s, CA_REFUSE_ASSIGNMENT, B(DEPT_HEAD), 0, "不属于本部门", CS_TRIAGED);
	s = step(s, CA_ASSIGN, B(SUPERVISOR), 0, NULL, CS_ASSIGNED);
	step(s, CA_ACCEPT_ASSIGNMENT, B(DEPT_HEAD), 0, NULL, CS_INVESTIGATING);
}
END_TEST

START_TEST(returned_or_rejected_plan_goes_back_for_a_new_proposal)
{
	enum cstate s = step(CS_INVESTIGATING, CA_PROPOSE_PLAN, B(DEPT_HEAD), 0, NULL,
	    CS_PLAN_PROPOSED);

	s = step(s, CA_RETURN_PLAN, B(DEPUTY_GM), 0, "赔偿金额依据不足", CS_INVESTIGATING);
	s = step(s, CA_PROPOSE_PLAN, B(DEPT_HEAD), 0, NULL, CS_PLAN_PROPOSED);
	s = step(s, CA_REJECT_PLAN, B(GM), 0, "责任划分不当", CS_INVESTIGATING);
	s = step(s, CA_PROPOSE_PLAN, B(AGENT), 1, NULL, CS_PLAN_PROPOSED);
	step(s, CA_APPROVE_PLAN, B(DEPT_HEAD), 0, NULL, CS_APPROVED);
}
END_TEST

START_TEST(disagreement_after_reply_or_callback_returns_to_handling)
{
	enum cstate s = step(CS_REPLIED, CA_CUSTOMER_DISAGREES, B(AGENT), 1, "要求全额退款",
	    CS_INVESTIGATING);

	ck_assert_int_eq(s, CS_INVESTIGATING);
	step(CS_CALLBACK_DONE, CA_CUSTOMER_DISAGREES, B(SUPERVISOR), 0, "回访不满意",
	    CS_INVESTIGATING);
}
END_TEST

START_TEST(reopened_complaint_keeps_going_to_a_second_closure)
{
	enum cstate s = happy_road(CS_REGISTERED);

	s = step(s, CA_REOPEN, B(AGENT), 1, "客户再次投诉同一问题", CS_REGISTERED);
	s = happy_road(s);
	s = step(s, CA_REOPEN, B(SUPERVISOR), 0, "客户不同意结案", CS_REGISTERED);
	step(s, CA_ANSWER_GRUMBLE, B(SUPERVISOR), 0, "已再次解释", CS_CLOSED);
}
END_TEST

/* Which states can be reached from s following the spec's edges, as a bit set. */
static unsigned
reachable(enum cstate s, int forward)
{
	unsigned seen = 1u << s;
	int grew = 1;

	while (grew) {
		grew = 0;
		for (size_t i = 0; i < NSPEC; i++) {
			unsigned a = 1u << (forward ? spec[i].from : spec[i].to);
			unsigned b = 1u << (forward ? spec[i].to : spec[i].from);

			if ((seen & a) && !(seen & b)) {
				seen |= b;
				grew = 1;
			}
		}
	}
	return seen;
}

START_TEST(every_state_is_reachable_and_every_state_can_reach_closed)
{
	unsigned all = (1u << CS__MAX) - 1;

	ck_assert_uint_eq(reachable(CS_REGISTERED, 1), all);
	ck_assert_uint_eq(reachable(CS_CLOSED, 0), all);
	/* And the code agrees with the spec on every edge that makes this true. */
	for (size_t i = 0; i < NSPEC; i++)
		ck_assert_ptr_nonnull(workflow_find(spec[i].from, spec[i].action));
}
END_TEST

/* ---- the buttons ---- */

START_TEST(buttons_are_exactly_the_actions_that_would_succeed)
{
	enum caction out[CA__MAX];
	unsigned combos[ROLE__MAX + 3];
	int ncombos = 0;

	for (int r = 0; r < ROLE__MAX; r++)
		combos[ncombos++] = ROLE_BIT(r);
	combos[ncombos++] = 0;
	combos[ncombos++] = ALL_ROLES;
	combos[ncombos++] = B(AGENT) | B(DEPT_HEAD);

	for (int s = 0; s < CS__MAX; s++)
		for (int c = 0; c < ncombos; c++)
			for (int owner = 0; owner <= 1; owner++) {
				int n = workflow_actions(s, combos[c], owner, out, CA__MAX), k = 0;

				for (int a = 0; a < CA__MAX; a++) {
					int found = 0;

					if (workflow_apply(s, a, combos[c], owner, REASON, NULL) != KESU_OK)
						continue;
					k++;
					/* Table order is not enum order: look for it anywhere. */
					for (int j = 0; j < n; j++)
						found |= out[j] == (enum caction)a;
					ck_assert_msg(found, "%s: %s missing for roles %#x owner %d",
					    cstate_name(s), caction_name(a), combos[c], owner);
				}
				ck_assert_int_eq(n, k);
			}
}
END_TEST

START_TEST(owning_agent_sees_reply_but_another_agent_sees_nothing)
{
	enum caction out[CA__MAX];

	ck_assert_int_eq(workflow_actions(CS_APPROVED, B(AGENT), 1, out, CA__MAX), 1);
	ck_assert_int_eq(out[0], CA_RECORD_REPLY);
	ck_assert_int_eq(workflow_actions(CS_APPROVED, B(AGENT), 0, out, CA__MAX), 0);
	ck_assert_int_eq(workflow_actions(CS_PLAN_PROPOSED, B(GM), 0, out, CA__MAX), 3);
	ck_assert_int_eq(out[0], CA_APPROVE_PLAN);
	ck_assert_int_eq(workflow_actions(CS_REGISTERED, B(SUPERVISOR), 0, out, CA__MAX), 3);
}
END_TEST

START_TEST(buttons_never_overflow_the_callers_array)
{
	enum caction out[2] = { CA__MAX, CA__MAX };

	ck_assert_int_eq(workflow_actions(CS_PLAN_PROPOSED, ALL_ROLES, 1, out, 1), 1);
	ck_assert_int_eq(out[1], CA__MAX);
	ck_assert_int_eq(workflow_actions(CS_PLAN_PROPOSED, ALL_ROLES, 1, out, 0), 0);
	ck_assert_int_eq(out[0], CA_APPROVE_PLAN);
	ck_assert_int_eq(workflow_actions(CS__MAX, ALL_ROLES, 1, out, 2), 0);
}
END_TEST

/* ---- the names ---- */

/* 1 when s is a lowercase snake_case identifier. */
static int
snake(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

START_TEST(state_names_round_trip_are_unique_and_fit_the_status_column)
{
	for (int s = 0; s < CS__MAX; s++) {
		const char *n = cstate_name(s);

		ck_assert_msg(snake(n), "state %d is named '%s'", s, n);
		ck_assert_uint_le(strlen(n), 24);   /* complaint.status VARCHAR(24) */
		ck_assert_int_eq(cstate_from_name(n), s);
		for (int t = 0; t < s; t++)
			ck_assert_str_ne(cstate_name(t), n);
	}
}
END_TEST

START_TEST(action_names_round_trip_are_unique_and_fit_the_audit_column)
{
	for (int a = 0; a < CA__MAX; a++) {
		const char *n = caction_name(a);

		ck_assert_msg(snake(n), "action %d is named '%s'", a, n);
		ck_assert_uint_le(strlen(n), 64);   /* audit.action VARCHAR(64) */
		ck_assert_int_eq(caction_from_name(n), a);
		for (int b = 0; b < a; b++)
			ck_assert_str_ne(caction_name(b), n);
	}
}
END_TEST

START_TEST(unknown_names_give_the_sentinel)
{
	static const char *const bad[] = { "", "Registered", "closed ", " closed", "unknown",
		"state_closed", "close\n" };

	ck_assert_int_eq(cstate_from_name(NULL), CS__MAX);
	ck_assert_int_eq(caction_from_name(NULL), CA__MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(cstate_from_name(bad[i]), CS__MAX);
		ck_assert_int_eq(caction_from_name(bad[i]), CA__MAX);
	}
	/* A state's name is not an action's and the other way round. */
	ck_assert_int_eq(caction_from_name("closed"), CA__MAX);
	ck_assert_int_eq(cstate_from_name("close"), CS__MAX);
}
END_TEST

START_TEST(out_of_range_values_are_named_unknown)
{
	ck_assert_str_eq(cstate_name(CS__MAX), "unknown");
	ck_assert_str_eq(cstate_name((enum cstate)-1), "unknown");
	ck_assert_str_eq(caction_name(CA__MAX), "unknown");
	ck_assert_str_eq(caction_name((enum caction)-1), "unknown");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("workflow");
	TCase *pairs = tcase_create("pairs");
	TCase *roads = tcase_create("roads");
	TCase *buttons = tcase_create("buttons");
	TCase *names = tcase_create("names");
	SRunner *sr;
	int failed;

	kesu_log_level(-1);   /* the corrupt-state test logs an expected error */
	tcase_add_test(pairs, every_allowed_pair_moves_to_its_target_for_each_allowed_role);
	tcase_add_test(pairs, every_pair_outside_the_table_is_a_conflict_whoever_asks);
	tcase_add_test(pairs, every_allowed_pair_refuses_each_role_outside_its_mask);
	tcase_add_test(pairs, owner_only_roles_are_refused_when_not_the_owner_and_others_are_not);
	tcase_add_test(pairs, agent_who_is_also_supervisor_may_act_without_owning);
	tcase_add_test(pairs, reason_required_transitions_refuse_missing_empty_and_blank_reasons);
	tcase_add_test(pairs, transitions_without_a_reason_need_none);
	tcase_add_test(pairs, table_rows_agree_with_the_spec_on_reason_and_owner);
	tcase_add_test(pairs, state_is_checked_before_role_and_role_before_reason);
	tcase_add_test(pairs, unknown_state_is_internal_and_unknown_action_is_input);
	tcase_add_test(pairs, auditors_admins_finance_hr_and_members_never_move_a_complaint);
	suite_add_tcase(s, pairs);

	tcase_add_test(roads, happy_road_from_registration_to_closure_walks_with_the_right_people);
	tcase_add_test(roads, grumble_is_answered_at_once_and_closed);
	tcase_add_test(roads, not_substantiated_closes_once_the_customer_accepts);
	tcase_add_test(roads, rejected_explanation_goes_back_to_triage);
	tcase_add_test(roads, refused_assignment_goes_back_to_the_supervisor);
	tcase_add_test(roads, returned_or_rejected_plan_goes_back_for_a_new_proposal);
	tcase_add_test(roads, disagreement_after_reply_or_callback_returns_to_handling);
	tcase_add_test(roads, reopened_complaint_keeps_going_to_a_second_closure);
	tcase_add_test(roads, every_state_is_reachable_and_every_state_can_reach_closed);
	suite_add_tcase(s, roads);

	tcase_add_test(buttons, buttons_are_exactly_the_actions_that_would_succeed);
	tcase_add_test(buttons, owning_agent_sees_reply_but_another_agent_sees_nothing);
	tcase_add_test(buttons, buttons_never_overflow_the_callers_array);
	suite_add_tcase(s, buttons);

	tcase_add_test(names, state_names_round_trip_are_unique_and_fit_the_status_column);
	tcase_add_test(names, action_names_round_trip_are_unique_and_fit_the_audit_column);
	tcase_add_test(names, unknown_names_give_the_sentinel);
	tcase_add_test(names, out_of_range_values_are_named_unknown);
	suite_add_tcase(s, names);

	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
