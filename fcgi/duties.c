/* duties.c: segregation of duties — nobody decides about a penalty that names them. */
#include <string.h>

#include "duties.h"

int
duties_names(const char *target_kind, const char *target_uid, const char *target_dep,
    const char *uid, const char *department, unsigned roles)
{
	if (target_kind == NULL || uid == NULL || *uid == '\0')
		return 0;
	if (strcmp(target_kind, "person") == 0)
		return target_uid != NULL && strcmp(target_uid, uid) == 0;
	if (strcmp(target_kind, "department") == 0)
		return (roles & ROLE_BIT(ROLE_DEPT_HEAD)) != 0 && target_dep != NULL && *target_dep != '\0' &&
		    department != NULL && strcmp(target_dep, department) == 0;
	return 0;
}

int
duties_substitute_gm(enum role *req, int n)
{
	int k = 0, deputy = 0;

	for (int i = 0; i < n; i++)
		deputy |= req[i] == ROLE_DEPUTY_GM;
	for (int i = 0; i < n; i++) {
		if (req[i] == ROLE_GM) {
			/* The deputy already signs: the GM's place simply falls away. */
			if (deputy)
				continue;
			req[k++] = ROLE_DEPUTY_GM;
			deputy = 1;
			continue;
		}
		req[k++] = req[i];
	}
	return k;
}
