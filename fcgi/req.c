/* req.c: turn FastCGI parameters, the query, the body and the cookies into a validated struct req. */
#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "crypto.h"
#include "req.h"

/* Nesting allowed in a JSON body: our forms are flat, a few levels leave room for lists. */
#define JSON_MAX_DEPTH 16

/* The value of hex digit c, or -1. */
int
req_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	unsigned long cp, min;
	size_t len, i;

	while (p < end) {
		if (*p == 0)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		/* C0, C1 (always overlong), continuation bytes and F5..FF never start a sequence. */
		if (*p >= 0xC2 && *p <= 0xDF) {
			len = 2, cp = *p & 0x1F, min = 0x80;
		} else if ((*p & 0xF0) == 0xE0) {
			len = 3, cp = *p & 0x0F, min = 0x800;
		} else if (*p >= 0xF0 && *p <= 0xF4) {
			len = 4, cp = *p & 0x07, min = 0x10000;
		} else
			return 0;
		if ((size_t)(end - p) < len)
			return 0;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += len;
	}
	return 1;
}

/* Percent-decoding of s[0..n) into the arena; '+' is a space only in form encoding. */
static char *
pct_decode(struct arena *a, const char *s, size_t n, int plus, size_t *outlen)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3 || (hi = req_hexval(s[i + 1])) < 0 || (lo = req_hexval(s[i + 2])) < 0)
				return NULL;
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus)
			*o++ = ' ';
		else
			*o++ = s[i];
	}
	*o = '\0';
	if (outlen != NULL)
		*outlen = (size_t)(o - out);
	return out;
}

char *
url_decode(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	return pct_decode(a, s, n, 1, outlen);
}

/*
 * The next piece of s[0..n) from *pos up to sep (or the end), as [*b, *e).
 * Returns 0 when nothing is left. Pieces may be empty.
 */
static int
next_piece(const char *s, size_t n, char sep, size_t *pos, size_t *b, size_t *e)
{
	const char *q;

	if (*pos >= n)
		return 0;
	*b = *pos;
	q = memchr(s + *pos, sep, n - *pos);
	*e = q != NULL ? (size_t)(q - s) : n;
	*pos = *e + 1;
	return 1;
}

/* Narrow [*b, *e) of s past spaces and tabs on both sides. */
static void
trim(const char *s, size_t *b, size_t *e)
{
	while (*b < *e && (s[*b] == ' ' || s[*b] == '\t'))
		(*b)++;
	while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t'))
		(*e)--;
}

/* Whether the media type of s[0..n) (before any ';' parameter) is type, case-insensitively. */
static int
media_is(const char *s, size_t n, const char *type)
{
	size_t b = 0, e, tlen = strlen(type);
	const char *semi = memchr(s, ';', n);

	e = semi != NULL ? (size_t)(semi - s) : n;
	trim(s, &b, &e);
	return e - b == tlen && strncasecmp(s + b, type, tlen) == 0;
}

/* Whether Accept names application/json before text/html (q-values are not weighed). */
static int
accept_json_first(const char *accept)
{
	size_t n = strlen(accept), pos = 0, b, e;

	while (next_piece(accept, n, ',', &pos, &b, &e)) {
		if (media_is(accept + b, e - b, "application/json"))
			return 1;
		if (media_is(accept + b, e - b, "text/html"))
			return 0;
	}
	return 0;
}

/*
 * Parse "k=v&k2=v2" (query or x-www-form-urlencoded body) into an arena array.
 * Empty pieces and pieces with an empty key are skipped; a piece without '=' has
 * the value "". The fields are counted before anything is decoded.
 */
static int
parse_pairs(struct arena *a, const char *s, size_t n, const struct req_limits *lim,
    struct kv **out, size_t *nout)
{
	size_t pos, b, e, kend, vb, count = 0, klen, vlen;
	const char *eq;
	struct kv *kv;
	char *key, *val;

