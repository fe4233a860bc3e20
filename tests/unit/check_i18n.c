/* check_i18n.c: the real catalogs agree with each other and with the templates; the PO reader; language choice. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "arena.h"
#include "i18n.h"

static char *err;
static char tmpdir[4096];

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";

	err = NULL;
	tmpdir[0] = '\0';
	snprintf(tmpdir, sizeof(tmpdir), "%s/check_i18n.XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char path[4200];

	i18n_free();
	free(err);
	snprintf(path, sizeof(path), "%s/zh_CN.po", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/en.po", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

/* Write the two catalogs of the temporary dir (NULL: leave that file out). */
static void
write_po(const char *zh, const char *en)
{
	const char *text[2] = { zh, en }, *name[2] = { "zh_CN.po", "en.po" };
	char path[4200];
	FILE *f;
	int i;

	for (i = 0; i < 2; i++) {
		if (text[i] == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, name[i]);
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(text[i], f);
		fclose(f);
	}
}

/* Loading the temporary dir must fail with a message holding each of the words. */
static void
load_fails(const char *w1, const char *w2, const char *w3)
{
	ck_assert_int_eq(i18n_load(tmpdir, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, w1) != NULL && strstr(err, w2) != NULL && (w3 == NULL || strstr(err, w3) != NULL),
	    "message \"%s\" lacks \"%s\", \"%s\" or \"%s\"", err, w1, w2, w3 != NULL ? w3 : "");
}

static const char minimal[] = "msgid \"app_name\"\nmsgstr \"x\"\n";

/* ------------------------------------------------------------- the real catalogs */

START_TEST(test_real_catalogs_have_the_same_keys_and_no_empty_text)
{
	struct json_object *zh, *en, *v;

	ck_assert_msg(i18n_load(KESU_SRCDIR "/po", &err) == 0, "%s", err);
	zh = i18n_table(LANG_ZH);
	en = i18n_table(LANG_EN);
	ck_assert_ptr_nonnull(zh);
	ck_assert_ptr_nonnull(en);
	ck_assert_int_eq(json_object_object_length(zh), json_object_object_length(en));
	json_object_object_foreach(zh, key, text) {
		ck_assert_msg(json_object_object_get_ex(en, key, &v), "\"%s\" is not in en.po", key);
		ck_assert_msg(json_object_get_string_len(text) > 0, "zh_CN.po: \"%s\" is empty", key);
		ck_assert_msg(json_object_get_string_len(v) > 0, "en.po: \"%s\" is empty", key);
	}
	ck_assert_str_eq(i18n_get(LANG_ZH, "app_name"), "客诉");
	ck_assert_str_eq(i18n_get(LANG_EN, "app_name"), "Kesu");
}
END_TEST

/* Every {{t.KEY}}, {{{t.KEY}}} or {{&t.KEY}} of src not in the catalogs goes into missing. */
static void
scan_template(const char *name, const char *src, char *missing, size_t cap)
{
	const char *p = src;

	while ((p = strstr(p, "{{")) != NULL) {
		char key[128];
		size_t n = 0;

		p += 2;
		while (*p == '{' || *p == '&' || *p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "t.", 2) != 0)
			continue;
		p += 2;
		while (n + 1 < sizeof(key) && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_' || *p == '.' || (*p >= 'A' && *p <= 'Z') || *p == '-'))
			key[n++] = *p++;
		key[n] = '\0';
		if (!json_object_object_get_ex(i18n_table(LANG_ZH), key, NULL)) {
			size_t len = strlen(missing);
			snprintf(missing + len, cap - len, " %s (%s)", key, name);
		}
	}
}

