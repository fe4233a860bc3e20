/* check_xlsx.c: a table written as .xlsx is a real workbook with its cells, and memory stays bounded. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "xlsx.h"
#include "check_run.h"

static const struct xlsx_col cols[] = {
	{ "编号", XLSX_TEXT, 12 }, { "Count", XLSX_INT, 0 }, { "Amount", XLSX_MONEY_FEN, 0 },
	{ "At", XLSX_DATETIME, 0 },
};

START_TEST(a_table_becomes_a_workbook_zip_with_a_sheet)
{
	struct arena *a = arena_new();
	struct xlsx *x = xlsx_new("/tmp", "Trail", cols, 4);
	const char *row1[] = { "261130001", "12", "1234567", "2026-11-30 08:00:00" };
	const char *row2[] = { "=HYPERLINK(\"http://x\")", "x", NULL, "not a time" };
	unsigned char *data;
	size_t len;

	ck_assert_ptr_nonnull(x);
	xlsx_row(x, row1);
	xlsx_row(x, row2);
	ck_assert_int_eq(xlsx_finish(x, a, &data, &len), 0);
	ck_assert_uint_gt(len, 1000);
	ck_assert(memcmp(data, "PK", 2) == 0);
	arena_free(a);
}
END_TEST

START_TEST(a_hundred_thousand_rows_in_constant_memory)
{
	struct arena *a = arena_new();
	struct xlsx *x = xlsx_new("/tmp", "Big", cols, 4);
	const char *row[] = { "261130001", "12", "1234567", "2026-11-30 08:00:00" };
	unsigned char *data;
	size_t len;

	ck_assert_ptr_nonnull(x);
	for (int i = 0; i < 100000; i++)
		xlsx_row(x, row);
	ck_assert_int_eq(xlsx_finish(x, a, &data, &len), 0);
	ck_assert_uint_gt(len, 100000);
	arena_free(a);
}
END_TEST

START_TEST(a_finished_workbook_is_handed_over_as_an_open_file)
{
	struct xlsx *x = xlsx_new("/tmp", "File", cols, 4);
	const char *row[] = { "261130001", "12", "1234567", "2026-11-30 08:00:00" };
	char head[2];
	FILE *f;

	ck_assert_ptr_nonnull(x);
	for (int i = 0; i < 1000; i++)
		xlsx_row(x, row);
	f = xlsx_finish_file(x);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(head, 1, 2, f), 2);
	ck_assert(memcmp(head, "PK", 2) == 0);
	fclose(f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("xlsx");
	TCase *tc = tcase_create("xlsx");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_table_becomes_a_workbook_zip_with_a_sheet);
	tcase_add_test(tc, a_hundred_thousand_rows_in_constant_memory);
	tcase_add_test(tc, a_finished_workbook_is_handed_over_as_an_open_file);
	suite_add_tcase(s, tc);
	return check_run(s);
}
