# tests/bench/callgrind_lib.sh — sourced by the *_callgrind.sh scripts: one worker under
# valgrind's callgrind behind the stack of the state directory CG_STATE (CG_LOADER: what to run
# when it is missing; CG_MIGRATE=1: apply the migrations first), stack_sign_in USER (bin/lib/stack.sh), and $master.
# With CG_USER: signed in as CG_USER ($session), and measure NAME PATH [N] prints the
# instructions per request of PATH, less a fresh idle worker's. $1: BUILD_DIR (default
# _build/bench); REQ: KESU_CG_REQUESTS, else CG_REQUESTS, else 10. The caller has cd'ed to the
# tree and sourced bin/lib/stack.sh.
# shellcheck shell=bash

BIN=$(cd "${1:-_build/bench}" && pwd)
[ -x "$BIN/kesu-fcgi" ] || BIN=$BIN/obj
[ -x "$BIN/kesu-fcgi" ] || kesu_die "no kesu-fcgi in ${1:-_build/bench}"
REQ=${KESU_CG_REQUESTS:-${CG_REQUESTS:-10}}
[ -d "$CG_STATE" ] || kesu_die "no $CG_STATE: $CG_LOADER"
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
export KESU_BUILD=$wrap KESU_WORKERS=1 KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn KESU_FCGI_START_WAIT=180
export KESU_DB_BUFFER_POOL=${KESU_DB_BUFFER_POOL:-2G}
stack_init "$CG_STATE"
trap 'stack_stop; rm -rf "$wrap"' EXIT
stack_start_services
stack_write_conf
[ "${CG_MIGRATE:-0}" = 0 ] || stack_migrate >/dev/null
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL
sleep 2
# the worker: the master's only child that is not the PDF renderer (the one that answers)
master=$(cat "$KESU_FCGI_PIDFILE")
if [ -n "${CG_USER:-}" ]; then
	session=$(stack_sign_in "$CG_USER")
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
fi
