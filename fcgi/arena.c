/* arena.c: per-request memory freed in one step, and a growable byte buffer. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "kesu.h"

#define ARENA_BLOCK 16384
#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size;     /* usable bytes in data */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *arg;
};

struct arena {
	struct block *head;      /* the block being filled; the first block is last in the list */
	struct cleanup *cleanups;
	size_t used;
};

static struct block *
block_new(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *
arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->head = block_new(ARENA_BLOCK);
	return a;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t off = (b->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (n == 0)
		n = 1;
	if (off + n > b->size) {
		/* A large request gets a block of its own, behind the current one, so the
		 * current block keeps serving small requests. */
		if (n > ARENA_BLOCK / 4) {
			struct block *big = block_new(n);
			big->used = n;
			big->next = b->next;
			b->next = big;
			a->used += n;
			memset(big->data, 0, n);
			return big->data;
		}
		b = block_new(ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
		off = 0;
	}
	p = b->data + off;
	b->used = off + n;
	a->used += n;
	/* Most requests are a few bytes (a list page makes over a thousand): clearing a fixed 64
	 * bytes is a few stores the compiler writes inline, not a call (issue 10, listfast). The
	 * bytes past n are not in use yet; whoever gets them clears them again. */
	if (n <= 64 && off + 64 <= b->size)
		memset(p, 0, 64);
	else
		memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
}

void
arena_reset(struct arena *a)
{
	struct block *b, *next;

	/* Cleanups live in the arena's own memory: run them all before freeing blocks. */
	while (a->cleanups != NULL) {
		struct cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->arg);
	}
	/* Keep the first block (the last of the list), free the others. */
	for (b = a->head; b->next != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = b;
	b->used = 0;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	free(a->head);
	free(a);
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}

void
buf_init(struct buf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

static void
buf_grow(struct buf *b, size_t need)
{
	size_t cap;

	if (b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void
buf_append(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
	}
	va_end(ap);
}

/* Whether any byte of the eight in x is one that HTML escaping replaces (& < > " '): the
 * classic "has a zero byte" test on x XOR each of them, exact as to whether one exists. */
static int
has_special8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t y, t = 0;

	y = x ^ (ones * '&'); t |= (y - ones) & ~y;
	y = x ^ (ones * '<'); t |= (y - ones) & ~y;
	y = x ^ (ones * '>'); t |= (y - ones) & ~y;
	y = x ^ (ones * '"'); t |= (y - ones) & ~y;
	y = x ^ (ones * '\''); t |= (y - ones) & ~y;
	return (t & highs) != 0;
}

void
buf_html_escape(struct buf *b, const char *s, size_t n)
{
	/* Written in place after growing once for the worst case (every byte "&quot;"), eight
	 * plain bytes at a time: a list page escapes a thousand values (issue 10, listfast). */
	static const unsigned char special[256] = { ['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4,
		['\''] = 5 };
	static const char rep[6][7] = { "", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
	static const unsigned char replen[6] = { 0, 5, 4, 4, 6, 5 };
	const char *end = s + n, *stop;
	char *d;

	if (n > SIZE_MAX / 8)
		abort();   /* cannot be: nothing that large is ever in memory */
	if (b->len + n * 6 + 1 > b->cap)
		buf_grow(b, n * 6);
	d = b->p + b->len;
	while (s < end) {
		uint64_t x;
		while (end - s >= 8) {
			memcpy(&x, s, 8);
			if (has_special8(x))
				break;
			memcpy(d, &x, 8);
			d += 8;
			s += 8;
		}
		/* the (at most) eight bytes that hold a special one, or the tail */
		for (stop = end - s >= 8 ? s + 8 : end; s < stop; s++) {
			unsigned char k = special[(unsigned char)*s];
			if (k == 0) {
				*d++ = *s;
			} else {
				memcpy(d, rep[k], replen[k]);
				d += replen[k];
			}
		}
	}
	b->len = (size_t)(d - b->p);
	b->p[b->len] = '\0';
}

void
buf_url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(b, e, 3);
		}
	}
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	buf_init(b);
}
