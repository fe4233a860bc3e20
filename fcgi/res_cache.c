/* res_cache.c: a worker's copies of a few statement results, kept while the stamp they were read at stands. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "res_cache.h"

/*
 * One slot: the key, the stamp it was read at, and the result in one malloc'd block — the row
 * pointers, the lengths, then every cell's bytes (NUL-terminated; a NULL cell stays NULL).
 */
struct slot {
	char *key;
	struct res_stamp at;
	uint64_t used;          /* the request count at its last use: the least recent goes first */
	size_t nrows, ncols;
	char **cells;           /* nrows * ncols, into block */
	unsigned long *lens;    /* nrows * ncols */
	void *block;
	size_t bytes;           /* block's size */
	int tag;
};

static struct slot slots[RES_CACHE_SLOTS];
static uint64_t tick, hits, misses;
static struct res_stamp last;
static size_t total;            /* bytes held by every slot */
static time_t last_seen, busy_until;

static int
known(struct res_stamp at)
{
	return at.head != 0 && at.gen != 0;
}

static int
same(struct res_stamp x, struct res_stamp y)
{
	return x.head == y.head && x.gen == y.gen;
}

static void
slot_free(struct slot *s)
{
	total -= s->block != NULL ? s->bytes : 0;
	free(s->key);
	free(s->block);
	memset(s, 0, sizeof(*s));
}

static struct slot *
slot_find(const char *key)
{
	for (size_t i = 0; i < RES_CACHE_SLOTS; i++)
		if (slots[i].key != NULL && strcmp(slots[i].key, key) == 0)
			return &slots[i];
	return NULL;
}

const char *
res_cache_key(struct arena *a, const char *kind, const char *const *vals, size_t n)
{
	struct buf b;
	const char *key;

	buf_init(&b);
	buf_puts(&b, kind);
	for (size_t i = 0; i < n; i++)
		if (vals[i] == NULL)
			buf_puts(&b, "|-");
		else {
			buf_printf(&b, "|%zu:", strlen(vals[i]));
			buf_puts(&b, vals[i]);
		}
	key = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return key;
}

int
res_cache_get(const char *key, struct res_stamp at, struct arena *a, struct db_res *out, int *tag)
{
	struct slot *s;
	size_t n;

	if (!known(at) || (s = slot_find(key)) == NULL || !same(s->at, at)) {
		misses++;
		return 0;
	}
	hits++;
	s->used = ++tick;
	if (tag != NULL)
		*tag = s->tag;
	/* One copy of the block into the arena, its pointers moved with it. */
	{
		char *b = arena_alloc(a, s->bytes + 1), **cells = (char **)(void *)b;
		unsigned long *lens = (unsigned long *)(void *)(b + ((char *)s->lens - (char *)s->block));
		memcpy(b, s->block, s->bytes);
		n = s->nrows * s->ncols;
		for (size_t i = 0; i < n; i++)
			if (s->cells[i] != NULL)
				cells[i] = b + (s->cells[i] - (char *)s->block);
		memset(out, 0, sizeof(*out));
		out->nrows = s->nrows;
		out->ncols = s->ncols;
		out->rows = arena_alloc(a, (s->nrows + 1) * sizeof(*out->rows));
		out->lens = arena_alloc(a, (s->nrows + 1) * sizeof(*out->lens));
		for (size_t r = 0; r < s->nrows; r++) {
			out->rows[r] = cells + r * s->ncols;
			out->lens[r] = lens + r * s->ncols;
		}
	}
	return 1;
}

void
res_cache_put(const char *key, struct res_stamp at, const struct db_res *res, int tag)
{
	size_t n = res->nrows * res->ncols, bytes = n * (sizeof(char *) + sizeof(unsigned long)), k = 0;
	struct slot *s, fresh;
	char *p;

	if (!known(at))
		return;
	for (size_t r = 0; r < res->nrows; r++)
		for (size_t c = 0; c < res->ncols; c++)
			if (res->rows[r][c] != NULL)
				bytes += res->lens[r][c] + 1;
	if (bytes > RES_CACHE_BYTES)
		return;
	memset(&fresh, 0, sizeof(fresh));
	if ((fresh.key = strdup(key)) == NULL || (fresh.block = malloc(bytes + 1)) == NULL) {
		free(fresh.key);
		return;   /* out of memory: the next request reads it again */
	}
	fresh.bytes = bytes;
	fresh.tag = tag;
	fresh.at = at;
	fresh.used = ++tick;
	fresh.nrows = res->nrows;
	fresh.ncols = res->ncols;
	fresh.cells = fresh.block;
	fresh.lens = (unsigned long *)(void *)((char *)fresh.block + n * sizeof(char *));
	p = (char *)fresh.block + n * (sizeof(char *) + sizeof(unsigned long));
	for (size_t r = 0; r < res->nrows; r++)
		for (size_t c = 0; c < res->ncols; c++, k++) {
			const char *v = res->rows[r][c];
			fresh.lens[k] = v != NULL ? res->lens[r][c] : 0;
			fresh.cells[k] = NULL;
			if (v == NULL)
				continue;
			memcpy(p, v, fresh.lens[k]);
			p[fresh.lens[k]] = '\0';
			fresh.cells[k] = p;
			p += fresh.lens[k] + 1;
		}
	/* The same key's old copy, else a stale slot or an empty one, else the least recently used;
	 * then the least recently used others while all of them would hold more than the total. */
	if ((s = slot_find(key)) == NULL) {
		s = &slots[0];
		for (size_t i = 0; i < RES_CACHE_SLOTS; i++) {
			struct slot *t = &slots[i];
			if (t->key == NULL || !same(t->at, at)) {
				s = t;
				break;
			}
			if (t->used < s->used)
				s = t;
		}
	}
	slot_free(s);
	while (total + bytes > RES_CACHE_TOTAL) {
		struct slot *old = NULL;
		for (size_t i = 0; i < RES_CACHE_SLOTS; i++)
			if (slots[i].key != NULL && (old == NULL || slots[i].used < old->used))
				old = &slots[i];
		if (old == NULL)
			break;
		slot_free(old);
	}
	*s = fresh;
	total += bytes;
}

void
res_cache_seen(uint64_t head, uint64_t gen)
{
	last = (struct res_stamp){ head, gen };
	last_seen = time(NULL);
}

int
res_cache_likely(const char *key)
{
	time_t now = time(NULL);
	struct slot *s;

	return known(last) && now >= last_seen && now - last_seen <= RES_CACHE_RECENT && now >= busy_until &&
	    (s = slot_find(key)) != NULL && same(s->at, last);
}

void
res_cache_missed(void)
{
	busy_until = time(NULL) + RES_CACHE_BUSY;
}

void
res_cache_counts(uint64_t *h, uint64_t *m)
{
	*h = hits;
	*m = misses;
}

void
res_cache_clear(void)
{
	for (size_t i = 0; i < RES_CACHE_SLOTS; i++)
		slot_free(&slots[i]);
	tick = hits = misses = 0;
	last = (struct res_stamp){ 0, 0 };
	total = 0;
	last_seen = busy_until = 0;
}
