/* pages.h: what the complaint pages (page_complaints.c, page_plans.c) share. */
#ifndef KESU_PAGES_H
#define KESU_PAGES_H

#include "app.h"

struct db_res;

/* 1 when n looks like a complaint number (9 to 12 digits). */
int complaint_number_valid(const char *n);

/*
 * Whether the reader may see complaint number (the domain's "Confidentiality"):
 * KESU_OK, KESU_ENOTFOUND when it does not exist or they may not see it (the same
 * answer, so numbers cannot be probed), or a DB error. Runs on db, so inside a
 * transaction too.
 */
int complaint_access(struct db *db, struct req *r, const char *number);

/* Inside a transaction: complaint r->arg locked (FOR UPDATE) if the reader may see it;
 * *row = status, version, owner_uid, category. KESU_ENOTFOUND otherwise. */
int complaint_lock(struct db *db, struct req *r, char ***row);

/* The ROLE_BITs of a comma-separated list of role names; unknown names count nothing. */
unsigned roles_from_list(const char *list);

/* The complaint page's view model for r->arg into *out (caller owns it); KESU_ENOTFOUND
 * when the reader may not see it. */
int complaint_page(struct app *app, struct req *r, struct json_object **out);

/* The complaint page's extra sections (reports, plans, signatures, their forms) into v;
 * complaint_row is a STMT_COMPLAINT_PAGE row. */
int plans_view(struct app *app, struct req *r, struct json_object *v, char **complaint_row,
    const struct db_res *assignments);

/* The complaint's attachments (and each report's) into v, after plans_view; any = 0 when
 * the complaint has none (no query then). */
int attachments_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const struct db_res *assignments, int any);

/* The complaint's penalties the reader may see, and the form to propose one (page_penalty.c). */
int penalties_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const struct db_res *assignments, int any);
/* "My work": penalties to sign, to execute, appeals to decide. */
int penalties_work(struct app *app, struct req *r, struct json_object *lists);

/* "My work": reports to write or sign, plans waiting for the reader's signature. */
int plans_work(struct app *app, struct req *r, struct json_object *lists);

/* One row of a "my work" list from WORK_COLS (number, status, received_at, customer_name,
 * severity, respond_due, resolve_due, owner_name). */
struct json_object *work_row(struct app *app, struct req *r, char **c, const char *now);
/* {key, title, count, empty, rows} appended to lists. */
void work_list_add(struct req *r, struct json_object *lists, const char *key, struct json_object *rows);

/* Money: "1,234.56" yuan -> fen (-1 when malformed: at most two decimals, under 10^12 yuan),
 * and fen -> "1,234.56" in the arena. Never floating point. */
int64_t parse_yuan(const char *s);
const char *fmt_yuan(struct arena *a, int64_t fen);

struct auth_rule;
/* A row (id, action, min_amount_fen, max_amount_fen, severity, roles) of authority_rule into
 * *ru (pointing into the row); 1 when it is a rule the matrix may hold. */
int authority_rule_from_row(char **c, struct auth_rule *ru);
/* Role names joined with ',' in the arena. */
const char *roles_join(struct arena *a, const enum role roles[], int n);

/* ---- shared by the pages that take electronic signatures (page_plans.c) ---- */
#include "authority.h"
/* Role names of a comma-separated list, in order, into out; -1 on an unknown name or too many. */
int roles_parse(const char *list, enum role out[], int max);
/* The signers the authority matrix names for action, amount and level, junior first (out has
 * AUTH_MAX_SIGNERS). KESU_EINPUT when no rule covers it or a rule is invalid (logged). */
int required_signers(struct db *db, struct arena *a, const char *action, int64_t amount_fen, int severity,
    enum role out[], int *n);
/* What a signer declares, in the reader's language: po key "meaning_<entity>_<decision>". */
const char *signature_meaning(const struct req *r, const char *entity, const char *decision);
/* A STMT_SIGNATURE_LIST row as shown; earlier_version when its hash is not current_hash. */
struct json_object *signature_json(struct app *app, struct req *r, char **s, const char *current_hash);
/* The ROLE_BITs that approved (entity, id, revision) among a complaint's signatures. */
unsigned approved_roles(const struct db_res *sigs, const char *entity, const char *id, long revision);

/* The current UTC time as "YYYY-MM-DD HH:MM:SS". */
void utc_now(char out[32]);

/* page_8d.c: the 8Ds covering complaint number ("eightds", "can_open_8d") into v; category:
 * the complaint's. And "My work": 8Ds to approve (QA director), to write (their engineer). */
int eightd_complaint_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const char *category, int any);
int eightd_work(struct app *app, struct req *r, struct json_object *lists);

#endif
