/* dir.c: the corporate LDAP directory — sign-in by bind, the person's attributes, their groups as roles. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/time.h>

#include <ldap.h>

#include "dir.h"
#include "fail_fast.h"

/* Longer sign-in names are refused without asking the directory. */
#define UID_MAX 256

struct role_map {
	char *group;       /* a group's cn, compared without case like LDAP does */
	enum role role;
};

struct dir {
	LDAP *ld;          /* NULL until first needed, and again after a connection failure */
	char *uri;
	int starttls;
	int timeout;       /* seconds, for connecting and for every operation */
	char *bind_dn;     /* "" binds anonymously for the searches */
	char *bind_pw;     /* NULL when bind_dn is set but the password file is unusable */
	char *user_base, *user_filter, *group_base, *group_filter;
	char *attr_uid, *attr_display, *attr_department, *attr_mail;
	struct role_map *roles;
	size_t nroles;
};

static char attr_cn[] = "cn";

/*
 * Whether the directory answers, shared by every worker of the master (dir_shared_init()
 * maps it before the fork): after a timeout or a lost server the directory counts as down
 * for DIR_RETRY seconds, and sign-ins and signatures fail at once with "directory
 * unavailable" instead of each holding a worker for the timeout (issue 10). When the time is
 * up, one caller probes (the window is moved on first, so the others keep failing fast
 * meanwhile); its success clears it. Without a master (kesu-admin, tests) it is per process.
 */
#define DIR_RETRY 10
static struct fail_fast local_health, *health = &local_health;

void
dir_shared_init(void)
{
	health = fail_fast_shared(&local_health, "the directory's");
}

