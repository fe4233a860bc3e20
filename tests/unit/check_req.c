/* check_req.c: what req_parse accepts, how it decodes it, and what it refuses. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "req.h"

/* A request in memory: NULL-terminated name/value pairs and a body. */
struct memreq {
	const char *const *params;
	const char *body;
	size_t blen;
	size_t off;
	size_t chunk;   /* bytes per read; 0 = as many as asked */
	int reads;      /* read() calls */
	int fail;       /* read() returns -1 */
};

static struct arena *a;
static struct req r;
static struct memreq m;
static const struct req_limits lim = {
	.max_body = 1024, .max_fields = 8, .max_field = 64, .max_cookies = 4,
};

static void
setup(void)
{
	a = arena_new();
	memset(&r, 0, sizeof(r));
	memset(&m, 0, sizeof(m));
}

static void
teardown(void)
{
	arena_free(a);
}

static const char *
mem_param(void *ctx, const char *name)
{
	const struct memreq *mr = ctx;
	size_t i;

	for (i = 0; mr->params[i] != NULL; i += 2)
		if (strcmp(mr->params[i], name) == 0)
			return mr->params[i + 1];
	return NULL;
}

static long
mem_read(void *ctx, char *buf, size_t n)
{
	struct memreq *mr = ctx;
	size_t left = mr->blen - mr->off;

	mr->reads++;
	if (mr->fail)
		return -1;
	if (n > left)
		n = left;
	if (mr->chunk != 0 && n > mr->chunk)
		n = mr->chunk;
	memcpy(buf, mr->body + mr->off, n);
	mr->off += n;
	return (long)n;
}

/* Parse params (and body, if any) with the suite's limits. */
static int
parse_lim(const char *const *params, const char *body, const struct req_limits *l)
{
	struct req_src src = { mem_param, mem_read, &m };

	m.params = params;
	m.body = body != NULL ? body : "";
	m.blen = strlen(m.body);
	m.off = 0;
	m.reads = 0;
	return req_parse(&r, a, &src, l);
}

static int
parse(const char *const *params, const char *body)
{
	return parse_lim(params, body, &lim);
}

/* A GET with just a query string. */
static int
parse_query(const char *qs)
{
	const char *p[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/", "QUERY_STRING", qs, NULL };

	return parse(p, NULL);
}

/* A POST of body with content type ct and a truthful Content-Length. */
static int
parse_post(const char *ct, const char *body)
{
	char len[32];
	const char *p[] = { "REQUEST_METHOD", "POST", "DOCUMENT_URI", "/x", "CONTENT_TYPE", ct,
	    "CONTENT_LENGTH", len, NULL };

	snprintf(len, sizeof(len), "%zu", strlen(body));
	return parse(p, body);
}

static int
parse_cookie(const char *cookie)
{
	const char *p[] = { "REQUEST_METHOD", "GET", "HTTP_COOKIE", cookie, NULL };

	return parse(p, NULL);
}

static int
parse_accept(const char *accept)
{
	const char *p[] = { "REQUEST_METHOD", "GET", "HTTP_ACCEPT", accept, NULL };

	ck_assert_int_eq(parse(p, NULL), KESU_OK);
	return r.want_json;
}

START_TEST(test_methods_map_to_the_enum)
{
	static const struct { const char *name; enum method m; } t[] = {
		{ "GET", METHOD_GET }, { "HEAD", METHOD_HEAD }, { "POST", METHOD_POST },
		{ "PUT", METHOD_OTHER }, { "get", METHOD_OTHER }, { "DELETE", METHOD_OTHER },
	};
	const char *p[] = { "REQUEST_METHOD", NULL, NULL };
	const char *none[] = { NULL };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		p[1] = t[i].name;
		ck_assert_int_eq(parse(p, NULL), KESU_OK);
		ck_assert_int_eq(r.method, t[i].m);
	}
	ck_assert_int_eq(parse(none, NULL), KESU_OK);
	ck_assert_int_eq(r.method, METHOD_OTHER);
}
END_TEST

