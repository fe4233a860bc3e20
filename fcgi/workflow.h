/* workflow.h: the complaint lifecycle as a pure state machine — which action may move a complaint from which state to which, and by whom. */
#ifndef KESU_WORKFLOW_H
#define KESU_WORKFLOW_H

#include "kesu.h"

/*
 * The states of a complaint (docs/lifecycle.md draws them). Names are stored in
 * complaint.status, written in JSON and audit records, and label keys in po/
 * are "status_<name>". The numeric values are not stored anywhere; only names are:
 *   registered: received, numbered, waiting for triage
 *   not_substantiated: company not responsible; explained, waiting for the customer to accept
 *   triaged: substantiated; category and level confirmed by the supervisor
 *   assigned: responsible department(s) named, waiting for a head to accept
 *   investigating: departments write their investigation reports
 *   plan_proposed: a handling plan waits for its signatures
 *   approved: every required signature given; may now be promised
 *   replied: the customer was told the result and accepted it
 *   callback_done: satisfaction and comment recorded
 *   closed: finished; may be reopened
 */
#define CSTATES(X) \
	X(REGISTERED, registered) \
	X(NOT_SUBSTANTIATED, not_substantiated) \
	X(TRIAGED, triaged) \
	X(ASSIGNED, assigned) \
	X(INVESTIGATING, investigating) \
	X(PLAN_PROPOSED, plan_proposed) \
	X(APPROVED, approved) \
	X(REPLIED, replied) \
	X(CALLBACK_DONE, callback_done) \
	X(CLOSED, closed)
enum cstate {
#define X(e, name) CS_##e,
	CSTATES(X)
#undef X
	CS__MAX
};

/*
 * The actions a person can take on a complaint; names are audit actions and po keys "caction_<name>":
 *   answer_grumble: a grumble (抱怨) answered at once and closed
 *   customer_rejects_explanation: back to triage
 *   refuse_assignment: back to the supervisor
 *   approve_plan: the last required signature
 *   return_plan: for revision
 *   record_reply: told the customer, who accepted
 *   customer_disagrees: back to handling
 *   reopen: a closed complaint starts again at triage
 */
#define CACTIONS(X) \
	X(TRIAGE_SUBSTANTIATED, triage_substantiated) \
	X(TRIAGE_NOT_SUBSTANTIATED, triage_not_substantiated) \
	X(ANSWER_GRUMBLE, answer_grumble) \
	X(CUSTOMER_ACCEPTS_EXPLANATION, customer_accepts_explanation) \
	X(CUSTOMER_REJECTS_EXPLANATION, customer_rejects_explanation) \
	X(ASSIGN, assign) \
	X(ACCEPT_ASSIGNMENT, accept_assignment) \
	X(REFUSE_ASSIGNMENT, refuse_assignment) \
	X(PROPOSE_PLAN, propose_plan) \
	X(APPROVE_PLAN, approve_plan) \
	X(RETURN_PLAN, return_plan) \
	X(REJECT_PLAN, reject_plan) \
	X(RECORD_REPLY, record_reply) \
	X(CUSTOMER_DISAGREES, customer_disagrees) \
	X(RECORD_CALLBACK, record_callback) \
	X(CLOSE, close) \
	X(REOPEN, reopen)
enum caction {
#define X(e, name) CA_##e,
	CACTIONS(X)
#undef X
	CA__MAX
};

/*
 * One allowed transition. A person may take it when they hold a role in roles;
 * if every such role of theirs is also in owner_roles, they must moreover be the
 * complaint's owner (its first responder, 首问负责人). So owner_roles == roles
 * means "only the owner"; owner_roles == 0 means "anyone with the role".
 */
struct wf_transition {
	enum cstate from;
	enum caction action;
	enum cstate to;
	unsigned roles;        /* ROLE_BIT mask of who may act */
	unsigned owner_roles;  /* subset of roles that may act only as the owner */
	int needs_reason;      /* 1: a non-blank reason is required and audited */
};

/*
 * Apply action a to a complaint in state from, for a person holding roles (a
 * ROLE_BIT mask) who is (is_owner = 1) or is not its owner, with reason (may be
 * NULL when the transition needs none). On success writes the new state to *to
 * (when to is not NULL) and returns KESU_OK; *to is untouched otherwise.
 * Checks in this order and returns:
 *   KESU_EINTERNAL  from is not a state (the stored status is corrupt);
 *   KESU_EINPUT     a is not an action;
 *   KESU_ECONFLICT  the action is not allowed in this state (someone moved it meanwhile);
 *   KESU_EFORBIDDEN no role of this person may take it, or only as the owner and they are not;
 *   KESU_EINPUT     a reason is required and reason is NULL, empty or only white space
 *                   (ASCII, U+00A0 and the ideographic space U+3000).
 * Pure: no I/O, no allocation. It does not know who proposed a plan or how many
 * signatures the authority matrix wants; the caller checks those first.
 */
int workflow_apply(enum cstate from, enum caction a, unsigned roles, int is_owner,
    const char *reason, enum cstate *to);

/* The table row for (from, a), or NULL when the action is not allowed in that state. Static storage. */
const struct wf_transition *workflow_find(enum cstate from, enum caction a);
/*
 * The roles under which roles/is_owner take t, for the audit record (req_actor_as()): the
 * owner's roles (an owning agent) when the person takes it as the owner, else the roles that
 * may take it whoever owns the case; 0 when t is NULL or they may not take it.
 */
unsigned workflow_authority(const struct wf_transition *t, unsigned roles, int is_owner);

/*
 * The actions this person may take now in state s, in table order, into out[0..max)
 * (the page's buttons). Returns how many; never writes more than max entries
 * (CA__MAX always suffices). out[] belongs to the caller.
 */
int workflow_actions(enum cstate s, unsigned roles, int is_owner, enum caction out[], int max);

/* 1 when reason is NULL, empty or only white space as workflow_apply() counts it. */
int workflow_reason_blank(const char *reason);
/* 1 when a is one of the steps taken on the complaint page's own forms (not reports, plans, signatures). */
int workflow_on_page(enum caction a);
/* 0 for a step that does not fit the complaint's category (only a grumble is answered at once). */
int workflow_fits_category(enum caction a, const char *category);

/* Name of a state or action (static storage); "unknown" when out of range. */
const char *cstate_name(enum cstate s);
const char *caction_name(enum caction a);
/* State or action from its exact name; CS__MAX / CA__MAX when unknown or NULL. */
enum cstate cstate_from_name(const char *name);
enum caction caction_from_name(const char *name);

#endif
