/* sweep.h: the overdue sweep — reminders, escalations to the leadership group, and overdue inquiries after closure. */
#ifndef KESU_SWEEP_H
#define KESU_SWEEP_H

#include "db.h"
#include "kesu.h"
#include "stats_figures.h"

/* What one run issued (documents that existed already are not counted). */
struct sweep_counts {
	unsigned long complaints;    /* complaints examined */
	unsigned long reminders;
	unsigned long escalations;
	unsigned long inquiries;
	/* Another run (this host or another) holds the sweep's lease: nothing was done. */
	const char *busy_holder;     /* its holder, in static storage of sweep_run; NULL otherwise */
	char busy_until[32];         /* its expiry, UTC */
};

/*
 * One pass over the complaints that may be past a deadline (see docs/sla.md):
 *   - an open complaint's running clock past its deadline gets a reminder (催办单) to the
 *     person responsible and their head: response and resolution to the owner and the
 *     service supervisors, acceptance to the department's head, the report to the
 *     department and its head, the callback to the owner and the supervisors;
 *   - a level 1 or 2 complaint still registered past respond_due is escalated to the
 *     leadership group (roles gm and deputy_gm);
 *   - a closed complaint that overran any deadline gets an overdue inquiry (查办单) for each
 *     department that accepted it, or for the service supervisors when none did.
 * Each complaint is one transaction (db_tx): its documents and their audit records are
 * written together or not at all. A document is issued once, whatever the number of runs
 * (unique keys). now is the instant the clocks are evaluated at (time(NULL) in production).
 * One run at a time across every worker host: the run first takes the lease 'sweep' (lease.c,
 * SWEEP_LEASE_SECONDS, renewed as it goes) and gives it up at the end; when another run
 * holds it, this one returns KESU_OK at once with busy_holder set.
 * Returns KESU_OK with *out filled, or the first error (KESU_EDB...), logged.
 */
#define SWEEP_LEASE_SECONDS 300

int sweep_run(struct db *db, long utc_offset_min, time_t now, struct sweep_counts *out);

/*
 * The monthly close (docs/statistics.md): from the 10th of a month (local time at now) on,
 * freeze the previous month's figures as its report, audited as the sweep, unless the month
 * has a report already (once: every later run does nothing). *did: 1 when it froze now.
 * Returns KESU_OK or the first error, logged.
 */
int sweep_stats_close(struct db *db, long utc_offset_min, time_t now, const struct stats_weights *w, int *did);

#endif
