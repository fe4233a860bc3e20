/* register.c: the auditor's signature register and exception queries — what each signature still covers, and the rules that find an irregular record. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "ed.h"
#include "penalty.h"
#include "plan.h"
#include "register.h"
#include "step.h"
#include "view.h"

/* ---- pure decisions ---- */

static int
same_uid(const char *a, const char *b)
{
	return a != NULL && b != NULL && *a != '\0' && *b != '\0' && strcmp(a, b) == 0;
}

int
reg_signer_is_party(const char *signer, const char *proposer, const char *author, const char *target)
{
	return same_uid(signer, proposer) || same_uid(signer, author) || same_uid(signer, target);
}

/* The items of a comma list into out (pointing into buf); their number, -1 when more than max. */
static int
split_roles(char *buf, const char *out[], int max)
{
	int n = 0;

	for (char *p = buf, *tok; (tok = strsep(&p, ",")) != NULL; ) {
		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n;
}

int
reg_signers_differ(const char *required, const char *approved)
{
	char rb[256], ab[256];
	const char *rq[16], *ap[16];
	int nr, na, used[16] = { 0 };

	if (required == NULL || approved == NULL || strlen(required) >= sizeof(rb) || strlen(approved) >= sizeof(ab))
		return 1;
	strcpy(rb, required);
	strcpy(ab, approved);
	if ((nr = split_roles(rb, rq, 16)) < 0 || (na = split_roles(ab, ap, 16)) < 0 || nr != na)
		return 1;
	/* Each approving role matches one required role not matched yet: a role twice is not two signers. */
	for (int i = 0; i < na; i++) {
		int k;
		for (k = 0; k < nr; k++)
			if (!used[k] && strcmp(rq[k], ap[i]) == 0)
				break;
		if (k == nr)
			return 1;
		used[k] = 1;
	}
	return 0;
}

int
reg_same_revision(const char *entity, long sig_rev, long cur_rev)
{
	return (entity != NULL && strcmp(entity, "penalty") == 0) || sig_rev == cur_rev;
}

int
reg_changed_after_signing(const char *entity, long sig_rev, const char *sig_hash, long cur_rev,
    const char *cur_hash)
{
	if (sig_hash == NULL || cur_hash == NULL)
		return 0;
	if (!reg_same_revision(entity, sig_rev, cur_rev))
		return 0;   /* a later revision: the signature applies to an earlier version, as it should */
	return strcmp(sig_hash, cur_hash) != 0;
}

/* UTC "YYYY-MM-DD HH:MM[:SS]" as seconds; -1 when malformed. */
static time_t
utc_seconds(const char *s)
{
	struct tm tm;
	const char *end;

	if (s == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL)
		return -1;
	if (*end == ':' && (end = strptime(end + 1, "%S", &tm)) == NULL)
		return -1;
	return timegm(&tm);
}

int
reg_penalty_irregular(const char *state, const char *decided_at, const char *executed_at,
    const char *appealed_at, long appeal_days)
{
	int bits = 0;
	/* approved once: approved, or appealed or revoked later (both start from an approval) */
	int approved = state != NULL && (strcmp(state, "approved") == 0 || strcmp(state, "appealed") == 0 ||
	    strcmp(state, "revoked") == 0);
	time_t dec = utc_seconds(decided_at), exe = utc_seconds(executed_at), app = utc_seconds(appealed_at);

	if (executed_at != NULL && (!approved || dec < 0 || exe < dec))
		bits |= REG_PEN_EXECUTED_EARLY;
	if (appealed_at != NULL && dec >= 0 && app > dec + (time_t)appeal_days * 86400)
		bits |= REG_PEN_APPEAL_LATE;
	return bits;
}

int
reg_closed_without_callback(const char *status, const char *replied_at, const char *callback_at)
{
	return status != NULL && strcmp(status, "closed") == 0 && replied_at != NULL && callback_at == NULL;
}

int
reg_quality_closed_without_8d(const char *category, const char *status, long approved_versions)
{
	return category != NULL && status != NULL && strcmp(category, "product_quality") == 0 &&
	    strcmp(status, "closed") == 0 && approved_versions <= 0;
}

int
reg_deadline_unreminded(const char *status, const char *respond_due, const char *resolve_due,
    const char *now, long grace_s, long response_reminders, long resolution_reminders)
{
	time_t t = utc_seconds(now), rd = utc_seconds(respond_due), sd = utc_seconds(resolve_due);

	if (status == NULL || t < 0)
		return 0;
	if (strcmp(status, "registered") == 0 && rd >= 0 && t > rd + grace_s && response_reminders <= 0)
		return 1;
	if (strcmp(status, "closed") != 0 && strcmp(status, "not_substantiated") != 0 && sd >= 0 &&
	    t > sd + grace_s && resolution_reminders <= 0)
		return 2;
	return 0;
}

/* ---- what a signature covers today ---- */

struct reg_cache {
	struct reg_cache *next;
	const char *entity, *id;
	long rev;            /* the signature's revision for an 8D (its versions are hashed apart) */
	int known;
	long cur_rev;
	char hash[65];
	const char *text;    /* a memo's text (entity "memo") */
};

static int
compute_hash(struct app *app, struct req *r, const char *entity, const char *id, const char *number,
    long sig_rev, char out[65], long *cur_rev)
{
	struct db_res res, rem;

	if (strcmp(entity, "investigation_report") == 0) {
		const char *texts[REPORT_NPARTS];
		if (db_exec(app->db, r->a, STMT_REG_REPORT_GET, &res, "s", id) != KESU_OK || res.nrows != 1)
			return 0;
		for (int k = 0; k < REPORT_NPARTS; k++)
			texts[k] = res.rows[0][3 + k];
		*cur_rev = atol(res.rows[0][2]);
		report_hash(res.rows[0][0], res.rows[0][1], *cur_rev, texts, out);
		return 1;
	}
	if (strcmp(entity, "handling_plan") == 0) {
		struct plan_content pc;
		if (number == NULL || db_exec(app->db, r->a, STMT_PLAN_LIST, &res, "s", number) != KESU_OK ||
		    db_exec(app->db, r->a, STMT_REMEDY_LIST, &rem, "s", number) != KESU_OK)
			return 0;
		for (size_t i = 0; i < res.nrows; i++)
			if (strcmp(res.rows[i][0], id) == 0) {
				plan_from_rows(number, res.rows[i], &rem, &pc);
				plan_hash(&pc, out);
				*cur_rev = pc.revision;
				return 1;
			}
		return 0;
	}
	if (strcmp(entity, "penalty") == 0) {
		if (db_exec(app->db, r->a, STMT_PENALTY_GET, &res, "s", id) != KESU_OK || res.nrows != 1)
			return 0;
		penalty_hash(res.rows[0], out);
		*cur_rev = atol(res.rows[0][P_VERSION]);
		return 1;
	}
	if (strcmp(entity, "8d_report") == 0) {
		struct db_res e, vs, att;
		struct json_object *d[ED_NDISC];
		if (db_exec(app->db, r->a, STMT_8D_GET, &e, "s", id) != KESU_OK || e.nrows != 1 ||
		    db_exec(app->db, r->a, STMT_8D_VERSIONS, &vs, "s", id) != KESU_OK ||
		    db_exec(app->db, r->a, STMT_8D_ATTACHMENT_LIST, &att, "s", id) != KESU_OK)
			return 0;
		for (size_t i = 0; i < vs.nrows; i++)
			if (atol(vs.rows[i][1]) == sig_rev) {
				parse_disciplines(vs.rows[i], d);
				version_hash(e.rows[0], sig_rev, d, &att, out);
				put_disciplines(d);
				*cur_rev = sig_rev;
				return 1;
			}
		return 0;
	}
	if (strcmp(entity, "hold_notice") == 0) {
		/* Its release was checked against the stored hash of the notice and its lines. */
		if (db_exec(app->db, r->a, STMT_REG_HOLD_GET, &res, "s", id) != KESU_OK || res.nrows != 1)
			return 0;
		snprintf(out, 65, "%s", res.rows[0][0]);
		*cur_rev = sig_rev;
		return 1;
	}
	return 0;
}

int
reg_current_hash(struct app *app, struct req *r, struct reg_cache **cache, const char *entity,
    const char *id, const char *number, long sig_rev, char out[65], long *cur_rev)
{
	struct reg_cache *c;
	int per_rev = strcmp(entity, "8d_report") == 0;

	for (c = *cache; c != NULL; c = c->next)
		if (strcmp(c->entity, entity) == 0 && strcmp(c->id, id) == 0 && (!per_rev || c->rev == sig_rev))
			break;
	if (c == NULL) {
		c = arena_alloc(r->a, sizeof(*c));
		memset(c, 0, sizeof(*c));
		c->entity = arena_strdup(r->a, entity);
		c->id = arena_strdup(r->a, id);
		c->rev = sig_rev;
		c->known = compute_hash(app, r, entity, id, number, sig_rev, c->hash, &c->cur_rev);
		c->next = *cache;
		*cache = c;
	}
	if (!c->known)
		return 0;
	memcpy(out, c->hash, 65);
	*cur_rev = c->cur_rev;
	return 1;
}

/* ---- a page's records at once ---- */

/* A cache entry for (entity, id, rev) unless there is one; the entry. */
static struct reg_cache *
cache_entry(struct req *r, struct reg_cache **cache, const char *entity, const char *id, long rev)
{
	struct reg_cache *c;
	int per_rev = strcmp(entity, "8d_report") == 0;

	for (c = *cache; c != NULL; c = c->next)
		if (strcmp(c->entity, entity) == 0 && strcmp(c->id, id) == 0 && (!per_rev || c->rev == rev))
			return c;
	c = arena_alloc(r->a, sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->entity = arena_strdup(r->a, entity);
	c->id = arena_strdup(r->a, id);
	c->rev = rev;
	c->next = *cache;
	*cache = c;
	return c;
}

int
reg_memo_get(struct reg_cache *cache, const char *key, const char **text)
{
	for (struct reg_cache *c = cache; c != NULL; c = c->next)
		if (strcmp(c->entity, "memo") == 0 && strcmp(c->id, key) == 0) {
			*text = c->text;
			return 1;
		}
	return 0;
}

void
reg_memo_put(struct req *r, struct reg_cache **cache, const char *key, const char *text)
{
	cache_entry(r, cache, "memo", key, 0)->text = text;
}

/* The distinct ids of the rows on entity as a JSON array "[1,2]", in the arena; NULL for none. */
static const char *
ids_json(struct arena *a, char ***rows, size_t n, const char *entity)
{
	struct buf b;
	const char *out = NULL;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		const char *id = rows[i][1];
		int dup = 0;
		if (strcmp(rows[i][0], entity) != 0 || id == NULL || *id == '\0' || strlen(id) > 19 ||
		    strspn(id, "0123456789") != strlen(id))
			continue;
		for (size_t k = 0; k < i && !dup; k++)
			dup = strcmp(rows[k][0], entity) == 0 && rows[k][1] != NULL && strcmp(rows[k][1], id) == 0;
		if (dup)
			continue;
		buf_puts(&b, b.len ? "," : "[");
		buf_puts(&b, id);
	}
	if (b.len) {
		buf_putc(&b, ']');
		out = arena_strdup(a, b.p);
	}
	buf_free(&b);
	return out;
}

/* Every signature row on entity gets its (unknown) entry: what the batch does not return is gone. */
static void
cache_unknown(struct req *r, struct reg_cache **cache, char ***rows, size_t n, const char *entity)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i][0], entity) == 0)
			(void)cache_entry(r, cache, entity, rows[i][1], atol(rows[i][2]));
}