START_TEST(test_path_from_document_uri_else_request_uri)
{
	const char *doc[] = { "DOCUMENT_URI", "/complaints/261123001",
	    "REQUEST_URI", "/ignored?x=1", NULL };
	const char *raw[] = { "REQUEST_URI", "/a%20b/c+d?x=1", NULL };
	const char *none[] = { NULL };
	const char *bad[] = { "REQUEST_URI", "/a%2", NULL };

	ck_assert_int_eq(parse(doc, NULL), KESU_OK);
	ck_assert_str_eq(r.path, "/complaints/261123001");
	ck_assert_int_eq(parse(raw, NULL), KESU_OK);
	ck_assert_str_eq(r.path, "/a b/c+d");   /* '+' is literal in a path */
	ck_assert_int_eq(parse(none, NULL), KESU_OK);
	ck_assert_str_eq(r.path, "/");
	ck_assert_str_eq(r.query_string, "");
	ck_assert_int_eq(parse(bad, NULL), KESU_EINPUT);
}
END_TEST

START_TEST(test_query_decodes_plus_percent_and_utf8)
{
	ck_assert_int_eq(parse_query("a=1+2&b=%20x&c=%E4%B8%AD&d&e=&=skip&&f%5B%5D=%2B"), KESU_OK);
	ck_assert_str_eq(r.query_string, "a=1+2&b=%20x&c=%E4%B8%AD&d&e=&=skip&&f%5B%5D=%2B");
	ck_assert_uint_eq(r.nquery, 6);
	ck_assert_str_eq(req_query(&r, "a"), "1 2");
	ck_assert_str_eq(req_query(&r, "b"), " x");
	ck_assert_str_eq(req_query(&r, "c"), "中");
	ck_assert_uint_eq(r.query[2].len, 3);
	ck_assert_str_eq(req_query(&r, "d"), "");
	ck_assert_str_eq(req_query(&r, "e"), "");
	ck_assert_str_eq(req_query(&r, "f[]"), "+");
	ck_assert_ptr_null(req_query(&r, "zz"));
	ck_assert_ptr_null(req_query(&r, ""));
}
END_TEST

START_TEST(test_repeated_keys_keep_their_order)
{
	ck_assert_int_eq(parse_query("a=1&b=x&a=2&a=3"), KESU_OK);
	ck_assert_uint_eq(r.nquery, 4);
	ck_assert_str_eq(r.query[0].key, "a");
	ck_assert_str_eq(r.query[0].val, "1");
	ck_assert_str_eq(r.query[2].val, "2");
	ck_assert_str_eq(r.query[3].val, "3");
	ck_assert_str_eq(req_query(&r, "a"), "1");

	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "t=1&t=2"), KESU_OK);
	ck_assert_uint_eq(r.nform, 2);
	ck_assert_str_eq(r.form[0].val, "1");
	ck_assert_str_eq(r.form[1].val, "2");
}
END_TEST

START_TEST(test_broken_percent_escapes_are_refused)
{
	static const char *const bad[] = { "a=%", "a=%4", "a=%zz", "a=%G0", "a=1%", "%=1", "a%2=1",
	    "a=%%41" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_query(bad[i]) == KESU_EINPUT, "%s accepted", bad[i]);
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=%x1"), KESU_EINPUT);
}
END_TEST

START_TEST(test_invalid_utf8_in_query_is_refused)
{
	static const char *const bad[] = {
		"a=%C0%80",        /* overlong NUL */
		"a=%C1%BF",        /* overlong */
		"a=%E0%80%AF",     /* overlong '/' */
		"a=%F0%80%80%80",  /* overlong */
		"a=%ED%A0%80",     /* surrogate U+D800 */
		"a=%ED%BF%BF",     /* surrogate U+DFFF */
		"a=%F4%90%80%80",  /* above U+10FFFF */
		"a=%E4%B8",        /* truncated */
		"a=%E4%B8x",       /* truncated, then ASCII */
		"a=%F0%9F%98",     /* truncated four-byte */
		"a=%80",           /* lone continuation */
		"a=%FF", "a=%FE", "a=%F5%80%80%80",
		"a=%00",           /* NUL */
		"%ED%A0%80=1",     /* in the key */
		"a=\xC0\x80",      /* raw bytes */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_query(bad[i]) == KESU_EINPUT, "%s accepted", bad[i]);
	/* The edges that are valid. */
	ck_assert_int_eq(parse_query("a=%F4%8F%BF%BF&b=%EE%80%80&c=%ED%9F%BF&d=%F0%9F%98%80&e=%C2%80"),
	    KESU_OK);
	ck_assert_str_eq(req_query(&r, "d"), "\xF0\x9F\x98\x80");
}
END_TEST

