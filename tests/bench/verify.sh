#!/usr/bin/env bash
# tests/bench/verify.sh [EVENTS] — issue 8 (verify), three figures on a private stack:
#   1. `kesu-admin audit verify` over a chain of EVENTS (default 1,000,000) events, and the same
#      chain from the browser (POST /audit/verify, one bounded slice per request);
#   2. the complaint page with and without "who looked at what" (audit.view_log = 1 / 0),
#      interleaved A/B rounds of wrk -t2 -c32 in the same run (medians);
#   3. the dossier PDF of a complaint with 200 events.
# State in .kesu-bench-verify/ (kept: a second run skips the load). Figures go by hand into
# docs/performance.md; nothing here asserts on time.
# KESU_BENCH_ONLY=admin|browser|views|dossier (comma-separated) runs only those parts;
# KESU_BENCH_PARALLEL=N runs kesu-admin audit verify with audit.verify_parallel = N as well.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

EVENTS=${1:-1000000}
DUR=${KESU_BENCH_SECONDS:-10}
ROUNDS=${KESU_BENCH_ROUNDS:-3}
export KESU_WORKERS=${KESU_BENCH_WORKERS:-4}
export KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn

stack_install_packages
command -v wrk >/dev/null || stack_install_packages wrk
stack_build _build/bench
stack_init .kesu-bench-verify
trap stack_stop EXIT
stack_start_services
stack_write_conf
stack_migrate

have=$(stack_sql -N -e "SELECT COUNT(*) FROM kesu.complaint")
[ "$have" -ge 2000 ] || stack_admin bench-load $((2000 - have)) >/dev/null
number=$(stack_sql -N -e "SELECT number FROM kesu.complaint ORDER BY id DESC LIMIT 1 OFFSET 100")
seq=$(stack_sql -N -e "SELECT last_seq FROM kesu.audit_head")
if [ "$seq" -lt "$EVENTS" ]; then
	echo "== extending the chain from $seq to $EVENTS events (the last 200 on $number)"
	t0=$(date +%s)
	python3 tests/bench/chain_fill.py "$KESU_DB_ROOT_CNF" $((EVENTS - seq)) "$number" "$KESU_STATE/events.tsv" >"$KESU_STATE/head"
	read -r hseq hhash <"$KESU_STATE/head"
	stack_sql --local-infile=1 kesu -e "LOAD DATA LOCAL INFILE '$KESU_STATE/events.tsv' INTO TABLE audit_event
		(seq, at, actor_uid, actor_name, actor_role, entity, entity_id, action, before_json, after_json,
		 request_id, client_addr, prev_hash, hash);
		UPDATE audit_head SET last_seq = $hseq, last_hash = '$hhash' WHERE id = 1"
	rm -f "$KESU_STATE/events.tsv"
	echo "   took $(( $(date +%s) - t0 )) s"
fi
number=$(stack_sql -N -e "SELECT entity_id FROM kesu.audit_event WHERE entity = 'complaint' ORDER BY seq DESC LIMIT 1")

only() {   # only PART — true when KESU_BENCH_ONLY is unset or names PART
	[ -z "${KESU_BENCH_ONLY:-}" ] || [[ ",$KESU_BENCH_ONLY," == *",$1,"* ]]
}

if only admin; then
echo "== 1. kesu-admin audit verify, $(stack_sql -N -e 'SELECT last_seq FROM kesu.audit_head') events"
for i in 1 2 3; do
	/usr/bin/time -f "   run $i: %e s wall; kesu-admin itself %U s user + %S s sys, %M kB max RSS" \
		"$KESU_BUILD/kesu-admin" -c "$KESU_CONF" audit verify
done
echo "   for comparison, MariaDB reading the same rows alone (no client work):"
/usr/bin/time -f "   %e s wall" mariadb --defaults-file="$KESU_DB_ROOT_CNF" -N kesu -e \
	"SELECT COUNT(*), SUM(LENGTH(at) + LENGTH(actor_uid) + LENGTH(actor_name) + LENGTH(actor_role) +
	 LENGTH(entity) + LENGTH(entity_id) + LENGTH(action) + COALESCE(LENGTH(before_json), 0) +
	 COALESCE(LENGTH(after_json), 0) + LENGTH(request_id) + LENGTH(client_addr) + LENGTH(prev_hash) +
	 LENGTH(hash)) FROM audit_event"
