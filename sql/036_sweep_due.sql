-- 036 (issue 10, sweepdue): when the overdue sweep must look at an open complaint next.
--
-- The sweep (fcgi/sweep.c, every minute) used to find its work with a UNION of five scans:
-- every complaint registered past its response deadline, every open one past its resolution
-- deadline, every pending or accepted assignment past its step's deadline, every reply older
-- than seven days, then the first 20,000 by number. A complaint stays in those sets after its
-- reminders are issued, so at a million open complaints the query took 40 s (past kesu-admin's
-- 10 s read timeout: the sweep failed every minute) and, past 20,000 of them, the same first
-- 20,000 were looked at every run and the others never.
--
-- Now each open complaint has one row here saying when the sweep must look at it next: its
-- response deadline at registration, "now" whenever something a clock depends on changes (by
-- whatever path: these triggers), and after each look the earliest deadline of its clocks
-- still running and not yet late, or no row when there is none (every late clock's reminders
-- issued; a change brings the row back). The sweep reads the rows due, oldest first, 20,000 at
-- a time: its cost follows what is due, not how many complaints are open or late.
-- Closed complaints are found as before (STMT_SWEEP_CLOSED_CANDIDATES: closed in 14 days).
CREATE TABLE IF NOT EXISTS sweep_due (
	number VARCHAR(16) NOT NULL PRIMARY KEY,
	due    DATETIME    NOT NULL,
	KEY sweep_due_due (due, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A complaint to be looked at by the next run (not later than it was already due), and every
-- open complaint (a calendar edit); the triggers below call them, as their definer.
DROP PROCEDURE IF EXISTS sweep_due_now;
CREATE PROCEDURE sweep_due_now(IN num VARCHAR(16)) MODIFIES SQL DATA INSERT INTO sweep_due (number, due) VALUES (num, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE due = LEAST(due, VALUES(due));
DROP PROCEDURE IF EXISTS sweep_due_all_now;
CREATE PROCEDURE sweep_due_all_now() MODIFIES SQL DATA UPDATE sweep_due SET due = UTC_TIMESTAMP() WHERE due > UTC_TIMESTAMP();

DROP TRIGGER IF EXISTS complaint_sweep_due_insert;
CREATE TRIGGER complaint_sweep_due_insert AFTER INSERT ON complaint FOR EACH ROW
	INSERT INTO sweep_due (number, due) VALUES (NEW.number, NEW.respond_due)
	ON DUPLICATE KEY UPDATE due = LEAST(due, VALUES(due));
DROP TRIGGER IF EXISTS complaint_sweep_due_update;
CREATE TRIGGER complaint_sweep_due_update AFTER UPDATE ON complaint FOR EACH ROW
	IF NOT (NEW.status <=> OLD.status AND NEW.respond_due <=> OLD.respond_due
	    AND NEW.resolve_due <=> OLD.resolve_due AND NEW.replied_at <=> OLD.replied_at
	    AND NEW.received_at <=> OLD.received_at AND NEW.severity <=> OLD.severity
	    AND NEW.owner_uid <=> OLD.owner_uid) THEN
	CALL sweep_due_now(NEW.number)
	; END IF;
DROP TRIGGER IF EXISTS assignment_sweep_due_insert;
CREATE TRIGGER assignment_sweep_due_insert AFTER INSERT ON complaint_assignment FOR EACH ROW CALL sweep_due_now(NEW.number);
DROP TRIGGER IF EXISTS assignment_sweep_due_update;
CREATE TRIGGER assignment_sweep_due_update AFTER UPDATE ON complaint_assignment FOR EACH ROW CALL sweep_due_now(NEW.number);
DROP TRIGGER IF EXISTS report_sweep_due_insert;
CREATE TRIGGER report_sweep_due_insert AFTER INSERT ON investigation_report FOR EACH ROW CALL sweep_due_now(NEW.number);
DROP TRIGGER IF EXISTS report_sweep_due_update;
CREATE TRIGGER report_sweep_due_update AFTER UPDATE ON investigation_report FOR EACH ROW CALL sweep_due_now(NEW.number);
-- A calendar edit moves working-day deadlines: every open complaint is looked at again (a
-- rare edit, done by an administrator; its statement touches one row per open complaint).
DROP TRIGGER IF EXISTS calendar_week_sweep_due_insert;
CREATE TRIGGER calendar_week_sweep_due_insert AFTER INSERT ON calendar_week FOR EACH ROW CALL sweep_due_all_now();
DROP TRIGGER IF EXISTS calendar_week_sweep_due_update;
CREATE TRIGGER calendar_week_sweep_due_update AFTER UPDATE ON calendar_week FOR EACH ROW CALL sweep_due_all_now();
DROP TRIGGER IF EXISTS calendar_week_sweep_due_delete;
CREATE TRIGGER calendar_week_sweep_due_delete AFTER DELETE ON calendar_week FOR EACH ROW CALL sweep_due_all_now();
DROP TRIGGER IF EXISTS calendar_exception_sweep_due_insert;
CREATE TRIGGER calendar_exception_sweep_due_insert AFTER INSERT ON calendar_exception FOR EACH ROW CALL sweep_due_all_now();
DROP TRIGGER IF EXISTS calendar_exception_sweep_due_update;
CREATE TRIGGER calendar_exception_sweep_due_update AFTER UPDATE ON calendar_exception FOR EACH ROW CALL sweep_due_all_now();
DROP TRIGGER IF EXISTS calendar_exception_sweep_due_delete;
CREATE TRIGGER calendar_exception_sweep_due_delete AFTER DELETE ON calendar_exception FOR EACH ROW CALL sweep_due_all_now();

-- Every open complaint is looked at by the next run, which then sets its row as above.
INSERT IGNORE INTO sweep_due (number, due)
	SELECT number, UTC_TIMESTAMP() FROM complaint WHERE status <> 'closed';