START_TEST(test_utf8_valid_is_strict)
{
	static const struct { const char *s; size_t n; int ok; } t[] = {
		{ "", 0, 1 }, { "abc", 3, 1 }, { "中文", 6, 1 }, { "\xC2\xA9", 2, 1 },
		{ "\xEF\xBF\xBF", 3, 1 }, { "\xF4\x8F\xBF\xBF", 4, 1 },
		{ "a\0b", 3, 0 }, { "\xC0\x80", 2, 0 }, { "\xC1\x81", 2, 0 }, { "\xE0\x9F\xBF", 3, 0 },
		{ "\xF0\x8F\xBF\xBF", 4, 0 }, { "\xED\xA0\x80", 3, 0 }, { "\xED\xB0\x80", 3, 0 },
		{ "\xF4\x90\x80\x80", 4, 0 }, { "\xF8\x88\x80\x80\x80", 5, 0 }, { "\x80", 1, 0 },
		{ "\xE4\xB8", 2, 0 }, { "\xE4\x41\xAD", 3, 0 }, { "\xFF", 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(utf8_valid(t[i].s, t[i].n) == t[i].ok, "case %zu", i);
	/* Only n bytes are looked at. */
	ck_assert_int_eq(utf8_valid("ab\xFF", 2), 1);
}
END_TEST

START_TEST(test_url_decode_returns_length_and_null_when_malformed)
{
	size_t n = 99;
	char *s = url_decode(a, "a+b%2Bc%00d", 11, &n);

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(n, 7);
	ck_assert_mem_eq(s, "a b+c\0d", 8);
	ck_assert_ptr_null(url_decode(a, "%4", 2, &n));
	/* Only n bytes are decoded. */
	ck_assert_str_eq(url_decode(a, "ab%41", 2, NULL), "ab");
}
END_TEST

START_TEST(test_form_body_is_decoded)
{
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded",
	    "title=%E5%99%AA%E5%A3%B0+noise&qty=3"), KESU_OK);
	ck_assert_int_eq(r.method, METHOD_POST);
	ck_assert_uint_eq(r.nform, 2);
	ck_assert_str_eq(req_form(&r, "title"), "噪声 noise");
	ck_assert_str_eq(req_form(&r, "qty"), "3");
	ck_assert_int_eq(r.body_json, 0);
	ck_assert_ptr_null(r.json);

	ck_assert_int_eq(parse_post("Application/X-WWW-Form-Urlencoded; charset=UTF-8", "a=1"), KESU_OK);
	ck_assert_str_eq(req_form(&r, "a"), "1");
}
END_TEST

START_TEST(test_invalid_utf8_in_form_is_refused)
{
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=%C0%80"), KESU_EINPUT);
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=%ED%A0%80"), KESU_EINPUT);
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=%E4%B8"), KESU_EINPUT);
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=\xE4\xB8"), KESU_EINPUT);
}
END_TEST

START_TEST(test_body_is_read_in_pieces)
{
	m.chunk = 1;
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=1&b=22"), KESU_OK);
	ck_assert_str_eq(req_form(&r, "b"), "22");
	ck_assert_int_ge(m.reads, 8);
}
END_TEST

START_TEST(test_other_content_types_leave_the_body_alone)
{
	ck_assert_int_eq(parse_post("text/plain", "a=1"), KESU_OK);
	ck_assert_uint_eq(r.nform, 0);
	ck_assert_ptr_null(r.json);
	ck_assert_str_eq(r.content_type, "text/plain");
	ck_assert_int_ge(m.reads, 1);   /* read all the same, so the stream is drained */
}
END_TEST

START_TEST(test_body_over_max_body_is_refused_without_reading)
{
	const char *p[] = { "REQUEST_METHOD", "POST", "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", "1025", NULL };
	const char *huge[] = { "REQUEST_METHOD", "POST", "CONTENT_LENGTH",
	    "99999999999999999999999999999999", NULL };
	const char *exact[] = { "REQUEST_METHOD", "POST", "CONTENT_TYPE", "text/plain",
	    "CONTENT_LENGTH", "1024", NULL };
	static char body[1025];

	memset(body, 'x', 1024);
	ck_assert_int_eq(parse(p, body), KESU_ETOOBIG);
	ck_assert_int_eq(m.reads, 0);
	ck_assert_int_eq(parse(huge, ""), KESU_ETOOBIG);
	ck_assert_int_eq(m.reads, 0);
	ck_assert_int_eq(parse(exact, body), KESU_OK);
}
END_TEST

