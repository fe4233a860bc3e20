#!/usr/bin/env bash
# tests/bench/page_statements.sh [N] — what one complaint page costs MariaDB, statement by
# statement (issue 10, pagefacts): the bench stack (KESU_BENCH_STATE, .kesu-bench by default;
# tests/bench/run.sh loads it) with the slow log on for everything (long_query_time = 0,
# log_slow_verbosity = query_plan), N (default 200) requests one at a time of the bench's complaint
# page as the supervisor and of the newest complaint of `agent` as that agent, then per
# statement: how many a page, the median and 90th percentile of the server's Query_time, rows examined; and mysqld's CPU time a
# page (utime + stime from /proc over the run). The server's times do not include the worker
# or the network; they move with the machine's load less than wall-clock figures do, but do
# move: compare two builds alternated (KESU_BENCH_BUILD=DIR with KESU_SKIP_BUILD=1 runs the
# kesu-fcgi of DIR), with the load average printed beside each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

N=${1:-200}
export KESU_WORKERS=${KESU_BENCH_WORKERS:-2} KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn
stack_bench_up
slow=$KESU_STATE/log/page-slow.log
: >"$slow"
# Set before the workers connect: long_query_time is read when a session starts.
stack_sql -e "SET GLOBAL slow_query_log_file = '$slow', log_slow_verbosity = 'query_plan',
	log_slow_disabled_statements = '', long_query_time = 0, slow_query_log = 1"
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL
number=${KESU_PAGE_NUMBER:-$(stack_sql -N -e "SELECT number FROM kesu.complaint WHERE seq < 1000000 ORDER BY id DESC LIMIT 1 OFFSET 1000")}
# the agent's own complaint (an agent does not see the bench's, which the supervisor registered)
agent_number=$(stack_sql -N -e "SELECT number FROM kesu.complaint WHERE owner_uid = 'agent' AND seq < 1000000 ORDER BY received_at DESC LIMIT 1")
mysqld=$(_pid_of mariadb)
cpu() { awk '{ print $14 + $15 }' "/proc/$mysqld/stat"; }   # clock ticks

echo "== $KESU_BUILD; $N requests one at a time after 20; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for pair in "supervisor $number" "agent $agent_number"; do
	read -r who number <<<"$pair"
	s=$(stack_sign_in "$who")
	for _ in $(seq 20); do curl -s -o /dev/null -H "Cookie: kesu_session=$s" "$URL/complaints/$number"; done
	from=$(stat -c %s "$slow")
	c0=$(cpu)
	codes=$(for _ in $(seq "$N"); do
		curl -s -o /dev/null -w '%{http_code}\n' -H "Cookie: kesu_session=$s" "$URL/complaints/$number"
	done | sort | uniq -c | tr '\n' ' ')
	c1=$(cpu)
	echo "-- /complaints/$number as $who: HTTP $codes; mysqld CPU $(awk -v d=$(( c1 - c0 )) -v n="$N" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%.3f ms", 1000 * d / hz / n }') a page"
	# Each entry: "# Query_time: T  Lock_time: L  Rows_sent: S  Rows_examined: E", then the
	# statement; a statement's shape is its text with literals blanked (first 90 characters).
	tail -c +"$((from + 1))" "$slow" | python3 -c '
import re, sys
n = int(sys.argv[1]); times = {}; rows = {}; qt = None
for line in sys.stdin:
    if line.startswith("# Query_time:"):
        f = line.split(); qt = float(f[2]); ex = int(f[8]); continue
    if line.startswith("#") or line.startswith("SET timestamp") or line.startswith("use ") or qt is None:
        continue
    s = re.sub(r"[0-9]+", "9", re.sub(r"\x27[^\x27]*\x27", "?", line.strip()))[:90]
    times.setdefault(s, []).append(qt); rows[s] = rows.get(s, 0) + ex; qt = None
total = 0
for s, t in sorted(times.items(), key=lambda kv: -sum(kv[1])):
    t.sort(); total += sum(t)
    print("   %5.2f/page  median %5.0f us  p90 %5.0f us  rows %6.1f  %s" % (len(t) / n,
        1e6 * t[(len(t) - 1) // 2], 1e6 * t[int(len(t) * 0.9) - 1 if len(t) >= 10 else -1], rows[s] / len(t), s))
print("   server time a page (sum of Query_time / %d): %.0f us" % (n, 1e6 * total / n))
' "$N"
done
stack_sql -e "SET GLOBAL slow_query_log = 0, long_query_time = 10"
