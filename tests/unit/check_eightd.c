/* check_eightd.c: the 8D report — what must be filled to submit, how typed fields are checked, what changed between versions, and that every label has its text. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eightd.h"
#include "i18n.h"
#include "check_run.h"

static struct arena *a;

static void
setup(void)
{
	a = arena_new();
}

static void
teardown(void)
{
	arena_free(a);
}

/* A complete 8D, as JSON per discipline. */
static const char *const full[ED_NDISC] = {
	"{\"emergency_response\":\"停止发货，通知客户隔离\",\"full_8d\":\"yes\",\"full_8d_reason\":\"\"}",
	"{\"champion\":\"黄敏\",\"leader\":\"赵磊\",\"members\":[{\"name\":\"陈静\",\"role\":\"生产\",\"contact\":\"8021\"}]}",
	"{\"what\":\"异响\",\"where\":\"客户产线\",\"when\":\"11 月\",\"who\":\"华东机电\",\"why\":\"轴承\","
	"\"how\":\"开机\",\"how_many\":\"12 台\",\"is_is_not\":\"仅 L2026-11-A\",\"part_numbers\":\"KX200-PCB-01\","
	"\"lots\":\"L2026-11-A\",\"defective_quantity\":\"12\"}",
	"{\"containment\":\"在库品全检\",\"sorting\":\"\",\"verification\":\"抽检 0 不良\"}",
	"{\"causes\":[{\"kind\":\"occurrence\",\"cause\":\"保压短\",\"method\":\"five_whys\",\"verification\":\"复现\"},"
	"{\"kind\":\"escape\",\"cause\":\"首件未检\",\"method\":\"fishbone\",\"verification\":\"记录核查\"}]}",
	"{\"actions\":[{\"kind\":\"occurrence\",\"action\":\"参数锁定\",\"verification\":\"三批验证\"},"
	"{\"kind\":\"escape\",\"action\":\"首件确认\",\"verification\":\"审核\"}]}",
	"{\"implementation\":\"已实施\",\"implemented_on\":\"2026-11-20\",\"validation\":\"三批 0 不良\","
	"\"evidence\":\"报告 QR-88\",\"containment_removed\":\"yes\",\"containment_removed_on\":\"2026-11-25\"}",
	"{\"fmea\":\"PFMEA 更新\",\"control_plan\":\"CP 更新\",\"work_instructions\":\"WI-12\",\"procedures\":\"QP-3\","
	"\"similar_products\":\"KX-300\"}",
	"{\"lessons_learned\":\"换模首件\",\"recognition\":\"表彰团队\"}",
};

static void
load(struct json_object *d[ED_NDISC], const char *const src[ED_NDISC])
{
	for (int i = 0; i < ED_NDISC; i++) {
		d[i] = src[i] != NULL ? json_tokener_parse(src[i]) : NULL;
		ck_assert_msg(src[i] == NULL || d[i] != NULL, "fixture d%d does not parse", i);
	}
}

static void
put(struct json_object *d[ED_NDISC])
{
	for (int i = 0; i < ED_NDISC; i++)
		json_object_put(d[i]);
}

/* The number of problems of the complete 8D with discipline i replaced by src. */
static int
missing_with(int i, const char *src, struct json_object **errors)
{
	struct json_object *d[ED_NDISC];
	const char *s[ED_NDISC];
	int n;

	memcpy(s, full, sizeof(s));
	s[i] = src;
	load(d, s);
	*errors = json_object_new_object();
	n = eightd_missing(d, *errors);
	put(d);
	return n;
}

static int
has(struct json_object *errors, const char *key, const char *msg)
{
	struct json_object *v;
	return json_object_object_get_ex(errors, key, &v) && strcmp(json_object_get_string(v), msg) == 0;
}

START_TEST(a_complete_8d_may_be_submitted)
{
	struct json_object *d[ED_NDISC], *e = json_object_new_object();

	load(d, full);
	ck_assert_int_eq(eightd_missing(d, e), 0);
	ck_assert_int_eq(json_object_object_length(e), 0);
	for (int i = 0; i < ED_NDISC; i++)
		ck_assert_msg(eightd_discipline_complete(i, d[i]), "d%d is not complete", i);
	put(d);
	json_object_put(e);
}
END_TEST

