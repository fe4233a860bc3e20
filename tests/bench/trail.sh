#!/usr/bin/env bash
# tests/bench/trail.sh [N] — the auditor's trail (/audit) over N synthetic audit events
# (default 10,000,000) in a private bench stack of its own (.kesu-bench-trail/, kept: a second
# run skips the load; `rm -rf .kesu-bench-trail` to start over). Then a bounded wrk run
# (-t2 -c8, or -t1 -c1 with KESU_BENCH_CONNS=1; KESU_BENCH_SECONDS each, 10 s by default) as the auditor against the trail filtered
# by record, actor, a one-day period and a kind, printing req/s and latency percentiles.
#
# THE EVENTS ARE SYNTHETIC AND NOT CHAINED: request_id 'bench-synthetic', hash = SHA2(seq),
# prev_hash = SHA2(seq - 1). `kesu-admin audit verify` fails on this database by design; it is
# a bench database, never a copy of a real one. They are loaded with INSERT ... SELECT from
# MariaDB's sequence engine in batches of 1 M rows with the secondary indexes dropped, which
# are then built once, sorted (minutes instead of hours). Not part of bin/test: figures come
# from here, never from timed assertions; they are copied by hand into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-10000000}
DUR=${KESU_BENCH_SECONDS:-10}
CONNS=${KESU_BENCH_CONNS:-8}   # 1: one request at a time, the service time without queueing
BATCH=1000000
export KESU_WORKERS=${KESU_BENCH_WORKERS:-4}
export KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn
# the events and their indexes are ~5 GB: a pool that holds the indexes the trail reads
export KESU_DB_BUFFER_POOL=${KESU_DB_BUFFER_POOL:-2G}

stack_install_packages
command -v wrk >/dev/null || stack_install_packages wrk
stack_build _build/bench
stack_init .kesu-bench-trail
trap stack_stop EXIT
stack_start_services
stack_write_conf
stack_migrate

sql() { stack_sql -N kesu -e "$1"; }
have=$(sql "SELECT COUNT(*) FROM audit_event WHERE request_id = 'bench-synthetic'")
if [ "$have" -lt "$N" ]; then
	echo "== loading $((N - have)) synthetic audit events (not chained; see the header)"
	t0=$(date +%s)
	sql "ALTER TABLE audit_event DROP INDEX IF EXISTS audit_entity, DROP INDEX IF EXISTS audit_actor,
	     DROP INDEX IF EXISTS audit_at"
	base=$(sql "SELECT last_seq FROM audit_head WHERE id = 1")
	done_n=$have
	while [ "$done_n" -lt "$N" ]; do
		n=$(( N - done_n < BATCH ? N - done_n : BATCH ))
		# s: the synthetic number 1..N; 500,000 complaints with 20 events each spread over
		# the whole chain, every 10th event an 8D's, 1,000 actors, one event every 6 s
		# from 2025-01-01 (10 M events: about two years).
		sql "INSERT INTO audit_event (seq, at, actor_uid, actor_name, actor_role, entity, entity_id, action,
		       before_json, after_json, request_id, client_addr, prev_hash, hash)
		     SELECT $base + s,
		       DATE_FORMAT(TIMESTAMP('2025-01-01') + INTERVAL s * 6 SECOND, '%Y-%m-%d %H:%i:%s.000000'),
		       CONCAT('u', s MOD 1000), CONCAT('User ', s MOD 1000),
		       ELT(1 + s MOD 5, 'agent', 'supervisor', 'dept_head', 'quality_engineer', 'gm'),
		       IF(s MOD 10 = 0, '8d_report', 'complaint'),
		       IF(s MOD 10 = 0, CAST(s DIV 10 MOD 50000 + 1 AS CHAR), CONCAT('250101', LPAD(s MOD 500000, 6, '0'))),
		       IF(s MOD 10 = 0, '8d_save', ELT(1 + s MOD 7, 'register', 'triage_substantiated', 'assign',
		         'propose_plan', 'approve_plan', 'penalty_propose', 'record_callback')),
		       '{\"status\":\"registered\",\"version\":1}',
		       CONCAT('{\"status\":\"triaged\",\"version\":2,\"reason\":\"bench ', s, '\"}'),
		       'bench-synthetic', '192.0.2.7', SHA2($base + s - 1, 256), SHA2($base + s, 256)
		     FROM (SELECT seq AS s FROM seq_$((done_n + 1))_to_$((done_n + n))) q"
		done_n=$((done_n + n))
		echo "   $done_n events ($(( $(date +%s) - t0 )) s)"
	done
	sql "UPDATE audit_head SET last_seq = (SELECT MAX(seq) FROM audit_event),
	       last_hash = (SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1) WHERE id = 1"
	echo "   building the indexes"
	sql "ALTER TABLE audit_event ADD KEY audit_entity (entity, entity_id, seq),
	       ADD KEY audit_actor (actor_uid, seq), ADD KEY audit_at (at)"
	sql "ANALYZE TABLE audit_event" >/dev/null
	echo "   took $(( $(date +%s) - t0 )) s"
fi
# Two 8Ds belong to the measured complaint, so its trail joins their events too.
sql "INSERT IGNORE INTO eightd_complaint (eightd_id, number, linked_by, linked_at)
     VALUES (7, '250101000123', 'bench', UTC_TIMESTAMP()), (8, '250101000123', 'bench', UTC_TIMESTAMP())"
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL

session=$(stack_sign_in auditor)

echo "== $(sql 'SELECT COUNT(*) FROM audit_event') audit events; $KESU_WORKERS workers; as auditor; wrk -t$(( CONNS > 1 ? 2 : 1 )) -c$CONNS -d${DUR}s; load average $(cut -d" " -f1-3 /proc/loadavg)"
run() {   # run NAME PATH
	local name=$1 path=$2 code
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: kesu_session=$session" "$URL$path")
	echo "-- $name: $path (HTTP $code)"
	wrk -t$(( CONNS > 1 ? 2 : 1 )) -c"$CONNS" -d"${DUR}s" --latency -H "Cookie: kesu_session=$session" "$URL$path" |
		grep -E 'Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors|requests in'
}
run "a complaint's timeline (its 20 events and its two 8Ds')" "/audit?record=250101000123"
run "an actor (10,000 events), first page" "/audit?actor=u17"
run "an actor, a page deep in their history" "/audit?actor=u17&after=$(( $(sql 'SELECT MAX(seq) FROM audit_event') / 2 ))"
run "one day (14,400 events)" "/audit?from=2025-06-01&to=2025-06-01"
run "a month and an action" "/audit?from=2025-06-01&to=2025-06-30&action=approve_plan"
run "a kind, no period (reads one window of 100,000 events)" "/audit?kind=penalty"
run "baseline: /work, no trail query" "/work"
run "a year with nothing else (refused at once, 422)" "/audit?from=2025-01-01&to=2026-06-01"
