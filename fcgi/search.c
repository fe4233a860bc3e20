/* search.c: turn the words a person typed into a Mroonga boolean query, operators defused. */
#include <string.h>

#include "search.h"

/* Length of the blank at p (ASCII blank or U+3000, E3 80 80), 0 when p is not one. */
static size_t
blank_at(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		return 1;
	if ((unsigned char)p[0] == 0xe3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
		return 3;
	return 0;
}

int
search_too_long(const char *q)
{
	size_t n = 0;

	for (; *q != '\0'; q++)
		if (((unsigned char)*q & 0xc0) != 0x80 && ++n > SEARCH_MAX_CHARS)
			return 1;
	return 0;
}

const char *
search_boolean(struct arena *a, const char *q)
{
	struct buf b;
	const char *p = q, *out;
	int words = 0;

	if (q == NULL)
		return NULL;
	buf_init(&b);
	while (*p != '\0' && words < SEARCH_MAX_WORDS) {
		size_t n, start;

		while ((n = blank_at(p)) > 0)
			p += n;
		if (*p == '\0')
			break;
		start = b.len;
		buf_puts(&b, words > 0 ? " +\"" : "+\"");
		n = b.len;
		for (; *p != '\0' && blank_at(p) == 0; p++)
			if (*p != '"' && *p != '\\')
				buf_putc(&b, *p);
		if (b.len == n) {   /* a word of quotes only: nothing to look for */
			b.len = start;
			continue;
		}
		buf_putc(&b, '"');
		words++;
	}
	out = words > 0 ? arena_strndup(a, b.p, b.len) : NULL;
	buf_free(&b);
	return out;
}
