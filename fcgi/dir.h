/* dir.h: the corporate LDAP directory — who a person is, their roles and department. */
#ifndef KESU_DIR_H
#define KESU_DIR_H

#include "arena.h"
#include "conf.h"
#include "kesu.h"

struct dir;

/* A person as the directory describes them; strings in the arena. */
struct dir_user {
	const char *uid;
	const char *dn;
	const char *display_name;  /* displayName, else cn */
	const char *department;    /* the configured attribute, e.g. departmentNumber */
	const char *email;
	unsigned roles;            /* ROLE_BIT()s from the group -> role map */
};

/*
 * Open a handle from the ldap.* configuration: uri, starttls (0/1), bind_dn,
 * bind_password_file, user_base, user_filter (with one %s for the escaped uid),
 * group_base, group_filter (one %s for the escaped user DN), attr_uid,
 * attr_display, attr_department, attr_mail, timeout (seconds, default 5), and
 * role.<group cn> = <role name> lines. Protocol 3, no referrals, network and
 * operation timeouts. The connection is made lazily. Never NULL.
 */
struct dir *dir_open(const struct conf *c);
void dir_close(struct dir *d);

/*
 * Sign in: refuse an empty password (KESU_EAUTH, no bind), bind as the service
 * account, search the user with an RFC 4515-escaped filter, bind as the DN found
 * with password, then (as the service account again) read the groups.
 * Returns KESU_OK and fills *u; KESU_EAUTH for an unknown user or wrong password
 * (indistinguishable); KESU_EDIR when the directory is down or times out.
 */
int dir_authenticate(struct dir *d, struct arena *a, const char *uid, const char *password, struct dir_user *u);

/*
 * A person by uid, as the service account (no password): name, department, roles, for
 * naming someone else (a complaint's new owner). KESU_OK, KESU_ENOTFOUND (unknown or
 * ambiguous), KESU_EDIR.
 */
int dir_lookup(struct dir *d, struct arena *a, const char *uid, struct dir_user *u);

/*
 * The people holding role (through the groups the ldap.role.* keys map to it), and when
 * department is not NULL only those of that department: for naming who can take a step and
 * whom to mail. At most max people, in *out (arena). KESU_OK (possibly none), KESU_EDIR.
 */
int dir_role_people(struct dir *d, struct arena *a, enum role role, const char *department,
    struct dir_user *out, size_t max, size_t *n);

/* Check a password again for an electronic signature: a bind as dn. Same returns. */
int dir_check_password(struct dir *d, const char *dn, const char *password);

/* RFC 4515 escaping of a filter value, in the arena. */
char *dir_escape_filter(struct arena *a, const char *value);

/* Share the directory's health between the workers of this master: call before they fork. */
void dir_shared_init(void);
/*
 * Initialise libldap's process-wide state (its options, and the SASL client library it
 * loads with its plugins) in the master, once, before the workers are forked: each worker
 * then starts with it done instead of redoing it in its own memory (issue 10: RSS).
 */
void dir_library_init(void);

#endif
