/* access_log.h: refused access among the failed attempts — at most one audit event per person, route and minute. */
#ifndef KESU_ACCESS_LOG_H
#define KESU_ACCESS_LOG_H

#include "app.h"

/* Why a signed-in person was refused (the after-image's "refusal", a label "refusal_<code>"). */
enum refusal {
	REFUSAL_ROLE,        /* the route's roles mask (403 in handle()) */
	REFUSAL_AUDITOR,     /* the auditor's write attempt (403 in handle()) */
	REFUSAL_RECORD,      /* a record the person may not see (404: complaint_access and the like) */
	REFUSAL_AUDIT_PAGE,  /* an /audit* page for someone who is neither auditor nor GM (404) */
	REFUSAL_STEP,        /* the handler's own refusal of a step (403) */
	REFUSAL__MAX
};

const char *refusal_code(enum refusal why);

/*
 * Record that the signed-in person of r was refused on route (its pattern, e.g.
 * "POST /complaints/{n}/plan") with HTTP status: the first refusal of this person on this
 * route in a UTC minute inserts a row of access_refusal and writes the audit event
 * `access_refused` (entity "access", the record or path as its id; after-image: route, path,
 * record, status, refusal) in its own transaction; every further one in that minute only
 * counts in access_refusal.n, one autocommit statement, never the chain head. Must be called
 * outside any transaction (handle() calls it after the handler returned). Does nothing when
 * nobody is signed in. A failure is logged; the refusal's answer is sent anyway.
 */
void access_refusal_log(struct app *app, struct req *r, const char *route, int status, enum refusal why);

#endif
