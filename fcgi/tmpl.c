/* tmpl.c: mustache templates parsed once into token arrays, then rendered over json-c view models. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/linkhash.h>

#include "kesu.h"
#include "tmpl.h"

/*
 * How a template becomes tokens
 * -----------------------------
 * Each template compiles to one flat array of tokens. A container (section,
 * inverted section, parent, block) is followed by its children; its span says
 * how many tokens they take, so rendering is a walk over the array that never
 * looks at the source again. Text tokens and names point into the template's
 * own copy of its source and into a name pool allocated once per template.
 *
 * Standalone lines (a line holding only whitespace and one section, inverted,
 * close, comment, partial, parent, block or set-delimiter tag) are removed at
 * compile time, as the spec asks.
 *
 * Indentation of standalone partials follows the spec's model: it is as if every
 * line of the partial's source were prefixed with the indentation. The parser
 * marks with a BOL token each place where a source line starts at a token
 * boundary; a text token indents its own inner line starts itself. With no
 * indentation in force (the common case) both cost nothing.
 *
 * Inheritance ({{<parent}} with {{$block}} arguments) follows the spec's
 * ~inheritance tests, including block reindentation: a block whose opening tag
 * ends its line has an "intrinsic" indentation (the leading whitespace of its
 * first line) which is removed from every line of its content at compile time
 * and added back, at render time, where the block is expanded.
 *
 * Truthiness. The spec leaves it to the host language ("!!data"). View models
 * are JSON, so we follow JavaScript, as mustache.js does: missing, null, false,
 * 0, 0.0, "" and [] are falsey; everything else, including {}, is truthy.
 */

enum tok_type {
	TOK_TEXT,       /* literal text */
	TOK_BOL,        /* a source line starts here: emit the indentation in force */
	TOK_VAR,        /* {{x}}: escaped */
	TOK_RAW,        /* {{{x}}} or {{&x}} */
	TOK_SECTION,    /* {{#x}} ... {{/x}} */
	TOK_INVERTED,   /* {{^x}} ... {{/x}} */
	TOK_PARTIAL,    /* {{>x}} */
	TOK_PARENT,     /* {{<x}} ... {{/x}}: its BLOCK children are the arguments */
	TOK_BLOCK       /* {{$x}} ... {{/x}} */
};

struct tok {
	unsigned char type;
	/*
	 * PARTIAL: it stood alone on its line (indent applies). PARENT: its opening
	 * tag began its line. BLOCK: its opening line was standalone (the content was
	 * de-indented and ind is its intrinsic indentation).
	 */
	unsigned char standalone;
	unsigned char dynamic;    /* PARTIAL, PARENT: {{>*name}}, the name is looked up in the view */
	unsigned char nparts;     /* dotted names: number of parts; 0 for "." */
	uint32_t span;            /* containers: number of tokens inside */
	const char *s;            /* TEXT: the text; others: the name, parts separated by NULs */
	size_t len;
	const char *ind;          /* PARTIAL, PARENT, BLOCK: indentation added when expanded */
	size_t indlen;
	const struct tmpl *target; /* static PARTIAL, PARENT: the template, once compiled */
	unsigned long hash;       /* named tags: json-c's hash of the first part, once compiled */
	unsigned long hash2;      /* dotted names: the second part's ({{t.key}}: every text of a page) */
};

struct tmpl {
	char *name;
	size_t namelen;
	char *src;                /* our copy of the source; text tokens point into it */
	size_t len;
	char *names;              /* the name pool (len + 1 bytes is always enough) */
	struct tok *toks;
	size_t ntok;
};

struct tmpl_set {
	struct tmpl **v;          /* in the order added */
	size_t n, cap;
	struct tmpl **hash;       /* open addressing by name, hcap a power of two */
	size_t hcap;
	int compiled;
	struct json_object *hobj; /* an empty object whose table hashes row sources' names like tags */
};

#define PARSE_DEPTH_MAX 100   /* sections nested in one template */
#define RENDER_DEPTH_MAX 64   /* partials, parents and blocks expanded inside each other */
#define RENDER_EXPANSIONS_MAX (1 << 16)   /* all expansions of one render: a partial using itself twice is exponential */
/* What one render may write: our largest page is a few hundred KiB (tests/fuzz/fuzz_tmpl.c found
 * a self-including partial that wrote a gigabyte within the expansion limit). */
#define RENDER_OUTPUT_MAX (16u << 20)
/* What one render may walk, in tokens: each pass through a section's body or an expanded
 * template is charged its tokens before it starts. Loops nested over arrays multiply (thirty
 * sections over a two-element list are 2^30 passes), and so do partials within loops; the
 * fuzzer found inputs that rendered for minutes within the limits above while writing little.
 * Charged the same whether a loop runs a plan over a row source or walks json rows, so the two
 * stop at the same place. Our largest page writes a few hundred KiB, some tens of thousands of
 * tokens. */
#define RENDER_WORK_MAX (1L << 19)
#define CTX_MAX 256           /* context stack */
#define COLSLOTS (2 * TMPL_ROWS_COLS_MAX)   /* a row source's columns by hash (a power of two) */
#define TOKCOL_SLOTS 256      /* tag -> column, direct-mapped by the tag's address (a power of two) */
#define IND_MAX 2048          /* bytes of indentation in force, all levels together */
#define PLAN_MAX 160          /* steps of a row loop's plan */

static int
is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static int
all_ws(const char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (!is_ws(s[a]))
			return 0;
	return 1;
}

/* Length of the common prefix of s[0..n) and strip (both whitespace). */
static size_t
common_prefix(const char *s, size_t n, const char *strip, size_t striplen)
{
	size_t k = 0;

	while (k < n && k < striplen && s[k] == strip[k])
		k++;
	return k;
}

/* The last newline in s[0..n), or NULL. */
static const char *
last_nl(const char *s, size_t n)
{
	while (n > 0)
		if (s[--n] == '\n')
			return s + n;
	return NULL;
}

/* Where needle first occurs in hay[0..n), or NULL. */
static const char *
find(const char *hay, size_t n, const char *needle, size_t nlen)
{
	const char *p = hay, *end = hay + n;

	while ((size_t)(end - p) >= nlen) {
		p = memchr(p, needle[0], (size_t)(end - p) - nlen + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, nlen) == 0)
			return p;
		p++;
	}
	return NULL;
}

/* ---------------------------------------------------------------- the set */

