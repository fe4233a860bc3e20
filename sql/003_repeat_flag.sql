-- 003: repeat complaints are flagged for special attention (domain: "Escalation").
-- repeat_reason: '' (none), 'same_customer' (the same customer within 90 days),
-- 'same_lot' (the same part number and lot from three or more customers).
ALTER TABLE complaint ADD COLUMN IF NOT EXISTS repeat_reason VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_part_lot (part_no, lot, customer_name);
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_repeat (repeat_reason, received_at, id);
