/* main.c: kesu-fcgi — configuration, the master and its pre-forked workers, the accept loop, the routes. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "handlers.h"
#include "crypto.h"
#include "i18n.h"
#include "ed.h"
#include "access.h"
#include "authority.h"
#include "pdf.h"
#include "step.h"
#include "valid.h"
#include "sess_mine.h"
#include "sess_cache.h"
#include "search_sync.h"
#include "stats_fold.h"
#include "access_log.h"

/* ---- routes ---- */

/* ONE_SEGMENT: prefix + one path segment into r->arg; SEGMENT_SUFFIX: the same followed by suffix. */
enum match { EXACT, ONE_SEGMENT, SEGMENT_SUFFIX };

/* What the path's variable part must look like; anything else is 404 before the handler. */
enum argkind { ARG_NONE, ARG_NUMBER, ARG_ID };

/* Who may reach a route at all (record-level access stays with the record's service). */
/* PUBLIC: anyone; SIGNED_IN: a signed-in person, and never an auditor for a write (the auditor
 * reads everything and changes nothing); AUDIT_WORK: a signed-in person's own work that is no
 * change to a record — an auditor's reviews, verification runs and checkpoints, ending one's
 * own other sessions, saving or deleting one's own searches. */
enum policy { PUBLIC, SIGNED_IN, AUDIT_WORK };

/* Where a write's form lives, for the step runner (step.h): the page rendered again on error. */
enum home { HOME_NONE, HOME_COMPLAINT, HOME_8D, HOME_PENALTY, HOME_INQUIRY, HOME_NEW, HOME_FINANCE,
	HOME_AUTHORITY, HOME_CALENDAR, HOME_AUDIT_VERIFY, HOME_STATS, HOME_SEARCHES, HOME_LIST, HOME__MAX };

static const struct home_page {
	handler_fn page;
	const char *path;     /* its address; ending in '/': followed by the route's argument */
	const char *entity;   /* the audit trail's name of the record, or NULL */
} homes[HOME__MAX] = {
	[HOME_COMPLAINT] = { page_complaint_view, "/complaints/", "complaint" },
	[HOME_8D] = { page_8d_view, "/8d/", "8d_report" },
	[HOME_PENALTY] = { page_penalty_view, "/penalties/", NULL },
	[HOME_INQUIRY] = { page_inquiry_view, "/inquiries/", NULL },
	[HOME_NEW] = { page_complaint_new, "/complaints/new", NULL },
	[HOME_FINANCE] = { page_finance, "/finance", NULL },
	[HOME_AUTHORITY] = { page_admin_authority, "/admin/authority", "authority_rule" },
	[HOME_CALENDAR] = { page_calendar, "/admin/calendar", NULL },
	[HOME_AUDIT_VERIFY] = { page_audit_verify, "/audit/verify", NULL },
	[HOME_STATS] = { page_stats, "/stats", NULL },
	[HOME_SEARCHES] = { page_searches, "/searches", NULL },
	[HOME_LIST] = { page_complaint_list, "/complaints", NULL },
};

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define FINANCE_READERS (ROLE_BIT(ROLE_FINANCE) | ROLE_BIT(ROLE_AUDITOR))
#define MATRIX_READERS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_AUDITOR))
#define REGISTRARS (ROLE_BIT(ROLE_AGENT) | ROLE_BIT(ROLE_SUPERVISOR))

/*
 * The route table carries the policy: sign-in, roles (0: any signed-in person) and the
 * argument's kind are checked once in handle() before any handler runs, like the CSRF token;
 * a write names the page its form lives on, so that every failed write answers the same way.
 */
