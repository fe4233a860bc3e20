/* stats.c: the periods of the statistics and their rates and KPI score — pure, no I/O. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stats.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD" into out; the dates here are years 1999..2100, so ten characters always do. */
static void
put_civil(char out[11], int y, int m, int d)
{
	char tmp[40];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

static void
put_days(char out[11], long days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	put_civil(out, y, m, d);
}

static void
put_ymd(char out[11], int y, int m, int d)
{
	/* month 13 is January of the next year */
	if (m > 12) {
		y += (m - 1) / 12;
		m = (m - 1) % 12 + 1;
	}
	put_civil(out, y, m, d);
}

static int
days_in_month(int y, int m)
{
	return (int)(days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - days_from_civil(y, m, 1));
}

/* A strict "YYYY-MM-DD" between 2000 and 2099 into its days; -1 when it is not one. */
static long
parse_date(const char *s)
{
	int y, m, d, n = 0;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-' || y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	return days_from_civil(y, m, d);
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A period of whole months: months months from y-m; prev is the same number of months before. */
static void
months(struct stats_period *p, int y, int m, int n)
{
	int pm = m - n, py = y;

	while (pm < 1) {
		pm += 12;
		py--;
	}
	put_ymd(p->cur.from, y, m, 1);
	put_ymd(p->cur.to, y, m + n, 1);
	put_ymd(p->prev.from, py, pm, 1);
	put_ymd(p->prev.to, y, m, 1);
	put_ymd(p->yago.from, y - 1, m, 1);
	put_ymd(p->yago.to, y - 1, m + n, 1);
	put_days(p->last, parse_date(p->cur.to) - 1);
}

const char *
stats_period_parse(const char *period, const char *from, const char *to, const char *today,
    struct stats_period *p)
{
	memset(p, 0, sizeof(*p));
	if ((period == NULL || *period == '\0') && (from == NULL || *from == '\0') && (to == NULL || *to == '\0')) {
		if (today == NULL || strlen(today) < 7)
			return "err_stats_period";
		snprintf(p->label, sizeof(p->label), "%.7s", today);
		p->kind = STATS_MONTH;
		/* today is "YYYY-MM-DD": fall through to the month below with its first 7 characters */
		{
			int y, m;
			if (sscanf(today, "%4d-%2d", &y, &m) != 2 || y < 2000 || y > 2099 || m < 1 || m > 12)
				return "err_stats_period";
			months(p, y, m, 1);
			return NULL;
		}
	}
	if (period != NULL && *period != '\0') {
		size_t n = strlen(period);
		int y;

		if (n < 4 || !all_digits(period, 4))
			return "err_stats_period";
		y = (period[0] - '0') * 1000 + (period[1] - '0') * 100 + (period[2] - '0') * 10 + (period[3] - '0');
		if (y < 2000 || y > 2099)
			return "err_stats_period";
		if (n == 4) {
			p->kind = STATS_YEAR;
			months(p, y, 1, 12);
		} else if (n == 7 && period[4] == '-' && all_digits(period + 5, 2)) {
			int m = (period[5] - '0') * 10 + (period[6] - '0');
			if (m < 1 || m > 12)
				return "err_stats_month";
			p->kind = STATS_MONTH;
			months(p, y, m, 1);
		} else if (n == 7 && period[4] == '-' && (period[5] == 'Q' || period[5] == 'q') &&
		    period[6] >= '1' && period[6] <= '4') {
			p->kind = STATS_QUARTER;
			months(p, y, (period[6] - '1') * 3 + 1, 3);
		} else {
			return "err_stats_period";
		}
		snprintf(p->label, sizeof(p->label), "%.4s%s%.3s", period, n > 4 ? "-" : "",
		    n > 4 ? period + 5 : "");
		if (p->kind == STATS_QUARTER)
			p->label[5] = 'Q';
		return NULL;
	}
	{
		long f = parse_date(from), t = parse_date(to), len;
		int y, m, d;

		if (f < 0 || t < 0)
			return "err_stats_period";
		if (t < f)
			return "err_stats_range_order";
		len = t - f + 1;
		if (len > STATS_MAX_DAYS)
			return "err_stats_range_long";
		p->kind = STATS_RANGE;
		put_days(p->cur.from, f);
		put_days(p->cur.to, t + 1);
		put_days(p->prev.from, f - len);
		put_days(p->prev.to, f);
		/* a year earlier: the same dates (29 February becomes 1 March) */
		civil_from_days(f, &y, &m, &d);
		put_days(p->yago.from, d > days_in_month(y - 1, m) ? days_from_civil(y - 1, m, 1) + d - 1 :
		    days_from_civil(y - 1, m, d));
		civil_from_days(t + 1, &y, &m, &d);
		put_days(p->yago.to, d > days_in_month(y - 1, m) ? days_from_civil(y - 1, m, 1) + d - 1 :
		    days_from_civil(y - 1, m, d));
		put_days(p->last, t);
		snprintf(p->label, sizeof(p->label), "%s..%s", p->cur.from, p->last);
		return NULL;
	}
}

long
stats_permille(long num, long den)
{
	if (den <= 0)
		return -1;
	return (num * 2000 + den) / (2 * den);
}

long
stats_kpi(long timeliness, long satisfaction, long resolution, long w_t, long w_s, long w_r)
{
	long sum = 0, w = 0;

	if (timeliness >= 0) {
		sum += timeliness * w_t;
		w += w_t;
	}
	if (satisfaction >= 0) {
		sum += satisfaction * w_s;
		w += w_s;
	}
	if (resolution >= 0) {
		sum += resolution * w_r;
		w += w_r;
	}
	if (w <= 0)
		return -1;
	return (sum * 2 + w) / (2 * w);
}
