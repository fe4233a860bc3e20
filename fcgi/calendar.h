/* calendar.h: the business calendar the administrator edits, read from its tables into a struct sla_calendar. */
#ifndef KESU_CALENDAR_H
#define KESU_CALENDAR_H

#include <time.h>

#include "arena.h"
#include "db.h"
#include "kesu.h"
#include "sla.h"

/*
 * Read calendar_week and calendar_exception into *cal, with the company's UTC offset
 * (app.utc_offset_minutes). The holiday and make-up date arrays live in arena a, so
 * the calendar is usable as long as a is not reset. A make-up day works Monday's hours.
 * The calendar is checked with sla_calendar_check() before it is handed out.
 * Returns KESU_OK, KESU_EDB, or KESU_EINTERNAL when the tables hold an unusable
 * calendar (logged; the tables' constraints should make that impossible).
 */
int calendar_load(struct db *db, struct arena *a, long utc_offset_min, struct sla_calendar *cal);

/*
 * The same, for pages: a per-worker copy, read again when generation differs from the
 * one it was read at (the caller passes the newest audit seq of entity "calendar", which
 * every edit writes, fetched with the page's own query) or after CALENDAR_CACHE_SECONDS.
 * So an edit is seen at once by every worker, without a query of its own. The sweep
 * reads the tables on each run (calendar_load).
 */
#define CALENDAR_CACHE_SECONDS 300
int calendar_get(struct db *db, struct arena *a, long utc_offset_min, const char *generation,
    struct sla_calendar *cal);

/* "HH:MM" (00:00 .. 24:00) -> minutes since midnight; -1 when malformed or out of range. */
int calendar_parse_hhmm(const char *s);
/* minutes since midnight -> "HH:MM" into out[6]. */
void calendar_fmt_hhmm(int minutes, char out[6]);
/* "YYYY-MM-DD" -> YYYYMMDD when it is a real date between 2000 and 2099; 0 otherwise. */
int calendar_parse_date(const char *s);

#endif
