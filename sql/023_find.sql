-- 023_find.sql: the newest hits of a search found and paged inside Mroonga (issue 9, speed).
--
-- sort_key is the list's default order (received_at, then id) as one number:
-- seconds since 2000-01-01 times 2^32, plus the complaint's id (ids stay below 2^32; the
-- seconds below 2^31 until 2068, so the key fits a signed BIGINT). Mroonga pushes
-- "MATCH ... AND sort_key < ? ORDER BY sort_key DESC LIMIT 51" down into Groonga whole
-- (its condition push-down takes AND-ed comparisons of an indexed column with a constant,
-- never an OR), so the first page and every next page of a search read 51 hits, not the
-- list's "(received_at < ? OR (received_at = ? AND id < ?))" cursor that Groonga cannot
-- take. A trigger keeps it: every writer of complaint_text (registration's REPLACE, the
-- bench's bulk load) gets it without knowing of it.
ALTER TABLE complaint_text ADD COLUMN IF NOT EXISTS sort_key BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaint_text ADD KEY IF NOT EXISTS complaint_text_sort (sort_key);

CREATE TRIGGER IF NOT EXISTS complaint_text_sort_key BEFORE INSERT ON complaint_text FOR EACH ROW
	SET NEW.sort_key = TIMESTAMPDIFF(SECOND, '2000-01-01 00:00:00', NEW.received_at) * 4294967296
	    + NEW.complaint_id;

-- The rows written before this migration.
UPDATE complaint_text SET sort_key = TIMESTAMPDIFF(SECOND, '2000-01-01 00:00:00', received_at) * 4294967296
	+ complaint_id WHERE sort_key = 0;
