/* check_complaint.c: complaint validation, numbers and phone masking. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "complaint.h"
#include "i18n.h"
#include "workflow.h"
#include "kesu.h"
#include "check_run.h"

static struct arena *a;
static struct json_object *errors;

/* The submitted form: name/value pairs, NULL-terminated. */
static const char *form[2 * (CF__MAX + 4) + 1];

static const char *
get(void *ctx, const char *name)
{
	(void)ctx;
	for (int i = 0; form[i] != NULL; i += 2)
		if (strcmp(form[i], name) == 0)
			return form[i + 1];
	return NULL;
}

static void
set(const char *name, const char *value)
{
	int i;
	for (i = 0; form[i] != NULL; i += 2)
		if (strcmp(form[i], name) == 0) {
			form[i + 1] = value;
			return;
		}
	form[i] = name;
	form[i + 1] = value;
	form[i + 2] = NULL;
}

static void
setup(void)
{
	a = arena_new();
	errors = json_object_new_object();
	form[0] = NULL;
	set("received_at", "2026-11-20T09:30");
	set("channel", "phone");
	set("customer_name", "张伟");
	set("customer_type", "consumer");
	set("description", "开机异响");
	set("demand", "repair");
	set("urgency", "normal");
	set("category", "product_quality");
	set("severity", "3");
}

static void
teardown(void)
{
	json_object_put(errors);
	arena_free(a);
}

static const char *
error_of(const char *field)
{
	struct json_object *e;
	return json_object_object_get_ex(errors, field, &e) ? json_object_get_string(e) : NULL;
}

START_TEST(a_complete_form_is_valid_and_converted_to_utc)
{
	struct complaint_in in;

	set("customer_vip", "1");
	set("quantity", "100");
	set("defective_quantity", "3");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 0);
	ck_assert_str_eq(in.v[CF_RECEIVED_AT], "2026-11-20 09:30");
	ck_assert_str_eq(in.received_utc, "2026-11-20 01:30:00");
	ck_assert_str_eq(in.v[CF_CUSTOMER_VIP], "1");
	ck_assert_str_eq(in.v[CF_CUSTOMER_COMPANY], "");
	ck_assert_ptr_null(in.v[CF_DELIVERY_DATE]);
}
END_TEST

START_TEST(every_required_field_is_named_when_missing)
{
	struct complaint_in in;

	form[0] = NULL;
	ck_assert_int_gt(complaint_validate(a, get, NULL, 480, &in, errors), 0);
	for (int i = 0; i < CF__MAX; i++)
		if (complaint_fields[i].required)
			ck_assert_msg(error_of(complaint_fields[i].name) != NULL &&
			    strcmp(error_of(complaint_fields[i].name), "err_required") == 0,
			    "%s not reported as required", complaint_fields[i].name);
	ck_assert_ptr_null(error_of("customer_company"));
}
END_TEST

START_TEST(white_space_alone_is_missing)
{
	struct complaint_in in;

	set("customer_name", " \t\xE3\x80\x80 ");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 1);
	ck_assert_str_eq(error_of("customer_name"), "err_required");
}
END_TEST

START_TEST(unknown_choices_are_refused)
{
	struct complaint_in in;

	set("channel", "carrier-pigeon");
	set("severity", "5");
	set("category", "'; DROP TABLE complaint; --");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 3);
	ck_assert_str_eq(error_of("channel"), "err_invalid_choice");
	ck_assert_str_eq(error_of("severity"), "err_invalid_choice");
	ck_assert_str_eq(error_of("category"), "err_invalid_choice");
}
END_TEST

START_TEST(lengths_count_characters_not_bytes)
{
	struct complaint_in in;
	char name[128 * 3 + 4] = "";

	for (int i = 0; i < 128; i++)
		strcat(name, "张");
	set("customer_name", name);
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 0);
	strcat(name, "张");
	json_object_put(errors);
	errors = json_object_new_object();
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 1);
	ck_assert_str_eq(error_of("customer_name"), "err_too_long");
}
END_TEST