START_TEST(test_content_length_must_tell_the_truth)
{
	const char *shortlen[] = { "REQUEST_METHOD", "POST", "CONTENT_TYPE",
	    "application/x-www-form-urlencoded", "CONTENT_LENGTH", "3", NULL };
	const char *longlen[] = { "REQUEST_METHOD", "POST", "CONTENT_TYPE",
	    "application/x-www-form-urlencoded", "CONTENT_LENGTH", "10", NULL };
	const char *atmax[] = { "REQUEST_METHOD", "POST", "CONTENT_LENGTH", "1024", NULL };
	const char *nan[] = { "REQUEST_METHOD", "POST", "CONTENT_LENGTH", "12a", NULL };
	const char *neg[] = { "REQUEST_METHOD", "POST", "CONTENT_LENGTH", "-1", NULL };
	static char body[1100];

	/* More bytes than announced: refused, and never more than one extra byte read. */
	ck_assert_int_eq(parse(shortlen, "a=1&b=2"), KESU_EINPUT);
	ck_assert_uint_eq(m.off, 4);
	ck_assert_int_eq(parse(longlen, "a=1"), KESU_EINPUT);
	memset(body, 'x', sizeof(body) - 1);
	ck_assert_int_eq(parse(atmax, body), KESU_ETOOBIG);
	ck_assert_uint_eq(m.off, 1025);
	ck_assert_int_eq(parse(nan, "x"), KESU_EINPUT);
	ck_assert_int_eq(parse(neg, "x"), KESU_EINPUT);
	ck_assert_int_eq(m.reads, 0);
}
END_TEST

START_TEST(test_body_read_error_is_refused)
{
	m.fail = 1;
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a=1"), KESU_EINPUT);
}
END_TEST

START_TEST(test_too_many_fields_are_refused)
{
	/* lim.max_fields is 8. */
	ck_assert_int_eq(parse_query("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8"), KESU_OK);
	ck_assert_uint_eq(r.nquery, 8);
	ck_assert_int_eq(parse_query("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9"), KESU_ETOOBIG);
	ck_assert_int_eq(parse_query("a&&&&&&&&&&&&&&&&b"), KESU_OK);   /* empty pieces are no fields */
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", "a&b&c&d&e&f&g&h&i"),
	    KESU_ETOOBIG);
}
END_TEST

START_TEST(test_a_field_too_long_is_refused)
{
	char q[512];

	/* lim.max_field is 64 decoded bytes. */
	strcpy(q, "a=");
	memset(q + 2, 'x', 64);
	q[66] = '\0';
	ck_assert_int_eq(parse_query(q), KESU_OK);
	ck_assert_uint_eq(r.query[0].len, 64);
	strcat(q, "x");
	ck_assert_int_eq(parse_query(q), KESU_ETOOBIG);
	/* The decoded size counts: 64 x "%41" is 192 bytes on the wire, 64 decoded. */
	strcpy(q, "a=");
	for (int i = 0; i < 64; i++)
		strcat(q, "%41");
	ck_assert_int_eq(parse_query(q), KESU_OK);
	strcat(q, "%41");
	ck_assert_int_eq(parse_query(q), KESU_ETOOBIG);
	/* Keys too. */
	memset(q, 'k', 65);
	strcpy(q + 65, "=1");
	ck_assert_int_eq(parse_query(q), KESU_ETOOBIG);
	ck_assert_int_eq(parse_post("application/x-www-form-urlencoded", q), KESU_ETOOBIG);
}
END_TEST

START_TEST(test_cookies_are_split_and_trimmed_not_decoded)
{
	ck_assert_int_eq(parse_cookie("a=1; b=2;  sid = ab%20c ;novalue; =x;;c="), KESU_OK);
	ck_assert_uint_eq(r.ncookies, 4);
	ck_assert_str_eq(req_cookie(&r, "a"), "1");
	ck_assert_str_eq(req_cookie(&r, "b"), "2");
	ck_assert_str_eq(req_cookie(&r, "sid"), "ab%20c");
	ck_assert_uint_eq(r.cookies[2].len, 6);
	ck_assert_str_eq(req_cookie(&r, "c"), "");
	ck_assert_ptr_null(req_cookie(&r, "novalue"));
	ck_assert_int_eq(parse_cookie("k=v=w"), KESU_OK);
	ck_assert_str_eq(req_cookie(&r, "k"), "v=w");
	ck_assert_int_eq(parse_cookie("a=1; a=2"), KESU_OK);
	ck_assert_str_eq(req_cookie(&r, "a"), "1");
}
END_TEST

