/* db.h: MariaDB — one connection per worker, the statement table, transactions that retry. */
#ifndef KESU_DB_H
#define KESU_DB_H

#include <stdint.h>
#include "arena.h"
#include "conf.h"
#include "kesu.h"

/*
 * Rows by name: the complaint's columns, in the order STMT_COMPLAINT_GET and _PAGE select
 * them (db_stmt.c builds the SELECT text from the same list), so row[CC_SEVERITY] cannot
 * drift from the query. Each entry: the enum's name and the SQL text (with its comma).
 */
#define COMPLAINT_COLUMNS(X) \
	X(ID, "id") \
	X(NUMBER, ", number") \
	X(STATUS, ", status") \
	X(RECEIVED_AT, ", received_at") \
	X(CHANNEL, ", channel") \
	X(CUSTOMER_NAME, ", customer_name") \
	X(CUSTOMER_COMPANY, ", customer_company") \
	X(CUSTOMER_TYPE, ", customer_type") \
	X(CUSTOMER_VIP, ", customer_vip") \
	X(CUSTOMER_PHONE, ", customer_phone") \
	X(CUSTOMER_EMAIL, ", customer_email") \
	X(CUSTOMER_ADDRESS, ", customer_address") \
	X(PRODUCT, ", product") \
	X(PART_NO, ", part_no") \
	X(ORDER_NO, ", order_no") \
	X(LOT, ", lot") \
	X(QUANTITY, ", quantity") \
	X(DEFECTIVE_QUANTITY, ", defective_quantity") \
	X(DELIVERY_DATE, ", delivery_date") \
	X(SUBJECT_PERSON, ", subject_person") \
	X(DESCRIPTION, ", description") \
	X(DEMAND, ", demand") \
	X(URGENCY, ", urgency") \
	X(CATEGORY, ", category") \
	X(SEVERITY, ", severity") \
	X(RESPOND_DUE, ", respond_due") \
	X(RESOLVE_DUE, ", resolve_due") \
	X(OWNER_UID, ", owner_uid") \
	X(OWNER_NAME, ", owner_name") \
	X(CREATED_BY, ", created_by") \
	X(CREATED_AT, ", created_at") \
	X(VERSION, ", version") \
	X(REPEAT_REASON, ", repeat_reason") \
	X(REPLY_TEXT, ", reply_text") \
	X(REPLIED_AT, ", replied_at") \
	X(SATISFACTION, ", satisfaction") \
	X(CALLBACK_COMMENT, ", callback_comment") \
	X(CALLBACK_AT, ", callback_at")
enum complaint_col {
#define X(e, sql) CC_##e,
	COMPLAINT_COLUMNS(X)
#undef X
	CC__MAX
};
/* STMT_COMPLAINT_PAGE's facts after the complaint's columns, in order. */
#define COMPLAINT_PAGE_FACTS(X) \
	X(IN_DEPARTMENT) \
	X(SIGNED_BY_ME) \
	X(PENDING_SIGNERS) \
	X(N_REPORTS) \
	X(N_SIGNATURES) \
	X(N_PLANS) \
	X(N_ATTACHMENTS) \
	X(N_INQUIRIES) \
	X(CALENDAR_GEN) \
	X(N_PENALTIES) \
	X(N_8DS) \
	X(N_ASSIGNMENTS)
enum complaint_page_col {
	CP__FIRST = CC__MAX - 1,
#define X(e) CP_##e,
	COMPLAINT_PAGE_FACTS(X)
#undef X
	CP__MAX
};

/* A complaint's assignments (STMT_ASSIGNMENT_LIST), by name: AS_DEPARTMENT, AS_STATE, ... */
#define ASSIGNMENT_COLUMNS(X) \
	X(DEPARTMENT, "a.department") \
	X(NAME_ZH, ", d.name_zh") \
	X(NAME_EN, ", d.name_en") \
	X(STATE, ", a.state") \
	X(ASSIGNED_BY, ", a.assigned_by") \
	X(ASSIGNED_AT, ", a.assigned_at") \
	X(DECIDED_BY, ", a.decided_by") \
	X(DECIDED_AT, ", a.decided_at") \
	X(REASON, ", a.reason") \
	X(REPORT_SIGNED, ", EXISTS (SELECT 1 FROM investigation_report r WHERE r.number = a.number AND r.department = a.department AND r.state = 'signed')")