static size_t
name_hash(const char *s, size_t n)
{
	size_t h = 2166136261u;   /* FNV-1a */

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct tmpl *
tmpl_find(const struct tmpl_set *s, const char *name, size_t len)
{
	size_t i;

	if (s->hcap == 0)
		return NULL;
	for (i = name_hash(name, len) & (s->hcap - 1); s->hash[i] != NULL; i = (i + 1) & (s->hcap - 1))
		if (s->hash[i]->namelen == len && memcmp(s->hash[i]->name, name, len) == 0)
			return s->hash[i];
	return NULL;
}

static void
hash_put(struct tmpl **hash, size_t hcap, struct tmpl *t)
{
	size_t i = name_hash(t->name, t->namelen) & (hcap - 1);

	while (hash[i] != NULL)
		i = (i + 1) & (hcap - 1);
	hash[i] = t;
}

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

int
tmpl_set_add(struct tmpl_set *s, const char *name, const char *src, size_t len, char **err)
{
	struct tmpl *t;
	size_t namelen = strlen(name);

	if (namelen == 0) {
		*err = xasprintf("a template needs a name");
		return -1;
	}
	if (tmpl_find(s, name, namelen) != NULL) {
		*err = xasprintf("%s: template added twice", name);
		return -1;
	}
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->namelen = namelen;
	t->src = xmalloc(len + 1);
	if (len > 0)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = t;
	/* Keep the table at most half full. */
	if (2 * s->n > s->hcap) {
		size_t i, hcap = s->hcap ? s->hcap * 2 : 32;
		struct tmpl **hash = xcalloc(hcap, sizeof(*hash));
		for (i = 0; i < s->n; i++)
			hash_put(hash, hcap, s->v[i]);
		free(s->hash);
		s->hash = hash;
		s->hcap = hcap;
	} else {
		hash_put(s->hash, s->hcap, t);
	}
	s->compiled = 0;
	return 0;
}

int
tmpl_set_has(const struct tmpl_set *s, const char *name)
{
	return s != NULL && name != NULL && tmpl_find(s, name, strlen(name)) != NULL;
}

static void
tmpl_free(struct tmpl *t)
{
	free(t->name);
	free(t->src);
	free(t->names);
	free(t->toks);
	free(t);
}

void
tmpl_set_free(struct tmpl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		tmpl_free(s->v[i]);
	free(s->v);
	free(s->hash);
	if (s->hobj != NULL)
		json_object_put(s->hobj);
	free(s);
}

/* ---------------------------------------------------------------- the parser */

/* A container opened and not yet closed. */
struct open {
	size_t tok;               /* its token */
	const char *name;         /* the name as written, for the close tag */
	size_t namelen;
	size_t pos;               /* where it opened, for errors */
	const char *strip;        /* the de-indentation in force around it */
	size_t striplen;
	int ignored;              /* text inside is dropped: a parent's body */
	int lclear;               /* PARENT: its opening tag began its line */
};

struct parser {
	struct tmpl *t;
	const char *src;
	size_t len;
	size_t pos;               /* first byte not yet consumed */
	const char *otag, *ctag;  /* delimiters, pointing into src or at "{{" "}}" */
	size_t olen, clen;
	struct tok *toks;
	size_t ntok, cap;
	size_t npool;             /* bytes of t->names in use */
	struct open open[PARSE_DEPTH_MAX];
	int nopen;
	int at_bol;               /* a line starts before the next token */
	int line_clean;           /* nothing but whitespace since the line started */
	const char *strip;        /* whitespace removed from the start of each line (block intrinsic indentation) */
	size_t striplen;
	char **err;
};

enum tag_kind { TAG_VAR, TAG_RAW, TAG_SECTION, TAG_INVERTED, TAG_CLOSE, TAG_PARTIAL,
	TAG_PARENT, TAG_BLOCK, TAG_COMMENT, TAG_DELIM };

struct tag {
	enum tag_kind kind;
	size_t start, end;        /* the whole tag, delimiters included */
	const char *name;         /* trimmed content after the sigil */
	size_t namelen;
};

static unsigned
lineno(const char *src, size_t pos)
{
	unsigned n = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		if (src[i] == '\n')
			n++;
	return n;
}

static int parse_error(struct parser *ps, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets *err to "template NAME, line N: message"; returns -1. */
static int
parse_error(struct parser *ps, size_t pos, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*ps->err = xasprintf("template %s, line %u: %s", ps->t->name, lineno(ps->src, pos), msg);
	return -1;
}

static int
ignored(const struct parser *ps)
{
	return ps->nopen > 0 && ps->open[ps->nopen - 1].ignored;
}

/* A new zeroed token at the end of the array; valid until the next push. */
static struct tok *
tok_push(struct parser *ps, enum tok_type type)
{
	struct tok *t;

	if (ps->ntok == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 64;
		ps->toks = xrealloc(ps->toks, ps->cap * sizeof(*ps->toks));
	}
	t = &ps->toks[ps->ntok++];
	memset(t, 0, sizeof(*t));
	t->type = (unsigned char)type;
	return t;
}

/* Materialize a pending line start before the next token. */
static void
emit_bol(struct parser *ps)
{
	if (ps->at_bol && !ignored(ps))
		tok_push(ps, TOK_BOL);
	ps->at_bol = 0;
}

static void
emit_text(struct parser *ps, size_t a, size_t b)
{
	struct tok *t;

	if (a == b)
		return;
	emit_bol(ps);
	t = tok_push(ps, TOK_TEXT);
	t->s = ps->src + a;
	t->len = b - a;
	ps->at_bol = ps->src[b - 1] == '\n';
}

/* Emit src[a..b) as text, de-indenting each line start inside it when a strip is in force. */
static void
flush_text(struct parser *ps, size_t a, size_t b)
{
	const char *nl;

	if (a >= b)
		return;
	if (ignored(ps)) {
		ps->at_bol = 0;
		return;
	}
	if (ps->striplen == 0) {
		emit_text(ps, a, b);
		return;
	}
	while (a < b) {
		size_t e = b;
		if ((nl = memchr(ps->src + a, '\n', b - a)) != NULL)
			e = (size_t)(nl - ps->src) + 1;
		emit_text(ps, a, e);
		a = e;
		if (nl != NULL)
			a += common_prefix(ps->src + a, b - a, ps->strip, ps->striplen);
	}
}

/* At a line start: skip the de-indentation in force. */
static void
apply_strip(struct parser *ps)
{
	ps->pos += common_prefix(ps->src + ps->pos, ps->len - ps->pos, ps->strip, ps->striplen);
}

/*
 * Copy a name into the pool. Dotted names are split into NUL-separated parts
 * ("." has none); other names are kept whole. Returns 0, or -1 when malformed.
 */
static int
store_name(struct parser *ps, struct tok *t, const struct tag *tag, const char *s, size_t n, int dotted)
{
	char *p = ps->t->names + ps->npool;
	size_t i, parts = 1;

	if (n == 0)
		return parse_error(ps, tag->start, "empty tag name");
	for (i = 0; i < n; i++)
		if (is_ws(s[i]) || s[i] == '\n' || s[i] == '\r')
			return parse_error(ps, tag->start, "whitespace inside tag name '%.*s'", (int)n, s);
	memcpy(p, s, n);
	p[n] = '\0';
	t->s = p;
	t->len = n;
	if (dotted) {
		if (n == 1 && s[0] == '.') {
			parts = 0;
		} else {
			for (i = 0; i < n; i++) {
				if (p[i] != '.')
					continue;
				if (i == 0 || p[i - 1] == '\0' || i + 1 == n)
					return parse_error(ps, tag->start, "bad dotted name '%.*s'", (int)n, s);
				p[i] = '\0';
				parts++;
			}
			if (parts > 255)
				return parse_error(ps, tag->start, "too many dots in '%.*s'", (int)n, s);
		}
	}
	t->nparts = (unsigned char)parts;
	ps->npool += n + 1;
	return 0;
}

/* Read the tag starting at start (the opening delimiter). */
static int
scan_tag(struct parser *ps, size_t start, struct tag *tag)
{
	const char *src = ps->src, *close, *end;
	char closeseq[64];
	size_t p = start + ps->olen, cs, closelen;

	memset(tag, 0, sizeof(*tag));
	tag->start = tag->end = start;
	while (p < ps->len && is_ws(src[p]))
		p++;
	closelen = ps->clen;
	memcpy(closeseq, ps->ctag, ps->clen);
	switch (p < ps->len ? src[p] : '\0') {
	case '{':
		tag->kind = TAG_RAW;
		closeseq[0] = '}';
		memcpy(closeseq + 1, ps->ctag, ps->clen);
		closelen++;
		break;
	case '=':
		tag->kind = TAG_DELIM;
		closeseq[0] = '=';
		memcpy(closeseq + 1, ps->ctag, ps->clen);
		closelen++;
		break;
	case '&': tag->kind = TAG_RAW; break;
	case '#': tag->kind = TAG_SECTION; break;
	case '^': tag->kind = TAG_INVERTED; break;
	case '/': tag->kind = TAG_CLOSE; break;
	case '>': tag->kind = TAG_PARTIAL; break;
	case '<': tag->kind = TAG_PARENT; break;
	case '$': tag->kind = TAG_BLOCK; break;
	case '!': tag->kind = TAG_COMMENT; break;
	default: tag->kind = TAG_VAR; p--; break;
	}
	cs = p + 1;
	close = find(src + cs, ps->len - cs, closeseq, closelen);
	if (close == NULL)
		return parse_error(ps, start, "unclosed tag");
	end = close;
	tag->end = (size_t)(close - src) + closelen;
	while (cs < (size_t)(end - src) && is_ws(src[cs]))
		cs++;
	while (end > src + cs && is_ws(end[-1]))
		end--;
	tag->name = src + cs;
	tag->namelen = (size_t)(end - (src + cs));
	return 0;
}

/* {{=<% %>=}}: the two new delimiters. */
static int
set_delims(struct parser *ps, const struct tag *tag)
{
	const char *s = tag->name, *e = tag->name + tag->namelen, *a, *b;
	size_t alen;

	a = s;
	while (s < e && !is_ws(*s))
		s++;
	alen = (size_t)(s - a);
	while (s < e && is_ws(*s))
		s++;
	b = s;
	while (s < e && !is_ws(*s))
		s++;
	if (alen == 0 || s == b || s != e || memchr(a, '=', alen) != NULL ||
	    memchr(b, '=', (size_t)(e - b)) != NULL || alen > 32 || (size_t)(e - b) > 32)
		return parse_error(ps, tag->start, "bad delimiters '%.*s'", (int)tag->namelen, tag->name);
	ps->otag = a;
	ps->olen = alen;
	ps->ctag = b;
	ps->clen = (size_t)(e - b);
	return 0;
}

static int
open_container(struct parser *ps, const struct tag *tag, int ign)
{
	struct open *o;

	if (ps->nopen == PARSE_DEPTH_MAX)
		return parse_error(ps, tag->start, "sections nested deeper than %d", PARSE_DEPTH_MAX);
	o = &ps->open[ps->nopen++];
	o->tok = ps->ntok - 1;
	o->name = tag->name;
	o->namelen = tag->namelen;
	o->pos = tag->start;
	o->strip = ps->strip;
	o->striplen = ps->striplen;
	o->ignored = ign;
	o->lclear = 0;
	return 0;
}

/*
 * A block opening ends its line: its intrinsic indentation is the leading
 * whitespace of the next line beyond the strip already in force. Sets the strip
 * for the block's content and the block's indentation.
 */
static void
block_intrinsic(struct parser *ps, struct tok *t, size_t next)
{
	size_t e = next;

	while (e < ps->len && is_ws(ps->src[e]))
		e++;
	if (e - next > ps->striplen && common_prefix(ps->src + next, e - next, ps->strip,
	    ps->striplen) == ps->striplen) {
		t->ind = ps->src + next + ps->striplen;
		t->indlen = e - next - ps->striplen;
		ps->strip = ps->src + next;
		ps->striplen = e - next;
	}
}

static int
parse(struct parser *ps)
{
	const char *src = ps->src;
	const char *q;
	struct tag tag;
	struct tok *t;
	struct open *top;
	size_t ts, lraw, lind, rnext, r;
	int lclear, rclear, L, R, in_parent;

	for (;;) {
		q = find(src + ps->pos, ps->len - ps->pos, ps->otag, ps->olen);
		if (q == NULL) {
			flush_text(ps, ps->pos, ps->len);
			break;
		}
		ts = (size_t)(q - src);
		if (scan_tag(ps, ts, &tag) != 0)
			return -1;

		/* Left: only whitespace since the line started (lraw raw, lind after the strip). */
		q = last_nl(src + ps->pos, ts - ps->pos);
		if (q != NULL) {
			lraw = (size_t)(q - src) + 1;
			lind = lraw + common_prefix(src + lraw, ts - lraw, ps->strip, ps->striplen);
			lclear = all_ws(src, lraw, ts);
		} else {
			lraw = lind = ps->pos;
			lclear = ps->line_clean && all_ws(src, ps->pos, ts);
		}
		/* Right: only whitespace up to the end of the line. */
		for (r = tag.end; r < ps->len && is_ws(src[r]); r++)
			;
		rclear = 1;
		if (r == ps->len)
			rnext = r;
		else if (src[r] == '\n')
			rnext = r + 1;
		else if (src[r] == '\r' && r + 1 < ps->len && src[r + 1] == '\n')
			rnext = r + 2;
		else
			rclear = 0, rnext = r;

		/*
		 * L: the whitespace before the tag and the line start go with the tag.
		 * R: the end of the line goes with the tag. Usually both or neither
		 * (standalone); a parent's body is ignored text, so inside it only the
		 * side facing real content counts.
		 */
		top = ps->nopen > 0 ? &ps->open[ps->nopen - 1] : NULL;
		in_parent = top != NULL && ps->toks[top->tok].type == TOK_PARENT;
		switch (tag.kind) {
		case TAG_VAR:
		case TAG_RAW:
			L = R = 0;
			break;
		case TAG_PARENT:
			L = lclear;
			R = 0;
			break;
		case TAG_BLOCK:
			if (in_parent) {
				L = 0;
				R = rclear;
			} else {
				L = R = lclear && rclear;
			}
			break;
		case TAG_CLOSE:
			if (in_parent) {
				L = 0;
				R = top->lclear && rclear;
			} else if (top != NULL && ps->toks[top->tok].type == TOK_BLOCK && ps->nopen >= 2 &&
			    ps->toks[ps->open[ps->nopen - 2].tok].type == TOK_PARENT) {
				L = lclear;
				R = 0;
			} else {
				L = R = lclear && rclear;
			}
			break;
		default:
			L = R = lclear && rclear;
			break;
		}
		if (L) {
			flush_text(ps, ps->pos, lraw);
			ps->at_bol = 0;
		} else {
			flush_text(ps, ps->pos, ts);
			emit_bol(ps);
		}

		switch (tag.kind) {
		case TAG_COMMENT:
			break;
		case TAG_DELIM:
			if (set_delims(ps, &tag) != 0)
				return -1;
			break;
		case TAG_VAR:
		case TAG_RAW:
			t = tok_push(ps, tag.kind == TAG_VAR ? TOK_VAR : TOK_RAW);
			if (store_name(ps, t, &tag, tag.name, tag.namelen, 1) != 0)
				return -1;
			break;
		case TAG_SECTION:
		case TAG_INVERTED:
			t = tok_push(ps, tag.kind == TAG_SECTION ? TOK_SECTION : TOK_INVERTED);
			if (store_name(ps, t, &tag, tag.name, tag.namelen, 1) != 0 ||
			    open_container(ps, &tag, ignored(ps)) != 0)
				return -1;
			break;
		case TAG_PARTIAL:
		case TAG_PARENT: {
			const char *n = tag.name;
			size_t nlen = tag.namelen;
			int dyn = nlen > 0 && n[0] == '*';
			if (dyn) {
				for (n++, nlen--; nlen > 0 && is_ws(*n); n++, nlen--)
					;
			}
			t = tok_push(ps, tag.kind == TAG_PARTIAL ? TOK_PARTIAL : TOK_PARENT);
			t->dynamic = (unsigned char)dyn;
			t->standalone = (unsigned char)L;
			if (L) {
				t->ind = src + lind;
				t->indlen = ts - lind;
			}
			if (store_name(ps, t, &tag, n, nlen, dyn) != 0)
				return -1;
			if (tag.kind == TAG_PARENT) {
				if (open_container(ps, &tag, 1) != 0)
					return -1;
				ps->open[ps->nopen - 1].lclear = lclear;
			}
			break;
		}
		case TAG_BLOCK: {
			int ign = in_parent ? 0 : ignored(ps);
			t = tok_push(ps, TOK_BLOCK);
			if (store_name(ps, t, &tag, tag.name, tag.namelen, 0) != 0 ||
			    open_container(ps, &tag, ign) != 0)
				return -1;
			if (R) {
				t->standalone = 1;
				block_intrinsic(ps, t, rnext);
			} else if (lclear) {
				/* An inline block at the start of its line: its other lines line up with it. */
				t->ind = src + lind;
				t->indlen = ts - lind;
			}
			break;
		}
		case TAG_CLOSE:
			if (top == NULL)
				return parse_error(ps, ts, "close tag '%.*s' without an open section",
				    (int)tag.namelen, tag.name);
			if (top->namelen != tag.namelen || memcmp(top->name, tag.name, tag.namelen) != 0)
				return parse_error(ps, ts, "close tag '%.*s' does not match '%.*s' opened on line %u",
				    (int)tag.namelen, tag.name, (int)top->namelen, top->name,
				    lineno(src, top->pos));
			ps->toks[top->tok].span = (uint32_t)(ps->ntok - top->tok - 1);
			ps->strip = top->strip;
			ps->striplen = top->striplen;
			ps->nopen--;
			break;
		}

		if (R) {
			ps->pos = rnext;
			ps->at_bol = 1;
			ps->line_clean = 1;
			apply_strip(ps);
		} else {
			ps->pos = tag.end;
			ps->line_clean = 0;
		}
	}
	if (ps->nopen > 0) {
		top = &ps->open[ps->nopen - 1];
		return parse_error(ps, top->pos, "unclosed section '%.*s'", (int)top->namelen, top->name);
	}
	return 0;
}

static int
tmpl_parse(struct tmpl *t, char **err)
{
	struct parser ps;

	free(t->toks);
	free(t->names);
	t->toks = NULL;
	t->ntok = 0;
	t->names = xmalloc(t->len + 1);

	memset(&ps, 0, sizeof(ps));
	ps.t = t;
	ps.src = t->src;
	ps.len = t->len;
	ps.otag = "{{";
	ps.ctag = "}}";
	ps.olen = ps.clen = 2;
	ps.at_bol = 1;
	ps.line_clean = 1;
	ps.strip = "";
	ps.err = err;
	if (parse(&ps) != 0) {
		free(ps.toks);
		return -1;
	}
	t->toks = ps.toks;
	t->ntok = ps.ntok;
	return 0;
}

int
tmpl_set_compile(struct tmpl_set *s, char **err)
{
	struct json_object *hobj;
	struct lh_table *hashes;
	size_t i, k;

	s->compiled = 0;
	for (i = 0; i < s->n; i++)
		if (tmpl_parse(s->v[i], err) != 0)
			return -1;
	/* Static partial and parent names resolve now; the set does not change while rendering.
	 * Each name's json-c hash too (issue 10, pages: lookups were a tenth of a list page):
	 * every json-c object uses the same string hash, seeded once per process, which the
	 * workers inherit from the master that compiles. */
	if (s->hobj == NULL)
		s->hobj = json_object_new_object();
	hashes = json_object_get_object(hobj = s->hobj);
	for (i = 0; i < s->n; i++) {
		struct tmpl *t = s->v[i];
		for (k = 0; k < t->ntok; k++) {
			struct tok *tk = &t->toks[k];
			if (tk->type != TOK_TEXT && tk->s != NULL && tk->nparts > 0)
				tk->hash = lh_get_hash(hashes, tk->s);
			if (tk->type != TOK_TEXT && tk->s != NULL && tk->nparts > 1)
				tk->hash2 = lh_get_hash(hashes, tk->s + strlen(tk->s) + 1);
			if ((tk->type != TOK_PARTIAL && tk->type != TOK_PARENT) || tk->dynamic)
				continue;
			tk->target = tmpl_find(s, tk->s, tk->len);
			if (tk->target == NULL)
				LOG_WARN("template %s uses %s, which does not exist: it renders empty",
				    t->name, tk->s);
		}
	}
	(void)hobj;   /* kept: tmpl_render_rows hashes the row sources' names with it */
	s->compiled = 1;
	return 0;
}

/* ---------------------------------------------------------------- loading */

static int
is_template_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 9 && strcmp(d->d_name + n - 9, ".mustache") == 0;
}

/* The whole file at path, malloc'd; -1 with *err. Non-regular files give 1 (skipped). */
static int
read_file(const char *path, char **out, size_t *outlen, char **err)
{
	struct stat st;
	char *p = NULL;
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 1;
	}
	p = xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		n = read(fd, p + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len != (size_t)st.st_size) {
		*err = xasprintf("%s: short read", path);
		free(p);
		return -1;
	}
	*out = p;
	*outlen = len;
	return 0;
}

