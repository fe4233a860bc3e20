/* db.c: MariaDB for one worker — one connection, every statement prepared at connect, transactions retried once. */
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "crypto.h"
#include "db.h"

/*
 * Bytes of scratch buffer per result column. Shorter values are copied from it;
 * longer ones (descriptions, JSON) are fetched a second time straight into the
 * arena with mysql_stmt_fetch_column, so the worker's own memory stays small.
 */
#define DB_CELL 256

/* One prepared statement and the bind buffers reused by every execution. */
struct db_sh {
	MYSQL_STMT *st;
	unsigned nparam, ncol;
	MYSQL_BIND *pbind;
	union pval {
		int64_t i;
		uint64_t u;
		double d;
	} *pval;
	unsigned long *plen;
	MYSQL_BIND *rbind;
	char *rbuf;              /* ncol * DB_CELL */
	unsigned long *rlen;
	my_bool *rnull;
	my_bool *rerr;
	unsigned char *rdate;    /* per column: DB_DATETIME, DB_DATE, or 0 (fetched as text) */
};

/* Columns fetched as MYSQL_TIME and written out by fmt_time() (see bind_dates). */
enum { DB_DATETIME = 1, DB_DATE = 2 };

struct db {
	MYSQL *my;               /* NULL while disconnected */
	struct conf *c;          /* our copy of the db.* keys: survives a reload of the caller's */
	int admin;               /* kesu-admin: the owner's account, no statement table */
	int lost;                /* reconnect before the next use */
	int in_tx;               /* inside db_tx's fn: never reconnect here */
	int tx_retry;            /* this attempt hit a lost connection, a deadlock or a lock timeout */
	int lazy;                /* a worker's: each statement prepared at its first use */
	int bad_stmt;            /* the last prepare failed because of the statement itself */
	unsigned err;            /* the last server error, 0 after a success */
	char errmsg[MYSQL_ERRMSG_SIZE + 64];   /* its message (values redacted for workers' statements) */
	struct db_sh sh[STMT__MAX];
	struct db_chain_head head;   /* audit.c's, for the running transaction */
};

static void
copy_key(const char *rest, const char *val, void *arg)
{
	char key[128];

	snprintf(key, sizeof(key), "db.%s", rest);
	conf_set(arg, key, val);
}

/*
 * An error message without what was between single quotes: MariaDB echoes values
 * there ("Duplicate entry '138...' for key ..."), and values may be phone numbers.
 */
static void
redact(char *out, size_t n, const char *msg)
{
	size_t o = 0;
	int inq = 0;

	for (; *msg != '\0' && o + 2 < n; msg++) {
		if (*msg == '\'') {
			out[o++] = '\'';
			if (!inq)
				out[o++] = '?';
			inq = !inq;
		} else if (!inq)
			out[o++] = *msg;
	}
	out[o] = '\0';
}

/* How db_fail treats a failure. */
enum fail_mode {
	FAIL_LOG,                /* a worker's statement: log it, values redacted */
	FAIL_QUIET,              /* kesu-admin's SQL: kept whole for db_errmsg, not logged */
};

/*
 * Record a failure of statement what (an enum stmt index, or -1 with label for
 * the transaction commands and kesu-admin's SQL) and classify it. Returns the
 * kesu error for it.
 */
static int
db_fail(struct db *db, int what, const char *label, unsigned err, const char *msg, enum fail_mode mode)
{
	char *safe = db->errmsg, who[64];

	if (what >= 0)
		snprintf(who, sizeof(who), "stmt %d", what);
	else
		snprintf(who, sizeof(who), "%s", label);
	db->err = err;
	if (mode == FAIL_LOG)
		redact(safe, sizeof(db->errmsg), msg);
	else
		snprintf(safe, sizeof(db->errmsg), "%s", msg);
	if (mode == FAIL_QUIET) {
		if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
		    err == CR_SERVER_LOST_EXTENDED || err == ER_CONNECTION_KILLED)
			db->lost = 1;
		return err == ER_DUP_ENTRY ? KESU_ECONFLICT : KESU_EDB;
	}
	switch (err) {
	case ER_DUP_ENTRY:
		/* Expected (a unique number taken meanwhile); the caller decides. */
		LOG_INFO("%s: duplicate key (1062)", who);
		return KESU_ECONFLICT;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_COMMANDS_OUT_OF_SYNC:
	case ER_CONNECTION_KILLED:
		/* Reconnect is off: the server rolled back whatever was open. */
		db->lost = 1;
		db->tx_retry = 1;
		LOG_ERR("%s: connection lost (%u %s)", who, err, safe);
		return KESU_EDB;
	case ER_UNKNOWN_COM_ERROR:
		/*
		 * Galera: "WSREP has not yet prepared node for application use" — the node
		 * left the primary component and rolled back. Another connection through
		 * HAProxy reaches a node that is in it (docs/scale-out.md).
		 */
		db->lost = 1;
		db->tx_retry = 1;
		LOG_ERR("%s: the node is not in the cluster's primary component (%u %s)", who, err, safe);
		return KESU_EDB;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		/* Also Galera's certification conflict, reported at COMMIT: nothing was stored. */
		db->tx_retry = 1;
		LOG_WARN("%s: %u %s", who, err, safe);
		return KESU_EDB;
	default:
		LOG_ERR("%s: %u %s", who, err, safe);
		return KESU_EDB;
	}
}

