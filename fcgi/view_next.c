/* view_next.c: "your next step" at the top of the complaint page, from what its sections offer. */
#include <string.h>

#include "i18n.h"
#include "view_next.h"

static int
flag(struct json_object *o, const char *key)
{
	struct json_object *x;

	return o != NULL && json_object_object_get_ex(o, key, &x) && json_object_get_boolean(x);
}

static const char *
str(struct json_object *o, const char *key)
{
	struct json_object *x;

	return o != NULL && json_object_object_get_ex(o, key, &x) && json_object_is_type(x, json_type_string) ?
	    json_object_get_string(x) : "";
}

static struct json_object *
list(struct json_object *v, const char *key)
{
	struct json_object *x;

	return json_object_object_get_ex(v, key, &x) && json_object_is_type(x, json_type_array) ? x : NULL;
}

static void
add(struct json_object *steps, const char *kind, const char *label, const char *href)
{
	struct json_object *o = json_object_new_object();

	JADD(o, "kind", jstr(kind));
	JADD(o, "label", jstr(label));
	JADD(o, "href", jstr(href));
	json_object_array_add(steps, o);
}

void
view_next_steps(const struct req *r, struct json_object *v)
{
	struct json_object *steps = json_object_new_array(), *a, *f;

	/* Reports: the department's member writes, its head signs off. */
	for (size_t i = 0; (a = list(v, "reports")) != NULL && i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		const char *href = arena_printf(r->a, "#report-%s", str(o, "department"));
		if (flag(o, "signable"))
			add(steps, "report_sign", arena_printf(r->a, "%s · %s", T(r, "next_report_sign"),
			    str(o, "name")), href);
		else if (flag(o, "editable"))
			add(steps, "report_write", arena_printf(r->a, "%s · %s", T(r, "next_report_write"),
			    str(o, "name")), href);
	}
	for (size_t i = 0; (a = list(v, "plans")) != NULL && i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct json_object *rev;
		if (flag(o, "signable") && json_object_object_get_ex(o, "revision", &rev))
			add(steps, "plan_sign", T(r, "next_plan_sign"),
			    arena_printf(r->a, "#plan-%s", json_object_get_string(rev)));
	}
	if (json_object_object_get_ex(v, "plan_form", &f) && f != NULL)
		add(steps, "plan_propose", T(r, "next_plan_propose"), "#plan-new");
	/* 8D reports: the engineer continues a draft, the QA director decides a submitted one. */
	for (size_t i = 0; (a = list(v, "eightds")) != NULL && i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		const char *state = str(o, "state");
		if (sess_has(r, ROLE_BIT(ROLE_QUALITY_ENGINEER)) && (strcmp(state, "draft") == 0 ||
		    strcmp(state, "returned") == 0))
			add(steps, "8d_write", arena_printf(r->a, "%s · %s", T(r, "next_8d_write"), str(o, "title")),
			    str(o, "url"));
		else if (sess_has(r, ROLE_BIT(ROLE_QA_DIRECTOR)) && strcmp(state, "submitted") == 0)
			add(steps, "8d_decide", arena_printf(r->a, "%s · %s", T(r, "next_8d_decide"), str(o, "title")),
			    str(o, "url"));
	}
	if (flag(v, "can_open_8d") && !flag(v, "has_eightds"))
		add(steps, "8d_open", T(r, "next_8d_open"), "#eightds");
	/* Penalty notices: the GM signs a proposal and decides an appeal, the person named appeals
	 * (the notice's page says whether this reader may, e.g. not on one naming themselves). */
	for (size_t i = 0; (a = list(v, "penalties")) != NULL && i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		const char *state = str(o, "state");
		if (sess_has(r, ROLE_BIT(ROLE_GM)) && strcmp(state, "proposed") == 0)
			add(steps, "penalty_sign", T(r, "next_penalty_sign"), str(o, "url"));
		else if (sess_has(r, ROLE_BIT(ROLE_GM)) && strcmp(state, "appealed") == 0)
			add(steps, "penalty_appeal", T(r, "next_penalty_decide"), str(o, "url"));
	}
	/* Inquiries after closure: the department's head answers. */
	for (size_t i = 0; (a = list(v, "inquiries")) != NULL && i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		if (!flag(o, "answered") && sess_has(r, ROLE_BIT(ROLE_DEPT_HEAD)) &&
		    strcmp(str(o, "department"), r->sess->department) == 0)
			add(steps, "inquiry_answer", T(r, "next_inquiry_answer"), str(o, "url"));
	}
	/* The lifecycle's own steps (triage, assignment, reply, callback, closure, ...). */
	for (size_t i = 0; (a = list(v, "actions")) != NULL && i < json_object_array_length(a); i++)
		add(steps, "action", str(json_object_array_get_idx(a, i), "label"), "#actions");
	JADD(v, "has_next_steps", json_object_new_boolean(json_object_array_length(steps) > 0));
	JADD(v, "next_steps", steps);
}
