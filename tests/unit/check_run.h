/* check_run.h: the common end of every unit suite's main() — run it, report, exit status. */
#ifndef KESU_CHECK_RUN_H
#define KESU_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

/* Run s in the default (forked) mode; EXIT_SUCCESS when every test passed. */
static inline int
check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
