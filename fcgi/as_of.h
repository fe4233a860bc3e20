/* as_of.h: a record as it stood at an audit sequence number, rebuilt from the trail's after-images. */
#ifndef KESU_AS_OF_H
#define KESU_AS_OF_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "arena.h"

/* One audit event of the record, as read from audit_event (seq ascending). */
struct as_of_event {
	uint64_t seq;
	const char *at;          /* UTC "YYYY-MM-DD HH:MM:SS.ffffff" */
	const char *action;
	const char *after_json;  /* NULL when the event left no after-image */
};

enum as_of_kind {
	/*
	 * A complaint: "register" starts it; report_* events fold into "reports" keyed by
	 * department, penalty_* into "penalties" keyed by penalty_id, events with a
	 * plan_revision into "plans" keyed by revision (their status and version stay on the
	 * complaint); notes about children (attachments, reminders, inquiries, 8D opening,
	 * remedy execution) only into "events"; every other event merges its after-image
	 * into the complaint.
	 */
	AS_OF_COMPLAINT,
	/* A record whose events all describe it (one penalty): the first event starts it,
	 * each later after-image merges over it. */
	AS_OF_RECORD,
	/*
	 * An 8D report: as AS_OF_RECORD, except that a save's "discipline" and "fields" replace
	 * that discipline under "disciplines" (a save of all, "disciplines", each of them), and
	 * notes about hold notices and attachments change nothing of the report itself.
	 */
	AS_OF_8D
};

/*
 * The record as it stood after the last of ev[0..n) with seq <= upto, folded from the
 * after-images in seq order; keys an after-image sets to null are removed. Decision
 * details (decision, role, meaning, comment) describe an event, not the record: they go
 * to the event's entry in "events" (every folded event: seq, at, action), never into the
 * record. "as_of_seq" and "as_of_at" name the last event folded. An after-image that is
 * not a JSON object is skipped (it is still listed in "events").
 * Returns a new object the caller puts, or NULL when no event at or before upto starts
 * the record (it did not exist yet) or ev is not in ascending seq order.
 */
struct json_object *as_of_rebuild(enum as_of_kind kind, const struct as_of_event *ev, size_t n,
    uint64_t upto);

/*
 * A local day "YYYY-MM-DD" or minute "YYYY-MM-DDTHH:MM" (the company's zone, utc_offset_min
 * east of UTC) as the last UTC instant it covers, "YYYY-MM-DD HH:MM:SS.999999", in the
 * arena: events and signatures at or before it stood then. NULL when malformed or not a
 * real date (2026-02-30).
 */
const char *as_of_local_end_utc(struct arena *a, long utc_offset_min, const char *local);

/* "123" (1..2^63) as a sequence number into *seq: 1, or 0 when malformed. */
int as_of_parse_seq(const char *s, uint64_t *seq);

#endif
