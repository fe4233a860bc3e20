-- 033 (issue 10, pagefacts): what the complaint page counts, kept in one row per complaint, so
-- that the page's row is the complaint joined to that row by key instead of the complaint with
-- eleven subqueries, which MariaDB planned anew at every view (docs/performance.md, block
-- pagefacts: 714,000 of mysqld's instructions a page row, 275,000 with this row).
--
-- complaint_facts: per complaint number, how many investigation reports, signatures, handling
-- plans, attachments, overdue inquiries, penalties, linked 8D reports and assignments it has
-- (every row of those tables that names the number, as the COUNT(*)s counted them), and the
-- signers the newest pending plan requires (handling_plan.required_roles, NULL: none pending).
-- A complaint with none of these has no row: the page reads it with a LEFT JOIN, as zeros.
-- (Below: the repeat links' indexes carry the number.)
--
-- Kept exact by AFTER triggers on each counted table, in the transaction of the write, so every
-- write path keeps it, today's and tomorrow's: an INSERT adds one (creating the row), a DELETE
-- takes one away, an UPDATE that moves a row to another number moves its count;
-- handling_plan's triggers also set pending_roles again from the table. The triggers add to what
-- those tables' writes cost, never to a registration (no row until something is counted).
--
-- The calendar's generation (calendar_get()'s cache key) was the newest audit seq of a calendar
-- edit, a subquery of the page row too: now cache_generation's 'calendar' row, moved by every
-- change to calendar_week and calendar_exception (by whatever path, audited or not).
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line.

CREATE TABLE IF NOT EXISTS complaint_facts (
	complaint_number VARCHAR(16)  NOT NULL PRIMARY KEY,   -- complaint.number (named apart: the page joins)
	n_reports        INT UNSIGNED NOT NULL DEFAULT 0,
	n_signatures     INT UNSIGNED NOT NULL DEFAULT 0,
	n_plans          INT UNSIGNED NOT NULL DEFAULT 0,
	n_attachments    INT UNSIGNED NOT NULL DEFAULT 0,
	n_inquiries      INT UNSIGNED NOT NULL DEFAULT 0,
	n_penalties      INT UNSIGNED NOT NULL DEFAULT 0,
	n_8ds            INT UNSIGNED NOT NULL DEFAULT 0,
	n_assignments    INT UNSIGNED NOT NULL DEFAULT 0,
	pending_roles    VARCHAR(160) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- investigation_report
DROP TRIGGER IF EXISTS report_facts_insert;
CREATE TRIGGER report_facts_insert AFTER INSERT ON investigation_report FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_reports) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_reports = n_reports + 1;
DROP TRIGGER IF EXISTS report_facts_delete;
CREATE TRIGGER report_facts_delete AFTER DELETE ON investigation_report FOR EACH ROW
	UPDATE complaint_facts SET n_reports = n_reports - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS report_facts_update;
CREATE TRIGGER report_facts_update AFTER UPDATE ON investigation_report FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_reports = n_reports - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_reports) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_reports = n_reports + 1
	; END IF;

-- signature (only ever inserted by the workers; the others for completeness)
DROP TRIGGER IF EXISTS signature_facts_insert;
CREATE TRIGGER signature_facts_insert AFTER INSERT ON signature FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_signatures) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_signatures = n_signatures + 1;
DROP TRIGGER IF EXISTS signature_facts_delete;
CREATE TRIGGER signature_facts_delete AFTER DELETE ON signature FOR EACH ROW
	UPDATE complaint_facts SET n_signatures = n_signatures - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS signature_facts_update;
CREATE TRIGGER signature_facts_update AFTER UPDATE ON signature FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_signatures = n_signatures - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_signatures) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_signatures = n_signatures + 1
	; END IF;