enum assignment_col {
#define X(e, sql) AS_##e,
	ASSIGNMENT_COLUMNS(X)
#undef X
	AS__MAX
};
/* A signature row (STMT_SIGNATURE_LIST, STMT_8D_SIGNATURES), by name: SG_ROLE, SG_CONTENT_HASH, ... */
#define SIGNATURE_COLUMNS(X) \
	X(ENTITY, "entity") \
	X(ENTITY_ID, ", entity_id") \
	X(REVISION, ", revision") \
	X(SIGNER_UID, ", signer_uid") \
	X(SIGNER_NAME, ", signer_name") \
	X(ROLE, ", role") \
	X(DECISION, ", decision") \
	X(MEANING, ", meaning") \
	X(COMMENT, ", comment") \
	X(CONTENT_HASH, ", content_hash") \
	X(SIGNED_AT, ", DATE_FORMAT(signed_at, '%Y-%m-%d %H:%i:%s')") \
	X(ID, ", id")
enum signature_col {
#define X(e, sql) SG_##e,
	SIGNATURE_COLUMNS(X)
#undef X
	SG__MAX
};

/* An 8D (STMT_8D_GET/_LOCK), the complaints it covers (STMT_8D_COMPLAINTS) and its versions
 * (STMT_8D_VERSIONS; STMT_8D_VERSION_LOCK has EV_ID..EV_D8, then submitted_by), by name. */
#define EIGHTD_COLUMNS(X) \
	X(ID, "id") \
	X(NUMBER, ", number") \
	X(TITLE, ", title") \
	X(OWNER_UID, ", owner_uid") \
	X(OWNER_NAME, ", owner_name") \
	X(OPENED_AT, ", opened_at") \
	X(PART_RECEIVED_AT, ", part_received_at") \
	X(D3_DUE, ", d3_due") \
	X(D4_DUE, ", d4_due") \
	X(D7_DUE, ", d7_due") \
	X(D8_DUE, ", d8_due") \
	X(D3_DONE_AT, ", d3_done_at") \
	X(D4_DONE_AT, ", d4_done_at") \
	X(D7_DONE_AT, ", d7_done_at") \
	X(D8_DONE_AT, ", d8_done_at")
enum eightd_col {
#define X(e, sql) ED_##e,
	EIGHTD_COLUMNS(X)
#undef X
	ED__MAX
};
#define EIGHTD_COMPLAINT_COLUMNS(X) \
	X(NUMBER, "e.number") \
	X(CUSTOMER_NAME, ", c.customer_name") \
	X(STATUS, ", c.status") \
	X(PART_NO, ", c.part_no") \
	X(LOT, ", c.lot") \
	X(CATEGORY, ", c.category") \
	X(OWNER_UID, ", c.owner_uid")
enum eightd_complaint_col {
#define X(e, sql) EC_##e,
	EIGHTD_COMPLAINT_COLUMNS(X)
#undef X
	EC__MAX
};
#define EIGHTD_VERSION_COLUMNS(X) \
	X(ID, "id") \
	X(VERSION, ", version") \
	X(STATE, ", state") \
	X(REVISION, ", revision") \
	X(D0, ", d0") \
	X(D1, ", d1") \
	X(D2, ", d2") \
	X(D3, ", d3") \
	X(D4, ", d4") \
	X(D5, ", d5") \
	X(D6, ", d6") \
	X(D7, ", d7") \
	X(D8, ", d8") \
	X(COMMENTS, ", comments") \
	X(AUTHOR_UID, ", author_uid") \
	X(AUTHOR_NAME, ", author_name") \
	X(UPDATED_AT, ", updated_at") \
	X(SUBMITTED_BY, ", submitted_by") \
	X(SUBMITTED_AT, ", submitted_at") \
	X(DECIDED_AT, ", decided_at")
enum eightd_version_col {
#define X(e, sql) EV_##e,
	EIGHTD_VERSION_COLUMNS(X)
#undef X
	EV__MAX
};
/* STMT_8D_VERSION_LOCK's last column: who submitted the version (the director may not be them). */
#define EV_LOCK_SUBMITTED_BY (EV_D8 + 1)

/* The bind letters of db_stmt.c's LIST_FILTER_STATS (the statistics' drill-down filters of the
 * list, issue 9): every statement with LIST_FILTER and its callers append them. */
#define LIST_FILTER_STATS_BINDS "ssssssssssssssssss"

/*
 * Every SQL statement Kesu runs is named here and written in db_stmt.c; all are
 * prepared when the worker connects, so a typo fails at start-up.
 */
