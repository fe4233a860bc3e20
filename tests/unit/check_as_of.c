/* check_as_of.c: a record rebuilt as it stood at a sequence number from its events' after-images, and the "as of" inputs. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "as_of.h"
#include "check_run.h"

static struct arena *a;

static void setup(void) { a = arena_new(); }
static void teardown(void) { arena_free(a); }

/* A complaint's life: registration, triage, assignment, a report, a plan and its approval, a note. */
static const struct as_of_event life[] = {
	{ 10, "2026-11-23 01:00:00.000000", "register",
	  "{\"number\":\"261123001\",\"status\":\"registered\",\"category\":\"product_quality\",\"severity\":\"3\",\"customer_name\":\"Li\"}" },
	{ 14, "2026-11-23 02:00:00.000000", "triage_substantiated",
	  "{\"status\":\"triaged\",\"version\":2,\"reason\":\"checked\"}" },
	{ 15, "2026-11-23 02:01:00.000000", "triage_correct",
	  "{\"category\":\"service_quality\",\"severity\":\"2\",\"reason\":\"was wrong\"}" },
	{ 20, "2026-11-23 03:00:00.000000", "assign",
	  "{\"departments\":[\"quality\"],\"status\":\"assigned\",\"version\":3}" },
	{ 22, "2026-11-23 04:00:00.000000", "report_submit",
	  "{\"department\":\"quality\",\"state\":\"submitted\",\"revision\":1,\"cause\":\"heat\"}" },
	{ 23, "2026-11-23 04:30:00.000000", "attachment_add", "{\"file\":\"x.jpg\",\"status\":\"bogus\"}" },
	{ 30, "2026-11-23 05:00:00.000000", "propose_plan",
	  "{\"status\":\"plan_proposed\",\"version\":5,\"plan_revision\":1,\"amount_fen\":50000,\"required_signers\":\"dept_head\"}" },
	{ 31, "2026-11-23 06:00:00.000000", "approve_plan",
	  "{\"status\":\"plan_approved\",\"version\":6,\"plan_revision\":1,\"decision\":\"approve\",\"role\":\"dept_head\",\"meaning\":\"I approve\",\"plan_state\":\"approved\"}" },
};
#define NLIFE (sizeof(life) / sizeof(life[0]))

