-- 015: the authority matrix and the business calendar keep their history (issue 8, items 5-6).
-- Each table below holds every version a row ever had, with the UTC instant it came into force
-- (effective_from, inclusive) and the instant it stopped (effective_to, exclusive; NULL while in
-- force). The live tables (authority_rule, calendar_week, calendar_exception) stay what the
-- rest of Kesu reads; the worker writes a version row in the same transaction as each change
-- of a live row, beside its audit record. Rows that existed before this migration are taken as
-- in force since 2000-01-01 (their history before that is in the audit trail, if anywhere).
-- Every statement is idempotent: DDL commits by itself.

CREATE TABLE IF NOT EXISTS authority_rule_version (
	rule_id        INT UNSIGNED NOT NULL,          -- authority_rule.id: rules are never edited, only added and deleted
	action         VARCHAR(32)  NOT NULL,
	min_amount_fen BIGINT       NULL,
	max_amount_fen BIGINT       NULL,
	severity       TINYINT UNSIGNED NOT NULL DEFAULT 0,
	roles          VARCHAR(160) NOT NULL,
	effective_from DATETIME(6)  NOT NULL,
	effective_to   DATETIME(6)  NULL,
	PRIMARY KEY (rule_id),
	KEY authority_version_from (effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT IGNORE INTO authority_rule_version (rule_id, action, min_amount_fen, max_amount_fen, severity,
	roles, effective_from, effective_to)
SELECT id, action, min_amount_fen, max_amount_fen, severity, roles, '2000-01-01 00:00:00', NULL
FROM authority_rule;

CREATE TABLE IF NOT EXISTS calendar_week_version (
	id             BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	weekday        TINYINT UNSIGNED  NOT NULL,
	span1_from     SMALLINT UNSIGNED NULL,
	span1_to       SMALLINT UNSIGNED NULL,
	span2_from     SMALLINT UNSIGNED NULL,
	span2_to       SMALLINT UNSIGNED NULL,
	effective_from DATETIME(6)  NOT NULL,
	effective_to   DATETIME(6)  NULL,
	KEY calendar_week_version_day (weekday, effective_to),
	KEY calendar_week_version_from (effective_from)
) ENGINE=InnoDB;
INSERT INTO calendar_week_version (weekday, span1_from, span1_to, span2_from, span2_to, effective_from)
SELECT weekday, span1_from, span1_to, span2_from, span2_to, '2000-01-01 00:00:00' FROM calendar_week
WHERE NOT EXISTS (SELECT 1 FROM calendar_week_version);

CREATE TABLE IF NOT EXISTS calendar_exception_version (
	id             BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	day            DATE         NOT NULL,
	kind           VARCHAR(16)  NOT NULL,
	name           VARCHAR(64)  NOT NULL,
	created_by     VARCHAR(64)  NOT NULL,
	effective_from DATETIME(6)  NOT NULL,
	effective_to   DATETIME(6)  NULL,
	KEY calendar_exception_version_day (day, effective_to),
	KEY calendar_exception_version_from (effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO calendar_exception_version (day, kind, name, created_by, effective_from)
SELECT day, kind, name, created_by, '2000-01-01 00:00:00' FROM calendar_exception
WHERE NOT EXISTS (SELECT 1 FROM calendar_exception_version);

-- Every handling plan and penalty names the authority rules (authority_rule ids, comma-separated,
-- ascending) whose roles became its required signers at proposal time: with
-- authority_rule_version, the exact version of the matrix its signers came from. '' for rows
-- proposed before this migration.
ALTER TABLE handling_plan ADD COLUMN IF NOT EXISTS rule_ids VARCHAR(160) NOT NULL DEFAULT '';
ALTER TABLE penalty ADD COLUMN IF NOT EXISTS rule_ids VARCHAR(160) NOT NULL DEFAULT '';