enum stmt {
	STMT_NOW_UTC,
	/* sessions */
	STMT_SESSION_INSERT,
	STMT_SESSION_GET,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_SESSION_PURGE,
	/* sign-in throttling */
	STMT_LOGIN_FAIL_GET,
	STMT_LOGIN_FAIL_UPSERT,
	STMT_LOGIN_FAIL_CLEAR,
	/* audit chain */
	STMT_AUDIT_HEAD_LOCK,
	STMT_AUDIT_INSERT,
	STMT_AUDIT_FOR_ENTITY,
	STMT_AUDIT_SCAN,
	STMT_AUDIT_HEAD_GET,
	/* complaints */
	STMT_SEVERITY_GET,
	STMT_SEVERITY_LIST,
	STMT_COMPLAINT_SEQ_NEXT,
	STMT_COMPLAINT_SEQ_HEAD,
	STMT_LAST_INSERT_ID,
	STMT_COMPLAINT_COUNT,
	STMT_COMPLAINT_INSERT,
	STMT_REPEAT_BY_PHONE,
	STMT_REPEAT_BY_COMPANY,
	STMT_REPEAT_LOT,
	STMT_COMPLAINT_GET,
	STMT_COMPLAINT_LIST,
	STMT_COMPLAINT_LIST_AFTER,
	STMT_COMPLAINT_LOCK,
	STMT_COMPLAINT_SET_STATUS,
	/* departments and assignments */
	STMT_DEPARTMENT_LIST,
	STMT_ASSIGNMENT_UPSERT,
	STMT_ASSIGNMENT_LIST,
	STMT_ASSIGNMENT_DECIDE,
	STMT_ASSIGNMENT_OPEN,
	/* my work */
	STMT_WORK_OWNED,
	STMT_WORK_BY_STATUS,
	STMT_WORK_ASSIGNMENTS,
	STMT_WORK_REPORTS,
	STMT_WORK_PLANS,

