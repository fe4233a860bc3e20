-- 004: investigation reports, handling plans and their remedies, the authority matrix,
-- electronic signatures; the reply to the customer and the callback.

-- The authority matrix (核决权限), edited by the administrator (docs/authority-matrix.md).
-- Amounts in fen; min exclusive (NULL: no lower bound), max inclusive (NULL: no upper bound);
-- severity 0 = any level; roles: role names, comma-separated, junior first.
CREATE TABLE IF NOT EXISTS authority_rule (
	id             INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	action         VARCHAR(32)  NOT NULL,
	min_amount_fen BIGINT       NULL,
	max_amount_fen BIGINT       NULL,
	severity       TINYINT UNSIGNED NOT NULL DEFAULT 0,
	roles          VARCHAR(160) NOT NULL,
	KEY authority_action (action)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
-- The domain's defaults, only into an empty matrix (an administrator's edits are kept).
INSERT INTO authority_rule (action, min_amount_fen, max_amount_fen, severity, roles)
SELECT * FROM (
	SELECT 'handling_plan' AS action, NULL AS min_amount_fen, 100000 AS max_amount_fen, 0 AS severity, 'dept_head' AS roles
	UNION ALL SELECT 'handling_plan', 100000, 1000000, 0, 'dept_head,deputy_gm'
	UNION ALL SELECT 'handling_plan', 1000000, NULL, 0, 'dept_head,deputy_gm,gm'
	UNION ALL SELECT 'handling_plan', NULL, NULL, 1, 'gm'
	UNION ALL SELECT 'investigation_signoff', NULL, NULL, 0, 'dept_head'
	UNION ALL SELECT 'penalty', NULL, NULL, 0, 'gm'
	UNION ALL SELECT '8d_report', NULL, NULL, 0, 'qa_director'
) AS d WHERE NOT EXISTS (SELECT 1 FROM authority_rule);

-- One investigation report (调查报告) per complaint and responsible department. A member writes
-- it (draft, submitted); the signers the matrix names for investigation_signoff sign it off
-- (signed) or return it (returned: editable again). revision counts content changes: a
-- signature covers one revision, by its content_hash.
CREATE TABLE IF NOT EXISTS investigation_report (
	id              BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	number          VARCHAR(16)  NOT NULL,
	department      VARCHAR(32)  NOT NULL,
	state           VARCHAR(16)  NOT NULL,      -- draft, submitted, signed, returned
	revision        INT UNSIGNED NOT NULL DEFAULT 1,
	cause           TEXT         NOT NULL,
	course          TEXT         NOT NULL,
	responsible     TEXT         NOT NULL,
	conclusion      TEXT         NOT NULL,
	countermeasures TEXT         NOT NULL,
	preventive      TEXT         NOT NULL,
	author_uid      VARCHAR(64)  NOT NULL,
	author_name     VARCHAR(128) NOT NULL,
	updated_at      DATETIME     NOT NULL,
	content_hash    CHAR(64)     NOT NULL,
	UNIQUE KEY report_department (number, department),
	KEY report_state (department, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Handling plans (处理方案): revision 1, 2, ... per complaint; a returned or rejected plan stays
-- as it was and a new proposal is a new revision. required_roles: the signers the matrix named
-- when it was proposed, junior first. amount_fen: the money it commits (compensation + discount).
CREATE TABLE IF NOT EXISTS handling_plan (
	id                BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	number            VARCHAR(16)  NOT NULL,
	revision          INT UNSIGNED NOT NULL,
	state             VARCHAR(16)  NOT NULL,    -- pending, approved, returned, rejected
	responsibility    VARCHAR(16)  NOT NULL,    -- company, customer, shared
	company_share_pct TINYINT UNSIGNED NOT NULL,
	loss_fen          BIGINT       NOT NULL,
	amount_fen        BIGINT       NOT NULL,
	explanation       TEXT         NOT NULL,
	required_roles    VARCHAR(160) NOT NULL,
	proposer_uid      VARCHAR(64)  NOT NULL,
	proposer_name     VARCHAR(128) NOT NULL,
	proposer_role     VARCHAR(32)  NOT NULL,
	proposed_at       DATETIME     NOT NULL,
	content_hash      CHAR(64)     NOT NULL,
	UNIQUE KEY plan_revision (number, revision),
	KEY plan_state (state, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The remedy lines of a plan: compensation and discount carry an amount, return, repair and
-- replacement a quantity, apology an explanation; executed_* are for finance (issue 4).
CREATE TABLE IF NOT EXISTS plan_remedy (
	plan_id     BIGINT UNSIGNED  NOT NULL,
	line        TINYINT UNSIGNED NOT NULL,
	kind        VARCHAR(16)      NOT NULL,     -- compensation, return, discount, repair, replacement, apology
	amount_fen  BIGINT           NULL,
	quantity    INT UNSIGNED     NULL,
	note        VARCHAR(500)     NOT NULL DEFAULT '',
	PRIMARY KEY (plan_id, line)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Electronic signatures: who (printed name, role), when (UTC), what it means, the decision, and
-- the hash of the exact content signed. Never updated or deleted (the workers may only INSERT).
CREATE TABLE IF NOT EXISTS signature (
	id           BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	number       VARCHAR(16)  NOT NULL,         -- the complaint
	entity       VARCHAR(32)  NOT NULL,         -- handling_plan, investigation_report
	entity_id    BIGINT UNSIGNED NOT NULL,
	revision     INT UNSIGNED NOT NULL,
	signer_uid   VARCHAR(64)  NOT NULL,
	signer_name  VARCHAR(128) NOT NULL,
	role         VARCHAR(32)  NOT NULL,
	decision     VARCHAR(16)  NOT NULL,         -- approve, return, reject
	meaning      VARCHAR(255) NOT NULL,
	comment      VARCHAR(2000) NOT NULL DEFAULT '',
	content_hash CHAR(64)     NOT NULL,
	signed_at    DATETIME(6)  NOT NULL,
	UNIQUE KEY signature_once (entity, entity_id, revision, role),
	KEY signature_number (number, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The reply to the customer and the callback (回访).
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS reply_text TEXT NULL;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS replied_at DATETIME NULL;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS satisfaction TINYINT UNSIGNED NULL;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS callback_comment TEXT NULL;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS callback_at DATETIME NULL;