START_TEST(test_invalid_utf8_in_cookie_is_refused)
{
	ck_assert_int_eq(parse_cookie("a=\xC0\x80"), KESU_EINPUT);
	ck_assert_int_eq(parse_cookie("a=\xED\xA0\x80"), KESU_EINPUT);
	ck_assert_int_eq(parse_cookie("a=1; b=\xE4\xB8"), KESU_EINPUT);
	ck_assert_int_eq(parse_cookie("\xFF=1"), KESU_EINPUT);
	ck_assert_int_eq(parse_cookie("名=中"), KESU_OK);
	ck_assert_str_eq(req_cookie(&r, "名"), "中");
}
END_TEST

START_TEST(test_too_many_or_too_long_cookies_are_refused)
{
	char c[128];

	ck_assert_int_eq(parse_cookie("a=1; b=2; c=3; d=4"), KESU_OK);
	ck_assert_int_eq(parse_cookie("a=1; b=2; c=3; d=4; e=5"), KESU_ETOOBIG);
	strcpy(c, "a=");
	memset(c + 2, 'x', 65);
	c[67] = '\0';
	ck_assert_int_eq(parse_cookie(c), KESU_ETOOBIG);
}
END_TEST

START_TEST(test_json_object_scalars_become_form_fields)
{
	ck_assert_int_eq(parse_post("application/json",
	    "{\"title\":\"噪声\",\"n\":42,\"big\":-9007199254740993,\"x\":1.50,\"ok\":true,"
	    "\"no\":false,\"nil\":null,\"arr\":[1,2],\"obj\":{\"a\":1},\"esc\":\"a\\u4e2d\\n\"}\n"),
	    KESU_OK);
	ck_assert_int_eq(r.body_json, 1);
	ck_assert_ptr_nonnull(r.json);
	ck_assert_uint_eq(r.nform, 7);
	ck_assert_str_eq(req_form(&r, "title"), "噪声");
	ck_assert_str_eq(req_form(&r, "n"), "42");
	ck_assert_str_eq(req_form(&r, "big"), "-9007199254740993");
	ck_assert_str_eq(req_form(&r, "x"), "1.50");
	ck_assert_str_eq(req_form(&r, "ok"), "1");
	ck_assert_str_eq(req_form(&r, "no"), "0");
	ck_assert_str_eq(req_form(&r, "esc"), "a中\n");
	ck_assert_ptr_null(req_form(&r, "nil"));
	ck_assert_ptr_null(req_form(&r, "arr"));
	ck_assert_ptr_null(req_form(&r, "obj"));
	/* Members keep their order. */
	ck_assert_str_eq(r.form[0].key, "title");
	ck_assert_str_eq(r.form[6].key, "esc");
	/* Nested values stay reachable through r->json. */
	struct json_object *arr;
	ck_assert(json_object_object_get_ex(r.json, "arr", &arr));
	ck_assert_uint_eq(json_object_array_length(arr), 2);
}
END_TEST

START_TEST(test_json_with_charset_and_empty_object)
{
	ck_assert_int_eq(parse_post("application/json; charset=utf-8", "{\"a\":\"b\"}"), KESU_OK);
	ck_assert_str_eq(req_form(&r, "a"), "b");
	ck_assert_int_eq(parse_post("application/json", " { } "), KESU_OK);
	ck_assert_uint_eq(r.nform, 0);
	ck_assert_int_eq(r.body_json, 1);
}
END_TEST

START_TEST(test_json_that_is_not_an_object_is_refused)
{
	static const char *const bad[] = {
		"[1,2]", "\"s\"", "42", "null", "true",
		"{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":1}{\"b\":2}",
		"{\"a\":01}", "{a:1}", "",
		/* json-c takes these even when strict; req.c refuses them. */
		"{\"a\":NaN}", "{\"a\":-Infinity}", "{\"a\":1e999}", "{\"a\":[Infinity]}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse_post("application/json", bad[i]);
		ck_assert_msg(rc == KESU_EINPUT || (bad[i][0] == '\0' && rc == KESU_OK),
		    "%s gave %d", bad[i], rc);
	}
}
END_TEST