/* Add dir/file ("x.mustache") to s as template "x". Returns 0, or -1 with *err. */
static int
add_file(struct tmpl_set *s, const char *dir, const char *file, char **err)
{
	char path[4096], name[256];
	char *src = NULL;
	size_t len = 0, nlen = strlen(file) - 9;
	int rc;

	if (nlen >= sizeof(name) || (size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
		*err = xasprintf("%s/%s: name too long", dir, file);
		return -1;
	}
	memcpy(name, file, nlen);
	name[nlen] = '\0';
	rc = read_file(path, &src, &len, err);
	if (rc == 1)
		return 0;   /* not a regular file */
	if (rc == 0)
		rc = tmpl_set_add(s, name, src, len, err);
	free(src);
	return rc;
}

struct tmpl_set *
tmpl_set_load_dir(const char *dir, char **err)
{
	struct dirent **ents = NULL;
	struct tmpl_set *s;
	int i, n;

	/* Sorted, so that the first error reported does not depend on the file system. */
	n = scandir(dir, &ents, is_template_file, alphasort);
	if (n < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return NULL;
	}
	s = tmpl_set_new();
	for (i = 0; i < n; i++)
		if (add_file(s, dir, ents[i]->d_name, err) != 0)
			goto err;
	if (tmpl_set_compile(s, err) != 0)
		goto err;
	goto out;
err:
	tmpl_set_free(s);
	s = NULL;
out:
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return s;
}

/* ---------------------------------------------------------------- rendering */

/* A parent being expanded: its blocks override; up is the chain around its {{<tag}}. */
struct ovr {
	const struct tok *parent;
	const struct ovr *up;
};

/*
 * A value as rendering sees it: a json-c value (j; NULL with kind V_JSON: missing), or a row
 * source's table, one of its rows, or one cell of a row.
 */
enum vkind { V_JSON, V_TABLE, V_ROW, V_CELL };
struct val {                  /* 16 bytes: returned in registers */
	union {
		struct json_object *j;          /* V_JSON */
		const struct tmpl_rows *rows;   /* V_TABLE, V_ROW */
		const char *s;                  /* V_CELL: the cell's text (NULL: a false TMPL_BOOL) */
	};
	uint32_t row;             /* V_ROW */
	unsigned char kind;
	unsigned char cell;       /* V_CELL: enum tmpl_cell */
	unsigned char src;        /* V_TABLE, V_ROW: which source (its hashes in rstate) */
};

/*
 * A loop over a row source as a plan (issue 10, listp99): its body's tokens resolved once per
 * loop into steps, then run for each row. Below the row the context stack stands still while
 * the loop runs, and a plan is made only when everything the body pushes above the row has no
 * keys (cells; true values that are not objects or arrays): so a name is either a cell of the
 * row or, when the row has no such cell, the same value for every row — printed once, when the
 * plan is made. A body with partials, parents, blocks, a section over an object or an array, a
 * dotted name starting with a column, or a loop under indentation is rendered token by token
 * as before.
 */
enum pstep_op {
	P_TEXT,     /* the template's text */
	P_CONST,    /* what the plan printed when it was made (in rstate.pbuf) */
	P_CELL,     /* a cell; missing (a NULL text or number): the text printed for what lies below */
	P_DOT,      /* {{.}} inside a section over a cell: that cell */
	P_IF        /* a section or inverted section over a cell: skip the next n steps unless ... */
};
struct pstep {
	unsigned char op;
	unsigned char esc;        /* P_CELL, P_DOT: HTML-escaped */
	unsigned char inverted;   /* P_IF: an inverted section */
	unsigned char fbtrue;     /* P_IF: whether what lies below is true, for a missing cell */
	uint32_t col;             /* P_CELL, P_DOT, P_IF */
	uint32_t skip;            /* P_IF: the steps of its body */
	const char *s;            /* P_TEXT */
	size_t off, len;          /* P_TEXT: len; P_CONST and P_CELL's missing text: in pbuf */
};

struct rstate {
	const struct tmpl_set *set;
	struct buf *out;
	int nctx;
	int depth;                /* partials, parents and blocks being expanded */
	long expansions;          /* expansions so far */
	long work;                /* tokens charged so far (RENDER_WORK_MAX) */
	int skip_bol;             /* drop the next line start: a block's first line joins the line of its tag */
	int warned;
	const char *ind;          /* the indentation in force (in indbuf) */
	size_t indlen;
	size_t indtop;            /* bytes of indbuf in use */
	const struct tmpl_rows *rows;   /* the row sources, nrows of them */
	size_t nrows;
	unsigned long rowhash[TMPL_ROWS_MAX];   /* each source's name, hashed as tags are */
	unsigned long colhash[TMPL_ROWS_MAX][TMPL_ROWS_COLS_MAX];
	/* each source's columns by hash: open addressing, column + 1 (0: empty), half full at most */
	unsigned char colslot[TMPL_ROWS_MAX][COLSLOTS];
	/* the column each tag found in a row source: every row asks the same tags again */
	struct {
		const struct tok *t;
		int src, col;
	} tokcol[TOKCOL_SLOTS];
	int rowtop;               /* the context index of the innermost loop's row, -1: none */
	struct val ctx[CTX_MAX];
	char indbuf[IND_MAX];
	struct buf pbuf;          /* what the plans printed once (P_CONST, missing cells) */
	struct pstep plan[PLAN_MAX];
};

struct indsave {
	const char *ind;
	size_t indlen, indtop;
};

/* Indentation becomes the current one followed by add (or add alone when !keep); restore with ind_pop. */
static struct indsave
ind_push(struct rstate *st, const char *add, size_t n, int keep)
{
	struct indsave sv = { st->ind, st->indlen, st->indtop };
	size_t base = keep ? st->indlen : 0;
	char *d;

	if (n == 0) {
		if (!keep)
			st->indlen = 0;
		return sv;
	}
	if (st->indtop + base + n > IND_MAX)
		return sv;   /* absurdly deep: keep the indentation we have */
	d = st->indbuf + st->indtop;
	if (base > 0)
		memcpy(d, st->ind, base);
	memcpy(d + base, add, n);
	st->ind = d;
	st->indlen = base + n;
	st->indtop += base + n;
	return sv;
}

static void
ind_pop(struct rstate *st, struct indsave sv)
{
	st->ind = sv.ind;
	st->indlen = sv.indlen;
	st->indtop = sv.indtop;
}

static const struct val missing = { .j = NULL, .kind = V_JSON };

static struct val
jval(struct json_object *j)
{
	struct val v = missing;

	v.j = j;
	return v;
}

/* The column of source src that tag t names, or -1: remembered per tag, else one probe of
 * the slots, mostly. */
static int
find_col(struct rstate *st, const struct tok *t, int src)
{
	const unsigned char *slot = st->colslot[src];
	size_t c = ((uintptr_t)t >> 4) & (TOKCOL_SLOTS - 1);   /* neighbouring tokens: other slots */
	size_t i = t->hash & (COLSLOTS - 1);
	int col = -1;

	if (st->tokcol[c].t == t && st->tokcol[c].src == src)
		return st->tokcol[c].col;
	for (; slot[i] != 0; i = (i + 1) & (COLSLOTS - 1)) {
		int k = slot[i] - 1;
		if (st->colhash[src][k] == t->hash && strcmp(st->rows[src].cols[k].name, t->s) == 0) {
			col = k;
			break;
		}
	}
	st->tokcol[c].t = t;
	st->tokcol[c].src = src;
	st->tokcol[c].col = col;
	return col;
}

/* The cell of row c that t's first part names: 1 with *v, or 0 (no such key in the row). */
static int
row_lookup(struct rstate *st, const struct val *c, const struct tok *t, struct val *v)
{
	const struct tmpl_rows *rs = c->rows;
	const char *cell;
	int k = find_col(st, t, c->src);

	if (k < 0)
		return 0;
	cell = rs->cells[c->row * rs->ncols + (size_t)k];
	if (cell == NULL && rs->cols[k].kind != TMPL_BOOL)
		return 0;
	*v = missing;
	v->kind = V_CELL;
	v->cell = (unsigned char)rs->cols[k].kind;
	v->s = cell;
	return 1;
}

/* The row source t's first part names: 1 with *v, or 0. */
static int
source_lookup(const struct rstate *st, const struct tok *t, struct val *v)
{
	size_t k;

	for (k = 0; k < st->nrows; k++)
		if (st->rowhash[k] == t->hash && strcmp(st->rows[k].name, t->s) == 0) {
			*v = missing;
			v->kind = V_TABLE;
			v->rows = &st->rows[k];
			v->src = (unsigned char)k;
			return 1;
		}
	return 0;
}

/* The value t names, by the spec's resolution over the context stack; missing (V_JSON, NULL). */
static struct val
lookup(struct rstate *st, const struct tok *t)
{
	struct val v = missing;
	struct json_object *j;
	const char *part = t->s;
	int i, k;

	if (t->nparts == 0)
		return st->nctx > 0 ? st->ctx[st->nctx - 1] : missing;
	for (i = st->nctx - 1; i >= 0; i--) {
		const struct val *c = &st->ctx[i];
		struct lh_table *o;
		struct lh_entry *e;
		if (c->kind == V_ROW) {
			if (row_lookup(st, c, t, &v))
				break;
			continue;
		}
		if (i == 0 && st->nrows > 0 && source_lookup(st, t, &v))
			break;
		/* json_object_get_object: NULL for anything but an object */
		if (c->kind == V_JSON && (o = json_object_get_object(c->j)) != NULL &&
		    (e = lh_table_lookup_entry_w_hash(o, part, t->hash)) != NULL) {
			v = jval((struct json_object *)lh_entry_v(e));
			break;
		}
	}
	if (i < 0)
		return missing;
	if (t->nparts == 1)
		return v;
	/* Later parts resolve in what the first found, never further down the stack; a row
	 * source's table, rows and cells have no keys for them. */
	if (v.kind != V_JSON)
		return missing;
	j = v.j;
	for (k = 1; k < t->nparts; k++) {
		struct lh_entry *e;
		part += strlen(part) + 1;
		if (!json_object_is_type(j, json_type_object))
			return missing;
		if (k == 1) {
			e = lh_table_lookup_entry_w_hash(json_object_get_object(j), part, t->hash2);
			if (e == NULL)
				return missing;
			j = (struct json_object *)lh_entry_v(e);
		} else if (!json_object_object_get_ex(j, part, &j)) {
			return missing;
		}
	}
	return jval(j);
}

static int
json_truthy(struct json_object *v)
{
	double d;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		return json_object_get_int64(v) != 0;
	case json_type_double:
		d = json_object_get_double(v);
		return d == d && d != 0;
	case json_type_string:
		return json_object_get_string_len(v) != 0;
	case json_type_array:
		return json_object_array_length(v) != 0;
	case json_type_object:
		return 1;
	}
	return 0;
}

