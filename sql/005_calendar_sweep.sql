-- 005: the business calendar the administrator edits, and the documents of the overdue sweep
-- (`kesu-admin sweep`): reminders (催办单), escalations to the leadership group, and overdue
-- inquiries (查办单) with the responsible department's answer. See docs/sla.md.
-- Every statement is idempotent (IF NOT EXISTS / INSERT IGNORE): DDL commits by itself.

-- Working hours of each weekday (0 = Sunday ... 6 = Saturday), in minutes since local
-- midnight, at most two spans [from, to); a weekday whose first span is NULL does not work.
CREATE TABLE IF NOT EXISTS calendar_week (
	weekday    TINYINT UNSIGNED  NOT NULL PRIMARY KEY,
	span1_from SMALLINT UNSIGNED NULL,
	span1_to   SMALLINT UNSIGNED NULL,
	span2_from SMALLINT UNSIGNED NULL,
	span2_to   SMALLINT UNSIGNED NULL,
	CONSTRAINT calendar_week_day CHECK (weekday <= 6),
	CONSTRAINT calendar_week_span1 CHECK ((span1_from IS NULL AND span1_to IS NULL) OR
		(span1_from < span1_to AND span1_to <= 1440)),
	CONSTRAINT calendar_week_span2 CHECK ((span2_from IS NULL AND span2_to IS NULL) OR
		(span1_to IS NOT NULL AND span1_to <= span2_from AND span2_from < span2_to AND span2_to <= 1440))
) ENGINE=InnoDB;
-- The company's standard week: Monday to Friday, 08:30-12:00 and 13:00-17:30.
INSERT IGNORE INTO calendar_week (weekday, span1_from, span1_to, span2_from, span2_to) VALUES
	(0, NULL, NULL, NULL, NULL),
	(1, 510, 720, 780, 1050),
	(2, 510, 720, 780, 1050),
	(3, 510, 720, 780, 1050),
	(4, 510, 720, 780, 1050),
	(5, 510, 720, 780, 1050),
	(6, NULL, NULL, NULL, NULL);

-- Dated exceptions: a public holiday (no work), or a make-up working day (调休, worked with
-- Monday's hours). No dates are seeded: the administrator enters each year's official
-- schedule on /admin/calendar.
CREATE TABLE IF NOT EXISTS calendar_exception (
	day        DATE         NOT NULL PRIMARY KEY,
	kind       VARCHAR(16)  NOT NULL,          -- holiday, workday
	name       VARCHAR(64)  NOT NULL,
	created_by VARCHAR(64)  NOT NULL,
	created_at DATETIME     NOT NULL,
	CONSTRAINT calendar_exception_kind CHECK (kind IN ('holiday', 'workday'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Reminders (催办单) and escalations, one row per complaint, document, step, department and
-- addressee: the unique key makes a second sweep issue nothing twice.
--   kind            reminder, escalation
--   step            response, acceptance, report, resolution, callback
--   department      the department of an acceptance or report step; '' otherwise
--   addressee_type  user (addressee = uid), role (a role name: everyone holding it),
--                   dept_head (a department code: its head), dept (a department code: its members)
CREATE TABLE IF NOT EXISTS reminder (
	id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number         VARCHAR(16)  NOT NULL,
	kind           VARCHAR(16)  NOT NULL,
	step           VARCHAR(16)  NOT NULL,
	department     VARCHAR(32)  NOT NULL DEFAULT '',
	addressee_type VARCHAR(16)  NOT NULL,
	addressee      VARCHAR(64)  NOT NULL,
	deadline       DATETIME     NOT NULL,      -- UTC, the deadline that passed
	issued_at      DATETIME     NOT NULL,
	UNIQUE KEY reminder_once (number, kind, step, department, addressee_type, addressee),
	KEY reminder_addressee (addressee_type, addressee, issued_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Overdue inquiries (查办单): after closure, one per complaint that overran a deadline and
-- responsible department (the accepted assignments; without any, the service supervisors of
-- the customer service centre). The department's head answers once; the answer is kept.
CREATE TABLE IF NOT EXISTS overdue_inquiry (
	id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number           VARCHAR(16)   NOT NULL,
	department       VARCHAR(32)   NOT NULL,
	addressee_type   VARCHAR(16)   NOT NULL,   -- dept_head or role, as in reminder
	addressee        VARCHAR(64)   NOT NULL,
	steps            VARCHAR(200)  NOT NULL,   -- the steps that overran, comma-separated
	issued_at        DATETIME      NOT NULL,
	answer           TEXT          NULL,
	answered_by      VARCHAR(64)   NULL,
	answered_by_name VARCHAR(128)  NULL,
	answered_at      DATETIME      NULL,
	UNIQUE KEY inquiry_once (number, department, addressee_type, addressee),
	KEY inquiry_addressee (addressee_type, addressee, answered_at, issued_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The sweep's candidate queries read these ranges instead of every complaint.
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_status_resolve (status, resolve_due);
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_status_updated (status, updated_at);
ALTER TABLE complaint_assignment ADD INDEX IF NOT EXISTS assignment_state_assigned (state, assigned_at);
ALTER TABLE complaint_assignment ADD INDEX IF NOT EXISTS assignment_state_decided (state, decided_at);
