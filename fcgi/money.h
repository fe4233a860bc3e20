/* money.h: amounts in fen, parsed from and printed as yuan — never floating point. */
#ifndef KESU_MONEY_H
#define KESU_MONEY_H

#include <stdint.h>
#include "arena.h"

/* "1234", "1234.5", "1,234.56" (yuan, at most two decimals, under 10^12) -> fen; -1 when malformed. */
int64_t parse_yuan(const char *s);
/* fen -> "1,234.56", in the arena. */
const char *fmt_yuan(struct arena *a, int64_t fen);

#endif
