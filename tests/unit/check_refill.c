/* check_refill.c: typed values go back into the form that was sent, errors beside their fields. */
#include <check.h>
#include <string.h>

#include "refill.h"
#include "check_run.h"

static const char page[] =
    "<html><body><main>"
    "<details><summary>Other</summary>"
    "<form method=\"post\" action=\"/c/1/action\" id=\"close\">"
    "<input type=\"hidden\" name=\"action\" value=\"close\">"
    "<input type=\"hidden\" name=\"version\" value=\"7\">"
    "<textarea name=\"reason\"></textarea><button type=\"submit\">Close</button></form>"
    "</details>"
    "<details><summary>Reply</summary>"
    "<form method=\"post\" action=\"/c/1/action\" id=\"reply\">"
    "<input type=\"hidden\" name=\"csrf_token\" value=\"fresh\">"
    "<input type=\"hidden\" name=\"action\" value=\"record_reply\">"
    "<input type=\"hidden\" name=\"version\" value=\"7\">"
    "<label for=\"f-reply\">Reply <span class=\"req\">*</span></label>"
    "<textarea id=\"f-reply\" name=\"reply_text\" required>old</textarea>"
    "<input name=\"amount\" value=\"\">"
    "<select name=\"kind\"><option value=\"\">-</option><option value=\"a\" selected>A</option>"
    "<option value=\"b\">B</option></select>"
    "<input type=\"checkbox\" name=\"vip\" value=\"1\" checked>"
    "<input type=\"password\" name=\"password\" value=\"\">"
    "<input name=\"qty\"><input name=\"qty\">"
    "<button type=\"submit\">Send</button></form></details>"
    "</main></body></html>";

static struct kv posted[] = {
	{ "csrf_token", "stale", 5 },
	{ "action", "record_reply", 12 },
	{ "version", "6", 1 },
	{ "reply_text", "We <will> call \"you\" & fix it", 30 },
	{ "amount", "12.50", 5 },
	{ "kind", "b", 1 },
	{ "password", "secret", 6 },
	{ "qty", "1", 1 },
	{ "qty", "2", 1 },
};

static char *
run(struct json_object *errors, int *found)
{
	struct refill rf = { "/c/1/action", posted, sizeof(posted) / sizeof(posted[0]), errors,
		"Please correct", "Kept" };
	struct buf out;
	buf_init(&out);
	*found = refill_page(page, strlen(page), &rf, &out);
	return out.p;
}

START_TEST(the_form_whose_hidden_fields_match_what_was_posted_gets_the_values)
{
	int found;
	char *html = run(NULL, &found);
	const char *reply = strstr(html, "id=\"reply\"");

	ck_assert_int_eq(found, 1);
	ck_assert_ptr_nonnull(reply);
	/* the other form with the same action is untouched */
	ck_assert_ptr_nonnull(strstr(html, "<textarea name=\"reason\"></textarea>"));
	ck_assert_ptr_nonnull(strstr(reply, ">We &lt;will&gt; call &quot;you&quot; &amp; fix it</textarea>"));
	ck_assert_ptr_null(strstr(reply, ">old</textarea>"));
	ck_assert_ptr_nonnull(strstr(reply, "name=\"amount\" value=\"12.50\""));
	ck_assert_ptr_nonnull(strstr(reply, "<option value=\"b\" selected>"));
	ck_assert_ptr_nonnull(strstr(reply, "<option value=\"a\">"));
	/* an unchecked box is not posted, so it comes back unchecked */
	ck_assert_ptr_nonnull(strstr(reply, "name=\"vip\" value=\"1\">"));
	/* hidden fields keep the page's fresh values; a password is never echoed */
	ck_assert_ptr_nonnull(strstr(reply, "name=\"csrf_token\" value=\"fresh\""));
	ck_assert_ptr_nonnull(strstr(reply, "name=\"version\" value=\"7\""));
	ck_assert_ptr_null(strstr(html, "secret"));
	/* repeated names take their values in order */
	ck_assert_ptr_nonnull(strstr(reply, "name=\"qty\" value=\"1\"><input name=\"qty\" value=\"2\">"));
	/* the form is opened and the summary lands in view */
	ck_assert_ptr_nonnull(strstr(html, "<details open><summary>Reply"));
	ck_assert_ptr_nonnull(strstr(html, "<details><summary>Other"));
	ck_assert_ptr_nonnull(strstr(reply, "class=\"error-summary\""));
	ck_assert_ptr_nonnull(strstr(reply, "autofocus"));
	free(html);
}
END_TEST

