/*
 * floor.c: the bench's floor — the least any C FastCGI page with one indexed MariaDB query costs
 * on this stack, measured behind the same nginx, with as many workers as Kesu, in the same run
 * (tests/bench/run.sh). Not part of the product; built by the bench only.
 *
 *   floor SOCKET WORKERS DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME
 *
 * Two pages, each one prepared statement over the same complaint table Kesu reads:
 *   /floor/list            the newest 50 complaints (Kesu's list columns, its index
 *                          complaint_received), as an HTML table;
 *   /floor/complaint/NUM   one complaint by its number (unique key), as an HTML table.
 * And one write, the least a registration with gapless numbers costs (issue 10):
 *   POST /floor/register   one transaction that takes the year's next number (the row
 *                          kesu_floor.complaint_seq locked to COMMIT, as Kesu's) and inserts one
 *                          complaint into kesu_floor.complaint, a copy of Kesu's table with the
 *                          same rows and the same indexes but none of its triggers (run.sh makes
 *                          it); answered 303 to the new number. The body is read and ignored:
 *                          no session, no validation, no audit event, no search, no statistics.
 * Like Kesu's workers it pre-forks, opens its database connection after fork(), reads the
 * rest of the request and detaches before finishing (shared/field-notes.md), and escapes every
 * cell. It does nothing else: no session, no template, no catalog.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

#define NCOLS 15
#define CELL 512

static const char *const cols_sql =
    "id, number, status, received_at, channel, customer_name, customer_company, customer_phone, "
    "category, severity, customer_vip, owner_name, respond_due, resolve_due, repeat_reason";

struct q {
	MYSQL_STMT *st;
	MYSQL_BIND out[NCOLS];
	char cell[NCOLS][CELL];
	unsigned long len[NCOLS];
	my_bool null[NCOLS];
};

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "floor: %s: %s\n", what, why);
	exit(1);
}

static void
prepare(MYSQL *my, struct q *q, const char *sql)
{
	if ((q->st = mysql_stmt_init(my)) == NULL || mysql_stmt_prepare(q->st, sql, strlen(sql)) != 0)
		die("prepare", mysql_error(my));
	memset(q->out, 0, sizeof(q->out));
	for (int i = 0; i < NCOLS; i++) {
		q->out[i].buffer_type = MYSQL_TYPE_STRING;
		q->out[i].buffer = q->cell[i];
		q->out[i].buffer_length = CELL;
		q->out[i].length = &q->len[i];
		q->out[i].is_null = &q->null[i];
	}
	if (mysql_stmt_bind_result(q->st, q->out) != 0)
		die("bind", mysql_stmt_error(q->st));
}

/* Append s (n bytes), HTML-escaped, to out. */
static void
esc(FCGX_Stream *out, const char *s, unsigned long n)
{
	unsigned long i, from = 0;

	for (i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		FCGX_PutStr(s + from, (int)(i - from), out);
		FCGX_PutS(e, out);
		from = i + 1;
	}
	FCGX_PutStr(s + from, (int)(n - from), out);
}