START_TEST(numbers_dates_emails_and_phones_are_checked)
{
	struct complaint_in in;

	set("quantity", "-3");
	set("defective_quantity", "1e3");
	set("delivery_date", "2026-02-30");
	set("customer_email", "not-an-address");
	set("customer_phone", "call me");
	set("received_at", "2026-13-01T10:00");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 6);
	ck_assert_str_eq(error_of("quantity"), "err_invalid_number");
	ck_assert_str_eq(error_of("defective_quantity"), "err_invalid_number");
	ck_assert_str_eq(error_of("delivery_date"), "err_invalid_date");
	ck_assert_str_eq(error_of("customer_email"), "err_invalid_email");
	ck_assert_str_eq(error_of("customer_phone"), "err_invalid_phone");
	ck_assert_str_eq(error_of("received_at"), "err_invalid_datetime");
}
END_TEST

START_TEST(more_defective_than_delivered_is_refused)
{
	struct complaint_in in;

	set("quantity", "10");
	set("defective_quantity", "11");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 1);
	ck_assert_str_eq(error_of("defective_quantity"), "err_defective_gt_quantity");
}
END_TEST

START_TEST(received_in_the_future_is_refused)
{
	struct complaint_in in;
	char when[32];
	time_t t = time(NULL) + 8 * 3600 + 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M", &tm);
	set("received_at", when);
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 1);
	ck_assert_str_eq(error_of("received_at"), "err_future");
}
END_TEST

START_TEST(external_channels_raise_the_level_to_two)
{
	struct complaint_in in;

	set("channel", "media");
	set("severity", "4");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 0);
	ck_assert_str_eq(in.v[CF_SEVERITY], "2");
	set("severity", "1");
	ck_assert_int_eq(complaint_validate(a, get, NULL, 480, &in, errors), 0);
	ck_assert_str_eq(in.v[CF_SEVERITY], "1");
}
END_TEST

START_TEST(numbers_are_yymmdd_and_at_least_three_digits)
{
	char n[16];

	complaint_number(n, "2026-11-23 09:30", 99);
	ck_assert_str_eq(n, "261123099");
	complaint_number(n, "2027-01-02", 1);
	ck_assert_str_eq(n, "270102001");
	complaint_number(n, "2026-12-31 23:59", 12345);
	ck_assert_str_eq(n, "26123112345");
	/* The 999th of a year still has 9 digits; the 1,000th gets 10 (docs/lifecycle.md). */
	complaint_number(n, "2026-11-23 09:30", 999);
	ck_assert_str_eq(n, "261123999");
	complaint_number(n, "2026-11-23 09:30", 1000);
	ck_assert_str_eq(n, "2611231000");
	ck_assert_uint_eq(strlen(n), 10);
}
END_TEST

START_TEST(phones_are_masked_in_the_middle)
{
	ck_assert_str_eq(complaint_mask_phone(a, "13812345678"), "138****5678");
	ck_assert_str_eq(complaint_mask_phone(a, "+86 21-5555-0199"), "+86 **-****-0199");
	ck_assert_str_eq(complaint_mask_phone(a, "12345"), "***45");
	ck_assert_str_eq(complaint_mask_phone(a, ""), "");
	ck_assert_str_eq(complaint_mask_phone(a, NULL), "");
}
END_TEST

START_TEST(overdue_when_unanswered_past_response_or_past_resolution_at_any_status)
{
	const char *now = "2026-11-30 10:00:00";

	/* past the response deadline: overdue only while nobody answered */
	ck_assert_int_eq(complaint_overdue("registered", "2026-11-30 09:59:59", NULL, now), 1);
	ck_assert_int_eq(complaint_overdue("triaged", "2026-11-30 09:59:59", NULL, now), 0);
	/* the deadline itself is not past */
	ck_assert_int_eq(complaint_overdue("registered", now, NULL, now), 0);
	/* past the resolution deadline, whatever the status */
	ck_assert_int_eq(complaint_overdue("investigating", NULL, "2026-11-29 23:00:00", now), 1);
	ck_assert_int_eq(complaint_overdue("investigating", "2026-11-29 23:00:00", "2026-12-01 00:00:00", now), 0);
	/* no deadlines: never overdue */
	ck_assert_int_eq(complaint_overdue("registered", NULL, NULL, now), 0);
}
END_TEST