	STMT_COMPLAINT_ACCESS,
	STMT_COMPLAINT_PAGE,
	STMT_COMPLAINT_SET_REPLY,
	STMT_COMPLAINT_SET_CALLBACK,
	STMT_COMPLAINT_SET_OWNER,
	STMT_AUTHORITY_RULES,
	STMT_AUTHORITY_ALL,
	STMT_AUTHORITY_GET,
	STMT_AUTHORITY_INSERT,
	STMT_AUTHORITY_DELETE,
	STMT_REPORT_LIST,
	STMT_REPORT_LOCK,
	STMT_REPORT_INSERT,
	STMT_REPORT_UPDATE,
	STMT_REPORT_SET_STATE,
	STMT_REPORT_UNSIGNED,
	STMT_SIGNATURE_INSERT,
	STMT_SIGNATURE_LIST,
	STMT_SIGNATURE_ROLES,
	STMT_PLAN_LIST,
	STMT_PLAN_LOCK_CURRENT,
	STMT_PLAN_NEXT_REVISION,
	STMT_PLAN_INSERT,
	STMT_PLAN_SET_STATE,
	STMT_REMEDY_INSERT,
	STMT_REMEDY_LIST,
	STMT_ATTACHMENT_INSERT,
	STMT_ATTACHMENT_LIST,
	STMT_ATTACHMENT_GET,
	/* ---- penalties, finance (007) ---- */
	STMT_PENALTY_INSERT,
	STMT_PENALTY_GET,
	STMT_PENALTY_LOCK,
	STMT_PENALTY_DECIDE,
	STMT_PENALTY_EXECUTE,
	STMT_PENALTY_APPEAL,
	STMT_PENALTY_FOR_COMPLAINT,
	STMT_PENALTY_LIST,
	STMT_PENALTY_LIST_AFTER,
	STMT_PENALTY_WORK,
	STMT_FINANCE_REMEDIES,
	STMT_FINANCE_REMEDIES_AFTER,
	STMT_REMEDY_LOCK,
	STMT_REMEDY_EXECUTE,
	/* ---- calendar, clocks and sweep (005) ---- */
	STMT_CALENDAR_WEEK,
	STMT_CALENDAR_WEEK_LOCK,
	STMT_CALENDAR_WEEK_SET,
	STMT_CALENDAR_EXCEPTIONS,
	STMT_CALENDAR_EXCEPTION_LOCK,
	STMT_CALENDAR_EXCEPTION_ADD,
	STMT_CALENDAR_EXCEPTION_DELETE,
	STMT_CLOCK_COMPLAINT,
	STMT_CLOCK_COMPLAINT_LOCK,
	STMT_CLOCK_STATUS_CHANGES,
	STMT_CLOCK_ASSIGNMENTS,
	STMT_SWEEP_OPEN_CANDIDATES,
	STMT_SWEEP_DUE_LOCK,
	STMT_SWEEP_DUE_SET,
	STMT_SWEEP_DUE_DROP,
	STMT_SWEEP_CLOSED_CANDIDATES,
	STMT_REMINDER_ISSUE,
	STMT_REMINDER_FOR_COMPLAINT,
	STMT_REMINDER_FOR_ADDRESSEE,
	STMT_INQUIRY_ISSUE,
	STMT_INQUIRY_OPEN_FOR_ADDRESSEE,
	STMT_INQUIRY_FOR_COMPLAINT,
	STMT_INQUIRY_GET,
	STMT_INQUIRY_LOCK,
	STMT_INQUIRY_ANSWER,
	/* ---- 8D reports (008) ---- */
	STMT_8D_INSERT,
	STMT_8D_GET,
	STMT_8D_LOCK,
	STMT_8D_SET_DONE,
	STMT_8D_LINK,
	STMT_8D_COMPLAINTS,
	STMT_8D_FOR_COMPLAINT,
	STMT_8D_VERSION_INSERT,
	STMT_8D_VERSIONS,
	STMT_8D_VERSION_LOCK,
	STMT_8D_VERSION_SAVE,
	STMT_8D_VERSION_SUBMIT,
	STMT_8D_VERSION_DECIDE,
	STMT_8D_SIGNATURES,
	STMT_8D_SENT_INSERT,
	STMT_8D_SENT_LIST,
	STMT_8D_ATTACHMENT_INSERT,
	STMT_8D_ATTACHMENT_LIST,
	STMT_HOLD_INSERT,
	STMT_HOLD_LINE_INSERT,
	STMT_HOLD_LIST,
	STMT_HOLD_LINES,
	STMT_HOLD_LOCK,
	STMT_HOLD_RELEASE,
	STMT_WORK_8D_SUBMITTED,
	STMT_WORK_8D_OWNED,
	STMT_SWEEP_8D_CANDIDATES,
	/* ---- issue 7: security ---- */
	STMT_SECRET_INSERT,
	STMT_SECRET_GET,
	STMT_SESSION_SET_ADDR,
	STMT_SESSION_EXCESS,
	STMT_SESSION_LIST_MINE,
	STMT_SESSION_END_OTHERS,
	STMT_TRIAGE_FACTS,
	STMT_TRIAGE_CORRECT,
	STMT_8D_APPROVED_COUNT,
	STMT_REPEAT_MARK,
	/* ---- end security ---- */
	/* ---- issue 7: work ---- */
	STMT_MAIL_QUEUE,
	STMT_MAIL_CLAIM,
	STMT_MAIL_CLAIMED,
	STMT_MAIL_SENT,
	STMT_MAIL_RETRY,
	STMT_MAIL_FAILED,
	STMT_REMINDER_LOCK,
	STMT_REMINDER_ACK,
	STMT_WORK_COUNT,
	STMT_WORK_PENALTY_MINE,
	/* ---- end work ---- */
	/* ---- issue 7: steps ---- */
	STMT_AUDIT_LAST_CHANGE,
	/* ---- end steps ---- */
	/* ---- issue 8: trail ---- */
	STMT_TRAIL_RECORD,
	STMT_TRAIL_ACTOR,
	STMT_TRAIL_SCAN,
	STMT_TRAIL_SEQ_FROM,
	STMT_TRAIL_SEQ_TO,
	STMT_TRAIL_PENALTY_NUMBER,
	/* ---- end trail ---- */
	/* ---- issue 8: register ---- */
	STMT_REG_SIGNATURES,
	STMT_REG_FAILURES,
	STMT_REG_REPORT_GET,
	STMT_REG_HOLD_GET,
	STMT_REG_EXC_PARTY,
	STMT_REG_EXC_SIGNERS,
	STMT_REG_EXC_SIGNED,
	STMT_REG_EXC_PENALTY,
	STMT_REG_EXC_CALLBACK,
	STMT_REG_EXC_8D,
	STMT_REG_EXC_REMINDER,
	STMT_REG_REVIEW_INSERT,
	STMT_REG_REVIEW_LIST,
	STMT_REG_REVIEW_LAST,
	/* ---- end register ---- */
	/* ---- issue 8: history ---- */
	STMT_AUTHORITY_VERSION_ADD,
	STMT_AUTHORITY_VERSION_END,
	STMT_AUTHORITY_AS_OF,
	STMT_CALENDAR_WEEK_VERSION_END,
	STMT_CALENDAR_WEEK_VERSION_ADD,
	STMT_CALENDAR_WEEK_AS_OF,
	STMT_CALENDAR_EXCEPTION_VERSION_END,
	STMT_CALENDAR_EXCEPTION_VERSION_ADD,
	STMT_CALENDAR_EXCEPTIONS_AS_OF,
	STMT_AS_OF_EVENTS,
	STMT_AS_OF_SIGNATURES,
	STMT_AS_OF_SEQ_AT,
	STMT_AS_OF_8D_SIGNATURES,
	STMT_PLAN_SET_RULES,
	STMT_PENALTY_SET_RULES,
	/* ---- end history ---- */
	/* ---- issue 8: verify ---- */
	STMT_VERIFY_RUN_INSERT,
	STMT_VERIFY_RUN_GET,
	STMT_VERIFY_RUN_LOCK,
	STMT_VERIFY_RUN_UPDATE,
	STMT_VERIFY_RUN_LIST,
	STMT_CHECKPOINT_LIST,
	STMT_CHECKPOINT_INSERT,
	STMT_VIEW_LOG,
	STMT_VIEW_BY_RECORD,
	STMT_VIEW_BY_ACTOR,
	STMT_DOSSIER_EVENTS,
	STMT_DOSSIER_8D_VERSIONS,
	STMT_DOSSIER_HOLDS,
	STMT_VERIFY_SCAN,
	/* ---- end verify ---- */
	/* ---- issue 9: stats ---- */
	STMT_STATS_TOTALS,
	STMT_STATS_MEDIAN,
	STMT_STATS_BY_CATEGORY,
	STMT_STATS_BY_SEVERITY,
	STMT_STATS_BY_CHANNEL,
	STMT_STATS_BY_CUSTOMER_TYPE,
	STMT_STATS_BY_DEPARTMENT,
	STMT_STATS_BY_RESPONSIBILITY,
	STMT_STATS_BY_REMEDY,
	STMT_STATS_TOP_CUSTOMERS,
	STMT_STATS_TOP_PRODUCTS,
	STMT_STATS_TOP_PART_LOTS,
	STMT_STATS_TREND,
	STMT_STATS_REPORT_GET,
	STMT_STATS_REPORT_LIST,
	STMT_STATS_REPORT_LOCK,
	STMT_STATS_REPORT_INSERT,
	STMT_STATS_REPORT_UPDATE,
	STMT_STATS_REPORT_SIGN,
	/* ---- end stats ---- */
	/* ---- issue 9: search ---- */
	STMT_LIST_COUNT,
	STMT_LIST_BY_NUMBER_ASC,
	STMT_LIST_BY_NUMBER_ASC_AFTER,
	STMT_LIST_BY_NUMBER_DESC,
	STMT_LIST_BY_NUMBER_DESC_AFTER,
	STMT_LIST_BY_RECEIVED_ASC,
	STMT_LIST_BY_RECEIVED_ASC_AFTER,
	STMT_LIST_BY_CUSTOMER_ASC,
	STMT_LIST_BY_CUSTOMER_ASC_AFTER,
	STMT_LIST_BY_CUSTOMER_DESC,
	STMT_LIST_BY_CUSTOMER_DESC_AFTER,
	STMT_LIST_BY_STATUS_ASC,
	STMT_LIST_BY_STATUS_ASC_AFTER,
	STMT_LIST_BY_STATUS_DESC,
	STMT_LIST_BY_STATUS_DESC_AFTER,
	STMT_LIST_BY_CATEGORY_ASC,
	STMT_LIST_BY_CATEGORY_ASC_AFTER,
	STMT_LIST_BY_CATEGORY_DESC,
	STMT_LIST_BY_CATEGORY_DESC_AFTER,
	STMT_LIST_BY_SEVERITY_ASC,
	STMT_LIST_BY_SEVERITY_ASC_AFTER,
	STMT_LIST_BY_SEVERITY_DESC,
	STMT_LIST_BY_SEVERITY_DESC_AFTER,
	STMT_EXPORT_BY_NUMBER_ASC,
	STMT_EXPORT_BY_NUMBER_ASC_AFTER,
	STMT_EXPORT_BY_NUMBER_DESC,
	STMT_EXPORT_BY_NUMBER_DESC_AFTER,
	STMT_EXPORT_BY_RECEIVED_ASC,
	STMT_EXPORT_BY_RECEIVED_ASC_AFTER,
	STMT_EXPORT_BY_RECEIVED_DESC,
	STMT_EXPORT_BY_RECEIVED_DESC_AFTER,
	STMT_EXPORT_BY_CUSTOMER_ASC,
	STMT_EXPORT_BY_CUSTOMER_ASC_AFTER,
	STMT_EXPORT_BY_CUSTOMER_DESC,
	STMT_EXPORT_BY_CUSTOMER_DESC_AFTER,
	STMT_EXPORT_BY_STATUS_ASC,
	STMT_EXPORT_BY_STATUS_ASC_AFTER,
	STMT_EXPORT_BY_STATUS_DESC,
	STMT_EXPORT_BY_STATUS_DESC_AFTER,
	STMT_EXPORT_BY_CATEGORY_ASC,
	STMT_EXPORT_BY_CATEGORY_ASC_AFTER,
	STMT_EXPORT_BY_CATEGORY_DESC,
	STMT_EXPORT_BY_CATEGORY_DESC_AFTER,
	STMT_EXPORT_BY_SEVERITY_ASC,
	STMT_EXPORT_BY_SEVERITY_ASC_AFTER,
	STMT_EXPORT_BY_SEVERITY_DESC,
	STMT_EXPORT_BY_SEVERITY_DESC_AFTER,
	STMT_SAVED_LIST,
	STMT_SAVED_INSERT,
	STMT_SAVED_GET,
	STMT_SAVED_DELETE,
	STMT_REPEAT_SAME_CUSTOMER,
	STMT_REPEAT_SAME_LOT,
	/* ---- end search ---- */
	/* ---- issue 8: auditfix ---- */
	STMT_REFUSAL_COUNT,
	STMT_REG_REPORTS_BATCH,
	STMT_REG_PLANS_BATCH,
	STMT_REG_REMEDIES_BATCH,
	STMT_REG_PENALTIES_BATCH,
	STMT_REG_8DS_BATCH,
	STMT_REG_8D_VERSIONS_BATCH,
	STMT_REG_8D_FILES_BATCH,
	STMT_REG_HOLDS_BATCH,
	/* ---- end auditfix ---- */
	/* ---- issue 8: proof ---- */
	STMT_PROOF_RANGE,
	STMT_PROOF_BEYOND,
	/* ---- end proof ---- */
	/* ---- issue 9: aggregate ---- */
	STMT_STATS_AGG,
	STMT_STATS_AGG_DUE_TODAY,
	STMT_STATS_AGG_TREND,
	STMT_STATS_REPORT_EXISTS,
	/* ---- end aggregate ---- */
	/* ---- issue 9: find ---- */
	STMT_FIND_COUNT,
	STMT_FIND_RECENT,
	STMT_FIND_RECENT_AFTER,
	STMT_FIND_EXPORT,
	STMT_FIND_EXPORT_FROM,
	STMT_FIND_BY_NUMBER_ASC,
	STMT_FIND_BY_NUMBER_ASC_AFTER,
	STMT_FIND_BY_NUMBER_DESC,
	STMT_FIND_BY_NUMBER_DESC_AFTER,
	STMT_FIND_BY_RECEIVED_ASC,
	STMT_FIND_BY_RECEIVED_ASC_AFTER,
	STMT_FIND_BY_RECEIVED_DESC,
	STMT_FIND_BY_RECEIVED_DESC_AFTER,
	STMT_FIND_BY_CUSTOMER_ASC,
	STMT_FIND_BY_CUSTOMER_ASC_AFTER,
	STMT_FIND_BY_CUSTOMER_DESC,
	STMT_FIND_BY_CUSTOMER_DESC_AFTER,
	STMT_FIND_BY_STATUS_ASC,
	STMT_FIND_BY_STATUS_ASC_AFTER,
	STMT_FIND_BY_STATUS_DESC,
	STMT_FIND_BY_STATUS_DESC_AFTER,
	STMT_FIND_BY_CATEGORY_ASC,
	STMT_FIND_BY_CATEGORY_ASC_AFTER,
	STMT_FIND_BY_CATEGORY_DESC,
	STMT_FIND_BY_CATEGORY_DESC_AFTER,
	STMT_FIND_BY_SEVERITY_ASC,
	STMT_FIND_BY_SEVERITY_ASC_AFTER,
	STMT_FIND_BY_SEVERITY_DESC,
	STMT_FIND_BY_SEVERITY_DESC_AFTER,
	/* ---- end find ---- */
	/* ---- issue 10: floor ---- */
	STMT_LIST_COUNT_ALL,
	STMT_LIST_COUNT_OWNER,
	/* ---- end floor ---- */
	/* ---- issue 10: faults ---- */
	STMT_FORM_KEY_CLAIM,
	STMT_FORM_KEY_GET,
	STMT_FORM_KEY_BIND,
	/* ---- end faults ---- */
	/* ---- issue 11: cluster ---- */
	STMT_LEASE_TAKE,
	STMT_LEASE_HOLDER,
	STMT_LEASE_RELEASE,
	STMT_TX_MARK,
	STMT_TX_MARKED,
	STMT_TX_MARK_PURGE,
	/* ---- end cluster ---- */
	/* ---- issue 9: statsfast ---- */
	STMT_STATS_AGG_WAIT_TODAY,
	/* ---- end statsfast ---- */
	/* ---- issue 10: pages ---- */
	STMT_PAGES_LIST_ALL,
	STMT_PAGES_LIST_MANY,
	STMT_PAGES_COMPLAINT_PAGE,
	/* ---- end pages ---- */
	/* ---- issue 11: textrepl ---- */
	STMT_SEARCH_SYNC_STATE,
	STMT_SEARCH_SYNC_UPTO,
	STMT_SEARCH_SYNC_APPLY,
	STMT_SEARCH_SYNC_MARK,
	/* ---- end textrepl ---- */
	/* ---- issue 10: listfast ---- */
	/* ---- end listfast ---- */
	/* ---- issue 10: agentvis ---- */
	STMT_VIS_LIST,
	STMT_VIS_LIST_AFTER,
	STMT_VIS_COUNT,
	STMT_VIS_PAGE,
	STMT_VIS_PAGE_OWN,
	STMT_VIS_LIST_OWN,
	STMT_VIS_LIST_OWN_AFTER,
	STMT_VIS_COUNT_OWN,
	/* ---- end agentvis ---- */
	/* ---- issue 10: pagefast ---- */
	STMT_PAGEFAST_PAGE_ALL,
	STMT_PAGEFAST_PAGES_ALL,
	STMT_PAGEFAST_REPEAT_LOT_ALL,
	STMT_PAGEFAST_REPEAT_CUSTOMER_ALL,
	/* ---- end pagefast ---- */
	/* ---- issue 10: regload ---- */
	/* ---- end regload ---- */
	/* ---- issue 10: pagefacts ---- */
	STMT_PAGEFACTS_REPEAT_COMPANY_ALL,
	/* ---- end pagefacts ---- */
	/* ---- issue 10: regfast2 ---- */
	/* ---- end regfast2 ---- */
	/* ---- issue 10: listp99 ---- */
	STMT_LISTP99_VIS_PAGE_OWN_KNOWN,
	/* ---- end listp99 ---- */
	/* ---- issue 10: pagerender ---- */
	/* ---- end pagerender ---- */
	/* ---- issue 10: rescache ---- */
	STMT_RESCACHE_PROOF,
	/* ---- end rescache ---- */
	/* ---- issue 10: statsjournal ---- */
	STMT_STATS_FOLD_ANY,
	STMT_STATS_FOLD_LOCK,
	STMT_STATS_FOLD_TOP,
	STMT_STATS_FOLD_ADD,
	STMT_STATS_FOLD_DROP,
	STMT_STATS_FOLD_MARK,
	/* ---- end statsjournal ---- */
	STMT__MAX
};

