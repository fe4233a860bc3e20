/* check_audit_diff.c: an audit event's change as rows — labels, money in yuan, codes, what is left out. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "audit_diff.h"
#include "check_run.h"

static struct arena *a;

static void setup(void) { a = arena_new(); }
static void teardown(void) { arena_free(a); }

/* A small catalog: two field labels and two codes' labels. */
static const char *
text(void *ctx, const char *key)
{
	static const char *const cat[][2] = {
		{ "audit_field_status", "Status" }, { "audit_field_compensation_fen", "Compensation" },
		{ "status_triaged", "Triaged" }, { "status_registered", "Registered" },
		{ "repeat_same_lot", "Same lot" },
	};
	(void)ctx;
	for (size_t i = 0; i < sizeof(cat) / sizeof(cat[0]); i++)
		if (strcmp(cat[i][0], key) == 0)
			return cat[i][1];
	return NULL;
}

START_TEST(changed_fields_show_labels_codes_as_labels_and_money_as_yuan)
{
	struct diff_row *d;
	long n = audit_diff(a, "{\"status\":\"registered\",\"version\":1,\"compensation_fen\":100050}",
	    "{\"status\":\"triaged\",\"version\":2,\"compensation_fen\":123456789}", text, NULL, &d);

	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(d[0].field, "status");
	ck_assert_str_eq(d[0].label, "Status");
	ck_assert_str_eq(d[0].before, "Registered");
	ck_assert_str_eq(d[0].after, "Triaged");
	ck_assert_str_eq(d[1].label, "version");   /* no label in the catalog: the name */
	ck_assert_str_eq(d[1].before, "1");
	ck_assert_str_eq(d[1].after, "2");
	ck_assert_str_eq(d[2].label, "Compensation");
	ck_assert_str_eq(d[2].before, "1,000.50");
	ck_assert_str_eq(d[2].after, "1,234,567.89");
}
END_TEST

START_TEST(unchanged_fields_are_left_out_and_removed_fields_come_last)
{
	struct diff_row *d;
	long n = audit_diff(a, "{\"gone\":\"x\",\"same\":[1,2],\"status\":\"registered\"}",
	    "{\"same\":[1,2],\"reason\":\"客户同意\"}", text, NULL, &d);

	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(d[0].field, "reason");
	ck_assert_ptr_null(d[0].before);
	ck_assert_str_eq(d[0].after, "客户同意");
	ck_assert_str_eq(d[1].field, "gone");
	ck_assert_str_eq(d[1].before, "x");
	ck_assert_ptr_null(d[1].after);
	ck_assert_str_eq(d[2].before, "Registered");
	ck_assert_ptr_null(d[2].after);
}
END_TEST

START_TEST(a_created_record_shows_every_field_and_nothing_is_empty)
{
	struct diff_row *d;
	long n = audit_diff(a, NULL, "{\"ok\":true,\"x\":null,\"e\":[]}", NULL, NULL, &d);

	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(d[0].after, "true");
	ck_assert_str_eq(d[1].after, "—");
	ck_assert_str_eq(d[2].after, "[]");
	ck_assert_int_eq(audit_diff(a, NULL, NULL, text, NULL, &d), 0);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(audit_diff(a, "null", "{}", text, NULL, &d), 0);
	ck_assert_int_eq(audit_diff(a, "{}", "{}", text, NULL, &d), 0);
}
END_TEST

START_TEST(nested_objects_and_lists_are_compared_leaf_by_leaf_with_their_path_as_label)
{
	struct diff_row *d;
	long n = audit_diff(a, "{\"d4\":{\"causes\":[{\"kind\":\"x\",\"status\":\"registered\"}]}}",
	    "{\"d4\":{\"causes\":[{\"kind\":\"x\",\"status\":\"triaged\"},{\"kind\":\"y\"}]}}",
	    text, NULL, &d);

	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(d[0].field, "d4.causes[0].status");
	ck_assert_str_eq(d[0].label, "d4 › causes 1 › Status");
	ck_assert_str_eq(d[0].before, "Registered");
	ck_assert_str_eq(d[0].after, "Triaged");
	ck_assert_str_eq(d[1].field, "d4.causes[1].kind");
	ck_assert_ptr_null(d[1].before);
	ck_assert_str_eq(d[1].after, "y");
}
END_TEST