static void
sh_free(struct db_sh *sh)
{
	free(sh->pbind);
	free(sh->pval);
	free(sh->plen);
	free(sh->rbind);
	free(sh->rbuf);
	free(sh->rlen);
	free(sh->rnull);
	free(sh->rerr);
	free(sh->rdate);
	memset(sh, 0, sizeof(*sh));
}

/* Allocate the bind arrays of a freshly prepared statement (kept across reconnects when the shape is the same). */
static void
sh_alloc(struct db_sh *sh, unsigned nparam, unsigned ncol)
{
	MYSQL_STMT *st = sh->st;

	if (sh->pbind != NULL || sh->rbind != NULL) {
		if (sh->nparam == nparam && sh->ncol == ncol)
			return;
		sh_free(sh);
		sh->st = st;
	}
	sh->nparam = nparam;
	sh->ncol = ncol;
	if (nparam > 0) {
		sh->pbind = xcalloc(nparam, sizeof(MYSQL_BIND));
		sh->pval = xcalloc(nparam, sizeof(union pval));
		sh->plen = xcalloc(nparam, sizeof(unsigned long));
	}
	if (ncol > 0) {
		sh->rbind = xcalloc(ncol, sizeof(MYSQL_BIND));
		sh->rbuf = xmalloc((size_t)ncol * DB_CELL);
		sh->rlen = xcalloc(ncol, sizeof(unsigned long));
		sh->rnull = xcalloc(ncol, sizeof(my_bool));
		sh->rerr = xcalloc(ncol, sizeof(my_bool));
		sh->rdate = xcalloc(ncol, 1);
		for (unsigned i = 0; i < ncol; i++) {
			MYSQL_BIND *b = &sh->rbind[i];
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = sh->rbuf + (size_t)i * DB_CELL;
			b->buffer_length = DB_CELL;
			b->length = &sh->rlen[i];
			b->is_null = &sh->rnull[i];
			b->error = &sh->rerr[i];
		}
	}
}

/* Close the statements and the connection; the bind buffers stay for the next connection. */
static void
db_disconnect(struct db *db)
{
	for (int i = 0; i < STMT__MAX; i++)
		if (db->sh[i].st != NULL) {
			mysql_stmt_close(db->sh[i].st);
			db->sh[i].st = NULL;
		}
	if (db->my != NULL) {
		mysql_close(db->my);
		db->my = NULL;
	}
}

/*
 * DATETIME/TIMESTAMP (without fractions) and DATE columns are fetched as MYSQL_TIME and
 * written as "YYYY-MM-DD HH:MM:SS" / "YYYY-MM-DD" by fmt_time(), the same text the client
 * library would make: its conversion runs sprintf per value, a tenth of a list page's
 * instructions (three dates a row). Every other column is fetched as text.
 */
static void
bind_dates(struct db_sh *sh)
{
	MYSQL_RES *meta;
	MYSQL_FIELD *f;

	if (sh->ncol == 0 || (meta = mysql_stmt_result_metadata(sh->st)) == NULL)
		return;
	f = mysql_fetch_fields(meta);
	for (unsigned i = 0; i < sh->ncol && f != NULL; i++) {
		MYSQL_BIND *b = &sh->rbind[i];

		sh->rdate[i] = 0;
		b->buffer_type = MYSQL_TYPE_STRING;
		b->buffer_length = DB_CELL;
		if ((f[i].type == MYSQL_TYPE_DATETIME || f[i].type == MYSQL_TYPE_TIMESTAMP) && f[i].decimals == 0)
			sh->rdate[i] = DB_DATETIME;
		else if (f[i].type == MYSQL_TYPE_DATE)
			sh->rdate[i] = DB_DATE;
		if (sh->rdate[i] != 0) {
			b->buffer_type = sh->rdate[i] == DB_DATE ? MYSQL_TYPE_DATE : MYSQL_TYPE_DATETIME;
			b->buffer_length = sizeof(MYSQL_TIME);
		}
	}
	mysql_free_result(meta);
}