struct db;

/* A result: rows of strings (NULL for SQL NULL), all in the arena. */
struct db_res {
	size_t nrows;
	size_t ncols;
	char ***rows;            /* rows[i][j] */
	unsigned long **lens;    /* lens[i][j] */
	uint64_t affected;
	uint64_t insert_id;
};

/*
 * Connect with the configuration's db.* keys (host, port, socket, name, user,
 * password_file, connect_timeout, read_timeout, write_timeout), utf8mb4,
 * reconnect OFF, then prepare every statement. Returns KESU_OK or KESU_EDB; on
 * failure *dbp is still set (so db_ensure can retry later) and the reason logged.
 */
int db_open(struct db **dbp, const struct conf *c);
/*
 * db_open for a worker: each statement is prepared on this connection at its first use, so a
 * worker holds (client and server side) only the statements its requests ran, not all of them
 * (~6 KB each). db_check_statements prepares every statement once on a connection of its own
 * and closes it (the master, at start-up: a wrong statement still stops the start);
 * KESU_OK, KESU_EINTERNAL when a statement is wrong, KESU_EDB when the server cannot be reached.
 */
int db_open_lazy(struct db **dbp, const struct conf *c);
int db_check_statements(const struct conf *c);
/*
 * Initialise Connector/C (and the OpenSSL it sets up) once in the master, before the
 * workers are forked, as its documentation asks of a process that forks: each worker then
 * inherits it instead of redoing it in its own memory (issue 10: RSS). 0, or -1.
 */