-- handling_plan: the count, and the signers of the newest pending revision
DROP TRIGGER IF EXISTS plan_facts_insert;
CREATE TRIGGER plan_facts_insert AFTER INSERT ON handling_plan FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_plans, pending_roles) VALUES (NEW.number, 1,
	    (SELECT p.required_roles FROM handling_plan p WHERE p.number = NEW.number AND p.state = 'pending'
	     ORDER BY p.revision DESC LIMIT 1))
	ON DUPLICATE KEY UPDATE n_plans = n_plans + 1, pending_roles = VALUES(pending_roles);
DROP TRIGGER IF EXISTS plan_facts_delete;
CREATE TRIGGER plan_facts_delete AFTER DELETE ON handling_plan FOR EACH ROW
	UPDATE complaint_facts SET n_plans = n_plans - 1,
	    pending_roles = (SELECT p.required_roles FROM handling_plan p WHERE p.number = OLD.number
	        AND p.state = 'pending' ORDER BY p.revision DESC LIMIT 1)
	WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS plan_facts_update;
CREATE TRIGGER plan_facts_update AFTER UPDATE ON handling_plan FOR EACH ROW
BEGIN
	IF NOT (NEW.number <=> OLD.number) THEN
	    UPDATE complaint_facts SET n_plans = n_plans - 1,
	        pending_roles = (SELECT p.required_roles FROM handling_plan p WHERE p.number = OLD.number
	            AND p.state = 'pending' ORDER BY p.revision DESC LIMIT 1)
	    WHERE complaint_number = OLD.number
	    ; INSERT INTO complaint_facts (complaint_number, n_plans) VALUES (NEW.number, 1)
	      ON DUPLICATE KEY UPDATE n_plans = n_plans + 1
	; END IF
	; IF NOT (NEW.number <=> OLD.number AND NEW.state <=> OLD.state AND NEW.revision <=> OLD.revision
	      AND NEW.required_roles <=> OLD.required_roles) THEN
	    UPDATE complaint_facts SET pending_roles = (SELECT p.required_roles FROM handling_plan p
	        WHERE p.number = NEW.number AND p.state = 'pending' ORDER BY p.revision DESC LIMIT 1)
	    WHERE complaint_number = NEW.number
	; END IF
; END;

-- attachment
DROP TRIGGER IF EXISTS attachment_facts_insert;
CREATE TRIGGER attachment_facts_insert AFTER INSERT ON attachment FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_attachments) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_attachments = n_attachments + 1;
DROP TRIGGER IF EXISTS attachment_facts_delete;
CREATE TRIGGER attachment_facts_delete AFTER DELETE ON attachment FOR EACH ROW
	UPDATE complaint_facts SET n_attachments = n_attachments - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS attachment_facts_update;
CREATE TRIGGER attachment_facts_update AFTER UPDATE ON attachment FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_attachments = n_attachments - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_attachments) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_attachments = n_attachments + 1
	; END IF;

-- overdue_inquiry
DROP TRIGGER IF EXISTS inquiry_facts_insert;
CREATE TRIGGER inquiry_facts_insert AFTER INSERT ON overdue_inquiry FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_inquiries) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_inquiries = n_inquiries + 1;
DROP TRIGGER IF EXISTS inquiry_facts_delete;
CREATE TRIGGER inquiry_facts_delete AFTER DELETE ON overdue_inquiry FOR EACH ROW
	UPDATE complaint_facts SET n_inquiries = n_inquiries - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS inquiry_facts_update;
CREATE TRIGGER inquiry_facts_update AFTER UPDATE ON overdue_inquiry FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_inquiries = n_inquiries - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_inquiries) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_inquiries = n_inquiries + 1
	; END IF;

-- penalty
DROP TRIGGER IF EXISTS penalty_facts_insert;
CREATE TRIGGER penalty_facts_insert AFTER INSERT ON penalty FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_penalties) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_penalties = n_penalties + 1;
DROP TRIGGER IF EXISTS penalty_facts_delete;
CREATE TRIGGER penalty_facts_delete AFTER DELETE ON penalty FOR EACH ROW
	UPDATE complaint_facts SET n_penalties = n_penalties - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS penalty_facts_update;
