-- 007: penalty notices (处罚通知单) and their appeals; finance's execution of approved remedies.

-- A penalty against a department or a person found responsible in a complaint's investigation.
-- state: proposed -> approved | rejected; approved -> appealed -> approved (upheld) | revoked.
-- Execution (finance: fines and bonus deductions; HR: the rest) is recorded apart from the state,
-- since an executed penalty may still be appealed and revoked. Signatures are in `signature`
-- (entity 'penalty'); the content they cover is content_hash.
CREATE TABLE IF NOT EXISTS penalty (
	id                BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	number            VARCHAR(16)  NOT NULL,
	target_kind       VARCHAR(16)  NOT NULL,            -- department, person
	target_department VARCHAR(32)  NOT NULL,
	target_uid        VARCHAR(64)  NOT NULL DEFAULT '',
	target_name       VARCHAR(128) NOT NULL DEFAULT '',
	kind              VARCHAR(24)  NOT NULL,            -- fine, warning, sanction, bonus_deduction, training, suspension
	amount_fen        BIGINT       NULL,
	reason            TEXT         NOT NULL,
	rule_applied      VARCHAR(500) NOT NULL,
	state             VARCHAR(16)  NOT NULL,
	required_roles    VARCHAR(160) NOT NULL,            -- the signers the matrix named, junior first
	version           INT UNSIGNED NOT NULL DEFAULT 1,
	proposer_uid      VARCHAR(64)  NOT NULL,
	proposer_name     VARCHAR(128) NOT NULL,
	proposer_role     VARCHAR(32)  NOT NULL,
	proposed_at       DATETIME     NOT NULL,
	decided_at        DATETIME     NULL,
	executed_at       DATETIME     NULL,
	executed_by       VARCHAR(64)  NULL,
	appeal_reason     TEXT         NULL,
	appealed_by       VARCHAR(64)  NULL,
	appealed_at       DATETIME     NULL,
	content_hash      CHAR(64)     NOT NULL,
	KEY penalty_number (number, id),
	KEY penalty_state (state, kind, id),
	KEY penalty_target (target_uid, id),
	KEY penalty_department (target_department, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Finance marks the money of an approved plan paid or credited, line by line.
ALTER TABLE plan_remedy ADD COLUMN IF NOT EXISTS executed_at DATETIME NULL;
ALTER TABLE plan_remedy ADD COLUMN IF NOT EXISTS executed_by VARCHAR(64) NULL;
ALTER TABLE plan_remedy ADD COLUMN IF NOT EXISTS executed_name VARCHAR(128) NULL;
ALTER TABLE plan_remedy ADD COLUMN IF NOT EXISTS executed_note VARCHAR(500) NULL;