static int
truthy(const struct val *v)
{
	switch ((enum vkind)v->kind) {
	case V_JSON:
		return json_truthy(v->j);
	case V_TABLE:
		return v->rows->nrows > 0;
	case V_ROW:
		return 1;   /* an object */
	case V_CELL:
		if (v->s == NULL || *v->s == '\0')
			return 0;
		return v->cell != TMPL_NUMBER || strtod(v->s, NULL) != 0;
	}
	return 0;
}

/* buf_append() without the call when the text fits (a list page appends over 3,000 pieces). */
static inline void
out_append(struct buf *b, const char *s, size_t n)
{
	if (b->p != NULL && b->len + n + 1 <= b->cap) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
		b->p[b->len] = '\0';
	} else {
		buf_append(b, s, n);
	}
}

/* Text; the line starts inside it get the indentation (one at its very end belongs to the next token). */
static void
put_text(struct rstate *st, const char *s, size_t n)
{
	const char *nl;
	size_t k;

	if (st->indlen == 0) {
		out_append(st->out, s, n);
		return;
	}
	while ((nl = memchr(s, '\n', n)) != NULL && (k = (size_t)(nl - s) + 1) < n) {
		buf_append(st->out, s, k);
		buf_append(st->out, st->ind, st->indlen);
		s += k;
		n -= k;
	}
	buf_append(st->out, s, n);
}