CREATE TRIGGER penalty_facts_update AFTER UPDATE ON penalty FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_penalties = n_penalties - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_penalties) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_penalties = n_penalties + 1
	; END IF;

-- eightd_complaint (an 8D linked to the complaint)
DROP TRIGGER IF EXISTS eightd_link_facts_insert;
CREATE TRIGGER eightd_link_facts_insert AFTER INSERT ON eightd_complaint FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_8ds) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_8ds = n_8ds + 1;
DROP TRIGGER IF EXISTS eightd_link_facts_delete;
CREATE TRIGGER eightd_link_facts_delete AFTER DELETE ON eightd_complaint FOR EACH ROW
	UPDATE complaint_facts SET n_8ds = n_8ds - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS eightd_link_facts_update;
CREATE TRIGGER eightd_link_facts_update AFTER UPDATE ON eightd_complaint FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_8ds = n_8ds - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_8ds) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_8ds = n_8ds + 1
	; END IF;

-- complaint_assignment
DROP TRIGGER IF EXISTS assignment_facts_insert;
CREATE TRIGGER assignment_facts_insert AFTER INSERT ON complaint_assignment FOR EACH ROW
	INSERT INTO complaint_facts (complaint_number, n_assignments) VALUES (NEW.number, 1)
	ON DUPLICATE KEY UPDATE n_assignments = n_assignments + 1;
DROP TRIGGER IF EXISTS assignment_facts_delete;
CREATE TRIGGER assignment_facts_delete AFTER DELETE ON complaint_assignment FOR EACH ROW
	UPDATE complaint_facts SET n_assignments = n_assignments - 1 WHERE complaint_number = OLD.number;
DROP TRIGGER IF EXISTS assignment_facts_update;
CREATE TRIGGER assignment_facts_update AFTER UPDATE ON complaint_assignment FOR EACH ROW
	IF NOT (NEW.number <=> OLD.number) THEN
	UPDATE complaint_facts SET n_assignments = n_assignments - 1 WHERE complaint_number = OLD.number
	; INSERT INTO complaint_facts (complaint_number, n_assignments) VALUES (NEW.number, 1)
	  ON DUPLICATE KEY UPDATE n_assignments = n_assignments + 1
	; END IF;

-- The calendar's generation.
INSERT IGNORE INTO cache_generation (name, gen) VALUES ('calendar', 1);
DROP TRIGGER IF EXISTS calendar_week_gen_insert;
CREATE TRIGGER calendar_week_gen_insert AFTER INSERT ON calendar_week FOR EACH ROW
	UPDATE cache_generation SET gen = gen + 1 WHERE name = 'calendar';
DROP TRIGGER IF EXISTS calendar_week_gen_update;
CREATE TRIGGER calendar_week_gen_update AFTER UPDATE ON calendar_week FOR EACH ROW
	UPDATE cache_generation SET gen = gen + 1 WHERE name = 'calendar';
DROP TRIGGER IF EXISTS calendar_week_gen_delete;
CREATE TRIGGER calendar_week_gen_delete AFTER DELETE ON calendar_week FOR EACH ROW
	UPDATE cache_generation SET gen = gen + 1 WHERE name = 'calendar';
DROP TRIGGER IF EXISTS calendar_exception_gen_insert;
CREATE TRIGGER calendar_exception_gen_insert AFTER INSERT ON calendar_exception FOR EACH ROW
	UPDATE cache_generation SET gen = gen + 1 WHERE name = 'calendar';
DROP TRIGGER IF EXISTS calendar_exception_gen_update;
CREATE TRIGGER calendar_exception_gen_update AFTER UPDATE ON calendar_exception FOR EACH ROW
	UPDATE cache_generation SET gen = gen + 1 WHERE name = 'calendar';
DROP TRIGGER IF EXISTS calendar_exception_gen_delete;
CREATE TRIGGER calendar_exception_gen_delete AFTER DELETE ON calendar_exception FOR EACH ROW
	UPDATE cache_generation SET gen = gen + 1 WHERE name = 'calendar';