START_TEST(an_empty_8d_misses_every_required_field)
{
	struct json_object *d[ED_NDISC] = { 0 }, *e = json_object_new_object();
	int required = 0;

	for (int i = 0; i < ED_NDISC; i++)
		for (int k = 0; k < eightd_disciplines[i].nfields; k++)
			required += eightd_disciplines[i].fields[k].required;
	ck_assert_int_ge(eightd_missing(d, e), required);
	ck_assert(has(e, "d0_emergency_response", "err_required"));
	ck_assert(has(e, "d1_members", "err_required"));
	ck_assert(has(e, "d2_defective_quantity", "err_required"));
	ck_assert(has(e, "d8_recognition", "err_required"));
	ck_assert(!json_object_object_get_ex(e, "d0_full_8d_reason", NULL));
	ck_assert(!json_object_object_get_ex(e, "d3_sorting", NULL));
	json_object_put(e);
}
END_TEST

START_TEST(spaces_alone_do_not_fill_a_field)
{
	struct json_object *e;

	ck_assert_int_eq(missing_with(3, "{\"containment\":\" \xe3\x80\x80\\n\",\"verification\":\"ok\"}", &e), 1);
	ck_assert(has(e, "d3_containment", "err_required"));
	json_object_put(e);
}
END_TEST

START_TEST(without_a_full_8d_d4_to_d8_may_stay_empty)
{
	struct json_object *d[ED_NDISC], *e = json_object_new_object();
	const char *s[ED_NDISC] = { "{\"emergency_response\":\"已处理\",\"full_8d\":\"no\"}", full[1], full[2], full[3],
		NULL, NULL, NULL, NULL, NULL };

	load(d, s);
	ck_assert_int_eq(eightd_missing(d, e), 0);
	put(d);
	json_object_put(e);
	/* ... but D0 must say it: no answer means a full 8D. */
	ck_assert_int_gt(missing_with(0, "{\"emergency_response\":\"已处理\",\"full_8d\":\"\"}", &e), 0);
	ck_assert(has(e, "d0_full_8d", "err_required"));
	json_object_put(e);
}
END_TEST

START_TEST(root_causes_need_why_it_occurred_and_why_it_escaped)
{
	struct json_object *e;

	ck_assert_int_eq(missing_with(4, "{\"causes\":[{\"kind\":\"occurrence\",\"cause\":\"c\",\"method\":\"five_whys\","
	    "\"verification\":\"v\"}]}", &e), 1);
	ck_assert(has(e, "d4_causes", "err_8d_occurrence_and_escape"));
	json_object_put(e);
	ck_assert_int_eq(missing_with(5, "{\"actions\":[{\"kind\":\"escape\",\"action\":\"a\",\"verification\":\"v\"}]}", &e), 1);
	ck_assert(has(e, "d5_actions", "err_8d_occurrence_and_escape"));
	json_object_put(e);
}
END_TEST

START_TEST(a_row_needs_its_required_columns)
{
	struct json_object *e;

	/* The method of the escape cause is missing; the contact of a member is optional. */
	ck_assert_int_eq(missing_with(4, "{\"causes\":[{\"kind\":\"occurrence\",\"cause\":\"c\",\"method\":\"five_whys\","
	    "\"verification\":\"v\"},{\"kind\":\"escape\",\"cause\":\"c\",\"method\":\"\",\"verification\":\"v\"}]}", &e), 1);
	ck_assert(has(e, "d4_causes", "err_8d_row_incomplete"));
	json_object_put(e);
	ck_assert_int_eq(missing_with(1, "{\"champion\":\"a\",\"leader\":\"b\",\"members\":[{\"name\":\"n\",\"role\":\"r\","
	    "\"contact\":\"\"}]}", &e), 0);
	json_object_put(e);
}
END_TEST