static const struct route {
	enum method method;
	const char *path;
	enum match match;
	const char *suffix;
	enum policy policy;
	unsigned roles;
	enum argkind arg;
	handler_fn fn;
	enum home home;
	const void *step;   /* a write declared as a table entry of its area (ed.h: struct ed_step) */
} routes[] = {
	{ METHOD_GET, "/", EXACT, NULL, PUBLIC, 0, ARG_NONE, page_root, HOME_NONE, NULL },
	{ METHOD_GET, "/login", EXACT, NULL, PUBLIC, 0, ARG_NONE, page_login_form, HOME_NONE, NULL },
	{ METHOD_POST, "/login", EXACT, NULL, PUBLIC, 0, ARG_NONE, page_login, HOME_NONE, NULL },
	{ METHOD_POST, "/logout", EXACT, NULL, PUBLIC, 0, ARG_NONE, page_logout, HOME_NONE, NULL },
	{ METHOD_GET, "/work", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_my_work, HOME_NONE, NULL },
	{ METHOD_GET, "/complaints", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_complaint_list, HOME_NONE, NULL },
	{ METHOD_GET, "/complaints/new", EXACT, NULL, SIGNED_IN, REGISTRARS, ARG_NONE, page_complaint_new, HOME_NONE, NULL },
	{ METHOD_POST, "/complaints", EXACT, NULL, SIGNED_IN, REGISTRARS, ARG_NONE, page_complaint_create, HOME_NEW, NULL },
	{ METHOD_GET, "/complaints/", ONE_SEGMENT, NULL, SIGNED_IN, 0, ARG_NUMBER, page_complaint_view, HOME_NONE, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/action", SIGNED_IN, 0, ARG_NUMBER, page_complaint_action, HOME_COMPLAINT, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/owner", SIGNED_IN, 0, ARG_NUMBER, page_complaint_owner, HOME_COMPLAINT, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/report", SIGNED_IN, 0, ARG_NUMBER, page_report_save, HOME_COMPLAINT, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/report/sign", SIGNED_IN, 0, ARG_NUMBER, page_report_sign, HOME_COMPLAINT, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/plan", SIGNED_IN, 0, ARG_NUMBER, page_plan_propose, HOME_COMPLAINT, NULL },
	{ METHOD_GET, "/complaints/", SEGMENT_SUFFIX, "/plan", SIGNED_IN, 0, ARG_NUMBER, page_plan_print, HOME_NONE, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/plan/sign", SIGNED_IN, 0, ARG_NUMBER, page_plan_sign, HOME_COMPLAINT, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/attachments", SIGNED_IN, 0, ARG_NUMBER, page_attachment_upload, HOME_COMPLAINT, NULL },
	{ METHOD_GET, "/attachments/", ONE_SEGMENT, NULL, SIGNED_IN, 0, ARG_ID, page_attachment_get, HOME_NONE, NULL },
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/penalties", SIGNED_IN, 0, ARG_NUMBER, page_penalty_propose, HOME_COMPLAINT, NULL },
	{ METHOD_GET, "/penalties", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_penalty_list, HOME_NONE, NULL },
	{ METHOD_GET, "/penalties/", ONE_SEGMENT, NULL, SIGNED_IN, 0, ARG_ID, page_penalty_view, HOME_NONE, NULL },
	{ METHOD_POST, "/penalties/", SEGMENT_SUFFIX, "/step", SIGNED_IN, 0, ARG_ID, page_penalty_step, HOME_PENALTY, NULL },
	{ METHOD_GET, "/finance", EXACT, NULL, SIGNED_IN, FINANCE_READERS, ARG_NONE, page_finance, HOME_NONE, NULL },
	{ METHOD_GET, "/finance.csv", EXACT, NULL, SIGNED_IN, FINANCE_READERS, ARG_NONE, page_finance_csv, HOME_NONE, NULL },
	{ METHOD_POST, "/finance/execute", EXACT, NULL, SIGNED_IN, ROLE_BIT(ROLE_FINANCE), ARG_NONE, page_finance_execute, HOME_FINANCE, NULL },
	{ METHOD_GET, "/admin/authority", EXACT, NULL, SIGNED_IN, MATRIX_READERS, ARG_NONE, page_admin_authority, HOME_NONE, NULL },
	{ METHOD_POST, "/admin/authority", EXACT, NULL, SIGNED_IN, ADMIN, ARG_NONE, page_admin_authority_add, HOME_AUTHORITY, NULL },
	{ METHOD_POST, "/admin/authority/", SEGMENT_SUFFIX, "/delete", SIGNED_IN, ADMIN, ARG_ID, page_admin_authority_delete, HOME_AUTHORITY, NULL },
	{ METHOD_GET, "/inquiries/", ONE_SEGMENT, NULL, SIGNED_IN, 0, ARG_ID, page_inquiry_view, HOME_NONE, NULL },
	{ METHOD_POST, "/inquiries/", ONE_SEGMENT, NULL, SIGNED_IN, 0, ARG_ID, page_inquiry_answer, HOME_INQUIRY, NULL },
	{ METHOD_GET, "/admin/calendar", EXACT, NULL, SIGNED_IN, MATRIX_READERS, ARG_NONE, page_calendar, HOME_NONE, NULL },
	{ METHOD_POST, "/admin/calendar", EXACT, NULL, SIGNED_IN, ADMIN, ARG_NONE, page_calendar_post, HOME_CALENDAR, NULL },
	/* 8D reports (008) */
	{ METHOD_POST, "/complaints/", SEGMENT_SUFFIX, "/8d", SIGNED_IN, 0, ARG_NUMBER, page_8d_open, HOME_COMPLAINT, NULL },
	{ METHOD_GET, "/8d/", ONE_SEGMENT, NULL, SIGNED_IN, 0, ARG_ID, page_8d_view, HOME_NONE, NULL },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/save", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_save },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/submit", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_submit },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/sign", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_sign },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/revise", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_revise },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/link", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_link },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/sent", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_sent },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/attachments", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_attach },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/hold", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_hold },
	{ METHOD_POST, "/8d/", SEGMENT_SUFFIX, "/hold/release", SIGNED_IN, 0, ARG_ID, page_8d_step, HOME_8D, &ed_hold_release },
	{ METHOD_GET, "/8d/", SEGMENT_SUFFIX, "/print", SIGNED_IN, 0, ARG_ID, page_8d_print, HOME_NONE, NULL },
	{ METHOD_GET, "/8d/", SEGMENT_SUFFIX, "/pdf", SIGNED_IN, 0, ARG_ID, page_8d_pdf, HOME_NONE, NULL },
	/* ---- issue 7: security ---- */
	{ METHOD_GET, "/sessions", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_sessions, HOME_NONE, NULL },
	{ METHOD_POST, "/sessions/end-others", EXACT, NULL, AUDIT_WORK, 0, ARG_NONE, page_sessions_end_others, HOME_NONE, NULL },
	/* ---- end security ---- */
	/* ---- issue 7: work ---- */
	{ METHOD_POST, "/reminders/", SEGMENT_SUFFIX, "/ack", SIGNED_IN, 0, ARG_ID, page_reminder_ack, HOME_NONE, NULL },
	/* ---- end work ---- */
	/* ---- issue 8: trail ---- */
	/* 404 to anyone but auditors and the GM: checked in the handlers, so /audit does not exist for others. */
	{ METHOD_GET, "/audit", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit, HOME_NONE, NULL },
	{ METHOD_GET, "/audit.csv", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_csv, HOME_NONE, NULL },
	{ METHOD_GET, "/audit.xlsx", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_xlsx, HOME_NONE, NULL },
	/* ---- end trail ---- */
	/* ---- issue 8: register ---- */
	{ METHOD_GET, "/audit/signatures", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_signatures, HOME_NONE, NULL },
	{ METHOD_GET, "/audit/signatures.csv", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_signatures_csv, HOME_NONE, NULL },
	{ METHOD_GET, "/audit/signatures.xlsx", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_signatures_xlsx, HOME_NONE, NULL },
	{ METHOD_GET, "/audit/exceptions", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_exceptions, HOME_NONE, NULL },
	{ METHOD_GET, "/audit/reviews", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_reviews, HOME_NONE, NULL },
	/* its form re-renders its own page on error (page_audit_review_sign) */
	{ METHOD_POST, "/audit/reviews", EXACT, NULL, AUDIT_WORK, 0, ARG_NONE, page_audit_review_sign, HOME_NONE, NULL },
	/* ---- end register ---- */
	/* ---- issue 8: verify ---- */
	{ METHOD_GET, "/audit/verify", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_verify, HOME_NONE, NULL },
	{ METHOD_POST, "/audit/verify", EXACT, NULL, AUDIT_WORK, 0, ARG_NONE, page_audit_verify_post, HOME_AUDIT_VERIFY, NULL },
	{ METHOD_POST, "/audit/verify/checkpoint", EXACT, NULL, AUDIT_WORK, 0, ARG_NONE, page_audit_checkpoint, HOME_AUDIT_VERIFY, NULL },
	{ METHOD_GET, "/audit/views", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_audit_views, HOME_NONE, NULL },
	{ METHOD_GET, "/complaints/", SEGMENT_SUFFIX, "/dossier.pdf", SIGNED_IN, 0, ARG_NUMBER, page_complaint_dossier, HOME_NONE, NULL },
	/* ---- end verify ---- */
	/* ---- issue 9: stats ---- */
	{ METHOD_GET, "/stats", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_stats, HOME_NONE, NULL },
	{ METHOD_GET, "/stats.csv", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_stats_csv, HOME_NONE, NULL },
	{ METHOD_GET, "/stats.xlsx", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_stats_xlsx, HOME_NONE, NULL },
	{ METHOD_GET, "/stats/reports", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_stats_reports, HOME_NONE, NULL },
	{ METHOD_POST, "/stats/reports", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_stats_report_freeze, HOME_STATS, NULL },
	{ METHOD_POST, "/stats/reports/sign", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_stats_report_sign, HOME_STATS, NULL },
	/* ---- end stats ---- */
	/* ---- issue 9: search ---- */
	{ METHOD_POST, "/complaints/bulk", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_complaint_bulk, HOME_LIST, NULL },
	{ METHOD_GET, "/searches", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_searches, HOME_NONE, NULL },
	{ METHOD_POST, "/searches", EXACT, NULL, AUDIT_WORK, 0, ARG_NONE, page_searches_save, HOME_SEARCHES, NULL },
	{ METHOD_POST, "/searches/", SEGMENT_SUFFIX, "/delete", AUDIT_WORK, 0, ARG_ID, page_searches_delete, HOME_SEARCHES, NULL },
	{ METHOD_GET, "/complaints.xlsx", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_complaint_xlsx, HOME_NONE, NULL },
	{ METHOD_GET, "/complaints.csv", EXACT, NULL, SIGNED_IN, 0, ARG_NONE, page_complaint_csv, HOME_NONE, NULL },
	/* ---- end search ---- */
	/* ---- issue 10: listfast ---- */
	/* ---- end listfast ---- */
	/* ---- issue 10: agentvis ---- */
	/* ---- end agentvis ---- */
	/* ---- issue 10: pagefast ---- */
	/* ---- end pagefast ---- */
	/* ---- issue 10: regload ---- */
	/* ---- end regload ---- */
	/* ---- issue 10: pagefacts ---- */
	/* ---- end pagefacts ---- */
	/* ---- issue 10: regfast2 ---- */
	/* ---- end regfast2 ---- */
	/* ---- issue 10: listp99 ---- */
	/* ---- end listp99 ---- */
	/* ---- issue 10: pagerender ---- */
	/* ---- end pagerender ---- */
};

