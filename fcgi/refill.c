/* refill.c: put what a person typed back into the form they sent, with each error beside its field. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "refill.h"

/*
 * Why rewrite the rendered page rather than have every template read the posted values: the
 * page was rendered by Kesu from its own templates a moment ago, so its markup is known to be
 * well formed, and one rewrite covers every form of every page the same way — including forms
 * added later — where per-template refills were forgotten in half the forms. Only markup this
 * file writes itself is added, and every value it adds is escaped.
 */

#define MAX_ATTRS 32
#define MAX_LABELS 512
#define MAX_NAMES 256
#define MAX_DETAILS 16

struct attr {
	const char *n, *v;
	size_t nl, vl;
	int has_v;
};

struct tag {
	const char *start, *end;   /* '<' and one past '>' */
	const char *name;
	size_t namel;
	int closing;
	struct attr at[MAX_ATTRS];
	int nat;
};

static int
lower_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* Parse the tag at p ('<'); returns 0 for text that is not a tag, a comment or a doctype (*next set). */
static int
parse_tag(const char *p, const char *end, struct tag *t, const char **next)
{
	const char *q = p + 1;

	memset(t, 0, sizeof(*t));
	if (q >= end) {
		*next = end;
		return 0;
	}
	if (*q == '!') {
		const char *e;
		if (end - q >= 3 && q[1] == '-' && q[2] == '-') {
			e = NULL;
			for (const char *s = q + 3; s + 2 < end; s++)
				if (s[0] == '-' && s[1] == '-' && s[2] == '>') {
					e = s + 3;
					break;
				}
		} else {
			e = memchr(q, '>', (size_t)(end - q));
			if (e != NULL)
				e++;
		}
		*next = e != NULL ? e : end;
		return 0;
	}
	if (*q == '/') {
		t->closing = 1;
		q++;
	}
	if (q >= end || !isalpha((unsigned char)*q)) {
		*next = p + 1;
		return 0;
	}
	t->start = p;
	t->name = q;
	while (q < end && (isalnum((unsigned char)*q) || *q == '-'))
		q++;
	t->namel = (size_t)(q - t->name);
	for (;;) {
		while (q < end && isspace((unsigned char)*q))
			q++;
		if (q >= end) {
			*next = end;
			return 0;
		}
		if (*q == '>') {
			t->end = q + 1;
			*next = t->end;
			return 1;
		}
		if (*q == '/') {
			q++;
			continue;
		}
		{
			struct attr at = { q, NULL, 0, 0, 0 };
			while (q < end && !isspace((unsigned char)*q) && *q != '=' && *q != '>' && *q != '/')
				q++;
			at.nl = (size_t)(q - at.n);
			if (at.nl == 0) {
				q++;
				continue;
			}
			while (q < end && isspace((unsigned char)*q))
				q++;
			if (q < end && *q == '=') {
				q++;
				while (q < end && isspace((unsigned char)*q))
					q++;
				at.has_v = 1;
				if (q < end && (*q == '"' || *q == '\'')) {
					char quote = *q++;
					at.v = q;
					while (q < end && *q != quote)
						q++;
					at.vl = (size_t)(q - at.v);
					if (q < end)
						q++;
				} else {
					at.v = q;
					while (q < end && !isspace((unsigned char)*q) && *q != '>')
						q++;
					at.vl = (size_t)(q - at.v);
				}
			}
			if (t->nat < MAX_ATTRS)
				t->at[t->nat++] = at;
		}
	}
}

static const struct attr *
attr_get(const struct tag *t, const char *name)
{
	for (int i = 0; i < t->nat; i++)
		if (lower_eq(t->at[i].n, t->at[i].nl, name))
			return &t->at[i];
	return NULL;
}

/* Whether the attribute's raw (entity-escaped) value decodes to s. */
static int
raw_eq(const char *raw, size_t rl, const char *s)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		{ "&#39;", '\'' }, { "&#x27;", '\'' }, { "&#34;", '"' },
	};
	size_t i = 0;

	while (i < rl) {
		char c = raw[i];
		size_t step = 1;
		if (c == '&') {
			for (size_t e = 0; e < sizeof(ents) / sizeof(ents[0]); e++) {
				size_t el = strlen(ents[e].ent);
				if (rl - i >= el && memcmp(raw + i, ents[e].ent, el) == 0) {
					c = ents[e].c;
					step = el;
					break;
				}
			}
		}
		if (*s != c)
			return 0;
		s++;
		i += step;
	}
	return *s == '\0';
}