/* Write n digits of v at p. */
static void
put_digits(char *p, unsigned v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* t as the client library writes it; the length (19 or 10), or 0 when it cannot be written so. */
static size_t
fmt_time(const MYSQL_TIME *t, int kind, char out[20])
{
	if (t->year > 9999 || t->month > 12 || t->day > 31 || t->hour > 23 || t->minute > 59 ||
	    t->second > 59 || t->neg)
		return 0;
	put_digits(out, t->year, 4);
	out[4] = '-';
	put_digits(out + 5, t->month, 2);
	out[7] = '-';
	put_digits(out + 8, t->day, 2);
	if (kind == DB_DATE)
		return 10;
	out[10] = ' ';
	put_digits(out + 11, t->hour, 2);
	out[13] = ':';
	put_digits(out + 14, t->minute, 2);
	out[16] = ':';
	put_digits(out + 17, t->second, 2);
	return 19;
}

/* Prepare statement i on the connection. KESU_OK, or KESU_EDB (logged; db->bad_stmt set when
 * the statement itself is wrong rather than the connection). */
static int
prepare_one(struct db *db, int i)
{
	{
		struct db_sh *sh = &db->sh[i];
		const char *sql = db_stmt_sql((enum stmt)i);

		db->bad_stmt = 1;
		if (sql == NULL) {
			LOG_ERR("statement %d has no SQL in db_stmt.c", i);
			return KESU_EDB;
		}
		if ((sh->st = mysql_stmt_init(db->my)) == NULL) {
			LOG_ERR("mysql_stmt_init: %s", mysql_error(db->my));
			db->bad_stmt = 0;
			return KESU_EDB;
		}
		if (mysql_stmt_prepare(sh->st, sql, strlen(sql)) != 0) {
			/* No parameter values exist yet: the whole message and the SQL are safe to log. */
			db->err = mysql_stmt_errno(sh->st);
			/* a lost connection is not the statement's fault */
			db->bad_stmt = db->err != CR_SERVER_LOST && db->err != CR_SERVER_GONE_ERROR &&
			    db->err < 2000;
			/* the message belongs to the handle: logged before it is closed */
			LOG_ERR("cannot prepare statement %d: %u %s; SQL: %s", i, db->err,
			    mysql_stmt_error(sh->st), sql);
			mysql_stmt_close(sh->st);
			sh->st = NULL;
			return KESU_EDB;
		}
		/* The bind string of the table must name every "?" of the SQL: checked here, at
		 * start-up, so that a statement and its callers cannot drift apart unnoticed. */
		if (db_stmt_binds((enum stmt)i) == NULL ||
		    strlen(db_stmt_binds((enum stmt)i)) != mysql_stmt_param_count(sh->st)) {
			LOG_ERR("statement %d takes %lu parameters, its bind string \"%s\" names %zu", i,
			    (unsigned long)mysql_stmt_param_count(sh->st), db_stmt_binds((enum stmt)i) ?
			    db_stmt_binds((enum stmt)i) : "(none)", db_stmt_binds((enum stmt)i) ?
			    strlen(db_stmt_binds((enum stmt)i)) : (size_t)0);
			return KESU_EDB;
		}
		sh_alloc(sh, (unsigned)mysql_stmt_param_count(sh->st), mysql_stmt_field_count(sh->st));
		bind_dates(sh);
	}
	db->bad_stmt = 0;
	return KESU_OK;
}

static int
prepare_all(struct db *db)
{
	for (int i = 0; i < STMT__MAX; i++)
		if (prepare_one(db, i) != KESU_OK)
			return KESU_EDB;
	return KESU_OK;
}

/* Connect (and for workers prepare everything). KESU_OK, or KESU_EDB with db->lost set. */
/* One statement of the connection's set-up; a result, if any, is read and dropped. */
static int
db_plain(struct db *db, const char *sql)
{
	MYSQL_RES *res;

	if (mysql_real_query(db->my, sql, strlen(sql)) != 0) {
		db->err = mysql_errno(db->my);
		LOG_ERR("%s: %u %s", sql, db->err, mysql_error(db->my));
		return KESU_EDB;
	}
	if ((res = mysql_store_result(db->my)) != NULL)
		mysql_free_result(res);
	return KESU_OK;
}

static int
db_connect(struct db *db)
{
	unsigned int ct = (unsigned)conf_int(db->c, "db.connect_timeout", 3);
	/* kesu-admin's schema connection waits as long as a migration takes: an index built over a
	 * million complaints needs more than a page's 10 s (db.admin_read_timeout, 0: none). */
	unsigned int rt = db->admin ? (unsigned)conf_int(db->c, "db.admin_read_timeout", 3600)
	    : (unsigned)conf_int(db->c, "db.read_timeout", 10);
	unsigned int wt = (unsigned)conf_int(db->c, "db.write_timeout", 10);
	my_bool off = 0;
	const char *sock = conf_str(db->c, "db.socket", NULL);
	const char *host = conf_str(db->c, "db.host", "127.0.0.1");
	const char *name = conf_str(db->c, "db.name", "kesu");
	const char *user = db->admin ? conf_str(db->c, "db.admin_user", "kesu_owner")
	    : conf_str(db->c, "db.user", "kesu_app");
	const char *pwkey = db->admin ? "db.admin_password_file" : "db.password_file";
	unsigned port = (unsigned)conf_int(db->c, "db.port", 3306);
	char session_sql[256];
	char *pw = NULL;
	int rc = KESU_EDB;

	db_disconnect(db);
	db->lost = 1;
	if (sock != NULL && *sock == '\0')
		sock = NULL;
	if ((pw = conf_secret(db->c, pwkey)) == NULL) {
		LOG_ERR("no database password: %s is missing or unreadable", pwkey);
		return KESU_EDB;
	}
	if ((db->my = mysql_init(NULL)) == NULL) {
		LOG_ERR("mysql_init failed");
		goto out;
	}
	/* Timeouts default to none; reconnect must stay off (field notes: half-written transactions). */
	mysql_optionsv(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_optionsv(db->my, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_optionsv(db->my, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	mysql_optionsv(db->my, MYSQL_OPT_RECONNECT, &off);
	mysql_optionsv(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Client flags 0: never CLIENT_MULTI_STATEMENTS. kesu-admin connects without a schema (it may not exist yet). */
	if (mysql_real_connect(db->my, sock != NULL ? NULL : host, user, pw,
	    db->admin ? NULL : name, sock != NULL ? 0 : port, sock, 0) == NULL) {
		db->err = mysql_errno(db->my);
		LOG_ERR("cannot connect to %s as %s: %u %s", sock != NULL ? sock : host, user,
		    db->err, mysql_error(db->my));
		goto out;
	}
	/*
	 * UTC for every DATETIME the server computes. Autocommit on, whatever the
	 * server's default, since only db_tx opens transactions. Strict mode for every
	 * table, so a value that does not fit fails instead of being cut (an audit
	 * event's hash covers the exact bytes). Lock waits give up before the read
	 * timeout, so a long wait ends as a clean 1205 (retried) rather than as a
	 * connection cut by the client.
	 */
	snprintf(session_sql, sizeof(session_sql), "SET time_zone = '+00:00', autocommit = 1, "
	    "sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES'), "
	    "innodb_lock_wait_timeout = %u", rt == 0 || db->admin ? 50 : rt > 2 ? rt - 2 : 1);
	if (mysql_real_query(db->my, session_sql, strlen(session_sql)) != 0) {
		db->err = mysql_errno(db->my);
		LOG_ERR("cannot set the session: %u %s", db->err, mysql_error(db->my));
		goto out;
	}
	/*
	 * db.causal_reads (Galera, docs/scale-out.md): a new connection may land on another node
	 * than the last one (failover); one read with wsrep_sync_wait waits until this node has
	 * applied every transaction the cluster committed before it, so no page misses a write
	 * already acknowledged. Afterwards every write goes through this node, which sees its own.
	 * The barrier reads a table: a SELECT of no table might not wait.
	 */
	if (!db->admin && conf_int(db->c, "db.causal_reads", 0) &&
	    (db_plain(db, "SET SESSION wsrep_sync_wait = 1") != KESU_OK ||
	     db_plain(db, "SELECT COUNT(*) FROM audit_head") != KESU_OK ||
	     db_plain(db, "SET SESSION wsrep_sync_wait = 0") != KESU_OK))
		goto out;
	if (!db->admin && !db->lazy && prepare_all(db) != KESU_OK)
		goto out;
	db->lost = 0;
	rc = KESU_OK;
out:
	/* Not kept: a changed password file takes effect at the next connect. */
	explicit_bzero(pw, strlen(pw));
	free(pw);
	if (rc != KESU_OK)
		db_disconnect(db);
	return rc;
}

static int
db_open_as(struct db **dbp, const struct conf *c, int admin, int lazy)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->c = conf_new();
	conf_each(c, "db.", copy_key, db->c);
	db->admin = admin;
	db->lazy = lazy;
	db->lost = 1;
	*dbp = db;
	return db_connect(db);
}

int
db_open(struct db **dbp, const struct conf *c)
{
	return db_open_as(dbp, c, 0, 0);
}

int
db_open_lazy(struct db **dbp, const struct conf *c)
{
	return db_open_as(dbp, c, 0, 1);
}

int
db_library_init(void)
{
	return mysql_library_init(0, NULL, NULL) == 0 ? 0 : -1;
}

int
db_check_statements(const struct conf *c)
{
	struct db *db = NULL;
	int rc = db_open_as(&db, c, 0, 0), bad = db != NULL && db->bad_stmt;

	db_close(db);
	return rc == KESU_OK ? KESU_OK : bad ? KESU_EINTERNAL : KESU_EDB;
}

int
db_open_admin(struct db **dbp, const struct conf *c)
{
	return db_open_as(dbp, c, 1, 0);
}

/*
 * Whether an idle connection is still up, without a round trip: an idle socket
 * has nothing to read, so readable means the server closed it (restart, KILL,
 * wait_timeout) or sent its last error packet. With TLS a readable socket may
 * hold a session ticket, so there only a hang-up counts.
 */
static int
db_alive(struct db *db)
{
	struct pollfd p;

	if (db->my == NULL || db->lost)
		return 0;
	p.fd = (int)mysql_get_socket(db->my);
	p.events = POLLIN | POLLRDHUP;
	p.revents = 0;
	if (p.fd < 0 || poll(&p, 1, 0) < 0)
		return 0;
	if (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))
		return 0;
	if ((p.revents & POLLIN) && mysql_get_ssl_cipher(db->my) == NULL)
		return 0;
	return 1;
}

int
db_ensure(struct db *db)
{
	if (db->in_tx)
		return db->lost ? KESU_EDB : KESU_OK;
	if (db_alive(db))
		return KESU_OK;
	if (!db->lost && db->my != NULL)
		LOG_WARN("the database closed the connection; reconnecting");
	return db_connect(db);
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	for (int i = 0; i < STMT__MAX; i++)
		sh_free(&db->sh[i]);
	conf_free(db->c);
	free(db);
}

unsigned
db_errno(const struct db *db)
{
	return db->err;
}

const char *
db_errmsg(const struct db *db)
{
	return db->err != 0 ? db->errmsg : "";
}

int
db_in_tx(const struct db *db)
{
	return db->in_tx;
}

struct db_chain_head *
db_chain_head(struct db *db)
{
	return &db->head;
}

/* Bind the parameters named by fmt from ap. KESU_OK or KESU_EINTERNAL (a caller's bug). */
static int
bind_params(struct db_sh *sh, enum stmt id, const char *fmt, va_list ap)
{
	size_t n = strlen(fmt);

	/* A caller passes exactly the statement's bind string (db_stmt.c), never another. */
	if (n != sh->nparam || (db_stmt_binds(id) != NULL && strcmp(fmt, db_stmt_binds(id)) != 0)) {
		LOG_ERR("stmt %d takes \"%s\", a caller passed \"%s\"", id, db_stmt_binds(id) ? db_stmt_binds(id) : "?",
		    fmt);
		return KESU_EINTERNAL;
	}
	for (unsigned i = 0; i < sh->nparam; i++) {
		MYSQL_BIND *b = &sh->pbind[i];
		const char *s;

		memset(b, 0, sizeof(*b));
		b->length = &sh->plen[i];
		switch (fmt[i]) {
		case 's':
			if ((s = va_arg(ap, const char *)) == NULL) {
				b->buffer_type = MYSQL_TYPE_NULL;
				break;
			}
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = (void *)(uintptr_t)s;
			b->buffer_length = sh->plen[i] = strlen(s);
			break;
		case 'b':
			b->buffer_type = MYSQL_TYPE_BLOB;
			b->buffer = (void *)(uintptr_t)va_arg(ap, const char *);
			b->buffer_length = sh->plen[i] = va_arg(ap, size_t);
			if (b->buffer == NULL)
				b->buffer_type = MYSQL_TYPE_NULL;
			break;
		case 'i':
			sh->pval[i].i = va_arg(ap, int64_t);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &sh->pval[i].i;
			break;
		case 'u':
			sh->pval[i].u = va_arg(ap, uint64_t);
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &sh->pval[i].u;
			b->is_unsigned = 1;
			break;
		case 'd':
			sh->pval[i].d = va_arg(ap, double);
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &sh->pval[i].d;
			break;
		default:
			LOG_ERR("stmt %d: unknown parameter letter '%c' in \"%s\"", id, fmt[i], fmt);
			return KESU_EINTERNAL;
		}
	}
	return KESU_OK;
}

/* Copy every row of the executed statement into res, in a. 0, or -1 on a fetch error. */
static int
fetch_rows(struct db_sh *sh, struct arena *a, struct db_res *res)
{
	MYSQL_STMT *st = sh->st;
	size_t n = (size_t)mysql_stmt_num_rows(st), r;
	char **cells;
	unsigned long *lens;

	res->ncols = sh->ncol;
	res->rows = arena_alloc(a, n * sizeof(*res->rows));
	res->lens = arena_alloc(a, n * sizeof(*res->lens));
	cells = arena_alloc(a, n * sh->ncol * sizeof(*cells));
	lens = arena_alloc(a, n * sh->ncol * sizeof(*lens));
	for (r = 0; r < n; r++) {
		int f = mysql_stmt_fetch(st);
		size_t need = 0;
		char *room;

		if (f == MYSQL_NO_DATA)
			break;
		if (f != 0 && f != MYSQL_DATA_TRUNCATED)
			return -1;
		res->rows[r] = cells + r * sh->ncol;
		res->lens[r] = lens + r * sh->ncol;
		/* The row's values in one piece of the arena (issue 10, listp99: an allocation per
		 * cell was a twentieth of a list page); a value cut at DB_CELL gets its own. */
		for (unsigned c = 0; c < sh->ncol; c++)
			if (!sh->rnull[c])
				need += sh->rdate[c] != 0 ? 20 : sh->rlen[c] <= DB_CELL ? (size_t)sh->rlen[c] + 1 : 0;
		room = arena_alloc(a, need);
		for (unsigned c = 0; c < sh->ncol; c++) {
			unsigned long len = sh->rlen[c];
			char *v;

			if (sh->rnull[c]) {
				res->rows[r][c] = NULL;
				res->lens[r][c] = 0;
				continue;
			}
			if (sh->rdate[c] != 0) {
				char txt[20];
				size_t tl = fmt_time((const MYSQL_TIME *)(void *)(sh->rbuf + (size_t)c * DB_CELL),
				    sh->rdate[c], txt);

				if (tl == 0)
					return -1;   /* not a date this code writes: never seen */
				v = room;
				room += 20;
				memcpy(v, txt, tl);
				v[tl] = '\0';
				res->rows[r][c] = v;
				res->lens[r][c] = tl;
				continue;
			}
			if (len <= DB_CELL) {
				v = room;
				room += len + 1;
				memcpy(v, sh->rbuf + (size_t)c * DB_CELL, len);
			} else {
				/* Cut at DB_CELL: fetch the whole value again, straight into the arena. */
				MYSQL_BIND b;
				unsigned long got = 0;
				my_bool isnull = 0, err = 0;

				v = arena_alloc(a, (size_t)len + 1);
				memset(&b, 0, sizeof(b));
				b.buffer_type = MYSQL_TYPE_STRING;
				b.buffer = v;
				b.buffer_length = len + 1;
				b.length = &got;
				b.is_null = &isnull;
				b.error = &err;
				if (mysql_stmt_fetch_column(st, &b, c, 0) != 0 || got != len)
					return -1;
			}
			v[len] = '\0';
			res->rows[r][c] = v;
			res->lens[r][c] = len;
		}
	}
	res->nrows = r;
	return 0;
}

int
db_exec(struct db *db, struct arena *a, enum stmt id, struct db_res *res, const char *fmt, ...)
{
	struct db_sh *sh;
	va_list ap;
	int rc;

	if (res != NULL)
		memset(res, 0, sizeof(*res));
	if ((unsigned)id >= STMT__MAX || db->admin) {
		LOG_ERR("stmt %d: no such statement on this connection", id);
		return KESU_EINTERNAL;
	}
	/*
	 * A connection marked lost is repaired here outside a transaction; inside,
	 * never (the server rolled back: db_tx runs fn again). Whether an idle
	 * connection died meanwhile is db_ensure's job, once per request, not a
	 * syscall per statement.
	 */
	if (db->lost && (db->in_tx || db_connect(db) != KESU_OK))
		return KESU_EDB;
	sh = &db->sh[id];
	if (sh->st == NULL && prepare_one(db, (int)id) != KESU_OK) {
		if (!db->bad_stmt) {   /* the connection failed: as for any statement */
			db->lost = 1;
			db->tx_retry = 1;
		}
		return KESU_EDB;
	}
	va_start(ap, fmt);
	rc = bind_params(sh, id, fmt, ap);
	va_end(ap);
	if (rc != KESU_OK)
		return rc;

	/* From here every path goes through out, which frees the result. */
	if (sh->nparam > 0 && mysql_stmt_bind_param(sh->st, sh->pbind) != 0)
		goto err;
	if (mysql_stmt_execute(sh->st) != 0)
		goto err;
	if (sh->ncol > 0 && res != NULL) {
		if (mysql_stmt_bind_result(sh->st, sh->rbind) != 0 ||
		    mysql_stmt_store_result(sh->st) != 0 ||
		    fetch_rows(sh, a, res) != 0)
			goto err;
	}
	if (res != NULL) {
		res->affected = (uint64_t)mysql_stmt_affected_rows(sh->st);
		res->insert_id = (uint64_t)mysql_stmt_insert_id(sh->st);
	}
	db->err = 0;
	rc = KESU_OK;
	goto out;
err:
	rc = db_fail(db, (int)id, NULL, mysql_stmt_errno(sh->st), mysql_stmt_error(sh->st), FAIL_LOG);
out:
	/*
	 * Client-side reset: frees a stored result, drains an unread one, clears the
	 * error. mysql_stmt_reset would add a COM_STMT_RESET round trip per
	 * statement for nothing: we use neither cursors nor long data.
	 */
	mysql_stmt_free_result(sh->st);
	return rc;
}

/* Run a transaction command (not data SQL, so plain text is fine). */
static int
tx_cmd(struct db *db, const char *sql)
{
	if (db->my == NULL || db->lost)
		return KESU_EDB;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0)
		return db_fail(db, -1, sql, mysql_errno(db->my), mysql_error(db->my), FAIL_LOG);
	return KESU_OK;
}

/*
 * db.commit_check: after a connection lost while COMMIT was on its way, whether the
 * transaction whose mark is token committed: 1 yes, 0 no, -1 still unknown. Reconnects for at
 * most about five seconds (HAProxy needs two to see a node down); with db.causal_reads the new
 * connection has first waited until its node applied everything the cluster committed, so a
 * mark replicated before the node died is found.
 */
static int
tx_outcome(struct db *db, const char *token)
{
	struct timespec t0, t;
	int found = -1, causal = conf_int(db->c, "db.causal_reads", 0) != 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (db_connect(db) == KESU_OK) {
			struct arena *a = arena_new();
			struct db_res res;
			/* The look-up itself is a causal read: it waits for what the cluster committed. */
			if ((!causal || db_plain(db, "SET SESSION wsrep_sync_wait = 1") == KESU_OK) &&
			    db_exec(db, a, STMT_TX_MARKED, &res, "s", token) == KESU_OK)
				found = res.nrows > 0;
			if (causal && db_plain(db, "SET SESSION wsrep_sync_wait = 0") != KESU_OK)
				found = -1;
			arena_free(a);
			if (found >= 0)
				return found;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 5)
			return -1;
		(void)poll(NULL, 0, 500);
	}
}

int
db_tx(struct db *db, int (*fn)(struct db *db, void *arg), void *arg)
{
	int rc = KESU_EDB, check = conf_int(db->c, "db.commit_check", 0) != 0, unsure = 0;
	char token[33];

	if (db->in_tx) {
		LOG_ERR("nested db_tx: not supported");
		return KESU_EINTERNAL;
	}
	/*
	 * db.commit_check: one mark for every attempt of this call, written first. Its primary key
	 * lets at most one attempt commit (a row lock on one server, a certified key on Galera),
	 * and an attempt that finds it there knows that an earlier one committed after all — a
	 * COMMIT lost on its way may still complete on a node that is alive (HAProxy cut the
	 * session). fn's results are then those of the attempt that committed.
	 */
	if (check)
		crypto_random_hex(token, 16);
	for (int attempt = 1; attempt <= 2; attempt++) {
		if (db_ensure(db) != KESU_OK)
			break;
		db->tx_retry = 0;
		memset(&db->head, 0, sizeof(db->head));
		if ((rc = tx_cmd(db, "START TRANSACTION")) == KESU_OK) {
			db->in_tx = 1;
			if (check && (rc = db_exec(db, NULL, STMT_TX_MARK, NULL, "s", token)) == KESU_ECONFLICT) {
				db->in_tx = 0;
				(void)tx_cmd(db, "ROLLBACK");
				LOG_WARN("the earlier attempt committed after all (its mark is there)");
				return KESU_OK;
			}
			if (rc == KESU_OK)
				rc = fn(db, arg);
			db->in_tx = 0;
			/* fn may have ignored a deadlock: the server rolled back, so nothing may commit. */
			if (rc == KESU_OK && db->tx_retry)
				rc = KESU_EDB;
			if (rc == KESU_OK && !db_alive(db)) {
				/* Closed by the server before COMMIT was sent: rolled back, safe to run again. */
				LOG_WARN("connection closed by the server before COMMIT");
				db->err = CR_SERVER_GONE_ERROR;
				db->lost = 1;
				db->tx_retry = 1;
				rc = KESU_EDB;
			}
			if (rc == KESU_OK) {
				if ((rc = tx_cmd(db, "COMMIT")) == KESU_OK)
					return KESU_OK;
				if (db->lost && db->err != CR_SERVER_GONE_ERROR && db->err != ER_UNKNOWN_COM_ERROR) {
					/*
					 * Lost after COMMIT was sent (2006 means it never left):
					 * it may have committed, and running fn again could store
					 * everything twice. With a mark, look; else report it.
					 */
					int done = check ? tx_outcome(db, token) : -1;
					if (done == 1) {
						LOG_WARN("connection lost during COMMIT: it committed (its mark is there)");
						return KESU_OK;
					}
					if (done == -1) {
						LOG_ERR("connection lost during COMMIT: outcome unknown, not retried");
						return KESU_EDB;
					}
					/* Not yet there: it may still commit, and the mark keeps the next attempt from doubling it. */
					LOG_WARN("connection lost during COMMIT: no mark yet; running it again under the same mark");
					unsure = 1;
					db->tx_retry = 1;
				}
			}
		}
		if (!db->lost)
			(void)tx_cmd(db, "ROLLBACK");
		if (!db->tx_retry)
			break;
		if (attempt == 1)
			LOG_WARN("transaction failed (error %u); running it once more", db->err);
		else
			LOG_ERR("transaction failed twice (last error %u)", db->err);
		rc = KESU_EDB;
	}
	/* The second attempt lost to the first one's late COMMIT (a conflict on the mark): look once more. */
	if (unsure && tx_outcome(db, token) == 1) {
		LOG_WARN("the earlier attempt committed after all (its mark is there)");
		return KESU_OK;
	}
	return rc == KESU_OK ? KESU_EDB : rc;
}

/* kesu-admin's SQL never reconnects by itself: a new connection would have lost its USE. */
int
db_exec_sql(struct db *db, const char *sql)
{
	MYSQL_RES *r;

	if (db->my == NULL || db->lost)
		return KESU_EDB;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0)
		return db_fail(db, -1, "(sql)", mysql_errno(db->my), mysql_error(db->my), FAIL_QUIET);
	/* A statement with a result set (SHOW, SELECT) must be drained before the next one. */
	if ((r = mysql_store_result(db->my)) != NULL)
		mysql_free_result(r);
	else if (mysql_field_count(db->my) != 0)
		return db_fail(db, -1, "(sql)", mysql_errno(db->my), mysql_error(db->my), FAIL_QUIET);
	db->err = 0;
	return KESU_OK;
}

