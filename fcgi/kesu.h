/* kesu.h: what every module of Kesu shares — the error codes, the logger and the roles. */
#ifndef KESU_H
#define KESU_H

#include <stddef.h>
#include <stdint.h>

/* Every function that can fail returns one of these; resp_error() maps them to HTTP. */
enum kesu_err {
	KESU_OK = 0,
	KESU_EINPUT,      /* the request is malformed or a field is invalid (400/422) */
	KESU_ENOTFOUND,   /* no such record, or not visible to this user (404) */
	KESU_EFORBIDDEN,  /* signed in but not allowed (403) */
	KESU_EAUTH,       /* not signed in, or wrong credentials (401 / login page) */
	KESU_ECSRF,       /* missing or wrong CSRF token (403) */
	KESU_ECONFLICT,   /* changed meanwhile (409) */
	KESU_ETOOBIG,     /* body or field over its cap (413) */
	KESU_ELOCKED,     /* too many failed sign-ins (429) */
	KESU_EDB,         /* the database failed (503) */
	KESU_EDIR,        /* the directory failed or timed out (503) */
	KESU_EINTERNAL,   /* a bug or an impossible state (500) */
	KESU_ESTATE,      /* the step is not possible in the record's current state (409) */
	KESU__MAX
};

/* Roles come from directory groups through the configured map. */
enum role {
	ROLE_AGENT,
	ROLE_SUPERVISOR,
	ROLE_DEPT_HEAD,
	ROLE_DEPT_MEMBER,
	ROLE_QUALITY_ENGINEER,
	ROLE_QA_DIRECTOR,
	ROLE_DEPUTY_GM,
	ROLE_GM,
	ROLE_FINANCE,
	ROLE_HR,
	ROLE_AUDITOR,
	ROLE_ADMIN,
	ROLE__MAX
};
#define ROLE_BIT(r) (1u << (r))

/* Role name as used in configuration and JSON ("agent", "qa_director", ...). */
const char *role_name(enum role r);
/* Role from its name; returns ROLE__MAX when unknown. */
enum role role_from_name(const char *name);

/* The index of name among names[0..n) (an enum's names), n when it is none of them or NULL. */
int name_index(const char *const names[], int n, const char *name);
/* 1 when v (not NULL) is one of the strings of the NULL-terminated list. */
int str_in(const char *const *list, const char *v);

/* Log levels. */
enum { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/*
 * Write one log line to stderr (the master redirects it to the log file):
 * time, pid, level, function, request id, message. Never pass a password,
 * token or customer phone number.
 */
void kesu_log(int lvl, const char *func, const char *reqid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void kesu_log_level(int lvl);
/* The current request's id for log lines ("-" between requests). */
extern const char *kesu_reqid;

#define LOG_ERR(...)  kesu_log(LOG_LVL_ERR, __func__, kesu_reqid, __VA_ARGS__)
#define LOG_WARN(...) kesu_log(LOG_LVL_WARN, __func__, kesu_reqid, __VA_ARGS__)
#define LOG_INFO(...) kesu_log(LOG_LVL_INFO, __func__, kesu_reqid, __VA_ARGS__)
#define LOG_DEBUG(...) kesu_log(LOG_LVL_DEBUG, __func__, kesu_reqid, __VA_ARGS__)

/* Out of memory aborts; the master replaces the worker. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* A malloc'd formatted string (the caller frees it); aborts when memory is exhausted. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
