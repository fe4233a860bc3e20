/* audit_proof.c: the whole audit chain verified at once by kesu-admin, in key ranges read in parallel from one snapshot. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "audit_proof.h"
#include "db.h"
#include "kesu.h"

#define PARTS_MAX 8
/* Below this many events a range, one connection does it all: threads would cost more than they save. */
#define PART_MIN 20000

/* One key range, streamed by its own connection in its own thread. */
struct part {
	struct db *db;
	uint64_t lo, hi;             /* seqs lo..hi */
	int open;                    /* 1: begins at its first row's stored prev_hash (not the first range) */
	struct chain_walk w;
	struct chain_hasher *h;
	uint64_t first_seq;          /* the first row read (0: none) */
	char first_prev[65];         /* its stored prev_hash: joined to the range before afterwards */
	int rc;
};

static int
part_row(void *arg, char **row, unsigned long *len)
{
	struct part *pt = arg;

	if (pt->first_seq == 0) {
		pt->first_seq = strtoull(row[0], NULL, 10);
		if (row[12] != NULL && len[12] == 64) {
			memcpy(pt->first_prev, row[12], 64);
			pt->first_prev[64] = '\0';
			if (pt->open)
				memcpy(pt->w.last, pt->first_prev, 65);
		}
	}
	return chain_walk_row(&pt->w, pt->h, row, len) ? 0 : 1;
}

static void *
part_run(void *arg)
{
	struct part *pt = arg;
	uint64_t range[2] = { pt->lo, pt->hi };

	pt->rc = db_stream(pt->db, STMT_PROOF_RANGE, range, 2, part_row, pt);
	return NULL;
}