void
dir_library_init(void)
{
	int version = 0;

	/* Any global option read initialises the library's globals (ldap_int_initialize). */
	if (ldap_get_option(NULL, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS)
		LOG_WARN("libldap did not initialise in the master: each worker will");
}

/* KESU_OK when the directory may be asked now, else KESU_EDIR at once. */
static int
dir_available(const struct dir *d)
{
	return fail_fast_may_try(health, d->timeout + DIR_RETRY) ? KESU_OK : KESU_EDIR;
}

static void
dir_down(void)
{
	fail_fast_down(health, DIR_RETRY);
}

static void
dir_up(void)
{
	if (fail_fast_up(health))
		LOG_INFO("the directory answers again");
}

static void
add_role(const char *group, const char *name, void *arg)
{
	struct dir *d = arg;
	enum role r = role_from_name(name);

	if (r == ROLE__MAX) {
		LOG_WARN("ldap.role.%s: unknown role \"%s\", ignored", group, name);
		return;
	}
	d->roles = xrealloc(d->roles, (d->nroles + 1) * sizeof(*d->roles));
	d->roles[d->nroles].group = xstrdup(group);
	d->roles[d->nroles].role = r;
	d->nroles++;
}

struct dir *
dir_open(const struct conf *c)
{
	struct dir *d = xcalloc(1, sizeof(*d));

	d->uri = xstrdup(conf_str(c, "ldap.uri", "ldap://127.0.0.1"));
	d->starttls = conf_int(c, "ldap.starttls", 0) != 0;
	d->timeout = (int)conf_int(c, "ldap.timeout", 5);
	if (d->timeout <= 0 || d->timeout > 300) {
		LOG_WARN("ldap.timeout %d out of range; using 5 s", d->timeout);
		d->timeout = 5;
	}
	d->bind_dn = xstrdup(conf_str(c, "ldap.bind_dn", ""));
	if (*d->bind_dn != '\0') {
		d->bind_pw = conf_secret(c, "ldap.bind_password_file");
		/* An empty password would make the service bind anonymous without a word. */
		if (d->bind_pw != NULL && *d->bind_pw == '\0') {
			free(d->bind_pw);
			d->bind_pw = NULL;
		}
		if (d->bind_pw == NULL)
			LOG_ERR("ldap.bind_password_file missing, unreadable or empty: sign-in will fail");
	}
	d->user_base = xstrdup(conf_str(c, "ldap.user_base", ""));
	d->user_filter = xstrdup(conf_str(c, "ldap.user_filter", "(uid=%s)"));
	d->group_base = xstrdup(conf_str(c, "ldap.group_base", ""));
	d->group_filter = xstrdup(conf_str(c, "ldap.group_filter",
	    "(&(objectClass=groupOfNames)(member=%s))"));
	d->attr_uid = xstrdup(conf_str(c, "ldap.attr_uid", "uid"));
	d->attr_display = xstrdup(conf_str(c, "ldap.attr_display", "displayName"));
	d->attr_department = xstrdup(conf_str(c, "ldap.attr_department", "departmentNumber"));
	d->attr_mail = xstrdup(conf_str(c, "ldap.attr_mail", "mail"));
	if (strstr(d->user_filter, "%s") == NULL)
		LOG_ERR("ldap.user_filter has no %%s for the uid: every sign-in will match the same entries");
	if (*d->group_base != '\0' && strstr(d->group_filter, "%s") == NULL)
		LOG_ERR("ldap.group_filter has no %%s for the user's DN");
	conf_each(c, "ldap.role.", add_role, d);
	return d;
}

/* Close the connection, if any; the next operation opens a new one. */
static void
dir_drop(struct dir *d)
{
	if (d->ld != NULL) {
		ldap_unbind_ext_s(d->ld, NULL, NULL);
		d->ld = NULL;
	}
}

void
dir_close(struct dir *d)
{
	size_t i;

	if (d == NULL)
		return;
	dir_drop(d);
	if (d->bind_pw != NULL) {
		explicit_bzero(d->bind_pw, strlen(d->bind_pw));
		free(d->bind_pw);
	}
	free(d->uri);
	free(d->bind_dn);
	free(d->user_base);
	free(d->user_filter);
	free(d->group_base);
	free(d->group_filter);
	free(d->attr_uid);
	free(d->attr_display);
	free(d->attr_department);
	free(d->attr_mail);
	for (i = 0; i < d->nroles; i++)
		free(d->roles[i].group);
	free(d->roles);
	free(d);
}

/*
 * Log a failed LDAP operation (result text and the server's diagnostic, never a
 * password) and return KESU_EDIR. After a client-side error (negative codes:
 * server down, timeout, connect error, ...) the connection's state is unknown,
 * so it is dropped and the next call reconnects.
 */
static int
dir_fail(struct dir *d, const char *op, int rc)
{
	char *diag = NULL;

	if (d->ld != NULL)
		ldap_get_option(d->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag);
	LOG_ERR("%s on %s: %s%s%s", op, d->uri, ldap_err2string(rc),
	    diag != NULL && *diag != '\0' ? ": " : "", diag != NULL ? diag : "");
	ldap_memfree(diag);
	if (rc < 0)
		dir_drop(d);
	/* The server did not answer (timeout, down, no connection): fail fast for a while. */
	if (rc == LDAP_TIMEOUT || rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMELIMIT_EXCEEDED) {
		LOG_WARN("the directory %s does not answer: sign-ins and signatures fail fast for %d s", d->uri, DIR_RETRY);
		dir_down();
	}
	return KESU_EDIR;
}

/*
 * Make sure d->ld exists: protocol 3, no referral chasing (libldap would chase
 * them with an anonymous bind), the same timeout for connecting and for every
 * synchronous call (the network timeout alone does not stop a bind to a server
 * that accepts and never answers), then StartTLS when configured.
 */
static int
dir_connect(struct dir *d)
{
	struct timeval tv = { .tv_sec = d->timeout };
	int v3 = LDAP_VERSION3, rc;

	if (d->ld != NULL)
		return KESU_OK;
	if ((rc = ldap_initialize(&d->ld, d->uri)) != LDAP_SUCCESS) {
		d->ld = NULL;
		LOG_ERR("ldap_initialize(%s): %s", d->uri, ldap_err2string(rc));
		return KESU_EDIR;
	}
	if (ldap_set_option(d->ld, LDAP_OPT_PROTOCOL_VERSION, &v3) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(d->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(d->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
	    ldap_set_option(d->ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS) {
		LOG_ERR("ldap_set_option failed on %s", d->uri);
		dir_drop(d);
		return KESU_EDIR;
	}
	if (d->starttls && (rc = ldap_start_tls_s(d->ld, NULL, NULL)) != LDAP_SUCCESS) {
		dir_fail(d, "StartTLS", rc);
		dir_drop(d);  /* whatever the code: never go on in clear text */
		return KESU_EDIR;
	}
	return KESU_OK;
}

/*
 * A simple bind as dn with pw, connecting first when needed. Returns KESU_OK;
 * KESU_EAUTH when the directory refuses the credentials; KESU_EDIR when it
 * fails (logged). A connection kept from an earlier request may have been closed
 * by the server meanwhile (idle timeout, restart); that shows as SERVER_DOWN and
 * the bind is tried once more on a new connection. A timeout is not retried: the
 * server is there but hangs, and a second wait would double the user's.
 */
static int
bind_as(struct dir *d, const char *dn, const char *pw)
{
	struct berval cred;
	int rc = LDAP_SERVER_DOWN, kept, tries, err;

	for (tries = 0; tries < 2; tries++) {
		kept = d->ld != NULL;
		if ((err = dir_connect(d)) != KESU_OK)
			return err;
		cred.bv_val = (char *)pw;
		cred.bv_len = strlen(pw);
		rc = ldap_sasl_bind_s(d->ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
		if (rc != LDAP_SERVER_DOWN || !kept)
			break;
		LOG_INFO("the connection to %s was closed meanwhile; reconnecting", d->uri);
		dir_drop(d);
	}
	switch (rc) {
	case LDAP_SUCCESS:
		return KESU_OK;
	case LDAP_INVALID_CREDENTIALS:
	case LDAP_INAPPROPRIATE_AUTH:    /* the entry has no password */
	case LDAP_UNWILLING_TO_PERFORM:  /* e.g. a disabled account */
		LOG_INFO("bind as %s refused: %s", dn, ldap_err2string(rc));
		return KESU_EAUTH;
	default:
		return dir_fail(d, "bind", rc);
	}
}

/* Bind as the service account; a refusal is a configuration error, so KESU_EDIR. */
static int
bind_service(struct dir *d)
{
	int rc;

	if (*d->bind_dn == '\0')
		return bind_as(d, "", "");
	if (d->bind_pw == NULL)
		return KESU_EDIR;  /* logged by dir_open */
	if ((rc = bind_as(d, d->bind_dn, d->bind_pw)) == KESU_EAUTH) {
		LOG_ERR("the directory refuses the service account %s: check ldap.bind_dn "
		    "and ldap.bind_password_file", d->bind_dn);
		return KESU_EDIR;
	}
	return rc;
}

char *
dir_escape_filter(struct arena *a, const char *value)
{
	struct berval in, out = { 0, NULL };
	char *s;

	in.bv_val = (char *)value;
	in.bv_len = strlen(value);
	/* It fails only when out of memory, which aborts here as everywhere. */
	if (ldap_bv2escaped_filter_value(&in, &out) != 0) {
		LOG_ERR("ldap_bv2escaped_filter_value: out of memory");
		abort();
	}
	/* An empty value comes back as { 0, NULL }. */
	s = arena_strndup(a, out.bv_val != NULL ? out.bv_val : "", out.bv_len);
	ber_memfree(out.bv_val);
	return s;
}

/* tmpl with every "%s" replaced by val (already escaped), in the arena. */
static char *
fill_filter(struct arena *a, const char *tmpl, const char *val)
{
	size_t n = 0, vl = strlen(val);
	const char *p, *q;
	char *out, *o;

	for (p = tmpl; (q = strstr(p, "%s")) != NULL; p = q + 2)
		n++;
	o = out = arena_alloc(a, strlen(tmpl) - 2 * n + n * vl + 1);
	for (p = tmpl; (q = strstr(p, "%s")) != NULL; p = q + 2) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, val, vl);
		o += vl;
	}
	strcpy(o, p);
	return out;
}

static void
msg_free(void *p)
{
	ldap_msgfree(p);
}

/*
 * A subtree search with the operation timeout. The result, whatever the outcome,
 * is freed with the arena. Returns the LDAP result code.
 */
static int
search(struct dir *d, struct arena *a, const char *base, const char *filter, char **attrs,
    int sizelimit, LDAPMessage **res)
{
	struct timeval tv = { .tv_sec = d->timeout };
	int rc;

	*res = NULL;
	rc = ldap_search_ext_s(d->ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL,
	    &tv, sizelimit, res);
	if (*res != NULL)
		arena_defer(a, msg_free, *res);
	return rc;
}

/* The first value of attr in entry e, in the arena; NULL when it has none. */
static const char *
first_value(struct dir *d, struct arena *a, LDAPMessage *e, const char *attr)
{
	struct berval **v;
	const char *s = NULL;

	if (*attr == '\0' || (v = ldap_get_values_len(d->ld, e, attr)) == NULL)
		return NULL;
	if (v[0] != NULL)
		s = arena_strndup(a, v[0]->bv_val, v[0]->bv_len);
	ldap_value_free_len(v);
	return s;
}

/* The ROLE_BIT()s of the groups in res through the ldap.role.* map. */
static unsigned
map_roles(struct dir *d, LDAPMessage *res)
{
	LDAPMessage *e;
	struct berval **v;
	unsigned roles = 0;
	size_t i, j;

	for (e = ldap_first_entry(d->ld, res); e != NULL; e = ldap_next_entry(d->ld, e)) {
		if ((v = ldap_get_values_len(d->ld, e, attr_cn)) == NULL)
			continue;
		for (i = 0; v[i] != NULL; i++)
			for (j = 0; j < d->nroles; j++)
				if (strlen(d->roles[j].group) == v[i]->bv_len &&
				    strncasecmp(d->roles[j].group, v[i]->bv_val, v[i]->bv_len) == 0)
					roles |= ROLE_BIT(d->roles[j].role);
		ldap_value_free_len(v);
	}
	return roles;
}

/*
 * Find uid (as the service account) and fill *u; then, when password is not NULL, bind as
 * the DN found with it; then read the groups as the service account again.
 */
static int
find_user(struct dir *d, struct arena *a, const char *uid, const char *password, struct dir_user *u)
{
	char *want[] = { d->attr_uid, d->attr_display, attr_cn, d->attr_department, d->attr_mail };
	char *attrs[sizeof(want) / sizeof(want[0]) + 1], *gattrs[] = { attr_cn, NULL };
	LDAPMessage *res, *e;
	char *dn;
	const char *s;
	size_t i, na = 0;
	int rc, n;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (*want[i] != '\0')  /* an attribute configured empty is not asked for */
			attrs[na++] = want[i];
	attrs[na] = NULL;
	if (uid == NULL || *uid == '\0' || strlen(uid) > UID_MAX)
		return KESU_EAUTH;
	if ((rc = bind_service(d)) != KESU_OK)
		return rc;

	/* Size limit 2: one entry is the person; two mean the filter is ambiguous. */
	rc = search(d, a, d->user_base, fill_filter(a, d->user_filter, dir_escape_filter(a, uid)),
	    attrs, 2, &res);
	n = rc == LDAP_SUCCESS ? ldap_count_entries(d->ld, res) : 0;
	if (rc == LDAP_SIZELIMIT_EXCEEDED || n > 1) {
		/* The uid is not logged: it is what the user typed, newlines included. */
		LOG_WARN("a sign-in name matches more than one entry under %s; refused",
		    d->user_base);
		return KESU_EAUTH;
	}
	if (rc != LDAP_SUCCESS)
		return dir_fail(d, "user search", rc);
	if (n != 1)
		return KESU_EAUTH;  /* unknown: the caller says the same as for a wrong password */
	e = ldap_first_entry(d->ld, res);
	if ((dn = ldap_get_dn(d->ld, e)) == NULL) {
		LOG_ERR("ldap_get_dn failed under %s", d->user_base);
		return KESU_EDIR;
	}
	u->dn = arena_strdup(a, dn);
	ldap_memfree(dn);
	s = first_value(d, a, e, d->attr_uid);
	u->uid = s != NULL ? s : arena_strdup(a, uid);
	if ((s = first_value(d, a, e, d->attr_display)) == NULL)
		s = first_value(d, a, e, attr_cn);
	u->display_name = s != NULL ? s : u->uid;
	u->department = first_value(d, a, e, d->attr_department);
	u->email = first_value(d, a, e, d->attr_mail);

	if (password != NULL) {
		if ((rc = bind_as(d, u->dn, password)) != KESU_OK)
			goto err;
		/* The groups are read as the service account: people may not see them. */
		if ((rc = bind_service(d)) != KESU_OK)
			goto err;
	}
	if (*d->group_base != '\0') {
		rc = search(d, a, d->group_base,
		    fill_filter(a, d->group_filter, dir_escape_filter(a, u->dn)), gattrs, 0, &res);
		if (rc != LDAP_SUCCESS) {
			rc = dir_fail(d, "group search", rc);
			goto err;
		}
		u->roles = map_roles(d, res);
	}
	return KESU_OK;

err:
	memset(u, 0, sizeof(*u));
	return rc;
}

int
dir_authenticate(struct dir *d, struct arena *a, const char *uid, const char *password,
    struct dir_user *u)
{
	int rc;

	memset(u, 0, sizeof(*u));
	/* A DN with an empty password is an anonymous bind, which succeeds: never send one. */
	if (password == NULL || *password == '\0')
		return KESU_EAUTH;
	if ((rc = dir_available(d)) != KESU_OK)
		return rc;
	if ((rc = find_user(d, a, uid, password, u)) != KESU_EDIR)
		dir_up();
	return rc;
}

int
dir_lookup(struct dir *d, struct arena *a, const char *uid, struct dir_user *u)
{
	int rc;

	if ((rc = dir_available(d)) != KESU_OK)
		return rc;
	if ((rc = find_user(d, a, uid, NULL, u)) != KESU_EDIR)
		dir_up();
	return rc == KESU_EAUTH ? KESU_ENOTFOUND : rc;
}

int
dir_check_password(struct dir *d, const char *dn, const char *password)
{
	int rc;

	if (password == NULL || *password == '\0' || dn == NULL || *dn == '\0')
		return KESU_EAUTH;
	if ((rc = dir_available(d)) != KESU_OK)
		return rc;
	rc = bind_as(d, dn, password);
	if (rc != KESU_EDIR)
		dir_up();
	/* Back to the service account, so the handle is in a known state. Its failure
	 * is logged and does not change the answer: every operation binds first. */
	if (rc != KESU_EDIR)
		(void)bind_service(d);
	return rc;
}

/* One entry by DN (a base search), as find_user fills it but without the groups. */
static int
read_person(struct dir *d, struct arena *a, const char *dn, struct dir_user *u)
{
	char *want[] = { d->attr_uid, d->attr_display, attr_cn, d->attr_department, d->attr_mail };
	char *attrs[sizeof(want) / sizeof(want[0]) + 1];
	struct timeval tv = { .tv_sec = d->timeout };
	LDAPMessage *res = NULL, *e;
	const char *s;
	size_t i, na = 0;
	int rc;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (*want[i] != '\0')
			attrs[na++] = want[i];
	attrs[na] = NULL;
	rc = ldap_search_ext_s(d->ld, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL,
	    &tv, 1, &res);
	if (res != NULL)
		arena_defer(a, msg_free, res);
	if (rc == LDAP_NO_SUCH_OBJECT)
		return KESU_ENOTFOUND;
	if (rc != LDAP_SUCCESS)
		return dir_fail(d, "person read", rc);
	if ((e = ldap_first_entry(d->ld, res)) == NULL)
		return KESU_ENOTFOUND;
	memset(u, 0, sizeof(*u));
	u->dn = arena_strdup(a, dn);
	if ((u->uid = first_value(d, a, e, d->attr_uid)) == NULL)
		return KESU_ENOTFOUND;
	if ((s = first_value(d, a, e, d->attr_display)) == NULL)
		s = first_value(d, a, e, attr_cn);
	u->display_name = s != NULL ? s : u->uid;
	u->department = first_value(d, a, e, d->attr_department);
	u->email = first_value(d, a, e, d->attr_mail);
	return KESU_OK;
}

int
dir_role_people(struct dir *d, struct arena *a, enum role role, const char *department,
    struct dir_user *out, size_t max, size_t *n)
{
	static char attr_member[] = "member";
	char *gattrs[] = { attr_member, NULL };
	int rc;

	*n = 0;
	if (*d->group_base == '\0')
		return KESU_OK;
	if ((rc = dir_available(d)) != KESU_OK || (rc = bind_service(d)) != KESU_OK)
		return rc;
	for (size_t j = 0; j < d->nroles; j++) {
		LDAPMessage *res, *e;
		struct berval **v;
		if (d->roles[j].role != role)
			continue;
		rc = search(d, a, d->group_base, arena_printf(a, "(cn=%s)",
		    dir_escape_filter(a, d->roles[j].group)), gattrs, 0, &res);
		if (rc != LDAP_SUCCESS)
			return dir_fail(d, "group members", rc);
		for (e = ldap_first_entry(d->ld, res); e != NULL; e = ldap_next_entry(d->ld, e)) {
			if ((v = ldap_get_values_len(d->ld, e, attr_member)) == NULL)
				continue;
			for (size_t i = 0; v[i] != NULL && *n < max; i++) {
				struct dir_user u;
				char *dn = arena_strndup(a, v[i]->bv_val, v[i]->bv_len);
				int dup = 0;
				if ((rc = read_person(d, a, dn, &u)) == KESU_EDIR) {
					ldap_value_free_len(v);
					return rc;
				}
				if (rc != KESU_OK || (department != NULL &&
				    (u.department == NULL || strcmp(u.department, department) != 0)))
					continue;
				for (size_t k = 0; k < *n && !dup; k++)
					dup = strcmp(out[k].uid, u.uid) == 0;
				if (!dup) {
					u.roles = ROLE_BIT(role);
					out[(*n)++] = u;
				}
			}
			ldap_value_free_len(v);
		}
	}
	return KESU_OK;
}