START_TEST(containment_removed_needs_its_date)
{
	struct json_object *e;

	ck_assert_int_eq(missing_with(6, "{\"implementation\":\"i\",\"implemented_on\":\"2026-11-20\",\"validation\":\"v\","
	    "\"evidence\":\"e\",\"containment_removed\":\"yes\",\"containment_removed_on\":\"\"}", &e), 1);
	ck_assert(has(e, "d6_containment_removed_on", "err_required"));
	json_object_put(e);
	ck_assert_int_eq(missing_with(6, "{\"implementation\":\"i\",\"implemented_on\":\"2026-11-20\",\"validation\":\"v\","
	    "\"evidence\":\"e\",\"containment_removed\":\"no\",\"containment_removed_on\":\"\"}", &e), 0);
	json_object_put(e);
}
END_TEST

START_TEST(typed_fields_are_checked_and_empty_rows_dropped)
{
	struct json_object *in = json_tokener_parse(
	    "{\"d4_causes\":[{\"kind\":\"occurrence\",\"cause\":\"c\",\"method\":\"five_whys\",\"verification\":\"v\"},"
	    "{\"kind\":\"\",\"cause\":\"\",\"method\":\"\",\"verification\":\" \"},"
	    "{\"kind\":\"sabotage\",\"cause\":\"x\",\"method\":\"fishbone\",\"verification\":\"v\"}],"
	    "\"unknown\":\"dropped\"}");
	struct json_object *e = json_object_new_object(), *out, *rows;
	int n;

	out = eightd_normalise(4, in, e, &n);
	ck_assert_int_eq(n, 1);
	ck_assert(has(e, "d4_causes", "err_invalid_choice"));
	ck_assert(json_object_object_get_ex(out, "causes", &rows));
	ck_assert_int_eq(json_object_array_length(rows), 2);   /* the blank row is gone */
	ck_assert(!json_object_object_get_ex(out, "unknown", NULL));
	json_object_put(out);
	json_object_put(in);
	json_object_put(e);

	in = json_tokener_parse("{\"d2_defective_quantity\":\"12 台\",\"d2_what\":\"ok\"}");
	e = json_object_new_object();
	out = eightd_normalise(2, in, e, &n);
	ck_assert_int_eq(n, 1);
	ck_assert(has(e, "d2_defective_quantity", "err_invalid_number"));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(out, "what")), "ok");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(out, "where")), "");
	json_object_put(out);
	json_object_put(in);
	json_object_put(e);

	in = json_tokener_parse("{\"d6_implemented_on\":\"2026-13-01\",\"d6_containment_removed\":\"maybe\"}");
	e = json_object_new_object();
	out = eightd_normalise(6, in, e, &n);
	ck_assert_int_eq(n, 2);
	ck_assert(has(e, "d6_implemented_on", "err_invalid_date"));
	ck_assert(has(e, "d6_containment_removed", "err_invalid_choice"));
	json_object_put(out);
	json_object_put(in);
	json_object_put(e);
}
END_TEST

START_TEST(too_many_rows_are_refused)
{
	struct json_object *in = json_object_new_object(), *rows = json_object_new_array(), *e = json_object_new_object(), *out;
	int n;

	for (int i = 0; i < ED_MAX_ROWS + 1; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string("n"));
		json_object_object_add(o, "role", json_object_new_string("r"));
		json_object_array_add(rows, o);
	}
	json_object_object_add(in, "d1_members", rows);
	out = eightd_normalise(1, in, e, &n);
	ck_assert(has(e, "d1_members", "err_8d_too_many_rows"));
	ck_assert_int_eq(json_object_array_length(json_object_object_get(out, "members")), ED_MAX_ROWS);
	json_object_put(out);
	json_object_put(in);
	json_object_put(e);
}
END_TEST

