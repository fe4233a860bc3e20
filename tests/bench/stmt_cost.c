/*
 * tests/bench/stmt_cost.c — what a statement costs MariaDB, per execution, in the binary protocol
 * the workers use: each SQL given is prepared once and executed N times (every row fetched); for
 * each it prints mariadbd's CPU per execution (utime + stime of PID from /proc, 10 ms ticks: use
 * N of a few thousand) and the wall time per round trip. Parameters: a first "?" is bound to
 * TOKEN_HASH (a session's token hash, for the session proof), every further "?" to the integer
 * 1800 (an idle limit); put other values into the SQL itself. Used for docs/performance.md,
 * "Where a request's CPU goes" (the proof's shapes, the history folded into the page row):
 *
 *   cc -O2 -o /tmp/stmt_cost tests/bench/stmt_cost.c $(pkg-config --cflags --libs libmariadb)
 *   /tmp/stmt_cost SOCKET PASSWORD_FILE TOKEN_HASH $(pgrep -x mariadbd) 4000 "SELECT 1" "SQL" ...
 *
 * Under valgrind --tool=callgrind the same runs give instructions instead (field notes).
 */
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long
cpu_ticks(int pid)
{
	char path[64], buf[4096], *p;
	long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) == NULL || (p = strrchr(buf, ')')) == NULL) {
		fclose(f);
		return 0;
	}
	fclose(f);
	/* after ") ": state is field 3; utime and stime are fields 14 and 15 */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &st) != 2)
		return 0;
	return ut + st;
}

int
main(int argc, char **argv)
{
	char pw[256] = "";
	FILE *f;
	MYSQL *m;
	int pid, n;

	if (argc < 7) {
		fprintf(stderr, "usage: stmt_cost SOCKET PASSWORD_FILE TOKEN_HASH MARIADBD_PID N SQL...\n");
		return 2;
	}
	if ((f = fopen(argv[2], "r")) == NULL || fgets(pw, sizeof(pw), f) == NULL) {
		fprintf(stderr, "stmt_cost: cannot read %s\n", argv[2]);
		return 1;
	}
	fclose(f);
	pw[strcspn(pw, "\n")] = '\0';
	pid = atoi(argv[4]);
	n = atoi(argv[5]);
	m = mysql_init(NULL);
	if (mysql_real_connect(m, NULL, "kesu_app", pw, "kesu", 0, argv[1], 0) == NULL) {
		fprintf(stderr, "stmt_cost: %s\n", mysql_error(m));
		return 1;
	}
	mysql_query(m, "SET time_zone = '+00:00'");
	for (int v = 6; v < argc; v++) {
		MYSQL_STMT *st = mysql_stmt_init(m);
		MYSQL_BIND b[64];
		long long idle = 1800;
		unsigned long nparam;
		struct timespec t0, t1;
		long c0, c1, rows = 0;

		if (mysql_stmt_prepare(st, argv[v], strlen(argv[v])) != 0) {
			fprintf(stderr, "stmt_cost: statement %d: %s\n", v - 5, mysql_stmt_error(st));
			mysql_stmt_close(st);
			continue;
		}
		nparam = mysql_stmt_param_count(st);
		if (nparam > 64)
			nparam = 64;
		memset(b, 0, sizeof(b));
		for (unsigned long i = 0; i < nparam; i++) {
			if (i == 0) {
				b[i].buffer_type = MYSQL_TYPE_STRING;
				b[i].buffer = argv[3];
				b[i].buffer_length = strlen(argv[3]);
			} else {
				b[i].buffer_type = MYSQL_TYPE_LONGLONG;
				b[i].buffer = &idle;
			}
		}
		if (nparam > 0)
			mysql_stmt_bind_param(st, b);
		c0 = cpu_ticks(pid);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int k = 0; k < n; k++) {
			if (mysql_stmt_execute(st) != 0) {
				fprintf(stderr, "stmt_cost: statement %d: %s\n", v - 5, mysql_stmt_error(st));
				break;
			}
			mysql_stmt_store_result(st);
			rows += (long)mysql_stmt_num_rows(st);
			mysql_stmt_free_result(st);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		c1 = cpu_ticks(pid);
		printf("statement %d: mariadbd %.1f us/execution, wall %.1f us/execution, %ld rows/execution\n",
		    v - 5, (double)(c1 - c0) * 1e6 / (double)sysconf(_SC_CLK_TCK) / n,
		    ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / n,
		    n > 0 ? rows / n : 0);
		mysql_stmt_close(st);
	}
	mysql_close(m);
	return 0;
}