static void
known(struct reg_cache *c, const char *hash, long cur_rev)
{
	c->known = 1;
	c->cur_rev = cur_rev;
	snprintf(c->hash, sizeof(c->hash), "%s", hash);
}

/* The 8D signatures of rows from three batches: the 8Ds, their versions and their files. */
static int
prefetch_8d(struct app *app, struct req *r, struct reg_cache **cache, char ***rows, size_t n, const char *ids)
{
	struct db_res e, vs, att;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_8DS_BATCH, &e, "s", ids)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_REG_8D_VERSIONS_BATCH, &vs, "s", ids)) != KESU_OK ||
	    (rc = db_exec(app->db, r->a, STMT_REG_8D_FILES_BATCH, &att, "s", ids)) != KESU_OK)
		return rc;
	cache_unknown(r, cache, rows, n, "8d_report");
	for (size_t i = 0; i < n; i++) {
		const char *id = rows[i][1];
		long rev = atol(rows[i][2]);
		struct reg_cache *c;
		struct json_object *d[ED_NDISC];
		struct db_res mine;
		char **erow = NULL, **vrow = NULL, hash[65];

		if (strcmp(rows[i][0], "8d_report") != 0 || (c = cache_entry(r, cache, "8d_report", id, rev))->known)
			continue;
		for (size_t k = 0; k < e.nrows && erow == NULL; k++)
			if (strcmp(e.rows[k][ED_ID], id) == 0)
				erow = e.rows[k];
		for (size_t k = 0; k < vs.nrows && vrow == NULL; k++)
			if (strcmp(vs.rows[k][EV__MAX], id) == 0 && atol(vs.rows[k][EV_VERSION]) == rev)
				vrow = vs.rows[k];
		if (erow == NULL || vrow == NULL)
			continue;
		/* this 8D's files, in id order as STMT_8D_ATTACHMENT_LIST gives them */
		memset(&mine, 0, sizeof(mine));
		mine.rows = arena_alloc(r->a, (att.nrows + 1) * sizeof(*mine.rows));
		for (size_t k = 0; k < att.nrows; k++)
			if (strcmp(att.rows[k][9], id) == 0)
				mine.rows[mine.nrows++] = att.rows[k];
		mine.ncols = 9;
		parse_disciplines(vrow, d);
		version_hash(erow, rev, d, &mine, hash);
		put_disciplines(d);
		known(c, hash, rev);
	}
	return KESU_OK;
}