static int
attr_is(const struct tag *t, const char *name, const char *val)
{
	const struct attr *a = attr_get(t, name);
	return a != NULL && a->has_v && raw_eq(a->v, a->vl, val);
}

/* ---- what was posted ---- */

static const char *
posted_nth(const struct refill *rf, const char *name, size_t nl, int k)
{
	for (size_t i = 0; i < rf->nform; i++)
		if (strlen(rf->form[i].key) == nl && memcmp(rf->form[i].key, name, nl) == 0 && k-- == 0)
			return rf->form[i].val;
	return NULL;
}

static int
posted_has(const struct refill *rf, const char *name, size_t nl, const char *raw, size_t rl)
{
	for (size_t i = 0; i < rf->nform; i++)
		if (strlen(rf->form[i].key) == nl && memcmp(rf->form[i].key, name, nl) == 0 &&
		    raw_eq(raw, rl, rf->form[i].val))
			return 1;
	return 0;
}

/* The error text for the k-th control named name ("name" stands for the first). */
static const char *
error_for(const struct refill *rf, const char *name, size_t nl, int k)
{
	char key[160];
	struct json_object *e;

	if (rf->errors == NULL || nl > 120)
		return NULL;
	snprintf(key, sizeof(key), "%.*s.%d", (int)nl, name, k);
	if (json_object_object_get_ex(rf->errors, key, &e))
		return json_object_get_string(e);
	if (k == 0) {
		snprintf(key, sizeof(key), "%.*s", (int)nl, name);
		if (json_object_object_get_ex(rf->errors, key, &e))
			return json_object_get_string(e);
	}
	return NULL;
}

/* ---- occurrence counters, per name ---- */

struct names {
	struct { const char *n; size_t nl; int count; } e[MAX_NAMES];
	int n;
};

static int
names_next(struct names *ns, const char *n, size_t nl)
{
	for (int i = 0; i < ns->n; i++)
		if (ns->e[i].nl == nl && memcmp(ns->e[i].n, n, nl) == 0)
			return ns->e[i].count++;
	if (ns->n < MAX_NAMES) {
		ns->e[ns->n].n = n;
		ns->e[ns->n].nl = nl;
		ns->e[ns->n].count = 1;
		ns->n++;
	}
	return 0;
}

/* ---- emitting ---- */

/* The tag again with attributes replaced: skip names in drop (NULL-terminated), then add extra. */
static void
emit_tag(struct buf *out, const struct tag *t, const char *const *drop, const char *extra)
{
	buf_putc(out, '<');
	buf_append(out, t->name, t->namel);
	for (int i = 0; i < t->nat; i++) {
		const struct attr *a = &t->at[i];
		int skip = 0;
		for (const char *const *d = drop; d != NULL && *d != NULL; d++)
			if (lower_eq(a->n, a->nl, *d))
				skip = 1;
		if (skip)
			continue;
		buf_putc(out, ' ');
		buf_append(out, a->n, a->nl);
		if (a->has_v) {
			buf_puts(out, "=\"");
			/* Raw values are already escaped; a '"' can only come from single quotes. */
			for (size_t j = 0; j < a->vl; j++) {
				if (a->v[j] == '"')
					buf_puts(out, "&quot;");
				else
					buf_putc(out, a->v[j]);
			}
			buf_putc(out, '"');
		}
	}
	if (extra != NULL)
		buf_puts(out, extra);
	buf_putc(out, '>');
}

/* Text of raw markup with tags removed, spaces folded and a trailing '*' (required) dropped. */
static void
label_text(struct buf *out, const char *s, const char *end)
{
	int in_tag = 0, space = 0;
	size_t start = out->len;

	for (; s < end; s++) {
		if (*s == '<')
			in_tag = 1;
		else if (*s == '>')
			in_tag = 0;
		else if (!in_tag) {
			if (isspace((unsigned char)*s)) {
				space = 1;
			} else {
				if (space && out->len > start)
					buf_putc(out, ' ');
				space = 0;
				buf_putc(out, *s);
			}
		}
	}
	while (out->len > start && (out->p[out->len - 1] == '*' || out->p[out->len - 1] == ' '))
		out->p[--out->len] = '\0';
}

