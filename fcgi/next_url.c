/* next_url.c: the "next" address after sign-in — a path on this site, never another site. */
#include <string.h>

#include "next_url.h"
#include "req.h"

/* A C0 control or a space: what the URL standard strips from both ends of an address. */
static int
c0_or_space(unsigned char c)
{
	return c <= 0x20;
}

/* s with every valid %XX decoded once (others kept as they are), from the arena; NULL for %00. */
static char *
decode_once(struct arena *a, const char *s)
{
	size_t n = strlen(s), k = 0;
	char *p = arena_alloc(a, n + 1);

	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = req_hexval(s[i + 1])) >= 0 && (lo = req_hexval(s[i + 2])) >= 0) {
			/* %00 would end the string here: no path needs it */
			if (hi == 0 && lo == 0)
				return NULL;
			p[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			p[k++] = s[i];
		}
	}
	p[k] = '\0';
	return p;
}

static char *normalise_local(struct arena *a, const char *next);

char *
next_url_local(struct arena *a, const char *next)
{
	char *p;

	if (next == NULL || (p = normalise_local(a, next)) == NULL)
		return NULL;
	/* Whatever decodes it once more (a proxy, a careless client) must find a local path
	 * too: "/%09/evil.example" is "/\t/evil.example" one decoding later. */
	if (strchr(next, '%') != NULL) {
		const char *d = decode_once(a, next);
		if (d == NULL || normalise_local(a, d) == NULL)
			return NULL;
	}
	return p;
}

/* The browser's reading of next if that is a local path (see next_url_local), else NULL. */
static char *
normalise_local(struct arena *a, const char *next)
{
	size_t n, i, k;
	char *p;

	n = strlen(next);
	p = arena_alloc(a, n + 1);
	/* Browsers drop TAB, CR and LF wherever they are, and read '\' as '/' in http(s) URLs:
	 * "/\t/evil.example" and "/\\evil.example" both lead to another host. */
	for (i = k = 0; i < n; i++) {
		char c = next[i];
		if (c == '\t' || c == '\r' || c == '\n')
			continue;
		p[k++] = c == '\\' ? '/' : c;
	}
	while (k > 0 && c0_or_space((unsigned char)p[k - 1]))
		k--;
	p[k] = '\0';
	for (i = 0; i < k && c0_or_space((unsigned char)p[i]); i++)
		;
	p += i;
	k -= i;
	if (k == 0 || p[0] != '/' || p[1] == '/')
		return NULL;
	/* Whatever control character is left would be percent-encoded by one browser and kept
	 * by another: such a path is not worth the doubt. */
	for (i = 0; i < k; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return NULL;
	return p;
}
