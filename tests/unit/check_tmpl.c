/* check_tmpl.c: the template engine against the mustache spec, and what Kesu's pages rely on besides. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "arena.h"
#include "tmpl.h"
#include "spec_runner.h"

/*
 * The spec's expected outputs never hold an apostrophe that came from data
 * (checked: the two apostrophes in the suite are template text), so our one
 * deliberate difference, {{x}} escaping ' as &#39;, needs no adjustment here.
 */

static struct spec_file spec[SPEC_FILES_MAX];
static int nspec;
static int spec_first[SPEC_FILES_MAX + 1];   /* case numbers: file i has [first[i], first[i + 1]) */

static struct tmpl_set *set;
static struct buf out;
static char *err;

static void
setup(void)
{
	set = tmpl_set_new();
	buf_init(&out);
	err = NULL;
}

static void
teardown(void)
{
	tmpl_set_free(set);
	buf_free(&out);
	free(err);
}

/* Add a template to the fixture's set; fails the test when refused. */
static void
add(const char *name, const char *src)
{
	int rc = tmpl_set_add(set, name, src, strlen(src), &err);

	ck_assert_msg(rc == 0, "add %s: %s", name, err);
}

static void
compile_ok(void)
{
	int rc = tmpl_set_compile(set, &err);

	ck_assert_msg(rc == 0, "compile: %s", err);
}

/* Render name over the JSON text view (NULL for none) into the fixture's buf. */
static const char *
render(const char *name, const char *json)
{
	struct json_object *view = json != NULL ? json_tokener_parse(json) : NULL;
	int rc;

	ck_assert_msg(json == NULL || view != NULL, "bad test JSON: %s", json);
	buf_reset(&out);
	rc = tmpl_render(set, name, view, &out);
	json_object_put(view);
	ck_assert_int_eq(rc, 0);
	return out.p;
}

/* One template "t" compiled and rendered. */
static const char *
render1(const char *src, const char *json)
{
	add("t", src);
	compile_ok();
	return render("t", json);
}

/* ------------------------------------------------------------- the spec */

START_TEST(test_spec_case)
{
	struct json_object *tc;
	char msg[8192], *why = NULL;
	int f = 0, ok;

	while (_i >= spec_first[f + 1])
		f++;
	tc = json_object_array_get_idx(spec[f].tests, (size_t)(_i - spec_first[f]));
	ok = spec_run_case(tc, &why);
	snprintf(msg, sizeof(msg), "%s, \"%s\": %s\n%s", spec[f].name, spec_str(tc, "name"),
	    spec_str(tc, "desc"), why != NULL ? why : "");
	free(why);
	ck_assert_msg(ok, "%s", msg);
}
END_TEST

/* ------------------------------------------------------------- escaping */

START_TEST(test_escapes_each_special_character_alone)
{
	static const char *const cases[][2] = {
		{ "{\"x\": \"&\"}", "&amp;" },
		{ "{\"x\": \"<\"}", "&lt;" },
		{ "{\"x\": \">\"}", "&gt;" },
		{ "{\"x\": \"\\\"\"}", "&quot;" },
		{ "{\"x\": \"'\"}", "&#39;" },
	};
	size_t i;

	add("t", "{{x}}");
	compile_ok();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(render("t", cases[i][0]), cases[i][1]);
}
END_TEST

START_TEST(test_escapes_mixed_special_characters)
{
	ck_assert_str_eq(render1("<p title=\"{{x}}\">{{x}}</p>",
	    "{\"x\": \"<a href=\\\"/x?a=1&b='2'\\\">&amp;</a>\"}"),
	    "<p title=\"&lt;a href=&quot;/x?a=1&amp;b=&#39;2&#39;&quot;&gt;&amp;amp;&lt;/a&gt;\">"
	    "&lt;a href=&quot;/x?a=1&amp;b=&#39;2&#39;&quot;&gt;&amp;amp;&lt;/a&gt;</p>");
}
END_TEST

START_TEST(test_utf8_chinese_passes_untouched)
{
	ck_assert_str_eq(render1("客诉：{{x}}｜{{{x}}}", "{\"x\": \"顾客投诉 <急> ✓\"}"),
	    "客诉：顾客投诉 &lt;急&gt; ✓｜顾客投诉 <急> ✓");
}
END_TEST

START_TEST(test_raw_only_with_triple_mustache_or_ampersand)
{
	ck_assert_str_eq(render1("{{x}}|{{ x }}|{{{x}}}|{{{ x }}}|{{&x}}|{{& x }}",
	    "{\"x\": \"<b>'\"}"),
	    "&lt;b&gt;&#39;|&lt;b&gt;&#39;|<b>'|<b>'|<b>'|<b>'");
}
END_TEST