int db_library_init(void);
/*
 * Reconnect and re-prepare if the connection was lost, or was closed by the
 * server while idle (seen with a zero-timeout poll of the socket: no round trip).
 * Call it at the start of each request; db_tx calls it too. KESU_OK or KESU_EDB.
 */
int db_ensure(struct db *db);
void db_close(struct db *db);

/*
 * Execute statement id. fmt names the parameters, one letter each:
 *   's' const char * (NULL binds SQL NULL)   'i' int64_t   'u' uint64_t
 *   'd' double                               'b' const char *, size_t (bytes)
 * res may be NULL for statements without a result set. Returns KESU_OK,
 * KESU_ECONFLICT on a duplicate key (1062), or KESU_EDB (and marks the connection
 * lost when the server went away, so the transaction is retried); KESU_EINTERNAL
 * when fmt does not match the statement's parameters (a bug, logged). Outside
 * db_tx a connection marked lost is re-established first; inside, never.
 */
int db_exec(struct db *db, struct arena *a, enum stmt id, struct db_res *res, const char *fmt, ...);

/*
 * Run fn(db, arg) inside START TRANSACTION ... COMMIT. When fn returns KESU_OK
 * the transaction commits; otherwise it rolls back and fn's error is returned.
 * A lost connection or a deadlock / Galera certification conflict (1213, 1205)
 * anywhere, including at COMMIT, rolls back, reconnects and runs fn once more; a
 * second failure returns KESU_EDB. The one exception: a connection lost after
 * COMMIT was sent is not retried, since the commit may have happened (KESU_EDB,
 * logged as "outcome unknown"). fn must keep no state outside its arguments and
 * the arena between attempts. Transactions do not nest (KESU_EINTERNAL).
 */
