/* plan.h: what a signature on an investigation report or a handling plan covers, and who may sign next. */
#ifndef KESU_PLAN_H
#define KESU_PLAN_H

#include <stdint.h>
#include "app.h"

/* The six parts of an investigation report (调查报告), in the order the page shows them. */
extern const char *const report_parts[];
#define REPORT_NPARTS 6
#define TEXT_MAX 5000

extern const char *const responsibilities[];
extern const char *const remedy_kinds[];
/* Remedy rows on the form; a plan may have at most this many lines. */
#define REMEDY_ROWS 6

/* Who writes a department's report: its members, its head, its quality engineers. */
#define CAN_WRITE_REPORT (ROLE_BIT(ROLE_DEPT_MEMBER) | ROLE_BIT(ROLE_DEPT_HEAD) | \
	ROLE_BIT(ROLE_QUALITY_ENGINEER))

/* One remedy line: kind, and an amount (fen, -1 none) or a quantity (-1 none), a note. */
struct remedy {
	const char *kind;
	int64_t amount_fen;
	long quantity;
	const char *note;
};

struct plan_content {
	const char *number;
	long revision;
	const char *responsibility;
	int share;               /* the company's share of the costs, % */
	int64_t loss_fen, amount_fen;
	const char *explanation;
	struct remedy lines[REMEDY_ROWS];
	int nlines;
};

/* The SHA-256 of a report revision's canonical content (what its sign-off covers), into out. */
void report_hash(const char *number, const char *department, long revision, const char *const texts[],
    char out[65]);
/* The SHA-256 of a plan revision's canonical content, into out. */
void plan_hash(const struct plan_content *p, char out[65]);
/* A plan revision from a STMT_PLAN_LIST row p and the STMT_REMEDY_LIST rows; strings point into the rows. */
void plan_from_rows(const char *number, char **p, const struct db_res *rem, struct plan_content *out);
/*
 * Whether the reader may give the next signature: they hold the role, did not write or propose
 * the thing, and sign as a department head only for a department of theirs that is
 * responsible (department: the report's, or NULL for a plan and any accepted assignment of
 * theirs, accepted_own).
 */
int may_sign_next(const struct req *r, enum role next, const char *author_uid, const char *department,
    int accepted_own);
/* Whether department accepted its assignment, in a STMT_ASSIGNMENT_LIST result. */
int accepted_department(const struct db_res *as, const char *department);

#endif