START_TEST(test_raw_under_other_delimiters)
{
	ck_assert_str_eq(render1("{{=<% %>=}}<%x%>|<%{x}%>|<%&x%>", "{\"x\": \"<i>\"}"),
	    "&lt;i&gt;|<i>|<i>");
}
END_TEST

/* ------------------------------------------------------------- values */

START_TEST(test_numbers_print_like_javascript)
{
	ck_assert_str_eq(render1("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	    "{\"a\": 3, \"b\": -7, \"c\": 1.21, \"d\": 2.0, \"e\": 0.30000000000000004,"
	    " \"f\": 18446744073709551615, \"g\": 1e21}"),
	    "3 -7 1.21 2 0.30000000000000004 18446744073709551615 1e+21");
}
END_TEST

START_TEST(test_booleans_print_and_containers_do_not)
{
	ck_assert_str_eq(render1("[{{t}}][{{f}}][{{n}}][{{o}}][{{a}}]",
	    "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"k\": 1}, \"a\": [1, 2]}"),
	    "[true][false][][][]");
}
END_TEST

START_TEST(test_empty_string_and_zero_are_falsey)
{
	/* The spec defers to the host language; for JSON we follow JavaScript (mustache.js). */
	ck_assert_str_eq(render1("{{#s}}S{{/s}}{{^s}}s{{/s}}{{#z}}Z{{/z}}{{^z}}z{{/z}}"
	    "{{#d}}D{{/d}}{{^d}}d{{/d}}{{#o}}O{{/o}}{{^o}}o{{/o}}",
	    "{\"s\": \"\", \"z\": 0, \"d\": 0.0, \"o\": {}}"), "szdO");
}
END_TEST

/* ------------------------------------------------------------- sections */

START_TEST(test_section_over_array_of_objects)
{
	ck_assert_str_eq(render1(
	    "<ul>\n"
	    "{{#items}}\n"
	    "  <li id=\"c{{id}}\">{{title}} ({{owner}})</li>\n"
	    "{{/items}}\n"
	    "</ul>\n",
	    "{\"owner\": \"王芳\", \"items\": [{\"id\": 1, \"title\": \"漏发\"},"
	    " {\"id\": 2, \"title\": \"A & B\", \"owner\": \"Li\"}]}"),
	    "<ul>\n"
	    "  <li id=\"c1\">漏发 (王芳)</li>\n"
	    "  <li id=\"c2\">A &amp; B (Li)</li>\n"
	    "</ul>\n");
}
END_TEST

START_TEST(test_section_over_object_and_dotted_names)
{
	ck_assert_str_eq(render1("{{#user}}{{name}}{{/user}} {{user.name}} {{user.dept.name}} [{{user.none.x}}]",
	    "{\"user\": {\"name\": \"Ann\", \"dept\": {\"name\": \"QA\"}}}"), "Ann Ann QA []");
}
END_TEST

START_TEST(test_inverted_sections)
{
	add("t", "{{#items}}<i>{{.}}</i>{{/items}}{{^items}}none{{/items}}");
	compile_ok();
	ck_assert_str_eq(render("t", "{\"items\": []}"), "none");
	ck_assert_str_eq(render("t", "{}"), "none");
	ck_assert_str_eq(render("t", "{\"items\": null}"), "none");
	ck_assert_str_eq(render("t", "{\"items\": false}"), "none");
	ck_assert_str_eq(render("t", "{\"items\": [\"a\", \"b\"]}"), "<i>a</i><i>b</i>");
	ck_assert_str_eq(render("t", NULL), "none");
}
END_TEST

/* ------------------------------------------------------------- partials */

START_TEST(test_partials_see_the_context_and_are_indented)
{
	add("row", "<tr>\n  <td>{{title}}</td>\n</tr>\n");
	add("t", "<table>\n{{#rows}}\n  {{>row}}\n{{/rows}}\n</table>\n");
	compile_ok();
	ck_assert_str_eq(render("t", "{\"rows\": [{\"title\": \"a\"}, {\"title\": \"<b>\"}]}"),
	    "<table>\n"
	    "  <tr>\n    <td>a</td>\n  </tr>\n"
	    "  <tr>\n    <td>&lt;b&gt;</td>\n  </tr>\n"
	    "</table>\n");
}
END_TEST

START_TEST(test_missing_partial_renders_empty)
{
	ck_assert_str_eq(render1("[{{>nope}}]", "{}"), "[]");
}
END_TEST

/* Issue 7: an empty template has no tokens; rendering it (alone or as a partial) must not do
 * pointer arithmetic on NULL. clang's UBSan reports "applying zero offset to null pointer"
 * here without the fix (checked with clang-14); gcc's -fsanitize=undefined does not look. */
START_TEST(test_empty_template_renders_nothing_without_ub)
{
	ck_assert_int_eq(tmpl_set_add(set, "nothing", NULL, 0, &err), 0);
	add("empty", "");
	add("t", "[{{>empty}}{{>nothing}}]");
	compile_ok();
	ck_assert_str_eq(render("empty", "{}"), "");
	ck_assert_str_eq(render("nothing", NULL), "");
	ck_assert_str_eq(render("t", "{}"), "[]");
}
END_TEST

START_TEST(test_dynamic_partial)
{
	add("badge_open", "<b class=\"open\">{{label}}</b>");
	add("badge_closed", "<b>{{label}}</b>");
	add("t", "{{#rows}}{{>*badge}}{{/rows}}");
	compile_ok();
	ck_assert_str_eq(render("t", "{\"rows\": [{\"badge\": \"badge_open\", \"label\": \"1\"},"
	    " {\"badge\": \"badge_closed\", \"label\": \"2\"}, {\"badge\": \"nope\"}]}"),
	    "<b class=\"open\">1</b><b>2</b>");
}
END_TEST

START_TEST(test_recursion_is_cut)
{
	add("self", "x{{>self}}");
	add("p", "{{<p}}{{/p}}y");
	compile_ok();
	ck_assert_uint_eq(strlen(render("self", "{}")), 64 + 1);
	render("p", "{}");
}
END_TEST

START_TEST(test_deep_sections_are_cut_not_crashed)
{
	/* A tree 400 levels deep through a recursive partial: the depth limit stops it. */
	struct json_object *root = json_object_new_object(), *node = root;
	int i;

	for (i = 0; i < 400; i++) {
		struct json_object *kid = json_object_new_object();
		json_object_object_add(node, "kid", kid);
		node = kid;
	}
	add("n", "<{{#kid}}{{>n}}{{/kid}}>");
	compile_ok();
	ck_assert_int_eq(tmpl_render(set, "n", root, &out), 0);
	ck_assert_uint_gt(out.len, 64);
	json_object_put(root);
}
END_TEST

START_TEST(test_nested_loops_are_cut_by_the_work_limit)
{
	/* Thirty sections over a two-element list are 2^30 passes: the render stops at its work
	 * limit (tests/fuzz/regress/tmpl/thirty-nested-loops-timeout), having written the first
	 * passes, and a loop of a real page's size is written whole. */
	char src[30 * 18 + 8];
	size_t n = 0;
	int i;

	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(src + n, sizeof(src) - n, "{{#l}}");
	n += (size_t)snprintf(src + n, sizeof(src) - n, "x");
	for (i = 0; i < 30; i++)
		n += (size_t)snprintf(src + n, sizeof(src) - n, "{{/l}}");
	add("deep", src);
	add("rows", "{{#l}}<{{.}}>{{/l}}");
	compile_ok();
	render("deep", "{\"l\": [1, 2]}");
	ck_assert_uint_gt(out.len, 1000);
	ck_assert_uint_lt(out.len, 1u << 20);
	{
		/* 5,000 rows, written whole */
		struct buf v;
		buf_init(&v);
		buf_puts(&v, "{\"l\": [");
		for (i = 0; i < 5000; i++)
			buf_printf(&v, "%s%d", i ? "," : "", i);
		buf_puts(&v, "]}");
		render("rows", v.p);
		ck_assert_ptr_nonnull(strstr(out.p, "<4999>"));
		buf_free(&v);
	}
}
END_TEST

/* ------------------------------------------------------------- inheritance */

static const char layout[] =
    "<!doctype html>\n"
    "<html lang=\"{{lang}}\">\n"
    "<head><title>{{$title}}default{{/title}}</title></head>\n"
    "<body>\n"
    "  <main>\n"
    "    {{$content}}\n"
    "    {{/content}}\n"
    "  </main>\n"
    "</body>\n"
    "</html>\n";

START_TEST(test_layout_by_inheritance)
{
	add("layout", layout);
	add("page", "{{<layout}}{{$content}}<p>{{msg}}</p>{{/content}}{{/layout}}");
	compile_ok();
	ck_assert_str_eq(render("page", "{\"lang\": \"zh\", \"msg\": \"你好 & bye\"}"),
	    "<!doctype html>\n"
	    "<html lang=\"zh\">\n"
	    "<head><title>default</title></head>\n"
	    "<body>\n"
	    "  <main>\n"
	    "    <p>你好 &amp; bye</p>\n"
	    "  </main>\n"
	    "</body>\n"
	    "</html>\n");
}
END_TEST

START_TEST(test_layout_blocks_written_on_their_own_lines)
{
	add("layout", layout);
	add("page",
	    "{{<layout}}\n"
	    "{{$title}}{{t.title}}{{/title}}\n"
	    "{{$content}}\n"
	    "<ul>\n"
	    "{{#items}}\n"
	    "  <li>{{.}}</li>\n"
	    "{{/items}}\n"
	    "</ul>\n"
	    "{{/content}}\n"
	    "{{/layout}}\n");
	compile_ok();
	ck_assert_str_eq(render("page", "{\"lang\": \"en\", \"t\": {\"title\": \"Complaints\"},"
	    " \"items\": [\"a\", \"b\"]}"),
	    "<!doctype html>\n"
	    "<html lang=\"en\">\n"
	    "<head><title>Complaints</title></head>\n"
	    "<body>\n"
	    "  <main>\n"
	    "    <ul>\n"
	    "      <li>a</li>\n"
	    "      <li>b</li>\n"
	    "    </ul>\n"
	    "  </main>\n"
	    "</body>\n"
	    "</html>\n");
}
END_TEST

START_TEST(test_block_content_sees_the_parent_context)
{
	add("box", "{{#box}}[{{$body}}{{/body}}]{{/box}}");
	add("t", "{{<box}}{{$body}}{{name}}{{/body}}{{/box}}");
	compile_ok();
	ck_assert_str_eq(render("t", "{\"name\": \"outer\", \"box\": {\"name\": \"inner\"}}"), "[inner]");
}
END_TEST

/* ------------------------------------------------------------- malformed templates */

/* Compiling src as template "bad" must fail with a message naming it and the line. */
static void
rejects(const char *src, const char *line, const char *what)
{
	add("bad", src);
	ck_assert_msg(tmpl_set_compile(set, &err) == -1, "accepted: %s", src);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, "bad") != NULL && strstr(err, line) != NULL && strstr(err, what) != NULL,
	    "for %s: message \"%s\" lacks \"%s\" or \"%s\"", src, err, line, what);
}