START_TEST(free_text_that_looks_like_a_code_stays_as_typed_and_bad_json_is_refused)
{
	struct diff_row *d;
	long n = audit_diff(a, NULL, "{\"status\":\"Triaged <b>\",\"comment\":\"triaged\"}", text, NULL, &d);

	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(d[0].after, "Triaged <b>");
	ck_assert_str_eq(d[1].after, "triaged");  /* no "comment_triaged" text */
	n = audit_diff(a, NULL, "{\"repeat_reason\":\"same_lot\"}", text, NULL, &d);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(d[0].after, "Same lot");  /* "repeat_reason_same_lot", then "repeat_same_lot" */
	ck_assert_int_eq(audit_diff(a, "{\"a\":", "{}", text, NULL, &d), -1);
	ck_assert_int_eq(audit_diff(a, NULL, "{\"a\":1} x", text, NULL, &d), -1);
}
END_TEST

START_TEST(parsed_images_give_the_same_rows_and_stay_the_callers)
{
	const char *b = "{\"status\":\"registered\",\"x\":[1,2],\"v\":1}", *f = "{\"status\":\"triaged\",\"x\":[1,3]}";
	struct json_object *bo, *ao, *bare;
	struct diff_row *d1, *d2;
	long n1 = audit_diff(a, b, f, text, NULL, &d1), n2;

	ck_assert_int_eq(audit_json_parse(b, &bo), 0);
	ck_assert_int_eq(audit_json_parse(f, &ao), 0);
	n2 = audit_diff_obj(a, bo, ao, text, NULL, &d2);
	ck_assert_int_eq(n1, n2);
	for (long i = 0; i < n1; i++) {
		ck_assert_str_eq(d1[i].label, d2[i].label);
		ck_assert_str_eq(d1[i].before ? d1[i].before : "-", d2[i].before ? d2[i].before : "-");
		ck_assert_str_eq(d1[i].after ? d1[i].after : "-", d2[i].after ? d2[i].after : "-");
	}
	/* not consumed: the caller still reads (and puts) them */
	ck_assert(json_object_is_type(bo, json_type_object));
	json_object_put(bo);
	json_object_put(ao);
	/* a bare value is one field "value"; bad JSON and trailing text are refused */
	ck_assert_int_eq(audit_json_parse("7", &bare), 0);
	ck_assert_int_eq(audit_diff_obj(a, NULL, bare, text, NULL, &d1), 1);
	ck_assert_str_eq(d1[0].field, "value");
	json_object_put(bare);
	ck_assert_int_eq(audit_json_parse("{\"a\":1} x", &bare), -1);
	ck_assert_ptr_null(bare);
	ck_assert_int_eq(audit_json_parse(NULL, &bare), 0);
	ck_assert_ptr_null(bare);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("audit_diff");
	TCase *tc = tcase_create("diff");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, changed_fields_show_labels_codes_as_labels_and_money_as_yuan);
	tcase_add_test(tc, unchanged_fields_are_left_out_and_removed_fields_come_last);
	tcase_add_test(tc, a_created_record_shows_every_field_and_nothing_is_empty);
	tcase_add_test(tc, nested_objects_and_lists_are_compared_leaf_by_leaf_with_their_path_as_label);
	tcase_add_test(tc, free_text_that_looks_like_a_code_stays_as_typed_and_bad_json_is_refused);
	tcase_add_test(tc, parsed_images_give_the_same_rows_and_stay_the_callers);
	suite_add_tcase(s, tc);
	return check_run(s);
}
