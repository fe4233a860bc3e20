/* notify.c: e-mail notifications — the outbox a step writes to, and the run that resolves and sends it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "i18n.h"
#include "mail.h"
#include "notify.h"

int
notify_queue(struct db *db, struct arena *a, const char *kind, const char *addressee_type,
    const char *addressee, const char *number, const char *link)
{
	if (addressee == NULL || *addressee == '\0')
		return KESU_OK;
	return db_exec(db, a, STMT_MAIL_QUEUE, NULL, "sssss", kind, addressee_type, addressee, number, link);
}

/* One claimed outbox row and what became of it. */
struct item {
	char **row;        /* id, kind, addressee_type, addressee, number, link, attempts */
	int outcome;       /* 0 sent, 1 retry, -1 failed; starts at 2: nobody to send to */
	const char *err;
};

/* One person and the items that go to them. */
struct person {
	const char *uid, *name, *email;
	size_t *items;
	size_t nitems;
};

struct run {
	struct arena *a;
	const struct conf *c;
	struct person *people;
	size_t npeople, cap;
	struct item *items;
	size_t nitems;
};

static struct person *
person_for(struct run *run, const struct dir_user *u)
{
	for (size_t i = 0; i < run->npeople; i++)
		if (strcmp(run->people[i].uid, u->uid) == 0)
			return &run->people[i];
	if (run->npeople == run->cap) {
		size_t ncap = run->cap ? run->cap * 2 : 16;
		struct person *p = arena_alloc(run->a, ncap * sizeof(*p));
		if (run->npeople > 0)
			memcpy(p, run->people, run->npeople * sizeof(*p));
		run->people = p;
		run->cap = ncap;
	}
	run->people[run->npeople] = (struct person){ u->uid, u->display_name, u->email,
	    arena_alloc(run->a, run->nitems * sizeof(size_t)), 0 };
	return &run->people[run->npeople++];
}

/* The people an addressee of the reminder table stands for. */
static int
resolve(struct dir *dir, struct arena *a, const char *type, const char *who, struct dir_user *out,
    size_t max, size_t *n)
{
	int rc;

	*n = 0;
	if (strcmp(type, "user") == 0) {
		rc = dir_lookup(dir, a, who, &out[0]);
		if (rc == KESU_OK)
			*n = 1;
		return rc == KESU_ENOTFOUND ? KESU_OK : rc;
	}
	if (strcmp(type, "role") == 0)
		return role_from_name(who) == ROLE__MAX ? KESU_OK :
		    dir_role_people(dir, a, role_from_name(who), NULL, out, max, n);
	if (strcmp(type, "dept_head") == 0)
		return dir_role_people(dir, a, ROLE_DEPT_HEAD, who, out, max, n);
	if (strcmp(type, "dept") == 0)
		return dir_role_people(dir, a, ROLE_DEPT_MEMBER, who, out, max, n);
	return KESU_OK;
}

static int
digest_for(const struct conf *c, const char *uid)
{
	const char *d = conf_str(c, "smtp.digest", "off");
	size_t l = strlen(uid);

	if (strcmp(d, "all") == 0)
		return 1;
	for (const char *p = d; *p != '\0';) {
		size_t n;
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (n == l && strncmp(p, uid, l) == 0)
			return 1;
		p += n;
	}
	return 0;
}

/* A catalog text with {number} replaced. */
static const char *
text(struct arena *a, enum lang l, const char *key, const char *number)
{
	const char *t = i18n_get(l, key), *at = strstr(t, "{number}");

	if (at == NULL)
		return t;
	return arena_printf(a, "%.*s%s%s", (int)(at - t), t, number, at + 8);
}