START_TEST(test_rejects_unclosed_section)
{
	rejects("a\n{{#items}}\n<li>{{.}}</li>\n", "line 2", "unclosed section 'items'");
}
END_TEST

START_TEST(test_rejects_unclosed_inverted_section)
{
	rejects("{{^none}}x\n\n", "line 1", "unclosed section 'none'");
}
END_TEST

START_TEST(test_rejects_unclosed_parent_and_block)
{
	rejects("x\ny\n{{<layout}}{{$a}}{{/a}}", "line 3", "unclosed section 'layout'");
}
END_TEST

START_TEST(test_rejects_mismatched_close)
{
	rejects("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}\n", "line 3", "does not match 'b'");
}
END_TEST

START_TEST(test_rejects_close_without_open)
{
	rejects("x\n{{/a}}", "line 2", "without an open section");
}
END_TEST

START_TEST(test_rejects_unclosed_tag)
{
	rejects("ok\nok {{name\n", "line 2", "unclosed tag");
}
END_TEST

START_TEST(test_rejects_unclosed_triple_mustache)
{
	rejects("{{{name}}", "line 1", "unclosed tag");
}
END_TEST

START_TEST(test_rejects_bad_delimiters)
{
	static const char *const bad[] = {
		"\n{{=<% =}}", "\n{{=<% %> x=}}", "\n{{= =}}", "\n{{=a= b=}}", "\n{{=<%%>=}}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmpl_set_free(set);
		set = tmpl_set_new();
		free(err);
		err = NULL;
		rejects(bad[i], "line 2", "bad delimiters");
	}
}
END_TEST