/* The route of r, with r->arg set; *known tells whether the path exists under another method. */
static const struct route *
route(struct req *r, int *known)
{
	enum method m = r->method == METHOD_HEAD ? METHOD_GET : r->method;

	*known = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
		size_t pl = strlen(rt->path);
		const char *arg = NULL;

		if (rt->match == EXACT) {
			if (strcmp(r->path, rt->path) != 0)
				continue;
		} else if (rt->match == ONE_SEGMENT) {
			if (strncmp(r->path, rt->path, pl) != 0 || r->path[pl] == '\0' ||
			    strchr(r->path + pl, '/') != NULL)
				continue;
			arg = r->path + pl;
		} else {
			const char *slash;
			if (strncmp(r->path, rt->path, pl) != 0 || r->path[pl] == '\0' ||
			    (slash = strchr(r->path + pl, '/')) == NULL || slash == r->path + pl ||
			    strcmp(slash, rt->suffix) != 0)
				continue;
			arg = arena_strndup(r->a, r->path + pl, (size_t)(slash - (r->path + pl)));
		}
		*known = 1;
		if (rt->method != m)
			continue;
		r->arg = arg;
		r->step = rt->step;
		return rt;
	}
	return NULL;
}

/* ---- the worker ---- */

static void master_forget(void);

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

