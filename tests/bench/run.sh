#!/usr/bin/env bash
# tests/bench/run.sh [N] — load N complaints (default 1,000,000) into a private stack, then a
# bounded wrk run (-t2 -c32, KESU_BENCH_SECONDS each, 15 s by default) against the signed-in list
# page (50 rows), a complaint's page, the statistics of this year and month, and registration; prints req/s, latency percentiles and
# the workers' resident memory (KESU_BENCH_WRITES=R: with registrations meanwhile, below). State in .kesu-bench/ (kept, so a second run skips the load;
# `rm -rf .kesu-bench` to start over). Not part of bin/test: figures come from here, never
# from timed assertions. Results are copied by hand into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-1000000}
DUR=${KESU_BENCH_SECONDS:-15}
CONNS=${KESU_BENCH_CONNS:-32}   # wrk -c; 1: the latency of one request at a time
export KESU_WORKERS=${KESU_BENCH_WORKERS:-4}
# One load generator on one address: the shipped per-client limits (5,000 requests a second,
# 128 connections) would answer the floor's one-row page with 429 (seen: 1,972 of 61,753).
export KESU_REQ_PER_CLIENT=${KESU_REQ_PER_CLIENT:-1000000} KESU_CONN_PER_CLIENT=${KESU_CONN_PER_CLIENT:-4096}
export KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn

stack_install_packages
command -v wrk >/dev/null || stack_install_packages wrk
stack_build "${KESU_BENCH_BUILD:-_build/bench}"   # KESU_BENCH_BUILD: another build (A/B)
stack_init "${KESU_BENCH_STATE:-.kesu-bench}"   # another directory: another data set
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
# The floor's registration writes into its own copy of the complaint table: the same rows and
# indexes, none of Kesu's triggers (CREATE TABLE ... LIKE copies no trigger), made once per
# data set (about 90 s at 1 M) in a database of its own, which Kesu's migrations never touch.
if [ -z "$(stack_sql -N -e "SELECT 1 FROM information_schema.tables WHERE table_schema = 'kesu_floor' AND table_name = 'complaint'")" ]; then
	echo "== copying the complaint table for the floor's registration (kesu_floor)"
	stack_sql -e "CREATE DATABASE IF NOT EXISTS kesu_floor;
		CREATE TABLE IF NOT EXISTS kesu_floor.complaint_seq LIKE kesu.complaint_seq;
		REPLACE INTO kesu_floor.complaint_seq SELECT * FROM kesu.complaint_seq;
		DROP TABLE IF EXISTS kesu_floor.complaint_copy;
		CREATE TABLE kesu_floor.complaint_copy LIKE kesu.complaint;
		INSERT INTO kesu_floor.complaint_copy SELECT * FROM kesu.complaint;
		RENAME TABLE kesu_floor.complaint_copy TO kesu_floor.complaint"
fi
# A floor with triggers is no floor: a trigger added there by hand (an experiment) would slow
# it and flatter every ratio, so the run refuses to go on.
trg=$(stack_sql -N -e "SELECT GROUP_CONCAT(trigger_name) FROM information_schema.triggers WHERE trigger_schema = 'kesu_floor'")
[ "$trg" = NULL ] || [ -z "$trg" ] || kesu_die "kesu_floor has triggers ($trg): drop them, the floor has none"
stack_sql -e "GRANT SELECT, INSERT, UPDATE ON kesu_floor.* TO 'kesu_app'@'localhost'"
stack_fcgi_start
# The floor (issue 10): tests/bench/floor.c, one prepared indexed query per page over the same
# table, as many workers as Kesu, behind the same nginx (an included location /floor/).
FLOOR_SOCK=$KESU_RUN/floor.sock
# shellcheck disable=SC2046
cc -O2 -g -Wall -Wextra -o "$KESU_BUILD/kesu-bench-floor" tests/bench/floor.c \
	$(pkg-config --cflags --libs fcgi libmariadb) || kesu_die "could not build tests/bench/floor.c"
printf 'location /floor/ {\n\tinclude /etc/nginx/fastcgi_params;\n\tfastcgi_pass unix:%s;\n\tfastcgi_buffer_size 16k;\n\tfastcgi_buffers 16 16k;\n}\n' \
	"$FLOOR_SOCK" >"$KESU_STATE/nginx/floor.conf"
export KESU_NGINX_INCLUDE=$KESU_STATE/nginx/floor.conf
trap '_stop floor 10; stack_stop' EXIT
_spawn floor "$KESU_STATE/log/floor.log" "$KESU_BUILD/kesu-bench-floor" "$FLOOR_SOCK" "$KESU_WORKERS" \
	"$KESU_DB_SOCKET" kesu_app "$KESU_STATE/secrets/db.password" kesu