/* Run q (already bound), print its rows as table rows; returns the number of rows or -1. */
static int
rows(struct q *q, FCGX_Stream *out)
{
	int n = 0, rc;

	if (mysql_stmt_execute(q->st) != 0)
		return -1;
	while ((rc = mysql_stmt_fetch(q->st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
		FCGX_PutS("<tr>", out);
		for (int i = 0; i < NCOLS; i++) {
			FCGX_PutS("<td>", out);
			if (!q->null[i])
				esc(out, q->cell[i], q->len[i] < CELL ? q->len[i] : CELL);
			FCGX_PutS("</td>", out);
		}
		FCGX_PutS("</tr>\n", out);
		n++;
	}
	mysql_stmt_free_result(q->st);
	return rc == MYSQL_NO_DATA ? n : -1;
}

/* The floor's registration: the next number of 2026, one row, COMMIT; the number into out
 * ("261120" and the sequence, as Kesu numbers a complaint received on 2026-11-20).
 * 0, or -1 after a rollback. */
static int
floor_register(MYSQL *my, MYSQL_STMT *seq, MYSQL_STMT *ins, char out[32])
{
	MYSQL_BIND in[2];
	unsigned long nlen;
	unsigned long long n;

	if (mysql_query(my, "START TRANSACTION") != 0)
		return -1;
	if (mysql_stmt_execute(seq) != 0 || (n = mysql_stmt_insert_id(seq)) == 0)
		goto fail;
	snprintf(out, 32, "261120%03llu", n);
	nlen = strlen(out);
	memset(in, 0, sizeof(in));
	in[0].buffer_type = MYSQL_TYPE_STRING;
	in[0].buffer = out;
	in[0].length = &nlen;
	in[1].buffer_type = MYSQL_TYPE_LONGLONG;
	in[1].buffer = &n;
	in[1].is_unsigned = 1;
	if (mysql_stmt_bind_param(ins, in) != 0 || mysql_stmt_execute(ins) != 0)
		goto fail;
	if (mysql_commit(my) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "floor: register: %s\n", mysql_error(my));
	mysql_rollback(my);
	return -1;
}

static void
worker(int sock, const char *dbsock, const char *user, const char *pw, const char *dbname)
{
	MYSQL *my = mysql_init(NULL);
	MYSQL_STMT *seq, *ins;
	static struct q list, one;
	char sql[1024], number[32], drain[4096];
	unsigned long number_len = 0;
	MYSQL_BIND in;
	FCGX_Request fr;
	struct sigaction sa;

	/* libfcgi retries accept() after a signal: a worker simply dies of SIGTERM. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (mysql_real_connect(my, NULL, user, pw, dbname, 0, dbsock, 0) == NULL)
		die("connect", mysql_error(my));
	mysql_set_character_set(my, "utf8mb4");
	snprintf(sql, sizeof(sql), "SELECT %s FROM complaint ORDER BY received_at DESC, id DESC LIMIT 50", cols_sql);
	prepare(my, &list, sql);
	snprintf(sql, sizeof(sql), "SELECT %s FROM complaint WHERE number = ?", cols_sql);
	prepare(my, &one, sql);
	memset(&in, 0, sizeof(in));
	in.buffer_type = MYSQL_TYPE_STRING;
	in.buffer = number;
	in.length = &number_len;
	if (mysql_stmt_bind_param(one.st, &in) != 0)
		die("bind param", mysql_stmt_error(one.st));
	static const char seq_sql[] = "INSERT INTO kesu_floor.complaint_seq (year, last_seq) "
	    "VALUES (2026, LAST_INSERT_ID(1)) ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + 1)";
	static const char ins_sql[] = "INSERT INTO kesu_floor.complaint (number, year, seq, status, "
	    "received_at, channel, customer_name, customer_type, customer_phone, product, description, "
	    "demand, urgency, category, severity, respond_due, resolve_due, owner_uid, owner_name, "
	    "created_by, created_at, updated_at) VALUES (?, 2026, ?, 'registered', '2026-11-20 01:30:00', "
	    "'phone', '压测客户', 'consumer', '13800138000', 'KS-200', 'bench', 'repair', 'normal', "
	    "'product_quality', 3, '2026-11-20 05:30:00', '2026-11-27 01:30:00', 'agent', 'agent', "
	    "'agent', UTC_TIMESTAMP(), UTC_TIMESTAMP())";
	if ((seq = mysql_stmt_init(my)) == NULL || mysql_stmt_prepare(seq, seq_sql, strlen(seq_sql)) != 0 ||
	    (ins = mysql_stmt_init(my)) == NULL || mysql_stmt_prepare(ins, ins_sql, strlen(ins_sql)) != 0)
		die("prepare the registration (run.sh makes kesu_floor)", mysql_error(my));

	FCGX_InitRequest(&fr, sock, 0);
	while (FCGX_Accept_r(&fr) >= 0) {
		const char *uri = FCGX_GetParam("DOCUMENT_URI", fr.envp);
		struct q *q = NULL;
		int n;

		if (uri != NULL && strcmp(uri, "/floor/register") == 0) {
			char num[32];
			while (FCGX_GetStr(drain, sizeof(drain), fr.in) > 0)
				;
			if (floor_register(my, seq, ins, num) == 0)
				FCGX_FPrintF(fr.out, "Status: 303 See Other\r\nLocation: /floor/complaint/%s\r\n"
				    "Content-Type: text/plain\r\n\r\nregistered %s\n", num, num);
			else
				FCGX_PutS("Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n"
				    "database error\n", fr.out);
			FCGX_Detach(&fr);
			FCGX_Finish_r(&fr);
			continue;
		}
		if (uri != NULL && strcmp(uri, "/floor/list") == 0) {
			q = &list;
		} else if (uri != NULL && strncmp(uri, "/floor/complaint/", 17) == 0 &&
		    strlen(uri + 17) > 0 && strlen(uri + 17) < sizeof(number) &&
		    strspn(uri + 17, "0123456789") == strlen(uri + 17)) {
			number_len = strlen(uri + 17);
			memcpy(number, uri + 17, number_len);
			q = &one;
		}
		while (FCGX_GetStr(drain, sizeof(drain), fr.in) > 0)
			;
		if (q == NULL) {
			FCGX_PutS("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnot found\n", fr.out);
		} else {
			/* The body goes out through libfcgi's buffer; the status is known only after the
			 * query, so an error page replaces the table rather than following it. */
			FCGX_PutS("Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
			    "<!doctype html><html><head><title>floor</title></head><body><table>\n", fr.out);
			if ((n = rows(q, fr.out)) < 0)
				FCGX_PutS("<tr><td>database error</td></tr>", fr.out);
			FCGX_PutS("</table></body></html>\n", fr.out);
		}
		FCGX_Detach(&fr);
		FCGX_Finish_r(&fr);
	}
	mysql_close(my);
	exit(0);
}