START_TEST(each_error_stands_beside_its_field_and_the_first_gets_the_focus)
{
	struct json_object *e = json_object_new_object();
	int found;
	char *html;

	json_object_object_add(e, "reply_text", json_object_new_string("Required <now>"));
	json_object_object_add(e, "qty.1", json_object_new_string("Not a number"));
	json_object_object_add(e, "elsewhere", json_object_new_string("Department unknown"));
	html = run(e, &found);
	ck_assert_ptr_nonnull(strstr(html, "</textarea><p class=\"error\" id=\"e-reply_text\">Required &lt;now&gt;</p>"));
	ck_assert_ptr_nonnull(strstr(html, "aria-invalid=\"true\" aria-describedby=\"e-reply_text\" autofocus"));
	ck_assert_ptr_nonnull(strstr(html, "name=\"qty\" value=\"2\" aria-invalid=\"true\" aria-describedby=\"e-qty-1\""));
	/* the summary links each error by its label, and lists the one without a field */
	ck_assert_ptr_nonnull(strstr(html, "<a href=\"#f-reply\">Reply: Required &lt;now&gt;</a>"));
	ck_assert_ptr_nonnull(strstr(html, "<li>Department unknown</li>"));
	/* one autofocus only: on the field, not on the summary */
	ck_assert_ptr_null(strstr(html, "tabindex=\"-1\" autofocus"));
	json_object_put(e);
	free(html);
}
END_TEST

START_TEST(without_the_form_on_the_page_the_typed_text_is_kept_at_the_top)
{
	struct refill rf = { "/c/1/plan", posted, sizeof(posted) / sizeof(posted[0]), NULL, "Not now", "Kept" };
	struct buf out;

	buf_init(&out);
	ck_assert_int_eq(refill_page(page, strlen(page), &rf, &out), 0);
	ck_assert_ptr_nonnull(strstr(out.p, "<main><div class=\"error-summary\""));
	ck_assert_ptr_nonnull(strstr(out.p, "<textarea readonly rows=\"3\">We &lt;will&gt;"));
	/* tokens, versions, codes and passwords are not "typed text" */
	ck_assert_ptr_null(strstr(out.p, "readonly rows=\"3\">stale"));
	ck_assert_ptr_null(strstr(out.p, "readonly rows=\"3\">record_reply"));
	ck_assert_ptr_null(strstr(out.p, "secret"));
	buf_free(&out);
}
END_TEST

START_TEST(another_steps_form_with_the_same_action_is_not_taken_for_it)
{
	static struct kv other[] = { { "action", "reopen", 6 }, { "reason", "Customer called again", 21 } };
	struct refill rf = { "/c/1/action", other, 2, NULL, "Not now", "Kept" };
	struct buf out;

	buf_init(&out);
	ck_assert_int_eq(refill_page(page, strlen(page), &rf, &out), 0);
	ck_assert_ptr_nonnull(strstr(out.p, "<textarea readonly rows=\"3\">Customer called again</textarea>"));
	ck_assert_ptr_nonnull(strstr(out.p, "<textarea name=\"reason\"></textarea>"));
	buf_free(&out);
}
END_TEST

START_TEST(an_error_with_an_empty_name_does_not_hang)
{
	/* Found by tests/fuzz/fuzz_refill.c: an empty key made the summary's lookup loop for ever. */
	struct json_object *e = json_object_new_object();
	int found;
	char *html;

	json_object_object_add(e, "", json_object_new_string("odd"));
	html = run(e, &found);
	ck_assert_ptr_nonnull(strstr(html, "<li>odd</li>"));
	json_object_put(e);
	free(html);
}
END_TEST

START_TEST(broken_markup_never_reads_past_the_end)
{
	static const char *const bad[] = { "<", "<form", "<form action=\"/c/1/action\"", "<!--",
		"<form action=\"/c/1/action\"><textarea name=\"reply_text\">", "<form action='/c/1/action'><input name=reply_text",
		"<form action=\"/c/1/action\"><select name=\"kind\"><option value=\"b\"", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct refill rf = { "/c/1/action", posted, sizeof(posted) / sizeof(posted[0]), NULL, "x", "y" };
		struct buf out;
		buf_init(&out);
		refill_page(bad[i], strlen(bad[i]), &rf, &out);
		buf_free(&out);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("refill");
	TCase *tc = tcase_create("refill");

	tcase_add_test(tc, the_form_whose_hidden_fields_match_what_was_posted_gets_the_values);
	tcase_add_test(tc, each_error_stands_beside_its_field_and_the_first_gets_the_focus);
	tcase_add_test(tc, without_the_form_on_the_page_the_typed_text_is_kept_at_the_top);
	tcase_add_test(tc, another_steps_form_with_the_same_action_is_not_taken_for_it);
	tcase_add_test(tc, an_error_with_an_empty_name_does_not_hang);
	tcase_add_test(tc, broken_markup_never_reads_past_the_end);
	suite_add_tcase(s, tc);
	return check_run(s);
}