int db_tx(struct db *db, int (*fn)(struct db *db, void *arg), void *arg);

/* The last server error number (for tests and logs); 0 after a success. */
unsigned db_errno(const struct db *db);
/* 1 while db_tx runs fn (audit_write refuses to run outside a transaction). */
int db_in_tx(const struct db *db);

/*
 * The audit chain's head as the running transaction left it (audit.c): locked and read at its
 * first event, then followed in memory from event to event; the row itself is moved by each
 * event's INSERT (trigger audit_event_insert, sql/038 and 040), so a transaction of many events
 * (kesu-admin bench-load: 1,000) costs one round trip an event and none more.
 * Cleared at each START TRANSACTION. Owned by db.
 */
struct db_chain_head {
	int held;             /* locked (FOR UPDATE) and read in this transaction */
	uint64_t seq;
	char hash[65];
};
struct db_chain_head *db_chain_head(struct db *db);

/*
 * For kesu-admin only — workers never use these; their SQL is the statement table.
 * db_open_admin connects as db.admin_user with db.admin_password_file, without a
 * default schema (it may not exist yet) and without preparing the table.
 * db_exec_sql runs one statement of text (a migration file's statement, a GRANT)
 * and discards any result; db_query_sql keeps the rows in a like db_exec.
 * db_escape escapes len bytes of from for use between single quotes, in the
 * connection's character set (to must hold 2 * len + 1 bytes).
 * Errors: KESU_EDB (or KESU_ECONFLICT for 1062), not logged: db_errno() and
 * db_errmsg() tell which.
 */
