/* workflow.c: the complaint lifecycle's transition table and the checks that enforce it. */
#include <string.h>

#include "kesu.h"
#include "workflow.h"

/* The names, from the same lists as the enums (workflow.h), so they cannot drift apart. */
static const char *const cstate_names[CS__MAX] = {
#define X(e, name) [CS_##e] = #name,
	CSTATES(X)
#undef X
};

static const char *const caction_names[CA__MAX] = {
#define X(e, name) [CA_##e] = #name,
	CACTIONS(X)
#undef X
};

#define AGENT     ROLE_BIT(ROLE_AGENT)
#define SUPER     ROLE_BIT(ROLE_SUPERVISOR)
#define HEAD      ROLE_BIT(ROLE_DEPT_HEAD)
#define APPROVERS (ROLE_BIT(ROLE_DEPT_HEAD) | ROLE_BIT(ROLE_DEPUTY_GM) | ROLE_BIT(ROLE_GM))
/*
 * The first responder's steps: the owning agent, or a service supervisor, who is
 * the next in the procedures' order of handlers (第一客服, then 室负责人) and may
 * step in without owning the case. An agent who is not the owner may not, so
 * these rows read "RESPONDER, AGENT" (agents only as the owner).
 */
#define RESPONDER (AGENT | SUPER)

/*
 * The lifecycle, in the order of the road (docs/lifecycle.md is its picture;
 * tests/unit/check_workflow.c restates it independently). At most one row per
 * (from, action). Auditors, administrators, finance and HR appear nowhere: they
 * read or configure, they never move a complaint.
 */
static const struct wf_transition table[] = {
	/* from                  action                           to                    roles, owner_roles   reason */
	{ CS_REGISTERED,        CA_TRIAGE_SUBSTANTIATED,         CS_TRIAGED,           SUPER, 0,            0 },
	{ CS_REGISTERED,        CA_TRIAGE_NOT_SUBSTANTIATED,     CS_NOT_SUBSTANTIATED, SUPER, 0,            1 },
	{ CS_REGISTERED,        CA_ANSWER_GRUMBLE,               CS_CLOSED,            RESPONDER, AGENT,    1 },
	{ CS_NOT_SUBSTANTIATED, CA_CUSTOMER_ACCEPTS_EXPLANATION, CS_CLOSED,            RESPONDER, AGENT,    0 },
	{ CS_NOT_SUBSTANTIATED, CA_CUSTOMER_REJECTS_EXPLANATION, CS_REGISTERED,        RESPONDER, AGENT,    1 },
	{ CS_TRIAGED,           CA_ASSIGN,                       CS_ASSIGNED,          SUPER, 0,            0 },
	{ CS_ASSIGNED,          CA_ACCEPT_ASSIGNMENT,            CS_INVESTIGATING,     HEAD, 0,             0 },
	{ CS_ASSIGNED,          CA_REFUSE_ASSIGNMENT,            CS_TRIAGED,           HEAD, 0,             1 },
	/* "Proposed by the owner or a department head" (issue 3). */
	{ CS_INVESTIGATING,     CA_PROPOSE_PLAN,                 CS_PLAN_PROPOSED,     AGENT | SUPER | HEAD, AGENT, 0 },
	{ CS_PLAN_PROPOSED,     CA_APPROVE_PLAN,                 CS_APPROVED,          APPROVERS, 0,        0 },
	{ CS_PLAN_PROPOSED,     CA_RETURN_PLAN,                  CS_INVESTIGATING,     APPROVERS, 0,        1 },
	{ CS_PLAN_PROPOSED,     CA_REJECT_PLAN,                  CS_INVESTIGATING,     APPROVERS, 0,        1 },
	{ CS_APPROVED,          CA_RECORD_REPLY,                 CS_REPLIED,           RESPONDER, AGENT,    0 },
	{ CS_REPLIED,           CA_CUSTOMER_DISAGREES,           CS_INVESTIGATING,     RESPONDER, AGENT,    1 },
	{ CS_REPLIED,           CA_RECORD_CALLBACK,              CS_CALLBACK_DONE,     RESPONDER, AGENT,    0 },
	/* Dissatisfaction found at the callback also returns the case to handling. */
	{ CS_CALLBACK_DONE,     CA_CUSTOMER_DISAGREES,           CS_INVESTIGATING,     RESPONDER, AGENT,    1 },
	{ CS_CALLBACK_DONE,     CA_CLOSE,                        CS_CLOSED,            RESPONDER, AGENT,    0 },
	/* A reopened case is judged again from the start; its history stays. */
	{ CS_CLOSED,            CA_REOPEN,                       CS_REGISTERED,        RESPONDER, AGENT,    1 },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

const struct wf_transition *
workflow_find(enum cstate from, enum caction a)
{
	for (size_t i = 0; i < NTABLE; i++)
		if (table[i].from == from && table[i].action == a)
			return &table[i];
	return NULL;
}

/* 1 when roles/is_owner may take t (see struct wf_transition). */
static int
may_take(const struct wf_transition *t, unsigned roles, int is_owner)
{
	unsigned held = roles & t->roles;

	if (held == 0)
		return 0;
	if ((held & ~t->owner_roles) != 0)
		return 1;
	return is_owner != 0;
}

unsigned
workflow_authority(const struct wf_transition *t, unsigned roles, int is_owner)
{
	unsigned held;

	if (t == NULL || (held = roles & t->roles) == 0)
		return 0;
	if (is_owner && (held & t->owner_roles) != 0)
		return held & t->owner_roles;
	return held & ~t->owner_roles;
}

/* Length of the white-space character at p, or 0. Form input is UTF-8. */
static size_t
blank_at(const unsigned char *p)
{
	if (*p != '\0' && strchr(" \t\n\v\f\r", *p) != NULL)
		return 1;
	if (p[0] == 0xC2 && p[1] == 0xA0)                  /* U+00A0 no-break space */
		return 2;
	if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)  /* U+3000 ideographic space */
		return 3;
	return 0;
}

