#!/usr/bin/env bash
# tests/bench/run.sh [N] — load N complaints (default 1,000,000) into a private stack, then a
# bounded wrk run (-t2 -c32, KESU_BENCH_SECONDS each, 15 s by default) against the signed-in list
# page (50 rows), a complaint's page, the statistics of this year and month, and registration; prints req/s, latency percentiles and
# the workers' resident memory. State in .kesu-bench/ (kept, so a second run skips the load;
# `rm -rf .kesu-bench` to start over). Not part of bin/test: figures come from here, never
# from timed assertions. Results are copied by hand into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-1000000}
DUR=${KESU_BENCH_SECONDS:-15}
export KESU_WORKERS=${KESU_BENCH_WORKERS:-4}
export KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn

stack_install_packages
command -v wrk >/dev/null || stack_install_packages wrk
stack_build _build/bench
stack_init .kesu-bench
trap stack_stop EXIT
stack_start_services
stack_write_conf
t0=$(date +%s)
stack_migrate
echo "== kesu-admin migrate took $(( $(date +%s) - t0 )) s"

have=$(stack_sql -N -e "SELECT COUNT(*) FROM kesu.complaint")
# KESU_BENCH_BULK=1: load by SQL (tests/bench/bulk_search.sql, no audit trail; for the search
# runs), 100,000 complaints a statement, in minutes rather than hours.
if [ "${KESU_BENCH_BULK:-0}" = 1 ] && [ "$have" -lt "$N" ]; then
	echo "== bulk-loading $((N - have)) complaints by SQL (tests/bench/bulk_search.sql)"
	t0=$(date +%s)
	for ((lo = have; lo < N; lo += 100000)); do
		hi=$(( lo + 100000 < N ? lo + 100000 - 1 : N - 1 ))
		{ echo "SET @lo = $lo, @hi = $hi, @total = $N;"; cat tests/bench/bulk_search.sql; } | stack_sql kesu
		echo "   $((hi + 1)) of $N after $(( $(date +%s) - t0 )) s"
	done
	have=$N
fi
if [ "$have" -lt "$N" ]; then
	echo "== loading $((N - have)) complaints (through the audited registration path)"
	t0=$(date +%s)
	stack_admin bench-load $((N - have))
	echo "   took $(( $(date +%s) - t0 )) s"
fi
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL

# Sign in once, through the real login form: as the service supervisor by default, who sees
# every complaint (the heaviest list); KESU_BENCH_USER=agent measures an agent's own cases.
BENCH_USER=${KESU_BENCH_USER:-supervisor}
jar=$(mktemp)
# the form's token is the server's HMAC of the kesu_csrf cookie (issue 7), read from the form
pre=$(curl -s -c "$jar" "$URL/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$pre&username=$BENCH_USER&password=kesu-demo" "$URL/login"
session=$(awk '$6=="kesu_session"{print $7}' "$jar")
[ -n "$session" ] || kesu_die "bench sign-in failed"
csrf=$(curl -s -H "Accept: application/json" -b "kesu_session=$session" "$URL/complaints" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
number=$(stack_sql -N -e "SELECT number FROM kesu.complaint ORDER BY id DESC LIMIT 1 OFFSET 1000")
rm -f "$jar"

echo "== $(stack_sql -N -e 'SELECT COUNT(*) FROM kesu.complaint') complaints; $KESU_WORKERS workers; as $BENCH_USER; wrk -t2 -c32 -d${DUR}s"
run() {   # run NAME wrk-args...
	local name=$1; shift
	echo "-- $name"
	wrk -t2 -c32 -d"${DUR}s" --latency -H "Cookie: kesu_session=$session" "$@" |
		grep -E 'Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors|requests in'
}
# KESU_BENCH_ONLY=export: the list exported as .xlsx and .csv (100,000 rows: the bound), one
# request each, with the time, the size and each worker's peak resident memory (VmHWM).
if [ "${KESU_BENCH_ONLY:-}" = export ]; then
	for fmt in xlsx csv; do
		echo "-- /complaints.$fmt (the whole list: the first 100,000 rows; CSV 50,000)"
		curl -s -o "$KESU_STATE/export.$fmt" -D "$KESU_STATE/export.head" -H "Cookie: kesu_session=$session" \
			-w '   HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n' "$URL/complaints.$fmt"
		grep -i '^x-kesu' "$KESU_STATE/export.head" | sed 's/^/   /'
	done
	master=$(cat "$KESU_FCGI_PIDFILE")
	for p in $(pgrep -P "$master"); do
		printf '  worker %s: peak RSS %s, now %s\n' "$p" "$(awk '/VmHWM/ {print $2 $3}' /proc/$p/status)" \
			"$(awk '/VmRSS/ {print $2 $3}' /proc/$p/status)"
	done
	exit 0
fi
# KESU_BENCH_ONLY=stats: only the statistics runs (issue 9), a year, a quarter and a month.
if [ "${KESU_BENCH_ONLY:-}" = stats ]; then
	year=$(date -u +%Y)
	run "statistics, a year (/stats?period=$year)" "$URL/stats?period=$year"
	run "statistics, a quarter (/stats?period=$year-Q$(( ($(date -u +%-m) + 2) / 3 )))" \
		"$URL/stats?period=$year-Q$(( ($(date -u +%-m) + 2) / 3 ))"
	run "statistics, a month (/stats?period=$year-$(date -u +%m))" "$URL/stats?period=$year-$(date -u +%m)"
	exit 0
fi
# KESU_BENCH_ONLY=search: only the search runs (issue 9), e.g. after changing the search.
if [ "${KESU_BENCH_ONLY:-}" != search ]; then
run "list page (/complaints, 50 rows)" "$URL/complaints"
run "detail page (/complaints/$number)" "$URL/complaints/$number"
# issue 8 (history): the same complaint as it stood at the head of the chain, from the trail
head_seq=$(stack_sql -N -e "SELECT last_seq FROM kesu.audit_head WHERE id = 1")
run "point in time (/complaints/$number?as_of=$head_seq)" "$URL/complaints/$number?as_of=$head_seq"
year=$(date -u +%Y)
run "statistics, a year (/stats?period=$year)" "$URL/stats?period=$year"
run "statistics, a month (/stats?period=$year-$(date -u +%m))" "$URL/stats?period=$year-$(date -u +%m)"
fi
# Searches (issue 9): 异响 is in 1 complaint of 7 (143,000 of 1 M), 客户 in 5 of 7; 1005 is
# the tail of one lot number in 37 (from the middle of "L20261005").
run "search, two Chinese characters (/complaints?q=异响)" "$URL/complaints?q=%E5%BC%82%E5%93%8D"
run "search, a word in most complaints (/complaints?q=客户)" "$URL/complaints?q=%E5%AE%A2%E6%88%B7"
run "search, the middle of a lot number (/complaints?q=1005)" "$URL/complaints?q=1005"
if [ "${KESU_BENCH_ONLY:-}" != search ]; then
KESU_BENCH_SESSION=$session KESU_BENCH_CSRF=$csrf run "registration (POST /complaints)" \
	-s tests/bench/register.lua "$URL/complaints"
fi

echo "-- worker resident memory (kB)"
master=$(cat "$KESU_FCGI_PIDFILE")
for p in $(pgrep -P "$master"); do
	printf '  worker %s: RSS %s kB\n' "$p" "$(ps -o rss= -p "$p" | tr -d ' ')"
done
stack_admin audit verify