START_TEST(test_rejects_bad_names)
{
	static const char *const bad[][2] = {
		{ "{{}}", "empty tag name" },
		{ "{{#}}{{/}}", "empty tag name" },
		{ "{{a b}}", "whitespace inside tag name" },
		{ "{{a..b}}", "bad dotted name" },
		{ "{{.a}}", "bad dotted name" },
		{ "{{a.}}", "bad dotted name" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmpl_set_free(set);
		set = tmpl_set_new();
		free(err);
		err = NULL;
		rejects(bad[i][0], "line 1", bad[i][1]);
	}
}
END_TEST

/* ------------------------------------------------------------- the set */

START_TEST(test_missing_template_fails_render)
{
	add("t", "x");
	compile_ok();
	buf_puts(&out, "kept");
	ck_assert_int_eq(tmpl_render(set, "nope", NULL, &out), -1);
	ck_assert_str_eq(out.p, "kept");
	ck_assert_int_eq(tmpl_set_has(set, "t"), 1);
	ck_assert_int_eq(tmpl_set_has(set, "nope"), 0);
}
END_TEST

START_TEST(test_render_appends)
{
	add("t", "b");
	compile_ok();
	buf_puts(&out, "a");
	ck_assert_int_eq(tmpl_render(set, "t", NULL, &out), 0);
	ck_assert_str_eq(out.p, "ab");
}
END_TEST

START_TEST(test_uncompiled_set_does_not_render)
{
	add("t", "x");
	ck_assert_int_eq(tmpl_render(set, "t", NULL, &out), -1);
}
END_TEST

START_TEST(test_duplicate_name_refused)
{
	add("t", "x");
	ck_assert_int_eq(tmpl_set_add(set, "t", "y", 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "t"));
}
END_TEST

/* A fresh directory under $TMPDIR (or /tmp) with files written from name/content pairs. */
static char *
temp_dir(const char *const *files)
{
	const char *tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
	char path[4096];
	char *dir = malloc(4096);
	FILE *f;

	snprintf(dir, 4096, "%s/check_tmpl.XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (; files[0] != NULL; files += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[0]);
		if (files[1] == NULL) {
			ck_assert_int_eq(mkdir(path, 0700), 0);
			continue;
		}
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(files[1], f);
		fclose(f);
	}
	return dir;
}

static void
remove_dir(char *dir, const char *const *files)
{
	char path[4096];

	for (; files[0] != NULL; files += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[0]);
		if (files[1] == NULL)
			rmdir(path);
		else
			unlink(path);
	}
	rmdir(dir);
	free(dir);
}