START_TEST(test_json_nesting_is_limited)
{
	char deep[512];
	size_t i, d = 100;

	/* A few levels are fine. */
	ck_assert_int_eq(parse_post("application/json", "{\"a\":{\"b\":[[{\"c\":[1]}]]}}"), KESU_OK);
	deep[0] = '{';
	strcpy(deep + 1, "\"a\":");
	for (i = 0; i < d; i++)
		deep[5 + i] = '[';
	for (i = 0; i < d; i++)
		deep[5 + d + i] = ']';
	strcpy(deep + 5 + 2 * d, "}");
	ck_assert_int_eq(parse_post("application/json", deep), KESU_EINPUT);
}
END_TEST

START_TEST(test_invalid_utf8_in_json_is_refused)
{
	static const char *const bad[] = {
		"{\"a\":\"\xC0\x80\"}",          /* overlong, raw */
		"{\"a\":\"\xED\xA0\x80\"}",      /* surrogate, raw */
		"{\"a\":\"\xE4\xB8\"}",          /* truncated, raw */
		"{\"a\":\"x\xF0\x9F\x98\"}",     /* truncated four-byte, raw */
		"{\"\xC0\x80\":1}",              /* in a key */
		"{\"a\":[\"\xED\xA0\x80\"]}",    /* nested */
		"{\"a\":\"\\u0000\"}",           /* NUL through an escape */
		"{\"a\":{\"b\":\"x\\u0000y\"}}", /* nested NUL */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse_post("application/json", bad[i]) == KESU_EINPUT, "case %zu accepted", i);
	/* json-c turns a lone surrogate escape into U+FFFD: valid, so accepted as such. */
	ck_assert_int_eq(parse_post("application/json", "{\"a\":\"\\ud800\",\"b\":\"\\udc00x\"}"),
	    KESU_OK);
	ck_assert_str_eq(req_form(&r, "a"), "\xEF\xBF\xBD");
	ck_assert_str_eq(req_form(&r, "b"), "\xEF\xBF\xBDx");
	/* A proper surrogate pair is a character. */
	ck_assert_int_eq(parse_post("application/json", "{\"a\":\"\\ud83d\\ude00\"}"), KESU_OK);
	ck_assert_str_eq(req_form(&r, "a"), "\xF0\x9F\x98\x80");
}
END_TEST

START_TEST(test_json_caps_fields_and_field_size)
{
	char body[256];

	ck_assert_int_eq(parse_post("application/json",
	    "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8}"), KESU_OK);
	ck_assert_int_eq(parse_post("application/json",
	    "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9}"), KESU_ETOOBIG);
	/* Non-scalars do not count as fields. */
	ck_assert_int_eq(parse_post("application/json",
	    "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":[],\"j\":null}"),
	    KESU_OK);
	strcpy(body, "{\"a\":\"");
	memset(body + 6, 'x', 65);
	strcpy(body + 71, "\"}");
	ck_assert_int_eq(parse_post("application/json", body), KESU_ETOOBIG);
}
END_TEST

START_TEST(test_want_json_when_json_comes_before_html)
{
	const char *none[] = { NULL };

	ck_assert_int_eq(parse_accept("application/json"), 1);
	ck_assert_int_eq(parse_accept("application/json, text/html"), 1);
	ck_assert_int_eq(parse_accept("Application/JSON;q=0.9"), 1);
	ck_assert_int_eq(parse_accept("text/plain, application/json;q=1"), 1);
	ck_assert_int_eq(parse_accept("text/html, application/json"), 0);
	ck_assert_int_eq(parse_accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
	    0);
	ck_assert_int_eq(parse_accept("*/*"), 0);
	ck_assert_int_eq(parse_accept("application/jsonx"), 0);
	ck_assert_int_eq(parse_accept(""), 0);
	ck_assert_int_eq(parse(none, NULL), KESU_OK);
	ck_assert_int_eq(r.want_json, 0);
}
END_TEST