_wait_for 20 floor test -S "$FLOOR_SOCK" || { cat "$KESU_STATE/log/floor.log" >&2; kesu_die "the floor did not start"; }
stack_nginx_start
URL=$KESU_BASE_URL

# Sign in once, through the real login form: as the service supervisor by default, who sees
# every complaint (the heaviest list); KESU_BENCH_USER=agent measures an agent's own cases.
BENCH_USER=${KESU_BENCH_USER:-supervisor}
session=$(stack_sign_in "$BENCH_USER")
csrf=$(curl -s -H "Accept: application/json" -b "kesu_session=$session" "$URL/complaints" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
# a number the registration issued (the SQL bulk loader numbers from seq 1,000,000: 13 digits)
number=$(stack_sql -N -e "SELECT number FROM kesu.complaint WHERE seq < 1000000 ORDER BY id DESC LIMIT 1 OFFSET 1000")

echo "== $(stack_sql -N -e 'SELECT COUNT(*) FROM kesu.complaint') complaints; $KESU_WORKERS workers; as $BENCH_USER; wrk -c$CONNS -d${DUR}s"
declare -A RPS P99
run() {   # run NAME wrk-args... — also keeps req/s and p99 (ms) under NAME's first word
	local name=$1 out key; shift
	key=${name%% *}
	echo "-- $name"
	out=$(wrk -t$(( CONNS < 2 ? 1 : 2 )) -c"$CONNS" -d"${DUR}s" --latency -H "Cookie: kesu_session=${RUN_SESSION:-$session}" "$@")
	grep -E 'Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors|requests in' <<<"$out" || true
	RPS[$key]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	P99[$key]=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
		else if (v ~ /ms$/) sub(/ms$/, "", v); else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
		printf "%.1f", v }' <<<"$out")
	# answers other than 2xx/3xx make the figure meaningless: marked with "!"
	if grep -q 'Non-2xx' <<<"$out"; then RPS[$key]="${RPS[$key]}!"; fi
}
# ratio KESU_KEY FLOOR_KEY — Kesu's req/s over the floor's, two decimals
ratio() { awk -v k="${RPS[$1]%!}" -v f="${RPS[$2]%!}" 'BEGIN { if (f > 0) printf "%.2f", k / f; else print "-" }'; }
workers_rss() {   # each Kesu worker's and each floor worker's resident memory, broken down
	local p
	echo "-- worker resident memory (kB; from /proc/PID/smaps: the binary, libcrypto, the other"
	echo "   shared libraries (file pages, shared between workers: PSS counts them once), the heap"
	echo "   (caches, json-c's freed objects, the arena's kept block, libmariadb), other anonymous)"
	for p in $(pgrep -P "$(cat "$KESU_FCGI_PIDFILE")"); do
		printf '  kesu-fcgi %s: RSS %s kB (PSS %s): %s\n' "$p" "$(ps -o rss= -p "$p" | tr -d ' ')" \
			"$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup")" \
			"$(awk -v bin="$KESU_BUILD/kesu-fcgi" '/^[0-9a-f]+-[0-9a-f]+ / { n = $6
				k = n == bin ? "binary" : n ~ /libcrypto/ ? "libcrypto" : n ~ /\.so/ ? "libs" :
				    n == "[heap]" ? "heap" : "anon" } /^Rss:/ { r[k] += $2 }
				END { printf "binary %d, libcrypto %d, libs %d, heap %d, anon %d", r["binary"],
				    r["libcrypto"], r["libs"], r["heap"], r["anon"] }' "/proc/$p/smaps")"
	done
	for p in $(pgrep -P "$(_pid_of floor)"); do
		printf '  floor %s: RSS %s kB\n' "$p" "$(ps -o rss= -p "$p" | tr -d ' ')"
	done
}
# floor_runs: the floor and Kesu's pages interleaved (the machine's load drifts), then each
# page's ratio to the floor (issue 10); KESU_BENCH_ONLY=floor runs only these.
floor_runs() {
	local agent_session fmt='   %-26s %10s %8s %10s %8s %6s\n'
	agent_session=$(stack_sign_in agent)
	run "floor-list (/floor/list: 50 rows, one prepared query)" "$URL/floor/list"
	run "list-supervisor (/complaints as supervisor, 50 rows)" "$URL/complaints"
	RUN_SESSION=$agent_session run "list-agent (/complaints as agent, 50 rows)" "$URL/complaints"
	run "floor-row (/floor/complaint/$number: one row by key)" "$URL/floor/complaint/$number"
	run "complaint (/complaints/$number as supervisor)" "$URL/complaints/$number"
	echo "-- ratios to the floor (one run, one nginx, $KESU_WORKERS workers each; load average $(cut -d' ' -f1-3 /proc/loadavg))"
	# shellcheck disable=SC2059
	{
	printf "$fmt" page "floor/s" "p99 ms" "Kesu/s" "p99 ms" ratio
	printf "$fmt" "list, supervisor" "${RPS[floor-list]}" "${P99[floor-list]}" \
		"${RPS[list-supervisor]}" "${P99[list-supervisor]}" "$(ratio list-supervisor floor-list)"
	printf "$fmt" "list, agent" "${RPS[floor-list]}" "${P99[floor-list]}" \
		"${RPS[list-agent]}" "${P99[list-agent]}" "$(ratio list-agent floor-list)"
	printf "$fmt" "complaint page / one row" "${RPS[floor-row]}" "${P99[floor-row]}" \
		"${RPS[complaint]}" "${P99[complaint]}" "$(ratio complaint floor-row)"
	}
}
# KESU_BENCH_ONLY=export: the list exported as .xlsx and .csv (100,000 rows: the bound), one
# request each, with the time, the size and each worker's peak resident memory (VmHWM).
if [ "${KESU_BENCH_ONLY:-}" = export ]; then
	for fmt in xlsx csv; do
		echo "-- /complaints.$fmt (the whole list: the first 100,000 rows)"
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
# register_runs: the floor's registration and Kesu's, interleaved twice, then the ratio of
# each pair (issue 10): what a registration costs over one numbered INSERT, on this machine.
register_runs() {
	local fmt='   %-26s %10s %8s %10s %8s %6s\n' i
	for i in 1 2; do
		KESU_BENCH_CSRF=$csrf run "floor-register$i (POST /floor/register: next number, one INSERT, COMMIT)" \
			-s tests/bench/register.lua "$URL/floor/register"
		KESU_BENCH_CSRF=$csrf run "registration$i (POST /complaints)" \
			-s tests/bench/register.lua "$URL/complaints"
	done
	echo "-- registration's ratio to the floor (load average $(cut -d' ' -f1-3 /proc/loadavg))"
	# shellcheck disable=SC2059
	{
	printf "$fmt" page "floor/s" "p99 ms" "Kesu/s" "p99 ms" ratio
	for i in 1 2; do
		printf "$fmt" "registration, run $i" "${RPS[floor-register$i]}" "${P99[floor-register$i]}" \
			"${RPS[registration$i]}" "${P99[registration$i]}" "$(ratio "registration$i" "floor-register$i")"
	done
	}
}
# KESU_BENCH_ONLY=register: only registration against its floor (issue 10), then the chain verified.
if [ "${KESU_BENCH_ONLY:-}" = register ]; then
	register_runs
	stack_admin audit verify
	exit 0