START_TEST(test_load_dir)
{
	static const char *const files[] = {
		"complaint_list.mustache", "<h1>{{>title}}</h1>\n",
		"title.mustache", "{{t}}",
		"notes.txt", "{{#not a template",
		".hidden.mustache", "{{#broken",
		"sub.mustache", NULL,   /* a directory: skipped */
		NULL,
	};
	char *dir = temp_dir(files);
	struct tmpl_set *s = tmpl_set_load_dir(dir, &err);
	struct json_object *v = json_tokener_parse("{\"t\": \"客诉\"}");

	ck_assert_msg(s != NULL, "load: %s", err);
	ck_assert_int_eq(tmpl_set_has(s, "complaint_list"), 1);
	ck_assert_int_eq(tmpl_set_has(s, "title"), 1);
	ck_assert_int_eq(tmpl_set_has(s, "notes"), 0);
	ck_assert_int_eq(tmpl_set_has(s, ".hidden"), 0);
	ck_assert_int_eq(tmpl_set_has(s, "sub"), 0);
	ck_assert_int_eq(tmpl_render(s, "complaint_list", v, &out), 0);
	ck_assert_str_eq(out.p, "<h1>客诉</h1>\n");
	json_object_put(v);
	tmpl_set_free(s);
	remove_dir(dir, files);
}
END_TEST

START_TEST(test_load_dir_rejects_malformed_template)
{
	static const char *const files[] = {
		"good.mustache", "ok",
		"broken.mustache", "line 1\n{{#a}}\n",
		NULL,
	};
	char *dir = temp_dir(files);

	ck_assert_ptr_null(tmpl_set_load_dir(dir, &err));
	ck_assert_msg(err != NULL && strstr(err, "broken") != NULL && strstr(err, "line 2") != NULL,
	    "message: %s", err);
	remove_dir(dir, files);
}
END_TEST

START_TEST(test_load_dir_missing)
{
	ck_assert_ptr_null(tmpl_set_load_dir("/nonexistent/kesu/templates", &err));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/kesu/templates"));
}
END_TEST

/* ------------------------------------------------------------- row sources (issue 10) */

/* Two rows of every kind of cell: text with markup and quotes, Chinese, an empty text, a
 * missing text (NULL), booleans, numbers. */
static const struct tmpl_col row_cols[] = {
	{ "number", TMPL_TEXT }, { "title", TMPL_TEXT }, { "owner", TMPL_TEXT },
	{ "vip", TMPL_BOOL }, { "severity", TMPL_NUMBER }, { "note", TMPL_TEXT },
};
static const char *const row_cells[] = {
	"261123001", "A & B <\"x\"> 'y'", "王芳", "1", "2", "",
	"261123002", "漏发 ✓", NULL, NULL, "0", "<b>note</b>",
};
static const struct tmpl_rows row_src = { "items", row_cols, 6, 2, row_cells };

