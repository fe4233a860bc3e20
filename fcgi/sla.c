/* sla.c: deadline arithmetic — natural and working time on a business calendar, and SLA clocks with pauses. */
#include <limits.h>
#include <stdlib.h>

#include "kesu.h"
#include "sla.h"

#define DAY_SECS 86400L
/* A calendar with no working time in this many consecutive days is treated as empty. */
#define MAX_IDLE_DAYS 400

static const char *const state_names[SLA__MAX] = {
	[SLA_OK] = "ok",
	[SLA_WARNING] = "warning",
	[SLA_OVERDUE] = "overdue",
	[SLA_PAUSED] = "paused",
};

static const struct sla_hours no_hours;

/* Division rounding towards minus infinity, so instants before 1970 fall on the right day. */
static long
floor_div(long a, long b)
{
	long q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms: exact for every year, no libc time zone involved).
 */
long
sla_days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
sla_civil_from_days(long z)
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	return (int)(y * 10000 + m * 100 + d);
}

/* Two digits of v at p. */
static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void
sla_put_minute(char out[16], int date, int h, int mi)
{
	put2(out, date / 1000000);
	put2(out + 2, date / 10000 % 100);
	out[4] = '-';
	put2(out + 5, date / 100 % 100);
	out[7] = '-';
	put2(out + 8, date % 100);
	out[10] = ' ';
	put2(out + 11, h);
	out[13] = ':';
	put2(out + 14, mi);
}

static long
day_of_date(int date)
{
	return sla_days_from_civil(date / 10000, date / 100 % 100, date % 100);
}

/* Seconds since 1970-01-01 00:00 local time. */
static long
local_secs(const struct sla_calendar *cal, time_t t)
{
	return (long)t + cal->utc_offset_min * 60L;
}

static time_t
utc_of_local(const struct sla_calendar *cal, long local)
{
	return (time_t)(local - cal->utc_offset_min * 60L);
}

static int
date_in(const int *dates, size_t n, int date)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (dates[mid] == date)
			return 1;
		if (dates[mid] < date)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The working hours of local day z (days since 1970-01-01); never NULL. */
static const struct sla_hours *
hours_of_day(const struct sla_calendar *cal, long z)
{
	int date = sla_civil_from_days(z);
	long wday = z + 4 - floor_div(z + 4, 7) * 7;   /* 1970-01-01 was a Thursday */

	if (date_in(cal->holidays, cal->nholidays, date))
		return &no_hours;
	if (date_in(cal->makeup_days, cal->nmakeup_days, date))
		return cal->makeup.nspans > 0 ? &cal->makeup : &cal->week[1];
	return &cal->week[wday];
}

static int
hours_ok(const struct sla_hours *h)
{
	int prev = 0;

	if (h->nspans < 0 || h->nspans > SLA_SPANS_MAX)
		return 0;
	for (int i = 0; i < h->nspans; i++) {
		if (h->span[i].from < prev || h->span[i].from >= h->span[i].to ||
		    h->span[i].to > 1440)
			return 0;
		prev = h->span[i].to;
	}
	return 1;
}

static int
dates_ok(const int *dates, size_t n)
{
	if (n > 0 && dates == NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (dates[i] < 10000101 || dates[i] > 99991231 ||
		    sla_civil_from_days(day_of_date(dates[i])) != dates[i])
			return 0;
		if (i > 0 && dates[i] <= dates[i - 1])
			return 0;
	}
	return 1;
}

enum kesu_err
sla_calendar_check(const struct sla_calendar *cal)
{
	if (cal->utc_offset_min < -14 * 60 || cal->utc_offset_min > 14 * 60) {
		LOG_WARN("UTC offset %d min out of range", cal->utc_offset_min);
		return KESU_EINPUT;
	}
	for (int i = 0; i < 7; i++)
		if (!hours_ok(&cal->week[i])) {
			LOG_WARN("working hours of weekday %d are not ascending spans within the day", i);
			return KESU_EINPUT;
		}
	if (!hours_ok(&cal->makeup)) {
		LOG_WARN("make-up day hours are not ascending spans within the day");
		return KESU_EINPUT;
	}
	if (!dates_ok(cal->holidays, cal->nholidays) ||
	    !dates_ok(cal->makeup_days, cal->nmakeup_days)) {
		LOG_WARN("holiday or make-up dates are not valid, strictly ascending YYYYMMDD");
		return KESU_EINPUT;
	}
	for (size_t i = 0; i < cal->nholidays; i++)
		if (date_in(cal->makeup_days, cal->nmakeup_days, cal->holidays[i])) {
			LOG_WARN("%d is both a holiday and a make-up working day", cal->holidays[i]);
			return KESU_EINPUT;
		}
	return KESU_OK;
}

int
sla_local_date(const struct sla_calendar *cal, time_t t)
{
	return sla_civil_from_days(floor_div(local_secs(cal, t), DAY_SECS));
}

int
sla_is_working_day(const struct sla_calendar *cal, int date)
{
	return hours_of_day(cal, day_of_date(date))->nspans > 0;
}

time_t
sla_add_natural(time_t start, long minutes)
{
	return start + (time_t)minutes * 60;
}

