/* check_attach.c: what a file is (by its bytes), its name on the way in and out, storage by SHA-256. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "crypto.h"
#include "check_run.h"

static struct arena *a;

static void setup(void) { a = arena_new(); }
static void teardown(void) { arena_free(a); }

START_TEST(types_come_from_the_bytes_not_the_name)
{
	ck_assert_str_eq(attach_sniff((const unsigned char *)"\xFF\xD8\xFF\xE0", 4, "x.png"), "image/jpeg");
	ck_assert_str_eq(attach_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n....", 12, "x"), "image/png");
	ck_assert_str_eq(attach_sniff((const unsigned char *)"GIF89a..", 8, NULL), "image/gif");
	ck_assert_str_eq(attach_sniff((const unsigned char *)"RIFF....WEBPVP8 ", 16, "a"), "image/webp");
	ck_assert_str_eq(attach_sniff((const unsigned char *)"%PDF-1.7", 8, "a.jpg"), "application/pdf");
	ck_assert_str_eq(attach_sniff((const unsigned char *)"PK\x03\x04....", 8, "报告.DOCX"),
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	ck_assert_str_eq(attach_sniff((const unsigned char *)"PK\x03\x04....", 8, "a.xlsx"),
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	/* a zip by any other name, HTML, scripts, empty or truncated magic: refused */
	ck_assert_ptr_null(attach_sniff((const unsigned char *)"PK\x03\x04....", 8, "a.zip"));
	ck_assert_ptr_null(attach_sniff((const unsigned char *)"<html><script>", 14, "a.jpg"));
	ck_assert_ptr_null(attach_sniff((const unsigned char *)"#!/bin/sh", 9, "a.pdf"));
	ck_assert_ptr_null(attach_sniff((const unsigned char *)"\xFF\xD8", 2, "a.jpg"));
	ck_assert_ptr_null(attach_sniff((const unsigned char *)"", 0, "a.jpg"));
}
END_TEST

START_TEST(names_lose_what_could_harm_and_keep_utf8_whole)
{
	char longname[400];

	ck_assert_str_eq(attach_clean_name(a, "缺陷照片 1.jpg"), "缺陷照片 1.jpg");
	ck_assert_str_eq(attach_clean_name(a, "a\"b'c\r\nd/e\\f.pdf"), "abcdef.pdf");
	ck_assert_str_eq(attach_clean_name(a, ".."), "file");
	ck_assert_str_eq(attach_clean_name(a, ""), "file");
	/* 41 three-byte characters: cut to 120 bytes, at a character boundary */
	longname[0] = '\0';
	for (int i = 0; i < 41; i++)
		strcat(longname, "照");
	ck_assert_uint_eq(strlen(attach_clean_name(a, longname)), 120);
	strcpy(longname, "x");
	for (int i = 0; i < 41; i++)
		strcat(longname, "照");
	ck_assert_uint_eq(strlen(attach_clean_name(a, longname)), 118);
}
END_TEST

START_TEST(downloads_are_named_in_ascii_and_utf8)
{
	ck_assert_str_eq(attach_disposition(a, "report.pdf"),
	    "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
	ck_assert_str_eq(attach_disposition(a, "照片 1;.jpg"),
	    "attachment; filename=\"______ 1_.jpg\"; filename*=UTF-8''%E7%85%A7%E7%89%87%201%3B.jpg");
}
END_TEST

START_TEST(files_are_stored_once_by_their_hash_and_read_back)
{
	char dir[] = "/tmp/kesu-attach-XXXXXX", hex[65], hex2[65], path[600];
	const unsigned char data[] = "%PDF-1.4 test \x00\x01\x02 bytes";
	unsigned char *back;
	size_t len = 0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(attach_store(dir, data, sizeof(data), hex), 0);
	{
		char want[65];
		crypto_sha256_hex(data, sizeof(data), want);
		ck_assert_str_eq(hex, want);
	}
	ck_assert_int_eq(attach_store(dir, data, sizeof(data), hex2), 0);
	ck_assert_str_eq(hex, hex2);
	back = attach_load(a, dir, hex, &len);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(len, sizeof(data));
	ck_assert_int_eq(memcmp(back, data, len), 0);
	/* names that are not a hash never reach the file system */
	ck_assert_ptr_null(attach_load(a, dir, "../../etc/passwd", &len));
	ck_assert_ptr_null(attach_load(a, dir, "ABCDEF", &len));
	snprintf(path, sizeof(path), "%s/%.2s/%s", dir, hex, hex);
	unlink(path);
	ck_assert_ptr_null(attach_load(a, dir, hex, &len));
	snprintf(path, sizeof(path), "%s/%.2s", dir, hex);
	rmdir(path);
	rmdir(dir);
}
END_TEST

static Suite *
attach_suite(void)
{
	Suite *s = suite_create("attach");
	TCase *tc = tcase_create("attach");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, types_come_from_the_bytes_not_the_name);
	tcase_add_test(tc, names_lose_what_could_harm_and_keep_utf8_whole);
	tcase_add_test(tc, downloads_are_named_in_ascii_and_utf8);
	tcase_add_test(tc, files_are_stored_once_by_their_hash_and_read_back);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(attach_suite());
}
