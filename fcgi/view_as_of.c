/* view_as_of.c: a complaint shown as it stood at an audit sequence number or a local time, from the trail, read-only. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view_as_of.h"
#include "access.h"
#include "as_of.h"
#include "eightd.h"
#include "i18n.h"
#include "money.h"
#include "resp.h"
#include "view.h"

/* A complaint's fields shown, in order: key, its label, how its value reads (NULL: as text). */
static const struct shown_field complaint_shown[] = {
	{ "number", "field_number", NULL }, { "status", "field_status", "status" },
	{ "received_at", "field_received_at", NULL }, { "channel", "field_channel", "channel" },
	{ "customer_name", "field_customer_name", NULL }, { "customer_company", "field_customer_company", NULL },
	{ "customer_type", "field_customer_type", "customer_type" }, { "product", "field_product", NULL },
	{ "part_no", "field_part_no", NULL }, { "order_no", "field_order_no", NULL }, { "lot", "field_lot", NULL },
	{ "quantity", "field_quantity", NULL }, { "defective_quantity", "field_defective_quantity", NULL },
	{ "description", "field_description", NULL }, { "demand", "field_demand", "demand" },
	{ "urgency", "field_urgency", "urgency" }, { "category", "field_category", "category" },
	{ "severity", "field_severity", "severity" }, { "respond_due", "field_respond_due", "time" },
	{ "resolve_due", "field_resolve_due", "time" }, { "reply_text", "field_reply_text", NULL },
	{ "satisfaction", "field_satisfaction", NULL }, { "callback_comment", "field_callback_comment", NULL },
	{ NULL, NULL, NULL }
};

