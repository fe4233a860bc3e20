#!/usr/bin/env bash
# tests/bench/cpu_split.sh URL [COOKIE] [SECONDS] — CPU per request of each process of a running
# stack while wrk -t2 -c32 asks URL for SECONDS (8): mariadbd, nginx, kesu-fcgi and the bench's
# floor, from /proc/PID/stat (utime + stime of every process of that name) over the requests wrk
# counted. COOKIE is a kesu_session value ("" for the floor). Ticks are 10 ms: use runs of
# several seconds and compare pages measured in the same minutes (docs/performance.md,
# "Where a request's CPU goes").
set -euo pipefail
url=$1 cookie=${2:-} secs=${3:-8}
ticks() {
	local p s=0 t
	for p in $(pgrep -f "$1" || true); do
		t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
		s=$(( s + t ))
	done
	echo "$s"
}
groups=(mariadbd nginx kesu-fcgi kesu-bench-floor)
declare -A before after
for g in "${groups[@]}"; do before[$g]=$(ticks "$g"); done
out=$(wrk -t2 -c32 -d"${secs}s" ${cookie:+-H "Cookie: kesu_session=$cookie"} "$url")
for g in "${groups[@]}"; do after[$g]=$(ticks "$g"); done
n=$(awk '/requests in/ {print $1}' <<<"$out")
bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
hz=$(getconf CLK_TCK)
printf '%s: %s req/s%s;' "$url" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "${bad:+ ($bad non-2xx!)}"
for g in "${groups[@]}"; do
	awk -v g="$g" -v d=$(( after[$g] - before[$g] )) -v n="$n" -v hz="$hz" \
		'BEGIN { if (d > 0) printf " %s %.0f µs", g, d * 1e6 / hz / n }'
done
echo