/* A value as text: numbers as JavaScript prints them (1.21, 3, not 3.0); objects and arrays print nothing. */
static void
put_json(struct rstate *st, struct json_object *v, int escape)
{
	char num[40];
	const char *s = num;
	size_t n = 0;
	int prec, w;
	double d;

	switch (json_object_get_type(v)) {
	case json_type_null:
	case json_type_object:
	case json_type_array:
		return;
	case json_type_boolean:
		s = json_object_get_boolean(v) ? "true" : "false";
		n = strlen(s);
		break;
	case json_type_int:
		if (json_object_get_int64(v) == INT64_MAX)
			w = snprintf(num, sizeof(num), "%" PRIu64, json_object_get_uint64(v));
		else
			w = snprintf(num, sizeof(num), "%" PRId64, json_object_get_int64(v));
		n = (size_t)w;
		break;
	case json_type_double:
		/* The shortest form that reads back as the same double. */
		d = json_object_get_double(v);
		for (prec = 15; prec <= 17; prec++) {
			w = snprintf(num, sizeof(num), "%.*g", prec, d);
			if (strtod(num, NULL) == d)
				break;
		}
		n = (size_t)w;
		break;
	case json_type_string:
		s = json_object_get_string(v);
		n = (size_t)json_object_get_string_len(v);
		break;
	}
	if (escape)
		buf_html_escape(st->out, s, n);
	else
		buf_append(st->out, s, n);
}

