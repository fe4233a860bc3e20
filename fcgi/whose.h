/* whose.h: whose turn it is — the step a complaint waits for, the role and the people who can take it. */
#ifndef KESU_WHOSE_H
#define KESU_WHOSE_H

#include <json-c/json.h>

#include "app.h"

/*
 * The names of the people holding role (of department when not NULL), joined with "、", for
 * saying who can take a step; from the directory, cached per worker for dir.names_ttl seconds
 * (300) so a page costs no lookup most of the time. NULL when nobody, or the directory fails
 * (logged; the page then names the role only). In the arena.
 */
const char *whose_names(struct app *app, struct arena *a, enum role role, const char *department);

/*
 * Add "whose_turn" to the complaint page's view model v: the step it waits for (step_label),
 * who can take it (role_label, names), since when (since), and whether it is the reader
 * (mine). row is the complaint (COMPLAINT_COLS), last_change the UTC time of its latest audit
 * event, as the STMT_ASSIGNMENT_LIST result; the plan's next signer comes from v's "plans"
 * (plans_view()). Nothing is added for a closed complaint.
 */
void whose_turn_add(struct app *app, struct req *r, struct json_object *v, char **row,
    const char *last_change, const struct db_res *as);

/*
 * A signing chain for the plan, penalty and report pages: one entry per required role, in
 * order, with state "signed" (who and when, from signatures: signature_json() objects, the
 * approval of that role on the current content), "next" or "later" (who can sign: for a
 * department head the heads of department, or when NULL of the departments that accepted the
 * complaint in as; otherwise everyone holding the role), state_label and role_label. pending
 * is 0 once the decision is taken (no "next"). A new array for the view model.
 */
struct json_object *whose_chain(struct app *app, struct req *r, const enum role req[], int n,
    unsigned approved, int pending, struct json_object *signatures, const struct db_res *as,
    const char *department);

#endif