	*out = NULL;
	*nout = 0;
	for (pos = 0; next_piece(s, n, '&', &pos, &b, &e);)
		if (e > b)
			count++;
	if (count == 0)
		return KESU_OK;
	if (count > lim->max_fields) {
		LOG_INFO("%zu fields, at most %zu allowed", count, lim->max_fields);
		return KESU_ETOOBIG;
	}
	kv = arena_alloc(a, count * sizeof(*kv));

	for (pos = 0; next_piece(s, n, '&', &pos, &b, &e);) {
		if (e == b || s[b] == '=')
			continue;
		eq = memchr(s + b, '=', e - b);
		kend = eq != NULL ? (size_t)(eq - s) : e;
		vb = eq != NULL ? kend + 1 : e;  /* "k" alone: the value is "" */
		key = pct_decode(a, s + b, kend - b, 1, &klen);
		val = pct_decode(a, s + vb, e - vb, 1, &vlen);
		if (key == NULL || val == NULL) {
			LOG_INFO("broken %%-escape");
			return KESU_EINPUT;
		}
		if (klen > lim->max_field || vlen > lim->max_field) {
			LOG_INFO("a field of %zu bytes, at most %zu allowed",
			    klen > vlen ? klen : vlen, lim->max_field);
			return KESU_ETOOBIG;
		}
		if (!utf8_valid(key, klen) || !utf8_valid(val, vlen)) {
			LOG_INFO("a field is not valid UTF-8");
			return KESU_EINPUT;
		}
		kv[*nout].key = key;
		kv[*nout].val = val;
		kv[*nout].len = vlen;
		(*nout)++;
	}
	*out = kv;
	return KESU_OK;
}

/*
 * The cookie in s[b..e) as trimmed name [*nb, *ne) and value [*vb, *ve); returns 0
 * for a piece without '=' or with an empty name, which is skipped.
 */
static int
cookie_piece(const char *s, size_t b, size_t e, size_t *nb, size_t *ne, size_t *vb, size_t *ve)
{
	const char *eq = memchr(s + b, '=', e - b);

	if (eq == NULL)
		return 0;
	*nb = b, *ne = (size_t)(eq - s);
	*vb = *ne + 1, *ve = e;
	trim(s, nb, ne);
	trim(s, vb, ve);
	return *ne > *nb;
}

/* Parse the Cookie header "a=1; b=2". Names and values are trimmed, not decoded. */
static int
parse_cookies(struct arena *a, const char *s, const struct req_limits *lim,
    struct kv **out, size_t *nout)
{
	size_t n = strlen(s), pos, b, e, nb, ne, vb, ve, count = 0;
	struct kv *kv;

	*out = NULL;
	*nout = 0;
	for (pos = 0; next_piece(s, n, ';', &pos, &b, &e);)
		count += (size_t)cookie_piece(s, b, e, &nb, &ne, &vb, &ve);
	if (count == 0)
		return KESU_OK;
	if (count > lim->max_cookies) {
		LOG_INFO("%zu cookies, at most %zu allowed", count, lim->max_cookies);
		return KESU_ETOOBIG;
	}
	kv = arena_alloc(a, count * sizeof(*kv));

	for (pos = 0; next_piece(s, n, ';', &pos, &b, &e);) {
		if (!cookie_piece(s, b, e, &nb, &ne, &vb, &ve))
			continue;
		if (ne - nb > lim->max_field || ve - vb > lim->max_field) {
			LOG_INFO("a cookie over %zu bytes", lim->max_field);
			return KESU_ETOOBIG;
		}
		if (!utf8_valid(s + nb, ne - nb) || !utf8_valid(s + vb, ve - vb)) {
			LOG_INFO("a cookie is not valid UTF-8");
			return KESU_EINPUT;
		}
		kv[*nout].key = arena_strndup(a, s + nb, ne - nb);
		kv[*nout].val = arena_strndup(a, s + vb, ve - vb);
		kv[*nout].len = ve - vb;
		(*nout)++;
	}
	*out = kv;
	return KESU_OK;
}

static void
json_put(void *p)
{
	json_object_put(p);
}

