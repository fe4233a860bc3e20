/* plan.c: what a signature on an investigation report or a handling plan covers, and who may sign next. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authority.h"
#include "plan.h"

/* The six parts of an investigation report (调查报告), in the order the page shows them. */
const char *const report_parts[] = {
	"cause", "course", "responsible", "conclusion", "countermeasures", "preventive", NULL
};

const char *const responsibilities[] = { "company", "customer", "shared", NULL };
const char *const remedy_kinds[] = {
	"compensation", "discount", "return", "repair", "replacement", "apology", NULL
};
/* Remedy rows on the form; a plan may have at most this many lines. */

void
report_hash(const char *number, const char *department, long revision, const char *const texts[],
    char out[65])
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "kind", json_object_new_string("investigation_report"));
	json_object_object_add(o, "number", json_object_new_string(number));
	json_object_object_add(o, "department", json_object_new_string(department));
	json_object_object_add(o, "revision", json_object_new_int64(revision));
	for (int i = 0; i < REPORT_NPARTS; i++)
		json_object_object_add(o, report_parts[i], json_object_new_string(texts[i] ? texts[i] : ""));
	authority_content_hash(o, out);
	json_object_put(o);
}


void
plan_hash(const struct plan_content *p, char out[65])
{
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();

	json_object_object_add(o, "kind", json_object_new_string("handling_plan"));
	json_object_object_add(o, "number", json_object_new_string(p->number));
	json_object_object_add(o, "revision", json_object_new_int64(p->revision));
	json_object_object_add(o, "responsibility", json_object_new_string(p->responsibility));
	json_object_object_add(o, "company_share_pct", json_object_new_int(p->share));
	json_object_object_add(o, "loss_fen", json_object_new_int64(p->loss_fen));
	json_object_object_add(o, "amount_fen", json_object_new_int64(p->amount_fen));
	json_object_object_add(o, "explanation", json_object_new_string(p->explanation));
	for (int i = 0; i < p->nlines; i++) {
		struct json_object *l = json_object_new_object();
		json_object_object_add(l, "kind", json_object_new_string(p->lines[i].kind));
		json_object_object_add(l, "amount_fen", p->lines[i].amount_fen >= 0 ?
		    json_object_new_int64(p->lines[i].amount_fen) : NULL);
		json_object_object_add(l, "quantity", p->lines[i].quantity >= 0 ?
		    json_object_new_int64(p->lines[i].quantity) : NULL);
		json_object_object_add(l, "note", json_object_new_string(p->lines[i].note));
		json_object_array_add(arr, l);
	}
	json_object_object_add(o, "remedies", arr);
	authority_content_hash(o, out);
	json_object_put(o);
}

/* A plan as stored (a STMT_PLAN_LIST row and its STMT_REMEDY_LIST lines), for hashing again. */
void
plan_from_rows(const char *number, char **p, const struct db_res *rem, struct plan_content *out)
{
	memset(out, 0, sizeof(*out));
	out->number = number;
	out->revision = atol(p[1]);
	out->responsibility = p[3];
	out->share = atoi(p[4]);
	out->loss_fen = strtoll(p[5], NULL, 10);
	out->amount_fen = strtoll(p[6], NULL, 10);
	out->explanation = p[7];
	for (size_t i = 0; i < rem->nrows && out->nlines < REMEDY_ROWS; i++) {
		char **l = rem->rows[i];
		struct remedy *m;
		if (strcmp(l[0], p[0]) != 0)
			continue;
		m = &out->lines[out->nlines++];
		m->kind = l[2];
		m->amount_fen = l[3] != NULL ? strtoll(l[3], NULL, 10) : -1;
		m->quantity = l[4] != NULL ? atol(l[4]) : -1;
		m->note = l[5];
	}
}

/*
 * Whether the reader may give the next signature: they hold the role, did not write or propose
 * the thing (authority_may_sign), and sign as a department head only for a department of
 * theirs that is responsible (department: the report's, or NULL for a plan and any accepted
 * assignment of theirs, accepted_own).
 */
int
may_sign_next(const struct req *r, enum role next, const char *author_uid, const char *department,
    int accepted_own)
{
	if (next == ROLE__MAX || !authority_may_sign(r->sess->uid, r->sess->roles, author_uid, next))
		return 0;
	if (next != ROLE_DEPT_HEAD)
		return 1;
	return department != NULL ? strcmp(department, r->sess->department) == 0 : accepted_own;
}

int
accepted_department(const struct db_res *as, const char *department)
{
	for (size_t i = 0; i < as->nrows; i++)
		if (strcmp(as->rows[i][AS_DEPARTMENT], department) == 0 && strcmp(as->rows[i][AS_STATE], "accepted") == 0)
			return 1;
	return 0;
}
