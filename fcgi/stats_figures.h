/* stats_figures.h: the statistics' figures of a period read from the aggregates, and the monthly close — no request, no language. */
#ifndef KESU_STATS_FIGURES_H
#define KESU_STATS_FIGURES_H

#include <time.h>

#include <json-c/json.h>

#include "arena.h"
#include "audit.h"
#include "db.h"
#include "kesu.h"
#include "stats.h"

/* How a figure reads: a count, a rate (per mille), minutes, money (fen), satisfaction (hundredths). */
enum fig_kind { FIG_COUNT, FIG_PERMILLE, FIG_MINUTES, FIG_FEN, FIG_SAT };

/* The KPI weights (kpi.weight_* in kesu.conf: 30, 40, 30). */
struct stats_weights {
	long t, s, r;
};

/*
 * The figures of per (current, previous, a year earlier) for dept ('' the whole company),
 * from the aggregates of sql/022, at instant now (the deadlines that passed). *out (caller
 * owns it, json_object_put):
 *   "sections": [{"key", "label": "po" | "field" | "department", "field": list field or null,
 *                 "rows": [{"code", "kind", "v": [3 numbers, -1 = nothing to count],
 *                           "fkey", "fval": the list's filter of a drill-down link (absent: none;
 *                           "fkey": "" the dates only)}]}]
 *   "kpi": [{"department", "n", "timely", "sat", "resolved", "score"}] ranked (per mille, -1 none)
 *   "tops": [{"key", "rows": [{"a", "b" (part/lot only), "n"}]}]
 *   "trend": {"labels": [12 months], "counts": [...]}
 * Returns KESU_OK, or KESU_EDB (db_errno 1969: the period took longer than 10 s).
 */
int stats_figures(struct db *db, struct arena *a, long utc_offset_min, time_t now, const struct stats_period *per,
    const char *dept, const struct stats_weights *w, struct json_object **out);

/*
 * A report's content from stats_figures' output: {"sections": {key: {code: number}}, "kpi":
 * {department: score}}, the current period only, codes and numbers. Caller owns it.
 */
struct json_object *stats_frozen(struct json_object *figs);

/* The month to close on local date today ("YYYY-MM-DD"): the previous month from the 10th on,
 * written to out ("YYYY-MM"); 0 (nothing to close yet) before the 10th. */
int stats_close_target(const char *today, char out[8]);

/*
 * Freeze month ("YYYY-MM") as its report, in one transaction with its audit record
 * (stats_report_freeze by who). replace: freeze again a report not signed yet (the page);
 * otherwise a month that has a report is left alone (kesu-admin stats close-month, the
 * sweep: running twice does nothing more). *did: 1 when a report was written; hash: its
 * SHA-256. KESU_ECONFLICT: signed already (replace only); KESU_EINPUT: not a month.
 */
int stats_freeze_month(struct db *db, struct arena *a, long utc_offset_min, time_t now, const char *month,
    const struct stats_weights *w, const struct audit_actor *who, int replace, int *did, char hash[65]);

#endif
