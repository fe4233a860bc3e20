/* valid.h: one validator per kind of value — ids, versions and counts are checked the same way everywhere. */
#ifndef KESU_VALID_H
#define KESU_VALID_H

#include <stddef.h>

/* 1 when s is 1..max decimal digits (no sign, no space). */
int valid_digits(const char *s, size_t max);
/* 1 when s is a record id: 1..18 digits. */
int valid_id(const char *s);
/* A version or revision a form carries (1..9 digits) into *out: KESU_OK, else KESU_EINPUT. */
int valid_version(const char *s, long *out);

#endif
