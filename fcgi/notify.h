/* notify.h: e-mail notifications — queued by a step in its own transaction, sent later by kesu-admin. */
#ifndef KESU_NOTIFY_H
#define KESU_NOTIFY_H

#include "conf.h"
#include "db.h"
#include "dir.h"

/*
 * Queue one mail in mail_outbox, inside the caller's transaction (so a step that rolls back
 * tells nobody). kind names the texts mail_subject_<kind> / mail_body_<kind> of both
 * catalogs (plan_sign, assigned, reminder, escalation, ...); addressee_type is user (a uid),
 * role (a role name), dept_head or dept (a department code), as in the reminder table; number
 * is the complaint, link the path of the page to open ("/complaints/261123099").
 * Nothing is resolved or sent here: no request waits for the directory or the relay.
 * KESU_OK or KESU_EDB.
 */
int notify_queue(struct db *db, struct arena *a, const char *kind, const char *addressee_type,
    const char *addressee, const char *number, const char *link);

struct notify_counts {
	unsigned long mails;      /* messages the relay accepted */
	unsigned long items;      /* outbox rows done */
	unsigned long retry;      /* rows left for a later try (relay down, 4xx) */
	unsigned long failed;     /* rows given up (5xx, nobody to send to, too many attempts) */
};

/*
 * Send what is due in mail_outbox (kesu-admin mail, and the end of every sweep): claim up to
 * 200 rows (so two runs never send one row twice), resolve each addressee in the directory to
 * people with a mail address, and send over SMTP to smtp.host:smtp.port from smtp.from with
 * smtp.timeout seconds for each dialogue. A person listed by smtp.digest ("all", or uids
 * separated by commas; "off" by default) gets one mail for all their items of the run. A
 * temporary failure is retried after 1, 2, 4... minutes, up to smtp.max_attempts (5). Does
 * nothing when smtp.enabled is not 1. The texts come from the loaded catalogs (i18n_load).
 * KESU_OK with *out filled, or KESU_EDB / KESU_EDIR.
 */
int notify_send(struct db *db, struct dir *dir, const struct conf *c, struct notify_counts *out);

#endif
