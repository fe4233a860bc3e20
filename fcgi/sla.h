/* sla.h: deadline arithmetic — natural and working time on a business calendar, and SLA clocks with pauses. */
#ifndef KESU_SLA_H
#define KESU_SLA_H

#include <stddef.h>
#include <time.h>

#include "kesu.h"

/*
 * Everything here is pure: no database, no clock, no time zone of the machine.
 * Instants are UTC time_t; every calendar decision (which day, which hours) is
 * taken in the company's local time, which is UTC + cal->utc_offset_min (fixed:
 * China has no DST). Dates are local YYYYMMDD ints (20261001).
 */

#define SLA_SPANS_MAX 2

/* Working time of one day: minutes since local midnight, [from, to), ascending, not overlapping. */
struct sla_span {
	int from;   /* 510 = 08:30 */
	int to;     /* 720 = 12:00; at most 1440 */
};
struct sla_hours {
	int nspans; /* 0 = not a working day */
	struct sla_span span[SLA_SPANS_MAX];
};

/*
 * The business calendar. It does not own the date arrays: whoever fills it
 * (the loader, from the calendar tables, into the request arena; a test, from
 * static arrays) keeps them alive as long as the calendar is used.
 *
 * A day works week[weekday] hours, except: a date in holidays[] does not work;
 * a date in makeup_days[] (调休, a Saturday or Sunday that is worked) works the
 * makeup hours, or Monday's hours when makeup.nspans is 0. A date in both lists
 * is an error that sla_calendar_check() rejects.
 */
struct sla_calendar {
	int utc_offset_min;              /* +480 for China */
	struct sla_hours week[7];        /* by local weekday: 0 = Sunday ... 6 = Saturday */
	struct sla_hours makeup;         /* hours of a make-up day; nspans 0 = those of week[1] */
	const int *holidays;             /* sorted ascending, YYYYMMDD */
	size_t nholidays;
	const int *makeup_days;          /* sorted ascending, YYYYMMDD */
	size_t nmakeup_days;
};

/*
 * KESU_OK if the calendar is usable: offset within +-14 h, spans inside the day,
 * ascending and not overlapping, date lists strictly ascending and valid dates,
 * no date both a holiday and a make-up day. KESU_EINPUT otherwise (logged with
 * the reason). The loader calls this before handing the calendar out.
 */
enum kesu_err sla_calendar_check(const struct sla_calendar *cal);

/* The local date (YYYYMMDD) of instant t. */
int sla_local_date(const struct sla_calendar *cal, time_t t);
/* 1 if the local date (YYYYMMDD) has working hours, 0 otherwise. */
int sla_is_working_day(const struct sla_calendar *cal, int date);

/* start + minutes of natural (wall-clock) time. */
time_t sla_add_natural(time_t start, long minutes);

/*
 * The instant at which `minutes` of working time have elapsed since start.
 * A start outside working hours begins at the next working moment, so 0 minutes
 * gives that moment (a start at 12:30 gives 13:00). A deadline that uses up a
 * span exactly ends at the end of that span (11:00 + 60 is 12:00, not 13:00).
 * Negative minutes count as 0. Returns (time_t)-1 if the calendar has no working
 * time for 400 consecutive days (an empty calendar), which is logged.
 */
time_t sla_add_working_minutes(const struct sla_calendar *cal, time_t start, long minutes);

/*
 * "By the Nth working day" (第N个工作日内), as the procedures use it: the end of
 * working hours (the end of the day's last span) of the Nth working day after
 * the local date of start. The day of start never counts, whatever the time of
 * day and whether or not it is a working day:
 *   received Friday 10:00, "by the 2nd working day" -> Tuesday 17:30
 *     (Monday is the 1st, Tuesday the 2nd);
 *   received Sunday -> also Tuesday 17:30 (Monday 1st, Tuesday 2nd);
 *   received Wednesday 30 Sep 2026, National Day 1-7 Oct -> Friday 9 Oct 17:30.
 * days <= 0 means "the same working day": the end of the day of start if it is a
 * working day, else of the next working day. Returns (time_t)-1 as
 * sla_add_working_minutes() does for an empty calendar.
 */
time_t sla_add_working_days(const struct sla_calendar *cal, time_t start, int days);

/* Seconds of working time in [from, to); 0 if to <= from. */
long sla_working_seconds(const struct sla_calendar *cal, time_t from, time_t to);

enum sla_kind { SLA_NATURAL, SLA_WORKING };

/* A pause (waiting for the customer): [from, to); to = 0 while it lasts. */
struct sla_pause {
	time_t from;
	time_t to;
};

/*
 * An SLA clock. Give the deadline either as a budget ("respond within 4 h":
 * budget_minutes = 240, deadline_basis = 0) or as an instant ("by the 2nd
 * working day": deadline_basis = sla_add_working_days(...), budget_minutes is
 * then ignored and the budget is the time from start to deadline_basis, counted
 * in the clock's kind). deadline_basis is the deadline before any pause.
 * Pauses are sorted by from; overlapping pauses count once; the part of a pause
 * before start or after now does not count. The clock does not own pauses[].
 */
struct sla_clock {
	time_t start;
	time_t deadline_basis;
	enum sla_kind kind;
	long budget_minutes;
	const struct sla_pause *pauses;
	size_t npauses;
};

enum sla_state {
	SLA_OK,
	SLA_WARNING,    /* at least 75 % of the budget used */
	SLA_OVERDUE,    /* now is past the effective deadline; wins over paused */
	SLA_PAUSED,     /* a pause covers now */
	SLA__MAX
};
#define SLA_WARN_NUM 3   /* warning at used/budget >= 3/4, compared exactly in integers */
#define SLA_WARN_DEN 4

/*
 * Where a clock stands at now. Minutes are counted in the clock's kind: for a
 * working clock, used, paused and remaining are working minutes, and only paused
 * working time shifts the deadline (a pause over a weekend shifts it by the
 * Friday afternoon and Monday morning it covers, not by 2 days).
 */
struct sla_status {
	time_t deadline;          /* deadline_basis shifted by the time paused so far */
	long budget_minutes;
	long used_minutes;        /* elapsed since start minus paused; floor */
	long paused_minutes;
	long remaining_minutes;   /* budget - used; negative when overdue */
	double fraction;          /* used / budget (1.0 for an empty budget) */
	enum sla_state state;
};
void sla_status(const struct sla_calendar *cal, const struct sla_clock *clock, time_t now,
    struct sla_status *out);

/* "ok", "warning", "overdue", "paused" — for JSON and template keys. */
const char *sla_state_name(enum sla_state s);

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and the date (YYYYMMDD) of a day
 * count: exact for every year, no libc time zone involved (H. Hinnant's algorithms).
 */
long sla_days_from_civil(long y, int m, int d);
int sla_civil_from_days(long z);
/*
 * "YYYY-MM-DD HH:MM" of date (YYYYMMDD, year 0-9999), h and mi into out[0..15], written by hand
 * (no NUL): every time of a list page and of the clocks passes here, where snprintf's format
 * parsing was most of the cost.
 */
void sla_put_minute(char out[16], int date, int h, int mi);

#endif
