/* access.c: who may see a complaint — one rule for every route that names one, and its row lock. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "access.h"
#include "valid.h"

int
complaint_number_valid(const char *n)
{
	return valid_digits(n, 12) && strlen(n) >= 9;
}

unsigned
roles_from_list(const char *list)
{
	unsigned mask = 0;

	while (list != NULL && *list != '\0') {
		size_t n = strcspn(list, ",");
		char name[32];
		if (n > 0 && n < sizeof(name)) {
			enum role ro;
			memcpy(name, list, n);
			name[n] = '\0';
			if ((ro = role_from_name(name)) != ROLE__MAX)
				mask |= ROLE_BIT(ro);
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return mask;
}

int
complaint_lock(struct db *db, struct req *r, char ***row)
{
	struct db_res res;
	int rc;

	if ((rc = complaint_access(db, r, r->arg)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_LOCK, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	*row = res.rows[0];
	return KESU_OK;
}

int
complaint_may_see(const struct req *r, const char *owner_uid, const char *category, const char *in_department,
    const char *signed_by_me, const char *pending_signers)
{
	const struct session *s = r->sess;

	return (s->roles & SEES_ALL) != 0 || strcmp(owner_uid, s->uid) == 0 ||
	    ((s->roles & SEES_QUALITY) != 0 && strcmp(category, "product_quality") == 0) ||
	    (*s->department != '\0' && atoi(in_department) != 0) || atoi(signed_by_me) != 0 ||
	    /* named to sign the pending plan (a department head only for an assigned department) */
	    (pending_signers != NULL &&
	    (roles_from_list(pending_signers) & s->roles & ~ROLE_BIT(ROLE_DEPT_HEAD)) != 0);
}

int
complaint_access(struct db *db, struct req *r, const char *number)
{
	const struct session *s = r->sess;
	struct db_res res;
	char **c;
	int rc;

	if (!complaint_number_valid(number))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(db, r->a, STMT_COMPLAINT_ACCESS, &res, "sss", s->department, s->uid, number)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	c = res.rows[0];
	if (complaint_may_see(r, c[0], c[1], c[2], c[3], c[4]))
		return KESU_OK;
	/* It exists and this reader may not see it: a refusal if the request ends in one (main.c). */
	r->refused = arena_strdup(r->a, number);
	return KESU_ENOTFOUND;
}

int
complaint_lock_version(struct db *db, struct req *r, long version, char ***row)
{
	int rc = complaint_lock(db, r, row);

	/* Someone acted on this complaint since the page was shown: nothing is changed. */
	if (rc == KESU_OK && atol((*row)[CL_VERSION]) != version)
		return KESU_ECONFLICT;
	return rc;
}
