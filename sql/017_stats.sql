-- 017: what the statistics (/stats, docs/statistics.md) count from, kept on the complaint itself
-- in the same transaction as each status change: when it was first answered and when it was
-- closed. A trigger sets them, so no step can forget to: the lifecycle steps, the plan steps
-- and any later one all move the status with an UPDATE of complaint. An UPDATE that leaves
-- the status alone keeps what it sets itself (corrections by an administrator). Idempotent.

ALTER TABLE complaint ADD COLUMN IF NOT EXISTS responded_at DATETIME NULL;   -- first move out of registered / not_substantiated
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS closed_at DATETIME NULL;      -- the last close; NULL again while reopened

CREATE TRIGGER IF NOT EXISTS complaint_stat_times BEFORE UPDATE ON complaint FOR EACH ROW
	SET NEW.responded_at = IF(NEW.status <> OLD.status AND OLD.responded_at IS NULL
	        AND NEW.status NOT IN ('registered', 'not_substantiated'), UTC_TIMESTAMP(), NEW.responded_at),
	    NEW.closed_at = IF(NEW.status = OLD.status, NEW.closed_at,
	        IF(NEW.status = 'closed', UTC_TIMESTAMP(), NULL));

-- Complaints that existed before: their last change stands in for the moment (approximate,
-- said in docs/statistics.md).
UPDATE complaint SET responded_at = updated_at
	WHERE responded_at IS NULL AND status NOT IN ('registered', 'not_substantiated');
UPDATE complaint SET closed_at = updated_at WHERE closed_at IS NULL AND status = 'closed';

-- The monthly report (docs/statistics.md, "The monthly report"): a month's figures frozen as
-- they stood, language-neutral (codes and numbers), with the SHA-256 of that JSON; the QA
-- director signs that hash. Once signed_at is set no statement changes the row.
CREATE TABLE IF NOT EXISTS stats_report (
	id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	period       CHAR(7)      NOT NULL,          -- YYYY-MM
	figures      MEDIUMTEXT   NOT NULL,
	content_hash CHAR(64)     NOT NULL,
	frozen_at    DATETIME     NOT NULL,
	frozen_by    VARCHAR(64)  NOT NULL,
	signed_at    DATETIME     NULL,
	signer_uid   VARCHAR(64)  NULL,
	signer_name  VARCHAR(128) NULL,
	UNIQUE KEY stats_report_period (period)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
