/* app.h: what lives as long as a worker (struct app), the session, the response, and the handlers. */
#ifndef KESU_APP_H
#define KESU_APP_H

#include <json-c/json.h>

#include "arena.h"
#include "audit.h"
#include "conf.h"
#include "db.h"
#include "dir.h"
#include "kesu.h"
#include "req.h"
#include "tmpl.h"

/* Everything a worker keeps between requests: configuration, handles, compiled templates. */
struct app {
	struct conf *conf;
	struct db *db;
	struct dir *dir;
	struct tmpl_set *tmpl;
	struct req_limits lim;
	long sess_idle;          /* seconds */
	long sess_absolute;      /* seconds */
	int cookie_secure;       /* 1 always, 0 never, -1 when the request came over https */
	long login_slow_after, login_lock_after, login_lock_seconds, login_window;
	long utc_offset_min;     /* the company's local time, minutes east of UTC */
	size_t attach_max;       /* bytes of one attachment (attachments.max_bytes) */
	const char *attach_dir;  /* where attachments are stored, by SHA-256 (paths.attachments) */
};

/* The signed-in person, from the session row (strings in the request arena). */
struct session {
	const char *token_hash;
	const char *uid, *dn, *name, *department;
	unsigned roles;
	const char *csrf;
};

/* The response being built; reused by the worker between requests. */
struct resp {
	int status;
	const char *ctype;       /* NULL: text/html; charset=utf-8 */
	struct buf head;         /* extra header lines, each ending in \r\n */
	struct buf body;
};

/* resp.c */
void resp_init(struct resp *rs);
void resp_reset(struct resp *rs);
void resp_free(struct resp *rs);
/* Add a header line; name and value must not contain CR or LF (checked: dropped otherwise). */
void resp_header(struct resp *rs, const char *name, const char *value);
/* Set a cookie: Path=/, HttpOnly when httponly, SameSite=Lax, Secure per app; max_age < 0: session cookie, 0: delete. */
void resp_cookie(const struct app *app, const struct req *r, struct resp *rs,
    const char *name, const char *value, long max_age, int httponly);
/* 303 See Other to a local path (must start with a single '/'). */
void resp_redirect(struct resp *rs, const char *location);
/*
 * Answer with the view model: for HTML render template tmpl (the language's
 * texts added as "t"); for JSON the view model itself without "t".
 * Takes ownership of view.
 */
void resp_page(struct app *app, struct req *r, struct resp *rs, int status, const char *tmpl,
    struct json_object *view);
/* A page's view model builder: *out for r (the caller owns it), or an error code. */
typedef int (*view_fn)(struct app *app, struct req *r, struct json_object **out);
/* A page that is a view model and a template: build it, then resp_page() with 200. */
int resp_view(struct app *app, struct req *r, struct resp *rs, view_fn build, const char *tmpl);
/* JSON body with status; takes ownership of obj. */
void resp_json(struct resp *rs, int status, struct json_object *obj);
/* The error page (or JSON {"error": code, "message": text}) for err. */
void resp_error(struct app *app, struct req *r, struct resp *rs, int err);
/* HTTP status of an error code. */
int resp_status(int err);
/* The short code of an error ("not_found", "conflict", "state", ...). */
const char *resp_code(int err);
/* Serialise status, security headers, extra headers and body (unless HEAD) into out. */
void resp_serialise(const struct resp *rs, const struct req *r, struct buf *out);

/* sess.c */
/*
 * Load the session of the request's kesu_session cookie into r->sess (NULL when
 * none or expired). Touches last_seen at most once a minute. KESU_OK or KESU_EDB.
 */
int sess_load(struct app *app, struct req *r);
/* Create a session for u inside the caller's transaction; the cookie token into token[65], its CSRF token into csrf[65]. */
int sess_create(struct app *app, struct arena *a, const struct dir_user *u, char token[65], char csrf[65]);
/* Whether the request carries the right CSRF token (form field csrf_token or X-CSRF-Token header). */
int csrf_ok(const struct req *r);
/* The role in which the session acts, for audit records: the first role it has, in role order. */
const char *sess_role(const struct session *s);
/* Whether the session has any of the roles in mask. */
int sess_has(const struct req *r, unsigned mask);

/* view.c */
/* A new view model with the common parts: user, csrf_token, lang, nav. Caller owns it. */
struct json_object *view_new(struct app *app, struct req *r);
/* The label of an enumerated value in the request's language: po key "<field>_<code>" ("" for NULL). */
const char *view_label(const struct req *r, const char *field, const char *code);
/* A JSON string of s, "" for NULL. */
struct json_object *jstr(const char *s);
/* The active departments (code, name_zh, name_en) as STMT_DEPARTMENT_LIST gives them, from
 * a per-worker copy refreshed every few minutes; the rows live in arena a. */
struct db_res;
int view_departments(struct app *app, struct arena *a, struct db_res *out);
/* errors[field] = the text of key, unless the field has an error already (the first one stays). */
void errors_add(const struct req *r, struct json_object *errors, const char *field, const char *key);
/* "done" (the text of the step named by ?done=, after a redirect) into v, when it names a
 * lifecycle step or an audited action that has a text; nothing otherwise. */
