/* register.h: the auditor's signature register and exception queries — what each signature still covers, and the rules that find an irregular record. */
#ifndef KESU_REGISTER_H
#define KESU_REGISTER_H

#include <json-c/json.h>
#include "app.h"

/* ---- pure decisions over rows (unit-tested in tests/unit/check_register.c) ---- */

/* 1 when signer (a uid) is one of the parties of what they signed: proposer/submitter/issuer,
 * author, or the person penalised ("" or NULL parties are none). */
int reg_signer_is_party(const char *signer, const char *proposer, const char *author, const char *target);
/* 1 when the approving roles (comma list, in signing order) are not exactly the required roles
 * (comma list) as a set, each once: fewer, other, or one role twice. */
int reg_signers_differ(const char *required, const char *approved);
/* 1 when a signature no longer covers its record: it was given on the current revision
 * (sig_rev == cur_rev; always for a penalty, whose signatures share one content) and the
 * content's hash today (cur_hash) is not the one signed. */
int reg_changed_after_signing(const char *entity, long sig_rev, const char *sig_hash, long cur_rev,
    const char *cur_hash);
/* 1 when a signature given on revision sig_rev is on the record's current revision cur_rev
 * (a penalty's signatures always are: its version counts steps, its content never changes). */
int reg_same_revision(const char *entity, long sig_rev, long cur_rev);
/* Penalty irregularities, as bits: REG_PEN_EXECUTED_EARLY executed before any approval (never
 * approved, or executed_at before decided_at); REG_PEN_APPEAL_LATE appealed more than
 * appeal_days after the approval. Times are UTC "YYYY-MM-DD HH:MM:SS" (NULL: none). */
#define REG_PEN_EXECUTED_EARLY 1
#define REG_PEN_APPEAL_LATE 2
int reg_penalty_irregular(const char *state, const char *decided_at, const char *executed_at,
    const char *appealed_at, long appeal_days);
/* 1 for a closed complaint that was replied to but has no callback. */
int reg_closed_without_callback(const char *status, const char *replied_at, const char *callback_at);
/* 1 for a closed product-quality complaint that no approved 8D version covers. */
int reg_quality_closed_without_8d(const char *category, const char *status, long approved_versions);
/* Which deadline was missed with no reminder issued for it, as of now (UTC text): 1 the response
 * (still registered after respond_due), 2 the resolution (open after resolve_due), 0 none.
 * grace_s: how long the sweep may take to issue one. */
int reg_deadline_unreminded(const char *status, const char *respond_due, const char *resolve_due,
    const char *now, long grace_s, long response_reminders, long resolution_reminders);

/* ---- what a signature covers today ---- */

/* Per-request cache of records' current hashes (an arena-owned list). */
struct reg_cache;
/*
 * The current content hash of (entity, id) of complaint number recomputed from today's rows the
 * way its page does, into out[65], and its current revision into *cur_rev (an 8D: the hash of
 * version sig_rev, which never changes once submitted; a hold notice: its stored hash).
 * 1 when known, 0 for an entity that is not a signed record or a row that is gone.
 * *cache starts as NULL; it lives in the request's arena.
 */
int reg_current_hash(struct app *app, struct req *r, struct reg_cache **cache, const char *entity,
    const char *id, const char *number, long sig_rev, char out[65], long *cur_rev);

/*
 * Read what the signature rows[0..n) cover (register rows: entity, id, revision, ..., the
 * complaint's number at 12) with one statement per kind of record on them (two for plans,
 * three for 8Ds), whatever n, into *cache; reg_current_hash() then runs no statement for
 * them. KESU_OK, or a database error (the cache then lacks the kinds not read yet, which
 * reg_current_hash() reads one by one as before).
 */
int reg_prefetch(struct app *app, struct req *r, struct reg_cache **cache, char ***rows, size_t n);
/* A text the page computed once under key (e.g. a rule's label): 1 and *text (may be NULL) when
 * kept; reg_memo_put keeps one (text must live in the request's arena). */
int reg_memo_get(struct reg_cache *cache, const char *key, const char **text);
void reg_memo_put(struct req *r, struct reg_cache **cache, const char *key, const char *text);

/* ---- the exception report ---- */

/* The period an exception report or review covers: local dates [from, to] and their UTC bounds. */
struct reg_period {
	const char *from, *to;             /* local "YYYY-MM-DD" */
	const char *from_utc, *to_utc;     /* UTC "YYYY-MM-DD HH:MM:SS", to_utc exclusive */
};
/* The period from ?from= and ?to= (default: the last 90 days); KESU_EINPUT with the field's error
 * (step_error) when a date is malformed, reversed or the period is longer than 400 days. */
int reg_period_parse(struct app *app, struct req *r, const char *from, const char *to, struct reg_period *p);
/*
 * The seven exception lists for period p: [{key, title, definition, count, empty, rows:[{url,
 * number, what, when}]}] into *lists (caller owns), the number of cases into *total.
 */
int reg_exceptions(struct app *app, struct req *r, const struct reg_period *p, struct json_object **lists,
    long *total);

#endif