struct label {
	const char *for_id;
	size_t for_len;
	const char *text, *text_end;
};

struct problem {
	char id[48];
	const char *msg;
	struct buf label;
};

struct form_scan {
	const char *tag_start, *tag_end;   /* the <form ...> tag */
	const char *body_end;              /* its </form> */
	const char *details[MAX_DETAILS];  /* <details> tags around it */
	int ndetails;
	long score;
};

/* How well the form [body, body_end) agrees with what was posted. */
static long
form_score(const struct refill *rf, const char *body, const char *body_end)
{
	long score = 0;
	const char *p = body, *next;
	struct tag t;

	while ((p = memchr(p, '<', (size_t)(body_end - p))) != NULL) {
		if (!parse_tag(p, body_end, &t, &next) || t.closing) {
			p = next;
			continue;
		}
		p = next;
		const struct attr *name = attr_get(&t, "name"), *val = attr_get(&t, "value");
		if (name == NULL || !name->has_v || name->vl == 0)
			continue;
		const char *pv = posted_nth(rf, name->v, name->vl, 0);
		if (lower_eq(t.name, t.namel, "input") && attr_is(&t, "type", "hidden")) {
			if (pv == NULL || lower_eq(name->v, name->vl, "csrf_token") || lower_eq(name->v, name->vl, "version"))
				continue;
			score += val != NULL && raw_eq(val->v, val->vl, pv) ? 100 : -500;
		} else if (lower_eq(t.name, t.namel, "button") ||
		    (lower_eq(t.name, t.namel, "input") && attr_is(&t, "type", "submit"))) {
			if (pv != NULL && val != NULL && posted_has(rf, name->v, name->vl, val->v, val->vl))
				score += 100;
		} else if (pv != NULL) {
			score += 1;
		}
	}
	return score;
}

/* The path of a form's action attribute equals action (its query ignored). */
static int
action_matches(const struct tag *t, const char *action)
{
	const struct attr *a = attr_get(t, "action");
	size_t n;

	if (a == NULL || !a->has_v)
		return 0;
	n = a->vl;
	for (size_t i = 0; i < a->vl; i++)
		if (a->v[i] == '?' || a->v[i] == '#') {
			n = i;
			break;
		}
	return n == strlen(action) && memcmp(a->v, action, n) == 0;
}

/* Whether a value looks like a code chosen from a list rather than something typed. */
static int
is_code(const char *v)
{
	if (!islower((unsigned char)*v))
		return 0;
	for (; *v; v++)
		if (!islower((unsigned char)*v) && !isdigit((unsigned char)*v) && *v != '_')
			return 0;
	return 1;
}

int
refill_kept(const char *key, const char *val)
{
	static const char *const skip[] = { "csrf_token", "version", "action", "lang", "form_key", NULL };
	if (*val == '\0' || str_in(skip, key) || strncmp(key, "password", 8) == 0 || is_code(val))
		return 0;
	for (const char *v = val; *v; v++)
		if (!isspace((unsigned char)*v))
			return 1;
	return 0;
}

static void
summary(struct buf *out, const struct refill *rf, struct problem *pr, int npr, int autofocus)
{
	buf_puts(out, "<div class=\"error-summary\" id=\"step-errors\" role=\"alert\" tabindex=\"-1\"");
	if (autofocus)
		buf_puts(out, " autofocus");
	buf_puts(out, "><p><strong>");
	buf_html_escape(out, rf->message ? rf->message : "", strlen(rf->message ? rf->message : ""));
	buf_puts(out, "</strong></p>");
	if (npr > 0) {
		buf_puts(out, "<ul>");
		for (int i = 0; i < npr; i++) {
			buf_puts(out, "<li>");
			if (pr[i].id[0]) {
				buf_printf(out, "<a href=\"#%s\">", pr[i].id);
				if (pr[i].label.len > 0) {
					buf_append(out, pr[i].label.p, pr[i].label.len);   /* from the page: escaped */
					buf_puts(out, ": ");
				}
			}
			buf_html_escape(out, pr[i].msg, strlen(pr[i].msg));
			if (pr[i].id[0])
				buf_puts(out, "</a>");
			buf_puts(out, "</li>");
		}
		buf_puts(out, "</ul>");
	}
	buf_puts(out, "</div>");
}