/*
 * Whether every value under o is one we accept. json-c, even strict, decodes
 * \u0000 into a NUL byte and takes NaN, Infinity and 1e999: every string and key
 * must be valid UTF-8 without NUL and every number finite. (A lone surrogate
 * escape becomes U+FFFD, which is valid.) The tokener's depth limit bounds the
 * recursion.
 */
static int
json_values_valid(struct json_object *o)
{
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_string:
		return utf8_valid(json_object_get_string(o), (size_t)json_object_get_string_len(o));
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!json_values_valid(json_object_array_get_idx(o, i)))
				return 0;
		return 1;
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			if (!utf8_valid(key, strlen(key)) || !json_values_valid(val))
				return 0;
		}
		return 1;
	}
	default:
		return 1;
	}
}

/*
 * Parse a JSON body: an object whose scalar members become form fields (bools as
 * "1"/"0", numbers as written, null skipped). The root stays in r->json, put when
 * the arena is freed.
 */
static int
parse_json(struct req *r, const char *body, size_t n, const struct req_limits *lim)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t end, count = 0, klen, vlen;
	const char *val;
	struct kv *kv;

	/* json-c's own UTF-8 check lets NUL bytes through: check the raw text first. */
	if (!utf8_valid(body, n)) {
		LOG_INFO("JSON body is not valid UTF-8");
		return KESU_EINPUT;
	}
	if (n > INT_MAX)
		return KESU_ETOOBIG;
	if ((tok = json_tokener_new_ex(JSON_MAX_DEPTH)) == NULL) {
		LOG_ERR("json_tokener_new_ex failed");
		return KESU_EINTERNAL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, body, (int)n);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (root != NULL)
		arena_defer(r->a, json_put, root);
	while (end < n && strchr(" \t\r\n", body[end]) != NULL)
		end++;
	if (root == NULL || jerr != json_tokener_success || end != n) {
		LOG_INFO("JSON body does not parse: %s",
		    jerr == json_tokener_success ? "trailing data" : json_tokener_error_desc(jerr));
		return KESU_EINPUT;
	}
	if (!json_object_is_type(root, json_type_object)) {
		LOG_INFO("JSON body is not an object");
		return KESU_EINPUT;
	}
	if (!json_values_valid(root)) {
		LOG_INFO("JSON body has a string that is not valid UTF-8 or a number that is not finite");
		return KESU_EINPUT;
	}

	kv = arena_alloc(r->a, (size_t)json_object_object_length(root) * sizeof(*kv) + 1);
	json_object_object_foreach(root, key, member) {
		switch (json_object_get_type(member)) {
		case json_type_boolean:
			val = json_object_get_boolean(member) ? "1" : "0";
			break;
		case json_type_string:
		case json_type_int:
		case json_type_double:
			/* Numbers keep the text they were written with. */
			val = json_object_get_string(member);
			break;
		default:
			continue;  /* null, objects, arrays: only in r->json */
		}
		klen = strlen(key);
		vlen = json_object_is_type(member, json_type_string)
		    ? (size_t)json_object_get_string_len(member) : strlen(val);
		if (++count > lim->max_fields) {
			LOG_INFO("JSON body has over %zu fields", lim->max_fields);
			return KESU_ETOOBIG;
		}
		if (klen > lim->max_field || vlen > lim->max_field) {
			LOG_INFO("a JSON field over %zu bytes", lim->max_field);
			return KESU_ETOOBIG;
		}
		kv[r->nform].key = arena_strndup(r->a, key, klen);
		kv[r->nform].val = arena_strndup(r->a, val, vlen);
		kv[r->nform].len = vlen;
		r->nform++;
	}
	r->form = kv;
	r->json = root;
	r->body_json = 1;
	return KESU_OK;
}


