/* page_auth.c: sign-in through the directory, sign-out, and the front door. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "audit.h"
#include "crypto.h"
#include "csrf_pre.h"
#include "login_throttle.h"
#include "next_url.h"
#include "sess_mine.h"

int
page_root(struct app *app, struct req *r, struct resp *rs)
{
	(void)app;
	resp_redirect(rs, r->sess != NULL ? "/complaints" : "/login");
	return KESU_OK;
}

/*
 * Only a path on this site may follow sign-in, read as browsers read it (next_url.c);
 * anything else — and the sign-in and sign-out pages themselves — leads to "/".
 */
static const char *
safe_next(struct req *r, const char *next)
{
	const char *p = next_url_local(r->a, next);

	if (p == NULL || strncmp(p, "/login", 6) == 0 || strncmp(p, "/logout", 7) == 0)
		return "/";
	return p;
}

/*
 * The sign-in form. status and error (a po key, or NULL) describe the last attempt;
 * the username typed is kept, the password never is.
 */
static int
login_form(struct app *app, struct req *r, struct resp *rs, int status, const char *error,
    const char *error_arg)
{
	struct json_object *v;
	const char *nonce = req_cookie(r, "kesu_csrf");
	const char *username = req_form(r, "username");
	char fresh[65], token[65];

	/* The pre-session CSRF token: a random cookie, and in the form its HMAC under the
	 * install's secret (csrf_pre.c). A cookie not of our making is replaced. */
	if (!csrf_pre_nonce_ok(nonce)) {
		crypto_random_hex(fresh, 32);
		nonce = arena_strdup(r->a, fresh);
		resp_cookie(app, r, rs, "kesu_csrf", nonce, -1, 1);
	}
	if (csrf_pre_token(nonce, token) != 0)
		return KESU_EDB;   /* no secret: sess_load failed to load it */
	v = view_new(app, r);
	json_object_object_add(v, "csrf_token", json_object_new_string(token));
	json_object_object_add(v, "username", json_object_new_string(username ? username : ""));
	json_object_object_add(v, "next", json_object_new_string(
	    safe_next(r, req_form(r, "next") ? req_form(r, "next") : req_query(r, "next"))));
	if (error != NULL) {
		const char *msg = T(r, error);
		const char *at = msg != NULL ? strstr(msg, "{n}") : NULL;
		/* "{n}" in a text takes the argument where the language puts it. */
		if (error_arg != NULL && at != NULL)
			msg = arena_printf(r->a, "%.*s%s%s", (int)(at - msg), msg, error_arg, at + 3);
		else if (error_arg != NULL)
			msg = arena_printf(r->a, "%s (%s)", msg, error_arg);
		json_object_object_add(v, "error", json_object_new_string(msg));
		json_object_object_add(v, "error_code", json_object_new_string(error));
	}
	resp_page(app, r, rs, status, "login", v);
	return KESU_OK;
}

int
page_login_form(struct app *app, struct req *r, struct resp *rs)
{
	if (r->sess != NULL) {
		resp_redirect(rs, safe_next(r, req_query(r, "next")));
		return KESU_OK;
	}
	return login_form(app, r, rs, 200, NULL, NULL);
}

struct login_fail_tx {
	struct app *app;
	struct req *r;
	const char *canon;
};

static int
login_fail_tx(struct db *db, void *arg)
{
	struct login_fail_tx *t = arg;
	struct audit_actor who = { t->canon, t->canon, "none", t->r->id, t->r->remote_addr };
	int rc;

	if ((rc = login_throttle_fail(t->app, db, t->r, t->canon)) != KESU_OK)
		return rc;
	return audit_write(db, t->r->a, &who, "session", t->canon, "login_failed", NULL, NULL);
}

struct login_ok_tx {
	struct app *app;
	struct req *r;
	const char *canon;
	const struct dir_user *u;
	char token[65], csrf[65];
};

static int
login_ok_tx(struct db *db, void *arg)
{
	struct login_ok_tx *t = arg;
	struct session s = { NULL, t->u->uid, t->u->dn, t->u->display_name, t->u->department,
		t->u->roles, NULL, 0, 0, 0 };
	struct audit_actor who = { t->u->uid, t->u->display_name, sess_role(&s), t->r->id,
		t->r->remote_addr };
	struct json_object *after;
	char hash[65];
	int rc;

	if ((rc = login_throttle_ok(t->app, db, t->r, t->canon)) != KESU_OK)
		return rc;
	if ((rc = sess_create(t->app, t->r->a, t->u, t->token, t->csrf)) != KESU_OK)
		return rc;
	crypto_sha256_hex(t->token, 64, hash);
	if ((rc = sess_mine_after_login(t->app, db, t->r, t->u->uid, hash)) != KESU_OK)
		return rc;
	after = json_object_new_object();
	json_object_object_add(after, "department", json_object_new_string(t->u->department));
	json_object_object_add(after, "roles", json_object_new_int64(t->u->roles));
	rc = audit_write(db, t->r->a, &who, "session", t->u->uid, "login", NULL, after);
	json_object_put(after);
	return rc;
}

