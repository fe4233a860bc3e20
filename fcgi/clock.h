/* clock.h: the SLA clocks of one complaint — response, resolution and the open steps — from its record and status history. */
#ifndef KESU_CLOCK_H
#define KESU_CLOCK_H

#include <stddef.h>
#include <time.h>

#include "arena.h"
#include "db.h"
#include "kesu.h"
#include "sla.h"

/* The deadlines the procedures name, in the order a complaint meets them. */
enum clock_step {
	CLOCK_RESPONSE,      /* respond_due (natural time, from severity_level), while registered */
	CLOCK_ACCEPTANCE,    /* a department accepts its assignment by the 2nd working day */
	CLOCK_REPORT,        /* its investigation report, signed within 3 working days of accepting */
	CLOCK_RESOLUTION,    /* resolve_due (natural time), until closed */
	CLOCK_CALLBACK,      /* the callback within 7 natural days of the reply */
	CLOCK__MAX
};

#define CLOCK_ACCEPT_WORKING_DAYS 2
#define CLOCK_REPORT_WORKING_DAYS 3
#define CLOCK_CALLBACK_MINUTES (7L * 24 * 60)

/* "response", "acceptance", ... (stored in reminder.step, used in JSON and po keys step_<name>). */
const char *clock_step_name(enum clock_step s);

/* The complaint's status became `to` at `at` (from its audit trail, in order). */
struct clock_change {
	time_t at;
	const char *to;
};

/* One row of complaint_assignment, and whether the department's report is signed. */
struct clock_assignment {
	const char *department;
	const char *state;         /* pending, accepted, refused */
	time_t assigned_at;
	time_t decided_at;         /* 0 while pending */
	int report_signed;
};

struct clock_input {
	const char *status;        /* the complaint's status now */
	time_t received_at;
	time_t respond_due;
	time_t resolve_due;        /* 0: case by case (no resolution clock) */
	time_t replied_at;         /* 0: not replied yet */
	const struct clock_change *changes;
	size_t nchanges;
	const struct clock_assignment *assignments;
	size_t nassignments;
};

/* A time the clock stood still, and why: the status it was in (not_substantiated, replied, closed). */
struct clock_pause {
	time_t from;
	time_t to;                 /* 0 while it lasts */
	const char *reason;
};

struct clock {
	enum clock_step step;
	const char *department;    /* acceptance and report: the department; NULL otherwise */
	enum sla_kind kind;
	time_t start;
	time_t stopped;            /* when the step was done (or the case closed); 0 while running */
	struct sla_status st;      /* evaluated at stopped, or at now while running */
	int late;                  /* past its deadline at stopped / now */
	int warning;               /* running, not late, and at least 75 % of the budget used */
	const struct clock_pause *pauses;   /* those that counted for this clock */
	size_t npauses;
};

/*
 * The clocks of a complaint at now:
 *   response     always; pauses while waiting for the customer; stops when the status first
 *                leaves registered / not_substantiated;
 *   resolution   when resolve_due is set; pauses while waiting for the customer and while the
 *                case was closed before a reopening; stops at closure;
 *   acceptance   for every assignment, by the 2nd working day after assigned_at; stops at
 *                the head's decision;
 *   report       for every accepted assignment whose report is not signed, by the 3rd
 *                working day after the acceptance;
 *   callback     when replied_at is set, 7 natural days; stops when the status leaves replied.
 * Waiting for the customer is the status not_substantiated or replied. Step clocks do not
 * pause, and stop at closure. A clock whose working-day deadline cannot be computed (an
 * empty calendar, logged) is left out.
 * Returns the number of clocks; *out (and the pauses) are allocated in a.
 */
size_t clock_compute(const struct sla_calendar *cal, const struct clock_input *in, time_t now,
    struct arena *a, struct clock **out);

/* UTC "YYYY-MM-DD HH:MM[:SS[.ffffff]]" as stored -> time_t; 0 for NULL or malformed. */
time_t clock_parse_utc(const char *s);
/* time_t -> UTC "YYYY-MM-DD HH:MM:SS" into out[32]. */
void clock_fmt_utc(time_t t, char out[32]);

/*
 * Read what the clocks of complaint number need: the complaint (status, severity, dates,
 * owner), its status changes from the audit trail and its assignments. lock: read the
 * complaint with FOR UPDATE (inside a transaction). Everything is in a. *severity and
 * *owner_uid may be NULL when not wanted. KESU_OK, KESU_ENOTFOUND or KESU_EDB.
 */
int clock_load(struct db *db, struct arena *a, const char *number, int lock, struct clock_input *in,
    int *severity, const char **owner_uid);

#endif
