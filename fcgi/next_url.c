/* next_url.c: the "next" address after sign-in — a path on this site, never another site. */
#include <string.h>

#include "next_url.h"

/* A C0 control or a space: what the URL standard strips from both ends of an address. */
static int
c0_or_space(unsigned char c)
{
	return c <= 0x20;
}

char *
next_url_local(struct arena *a, const char *next)
{
	size_t n, i, k;
	char *p;

	if (next == NULL)
		return NULL;
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