START_TEST(the_diff_names_each_changed_field_of_each_discipline)
{
	struct json_object *x[ED_NDISC], *y[ED_NDISC], *diff, *o;
	const char *s[ED_NDISC];

	load(x, full);
	memcpy(s, full, sizeof(s));
	s[2] = "{\"what\":\"异响与振动\",\"where\":\"客户产线\",\"when\":\"11 月\",\"who\":\"华东机电\",\"why\":\"轴承\","
	    "\"how\":\"开机\",\"how_many\":\"12 台\",\"is_is_not\":\"仅 L2026-11-A\",\"part_numbers\":\"KX200-PCB-01\","
	    "\"lots\":\"L2026-11-A\",\"defective_quantity\":\"14\"}";
	s[1] = "{\"champion\":\"黄敏\",\"leader\":\"赵磊\",\"members\":[{\"name\":\"陈静\",\"role\":\"生产\",\"contact\":\"8021\"},"
	    "{\"name\":\"刘强\",\"role\":\"生产部长\",\"contact\":\"\"}]}";
	s[8] = NULL;
	load(y, s);
	diff = eightd_diff(a, x, y);
	ck_assert_int_eq(json_object_array_length(diff), 5);
	o = json_object_array_get_idx(diff, 0);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "discipline")), "d1");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "field")), "members");
	/* A row added: its filled cells against "", not the whole list again. */
	ck_assert_ptr_null(json_object_object_get(o, "before"));
	{
		struct json_object *cells = json_object_object_get(o, "cells"), *c;
		ck_assert_int_eq(json_object_array_length(cells), 2);
		c = json_object_array_get_idx(cells, 0);
		ck_assert_int_eq(json_object_get_int(json_object_object_get(c, "row")), 2);
		ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "column")), "name");
		ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "before")), "");
		ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "after")), "刘强");
		c = json_object_array_get_idx(cells, 1);
		ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "column")), "role");
	}
	o = json_object_array_get_idx(diff, 1);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "field")), "what");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "before")), "异响");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "after")), "异响与振动");
	o = json_object_array_get_idx(diff, 2);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "field")), "defective_quantity");
	/* D8 emptied: both of its fields, before -> "". */
	o = json_object_array_get_idx(diff, 3);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "discipline")), "d8");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "after")), "");
	json_object_put(diff);
	/* The same content: nothing changed. */
	diff = eightd_diff(a, x, x);
	ck_assert_int_eq(json_object_array_length(diff), 0);
	json_object_put(diff);
	put(x);
	put(y);
}
END_TEST

START_TEST(the_diff_of_a_list_names_only_the_changed_cell)
{
	struct json_object *x[ED_NDISC], *y[ED_NDISC], *diff, *o, *cells, *c;
	const char *s[ED_NDISC];

	memset(s, 0, sizeof(s));
	s[4] = "{\"causes\":[{\"kind\":\"occurrence\",\"cause\":\"保压短\",\"method\":\"five_whys\",\"verification\":\"复现\"},"
	    "{\"kind\":\"escape\",\"cause\":\"未首件\",\"method\":\"fishbone\",\"verification\":\"记录\"}]}";
	load(x, s);
	s[4] = "{\"causes\":[{\"kind\":\"occurrence\",\"cause\":\"保压短\",\"method\":\"fishbone\",\"verification\":\"复现\"},"
	    "{\"kind\":\"escape\",\"cause\":\"未首件\",\"method\":\"fishbone\",\"verification\":\"记录\"}]}";
	load(y, s);
	diff = eightd_diff(a, x, y);
	ck_assert_int_eq(json_object_array_length(diff), 1);
	o = json_object_array_get_idx(diff, 0);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(o, "field")), "causes");
	cells = json_object_object_get(o, "cells");
	ck_assert_int_eq(json_object_array_length(cells), 1);
	c = json_object_array_get_idx(cells, 0);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(c, "row")), 1);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "column")), "method");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "before")), "five_whys");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "after")), "fishbone");
	json_object_put(diff);
	put(x);
	put(y);
}
END_TEST

START_TEST(discipline_codes)
{
	ck_assert_int_eq(eightd_discipline_index("d0"), 0);
	ck_assert_int_eq(eightd_discipline_index("d8"), 8);
	ck_assert_int_eq(eightd_discipline_index("d9"), -1);
	ck_assert_int_eq(eightd_discipline_index("d"), -1);
	ck_assert_int_eq(eightd_discipline_index("d10"), -1);
	ck_assert_int_eq(eightd_discipline_index(NULL), -1);
	for (int i = 0; i < ED_NDISC; i++)
		ck_assert_int_eq(eightd_discipline_index(eightd_disciplines[i].code), i);
}
END_TEST