struct fcgx_ctx {
	FCGX_Request *fr;
};

static const char *
fcgx_param(void *ctx, const char *name)
{
	return FCGX_GetParam(name, ((struct fcgx_ctx *)ctx)->fr->envp);
}

static long
fcgx_read(void *ctx, char *buf, size_t n)
{
	int got = FCGX_GetStr(buf, (int)(n > 1 << 30 ? 1 << 30 : n), ((struct fcgx_ctx *)ctx)->fr->in);
	return got < 0 ? -1 : got;
}

/* The user's language: ?lang= (remembered in a cookie), the cookie, then Accept-Language. */
static void
choose_lang(struct app *app, struct req *r, struct resp *rs)
{
	const char *q = req_query(r, "lang"), *c = req_cookie(r, "kesu_lang");
	enum lang l;

	if (q != NULL && (l = lang_from_code(q)) != LANG__MAX) {
		r->lang = l;
		resp_cookie(app, r, rs, "kesu_lang", lang_code(l), 365L * 86400, 0);
	} else if (c != NULL && (l = lang_from_code(c)) != LANG__MAX) {
		r->lang = l;
	} else {
		r->lang = lang_from_accept(r->accept_language);
	}
}

/* Whether the route's argument has the shape its kind names. */
static int
arg_ok(enum argkind k, const char *arg)
{
	switch (k) {
	case ARG_NONE:
		return 1;
	case ARG_NUMBER:
		return complaint_number_valid(arg);
	case ARG_ID:
		return valid_id(arg);
	}
	return 0;
}

/* A refusal of the signed-in person on rt, under the route's pattern ("POST /complaints/{n}/plan"). */
static void
refused(struct app *app, struct req *r, const struct route *rt, int status, enum refusal why)
{
	access_refusal_log(app, r, arena_printf(r->a, "%s %s%s%s", rt->method == METHOD_POST ? "POST" : "GET",
	    rt->path, rt->arg == ARG_NUMBER ? "{n}" : rt->arg == ARG_ID ? "{id}" : "",
	    rt->suffix != NULL ? rt->suffix : ""), status, why);
}

