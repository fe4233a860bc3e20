/* check_templates.c: Kesu's own templates — they compile, raw output is only where allowed, user text is escaped. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"
#include "check_run.h"

#define TDIR KESU_SRCDIR "/templates"

/*
 * Raw output ({{{x}}} or {{&x}}) is only for markup the server generated itself.
 * Each entry: "template-file:variable".
 */
static const char *const raw_allowed[] = {
	/* the charts' JSON: json-c's text with < > & ' as \u escapes (page_stats.c, charts()) */
	"stats.mustache:chart_json",
	/* the list's fixed forms, rendered by Kesu's own templates once per worker, every value
	 * escaped then (fcgi/list_form.c; issue 10, listp99) */
	"complaint_list.mustache:filters_html",
	"complaint_list.mustache:bulk_html",
	NULL
};

static int
allowed(const char *file, const char *var)
{
	char key[256];

	snprintf(key, sizeof(key), "%s:%s", file, var);
	for (int i = 0; raw_allowed[i] != NULL; i++)
		if (strcmp(raw_allowed[i], key) == 0)
			return 1;
	return 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

START_TEST(every_template_compiles)
{
	char *err = NULL;
	struct tmpl_set *s = tmpl_set_load_dir(TDIR, &err);

	ck_assert_msg(s != NULL, "templates do not compile: %s", err ? err : "?");
	ck_assert(tmpl_set_has(s, "layout"));
	ck_assert(tmpl_set_has(s, "login"));
	ck_assert(tmpl_set_has(s, "complaint_list"));
	ck_assert(tmpl_set_has(s, "complaint_new"));
	ck_assert(tmpl_set_has(s, "complaint_view"));
	ck_assert(tmpl_set_has(s, "error"));
	ck_assert(tmpl_set_has(s, "my_work"));
	tmpl_set_free(s);
}
END_TEST

START_TEST(raw_output_only_on_the_allow_list)
{
	DIR *d = opendir(TDIR);
	struct dirent *e;
	int files = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[512], *src, *p;
		size_t nl = strlen(e->d_name);

		if (nl < 9 || strcmp(e->d_name + nl - 9, ".mustache") != 0)
			continue;
		files++;
		snprintf(path, sizeof(path), "%s/%s", TDIR, e->d_name);
		src = slurp(path);
		/* The templates use the default delimiters only (a delimiter change would hide tags). */
		ck_assert_msg(strstr(src, "{{=") == NULL, "%s changes delimiters", e->d_name);
		for (p = src; (p = strstr(p, "{{")) != NULL; p += 2) {
			const char *v = NULL;
			char var[128];
			size_t n;
			if (p[2] == '{')
				v = p + 3;
			else if (p[2] == '&')
				v = p + 3;
			if (v == NULL)
				continue;
			while (*v == ' ')
				v++;
			n = strcspn(v, " }");
			snprintf(var, sizeof(var), "%.*s", (int)(n < 127 ? n : 127), v);
			ck_assert_msg(allowed(e->d_name, var), "%s: raw output of \"%s\" is not on the allow-list",
			    e->d_name, var);
		}
		free(src);
	}
	closedir(d);
	ck_assert_int_ge(files, 6);
}
END_TEST

/* Render name with a view in which every user-typed value is hostile; nothing may come out raw. */
static void
assert_escaped(const char *name, const char *view_json)
{
	char *err = NULL;
	struct tmpl_set *s = tmpl_set_load_dir(TDIR, &err);
	struct json_object *v = json_tokener_parse(view_json);
	struct buf out;

	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(v);
	buf_init(&out);
	ck_assert_int_eq(tmpl_render(s, name, v, &out), 0);
	ck_assert_msg(strstr(out.p, "<script>") == NULL, "%s: raw <script> in output", name);
	ck_assert_msg(strstr(out.p, "\"onmouseover=") == NULL, "%s: attribute breakout", name);
	ck_assert_msg(strstr(out.p, "&lt;script&gt;") != NULL, "%s: escaped value missing", name);
	buf_free(&out);
	json_object_put(v);
	tmpl_set_free(s);
}

START_TEST(the_login_page_escapes_the_username_and_error)
{
	assert_escaped("login", "{\"username\":\"<script>alert(1)</script>\","
	    "\"error\":\"x\\\" onmouseover=\\\"alert(1)\",\"csrf_token\":\"t\",\"next\":\"/\"}");
}
END_TEST

