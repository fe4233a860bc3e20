/* audit_verify.h: walking the audit hash chain in bounded slices, through every checkpoint (kesu-admin and /audit/verify). */
#ifndef KESU_AUDIT_VERIFY_H
#define KESU_AUDIT_VERIFY_H

#include <stdint.h>

#include "arena.h"
#include "db.h"

/* A point of the chain known to be right: its seq and hash (64 lower-case hex digits). */
struct chain_checkpoint {
	uint64_t seq;
	char hash[65];
};

/* Where a walk stands; the caller keeps it between slices (it holds no pointers into a slice). */
struct chain_walk {
	uint64_t n;              /* events checked and intact: 1..n */
	char last[65];           /* the hash computed for event n (64 zeros before event 1) */
	uint64_t bad;            /* seq of the first broken link; 0: none so far */
	char reason[200];
	const struct chain_checkpoint *cps;  /* sorted by seq; the caller owns them */
	size_t ncps;
	size_t passed;           /* checkpoints passed through in this walk's slices */
};

/* Start before event 1. */
void chain_walk_init(struct chain_walk *w, const struct chain_checkpoint *cps, size_t ncps);
/* Continue at event n+1 with last = hash of event n (a slice from an earlier request). */
void chain_walk_resume(struct chain_walk *w, uint64_t n, const char *last,
    const struct chain_checkpoint *cps, size_t ncps);

/*
 * Check up to max events after w->n, not beyond seq upto (0: to the end of the table); each
 * event's prev_hash and hash are recomputed (audit.c's canonical form) and each checkpoint
 * passed must carry its hash. Rows are read 1000 at a time into scratch, which is reset
 * between reads (the caller's arena is untouched). Returns KESU_OK (w->bad says whether a
 * link is broken) or a DB error. *more is 1 when it stopped at max before upto/the end.
 */
int chain_walk(struct db *db, struct arena *scratch, struct chain_walk *w, uint64_t upto, uint64_t max, int *more);

/* Checkpoints at or below w->n that were not passed (beyond the chain's end): names the first as broken. */
void chain_walk_finish(struct chain_walk *w);

/* What hashing rows needs, reused between them (chain_hasher_new: never NULL; free with chain_hasher_free). */
struct chain_hasher;
struct chain_hasher *chain_hasher_new(void);
void chain_hasher_free(struct chain_hasher *h);

/*
 * hex(SHA-256(prev || audit.c's canonical form of the 12 fields f[0..11] of lengths len[]))
 * into out[65] — the same as audit_canonical() + audit_hash(), without allocating per row.
 */
void chain_hash_row(struct chain_hasher *h, const char *prev, char **f, unsigned long *len, char out[65]);

/*
 * Check one row (the 12 fields, prev_hash, hash: STMT_VERIFY_SCAN's columns) as the event
 * after w->n, whose hash is w->last, and every checkpoint at its seq. 1: intact, w->n and
 * w->last moved on; 0: broken, w->bad and w->reason say where and why.
 */
int chain_walk_row(struct chain_walk *w, struct chain_hasher *h, char **row, unsigned long *len);

/* "SEQ:HASH" into *cp: 1 when well formed (seq >= 1, 64 hex digits, folded to lower case). */
int chain_checkpoint_parse(const char *s, struct chain_checkpoint *cp);

#endif