/* Subject and body of the mail that carries items idx[0..n) to p, in both languages. */
static void
compose(struct run *run, const struct person *p, const size_t *idx, size_t n, const char **subject,
    const char **body)
{
	const char *base = conf_str(run->c, "app.base_url", "http://localhost");
	struct buf b;

	if (n == 1) {
		char **r = run->items[idx[0]].row;
		const char *key = arena_printf(run->a, "mail_subject_%s", r[1]);
		*subject = arena_printf(run->a, "%s / %s", text(run->a, LANG_ZH, key, r[4]),
		    text(run->a, LANG_EN, key, r[4]));
	} else {
		const char *count = arena_printf(run->a, "%zu", n);
		*subject = arena_printf(run->a, "%s / %s", text(run->a, LANG_ZH, "mail_subject_digest", count),
		    text(run->a, LANG_EN, "mail_subject_digest", count));
	}
	buf_init(&b);
	buf_printf(&b, "%s%s\n\n", p->name, i18n_get(LANG_ZH, "mail_greeting"));
	for (size_t i = 0; i < n; i++) {
		char **r = run->items[idx[i]].row;
		const char *key = arena_printf(run->a, "mail_body_%s", r[1]);
		buf_printf(&b, "- %s\n  %s\n  %s%s\n\n", text(run->a, LANG_ZH, key, r[4]),
		    text(run->a, LANG_EN, key, r[4]), base, r[5]);
	}
	buf_printf(&b, "%s\n%s\n", i18n_get(LANG_ZH, "mail_footer"), i18n_get(LANG_EN, "mail_footer"));
	*body = arena_strndup(run->a, b.p, b.len);
	buf_free(&b);
}

/* Send one message to p carrying items idx[0..n); record the outcome on each item. */
static void
deliver(struct run *run, const struct person *p, const size_t *idx, size_t n, unsigned long *mails)
{
	const char *from = conf_str(run->c, "smtp.from", "kesu@localhost"), *subject, *body, *msg;
	struct mail_relay relay = {
		.host = conf_str(run->c, "smtp.host", "127.0.0.1"),
		.port = (int)conf_int(run->c, "smtp.port", 25),
		.helo = conf_str(run->c, "smtp.helo", "kesu.localhost"),
		.timeout = (int)conf_int(run->c, "smtp.timeout", 10),
	};
	char date[64], id[17], err[256];
	const char *to[1] = { p->email };
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	compose(run, p, idx, n, &subject, &body);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	crypto_random_hex(id, 8);
	msg = mail_format(run->a, from, p->email, subject, body, date,
	    arena_printf(run->a, "kesu.%s.%s@%s", run->items[idx[0]].row[0], id,
	    strchr(from, '@') != NULL ? strchr(from, '@') + 1 : "localhost"));
	if (msg == NULL) {
		rc = -1;
		snprintf(err, sizeof(err), "invalid address (smtp.from or the directory's mail)");
	} else {
		rc = mail_send(&relay, from, to, 1, msg, err, sizeof(err));
	}
	if (rc == 0)
		(*mails)++;
	else
		LOG_WARN("mail to %s (%zu item(s)): %s", p->uid, n, err);
	for (size_t i = 0; i < n; i++) {
		struct item *it = &run->items[idx[i]];
		/* The worst outcome wins: a retry beats a failure beats a success. */
		if (it->outcome == 2 || (rc == 1) || (rc == -1 && it->outcome == 0)) {
			it->outcome = rc;
			if (rc != 0)
				it->err = arena_strdup(run->a, err);
		}
	}
}

/*
 * A claim or a row's outcome, each in a transaction of its own: two senders at once (two hosts'
 * sweeps) lock the same outbox rows in opposite orders, the claim through the index it scans
 * and an outcome through the primary key, and one of them is chosen as a deadlock's victim;
 * db_tx runs it again instead of failing the whole run.
 */
struct mark {
	struct arena *a;
	const struct item *it;   /* NULL: the claim */
	const char *claim;
	long n;                  /* the claim's lease in seconds, or smtp.max_attempts */
};

static int
claim_tx(struct db *db, void *arg)
{
	const struct mark *m = arg;
	return db_exec(db, m->a, STMT_MAIL_CLAIM, NULL, "si", m->claim, (int64_t)m->n);
}