int
reg_prefetch(struct app *app, struct req *r, struct reg_cache **cache, char ***rows, size_t n)
{
	struct db_res res, rem;
	const char *ids;
	char hash[65];
	int rc;

	if ((ids = ids_json(r->a, rows, n, "investigation_report")) != NULL) {
		if ((rc = db_exec(app->db, r->a, STMT_REG_REPORTS_BATCH, &res, "s", ids)) != KESU_OK)
			return rc;
		cache_unknown(r, cache, rows, n, "investigation_report");
		for (size_t i = 0; i < res.nrows; i++) {
			const char *texts[REPORT_NPARTS];
			char **x = res.rows[i];
			for (int k = 0; k < REPORT_NPARTS; k++)
				texts[k] = x[3 + k];
			report_hash(x[0], x[1], atol(x[2]), texts, hash);
			known(cache_entry(r, cache, "investigation_report", x[3 + REPORT_NPARTS], 0), hash, atol(x[2]));
		}
	}
	if ((ids = ids_json(r->a, rows, n, "handling_plan")) != NULL) {
		if ((rc = db_exec(app->db, r->a, STMT_REG_PLANS_BATCH, &res, "s", ids)) != KESU_OK ||
		    (rc = db_exec(app->db, r->a, STMT_REG_REMEDIES_BATCH, &rem, "s", ids)) != KESU_OK)
			return rc;
		cache_unknown(r, cache, rows, n, "handling_plan");
		for (size_t i = 0; i < res.nrows; i++) {
			struct plan_content pc;
			plan_from_rows(res.rows[i][15], res.rows[i], &rem, &pc);
			plan_hash(&pc, hash);
			known(cache_entry(r, cache, "handling_plan", res.rows[i][0], 0), hash, pc.revision);
		}
	}
	if ((ids = ids_json(r->a, rows, n, "penalty")) != NULL) {
		if ((rc = db_exec(app->db, r->a, STMT_REG_PENALTIES_BATCH, &res, "s", ids)) != KESU_OK)
			return rc;
		cache_unknown(r, cache, rows, n, "penalty");
		for (size_t i = 0; i < res.nrows; i++) {
			penalty_hash(res.rows[i], hash);
			known(cache_entry(r, cache, "penalty", res.rows[i][P_ID], 0), hash, atol(res.rows[i][P_VERSION]));
		}
	}
	if ((ids = ids_json(r->a, rows, n, "hold_notice")) != NULL) {
		if ((rc = db_exec(app->db, r->a, STMT_REG_HOLDS_BATCH, &res, "s", ids)) != KESU_OK)
			return rc;
		/* a hold notice's signatures are checked against its stored hash, on their own revision */
		for (size_t i = 0; i < n; i++) {
			if (strcmp(rows[i][0], "hold_notice") != 0)
				continue;
			struct reg_cache *c = cache_entry(r, cache, "hold_notice", rows[i][1], 0);
			for (size_t k = 0; k < res.nrows; k++)
				if (!c->known && strcmp(res.rows[k][1], rows[i][1]) == 0)
					known(c, res.rows[k][0], atol(rows[i][2]));
		}
	}
	if ((ids = ids_json(r->a, rows, n, "8d_report")) != NULL &&
	    (rc = prefetch_8d(app, r, cache, rows, n, ids)) != KESU_OK)
		return rc;
	return KESU_OK;
}

