/* money.c: amounts in fen, parsed from and printed as yuan — never floating point. */
#include <stdio.h>
#include <string.h>

#include "money.h"

/* "1234", "1234.5", "1,234.56" (yuan, at most two decimals, under 10^12) -> fen; -1 when malformed. */
int64_t
parse_yuan(const char *s)
{
	int64_t yuan = 0, fen = 0;
	int digits = 0, decimals = 0;

	if (s == NULL)
		return -1;
	while (*s == ' ')
		s++;
	for (; *s != '\0' && *s != '.'; s++) {
		if (*s == ',')
			continue;
		if (*s < '0' || *s > '9' || ++digits > 12)
			return -1;
		yuan = yuan * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++decimals > 2)
				return -1;
			fen = fen * 10 + (*s - '0');
		}
		if (decimals == 1)
			fen *= 10;
	}
	while (*s == ' ')
		s++;
	return *s == '\0' ? yuan * 100 + fen : -1;
}

/* fen -> "1,234.56" in the arena. */
const char *
fmt_yuan(struct arena *a, int64_t fen)
{
	char digits[32], out[48];
	size_t n, o = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long)(fen / 100));
	n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, sizeof(out) - o, ".%02lld", (long long)(fen % 100));
	return arena_strdup(a, out);
}