void view_done_notice(const struct req *r, struct json_object *v);
/* The signed-in person as the actor of an audit record. */
struct audit_actor req_actor(const struct req *r);
/* The text of key in the request's language. */
const char *T(const struct req *r, const char *key);
/* The current UTC time as "YYYY-MM-DD HH:MM:SS". */
void utc_now(char out[32]);
/* UTC "YYYY-MM-DD HH:MM[:SS]" -> local time text "YYYY-MM-DD HH:MM" in the arena (NULL passes). */
const char *view_local_time(const struct app *app, struct arena *a, const char *utc);
/* Local "YYYY-MM-DD[T ]HH:MM" -> UTC "YYYY-MM-DD HH:MM:00" in the arena; NULL when malformed. */
const char *view_utc_time(const struct app *app, struct arena *a, const char *local);
/* The company's zone as said once beside local times: "UTC+8", "UTC+5:30". In the arena. */
const char *view_zone_label(const struct app *app, struct arena *a);
/* UTC "YYYY-MM-DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SSZ" (for <time datetime>), in the arena. */
const char *view_iso_utc(struct arena *a, const char *utc);

/* Handlers: page_auth.c, page_complaints.c. Each returns KESU_OK when it answered. */
typedef int (*handler_fn)(struct app *app, struct req *r, struct resp *rs);
int page_root(struct app *app, struct req *r, struct resp *rs);
int page_login_form(struct app *app, struct req *r, struct resp *rs);
int page_login(struct app *app, struct req *r, struct resp *rs);
int page_logout(struct app *app, struct req *r, struct resp *rs);
int page_complaint_list(struct app *app, struct req *r, struct resp *rs);
int page_complaint_new(struct app *app, struct req *r, struct resp *rs);
int page_complaint_create(struct app *app, struct req *r, struct resp *rs);
int page_complaint_view(struct app *app, struct req *r, struct resp *rs);
int page_complaint_action(struct app *app, struct req *r, struct resp *rs);
int page_my_work(struct app *app, struct req *r, struct resp *rs);
int page_complaint_owner(struct app *app, struct req *r, struct resp *rs);
/* page_plans.c */
int page_report_save(struct app *app, struct req *r, struct resp *rs);
int page_report_sign(struct app *app, struct req *r, struct resp *rs);
int page_plan_propose(struct app *app, struct req *r, struct resp *rs);
int page_plan_sign(struct app *app, struct req *r, struct resp *rs);
int page_plan_print(struct app *app, struct req *r, struct resp *rs);
/* page_attach.c */
int page_attachment_upload(struct app *app, struct req *r, struct resp *rs);
int page_attachment_get(struct app *app, struct req *r, struct resp *rs);
/* page_penalty.c */
int page_penalty_propose(struct app *app, struct req *r, struct resp *rs);
int page_penalty_list(struct app *app, struct req *r, struct resp *rs);
int page_penalty_view(struct app *app, struct req *r, struct resp *rs);
int page_penalty_step(struct app *app, struct req *r, struct resp *rs);
int page_finance(struct app *app, struct req *r, struct resp *rs);
int page_finance_csv(struct app *app, struct req *r, struct resp *rs);
int page_finance_execute(struct app *app, struct req *r, struct resp *rs);
/* page_admin.c */
int page_admin_authority(struct app *app, struct req *r, struct resp *rs);
int page_admin_authority_add(struct app *app, struct req *r, struct resp *rs);
int page_admin_authority_delete(struct app *app, struct req *r, struct resp *rs);

/* page_sweep.c, page_calendar.c: clocks, reminders, overdue inquiries, the business calendar (005). */
/* Add "clocks" (and the complaint's overdue "inquiries") to a complaint's view model. KESU_OK or the error. */
struct db_res;
/* crow: a STMT_COMPLAINT_PAGE row; hist: its STMT_AUDIT_FOR_ENTITY rows; as: STMT_ASSIGNMENT_LIST. */
int clocks_view_add(struct app *app, struct req *r, char **crow, const struct db_res *hist,
    const struct db_res *as, struct json_object *view);
/* Add "reminders" addressed to the signed-in person and "inquiries" their department must answer. */
int work_sweep_add(struct app *app, struct req *r, struct json_object *view);
/* POST /reminders/{id}/ack: the reader acknowledges a reminder addressed to them (audited). */
int page_reminder_ack(struct app *app, struct req *r, struct resp *rs);
int page_inquiry_view(struct app *app, struct req *r, struct resp *rs);
int page_inquiry_answer(struct app *app, struct req *r, struct resp *rs);
int page_calendar(struct app *app, struct req *r, struct resp *rs);
int page_calendar_post(struct app *app, struct req *r, struct resp *rs);

/* page_8d.c: 8D reports (008). */
int page_8d_open(struct app *app, struct req *r, struct resp *rs);
int page_8d_view(struct app *app, struct req *r, struct resp *rs);
/* Every 8D write: the route's step (ed.h: ed_save, ed_submit, ed_sign, ...) run by ed_step(). */
int page_8d_step(struct app *app, struct req *r, struct resp *rs);
int page_8d_print(struct app *app, struct req *r, struct resp *rs);
int page_8d_pdf(struct app *app, struct req *r, struct resp *rs);

#endif
