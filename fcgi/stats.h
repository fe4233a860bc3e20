/* stats.h: the periods of the statistics — a month, quarter, year or date range, the one before and a year earlier (pure). */
#ifndef KESU_STATS_H
#define KESU_STATS_H

/* The longest date range /stats accepts, in days (three years and a leap day). */
#define STATS_MAX_DAYS 1097

enum stats_kind { STATS_MONTH, STATS_QUARTER, STATS_YEAR, STATS_RANGE };

/* Local dates "YYYY-MM-DD"; every "to" is exclusive (the day after the last one counted). */
struct stats_range {
	char from[11], to[11];
};

struct stats_period {
	enum stats_kind kind;
	char label[24];               /* "2026-11", "2026-Q3", "2026", "2026-01-05..2026-02-04" */
	struct stats_range cur;       /* the period asked for */
	struct stats_range prev;      /* the period of the same length just before it */
	struct stats_range yago;      /* the same period a year earlier */
	char last[11];                /* the last day of cur (inclusive), for the list's to= */
};

/*
 * Parse ?period= (YYYY-MM, YYYY-Qn, YYYY) or, when period is NULL or empty, from=/to=
 * (inclusive local dates). All absent: the month of today (local date "YYYY-MM-DD").
 * Returns NULL and fills *p, or the po key of what is wrong (err_stats_period,
 * err_stats_range_order, err_stats_range_long).
 */
const char *stats_period_parse(const char *period, const char *from, const char *to, const char *today,
    struct stats_period *p);

/* The per-mille rate num/den rounded half up; -1 when den is 0. */
long stats_permille(long num, long den);

/*
 * The department KPI, 0..1000 (per mille), from its parts (each per mille, -1 for "no data":
 * that part is left out and the others' weights count), weights in whole numbers.
 * -1 when no part has data.
 */
long stats_kpi(long timeliness, long satisfaction, long resolution, long w_t, long w_s, long w_r);

#endif