int
workflow_reason_blank(const char *reason)
{
	const unsigned char *p = (const unsigned char *)reason;
	size_t n;

	if (p == NULL)
		return 1;
	while (*p != '\0') {
		if ((n = blank_at(p)) == 0)
			return 0;
		p += n;
	}
	return 1;
}

int
workflow_apply(enum cstate from, enum caction a, unsigned roles, int is_owner,
    const char *reason, enum cstate *to)
{
	const struct wf_transition *t;

	if ((unsigned)from >= CS__MAX) {
		LOG_ERR("complaint in unknown state %d", (int)from);
		return KESU_EINTERNAL;
	}
	if ((unsigned)a >= CA__MAX)
		return KESU_EINPUT;
	/* The state decides first: a step the state does not allow is refused whoever clicks. */
	if ((t = workflow_find(from, a)) == NULL)
		return KESU_ESTATE;
	if (!may_take(t, roles, is_owner))
		return KESU_EFORBIDDEN;
	if (t->needs_reason && workflow_reason_blank(reason))
		return KESU_EINPUT;
	if (to != NULL)
		*to = t->to;
	return KESU_OK;
}

int
workflow_actions(enum cstate s, unsigned roles, int is_owner, enum caction out[], int max)
{
	int n = 0;

	for (size_t i = 0; i < NTABLE && n < max; i++)
		if (table[i].from == s && may_take(&table[i], roles, is_owner))
			out[n++] = table[i].action;
	return n;
}

const char *
cstate_name(enum cstate s)
{
	return (unsigned)s < CS__MAX ? cstate_names[s] : "unknown";
}

const char *
caction_name(enum caction a)
{
	return (unsigned)a < CA__MAX ? caction_names[a] : "unknown";
}

enum cstate
cstate_from_name(const char *name)
{
	return (enum cstate)name_index(cstate_names, CS__MAX, name);
}

enum caction
caction_from_name(const char *name)
{
	return (enum caction)name_index(caction_names, CA__MAX, name);
}

/*
 * The lifecycle steps that need nothing but (sometimes) a reason: these are taken on the
 * complaint's page, with the few fields some of them carry (the departments of assign, the
 * reply's text, the callback's satisfaction and comment). Reports, plans and signatures
 * have their own forms (page_plans.c).
 */
static const enum caction page_actions[] = {
	CA_TRIAGE_SUBSTANTIATED, CA_TRIAGE_NOT_SUBSTANTIATED, CA_ANSWER_GRUMBLE,
	CA_CUSTOMER_ACCEPTS_EXPLANATION, CA_CUSTOMER_REJECTS_EXPLANATION, CA_CLOSE, CA_REOPEN,
	CA_ASSIGN, CA_ACCEPT_ASSIGNMENT, CA_REFUSE_ASSIGNMENT, CA_RECORD_REPLY, CA_CUSTOMER_DISAGREES,
	CA_RECORD_CALLBACK,
};

int
workflow_on_page(enum caction a)
{
	for (size_t i = 0; i < sizeof(page_actions) / sizeof(page_actions[0]); i++)
		if (page_actions[i] == a)
			return 1;
	return 0;
}

/* Only a grumble (抱怨: a misunderstood policy) is answered and closed at once. */
int
workflow_fits_category(enum caction a, const char *category)
{
	return a != CA_ANSWER_GRUMBLE || strcmp(category, "grumble") == 0;
}
