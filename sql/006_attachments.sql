-- 006: attachments on complaints and investigation reports (defect photos, documents).
-- The bytes live on disk under paths.attachments, named by their SHA-256; this row says which
-- record they belong to, what they are (sniffed, not as the browser said), who added them and when.
-- Nothing is deleted.
CREATE TABLE IF NOT EXISTS attachment (
	id            BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
	number        VARCHAR(16)  NOT NULL,            -- the complaint
	entity        VARCHAR(32)  NOT NULL,            -- complaint, investigation_report
	department    VARCHAR(32)  NOT NULL DEFAULT '', -- the report's department
	sha256        CHAR(64)     NOT NULL,
	size          BIGINT UNSIGNED NOT NULL,
	content_type  VARCHAR(100) NOT NULL,
	filename      VARCHAR(255) NOT NULL,
	uploaded_by   VARCHAR(64)  NOT NULL,
	uploaded_name VARCHAR(128) NOT NULL,
	uploaded_at   DATETIME     NOT NULL,
	KEY attachment_number (number, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
