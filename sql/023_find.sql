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

-- complaint_text_recent: the same text for the complaints of the last 31 days or so (always
-- the newest ones: a suffix of complaint_text in sort_key order). A search's first pages want
-- its newest hits, and a word in one complaint of seven has 140,000 postings over a million
-- complaints but 12,000 over a month: Groonga reads the short list, and only when the month
-- holds fewer than 1,001 hits (a rare word: a short list anyway) is the whole index searched.
-- The trigger on complaint_text copies each row and drops the oldest ones, at most 100 at a
-- time and oldest first (ORDER BY sort_key), so what remains is always the newest complaints.
CREATE TABLE IF NOT EXISTS complaint_text_recent (
	complaint_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	received_at  DATETIME NOT NULL,
	sort_key     BIGINT NOT NULL,
	body         LONGTEXT NOT NULL,
	KEY complaint_text_recent_sort (sort_key),
	FULLTEXT INDEX complaint_text_recent_body (body)
	    COMMENT 'tokenizer "TokenBigramSplitSymbolAlphaDigit", normalizer "NormalizerMySQLUnicodeCI"'
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER IF NOT EXISTS complaint_text_recent_copy AFTER INSERT ON complaint_text FOR EACH ROW BEGIN REPLACE INTO complaint_text_recent (complaint_id, received_at, sort_key, body) VALUES (NEW.complaint_id, NEW.received_at, NEW.sort_key, NEW.body); DELETE FROM complaint_text_recent WHERE sort_key < TIMESTAMPDIFF(SECOND, '2000-01-01 00:00:00', UTC_TIMESTAMP() - INTERVAL 31 DAY) * 4294967296 ORDER BY sort_key LIMIT 100; END;

INSERT IGNORE INTO complaint_text_recent (complaint_id, received_at, sort_key, body)
	SELECT complaint_id, received_at, sort_key, body FROM complaint_text
	WHERE sort_key >= TIMESTAMPDIFF(SECOND, '2000-01-01 00:00:00', UTC_TIMESTAMP() - INTERVAL 31 DAY) * 4294967296;
