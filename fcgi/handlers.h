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
int page_complaint_xlsx(struct app *app, struct req *r, struct resp *rs);
int page_complaint_csv(struct app *app, struct req *r, struct resp *rs);
int page_complaint_bulk(struct app *app, struct req *r, struct resp *rs);
/* page_searches.c */
int page_searches(struct app *app, struct req *r, struct resp *rs);
int page_searches_save(struct app *app, struct req *r, struct resp *rs);
int page_searches_delete(struct app *app, struct req *r, struct resp *rs);
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

/* page_audit_register.c (issue 8: register): the signature register, the exceptions, the reviews;
 * auditors and, read-only, the GM (404 to everyone else). */
int page_audit_signatures(struct app *app, struct req *r, struct resp *rs);
int page_audit_signatures_csv(struct app *app, struct req *r, struct resp *rs);
int page_audit_signatures_xlsx(struct app *app, struct req *r, struct resp *rs);
int page_audit_exceptions(struct app *app, struct req *r, struct resp *rs);
int page_audit_reviews(struct app *app, struct req *r, struct resp *rs);
/* POST /audit/reviews: an auditor signs the review of a period (password again, audited). */
int page_audit_review_sign(struct app *app, struct req *r, struct resp *rs);
/* page_verify.c, page_dossier.c (issue 8, verify): auditors and the GM; anyone else 404. */
/* GET /audit/verify: the head, the run in focus (?run=ID), past runs, the checkpoints. */
int page_audit_verify(struct app *app, struct req *r, struct resp *rs);
/* POST /audit/verify: start a run, or continue run=ID, one bounded slice per request. */
int page_audit_verify_post(struct app *app, struct req *r, struct resp *rs);
/* POST /audit/verify/checkpoint?run=ID: an auditor signs an intact run's head (password again). */
int page_audit_checkpoint(struct app *app, struct req *r, struct resp *rs);
/* GET /audit/views?record=NUMBER | ?actor=UID: who looked at what, keyset pages. */
int page_audit_views(struct app *app, struct req *r, struct resp *rs);
/* GET /complaints/{n}/dossier.pdf: the complaint's whole record as one PDF. */
int page_complaint_dossier(struct app *app, struct req *r, struct resp *rs);
/* page_stats.c: the statistics and the department KPI (issue 9). */
int page_stats(struct app *app, struct req *r, struct resp *rs);
int page_stats_csv(struct app *app, struct req *r, struct resp *rs);
int page_stats_xlsx(struct app *app, struct req *r, struct resp *rs);
int page_stats_reports(struct app *app, struct req *r, struct resp *rs);
int page_stats_report_freeze(struct app *app, struct req *r, struct resp *rs);
int page_stats_report_sign(struct app *app, struct req *r, struct resp *rs);

#endif