/* The value of parameter name (e.g. boundary, filename) in a header value, quoted or not; NULL if absent. */
static const char *
header_param(struct arena *a, const char *h, size_t n, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < n; i++) {
		size_t j;
		if (h[i] != ';')
			continue;
		j = i + 1;
		while (j < n && (h[j] == ' ' || h[j] == '\t'))
			j++;
		if (j + nl + 1 > n || strncasecmp(h + j, name, nl) != 0 || h[j + nl] != '=')
			continue;
		j += nl + 1;
		if (j < n && h[j] == '"') {
			struct buf b;
			const char *v;
			buf_init(&b);
			for (j++; j < n && h[j] != '"'; j++) {
				if (h[j] == '\\' && j + 1 < n)
					j++;
				buf_putc(&b, h[j]);
			}
			v = arena_strndup(a, b.p != NULL ? b.p : "", b.len);
			buf_free(&b);
			return v;
		}
		{
			size_t e = j;
			while (e < n && h[e] != ';' && h[e] != ' ' && h[e] != '\t')
				e++;
			return arena_strndup(a, h + j, e - j);
		}
	}
	return NULL;
}

/*
 * multipart/form-data (RFC 7578): fields into r->form, files into r->uploads. Each part
 * needs a Content-Disposition with a name; a part with a filename is a file. KESU_EINPUT
 * when the body does not parse, KESU_ETOOBIG over the field or file limits.
 */
static int
parse_multipart(struct req *r, const char *body, size_t n, const struct req_limits *lim)
{
	const char *boundary = header_param(r->a, r->content_type, strlen(r->content_type), "boundary");
	char *delim;
	size_t dl, pos, nf = 0, nu = 0;
	struct kv *kv;
	struct upload *up;

	if (boundary == NULL || *boundary == '\0' || strlen(boundary) > 70) {
		LOG_INFO("multipart body without a usable boundary");
		return KESU_EINPUT;
	}
	delim = arena_printf(r->a, "\r\n--%s", boundary);
	dl = strlen(delim);
	/* The body opens with the delimiter (without its CRLF). */
	if (n < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0) {
		LOG_INFO("multipart body does not open with its boundary");
		return KESU_EINPUT;
	}
	kv = arena_alloc(r->a, (lim->max_fields + 1) * sizeof(*kv));
	up = arena_alloc(r->a, (lim->max_files + 1) * sizeof(*up));
	pos = dl - 2;
	for (;;) {
		const char *hdr, *hend, *data, *next;
		const char *name = NULL, *filename = NULL, *ctype = "";
		size_t hl;

		if (pos + 2 <= n && memcmp(body + pos, "--", 2) == 0)
			break;   /* the closing delimiter */
		if (pos + 2 > n || memcmp(body + pos, "\r\n", 2) != 0)
			return KESU_EINPUT;
		hdr = body + pos + 2;
		if ((hend = memmem(hdr, n - (size_t)(hdr - body), "\r\n\r\n", 4)) == NULL)
			return KESU_EINPUT;
		/* header lines */
		for (const char *l = hdr; l < hend; ) {
			const char *le = memmem(l, (size_t)(hend - l) + 2, "\r\n", 2);
			const char *colon;
			if (le == NULL)
				le = hend;
			hl = (size_t)(le - l);
			colon = memchr(l, ':', hl);
			if (colon != NULL) {
				size_t kl = (size_t)(colon - l);
				const char *val = colon + 1;
				size_t vl = hl - kl - 1;
				if (kl == 19 && strncasecmp(l, "Content-Disposition", 19) == 0) {
					/* header_param looks after a ';': the value starts "form-data;" */
					name = header_param(r->a, val, vl, "name");
					filename = header_param(r->a, val, vl, "filename");
				} else if (kl == 12 && strncasecmp(l, "Content-Type", 12) == 0) {
					while (vl > 0 && (*val == ' ' || *val == '\t')) {
						val++;
						vl--;
					}
					ctype = arena_strndup(r->a, val, vl);
				}
			}
			l = le + 2;
		}
		data = hend + 4;
		if ((next = memmem(data, n - (size_t)(data - body), delim, dl)) == NULL) {
			LOG_INFO("multipart part without a closing boundary");
			return KESU_EINPUT;
		}
		if (name == NULL || !utf8_valid(name, strlen(name)))
			return KESU_EINPUT;
		if (filename != NULL) {
			const char *slash;
			if (++nu > lim->max_files) {
				LOG_INFO("more than %zu files in one body", lim->max_files);
				return KESU_ETOOBIG;
			}
			/* Browsers on Windows once sent the whole path: keep the last part only. */
			if ((slash = strrchr(filename, '/')) != NULL)
				filename = slash + 1;
			if ((slash = strrchr(filename, '\\')) != NULL)
				filename = slash + 1;
			if (!utf8_valid(filename, strlen(filename)))
				return KESU_EINPUT;
			up[r->nuploads].field = name;
			up[r->nuploads].filename = filename;
			up[r->nuploads].ctype = ctype;
			up[r->nuploads].data = (const unsigned char *)data;
			up[r->nuploads].len = (size_t)(next - data);
			r->nuploads++;
		} else {
			size_t vl = (size_t)(next - data);
			if (++nf > lim->max_fields || vl > lim->max_field)
				return KESU_ETOOBIG;
			if (!utf8_valid(data, vl))
				return KESU_EINPUT;
			kv[r->nform].key = name;
			kv[r->nform].val = arena_strndup(r->a, data, vl);
			kv[r->nform].len = vl;
			r->nform++;
		}
		pos = (size_t)(next - body) + dl;
	}
	r->form = kv;
	r->uploads = up;
	return KESU_OK;
}