int
main(int argc, char **argv)
{
	char pw[256] = "";
	FILE *f;
	int sock, nworkers, live = 0;
	pid_t *kids;
	struct sigaction sa;

	if (argc != 7) {
		fprintf(stderr, "usage: floor SOCKET WORKERS DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME\n");
		return 2;
	}
	nworkers = atoi(argv[2]);
	if (nworkers < 1 || nworkers > 64)
		die("workers", "1..64");
	if ((f = fopen(argv[5], "r")) == NULL)
		die(argv[5], strerror(errno));
	if (fgets(pw, sizeof(pw), f) != NULL)
		pw[strcspn(pw, "\r\n")] = '\0';
	fclose(f);
	signal(SIGPIPE, SIG_IGN);
	if (FCGX_Init() != 0)
		die("FCGX_Init", "failed");
	unlink(argv[1]);
	if ((sock = FCGX_OpenSocket(argv[1], 128)) < 0)
		die(argv[1], strerror(errno));
	chmod(argv[1], 0660);
	if ((kids = calloc((size_t)nworkers, sizeof(*kids))) == NULL)
		die("calloc", "out of memory");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (int i = 0; i < nworkers; i++) {
		if ((kids[i] = fork()) == 0)
			worker(sock, argv[3], argv[4], pw, argv[6]);
		if (kids[i] > 0)
			live++;
	}
	/* The master only waits: a worker that dies is not replaced (a bench run is short). */
	while (!stopping && live > 0) {
		if (wait(NULL) > 0)
			live--;
	}
	for (int i = 0; i < nworkers; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	while (wait(NULL) > 0)
		;
	unlink(argv[1]);
	return 0;
}
