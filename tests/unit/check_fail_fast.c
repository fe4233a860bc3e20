/* check_fail_fast.c: a dependency that failed is not asked for its window, then one caller probes. */
#include <check.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fail_fast.h"
#include "check_run.h"

START_TEST(up_until_it_fails_then_nobody_tries_for_the_window)
{
	struct fail_fast local = { 0 }, *f = &local;

	ck_assert_int_eq(fail_fast_may_try(f, 5), 1);
	ck_assert_int_eq(fail_fast_up(f), 0);          /* was not down: nothing to say */
	fail_fast_down(f, 30);
	ck_assert_int_eq(fail_fast_may_try(f, 5), 0);
	ck_assert_int_eq(fail_fast_may_try(f, 5), 0);
	ck_assert_int_eq(fail_fast_up(f), 1);          /* answered again: said once */
	ck_assert_int_eq(fail_fast_up(f), 0);
	ck_assert_int_eq(fail_fast_may_try(f, 5), 1);
}
END_TEST

START_TEST(after_the_window_one_caller_probes_and_the_others_keep_failing_fast)
{
	struct fail_fast local = { 0 }, *f = &local;

	f->down_until = (long)time(NULL) - 1;          /* the window just ended */
	ck_assert_int_eq(fail_fast_may_try(f, 60), 1); /* this one probes ... */
	ck_assert_int_eq(fail_fast_may_try(f, 60), 0); /* ... the others wait for its answer */
	ck_assert(f->down_until >= (long)time(NULL) + 59);
	fail_fast_down(f, 30);                         /* the probe failed: a new window */
	ck_assert_int_eq(fail_fast_may_try(f, 60), 0);
}
END_TEST

START_TEST(the_shared_page_carries_a_failure_from_one_process_to_another)
{
	struct fail_fast local = { 0 }, *f = fail_fast_shared(&local, "the test's");
	pid_t pid;
	int st;

	ck_assert_ptr_ne(f, &local);
	ck_assert_int_eq(fail_fast_may_try(f, 5), 1);
	if ((pid = fork()) == 0) {
		fail_fast_down(f, 30);                 /* a worker learns it is down ... */
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(fail_fast_may_try(f, 5), 0);  /* ... and its sibling knows at once */
	ck_assert_int_eq(fail_fast_may_try(&local, 5), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("fail_fast");
	TCase *tc = tcase_create("fail_fast");

	tcase_add_test(tc, up_until_it_fails_then_nobody_tries_for_the_window);
	tcase_add_test(tc, after_the_window_one_caller_probes_and_the_others_keep_failing_fast);
	tcase_add_test(tc, the_shared_page_carries_a_failure_from_one_process_to_another);
	suite_add_tcase(s, tc);
	return check_run(s);
}
