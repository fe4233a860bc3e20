/* penalty.c: the penalty notice's states and actions. */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "authority.h"
#include "penalty.h"

const char *const penalty_kinds[] = {
	"fine", "warning", "sanction", "bonus_deduction", "training", "suspension", NULL
};

static const char *const pstate_names[PS__MAX] = {
	"proposed", "approved", "rejected", "appealed", "revoked"
};
static const char *const paction_names[PA__MAX] = {
	"approve", "reject", "execute", "appeal", "uphold", "revoke"
};

int
penalty_apply(enum pstate from, int executed, int appealed, enum paction a, enum pstate *to)
{
	enum pstate next;

	if ((int)from < 0 || from >= PS__MAX || (int)a < 0 || a >= PA__MAX)
		return KESU_EINPUT;
	switch (a) {
	case PA_APPROVE:
	case PA_REJECT:
		if (from != PS_PROPOSED)
			return KESU_ESTATE;
		next = a == PA_APPROVE ? PS_APPROVED : PS_REJECTED;
		break;
	case PA_EXECUTE:
		if (from != PS_APPROVED || executed)
			return KESU_ESTATE;
		next = PS_APPROVED;
		break;
	case PA_APPEAL:
		/* once, while in force (executed or not) */
		if (from != PS_APPROVED || appealed)
			return KESU_ESTATE;
		next = PS_APPEALED;
		break;
	default:   /* PA_UPHOLD, PA_REVOKE */
		if (from != PS_APPEALED)
			return KESU_ESTATE;
		next = a == PA_UPHOLD ? PS_APPROVED : PS_REVOKED;
		break;
	}
	if (to != NULL)
		*to = next;
	return KESU_OK;
}

int
penalty_has_amount(const char *kind)
{
	return kind != NULL && (strcmp(kind, "fine") == 0 || strcmp(kind, "bonus_deduction") == 0);
}

enum role
penalty_executor(const char *kind)
{
	return penalty_has_amount(kind) ? ROLE_FINANCE : ROLE_HR;
}

int
penalty_appeal_open(time_t approved_at, time_t now, int days)
{
	return approved_at > 0 && days >= 0 && now >= approved_at && now - approved_at <= (time_t)days * 86400;
}

const char *
pstate_name(enum pstate s)
{
	return (int)s >= 0 && s < PS__MAX ? pstate_names[s] : "unknown";
}

enum pstate
pstate_from_name(const char *name)
{
	return (enum pstate)name_index(pstate_names, PS__MAX, name);
}

const char *
paction_name(enum paction a)
{
	return (int)a >= 0 && a < PA__MAX ? paction_names[a] : "unknown";
}

enum paction
paction_from_name(const char *name)
{
	return (enum paction)name_index(paction_names, PA__MAX, name);
}

/* The content the signatures cover. */
void
penalty_hash(char **p, char out[65])
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string("penalty"));
	json_object_object_add(o, "number", json_object_new_string(p[P_NUMBER]));
	json_object_object_add(o, "target_kind", json_object_new_string(p[P_TARGET_KIND]));
	json_object_object_add(o, "target_department", json_object_new_string(p[P_TARGET_DEP]));
	json_object_object_add(o, "target_uid", json_object_new_string(p[P_TARGET_UID]));
	json_object_object_add(o, "target_name", json_object_new_string(p[P_TARGET_NAME]));
	json_object_object_add(o, "penalty_kind", json_object_new_string(p[P_KIND]));
	json_object_object_add(o, "amount_fen", p[P_AMOUNT] ? json_object_new_int64(strtoll(p[P_AMOUNT], NULL, 10)) : NULL);
	json_object_object_add(o, "reason", json_object_new_string(p[P_REASON]));
	json_object_object_add(o, "rule_applied", json_object_new_string(p[P_RULE]));
	authority_content_hash(o, out);
	json_object_put(o);
}
