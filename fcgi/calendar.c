/* calendar.c: the business calendar from calendar_week and calendar_exception, checked before use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

/* A SMALLINT minute column: -1 for NULL. */
static int
minutes_col(const char *v)
{
	return v == NULL ? -1 : atoi(v);
}

int
calendar_load(struct db *db, struct arena *a, long utc_offset_min, struct sla_calendar *cal)
{
	struct db_res week, ex;
	int *hol, *mk;
	size_t nh = 0, nm = 0;
	int rc;

	memset(cal, 0, sizeof(*cal));
	cal->utc_offset_min = (int)utc_offset_min;
	if ((rc = db_exec(db, a, STMT_CALENDAR_WEEK, &week, "")) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, a, STMT_CALENDAR_EXCEPTIONS, &ex, "")) != KESU_OK)
		return rc;
	for (size_t i = 0; i < week.nrows; i++) {
		char **row = week.rows[i];
		int wd = atoi(row[0]);
		struct sla_hours *h;

		if (wd < 0 || wd > 6)
			continue;
		h = &cal->week[wd];
		h->nspans = 0;
		for (int s = 0; s < SLA_SPANS_MAX; s++) {
			int from = minutes_col(row[1 + 2 * s]), to = minutes_col(row[2 + 2 * s]);

			if (from < 0 || to < 0)
				break;
			h->span[h->nspans].from = from;
			h->span[h->nspans].to = to;
			h->nspans++;
		}
	}
	/* Rows come ordered by day, so each list is ascending as sla_calendar_check wants. */
	hol = arena_alloc(a, (ex.nrows + 1) * sizeof(int));
	mk = arena_alloc(a, (ex.nrows + 1) * sizeof(int));
	for (size_t i = 0; i < ex.nrows; i++) {
		int date = atoi(ex.rows[i][0]);

		if (strcmp(ex.rows[i][1], "holiday") == 0)
			hol[nh++] = date;
		else if (strcmp(ex.rows[i][1], "workday") == 0)
			mk[nm++] = date;
	}
	cal->holidays = hol;
	cal->nholidays = nh;
	cal->makeup_days = mk;
	cal->nmakeup_days = nm;
	if (sla_calendar_check(cal) != KESU_OK) {
		LOG_ERR("the calendar tables hold an unusable calendar (see the line above)");
		return KESU_EINTERNAL;
	}
	return KESU_OK;
}

/* The pages' copy: one per worker process, read again after CALENDAR_CACHE_SECONDS. */
static struct {
	struct sla_calendar cal;
	int *dates;              /* holidays then make-up days, malloc'd */
	time_t loaded;
	long offset;
	char generation[24];
	int valid;
} cache;

int
calendar_get(struct db *db, struct arena *a, long utc_offset_min, const char *generation,
    struct sla_calendar *cal)
{
	time_t now = time(NULL);
	size_t nh, nm;
	int *copy, rc;

	if (generation == NULL)
		generation = "";
	if (!cache.valid || cache.offset != utc_offset_min || now - cache.loaded >= CALENDAR_CACHE_SECONDS ||
	    now < cache.loaded || strcmp(cache.generation, generation) != 0) {
		struct sla_calendar fresh;
		int *dates;
		if ((rc = calendar_load(db, a, utc_offset_min, &fresh)) != KESU_OK)
			return rc;
		dates = malloc((fresh.nholidays + fresh.nmakeup_days + 1) * sizeof(int));
		if (dates == NULL)
			return KESU_EINTERNAL;
		memcpy(dates, fresh.holidays, fresh.nholidays * sizeof(int));
		memcpy(dates + fresh.nholidays, fresh.makeup_days, fresh.nmakeup_days * sizeof(int));
		free(cache.dates);
		cache.dates = dates;
		cache.cal = fresh;
		cache.cal.holidays = dates;
		cache.cal.makeup_days = dates + fresh.nholidays;
		cache.loaded = now;
		cache.offset = utc_offset_min;
		snprintf(cache.generation, sizeof(cache.generation), "%s", generation);
		cache.valid = 1;
	}
	/* The caller's copy lives in its arena: a reload in between cannot pull it away. */
	nh = cache.cal.nholidays;
	nm = cache.cal.nmakeup_days;
	copy = arena_alloc(a, (nh + nm + 1) * sizeof(int));
	memcpy(copy, cache.dates, (nh + nm) * sizeof(int));
	*cal = cache.cal;
	cal->holidays = copy;
	cal->makeup_days = copy + nh;
	return KESU_OK;
}

int
calendar_parse_hhmm(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' || strspn(s, "0123456789:") != 5)
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

void
calendar_fmt_hhmm(int minutes, char out[6])
{
	if (minutes < 0 || minutes > 1440)
		minutes = 0;
	snprintf(out, 6, "%02d:%02d", minutes / 60 % 100, minutes % 60);
}

int
calendar_parse_date(const char *s)
{
	int y, m, d, date;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    strspn(s, "0123456789-") != 10)
		return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	date = y * 10000 + m * 100 + d;
	/* 31 February and friends do not survive the round trip. */
	return sla_civil_from_days(sla_days_from_civil(y, m, d)) == date ? date : 0;
}