int
page_login(struct app *app, struct req *r, struct resp *rs)
{
	const char *username = req_form(r, "username");
	const char *password = req_form(r, "password");
	struct login_fail_tx ft;
	struct login_ok_tx ok;
	struct dir_user u;
	long wait;
	int rc;

	/* One canonical name from here on: what the throttle counts is what the directory finds. */
	if (username != NULL)
		username = login_canon_user(r->a, username);
	if (username == NULL || *username == '\0')
		return login_form(app, r, rs, 422, "err_login_username", NULL);
	if (strlen(username) > 64)
		return login_form(app, r, rs, 401, "err_login_failed", NULL);
	/* An empty password would be an anonymous bind: refused before the directory is asked. */
	if (password == NULL || *password == '\0')
		return login_form(app, r, rs, 422, "err_login_password", NULL);

	ft.app = app;
	ft.r = r;
	ft.canon = username;
	if ((rc = login_throttle_check(app, r, ft.canon, &wait)) != KESU_OK)
		return rc;
	if (wait > 0) {
		/* Slowed down, not refused: the page says when to try again. */
		resp_header(rs, "Retry-After", arena_printf(r->a, "%ld", wait));
		return login_form(app, r, rs, 429, "err_login_wait", arena_printf(r->a, "%ld", wait));
	}

	rc = dir_authenticate(app->dir, r->a, username, password, &u);
	if (rc == KESU_EDIR)
		return login_form(app, r, rs, 503, "err_dir_unavailable", NULL);
	if (rc != KESU_OK) {
		LOG_INFO("sign-in failed for an account from %s", r->remote_addr);
		if ((rc = db_tx(app->db, login_fail_tx, &ft)) != KESU_OK)
			return rc;
		return login_form(app, r, rs, 401, "err_login_failed", NULL);
	}
	if (u.roles == 0) {
		/* Known to the directory but in no Kesu group: nothing to show them. */
		LOG_INFO("sign-in refused: %s has no Kesu role", u.uid);
		return login_form(app, r, rs, 403, "err_login_norole", NULL);
	}

	memset(&ok, 0, sizeof(ok));
	ok.app = app;
	ok.r = r;
	ok.canon = ft.canon;
	ok.u = &u;
	if ((rc = db_tx(app->db, login_ok_tx, &ok)) != KESU_OK)
		return rc;
	LOG_INFO("signed in: %s", u.uid);
	/* Sign-ins are rare enough to carry the clean-up of expired sessions (best effort). */
	(void)db_exec(app->db, r->a, STMT_SESSION_PURGE, NULL, "i", (int64_t)app->sess_idle);
	resp_cookie(app, r, rs, "kesu_session", ok.token, app->sess_absolute, 1);
	resp_cookie(app, r, rs, "kesu_csrf", "", 0, 1);
	if (r->want_json) {
		struct json_object *v = json_object_new_object(), *user = json_object_new_object();
		struct json_object *roles = json_object_new_array();
		for (int i = 0; i < ROLE__MAX; i++)
			if (u.roles & ROLE_BIT(i))
				json_object_array_add(roles, json_object_new_string(role_name((enum role)i)));
		json_object_object_add(user, "uid", json_object_new_string(u.uid));
		json_object_object_add(user, "name", json_object_new_string(u.display_name));
		json_object_object_add(user, "department", json_object_new_string(u.department));
		json_object_object_add(user, "roles", roles);
		json_object_object_add(v, "user", user);
		json_object_object_add(v, "csrf_token", json_object_new_string(ok.csrf));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, safe_next(r, req_form(r, "next")));
	return KESU_OK;
}

struct logout_tx {
	struct req *r;
};

static int
logout_tx(struct db *db, void *arg)
{
	struct req *r = ((struct logout_tx *)arg)->r;
	struct audit_actor who = req_actor(r);
	int rc;

	if ((rc = db_exec(db, r->a, STMT_SESSION_DELETE, NULL, "s", r->sess->token_hash)) != KESU_OK)
		return rc;
	return audit_write(db, r->a, &who, "session", r->sess->uid, "logout", NULL, NULL);
}

int
page_logout(struct app *app, struct req *r, struct resp *rs)
{
	struct logout_tx t = { r };
	int rc;

	if (r->sess != NULL && (rc = db_tx(app->db, logout_tx, &t)) != KESU_OK)
		return rc;
	resp_cookie(app, r, rs, "kesu_session", "", 0, 1);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		json_object_object_add(v, "signed_out", json_object_new_boolean(1));
		resp_json(rs, 200, v);
		return KESU_OK;
	}
	resp_redirect(rs, "/login");
	return KESU_OK;
}