static void
problem_add(struct problem *pr, int *npr, int max, const char *id, const char *msg, const char *ltext,
    const char *ltext_end)
{
	if (*npr >= max)
		return;
	snprintf(pr[*npr].id, sizeof(pr[*npr].id), "%s", id ? id : "");
	pr[*npr].msg = msg;
	buf_init(&pr[*npr].label);
	if (ltext != NULL)
		label_text(&pr[*npr].label, ltext, ltext_end);
	(*npr)++;
}

/* Whether the error key belongs to a control we met (so the summary lists it only once). */
static int
key_seen(struct buf *seen, const char *key)
{
	const char *p = seen->p ? seen->p : "";
	size_t kl = strlen(key);

	/* An empty key names no control (and strstr would find it everywhere, for ever). */
	if (kl == 0)
		return 0;
	while ((p = strstr(p, key)) != NULL) {
		if ((p == seen->p || p[-1] == '\n') && p[kl] == '\n')
			return 1;
		p += kl;
	}
	return 0;
}

/* What a rewrite keeps across the regions of the page it walks (in document order). */
struct fill {
	struct label labels[MAX_LABELS];
	int nlabels, nid, focused;
	struct names text_occ, ctl_occ;
	struct buf seen;            /* error keys met at a control, one a line */
	struct problem *pr;
	int npr, maxpr;
	const char *form_id;        /* the form's id: controls elsewhere with form="id" belong to it */
	size_t form_id_len;
	const char *const *details; /* <details> tags around the form: opened */
	int ndetails;
};

/* Every <label for=...> of the page: the summary names each field by its label. */
static void
fill_labels(struct fill *st, const char *html, const char *end)
{
	const char *next;
	struct tag t;

	for (const char *q = html; (q = memchr(q, '<', (size_t)(end - q))) != NULL;) {
		if (parse_tag(q, end, &t, &next) && !t.closing && lower_eq(t.name, t.namel, "label") &&
		    st->nlabels < MAX_LABELS) {
			const struct attr *f = attr_get(&t, "for");
			const char *close = strstr(t.end, "</label>");
			if (f != NULL && f->has_v && close != NULL && close < end) {
				st->labels[st->nlabels].for_id = f->v;
				st->labels[st->nlabels].for_len = f->vl;
				st->labels[st->nlabels].text = t.end;
				st->labels[st->nlabels].text_end = close;
				st->nlabels++;
			}
		}
		q = next;
	}
}

/*
 * Rewrite [body, body_end) into fb: inside the form's own markup every named control belongs
 * to it (unless it names another form); outside, only controls with form="the form's id".
 */
static void
refill_body(const struct refill *rf, struct fill *st, const char *body, const char *body_end, int inside,
    struct buf *fb)
{
	static const char *const drop_value[] = { "value", "autofocus", "aria-invalid", "aria-describedby", NULL };
	static const char *const drop_checked[] = { "checked", "autofocus", "aria-invalid", "aria-describedby", NULL };
	static const char *const drop_selected[] = { "selected", NULL };
	static const char *const drop_err[] = { "autofocus", "aria-invalid", "aria-describedby", NULL };
	struct label *labels = st->labels;
	int nlabels = st->nlabels;
	struct names *text_occ = &st->text_occ, *ctl_occ = &st->ctl_occ;
	const char *p = body, *copied = body, *next, *wrap_label = NULL;
	struct problem *pr = st->pr;
	int *npr = &st->npr, maxpr = st->maxpr, *focused = &st->focused;
	struct buf *seenp = &st->seen;
	struct tag t;

