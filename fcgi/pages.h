/* pages.h: what the complaint pages (page_complaints.c, page_plans.c) share. */
#ifndef KESU_PAGES_H
#define KESU_PAGES_H

#include "app.h"
#include "access.h"
#include "money.h"
#include "sign.h"
#include "work.h"

struct db_res;

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


/* ---- shared by the pages that take electronic signatures (page_plans.c) ---- */
#include "authority.h"


/* page_8d.c: the 8Ds covering complaint number ("eightds", "can_open_8d") into v; category:
 * the complaint's. And "My work": 8Ds to approve (QA director), to write (their engineer). */
int eightd_complaint_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const char *category, int any);
int eightd_work(struct app *app, struct req *r, struct json_object *lists);

#endif