int
db_query_sql(struct db *db, struct arena *a, const char *sql, struct db_res *res)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	size_t n, i;
	unsigned nc;

	memset(res, 0, sizeof(*res));
	if (db->my == NULL || db->lost)
		return KESU_EDB;
	if (mysql_real_query(db->my, sql, strlen(sql)) != 0)
		return db_fail(db, -1, "(sql)", mysql_errno(db->my), mysql_error(db->my), FAIL_QUIET);
	if ((r = mysql_store_result(db->my)) == NULL) {
		if (mysql_field_count(db->my) != 0)
			return db_fail(db, -1, "(sql)", mysql_errno(db->my), mysql_error(db->my), FAIL_QUIET);
		res->affected = (uint64_t)mysql_affected_rows(db->my);
		db->err = 0;
		return KESU_OK;
	}
	n = (size_t)mysql_num_rows(r);
	nc = mysql_num_fields(r);
	res->ncols = nc;
	res->rows = arena_alloc(a, n * sizeof(*res->rows));
	res->lens = arena_alloc(a, n * sizeof(*res->lens));
	for (i = 0; i < n && (row = mysql_fetch_row(r)) != NULL; i++) {
		unsigned long *l = mysql_fetch_lengths(r);

		res->rows[i] = arena_alloc(a, nc * sizeof(char *));
		res->lens[i] = arena_alloc(a, nc * sizeof(unsigned long));
		for (unsigned c = 0; c < nc; c++) {
			res->rows[i][c] = row[c] != NULL ? arena_strndup(a, row[c], l[c]) : NULL;
			res->lens[i][c] = row[c] != NULL ? l[c] : 0;
		}
	}
	res->nrows = i;
	mysql_free_result(r);
	db->err = 0;
	return KESU_OK;
}