START_TEST(test_headers_and_request_id)
{
	const char *p[] = { "REQUEST_METHOD", "GET", "REMOTE_ADDR", "10.0.0.7", "HTTP_HOST", "kesu.lan",
	    "HTTP_ACCEPT_LANGUAGE", "zh-CN,zh;q=0.9", "HTTP_USER_AGENT", "Mozilla/5.0",
	    "HTTP_X_CSRF_TOKEN", "tok", "HTTPS", "on", NULL };
	const char *plain[] = { "REQUEST_METHOD", "GET", NULL };
	char first[17];
	size_t i;

	ck_assert_int_eq(parse(p, NULL), KESU_OK);
	ck_assert_str_eq(r.remote_addr, "10.0.0.7");
	ck_assert_str_eq(r.host, "kesu.lan");
	ck_assert_str_eq(r.accept_language, "zh-CN,zh;q=0.9");
	ck_assert_str_eq(r.user_agent, "Mozilla/5.0");
	ck_assert_str_eq(r.csrf_header, "tok");
	ck_assert_int_eq(r.https, 1);
	ck_assert_ptr_eq(r.a, a);
	ck_assert_uint_eq(strlen(r.id), 16);
	for (i = 0; i < 16; i++)
		ck_assert(strchr("0123456789abcdefABCDEF", r.id[i]) != NULL);
	memcpy(first, r.id, sizeof(first));

	ck_assert_int_eq(parse(plain, NULL), KESU_OK);
	ck_assert_str_ne(r.id, first);
	ck_assert_int_eq(r.https, 0);
	ck_assert_ptr_null(r.csrf_header);
	ck_assert_ptr_null(r.sess);
	ck_assert_str_eq(r.remote_addr, "");
}
END_TEST

START_TEST(test_invalid_utf8_in_a_header_is_refused)
{
	const char *ua[] = { "REQUEST_METHOD", "GET", "HTTP_USER_AGENT", "x\xC0\x80", NULL };
	const char *path[] = { "REQUEST_METHOD", "GET", "DOCUMENT_URI", "/\xED\xA0\x80", NULL };

	ck_assert_int_eq(parse(ua, NULL), KESU_EINPUT);
	ck_assert_int_eq(parse(path, NULL), KESU_EINPUT);
}
END_TEST


static const struct req_limits up_lim = {
	.max_body = 1024, .max_upload = 4096, .max_files = 2, .max_fields = 8, .max_field = 64,
	.max_cookies = 4,
};

/* A multipart POST to path with boundary "XyZ". */
static int
parse_multi(const char *path, const char *ct, const char *body)
{
	char len[32];
	const char *p[] = { "REQUEST_METHOD", "POST", "DOCUMENT_URI", path, "CONTENT_TYPE", ct,
	    "CONTENT_LENGTH", len, NULL };

	snprintf(len, sizeof(len), "%zu", strlen(body));
	return parse_lim(p, body, &up_lim);
}

#define PART_FIELD(name, val) "--XyZ\r\nContent-Disposition: form-data; name=\"" name "\"\r\n\r\n" val "\r\n"

START_TEST(test_multipart_fields_and_files)
{
	const char *body = PART_FIELD("csrf_token", "abc")
	    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\fotos\\\\照片.jpg\"\r\n"
	    "Content-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\x01\r\n--inside\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"department\"\r\n\r\nquality\r\n--XyZ--\r\n";

	ck_assert_int_eq(parse_multi("/complaints/1/attachments", "multipart/form-data; boundary=XyZ", body), KESU_OK);
	ck_assert_str_eq(req_form(&r, "csrf_token"), "abc");
	ck_assert_str_eq(req_form(&r, "department"), "quality");
	ck_assert_uint_eq(r.nuploads, 1);
	ck_assert_str_eq(r.uploads[0].field, "file");
	ck_assert_str_eq(r.uploads[0].filename, "照片.jpg");
	ck_assert_str_eq(r.uploads[0].ctype, "image/jpeg");
	/* the file ends before the CRLF of the next delimiter; "--inside" is data */
	ck_assert_uint_eq(r.uploads[0].len, 14);
	ck_assert_int_eq(memcmp(r.uploads[0].data, "\xFF\xD8\xFF\x01\r\n--inside", 14), 0);
	/* a quoted boundary */
	ck_assert_int_eq(parse_multi("/x", "multipart/form-data; boundary=\"XyZ\"", PART_FIELD("a", "1") "--XyZ--"),
	    KESU_OK);
	ck_assert_str_eq(req_form(&r, "a"), "1");
	ck_assert_uint_eq(r.nuploads, 0);
}
END_TEST

