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

/*
 * A search's candidates (STMT_FIND_BY_*): the newest FIND_WINDOW complaints that hold the
 * words, taken from Groonga in one top-N pass, are filtered and sorted for the page; when
 * there are more hits the page says that older ones are not in this order. A reader who sees
 * every complaint, with no other filter and the default order, needs only FIND_WINDOW_PLAIN
 * (a page's 51 rows and the count, exact up to 1,000, come from the same 1,001 candidates).
 * The count (STMT_FIND_COUNT) and the newest-first export (STMT_FIND_EXPORT*) cover every hit.
 */
#define FIND_WINDOW 5000
#define FIND_WINDOW_PLAIN 1000
/* Hits a newest-first export asks Groonga for at a time (STMT_FIND_EXPORT*). */
#define FIND_EXPORT_BATCH 5000

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
