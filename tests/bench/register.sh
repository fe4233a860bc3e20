#!/usr/bin/env bash
# tests/bench/register.sh [N] [S] — the auditor's signature register and exceptions under load:
# N complaints (default 20,000, through kesu-admin bench-load) and S signatures on handling plans
# (default 200,000, inserted by root SQL spread over the last 300 days, one plan each); then a
# bounded wrk run (-t2 -c8, KESU_BENCH_SECONDS each, 10 s by default) as the auditor against
# /audit/signatures (first page and filtered ones) and /audit/exceptions (90 days, 7 days; -c2).
# State in .kesu-bench-register/ (kept). Not part of bin/test; figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-20000}
S=${2:-200000}
DUR=${KESU_BENCH_SECONDS:-10}
export KESU_WORKERS=${KESU_BENCH_WORKERS:-4}
export KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn

stack_install_packages
command -v wrk >/dev/null || stack_install_packages wrk
stack_build _build/bench
stack_init .kesu-bench-register
trap stack_stop EXIT
stack_start_services
stack_write_conf
stack_migrate

have=$(stack_sql -N -e "SELECT COUNT(*) FROM kesu.complaint")
[ "$have" -ge "$N" ] || stack_admin bench-load $((N - have))
plans=$(stack_sql -N -e "SELECT COUNT(*) FROM kesu.handling_plan WHERE explanation = 'bench'")
if [ "$plans" -lt "$S" ]; then
	echo "== inserting $((S - plans)) approved plans"
	stack_sql kesu -e "
	INSERT INTO handling_plan (number, revision, state, responsibility, company_share_pct, loss_fen, amount_fen,
	  explanation, required_roles, proposer_uid, proposer_name, proposer_role, proposed_at, content_hash)
	SELECT c.number, 100 + s.seq DIV $N, 'approved', 'company', 100, 0, (s.seq MOD 50) * 100000, 'bench',
	  'dept_head', 'agent', 'Agent', 'agent', UTC_TIMESTAMP() - INTERVAL (s.seq MOD 300) DAY, REPEAT('b', 64)
	FROM seq_0_to_$((S - plans - 1)) s JOIN complaint c ON c.id = 1 + s.seq MOD $N"
fi
# one signature per bench plan, for the plans not signed yet (computed first: MariaDB may not
# read the table an INSERT ... SELECT writes through a temporary table)
signed=$(stack_sql -N -e "SELECT COALESCE(MAX(entity_id), 0) FROM kesu.signature WHERE entity = 'handling_plan'")
stack_sql kesu -e "
INSERT INTO signature (number, entity, entity_id, revision, signer_uid, signer_name, role, decision, meaning,
  comment, content_hash, signed_at)
SELECT p.number, 'handling_plan', p.id, p.revision, IF(p.id MOD 7 = 0, 'head.quality', 'head.production'),
  'Head', 'dept_head', 'approve', 'I approve this handling plan', '', p.content_hash, p.proposed_at
FROM handling_plan p WHERE p.explanation = 'bench' AND p.id > $signed"
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL

session=$(stack_sign_in auditor)

echo "== $(stack_sql -N -e 'SELECT COUNT(*) FROM kesu.complaint') complaints, $(stack_sql -N -e 'SELECT COUNT(*) FROM kesu.signature') signatures; $KESU_WORKERS workers; wrk -t2 -c8 -d${DUR}s"
run() {   # run NAME URL [wrk-args]
	echo "-- $1"
	local name=$1 url=$2; shift 2
	wrk -t2 -c8 -d"${DUR}s" --latency "$@" -H "Cookie: kesu_session=$session" "$url" |
		grep -E 'Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors|requests in'
}
run "register, first page (/audit/signatures, 50 rows)" "$URL/audit/signatures"
run "register, one signer (signer=head.quality)" "$URL/audit/signatures?signer=head.quality"
run "register, amount range (min=40000)" "$URL/audit/signatures?min=40000"
run "exceptions, last 90 days (c2)" "$URL/audit/exceptions" -c2 --timeout 30s
run "exceptions, last 7 days (c2)" "$URL/audit/exceptions?from=$(date -u -d '6 days ago' +%F)" -c2 --timeout 30s