/* The text of member k of o, or NULL (numbers as decimals). */
static const char *
text_of(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, k, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

/* An arena cleanup for a json-c root. */
static void
json_put(void *o)
{
	json_object_put(o);
}

struct json_object *
view_rules_used(struct app *app, struct req *r, const char *rule_ids, const char *proposed_at_utc)
{
	struct json_object *o, *ids;
	const char *text = "", *day;

	if (rule_ids == NULL || *rule_ids == '\0')
		return NULL;
	o = json_object_new_object();
	ids = json_object_new_array();
	for (const char *p = rule_ids; *p != '\0'; ) {
		char *end;
		long long id = strtoll(p, &end, 10);
		if (end == p)
			break;
		json_object_array_add(ids, json_object_new_int64(id));
		text = arena_printf(r->a, "%s%s#%lld", text, *text ? " " : "", id);
		p = *end == ',' ? end + 1 : end;
	}
	json_object_object_add(o, "ids", ids);
	json_object_object_add(o, "text", jstr(text));
	day = view_local_time(app, r->a, proposed_at_utc);
	if (day != NULL && strlen(day) >= 10)
		json_object_object_add(o, "matrix_url", jstr(arena_printf(r->a, "/admin/authority?as_of=%.10s", day)));
	return o;
}

int
as_of_wanted(const struct req *r)
{
	return req_query(r, "as_of") != NULL || req_query(r, "at") != NULL;
}

/* The point asked for: *seq (UINT64_MAX for a time) and *until (UTC, "9999" for a seq); 0 when malformed. */
static int
point(struct app *app, struct req *r, uint64_t *seq, const char **until)
{
	const char *s = req_query(r, "as_of"), *at = req_query(r, "at");
	struct db_res res;

	if (s != NULL && at == NULL) {
		if (!as_of_parse_seq(s, seq))
			return 0;
		*until = "9999";
		/* Signatures then: those signed by the time the event was written (any record's). */
		if (db_exec(app->db, r->a, STMT_AS_OF_SEQ_AT, &res, "u", *seq) == KESU_OK && res.nrows == 1)
			*until = res.rows[0][0];
		return 1;
	}
	/* A minute, as the route promises; a bare day is ambiguous (its start or its end?). */
	if (at != NULL && s == NULL && strlen(at) == 16) {
		*seq = UINT64_MAX;
		return (*until = as_of_local_end_utc(r->a, app->utc_offset_min, at)) != NULL;
	}
	return 0;
}

/* 400 with a message and the way back to now. */
static int
refuse(struct app *app, struct req *r, struct resp *rs, const struct as_of_target *t, const char *key)
{
	struct json_object *v = view_new(app, r);

	json_object_object_add(v, "title_label", jstr(T(r, t->title_key)));
	json_object_object_add(v, "name", jstr(t->name));
	json_object_object_add(v, "now_url", jstr(t->now_url));
	json_object_object_add(v, "error_text", jstr(T(r, key)));
	json_object_object_add(v, "error", jstr(key));
	resp_page(app, r, rs, 400, "as_of", v);
	return KESU_OK;
}

/* [{label, value}] of the record's shown fields. */
static struct json_object *
fields(struct app *app, struct req *r, struct json_object *rec, const struct shown_field *shown)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; shown[i].key != NULL; i++) {
		const char *val = text_of(rec, shown[i].key);
		struct json_object *o;

		if (val == NULL || *val == '\0')
			continue;
		if (shown[i].enum_field != NULL && strcmp(shown[i].enum_field, "money") == 0)
			val = arena_printf(r->a, "¥ %s", fmt_yuan(r->a, strtoll(val, NULL, 10)));
		else if (shown[i].enum_field != NULL && strcmp(shown[i].enum_field, "time") == 0)
			val = view_local_time(app, r->a, val);
		else if (shown[i].enum_field != NULL)
			val = view_label(r, shown[i].enum_field, val);
		o = json_object_new_object();
		json_object_object_add(o, "key", jstr(shown[i].key));
		json_object_object_add(o, "label", jstr(T(r, shown[i].label_key)));
		json_object_object_add(o, "value", jstr(val));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* [{department, state_label, cause...}] / [{revision, state_label, amount}] of a child map. */
static struct json_object *
children(struct req *r, struct json_object *rec, const char *map)
{
	struct json_object *arr = json_object_new_array(), *m;

	if (!json_object_object_get_ex(rec, map, &m) || m == NULL)
		return arr;
	json_object_object_foreach(m, k, c) {
		struct json_object *o = json_object_new_object();
		const char *st = text_of(c, "state"), *amt = text_of(c, "amount_fen");

		json_object_object_add(o, "key", jstr(k));
		if (strcmp(map, "reports") == 0) {
			json_object_object_add(o, "title", jstr(k));
			json_object_object_add(o, "state_label", jstr(st ? view_label(r, "report", st) : ""));
			json_object_object_add(o, "summary", jstr(text_of(c, "conclusion") ? text_of(c, "conclusion") : text_of(c, "cause")));
		} else if (strcmp(map, "plans") == 0) {
			json_object_object_add(o, "title", jstr(arena_printf(r->a, "%s %s", T(r, "asof_revision"), k)));
			json_object_object_add(o, "state_label", jstr(st ? view_label(r, "plan", st) : ""));
			json_object_object_add(o, "summary", jstr(amt ? arena_printf(r->a, "¥ %s", fmt_yuan(r->a, strtoll(amt, NULL, 10))) : ""));
		} else {
			json_object_object_add(o, "title", jstr(arena_printf(r->a, "#%s", k)));
			json_object_object_add(o, "state_label", jstr(st ? view_label(r, "penalty_state", st) : ""));
			json_object_object_add(o, "summary", jstr(amt ? arena_printf(r->a, "¥ %s", fmt_yuan(r->a, strtoll(amt, NULL, 10))) : ""));
		}
		json_object_object_add(o, "content_hash", jstr(text_of(c, "content_hash")));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* A stored 8D value as read: a choice by its label, anything else as it is. */
static const char *
ed_value(struct req *r, const char *const *choices, const char *v)
{
	return choices != NULL && v != NULL && *v != '\0' ? T(r, arena_printf(r->a, "ed_choice_%s", v)) : v;
}

/*
 * [{label, fields: [{label, value}]}] of an 8D's disciplines as they stood, in D0..D8 order,
 * each field by its label; a list's rows as "cell · cell" lines (eightd.h names them all).
 */
static struct json_object *
disciplines(struct req *r, struct json_object *rec)
{
	struct json_object *arr = json_object_new_array(), *m;

	if (!json_object_object_get_ex(rec, "disciplines", &m) || !json_object_is_type(m, json_type_object))
		return arr;
	for (int d = 0; d < ED_NDISC; d++) {
		const struct ed_discipline *dd = &eightd_disciplines[d];
		struct json_object *c, *o, *fs;

		if (!json_object_object_get_ex(m, dd->code, &c) || !json_object_is_type(c, json_type_object))
			continue;
		o = json_object_new_object();
		fs = json_object_new_array();
		json_object_object_add(o, "code", jstr(dd->code));
		json_object_object_add(o, "label", jstr(T(r, arena_printf(r->a, "ed_title_%s", dd->code))));
		for (int k = 0; k < dd->nfields; k++) {
			const struct ed_field *f = &dd->fields[k];
			struct json_object *val, *x;
			const char *text = "";

			if (!json_object_object_get_ex(c, f->name, &val) || val == NULL)
				continue;
			if (f->kind == ED_LIST && json_object_is_type(val, json_type_array)) {
				for (size_t i = 0; i < json_object_array_length(val); i++) {
					struct json_object *row = json_object_array_get_idx(val, i);
					const char *line = "";
					for (int q = 0; q < f->ncols; q++) {
						const char *cell = text_of(row, f->cols[q].name);
						if (cell == NULL || *cell == '\0')
							continue;
						cell = ed_value(r, f->cols[q].choices, cell);
						line = *line ? arena_printf(r->a, "%s · %s", line, cell) : cell;
					}
					text = *text ? arena_printf(r->a, "%s\n%s", text, line) : line;
				}
			} else if (!json_object_is_type(val, json_type_array) && !json_object_is_type(val, json_type_object)) {
				text = ed_value(r, f->kind == ED_CHOICE ? f->choices : NULL, json_object_get_string(val));
			}
			if (text == NULL || *text == '\0')
				continue;
			x = json_object_new_object();
			json_object_object_add(x, "label", jstr(T(r, arena_printf(r->a, "ed_%s_%s", dd->code, f->name))));
			json_object_object_add(x, "value", jstr(text));
			json_object_array_add(fs, x);
		}
		json_object_object_add(o, "fields", fs);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* The after-image's member key as text equals want (one child's events among the complaint's). */
static int
event_of_child(const char *after_json, const char *key, const char *want)
{
	struct json_object *o = after_json != NULL ? json_tokener_parse(after_json) : NULL;
	const char *got = text_of(o, key);
	int yes = got != NULL && strcmp(got, want) == 0;

	json_object_put(o);
	return yes;
}

int
as_of_answer(struct app *app, struct req *r, struct resp *rs, const struct as_of_target *t)
{
	struct as_of_event *ev;
	struct json_object *v, *rec, *arr, *banner, *events;
	struct db_res res, sig;
	const char *until;
	uint64_t seq;
	size_t n = 0;
	int rc;

	if (!point(app, r, &seq, &until))
		return refuse(app, r, rs, t, "asof_err_point");
	if ((rc = db_exec(app->db, r->a, STMT_AS_OF_EVENTS, &res, "ssus", t->entity, t->entity_id, seq,
	    until)) != KESU_OK)
		return rc;
	ev = arena_alloc(r->a, (res.nrows + 1) * sizeof(*ev));
	for (size_t i = 0; i < res.nrows; i++) {
		if (t->child_prefix != NULL && (strncmp(res.rows[i][2], t->child_prefix, strlen(t->child_prefix)) != 0 ||
		    !event_of_child(res.rows[i][3], t->child_key, t->child_id)))
			continue;
		ev[n].seq = strtoull(res.rows[i][0], NULL, 10);
		ev[n].at = res.rows[i][1];
		ev[n].action = res.rows[i][2];
		ev[n].after_json = res.rows[i][3];
		n++;
	}
	if ((rec = as_of_rebuild(t->kind, ev, n, seq)) == NULL)
		return refuse(app, r, rs, t, "asof_err_before");
	arena_defer(r->a, json_put, rec);
	/* A seq asked for stands at that event's time; a time at its end. */
	if (t->kind == AS_OF_8D)
		rc = db_exec(app->db, r->a, STMT_AS_OF_8D_SIGNATURES, &sig, "sss", t->entity_id, t->entity_id, until);
	else
		rc = db_exec(app->db, r->a, STMT_AS_OF_SIGNATURES, &sig, "ss", t->number, until);
	if (rc != KESU_OK)
		return rc;

	v = view_new(app, r);
	json_object_object_add(v, "title_label", jstr(T(r, t->title_key)));
	json_object_object_add(v, "name", jstr(t->name));
	json_object_object_add(v, "now_url", jstr(t->now_url));
	banner = json_object_new_object();
	json_object_object_add(banner, "seq", json_object_new_int64(seq != UINT64_MAX ? (int64_t)seq : 0));
	json_object_object_add(banner, "by_seq", json_object_new_boolean(seq != UINT64_MAX));
	json_object_object_add(banner, "last_seq", json_object_new_int64(strtoll(text_of(rec, "as_of_seq"), NULL, 10)));
	json_object_object_add(banner, "last_at", jstr(view_local_time(app, r->a, text_of(rec, "as_of_at"))));
	json_object_object_add(banner, "at", jstr(req_query(r, "at")));
	json_object_object_add(banner, "until_utc", jstr(strcmp(until, "9999") == 0 ? "" : until));
	json_object_object_add(banner, "now_url", jstr(t->now_url));
	json_object_object_add(v, "as_of", banner);
	json_object_object_add(v, "fields", fields(app, r, rec, t->shown));
	for (int i = 0; i < 3; i++) {
		static const char *const maps[] = { "reports", "plans", "penalties" };
		struct json_object *c = children(r, rec, maps[i]);
		json_object_object_add(v, arena_printf(r->a, "has_%s", maps[i]),
		    json_object_new_boolean(json_object_array_length(c) > 0));
		json_object_object_add(v, maps[i], c);
	}
	json_object_object_add(v, "disciplines", disciplines(r, rec));
	arr = json_object_new_array();
	for (size_t i = 0; i < sig.nrows; i++) {
		char **s = sig.rows[i];
		struct json_object *o;
		/* One penalty's page: its own signatures only. */
		if (t->sig_entity != NULL && (strcmp(s[0], t->sig_entity) != 0 || strcmp(s[1], t->sig_id) != 0))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "entity", jstr(s[0]));
		json_object_object_add(o, "entity_id", jstr(s[1]));
		json_object_object_add(o, "revision", json_object_new_int(atoi(s[2])));
		json_object_object_add(o, "signer_uid", jstr(s[3]));
		json_object_object_add(o, "signer_name", jstr(s[4]));
		json_object_object_add(o, "role", jstr(s[5]));
		json_object_object_add(o, "role_label", jstr(view_label(r, "role", s[5])));
		json_object_object_add(o, "decision", jstr(s[6]));
		json_object_object_add(o, "decision_label", jstr(view_label(r, "decision", s[6])));
		json_object_object_add(o, "signed_meaning", jstr(s[7]));
		json_object_object_add(o, "content_hash", jstr(s[9]));
		json_object_object_add(o, "signed_at", jstr(view_local_time(app, r->a, s[10])));
		json_object_object_add(o, "signed_at_utc", jstr(s[10]));
		json_object_array_add(arr, o);
	}
	json_object_object_add(v, "has_signatures", json_object_new_boolean(json_object_array_length(arr) > 0));
	json_object_object_add(v, "signatures", arr);
	/* The events folded, newest first, with their translated actions. */
	events = json_object_new_array();
	arr = json_object_object_get(rec, "events");
	for (size_t i = json_object_array_length(arr); i-- > 0; ) {
		struct json_object *e = json_object_array_get_idx(arr, i), *o = json_object_new_object();
		const char *act = text_of(e, "action");
		json_object_object_add(o, "seq", json_object_new_int64(strtoll(text_of(e, "seq"), NULL, 10)));
		json_object_object_add(o, "at", jstr(view_local_time(app, r->a, text_of(e, "at"))));
		json_object_object_add(o, "action", jstr(act));
		json_object_object_add(o, "action_label", jstr(i18n_has(r->lang, arena_printf(r->a, "caction_%s", act)) ?
		    view_label(r, "caction", act) : view_label(r, "action", act)));
		json_object_array_add(events, o);
	}
	json_object_object_add(v, "events", events);
	/* The record exactly as rebuilt, for the JSON twin (codes, not labels). */
	json_object_object_add(v, "record", json_object_get(rec));
	resp_page(app, r, rs, 200, "as_of", v);
	return KESU_OK;
}

/* An 8D's and a penalty's own fields (their contents and decisions come as sections). */
const struct shown_field as_of_8d_shown[] = {
	{ "title", "ed_title_field", NULL }, { "state", "field_status", "ed_state" },
	{ "version", "ed_version", NULL }, { "content_hash", "asof_content_hash", NULL },
	{ NULL, NULL, NULL }
};
const struct shown_field as_of_penalty_shown[] = {
	{ "state", "field_status", "penalty_state" }, { "target_kind", "penalty_target_kind", "penalty_target" },
	{ "target_uid", "penalty_target", NULL }, { "target_department", "penalty_target_department", NULL },
	{ "kind", "penalty_kind", "penalty_kind" }, { "amount_fen", "field_amount", "money" },
	{ "reason", "penalty_reason", NULL }, { "rule_applied", "penalty_rule", NULL },
	{ "rule_ids", "asof_rules_used", NULL }, { "content_hash", "asof_content_hash", NULL },
	{ NULL, NULL, NULL }
};

int
as_of_complaint(struct app *app, struct req *r, struct resp *rs)
{
	struct as_of_target t = { AS_OF_COMPLAINT, "asof_title", r->arg, r->arg, "complaint", r->arg,
		NULL, NULL, NULL, NULL, NULL, arena_printf(r->a, "/complaints/%s", r->arg), complaint_shown };
	int rc;

	/* The same rule as the page itself: who may not read it learns nothing, not even the check. */
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	return as_of_answer(app, r, rs, &t);
}