START_TEST(repeat_same_customer_first_then_three_customers_on_one_lot)
{
	ck_assert_str_eq(complaint_repeat_reason(1, 0, 0), "same_customer");
	ck_assert_str_eq(complaint_repeat_reason(1, 1, 5), "same_customer");
	/* the third customer on a part and lot: two others before it */
	ck_assert_str_eq(complaint_repeat_reason(0, 1, 2), "same_lot");
	ck_assert_str_eq(complaint_repeat_reason(0, 1, 1), "");
	ck_assert_str_eq(complaint_repeat_reason(0, 1, 0), "");
	/* without a part and a lot there is no lot to share */
	ck_assert_str_eq(complaint_repeat_reason(0, 0, 7), "");
	ck_assert_str_eq(complaint_repeat_reason(0, 0, 0), "");
}
END_TEST

/* A text the code looks up by a computed key exists in both languages. */
static void
assert_text(const char *key)
{
	for (int l = 0; l < LANG__MAX; l++)
		ck_assert_msg(strcmp(i18n_get((enum lang)l, key), key) != 0, "no %s text for \"%s\"",
		    lang_code((enum lang)l), key);
}

START_TEST(every_label_field_error_and_role_has_both_texts)
{
	static const char *const errs[] = { "err_required", "err_too_long", "err_single_line",
		"err_invalid_choice", "err_invalid_number", "err_invalid_date", "err_invalid_datetime",
		"err_invalid_email", "err_invalid_phone", "err_defective_gt_quantity", "err_future",
		"err_page_bad_request", "err_page_not_found", "err_page_forbidden",
		"err_page_unauthenticated", "err_page_csrf", "err_page_conflict", "err_page_too_big",
		"err_page_locked", "err_page_db_unavailable", "err_page_dir_unavailable",
		"err_page_internal", "err_login_username", "err_login_password", "err_login_failed",
		"err_login_locked", "err_dir_unavailable", "err_login_norole", "role_none",
		"action_register", "action_login", "action_logout", "action_login_failed",
		"assignment_pending", "assignment_accepted", "assignment_refused", "err_reason_required",
		"err_departments_required", "err_department_unknown", "confirm_close", "work_owned",
		"work_to_triage", "work_to_assign", "work_to_accept", "repeat_same_customer",
		"repeat_same_lot", "report_none", "report_draft", "report_submitted", "report_signed",
		"report_returned", "plan_pending", "plan_approved", "plan_returned", "plan_rejected",
		"responsibility_company", "responsibility_customer", "responsibility_shared",
		"remedy_compensation", "remedy_discount", "remedy_return", "remedy_repair",
		"remedy_replacement", "remedy_apology", "decision_approve", "decision_return",
		"decision_reject", "meaning_report_approve", "meaning_report_return",
		"meaning_plan_approve", "meaning_plan_return", "meaning_plan_reject", "satisfaction_1",
		"satisfaction_2", "satisfaction_3", "satisfaction_4", "satisfaction_5", "err_no_authority",
		"err_reports_not_signed", "err_step_fix", "err_signature_password", "err_share",
		"err_invalid_amount", "err_remedy_amount", "err_remedy_quantity", "err_remedy_note",
		"err_remedy_required", "work_reports_to_write", "work_reports_to_sign", "work_plans_to_sign",
		"action_report_save", "action_report_submit", "action_report_signoff",
		"action_report_return", "field_cause", "field_course", "field_responsible",
		"field_conclusion", "field_countermeasures", "field_preventive", "penalty_kind_fine",
		"penalty_kind_warning", "penalty_kind_sanction", "penalty_kind_bonus_deduction",
		"penalty_kind_training", "penalty_kind_suspension", "penalty_state_proposed",
		"penalty_state_approved", "penalty_state_rejected", "penalty_state_appealed",
		"penalty_state_revoked", "penalty_target_department", "penalty_target_person",
		"penalty_action_approve", "penalty_action_reject", "penalty_action_execute",
		"penalty_action_appeal", "penalty_action_uphold", "penalty_action_revoke",
		"meaning_penalty_approve", "meaning_penalty_reject", "meaning_penalty_execute",
		"meaning_penalty_uphold", "meaning_penalty_revoke", "action_penalty_propose",
		"action_penalty_approve", "action_penalty_reject", "action_penalty_execute",
		"action_penalty_appeal", "action_penalty_uphold", "action_penalty_revoke",
		"action_remedy_execute", "action_set_owner", "action_attachment_add",
		"action_signature_password_failed", "authority_action_handling_plan",
		"authority_action_investigation_signoff", "authority_action_penalty",
		"authority_action_8d_report", "authority_action_hold_release", "work_penalties_to_sign",
		"work_penalties_to_execute", "work_appeals_to_decide", "work_remedies_to_execute", NULL };
	char *err = NULL;
	char key[96];

	ck_assert_msg(i18n_load(KESU_SRCDIR "/po", &err) == 0, "%s", err ? err : "");
	for (int i = 0; i < CF__MAX; i++) {
		const struct cfield_spec *f = &complaint_fields[i];
		snprintf(key, sizeof(key), "field_%s", f->name);
		assert_text(key);
		for (int k = 0; f->values != NULL && f->values[k] != NULL; k++) {
			snprintf(key, sizeof(key), "%s_%s", f->name, f->values[k]);
			assert_text(key);
		}
	}
	for (int k = 0; complaint_statuses[k] != NULL; k++) {
		snprintf(key, sizeof(key), "status_%s", complaint_statuses[k]);
		assert_text(key);
	}
	for (int k = 0; k < CA__MAX; k++) {
		snprintf(key, sizeof(key), "caction_%s", caction_name((enum caction)k));
		assert_text(key);
	}
	for (int r = 0; r < ROLE__MAX; r++) {
		snprintf(key, sizeof(key), "role_%s", role_name((enum role)r));
		assert_text(key);
	}
	for (int k = 0; errs[k] != NULL; k++)
		assert_text(errs[k]);
	i18n_free();
}
END_TEST

