/* check_attach.c: what a file is (by its bytes), its name on the way in and out, storage by SHA-256. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* Several hosts sharing the directory (NFS) store the same file at once: one whole copy, no leftovers. */
START_TEST(concurrent_stores_of_the_same_file_leave_one_whole_copy_and_no_temporary_files)
{
	char dir[] = "/tmp/kesu-attach-XXXXXX", sub[128], hex[65];
	size_t n = 3 * 1024 * 1024, len = 0, entries = 0;
	unsigned char *data = malloc(n), *back;
	struct dirent *e;
	DIR *d;

	ck_assert_ptr_nonnull(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int k = 0; k < 6; k++)
		if (fork() == 0) {
			char h[65];
			_exit(attach_store(dir, data, n, h) == 0 ? 0 : 1);
		}
	for (int k = 0; k < 6; k++) {
		int st = 0;
		ck_assert_int_gt(wait(&st), 0);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	ck_assert_int_eq(attach_store(dir, data, n, hex), 0);
	back = attach_load(a, dir, hex, &len);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(len, n);
	ck_assert(memcmp(back, data, n) == 0);
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, hex);
	d = opendir(sub);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			ck_assert_str_eq(e->d_name, hex);
			entries++;
		}
	closedir(d);
	ck_assert_uint_eq(entries, 1);
	/* a damaged copy on the storage is never served as the file its name says */
	{
		char path[256];
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", sub, hex);
		f = fopen(path, "r+b");
		ck_assert_ptr_nonnull(f);
		fputc(data[0] ^ 0xff, f);
		fclose(f);
		ck_assert_ptr_null(attach_load(a, dir, hex, &len));
		unlink(path);
	}
	rmdir(sub);
	rmdir(dir);
	free(data);
}
END_TEST

/* Storage this host cannot write (an NFS mount gone read-only, a path that is not a directory). */
START_TEST(storage_that_cannot_be_written_is_an_error_and_leaves_no_file)
{
	char hex[65];
	const unsigned char data[] = "%PDF-1.4 not reachable";

	ck_assert_int_eq(attach_store("/proc/version/kesu", data, sizeof(data), hex), -1);
	ck_assert_int_eq(access("/proc/version/kesu", F_OK), -1);
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
	tcase_add_test(tc, concurrent_stores_of_the_same_file_leave_one_whole_copy_and_no_temporary_files);
	tcase_add_test(tc, storage_that_cannot_be_written_is_an_error_and_leaves_no_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(attach_suite());
}
