/* resp.c: the response — status, security headers, cookies, redirects, pages, JSON and error pages. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "refill.h"
#include "attach.h"

void
resp_init(struct resp *rs)
{
	rs->status = 200;
	rs->ctype = NULL;
	buf_init(&rs->head);
	buf_init(&rs->body);
	rs->file = NULL;
	rs->file_len = 0;
}

void
resp_reset(struct resp *rs)
{
	rs->status = 200;
	rs->ctype = NULL;
	buf_reset(&rs->head);
	buf_reset(&rs->body);
	if (rs->file != NULL)
		fclose(rs->file);
	rs->file = NULL;
	rs->file_len = 0;
}

void
resp_free(struct resp *rs)
{
	buf_free(&rs->head);
	buf_free(&rs->body);
	if (rs->file != NULL)
		fclose(rs->file);
	rs->file = NULL;
}

static int
header_safe(const char *s)
{
	return strpbrk(s, "\r\n") == NULL;
}

void
resp_header(struct resp *rs, const char *name, const char *value)
{
	if (!header_safe(name) || !header_safe(value)) {
		LOG_ERR("header %s dropped: CR or LF in it", name);
		return;
	}
	buf_printf(&rs->head, "%s: %s\r\n", name, value);
}

void
resp_cookie(const struct app *app, const struct req *r, struct resp *rs,
    const char *name, const char *value, long max_age, int httponly)
{
	char line[512];
	int secure = app->cookie_secure < 0 ? r->https : app->cookie_secure;
	int n;

	n = snprintf(line, sizeof(line), "%s=%s; Path=/; SameSite=Lax%s%s", name, value,
	    httponly ? "; HttpOnly" : "", secure ? "; Secure" : "");
	if (max_age >= 0 && n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, "; Max-Age=%ld", max_age);
	resp_header(rs, "Set-Cookie", line);
}

void
resp_redirect(struct resp *rs, const char *location)
{
	/* Only local paths: "//host" would leave the site. */
	if (location == NULL || location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	rs->status = 303;
	resp_header(rs, "Location", location);
}

void
resp_json(struct resp *rs, int status, struct json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);

	rs->status = status;
	rs->ctype = "application/json; charset=utf-8";
	buf_reset(&rs->body);
	buf_append(&rs->body, s, len);
	json_object_put(obj);
}

void
resp_page(struct app *app, struct req *r, struct resp *rs, int status, const char *tmpl,
    struct json_object *view)
{
	resp_page_rows(app, r, rs, status, tmpl, view, NULL, 0);
}

void
resp_page_rows(struct app *app, struct req *r, struct resp *rs, int status, const char *tmpl,
    struct json_object *view, const struct tmpl_rows *rows, size_t nrows)
{
	if (r->want_json) {
		json_object_object_del(view, "t");
		resp_json(rs, status, view);
		return;
	}
	json_object_object_add(view, "t", json_object_get(i18n_table((enum lang)r->lang)));
	rs->status = status;
	rs->ctype = NULL;
	buf_reset(&rs->body);
	if (tmpl_render_rows(app->tmpl, tmpl, view, rows, nrows, &rs->body) != 0) {
		LOG_ERR("no template %s", tmpl);
		rs->status = 500;
		buf_reset(&rs->body);
		buf_puts(&rs->body, "Internal error");
	}
	json_object_put(view);
}

static const struct {
	int status;
	const char *code;
} errors[KESU__MAX] = {
	[KESU_OK] = { 200, "ok" },
	[KESU_EINPUT] = { 400, "bad_request" },
	[KESU_ENOTFOUND] = { 404, "not_found" },
	[KESU_EFORBIDDEN] = { 403, "forbidden" },
	[KESU_EAUTH] = { 401, "unauthenticated" },
	[KESU_ECSRF] = { 403, "csrf" },
	[KESU_ECONFLICT] = { 409, "conflict" },
	[KESU_ETOOBIG] = { 413, "too_big" },
	[KESU_ELOCKED] = { 429, "locked" },
	[KESU_EDB] = { 503, "db_unavailable" },
	[KESU_EDIR] = { 503, "dir_unavailable" },
	[KESU_EINTERNAL] = { 500, "internal" },
	[KESU_ESTATE] = { 409, "state" },
};

