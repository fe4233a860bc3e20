-- Kesu: MariaDB's init_file for a server that holds Kesu's Mroonga tables (docs/reliability.md).
-- A mariadbd killed inside a Mroonga write leaves a Groonga lock in the table's files; the next
-- write or auto-repair of that table then waits 15 minutes on it. Before the server accepts
-- connections nobody can hold such a lock, so this clears them all. Replace @DB@ with db.name.
-- The UDF lives only for this call: any account may call a UDF, and Groonga commands are not
-- subject to SQL grants. (Drop the last line if your server keeps mroonga_command for itself.)
-- On a Galera node all of it stays on that node: the Mroonga files are each node's own.
SET SESSION wsrep_on = OFF;
CREATE OR REPLACE FUNCTION mroonga_command RETURNS STRING SONAME 'ha_mroonga.so';
USE `@DB@`;
SELECT mroonga_command('lock_clear');
DROP FUNCTION IF EXISTS mroonga_command;
