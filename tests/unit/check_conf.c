/* check_conf.c: the configuration file parser. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "check_run.h"

static char path[64];

static void
write_file(const char *text)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/kesu-conf-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

static void cleanup(void) { unlink(path); }

START_TEST(keys_values_comments_and_overrides)
{
	char *err = NULL;
	struct conf *c;

	write_file("# a comment\n\n  db.host = 127.0.0.1   # trailing\n"
	    "ldap.user_filter = (&(objectClass=inetOrgPerson)(uid=%s))\n"
	    "fcgi.workers = 4\nfcgi.workers = 6\nempty =\nmode = 0660\n");
	c = conf_load(path, &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(conf_str(c, "db.host", NULL), "127.0.0.1");
	ck_assert_str_eq(conf_str(c, "ldap.user_filter", NULL), "(&(objectClass=inetOrgPerson)(uid=%s))");
	ck_assert_int_eq(conf_int(c, "fcgi.workers", 1), 6);
	ck_assert_int_eq(conf_int(c, "mode", 0), 0660);
	ck_assert_int_eq(conf_int(c, "empty", 7), 7);
	ck_assert_str_eq(conf_str(c, "missing", "dflt"), "dflt");
	conf_free(c);
	cleanup();
}
END_TEST

START_TEST(syntax_errors_name_the_line)
{
	char *err = NULL;

	write_file("a = 1\nthis line has no equals sign\n");
	ck_assert_ptr_null(conf_load(path, &err));
	ck_assert_ptr_nonnull(strstr(err, ":2:"));
	free(err);
	cleanup();
	write_file("bad key = 1\n");
	ck_assert_ptr_null(conf_load(path, &err));
	ck_assert_ptr_nonnull(strstr(err, "invalid key"));
	free(err);
	cleanup();
	ck_assert_ptr_null(conf_load("/nonexistent/kesu.conf", &err));
	free(err);
}
END_TEST

static void
collect(const char *rest, const char *val, void *arg)
{
	char *out = arg;
	strcat(out, rest);
	strcat(out, "=");
	strcat(out, val);
	strcat(out, ";");
}

START_TEST(prefix_iteration_and_secret_files)
{
	struct conf *c = conf_new();
	char out[256] = "";
	char *secret;

	conf_set(c, "ldap.role.kesu-agents", "agent");
	conf_set(c, "ldap.role.kesu-gms", "gm");
	conf_set(c, "ldap.uri", "ldap://x");
	conf_each(c, "ldap.role.", collect, out);
	ck_assert_str_eq(out, "kesu-agents=agent;kesu-gms=gm;");

	write_file("s3cret\n");
	conf_set(c, "db.password_file", path);
	secret = conf_secret(c, "db.password_file");
	ck_assert_str_eq(secret, "s3cret");
	free(secret);
	cleanup();
	ck_assert_ptr_null(conf_secret(c, "db.password_file"));
	ck_assert_ptr_null(conf_secret(c, "absent"));
	conf_free(c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("conf");

	tcase_add_test(tc, keys_values_comments_and_overrides);
	tcase_add_test(tc, syntax_errors_name_the_line);
	tcase_add_test(tc, prefix_iteration_and_secret_files);
	suite_add_tcase(s, tc);
	return check_run(s);
}
