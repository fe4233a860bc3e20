/* i18n.c: the message catalogs po/zh_CN.po and po/en.po, and the choice of the user's language. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "kesu.h"

/*
 * The catalogs are a small subset of gettext's PO format, documented at the top
 * of each .po file: msgid "key" / msgstr "text" pairs, # comments, "..."
 * continuation lines, and the escapes \" \\ \n \t. A key is [a-z0-9_]+ because
 * templates use it as {{t.key}}. Each catalog becomes one json object
 * {key: text}, built once at start-up and shared by every view model.
 */

static const char *const lang_codes[LANG__MAX] = {
	[LANG_ZH] = "zh",
	[LANG_EN] = "en",
};

static const char *const po_files[LANG__MAX] = {
	[LANG_ZH] = "zh_CN.po",
	[LANG_EN] = "en.po",
};

static struct json_object *tables[LANG__MAX];

const char *
lang_code(enum lang l)
{
	return (unsigned)l < LANG__MAX ? lang_codes[l] : lang_codes[LANG_ZH];
}

/* The language of a tag's primary subtag ("zh" of "zh-Hans-CN"), n bytes of it. */
static enum lang
lang_from_tag(const char *s, size_t n)
{
	size_t k = 0;
	int l;

	while (k < n && s[k] != '-' && s[k] != '_')
		k++;
	if (k != 2)
		return LANG__MAX;
	for (l = 0; l < LANG__MAX; l++)
		if ((s[0] | 0x20) == lang_codes[l][0] && (s[1] | 0x20) == lang_codes[l][1])
			return (enum lang)l;
	return LANG__MAX;
}

enum lang
lang_from_code(const char *code)
{
	return code != NULL ? lang_from_tag(code, strlen(code)) : LANG__MAX;
}

/* A qvalue ("0", "0.8", "1.000") in thousandths; -1 when malformed. */
static int
parse_q(const char *s, size_t n)
{
	int q, scale = 100;
	size_t i = 1;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	q = (s[0] - '0') * 1000;
	if (n > 1) {
		if (s[1] != '.' || n > 5)
			return -1;
		for (i = 2; i < n; i++, scale /= 10) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			q += (s[i] - '0') * scale;
		}
	}
	return q > 1000 ? -1 : q;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

enum lang
lang_from_accept(const char *h)
{
	enum lang best = LANG__MAX;
	int bestq = 0;

	/* "en-US,en;q=0.9,zh;q=0.8": the highest q wins, the first of equals. */
	while (h != NULL && *h != '\0') {
		const char *item = h, *end = strchr(h, ',');
		const char *tag, *p;
		size_t taglen;
		int q = 1000;

		if (end == NULL)
			end = h + strlen(h);
		h = *end == ',' ? end + 1 : end;
		while (item < end && is_space(*item))
			item++;
		tag = item;
		while (item < end && *item != ';' && !is_space(*item))
			item++;
		taglen = (size_t)(item - tag);
		/* Parameters: only q matters. */
		while (item < end) {
			while (item < end && (is_space(*item) || *item == ';'))
				item++;
			p = item;
			while (item < end && *item != ';')
				item++;
			if (p < item && (*p == 'q' || *p == 'Q')) {
				const char *v = p + 1, *ve = item;
				while (v < ve && is_space(*v))
					v++;
				if (v == ve || *v != '=') {
					q = -1;
					continue;
				}
				for (v++; v < ve && is_space(*v); v++)
					;
				while (ve > v && is_space(ve[-1]))
					ve--;
				q = parse_q(v, (size_t)(ve - v));
			}
		}
		if (q > bestq) {
			enum lang l = lang_from_tag(tag, taglen);
			if (l != LANG__MAX) {
				best = l;
				bestq = q;
			}
		}
	}
	return best != LANG__MAX ? best : LANG_ZH;
}

/* ---------------------------------------------------------------- the PO reader */

struct po {
	const char *path;
	FILE *f;
	unsigned line;
	struct json_object *table;   /* key -> text */
	struct json_object *lines;   /* key -> line of its msgid, for messages */
	struct buf id, str;
	unsigned id_line;
	int state;                   /* what a continuation string extends */
	char **err;
};

enum { PO_NONE, PO_ID, PO_STR };

