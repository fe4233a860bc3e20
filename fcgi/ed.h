/* ed.h: an 8D report as the pages read it — who writes and sees it, loaded with access checked, its versions and their content hash. */
#ifndef KESU_ED_H
#define KESU_ED_H

#include "app.h"
#include "eightd.h"

/* Who writes 8Ds, who sees them before they are approved (everyone else who may see a
 * covered complaint sees the approved versions only). */
#define WRITES_8D ROLE_BIT(ROLE_QUALITY_ENGINEER)
#define SEES_DRAFTS (ROLE_BIT(ROLE_QUALITY_ENGINEER) | ROLE_BIT(ROLE_QA_DIRECTOR) | ROLE_BIT(ROLE_AUDITOR))
#define ACCEPT_TYPES ".jpg,.jpeg,.png,.gif,.webp,.pdf,.docx,.xlsx"
#define COMMENT_MAX 2000
#define HOLD_ROWS 6

/* Where held goods are: the rows of a hold notice. */
extern const char *const location_kinds[];

/* An 8D as read for one request. */
struct ed {
	char **row;              /* STMT_8D_GET: id, number, title, owner_uid, owner_name, opened_at,
	                          * part_received_at, d3_due, d4_due, d7_due, d8_due, d3_done_at,
	                          * d4_done_at, d7_done_at, d8_done_at */
	struct db_res cs;        /* STMT_8D_COMPLAINTS: number, customer_name, status, part_no, lot,
	                          * category, owner_uid */
	struct db_res vs;        /* STMT_8D_VERSIONS, oldest first */
	int drafts;              /* the reader sees versions that are not approved */
};

/* The string member k of a discipline's object, "" when absent or not a string. */
const char *sget(struct json_object *o, const char *k);
/* The disciplines of a STMT_8D_VERSIONS or STMT_8D_VERSION_LOCK row parsed into out[] (caller puts them). */
void parse_disciplines(char **v, struct json_object *out[ED_NDISC]);
/* Release what parse_disciplines() made. */
void put_disciplines(struct json_object *d[ED_NDISC]);
/* The SHA-256 of a version's canonical content (what the director's signature covers), into out. */
void version_hash(char **e, long version, struct json_object *const d[ED_NDISC], const struct db_res *att,
    char out[65]);
/* The level of complaint number (0 when unknown). */
int severity_of(struct db *db, struct arena *a, const char *number);
/* The 8D r->arg if the reader may see it (lock: FOR UPDATE): KESU_OK, else KESU_ENOTFOUND, as
 * for an id never issued. */
int ed_load(struct db *db, struct req *r, int lock, struct ed *e);
/* Whether the reader may record that the 8D was sent to the customer. */
int may_record_sent(const struct req *r, const struct ed *e);
/* The STMT_8D_VERSIONS row of version v, or NULL. */
char **ed_version(const struct ed *e, long v);
/* Which of D3, D4 and D7 (the parts with their own deadlines) are complete in d. */
void parts_done(struct json_object *const d[ED_NDISC], int *d3, int *d4, int *d7);

/* One 8D step's state, from the form to its transaction. */
struct ed_tx {
	struct req *r;
	struct app *app;
	const char *id;
	long version, revision;
	int disc;                        /* save: the discipline */
	struct json_object *content;     /* save: its normalised fields */
	const char *decision, *comment;
	struct json_object *comments;    /* return: discipline -> comment */
	const char *number;              /* open, link: the complaint */
	const char *title, *received;    /* open */
	const char *recipient, *note;    /* sent */
	const char *hold_id;             /* release */
	const char *reason;              /* hold */
	const char *lines[HOLD_ROWS][5]; /* hold: kind, location, part, lot, quantity */
	int nlines;
	const char *names[8], *types[8]; /* attachments */
	char hashes[8][65];
	size_t nfiles;
	struct json_object *errors;      /* field -> message, on KESU_EINPUT */
	long new_id;                     /* open: the new 8D */
};

/* A step's state for r (errors ready). */
void tx_init(struct ed_tx *t, struct app *app, struct req *r);
/* The form's version (and revision when want_rev) into t: KESU_OK or KESU_EINPUT. */
int tx_versions(struct ed_tx *t, int want_rev);
/* The start every 8D write shares: the 8D r->arg visible to the reader, the form's versions. */
int write_start(struct app *app, struct req *r, struct ed_tx *t, int want_rev);
/* Give up a step before its transaction: t's errors released, rc returned. */
int abort_start(struct ed_tx *t, int rc);
/* Inside a transaction: the 8D and its latest version locked, which must be in one of states
 * (comma-separated) and, when rev >= 0, at revision rev; KESU_ECONFLICT/KESU_ESTATE otherwise. */
int lock_latest(struct db *db, struct ed_tx *t, struct ed *e, char ***v, const char *states, long rev);
/* The audit record of an 8D step. */
int audit_8d(struct db *db, struct req *r, const char *id, const char *action, struct json_object *after);
/* Answer a step: its errors to the step runner (step.h), or back to the 8D page (JSON: the id,
 * version and revision). */
int ed_finish(struct app *app, struct req *r, struct resp *rs, struct ed_tx *t, int rc, const char *what);

/*
 * An 8D write as a table entry: what it is (the audited action and the "done" notice), whether
 * the form carries the revision, the roles that may take it (0: any reader; the transaction
 * decides), its own fields (NULL: none; errors go to t->errors, any other code is answered as
 * it is), whether it is a signature (the password typed again), and its transaction.
 */
struct ed_step {
	const char *what;
	int want_rev;
	unsigned roles;
	int (*fields)(struct app *app, struct req *r, struct ed_tx *t);
	int signs;
	int (*tx)(struct db *db, void *arg);
};
/* Run an 8D write the one way every 8D write runs (ed.c); what ed_finish() answers. */
int ed_step(struct app *app, struct req *r, struct resp *rs, const struct ed_step *st);

/* The 8D writes (page_8d.c, page_hold.c), named by the route table. */
extern const struct ed_step ed_save, ed_submit, ed_sign, ed_revise, ed_link, ed_sent, ed_attach, ed_hold,
    ed_hold_release;

#endif