if [ -n "${KESU_BENCH_PARALLEL:-}" ]; then
	cp "$KESU_CONF" "$KESU_STATE/parallel.conf"
	echo "audit.verify_parallel = $KESU_BENCH_PARALLEL" >>"$KESU_STATE/parallel.conf"
	for i in 1 2 3; do
		/usr/bin/time -f "   audit.verify_parallel = $KESU_BENCH_PARALLEL, run $i: %e s wall; kesu-admin %U s user + %S s sys" \
			"$KESU_BUILD/kesu-admin" -c "$KESU_STATE/parallel.conf" audit verify
	done
fi
uptime
fi

stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL
auditor=$(stack_sign_in auditor)
acsrf=$(curl -s -H "Accept: application/json" -b "kesu_session=$auditor" "$URL/audit/verify" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')

if only browser; then
echo "== 1b. the same chain from the browser: POST /audit/verify, one slice a request"
python3 - "$URL" "$auditor" "$acsrf" <<'PY'
import json, sys, time, urllib.request
url, session, csrf = sys.argv[1:]
def post(body):
    req = urllib.request.Request(url + "/audit/verify", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Cookie": "kesu_session=" + session, "X-CSRF-Token": csrf})
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r), time.monotonic() - t0
run, dt = post({})
times = [dt]
while run["status"] == "running":
    run, dt = post({"run": str(run["id"])})
    times.append(dt)
print(f"   {run['status']}: {run['checked']} events in {len(times)} requests, "
      f"{run['elapsed_ms']} ms walking; longest request {max(times):.2f} s, total {sum(times):.1f} s")
PY
fi

# a typical complaint (one registration event), as tests/bench/run.sh measures it
typical=$(stack_sql -N -e "SELECT number FROM kesu.complaint ORDER BY id DESC LIMIT 1 OFFSET 500")
if only views; then
echo "== 2. complaint page /complaints/$typical with (B) and without (A) the view log; wrk -t2 -c32 -d${DUR}s, $ROUNDS rounds"
supervisor=$(stack_sign_in supervisor)
master=$(cat "$KESU_FCGI_PIDFILE")
setlog() {   # setlog 0|1 — rewrite the configuration, let the master replace its workers
	stack_write_conf
	echo "audit.view_log = $1" >>"$KESU_CONF"
	kill -HUP "$master"
	sleep 2
}
declare -a A B
for i in $(seq 1 "$ROUNDS"); do
	for side in A B; do
		setlog "$([ $side = B ] && echo 1 || echo 0)"
		rps=$(wrk -t2 -c32 -d"${DUR}s" -H "Cookie: kesu_session=$supervisor" "$URL/complaints/$typical" |
			awk '/Requests\/sec/ {print $2}')
		echo "   round $i $side: $rps req/s"
		if [ $side = A ]; then A+=("$rps"); else B+=("$rps"); fi
	done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ma=$(median "${A[@]}"); mb=$(median "${B[@]}")
echo "   median without the log $ma req/s, with it $mb req/s: $(echo "scale=1; 100 * ($ma - $mb) / $ma" | bc) % slower"
echo "   rows logged: $(stack_sql -N -e 'SELECT COUNT(*) FROM kesu.record_view')"
fi

if only dossier; then
# Each round prints a new dossier (the PDFs of earlier rounds are removed first): the time from
# the first request to the PDF, polling every 0.5 s (as tests/integration/harness.py get_pdf does).
echo "== 3. the dossier from request to PDF: a complaint with 1 event ($typical), then $number ($(stack_sql -N -e "SELECT COUNT(*) FROM kesu.audit_event WHERE entity = 'complaint' AND entity_id = '$number'") events)"
python3 - "$URL" "$auditor" "$KESU_STATE/pdf" "$typical" "$number" <<'PY'
import glob, os, sys, time, urllib.error, urllib.request
url, session, pdfdir, *numbers = sys.argv[1:]
def get(path):
    req = urllib.request.Request(url + path, headers={"Cookie": "kesu_session=" + session})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
for i in range(1, 4):
    for n in numbers:
        for f in glob.glob(os.path.join(pdfdir, "*.pdf")):
            os.unlink(f)
        t0 = time.monotonic()
        polls = 0
        while True:
            status, body = get(f"/complaints/{n}/dossier.pdf")
            polls += 1
            if status != 202 or time.monotonic() - t0 > 120:
                break
            time.sleep(0.5)
        print(f"   run {i} {n}: {status} {len(body)} bytes {time.monotonic() - t0:.2f} s from request to PDF ({polls} requests)")
PY
fi
uptime
stack_admin audit verify