fi
# KESU_BENCH_WRITES=R (with KESU_BENCH_ONLY=floor): one registration through the form every
# 1/R seconds while the pages run, from another session, so that every worker's kept copies
# (fcgi/res_cache.h: stamped with the chain head, which every registration moves) go stale R
# times a second: the pages as they cost while others write (issue 10, rescache).
writer() {
	local s c body
	s=$(stack_sign_in agent)
	c=$(curl -s -H "Accept: application/json" -b "kesu_session=$s" "$URL/complaints" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
	body="csrf_token=$c&received_at=2026-11-20T09%3A30&channel=phone&customer_name=%E5%86%99%E5%85%A5"
	body="$body&customer_type=consumer&customer_phone=13900139000&product=KS-200&description=writer"
	body="$body&demand=repair&urgency=normal&category=product_quality&severity=3"
	while :; do
		curl -s -o /dev/null -b "kesu_session=$s" --data "$body" "$URL/complaints"
		sleep "$(awk -v r="$1" 'BEGIN { printf "%.3f", 1 / r }')"
	done
}
if [ "${KESU_BENCH_ONLY:-}" = floor ]; then
	if [ -n "${KESU_BENCH_WRITES:-}" ]; then
		before=$(stack_sql -N -e "SELECT COUNT(*) FROM kesu.complaint")
		writer "$KESU_BENCH_WRITES" &
		writer_pid=$!
		trap 'kill $writer_pid 2>/dev/null; _stop floor 10; stack_stop' EXIT
		echo "-- a registration every $(awk -v r="$KESU_BENCH_WRITES" 'BEGIN { printf "%.3f", 1 / r }') s meanwhile"
	fi
	floor_runs
	if [ -n "${KESU_BENCH_WRITES:-}" ]; then
		kill "$writer_pid" 2>/dev/null || true
		echo "-- $(( $(stack_sql -N -e "SELECT COUNT(*) FROM kesu.complaint") - before )) complaints registered meanwhile"
	fi
	workers_rss
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
floor_runs
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
register_runs
fi

workers_rss
stack_admin audit verify