/*
 * Read the body announced by CONTENT_LENGTH (already checked against max_body)
 * into the arena, NUL-terminated. One byte more is asked for, to catch a body
 * longer than announced.
 */
static int
read_body(struct req *r, const struct req_src *src, size_t clen, const struct req_limits *lim,
    char **out)
{
	char *buf = arena_alloc(r->a, clen + 2);
	size_t got = 0;
	long n;

	while (got < clen + 1) {
		if ((n = src->read(src->ctx, buf + got, clen + 1 - got)) < 0) {
			LOG_INFO("reading the body failed");
			return KESU_EINPUT;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > clen) {
		LOG_INFO("body longer than its Content-Length %zu", clen);
		return clen + 1 > lim->max_body ? KESU_ETOOBIG : KESU_EINPUT;
	}
	if (got < clen) {
		LOG_INFO("body of %zu bytes, Content-Length %zu", got, clen);
		return KESU_EINPUT;
	}
	buf[got] = '\0';
	*out = buf;
	return KESU_OK;
}

/*
 * CONTENT_LENGTH as a number into *out: KESU_ETOOBIG over max (checked digit by
 * digit, so no overflow), KESU_EINPUT when it is not a number.
 */
static int
content_length(const char *s, size_t max, size_t *out)
{
	size_t v = 0;

	*out = 0;
	if (s == NULL || *s == '\0')
		return KESU_OK;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return KESU_EINPUT;
		v = v * 10 + (size_t)(*s - '0');
		if (v > max)
			return KESU_ETOOBIG;
	}
	*out = v;
	return KESU_OK;
}

/*
 * A parameter copied into the arena, or def when absent. Returns KESU_EINPUT
 * through *rc when the value is not valid UTF-8 (a header of any kind reaches
 * templates, logs and the audit table).
 */
static const char *
param(struct req *r, const struct req_src *src, const char *name, const char *def, int *rc)
{
	const char *v = src->param(src->ctx, name);

	if (v == NULL)
		return def;
	if (!utf8_valid(v, strlen(v))) {
		LOG_INFO("%s is not valid UTF-8", name);
		*rc = KESU_EINPUT;
		return def;
	}
	return arena_strdup(r->a, v);
}

