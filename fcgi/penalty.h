/* penalty.h: penalty notices (处罚通知单) as a pure state machine — who acts, in which state, and the appeal window. */
#ifndef KESU_PENALTY_H
#define KESU_PENALTY_H

#include <time.h>

#include "kesu.h"

enum pstate {
	PS_PROPOSED,   /* "proposed": waits for the signers of the matrix (the GM) */
	PS_APPROVED,   /* "approved": in force; visible to the target, finance or HR */
	PS_REJECTED,   /* "rejected": not in force */
	PS_APPEALED,   /* "appealed": the target appealed; the GM decides */
	PS_REVOKED,    /* "revoked": the appeal succeeded */
	PS__MAX
};

enum paction {
	PA_APPROVE,    /* "approve": the GM signs */
	PA_REJECT,     /* "reject" */
	PA_EXECUTE,    /* "execute": finance or HR signs that it was carried out */
	PA_APPEAL,     /* "appeal": the person or department penalised, with a reason, within the window */
	PA_UPHOLD,     /* "uphold": the GM keeps the penalty (back to approved) */
	PA_REVOKE,     /* "revoke": the GM lifts it */
	PA__MAX
};

/* The kinds of penalty; names are stored and are po keys "penalty_kind_<name>". */
extern const char *const penalty_kinds[];

/*
 * Whether action a may be taken on a penalty in state from that was (executed = 1) or was
 * not executed yet and was (appealed = 1) or was not appealed before; on KESU_OK *to is the
 * new state. KESU_ECONFLICT when the action does not apply now; KESU_EINPUT for an unknown
 * state or action. Pure. Who may act is penalty_actor_ok()'s question; the appeal window
 * is penalty_appeal_open()'s.
 */
int penalty_apply(enum pstate from, int executed, int appealed, enum paction a, enum pstate *to);

/* The role that executes a penalty of kind: finance for money (fine, bonus_deduction), HR otherwise. */
enum role penalty_executor(const char *kind);

/* 1 when kind carries an amount (fine, bonus_deduction). */
int penalty_has_amount(const char *kind);

/* 1 when an appeal is still open at now for a penalty approved at approved_at, with days natural days to appeal. */
int penalty_appeal_open(time_t approved_at, time_t now, int days);

const char *pstate_name(enum pstate s);
enum pstate pstate_from_name(const char *name);
const char *paction_name(enum paction a);
enum paction paction_from_name(const char *name);

/* The columns of a penalty row (PENALTY_COLS in db_stmt.c). */
enum { P_ID, P_NUMBER, P_TARGET_KIND, P_TARGET_DEP, P_TARGET_UID, P_TARGET_NAME, P_KIND, P_AMOUNT,
	P_REASON, P_RULE, P_STATE, P_VERSION, P_PROPOSER_UID, P_PROPOSER_NAME, P_PROPOSER_ROLE,
	P_PROPOSED_AT, P_DECIDED_AT, P_EXECUTED_AT, P_EXECUTED_BY, P_APPEAL_REASON, P_APPEALED_BY,
	P_APPEALED_AT, P_HASH, P_REQUIRED, P_RULE_IDS };
/* The SHA-256 of what a penalty's signatures cover, from a PENALTY_COLS row p, into out
 * (also used by the signature register to tell a changed notice). */
void penalty_hash(char **p, char out[65]);

#endif