/* A value as text: a cell as its text (a TMPL_BOOL as true/false); tables and rows print nothing. */
static void
put_value(struct rstate *st, const struct val *v, int escape)
{
	const char *s;

	switch ((enum vkind)v->kind) {
	case V_JSON:
		put_json(st, v->j, escape);
		return;
	case V_TABLE:
	case V_ROW:
		return;
	case V_CELL:
		break;
	}
	if (v->cell == TMPL_BOOL)
		s = v->s != NULL && *v->s != '\0' ? "true" : "false";
	else
		s = v->s != NULL ? v->s : "";
	if (escape)
		buf_html_escape(st->out, s, strlen(s));
	else
		buf_puts(st->out, s);
}

static void render(struct rstate *st, const struct tok *t, const struct tok *end, const struct ovr *ov);

/* Whether a pass of ntok tokens (a section's body, a template) fits in the render's work; it is
 * charged when it does. */
static int
charge(struct rstate *st, size_t ntok)
{
	if (st->work + (long)ntok + 1 > RENDER_WORK_MAX) {
		if (!st->warned)
			LOG_WARN("a render walked more than %ld tokens: cut", RENDER_WORK_MAX);
		st->warned = 1;
		return 0;
	}
	st->work += (long)ntok + 1;
	return 1;
}

/* Whether one more partial, parent or block of ntok tokens may be expanded; leave with
 * st->depth--. */
static int
enter(struct rstate *st, size_t ntok)
{
	if (st->depth >= RENDER_DEPTH_MAX || st->expansions >= RENDER_EXPANSIONS_MAX ||
	    st->out->len > RENDER_OUTPUT_MAX) {
		if (!st->warned)
			LOG_WARN("templates nested deeper than %d, expanded more than %d times or longer than %u bytes: cut",
			    RENDER_DEPTH_MAX, RENDER_EXPANSIONS_MAX, RENDER_OUTPUT_MAX);
		st->warned = 1;
		return 0;
	}
	if (!charge(st, ntok))
		return 0;
	st->depth++;
	st->expansions++;
	return 1;
}

static void
render_children(struct rstate *st, const struct tok *t, const struct ovr *ov)
{
	render(st, t + 1, t + 1 + t->span, ov);
}

/* What t names when the innermost row has no such cell (it is below the row): lookup() over the
 * contexts under the row. */
static struct val
lookup_below(struct rstate *st, const struct tok *t)
{
	int n = st->nctx;
	struct val v;

	st->nctx = st->rowtop;
	v = lookup(st, t);
	st->nctx = n;
	return v;
}

/* v printed into pbuf (as put_value would print it): its offset there, its length in *len. */
static size_t
plan_print(struct rstate *st, const struct val *v, int escape, size_t *len)
{
	struct buf *out = st->out;
	size_t off = st->pbuf.len;

	st->out = &st->pbuf;
	put_value(st, v, escape);
	st->out = out;
	*len = st->pbuf.len - off;
	return off;
}

/*
 * The plan of tokens [t, end) of a loop over source src, appended to st->plan from *n; dot: the
 * column {{.}} is inside a section over (-1: the row, which prints nothing), or dotv (not
 * NULL): a true value pushed by a section over what lies below. 0, or -1 when the body needs
 * rendering token by token.
 */
