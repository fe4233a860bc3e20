/* next_url.h: the "next" address after sign-in — a path on this site, never another site. */
#ifndef KESU_NEXT_URL_H
#define KESU_NEXT_URL_H

#include "arena.h"

/*
 * next as a browser would read it in a Location header, if that is a path on this site:
 * TAB, CR and LF removed anywhere, leading and trailing C0 controls and spaces removed,
 * '\' turned into '/'; then it must start with exactly one '/' (not "//" or "/\"), and
 * contain no other control character; and the same must hold once its %XX escapes are
 * decoded (so "/%09/x" is refused). Returns that normalised path (allocated from a), or
 * NULL when next is NULL or not a local path ("//x", "/\x", "/\t/x", "/%09/x",
 * "javascript:", "https://x", "").
 */
char *next_url_local(struct arena *a, const char *next);

#endif