	while ((p = memchr(p, '<', (size_t)(body_end - p))) != NULL) {
		const char *tag_at = p;
		if (!parse_tag(p, body_end, &t, &next)) {
			p = next;
			continue;
		}
		p = next;
		if (lower_eq(t.name, t.namel, "label")) {
			wrap_label = t.closing ? NULL : (attr_get(&t, "for") == NULL ? t.end : NULL);
			continue;
		}
		if (t.closing)
			continue;
		if (lower_eq(t.name, t.namel, "details")) {
			for (int i = 0; i < st->ndetails; i++)
				if (st->details[i] == tag_at && attr_get(&t, "open") == NULL) {
					buf_append(fb, copied, (size_t)(tag_at - copied));
					emit_tag(fb, &t, NULL, " open");
					copied = t.end;
				}
			continue;
		}
		int is_input = lower_eq(t.name, t.namel, "input"), is_ta = lower_eq(t.name, t.namel, "textarea"),
		    is_sel = lower_eq(t.name, t.namel, "select");
		if (!is_input && !is_ta && !is_sel)
			continue;
		const struct attr *name = attr_get(&t, "name"), *type = attr_get(&t, "type"), *id = attr_get(&t, "id");
		if (name == NULL || !name->has_v || name->vl == 0)
			continue;
		{
			const struct attr *fa = attr_get(&t, "form");
			int named = fa != NULL && fa->has_v && st->form_id != NULL && fa->vl == st->form_id_len &&
			    memcmp(fa->v, st->form_id, fa->vl) == 0;
			if (inside ? (fa != NULL && !named) : !named)
				continue;
		}
		char tbuf[16] = "text";
		if (is_input && type != NULL && type->has_v && type->vl < sizeof(tbuf)) {
			memcpy(tbuf, type->v, type->vl);
			tbuf[type->vl] = '\0';
			for (char *c = tbuf; *c; c++)
				*c = (char)tolower((unsigned char)*c);
		}
		static const char *const untouched[] = { "hidden", "file", "submit", "button", "image", "reset", NULL };
		int keep = is_input && str_in(untouched, tbuf);
		int password = is_input && strcmp(tbuf, "password") == 0;
		int check = is_input && (strcmp(tbuf, "checkbox") == 0 || strcmp(tbuf, "radio") == 0);
		int posted = posted_nth(rf, name->v, name->vl, 0) != NULL;
		if (keep && strcmp(tbuf, "file") != 0)
			continue;
		/* Error placement counts every visible control of the name; radios share one. */
		int k = names_next(ctl_occ, name->v, name->vl);
		const char *err = error_for(rf, name->v, name->vl, k);
		char idbuf[48], extra[200], errid[64];
		const char *ctl_end = t.end;

		if (err != NULL && !(check && strcmp(tbuf, "radio") == 0 && k > 0)) {
			char key[160];
			snprintf(key, sizeof(key), "%.*s\n", (int)name->vl, name->v);
			buf_puts(seenp, key);
			snprintf(key, sizeof(key), "%.*s.%d\n", (int)name->vl, name->v, k);
			buf_puts(seenp, key);
		} else {
			err = NULL;
		}
		if (id != NULL && id->has_v && id->vl < sizeof(idbuf) - 1) {
			memcpy(idbuf, id->v, id->vl);
			idbuf[id->vl] = '\0';
		} else {
			snprintf(idbuf, sizeof(idbuf), "kf-%d", ++st->nid);
		}
		extra[0] = '\0';
		if (err != NULL) {
			int n;
			if (k == 0)
				snprintf(errid, sizeof(errid), "e-%.*s", (int)(name->vl < 40 ? name->vl : 40), name->v);
			else
				snprintf(errid, sizeof(errid), "e-%.*s-%d", (int)(name->vl < 40 ? name->vl : 40), name->v, k);
			n = snprintf(extra, sizeof(extra), " aria-invalid=\"true\" aria-describedby=\"%s\"", errid);
			if (id == NULL)
				snprintf(extra + n, sizeof(extra) - (size_t)n, " id=\"%s\"", idbuf);
			if (!*focused) {
				strncat(extra, " autofocus", sizeof(extra) - strlen(extra) - 1);
				*focused = 1;
			}
		}
		buf_append(fb, copied, (size_t)(tag_at - copied));
		if (is_input && check) {
			const struct attr *v = attr_get(&t, "value");
			int on = posted ? (v != NULL ? posted_has(rf, name->v, name->vl, v->v, v->vl)
			    : posted_has(rf, name->v, name->vl, "on", 2)) : 0;
			/* An unchecked box is not posted: whether the form was sent is told by the other fields. */
			if (on)
				strncat(extra, " checked", sizeof(extra) - strlen(extra) - 1);
			emit_tag(fb, &t, drop_checked, extra);
		} else if (is_input && (password || keep)) {
			emit_tag(fb, &t, drop_err, extra);
		} else if (is_input) {
			int tk = names_next(text_occ, name->v, name->vl);
			const char *pv = posted_nth(rf, name->v, name->vl, tk);
			if (pv != NULL) {
				emit_tag(fb, &t, drop_value, NULL);
				fb->len--;   /* reopen the tag to add the value */
				buf_puts(fb, " value=\"");
				buf_html_escape(fb, pv, strlen(pv));
				buf_puts(fb, "\"");
				buf_puts(fb, extra);
				buf_putc(fb, '>');
			} else {
				emit_tag(fb, &t, drop_err, extra);
			}
		} else if (is_ta) {
			int tk = names_next(text_occ, name->v, name->vl);
			const char *pv = posted_nth(rf, name->v, name->vl, tk);
			const char *close = strstr(t.end, "</textarea>");
			if (close == NULL || close > body_end)
				close = t.end;
			emit_tag(fb, &t, drop_err, extra);
			if (pv != NULL)
				buf_html_escape(fb, pv, strlen(pv));
			else
				buf_append(fb, t.end, (size_t)(close - t.end));
			if (close != t.end)
				buf_puts(fb, "</textarea>");
			ctl_end = close != t.end ? close + strlen("</textarea>") : t.end;
			p = ctl_end;
		} else {
			/* select: each option selected when its value was posted for this name */
			const char *close = strstr(t.end, "</select>"), *q = t.end, *qc = t.end;
			struct tag o;
			if (close == NULL || close > body_end)
				close = t.end;
			emit_tag(fb, &t, drop_err, extra);
			while (posted && (q = memchr(q, '<', (size_t)(close - q))) != NULL) {
				const char *at = q;
				if (!parse_tag(q, close, &o, &next)) {
					q = next;
					continue;
				}
				q = next;
				if (o.closing || !lower_eq(o.name, o.namel, "option"))
					continue;
				const struct attr *v = attr_get(&o, "value");
				buf_append(fb, qc, (size_t)(at - qc));
				emit_tag(fb, &o, drop_selected, v != NULL && posted_has(rf, name->v, name->vl, v->v, v->vl)
				    ? " selected" : NULL);
				qc = o.end;
			}
			buf_append(fb, qc, (size_t)(close - qc));
			if (close != t.end)
				buf_puts(fb, "</select>");
			ctl_end = close != t.end ? close + strlen("</select>") : t.end;
			p = ctl_end;
		}
		if (err != NULL) {
			const char *lt = NULL, *lte = NULL;
			buf_printf(fb, "<p class=\"error\" id=\"%s\">", errid);
			buf_html_escape(fb, err, strlen(err));
			buf_puts(fb, "</p>");
			for (int i = 0; i < nlabels; i++)
				if (labels[i].for_len == strlen(idbuf) && memcmp(labels[i].for_id, idbuf, labels[i].for_len) == 0) {
					lt = labels[i].text;
					lte = labels[i].text_end;
				}
			if (lt == NULL && wrap_label != NULL) {
				lt = wrap_label;
				lte = tag_at;
			}
			problem_add(pr, npr, maxpr, idbuf, err, lt, lte);
		}
		copied = ctl_end;
	}
	buf_append(fb, copied, (size_t)(body_end - copied));

}