START_TEST(the_complaint_page_escapes_every_customer_value)
{
	assert_escaped("complaint_view",
	    "{\"user\":{\"name\":\"<script>u</script>\"},\"complaint\":{\"number\":\"261123001\","
	    "\"customer_name\":\"<script>x</script>\",\"customer_company\":\"\\\"onmouseover=x\","
	    "\"description\":\"<script>d</script>\",\"customer_address\":\"' onclick='x\"},"
	    "\"history\":[{\"actor_name\":\"<script>h</script>\"}]}");
}
END_TEST

START_TEST(the_list_escapes_customers_and_filters)
{
	assert_escaped("complaint_list",
	    "{\"filters\":{\"q\":\"\\\"><script>q</script>\"},\"complaints\":[{\"number\":\"1\","
	    "\"url\":\"/complaints/1\",\"customer_name\":\"<script>n</script>\"}]}");
}
END_TEST

START_TEST(the_form_keeps_typed_values_escaped)
{
	assert_escaped("complaint_new",
	    "{\"fields\":{\"customer_name\":{\"name\":\"customer_name\",\"is_input\":true,"
	    "\"value\":\"\\\"><script>v</script>\",\"error\":\"<script>e</script>\"},"
	    "\"description\":{\"name\":\"description\",\"is_textarea\":true,"
	    "\"value\":\"</textarea><script>t</script>\"}}}");
}
END_TEST


#define X "<script>x</script>"
#define Q "\\\"onmouseover=x"

START_TEST(reports_plans_signatures_and_files_are_escaped)
{
	assert_escaped("complaint_view",
	    "{\"complaint\":{\"number\":\"1\"},\"has_reports\":true,\"reports\":[{\"name\":\"" X "\","
	    "\"has_text\":true,\"cause\":\"" X "\",\"author_name\":\"" Q "\",\"has_signatures\":true,"
	    "\"signatures\":[{\"signer_name\":\"" X "\",\"comment\":\"" X "\",\"meaning\":\"" Q "\"}],"
	    "\"has_attachments\":true,\"attachments\":[{\"filename\":\"" X "\",\"url\":\"/attachments/1\"}]}],"
	    "\"has_plans\":true,\"plans\":[{\"revision\":1,\"explanation\":\"" X "\",\"proposer_name\":\"" Q "\","
	    "\"remedies\":[{\"note\":\"" X "\"}]}],\"has_penalties\":true,\"penalties\":[{\"id\":1,"
	    "\"target_name\":\"" X "\"}],\"has_attachments\":true,\"attachments\":[{\"filename\":\"" Q "\"}]}");
}
END_TEST

START_TEST(the_plan_print_and_penalty_pages_are_escaped)
{
	assert_escaped("plan_print",
	    "{\"complaint\":{\"number\":\"1\",\"customer_name\":\"" X "\",\"description\":\"" Q "\"},"
	    "\"plan\":{\"revision\":1,\"explanation\":\"" X "\",\"remedies\":[{\"note\":\"" Q "\"}]}}");
	assert_escaped("penalty_view",
	    "{\"penalty\":{\"id\":1,\"target_name\":\"" X "\",\"reason\":\"" Q "\",\"rule_applied\":\"" X "\","
	    "\"appeal_reason\":\"" X "\"}}");
	assert_escaped("penalty_list", "{\"penalties\":[{\"id\":1,\"target_name\":\"" X "\",\"proposer_name\":\"" Q "\"}]}");
	assert_escaped("finance",
	    "{\"remedies\":[{\"number\":\"1\",\"customer_name\":\"" X "\",\"note\":\"" Q "\"}],"
	    "\"penalties\":[{\"id\":1,\"target_name\":\"" X "\"}]}");
}
END_TEST

#undef X
#undef Q

int
main(void)
{
	Suite *s = suite_create("templates");
	TCase *tc = tcase_create("templates");

	tcase_add_test(tc, every_template_compiles);
	tcase_add_test(tc, raw_output_only_on_the_allow_list);
	tcase_add_test(tc, the_login_page_escapes_the_username_and_error);
	tcase_add_test(tc, the_complaint_page_escapes_every_customer_value);
	tcase_add_test(tc, the_list_escapes_customers_and_filters);
	tcase_add_test(tc, the_form_keeps_typed_values_escaped);
	tcase_add_test(tc, reports_plans_signatures_and_files_are_escaped);
	tcase_add_test(tc, the_plan_print_and_penalty_pages_are_escaped);
	suite_add_tcase(s, tc);
	return check_run(s);
}