static void
handle(struct app *app, struct req *r, struct resp *rs, const struct req_src *src, struct arena *a)
{
	const struct route *rt;
	int rc, known;

	rc = req_parse(r, a, src, &app->lim);
	kesu_reqid = r->id[0] ? r->id : "-";
	if (rc != KESU_OK) {
		r->lang = lang_from_accept(r->accept_language);
		resp_error(app, r, rs, rc);
		return;
	}
	choose_lang(app, r, rs);
	if ((rt = route(r, &known)) == NULL) {
		if (known) {
			rs->status = 405;
			resp_header(rs, "Allow", r->method == METHOD_POST ? "GET, HEAD" : "POST");
			buf_puts(&rs->body, "Method Not Allowed");
			return;
		}
		resp_error(app, r, rs, KESU_ENOTFOUND);
		return;
	}
	if (!arg_ok(rt->arg, r->arg)) {
		resp_error(app, r, rs, KESU_ENOTFOUND);
		return;
	}
	if ((rc = db_ensure(app->db)) != KESU_OK) {
		resp_error(app, r, rs, rc);
		return;
	}
	/* The pages people open all day prove the session in their own statement (sess_cache.h):
	 * no round trip for it. Every other request reads it. */
	if (!(r->method == METHOD_GET && (rt->fn == page_complaint_list || rt->fn == page_complaint_view) &&
	    sess_cache_load(app, r))) {
		if ((rc = sess_load(app, r)) != KESU_OK) {
			resp_error(app, r, rs, rc);
			return;
		}
		sess_cache_put(r);
	}
	/* Every state-changing request carries the CSRF token: checked here, once, for all. */
	if (r->method == METHOD_POST && !csrf_ok(r)) {
		LOG_WARN("CSRF token missing or wrong on %s", r->path);
		resp_error(app, r, rs, KESU_ECSRF);
		return;
	}
	/* The route's policy, checked here once for all: sign-in, then roles. */
	if (rt->policy != PUBLIC && r->sess == NULL) {
		resp_error(app, r, rs, KESU_EAUTH);
		return;
	}
	if (rt->roles != 0 && !sess_has(r, rt->roles)) {
		refused(app, r, rt, 403, REFUSAL_ROLE);
		resp_error(app, r, rs, KESU_EFORBIDDEN);
		return;
	}
	/* The auditor reads everything and changes nothing: every signed-in write is 403 to the
	 * auditor role, whatever else the person holds (segregation of duties); AUDIT_WORK routes
	 * are the auditor's own work, not changes to a record. */
	if (r->method == METHOD_POST && rt->policy == SIGNED_IN && sess_has(r, ROLE_BIT(ROLE_AUDITOR))) {
		LOG_WARN("an auditor's write refused on %s", r->path);
		refused(app, r, rt, 403, REFUSAL_AUDITOR);
		resp_error(app, r, rs, KESU_EFORBIDDEN);
		return;
	}
	rc = rt->fn(app, r, rs);
	/* A cached session the page did not prove (an error before its statement): proven now,
	 * before anything is logged or shown; gone, the person is not signed in. */
	if (r->sess != NULL && r->sess->unproven) {
		int prc = sess_cache_need(app, r);
		if (prc != KESU_OK) {
			resp_reset(rs);
			resp_error(app, r, rs, prc);
			return;
		}
	}
	if (rc != KESU_OK) {
		/* Refused access is a failed attempt too (docs/audit.md): a step refused, a record
		 * the person may not see, an /audit* page for someone who may not read it. */
		if (rc == KESU_EFORBIDDEN)
			refused(app, r, rt, 403, REFUSAL_STEP);
		else if (rc == KESU_ENOTFOUND && r->refused != NULL)
			refused(app, r, rt, 404, REFUSAL_RECORD);
		else if (rc == KESU_ENOTFOUND && r->sess != NULL && strncmp(rt->path, "/audit", 6) == 0 &&
		    !sess_has(r, ROLE_BIT(ROLE_AUDITOR) | ROLE_BIT(ROLE_GM)))
			refused(app, r, rt, 404, REFUSAL_AUDIT_PAGE);
		if (rt->home != HOME_NONE) {
			/* A write that could not be done: its page again, with what was typed. */
			const struct home_page *h = &homes[rt->home];
			size_t pl = strlen(h->path);
			struct step_page pg = { h->page, h->path, h->entity, r->arg };
			if (pl > 0 && h->path[pl - 1] == '/')
				pg.path = arena_printf(r->a, "%s%s", h->path, r->arg ? r->arg : "");
			step_failed(app, r, rs, rc, &pg);
			return;
		}
		resp_reset(rs);
		resp_error(app, r, rs, rc);
	}
}

