/* view_as_of.h: the point-in-time view — a complaint as it stood at an audit sequence number or a local time. */
#ifndef KESU_VIEW_AS_OF_H
#define KESU_VIEW_AS_OF_H

#include "app.h"

/* 1 when the request asks for a point in time (?as_of=SEQ or ?at=YYYY-MM-DDTHH:MM). */
int as_of_wanted(const struct req *r);

/*
 * The complaint r->arg as it stood then, read-only, answered on rs: rebuilt from its audit
 * events' after-images (as_of.c), with the signatures that existed then. 404 to anyone who
 * may not read the complaint; 400 with a message for a malformed seq or time or a moment
 * before the complaint existed. KESU_OK or an error for the error page.
 */
int as_of_complaint(struct app *app, struct req *r, struct resp *rs);

/*
 * The authority rules a plan or penalty's signers came from (its rule_ids, "3,7"; NULL or ""
 * for one proposed before 015) as {"ids": [3, 7], "text": "#3 #7", "matrix_url":
 * "/admin/authority?as_of=<local day of proposed_at_utc>"}: the matrix as it stood that
 * day shows each rule with its interval in force. NULL when there are none. Caller owns it.
 */
struct json_object *view_rules_used(struct app *app, struct req *r, const char *rule_ids,
    const char *proposed_at_utc);

#endif
