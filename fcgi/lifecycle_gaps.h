/* lifecycle_gaps.h: two rules the lifecycle steps also obey — a triage that corrects category
 * and level, and a reason to close a product-quality complaint without an approved 8D. */
#ifndef KESU_LIFECYCLE_GAPS_H
#define KESU_LIFECYCLE_GAPS_H

#include "audit.h"

struct arena;
struct complaint_in;
struct db;

/*
 * The supervisor's triage corrects complaint number's category and/or severity level
 * (NULL or "": unchanged), inside the caller's transaction with the row locked. When either
 * changes, reason is required, the deadlines are recomputed from the severity table as at
 * registration (receipt + the level's minutes), and "triage_correct" is audited with before
 * and after. KESU_OK (also when nothing changes); KESU_EINPUT with *bad_field and *bad_key
 * (a po key) set; or a DB error.
 */
int triage_correct(struct db *db, struct arena *a, const struct audit_actor *who, const char *number,
    const char *category, const char *severity, const char *reason, const char **bad_field,
    const char **bad_key);

/* 1 when category is "product_quality" (the product-quality complaints that get an 8D). */
int close_category_wants_8d(const char *category);

/*
 * Whether closing complaint number (of category) needs a reason: it is a product-quality
 * complaint and no 8D covering it has an approved version — into *needs. KESU_OK or a DB error.
 */
int close_needs_reason(struct db *db, struct arena *a, const char *number, const char *category,
    int *needs);

#endif