/* Render name over json with the row sources into the fixture's buf. */
static const char *
render_rows(const char *name, const char *json, const struct tmpl_rows *rows, size_t n)
{
	struct json_object *view = json_tokener_parse(json);
	int rc;

	ck_assert_msg(view != NULL, "bad test JSON: %s", json);
	buf_reset(&out);
	rc = tmpl_render_rows(set, name, view, rows, n, &out);
	json_object_put(view);
	ck_assert_int_eq(rc, 0);
	return out.p;
}

/* What template name renders over json with rows as a row source equals what it renders with
 * the same rows as json-c objects (tmpl_rows_json) under the source's name. */
static void
same_as_json(const char *name, const char *json, const struct tmpl_rows *rows)
{
	struct json_object *view = json_tokener_parse(json);
	struct buf want;

	ck_assert_ptr_nonnull(view);
	json_object_object_add(view, rows->name, tmpl_rows_json(rows));
	buf_init(&want);
	ck_assert_int_eq(tmpl_render(set, name, view, &want), 0);
	json_object_put(view);
	ck_assert_str_eq(render_rows(name, json, rows, 1), want.p);
	buf_free(&want);
}

START_TEST(test_row_source_escapes_like_json_strings)
{
	add("t", "{{#items}}[{{title}}|{{{title}}}|{{&note}}|{{note}}]{{/items}}");
	compile_ok();
	ck_assert_str_eq(render_rows("t", "{}", &row_src, 1),
	    "[A &amp; B &lt;&quot;x&quot;&gt; &#39;y&#39;|A & B <\"x\"> 'y'||]"
	    "[漏发 ✓|漏发 ✓|<b>note</b>|&lt;b&gt;note&lt;/b&gt;]");
	same_as_json("t", "{}", &row_src);
}
END_TEST

START_TEST(test_row_source_cells_by_kind)
{
	/* booleans print true/false, numbers as they are; "", "0", false are falsey */
	add("t", "{{#items}}{{number}}:{{vip}},{{severity}}"
	    "{{#vip}} VIP{{/vip}}{{^vip}} -{{/vip}}{{#severity}} sev{{/severity}}{{^severity}} none{{/severity}}"
	    "{{#note}} note{{/note}}{{^note}} no-note{{/note}};{{/items}}");
	compile_ok();
	ck_assert_str_eq(render_rows("t", "{}", &row_src, 1),
	    "261123001:true,2 VIP sev no-note;261123002:false,0 - none note;");
	same_as_json("t", "{}", &row_src);
}
END_TEST

START_TEST(test_row_source_missing_cell_falls_through_to_parent)
{
	/* a NULL text is no key: the name resolves further down the stack, as for a json row
	 * without that key; names the row has not at all do the same (t.x, flag) */
	add("t", "{{#items}}<{{owner}}|{{t.x}}|{{#flag}}F{{number}}{{/flag}}>{{/items}}");
	compile_ok();
	ck_assert_str_eq(render_rows("t", "{\"owner\": \"parent\", \"t\": {\"x\": \"X&\"}, \"flag\": {\"k\": 1}}",
	    &row_src, 1), "<王芳|X&amp;|F261123001><parent|X&amp;|F261123002>");
	same_as_json("t", "{\"owner\": \"parent\", \"t\": {\"x\": \"X&\"}, \"flag\": {\"k\": 1}}", &row_src);
}
END_TEST

START_TEST(test_row_source_sections_over_cells_and_dot)
{
	/* a truthy cell as a section: "." is the cell, other names resolve below it */
	add("t", "{{#items}}{{#title}}({{.}}/{{number}}){{/title}}{{#items}}!{{/items}}{{/items}}");
	compile_ok();
	ck_assert_str_eq(render_rows("t", "{}", &row_src, 1),
	    "(A &amp; B &lt;&quot;x&quot;&gt; &#39;y&#39;/261123001)!!(漏发 ✓/261123002)!!");
	same_as_json("t", "{}", &row_src);
}
END_TEST

START_TEST(test_row_source_in_partials_and_layout)
{
	add("layout", "<main>{{$content}}{{/content}}</main>");
	add("row", "<li>{{number}} {{title}}</li>");
	add("t", "{{<layout}}{{$content}}<ul>{{#items}}{{>row}}{{/items}}</ul>{{/content}}{{/layout}}");
	compile_ok();
	ck_assert_str_eq(render_rows("t", "{}", &row_src, 1),
	    "<main><ul><li>261123001 A &amp; B &lt;&quot;x&quot;&gt; &#39;y&#39;</li>"
	    "<li>261123002 漏发 ✓</li></ul></main>");
	same_as_json("t", "{}", &row_src);
}
END_TEST

