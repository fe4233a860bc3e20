/* handlers.h: every route's handler, for the route table of main.c (one page_*.c file each area). */
#ifndef KESU_HANDLERS_H
#define KESU_HANDLERS_H

#include "app.h"

/* page_auth.c, page_complaints.c */
int page_root(struct app *app, struct req *r, struct resp *rs);
int page_login_form(struct app *app, struct req *r, struct resp *rs);
int page_login(struct app *app, struct req *r, struct resp *rs);
int page_logout(struct app *app, struct req *r, struct resp *rs);
int page_complaint_list(struct app *app, struct req *r, struct resp *rs);
int page_complaint_new(struct app *app, struct req *r, struct resp *rs);
int page_complaint_create(struct app *app, struct req *r, struct resp *rs);
int page_complaint_view(struct app *app, struct req *r, struct resp *rs);
int page_complaint_action(struct app *app, struct req *r, struct resp *rs);
int page_my_work(struct app *app, struct req *r, struct resp *rs);
int page_complaint_owner(struct app *app, struct req *r, struct resp *rs);
/* page_plans.c */
int page_report_save(struct app *app, struct req *r, struct resp *rs);
int page_report_sign(struct app *app, struct req *r, struct resp *rs);
int page_plan_propose(struct app *app, struct req *r, struct resp *rs);
int page_plan_sign(struct app *app, struct req *r, struct resp *rs);
int page_plan_print(struct app *app, struct req *r, struct resp *rs);
/* page_attach.c */
int page_attachment_upload(struct app *app, struct req *r, struct resp *rs);
int page_attachment_get(struct app *app, struct req *r, struct resp *rs);
/* page_penalty.c */
int page_penalty_propose(struct app *app, struct req *r, struct resp *rs);
int page_penalty_list(struct app *app, struct req *r, struct resp *rs);
int page_penalty_view(struct app *app, struct req *r, struct resp *rs);
int page_penalty_step(struct app *app, struct req *r, struct resp *rs);
int page_finance(struct app *app, struct req *r, struct resp *rs);
int page_finance_csv(struct app *app, struct req *r, struct resp *rs);
int page_finance_execute(struct app *app, struct req *r, struct resp *rs);
/* page_admin.c */
int page_admin_authority(struct app *app, struct req *r, struct resp *rs);
int page_admin_authority_add(struct app *app, struct req *r, struct resp *rs);
int page_admin_authority_delete(struct app *app, struct req *r, struct resp *rs);

/* page_sweep.c, page_calendar.c: reminders, overdue inquiries, the business calendar (005). */
/* POST /reminders/{id}/ack: the reader acknowledges a reminder addressed to them (audited). */
int page_reminder_ack(struct app *app, struct req *r, struct resp *rs);
int page_inquiry_view(struct app *app, struct req *r, struct resp *rs);
int page_inquiry_answer(struct app *app, struct req *r, struct resp *rs);
int page_calendar(struct app *app, struct req *r, struct resp *rs);
int page_calendar_post(struct app *app, struct req *r, struct resp *rs);

/* page_8d.c: 8D reports (008). */
int page_8d_open(struct app *app, struct req *r, struct resp *rs);
int page_8d_view(struct app *app, struct req *r, struct resp *rs);
/* Every 8D write: the route's step (ed.h: ed_save, ed_submit, ed_sign, ...) run by ed_step(). */
int page_8d_step(struct app *app, struct req *r, struct resp *rs);
int page_8d_print(struct app *app, struct req *r, struct resp *rs);
int page_8d_pdf(struct app *app, struct req *r, struct resp *rs);
/* issue 8: trail (page_audit.c) */
int page_audit(struct app *app, struct req *r, struct resp *rs);
int page_audit_csv(struct app *app, struct req *r, struct resp *rs);
int page_audit_xlsx(struct app *app, struct req *r, struct resp *rs);

#endif
