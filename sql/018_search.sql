-- 018_search.sql: every word of a complaint findable, Chinese included, with Mroonga (issue 9).
--
-- complaint_text holds one row per complaint: the text of the fields people search
-- (number, customer, company, product, part number, lot, order number, subject person,
-- description, demand) and the list's sort key. Mroonga's TokenBigramSplitSymbolAlphaDigit
-- cuts Chinese, letters and digits alike into overlapping pairs, so "床垫" in the middle of
-- a sentence, "1005" inside the lot "L20261005" and "100123" inside "SO100123" are all found
-- from the index, never by scanning (no LIKE '%...%').
--
-- Mroonga's own storage is not transactional: the row is written in the registering
-- transaction (complaint_register), and a transaction that rolls back can leave a row
-- behind. Such a row names a complaint id that does not exist (the search joins complaint
-- on it, so it is never shown) and is replaced if that id is ever written again (REPLACE).
-- The plugin itself is installed by kesu-admin migrate before this file runs.
CREATE TABLE IF NOT EXISTS complaint_text (
	complaint_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	received_at  DATETIME NOT NULL,
	body         LONGTEXT NOT NULL,
	KEY complaint_text_received (received_at),
	FULLTEXT INDEX complaint_text_body (body)
	    COMMENT 'tokenizer "TokenBigramSplitSymbolAlphaDigit", normalizer "NormalizerMySQLUnicodeCI"'
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The complaints registered before this migration.
INSERT IGNORE INTO complaint_text (complaint_id, received_at, body)
	SELECT id, received_at, CONCAT_WS(' ', number, customer_name, customer_company, product, part_no,
	    lot, order_no, subject_person, description, demand)
	FROM complaint;

-- Saved searches: a person's named list queries (the query string of /complaints), shown in
-- the menu. At most 50 a person (checked by the page); a name once per person.
CREATE TABLE IF NOT EXISTS saved_search (
	id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	uid        VARCHAR(64)   NOT NULL,
	name       VARCHAR(60)   NOT NULL,
	query      VARCHAR(1000) NOT NULL,
	created_at DATETIME      NOT NULL,
	UNIQUE KEY saved_search_name (uid, name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