/* The working-time walk behind sla_add_working_minutes(), to the second. */
static time_t
add_working_secs(const struct sla_calendar *cal, time_t start, long secs)
{
	long local = local_secs(cal, start);
	long z = floor_div(local, DAY_SECS);
	long at = local - z * DAY_SECS;   /* seconds into day z */
	int idle = 0;

	if (secs < 0)
		secs = 0;
	for (;;) {
		const struct sla_hours *h = hours_of_day(cal, z);

		for (int i = 0; i < h->nspans; i++) {
			long from = h->span[i].from * 60L, to = h->span[i].to * 60L;
			long cur = at > from ? at : from;

			if (cur >= to)
				continue;
			/* <= so that a deadline that fills a span ends there, not after the break. */
			if (secs <= to - cur)
				return utc_of_local(cal, z * DAY_SECS + cur + secs);
			secs -= to - cur;
		}
		idle = h->nspans > 0 ? 0 : idle + 1;
		if (idle > MAX_IDLE_DAYS) {
			LOG_ERR("no working time in %d days from %d: empty calendar",
			    MAX_IDLE_DAYS, sla_local_date(cal, start));
			return (time_t)-1;
		}
		z++;
		at = 0;
	}
}

time_t
sla_add_working_minutes(const struct sla_calendar *cal, time_t start, long minutes)
{
	if (minutes > LONG_MAX / 60)
		minutes = LONG_MAX / 60;
	return add_working_secs(cal, start, minutes * 60);
}

time_t
sla_add_working_days(const struct sla_calendar *cal, time_t start, int days)
{
	long z = floor_div(local_secs(cal, start), DAY_SECS);
	int idle = 0;

	/* The day of start never counts towards N; with N <= 0 it is the candidate. */
	if (days > 0)
		z++;
	else
		days = 1;
	for (;; z++) {
		const struct sla_hours *h = hours_of_day(cal, z);

		if (h->nspans == 0) {
			if (++idle > MAX_IDLE_DAYS) {
				LOG_ERR("no working day in %d days from %d: empty calendar",
				    MAX_IDLE_DAYS, sla_local_date(cal, start));
				return (time_t)-1;
			}
			continue;
		}
		idle = 0;
		if (--days == 0)
			return utc_of_local(cal, z * DAY_SECS + h->span[h->nspans - 1].to * 60L);
	}
}

long
sla_working_seconds(const struct sla_calendar *cal, time_t from, time_t to)
{
	long lf, lt, total = 0;

	if (to <= from)
		return 0;
	lf = local_secs(cal, from);
	lt = local_secs(cal, to);
	for (long z = floor_div(lf, DAY_SECS); z * DAY_SECS < lt; z++) {
		const struct sla_hours *h = hours_of_day(cal, z);

		for (int i = 0; i < h->nspans; i++) {
			long a = z * DAY_SECS + h->span[i].from * 60L;
			long b = z * DAY_SECS + h->span[i].to * 60L;

			if (a < lf)
				a = lf;
			if (b > lt)
				b = lt;
			if (b > a)
				total += b - a;
		}
	}
	return total;
}

/* Length of [from, to) in the clock's kind of time. */
static long
span_secs(const struct sla_calendar *cal, enum sla_kind kind, time_t from, time_t to)
{
	if (to <= from)
		return 0;
	return kind == SLA_WORKING ? sla_working_seconds(cal, from, to) : (long)(to - from);
}

void
sla_status(const struct sla_calendar *cal, const struct sla_clock *clock, time_t now,
    struct sla_status *out)
{
	time_t basis = clock->deadline_basis, cursor = clock->start;
	long budget, paused = 0, used;
	int paused_now = 0;

	if (basis != 0) {
		budget = span_secs(cal, clock->kind, clock->start, basis);
	} else {
		long m = clock->budget_minutes < 0 ? 0 : clock->budget_minutes;

		if (m > LONG_MAX / 60)
			m = LONG_MAX / 60;
		budget = m * 60;
		basis = clock->kind == SLA_WORKING ?
		    add_working_secs(cal, clock->start, budget) : sla_add_natural(clock->start, m);
	}

	/*
	 * Only the part of each pause between start and now counts, and the cursor
	 * keeps overlapping pauses from counting twice.
	 */
	for (size_t i = 0; i < clock->npauses; i++) {
		const struct sla_pause *p = &clock->pauses[i];
		time_t f = p->from > cursor ? p->from : cursor;
		time_t t = (p->to == 0 || p->to > now) ? now : p->to;

		if (p->from <= now && (p->to == 0 || p->to > now))
			paused_now = 1;
		if (t > f) {
			paused += span_secs(cal, clock->kind, f, t);
			cursor = t;
		}
	}

	used = span_secs(cal, clock->kind, clock->start, now) - paused;
	if (used < 0)
		used = 0;

	if (paused == 0)
		out->deadline = basis;
	else if (clock->kind == SLA_WORKING)
		/* Paused working time is added as working time after the basis. */
		out->deadline = basis == (time_t)-1 ? basis : add_working_secs(cal, basis, paused);
	else
		out->deadline = basis + paused;

	out->budget_minutes = floor_div(budget, 60);
	out->used_minutes = floor_div(used, 60);
	out->paused_minutes = floor_div(paused, 60);
	out->remaining_minutes = floor_div(budget - used, 60);
	out->fraction = budget > 0 ? (double)used / (double)budget : 1.0;

	/* Overdue wins: pausing a late clock does not make it on time. */
	if (now > out->deadline)
		out->state = SLA_OVERDUE;
	else if (paused_now)
		out->state = SLA_PAUSED;
	else if (budget <= 0 || used * SLA_WARN_DEN >= budget * SLA_WARN_NUM)
		out->state = SLA_WARNING;
	else
		out->state = SLA_OK;
}

const char *
sla_state_name(enum sla_state s)
{
	return (unsigned)s < SLA__MAX ? state_names[s] : "?";
}