-- The repeat flag's links (STMT_PAGEFAST_REPEAT_*_ALL, STMT_PAGEFACTS_REPEAT_COMPANY_ALL) read
-- the ten newest complaints of the same customer, or part and lot, and only their number: each
-- of the three indexes they name gets the id and the number after received_at, so the links
-- are read from the index alone instead of ten lookups of the whole row (mysqld: 465,000 ->
-- 306,000 instructions an execution). The id stays right after received_at: a registration's
-- repeat checks (STMT_REPEAT_BY_PHONE, _BY_COMPANY) read "ORDER BY received_at DESC, id DESC
-- LIMIT 1" off these indexes and must still stop at one entry. The old indexes (019, 024) are
-- prefixes of the new ones and go, so a registration writes as many index entries as before.
-- About 11 s an index on the bench's 1 M complaints.
ALTER TABLE complaint
	ADD INDEX IF NOT EXISTS complaint_customer_phone_links (customer_name, customer_phone, received_at, id, number),
	ADD INDEX IF NOT EXISTS complaint_customer_company_links (customer_name, customer_company, received_at, id, number),
	ADD INDEX IF NOT EXISTS complaint_part_lot_links (part_no, lot, received_at, id, number),
	ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE complaint DROP INDEX IF EXISTS complaint_customer_phone, DROP INDEX IF EXISTS complaint_customer_company,
	DROP INDEX IF EXISTS complaint_part_lot_received;

-- The backfill: every complaint that has anything counted gets its exact counts, read from
-- each table's index on number (one grouped pass each; the bench's 1 M complaints have none,
-- docs/performance.md). Absolute values, so running the file again changes nothing. A write
-- that lands while this runs is counted by its trigger and then overwritten here with a COUNT
-- that includes it: the tables are read after the triggers exist.
INSERT INTO complaint_facts (complaint_number, n_reports)
	SELECT number, COUNT(*) FROM investigation_report GROUP BY number
	ON DUPLICATE KEY UPDATE n_reports = VALUES(n_reports);
INSERT INTO complaint_facts (complaint_number, n_signatures)
	SELECT number, COUNT(*) FROM signature GROUP BY number
	ON DUPLICATE KEY UPDATE n_signatures = VALUES(n_signatures);
INSERT INTO complaint_facts (complaint_number, n_plans, pending_roles)
	SELECT x.number, COUNT(*), (SELECT p.required_roles FROM handling_plan p WHERE p.number = x.number
	    AND p.state = 'pending' ORDER BY p.revision DESC LIMIT 1)
	FROM handling_plan x GROUP BY x.number
	ON DUPLICATE KEY UPDATE n_plans = VALUES(n_plans), pending_roles = VALUES(pending_roles);
INSERT INTO complaint_facts (complaint_number, n_attachments)
	SELECT number, COUNT(*) FROM attachment GROUP BY number
	ON DUPLICATE KEY UPDATE n_attachments = VALUES(n_attachments);
INSERT INTO complaint_facts (complaint_number, n_inquiries)
	SELECT number, COUNT(*) FROM overdue_inquiry GROUP BY number
	ON DUPLICATE KEY UPDATE n_inquiries = VALUES(n_inquiries);
INSERT INTO complaint_facts (complaint_number, n_penalties)
	SELECT number, COUNT(*) FROM penalty GROUP BY number
	ON DUPLICATE KEY UPDATE n_penalties = VALUES(n_penalties);
INSERT INTO complaint_facts (complaint_number, n_8ds)
	SELECT number, COUNT(*) FROM eightd_complaint GROUP BY number
	ON DUPLICATE KEY UPDATE n_8ds = VALUES(n_8ds);
INSERT INTO complaint_facts (complaint_number, n_assignments)
	SELECT number, COUNT(*) FROM complaint_assignment GROUP BY number
	ON DUPLICATE KEY UPDATE n_assignments = VALUES(n_assignments);
