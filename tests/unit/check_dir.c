/* check_dir.c: filter escaping, and what dir_* do before and without a working directory. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "conf.h"
#include "dir.h"

static struct arena *a;
static struct conf *c;
static struct dir *d;
static char pwfile[] = "/tmp/check_dir_pw.XXXXXX";
static int lsock = -1;   /* a listener that never accepts: the kernel answers SYN, nobody LDAP */
static char uri[64];

static void
setup(void)
{
	int fd;

	a = arena_new();
	c = conf_new();
	d = NULL;
	ck_assert_int_ge(fd = mkstemp(pwfile), 0);
	ck_assert_int_eq(write(fd, "svc-secret\n", 11), 11);
	close(fd);
	conf_set(c, "ldap.bind_dn", "cn=kesu-svc,ou=services,dc=kesu,dc=example");
	conf_set(c, "ldap.bind_password_file", pwfile);
	conf_set(c, "ldap.user_base", "ou=people,dc=kesu,dc=example");
	conf_set(c, "ldap.user_filter", "(&(objectClass=inetOrgPerson)(uid=%s))");
	conf_set(c, "ldap.group_base", "ou=groups,dc=kesu,dc=example");
	conf_set(c, "ldap.role.kesu-agents", "agent");
	conf_set(c, "ldap.role.kesu-nonsense", "no-such-role");
	conf_set(c, "ldap.timeout", "1");
}

static void
teardown(void)
{
	dir_close(d);
	conf_free(c);
	arena_free(a);
	unlink(pwfile);
	if (lsock >= 0)
		close(lsock);
}

/* Listen on a free loopback port without ever accepting; the URI goes to uri. */
static void
listen_silent(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(lsock = socket(AF_INET, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(lsock, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(lsock, 8), 0);
	ck_assert_int_eq(getsockname(lsock, (struct sockaddr *)&sin, &len), 0);
	snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%u", ntohs(sin.sin_port));
}

/* Whether anybody connected to the silent listener. */
static int
connected(void)
{
	struct pollfd p = { .fd = lsock, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct dir *
open_at(const char *u)
{
	conf_set(c, "ldap.uri", u);
	return d = dir_open(c);
}

START_TEST(test_escape_filter_injection_is_neutralised)
{
	ck_assert_str_eq(dir_escape_filter(a, "admin)(|(uid=*"), "admin\\29\\28|\\28uid=\\2A");
	ck_assert_str_eq(dir_escape_filter(a, "*)(uid=*"), "\\2A\\29\\28uid=\\2A");
	ck_assert_str_eq(dir_escape_filter(a, "*"), "\\2A");
	ck_assert_str_eq(dir_escape_filter(a, "("), "\\28");
	ck_assert_str_eq(dir_escape_filter(a, ")"), "\\29");
	ck_assert_str_eq(dir_escape_filter(a, "a\\b"), "a\\5Cb");
	ck_assert_str_eq(dir_escape_filter(a, "plain.user-1_x@y"), "plain.user-1_x@y");
	ck_assert_str_eq(dir_escape_filter(a, ""), "");
}
END_TEST

START_TEST(test_escape_filter_nul_and_utf8)
{
	/* A C string ends at NUL: nothing after it reaches the filter. */
	ck_assert_str_eq(dir_escape_filter(a, "alice\0)(uid=*"), "alice");
	/* libldap escapes every byte over 0x7F (RFC 4515 allows it; the server
	 * matches the UTF-8 value all the same). */
	ck_assert_str_eq(dir_escape_filter(a, "张三"), "\\E5\\BC\\A0\\E4\\B8\\89");
	ck_assert_str_eq(dir_escape_filter(a, "é*"), "\\C3\\A9\\2A");
}
END_TEST

START_TEST(test_empty_password_refused_without_network)
{
	struct dir_user u;
	double t0;

	listen_silent();
	open_at(uri);
	t0 = now();
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "", &u), KESU_EAUTH);
	ck_assert_int_eq(dir_authenticate(d, a, "alice", NULL, &u), KESU_EAUTH);
	ck_assert_int_eq(dir_authenticate(d, a, "", "pw", &u), KESU_EAUTH);
	ck_assert_int_eq(dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", ""),
	    KESU_EAUTH);
	ck_assert_int_eq(dir_check_password(d, "", "pw"), KESU_EAUTH);
	ck_assert(now() - t0 < 0.5);
	ck_assert_ptr_null(u.dn);
	ck_assert_uint_eq(u.roles, 0);
	ck_assert_msg(!connected(), "a connection was made");
}
END_TEST

START_TEST(test_empty_password_refused_on_unreachable_directory)
{
	struct dir_user u;
	double t0 = now();

	open_at("ldap://127.0.0.1:1");
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "", &u), KESU_EAUTH);
	ck_assert(now() - t0 < 0.5);
}
END_TEST