static const char *
s(struct json_object *o, const char *path1, const char *path2, const char *key)
{
	struct json_object *v = o;

	if (path1 != NULL && !json_object_object_get_ex(v, path1, &v))
		return NULL;
	if (path2 != NULL && !json_object_object_get_ex(v, path2, &v))
		return NULL;
	if (!json_object_object_get_ex(v, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

START_TEST(record_before_its_registration_does_not_exist)
{
	ck_assert_ptr_null(as_of_rebuild(AS_OF_COMPLAINT, life, NLIFE, 9));
	ck_assert_ptr_null(as_of_rebuild(AS_OF_COMPLAINT, life, 0, 100));
}
END_TEST

START_TEST(at_registration_the_record_is_the_registration_image)
{
	struct json_object *o = as_of_rebuild(AS_OF_COMPLAINT, life, NLIFE, 13);

	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(s(o, NULL, NULL, "status"), "registered");
	ck_assert_str_eq(s(o, NULL, NULL, "category"), "product_quality");
	ck_assert_str_eq(s(o, NULL, NULL, "as_of_seq"), "10");
	ck_assert_ptr_null(s(o, NULL, NULL, "departments"));
	ck_assert_int_eq(json_object_array_length(json_object_object_get(o, "events")), 1);
	json_object_put(o);
}
END_TEST

START_TEST(later_events_merge_over_it_in_order)
{
	struct json_object *o = as_of_rebuild(AS_OF_COMPLAINT, life, NLIFE, 15);

	ck_assert_str_eq(s(o, NULL, NULL, "status"), "triaged");
	ck_assert_str_eq(s(o, NULL, NULL, "category"), "service_quality");
	ck_assert_str_eq(s(o, NULL, NULL, "severity"), "2");
	ck_assert_str_eq(s(o, NULL, NULL, "customer_name"), "Li");
	ck_assert_str_eq(s(o, NULL, NULL, "as_of_at"), "2026-11-23 02:01:00.000000");
	json_object_put(o);
}
END_TEST

START_TEST(children_fold_into_their_own_maps)
{
	struct json_object *o = as_of_rebuild(AS_OF_COMPLAINT, life, NLIFE, 30);

	ck_assert_str_eq(s(o, "reports", "quality", "cause"), "heat");
	ck_assert_str_eq(s(o, "reports", "quality", "state"), "submitted");
	ck_assert_str_eq(s(o, "plans", "1", "amount_fen"), "50000");
	ck_assert_str_eq(s(o, "plans", "1", "state"), "pending");
	ck_assert_str_eq(s(o, NULL, NULL, "status"), "plan_proposed");
	/* The plan's amount is not the complaint's; a note about an attachment changes nothing. */
	ck_assert_ptr_null(s(o, NULL, NULL, "amount_fen"));
	ck_assert_ptr_null(s(o, NULL, NULL, "file"));
	json_object_put(o);
}
END_TEST

START_TEST(decision_details_belong_to_the_event_not_the_record)
{
	struct json_object *o = as_of_rebuild(AS_OF_COMPLAINT, life, NLIFE, 1000), *ev, *last;

	ck_assert_str_eq(s(o, NULL, NULL, "status"), "plan_approved");
	ck_assert_str_eq(s(o, "plans", "1", "state"), "approved");
	ck_assert_ptr_null(s(o, "plans", "1", "decision"));
	ck_assert_ptr_null(s(o, NULL, NULL, "role"));
	ev = json_object_object_get(o, "events");
	ck_assert_int_eq(json_object_array_length(ev), NLIFE);
	last = json_object_array_get_idx(ev, NLIFE - 1);
	ck_assert_str_eq(s(last, NULL, NULL, "decision"), "approve");
	ck_assert_str_eq(s(last, NULL, NULL, "action"), "approve_plan");
	json_object_put(o);
}
END_TEST

START_TEST(null_in_an_after_image_removes_the_key)
{
	static const struct as_of_event ev[] = {
		{ 1, "t1", "created", "{\"a\":\"1\",\"b\":\"2\"}" },
		{ 2, "t2", "saved", "{\"b\":null,\"c\":\"3\"}" },
	};
	struct json_object *o = as_of_rebuild(AS_OF_RECORD, ev, 2, 2);

	ck_assert_str_eq(s(o, NULL, NULL, "a"), "1");
	ck_assert_ptr_null(s(o, NULL, NULL, "b"));
	ck_assert_str_eq(s(o, NULL, NULL, "c"), "3");
	json_object_put(o);
}
END_TEST

START_TEST(a_record_starts_at_its_first_event_and_bad_images_are_skipped)
{
	static const struct as_of_event ev[] = {
		{ 5, "t5", "penalty_propose", "{\"penalty_id\":7,\"state\":\"proposed\",\"reason\":\"late\"}" },
		{ 6, "t6", "penalty_approve", "not json" },
		{ 8, "t8", "penalty_approve", "{\"penalty_id\":7,\"state\":\"approved\",\"comment\":\"ok\"}" },
	};
	struct json_object *o = as_of_rebuild(AS_OF_RECORD, ev, 3, 7);

	ck_assert_str_eq(s(o, NULL, NULL, "state"), "proposed");
	ck_assert_str_eq(s(o, NULL, NULL, "as_of_seq"), "6");
	json_object_put(o);
	o = as_of_rebuild(AS_OF_RECORD, ev, 3, 8);
	ck_assert_str_eq(s(o, NULL, NULL, "state"), "approved");
	ck_assert_str_eq(s(o, NULL, NULL, "reason"), "late");
	ck_assert_ptr_null(s(o, NULL, NULL, "comment"));
	json_object_put(o);
}
END_TEST

START_TEST(events_out_of_order_are_refused)
{
	static const struct as_of_event ev[] = {
		{ 5, "t5", "register", "{}" },
		{ 5, "t5", "assign", "{}" },
	};

	ck_assert_ptr_null(as_of_rebuild(AS_OF_COMPLAINT, ev, 2, 10));
}
END_TEST

START_TEST(an_8d_save_replaces_only_its_discipline)
{
	static const struct as_of_event ev[] = {
		{ 3, "t3", "8d_open", "{\"eightd_id\":4,\"title\":\"KX\"}" },
		{ 4, "t4", "8d_save", "{\"version\":1,\"revision\":1,\"discipline\":\"d2\",\"fields\":{\"what\":\"noise\"}}" },
		{ 5, "t5", "hold_issue", "{\"title\":\"not the 8D's\"}" },
		{ 6, "t6", "8d_save", "{\"version\":1,\"revision\":2,\"discipline\":\"d3\",\"fields\":{\"containment\":\"sorted\"}}" },
		{ 7, "t7", "8d_approve", "{\"version\":1,\"state\":\"approved\",\"decision\":\"approve\"}" },
	};
	struct json_object *o = as_of_rebuild(AS_OF_8D, ev, 5, 4);

	ck_assert_str_eq(s(o, "disciplines", "d2", "what"), "noise");
	ck_assert_ptr_null(s(o, NULL, NULL, "discipline"));
	json_object_put(o);
	o = as_of_rebuild(AS_OF_8D, ev, 5, 7);
	ck_assert_str_eq(s(o, "disciplines", "d2", "what"), "noise");
	ck_assert_str_eq(s(o, "disciplines", "d3", "containment"), "sorted");
	ck_assert_str_eq(s(o, NULL, NULL, "title"), "KX");
	ck_assert_str_eq(s(o, NULL, NULL, "state"), "approved");
	ck_assert_str_eq(s(o, NULL, NULL, "revision"), "2");
	ck_assert_ptr_null(s(o, NULL, NULL, "decision"));
	json_object_put(o);
}
END_TEST

START_TEST(local_day_and_minute_end_in_utc)
{
	ck_assert_str_eq(as_of_local_end_utc(a, 480, "2026-11-23"), "2026-11-23 15:59:59.999999");
	ck_assert_str_eq(as_of_local_end_utc(a, 480, "2026-11-23T07:30"), "2026-11-22 23:30:59.999999");
	ck_assert_str_eq(as_of_local_end_utc(a, 0, "2026-12-31T23:59"), "2026-12-31 23:59:59.999999");
}
END_TEST

START_TEST(malformed_or_impossible_times_are_refused)
{
	static const char *const bad[] = { "", "2026-11-2", "2026-02-30", "2026-13-01", "2026-11-23 07:30",
		"2026-11-23T24:00", "2026-11-23T07:3x", "1999-01-01", "2026-11-23T07:30:00", "x", NULL };

	for (int i = 0; bad[i] != NULL; i++)
		ck_assert_msg(as_of_local_end_utc(a, 480, bad[i]) == NULL, "accepted %s", bad[i]);
	ck_assert_ptr_null(as_of_local_end_utc(a, 480, NULL));
}
END_TEST

START_TEST(sequence_numbers_are_positive_decimals)
{
	uint64_t v = 0;

	ck_assert_int_eq(as_of_parse_seq("42", &v), 1);
	ck_assert_uint_eq(v, 42);
	ck_assert_int_eq(as_of_parse_seq("0", &v), 0);
	ck_assert_int_eq(as_of_parse_seq("-1", &v), 0);
	ck_assert_int_eq(as_of_parse_seq("12a", &v), 0);
	ck_assert_int_eq(as_of_parse_seq("", &v), 0);
	ck_assert_int_eq(as_of_parse_seq("9999999999999999999", &v), 0);
	ck_assert_int_eq(as_of_parse_seq(NULL, &v), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("as_of");
	TCase *fold = tcase_create("fold"), *input = tcase_create("input");

	tcase_add_test(fold, record_before_its_registration_does_not_exist);
	tcase_add_test(fold, at_registration_the_record_is_the_registration_image);
	tcase_add_test(fold, later_events_merge_over_it_in_order);
	tcase_add_test(fold, children_fold_into_their_own_maps);
	tcase_add_test(fold, decision_details_belong_to_the_event_not_the_record);
	tcase_add_test(fold, null_in_an_after_image_removes_the_key);
	tcase_add_test(fold, a_record_starts_at_its_first_event_and_bad_images_are_skipped);
	tcase_add_test(fold, events_out_of_order_are_refused);
	tcase_add_test(fold, an_8d_save_replaces_only_its_discipline);
	suite_add_tcase(s, fold);

	tcase_add_checked_fixture(input, setup, teardown);
	tcase_add_test(input, local_day_and_minute_end_in_utc);
	tcase_add_test(input, malformed_or_impossible_times_are_refused);
	tcase_add_test(input, sequence_numbers_are_positive_decimals);
	suite_add_tcase(s, input);

	return check_run(s);
}
