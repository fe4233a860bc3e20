#!/usr/bin/env bash
# tests/bench/register_counts.sh [N] — what a registration costs MariaDB, in units that do not
# move with the machine's load (issue 10, regload): `kesu-admin bench-load N` (default 2,000)
# through the audited path on the bench stack (KESU_BENCH_STATE, .kesu-bench by default: the load
# lands on top of whatever it holds), and per registration, from the server's global status
# before and after: statements, temporary tables, handler calls, rows written, and pages read
# from disk (Innodb_buffer_pool_reads: non-zero once the tables outgrow KESU_DB_BUFFER_POOL, and
# on the first run after the server starts, its pool cold: 9.9 a registration at 100,000).
# Then the wall time and the load average beside it, and `audit verify`. A/B: run it on two
# fresh states (KESU_BENCH_STATE=... tests/bench/run.sh 8000 first), one per build
# (KESU_BENCH_BUILD) — the counts are stable to a few per cent, the wall time is not.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-2000}
export KESU_LOG_LEVEL=warn
stack_bench_up

status() {
	stack_sql -N -e "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
		WHERE VARIABLE_NAME IN ('COM_STMT_EXECUTE', 'CREATED_TMP_TABLES', 'HANDLER_READ_KEY',
		'HANDLER_READ_NEXT', 'HANDLER_READ_RND_NEXT', 'HANDLER_TMP_WRITE', 'HANDLER_WRITE',
		'HANDLER_UPDATE', 'HANDLER_DELETE', 'INNODB_BUFFER_POOL_READS') ORDER BY 1"
}
before=$(status)
t0=$(date +%s.%N)
stack_admin bench-load "$N" >/dev/null
t1=$(date +%s.%N)
after=$(status)
echo "== kesu-admin bench-load $N: now $(stack_sql -N -e 'SELECT COUNT(*) FROM kesu.complaint') complaints," \
	"buffer pool $(stack_sql -N -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MB"
echo "   per registration:"
join <(echo "$before") <(echo "$after") | awk -v n="$N" '{ printf "   %-26s %8.2f\n", $1, ($3 - $2) / n }'
awk -v n="$N" -v t0="$t0" -v t1="$t1" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
	'BEGIN { printf "   wall %.2f ms a registration (%.0f/s), load average %s\n", 1000 * (t1 - t0) / n, n / (t1 - t0), l }'
stack_admin audit verify