static int
plan_make(struct rstate *st, const struct tok *t, const struct tok *end, int src, int dot,
    const struct val *dotv, int depth, size_t *n)
{
	if (st->nctx + depth + 1 >= CTX_MAX)
		return -1;
	for (; t < end; t += 1 + t->span) {
		struct pstep *p = &st->plan[*n];
		struct val v;
		int col;

		if (*n + 1 >= PLAN_MAX)
			return -1;
		memset(p, 0, sizeof(*p));
		switch ((enum tok_type)t->type) {
		case TOK_TEXT:
			p->op = P_TEXT;
			p->s = t->s;
			p->len = t->len;
			++*n;
			continue;
		case TOK_BOL:
			continue;   /* no indentation in force: a line start prints nothing */
		case TOK_VAR:
		case TOK_RAW:
			p->esc = t->type == TOK_VAR;
			if (t->nparts == 0) {
				if (dotv != NULL) {
					p->op = P_CONST;
					p->off = plan_print(st, dotv, p->esc, &p->len);
					++*n;
				} else if (dot >= 0) {
					p->op = P_DOT;
					p->col = (uint32_t)dot;
					++*n;
				}
				continue;   /* the row itself prints nothing */
			}
			col = find_col(st, t, src);
			if (col >= 0 && t->nparts > 1)
				return -1;
			v = lookup_below(st, t);
			p->op = col >= 0 ? P_CELL : P_CONST;
			p->col = col >= 0 ? (uint32_t)col : 0;
			p->off = plan_print(st, &v, p->esc, &p->len);
			++*n;
			continue;
		case TOK_SECTION:
		case TOK_INVERTED: {
			int inv = t->type == TOK_INVERTED;
			size_t at;
			if (t->nparts == 0)
				return -1;
			col = find_col(st, t, src);
			if (col >= 0 && t->nparts > 1)
				return -1;
			v = lookup_below(st, t);
			if (col < 0) {
				/* the same for every row: its body is part of the plan, or not */
				if (truthy(&v) == inv)
					continue;
				if (inv) {
					if (plan_make(st, t + 1, t + 1 + t->span, src, dot, dotv, depth, n) != 0)
						return -1;
					continue;
				}
				if (v.kind != V_JSON || json_object_is_type(v.j, json_type_object) ||
				    json_object_is_type(v.j, json_type_array))
					return -1;
				/* pushed above the row, with no keys: {{.}} inside is that value */
				if (plan_make(st, t + 1, t + 1 + t->span, src, -1, &v, depth + 1, n) != 0)
					return -1;
				continue;
			}
			/* A missing cell is decided by what lies below; under a section that would be
			 * pushed, and its keys could answer: not planned. */
			if (!inv && truthy(&v))
				return -1;
			p->op = P_IF;
			p->inverted = (unsigned char)inv;
			p->fbtrue = (unsigned char)truthy(&v);
			p->col = (uint32_t)col;
			at = (*n)++;
			if (plan_make(st, t + 1, t + 1 + t->span, src, inv ? dot : col, inv ? dotv : NULL,
			    depth + 1, n) != 0)
				return -1;
			st->plan[at].skip = (uint32_t)(*n - at - 1);
			continue;
		}
		case TOK_PARTIAL:
		case TOK_PARENT:
		case TOK_BLOCK:
			return -1;
		}
	}
	return 0;
}

/* A cell as put_value prints it. */
static void
put_cell(struct rstate *st, const char *c, enum tmpl_cell kind, int escape)
{
	const char *s = kind == TMPL_BOOL ? (c != NULL && *c != '\0' ? "true" : "false") : c != NULL ? c : "";

	if (escape)
		buf_html_escape(st->out, s, strlen(s));
	else
		buf_puts(st->out, s);
}

/* Whether a cell is true, as truthy() decides. */
static int
cell_true(const char *c, enum tmpl_cell kind)
{
	if (c == NULL || *c == '\0')
		return 0;
	return kind != TMPL_NUMBER || strtod(c, NULL) != 0;
}

/* One row through the plan's steps [0, n). */
static void
plan_run(struct rstate *st, const struct tmpl_rows *rs, const char *const *cells, size_t n)
{
	const struct pstep *p = st->plan;

	for (size_t i = 0; i < n; i++) {
		const char *c;
		enum tmpl_cell kind;
		int yes;

		switch ((enum pstep_op)p[i].op) {
		case P_TEXT:
			out_append(st->out, p[i].s, p[i].len);
			break;
		case P_CONST:
			if (p[i].len > 0)   /* nothing printed: pbuf may have no memory at all */
				out_append(st->out, st->pbuf.p + p[i].off, p[i].len);
			break;
		case P_CELL:
			c = cells[p[i].col];
			kind = rs->cols[p[i].col].kind;
			if (c == NULL && kind != TMPL_BOOL) {
				if (p[i].len > 0)
					out_append(st->out, st->pbuf.p + p[i].off, p[i].len);
			} else {
				put_cell(st, c, kind, p[i].esc);
			}
			break;
		case P_DOT:
			put_cell(st, cells[p[i].col], rs->cols[p[i].col].kind, p[i].esc);
			break;
		case P_IF:
			c = cells[p[i].col];
			kind = rs->cols[p[i].col].kind;
			yes = c == NULL && kind != TMPL_BOOL ? p[i].fbtrue : cell_true(c, kind);
			if (yes == p[i].inverted)
				i += p[i].skip;
			break;
		}
	}
}

static void
render_section(struct rstate *st, const struct tok *t, const struct ovr *ov)
{
	struct val v = lookup(st, t);
	size_t i, n;
	int planned;

	if (!truthy(&v))
		return;
	if (st->nctx == CTX_MAX) {
		if (!st->warned)
			LOG_WARN("sections nested deeper than %d: cut", CTX_MAX);
		st->warned = 1;
		return;
	}
	if (v.kind == V_TABLE) {
		struct val row = v;
		int outertop = st->rowtop;
		row.kind = V_ROW;
		st->rowtop = st->nctx;
		n = 0;
		planned = st->indlen == 0 && v.rows->nrows > 0 &&
		    plan_make(st, t + 1, t + 1 + t->span, v.src, -1, NULL, 0, &n) == 0;
		if (planned) {
			for (i = 0; i < v.rows->nrows && charge(st, t->span); i++)
				plan_run(st, v.rows, v.rows->cells + i * v.rows->ncols, n);
			st->skip_bol = 0;   /* as the body's first text would have (no indentation: nothing to see) */
		}
		for (i = planned ? v.rows->nrows : 0; i < v.rows->nrows && charge(st, t->span); i++) {
			row.row = (uint32_t)i;
			st->ctx[st->nctx++] = row;
			render_children(st, t, ov);
			st->nctx--;
		}
		st->rowtop = outertop;
	} else if (v.kind == V_JSON && json_object_is_type(v.j, json_type_array)) {
		n = json_object_array_length(v.j);
		for (i = 0; i < n && charge(st, t->span); i++) {
			st->ctx[st->nctx++] = jval(json_object_array_get_idx(v.j, i));
			render_children(st, t, ov);
			st->nctx--;
		}
	} else {
		st->ctx[st->nctx++] = v;
		render_children(st, t, ov);
		st->nctx--;
	}
}

/* {{>partial}} and {{<parent}}: the named template, with the indentation of a standalone tag. */
/* All of template t. An empty one has no tokens (toks is NULL), and NULL + 0 is undefined in C. */
static void
render_all(struct rstate *st, const struct tmpl *t, const struct ovr *ov)
{
	if (t->ntok > 0)
		render(st, t->toks, t->toks + t->ntok, ov);
}

