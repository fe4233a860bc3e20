-- 038 (issue 10, headtrigger): the chain's head moved by the event's own INSERT, one round trip
-- less inside every audited transaction.
--
-- audit_write (fcgi/audit.c) locks and reads audit_head at a transaction's first event, and until
-- now db_tx wrote the head back with one more statement before COMMIT. For a registration that
-- statement ran inside the section that holds the year's number row, which every other
-- registration waits for (docs/performance.md, "The eighth sitting"). Now each event's INSERT
-- moves the head in the same statement, on the row the transaction already holds.
--
-- Only the next link moves it: an event whose seq follows the head's and whose prev_hash is the
-- head's hash. An event put back by hand (a restore: tests/integration/test_verify.py,
-- test_resilience.py) or forged out of the chain leaves the head where it was, so
-- `kesu-admin audit verify` still names an event beyond the head. Galera replicates the
-- trigger's change as a row, like the event's.
DROP TRIGGER IF EXISTS audit_event_head;
CREATE TRIGGER audit_event_head AFTER INSERT ON audit_event FOR EACH ROW
	UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash
	WHERE id = 1 AND last_seq + 1 = NEW.seq AND last_hash = NEW.prev_hash;
