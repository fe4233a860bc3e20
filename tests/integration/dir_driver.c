/*
 * dir_driver.c: drive fcgi/dir.c against the private slapd of dir_slapd_check.sh
 * and say, case by case, whether it answered as it must.
 *
 * usage: dir_driver CONF SLAPD_PIDFILE RESTART_CMD          the whole list, in clear text
 *        dir_driver CONF SLAPD_PIDFILE - tls                 a few cases over StartTLS
 *        dir_driver CONF SLAPD_PIDFILE - tls-untrusted       StartTLS with an unknown CA
 * Exits 0 when every case passed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "conf.h"
#include "dir.h"
#include "kesu.h"

static int failures;

static const char *const errs[KESU__MAX] = {
	[KESU_OK] = "KESU_OK", [KESU_EINPUT] = "KESU_EINPUT", [KESU_ENOTFOUND] = "KESU_ENOTFOUND",
	[KESU_EFORBIDDEN] = "KESU_EFORBIDDEN", [KESU_EAUTH] = "KESU_EAUTH", [KESU_ECSRF] = "KESU_ECSRF",
	[KESU_ECONFLICT] = "KESU_ECONFLICT", [KESU_ETOOBIG] = "KESU_ETOOBIG",
	[KESU_ELOCKED] = "KESU_ELOCKED", [KESU_EDB] = "KESU_EDB", [KESU_EDIR] = "KESU_EDIR",
	[KESU_EINTERNAL] = "KESU_EINTERNAL",
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *
roles_str(struct arena *a, unsigned roles)
{
	char *s = arena_strdup(a, "");
	int r;

	for (r = 0; r < ROLE__MAX; r++)
		if (roles & ROLE_BIT(r))
			s = arena_printf(a, "%s%s%s", s, *s != '\0' ? "," : "", role_name((enum role)r));
	return *s != '\0' ? s : "(none)";
}

/* Report one case: what was expected, what came, how long it took. */
static void
check(const char *what, int want, int got, double secs, double max_secs)
{
	int ok = want == got && secs <= max_secs;

	printf("%-4s %-44s %-11s (want %s) %7.3f s\n", ok ? "PASS" : "FAIL", what, errs[got],
	    errs[want], secs);
	if (!ok)
		failures++;
}

static int
auth(struct dir *d, struct arena *a, const char *what, const char *uid, const char *pw, int want,
    double max_secs, struct dir_user *u)
{
	double t0 = now();
	int rc = dir_authenticate(d, a, uid, pw, u);

	check(what, want, rc, now() - t0, max_secs);
	return rc;
}

static void
expect_str(const char *what, const char *want, const char *got)
{
	int ok = got != NULL && strcmp(want, got) == 0;

	printf("%-4s   %-42s %s\n", ok ? "PASS" : "FAIL", what, got != NULL ? got : "(null)");
	if (!ok)
		failures++;
}

