/* search.h: a person's search words as a Mroonga boolean query (complaint_text, sql/018). */
#ifndef KESU_SEARCH_H
#define KESU_SEARCH_H

#include "arena.h"

/* The longest search accepted, in characters (the form's maxlength); longer gets a message. */
#define SEARCH_MAX_CHARS 100
/* The same bound in bytes: no UTF-8 character is longer than 4 (links keep q up to this). */
#define SEARCH_MAX_BYTES (4 * SEARCH_MAX_CHARS)
/* At most this many words; the others are ignored (each word is one more index lookup). */
#define SEARCH_MAX_WORDS 8

/* 1 when q (valid UTF-8) has more than SEARCH_MAX_CHARS characters. */
int search_too_long(const char *q);

/*
 * q (valid UTF-8, at most SEARCH_MAX_CHARS) as the text of MATCH ... AGAINST (... IN BOOLEAN
 * MODE): every word, split at blanks (ASCII and the ideographic space U+3000), must occur
 * somewhere in the text — `+"word1" +"word2"`. Quotes and backslashes inside a word are taken
 * out, so nothing a person types is read as an operator. Returns NULL when no word is left.
 * The result is allocated in a.
 */
const char *search_boolean(struct arena *a, const char *q);

#endif
