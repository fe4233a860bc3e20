-- Issue 8 (verify): the audit chain verified from the browser in bounded slices, checkpoints
-- signed by an auditor, and who looked at which complaint (PIPL).

-- One verification started from /audit/verify: the head it set out to reach, how far it got
-- (seq and the hash computed there, so the next slice continues from it), and its outcome.
CREATE TABLE IF NOT EXISTS audit_verify_run (
	id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	started_by    VARCHAR(64)  NOT NULL,
	started_name  VARCHAR(128) NOT NULL,
	started_at    DATETIME(6)  NOT NULL,
	finished_at   DATETIME(6)  NULL,
	target_seq    BIGINT UNSIGNED NOT NULL,     -- audit_head when it started
	target_hash   CHAR(64)     NOT NULL,
	checked_seq   BIGINT UNSIGNED NOT NULL DEFAULT 0,
	checked_hash  CHAR(64)     NOT NULL,         -- the hash computed for event checked_seq
	elapsed_ms    BIGINT UNSIGNED NOT NULL DEFAULT 0,
	status        VARCHAR(16)  NOT NULL DEFAULT 'running',  -- running, intact, broken
	bad_seq       BIGINT UNSIGNED NULL,
	reason        VARCHAR(255) NOT NULL DEFAULT '',
	checkpoints   INT UNSIGNED NOT NULL DEFAULT 0           -- checkpoints passed through
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A point of the chain an auditor verified and signed (password again): later verifications
-- must pass through it. Never updated or deleted (the workers may only INSERT).
CREATE TABLE IF NOT EXISTS audit_checkpoint (
	id           BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	seq          BIGINT UNSIGNED NOT NULL,
	hash         CHAR(64)     NOT NULL,
	run_id       BIGINT UNSIGNED NOT NULL,
	signer_uid   VARCHAR(64)  NOT NULL,
	signer_name  VARCHAR(128) NOT NULL,
	role         VARCHAR(32)  NOT NULL,
	meaning      VARCHAR(255) NOT NULL,
	signed_at    DATETIME(6)  NOT NULL,
	UNIQUE KEY checkpoint_seq (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who looked at what: one row per complaint page, attachment or dossier opened. Append-only
-- (the workers may only INSERT), outside the hash chain, written with one autocommit INSERT.
CREATE TABLE IF NOT EXISTS record_view (
	id           BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	at           DATETIME(6)  NOT NULL,
	actor_uid    VARCHAR(64)  NOT NULL,
	actor_name   VARCHAR(128) NOT NULL,
	actor_role   VARCHAR(32)  NOT NULL,
	record       VARCHAR(16)  NOT NULL,          -- the complaint number
	what         VARCHAR(16)  NOT NULL,          -- complaint, attachment, dossier
	item         VARCHAR(64)  NOT NULL DEFAULT '',  -- the attachment's id
	client_addr  VARCHAR(64)  NOT NULL,
	request_id   VARCHAR(32)  NOT NULL,
	KEY record_view_record (record, id),
	KEY record_view_actor (actor_uid, id),
	KEY record_view_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