/* ---- the period ---- */

/* A local date "YYYY-MM-DD" into *t (midnight UTC of that calendar day); 0 when malformed. */
static int
parse_date(const char *s, time_t *t)
{
	struct tm tm;
	const char *end;
	char back[16];

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strlen(s) != 10 || (end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return 0;
	*t = timegm(&tm);
	gmtime_r(t, &tm);
	strftime(back, sizeof(back), "%Y-%m-%d", &tm);
	return strcmp(back, s) == 0;
}

static const char *
date_text(struct arena *a, time_t t)
{
	struct tm tm;
	char b[16];

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%d", &tm);
	return arena_strdup(a, b);
}

int
reg_period_parse(struct app *app, struct req *r, const char *from, const char *to, struct reg_period *p)
{
	time_t now = time(NULL) + app->utc_offset_min * 60, tf, tt;
	int bad = 0;

	if (from == NULL || *from == '\0')
		tf = now - 89L * 86400;
	else if (!parse_date(from, &tf)) {
		step_error(r, "from", "err_invalid_date");
		bad = 1;
	}
	if (to == NULL || *to == '\0')
		tt = now;
	else if (!parse_date(to, &tt)) {
		step_error(r, "to", "err_invalid_date");
		bad = 1;
	}
	if (bad)
		return KESU_EINPUT;
	p->from = date_text(r->a, tf);
	p->to = date_text(r->a, tt);
	parse_date(p->from, &tf);
	parse_date(p->to, &tt);
	if (tt < tf) {
		step_error(r, "to", "reg_err_period_reversed");
		return KESU_EINPUT;
	}
	if (tt - tf > 400L * 86400) {
		step_error(r, "from", "reg_err_period_long");
		return KESU_EINPUT;
	}
	p->from_utc = view_utc_time(app, r->a, arena_printf(r->a, "%s 00:00", p->from));
	p->to_utc = view_utc_time(app, r->a, arena_printf(r->a, "%s 00:00", date_text(r->a, tt + 86400)));
	return p->from_utc != NULL && p->to_utc != NULL ? KESU_OK : KESU_EINPUT;
}

/* ---- the exception report ---- */

/* A record's page: a penalty or an 8D has its own, everything else is on the complaint. */
static const char *
record_url(struct req *r, const char *entity, const char *id, const char *number)
{
	if (strcmp(entity, "penalty") == 0)
		return arena_printf(r->a, "/penalties/%s", id);
	if (strcmp(entity, "8d_report") == 0)
		return arena_printf(r->a, "/8d/%s", id);
	return arena_printf(r->a, "/complaints/%s", number != NULL ? number : "");
}

static void
add_case(struct app *app, struct req *r, struct json_object *rows, const char *url, const char *number,
    const char *what, const char *when)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "url", jstr(url));
	json_object_object_add(o, "number", jstr(number));
	json_object_object_add(o, "what", jstr(what));
	json_object_object_add(o, "when", jstr(when != NULL ? view_local_time(app, r->a, when) : ""));
	json_object_array_add(rows, o);
}

