-- Until migration 004 (investigation reports, replied_at) is merged from main: the two things
-- of 004 that the statements of 005 name, so that the workers can prepare them at start-up.
-- bin/lib/stack.sh applies this only while sql/ has no 004_*.sql; delete it after the merge.
CREATE TABLE IF NOT EXISTS investigation_report (
	id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number     VARCHAR(16)  NOT NULL,
	department VARCHAR(32)  NOT NULL,
	state      VARCHAR(16)  NOT NULL,       -- draft, submitted, signed, returned
	KEY investigation_report_dept (number, department)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS replied_at DATETIME NULL;
