/* audit_verify.c: the audit hash chain walked in bounded slices, each link recomputed, through every checkpoint. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "audit.h"
#include "audit_verify.h"
#include "kesu.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

void
chain_walk_init(struct chain_walk *w, const struct chain_checkpoint *cps, size_t ncps)
{
	chain_walk_resume(w, 0, zero_hash, cps, ncps);
}

void
chain_walk_resume(struct chain_walk *w, uint64_t n, const char *last,
    const struct chain_checkpoint *cps, size_t ncps)
{
	memset(w, 0, sizeof(*w));
	w->n = n;
	snprintf(w->last, sizeof(w->last), "%s", last);
	w->cps = cps;
	w->ncps = ncps;
}

static int
broken(struct chain_walk *w, uint64_t seq, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
broken(struct chain_walk *w, uint64_t seq, const char *fmt, ...)
{
	va_list ap;

	w->bad = seq;
	va_start(ap, fmt);
	vsnprintf(w->reason, sizeof(w->reason), fmt, ap);
	va_end(ap);
	return KESU_OK;
}

/* The first checkpoint at seq or after it (cps is sorted by seq: a binary search). */
static size_t
checkpoint_from(const struct chain_walk *w, uint64_t seq)
{
	size_t lo = 0, hi = w->ncps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->cps[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Every checkpoint at seq (a stored one and one from paper may name the same seq) must say calc. */
static int
checkpoints_hold(struct chain_walk *w, uint64_t seq, const char *calc)
{
	for (size_t i = checkpoint_from(w, seq); i < w->ncps && w->cps[i].seq == seq; i++) {
		if (strcmp(w->cps[i].hash, calc) != 0) {
			broken(w, seq, "the chain no longer passes through the checkpoint at seq %" PRIu64
			    " (its hash there is %.16s..., the checkpoint says %.16s...)", seq, calc, w->cps[i].hash);
			return 0;
		}
		w->passed++;
	}
	return 1;
}

/*
 * What hashing a row needs, kept between rows: the digest fetched once (OpenSSL 3 would
 * look EVP_sha256() up again at every init), its context, and one buffer the canonical
 * form is laid out in, so that each event is a single digest update (SHA-NI where the CPU
 * has it) instead of 37 small ones, and nothing is allocated per row.
 */
struct chain_hasher {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
	unsigned char *buf;
	size_t cap;
};

struct chain_hasher *
chain_hasher_new(void)
{
	struct chain_hasher *h = calloc(1, sizeof(*h));

	if (h == NULL || (h->md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (h->ctx = EVP_MD_CTX_new()) == NULL)
		abort();
	return h;
}

void
chain_hasher_free(struct chain_hasher *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	free(h->buf);
	free(h);
}

/* Decimal digits of v at p (no NUL); returns their number. */
static size_t
put_ulong(unsigned char *p, unsigned long v)
{
	unsigned char tmp[24];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (size_t i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/*
 * hex(SHA-256(prev || canonical form of the 12 fields)) into out[65]: the same bytes as
 * audit_canonical() + audit_hash(), laid out in the hasher's buffer (grown, never shrunk).
 */
void
chain_hash_row(struct chain_hasher *h, const char *prev, char **f, unsigned long *len, char out[65])
{
	static const char hexdig[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t need = 64, o;

	for (int i = 0; i < 12; i++)
		need += (f[i] != NULL ? len[i] : 0) + 24;
	if (need > h->cap) {
		h->cap = need * 2;
		free(h->buf);
		if ((h->buf = malloc(h->cap)) == NULL)
			abort();
	}
	memcpy(h->buf, prev, 64);
	o = 64;
	for (int i = 0; i < 12; i++) {
		if (f[i] == NULL) {
			memcpy(h->buf + o, "-1:,", 4);
			o += 4;
			continue;
		}
		o += put_ulong(h->buf + o, len[i]);
		h->buf[o++] = ':';
		memcpy(h->buf + o, f[i], len[i]);
		o += len[i];
		h->buf[o++] = ',';
	}
	if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1 || EVP_DigestUpdate(h->ctx, h->buf, o) != 1 ||
	    EVP_DigestFinal_ex(h->ctx, md, &mdlen) != 1 || mdlen != 32)
		abort();
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hexdig[md[i] >> 4];
		out[2 * i + 1] = hexdig[md[i] & 15];
	}
	out[64] = '\0';
}

/* Fixed-width compare of a stored hash cell with a computed one (a NULL or short cell never matches). */
static int
hash_is(const char *cell, unsigned long len, const char *calc)
{
	return cell != NULL && len == 64 && memcmp(cell, calc, 64) == 0;
}

int
chain_walk_row(struct chain_walk *w, struct chain_hasher *h, char **row, unsigned long *len)
{
	uint64_t seq = strtoull(row[0], NULL, 10);
	char calc[65];

	if (seq != w->n + 1) {
		broken(w, w->n + 1, "event missing (the next one stored is seq %" PRIu64 ")", seq);
		return 0;
	}
	if (!hash_is(row[12], len[12], w->last)) {
		broken(w, seq, "prev_hash is not the hash of %s",
		    seq == 1 ? "the genesis (64 zeros)" : "the event before");
		return 0;
	}
	chain_hash_row(h, w->last, row, len, calc);
	if (!hash_is(row[13], len[13], calc)) {
		broken(w, seq, "hash does not match the event's contents");
		return 0;
	}
	if (w->ncps != 0 && !checkpoints_hold(w, seq, calc))
		return 0;
	memcpy(w->last, calc, 65);
	w->n = seq;
	return 1;
}

int
chain_walk(struct db *db, struct arena *scratch, struct chain_walk *w, uint64_t upto, uint64_t max, int *more)
{
	struct chain_hasher *h = chain_hasher_new();
	struct db_res res;
	uint64_t done = 0;
	int rc = KESU_OK;

	*more = 0;
	while (w->bad == 0) {
		if (upto != 0 && w->n >= upto)
			break;
		if (done >= max) {
			*more = 1;
			break;
		}
		arena_reset(scratch);
		if ((rc = db_exec(db, scratch, STMT_VERIFY_SCAN, &res, "u", w->n)) != KESU_OK)
			break;
		if (res.nrows == 0)
			break;
		for (size_t i = 0; i < res.nrows && w->bad == 0; i++) {
			uint64_t seq = strtoull(res.rows[i][0], NULL, 10);

			if ((upto != 0 && seq > upto) || done >= max) {
				*more = done >= max && (upto == 0 || seq <= upto);
				goto out;
			}
			if (!chain_walk_row(w, h, res.rows[i], res.lens[i]))
				break;
			done++;
		}
	}
out:
	chain_hasher_free(h);
	return rc;
}

void
chain_walk_finish(struct chain_walk *w)
{
	if (w->bad != 0)
		return;
	for (size_t i = 0; i < w->ncps; i++)
		if (w->cps[i].seq > w->n) {
			broken(w, w->n + 1, "the checkpoint at seq %" PRIu64 " lies beyond the chain's last event "
			    "(%" PRIu64 "): events were removed", w->cps[i].seq, w->n);
			return;
		}
}

int
chain_checkpoint_parse(const char *s, struct chain_checkpoint *cp)
{
	const char *colon;
	char *end;
	unsigned long long seq;

	if (s == NULL || (colon = strchr(s, ':')) == NULL || !isdigit((unsigned char)s[0]))
		return 0;
	seq = strtoull(s, &end, 10);
	if (end != colon || seq == 0 || strlen(colon + 1) != 64)
		return 0;
	for (int i = 0; i < 64; i++) {
		unsigned char ch = (unsigned char)colon[1 + i];

		if (!isxdigit(ch))
			return 0;
		cp->hash[i] = (char)tolower(ch);
	}
	cp->hash[64] = '\0';
	cp->seq = seq;
	return 1;
}
