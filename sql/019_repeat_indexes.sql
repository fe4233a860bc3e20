-- 019: the repeat check of a registration (same customer within 90 days) on indexes that start
-- with the name AND the phone or company, so that its cost does not grow with how many
-- complaints a common name already has (issue 10: 67 registrations/s at 80,000 complaints with
-- the old (customer_name, received_at) index; the cost must stay flat up to a million).
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_customer_phone (customer_name, customer_phone, received_at);
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_customer_company (customer_name, customer_company, received_at);
