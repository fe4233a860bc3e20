/* authority.h: the authority matrix (核决权限) — who must approve an action, in which order, and what a signature covers. */
#ifndef KESU_AUTHORITY_H
#define KESU_AUTHORITY_H

#include <stddef.h>
#include <stdint.h>

#include "kesu.h"

struct json_object;

/* The most roles one rule may name. */
#define AUTH_RULE_ROLES 4
/* Enough room for any resolved list: each role appears at most once. */
#define AUTH_MAX_SIGNERS ROLE__MAX

/*
 * One row of the matrix. A rule matches an action when
 *   - action is equal (byte for byte),
 *   - min_amount_fen < amount <= max_amount_fen, where a negative min means
 *     "no lower bound" (so the first band takes 0) and a negative max means
 *     "no upper bound",
 *   - severity is 0 (any level) or equals the complaint's level.
 * Money is in fen (0.01 yuan), never floating point.
 * roles[] are the approvers in signing order, junior first (see authority_rule_valid()).
 */
struct auth_rule {
	const char *action;       /* "handling_plan", "investigation_signoff", "penalty", "8d_report", ... */
	int64_t min_amount_fen;   /* exclusive; < 0 = no lower bound */
	int64_t max_amount_fen;   /* inclusive; < 0 = no upper bound */
	int severity;             /* 0 = any level, else 1..4 only */
	enum role roles[AUTH_RULE_ROLES];
	int nroles;
};

/* The domain's defaults (docs/authority-matrix.md), for seeding and tests. */
extern const struct auth_rule authority_defaults[];
extern const size_t authority_ndefaults;

/*
 * 1 when r can be stored in the matrix: an action name, 1..AUTH_RULE_ROLES
 * distinct roles that may approve (not auditor, not admin), junior before senior,
 * a non-empty amount range, severity 0..4. The loader refuses a table with an
 * invalid row rather than skipping it.
 */
int authority_rule_valid(const struct auth_rule *r);

/* 1 when rule r applies to action for amount (fen) at severity (the matching rule above). */
int authority_rule_matches(const struct auth_rule *r, const char *action, int64_t amount, int severity);

/*
 * The roles that must approve action for amount_fen at severity (the complaint's
 * level, or 0 when the action has none), into out[0..max): the union of the roles
 * of every matching rule, each role once, ordered junior to senior (rank ties keep
 * the order they were first named in; amount bands before level rules).
 * Returns how many, or -1 when no rule matches, amount_fen is negative, action is
 * NULL, or out is too small: the caller must refuse, never approve by default.
 * out[] belongs to the caller; AUTH_MAX_SIGNERS entries always suffice.
 */
int authority_resolve(const struct auth_rule *rules, size_t n, const char *action,
    int64_t amount_fen, int severity, enum role out[], int max);

/*
 * 1 when the signer may sign in role required: they hold that role
 * (ROLE_BIT(required) in signer_roles) and did not propose the thing signed.
 * Uids are compared ignoring ASCII case, as the directory does. A missing
 * signer or proposer uid gives 0: a proposal whose author is unknown cannot
 * be shown not to be self-approved.
 */
int authority_may_sign(const char *signer_uid, unsigned signer_roles, const char *proposer_uid,
    enum role required);

/*
 * The next role to sign: the first of required[0..n) not in signed_roles (the
 * ROLE_BITs of the roles with an approve decision on this version). Returns
 * ROLE__MAX when every required role has signed.
 */
enum role authority_next_signer(const enum role required[], int n, unsigned signed_roles);

/*
 * Hex SHA-256 of the canonical form of signed_content into out[65]. The canonical
 * form is compact JSON with object keys sorted bytewise, strings as their UTF-8
 * bytes with only '"', '\\' and control characters escaped, integers in decimal
 * and doubles as %.17g: the same content gives the same hash whatever order its
 * keys were added in, any changed value gives another. NULL hashes as "null".
 * Content must be a tree (anything json-c parses is); nesting deeper than
 * 512 levels aborts.
 */
void authority_content_hash(struct json_object *signed_content, char out[65]);

#endif