unsigned long
db_escape(struct db *db, char *to, const char *from, unsigned long len)
{
	return mysql_real_escape_string(db->my, to, from, len);
}

/* ---- issue 8: proof — a consistent snapshot read as a stream (kesu-admin audit verify) ---- */

int
db_snapshot_begin(struct db *db)
{
	/*
	 * READ COMMITTED would make WITH CONSISTENT SNAPSHOT a no-op: ask for REPEATABLE READ
	 * for this transaction only, whatever the server's default.
	 */
	if (db_ensure(db) != KESU_OK ||
	    tx_cmd(db, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ") != KESU_OK ||
	    tx_cmd(db, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY") != KESU_OK)
		return KESU_EDB;
	return KESU_OK;
}

void
db_snapshot_end(struct db *db)
{
	if (db->my != NULL && !db->lost)
		(void)tx_cmd(db, "ROLLBACK");
}

int
db_stream(struct db *db, enum stmt id, const uint64_t *args, size_t nargs,
    int (*fn)(void *arg, char **row, unsigned long *len), void *arg)
{
	const char *sql = db_stmt_sql(id), *binds = db_stmt_binds(id);
	char text[2048];
	size_t o = 0, k = 0;
	MYSQL_RES *r;
	MYSQL_ROW row;
	int rc, stop = 0;

	if (sql == NULL || binds == NULL || strspn(binds, "u") != strlen(binds) || strlen(binds) != nargs) {
		LOG_ERR("stmt %d: not a statement of unsigned parameters only, or %zu given", id, nargs);
		return KESU_EINTERNAL;
	}
	/* Only numbers go into the text, so nothing needs escaping; the table has no '?' in literals. */
	for (const char *p = sql; *p != '\0'; p++) {
		int n = *p == '?' ? snprintf(text + o, sizeof(text) - o, "%" PRIu64, args[k++]) :
		    snprintf(text + o, sizeof(text) - o, "%c", *p);

		if (n < 0 || (size_t)n >= sizeof(text) - o) {
			LOG_ERR("stmt %d: too long for db_stream", id);
			return KESU_EINTERNAL;
		}
		o += (size_t)n;
	}
	if (db->my == NULL || db->lost)
		return KESU_EDB;
	if (mysql_real_query(db->my, text, o) != 0 || (r = mysql_use_result(db->my)) == NULL)
		return db_fail(db, (int)id, NULL, mysql_errno(db->my), mysql_error(db->my), FAIL_LOG);
	while ((row = mysql_fetch_row(r)) != NULL)
		if (!stop && fn(arg, row, mysql_fetch_lengths(r)) != 0)
			stop = 1;   /* hand no more rows on; mysql_free_result drains the rest */
	/* NULL at the end, or a read error in the middle of the stream. */
	if (mysql_errno(db->my) != 0)
		rc = db_fail(db, (int)id, NULL, mysql_errno(db->my), mysql_error(db->my), FAIL_LOG);
	else
		rc = KESU_OK;
	mysql_free_result(r);
	if (rc == KESU_OK)
		db->err = 0;
	return rc;
}
/* ---- end proof ---- */
