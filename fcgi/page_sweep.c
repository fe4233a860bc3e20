/* page_sweep.c: the clocks on the complaint page, reminders and inquiries in "My work", and the overdue inquiry page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "handlers.h"
#include "sections.h"
#include "valid.h"
#include "work.h"
#include "waiting.h"
#include "audit.h"
#include "calendar.h"
#include "clock.h"
#include "i18n.h"
#include "workflow.h"

/* An answer to an inquiry: at most this many characters. */
#define ANSWER_MAX_CHARS 4000

/* The text of the computed key prefix + arg ("step_" "response"); a missing one comes back as the key, kept in the arena. */
static const char *
tk(const struct req *r, const char *prefix, const char *arg)
{
	char key[96];
	size_t pl = strlen(prefix), al = arg != NULL ? strlen(arg) : 6;
	const char *text;

	/* Without printf: the clocks ask this a dozen times a page (issue 10, pagerender). */
	if (arg == NULL || pl + al >= sizeof(key))
		return T(r, arena_printf(r->a, "%s%s", prefix, arg));
	memcpy(key, prefix, pl);
	memcpy(key + pl, arg, al + 1);
	text = T(r, key);
	return text == key ? arena_strdup(r->a, key) : text;
}

/* The decimal digits of v (>= 0) at p; returns the end. */
static char *
put_long(char *p, long v)
{
	char d[24];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

/* A UTC instant as the company's local "YYYY-MM-DD HH:MM". */
static const char *
local_of(const struct app *app, struct req *r, time_t t)
{
	char utc[32];

	clock_fmt_utc(t, utc);
	return view_local_time(app, r->a, utc);
}

/* "2 天 3 小时" / "5 h 20 min": a duration in minutes, days only for natural time. */
static const char *
duration(const struct req *r, long minutes, int with_days)
{
	const char *sign = minutes < 0 ? "-" : "";
	long m = minutes < 0 ? -minutes : minutes;

	const char *u1, *u2 = NULL;
	long n1, n2 = 0;
	size_t l1, l2 = 0;
	char *out, *p;

	/* "%s%ld %s[ %ld %s]" by hand: four of these a clock, and printf's format parsing was most
	 * of their cost (issue 10, pagerender). */
	if (with_days && m >= 1440) {
		n1 = m / 1440, u1 = T(r, "unit_day"), n2 = m % 1440 / 60, u2 = T(r, "unit_hour");
	} else if (m >= 60) {
		n1 = m / 60, u1 = T(r, "unit_hour"), n2 = m % 60, u2 = T(r, "unit_minute");
	} else {
		n1 = m, u1 = T(r, "unit_minute");
	}
	if (m < 0)   /* LONG_MIN: no positive twin */
		return arena_printf(r->a, "%s%ld %s", sign, m, T(r, "unit_minute"));
	l1 = strlen(u1);
	if (u2 != NULL)
		l2 = strlen(u2);
	p = out = arena_alloc(r->a, 1 + 2 * 21 + l1 + l2 + 4);
	if (*sign != '\0')
		*p++ = '-';
	p = put_long(p, n1);
	*p++ = ' ';
	memcpy(p, u1, l1);
	p += l1;
	if (u2 != NULL) {
		*p++ = ' ';
		p = put_long(p, n2);
		*p++ = ' ';
		memcpy(p, u2, l2);
		p += l2;
	}
	*p = '\0';
	return out;
}

/* The department's name in the request's language (the code when unknown). */
static const char *
dept_name(const struct req *r, const struct db_res *deps, const char *code)
{
	for (size_t i = 0; code != NULL && i < deps->nrows; i++)
		if (strcmp(deps->rows[i][0], code) == 0)
			return deps->rows[i][r->lang == LANG_ZH ? 1 : 2];
	return code;
}

/* "response,resolution" -> "Response, Resolution" in the request's language. */
static const char *
steps_label(const struct req *r, const char *steps)
{
	struct buf b;
	char *copy = arena_strdup(r->a, steps ? steps : ""), *tok, *save = NULL;
	const char *out;

	buf_init(&b);
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (b.len > 0)
			buf_puts(&b, T(r, "list_sep"));
		buf_puts(&b, tk(r, "step_", tok));
	}
	out = arena_strdup(r->a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

static struct json_object *
clock_json(const struct app *app, struct req *r, const struct db_res *deps, const struct clock *k)
{
	struct json_object *o = json_object_new_object(), *ps = json_object_new_array();
	const char *step = clock_step_name(k->step);
	const char *state = k->stopped != 0 ? (k->late ? "late" : "met") : sla_state_name(k->st.state);
	int days = k->kind == SLA_NATURAL;
	long pct = k->st.budget_minutes > 0 ? k->st.used_minutes * 100 / k->st.budget_minutes : 100;

	JADD(o, "step", jstr(step));
	JADD(o, "label", jstr(tk(r, "step_", step)));
	JADD(o, "department", k->department ? jstr(k->department) : NULL);
	JADD(o, "department_name", k->department ? jstr(dept_name(r, deps, k->department)) : NULL);
	JADD(o, "kind", jstr(k->kind == SLA_WORKING ? "working" : "natural"));
	JADD(o, "kind_label", jstr(T(r, k->kind == SLA_WORKING ? "clock_kind_working" : "clock_kind_natural")));
	JADD(o, "start", jstr(local_of(app, r, k->start)));
	JADD(o, "deadline", jstr(local_of(app, r, k->st.deadline)));
	JADD(o, "stopped", k->stopped ? jstr(local_of(app, r, k->stopped)) : NULL);
	JADD(o, "budget_minutes", json_object_new_int64(k->st.budget_minutes));
	JADD(o, "used_minutes", json_object_new_int64(k->st.used_minutes));
	JADD(o, "paused_minutes", json_object_new_int64(k->st.paused_minutes));
	JADD(o, "remaining_minutes", json_object_new_int64(k->st.remaining_minutes));
	JADD(o, "budget", jstr(duration(r, k->st.budget_minutes, days)));
	JADD(o, "used", jstr(duration(r, k->st.used_minutes, days)));
	JADD(o, "paused", jstr(duration(r, k->st.paused_minutes, days)));
	JADD(o, "remaining", jstr(duration(r, k->st.remaining_minutes, days)));
	JADD(o, "percent", json_object_new_int64(pct));
	/* For the bar: 0..100 even when overdue. */
	JADD(o, "bar", json_object_new_int64(pct < 0 ? 0 : pct > 100 ? 100 : pct));
	JADD(o, "state", jstr(state));
	JADD(o, "state_label", jstr(tk(r, "clock_state_", state)));
	JADD(o, "running", json_object_new_boolean(k->stopped == 0));
	JADD(o, "late", json_object_new_boolean(k->late));
	JADD(o, "warning", json_object_new_boolean(k->warning));
	for (size_t i = 0; i < k->npauses; i++) {
		const struct clock_pause *p = &k->pauses[i];
		struct json_object *po = json_object_new_object();
		JADD(po, "from", jstr(local_of(app, r, p->from)));
		JADD(po, "to", p->to ? jstr(local_of(app, r, p->to)) : NULL);
		JADD(po, "reason", jstr(p->reason));
		JADD(po, "reason_label", jstr(tk(r, "clock_pause_", p->reason)));
		json_object_array_add(ps, po);
	}
	JADD(o, "has_pauses", json_object_new_boolean(k->npauses > 0));
	JADD(o, "pauses", ps);
	return o;
}

int
clocks_view_add(struct app *app, struct req *r, char **crow, const struct db_res *hist,
    const struct db_res *as, struct json_object *view)
{
	struct sla_calendar cal;
	struct clock_input in;
	struct clock *ks;
	struct db_res deps, inq;
	struct json_object *arr, *qs;
	size_t n;
	int rc, warn = 0, late = 0;

	const char *number = crow[CC_NUMBER];
	struct clock_change *changes;
	struct clock_assignment *asg;

	/* Everything but the calendar and the inquiries comes from what the page already read:
	 * crow is a STMT_COMPLAINT_PAGE row, hist STMT_AUDIT_FOR_ENTITY, as STMT_ASSIGNMENT_LIST. */
	memset(&inq, 0, sizeof(inq));
	if ((rc = calendar_get(app->db, r->a, app->utc_offset_min, crow[CP_CALENDAR_GEN], &cal)) != KESU_OK ||
	    (rc = view_departments(app, r->a, &deps)) != KESU_OK ||
	    (atol(crow[CP_N_INQUIRIES]) > 0 &&
	    (rc = db_exec(app->db, r->a, STMT_INQUIRY_FOR_COMPLAINT, &inq, "s", number)) != KESU_OK))
		return rc;
	memset(&in, 0, sizeof(in));
	in.status = crow[CC_STATUS];
	in.received_at = clock_parse_utc(crow[CC_RECEIVED_AT]);
	in.respond_due = clock_parse_utc(crow[CC_RESPOND_DUE]);
	in.resolve_due = clock_parse_utc(crow[CC_RESOLVE_DUE]);
	in.replied_at = clock_parse_utc(crow[CC_REPLIED_AT]);
	changes = arena_alloc(r->a, (hist->nrows + 1) * sizeof(*changes));
	for (size_t i = 0; i < hist->nrows; i++)
		if (hist->rows[i][7] != NULL && clock_parse_utc(hist->rows[i][1]) != 0)
			changes[in.nchanges++] = (struct clock_change){ clock_parse_utc(hist->rows[i][1]),
				hist->rows[i][7] };
	in.changes = changes;
	asg = arena_alloc(r->a, (as->nrows + 1) * sizeof(*asg));
	for (size_t i = 0; i < as->nrows; i++)
		asg[i] = (struct clock_assignment){ as->rows[i][AS_DEPARTMENT], as->rows[i][AS_STATE],
			clock_parse_utc(as->rows[i][AS_ASSIGNED_AT]), clock_parse_utc(as->rows[i][AS_DECIDED_AT]),
			as->rows[i][AS_REPORT_SIGNED] != NULL && atoi(as->rows[i][AS_REPORT_SIGNED]) != 0 };
	in.assignments = asg;
	in.nassignments = as->nrows;
	n = clock_compute(&cal, &in, time(NULL), r->a, &ks);
	arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object_array_add(arr, clock_json(app, r, &deps, &ks[i]));
		warn |= ks[i].warning;
		late |= ks[i].late && ks[i].stopped == 0;
	}
	JADD(view, "clocks", arr);
	JADD(view, "clocks_warning", json_object_new_boolean(warn));
	JADD(view, "clocks_late", json_object_new_boolean(late));

	/* id, department, steps, issued_at, answered_by_name, answered_at */
	qs = json_object_new_array();
	for (size_t i = 0; i < inq.nrows; i++) {
		char **q = inq.rows[i];
		struct json_object *o = json_object_new_object();
		JADD(o, "id", json_object_new_int64(atoll(q[0])));
		JADD(o, "url", jstr(arena_printf(r->a, "/inquiries/%s", q[0])));
		JADD(o, "department", jstr(q[1]));
		JADD(o, "department_name", jstr(dept_name(r, &deps, q[1])));
		JADD(o, "steps", jstr(q[2]));
		JADD(o, "steps_label", jstr(steps_label(r, q[2])));
		JADD(o, "issued_at", jstr(view_local_time(app, r->a, q[3])));
		JADD(o, "answered", json_object_new_boolean(q[5] != NULL));
		JADD(o, "answered_by_name", q[4] ? jstr(q[4]) : NULL);
		JADD(o, "answered_at", q[5] ? jstr(view_local_time(app, r->a, q[5])) : NULL);
		json_object_array_add(qs, o);
	}
	JADD(view, "has_inquiries", json_object_new_boolean(inq.nrows > 0));
	JADD(view, "inquiries", qs);
	return KESU_OK;
}

/* ---- my work ---- */

/* Whom a document may be addressed to, for the signed-in person: their uid, roles, department. */
struct addressee {
	const char *type;
	const char *name;
};

static size_t
addressees(const struct req *r, struct addressee *out, size_t max, int for_inquiries)
{
	const struct session *s = r->sess;
	size_t n = 0;

	if (!for_inquiries)
		out[n++] = (struct addressee){ "user", s->uid };
	for (int i = 0; i < ROLE__MAX && n < max; i++)
		if ((s->roles & ROLE_BIT(i)) && (!for_inquiries || i == ROLE_SUPERVISOR))
			out[n++] = (struct addressee){ "role", role_name((enum role)i) };
	if (*s->department != '\0' && (s->roles & ROLE_BIT(ROLE_DEPT_HEAD)) && n < max)
		out[n++] = (struct addressee){ "dept_head", s->department };
	if (!for_inquiries && *s->department != '\0' && (s->roles & ROLE_BIT(ROLE_DEPT_MEMBER)) && n < max)
		out[n++] = (struct addressee){ "dept", s->department };
	return n;
}

/* A reminder row of STMT_REMINDER_FOR_ADDRESSEE and to whom it went. */
struct work_reminder {
	char **row;
	struct addressee to;
};

static int
by_issued_desc(const void *a, const void *b)
{
	const struct work_reminder *x = a, *y = b;
	int c = strcmp(y->row[5], x->row[5]);
	return c != 0 ? c : strcmp(y->row[0], x->row[0]);
}

/* "You", "Service supervisor", "Head of Production", "Production". */
static const char *
addressee_label(const struct req *r, const struct db_res *deps, const struct addressee *to)
{
	if (strcmp(to->type, "user") == 0)
		return T(r, "addressee_you");
	if (strcmp(to->type, "role") == 0)
		return tk(r, "role_", to->name);
	if (strcmp(to->type, "dept_head") == 0)
		return arena_printf(r->a, "%s%s", dept_name(r, deps, to->name), T(r, "addressee_head_suffix"));
	return dept_name(r, deps, to->name);
}

int
work_sweep_add(struct app *app, struct req *r, struct json_object *view)
{
	struct addressee who[ROLE__MAX + 3];
	struct work_reminder *all = NULL;
	struct json_object *rems, *inqs;
	struct db_res deps;
	size_t nw, nall = 0, cap = 0, shown = 0;
	int rc;

	if ((rc = view_departments(app, r->a, &deps)) != KESU_OK)
		return rc;
	nw = addressees(r, who, sizeof(who) / sizeof(who[0]), 0);
	for (size_t i = 0; i < nw; i++) {
		struct db_res res;
		if ((rc = db_exec(app->db, r->a, STMT_REMINDER_FOR_ADDRESSEE, &res, "ss", who[i].type,
		    who[i].name)) != KESU_OK)
			return rc;
		if (nall + res.nrows > cap) {
			size_t ncap = (nall + res.nrows) * 2;
			struct work_reminder *p = arena_alloc(r->a, ncap * sizeof(*p));
			if (nall > 0)
				memcpy(p, all, nall * sizeof(*p));
			all = p;
			cap = ncap;
		}
		for (size_t k = 0; k < res.nrows; k++)
			all[nall++] = (struct work_reminder){ res.rows[k], who[i] };
	}
	if (nall > 1)
		qsort(all, nall, sizeof(*all), by_issued_desc);

	/* number, kind, step, department, deadline, issued_at, status, customer_name, severity, id:
	 * one entry per complaint, its documents folded in (newest complaint first). */
	rems = json_object_new_array();
	for (size_t i = 0; i < nall && shown < 100; i++) {
		char **c = all[i].row;
		struct json_object *o = NULL, *docs, *d;
		int dup = 0;
		/* The same document reaches a person in two capacities (owner and supervisor): once. */
		for (size_t k = 0; k < i && !dup; k++)
			dup = strcmp(all[k].row[0], c[0]) == 0 && strcmp(all[k].row[1], c[1]) == 0 &&
			    strcmp(all[k].row[2], c[2]) == 0 && strcmp(all[k].row[3], c[3]) == 0;
		if (dup)
			continue;
		for (size_t k = 0; k < json_object_array_length(rems) && o == NULL; k++) {
			struct json_object *x = json_object_array_get_idx(rems, k);
			if (strcmp(json_object_get_string(json_object_object_get(x, "number")), c[0]) == 0)
				o = x;
		}
		if (o == NULL) {
			o = json_object_new_object();
			JADD(o, "number", jstr(c[0]));
			JADD(o, "url", jstr(arena_printf(r->a, "/complaints/%s", c[0])));
			JADD(o, "status_label", jstr(tk(r, "status_", c[6])));
			JADD(o, "customer_name", jstr(c[7]));
			JADD(o, "severity", json_object_new_int(atoi(c[8])));
			JADD(o, "severity_label", jstr(tk(r, "severity_", c[8])));
			JADD(o, "escalation", json_object_new_boolean(0));
			JADD(o, "documents", json_object_new_array());
			json_object_array_add(rems, o);
			shown++;
		}
		docs = json_object_object_get(o, "documents");
		d = json_object_new_object();
		JADD(d, "id", json_object_new_int64(atoll(c[9])));
		JADD(d, "ack_url", jstr(arena_printf(r->a, "/reminders/%s/ack", c[9])));
		JADD(d, "kind", jstr(c[1]));
		JADD(d, "kind_label", jstr(tk(r, "document_", c[1])));
		JADD(d, "escalation", json_object_new_boolean(strcmp(c[1], "escalation") == 0));
		if (strcmp(c[1], "escalation") == 0)
			JADD(o, "escalation", json_object_new_boolean(1));
		JADD(d, "step", jstr(c[2]));
		JADD(d, "step_label", jstr(tk(r, "step_", c[2])));
		JADD(d, "department", jstr(c[3]));
		JADD(d, "department_name", *c[3] ? jstr(dept_name(r, &deps, c[3])) : NULL);
		JADD(d, "deadline", jstr(view_local_time(app, r->a, c[4])));
		JADD(d, "issued_at", jstr(view_local_time(app, r->a, c[5])));
		JADD(d, "addressee_type", jstr(all[i].to.type));
		JADD(d, "addressee", jstr(all[i].to.name));
		JADD(d, "to", jstr(addressee_label(r, &deps, &all[i].to)));
		json_object_array_add(docs, d);
	}

	inqs = json_object_new_array();
	nw = addressees(r, who, sizeof(who) / sizeof(who[0]), 1);
	for (size_t i = 0; i < nw; i++) {
		struct db_res res;
		if ((rc = db_exec(app->db, r->a, STMT_INQUIRY_OPEN_FOR_ADDRESSEE, &res, "ss", who[i].type,
		    who[i].name)) != KESU_OK) {
			json_object_put(rems);
			json_object_put(inqs);
			return rc;
		}
		/* id, number, department, steps, issued_at, customer_name, severity */
		for (size_t k = 0; k < res.nrows; k++) {
			char **q = res.rows[k];
			struct json_object *o = json_object_new_object();
			JADD(o, "id", json_object_new_int64(atoll(q[0])));
			JADD(o, "url", jstr(arena_printf(r->a, "/inquiries/%s", q[0])));
			JADD(o, "number", jstr(q[1]));
			JADD(o, "department", jstr(q[2]));
			JADD(o, "department_name", jstr(dept_name(r, &deps, q[2])));
			JADD(o, "steps", jstr(q[3]));
			JADD(o, "steps_label", jstr(steps_label(r, q[3])));
			JADD(o, "issued_at", jstr(view_local_time(app, r->a, q[4])));
			JADD(o, "customer_name", jstr(q[5]));
			JADD(o, "severity", json_object_new_int(atoi(q[6])));
			JADD(o, "severity_label", jstr(tk(r, "severity_", q[6])));
			json_object_array_add(inqs, o);
		}
	}
	JADD(view, "has_reminders", json_object_new_boolean(json_object_array_length(rems) > 0));
	JADD(view, "reminders", rems);
	JADD(view, "has_inquiries", json_object_new_boolean(json_object_array_length(inqs) > 0));
	JADD(view, "inquiries_count", json_object_new_int((int)json_object_array_length(inqs)));
	JADD(view, "inquiries", inqs);
	if (json_object_array_length(rems) > 0 || json_object_array_length(inqs) > 0)
		JADD(view, "nothing", json_object_new_boolean(0));
	return KESU_OK;
}

/* ---- the overdue inquiry (查办单) ---- */

/* Columns of STMT_INQUIRY_GET / _LOCK. */
enum { IQ_ID, IQ_NUMBER, IQ_DEPT, IQ_TYPE, IQ_ADDRESSEE, IQ_STEPS, IQ_ISSUED, IQ_ANSWER, IQ_BY,
	IQ_BY_NAME, IQ_AT };

/* The inquiry's addressee: the head of its department, or a holder of its role. */
static int
may_answer(const struct req *r, char **q)
{
	const struct session *s = r->sess;

	if (strcmp(q[IQ_TYPE], "dept_head") == 0)
		return (s->roles & ROLE_BIT(ROLE_DEPT_HEAD)) && strcmp(s->department, q[IQ_ADDRESSEE]) == 0;
	if (strcmp(q[IQ_TYPE], "role") == 0) {
		enum role role = role_from_name(q[IQ_ADDRESSEE]);
		return role != ROLE__MAX && (s->roles & ROLE_BIT(role));
	}
	return 0;
}

/* Who may read an inquiry: its addressee, and those who watch overdue cases or audit them. */
#define INQUIRY_READERS (ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_GM) | ROLE_BIT(ROLE_DEPUTY_GM) | \
	ROLE_BIT(ROLE_AUDITOR))

