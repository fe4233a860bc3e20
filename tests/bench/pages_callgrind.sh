#!/usr/bin/env bash
# tests/bench/pages_callgrind.sh [BUILD_DIR] — instructions and database round trips per request
# of the pages measured against the floor (issue 10): the list as supervisor and as an agent,
# and a complaint's page. Runs on the 1 M bench database (.kesu-bench; tests/bench/run.sh loads
# it), with the kesu-fcgi and kesu-admin of BUILD_DIR (default _build/bench), one worker under
# valgrind's callgrind. Each page is requested KESU_CG_REQUESTS times (20) by a fresh worker,
# after KESU_CG_WARM (3) warming requests that are not counted (the worker's first statements
# are prepared then); prints instructions per request (callgrind) and statements per request
# (MariaDB's `Questions`, counted over the REQ requests).
# KESU_CG_KEEP=DIR keeps the profiles (NAME.N.PID) for callgrind_annotate.
# Counts repeat to within 0.1 % whatever the machine's load (field notes): use them to compare
# two builds.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

CG_STATE=${KESU_BENCH_STATE:-.kesu-bench} CG_MIGRATE=1 CG_REQUESTS=20
CG_LOADER="run tests/bench/run.sh 1000000 first (or copy the bench state)"
WARM=${KESU_CG_WARM:-3}
# shellcheck source=callgrind_lib.sh
. tests/bench/callgrind_lib.sh
sup=$(stack_sign_in supervisor)
agent=$(stack_sign_in agent)
number=$(stack_sql -N -e "SELECT number FROM kesu.complaint WHERE seq < 1000000 ORDER BY id DESC LIMIT 1 OFFSET 1000")
questions() { stack_sql -N -e "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{print $2}'; }
echo "== $BIN; $REQ requests a page after $WARM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# one_worker SESSION PATH N: N requests to a fresh worker, which is then ended; prints the
# instructions callgrind counted in it (its start-up, inherited from the master, included).
# The statements MariaDB counted (Questions) over the requests after the first WARM go to
# $wrap/stmts (the first requests prepare statements).
one_worker() {
	local s=$1 path=$2 n=$3 total=0 f p q0
	for _ in $(seq "$WARM"); do curl -s -o /dev/null -H "Cookie: kesu_session=$s" "$URL$path"; done
	q0=$(questions)
	for _ in $(seq $(( n - WARM ))); do
		curl -s -o /dev/null -w '%{http_code}\n' -H "Cookie: kesu_session=$s" "$URL$path"
	done | sort | uniq -c | tr '\n' ' ' >"$wrap/codes"
	echo "$(( $(questions) - q0 - 1 ))" >"$wrap/stmts"
	for p in $(pgrep -P "$master"); do kill -TERM "$p"; done
	for _ in $(seq 100); do
		[ "$(pgrep -P "$master" | wc -l)" -lt 2 ] || break
		sleep 0.2
	done
	sleep 3   # the master replaces them; callgrind has written the old ones' counts
	for f in "$out"/callgrind.*; do
		[ "$f" != "$out/callgrind.$master" ] && [ -s "$f" ] || continue
		total=$(( total + $(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$f" | head -n1) ))
		[ -z "${KESU_CG_KEEP:-}" ] || { mkdir -p "$KESU_CG_KEEP"; cp "$f" "$KESU_CG_KEEP/${TAG:-w}.$n.${f##*.}"; }
		rm -f "$f"
	done
	echo "$total"
}
# measure NAME SESSION PATH: (a worker's count after WARM + REQ requests - one's after WARM) / REQ
measure() {
	local name=$1 s=$2 path=$3 a b
	TAG=$(tr -c 'a-z0-9\n' _ <<<"$name")
	a=$(one_worker "$s" "$path" "$WARM")
	b=$(one_worker "$s" "$path" $(( WARM + REQ )))
	printf '%-30s %10d instructions/request  %5.2f statements/request  (HTTP %s)\n' "$name" \
		$(( (b - a) / REQ )) "$(echo "$(cat "$wrap/stmts") / $REQ" | bc -l)" "$(cat "$wrap/codes")"
}
WARM=1 one_worker "$sup" /work 1 >/dev/null   # the worker that served the sign-ins: replaced
measure "list, supervisor" "$sup" /complaints
measure "list, agent" "$agent" /complaints
measure "complaint page, supervisor" "$sup" "/complaints/$number"
