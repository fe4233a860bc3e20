-- 013: the auditor's trail (issue 8, "trail"). A period filter turns the dates into a range of
-- sequence numbers through this index (the first event at or after a moment, the last before
-- one), so a period is a primary-key range, never a scan of the table. `at` grows with seq
-- because audit_write() takes the time while it holds the chain head.
-- Idempotent: CREATE INDEX IF NOT EXISTS.
CREATE INDEX IF NOT EXISTS audit_at ON audit_event (at);
