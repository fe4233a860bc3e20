/* view_as_of.c: a complaint shown as it stood at an audit sequence number or a local time, from the trail, read-only. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "view_as_of.h"
#include "access.h"
#include "as_of.h"
#include "i18n.h"
#include "money.h"
#include "resp.h"
#include "view.h"

/* The complaint's fields shown, in order, with the field whose labels name its codes (NULL: text). */
static const struct {
	const char *key, *enum_field;
} shown[] = {
	{ "number", NULL }, { "status", "status" }, { "received_at", NULL }, { "channel", "channel" },
	{ "customer_name", NULL }, { "customer_company", NULL }, { "customer_type", "customer_type" },
	{ "product", NULL }, { "part_no", NULL }, { "order_no", NULL }, { "lot", NULL },
	{ "quantity", NULL }, { "defective_quantity", NULL }, { "description", NULL },
	{ "demand", "demand" }, { "urgency", "urgency" }, { "category", "category" },
	{ "severity", "severity" }, { "respond_due", NULL }, { "resolve_due", NULL },
	{ "reply_text", NULL }, { "satisfaction", NULL }, { "callback_comment", NULL },
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
refuse(struct app *app, struct req *r, struct resp *rs, const char *key)
{
	struct json_object *v = view_new(app, r);

	json_object_object_add(v, "number", jstr(r->arg));
	json_object_object_add(v, "error_text", jstr(T(r, key)));
	json_object_object_add(v, "error", jstr(key));
	resp_page(app, r, rs, 400, "as_of", v);
	return KESU_OK;
}

/* [{label, value}] of the record's shown fields. */
static struct json_object *
fields(struct app *app, struct req *r, struct json_object *rec)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		const char *val = text_of(rec, shown[i].key);
		struct json_object *o;

		if (val == NULL || *val == '\0')
			continue;
		if (shown[i].enum_field != NULL)
			val = view_label(r, shown[i].enum_field, val);
		else if (strcmp(shown[i].key, "respond_due") == 0 || strcmp(shown[i].key, "resolve_due") == 0)
			val = view_local_time(app, r->a, val);
		o = json_object_new_object();
		json_object_object_add(o, "key", jstr(shown[i].key));
		json_object_object_add(o, "label", jstr(T(r, arena_printf(r->a, "field_%s", shown[i].key))));
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

int
as_of_complaint(struct app *app, struct req *r, struct resp *rs)
{
	struct as_of_event *ev;
	struct json_object *v, *rec, *arr, *banner, *events;
	struct db_res res, sig;
	const char *until;
	uint64_t seq;
	int rc;

	/* The same rule as the page itself: who may not read it learns nothing, not even the check. */
	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	if (!point(app, r, &seq, &until))
		return refuse(app, r, rs, "asof_err_point");
	if ((rc = db_exec(app->db, r->a, STMT_AS_OF_EVENTS, &res, "ssus", "complaint", r->arg, seq,
	    until)) != KESU_OK)
		return rc;
	ev = arena_alloc(r->a, (res.nrows + 1) * sizeof(*ev));
	for (size_t i = 0; i < res.nrows; i++) {
		ev[i].seq = strtoull(res.rows[i][0], NULL, 10);
		ev[i].at = res.rows[i][1];
		ev[i].action = res.rows[i][2];
		ev[i].after_json = res.rows[i][3];
	}
	if ((rec = as_of_rebuild(AS_OF_COMPLAINT, ev, res.nrows, seq)) == NULL)
		return refuse(app, r, rs, "asof_err_before");
	arena_defer(r->a, json_put, rec);
	/* A seq asked for stands at that event's time; a time at its end. */
	if ((rc = db_exec(app->db, r->a, STMT_AS_OF_SIGNATURES, &sig, "ss", r->arg, until)) != KESU_OK)
		return rc;

	v = view_new(app, r);
	banner = json_object_new_object();
	json_object_object_add(banner, "seq", json_object_new_int64(seq != UINT64_MAX ? (int64_t)seq : 0));
	json_object_object_add(banner, "by_seq", json_object_new_boolean(seq != UINT64_MAX));
	json_object_object_add(banner, "last_seq", json_object_new_int64(strtoll(text_of(rec, "as_of_seq"), NULL, 10)));
	json_object_object_add(banner, "last_at", jstr(view_local_time(app, r->a, text_of(rec, "as_of_at"))));
	json_object_object_add(banner, "at", jstr(req_query(r, "at")));
	json_object_object_add(banner, "until_utc", jstr(strcmp(until, "9999") == 0 ? "" : until));
	json_object_object_add(banner, "now_url", jstr(arena_printf(r->a, "/complaints/%s", r->arg)));
	json_object_object_add(v, "as_of", banner);
	json_object_object_add(v, "number", jstr(r->arg));
	json_object_object_add(v, "fields", fields(app, r, rec));
	for (int i = 0; i < 3; i++) {
		static const char *const maps[] = { "reports", "plans", "penalties" };
		struct json_object *c = children(r, rec, maps[i]);
		json_object_object_add(v, arena_printf(r->a, "has_%s", maps[i]),
		    json_object_new_boolean(json_object_array_length(c) > 0));
		json_object_object_add(v, maps[i], c);
	}
	arr = json_object_new_array();
	for (size_t i = 0; i < sig.nrows; i++) {
		char **s = sig.rows[i];
		struct json_object *o = json_object_new_object();
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
	json_object_object_add(v, "signatures", arr);
	json_object_object_add(v, "has_signatures", json_object_new_boolean(sig.nrows > 0));
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
