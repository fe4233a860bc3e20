-- 012: e-mail notifications and acknowledged reminders (issue 7, "people are told").
-- A step queues its mails in mail_outbox in its own transaction; `kesu-admin mail` (and the
-- sweep) resolve the addressees in the directory and send them over SMTP with retries, so no
-- request worker ever waits for the relay. Every statement is idempotent.

--   kind            what happened: plan_sign, assigned, reminder, escalation, ...
--   addressee_type  user (addressee = uid), role (a role name), dept_head (a department code:
--                   its head), dept (a department code: its members) — as in reminder
--   state           pending, sent, failed (given up after smtp.max_attempts)
CREATE TABLE IF NOT EXISTS mail_outbox (
	id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind           VARCHAR(32)   NOT NULL,
	addressee_type VARCHAR(16)   NOT NULL,
	addressee      VARCHAR(64)   NOT NULL,
	number         VARCHAR(16)   NOT NULL,
	link           VARCHAR(255)  NOT NULL,
	created_at     DATETIME      NOT NULL,
	state          VARCHAR(16)   NOT NULL DEFAULT 'pending',
	attempts       INT UNSIGNED  NOT NULL DEFAULT 0,
	next_try_at    DATETIME      NOT NULL,
	sent_at        DATETIME      NULL,
	last_error     VARCHAR(255)  NULL,
	claim          VARCHAR(40)   NULL,          -- the run that is sending it
	CONSTRAINT mail_outbox_state CHECK (state IN ('pending', 'sent', 'failed')),
	KEY mail_outbox_due (state, next_try_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A reminder acknowledged by one of its addressees leaves their count ("My work").
ALTER TABLE reminder ADD COLUMN IF NOT EXISTS acked_at DATETIME NULL;
ALTER TABLE reminder ADD COLUMN IF NOT EXISTS acked_by VARCHAR(64) NULL;
ALTER TABLE reminder ADD COLUMN IF NOT EXISTS acked_by_name VARCHAR(128) NULL;