START_TEST(test_templates_use_only_keys_of_the_catalogs)
{
	char missing[8192] = "", dir[4096], path[8192];
	struct dirent *d;
	DIR *dp;

	ck_assert_msg(i18n_load(KESU_SRCDIR "/po", &err) == 0, "%s", err);
	snprintf(dir, sizeof(dir), "%s/templates", KESU_SRCDIR);
	dp = opendir(dir);
	if (dp == NULL)
		return;   /* no templates yet */
	while ((d = readdir(dp)) != NULL) {
		size_t n = strlen(d->d_name);
		char *src;
		long len;
		FILE *f;

		if (n <= 9 || strcmp(d->d_name + n - 9, ".mustache") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		f = fopen(path, "r");
		ck_assert_msg(f != NULL, "cannot read %s", path);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		src = calloc(1, (size_t)len + 1);
		ck_assert_uint_eq(fread(src, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		scan_template(d->d_name, src, missing, sizeof(missing));
		free(src);
	}
	closedir(dp);
	ck_assert_msg(missing[0] == '\0', "templates use keys the catalogs lack:%s", missing);
}
END_TEST

/* ------------------------------------------------------------- the PO reader */

START_TEST(test_continuation_lines_and_escapes)
{
	write_po(
	    "# comment\n"
	    "\n"
	    "msgid \"long_text\"\n"
	    "msgstr \"第一行\\n\"\n"
	    "       \"第二行：\\\"引号\\\" \\\\ \\t制表\"\n"
	    "  # a comment between entries\n"
	    "msgid \"app_\"\n"
	    "\"name\"\n"
	    "msgstr \"客诉\"\n",
	    "\xef\xbb\xbfmsgid \"long_text\"\r\n"
	    "msgstr \"\"\r\n"
	    "\"Line one, \"\r\n"
	    "\"line two.\"\r\n"
	    "msgid \"app_name\"\r\n"
	    "msgstr \"Kesu\"   \r\n");
	ck_assert_msg(i18n_load(tmpdir, &err) == 0, "%s", err);
	ck_assert_str_eq(i18n_get(LANG_ZH, "long_text"), "第一行\n第二行：\"引号\" \\ \t制表");
	ck_assert_str_eq(i18n_get(LANG_EN, "long_text"), "Line one, line two.");
	ck_assert_str_eq(i18n_get(LANG_ZH, "app_name"), "客诉");
	ck_assert_str_eq(i18n_get(LANG_EN, "app_name"), "Kesu");
}
END_TEST

START_TEST(test_table_is_one_shared_object_per_language)
{
	struct json_object *v;

	write_po(minimal, "msgid \"app_name\"\nmsgstr \"y\"\n");
	ck_assert_msg(i18n_load(tmpdir, &err) == 0, "%s", err);
	ck_assert_ptr_eq(i18n_table(LANG_ZH), i18n_table(LANG_ZH));
	ck_assert_ptr_ne(i18n_table(LANG_ZH), i18n_table(LANG_EN));
	ck_assert(json_object_object_get_ex(i18n_table(LANG_EN), "app_name", &v));
	ck_assert_str_eq(json_object_get_string(v), "y");
	/* A view model holding a reference keeps it after the catalogs go. */
	v = json_object_get(i18n_table(LANG_EN));
	i18n_free();
	ck_assert_int_eq(json_object_object_length(v), 1);
	json_object_put(v);
}
END_TEST

START_TEST(test_missing_key_gives_the_key)
{
	write_po(minimal, minimal);
	ck_assert_msg(i18n_load(tmpdir, &err) == 0, "%s", err);
	ck_assert_str_eq(i18n_get(LANG_EN, "no_such_key"), "no_such_key");
	ck_assert_str_eq(i18n_get(LANG__MAX, "app_name"), "x");
}
END_TEST

START_TEST(test_rejects_duplicate_key)
{
	write_po(minimal, "msgid \"app_name\"\nmsgstr \"a\"\n\nmsgid \"app_name\"\nmsgstr \"b\"\n");
	load_fails("en.po:4", "duplicate", "app_name");
}
END_TEST

START_TEST(test_rejects_key_in_one_catalog_only)
{
	write_po(minimal, "msgid \"app_name\"\nmsgstr \"a\"\nmsgid \"only_english\"\nmsgstr \"b\"\n");
	load_fails("only_english", "en.po", "zh_CN.po");
}
END_TEST

START_TEST(test_rejects_key_in_chinese_only)
{
	write_po("msgid \"app_name\"\nmsgstr \"a\"\nmsgid \"only_chinese\"\nmsgstr \"b\"\n", minimal);
	load_fails("only_chinese", "zh_CN.po", "en.po");
}
END_TEST

START_TEST(test_rejects_empty_text)
{
	write_po("msgid \"app_name\"\nmsgstr \"\"\n", minimal);
	load_fails("zh_CN.po:1", "empty msgstr", "app_name");
}
END_TEST

START_TEST(test_rejects_bad_keys)
{
	static const char *const bad[] = {
		"msgid \"nav.home\"\nmsgstr \"x\"\n",
		"msgid \"NavHome\"\nmsgstr \"x\"\n",
		"msgid \"nav-home\"\nmsgstr \"x\"\n",
		"msgid \"\"\nmsgstr \"x\"\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_po(bad[i], minimal);
		free(err);
		err = NULL;
		load_fails("zh_CN.po:1", "bad key", NULL);
	}
}
END_TEST

START_TEST(test_rejects_syntax_errors)
{
	static const char *const bad[][2] = {
		{ "msgid \"app_name\"\nmsgstr \"x\n", "zh_CN.po:2: unterminated string" },
		{ "msgid \"app_name\"\nmsgstr \"\\x\"\n", "zh_CN.po:2: unknown escape" },
		{ "msgid \"app_name\"\nmsgstr \"x\" y\n", "zh_CN.po:2: text after the closing quote" },
		{ "msgstr \"x\"\n", "zh_CN.po:1: msgstr without a msgid" },
		{ "\"x\"\n", "zh_CN.po:1: a string continues nothing" },
		{ "msgid \"app_name\"\n", "zh_CN.po:1: msgid \"app_name\" has no msgstr" },
		{ "msgid \"a\"\nmsgid \"b\"\nmsgstr \"x\"\n", "zh_CN.po:1: msgid \"a\" has no msgstr" },
		{ "msgid app_name\nmsgstr \"x\"\n", "zh_CN.po:1: expected \"...\" after msgid" },
		{ "msgctxt \"c\"\n", "zh_CN.po:1: expected msgid" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_po(bad[i][0], minimal);
		free(err);
		err = NULL;
		load_fails(bad[i][1], "zh_CN.po", NULL);
	}
}
END_TEST

START_TEST(test_rejects_missing_file)
{
	write_po(minimal, NULL);
	load_fails("en.po", "No such file", NULL);
}
END_TEST

START_TEST(test_failed_reload_keeps_the_catalogs)
{
	write_po(minimal, minimal);
	ck_assert_msg(i18n_load(tmpdir, &err) == 0, "%s", err);
	write_po("msgid \"app_name\"\nmsgstr \"\"\n", minimal);
	ck_assert_int_eq(i18n_load(tmpdir, &err), -1);
	ck_assert_str_eq(i18n_get(LANG_ZH, "app_name"), "x");
}
END_TEST

/* ------------------------------------------------------------- languages */

START_TEST(test_lang_codes)
{
	ck_assert_str_eq(lang_code(LANG_ZH), "zh");
	ck_assert_str_eq(lang_code(LANG_EN), "en");
	ck_assert_int_eq(lang_from_code("zh"), LANG_ZH);
	ck_assert_int_eq(lang_from_code("zh-CN"), LANG_ZH);
	ck_assert_int_eq(lang_from_code("zh_CN"), LANG_ZH);
	ck_assert_int_eq(lang_from_code("ZH-Hans"), LANG_ZH);
	ck_assert_int_eq(lang_from_code("en"), LANG_EN);
	ck_assert_int_eq(lang_from_code("en-US"), LANG_EN);
	ck_assert_int_eq(lang_from_code("fr"), LANG__MAX);
	ck_assert_int_eq(lang_from_code("eng"), LANG__MAX);
	ck_assert_int_eq(lang_from_code(""), LANG__MAX);
	ck_assert_int_eq(lang_from_code(NULL), LANG__MAX);
}
END_TEST

START_TEST(test_accept_language)
{
	static const struct {
		const char *h;
		enum lang l;
	} cases[] = {
		{ "en-US,en;q=0.9,zh;q=0.8", LANG_EN },
		{ "zh-CN", LANG_ZH },
		{ "zh-CN,zh;q=0.9,en;q=0.8", LANG_ZH },
		{ "fr", LANG_ZH },
		{ "fr-FR,fr;q=0.9,en;q=0.5", LANG_EN },
		{ "zh;q=0.5, en;q=0.6", LANG_EN },
		{ "en;q=0.5,zh;q=0.5", LANG_EN },
		{ "en;q=0", LANG_ZH },
		{ "en;q=0.000,zh;q=0.001", LANG_ZH },
		{ "*", LANG_ZH },
		{ "*;q=1, en;q=0.1", LANG_EN },
		{ "  en-GB ; q = 0.7 , de", LANG_EN },
		{ "en;q=2,zh;q=0.1", LANG_ZH },
		{ "en;q=abc", LANG_ZH },
		{ "en;level=1;q=0.4,zh-TW;q=0.3", LANG_EN },
		{ "EN-us", LANG_EN },
		{ ",,;,", LANG_ZH },
		{ "", LANG_ZH },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(lang_from_accept(cases[i].h) == cases[i].l, "\"%s\" gave %s", cases[i].h,
		    lang_code(lang_from_accept(cases[i].h)));
	ck_assert_int_eq(lang_from_accept(NULL), LANG_ZH);
}
END_TEST

static Suite *
i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc;

	tc = tcase_create("catalogs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_real_catalogs_have_the_same_keys_and_no_empty_text);
	tcase_add_test(tc, test_templates_use_only_keys_of_the_catalogs);
	suite_add_tcase(s, tc);

	tc = tcase_create("po");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_continuation_lines_and_escapes);
	tcase_add_test(tc, test_table_is_one_shared_object_per_language);
	tcase_add_test(tc, test_missing_key_gives_the_key);
	tcase_add_test(tc, test_rejects_duplicate_key);
	tcase_add_test(tc, test_rejects_key_in_one_catalog_only);
	tcase_add_test(tc, test_rejects_key_in_chinese_only);
	tcase_add_test(tc, test_rejects_empty_text);
	tcase_add_test(tc, test_rejects_bad_keys);
	tcase_add_test(tc, test_rejects_syntax_errors);
	tcase_add_test(tc, test_rejects_missing_file);
	tcase_add_test(tc, test_failed_reload_keeps_the_catalogs);
	suite_add_tcase(s, tc);

	tc = tcase_create("languages");
	tcase_add_test(tc, test_lang_codes);
	tcase_add_test(tc, test_accept_language);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(i18n_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
