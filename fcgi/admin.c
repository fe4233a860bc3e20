/* admin.c: kesu-admin — migrations and the workers' grants, the audit chain check, demo and benchmark data. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin_seed.h"
#include "arena.h"
#include "audit.h"
#include "audit_proof.h"
#include "audit_verify.h"
#include "conf.h"
#include "db.h"
#include "dir.h"
#include "i18n.h"
#include "kesu.h"
#include "notify.h"
#include "search_sync.h"
#include "sweep.h"

#ifndef KESU_DATADIR
#define KESU_DATADIR "/usr/local/share/kesu"
#endif
#ifndef KESU_SYSCONFDIR
#define KESU_SYSCONFDIR "/usr/local/etc"
#endif

/* Exit codes. */
enum { EX_OK = 0, EX_FAILED = 1, EX_USAGE = 2 };


static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: kesu-admin [-c CONF] COMMAND\n"
	    "\n"
	    "commands:\n"
	    "  migrate          apply the new sql/*.sql files (as db.admin_user), then create or\n"
	    "                   update the workers' account db.user and set its grants\n"
	    "  audit verify [--checkpoint SEQ:HASH]...\n"
	    "                   check the whole audit hash chain, through every signed checkpoint and\n"
	    "                   each SEQ:HASH given (kept on paper); names the first broken link\n"
	    "  audit purge-views delete who-looked-at-what rows older than audit.view_retention_days\n"
	    "  seed-demo        register the demo complaints (skipped when there are complaints)\n"
	    "  bench-load [N]   register N generated complaints for benchmarks (default 1000000)\n"
	    "  sweep            issue the reminders, escalations and overdue inquiries that are due\n"
	    "                   (run it every minute: dist/systemd/kesu-sweep.timer); prints a summary,\n"
	    "                   then sends the queued mails as \"mail\" does\n"
	    "  mail             send the queued e-mail notifications (smtp.*), with retries\n"
	    "  search catch-up  write the search's text of every complaint the database node db.host\n"
	    "                   reaches lacks (a Galera node that was not the primary), then of each\n"
	    "                   node of search.nodes; the sweep and every search do it too, a\n"
	    "                   bounded part at a time\n"
	    "  stats close-month [YYYY-MM]\n"
	    "                   freeze a month's statistics as its report (default: the previous\n"
	    "                   month); a month that has a report is left alone (the sweep does this\n"
	    "                   on the 10th)\n"
	    "  stats rebuild    compute the statistics' aggregates again from the complaints (after a\n"
	    "                   change of the business calendar or of app.utc_offset_minutes; stop\n"
	    "                   the workers first)\n"
	    "\n"
	    "  -c CONF          configuration file (default %s/kesu.conf)\n"
	    "  -h, --help       this text\n"
	    "\n"
	    "exit status: 0 ok, 1 a check or an operation failed, 2 usage, configuration or\n"
	    "connection error\n", KESU_SYSCONFDIR);
}

/* ------------------------------------------------------------------------------------------ */
/* connecting: as the workers (db.user) or as the administrator (db.admin_user) */

/*
 * db_open_lazy / db_open_admin, saying on stderr whom it could not connect as; *dbp is closed
 * then. As db.user each statement is prepared at its first use, as in a worker: a command
 * prepares the few it runs (the sweep every minute, not all 350), and a table it never reads
 * cannot stop it (an auditor's verify stalled on a full-text table Groonga held locked, issue 10).
 * kesu-fcgi's master still prepares every statement at its start (db_check_statements).
 */
static int
open_as(struct db **dbp, const struct conf *c, int admin)
{
	if ((admin ? db_open_admin(dbp, c) : db_open_lazy(dbp, c)) == KESU_OK)
		return KESU_OK;
	fprintf(stderr, "kesu-admin: cannot connect as %s (see the log line above)\n",
	    admin ? "db.admin_user" : "db.user");
	db_close(*dbp);
	*dbp = NULL;
	return KESU_EDB;
}

/* ------------------------------------------------------------------------------------------ */
/* migrate */

/*
 * kesu-admin is the one place Kesu builds SQL text. Migration files are SQL text
 * by nature, and CREATE USER, ALTER USER, GRANT and REVOKE take no placeholders.
 * So every name put into such a statement is first checked against
 * [A-Za-z0-9_.%-]+ and then quoted (`name` or 'name'), and the one free-form
 * value, the workers' password, goes through mysql_real_escape_string between
 * single quotes. (Connector/C has no mysql_real_escape_string_quote; the plain
 * function escapes ' " \ NUL CR LF ^Z and, under NO_BACKSLASH_ESCAPES, doubles '.)
 */