START_TEST(test_row_source_empty_and_shadowing)
{
	struct tmpl_rows none = row_src;

	none.nrows = 0;
	/* no rows: falsey, the inverted section shows; the source wins over the view's own key */
	add("t", "{{#items}}row{{/items}}{{^items}}empty{{/items}}|{{items}}|{{items.number}}");
	compile_ok();
	ck_assert_str_eq(render_rows("t", "{\"items\": [1, 2]}", &none, 1), "empty||");
	ck_assert_str_eq(render_rows("t", "{\"items\": []}", &row_src, 1), "rowrow||");
	same_as_json("t", "{}", &none);
}
END_TEST

START_TEST(test_row_source_limits_refused)
{
	struct tmpl_rows many[TMPL_ROWS_MAX + 1];
	struct tmpl_col wide_cols[TMPL_ROWS_COLS_MAX + 1];
	struct tmpl_rows wide = row_src;
	struct json_object *v = json_object_new_object();
	size_t i;

	for (i = 0; i <= TMPL_ROWS_MAX; i++)
		many[i] = row_src;
	for (i = 0; i <= TMPL_ROWS_COLS_MAX; i++)
		wide_cols[i] = (struct tmpl_col){ "c", TMPL_TEXT };
	wide.cols = wide_cols;
	wide.ncols = TMPL_ROWS_COLS_MAX + 1;
	wide.nrows = 0;
	add("t", "{{#items}}x{{/items}}");
	compile_ok();
	ck_assert_int_eq(tmpl_render_rows(set, "t", v, many, TMPL_ROWS_MAX + 1, &out), -1);
	ck_assert_int_eq(tmpl_render_rows(set, "t", v, &wide, 1, &out), -1);
	ck_assert_int_eq(tmpl_render_rows(set, "t", v, many, TMPL_ROWS_MAX, &out), 0);
	json_object_put(v);
}
END_TEST

START_TEST(test_row_source_planned_loop_renders_as_json_rows)
{
	static const char *json = "{\"owner\": \"parent\", \"t\": {\"x\": \"X&\"}, \"on\": true, "
	    "\"off\": false, \"word\": \"w<\", \"zero\": 0, \"n\": 7}";

	/* a body the loop plans (issue 10, listp99): cells, missing cells answered below the row,
	 * sections over cells and over true values that are not objects, inverted ones, {{.}},
	 * raw cells, dotted and unknown names; it must render what the json rows render */
	add("t", "{{#items}}<{{owner}}|{{t.x}}|{{#on}}[{{.}}:{{number}}:{{#vip}}{{.}}{{/vip}}:{{t.x}}]{{/on}}"
	    "{{^off}}!{{/off}}{{#off}}?{{/off}}{{#word}}{{.}}{{&.}}{{/word}}{{#n}}{{.}}{{/n}}{{#zero}}z{{/zero}}{{^zero}}Z{{/zero}}"
	    "{{^owner}}no-owner{{/owner}}{{#severity}}s{{severity}}{{.}}{{/severity}}{{^severity}}no-sev{{/severity}}"
	    "{{#title}}({{.}}{{{.}}}/{{#note}}{{.}}{{/note}}){{/title}}{{^note}}-{{/note}}"
	    "{{{title}}}{{&title}}{{nothing}}{{.}}{{^vip}}~{{/vip}}>\n{{/items}}");
	/* what a plan leaves to the token walk: a section over a missing cell that is true below
	 * the row, over an object, a dotted name of a cell, a nested loop, a loop under indentation */
	add("u", "{{#items}}{{#owner}}({{.}}){{/owner}}{{#t}}{{x}}{{number}}{{/t}}{{title.x}}{{/items}}");
	add("p", "{{#items}}\n{{number}}\n{{/items}}\n");
	add("v", "x\n  {{>p}}\ny");
	add("w", "{{#items}}{{number}}{{#on}}+{{.}}{{/on}}{{^vip}}-{{/vip}}{{/items}}");
	compile_ok();
	ck_assert_str_eq(render_rows("w", json, &row_src, 1), "261123001+true261123002+true-");
	same_as_json("t", json, &row_src);
	same_as_json("u", json, &row_src);
	same_as_json("v", json, &row_src);
}
END_TEST

START_TEST(test_row_source_json_twin)
{
	struct json_object *j = tmpl_rows_json(&row_src);

	/* keys in column order; a NULL text is no key, a NULL boolean false, numbers are numbers */
	ck_assert_str_eq(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
	    "[{\"number\":\"261123001\",\"title\":\"A & B <\\\"x\\\"> 'y'\",\"owner\":\"王芳\","
	    "\"vip\":true,\"severity\":2,\"note\":\"\"},"
	    "{\"number\":\"261123002\",\"title\":\"漏发 ✓\",\"vip\":false,\"severity\":0,"
	    "\"note\":\"<b>note<\\/b>\"}]");
	json_object_put(j);
}
END_TEST