int
refill_page(const char *html, size_t len, const struct refill *rf, struct buf *out)
{
	const char *end = html + len, *p = html, *next;
	const char *details[MAX_DETAILS];
	int ndetails = 0, found = 0;
	struct form_scan best = { .score = -1000000 }, cur;
	int in_form = 0;
	struct tag t;

	/* Pass 1: the forms posting to rf->action, and the <details> around each. */
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (!parse_tag(p, end, &t, &next)) {
			p = next;
			continue;
		}
		p = next;
		if (lower_eq(t.name, t.namel, "details")) {
			if (!t.closing && ndetails < MAX_DETAILS)
				details[ndetails++] = t.start;
			else if (t.closing && ndetails > 0)
				ndetails--;
		} else if (lower_eq(t.name, t.namel, "form")) {
			if (!t.closing && action_matches(&t, rf->action)) {
				in_form = 1;
				cur.tag_start = t.start;
				cur.tag_end = t.end;
				cur.ndetails = ndetails;
				memcpy(cur.details, details, sizeof(details[0]) * (size_t)ndetails);
			} else if (t.closing && in_form) {
				in_form = 0;
				cur.body_end = t.start;
				cur.score = form_score(rf, cur.tag_end, cur.body_end);
				if (!found || cur.score > best.score)
					best = cur;
				found = 1;
			}
		}
	}

	/* A form whose hidden fields contradict what was posted is another step's form. */
	if (found && best.score < 0)
		found = 0;
	if (found) {
		struct problem pr[64];
		struct fill *st = xcalloc(1, sizeof(*st));
		struct buf before, body, after;
		struct tag ft;
		const struct attr *fid;

		st->pr = pr;
		st->maxpr = 64;
		st->details = best.details;
		st->ndetails = best.ndetails;
		buf_init(&st->seen);
		if (parse_tag(best.tag_start, end, &ft, &next) && (fid = attr_get(&ft, "id")) != NULL && fid->has_v) {
			st->form_id = fid->v;
			st->form_id_len = fid->vl;
		}
		fill_labels(st, html, end);
		buf_init(&before);
		buf_init(&body);
		buf_init(&after);
		refill_body(rf, st, html, best.tag_start, 0, &before);
		refill_body(rf, st, best.tag_end, best.body_end, 1, &body);
		refill_body(rf, st, best.body_end, end, 0, &after);
		/* Errors for fields the page does not show: in the summary, without a link. */
		if (rf->errors != NULL) {
			json_object_object_foreach(rf->errors, key, val) {
				if (!key_seen(&st->seen, key))
					problem_add(pr, &st->npr, 64, NULL, json_object_get_string(val), NULL, NULL);
			}
		}
		buf_append(out, before.p ? before.p : "", before.len);
		buf_append(out, best.tag_start, (size_t)(best.tag_end - best.tag_start));
		summary(out, rf, pr, st->npr, !st->focused);
		buf_append(out, body.p ? body.p : "", body.len);
		buf_append(out, after.p ? after.p : "", after.len);
		buf_free(&before);
		buf_free(&body);
		buf_free(&after);
		for (int i = 0; i < st->npr; i++)
			buf_free(&pr[i].label);
		buf_free(&st->seen);
		free(st);
		return 1;
	}

	/* No such form on the page (the step is no longer offered): the message and what was
	 * typed go at the top of <main>, read-only, so that nothing is lost. */
	{
		const char *main_end = NULL;
		struct problem pr[64];
		int npr = 0, kept = 0;

		for (p = html; (p = memchr(p, '<', (size_t)(end - p))) != NULL;) {
			if (parse_tag(p, end, &t, &next) && !t.closing && lower_eq(t.name, t.namel, "main")) {
				main_end = t.end;
				break;
			}
			p = next;
		}
		if (main_end == NULL)
			main_end = html;
		buf_append(out, html, (size_t)(main_end - html));
		if (rf->errors != NULL) {
			json_object_object_foreach(rf->errors, key, val) {
				(void)key;
				problem_add(pr, &npr, 64, NULL, json_object_get_string(val), NULL, NULL);
			}
		}
		summary(out, rf, pr, npr, 1);
		for (size_t i = 0; i < rf->nform; i++)
			kept += refill_kept(rf->form[i].key, rf->form[i].val);
		if (kept > 0) {
			buf_puts(out, "<div class=\"kept\"><p>");
			buf_html_escape(out, rf->kept_title ? rf->kept_title : "", strlen(rf->kept_title ? rf->kept_title : ""));
			buf_puts(out, "</p>");
			for (size_t i = 0; i < rf->nform; i++) {
				if (!refill_kept(rf->form[i].key, rf->form[i].val))
					continue;
				buf_puts(out, "<textarea readonly rows=\"3\">");
				buf_html_escape(out, rf->form[i].val, strlen(rf->form[i].val));
				buf_puts(out, "</textarea>");
			}
			buf_puts(out, "</div>");
		}
		buf_append(out, main_end, (size_t)(end - main_end));
		for (int i = 0; i < npr; i++)
			buf_free(&pr[i].label);
		return 0;
	}
}