START_TEST(utc_times_show_in_company_time_across_day_month_and_year_ends)
{
	struct app app = { 0 };

	app.utc_offset_min = 480;
	ck_assert_str_eq(view_local_time(&app, a, "2026-12-31 20:30:00"), "2027-01-01 04:30");
	ck_assert_str_eq(view_local_time(&app, a, "2024-02-28 23:00:00"), "2024-02-29 07:00");
	ck_assert_str_eq(view_local_time(&app, a, "2026-11-23 01:30"), "2026-11-23 09:30");
	app.utc_offset_min = -300;
	ck_assert_str_eq(view_local_time(&app, a, "2027-03-01 02:00:00"), "2027-02-28 21:00");
	ck_assert_str_eq(view_local_time(&app, a, "not a time"), "not a time");
	ck_assert_ptr_null(view_local_time(&app, a, NULL));
	app.utc_offset_min = 480;
	ck_assert_str_eq(view_utc_time(&app, a, "2027-01-01T04:30"), "2026-12-31 20:30:00");
}
END_TEST

START_TEST(the_list_filter_offers_exactly_the_lifecycle_states)
{
	int k;

	for (k = 0; complaint_statuses[k] != NULL; k++)
		ck_assert_str_eq(complaint_statuses[k], cstate_name((enum cstate)k));
	ck_assert_int_eq(k, CS__MAX);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("complaint");
	TCase *tc = tcase_create("complaint");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_complete_form_is_valid_and_converted_to_utc);
	tcase_add_test(tc, every_required_field_is_named_when_missing);
	tcase_add_test(tc, white_space_alone_is_missing);
	tcase_add_test(tc, unknown_choices_are_refused);
	tcase_add_test(tc, lengths_count_characters_not_bytes);
	tcase_add_test(tc, numbers_dates_emails_and_phones_are_checked);
	tcase_add_test(tc, more_defective_than_delivered_is_refused);
	tcase_add_test(tc, received_in_the_future_is_refused);
	tcase_add_test(tc, external_channels_raise_the_level_to_two);
	tcase_add_test(tc, numbers_are_yymmdd_and_at_least_three_digits);
	tcase_add_test(tc, phones_are_masked_in_the_middle);
	tcase_add_test(tc, every_label_field_error_and_role_has_both_texts);
	tcase_add_test(tc, utc_times_show_in_company_time_across_day_month_and_year_ends);
	tcase_add_test(tc, the_list_filter_offers_exactly_the_lifecycle_states);
	tcase_add_test(tc, repeat_same_customer_first_then_three_customers_on_one_lot);
	tcase_add_test(tc, overdue_when_unanswered_past_response_or_past_resolution_at_any_status);
	suite_add_tcase(s, tc);
	return check_run(s);
}
