/* sign.h: electronic signatures — who must sign (the authority matrix), in which order, who has approved, the password again, and a signature as shown. */
#ifndef KESU_SIGN_H
#define KESU_SIGN_H

#include "app.h"
#include "authority.h"

/* Role names of a comma-separated list, in order, into out; -1 on an unknown name or too many. */
int roles_parse(const char *list, enum role out[], int max);
/* Role names joined with ',' in the arena. */
const char *roles_join(struct arena *a, const enum role roles[], int n);
/* A row (id, action, min_amount_fen, max_amount_fen, severity, roles) of authority_rule into
 * *ru (pointing into the row); 1 when it is a rule the matrix may hold. */
int authority_rule_from_row(char **c, struct auth_rule *ru);
/* The signers the authority matrix names for action, amount and level, junior first (out has
 * AUTH_MAX_SIGNERS). KESU_EINPUT when no rule covers it or a rule is invalid (logged). */
int required_signers(struct db *db, struct arena *a, const char *action, int64_t amount_fen, int severity,
    enum role out[], int *n);
/*
 * The rules (authority_rule ids, ascending, comma-separated, in the arena) whose roles
 * required_signers() joins for the same case: each id is one version of the matrix, since a
 * rule is never edited, only added and deleted (authority_rule_version, 015). "" when none.
 * KESU_OK or a DB error.
 */
int required_rule_ids(struct db *db, struct arena *a, const char *action, int64_t amount_fen, int severity,
    const char **ids);
/* The ROLE_BITs that approved (entity, id, revision) among a complaint's signatures. */
unsigned approved_roles(const struct db_res *sigs, const char *entity, const char *id, long revision);

/*
 * The signed-in person's password again, for an electronic signature. Wrong guesses count
 * under the same rule as sign-in (login_throttle.c: per account, slowed down, never locked
 * for a clean address) and are audited: KESU_OK, KESU_EAUTH (empty or wrong), KESU_ELOCKED
 * (wait a moment), KESU_EDIR, or a DB error.
 */
int password_recheck(struct app *app, struct req *r, const char *password);
/* The form's "password" re-checked for a signature: KESU_OK; KESU_EINPUT with errors.password
 * set when wrong; KESU_ELOCKED, KESU_EDIR or a DB error otherwise. */
int signature_password(struct app *app, struct req *r, struct json_object *errors);
/* What a signer declares, in the reader's language: po key "meaning_<entity>_<decision>". */
const char *signature_meaning(const struct req *r, const char *entity, const char *decision);
/* A STMT_SIGNATURE_LIST row as shown; earlier_version when its hash is not current_hash. */
struct json_object *signature_json(struct app *app, struct req *r, char **s, const char *current_hash);

#endif