static void
render_include(struct rstate *st, const struct tok *t, const struct ovr *ov)
{
	const struct tmpl *target = t->target;
	struct indsave sv;

	if (t->dynamic) {
		struct val v = lookup(st, t);
		target = NULL;
		if (v.kind == V_JSON && json_object_is_type(v.j, json_type_string))
			target = tmpl_find(st->set, json_object_get_string(v.j),
			    (size_t)json_object_get_string_len(v.j));
		else if (v.kind == V_CELL && v.cell == TMPL_TEXT && v.s != NULL)
			target = tmpl_find(st->set, v.s, strlen(v.s));
	}
	if (target == NULL || !enter(st, target->ntok))
		return;
	/* An inline partial is not indented at all: the spec indents standalone ones only. */
	sv = ind_push(st, t->ind, t->indlen, t->standalone);
	render_all(st, target, ov);
	ind_pop(st, sv);
	st->depth--;
}

/* The outermost argument named like block site t, and the chain it was written under. */
static const struct tok *
find_override(const struct ovr *ov, const struct tok *t, const struct ovr **scope)
{
	const struct tok *found = NULL, *k, *end;

	for (; ov != NULL; ov = ov->up) {
		k = ov->parent + 1;
		end = k + ov->parent->span;
		for (; k < end; k += 1 + k->span)
			if (k->type == TOK_BLOCK && k->len == t->len && memcmp(k->s, t->s, t->len) == 0) {
				found = k;
				*scope = ov->up;
			}
	}
	return found;
}

static void
render_block(struct rstate *st, const struct tok *t, const struct ovr *ov)
{
	const struct ovr *scope = ov;
	const struct tok *body = find_override(ov, t, &scope);
	struct indsave sv;

	if (body == NULL && !t->standalone) {
		render_children(st, t, ov);
		return;
	}
	if (body == NULL)
		body = t;
	if (!enter(st, body->span))
		return;
	sv = ind_push(st, t->ind, t->indlen, 1);
	/*
	 * At an inline site the first line of the content continues the tag's line.
	 * A standalone site stands for whole lines: content written inline
	 * ({{$title}}Text{{/title}}) is given its indentation and its own line (the
	 * spec has no case of this; we prefer not to glue it to the next line).
	 */
	if (!t->standalone) {
		st->skip_bol = 1;
		render_children(st, body, scope);
		st->skip_bol = 0;
	} else if (!body->standalone && body->span > 0) {
		size_t start = st->out->len;
		buf_append(st->out, st->ind, st->indlen);
		render_children(st, body, scope);
		if (st->out->len > start + st->indlen && st->out->p[st->out->len - 1] != '\n')
			buf_putc(st->out, '\n');
		else if (st->out->len == start + st->indlen)
			st->out->len = start, st->out->p[start] = '\0';
	} else {
		render_children(st, body, scope);
	}
	ind_pop(st, sv);
	st->depth--;
}

static void
render(struct rstate *st, const struct tok *t, const struct tok *end, const struct ovr *ov)
{
	struct ovr o;

	for (; t < end; t += 1 + t->span) {
		switch ((enum tok_type)t->type) {
		case TOK_TEXT:
			st->skip_bol = 0;
			put_text(st, t->s, t->len);
			break;
		case TOK_BOL:
			if (st->skip_bol)
				st->skip_bol = 0;
			else if (st->indlen > 0)
				buf_append(st->out, st->ind, st->indlen);
			break;
		case TOK_VAR:
		case TOK_RAW: {
			struct val v = lookup(st, t);
			st->skip_bol = 0;
			put_value(st, &v, t->type == TOK_VAR);
			break;
		}
		case TOK_SECTION:
			render_section(st, t, ov);
			break;
		case TOK_INVERTED: {
			struct val v = lookup(st, t);
			if (!truthy(&v))
				render_children(st, t, ov);
			break;
		}
		case TOK_PARTIAL:
			render_include(st, t, ov);
			break;
		case TOK_PARENT:
			o.parent = t;
			o.up = ov;
			render_include(st, t, &o);
			break;
		case TOK_BLOCK:
			render_block(st, t, ov);
			break;
		}
	}
}

int
tmpl_render(const struct tmpl_set *s, const char *name, struct json_object *view, struct buf *out)
{
	return tmpl_render_rows(s, name, view, NULL, 0, out);
}

int
tmpl_render_rows(const struct tmpl_set *s, const char *name, struct json_object *view,
    const struct tmpl_rows *rows, size_t nrows, struct buf *out)
{
	const struct tmpl *t;
	struct rstate st;
	size_t i, k;

	if (s == NULL || name == NULL || !s->compiled || nrows > TMPL_ROWS_MAX)
		return -1;
	t = tmpl_find(s, name, strlen(name));
	if (t == NULL)
		return -1;
	/* Each source's names hashed once, as the tags were at compile time. */
	for (i = 0; i < nrows; i++) {
		struct lh_table *h = json_object_get_object(s->hobj);
		if (rows[i].ncols > TMPL_ROWS_COLS_MAX || rows[i].nrows > UINT32_MAX)
			return -1;
		st.rowhash[i] = lh_get_hash(h, rows[i].name);
		memset(st.colslot[i], 0, sizeof(st.colslot[i]));
		for (k = 0; k < rows[i].ncols; k++) {
			size_t j = (st.colhash[i][k] = lh_get_hash(h, rows[i].cols[k].name)) & (COLSLOTS - 1);
			while (st.colslot[i][j] != 0)
				j = (j + 1) & (COLSLOTS - 1);
			st.colslot[i][j] = (unsigned char)(k + 1);
		}
	}
	st.rows = rows;
	st.nrows = nrows;
	if (nrows > 0) {
		memset(st.tokcol, 0, sizeof(st.tokcol));
	}
	st.rowtop = -1;
	/* The big arrays need no clearing: nctx and indtop say what is in use. */
	st.set = s;
	st.out = out;
	st.nctx = 1;
	st.ctx[0] = jval(view);
	st.depth = 0;
	st.expansions = 0;
	st.work = 0;
	st.skip_bol = 0;
	st.warned = 0;
	st.ind = st.indbuf;
	st.indlen = 0;
	st.indtop = 0;
	buf_init(&st.pbuf);
	render_all(&st, t, NULL);
	buf_free(&st.pbuf);
	/* An empty render still leaves out NUL-terminated, like every buf_* append. */
	buf_append(out, "", 0);
	return 0;
}

struct json_object *
tmpl_rows_json(const struct tmpl_rows *rows)
{
	struct json_object *a = json_object_new_array_ext((int)rows->nrows);
	size_t i, k;

	for (i = 0; i < rows->nrows; i++) {
		struct json_object *o = json_object_new_object();
		const char *const *c = rows->cells + i * rows->ncols;
		for (k = 0; k < rows->ncols; k++) {
			struct json_object *v;
			switch (rows->cols[k].kind) {
			case TMPL_BOOL:
				v = json_object_new_boolean(c[k] != NULL && *c[k] != '\0');
				break;
			case TMPL_NUMBER:
				if (c[k] == NULL)
					continue;
				v = json_object_new_int64(strtoll(c[k], NULL, 10));
				break;
			case TMPL_TEXT:
			default:
				if (c[k] == NULL)
					continue;
				v = json_object_new_string(c[k]);
				break;
			}
			json_object_object_add(o, rows->cols[k].name, v);
		}
		json_object_array_add(a, o);
	}
	return a;
}
