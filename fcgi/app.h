/* app.h: what lives as long as a worker (struct app); with it the headers every page uses: resp.h, sess.h, view.h. */
#ifndef KESU_APP_H
#define KESU_APP_H

#include <json-c/json.h>

#include "arena.h"
#include "audit.h"
#include "conf.h"
#include "db.h"
#include "dir.h"
#include "kesu.h"
#include "req.h"
#include "tmpl.h"
#include "resp.h"
#include "sess.h"
#include "view.h"

/* Everything a worker keeps between requests: configuration, handles, compiled templates. */
struct app {
	struct conf *conf;
	struct db *db;
	struct dir *dir;
	struct tmpl_set *tmpl;
	struct req_limits lim;
	long sess_idle;          /* seconds */
	long sess_absolute;      /* seconds */
	int cookie_secure;       /* 1 always, 0 never, -1 when the request came over https */
	long login_slow_after, login_lock_after, login_lock_seconds, login_window;
	long utc_offset_min;     /* the company's local time, minutes east of UTC */
	size_t attach_max;       /* bytes of one attachment (attachments.max_bytes) */
	const char *attach_dir;  /* where attachments are stored, by SHA-256 (paths.attachments) */
	uint64_t dept_gen;       /* the departments' generation as the last session read saw it (0: unknown) */
};

#endif