START_TEST(test_unreachable_directory_is_edir)
{
	struct dir_user u;
	double t0 = now();

	open_at("ldap://127.0.0.1:1");   /* nothing listens: connection refused */
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "secret", &u), KESU_EDIR);
	ck_assert_int_eq(dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", "secret"),
	    KESU_EDIR);
	/* And again: the handle was dropped and is made anew. */
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "secret", &u), KESU_EDIR);
	ck_assert(now() - t0 < 2.0);
	ck_assert_ptr_null(u.dn);
}
END_TEST

START_TEST(test_hanging_directory_is_edir_within_the_timeout_then_at_once)
{
	struct dir_user u;
	double t0, t;

	/* ldap.timeout is 1 s; the listener completes TCP handshakes and never answers. */
	listen_silent();
	open_at(uri);
	t0 = now();
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "secret", &u), KESU_EDIR);
	t = now() - t0;
	ck_assert_msg(t >= 0.9 && t < 2.5, "took %.2f s", t);
	ck_assert(connected());
	/* One timeout is enough: the next callers are told at once that the directory is not
	 * answering, instead of each holding a worker for the timeout (issue 10). */
	t0 = now();
	ck_assert_int_eq(dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", "secret"),
	    KESU_EDIR);
	ck_assert_int_eq(dir_lookup(d, a, "alice", &u), KESU_EDIR);
	t = now() - t0;
	ck_assert_msg(t < 0.3, "the second and third calls took %.2f s", t);
}
END_TEST

START_TEST(test_unreadable_service_password_is_edir_without_network)
{
	struct dir_user u;

	listen_silent();
	conf_set(c, "ldap.bind_password_file", "/nonexistent/kesu/ldap.password");
	open_at(uri);
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "secret", &u), KESU_EDIR);
	ck_assert_msg(!connected(), "a connection was made");
}
END_TEST

START_TEST(test_empty_service_password_is_not_an_anonymous_bind)
{
	struct dir_user u;
	FILE *f;

	listen_silent();
	ck_assert_ptr_nonnull(f = fopen(pwfile, "w"));
	fputs("\n", f);
	fclose(f);
	open_at(uri);
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "secret", &u), KESU_EDIR);
	ck_assert_msg(!connected(), "a connection was made");
}
END_TEST

START_TEST(test_bad_uri_is_edir)
{
	struct dir_user u;

	open_at("nonsense://x");
	ck_assert_int_eq(dir_authenticate(d, a, "alice", "secret", &u), KESU_EDIR);
}
END_TEST

START_TEST(test_close_accepts_null_and_unused_handles)
{
	dir_close(NULL);
	open_at("ldap://127.0.0.1:1");
}
END_TEST

static Suite *
dir_suite(void)
{
	Suite *s = suite_create("dir");
	TCase *tc = tcase_create("dir");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_escape_filter_injection_is_neutralised);
	tcase_add_test(tc, test_escape_filter_nul_and_utf8);
	tcase_add_test(tc, test_empty_password_refused_without_network);
	tcase_add_test(tc, test_empty_password_refused_on_unreachable_directory);
	tcase_add_test(tc, test_unreachable_directory_is_edir);
	tcase_add_test(tc, test_hanging_directory_is_edir_within_the_timeout_then_at_once);
	tcase_add_test(tc, test_unreadable_service_password_is_edir_without_network);
	tcase_add_test(tc, test_empty_service_password_is_not_an_anonymous_bind);
	tcase_add_test(tc, test_bad_uri_is_edir);
	tcase_add_test(tc, test_close_accepts_null_and_unused_handles);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dir_suite());
	int failed;

	signal(SIGPIPE, SIG_IGN);  /* as in the workers: a dead peer is an error, not a signal */
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
