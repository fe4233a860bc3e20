/* check_form_key.c: a registration form's key — what the server issues is accepted, nothing else. */
#include <check.h>
#include <string.h>

#include "form_key.h"
#include "check_run.h"

START_TEST(issued_keys_are_valid_and_differ)
{
	char a[FORM_KEY_LEN + 1], b[FORM_KEY_LEN + 1];

	form_key_new(a);
	form_key_new(b);
	ck_assert_uint_eq(strlen(a), FORM_KEY_LEN);
	ck_assert(form_key_valid(a));
	ck_assert(form_key_valid(b));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(only_16_to_64_safe_characters_are_a_key)
{
	ck_assert(!form_key_valid(NULL));
	ck_assert(!form_key_valid(""));
	ck_assert(!form_key_valid("0123456789abcde"));                 /* 15 */
	ck_assert(form_key_valid("0123456789abcdef"));                  /* 16 */
	ck_assert(form_key_valid("client-7_form-0042_ABCDEF"));
	ck_assert(form_key_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	ck_assert(!form_key_valid("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"));
	ck_assert(!form_key_valid("0123456789abcdef'; DROP TABLE x"));
	ck_assert(!form_key_valid("0123456789abcdef 01"));
	ck_assert(!form_key_valid("0123456789abcdef\xe5\xae\xa2"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("form_key");
	TCase *tc = tcase_create("form_key");

	tcase_add_test(tc, issued_keys_are_valid_and_differ);
	tcase_add_test(tc, only_16_to_64_safe_characters_are_a_key);
	suite_add_tcase(s, tc);
	return check_run(s);
}