/* "<entity label> #id" in the reader's language. */
static const char *
record_label(struct req *r, const char *entity, const char *id)
{
	return arena_printf(r->a, "%s #%s", view_label(r, "reg_entity", entity), id);
}

static int
exc_party(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_PARTY, &res, "ss", p->from_utc, p->to_utc)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		if (reg_signer_is_party(c[4], c[8], c[9], c[10]))
			add_case(app, r, rows, record_url(r, c[2], c[3], c[1]), c[1],
			    arena_printf(r->a, "%s (%s, %s) · %s", c[5], c[4], view_label(r, "role", c[6]),
			    record_label(r, c[2], c[3])), c[7]);
	}
	return KESU_OK;
}

static int
exc_signers(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_SIGNERS, &res, "ssss", p->from_utc, p->to_utc,
	    p->from_utc, p->to_utc)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		if (reg_signers_differ(c[3], c[4]))
			add_case(app, r, rows, record_url(r, c[0], c[1], c[2]), c[2],
			    arena_printf(r->a, "%s · %s: %s · %s: %s", record_label(r, c[0], c[1]),
			    T(r, "reg_required"), c[3], T(r, "reg_approved_by"), *c[4] ? c[4] : "—"), c[5]);
	}
	return KESU_OK;
}

static int
exc_changed(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	struct reg_cache *cache = NULL;
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_SIGNED, &res, "ss", p->from_utc, p->to_utc)) != KESU_OK)
		return rc;
	if ((rc = reg_prefetch(app, r, &cache, res.rows, res.nrows)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i], cur[65];
		long cur_rev;
		if (reg_current_hash(app, r, &cache, c[0], c[1], c[12], atol(c[2]), cur, &cur_rev) &&
		    reg_changed_after_signing(c[0], atol(c[2]), c[9], cur_rev, cur))
			add_case(app, r, rows, record_url(r, c[0], c[1], c[12]), c[12],
			    arena_printf(r->a, "%s · %s %s · %s %.12s ≠ %.12s", record_label(r, c[0], c[1]),
			    T(r, "reg_signed_by"), c[4], T(r, "reg_hash"), c[9], cur), c[10]);
	}
	return KESU_OK;
}