static int
cp_cmp(const void *x, const void *y)
{
	const struct chain_checkpoint *a = x, *b = y;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
say(struct chain_proof *p, uint64_t seq, const char *reason)
{
	p->bad = seq;
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
}

/*
 * How many ranges: audit.verify_parallel when set (tests set it to cut a short chain), else
 * one per CPU but none shorter than PART_MIN events; never more ranges than events.
 */
static unsigned
parts_for(const struct conf *c, uint64_t head)
{
	long k = conf_int(c, "audit.verify_parallel", 0);

	if (k <= 0) {
		uint64_t most = head / PART_MIN;

		if ((k = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
			k = 1;
		if ((uint64_t)k > most)
			k = most > 0 ? (long)most : 1;
	}
	if (k > PARTS_MAX)
		k = PARTS_MAX;
	if ((uint64_t)k > head)
		k = head > 0 ? (long)head : 1;
	return (unsigned)k;
}

/* Join the ranges' results in seq order into p: the first broken link wins. */
static void
join_parts(struct part *pts, unsigned k, uint64_t head, struct chain_proof *p)
{
	for (unsigned i = 0; i < k; i++) {
		struct part *pt = &pts[i];

		/*
		 * The range before ended intact at lo - 1 (else this is not reached); this one was
		 * checked from its first row's stored prev_hash, which must be that range's last hash.
		 */
		if (i > 0 && pt->first_seq == pt->lo && strcmp(pt->first_prev, pts[i - 1].w.last) != 0) {
			say(p, pt->lo, "prev_hash is not the hash of the event before");
			return;
		}
		if (pt->w.bad != 0) {
			say(p, pt->w.bad, pt->w.reason);
			return;
		}
		p->passed += pt->w.passed;
		if (pt->w.n < pt->hi) {
			uint64_t next = 0;

			for (unsigned j = i + 1; j < k && next == 0; j++)
				next = pts[j].first_seq;
			p->bad = pt->w.n + 1;
			if (next != 0)
				snprintf(p->reason, sizeof(p->reason),
				    "event missing (the next one stored is seq %" PRIu64 ")", next);
			else
				snprintf(p->reason, sizeof(p->reason),
				    "event missing (audit_head is at seq %" PRIu64 ")", head);
			return;
		}
		p->n = pt->w.n;
		memcpy(p->last, pt->w.last, 65);
	}
}

int
chain_prove(const struct conf *c, const struct chain_checkpoint *paper, size_t npaper, struct chain_proof *p)
{
	struct part pts[PARTS_MAX];
	pthread_t th[PARTS_MAX];
	struct chain_checkpoint *cps = NULL;
	struct arena *a = arena_new();
	struct db *dbs[PARTS_MAX];
	struct db_res res;
	uint64_t head, beyond = 0;
	char head_hash[65];
	unsigned k, nstarted = 0;
	size_t ncps = 0;
	int rc = KESU_EDB;

	memset(p, 0, sizeof(*p));
	memset(pts, 0, sizeof(pts));
	memset(dbs, 0, sizeof(dbs));
	/* Every connection first, so that the snapshots below follow each other closely. */
	k = parts_for(c, UINT64_MAX);
	for (unsigned i = 0; i < k; i++)
		if (db_open_lazy(&dbs[i], c) != KESU_OK) {   /* only the chain's statements */
			fprintf(stderr, "kesu-admin: cannot connect as db.user (see the log line above)\n");
			goto out;
		}

	/* The head, the checkpoints and what lies beyond the head, in the first connection's snapshot. */
	if (db_snapshot_begin(dbs[0]) != KESU_OK ||
	    db_exec(dbs[0], a, STMT_AUDIT_HEAD_GET, &res, "") != KESU_OK)
		goto out;
	if (res.nrows != 1 || res.rows[0][0] == NULL || res.rows[0][1] == NULL) {
		say(p, 1, "audit_head has no row");
		rc = KESU_OK;
		goto out;
	}
	head = strtoull(res.rows[0][0], NULL, 10);
	snprintf(head_hash, sizeof(head_hash), "%s", res.rows[0][1]);
	if (db_exec(dbs[0], a, STMT_PROOF_BEYOND, &res, "u", head) != KESU_OK)
		goto out;
	if (res.nrows == 1)
		beyond = strtoull(res.rows[0][0], NULL, 10);
	if (db_exec(dbs[0], a, STMT_CHECKPOINT_LIST, &res, "") != KESU_OK)
		goto out;
	if ((cps = calloc(res.nrows + npaper + 1, sizeof(*cps))) == NULL)
		abort();
	for (size_t i = 0; i < res.nrows; i++)
		if (res.rows[i][1] != NULL && res.rows[i][2] != NULL && strlen(res.rows[i][2]) == 64) {
			cps[ncps].seq = strtoull(res.rows[i][1], NULL, 10);
			memcpy(cps[ncps].hash, res.rows[i][2], 65);
			ncps++;
		}
	for (size_t i = 0; i < npaper; i++)
		cps[ncps++] = paper[i];
	qsort(cps, ncps, sizeof(*cps), cp_cmp);
	p->ncps = ncps;

	/* The ranges: the others' snapshots come after the first's, so each holds events 1..head. */
	if ((k = parts_for(c, head)) > 1)
		for (unsigned i = 1; i < k; i++)
			if (db_snapshot_begin(dbs[i]) != KESU_OK)
				goto out;
	p->parts = k;
	for (unsigned i = 0; i < k; i++) {
		struct part *pt = &pts[i];

		pt->db = dbs[i];
		pt->lo = head * i / k + 1;
		pt->hi = head * (i + 1) / k;
		pt->open = i > 0;
		pt->h = chain_hasher_new();
		if (pt->open)
			chain_walk_resume(&pt->w, pt->lo - 1, "", cps, ncps);
		else
			chain_walk_init(&pt->w, cps, ncps);
	}
	if (head > 0) {
		for (nstarted = 1; nstarted < k; nstarted++)
			if (pthread_create(&th[nstarted], NULL, part_run, &pts[nstarted]) != 0)
				abort();
		part_run(&pts[0]);
		for (unsigned i = 1; i < nstarted; i++)
			pthread_join(th[i], NULL);
		for (unsigned i = 0; i < k; i++)
			if (pts[i].rc != KESU_OK)
				goto out;
	}
	rc = KESU_OK;

	memcpy(p->last, "0000000000000000000000000000000000000000000000000000000000000000", 65);
	join_parts(pts, head > 0 ? k : 0, head, p);
	if (p->bad != 0)
		goto out;
	if (beyond != 0) {
		p->bad = head + 1;
		snprintf(p->reason, sizeof(p->reason), "event beyond audit_head (at seq %" PRIu64 ")", head);
		goto out;
	}
	/* Checkpoints beyond the chain's end: events were removed. */
	{
		struct chain_walk w;

		chain_walk_resume(&w, p->n, p->last, cps, ncps);
		chain_walk_finish(&w);
		if (w.bad != 0) {
			say(p, w.bad, w.reason);
			goto out;
		}
	}
	if (strcmp(head_hash, p->last) != 0)
		say(p, p->n, "audit_head's hash is not the hash of the last event");
out:
	for (unsigned i = 0; i < PARTS_MAX; i++) {
		chain_hasher_free(pts[i].h);
		if (dbs[i] != NULL) {
			db_snapshot_end(dbs[i]);
			db_close(dbs[i]);
		}
	}
	free(cps);
	arena_free(a);
	return rc;
}
