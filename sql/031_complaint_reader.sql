-- Issue 10 (agentvis): who may read a complaint other than its owner and the readers who see
-- all, as rows an index can walk newest first. A department assigned to it ('d:' code) and
-- everyone who signed something on it ('u:' uid) get one row each, carrying the complaint's
-- received_at, so the list of a reader who does not see all is a UNION of index ranges of at
-- most 51 entries each (docs/performance.md, "The agent's list") instead of a walk of
-- complaint_received with two EXISTS per row. The owner and the quality engineers' category
-- stay on complaint's own indexes (complaint_owner, complaint_category).
--
-- Kept by triggers, so every write path keeps it in its own transaction: an assignment
-- (inserted, or moved to another number/department, or deleted) and a signature (only ever
-- inserted). An assignment refused stays a row, as LIST_VISIBLE counts it; a complaint's
-- received_at moving (no path does today) moves its rows.
CREATE TABLE IF NOT EXISTS complaint_reader (
	reader                VARCHAR(72)     NOT NULL,   -- 'd:' department code | 'u:' signer uid
	complaint_id          BIGINT UNSIGNED NOT NULL,
	complaint_received_at DATETIME        NOT NULL,   -- complaint.received_at (named apart: list joins)
	PRIMARY KEY (reader, complaint_id),
	KEY complaint_reader_recent (reader, complaint_received_at, complaint_id),
	KEY complaint_reader_complaint (complaint_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS assignment_reader_insert;
CREATE TRIGGER assignment_reader_insert AFTER INSERT ON complaint_assignment FOR EACH ROW
	INSERT IGNORE INTO complaint_reader (reader, complaint_id, complaint_received_at)
	SELECT CONCAT('d:', NEW.department), id, received_at FROM complaint WHERE number = NEW.number;
DROP TRIGGER IF EXISTS assignment_reader_update;
CREATE TRIGGER assignment_reader_update AFTER UPDATE ON complaint_assignment FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number AND NEW.department <=> OLD.department) THEN
	DELETE r FROM complaint_reader r JOIN complaint c ON c.id = r.complaint_id
	    WHERE r.reader = CONCAT('d:', OLD.department) AND c.number = OLD.number
	; INSERT IGNORE INTO complaint_reader (reader, complaint_id, complaint_received_at)
	SELECT CONCAT('d:', NEW.department), id, received_at FROM complaint WHERE number = NEW.number
	; END IF;
DROP TRIGGER IF EXISTS assignment_reader_delete;
CREATE TRIGGER assignment_reader_delete AFTER DELETE ON complaint_assignment FOR EACH ROW
	DELETE r FROM complaint_reader r JOIN complaint c ON c.id = r.complaint_id
	    WHERE r.reader = CONCAT('d:', OLD.department) AND c.number = OLD.number;
DROP TRIGGER IF EXISTS signature_reader_insert;
CREATE TRIGGER signature_reader_insert AFTER INSERT ON signature FOR EACH ROW
	INSERT IGNORE INTO complaint_reader (reader, complaint_id, complaint_received_at)
	SELECT CONCAT('u:', NEW.signer_uid), id, received_at FROM complaint WHERE number = NEW.number;
DROP TRIGGER IF EXISTS complaint_reader_moved;
CREATE TRIGGER complaint_reader_moved AFTER UPDATE ON complaint FOR EACH ROW
	IF NOT (NEW.received_at <=> OLD.received_at) THEN
	UPDATE complaint_reader SET complaint_received_at = NEW.received_at WHERE complaint_id = NEW.id
	; END IF;

-- The backfill: every assignment and every signer there is (one statement each, on their
-- primary keys and complaint_number; the bench's 1 M complaints: see docs/performance.md).
INSERT IGNORE INTO complaint_reader (reader, complaint_id, complaint_received_at)
	SELECT CONCAT('d:', a.department), c.id, c.received_at
	FROM complaint_assignment a JOIN complaint c ON c.number = a.number;
INSERT IGNORE INTO complaint_reader (reader, complaint_id, complaint_received_at)
	SELECT CONCAT('u:', s.signer_uid), c.id, c.received_at
	FROM signature s JOIN complaint c ON c.number = s.number;