static pid_t
slapd_pid(const char *pidfile)
{
	FILE *f = fopen(pidfile, "r");
	long pid = 0;

	if (f == NULL || fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	if (f != NULL)
		fclose(f);
	return (pid_t)pid;
}

int
main(int argc, char **argv)
{
	struct conf *c;
	struct dir *d;
	struct arena *a;
	struct dir_user u;
	char *err = NULL;
	long timeout;
	pid_t pid;
	double t0;
	int rc;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s CONF SLAPD_PIDFILE RESTART_CMD [tls|tls-untrusted]\n",
		    argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);  /* as the workers do */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((c = conf_load(argv[1], &err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	timeout = conf_int(c, "ldap.timeout", 5);
	d = dir_open(c);
	a = arena_new();

	if (argc == 5 && strcmp(argv[4], "tls-untrusted") == 0) {
		/* The certificate cannot be verified: no sign-in, and no fallback to clear text. */
		auth(d, a, "StartTLS, unknown CA", "alice", "alice-pw-1", KESU_EDIR, 1, &u);
		auth(d, a, "StartTLS, unknown CA, again", "alice", "alice-pw-1", KESU_EDIR, 1, &u);
		goto done;
	}
	if (argc == 5 && strcmp(argv[4], "tls") == 0) {
		auth(d, a, "StartTLS, right password", "alice", "alice-pw-1", KESU_OK, 1, &u);
		expect_str("roles", "agent,supervisor", roles_str(a, u.roles));
		auth(d, a, "StartTLS, wrong password", "alice", "wrong", KESU_EAUTH, 1, &u);
		if ((pid = slapd_pid(argv[2])) <= 0 || kill(pid, SIGSTOP) != 0) {
			printf("FAIL cannot stop slapd: %s\n", strerror(errno));
			return 1;
		}
		printf("---- slapd %ld stopped (SIGSTOP), ldap.timeout = %ld s\n", (long)pid, timeout);
		auth(d, a, "StartTLS, stopped slapd, kept connection", "alice", "alice-pw-1",
		    KESU_EDIR, (double)timeout + 1, &u);
		auth(d, a, "StartTLS, stopped slapd, new connection", "alice", "alice-pw-1",
		    KESU_EDIR, (double)timeout + 1, &u);
		kill(pid, SIGCONT);
		printf("---- slapd continued (SIGCONT)\n");
		/* One timeout was enough: inside the fail-fast window (dir.c) the answer is at once. */
		auth(d, a, "StartTLS, after SIGCONT, inside the window", "alice", "alice-pw-1", KESU_EDIR, 0.5, &u);
		sleep(11);
		auth(d, a, "StartTLS, after SIGCONT and the window", "alice", "alice-pw-1", KESU_OK, 1, &u);
		goto done;
	}

	if (auth(d, a, "alice, right password", "alice", "alice-pw-1", KESU_OK, 1, &u) == KESU_OK) {
		expect_str("dn", "uid=alice,ou=people,dc=kesu,dc=example", u.dn);
		expect_str("uid", "alice", u.uid);
		expect_str("display_name (displayName)", "张三", u.display_name);
		expect_str("department", "production", u.department);
		expect_str("email", "alice@kesu.example", u.email);
		expect_str("roles (kesu-agents, KESU-Supervisors)", "agent,supervisor",
		    roles_str(a, u.roles));
	}
	auth(d, a, "alice, wrong password", "alice", "wrong", KESU_EAUTH, 1, &u);
	auth(d, a, "alice, password of another user", "alice", "bob-pw-2", KESU_EAUTH, 1, &u);
	auth(d, a, "unknown user", "mallory", "whatever", KESU_EAUTH, 1, &u);
	auth(d, a, "alice, empty password (no bind)", "alice", "", KESU_EAUTH, 0.01, &u);
	auth(d, a, "injection *)(uid=*", "*)(uid=*", "alice-pw-1", KESU_EAUTH, 1, &u);
	auth(d, a, "injection alice)(uid=*, right password", "alice)(uid=*", "alice-pw-1", KESU_EAUTH,
	    1, &u);
	auth(d, a, "wildcard uid *", "*", "alice-pw-1", KESU_EAUTH, 1, &u);
	auth(d, a, "uid matching two entries", "dup", "dup-pw", KESU_EAUTH, 1, &u);
	if (auth(d, a, "bob (no displayName, no groups)", "bob", "bob-pw-2", KESU_OK, 1, &u) == KESU_OK) {
		expect_str("display_name falls back to cn", "Bob Li", u.display_name);
		expect_str("roles", "(none)", roles_str(a, u.roles));
	}
	if (auth(d, a, "UTF-8 uid 王五 (escaped byte by byte)", "王五", "wang-pw-3", KESU_OK, 1, &u)
	    == KESU_OK)
		expect_str("roles", "agent", roles_str(a, u.roles));

	t0 = now();
	rc = dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", "alice-pw-1");
	check("check_password, right", KESU_OK, rc, now() - t0, 1);
	t0 = now();
	rc = dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", "nope");
	check("check_password, wrong", KESU_EAUTH, rc, now() - t0, 1);
	t0 = now();
	rc = dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", "");
	check("check_password, empty", KESU_EAUTH, rc, now() - t0, 0.01);
	/* After a wrong signature password the handle still serves sign-ins. */
	auth(d, a, "alice after check_password", "alice", "alice-pw-1", KESU_OK, 1, &u);

	/* slapd restarted: the kept connection is dead; the next call reconnects once. */
	if (system(argv[3]) != 0) {
		printf("FAIL restart command failed\n");
		failures++;
	}
	auth(d, a, "alice after a slapd restart", "alice", "alice-pw-1", KESU_OK, 1, &u);

	/* slapd accepts TCP but never answers: KESU_EDIR within about the timeout. */
	if ((pid = slapd_pid(argv[2])) <= 0 || kill(pid, SIGSTOP) != 0) {
		printf("FAIL cannot stop slapd: %s\n", strerror(errno));
		return 1;
	}
	printf("---- slapd %ld stopped (SIGSTOP), ldap.timeout = %ld s\n", (long)pid, timeout);
	auth(d, a, "stopped slapd, kept connection", "alice", "alice-pw-1", KESU_EDIR,
	    (double)timeout + 1, &u);
	auth(d, a, "stopped slapd, new connection", "alice", "alice-pw-1", KESU_EDIR,
	    (double)timeout + 1, &u);
	t0 = now();
	rc = dir_check_password(d, "uid=alice,ou=people,dc=kesu,dc=example", "alice-pw-1");
	check("stopped slapd, check_password", KESU_EDIR, rc, now() - t0, (double)timeout + 1);
	kill(pid, SIGCONT);
	printf("---- slapd continued (SIGCONT)\n");
	/* One timeout was enough: inside the fail-fast window (dir.c) the answer is at once. */
	auth(d, a, "alice after SIGCONT, inside the window", "alice", "alice-pw-1", KESU_EDIR, 0.5, &u);
	sleep(11);
	auth(d, a, "alice after SIGCONT and the window", "alice", "alice-pw-1", KESU_OK, 1, &u);

done:
	dir_close(d);
	arena_free(a);
	conf_free(c);
	printf("%s: %d failure(s)\n", failures == 0 ? "ALL PASSED" : "FAILED", failures);
	return failures == 0 ? 0 : 1;
}