static int
mark_tx(struct db *db, void *arg)
{
	const struct mark *m = arg;
	const char *id = m->it->row[0];

	if (m->it->outcome == 0)
		return db_exec(db, m->a, STMT_MAIL_SENT, NULL, "ss", id, m->claim);
	if (m->it->outcome == 1)
		return db_exec(db, m->a, STMT_MAIL_RETRY, NULL, "isss", (int64_t)m->n, m->it->err, id, m->claim);
	return db_exec(db, m->a, STMT_MAIL_FAILED, NULL, "sss", m->it->err, id, m->claim);
}

int
notify_send(struct db *db, struct dir *dir, const struct conf *c, struct notify_counts *out)
{
	struct run run = { .a = arena_new(), .c = c };
	struct resolved {
		const char *type, *who;
		struct dir_user *people;
		size_t n;
	} *cache;
	size_t ncache = 0;
	struct db_res res;
	char claim[33];
	long lease = conf_int(c, "smtp.timeout", 10) * 200 + 60;
	int rc = KESU_OK;

	memset(out, 0, sizeof(*out));
	if (conf_int(c, "smtp.enabled", 0) != 1)
		goto out;
	crypto_random_hex(claim, 16);
	{
		struct mark m = { run.a, NULL, claim, lease };
		if ((rc = db_tx(db, claim_tx, &m)) != KESU_OK ||
		    (rc = db_exec(db, run.a, STMT_MAIL_CLAIMED, &res, "s", claim)) != KESU_OK)
			goto out;
	}
	run.nitems = res.nrows;
	run.items = arena_alloc(run.a, (res.nrows + 1) * sizeof(*run.items));
	/* Who each row goes to: people with a mail address in the directory. One lookup per
	 * addressee and run: a sweep that reminds the supervisors of 50 cases asks once. */
	cache = arena_alloc(run.a, (res.nrows + 1) * sizeof(*cache));
	for (size_t i = 0; i < res.nrows; i++) {
		struct dir_user *us = NULL;
		size_t n = 0, j;
		run.items[i] = (struct item){ res.rows[i], 2, "nobody to send to" };
		for (j = 0; j < ncache; j++)
			if (strcmp(cache[j].type, res.rows[i][2]) == 0 && strcmp(cache[j].who, res.rows[i][3]) == 0)
				break;
		if (j == ncache) {
			cache[j] = (struct resolved){ res.rows[i][2], res.rows[i][3],
			    arena_alloc(run.a, 64 * sizeof(struct dir_user)), 0 };
			if ((rc = resolve(dir, run.a, cache[j].type, cache[j].who, cache[j].people, 64,
			    &cache[j].n)) != KESU_OK)
				goto out;
			ncache++;
		}
		us = cache[j].people;
		n = cache[j].n;
		for (size_t k = 0; k < n; k++) {
			struct person *p;
			if (us[k].email == NULL || !mail_addr_valid(us[k].email))
				continue;
			p = person_for(&run, &us[k]);
			p->items[p->nitems++] = i;
		}
	}
	for (size_t i = 0; i < run.npeople; i++) {
		struct person *p = &run.people[i];
		if (digest_for(c, p->uid))
			deliver(&run, p, p->items, p->nitems, &out->mails);
		else
			for (size_t k = 0; k < p->nitems; k++)
				deliver(&run, p, &p->items[k], 1, &out->mails);
	}
	for (size_t i = 0; i < run.nitems; i++) {
		struct mark m = { run.a, &run.items[i], claim, conf_int(c, "smtp.max_attempts", 5) };
		if ((rc = db_tx(db, mark_tx, &m)) != KESU_OK)
			goto out;
		if (m.it->outcome == 0)
			out->items++;
		else if (m.it->outcome == 1)
			out->retry++;
		else
			out->failed++;
	}
out:
	arena_free(run.a);
	return rc;
}
