/* check_mail.c: the formatting of Kesu's mails — addresses, encoded subjects, base64 body, dot-stuffing. */
#include <check.h>
#include <string.h>

#include "mail.h"
#include "check_run.h"

/* Decode standard base64 (no line breaks) into out; returns the length. */
static size_t
unbase64(const char *s, size_t n, char *out)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0;
	int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		const char *p = strchr(t, s[i]);
		ck_assert_ptr_nonnull(p);
		v = (v << 6) | (unsigned)(p - t);
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)((v >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	return o;
}

START_TEST(addresses_that_could_inject_a_header_or_command_are_refused)
{
	ck_assert(mail_addr_valid("gm@kesu.example"));
	ck_assert(mail_addr_valid("head.production+kesu@kesu.example"));
	ck_assert(!mail_addr_valid(""));
	ck_assert(!mail_addr_valid("gm"));
	ck_assert(!mail_addr_valid("@kesu.example"));
	ck_assert(!mail_addr_valid("gm@"));
	ck_assert(!mail_addr_valid("a@b@c"));
	ck_assert(!mail_addr_valid("gm@kesu.example\r\nBcc: x@evil.example"));
	ck_assert(!mail_addr_valid("gm@kesu.example>\r\nRCPT TO:<x@evil.example"));
	ck_assert(!mail_addr_valid("g m@kesu.example"));
	ck_assert(!mail_addr_valid("王丽@kesu.example"));
}
END_TEST

START_TEST(a_chinese_subject_is_encoded_words_of_whole_characters)
{
	struct arena *a = arena_new();
	const char *subj = "客诉 261123099：处理方案等待您的签批，请在今天之内处理完毕谢谢合作";
	char *e = mail_encode_subject(a, subj), dec[512], all[512] = "";
	char *line, *save;

	/* Every line is short, every encoded word decodes to whole UTF-8 characters. */
	for (line = strtok_r(e, "\r\n", &save); line != NULL; line = strtok_r(NULL, "\r\n", &save)) {
		const char *w = line[0] == ' ' ? line + 1 : line;
		size_t l = strlen(w);
		ck_assert_uint_le(strlen(line) + strlen("Subject: "), 78);
		ck_assert(strncmp(w, "=?UTF-8?B?", 10) == 0 && strcmp(w + l - 2, "?=") == 0);
		size_t n = unbase64(w + 10, l - 12, dec);
		ck_assert_uint_gt(n, 0);
		/* a character cut in two would leave a lead byte at the end */
		ck_assert((unsigned char)dec[n - 1] < 0xc0);
		strcat(all, dec);
	}
	ck_assert_str_eq(all, subj);
	arena_free(a);
}
END_TEST

START_TEST(a_newline_in_the_subject_cannot_start_a_header)
{
	struct arena *a = arena_new();

	ck_assert_str_eq(mail_encode_subject(a, "Plan\r\nBcc: x@evil.example"), "Plan  Bcc: x@evil.example");
	ck_assert_str_eq(mail_encode_subject(a, "Plain ASCII"), "Plain ASCII");
	/* ASCII that looks like an encoded word is encoded, so it reads back as typed */
	ck_assert(strncmp(mail_encode_subject(a, "=?UTF-8?B?eA==?="), "=?UTF-8?B?", 10) == 0);
	arena_free(a);
}
END_TEST

START_TEST(a_message_has_crlf_headers_and_a_base64_utf8_body)
{
	struct arena *a = arena_new();
	const char *body = "处理方案等待您的签批。\n.\nhttp://kesu.example/complaints/261123099\n";
	char *m = mail_format(a, "kesu@kesu.example", "gm@kesu.example", "客诉 261123099", body,
	    "Mon, 30 Nov 2026 06:00:00 +0000", "1.2@kesu.example");
	char *sep, dec[1024], joined[1024] = "";

	ck_assert_ptr_nonnull(m);
	const char *head = "Date: Mon, 30 Nov 2026 06:00:00 +0000\r\nFrom: <kesu@kesu.example>\r\n"
	    "To: <gm@kesu.example>\r\nSubject: =?UTF-8?B?";
	ck_assert(strncmp(m, head, strlen(head)) == 0);
	ck_assert_ptr_nonnull(strstr(m, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "\r\nContent-Transfer-Encoding: base64\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "\r\nMessage-ID: <1.2@kesu.example>\r\n"));
	/* no bare LF anywhere */
	for (const char *p = m; *p != '\0'; p++)
		if (*p == '\n')
			ck_assert(p > m && p[-1] == '\r');
	sep = strstr(m, "\r\n\r\n");
	ck_assert_ptr_nonnull(sep);
	for (char *save, *l = strtok_r(sep + 4, "\r\n", &save); l != NULL; l = strtok_r(NULL, "\r\n", &save)) {
		ck_assert_uint_le(strlen(l), 76);
		strcat(joined, l);
	}
	unbase64(joined, strlen(joined), dec);
	ck_assert_str_eq(dec, "处理方案等待您的签批。\r\n.\r\nhttp://kesu.example/complaints/261123099\r\n");
	arena_free(a);
}
END_TEST

START_TEST(a_message_with_a_bad_address_or_id_is_not_made)
{
	struct arena *a = arena_new();

	ck_assert_ptr_null(mail_format(a, "kesu@kesu.example", "gm@kesu.example\r\nBcc: x@e.x", "s", "b",
	    "Mon, 30 Nov 2026 06:00:00 +0000", "1@k"));
	ck_assert_ptr_null(mail_format(a, "kesu@kesu.example", "gm@kesu.example", "s", "b",
	    "Mon, 30 Nov 2026 06:00:00 +0000", "1>\r\nBcc: x"));
	ck_assert_ptr_null(mail_format(a, "kesu@kesu.example", "gm@kesu.example", "s", "b",
	    "Mon\r\nBcc: x", "1@k"));
	arena_free(a);
}
END_TEST

START_TEST(dot_stuffing_doubles_leading_dots_and_ends_the_data)
{
	struct arena *a = arena_new();

	ck_assert_str_eq(mail_dot_stuff(a, ".a\r\nb.\r\n..c\r\n"), "..a\r\nb.\r\n...c\r\n.\r\n");
	ck_assert_str_eq(mail_dot_stuff(a, "x\n.\ny"), "x\r\n..\r\ny\r\n.\r\n");
	ck_assert_str_eq(mail_dot_stuff(a, ""), ".\r\n");
	arena_free(a);
}
END_TEST

static Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *tc = tcase_create("mail");

	tcase_add_test(tc, addresses_that_could_inject_a_header_or_command_are_refused);
	tcase_add_test(tc, a_chinese_subject_is_encoded_words_of_whole_characters);
	tcase_add_test(tc, a_newline_in_the_subject_cannot_start_a_header);
	tcase_add_test(tc, a_message_has_crlf_headers_and_a_base64_utf8_body);
	tcase_add_test(tc, a_message_with_a_bad_address_or_id_is_not_made);
	tcase_add_test(tc, dot_stuffing_doubles_leading_dots_and_ends_the_data);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(mail_suite());
}
