-- 002: responsible departments and the assignment of complaints to them.
-- Departments are administrator-maintained data (codes match the directory's departmentNumber).

CREATE TABLE IF NOT EXISTS department (
	code    VARCHAR(32)  NOT NULL PRIMARY KEY,
	name_zh VARCHAR(64)  NOT NULL,
	name_en VARCHAR(64)  NOT NULL,
	active  TINYINT(1)   NOT NULL DEFAULT 1,
	sort    INT          NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT IGNORE INTO department (code, name_zh, name_en, active, sort) VALUES
	('production', '生产部', 'Production', 1, 10),
	('quality', '质量管理部', 'Quality management', 1, 20),
	('rnd', '技术研发部', 'R&D', 1, 30),
	('sales', '市场营销部', 'Sales and marketing', 1, 40),
	('logistics', '仓储物流', 'Warehouse and logistics', 1, 50),
	('cs', '客服中心', 'Customer service centre', 1, 60),
	('finance', '财务部', 'Finance', 1, 70);

-- One row per complaint and department: pending until the department's head accepts or refuses.
-- A department assigned again after refusing gets its row back to pending (the audit trail keeps
-- the refusal).
CREATE TABLE IF NOT EXISTS complaint_assignment (
	number      VARCHAR(16)   NOT NULL,
	department  VARCHAR(32)   NOT NULL,
	state       VARCHAR(16)   NOT NULL,         -- pending, accepted, refused
	assigned_by VARCHAR(64)   NOT NULL,
	assigned_at DATETIME      NOT NULL,
	decided_by  VARCHAR(64)   NULL,
	decided_at  DATETIME      NULL,
	reason      VARCHAR(2000) NULL,
	PRIMARY KEY (number, department),
	KEY assignment_department (department, state, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
