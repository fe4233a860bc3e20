/* view.h: the parts every view model shares, texts in the reader's language, and local time. */
#ifndef KESU_VIEW_H
#define KESU_VIEW_H

#include <json-c/json.h>
#include "audit.h"
#include "req.h"

struct app;
struct db_res;

/* A new view model with the common parts: user, csrf_token, lang, nav. Caller owns it. */
struct json_object *view_new(struct app *app, struct req *r);
/* The label of an enumerated value in the request's language: po key "<field>_<code>" ("" for NULL). */
const char *view_label(const struct req *r, const char *field, const char *code);
/* [{code, label, selected}] of a select's codes (NULL-terminated), labels from "<field>_<code>".
 * Caller owns a reference; with nothing selected the array is a per-worker one, shared by every
 * request: never change it. codes must be a static array (the cache knows it by its address). */
struct json_object *view_options(const struct req *r, const char *field, const char *const *codes,
    const char *selected);
/* A JSON string of s, "" for NULL. */
struct json_object *jstr(const char *s);
/* json_object_object_add() for a key that is a string literal: json-c keeps the pointer
 * instead of copying the key, so a key costs no strdup and no free (issue 10, pagerender: about
 * 500 keys a complaint page). A key that is not a literal does not compile. */
#define JADD(o, key, val) json_object_object_add_ex((o), "" key "", (val), JSON_C_OBJECT_ADD_CONSTANT_KEY)
/* The active departments (code, name_zh, name_en) as STMT_DEPARTMENT_LIST gives them, from
 * a per-worker copy refreshed every few minutes; the rows live in arena a. */
int view_departments(struct app *app, struct arena *a, struct db_res *out);
/* errors[field] = the text of key, unless the field has an error already (the first one stays). */
void errors_add(const struct req *r, struct json_object *errors, const char *field, const char *key);
/* "done" (the text of the step named by ?done=, after a redirect) into v, when it names a
 * lifecycle step or an audited action that has a text; nothing otherwise. */
void view_done_notice(const struct req *r, struct json_object *v);
/* The signed-in person as the actor of an audit record. */
struct audit_actor req_actor(const struct req *r);
/* The same, acting in the first of the session's roles that mask allows (the role the step
 * required); the first role it has when none of them (or mask 0). */
struct audit_actor req_actor_as(const struct req *r, unsigned mask);
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

#endif
