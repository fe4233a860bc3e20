/* as_of.c: a record as it stood at a point of the audit trail — a pure fold of after-images, no database. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "as_of.h"

/* Keys that say what an event decided, not what the record holds. */
static const char *const event_only[] = { "decision", "role", "meaning", "comment", NULL };

/* Actions about a complaint's children that change nothing of the complaint itself. */
static const char *const note_prefixes[] = { "attachment_", "reminder_", "inquiry_", "escalation",
	"8d_", "remedy_", NULL };

static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
has_prefix(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strncmp(s, *list, strlen(*list)) == 0)
			return 1;
	return 0;
}

/*
 * Merge src's keys into dst (deep copies); a null value removes the key. Keys of skip
 * (NULL: none) and event-only keys go to note instead (when note is not NULL).
 */
static void
merge(struct json_object *dst, struct json_object *src, const char *const *skip, struct json_object *note)
{
	json_object_object_foreach(src, k, val) {
		struct json_object *copy = NULL;

		if ((skip != NULL && in_list(skip, k)) || in_list(event_only, k)) {
			if (note != NULL && val != NULL && json_object_deep_copy(val, &copy, NULL) == 0)
				json_object_object_add(note, k, copy);
			continue;
		}
		if (val == NULL) {
			json_object_object_del(dst, k);
			continue;
		}
		if (json_object_deep_copy(val, &copy, NULL) != 0)
			abort();
		json_object_object_add(dst, k, copy);
	}
}

/* The object under key in parent's map name (created when absent). */
static struct json_object *
child(struct json_object *parent, const char *map, const char *key)
{
	struct json_object *m, *c;

	if (!json_object_object_get_ex(parent, map, &m)) {
		m = json_object_new_object();
		json_object_object_add(parent, map, m);
	}
	if (!json_object_object_get_ex(m, key, &c)) {
		c = json_object_new_object();
		json_object_object_add(m, key, c);
	}
	return c;
}

/* The text of a scalar member, or NULL. */
static const char *
member_text(struct json_object *o, const char *k)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

/* One 8D event into state; note gets the event-only details. */
static void
fold_8d(struct json_object *state, const char *action, struct json_object *after, struct json_object *note)
{
	static const char *const save_skip[] = { "discipline", "fields", "disciplines", NULL };
	static const char *const notes[] = { "hold_", "attachment_", NULL };
	struct json_object *f, *all;
	const char *code = member_text(after, "discipline");

	if (has_prefix(notes, action))
		return;
	if (!json_object_object_get_ex(state, "disciplines", &all)) {
		all = json_object_new_object();
		json_object_object_add(state, "disciplines", all);
	}
	if (code != NULL && json_object_object_get_ex(after, "fields", &f) && f != NULL) {
		struct json_object *copy = NULL;
		if (json_object_deep_copy(f, &copy, NULL) != 0)
			abort();
		json_object_object_add(all, code, copy);
	}
	if (json_object_object_get_ex(after, "disciplines", &f) && json_object_is_type(f, json_type_object))
		merge(all, f, NULL, NULL);
	merge(state, after, save_skip, NULL);
	/* event-only keys again, now into the note (merge skipped them with the save keys) */
	json_object_object_foreach(after, k, val)
		if (in_list(event_only, k) && val != NULL)
			json_object_object_add(note, k, json_object_get(val));
}

/* One complaint event into state; note gets the event-only details. */
static void
fold_complaint(struct json_object *state, const char *action, struct json_object *after,
    struct json_object *note)
{
	static const char *const plan_skip[] = { "status", "version", "reason", NULL };
	static const char *const keyed_skip[] = { "department", "penalty_id", NULL };
	const char *key;

