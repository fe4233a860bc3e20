/* req.h: one HTTP request as the handlers see it — validated, typed, allocated in the request's arena. */
#ifndef KESU_REQ_H
#define KESU_REQ_H

#include <stddef.h>
#include <json-c/json.h>
#include "arena.h"
#include "kesu.h"

enum method { METHOD_GET, METHOD_HEAD, METHOD_POST, METHOD_OTHER };

struct kv {
	const char *key;
	const char *val;   /* NUL-terminated, valid UTF-8 */
	size_t len;        /* strlen(val) */
};

/* Where a request comes from: FastCGI in the server, plain memory in tests. */
struct req_src {
	/* The CGI/FastCGI parameter (REQUEST_METHOD, DOCUMENT_URI, HTTP_COOKIE...), or NULL. */
	const char *(*param)(void *ctx, const char *name);
	/* Read up to n body bytes into buf; returns the count, 0 at the end, -1 on error. */
	long (*read)(void *ctx, char *buf, size_t n);
	void *ctx;
};

struct req_limits {
	size_t max_body;     /* bytes; a larger CONTENT_LENGTH is refused before reading */
	size_t max_upload;   /* bytes of a multipart POST to a path ending in "/attachments" (0: max_body) */
	size_t max_files;    /* files in one multipart body */
	size_t max_fields;   /* query + form fields each */
	size_t max_field;    /* bytes of one decoded value */
	size_t max_cookies;
};

/* A file of a multipart/form-data body. Nothing in it is trusted: the type is sniffed later. */
struct upload {
	const char *field;          /* the form field's name */
	const char *filename;       /* as sent, any directory part removed; valid UTF-8 */
	const char *ctype;          /* as sent */
	const unsigned char *data;  /* in the arena */
	size_t len;
};

struct session;

struct req {
	struct arena *a;
	enum method method;
	const char *path;          /* DOCUMENT_URI, e.g. "/complaints/261123001" */
	const char *query_string;  /* raw, "" when none */
	const char *remote_addr;
	const char *host;
	const char *content_type;
	const char *accept_language;
	const char *user_agent;
	const char *csrf_header;   /* X-CSRF-Token, or NULL */
	int https;                 /* served over TLS (HTTPS=on from nginx) */
	int want_json;             /* Accept names application/json before text/html */
	int body_json;             /* the body was a JSON object */
	char id[17];               /* request id: 16 hex digits */

	struct kv *query; size_t nquery;
	struct kv *form; size_t nform;     /* urlencoded body, or the JSON object's scalar members */
	struct kv *cookies; size_t ncookies;
	struct json_object *json;  /* the parsed JSON body (freed with the arena), or NULL */
	struct upload *uploads; size_t nuploads;  /* the files of a multipart/form-data body */

	/* Filled in by the router and the session layer. */
	const char *arg;           /* the path's variable part, e.g. the complaint number */
	const void *step;          /* the route's step, when a table entry declares it (ed.h), or NULL */
	struct session *sess;      /* NULL when not signed in */
	int lang;                  /* enum lang */

	/* Filled in by a write that cannot be done (step.h): {field: text}, and why in words. */
	struct json_object *errors;
	const char *why;
	/* A record the reader was refused (access.c): logged if the request ends refused (access_log.h). */
	const char *refused;
};

/*
 * Parse a request from src into r (zeroed first), everything in arena a.
 * Returns KESU_OK; KESU_ETOOBIG when the body, a field or the field count is over
 * its limit (checked before reading where possible); KESU_EINPUT when a value is
 * not valid UTF-8, percent-encoding is broken, or a JSON body is not an object.
 * Unknown methods parse as METHOD_OTHER. Repeated keys are kept in order.
 */
int req_parse(struct req *r, struct arena *a, const struct req_src *src, const struct req_limits *lim);

/* First value of a query field / form field / cookie, or NULL. Owned by the arena. */
const char *req_query(const struct req *r, const char *key);
const char *req_form(const struct req *r, const char *key);
const char *req_cookie(const struct req *r, const char *key);
/* Whether s[0..n) is valid UTF-8 (no overlongs, no surrogates, no NUL). */
int utf8_valid(const char *s, size_t n);
/* The value of hex digit c, or -1. */
int req_hexval(char c);
/* The number of characters (code points) of valid UTF-8 s. */
size_t utf8_chars(const char *s);
/* Decode %XX and '+' in place-safe copy into the arena; NULL when malformed. */
char *url_decode(struct arena *a, const char *s, size_t n, size_t *outlen);

#endif