int
req_parse(struct req *r, struct arena *a, const struct req_src *src, const struct req_limits *lim)
{
	const char *method, *accept, *cookie, *uri, *q;
	char *body;
	size_t clen, max_body = lim->max_body;
	int rc = KESU_OK;

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->query_string = "";
	crypto_random_hex(r->id, (sizeof(r->id) - 1) / 2);

	method = src->param(src->ctx, "REQUEST_METHOD");
	if (method == NULL)
		r->method = METHOD_OTHER;
	else if (strcmp(method, "GET") == 0)
		r->method = METHOD_GET;
	else if (strcmp(method, "HEAD") == 0)
		r->method = METHOD_HEAD;
	else if (strcmp(method, "POST") == 0)
		r->method = METHOD_POST;
	else
		r->method = METHOD_OTHER;

	/* nginx's DOCUMENT_URI is already decoded and normalised; REQUEST_URI is raw. */
	r->path = param(r, src, "DOCUMENT_URI", NULL, &rc);
	if (r->path == NULL && rc == KESU_OK &&
	    (uri = src->param(src->ctx, "REQUEST_URI")) != NULL) {
		q = strchr(uri, '?');
		r->path = pct_decode(a, uri, q != NULL ? (size_t)(q - uri) : strlen(uri), 0, NULL);
		if (r->path == NULL || !utf8_valid(r->path, strlen(r->path))) {
			LOG_INFO("REQUEST_URI is not a valid path");
			return KESU_EINPUT;
		}
	}
	if (r->path == NULL || *r->path == '\0')
		r->path = "/";
	r->query_string = param(r, src, "QUERY_STRING", "", &rc);
	r->remote_addr = param(r, src, "REMOTE_ADDR", "", &rc);
	r->host = param(r, src, "HTTP_HOST", "", &rc);
	r->content_type = param(r, src, "CONTENT_TYPE", "", &rc);
	r->accept_language = param(r, src, "HTTP_ACCEPT_LANGUAGE", "", &rc);
	r->user_agent = param(r, src, "HTTP_USER_AGENT", "", &rc);
	r->csrf_header = param(r, src, "HTTP_X_CSRF_TOKEN", NULL, &rc);
	accept = param(r, src, "HTTP_ACCEPT", "", &rc);
	cookie = param(r, src, "HTTP_COOKIE", "", &rc);
	q = src->param(src->ctx, "HTTPS");
	r->https = q != NULL && strcasecmp(q, "on") == 0;
	if (rc != KESU_OK)
		return rc;
	r->want_json = accept_json_first(accept);

	/* The body's size is checked before a byte of it is read; uploads may be larger. */
	{
		size_t pl = strlen(r->path);
		if (r->method == METHOD_POST && lim->max_upload > lim->max_body && pl > 12 &&
		    strcmp(r->path + pl - 12, "/attachments") == 0)
			max_body = lim->max_upload;
	}
	if ((rc = content_length(src->param(src->ctx, "CONTENT_LENGTH"), max_body, &clen))) {
		LOG_INFO("CONTENT_LENGTH refused (max_body %zu)", max_body);
		return rc;
	}
	if ((rc = parse_pairs(a, r->query_string, strlen(r->query_string), lim,
	    &r->query, &r->nquery)))
		return rc;
	if ((rc = parse_cookies(a, cookie, lim, &r->cookies, &r->ncookies)))
		return rc;

	if (clen == 0)
		return KESU_OK;
	/* Read whatever the type, so the FastCGI stream is drained before the response. */
	if ((rc = read_body(r, src, clen, lim, &body)))
		return rc;
	if (media_is(r->content_type, strlen(r->content_type), "application/x-www-form-urlencoded"))
		return parse_pairs(a, body, clen, lim, &r->form, &r->nform);
	if (media_is(r->content_type, strlen(r->content_type), "application/json"))
		return parse_json(r, body, clen, lim);
	if (media_is(r->content_type, strlen(r->content_type), "multipart/form-data"))
		return parse_multipart(r, body, clen, lim);
	/* Other types: the body is ignored and the handler finds no fields. */
	return KESU_OK;
}

/* The first value of key in kv[0..n), or NULL. */
static const char *
kv_find(const struct kv *kv, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].val;
	return NULL;
}

const char *
req_query(const struct req *r, const char *key)
{
	return kv_find(r->query, r->nquery, key);
}

const char *
req_form(const struct req *r, const char *key)
{
	return kv_find(r->form, r->nform, key);
}

const char *
req_cookie(const struct req *r, const char *key)
{
	return kv_find(r->cookies, r->ncookies, key);
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}
