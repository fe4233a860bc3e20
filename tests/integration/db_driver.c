/*
 * db_driver.c: drives the DB layer (db.c, audit.c) for tests/integration/db_check.sh,
 * as a worker would: the workers' account, the statement table, db_tx, audit_write.
 *
 *   db_driver CONF concurrent P N   P forked processes, N audited transactions each
 *   db_driver CONF killtx mid|end|none
 *                                   one transaction of two audit events that pauses
 *                                   (prints "paused", waits for a line on stdin)
 *                                   between them (mid), before COMMIT (end) or not
 *                                   at all (none); prints "attempts=A rc=R"
 *   db_driver CONF idle             one statement, "ready", waits for a line, then
 *                                   db_ensure and one more statement, as the next
 *                                   request would; prints "after: rc=R"
 *   db_driver CONF rss              connects, runs a few statements, prints VmRSS in kB
 *
 * Exit status 0 when everything it did succeeded.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "conf.h"
#include "db.h"
#include "kesu.h"

struct job {
	struct arena *a;
	const char *entity;
	const char *id;
	const char *action;
	long i;
	int attempts;
	int pause;               /* 0: none, 1: between the two events, 2: before COMMIT */
};

static void
wait_for_line(void)
{
	char line[64];

	printf("paused\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		exit(3);
}

/* One audited change; the JSON holds what audit.c must keep byte for byte ('/', Chinese, ':' and ','). */
static int
one_tx(struct db *db, void *arg)
{
	struct job *j = arg;
	struct audit_actor who = { "agent", "王丽", "agent", "req-driver", "127.0.0.1" };
	struct json_object *after = json_object_new_object();
	int rc;

	arena_reset(j->a);
	j->attempts++;
	json_object_object_add(after, "i", json_object_new_int64(j->i));
	json_object_object_add(after, "path", json_object_new_string("a/b"));
	json_object_object_add(after, "text", json_object_new_string("投诉: 外壳, 裂纹"));
	/* Every other event is longer than db.c's 256-byte cells: read back in a second fetch. */
	if (j->i % 2 == 1) {
		char longer[601];

		for (int k = 0; k < 100; k++)
			memcpy(longer + 6 * k, "长文", 6);
		longer[600] = '\0';
		json_object_object_add(after, "long", json_object_new_string(longer));
	}
	rc = audit_write(db, j->a, &who, j->entity, j->id, j->action, NULL, after);
	if (rc == KESU_OK && j->pause == 1 && j->attempts == 1)
		wait_for_line();
	if (rc == KESU_OK)
		rc = audit_write(db, j->a, &who, j->entity, j->id, "second", after, NULL);
	if (rc == KESU_OK && j->pause == 2 && j->attempts == 1)
		wait_for_line();
	json_object_put(after);
	return rc;
}

static int
open_db(struct db **db, const char *path)
{
	char *err = NULL;
	struct conf *c = conf_load(path, &err);
	int rc;

	if (c == NULL) {
		fprintf(stderr, "db_driver: %s\n", err);
		exit(2);
	}
	rc = db_open(db, c);
	conf_free(c);
	return rc;
}

static int
concurrent(const char *conf, int procs, long n)
{
	int failed = 0;

	for (int p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			struct db *db = NULL;
			struct job j = { arena_new(), "driver", NULL, "first", 0, 0, 0 };
			int bad = 0;

			/* After fork: every process its own connection, as the workers do. */
			if (open_db(&db, conf) != KESU_OK)
				_exit(1);
			for (long i = 0; i < n; i++) {
				char id[32];

				snprintf(id, sizeof(id), "p%d-%ld", p, i);
				j.id = id;
				j.i = i;
				j.attempts = 0;
				if (db_tx(db, one_tx, &j) != KESU_OK)
					bad++;
			}
			db_close(db);
			arena_free(j.a);
			_exit(bad ? 1 : 0);
		}
	}
	for (int p = 0; p < procs; p++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	printf("concurrent: %d processes x %ld transactions, %d failed\n", procs, n, failed);
	return failed ? 1 : 0;
}

/* One transaction; pausing between its events (mid), before COMMIT (end) or not at all (none). */
static int
killtx(const char *conf, const char *where)
{
	struct db *db = NULL;
	struct job j = { arena_new(), "killtest", where, "first", 0, 0,
		strcmp(where, "mid") == 0 ? 1 : strcmp(where, "end") == 0 ? 2 : 0 };
	int rc;

	if (open_db(&db, conf) != KESU_OK)
		return 1;
	rc = db_tx(db, one_tx, &j);
	printf("attempts=%d rc=%d\n", j.attempts, rc);
	db_close(db);
	arena_free(j.a);
	return rc == KESU_OK ? 0 : 1;
}

static int
idle(const char *conf)
{
	struct arena *a = arena_new();
	struct db *db = NULL;
	struct db_res res;
	char line[64];
	int rc;

	if (open_db(&db, conf) != KESU_OK ||
	    db_exec(db, a, STMT_NOW_UTC, &res, "") != KESU_OK)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 3;
	/* The next request after the server went away must succeed: db_ensure first, as kesu-fcgi does. */
	if ((rc = db_ensure(db)) == KESU_OK)
		rc = db_exec(db, a, STMT_NOW_UTC, &res, "");
	printf("after: rc=%d\n", rc);
	db_close(db);
	arena_free(a);
	return rc == KESU_OK ? 0 : 1;
}

/* VmRSS of this process in kB; -1 when unknown. */
static long
rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static int
rss(const char *conf)
{
	struct arena *a = arena_new();
	struct db *db = NULL;
	struct db_res res;
	long before = rss_kb();

	if (open_db(&db, conf) != KESU_OK ||
	    db_exec(db, a, STMT_SEVERITY_LIST, &res, "") != KESU_OK ||
	    db_exec(db, a, STMT_AUDIT_SCAN, &res, "u", (uint64_t)0) != KESU_OK)
		return 1;
	printf("rss_kb before_connect=%ld after_prepare_and_1000_rows=%ld\n", before, rss_kb());
	db_close(db);
	arena_free(a);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[2], "concurrent") == 0)
		return concurrent(argv[1], atoi(argv[3]), atol(argv[4]));
	if (argc == 4 && strcmp(argv[2], "killtx") == 0)
		return killtx(argv[1], argv[3]);
	if (argc == 3 && strcmp(argv[2], "idle") == 0)
		return idle(argv[1]);
	if (argc == 3 && strcmp(argv[2], "rss") == 0)
		return rss(argv[1]);
	fprintf(stderr, "usage: db_driver CONF concurrent P N | killtx mid|end|none | idle | rss\n");
	return 2;
}
