/* sign.c: the signing rules — who must sign (the authority matrix), in which order, who has approved. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "sign.h"

/* Role names of a comma-separated list, in order, into out; -1 on an unknown name or too many. */
int
roles_parse(const char *list, enum role out[], int max)
{
	int n = 0;

	while (list != NULL && *list != '\0') {
		size_t len = strcspn(list, ",");
		char name[32];
		if (len == 0 || len >= sizeof(name) || n == max)
			return -1;
		memcpy(name, list, len);
		name[len] = '\0';
		if ((out[n++] = role_from_name(name)) == ROLE__MAX)
			return -1;
		list += len;
		if (*list == ',')
			list++;
	}
	return n;
}

const char *
roles_join(struct arena *a, const enum role roles[], int n)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	for (int i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		buf_puts(&b, role_name(roles[i]));
	}
	s = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return s;
}

int
authority_rule_from_row(char **c, struct auth_rule *ru)
{
	ru->action = c[1];
	ru->min_amount_fen = c[2] != NULL ? strtoll(c[2], NULL, 10) : -1;
	ru->max_amount_fen = c[3] != NULL ? strtoll(c[3], NULL, 10) : -1;
	ru->severity = atoi(c[4]);
	ru->nroles = roles_parse(c[5], ru->roles, AUTH_RULE_ROLES);
	return ru->nroles >= 0 && authority_rule_valid(ru);
}

/*
 * The signers the matrix names for action, amount and level, junior first, into out[]
 * (AUTH_MAX_SIGNERS). KESU_OK with *n set; KESU_EINPUT when no rule covers the case or
 * a rule of the action is invalid (logged: the administrator must fix the matrix).
 */
int
required_signers(struct db *db, struct arena *a, const char *action, int64_t amount_fen, int severity,
    enum role out[], int *n)
{
	struct auth_rule *rules;
	struct db_res res;
	int rc;

	if ((rc = db_exec(db, a, STMT_AUTHORITY_RULES, &res, "s", action)) != KESU_OK)
		return rc;
	rules = arena_alloc(a, (res.nrows + 1) * sizeof(*rules));
	for (size_t i = 0; i < res.nrows; i++) {
		char **c = res.rows[i];
		if (!authority_rule_from_row(c, &rules[i])) {
			LOG_ERR("authority_rule %s (%s) is invalid: no %s can be approved until it is fixed",
			    c[0], action, action);
			return KESU_EINPUT;
		}
	}
	*n = authority_resolve(rules, res.nrows, action, amount_fen, severity, out, AUTH_MAX_SIGNERS);
	return *n < 0 ? KESU_EINPUT : KESU_OK;
}

/* The ROLE_BITs that approved (entity, id, revision) among the signatures of the complaint. */
unsigned
approved_roles(const struct db_res *sigs, const char *entity, const char *id, long revision)
{
	unsigned mask = 0;

	for (size_t i = 0; i < sigs->nrows; i++) {
		char **s = sigs->rows[i];
		enum role ro;
		if (strcmp(s[0], entity) == 0 && strcmp(s[1], id) == 0 && atol(s[2]) == revision &&
		    strcmp(s[6], "approve") == 0 && (ro = role_from_name(s[5])) != ROLE__MAX)
			mask |= ROLE_BIT(ro);
	}
	return mask;
}
