#!/usr/bin/env bash
# tests/bench/stats_callgrind.sh [BUILD_DIR] — instructions per request of the statistics page
# (a year, a quarter, a month; issue 9), counted by valgrind's callgrind in one worker (the
# database's work is not in them: see ANALYZE FORMAT=JSON for that). Runs on the database
# tests/bench/run.sh loaded (.kesu-bench/; run that first: it applies the migrations), with the
# kesu-fcgi and kesu-admin of BUILD_DIR (default _build/bench), one worker under callgrind, as
# the service supervisor. Adapted from tests/bench/trail_callgrind.sh. Each page is
# requested KESU_CG_REQUESTS times (10) by a fresh worker; prints instructions per request (the
# worker's first request, cold, included).
# Counts repeat to within 0.1 % whatever the machine's load (field notes): use them to compare
# two builds, e.g. the previous commit's built from `git archive` into a directory of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

BIN=$(cd "${1:-_build/bench}" && pwd)
[ -x "$BIN/kesu-fcgi" ] || BIN=$BIN/obj
[ -x "$BIN/kesu-fcgi" ] || kesu_die "no kesu-fcgi in ${1:-_build/bench}"
REQ=${KESU_CG_REQUESTS:-10}
[ -d .kesu-bench ] || kesu_die "run tests/bench/run.sh first (it loads .kesu-bench)"
command -v valgrind >/dev/null || stack_install_packages valgrind

# kesu-fcgi under callgrind (handle() is inlined: a whole worker is counted); a worker writes its
# counts when it exits, so each page is measured by a fresh worker that is then ended, less what
# a fresh worker that served nothing costs (start-up, end, the idle PDF renderer).
wrap=$(mktemp -d)
out=$wrap/cg
mkdir -p "$out"
ln -s "$BIN/kesu-admin" "$wrap/kesu-admin"
cat >"$wrap/kesu-fcgi" <<EOW
#!/bin/sh
exec valgrind --tool=callgrind \
	--callgrind-out-file=$out/callgrind.%p "$BIN/kesu-fcgi" "\$@"
EOW
chmod +x "$wrap/kesu-fcgi"
export KESU_BUILD=$wrap KESU_WORKERS=1 KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn
export KESU_DB_BUFFER_POOL=${KESU_DB_BUFFER_POOL:-2G}
stack_init .kesu-bench
trap 'stack_stop; rm -rf "$wrap"' EXIT
stack_start_services
stack_write_conf
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL
sleep 2
jar=$(mktemp)
pre=$(curl -s -c "$jar" "$URL/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$pre&username=supervisor&password=kesu-demo" "$URL/login"
session=$(awk '$6=="kesu_session"{print $7}' "$jar")
rm -f "$jar"
[ -n "$session" ] || kesu_die "bench sign-in failed"
# the worker: the master's only child that is not the PDF renderer (the one that answers)
master=$(cat "$KESU_FCGI_PIDFILE")
echo "== $BIN; $REQ requests a page; load average $(cut -d' ' -f1-3 /proc/loadavg)"
BASE=0
measure() {   # measure NAME PATH [N]: a fresh worker, N (REQ) requests, then it exits and callgrind writes
	local name=$1 path=$2 n=${3:-$REQ} pid total=0 f
	for _ in $(seq "$n"); do
		curl -s -o /dev/null -H "Cookie: kesu_session=$session" "$URL$path"
	done
	for pid in $(pgrep -P "$master"); do kill -TERM "$pid"; done
	for _ in $(seq 100); do
		[ -z "$(pgrep -P "$master")" ] || [ "$(pgrep -P "$master" | wc -l)" -lt 2 ] || break
		sleep 0.2
	done
	sleep 3   # the master replaces them; callgrind has written the old ones' counts
	for f in "$out"/callgrind.*; do
		[ "$f" != "$out/callgrind.$master" ] && [ -s "$f" ] || continue
		total=$(( total + $(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$f" | head -n1) ))
		# KESU_CG_KEEP=DIR keeps each page's profiles for callgrind_annotate
		[ -z "${KESU_CG_KEEP:-}" ] || { mkdir -p "$KESU_CG_KEEP"; cp "$f" "$KESU_CG_KEEP/$(tr -c 'a-z0-9' _ <<<"$name").${f##*.}"; }
		rm -f "$f"
	done
	if [ "$n" = 0 ]; then BASE=$total; return; fi
	printf '%-58s %12d instructions/request\n' "$name: $path" $(( (total - BASE) / n ))
}
# the first worker has served the sign-in: start with a fresh one, then the idle cost
measure "(sign-in)" "/work" 1 >/dev/null
measure "(idle)" "/work" 0
year=$(date -u +%Y)
measure "statistics, a year" "/stats?period=$year"
[ -n "${KESU_CG_YEAR_ONLY:-}" ] || measure "statistics, a quarter" "/stats?period=$year-Q$(( ($(date -u +%-m) + 2) / 3 ))"
[ -n "${KESU_CG_YEAR_ONLY:-}" ] || measure "statistics, a month" "/stats?period=$year-$(date -u +%m)"
measure "baseline: /work" "/work"