START_TEST(test_multipart_that_does_not_parse_is_refused)
{
	const char *ct = "multipart/form-data; boundary=XyZ";

	ck_assert_int_eq(parse_multi("/x", "multipart/form-data", PART_FIELD("a", "1") "--XyZ--"), KESU_EINPUT);
	ck_assert_int_eq(parse_multi("/x", ct, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"),
	    KESU_EINPUT);
	ck_assert_int_eq(parse_multi("/x", ct, "preamble" PART_FIELD("a", "1") "--XyZ--"), KESU_EINPUT);
	ck_assert_int_eq(parse_multi("/x", ct, "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--"), KESU_EINPUT);
	ck_assert_int_eq(parse_multi("/x", ct, PART_FIELD("a", "\xC0\x80") "--XyZ--"), KESU_EINPUT);
}
END_TEST

START_TEST(test_multipart_limits_files_and_the_upload_path_alone_takes_more)
{
	const char *ct = "multipart/form-data; boundary=XyZ";
	static char body[3000];
	const char *file = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\n\r\n%PDF-1\r\n";

	snprintf(body, sizeof(body), "%s%s%s--XyZ--", file, file, file);
	ck_assert_int_eq(parse_multi("/complaints/1/attachments", ct, body), KESU_ETOOBIG);
	/* 2,000 bytes: over max_body, under max_upload */
	snprintf(body, sizeof(body), "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.pdf\"\r\n\r\n");
	memset(body + strlen(body), 'x', 2000);
	strcpy(body + strlen(body), "\r\n--XyZ--");
	ck_assert_int_eq(parse_multi("/complaints/1/attachments", ct, body), KESU_OK);
	ck_assert_uint_eq(r.nuploads, 1);
	ck_assert_uint_eq(r.uploads[0].len, 2000);
	ck_assert_int_eq(parse_multi("/complaints/1/action", ct, body), KESU_ETOOBIG);
}
END_TEST

static Suite *
req_suite(void)
{
	Suite *s = suite_create("req");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_methods_map_to_the_enum);
	tcase_add_test(tc, test_path_from_document_uri_else_request_uri);
	tcase_add_test(tc, test_query_decodes_plus_percent_and_utf8);
	tcase_add_test(tc, test_repeated_keys_keep_their_order);
	tcase_add_test(tc, test_broken_percent_escapes_are_refused);
	tcase_add_test(tc, test_invalid_utf8_in_query_is_refused);
	tcase_add_test(tc, test_utf8_valid_is_strict);
	tcase_add_test(tc, test_url_decode_returns_length_and_null_when_malformed);
	tcase_add_test(tc, test_form_body_is_decoded);
	tcase_add_test(tc, test_invalid_utf8_in_form_is_refused);
	tcase_add_test(tc, test_body_is_read_in_pieces);
	tcase_add_test(tc, test_other_content_types_leave_the_body_alone);
	tcase_add_test(tc, test_body_over_max_body_is_refused_without_reading);
	tcase_add_test(tc, test_content_length_must_tell_the_truth);
	tcase_add_test(tc, test_body_read_error_is_refused);
	tcase_add_test(tc, test_too_many_fields_are_refused);
	tcase_add_test(tc, test_a_field_too_long_is_refused);
	tcase_add_test(tc, test_cookies_are_split_and_trimmed_not_decoded);
	tcase_add_test(tc, test_invalid_utf8_in_cookie_is_refused);
	tcase_add_test(tc, test_too_many_or_too_long_cookies_are_refused);
	tcase_add_test(tc, test_json_object_scalars_become_form_fields);
	tcase_add_test(tc, test_json_with_charset_and_empty_object);
	tcase_add_test(tc, test_json_that_is_not_an_object_is_refused);
	tcase_add_test(tc, test_json_nesting_is_limited);
	tcase_add_test(tc, test_invalid_utf8_in_json_is_refused);
	tcase_add_test(tc, test_json_caps_fields_and_field_size);
	tcase_add_test(tc, test_want_json_when_json_comes_before_html);
	tcase_add_test(tc, test_headers_and_request_id);
	tcase_add_test(tc, test_invalid_utf8_in_a_header_is_refused);
	tcase_add_test(tc, test_multipart_fields_and_files);
	tcase_add_test(tc, test_multipart_that_does_not_parse_is_refused);
	tcase_add_test(tc, test_multipart_limits_files_and_the_upload_path_alone_takes_more);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(req_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
