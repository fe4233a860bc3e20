/* view_as_of.h: the point-in-time view — a complaint as it stood at an audit sequence number or a local time. */
#ifndef KESU_VIEW_AS_OF_H
#define KESU_VIEW_AS_OF_H

#include "app.h"
#include "as_of.h"

/* One field of a record as it stood: its key, its label's text key, how its value reads
 * (NULL: as text; "money": fen as yuan; "time": UTC as local; else the codes' label field). */
struct shown_field {
	const char *key, *label_key, *enum_field;
};

/* What a point-in-time page rebuilds and shows. */
struct as_of_target {
	enum as_of_kind kind;
	const char *title_key;          /* the page's heading (a text key) */
	const char *name;               /* the record's number or id, beside the heading */
	const char *number;             /* the complaint its signatures are filed under */
	const char *entity, *entity_id; /* its events in the trail */
	const char *child_prefix;       /* only events whose action starts so (NULL: all) ... */
	const char *child_key, *child_id; /* ... and whose after-image has child_key = child_id */
	const char *sig_entity, *sig_id;  /* its own signatures only (NULL: the complaint's all) */
	const char *now_url;            /* the page as it stands now */
	const struct shown_field *shown; /* { NULL }-terminated */
};

/* 1 when the request asks for a point in time (?as_of=SEQ or ?at=YYYY-MM-DDTHH:MM). */
int as_of_wanted(const struct req *r);

/*
 * The complaint r->arg as it stood then, read-only, answered on rs: rebuilt from its audit
 * events' after-images (as_of.c), with the signatures that existed then. 404 to anyone who
 * may not read the complaint; 400 with a message for a malformed seq or time or a moment
 * before the complaint existed. KESU_OK or an error for the error page.
 */
int as_of_complaint(struct app *app, struct req *r, struct resp *rs);

/* The fields of an 8D and of a penalty as they stood. */
extern const struct shown_field as_of_8d_shown[];
extern const struct shown_field as_of_penalty_shown[];

/*
 * The record t names as it stood at the request's point (?as_of / ?at), answered on rs: the
 * caller has checked that the reader may read it (404 otherwise, before calling). 400 with a
 * message for a malformed point or one before the record existed.
 */
int as_of_answer(struct app *app, struct req *r, struct resp *rs, const struct as_of_target *t);

/*
 * The authority rules a plan or penalty's signers came from (its rule_ids, "3,7"; NULL or ""
 * for one proposed before 015) as {"ids": [3, 7], "text": "#3 #7", "matrix_url":
 * "/admin/authority?as_of=<local day of proposed_at_utc>"}: the matrix as it stood that
 * day shows each rule with its interval in force. NULL when there are none. Caller owns it.
 */
struct json_object *view_rules_used(struct app *app, struct req *r, const char *rule_ids,
    const char *proposed_at_utc);

#endif