/* db_check_statements in a child process: its result. */
static int
check_statements(struct app *app)
{
	pid_t pid = fork();
	int st = 0;

	if (pid < 0)
		return db_check_statements(app->conf);
	if (pid == 0) {
		int rc = db_check_statements(app->conf);
		_exit(rc == KESU_OK ? 0 : rc == KESU_EINTERNAL ? 2 : 1);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st))
		return KESU_EDB;
	return WEXITSTATUS(st) == 0 ? KESU_OK : WEXITSTATUS(st) == 2 ? KESU_EINTERNAL : KESU_EDB;
}

/* A resp_file body to the client, 64 KiB at a time (the export: never whole in memory). */
static void
put_file(FILE *f, size_t len, FCGX_Stream *out)
{
	char b[65536];
	size_t n;

	while (len > 0 && (n = fread(b, 1, len < sizeof(b) ? len : sizeof(b), f)) > 0) {
		if (FCGX_PutStr(b, (int)n, out) < 0)
			return;   /* the client went away */
		len -= n;
	}
}

static void
worker(struct app *app, int sock)
{
	FCGX_Request fr;
	struct arena *a = arena_new();
	struct resp rs;
	struct buf out;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;   /* no SA_RESTART: accept() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);

	/* Connections are opened after fork(): one per worker. */
	if (db_open_lazy(&app->db, app->conf) != KESU_OK)
		LOG_WARN("database unavailable at start; will retry on the first request");
	app->dir = dir_open(app->conf);
	resp_init(&rs);
	buf_init(&out);
	FCGX_InitRequest(&fr, sock, 0);

	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		struct fcgx_ctx ctx = { &fr };
		struct req_src src = { fcgx_param, fcgx_read, &ctx };
		struct req r;
		char drain[4096];

		resp_reset(&rs);
		buf_reset(&out);
		handle(app, &r, &rs, &src, a);
		resp_serialise(&rs, &r, &out);
		/* Consume what is left of the body so that closing does not reset the
		 * connection, then detach: FCGX_Finish_r would otherwise wait up to 2 s
		 * for nginx to close (field notes). */
		while (FCGX_GetStr(drain, sizeof(drain), fr.in) > 0)
			;
		FCGX_PutStr(out.p, (int)out.len, fr.out);
		if (rs.file != NULL && r.method != METHOD_HEAD)
			put_file(rs.file, rs.file_len, fr.out);
		FCGX_Detach(&fr);
		FCGX_Finish_r(&fr);
		arena_reset(a);
		kesu_reqid = "-";
		/* A large page must not keep its memory for the rest of the worker's life. */
		if (out.cap > 1 << 20)
			buf_free(&out);
		if (rs.body.cap > 1 << 20)
			buf_free(&rs.body);
	}
	LOG_INFO("worker stopping");
	resp_free(&rs);
	buf_free(&out);
	arena_free(a);
	db_close(app->db);
	dir_close(app->dir);
	master_forget();
	tmpl_set_free(app->tmpl);
	i18n_free();
	conf_free(app->conf);
	exit(0);
}

/* ---- the master ---- */

static volatile sig_atomic_t got_term, got_hup;

/* The master's own state; file-scope so that a worker can free its copy before it exits. */
static char *sockpath, *pidfile;
static pid_t *pids;
static long *born;   /* when each slot's child was started (monotonic ms) */

static void
master_forget(void)
{
	free(sockpath);
	free(pidfile);
	free(pids);
	free(born);
	sockpath = pidfile = NULL;
	pids = NULL;
	born = NULL;
}

static void
on_master_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig != SIGCHLD)
		got_term = 1;
}

/* Templates and texts: loaded in the master so that a broken one fails at start-up. */
static int
load_assets(struct app *app)
{
	const char *tdir = conf_str(app->conf, "paths.templates", KESU_DATADIR "/templates");
	const char *pdir = conf_str(app->conf, "paths.po", KESU_DATADIR "/po");
	struct tmpl_set *t;
	char *err = NULL;

	if ((t = tmpl_set_load_dir(tdir, &err)) == NULL) {
		LOG_ERR("templates: %s", err ? err : "cannot load");
		free(err);
		return -1;
	}
	i18n_free();
	if (i18n_load(pdir, &err) != 0) {
		LOG_ERR("catalogs: %s", err ? err : "cannot load");
		free(err);
		tmpl_set_free(t);
		return -1;
	}
	tmpl_set_free(app->tmpl);
	app->tmpl = t;
	return 0;
}