/* The inquiry page's view model for r->arg into *out; KESU_ENOTFOUND / KESU_EFORBIDDEN. */
static int
inquiry_view(struct app *app, struct req *r, const char *typed, const char *error, struct json_object **out)
{
	struct db_res res, deps;
	struct json_object *v, *o;
	char **q;
	int rc, answerable;

	if (!valid_id(r->arg))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(app->db, r->a, STMT_INQUIRY_GET, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	q = res.rows[0];
	if (!may_answer(r, q) && !sess_has(r, INQUIRY_READERS))
		return KESU_EFORBIDDEN;
	if ((rc = view_departments(app, r->a, &deps)) != KESU_OK)
		return rc;
	answerable = may_answer(r, q) && q[IQ_AT] == NULL;
	v = view_new(app, r);
	o = json_object_new_object();
	JADD(o, "id", json_object_new_int64(atoll(q[IQ_ID])));
	JADD(o, "number", jstr(q[IQ_NUMBER]));
	JADD(o, "complaint_url", jstr(arena_printf(r->a, "/complaints/%s", q[IQ_NUMBER])));
	JADD(o, "department", jstr(q[IQ_DEPT]));
	JADD(o, "department_name", jstr(dept_name(r, &deps, q[IQ_DEPT])));
	JADD(o, "addressee_type", jstr(q[IQ_TYPE]));
	JADD(o, "addressee", jstr(q[IQ_ADDRESSEE]));
	JADD(o, "to", jstr(addressee_label(r, &deps,
	    &(struct addressee){ q[IQ_TYPE], q[IQ_ADDRESSEE] })));
	JADD(o, "steps", jstr(q[IQ_STEPS]));
	JADD(o, "steps_label", jstr(steps_label(r, q[IQ_STEPS])));
	JADD(o, "issued_at", jstr(view_local_time(app, r->a, q[IQ_ISSUED])));
	JADD(o, "answered", json_object_new_boolean(q[IQ_AT] != NULL));
	JADD(o, "answer", q[IQ_ANSWER] ? jstr(q[IQ_ANSWER]) : NULL);
	JADD(o, "answered_by", q[IQ_BY] ? jstr(q[IQ_BY]) : NULL);
	JADD(o, "answered_by_name", q[IQ_BY_NAME] ? jstr(q[IQ_BY_NAME]) : NULL);
	JADD(o, "answered_at", q[IQ_AT] ? jstr(view_local_time(app, r->a, q[IQ_AT])) : NULL);
	JADD(v, "inquiry", o);
	JADD(v, "can_answer", json_object_new_boolean(answerable));
	JADD(v, "typed", jstr(typed));
	if (error != NULL)
		JADD(v, "answer_error", jstr(T(r, error)));
	JADD(v, "just_answered", json_object_new_boolean(req_query(r, "answered") != NULL));
	*out = v;
	return KESU_OK;
}

int
page_inquiry_view(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v;
	int rc;

	if ((rc = inquiry_view(app, r, NULL, NULL, &v)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, 200, "inquiry", v);
	return KESU_OK;
}

struct answer_tx {
	struct req *r;
	const char *answer;
	const char *number;     /* out: the complaint */
};

static int
answer_tx(struct db *db, void *arg)
{
	struct answer_tx *t = arg;
	struct req *r = t->r;
	struct session *s = r->sess;
	struct audit_actor who = req_actor(r);
	struct json_object *before, *after;
	struct db_res res;
	char **q;
	int rc;

	if ((rc = db_exec(db, r->a, STMT_INQUIRY_LOCK, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	q = res.rows[0];
	if (!may_answer(r, q))
		return KESU_EFORBIDDEN;
	/* As the addressee: the department's head, or the role it was sent to. */
	who = req_actor_as(r, strcmp(q[IQ_TYPE], "dept_head") == 0 ? ROLE_BIT(ROLE_DEPT_HEAD) :
	    role_from_name(q[IQ_ADDRESSEE]) != ROLE__MAX ? ROLE_BIT(role_from_name(q[IQ_ADDRESSEE])) : 0);
	/* Answered once; the answer is kept as given. */
	if (q[IQ_AT] != NULL)
		return KESU_ECONFLICT;
	if ((rc = db_exec(db, r->a, STMT_INQUIRY_ANSWER, &res, "ssss", t->answer, s->uid, s->name,
	    r->arg)) != KESU_OK)
		return rc;
	if (res.affected != 1)
		return KESU_ECONFLICT;
	t->number = q[IQ_NUMBER];
	before = json_object_new_object();
	JADD(before, "inquiry_id", json_object_new_int64(atoll(q[IQ_ID])));
	JADD(before, "answer", NULL);
	after = json_object_new_object();
	JADD(after, "inquiry_id", json_object_new_int64(atoll(q[IQ_ID])));
	JADD(after, "department", json_object_new_string(q[IQ_DEPT]));
	JADD(after, "answer", json_object_new_string(t->answer));
	rc = audit_write(db, r->a, &who, "complaint", q[IQ_NUMBER], "inquiry_answered", before, after);
	json_object_put(before);
	json_object_put(after);
	return rc;
}

int
page_inquiry_answer(struct app *app, struct req *r, struct resp *rs)
{
	const char *answer = req_form(r, "answer"), *error = NULL;
	struct answer_tx t = { r, answer, NULL };
	struct json_object *v;
	int rc;

	if (!valid_id(r->arg))
		return KESU_ENOTFOUND;
	/* Who may answer, and whether it is still open, before what was typed. */
	{
		struct db_res res;
		if ((rc = db_exec(app->db, r->a, STMT_INQUIRY_GET, &res, "s", r->arg)) != KESU_OK)
			return rc;
		if (res.nrows != 1)
			return KESU_ENOTFOUND;
		if (!may_answer(r, res.rows[0]))
			return KESU_EFORBIDDEN;
		if (res.rows[0][IQ_AT] != NULL)
			return KESU_ECONFLICT;
	}
	if (answer == NULL || workflow_reason_blank(answer))
		error = "err_answer_required";
	else if (utf8_chars(answer) > ANSWER_MAX_CHARS)
		error = "err_answer_too_long";
	if (error == NULL) {
		rc = db_tx(app->db, answer_tx, &t);
		if (rc != KESU_OK)
			return rc;
		LOG_INFO("inquiry %s of complaint %s answered", r->arg, t.number);
		if (r->want_json) {
			if ((rc = inquiry_view(app, r, NULL, NULL, &v)) != KESU_OK)
				return rc;
			resp_page(app, r, rs, 200, "inquiry", v);
			return KESU_OK;
		}
		resp_redirect(rs, arena_printf(r->a, "/inquiries/%s?answered=1", r->arg));
		return KESU_OK;
	}
	/* Said next to the field, with what was typed. */
	if (r->want_json) {
		struct json_object *e = json_object_new_object(), *m = json_object_new_object();
		JADD(m, "answer", json_object_new_string(T(r, error)));
		JADD(e, "errors", m);
		resp_json(rs, 422, e);
		return KESU_OK;
	}
	if ((rc = inquiry_view(app, r, answer, error, &v)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, 422, "inquiry", v);
	return KESU_OK;
}

/* ---- acknowledging a reminder ---- */

struct ack_tx {
	struct req *r;
	const char *number;
};

/* Acknowledge one reminder addressed to the reader (in any of their capacities), audited. */
static int
ack_tx(struct db *db, void *arg)
{
	struct ack_tx *t = arg;
	struct req *r = t->r;
	struct audit_actor who = req_actor(r);
	struct addressee me[ROLE__MAX + 3];
	struct json_object *after;
	struct db_res res;
	char **m;
	size_t n;
	int rc, mine = 0;

	/* id, number, kind, step, department, addressee_type, addressee, acked_at */
	if ((rc = db_exec(db, r->a, STMT_REMINDER_LOCK, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	m = res.rows[0];
	n = addressees(r, me, sizeof(me) / sizeof(me[0]), 0);
	for (size_t i = 0; i < n && !mine; i++)
		mine = strcmp(me[i].type, m[5]) == 0 && strcmp(me[i].name, m[6]) == 0;
	/* Acknowledged in the capacity it was addressed to. */
	if (strcmp(m[5], "dept_head") == 0)
		who = req_actor_as(r, ROLE_BIT(ROLE_DEPT_HEAD));
	else if (strcmp(m[5], "role") == 0 && role_from_name(m[6]) != ROLE__MAX)
		who = req_actor_as(r, ROLE_BIT(role_from_name(m[6])));
	/* Someone else's reminder is as unknown as one never issued. */
	if (!mine)
		return KESU_ENOTFOUND;
	t->number = m[1];
	if (m[7] != NULL)
		return KESU_OK;  /* acknowledged already: a second click changes nothing */
	if ((rc = db_exec(db, r->a, STMT_REMINDER_ACK, NULL, "sss", r->sess->uid, r->sess->name, r->arg)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	JADD(after, "reminder_id", json_object_new_int64(atoll(m[0])));
	JADD(after, "document", json_object_new_string(m[2]));
	JADD(after, "step", json_object_new_string(m[3]));
	JADD(after, "addressee_type", json_object_new_string(m[5]));
	JADD(after, "addressee", json_object_new_string(m[6]));
	rc = audit_write(db, r->a, &who, "complaint", m[1], "reminder_acknowledged", NULL, after);
	json_object_put(after);
	return rc;
}

int
page_reminder_ack(struct app *app, struct req *r, struct resp *rs)
{
	struct ack_tx t = { r, NULL };
	int rc;

	if (!valid_id(r->arg))
		return KESU_ENOTFOUND;
	if ((rc = db_tx(app->db, ack_tx, &t)) != KESU_OK)
		return rc;
	LOG_INFO("reminder %s of complaint %s acknowledged", r->arg, t.number);
	if (r->want_json) {
		struct json_object *o = json_object_new_object();
		JADD(o, "acknowledged", json_object_new_boolean(1));
		JADD(o, "number", json_object_new_string(t.number));
		JADD(o, "work_count", json_object_new_int64(work_count(app, r)));
		resp_json(rs, 200, o);
		return KESU_OK;
	}
	resp_redirect(rs, "/work?acked=1");
	return KESU_OK;
}

