-- 024 (issue 10, floor): two indexes that keep the pages people open all day bounded at a
-- million complaints.
-- The complaint page's "same part and lot" list (STMT_SEARCH_RELATED: the newest 10) read every
-- complaint of the part and lot through complaint_part_lot and sorted them (654 rows, 3.2 ms
-- for a lot of the bench's); with received_at in the index it reads the newest ten.
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_part_lot_received (part_no, lot, received_at);
-- The header's "My work" count of the reader's own complaints in a given state (STMT_WORK_COUNT)
-- otherwise walks a status index through everyone's complaints in that state.
ALTER TABLE complaint ADD INDEX IF NOT EXISTS complaint_owner_status (owner_uid, status);
