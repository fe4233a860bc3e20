/* valid.c: one validator per kind of value — ids, versions and counts are checked the same way everywhere. */
#include <stdlib.h>
#include <string.h>

#include "kesu.h"
#include "valid.h"

int
valid_digits(const char *s, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	return n > 0 && n <= max && strspn(s, "0123456789") == n;
}

int
valid_id(const char *s)
{
	return valid_digits(s, 18);
}

int
valid_version(const char *s, long *out)
{
	if (!valid_digits(s, 9))
		return KESU_EINPUT;
	*out = atol(s);
	return KESU_OK;
}