static Suite *
tmpl_suite(void)
{
	Suite *s = suite_create("tmpl");
	TCase *tc;
	int i;

	/* One test case per spec file, one check per spec test. */
	for (i = 0; i < nspec; i++) {
		tc = tcase_create(spec[i].name);
		tcase_add_loop_test(tc, test_spec_case, spec_first[i], spec_first[i + 1]);
		suite_add_tcase(s, tc);
	}

	tc = tcase_create("escaping");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_escapes_each_special_character_alone);
	tcase_add_test(tc, test_escapes_mixed_special_characters);
	tcase_add_test(tc, test_utf8_chinese_passes_untouched);
	tcase_add_test(tc, test_raw_only_with_triple_mustache_or_ampersand);
	tcase_add_test(tc, test_raw_under_other_delimiters);
	suite_add_tcase(s, tc);

	tc = tcase_create("values and sections");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_numbers_print_like_javascript);
	tcase_add_test(tc, test_booleans_print_and_containers_do_not);
	tcase_add_test(tc, test_empty_string_and_zero_are_falsey);
	tcase_add_test(tc, test_section_over_array_of_objects);
	tcase_add_test(tc, test_section_over_object_and_dotted_names);
	tcase_add_test(tc, test_inverted_sections);
	suite_add_tcase(s, tc);

	tc = tcase_create("partials and inheritance");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_partials_see_the_context_and_are_indented);
	tcase_add_test(tc, test_missing_partial_renders_empty);
	tcase_add_test(tc, test_empty_template_renders_nothing_without_ub);
	tcase_add_test(tc, test_dynamic_partial);
	tcase_add_test(tc, test_recursion_is_cut);
	tcase_add_test(tc, test_deep_sections_are_cut_not_crashed);
	tcase_add_test(tc, test_nested_loops_are_cut_by_the_work_limit);
	tcase_add_test(tc, test_layout_by_inheritance);
	tcase_add_test(tc, test_layout_blocks_written_on_their_own_lines);
	tcase_add_test(tc, test_block_content_sees_the_parent_context);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rejects_unclosed_section);
	tcase_add_test(tc, test_rejects_unclosed_inverted_section);
	tcase_add_test(tc, test_rejects_unclosed_parent_and_block);
	tcase_add_test(tc, test_rejects_mismatched_close);
	tcase_add_test(tc, test_rejects_close_without_open);
	tcase_add_test(tc, test_rejects_unclosed_tag);
	tcase_add_test(tc, test_rejects_unclosed_triple_mustache);
	tcase_add_test(tc, test_rejects_bad_delimiters);
	tcase_add_test(tc, test_rejects_bad_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("row sources");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_row_source_escapes_like_json_strings);
	tcase_add_test(tc, test_row_source_cells_by_kind);
	tcase_add_test(tc, test_row_source_missing_cell_falls_through_to_parent);
	tcase_add_test(tc, test_row_source_sections_over_cells_and_dot);
	tcase_add_test(tc, test_row_source_in_partials_and_layout);
	tcase_add_test(tc, test_row_source_empty_and_shadowing);
	tcase_add_test(tc, test_row_source_limits_refused);
	tcase_add_test(tc, test_row_source_json_twin);
	tcase_add_test(tc, test_row_source_planned_loop_renders_as_json_rows);
	suite_add_tcase(s, tc);

	tc = tcase_create("set");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_missing_template_fails_render);
	tcase_add_test(tc, test_render_appends);
	tcase_add_test(tc, test_uncompiled_set_does_not_render);
	tcase_add_test(tc, test_duplicate_name_refused);
	tcase_add_test(tc, test_load_dir);
	tcase_add_test(tc, test_load_dir_rejects_malformed_template);
	tcase_add_test(tc, test_load_dir_missing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int i, failed;

	nspec = spec_load(spec_dir(), spec, SPEC_FILES_MAX);
	if (nspec <= 0) {
		fprintf(stderr, "check_tmpl: no mustache spec in %s: spec tests skipped\n", spec_dir());
		nspec = 0;
	}
	for (i = 0; i < nspec; i++)
		spec_first[i + 1] = spec_first[i] + (int)json_object_array_length(spec[i].tests);

	sr = srunner_create(tmpl_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (i = 0; i < nspec; i++)
		json_object_put(spec[i].root);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
