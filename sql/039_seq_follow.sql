-- 039 (issue 10, seqhead): the year's number row moved by the complaint's own INSERT, so that a
-- registration takes its number and the chain's head in one round trip.
--
-- A registration held the year's number row from the statement that moved it
-- (STMT_COMPLAINT_SEQ_NEXT) to COMMIT, then locked the chain's head with another statement at
-- its audit event; every registration waits for the one before through both. Now a
-- registration that flags no earlier complaint reads and locks both rows in one statement
-- (STMT_COMPLAINT_SEQ_HEAD: the number is the row's last_seq + 1, fcgi/complaint.c), and the
-- complaint's INSERT moves the number row to its seq with this trigger, in the same
-- transaction: numbers stay gapless (taken under the lock, undone with the transaction). The
-- first registration of a year, and one that flags an earlier complaint, take the number as
-- before (the INSERT ... ON DUPLICATE KEY UPDATE), which leaves nothing for the trigger to move.
DROP TRIGGER IF EXISTS complaint_seq_follow;
CREATE TRIGGER complaint_seq_follow AFTER INSERT ON complaint FOR EACH ROW
	UPDATE complaint_seq SET last_seq = NEW.seq WHERE year = NEW.year AND last_seq < NEW.seq;