static int po_error(struct po *po, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets *err to "path:line: message"; returns -1. */
static int
po_error(struct po *po, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*po->err = xasprintf("%s:%u: %s", po->path, line, msg);
	return -1;
}

/* Append the C-escaped string starting at s (its opening quote) to b; rest of line must be blank. */
static int
po_string(struct po *po, const char *s, struct buf *b)
{
	const char *p = s + 1, *start = p;

	for (;; p++) {
		if (*p == '\0')
			return po_error(po, po->line, "unterminated string");
		if (*p == '"')
			break;
		if (*p != '\\')
			continue;
		buf_append(b, start, (size_t)(p - start));
		switch (p[1]) {
		case '"': buf_putc(b, '"'); break;
		case '\\': buf_putc(b, '\\'); break;
		case 'n': buf_putc(b, '\n'); break;
		case 't': buf_putc(b, '\t'); break;
		default:
			return po_error(po, po->line, "unknown escape \\%c (only \\\" \\\\ \\n \\t)",
			    p[1] != '\0' ? p[1] : ' ');
		}
		p++;
		start = p + 1;
	}
	buf_append(b, start, (size_t)(p - start));
	for (p++; is_space(*p); p++)
		;
	if (*p != '\0')
		return po_error(po, po->line, "text after the closing quote");
	return 0;
}

static int
valid_key(const char *k, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return 0;
	return 1;
}

/* The entry read so far (if any) goes into the table. */
static int
po_finish(struct po *po)
{
	struct json_object *first;
	const char *key = po->id.p != NULL ? po->id.p : "";

	if (po->state == PO_NONE)
		return 0;
	if (po->state == PO_ID)
		return po_error(po, po->id_line, "msgid \"%s\" has no msgstr", key);
	po->state = PO_NONE;
	if (!valid_key(key, po->id.len))
		return po_error(po, po->id_line, "bad key \"%s\": keys are made of a-z, 0-9 and _", key);
	if (po->str.len == 0)
		return po_error(po, po->id_line, "empty msgstr for \"%s\"", key);
	if (json_object_object_get_ex(po->lines, key, &first))
		return po_error(po, po->id_line, "duplicate msgid \"%s\" (first on line %d)", key,
		    json_object_get_int(first));
	json_object_object_add(po->table, key, json_object_new_string_len(po->str.p, (int)po->str.len));
	json_object_object_add(po->lines, key, json_object_new_int((int)po->id_line));
	return 0;
}

/* Read one .po file into a new table; NULL with *err. */
static struct json_object *
po_read(const char *path, char **err)
{
	struct po po;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = -1;

	memset(&po, 0, sizeof(po));
	po.path = path;
	po.err = err;
	po.f = fopen(path, "re");
	if (po.f == NULL) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	po.table = json_object_new_object();
	po.lines = json_object_new_object();
	buf_init(&po.id);
	buf_init(&po.str);

	/* One exit below (out): every error path sets *err and jumps there. */
	while ((n = getline(&line, &cap, po.f)) >= 0) {
		char *s = line;

		po.line++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (po.line == 1 && (unsigned char)s[0] == 0xef && (unsigned char)s[1] == 0xbb &&
		    (unsigned char)s[2] == 0xbf)
			s += 3;   /* a UTF-8 byte order mark */
		while (is_space(*s))
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (strncmp(s, "msgid", 5) == 0 && is_space(s[5])) {
			if (po_finish(&po) != 0)
				goto out;
			for (s += 5; is_space(*s); s++)
				;
			buf_reset(&po.id);
			buf_reset(&po.str);
			po.id_line = po.line;
			po.state = PO_ID;
			if (*s != '"') {
				po_error(&po, po.line, "expected \"...\" after msgid");
				goto out;
			}
			if (po_string(&po, s, &po.id) != 0)
				goto out;
		} else if (strncmp(s, "msgstr", 6) == 0 && is_space(s[6])) {
			if (po.state != PO_ID) {
				po_error(&po, po.line, "msgstr without a msgid before it");
				goto out;
			}
			for (s += 6; is_space(*s); s++)
				;
			po.state = PO_STR;
			if (*s != '"') {
				po_error(&po, po.line, "expected \"...\" after msgstr");
				goto out;
			}
			if (po_string(&po, s, &po.str) != 0)
				goto out;
		} else if (*s == '"') {
			if (po.state == PO_NONE) {
				po_error(&po, po.line, "a string continues nothing");
				goto out;
			}
			if (po_string(&po, s, po.state == PO_ID ? &po.id : &po.str) != 0)
				goto out;
		} else {
			po_error(&po, po.line, "expected msgid, msgstr, a \"string\" or a # comment");
			goto out;
		}
	}
	if (ferror(po.f)) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = po_finish(&po);
out:
	free(line);
	fclose(po.f);
	buf_free(&po.id);
	buf_free(&po.str);
	json_object_put(po.lines);
	if (rc != 0) {
		json_object_put(po.table);
		return NULL;
	}
	return po.table;
}

int
i18n_load(const char *dir, char **err)
{
	struct json_object *t[LANG__MAX] = { NULL };
	char path[LANG__MAX][4096];
	int l, m, rc = -1;

	for (l = 0; l < LANG__MAX; l++) {
		snprintf(path[l], sizeof(path[l]), "%s/%s", dir, po_files[l]);
		t[l] = po_read(path[l], err);
		if (t[l] == NULL)
			goto out;
	}
	/* A text in one language only would show a raw key to the other half of the users. */
	for (l = 0; l < LANG__MAX; l++)
		for (m = 0; m < LANG__MAX; m++) {
			if (m == l)
				continue;
			json_object_object_foreach(t[l], key, val) {
				(void)val;
				if (!json_object_object_get_ex(t[m], key, NULL)) {
					*err = xasprintf("key \"%s\" is in %s but not in %s", key, path[l], path[m]);
					goto out;
				}
			}
		}
	/* Replace the catalogs only now, so a failed reload keeps the old ones. */
	for (l = 0; l < LANG__MAX; l++) {
		json_object_put(tables[l]);
		tables[l] = t[l];
		t[l] = NULL;
	}
	rc = 0;
out:
	for (l = 0; l < LANG__MAX; l++)
		json_object_put(t[l]);
	return rc;
}

void
i18n_free(void)
{
	int l;

	for (l = 0; l < LANG__MAX; l++) {
		json_object_put(tables[l]);
		tables[l] = NULL;
	}
}

const char *
i18n_get(enum lang l, const char *key)
{
	struct json_object *v;

	if ((unsigned)l >= LANG__MAX)
		l = LANG_ZH;
	if (key == NULL)
		return "";
	if (tables[l] != NULL && json_object_object_get_ex(tables[l], key, &v))
		return json_object_get_string(v);
	LOG_WARN("no %s text for \"%s\"", lang_codes[l], key);
	return key;
}

int
i18n_has(enum lang l, const char *key)
{
	if ((unsigned)l >= LANG__MAX)
		l = LANG_ZH;
	return key != NULL && tables[l] != NULL && json_object_object_get_ex(tables[l], key, NULL);
}

struct json_object *
i18n_table(enum lang l)
{
	return (unsigned)l < LANG__MAX ? tables[l] : tables[LANG_ZH];
}
