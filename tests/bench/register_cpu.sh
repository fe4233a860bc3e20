#!/usr/bin/env bash
# tests/bench/register_cpu.sh [N] — what a registration through the form costs each process, in
# CPU milliseconds (issue 10, regfast2): the bench stack (KESU_BENCH_STATE, .kesu-bench by
# default; loaded to N complaints first like run.sh, 1,000,000 by default), then `wrk -t2 -cC
# -dD tests/bench/register.lua` (KESU_BENCH_CONNS, 32; KESU_BENCH_SECONDS, 10) while the CPU of
# mariadbd, the kesu-fcgi workers, nginx and wrk is read from /proc/PID/stat before and after,
# divided by the registrations committed (the year's number row moved). The load average goes
# beside it: CPU time is inflated on a loaded machine, but far less than wall time. The sum says
# how many registrations a second the cores could carry at most (2 cores: 2,000 ms a second).
# A/B: KESU_BENCH_BUILD=another build. Ends with `audit verify`.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-1000000}
DUR=${KESU_BENCH_SECONDS:-10}
CONNS=${KESU_BENCH_CONNS:-32}
export KESU_WORKERS=${KESU_BENCH_WORKERS:-4}
export KESU_REQ_PER_CLIENT=${KESU_REQ_PER_CLIENT:-1000000} KESU_CONN_PER_CLIENT=${KESU_CONN_PER_CLIENT:-4096}
export KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn

stack_bench_up
command -v wrk >/dev/null || stack_install_packages wrk
have=$(stack_sql -N -e "SELECT COUNT(*) FROM kesu.complaint")
[ "$have" -ge "$N" ] || stack_admin bench-load $((N - have))
stack_fcgi_start
stack_nginx_start
# the registrations' words into the search first, so that no backlog is written during the run
stack_admin search catch-up >/dev/null

session=$(stack_sign_in supervisor)
csrf=$(curl -s -H "Accept: application/json" -b "kesu_session=$session" "$KESU_BASE_URL/complaints" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
cpu() {   # cpu PID... — their user + system CPU, in clock ticks
	local p s=0
	for p in "$@"; do s=$((s + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done
	echo "$s"
}
# register.lua registers into 2026 (received 2026-11-20): its number row counts them
seq_now() { stack_sql -N -e "SELECT COALESCE(MAX(last_seq), 0) FROM kesu.complaint_seq WHERE year = 2026"; }
db=$(cat "$KESU_RUN/mysqld.pid")
workers=$(pgrep -P "$(cat "$KESU_FCGI_PIDFILE")" | tr '\n' ' ')
ngx=$(cat "$KESU_RUN/nginx.pid")
ngx="$ngx $(pgrep -P "$ngx" | tr '\n' ' ')"
n0=$(seq_now); d0=$(cpu "$db"); w0=$(cpu $workers); g0=$(cpu $ngx)
out=$(KESU_BENCH_SESSION=$session KESU_BENCH_CSRF=$csrf /usr/bin/time -f 'WRK_CPU %U %S' \
	wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "Cookie: kesu_session=$session" \
	-s tests/bench/register.lua "$KESU_BASE_URL/complaints" 2>&1)
d1=$(cpu "$db"); w1=$(cpu $workers); g1=$(cpu $ngx); n1=$(seq_now)
grep -E 'Requests/sec|Latency  |99%|Non-2xx' <<<"$out" || true
awk -v n=$((n1 - n0)) -v d=$((d1 - d0)) -v w=$((w1 - w0)) -v g=$((g1 - g0)) -v tck="$(getconf CLK_TCK)" \
	-v k="$(awk '/WRK_CPU/ { print ($2 + $3) * 1000 }' <<<"$out")" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	if (n <= 0) { print "   nothing registered"; exit 1 }
	m = 1000 / tck
	printf "   %d registered; CPU per registration: mariadbd %.2f ms, workers %.2f ms, nginx %.2f ms, wrk %.2f ms\n",
	    n, d * m / n, w * m / n, g * m / n, k / n
	t = (d + w + g) * m / n + k / n
	printf "   %.2f ms in all: at most %.0f registrations/s on 2 idle cores; load average %s\n", t, 2000 / t, l }'
stack_admin audit verify
