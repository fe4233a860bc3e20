/* lifecycle_gaps.c: a triage that corrects category and level, and a reason to close a product-quality
 * complaint without an approved 8D (issue 7, item 10; repeat flags moved to complaint.c). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "complaint.h"
#include "db.h"
#include "lifecycle_gaps.h"
#include "workflow.h"

static int
in_list(const char *s, const char *const *list)
{
	for (; s != NULL && *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* before/after of a triage correction: category, severity and the two deadlines. */
static struct json_object *
facts_json(char **row)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "category", json_object_new_string(row[0]));
	json_object_object_add(o, "severity", json_object_new_int(atoi(row[1])));
	json_object_object_add(o, "respond_due", row[2] ? json_object_new_string(row[2]) : NULL);
	json_object_object_add(o, "resolve_due", row[3] ? json_object_new_string(row[3]) : NULL);
	return o;
}

int
triage_correct(struct db *db, struct arena *a, const struct audit_actor *who, const char *number,
    const char *category, const char *severity, const char *reason, const char **bad_field,
    const char **bad_key)
{
	struct json_object *before, *after;
	struct db_res cur, sev, now;
	const char *cat, *lvl;
	int rc;

	if ((rc = db_exec(db, a, STMT_TRIAGE_FACTS, &cur, "s", number)) != KESU_OK)
		return rc;
	if (cur.nrows != 1)
		return KESU_ENOTFOUND;
	cat = category != NULL && *category != '\0' ? category : cur.rows[0][0];
	lvl = severity != NULL && *severity != '\0' ? severity : cur.rows[0][1];
	if (!in_list(cat, complaint_categories)) {
		*bad_field = "category";
		*bad_key = "err_invalid_choice";
		return KESU_EINPUT;
	}
	if (!in_list(lvl, complaint_severities)) {
		*bad_field = "severity";
		*bad_key = "err_invalid_choice";
		return KESU_EINPUT;
	}
	if (strcmp(cat, cur.rows[0][0]) == 0 && atoi(lvl) == atoi(cur.rows[0][1]))
		return KESU_OK;
	/* A correction is a decision someone must be able to explain to an auditor. */
	if (workflow_reason_blank(reason)) {
		*bad_field = "reason";
		*bad_key = "err_triage_reason_required";
		return KESU_EINPUT;
	}
	if ((rc = db_exec(db, a, STMT_SEVERITY_GET, &sev, "i", (int64_t)atoi(lvl))) != KESU_OK)
		return rc;
	if (sev.nrows != 1)
		return KESU_EDB;
	/* The same deadlines registration computes: receipt + the level's minutes. */
	if ((rc = db_exec(db, a, STMT_TRIAGE_CORRECT, NULL, "siiiis", cat, (int64_t)atoi(lvl),
	    (int64_t)atol(sev.rows[0][0]), (int64_t)(sev.rows[0][1] != NULL ? atol(sev.rows[0][1]) : -1),
	    (int64_t)(sev.rows[0][1] != NULL ? atol(sev.rows[0][1]) : 0), number)) != KESU_OK)
		return rc;
	if ((rc = db_exec(db, a, STMT_TRIAGE_FACTS, &now, "s", number)) != KESU_OK)
		return rc;
	before = facts_json(cur.rows[0]);
	after = facts_json(now.rows[0]);
	json_object_object_add(after, "reason", json_object_new_string(reason));
	rc = audit_write(db, a, who, "complaint", number, "triage_correct", before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

int
close_category_wants_8d(const char *category)
{
	return category != NULL && strcmp(category, "product_quality") == 0;
}

int
close_needs_reason(struct db *db, struct arena *a, const char *number, const char *category, int *needs)
{
	struct db_res res;
	int rc;

	*needs = 0;
	if (!close_category_wants_8d(category))
		return KESU_OK;
	if ((rc = db_exec(db, a, STMT_8D_APPROVED_COUNT, &res, "s", number)) != KESU_OK)
		return rc;
	*needs = res.nrows == 1 && atol(res.rows[0][0]) == 0;
	return KESU_OK;
}
