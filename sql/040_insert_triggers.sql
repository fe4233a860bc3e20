-- 040 (issue 10, onetrigger): a complaint's INSERT fires one trigger instead of four, and an
-- event's INSERT one instead of two; a registration that took its number under the year's lock
-- skips the statistics trigger's two lookups.
--
-- All of it runs while the year's number row is held, so every registration waits for it.
-- Measured on the bench's copy of the 1 M-row table (kesu_floor.complaint, 21 indexes), 3,000
-- INSERTs from one connection, that connection's thread CPU from /proc/PID/task/TID/schedstat:
--   no trigger                                   234-265 µs an INSERT
--   035's, 036's, 037's and 039's four triggers   505-547 µs
--     of which 037's two NOT EXISTS lookups       ~70 µs (379 with them, 305 without, alone)
--   the four merged, with no lookups at all       410-412 µs
--   the one trigger below, alternated with the four five times: 436-587 µs against 480-662
--   (the machine's load moved both); Handler_read_key: 4 key reads when the trigger moved the
--   number row, 6 when it did not and the lookups were made
--
-- What each part did is unchanged:
--   record_gen: 035's bump, written here rather than CALLed (a CALL is a routine's execution of
--     its own); the other tables' triggers still CALL record_gen_bump();
--   sweep_due: 036's row;
--   complaint_seq: 039's move of the year's number row to NEW.seq;
--   statistics: 037's journal row for a complaint as registered, else 032's full rows.
-- The seq move comes first because its ROW_COUNT() says whether this INSERT issued its number:
-- a number above the year's last issued has never named anything, so no assignment or plan can
-- name it and 037's two NOT EXISTS lookups are known to be true without asking. When the number
-- row was moved before (the year's first number, a registration that flags an earlier
-- complaint: STMT_COMPLAINT_SEQ_NEXT), the lookups are made as before.
--
-- The audit_event triggers (032's search journal, 038's head) become one in the same way; the
-- head's statement and the journal's are unchanged.
--
-- The migration splitter ends a statement at a ';' that ends a line, so inside BEGIN ... END
-- each ';' is followed by more text on its line.

DROP TRIGGER IF EXISTS complaint_gen_insert;
DROP TRIGGER IF EXISTS complaint_sweep_due_insert;
DROP TRIGGER IF EXISTS complaint_stats_insert;
DROP TRIGGER IF EXISTS complaint_seq_follow;
DROP TRIGGER IF EXISTS complaint_insert;
CREATE TRIGGER complaint_insert AFTER INSERT ON complaint FOR EACH ROW
BEGIN
	INSERT INTO record_gen (node, bucket, n) VALUES (LEFT(@@wsrep_node_name, 64), CONNECTION_ID() % 16, 1)
	    ON DUPLICATE KEY UPDATE n = n + 1
	; INSERT INTO sweep_due (number, due) VALUES (NEW.number, NEW.respond_due)
	    ON DUPLICATE KEY UPDATE due = LEAST(due, VALUES(due))
	; UPDATE complaint_seq SET last_seq = NEW.seq WHERE year = NEW.year AND last_seq < NEW.seq
	; IF NEW.responded_at IS NULL AND NEW.replied_at IS NULL AND NEW.closed_at IS NULL AND NEW.satisfaction IS NULL
	    AND (ROW_COUNT() > 0
	        OR (NOT EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = NEW.number)
	            AND NOT EXISTS (SELECT 1 FROM handling_plan hp WHERE hp.number = NEW.number))) THEN
	    INSERT INTO stats_journal (id, received_at, status, category, severity, channel, customer_type,
	        customer_name, product, part_no, lot, quantity, defective_quantity, respond_due, resolve_due,
	        repeat_reason)
	    VALUES (NEW.id, NEW.received_at, NEW.status, NEW.category, NEW.severity, NEW.channel, NEW.customer_type,
	        NEW.customer_name, NEW.product, NEW.part_no, NEW.lot, NEW.quantity, NEW.defective_quantity,
	        NEW.respond_due, NEW.resolve_due, NEW.repeat_reason)
	; ELSE
	    CALL stats_apply_one(NEW.id, 1)
	    ; CALL stats_apply_more(NEW.id, NEW.id, 1, NULL)
	; END IF
; END;

DROP TRIGGER IF EXISTS audit_event_search_journal;
DROP TRIGGER IF EXISTS audit_event_head;
DROP TRIGGER IF EXISTS audit_event_insert;
CREATE TRIGGER audit_event_insert AFTER INSERT ON audit_event FOR EACH ROW
BEGIN
	IF NEW.entity = 'complaint' AND NEW.action = 'register' THEN
	    INSERT INTO complaint_text_journal (seq, complaint_id) SELECT NEW.seq, id FROM complaint WHERE number = NEW.entity_id
	    ON DUPLICATE KEY UPDATE complaint_text_journal.seq = complaint_text_journal.seq
	; END IF
	; UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash
	    WHERE id = 1 AND last_seq + 1 = NEW.seq AND last_hash = NEW.prev_hash
; END;
