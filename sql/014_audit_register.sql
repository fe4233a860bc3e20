-- 014: the auditor's periodic review sign-off, and the indexes the signature register and the
-- exception queries read by (issue 8: register). Idempotent: DDL commits by itself.

-- "Audit trail reviewed for period P": one row per review, signed by an auditor with an
-- electronic signature (signature.entity = 'audit_review', entity_id = id, number = '').
-- exceptions_open: how many exceptions /audit/exceptions listed for the period at that moment.
-- Never updated or deleted (the workers may only INSERT).
CREATE TABLE IF NOT EXISTS audit_review (
	id              BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	period_from     DATE         NOT NULL,      -- local dates, both included
	period_to       DATE         NOT NULL,
	exceptions_open INT UNSIGNED NOT NULL,
	reviewer_uid    VARCHAR(64)  NOT NULL,
	reviewer_name   VARCHAR(128) NOT NULL,
	note            VARCHAR(2000) NOT NULL DEFAULT '',
	reviewed_at     DATETIME     NOT NULL,      -- UTC
	content_hash    CHAR(64)     NOT NULL,      -- what the signature covers
	KEY audit_review_at (reviewed_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The register filters by signer and by period; the exception queries read a period.
ALTER TABLE signature ADD INDEX IF NOT EXISTS signature_signer (signer_uid, id);
ALTER TABLE signature ADD INDEX IF NOT EXISTS signature_signed (signed_at, id);
-- The reminders issued for one complaint (exception: a deadline missed without a reminder).
ALTER TABLE reminder ADD INDEX IF NOT EXISTS reminder_number (number, step);
