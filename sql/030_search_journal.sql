-- 030_search_journal.sql: the search's Mroonga tables correct on every Galera node (issue 11).
--
-- complaint_text and complaint_text_recent (sql/018, sql/023) are Mroonga tables, and Galera
-- replicates InnoDB only: each node holds the text of the registrations it took itself. So:
--
-- complaint_text_journal (InnoDB, replicated) names every complaint whose searchable text was
-- written, in the transaction that wrote it (registration: STMT_SEARCH_JOURNAL_PUT, after its
-- audit record). Its seq is that audit event's seq. The audit chain's head row is locked by
-- every audited write until it commits, so journal rows commit in seq order: a node that has
-- applied every row up to seq S has missed nothing below S, ever. Rows backfilled here carry
-- minus the complaint's id: below every audit seq, one each.
--
-- complaint_text_mark (Aria, so NOT replicated: Galera replicates InnoDB only; it describes this
-- node's own Mroonga tables, and an SST copies it with them) holds the journal seq up to which
-- this node's complaint_text is complete. Aria rather than Mroonga: read before every search,
-- and a one-row Aria read costs a fifth of a Mroonga one (0.1 against 0.5 ms here); Aria
-- tables are crash-safe. One row per node name (@@wsrep_node_name; the host name on a single
-- server), and a node reads only its own: an SST copies the donor's datadir, Mroonga and Aria
-- files alike, and the proof saw such a copy whose donor's mark was ahead of its Mroonga rows
-- (146 complaints missing). The joiner ignores the donor's row; its own row, if the copy holds
-- one (the donor received it in an earlier SST from this node), is older than the files, so at
-- worst rows are compared again. A node without its row goes over the whole journal. search_sync.c compares it with the journal's newest seq before a search (two
-- primary-key reads) and in the sweep, and writes the missing rows (REPLACE ... SELECT from
-- complaint). A node without the row (a node that only received this table by replication, or
-- whose Mroonga files are new) starts from the beginning: the backfilled rows give it every
-- complaint.
CREATE TABLE IF NOT EXISTS complaint_text_journal (
	seq          BIGINT NOT NULL PRIMARY KEY,
	complaint_id BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS complaint_text_mark (
	node VARCHAR(64) NOT NULL PRIMARY KEY,   -- @@wsrep_node_name of the node whose files these are
	seq  BIGINT NOT NULL
) ENGINE=Aria TRANSACTIONAL=1 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every complaint registered before this migration: a node without a mark writes them all.
INSERT IGNORE INTO complaint_text_journal (seq, complaint_id)
	SELECT -CAST(id AS SIGNED), id FROM complaint;

-- The node this migration runs on: its complaint_text was written by every registration so
-- far (on one server, the only node, that is every complaint), so it is complete up to here.
-- On a cluster that ran an earlier version, the other nodes have no mark and catch up from
-- the beginning (docs/scale-out.md).
INSERT IGNORE INTO complaint_text_mark (node, seq)
	SELECT @@wsrep_node_name, COALESCE(MAX(seq), -9223372036854775807) FROM complaint_text_journal;

-- The departments' generation (issue 11, caches across hosts): every change of the department
-- table, by any statement on any node, moves it. STMT_SESSION_GET reads it with the session and
-- a worker whose copy is of another generation reads the departments again (view.c).
CREATE TABLE IF NOT EXISTS cache_generation (
	name VARCHAR(32) NOT NULL PRIMARY KEY,
	gen  BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT IGNORE INTO cache_generation (name, gen) VALUES ('department', 1);

CREATE TRIGGER IF NOT EXISTS department_gen_insert AFTER INSERT ON department FOR EACH ROW UPDATE cache_generation SET gen = gen + 1 WHERE name = 'department';
CREATE TRIGGER IF NOT EXISTS department_gen_update AFTER UPDATE ON department FOR EACH ROW UPDATE cache_generation SET gen = gen + 1 WHERE name = 'department';
CREATE TRIGGER IF NOT EXISTS department_gen_delete AFTER DELETE ON department FOR EACH ROW UPDATE cache_generation SET gen = gen + 1 WHERE name = 'department';
