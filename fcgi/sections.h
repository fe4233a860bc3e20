/* sections.h: the builders of the complaint page's sections and of My work's lists, which compose.c puts together. */
#ifndef KESU_SECTIONS_H
#define KESU_SECTIONS_H

#include "app.h"

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

/* page_8d.c: the 8Ds covering complaint number ("eightds", "can_open_8d") into v; category:
 * the complaint's. And "My work": 8Ds to approve (QA director), to write (their engineer). */
int eightd_complaint_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const char *category, int any);
int eightd_work(struct app *app, struct req *r, struct json_object *lists);

/* page_sweep.c: "clocks" (and the complaint's overdue "inquiries") of a complaint's view model;
 * crow: a STMT_COMPLAINT_PAGE row, hist: its STMT_AUDIT_FOR_ENTITY rows, as: STMT_ASSIGNMENT_LIST. */
int clocks_view_add(struct app *app, struct req *r, char **crow, const struct db_res *hist,
    const struct db_res *as, struct json_object *view);
/* page_sweep.c: "reminders" addressed to the signed-in person and "inquiries" their department must answer. */
int work_sweep_add(struct app *app, struct req *r, struct json_object *view);

/* page_audit_register.c: "My work" for auditors: the periodic review when it is overdue. */
int audit_review_work(struct app *app, struct req *r, struct json_object *lists);

#endif
