/* arena.h: per-request memory freed in one step, and a growable byte buffer. */
#ifndef KESU_ARENA_H
#define KESU_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* A new empty arena; free it with arena_free(). Never returns NULL. */
struct arena *arena_new(void);
/* Zeroed memory owned by the arena, aligned for any type. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies owned by the arena (NUL-terminated). arena_strdup(a, NULL) is NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Run fn(arg) when the arena is reset or freed (json-c roots, result sets, LDAPMessage). */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);
/* Run the deferred cleanups (last registered first) and release all but the first block. */
void arena_reset(struct arena *a);
/* arena_reset() and free everything. NULL is allowed. */
void arena_free(struct arena *a);
/* Bytes handed out since the last reset (for tests and logging). */
size_t arena_used(const struct arena *a);

/* A malloc-backed growable buffer; always NUL-terminated after any append. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s with & < > " ' replaced by entities. */
void buf_html_escape(struct buf *b, const char *s, size_t n);
/* Append s percent-encoded for a URL query value (RFC 3986 unreserved kept). */
void buf_url_encode(struct buf *b, const char *s);
void buf_reset(struct buf *b);  /* len = 0, keeps the memory */
void buf_free(struct buf *b);

#endif
