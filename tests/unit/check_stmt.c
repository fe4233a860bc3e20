/* check_stmt.c: the statement table — every statement has its SQL and a bind string naming each "?". */
#include <check.h>
#include <string.h>

#include "db.h"
#include "check_run.h"

/* The "?" of sql outside quoted literals. */
static size_t
placeholders(const char *sql)
{
	size_t n = 0;
	char quote = 0;

	for (; *sql != '\0'; sql++) {
		if (quote != 0) {
			if (*sql == '\\' && sql[1] != '\0')
				sql++;
			else if (*sql == quote)
				quote = 0;
		} else if (*sql == '\'' || *sql == '"' || *sql == '`') {
			quote = *sql;
		} else if (*sql == '?') {
			n++;
		}
	}
	return n;
}

START_TEST(every_statement_has_sql_and_a_bind_string_for_each_placeholder)
{
	for (int i = 0; i < STMT__MAX; i++) {
		const char *sql = db_stmt_sql((enum stmt)i), *b = db_stmt_binds((enum stmt)i);
		ck_assert_msg(sql != NULL, "statement %d has no SQL", i);
		ck_assert_msg(b != NULL, "statement %d has no bind string", i);
		ck_assert_msg(strlen(b) == placeholders(sql), "statement %d: bind string \"%s\" for %zu placeholders: %s",
		    i, b, placeholders(sql), sql);
		ck_assert_msg(strspn(b, "siud") == strlen(b), "statement %d: unknown letter in \"%s\"", i, b);
	}
}
END_TEST

START_TEST(an_unknown_statement_has_neither)
{
	ck_assert_ptr_null(db_stmt_sql(STMT__MAX));
	ck_assert_ptr_null(db_stmt_binds(STMT__MAX));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("stmt");
	TCase *tc = tcase_create("stmt");

	tcase_add_test(tc, every_statement_has_sql_and_a_bind_string_for_each_placeholder);
	tcase_add_test(tc, an_unknown_statement_has_neither);
	suite_add_tcase(s, tc);
	return check_run(s);
}