/* Every label the 8D page computes (ed_<code>_<field>, ed_col_*, ed_choice_*, ed_title_*) has its text. */
START_TEST(every_label_is_in_both_catalogs)
{
	char *err = NULL, key[96];

	ck_assert_msg(i18n_load(KESU_SRCDIR "/po", &err) == 0, "%s", err);
	for (int l = 0; l < 2; l++) {
		struct json_object *t = i18n_table(l == 0 ? LANG_ZH : LANG_EN);
		for (int i = 0; i < ED_NDISC; i++) {
			const struct ed_discipline *dd = &eightd_disciplines[i];
			snprintf(key, sizeof(key), "ed_title_%s", dd->code);
			ck_assert_msg(json_object_object_get_ex(t, key, NULL), "missing %s", key);
			for (int k = 0; k < dd->nfields; k++) {
				const struct ed_field *f = &dd->fields[k];
				snprintf(key, sizeof(key), "ed_%s_%s", dd->code, f->name);
				ck_assert_msg(json_object_object_get_ex(t, key, NULL), "missing %s", key);
				for (int c = 0; f->choices != NULL && f->choices[c] != NULL; c++) {
					snprintf(key, sizeof(key), "ed_choice_%s", f->choices[c]);
					ck_assert_msg(json_object_object_get_ex(t, key, NULL), "missing %s", key);
				}
				for (int c = 0; c < f->ncols; c++) {
					snprintf(key, sizeof(key), "ed_col_%s", f->cols[c].name);
					ck_assert_msg(json_object_object_get_ex(t, key, NULL), "missing %s", key);
					for (int h = 0; f->cols[c].choices != NULL && f->cols[c].choices[h] != NULL; h++) {
						snprintf(key, sizeof(key), "ed_choice_%s", f->cols[c].choices[h]);
						ck_assert_msg(json_object_object_get_ex(t, key, NULL), "missing %s", key);
					}
				}
			}
		}
		/* The states, steps, messages and signature meanings the code names. */
		static const char *const fixed[] = { "ed_state_draft", "ed_state_submitted", "ed_state_returned",
			"ed_state_approved", "step_8d_d3", "step_8d_d4", "step_8d_d7", "step_8d_d8",
			"err_8d_row_incomplete", "err_8d_occurrence_and_escape", "err_8d_too_many_rows",
			"err_8d_return_comment", "err_8d_link_number", "err_8d_link_twice", "err_8d_product_quality_only",
			"err_hold_line", "err_invalid_date", "err_invalid_number", "meaning_8d_report_approve",
			"meaning_8d_report_return", "meaning_hold_release_approve", "hold_state_on_hold",
			"hold_state_released", "hold_location_warehouse", "hold_location_in_transit",
			"hold_location_at_customer", "work_8d_to_approve", "work_8d_to_write", "action_8d_open",
			"action_8d_save", "action_8d_submit", "action_8d_approve", "action_8d_return", "action_8d_revise",
			"action_8d_link", "action_8d_sent", "action_hold_issue", "action_hold_release", "company_name",
			NULL };
		for (int i = 0; fixed[i] != NULL; i++)
			ck_assert_msg(json_object_object_get_ex(t, fixed[i], NULL), "missing %s", fixed[i]);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("eightd");
	TCase *tc = tcase_create("eightd");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_complete_8d_may_be_submitted);
	tcase_add_test(tc, an_empty_8d_misses_every_required_field);
	tcase_add_test(tc, spaces_alone_do_not_fill_a_field);
	tcase_add_test(tc, without_a_full_8d_d4_to_d8_may_stay_empty);
	tcase_add_test(tc, root_causes_need_why_it_occurred_and_why_it_escaped);
	tcase_add_test(tc, a_row_needs_its_required_columns);
	tcase_add_test(tc, containment_removed_needs_its_date);
	tcase_add_test(tc, typed_fields_are_checked_and_empty_rows_dropped);
	tcase_add_test(tc, too_many_rows_are_refused);
	tcase_add_test(tc, the_diff_names_each_changed_field_of_each_discipline);
	tcase_add_test(tc, the_diff_of_a_list_names_only_the_changed_cell);
	tcase_add_test(tc, discipline_codes);
	tcase_add_test(tc, every_label_is_in_both_catalogs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(suite());
}
