/* access.h: who may see a complaint — one rule for every route that names one, and its row lock. */
#ifndef KESU_ACCESS_H
#define KESU_ACCESS_H

#include "app.h"

/*
 * Who sees a complaint (the domain's "Confidentiality"): its owner, the supervisors, the
 * leadership group (deputy GM, GM) and auditors; the members of the departments assigned to
 * it; those named to sign its current plan or who signed anything on it; and for a
 * product-quality complaint, the quality engineers and the QA director who file and approve
 * its 8D. Anyone else gets 404, as if it did not exist.
 */
#define SEES_ALL (ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_DEPUTY_GM) | ROLE_BIT(ROLE_GM) | \
	ROLE_BIT(ROLE_AUDITOR))
#define SEES_QUALITY (ROLE_BIT(ROLE_QUALITY_ENGINEER) | ROLE_BIT(ROLE_QA_DIRECTOR))

/* 1 when n looks like a complaint number (9 to 12 digits). */
int complaint_number_valid(const char *n);

/* The ROLE_BITs of a comma-separated list of role names; unknown names count nothing. */
unsigned roles_from_list(const char *list);

/* The rule itself, on the facts STMT_COMPLAINT_ACCESS (and _PAGE) fetch: 1 when r may see it. */
int complaint_may_see(const struct req *r, const char *owner_uid, const char *category,
    const char *in_department, const char *signed_by_me, const char *pending_signers);

/*
 * Whether the reader may see complaint number: KESU_OK, KESU_ENOTFOUND when it does not
 * exist or they may not see it (the same answer, so numbers cannot be probed), or a DB
 * error. Runs on db, so inside a transaction too.
 */
int complaint_access(struct db *db, struct req *r, const char *number);

/* The columns of the row complaint_lock() gives, by name. */
enum complaint_lock_col { CL_STATUS, CL_VERSION, CL_OWNER_UID, CL_CATEGORY };

/* Inside a transaction: complaint r->arg locked (FOR UPDATE) if the reader may see it;
 * *row = CL_* columns. KESU_ENOTFOUND otherwise. */
int complaint_lock(struct db *db, struct req *r, char ***row);
/* The same, and the version the form showed must still be the complaint's: KESU_ECONFLICT
 * when someone acted on it since (nothing is changed then). */
int complaint_lock_version(struct db *db, struct req *r, long version, char ***row);

#endif