static int
exc_penalty(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	long days = conf_int(app->conf, "penalty.appeal_days", 7);
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_PENALTY, &res, "ss", p->from_utc, p->to_utc)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		int bits = reg_penalty_irregular(c[2], c[3], c[4], c[5], days);
		if (bits & REG_PEN_EXECUTED_EARLY)
			add_case(app, r, rows, record_url(r, "penalty", c[0], c[1]), c[1],
			    arena_printf(r->a, "%s · %s", record_label(r, "penalty", c[0]), T(r, "reg_exc_executed_early")), c[4]);
		if (bits & REG_PEN_APPEAL_LATE)
			add_case(app, r, rows, record_url(r, "penalty", c[0], c[1]), c[1],
			    arena_printf(r->a, "%s · %s", record_label(r, "penalty", c[0]), T(r, "reg_exc_appeal_late")), c[5]);
	}
	return KESU_OK;
}

static int
exc_callback(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_CALLBACK, &res, "ss", p->from_utc, p->to_utc)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		if (reg_closed_without_callback(c[1], c[2], c[3]))
			add_case(app, r, rows, record_url(r, "complaint", "", c[0]), c[0], c[4], c[2]);
	}
	return KESU_OK;
}

static int
exc_8d(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	struct db_res res;
	int rc;

	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_8D, &res, "ss", p->from_utc, p->to_utc)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		if (reg_quality_closed_without_8d(c[2], c[1], atol(c[4])))
			add_case(app, r, rows, record_url(r, "complaint", "", c[0]), c[0], c[3], NULL);
	}
	return KESU_OK;
}

