-- 001: the foundation — sessions, sign-in throttling, the audit chain, severity levels, complaints.
-- Applied by `kesu-admin migrate` in one transaction per file where MariaDB allows
-- (DDL commits implicitly, so every statement here is idempotent: IF NOT EXISTS / INSERT IGNORE).

CREATE TABLE IF NOT EXISTS session (
	token_hash   CHAR(64)     NOT NULL PRIMARY KEY,  -- SHA-256 of the cookie token
	uid          VARCHAR(64)  NOT NULL,
	dn           VARCHAR(512) NOT NULL,
	display_name VARCHAR(128) NOT NULL,
	department   VARCHAR(64)  NOT NULL DEFAULT '',
	roles        INT UNSIGNED NOT NULL,              -- ROLE_BIT() mask
	csrf_token   CHAR(64)     NOT NULL,
	created_at   DATETIME     NOT NULL,
	last_seen    DATETIME     NOT NULL,
	expires_at   DATETIME     NOT NULL,              -- absolute lifetime
	KEY session_uid (uid),
	KEY session_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per throttled key: "u:<uid>" for an account, "a:<address>" for a client.
CREATE TABLE IF NOT EXISTS login_failure (
	throttle_key VARCHAR(160) NOT NULL PRIMARY KEY,
	failures     INT UNSIGNED NOT NULL,
	last_at      DATETIME     NOT NULL,
	locked_until DATETIME     NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The audit trail. The workers may only SELECT and INSERT here (see kesu-admin migrate).
CREATE TABLE IF NOT EXISTS audit_event (
	seq          BIGINT UNSIGNED NOT NULL PRIMARY KEY,  -- position in the hash chain
	at           CHAR(26)     NOT NULL,                -- UTC, "YYYY-MM-DD HH:MM:SS.ffffff"
	actor_uid    VARCHAR(64)  NOT NULL,
	actor_name   VARCHAR(128) NOT NULL,
	actor_role   VARCHAR(32)  NOT NULL,
	entity       VARCHAR(32)  NOT NULL,
	entity_id    VARCHAR(64)  NOT NULL,
	action       VARCHAR(64)  NOT NULL,
	before_json  MEDIUMTEXT   NULL,
	after_json   MEDIUMTEXT   NULL,
	request_id   VARCHAR(32)  NOT NULL,
	client_addr  VARCHAR(64)  NOT NULL,
	prev_hash    CHAR(64)     NOT NULL,
	hash         CHAR(64)     NOT NULL,
	KEY audit_entity (entity, entity_id, seq),
	KEY audit_actor (actor_uid, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The head of the chain: one row, locked by every writer, so concurrent writers keep one chain.
CREATE TABLE IF NOT EXISTS audit_head (
	id        TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	last_seq  BIGINT UNSIGNED NOT NULL,
	last_hash CHAR(64)        NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Severity levels and their SLA (administrator-editable; the domain's defaults).
CREATE TABLE IF NOT EXISTS severity_level (
	level           TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	respond_minutes INT UNSIGNED NOT NULL,
	resolve_minutes INT UNSIGNED NULL          -- NULL: case by case
) ENGINE=InnoDB;
INSERT IGNORE INTO severity_level (level, respond_minutes, resolve_minutes) VALUES
	(1, 120, 1440), (2, 240, 2880), (3, 480, 4320), (4, 1440, NULL);

-- Complaint numbers: the last sequence number used in each year (no gaps: the row is
-- locked until the registering transaction commits or rolls back).
CREATE TABLE IF NOT EXISTS complaint_seq (
	year     SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
	last_seq INT UNSIGNED      NOT NULL
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS complaint (
	id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number             VARCHAR(16)  NOT NULL,       -- YYMMDDNNN
	year               SMALLINT UNSIGNED NOT NULL,
	seq                INT UNSIGNED NOT NULL,
	status             VARCHAR(24)  NOT NULL,
	received_at        DATETIME     NOT NULL,       -- UTC, to the minute
	channel            VARCHAR(24)  NOT NULL,
	customer_name      VARCHAR(128) NOT NULL,
	customer_company   VARCHAR(200) NOT NULL DEFAULT '',
	customer_type      VARCHAR(24)  NOT NULL,
	customer_vip       TINYINT(1)   NOT NULL DEFAULT 0,
	customer_phone     VARCHAR(40)  NOT NULL DEFAULT '',
	customer_email     VARCHAR(254) NOT NULL DEFAULT '',
	customer_address   VARCHAR(400) NOT NULL DEFAULT '',
	product            VARCHAR(200) NOT NULL DEFAULT '',
	part_no            VARCHAR(64)  NOT NULL DEFAULT '',
	order_no           VARCHAR(64)  NOT NULL DEFAULT '',
	lot                VARCHAR(64)  NOT NULL DEFAULT '',
	quantity           INT UNSIGNED NULL,
	defective_quantity INT UNSIGNED NULL,
	delivery_date      DATE         NULL,
	subject_person     VARCHAR(200) NOT NULL DEFAULT '',
	description        TEXT         NOT NULL,
	demand             VARCHAR(24)  NOT NULL,
	urgency            VARCHAR(16)  NOT NULL,
	category           VARCHAR(24)  NOT NULL,
	severity           TINYINT UNSIGNED NOT NULL,
	respond_due        DATETIME     NOT NULL,
	resolve_due        DATETIME     NULL,
	owner_uid          VARCHAR(64)  NOT NULL,       -- the first responder
	owner_name         VARCHAR(128) NOT NULL,
	created_by         VARCHAR(64)  NOT NULL,
	created_at         DATETIME     NOT NULL,
	updated_at         DATETIME     NOT NULL,
	version            INT UNSIGNED NOT NULL DEFAULT 1,
	UNIQUE KEY complaint_number (number),
	UNIQUE KEY complaint_year_seq (year, seq),
	KEY complaint_received (received_at, id),
	KEY complaint_status (status, received_at, id),
	KEY complaint_category (category, received_at, id),
	KEY complaint_severity (severity, received_at, id),
	KEY complaint_channel (channel, received_at, id),
	KEY complaint_customer (customer_name, received_at),
	KEY complaint_company (customer_company, received_at),
	KEY complaint_owner (owner_uid, received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
