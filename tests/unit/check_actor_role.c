/* check_actor_role.c: the role an audit event names — the one the step's rule allowed this person, not their first role. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "kesu.h"
#include "workflow.h"

#define B(r) ROLE_BIT(ROLE_##r)

static const char *
role_of(unsigned held, enum cstate from, enum caction a, int owner)
{
	static const char none[] = "-";
	unsigned m = workflow_authority(workflow_find(from, a), held, owner);

	for (int i = 0; i < ROLE__MAX; i++)
		if (m & ROLE_BIT(i))
			return role_name((enum role)i);
	return none;
}

START_TEST(an_owning_agent_who_is_also_supervisor_acts_as_the_agent_on_their_own_case)
{
	ck_assert_str_eq(role_of(B(AGENT) | B(SUPERVISOR), CS_APPROVED, CA_RECORD_REPLY, 1), "agent");
	ck_assert_str_eq(role_of(B(AGENT) | B(SUPERVISOR), CS_CALLBACK_DONE, CA_CLOSE, 1), "agent");
}
END_TEST

START_TEST(on_someone_elses_case_the_same_person_acts_as_the_supervisor)
{
	ck_assert_str_eq(role_of(B(AGENT) | B(SUPERVISOR), CS_APPROVED, CA_RECORD_REPLY, 0), "supervisor");
	ck_assert_str_eq(role_of(B(AGENT) | B(SUPERVISOR), CS_REGISTERED, CA_TRIAGE_SUBSTANTIATED, 1), "supervisor");
}
END_TEST

START_TEST(a_head_who_is_also_a_member_proposes_and_accepts_as_the_head)
{
	ck_assert_str_eq(role_of(B(DEPT_MEMBER) | B(DEPT_HEAD), CS_INVESTIGATING, CA_PROPOSE_PLAN, 0), "dept_head");
	ck_assert_str_eq(role_of(B(DEPT_MEMBER) | B(DEPT_HEAD), CS_ASSIGNED, CA_ACCEPT_ASSIGNMENT, 0), "dept_head");
	ck_assert_str_eq(role_of(B(DEPT_MEMBER) | B(DEPT_HEAD) | B(GM), CS_PLAN_PROPOSED, CA_RETURN_PLAN, 0),
	    "dept_head");
}
END_TEST

START_TEST(no_role_when_the_person_may_not_take_the_step_or_it_does_not_exist)
{
	ck_assert_str_eq(role_of(B(AUDITOR) | B(FINANCE), CS_REGISTERED, CA_TRIAGE_SUBSTANTIATED, 0), "-");
	/* an agent who does not own the case may not reply */
	ck_assert_str_eq(role_of(B(AGENT), CS_APPROVED, CA_RECORD_REPLY, 0), "-");
	ck_assert_uint_eq(workflow_authority(NULL, B(SUPERVISOR), 0), 0);
	ck_assert_str_eq(role_of(B(SUPERVISOR), CS_CLOSED, CA_ASSIGN, 0), "-");
}
END_TEST

/* A signed-in person with the given roles, for req_actor_as(). */
static struct audit_actor
actor(unsigned roles, unsigned mask)
{
	static struct session s;
	static struct req r;

	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));
	s.uid = "engineer";
	s.name = "赵磊";
	s.department = "quality";
	s.roles = roles;
	r.sess = &s;
	r.remote_addr = "127.0.0.1";
	strcpy(r.id, "00000000000000aa");
	return req_actor_as(&r, mask);
}

START_TEST(a_person_with_two_roles_is_recorded_under_the_one_the_step_required)
{
	unsigned engineer = B(DEPT_MEMBER) | B(QUALITY_ENGINEER);

	ck_assert_str_eq(actor(engineer, B(QUALITY_ENGINEER)).role, "quality_engineer");
	ck_assert_str_eq(actor(engineer, B(DEPT_MEMBER) | B(DEPT_HEAD)).role, "dept_member");
	/* the first of the allowed roles in role order, when more than one is held */
	ck_assert_str_eq(actor(B(DEPT_HEAD) | B(DEPUTY_GM) | B(GM), B(DEPUTY_GM) | B(GM)).role, "deputy_gm");
}
END_TEST

START_TEST(without_a_rule_or_a_matching_role_the_first_role_is_kept)
{
	unsigned engineer = B(DEPT_MEMBER) | B(QUALITY_ENGINEER);
	struct audit_actor a = actor(engineer, 0);

	ck_assert_str_eq(a.role, "dept_member");
	ck_assert_str_eq(actor(engineer, B(GM)).role, "dept_member");
	ck_assert_str_eq(a.uid, "engineer");
	ck_assert_str_eq(a.request_id, "00000000000000aa");
	ck_assert_str_eq(a.client_addr, "127.0.0.1");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("actor_role");
	TCase *wf = tcase_create("workflow"), *as = tcase_create("actor");
	SRunner *sr;
	int failed;

	tcase_add_test(wf, an_owning_agent_who_is_also_supervisor_acts_as_the_agent_on_their_own_case);
	tcase_add_test(wf, on_someone_elses_case_the_same_person_acts_as_the_supervisor);
	tcase_add_test(wf, a_head_who_is_also_a_member_proposes_and_accepts_as_the_head);
	tcase_add_test(wf, no_role_when_the_person_may_not_take_the_step_or_it_does_not_exist);
	suite_add_tcase(s, wf);
	tcase_add_test(as, a_person_with_two_roles_is_recorded_under_the_one_the_step_required);
	tcase_add_test(as, without_a_rule_or_a_matching_role_the_first_role_is_kept);
	suite_add_tcase(s, as);

	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