static int
valid_name(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '.' || *s == '%' || *s == '-'))
			return 0;
	return 1;
}

/* A string literal for SQL text, quoted and escaped, in a. */
static char *
sql_quote(struct db *db, struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, 2 * n + 3);
	unsigned long m;

	out[0] = '\'';
	m = db_escape(db, out + 1, s, (unsigned long)n);
	out[m + 1] = '\'';
	out[m + 2] = '\0';
	return out;
}

struct split {
	struct db *db;
	const char *file;
	int count;
	int failed;
};

/* Run one statement of a migration file. */
static int
run_statement(const char *sql, int line, void *arg)
{
	struct split *sp = arg;

	if (db_exec_sql(sp->db, sql) != KESU_OK) {
		fprintf(stderr, "kesu-admin: %s: the statement at line %d failed: %u %s\n",
		    sp->file, line, db_errno(sp->db), db_errmsg(sp->db));
		sp->failed = 1;
		return -1;
	}
	sp->count++;
	return 0;
}

/*
 * Split SQL text into statements and call fn(statement, first line, arg) for each
 * one that is not empty; stops at fn's first non-zero return, which it returns.
 * A statement ends at ';' followed by nothing but blanks or a comment up to the
 * end of the line, outside string literals ('...', "...", `...`, with backslash
 * escapes) and comments: "-- " and "#" ones run to the end of the line and are
 * dropped; C-style blocks are kept whole, since MariaDB runs the executable
 * ones (those opening with a '!').
 */
static int
split_sql(const char *p, int (*fn)(const char *, int, void *), void *arg)
{
	struct buf cur;
	int line = 1, start = 1, has = 0, rc = 0;

	buf_init(&cur);
	while (*p != '\0') {
		char ch = *p;

		if (ch == '\'' || ch == '"' || ch == '`') {
			char q = ch;

			if (!has)
				start = line;
			has = 1;
			buf_putc(&cur, *p++);
			while (*p != '\0' && *p != q) {
				if (*p == '\\' && q != '`' && p[1] != '\0')
					buf_putc(&cur, *p++);
				if (*p == '\n')
					line++;
				buf_putc(&cur, *p++);
			}
			if (*p == q)
				buf_putc(&cur, *p++);
			continue;
		}
		if ((ch == '-' && p[1] == '-' && (p[2] == '\0' || p[2] == ' ' || p[2] == '\t' ||
		    p[2] == '\r' || p[2] == '\n')) || ch == '#') {
			while (*p != '\0' && *p != '\n')
				p++;
			buf_putc(&cur, ' ');
			continue;
		}
		if (ch == '/' && p[1] == '*') {
			if (p[2] == '!' || (p[2] == 'M' && p[3] == '!')) {
				if (!has)
					start = line;
				has = 1;
			}
			while (*p != '\0' && !(p[0] == '*' && p[1] == '/')) {
				if (*p == '\n')
					line++;
				buf_putc(&cur, *p++);
			}
			if (*p != '\0') {
				buf_append(&cur, "*/", 2);
				p += 2;
			}
			continue;
		}
		if (ch == ';') {
			const char *q = p + 1;

			while (*q == ' ' || *q == '\t' || *q == '\r')
				q++;
			if (*q == '\0' || *q == '\n' || *q == '#' ||
			    (q[0] == '-' && q[1] == '-' && (q[2] == '\0' || q[2] == ' ' || q[2] == '\t' ||
			    q[2] == '\r' || q[2] == '\n'))) {
				if (has && (rc = fn(cur.p, start, arg)) != 0)
					goto out;
				buf_reset(&cur);
				has = 0;
				p = q;
				continue;
			}
		}
		if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' && !has) {
			start = line;
			has = 1;
		}
		if (ch == '\n')
			line++;
		buf_putc(&cur, *p++);
	}
	/* A last statement without its ';'. */
	if (has)
		rc = fn(cur.p, start, arg);
out:
	buf_free(&cur);
	return rc;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	buf_append(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return b.p;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the *.sql files in dir, sorted; NULL when dir cannot be read. Caller frees each and the array. */
static char **
list_sql(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".sql") != 0 || de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (names == NULL)
		names = xcalloc(1, sizeof(*names));
	qsort(names, *n, sizeof(*names), cmpstr);
	return names;
}

/* Whether version is in the result of SELECT version FROM schema_migration. */
static int
applied(const struct db_res *res, const char *version)
{
	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i][0] != NULL && strcmp(res->rows[i][0], version) == 0)
			return 1;
	return 0;
}

