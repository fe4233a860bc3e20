/* resp.h: the response — status, headers, cookies, redirects, pages, JSON and error pages — and what a handler is. */
#ifndef KESU_RESP_H
#define KESU_RESP_H

#include <stdio.h>
#include <json-c/json.h>
#include "arena.h"
#include "req.h"

struct app;

/* The response being built; reused by the worker between requests. */
struct resp {
	int status;
	const char *ctype;       /* NULL: text/html; charset=utf-8 */
	struct buf head;         /* extra header lines, each ending in \r\n */
	struct buf body;
	FILE *file;              /* non-NULL: the body is this file (resp_file), sent in slices */
	size_t file_len;
};

/* A handler answers one request into rs: KESU_OK when it answered, else the error to answer. */
typedef int (*handler_fn)(struct app *app, struct req *r, struct resp *rs);

void resp_init(struct resp *rs);
void resp_reset(struct resp *rs);
void resp_free(struct resp *rs);
/* Add a header line; name and value must not contain CR or LF (checked: dropped otherwise). */
void resp_header(struct resp *rs, const char *name, const char *value);
/* Set a cookie: Path=/, HttpOnly when httponly, SameSite=Lax, Secure per app; max_age < 0: session cookie, 0: delete. */
void resp_cookie(const struct app *app, const struct req *r, struct resp *rs,
    const char *name, const char *value, long max_age, int httponly);
/* 303 See Other to a local path (must start with a single '/'). */
void resp_redirect(struct resp *rs, const char *location);
/*
 * Answer with the view model: for HTML render template tmpl (the language's
 * texts added as "t"); for JSON the view model itself without "t".
 * Takes ownership of view.
 */
void resp_page(struct app *app, struct req *r, struct resp *rs, int status, const char *tmpl,
    struct json_object *view);
/*
 * resp_page() whose HTML also walks row sources (tmpl.h: a section's rows without a json-c
 * object per cell). They are not part of the JSON answer: for r->want_json the caller has put
 * tmpl_rows_json() of each into the view already, where the JSON twin has it.
 */
struct tmpl_rows;
void resp_page_rows(struct app *app, struct req *r, struct resp *rs, int status, const char *tmpl,
    struct json_object *view, const struct tmpl_rows *rows, size_t nrows);
/* A page's view model builder: *out for r (the caller owns it), or an error code. */
typedef int (*view_fn)(struct app *app, struct req *r, struct json_object **out);
/* A page that is a view model and a template: build it, then resp_page() with 200. */
int resp_view(struct app *app, struct req *r, struct resp *rs, view_fn build, const char *tmpl);
/* A file to download (200, Content-Disposition: attachment; filename in UTF-8): data copied. */
void resp_download(struct req *r, struct resp *rs, const char *ctype, const char *filename, const void *data,
    size_t len);
/*
 * A file to download read from f (200, Content-Disposition as resp_download): takes ownership
 * of f, which is sent from its start after the headers, 64 KiB at a time, so a large export
 * never sits whole in the worker's memory; closed by resp_reset/resp_free.
 */
void resp_file(struct req *r, struct resp *rs, const char *ctype, const char *filename, FILE *f);
/* JSON body with status; takes ownership of obj. */
void resp_json(struct resp *rs, int status, struct json_object *obj);
/* The error page (or JSON {"error": code, "message": text}) for err. */
void resp_error(struct app *app, struct req *r, struct resp *rs, int err);
/* HTTP status of an error code. */
int resp_status(int err);
/* The short code of an error ("not_found", "conflict", "state", ...). */
const char *resp_code(int err);
/* Serialise status, security headers, extra headers and body (unless HEAD) into out; a
 * resp_file body is not included (only its Content-Length): the caller sends rs->file after. */
void resp_serialise(const struct resp *rs, const struct req *r, struct buf *out);

#endif