int
resp_status(int err)
{
	return err >= 0 && err < KESU__MAX ? errors[err].status : 500;
}

const char *
resp_code(int err)
{
	return err >= 0 && err < KESU__MAX ? errors[err].code : "internal";
}

void
resp_error(struct app *app, struct req *r, struct resp *rs, int err)
{
	struct json_object *v;
	const char *code;
	char key[64];

	if (err < 0 || err >= KESU__MAX)
		err = KESU_EINTERNAL;
	code = errors[err].code;
	snprintf(key, sizeof(key), "err_page_%s", code);

	/* A person who is not signed in is sent to the sign-in page, and back afterwards. */
	if (err == KESU_EAUTH && !r->want_json) {
		struct buf loc;
		buf_init(&loc);
		buf_puts(&loc, "/login");
		if (r->method == METHOD_GET && r->path != NULL && strcmp(r->path, "/") != 0) {
			buf_puts(&loc, "?next=");
			buf_url_encode(&loc, r->path);
		}
		resp_redirect(rs, loc.p);
		buf_free(&loc);
		return;
	}
	if (r->want_json || app->tmpl == NULL) {
		v = json_object_new_object();
		json_object_object_add(v, "error", json_object_new_string(code));
		json_object_object_add(v, "message", json_object_new_string(T(r, key)));
		resp_json(rs, errors[err].status, v);
		return;
	}
	v = view_new(app, r);
	json_object_object_add(v, "status", json_object_new_int(errors[err].status));
	json_object_object_add(v, "error", json_object_new_string(code));
	json_object_object_add(v, "message", json_object_new_string(T(r, key)));
	/* A write that failed: what was typed is shown again, so that nothing is lost. */
	if (r->method == METHOD_POST) {
		struct json_object *kept = json_object_new_array();
		for (size_t i = 0; i < r->nform; i++)
			if (refill_kept(r->form[i].key, r->form[i].val))
				json_object_array_add(kept, json_object_new_string(r->form[i].val));
		if (json_object_array_length(kept) > 0) {
			json_object_object_add(v, "kept", kept);
			json_object_object_add(v, "has_kept", json_object_new_boolean(1));
		} else
			json_object_put(kept);
	}
	resp_page(app, r, rs, errors[err].status, "error", v);
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

void
resp_serialise(const struct resp *rs, const struct req *r, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", rs->status, reason(rs->status));
	buf_printf(out, "Content-Type: %s\r\n", rs->ctype ? rs->ctype : "text/html; charset=utf-8");
	/* No inline script anywhere: scripts and styles come from /static only. */
	buf_puts(out,
	    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
	    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
	    "object-src 'none'\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: same-origin\r\n"
	    "Cache-Control: no-store\r\n"
	    "Vary: Accept, Accept-Language, Cookie\r\n");
	buf_printf(out, "X-Request-Id: %s\r\n", r->id);
	buf_append(out, rs->head.p ? rs->head.p : "", rs->head.len);
	buf_printf(out, "Content-Length: %zu\r\n\r\n", r->method == METHOD_HEAD ? (size_t)0
	    : rs->file != NULL ? rs->file_len : rs->body.len);
	if (r->method != METHOD_HEAD && rs->file == NULL)
		buf_append(out, rs->body.p ? rs->body.p : "", rs->body.len);
}

int
resp_view(struct app *app, struct req *r, struct resp *rs, view_fn build, const char *tmpl)
{
	struct json_object *v;
	int rc;

	if ((rc = build(app, r, &v)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, 200, tmpl, v);
	return KESU_OK;
}

void
resp_download(struct req *r, struct resp *rs, const char *ctype, const char *filename, const void *data, size_t len)
{
	rs->status = 200;
	rs->ctype = ctype;
	resp_header(rs, "Content-Disposition", attach_disposition(r->a, filename));
	buf_reset(&rs->body);
	buf_append(&rs->body, data, len);
}

void
resp_file(struct req *r, struct resp *rs, const char *ctype, const char *filename, FILE *f)
{
	long n;

	rs->status = 200;
	rs->ctype = ctype;
	resp_header(rs, "Content-Disposition", attach_disposition(r->a, filename));
	buf_reset(&rs->body);
	if (rs->file != NULL)
		fclose(rs->file);
	rs->file = f;
	rs->file_len = fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 ? (size_t)n : 0;
	rewind(f);
}