static int
exc_reminder(struct app *app, struct req *r, const struct reg_period *p, struct json_object *rows)
{
	struct db_res res;
	char now[32];
	int rc;

	utc_now(now);
	if ((rc = db_exec(app->db, r->a, STMT_REG_EXC_REMINDER, &res, "sss", p->from_utc, p->to_utc, now)) != KESU_OK)
		return rc;
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		/* An hour of grace: the sweep runs every few minutes (docs/sla.md). */
		int which = reg_deadline_unreminded(c[1], c[2], c[3], now, 3600, atol(c[4]), atol(c[5]));
		if (which != 0)
			add_case(app, r, rows, record_url(r, "complaint", "", c[0]), c[0],
			    arena_printf(r->a, "%s · %s", c[6], T(r, which == 1 ? "reg_exc_missed_response" :
			    "reg_exc_missed_resolution")), which == 1 ? c[2] : c[3]);
	}
	return KESU_OK;
}

/* The exceptions, in the order docs/audit.md defines them. */
static const struct {
	const char *key;
	int (*fn)(struct app *, struct req *, const struct reg_period *, struct json_object *);
} exceptions[] = {
	{ "signer_party", exc_party },
	{ "signers_rule", exc_signers },
	{ "changed_after_signing", exc_changed },
	{ "penalty_timing", exc_penalty },
	{ "closed_without_callback", exc_callback },
	{ "quality_without_8d", exc_8d },
	{ "deadline_without_reminder", exc_reminder },
};

int
reg_exceptions(struct app *app, struct req *r, const struct reg_period *p, struct json_object **lists,
    long *total)
{
	struct json_object *arr = json_object_new_array();
	int rc = KESU_OK;

	*total = 0;
	for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++) {
		struct json_object *o, *rows = json_object_new_array();
		int too_broad = 0;
		size_t n;
		/* A query that ran out of its time (1969) says so for its list; the others still answer. */
		if ((rc = exceptions[i].fn(app, r, p, rows)) == KESU_EDB && db_errno(app->db) == 1969)
			too_broad = 1;
		else if (rc != KESU_OK) {
			json_object_put(rows);
			json_object_put(arr);
			return rc;
		}
		rc = KESU_OK;
		n = json_object_array_length(rows);
		o = json_object_new_object();
		json_object_object_add(o, "too_broad", json_object_new_boolean(too_broad));
		json_object_object_add(o, "key", jstr(exceptions[i].key));
		json_object_object_add(o, "title", jstr(T(r, arena_printf(r->a, "reg_exc_%s", exceptions[i].key))));
		json_object_object_add(o, "definition",
		    jstr(T(r, arena_printf(r->a, "reg_exc_%s_def", exceptions[i].key))));
		json_object_object_add(o, "count", json_object_new_int((int)n));
		json_object_object_add(o, "empty", json_object_new_boolean(n == 0 && !too_broad));
		json_object_object_add(o, "rows", rows);
		json_object_array_add(arr, o);
		*total += (long)n;
	}
	*lists = arr;
	return KESU_OK;
}