/* Apply the new migration files; prints what it did. EX_* */
static int
apply_migrations(struct db *db, struct arena *a, const char *dir)
{
	struct db_res done;
	char **names;
	size_t n, now = 0;
	int rc = EX_OK;

	if (db_exec_sql(db, "CREATE TABLE IF NOT EXISTS schema_migration ("
	    "version VARCHAR(64) NOT NULL PRIMARY KEY, applied_at DATETIME NOT NULL"
	    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin") != KESU_OK ||
	    db_query_sql(db, a, "SELECT version FROM schema_migration", &done) != KESU_OK) {
		fprintf(stderr, "kesu-admin: cannot read schema_migration: %u %s\n", db_errno(db), db_errmsg(db));
		return EX_FAILED;
	}
	if ((names = list_sql(dir, &n)) == NULL) {
		fprintf(stderr, "kesu-admin: cannot read %s: %s\n", dir, strerror(errno));
		return EX_USAGE;
	}
	for (size_t i = 0; i < n && rc == EX_OK; i++) {
		char *version = arena_strndup(a, names[i], strlen(names[i]) - 4);
		char *path = arena_printf(a, "%s/%s", dir, names[i]);
		struct split sp = { db, names[i], 0, 0 };
		char *text;

		if (applied(&done, version))
			continue;
		if (!valid_name(version)) {
			fprintf(stderr, "kesu-admin: %s: a migration's name must match [A-Za-z0-9_.-]+\n", path);
			rc = EX_FAILED;
			break;
		}
		if ((text = read_file(path)) == NULL) {
			fprintf(stderr, "kesu-admin: cannot read %s: %s\n", path, strerror(errno));
			rc = EX_FAILED;
			break;
		}
		/* DDL commits by itself in MariaDB: each file must be safe to run again (IF NOT EXISTS). */
		split_sql(text, run_statement, &sp);
		free(text);
		if (sp.failed ||
		    db_exec_sql(db, arena_printf(a, "INSERT INTO schema_migration (version, applied_at) "
		    "VALUES (%s, UTC_TIMESTAMP())", sql_quote(db, a, version))) != KESU_OK) {
			fprintf(stderr, "kesu-admin: migration %s failed; it is not recorded as applied\n", version);
			rc = EX_FAILED;
			break;
		}
		printf("applied %s (%d statements)\n", version, sp.count);
		now++;
	}
	if (rc == EX_OK)
		printf("schema up to date: %zu migration%s, %zu applied now\n", n, n == 1 ? "" : "s", now);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* Every privilege a table-level GRANT can give (MariaDB 10.11). */
static const char *const table_privs[] = { "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE",
	"DROP", "GRANT OPTION", "REFERENCES", "INDEX", "ALTER", "CREATE VIEW", "SHOW VIEW",
	"TRIGGER", "DELETE HISTORY", NULL };

/* The workers' rights on a table: the audit trail is append-only, the migrations' log read-only. */
static const char *
app_privs(const char *table)
{
	/* Records that are never edited: the audit trail, electronic signatures, audit reviews,
	 * checkpoints and the log of who looked at what. */
	if (strcmp(table, "audit_event") == 0 || strcmp(table, "signature") == 0 ||
	    strcmp(table, "audit_review") == 0 || strcmp(table, "audit_checkpoint") == 0 ||
	    strcmp(table, "record_view") == 0)
		return "SELECT, INSERT";
	/* Kept by triggers only (sql/031, sql/035), which run with their definer's rights. */
	if (strcmp(table, "schema_migration") == 0 || strcmp(table, "complaint_reader") == 0 ||
	    strcmp(table, "record_gen") == 0)
		return "SELECT";
	return "SELECT, INSERT, UPDATE, DELETE";
}

/* Whether priv is an item of list ("A, B, C"). */
static int
has_priv(const char *list, const char *priv)
{
	size_t l = strlen(priv);

	for (const char *p = list; *p != '\0'; ) {
		size_t n = strcspn(p, ",");

		if (n == l && strncmp(p, priv, l) == 0)
			return 1;
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

/* A statement whose "no such grant" errors (1141, 1147) mean there was nothing to take away. */
static int
revoke_sql(struct db *db, const char *sql)
{
	if (db_exec_sql(db, sql) == KESU_OK)
		return KESU_OK;
	if (db_errno(db) == 1141 || db_errno(db) == 1147)
		return KESU_OK;
	return KESU_EDB;
}

/* Create or update the workers' account and set its grants; prints a summary. EX_* */
static int
set_grants(struct db *db, struct arena *a, const struct conf *c)
{
	const char *name = conf_str(c, "db.name", "kesu");
	const char *user = conf_str(c, "db.user", "kesu_app");
	const char *host = conf_str(c, "db.app_host", "localhost");
	struct db_res tables;
	char *pw, *acct, *qpw;
	size_t nrw = 0;

	if ((pw = conf_secret(c, "db.password_file")) == NULL || *pw == '\0') {
		fprintf(stderr, "kesu-admin: db.password_file is missing, unreadable or empty\n");
		free(pw);
		return EX_USAGE;
	}
	acct = arena_printf(a, "'%s'@'%s'", user, host);
	qpw = sql_quote(db, a, pw);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	/* ALTER too, so a changed password file takes effect; the statements are not printed (password). */
	if (db_exec_sql(db, arena_printf(a, "CREATE USER IF NOT EXISTS %s IDENTIFIED BY %s", acct, qpw)) != KESU_OK ||
	    db_exec_sql(db, arena_printf(a, "ALTER USER %s IDENTIFIED BY %s", acct, qpw)) != KESU_OK) {
		fprintf(stderr, "kesu-admin: cannot create or update the account %s: %u %s\n",
		    acct, db_errno(db), db_errmsg(db));
		return EX_FAILED;
	}

	if (db_query_sql(db, a, "SELECT table_name FROM information_schema.tables "
	    "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
	    &tables) != KESU_OK) {
		fprintf(stderr, "kesu-admin: cannot list the tables: %u %s\n", db_errno(db), db_errmsg(db));
		return EX_FAILED;
	}
	for (size_t i = 0; i < tables.nrows; i++) {
		const char *t = tables.rows[i][0];
		const char *want = app_privs(t);
		struct buf rev;
		int rc;

		if (!valid_name(t) || strchr(t, '%') != NULL) {
			fprintf(stderr, "kesu-admin: table name %s: not granted (unexpected characters)\n", t);
			return EX_FAILED;
		}
		if (db_exec_sql(db, arena_printf(a, "GRANT %s ON `%s`.`%s` TO %s", want, name, t, acct)) != KESU_OK) {
			fprintf(stderr, "kesu-admin: GRANT on %s failed: %u %s\n", t, db_errno(db), db_errmsg(db));
			return EX_FAILED;
		}
		/* Take away anything else granted earlier (UPDATE, DELETE on audit_event above all). */
		buf_init(&rev);
		for (int k = 0; table_privs[k] != NULL; k++)
			if (!has_priv(want, table_privs[k]))
				buf_printf(&rev, "%s%s", rev.len ? ", " : "", table_privs[k]);
		rc = revoke_sql(db, arena_printf(a, "REVOKE %s ON `%s`.`%s` FROM %s", rev.p, name, t, acct));
		buf_free(&rev);
		if (rc != KESU_OK) {
			fprintf(stderr, "kesu-admin: REVOKE on %s failed: %u %s\n", t, db_errno(db), db_errmsg(db));
			return EX_FAILED;
		}
		if (strcmp(want, "SELECT, INSERT, UPDATE, DELETE") == 0)
			nrw++;
	}
	/* Rights on the whole schema would reach audit_event too: only the table grants above count. */
	if (revoke_sql(db, arena_printf(a, "REVOKE ALL PRIVILEGES ON `%s`.* FROM %s", name, acct)) != KESU_OK) {
		fprintf(stderr, "kesu-admin: REVOKE on %s.* failed: %u %s\n", name, db_errno(db), db_errmsg(db));
		return EX_FAILED;
	}
	printf("account %s: SELECT, INSERT, UPDATE, DELETE on %zu tables; "
	    "SELECT, INSERT on audit_event; SELECT on schema_migration\n", acct, nrw);
	return EX_OK;
}

/*
 * Mroonga (the full-text engine of complaint_text, sql/018) installed once: INSTALL SONAME
 * writes mysql.plugin, so it is loaded again at every start of the server. Asked first, so a
 * second migrate (or a server started with --plugin-load-add) changes nothing. EX_*
 */
static int
ensure_mroonga(struct db *db, struct arena *a)
{
	struct db_res res;

	if (db_query_sql(db, a, "SELECT COUNT(*) FROM information_schema.PLUGINS "
	    "WHERE PLUGIN_NAME = 'Mroonga' AND PLUGIN_STATUS = 'ACTIVE'", &res) != KESU_OK) {
		fprintf(stderr, "kesu-admin: cannot list the server's plugins: %u %s\n", db_errno(db), db_errmsg(db));
		return EX_FAILED;
	}
	if (res.nrows == 1 && res.rows[0][0] != NULL && atol(res.rows[0][0]) > 0)
		return EX_OK;
	if (db_exec_sql(db, "INSTALL SONAME 'ha_mroonga'") != KESU_OK) {
		fprintf(stderr, "kesu-admin: cannot install the Mroonga plugin (Debian: mariadb-plugin-mroonga; "
		    "db.admin_user needs INSERT on mysql.plugin): %u %s\n", db_errno(db), db_errmsg(db));
		return EX_FAILED;
	}
	printf("installed the Mroonga full-text engine (ha_mroonga)\n");
	return EX_OK;
}

static int
cmd_migrate(const struct conf *c)
{
	const char *name = conf_str(c, "db.name", "kesu");
	const char *dir = conf_str(c, "paths.sql", KESU_DATADIR "/sql");
	struct arena *a = arena_new();
	struct db *db = NULL;
	int rc = EX_USAGE;

	if (!valid_name(name) || strchr(name, '%') != NULL ||
	    !valid_name(conf_str(c, "db.user", "kesu_app")) ||
	    !valid_name(conf_str(c, "db.app_host", "localhost"))) {
		fprintf(stderr, "kesu-admin: db.name, db.user and db.app_host must match [A-Za-z0-9_.%%-]+ "
		    "(no %% in db.name)\n");
		goto out;
	}
	if (open_as(&db, c, 1) != KESU_OK)
		goto out;
	if (db_exec_sql(db, arena_printf(a, "CREATE DATABASE IF NOT EXISTS `%s` "
	    "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", name)) != KESU_OK ||
	    db_exec_sql(db, arena_printf(a, "USE `%s`", name)) != KESU_OK) {
		fprintf(stderr, "kesu-admin: cannot create or use the database %s: %u %s\n",
		    name, db_errno(db), db_errmsg(db));
		goto out;
	}
	if ((rc = ensure_mroonga(db, a)) != EX_OK || (rc = apply_migrations(db, a, dir)) != EX_OK)
		goto out;
	rc = set_grants(db, a, c);
out:
	db_close(db);
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* audit verify */

#define PAPER_MAX 64

/* kesu-admin audit verify [--checkpoint SEQ:HASH]...: args are what follows "verify". */
static int
cmd_audit_verify(const struct conf *c, int argc, char **argv)
{
	struct chain_checkpoint paper[PAPER_MAX];
	struct chain_proof v;
	size_t np = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--checkpoint") != 0 || i + 1 >= argc || np == PAPER_MAX ||
		    !chain_checkpoint_parse(argv[i + 1], &paper[np])) {
			fprintf(stderr, "kesu-admin: audit verify [--checkpoint SEQ:HASH]... "
			    "(HASH: the 64 hex digits of the event's hash)\n");
			return EX_USAGE;
		}
		np++;
		i++;
	}
	/* The workers' account: the check needs SELECT only (audit_proof.c). */
	if (chain_prove(c, paper, np, &v) != KESU_OK) {
		fprintf(stderr, "kesu-admin: reading the audit trail failed\n");
		return EX_USAGE;
	}
	if (v.bad != 0) {
		printf("audit chain broken at seq %" PRIu64 ": %s\n", v.bad, v.reason);
		return EX_FAILED;
	}
	/* Without checkpoints the line stays what scripts (and db_check.sh) expect. */
	if (v.ncps == 0)
		printf("audit chain intact: %" PRIu64 " events\n", v.n);
	else
		printf("audit chain intact: %" PRIu64 " events; %zu checkpoint%s passed through; head %" PRIu64
		    ":%s\n", v.n, v.passed, v.passed == 1 ? "" : "s", v.n, v.last);
	return EX_OK;
}

/*
 * kesu-admin audit purge-views: who-looked-at-what rows older than audit.view_retention_days
 * (default 1095, three years) are deleted, 10,000 at a time. As db.admin_user: the workers may
 * only INSERT and SELECT record_view, so nobody can thin out the log from the application.
 */
static int
cmd_purge_views(const struct conf *c)
{
	const char *name = conf_str(c, "db.name", "kesu");
	long days = conf_int(c, "audit.view_retention_days", 1095);
	struct arena *a = arena_new();
	struct db *db = NULL;
	uint64_t total = 0;
	int rc = EX_USAGE;

	if (days < 30 || days > 36500 || !valid_name(name) || strchr(name, '%') != NULL) {
		fprintf(stderr, "kesu-admin: audit.view_retention_days must be 30..36500 and db.name a plain name\n");
		goto out;
	}
	if (open_as(&db, c, 1) != KESU_OK)
		goto out;
	rc = EX_FAILED;
	if (db_exec_sql(db, arena_printf(a, "USE `%s`", name)) != KESU_OK)
		goto out;
	for (;;) {
		struct db_res res;

		/* On record_view_at; bounded, so the table is never locked for long. */
		if (db_query_sql(db, a, arena_printf(a, "DELETE FROM record_view WHERE at < "
		    "UTC_TIMESTAMP() - INTERVAL %ld DAY LIMIT 10000", days), &res) != KESU_OK) {
			fprintf(stderr, "kesu-admin: purging record_view failed: %u %s\n", db_errno(db), db_errmsg(db));
			goto out;
		}
		total += res.affected;
		if (res.affected < 10000)
			break;
	}
	printf("record_view: %" PRIu64 " views older than %ld days deleted\n", total, days);
	rc = EX_OK;
out:
	db_close(db);
	arena_free(a);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* seed-demo and bench-load: admin_seed.c registers them through the form's path */

static int
cmd_load(const struct conf *c, const char *what, const char *arg)
{
	long utc_offset_min = conf_int(c, "app.utc_offset_minutes", 480);
	unsigned long long n = 1000000;
	struct db *db = NULL;
	char *end;
	int rc;

	if (arg != NULL) {
		errno = 0;
		n = strtoull(arg, &end, 10);
		if (errno != 0 || *end != '\0' || n == 0 || n > 100000000ULL) {
			fprintf(stderr, "kesu-admin: bench-load N: N must be 1 .. 100000000\n");
			return EX_USAGE;
		}
	}
	/* The workers' account: complaints are registered as the form does. */
	if (open_as(&db, c, 0) != KESU_OK)
		return EX_USAGE;
	rc = strcmp(what, "seed-demo") == 0 ? admin_seed_demo(db, utc_offset_min)
	    : admin_bench_load(db, (long)n, utc_offset_min);
	db_close(db);
	if (rc != KESU_OK) {
		fprintf(stderr, "kesu-admin: %s failed\n", what);
		return EX_FAILED;
	}
	return EX_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* sweep: the overdue documents (sweep.c) */

static int mail_run(const struct conf *c, struct db *db);
static int search_sync_report(struct db *db, const char *label, int max_batches, int all);
static int search_sync_nodes(const struct conf *c, int max_batches, int all);
/* Batches of SEARCH_SYNC_BATCH rows a sweep writes at most (10,000 rows); the command: all. */
#define SWEEP_SEARCH_BATCHES 20

static int
cmd_sweep(const struct conf *c)
{
	struct sweep_counts n;
	struct db *db = NULL;
	int rc;

	/* The workers' account: documents and audit records are written as the pages write them. */
	if (open_as(&db, c, 0) != KESU_OK)
		return EX_USAGE;
	rc = sweep_run(db, conf_int(c, "app.utc_offset_minutes", 480), time(NULL), &n);
	if (rc == KESU_OK) {
		/* the monthly close, from the 10th on (once); a failure is said, the mails still go */
		struct stats_weights w = { conf_int(c, "kpi.weight_timeliness", 30),
			conf_int(c, "kpi.weight_satisfaction", 40), conf_int(c, "kpi.weight_resolution", 30) };
		int did;
		if (sweep_stats_close(db, conf_int(c, "app.utc_offset_minutes", 480), time(NULL), &w, &did) != KESU_OK)
			fprintf(stderr, "kesu-admin: the monthly close failed (see the log lines above); the next run tries again\n");
		else if (did)
			printf("sweep: the previous month's statistics frozen as its report\n");
	}
	if (rc != KESU_OK) {
		db_close(db);
		fprintf(stderr, "kesu-admin: sweep failed (see the log lines above); each complaint's documents are written whole or not at all\n");
		return EX_FAILED;
	}
	if (n.busy_holder != NULL)
		printf("sweep: another run holds the lease (%s, until %s UTC); nothing done\n",
		    n.busy_holder, n.busy_until);
	else
		printf("sweep: %lu complaints examined, %lu reminders, %lu escalations, %lu inquiries issued\n",
		    n.complaints, n.reminders, n.escalations, n.inquiries);
	(void)search_sync_report(db, "the node db.host reaches", SWEEP_SEARCH_BATCHES, 0);
	/* The reminders just issued, and anything the pages queued, go out now. */
	rc = mail_run(c, db);
	db_close(db);
	(void)search_sync_nodes(c, SWEEP_SEARCH_BATCHES, 0);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* search catch-up: this node's Mroonga search tables up to the replicated journal (search_sync.c) */


/*
 * Catch the node db reaches up: at most max_batches batches, or everything when all; says what
 * was written, naming the node as label. 1 when rows are still waiting, 0 when none, -1 on an
 * error (said).
 */
static int
search_sync_report(struct db *db, const char *label, int max_batches, int all)
{
	struct arena *a = arena_new();
	unsigned long written = 0, sum = 0;
	int behind = 0, rc;

	do {
		rc = search_catch_up(db, a, SEARCH_SYNC_BATCH, max_batches, &written, &behind);
		sum += written;
	} while (rc == KESU_OK && all && behind);
	arena_free(a);
	if (rc != KESU_OK) {
		fprintf(stderr, "kesu-admin: search: the text on %s could not be brought up to date\n", label);
		return -1;
	}
	if (sum > 0 || behind)
		printf("search: %s brought up to the journal, %lu rows written%s\n", label, sum,
		    behind ? "; more waiting for the next run" : "");
	return behind;
}

static void
copy_key(const char *key, const char *val, void *arg)
{
	conf_set(arg, key, val);
}

/*
 * search.nodes ("host:port, host:port"): every database node by its own address. Catching up
 * each of them, not only the node the configuration reaches (the primary, through HAProxy),
 * keeps a backup node's search tables current before it ever becomes the primary. A node that
 * cannot be reached is said and skipped: it catches up when it is back. 1 when one failed.
 */
static int
search_sync_nodes(const struct conf *c, int max_batches, int all)
{
	char *list = strdup(conf_str(c, "search.nodes", "")), *save = NULL;
	int failed = 0;

	for (char *t = strtok_r(list, ", ", &save); t != NULL; t = strtok_r(NULL, ", ", &save)) {
		struct conf *nc = conf_new();
		struct db *db = NULL;
		char *colon = strrchr(t, ':'), label[160];

		conf_each(c, "", copy_key, nc);
		if (colon != NULL) {
			*colon = '\0';
			conf_set(nc, "db.port", colon + 1);
		}
		conf_set(nc, "db.host", t);
		conf_set(nc, "db.socket", "");
		snprintf(label, sizeof(label), "node %s:%s", t, colon != NULL ? colon + 1 : "3306");
		if (db_open_lazy(&db, nc) != KESU_OK) {
			fprintf(stderr, "kesu-admin: search: %s cannot be reached; it catches up when it is back\n", label);
			failed = 1;
		} else if (search_sync_report(db, label, max_batches, all) < 0) {
			failed = 1;
		}
		db_close(db);
		conf_free(nc);
	}
	free(list);
	return failed;
}

static int
cmd_search(const struct conf *c, int argc, char **argv)
{
	struct db *db = NULL;
	int failed;

	if (argc != 1 || strcmp(argv[0], "catch-up") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	if (open_as(&db, c, 0) != KESU_OK)
		return EX_USAGE;
	failed = search_sync_report(db, "the node db.host reaches", SWEEP_SEARCH_BATCHES, 1) < 0;
	db_close(db);
	failed |= search_sync_nodes(c, SWEEP_SEARCH_BATCHES, 1);
	return failed ? EX_FAILED : EX_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* stats: the monthly close and the aggregates (stats_figures.c, sql/022) */

static int
cmd_stats(const struct conf *c, int argc, char **argv)
{
	long off = conf_int(c, "app.utc_offset_minutes", 480);
	struct db *db = NULL;
	struct arena *a;
	int rc, ex = EX_OK;

	if (argc >= 1 && strcmp(argv[0], "rebuild") == 0 && argc == 1) {
		if (open_as(&db, c, 1) != KESU_OK)
			return EX_USAGE;
		if (db_exec_sql(db, "CALL stats_rebuild()") != KESU_OK) {
			fprintf(stderr, "kesu-admin: stats rebuild failed: %u %s\n", db_errno(db), db_errmsg(db));
			ex = EX_FAILED;
		} else {
			printf("stats: the aggregates are computed again from the complaints\n");
		}
		db_close(db);
		return ex;
	}
	if (argc < 1 || argc > 2 || strcmp(argv[0], "close-month") != 0) {
		usage(stderr);
		return EX_USAGE;
	}
	if (open_as(&db, c, 0) != KESU_OK)
		return EX_USAGE;
	a = arena_new();
	{
		static const struct audit_actor who = { "kesu-admin", "kesu-admin stats close-month", "system",
			"stats-close-month", "127.0.0.1" };
		struct stats_weights w = { conf_int(c, "kpi.weight_timeliness", 30),
			conf_int(c, "kpi.weight_satisfaction", 40), conf_int(c, "kpi.weight_resolution", 30) };
		char month[8], hash[65];
		int did;

		if (argc == 2) {
			snprintf(month, sizeof(month), "%s", argv[1]);
		} else {
			/* the previous month of today, local time */
			time_t lt = time(NULL) + off * 60;
			struct tm tm;
			char today[11];
			gmtime_r(&lt, &tm);
			strftime(today, sizeof(today), "%Y-%m-10", &tm);
			stats_close_target(today, month);
		}
		rc = stats_freeze_month(db, a, off, time(NULL), month, &w, &who, 0, &did, hash);
		if (rc == KESU_EINPUT) {
			fprintf(stderr, "kesu-admin: %s is not a month (YYYY-MM)\n", argc == 2 ? argv[1] : month);
			ex = EX_USAGE;
		} else if (rc != KESU_OK) {
			fprintf(stderr, "kesu-admin: stats close-month failed (see the log lines above)\n");
			ex = EX_FAILED;
		} else if (did) {
			printf("stats: %s frozen as its report (%s)\n", month, hash);
		} else {
			printf("stats: %s has a report already (%s); nothing done\n", month, hash);
		}
	}
	arena_free(a);
	db_close(db);
	return ex;
}

/* ------------------------------------------------------------------------------------------ */
/* mail: send what the outbox holds (notify.c) */

static int
mail_run(const struct conf *c, struct db *db)
{
	struct notify_counts n;
	struct dir *dir;
	char *err = NULL;
	int rc;

	if (conf_int(c, "smtp.enabled", 0) != 1)
		return EX_OK;
	if (i18n_load(conf_str(c, "paths.po", KESU_DATADIR "/po"), &err) != 0) {
		fprintf(stderr, "kesu-admin: the catalogs: %s\n", err);
		free(err);
		return EX_USAGE;
	}
	dir = dir_open(c);
	rc = notify_send(db, dir, c, &n);
	dir_close(dir);
	i18n_free();
	if (rc != KESU_OK) {
		fprintf(stderr, "kesu-admin: mail failed (see the log lines above); unsent mails stay queued\n");
		return EX_FAILED;
	}
	printf("mail: %lu mails sent for %lu items, %lu to retry, %lu given up\n", n.mails, n.items,
	    n.retry, n.failed);
	return EX_OK;
}

static int
cmd_mail(const struct conf *c)
{
	struct db *db = NULL;
	int rc;

	if (open_as(&db, c, 0) != KESU_OK)
		return EX_USAGE;
	rc = mail_run(c, db);
	db_close(db);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */

int
main(int argc, char **argv)
{
	const char *path = KESU_SYSCONFDIR "/kesu.conf";
	struct conf *c;
	char *err = NULL;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EX_OK;
		} else if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else {
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	/* kesu-admin talks on stdout; the library's log lines (errors, warnings) go to stderr. */
	kesu_log_level(LOG_LVL_WARN);
	if ((c = conf_load(path, &err)) == NULL) {
		fprintf(stderr, "kesu-admin: %s\n", err != NULL ? err : path);
		free(err);
		return EX_USAGE;
	}
	if (strcmp(argv[i], "migrate") == 0 && i + 1 == argc)
		rc = cmd_migrate(c);
	else if (strcmp(argv[i], "audit") == 0 && i + 2 == argc && strcmp(argv[i + 1], "purge-views") == 0)
		rc = cmd_purge_views(c);
	else if (strcmp(argv[i], "audit") == 0 && i + 2 <= argc && strcmp(argv[i + 1], "verify") == 0)
		rc = cmd_audit_verify(c, argc - i - 2, argv + i + 2);
	else if (strcmp(argv[i], "seed-demo") == 0 && i + 1 == argc)
		rc = cmd_load(c, "seed-demo", NULL);
	else if (strcmp(argv[i], "sweep") == 0 && i + 1 == argc)
		rc = cmd_sweep(c);
	else if (strcmp(argv[i], "mail") == 0 && i + 1 == argc)
		rc = cmd_mail(c);
	else if (strcmp(argv[i], "search") == 0 && i + 1 < argc)
		rc = cmd_search(c, argc - i - 1, argv + i + 1);
	else if (strcmp(argv[i], "stats") == 0 && i + 1 < argc)
		rc = cmd_stats(c, argc - i - 1, argv + i + 1);
	else if (strcmp(argv[i], "bench-load") == 0 && i + 2 >= argc)
		rc = cmd_load(c, "bench-load", argv[i + 1]);
	else {
		usage(stderr);
		rc = EX_USAGE;
	}
	conf_free(c);
	return rc;
}