	if (strncmp(action, "report_", 7) == 0 && (key = member_text(after, "department")) != NULL) {
		merge(child(state, "reports", key), after, keyed_skip, note);
		if (strcmp(action, "report_return") == 0)
			json_object_object_add(child(state, "reports", key), "state",
			    json_object_new_string("returned"));
		return;
	}
	if (strncmp(action, "penalty_", 8) == 0 && (key = member_text(after, "penalty_id")) != NULL) {
		merge(child(state, "penalties", key), after, keyed_skip, note);
		return;
	}
	if ((key = member_text(after, "plan_revision")) != NULL) {
		struct json_object *p = child(state, "plans", key), *ps;
		/* The plan's own fields go to the plan; the complaint's status and version stay on it. */
		merge(p, after, plan_skip, note);
		json_object_object_del(p, "plan_revision");
		if (json_object_object_get_ex(p, "plan_state", &ps)) {
			json_object_object_add(p, "state", json_object_get(ps));
			json_object_object_del(p, "plan_state");
		} else if (strcmp(action, "propose_plan") == 0) {
			json_object_object_add(p, "state", json_object_new_string("pending"));
		}
		if (json_object_object_get_ex(after, "status", &ps))
			json_object_object_add(state, "status", json_object_get(ps));
		if (json_object_object_get_ex(after, "version", &ps))
			json_object_object_add(state, "version", json_object_get(ps));
		return;
	}
	if (has_prefix(note_prefixes, action))
		return;
	merge(state, after, NULL, note);
}

struct json_object *
as_of_rebuild(enum as_of_kind kind, const struct as_of_event *ev, size_t n, uint64_t upto)
{
	struct json_object *state = NULL, *events = NULL;

	for (size_t i = 0; i < n && ev[i].seq <= upto; i++) {
		struct json_object *after = NULL, *note;

		if (i > 0 && ev[i].seq <= ev[i - 1].seq)
			goto err;
		if (state == NULL) {
			/* A complaint starts at its registration; anything else at its first event. */
			if (kind == AS_OF_COMPLAINT && strcmp(ev[i].action, "register") != 0)
				continue;
			state = json_object_new_object();
			events = json_object_new_array();
		}
		note = json_object_new_object();
		json_object_object_add(note, "seq", json_object_new_int64((int64_t)ev[i].seq));
		json_object_object_add(note, "at", json_object_new_string(ev[i].at != NULL ? ev[i].at : ""));
		json_object_object_add(note, "action", json_object_new_string(ev[i].action));
		if (ev[i].after_json != NULL)
			after = json_tokener_parse(ev[i].after_json);
		if (after != NULL && json_object_is_type(after, json_type_object)) {
			if (kind == AS_OF_COMPLAINT)
				fold_complaint(state, ev[i].action, after, note);
			else if (kind == AS_OF_8D)
				fold_8d(state, ev[i].action, after, note);
			else
				merge(state, after, NULL, note);
			/* A proposal's after-image said its state only from 015 on: it was "proposed". */
			if (strcmp(ev[i].action, "penalty_propose") == 0 && !json_object_object_get_ex(state, "state", NULL))
				json_object_object_add(state, "state", json_object_new_string("proposed"));
		}
		json_object_put(after);
		json_object_array_add(events, note);
		json_object_object_add(state, "as_of_seq", json_object_new_int64((int64_t)ev[i].seq));
		json_object_object_add(state, "as_of_at", json_object_new_string(ev[i].at != NULL ? ev[i].at : ""));
	}
	if (state != NULL)
		json_object_object_add(state, "events", events);
	return state;
err:
	json_object_put(state);
	json_object_put(events);
	return NULL;
}

/* n digits at s into *v; 1 when all were digits. */
static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

const char *
as_of_local_end_utc(struct arena *a, long utc_offset_min, const char *local)
{
	int y, mo, d, h = 23, mi = 59;
	struct tm tm;
	time_t t;
	size_t len;
	char out[40];

	if (local == NULL)
		return NULL;
	len = strlen(local);
	if ((len != 10 && len != 16) || local[4] != '-' || local[7] != '-' ||
	    !digits(local, 4, &y) || !digits(local + 5, 2, &mo) || !digits(local + 8, 2, &d))
		return NULL;
	if (len == 16 && (local[10] != 'T' || local[13] != ':' || !digits(local + 11, 2, &h) ||
	    !digits(local + 14, 2, &mi) || h > 23 || mi > 59))
		return NULL;
	if (y < 2000 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return NULL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = 59;
	t = timegm(&tm);
	/* timegm normalises 30 February into March: such a day does not exist. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return NULL;
	t -= utc_offset_min * 60;
	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M:%S", &tm);
	return arena_printf(a, "%s.999999", out);
}

int
as_of_parse_seq(const char *s, uint64_t *seq)
{
	uint64_t v = 0;
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 18 || *s == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*seq = v;
	return 1;
}
