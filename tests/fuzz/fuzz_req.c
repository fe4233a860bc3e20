/* fuzz_req.c: the request parser — query string, cookies, and a urlencoded, multipart or JSON body. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "req.h"

struct src {
	const char *query, *cookie, *ctype, *method;
	const char *body;
	size_t blen, off;
	char clen[32];
};

static const char *
param(void *ctx, const char *name)
{
	struct src *s = ctx;

	if (strcmp(name, "REQUEST_METHOD") == 0)
		return s->method;
	if (strcmp(name, "DOCUMENT_URI") == 0)
		return "/complaints/261130001/attachments";
	if (strcmp(name, "QUERY_STRING") == 0)
		return s->query;
	if (strcmp(name, "HTTP_COOKIE") == 0)
		return s->cookie;
	if (strcmp(name, "CONTENT_TYPE") == 0)
		return s->ctype;
	if (strcmp(name, "CONTENT_LENGTH") == 0)
		return s->clen;
	if (strcmp(name, "HTTP_ACCEPT") == 0)
		return "application/json";
	return NULL;
}

static long
readb(void *ctx, char *buf, size_t n)
{
	struct src *s = ctx;
	size_t left = s->blen - s->off;

	if (n > left)
		n = left;
	memcpy(buf, s->body + s->off, n);
	s->off += n;
	return (long)n;
}

/* The input: one byte choosing the body's type, then query \0 cookie \0 body. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "application/x-www-form-urlencoded", "application/json",
		"multipart/form-data; boundary=XyZ", "multipart/form-data; boundary=\"a b\"", "text/plain" };
	static const struct req_limits lim = { 65536, 65536, 4, 64, 8192, 16 };
	struct src s = { "", "", NULL, "POST", "", 0, 0, "0" };
	struct arena *a;
	struct req r;
	char *copy, *p, *end;
	struct req_src src = { param, readb, &s };

	if (size < 1)
		return 0;
	s.ctype = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	copy = malloc(size);
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = '\0';
	p = copy;
	end = copy + size - 1;
	s.query = p;
	p += strlen(p);
	if (p < end) {
		s.cookie = ++p;
		p += strlen(p);
	}
	if (p < end) {
		s.body = ++p;
		s.blen = (size_t)(end - p);
	}
	snprintf(s.clen, sizeof(s.clen), "%zu", s.blen);
	a = arena_new();
	(void)req_parse(&r, a, &src, &lim);
	arena_free(a);
	free(copy);
	return 0;
}
