-- 008: 8D reports for product-quality complaints, their versions, deadlines, hold notices
-- (《Hold货通知单》) and what was sent to the customer. See docs/8d.md.
-- Every statement is idempotent (IF NOT EXISTS): DDL commits by itself.

-- One 8D report, opened by a quality engineer from a product-quality complaint (number: the
-- complaint it was opened from; signatures, reminders and attachments are filed under it).
-- The deadlines are fixed when it is opened (eightd.* keys of kesu.conf); *_done_at is when
-- that part was first complete (d8: the first approval).
CREATE TABLE IF NOT EXISTS eightd (
	id               BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	number           VARCHAR(16)  NOT NULL,
	title            VARCHAR(200) NOT NULL,
	owner_uid        VARCHAR(64)  NOT NULL,
	owner_name       VARCHAR(128) NOT NULL,
	opened_at        DATETIME     NOT NULL,
	part_received_at DATETIME     NOT NULL,    -- the defective part arrived: the initial analysis counts from here
	d3_due           DATETIME     NOT NULL,
	d4_due           DATETIME     NOT NULL,    -- the initial analysis, D0-D4
	d7_due           DATETIME     NOT NULL,    -- permanent actions, D5-D7
	d8_due           DATETIME     NOT NULL,    -- approved and closed
	d3_done_at       DATETIME     NULL,
	d4_done_at       DATETIME     NULL,
	d7_done_at       DATETIME     NULL,
	d8_done_at       DATETIME     NULL,
	KEY eightd_number (number),
	KEY eightd_owner (owner_uid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The complaints one 8D covers (the one it was opened from, and any others linked to it).
CREATE TABLE IF NOT EXISTS eightd_complaint (
	eightd_id BIGINT UNSIGNED NOT NULL,
	number    VARCHAR(16)     NOT NULL,
	linked_by VARCHAR(64)     NOT NULL,
	linked_at DATETIME        NOT NULL,
	PRIMARY KEY (eightd_id, number),
	KEY eightd_complaint_number (number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Versions 1, 2, ... of an 8D. A draft is edited in place (revision counts the saves, for
-- "changed meanwhile"); submitted, returned and approved versions never change again; a
-- revision is a new version. d0..d8: each discipline's fields as a JSON object.
-- comments: the QA director's comments per discipline when returned (JSON object).
CREATE TABLE IF NOT EXISTS eightd_version (
	id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	eightd_id     BIGINT UNSIGNED NOT NULL,
	version       INT UNSIGNED NOT NULL,
	state         VARCHAR(16)  NOT NULL,        -- draft, submitted, returned, approved
	revision      INT UNSIGNED NOT NULL DEFAULT 1,
	d0 TEXT NOT NULL, d1 TEXT NOT NULL, d2 TEXT NOT NULL, d3 TEXT NOT NULL, d4 TEXT NOT NULL,
	d5 TEXT NOT NULL, d6 TEXT NOT NULL, d7 TEXT NOT NULL, d8 TEXT NOT NULL,
	comments      TEXT         NULL,
	author_uid    VARCHAR(64)  NOT NULL,        -- who saved it last
	author_name   VARCHAR(128) NOT NULL,
	updated_at    DATETIME     NOT NULL,
	submitted_by  VARCHAR(64)  NULL,
	submitted_at  DATETIME     NULL,
	decided_at    DATETIME     NULL,
	UNIQUE KEY eightd_version_once (eightd_id, version),
	KEY eightd_version_state (state, eightd_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An approved version sent to the customer: recorded by the owner, never edited.
CREATE TABLE IF NOT EXISTS eightd_sent (
	id          BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	eightd_id   BIGINT UNSIGNED NOT NULL,
	version     INT UNSIGNED NOT NULL,
	recipient   VARCHAR(200) NOT NULL,
	note        VARCHAR(500) NOT NULL DEFAULT '',
	sent_by     VARCHAR(64)  NOT NULL,
	sent_name   VARCHAR(128) NOT NULL,
	sent_at     DATETIME     NOT NULL,
	KEY eightd_sent_report (eightd_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Hold notices (《Hold货通知单》) issued from D3: stock put on hold, later released with an
-- electronic signature (signature.entity = 'hold_notice').
CREATE TABLE IF NOT EXISTS hold_notice (
	id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	eightd_id     BIGINT UNSIGNED NOT NULL,
	number        VARCHAR(16)  NOT NULL,
	state         VARCHAR(16)  NOT NULL,        -- on_hold, released
	reason        VARCHAR(2000) NOT NULL,
	issued_by     VARCHAR(64)  NOT NULL,
	issued_name   VARCHAR(128) NOT NULL,
	issued_at     DATETIME     NOT NULL,
	released_at   DATETIME     NULL,
	content_hash  CHAR(64)     NOT NULL,
	KEY hold_notice_report (eightd_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS hold_line (
	hold_id       BIGINT UNSIGNED  NOT NULL,
	line          TINYINT UNSIGNED NOT NULL,
	location_kind VARCHAR(16)      NOT NULL,    -- warehouse, in_transit, at_customer
	location      VARCHAR(200)     NOT NULL,
	part_no       VARCHAR(64)      NOT NULL,
	lot           VARCHAR(64)      NOT NULL,
	quantity      INT UNSIGNED     NOT NULL,
	PRIMARY KEY (hold_id, line)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Attachments on a discipline of an 8D: entity '8d_report', the version they were added to
-- (a later version shows them too) and the discipline (d0..d8).
ALTER TABLE attachment ADD COLUMN IF NOT EXISTS eightd_id BIGINT UNSIGNED NULL;
ALTER TABLE attachment ADD COLUMN IF NOT EXISTS eightd_version INT UNSIGNED NULL;
ALTER TABLE attachment ADD COLUMN IF NOT EXISTS discipline VARCHAR(4) NOT NULL DEFAULT '';
ALTER TABLE attachment ADD INDEX IF NOT EXISTS attachment_eightd (eightd_id, id);

-- Releasing held stock is approved by the QA director (an administrator may change it).
INSERT INTO authority_rule (action, min_amount_fen, max_amount_fen, severity, roles)
SELECT 'hold_release', NULL, NULL, 0, 'qa_director' FROM DUAL
WHERE NOT EXISTS (SELECT 1 FROM authority_rule WHERE action = 'hold_release');