int db_open_admin(struct db **dbp, const struct conf *c);
int db_exec_sql(struct db *db, const char *sql);
int db_query_sql(struct db *db, struct arena *a, const char *sql, struct db_res *res);
unsigned long db_escape(struct db *db, char *to, const char *from, unsigned long len);

/*
 * Issue 8 (proof), for kesu-admin audit verify: db_snapshot_begin starts a read-only
 * REPEATABLE READ transaction WITH CONSISTENT SNAPSHOT (KESU_OK or KESU_EDB), which
 * db_snapshot_end rolls back. db_stream runs statement id, whose parameters are all 'u'
 * (written into its text: nargs values of args), over the text protocol with
 * mysql_use_result and hands each row to fn as it arrives, nothing buffered: row and len
 * live until fn returns. fn returns 0 to go on, 1 to stop (the rest is drained). KESU_OK,
 * KESU_EDB (logged), or KESU_EINTERNAL for a statement that does not qualify.
 */
int db_snapshot_begin(struct db *db);
void db_snapshot_end(struct db *db);
int db_stream(struct db *db, enum stmt id, const uint64_t *args, size_t nargs,
    int (*fn)(void *arg, char **row, unsigned long *len), void *arg);
/* The last error's message ("" after a success); whole for kesu-admin's SQL, values cut out otherwise. */
const char *db_errmsg(const struct db *db);

/* The SQL text of a statement (for kesu-admin and tests). */
const char *db_stmt_sql(enum stmt id);
/* Its parameters, one letter a "?" (db_stmt.c: stmt_binds); NULL for an unknown id. */
const char *db_stmt_binds(enum stmt id);

#endif