static void
configure(struct app *app)
{
	const char *lvl = conf_str(app->conf, "log.level", "info");
	const char *secure = conf_str(app->conf, "session.cookie_secure", "auto");

	kesu_log_level(strcmp(lvl, "err") == 0 ? LOG_LVL_ERR : strcmp(lvl, "warn") == 0 ? LOG_LVL_WARN :
	    strcmp(lvl, "debug") == 0 ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	app->lim.max_body = (size_t)conf_int(app->conf, "fcgi.max_body", 1048576);
	/* An upload's body: the largest file allowed plus room for the form around it. */
	app->attach_max = (size_t)conf_int(app->conf, "attachments.max_bytes", 10485760);
	app->lim.max_upload = app->attach_max + 65536;
	app->attach_dir = conf_str(app->conf, "paths.attachments", "/var/lib/kesu/attachments");
	app->lim.max_files = 5;
	app->lim.max_fields = 200;
	app->lim.max_field = 65536;
	app->lim.max_cookies = 50;
	app->sess_idle = conf_int(app->conf, "session.idle_seconds", 1800);
	app->sess_absolute = conf_int(app->conf, "session.absolute_seconds", 43200);
	app->cookie_secure = strcmp(secure, "auto") == 0 ? -1 : atoi(secure) != 0;
	app->login_slow_after = conf_int(app->conf, "login.slow_after", 3);
	app->login_lock_after = conf_int(app->conf, "login.lock_after", 10);
	app->login_lock_seconds = conf_int(app->conf, "login.lock_seconds", 900);
	app->login_window = conf_int(app->conf, "login.window_seconds", 900);
	app->utc_offset_min = conf_int(app->conf, "app.utc_offset_minutes", 480);
}

static int
open_socket(const struct conf *c)
{
	const char *path = conf_str(c, "fcgi.socket", NULL);
	const char *group = conf_str(c, "fcgi.socket_group", "");
	long mode = conf_int(c, "fcgi.socket_mode", 0660);
	int sock;

	if (path == NULL) {
		LOG_ERR("fcgi.socket is not set");
		return -1;
	}
	unlink(path);
	if ((sock = FCGX_OpenSocket(path, 128)) < 0) {
		LOG_ERR("cannot listen on %s: %s", path, strerror(errno));
		return -1;
	}
	if (*group != '\0') {
		struct group *g = getgrnam(group);
		if (g == NULL || chown(path, (uid_t)-1, g->gr_gid) != 0) {
			LOG_ERR("cannot give %s to group %s", path, group);
			return -1;
		}
	}
	if (chmod(path, (mode_t)mode) != 0) {
		LOG_ERR("chmod %s: %s", path, strerror(errno));
		return -1;
	}
	return sock;
}

/* Milliseconds on the monotonic clock. */
static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A worker, or (renderer) the PDF renderer (pdf.c): a child of the master either way. */
static pid_t
spawn(struct app *app, int sock, int renderer)
{
	pid_t pid = fork();

	if (pid == 0 && renderer) {
		close(sock);
		master_forget();
		pdf_renderer(app);
	}
	if (pid == 0)
		worker(app, sock);
	if (pid < 0)
		LOG_ERR("fork: %s", strerror(errno));
	return pid;
}

static void
usage(void)
{
	fputs("usage: kesu-fcgi -c CONFIG [-t]\n"
	    "  -c CONFIG  the configuration file (see kesu.conf.example)\n"
	    "  -t         check the configuration, templates and catalogs, then exit\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct app app;
	const char *cpath = NULL;
	char *err = NULL;
	int opt, test_only = 0, sock, nworkers, nchildren;
	struct sigaction sa;
	sigset_t block, old;

	while ((opt = getopt(argc, argv, "c:th")) != -1) {
		switch (opt) {
		case 'c': cpath = optarg; break;
		case 't': test_only = 1; break;
		default: usage();
		}
	}
	if (cpath == NULL)
		usage();
	memset(&app, 0, sizeof(app));
	if ((app.conf = conf_load(cpath, &err)) == NULL) {
		fprintf(stderr, "kesu-fcgi: %s\n", err ? err : cpath);
		return 2;
	}
	configure(&app);
	if (load_assets(&app) != 0)
		return 2;
	if (test_only) {
		puts("configuration, templates and catalogs are fine");
		return 0;
	}

	/* The client libraries' process-wide set-up, done once here rather than in every worker:
	 * Connector/C's (OpenSSL's configuration and tables: ~2.3 M instructions and ~1.5 MB of
	 * each worker's resident code) and libldap's (the SASL plugins it loads: ~3.8 M
	 * instructions). */
	if (db_library_init() != 0)
		LOG_WARN("Connector/C did not initialise in the master: each worker will");
	dir_library_init();

	/* Every statement prepared once, by a child that exits (so the master's heap, which every
	 * worker inherits, does not keep it): a wrong statement still stops the start, while each
	 * worker prepares a statement at its first use and so holds only those its requests run
	 * (db.c, db_open_lazy). */
	switch (check_statements(&app)) {
	case KESU_OK:
		break;
	case KESU_EINTERNAL:
		LOG_ERR("a statement of db_stmt.c cannot be prepared: not starting");
		return 1;
	default:
		LOG_WARN("database unavailable at start: statements are checked as workers use them");
		break;
	}
	signal(SIGPIPE, SIG_IGN);
	/* Before the workers exist: they share whether the directory answers (dir.c). */
	dir_shared_init();
	search_sync_shared_init();
	stats_fold_shared_init();
	if (FCGX_Init() != 0) {
		LOG_ERR("FCGX_Init failed");
		return 1;
	}
	if ((sock = open_socket(app.conf)) < 0)
		return 1;
	/* Copies: a reload replaces the configuration these strings live in. */
	sockpath = xstrdup(conf_str(app.conf, "fcgi.socket", ""));
	if (conf_str(app.conf, "fcgi.pidfile", NULL) != NULL) {
		pidfile = xstrdup(conf_str(app.conf, "fcgi.pidfile", NULL));
		FILE *f = fopen(pidfile, "w");
		if (f != NULL) {
			fprintf(f, "%ld\n", (long)getpid());
			fclose(f);
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_master_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	/* Signals are handled between waits only, so none is lost between a check and the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);

	nworkers = (int)conf_int(app.conf, "fcgi.workers", 4);
	if (nworkers < 1 || nworkers > 256)
		nworkers = 4;
	/* The workers, and in the last slot the PDF renderer: started, replaced and stopped alike. */
	nchildren = nworkers + 1;
	pids = xcalloc((size_t)nchildren, sizeof(*pids));
	born = xcalloc((size_t)nchildren, sizeof(*born));
	LOG_INFO("kesu-fcgi starting %d workers and the PDF renderer", nworkers);

	while (!got_term) {
		pid_t pid;
		int st, i;

		/* Start whoever is missing; a worker that keeps dying is restarted at most 10 times a second. */
		for (i = 0; i < nchildren; i++)
			if (pids[i] == 0) {
				sigprocmask(SIG_SETMASK, &old, NULL);
				pids[i] = spawn(&app, sock, i == nworkers);
				sigprocmask(SIG_BLOCK, &block, NULL);
				born[i] = mono_ms();
				if (pids[i] < 0)
					pids[i] = 0;
			}
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			for (i = 0; i < nchildren; i++)
				if (pids[i] == pid) {
					pids[i] = 0;
					if (!got_hup)
						LOG_WARN("worker %ld ended (%s %d); replacing it", (long)pid,
						    WIFSIGNALED(st) ? "signal" : "status",
						    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
				}
		}
		if (got_hup) {
			struct conf *nc;
			got_hup = 0;
			LOG_INFO("SIGHUP: reloading configuration and templates");
			if ((nc = conf_load(cpath, &err)) == NULL) {
				LOG_ERR("reload refused: %s", err ? err : cpath);
				free(err);
				err = NULL;
			} else {
				struct conf *oc = app.conf;
				app.conf = nc;
				if (load_assets(&app) != 0) {
					LOG_ERR("reload refused: keeping the running templates");
					app.conf = oc;
					conf_free(nc);
				} else {
					conf_free(oc);
					configure(&app);
					/* Workers finish their request and exit; new ones start with the new state. */
					for (i = 0; i < nchildren; i++)
						if (pids[i] > 0)
							kill(pids[i], SIGTERM);
				}
			}
			continue;
		}
		{
			/*
			 * A child that lived a while is replaced at once (tests/faults: a killed
			 * worker's slot used to stay empty for the whole 100 ms pause); one that died
			 * within a second of its start (a bad configuration, a crash at start-up) at
			 * most ten times a second.
			 */
			int missing = 0, young = 0;
			long now = mono_ms();
			for (i = 0; i < nchildren; i++)
				if (pids[i] == 0) {
					missing = 1;
					young |= now - born[i] < 1000;
				}
			if (missing) {
				struct timespec ts = { 0, 100 * 1000000L };
				if (young)
					nanosleep(&ts, NULL);
				continue;
			}
		}
		sigsuspend(&old);
	}

	LOG_INFO("SIGTERM: stopping workers");
	for (int i = 0; i < nchildren; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int waited = 0; waited < 100; waited++) {
		int alive = 0;
		for (int i = 0; i < nchildren; i++)
			if (pids[i] > 0) {
				if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
					pids[i] = 0;
				else
					alive = 1;
			}
		if (!alive)
			break;
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < nchildren; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
	unlink(sockpath);
	if (pidfile != NULL)
		unlink(pidfile);
	master_forget();
	tmpl_set_free(app.tmpl);
	i18n_free();
	conf_free(app.conf);
	return 0;
}
