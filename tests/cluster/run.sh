#!/usr/bin/env bash
# tests/cluster/run.sh [--quick] — issue 11's proof (docs/scale-out.md), run by bin/test --cluster.
#
# Starts a fresh bin/cluster (three Galera nodes, HAProxy, two worker hosts, nginx; the sweep on
# both hosts every 10 s) in its own state directory, runs tests/cluster/proof.py against it and
# stops it. Full: 10,000 registrations and 2,000 signatures; --quick: 1,000 and 200.
# Prints the proof's JSON report (also kept in STATE/proof.json) and a last line
# "N passed, N failed"; exits non-zero when a promise was not kept.
#
# Environment: KESU_CLUSTER_STATE (default .kesu-cluster-proof), KESU_PROOF_PORT (nginx; default
# a free port), KESU_KEEP_STATE=1 (keep the state after a green run), KESU_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
. bin/lib/stack.sh

regs=10000 sigs=2000
for a in "$@"; do
	case $a in
	--quick) regs=1000 sigs=200 ;;
	*) sed -n '2,12p' "$0" >&2; exit 2 ;;
	esac
done

export KESU_CLUSTER_STATE=${KESU_CLUSTER_STATE:-$ROOT/.kesu-cluster-proof}
export KESU_SWEEP_INTERVAL=10
export KESU_PORT=${KESU_PROOF_PORT:-$(stack_free_ports 1)}
# 16 clients from a handful of loopback addresses: nginx's per-client limits are not under test
export KESU_REQ_PER_CLIENT=100000 KESU_REQ_BURST=100000 KESU_CONN_PER_CLIENT=1000
export KESU_NGINX_ACCESS_LOG=0 KESU_WORKERS=${KESU_WORKERS:-3}

started=$(date +%s)
bin/cluster reset --detach >"${TMPDIR:-/tmp}/kesu-cluster-proof-start.log" 2>&1 ||
	{ tail -30 "${TMPDIR:-/tmp}/kesu-cluster-proof-start.log" >&2; echo "0 passed, 1 failed"; exit 1; }
trap 'bin/cluster stop >/dev/null 2>&1 || true' EXIT

S=$KESU_CLUSTER_STATE
stack_load "$S"
while IFS= read -r line; do [ -n "$line" ] && export "${line?}"; done <"$S/cluster.env"
# kesu-admin audit verify against each node itself, not through HAProxy
for n in 1 2 3; do
	port_var=KESU_NODE${n}_PORT
	sed -e "s|^db.port .*|db.port            = ${!port_var}|" "$S/kesu.conf" >"$S/node$n/verify.conf"
done
export KESU_ROOT=$ROOT KESU_CLUSTER=$ROOT/bin/cluster KESU_ADMIN=$KESU_BUILD/kesu-admin
export KESU_BASE_URL=http://127.0.0.1:$KESU_HTTP_PORT KESU_CHECK_CNF=$S/haproxy/check.cnf
export PROOF_REGISTRATIONS=$regs PROOF_SIGNATURES=$sigs PROOF_OUT=$S/proof.json
echo "== cluster proof: $regs registrations, $sigs signatures, 16 clients over 2 hosts (load: $(cut -d' ' -f1-3 /proc/loadavg))"
rc=0
python3 tests/cluster/proof.py || rc=$?
echo "== $(( $(date +%s) - started )) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
bin/cluster stop >/dev/null 2>&1 || true
trap - EXIT
if [ $rc -eq 0 ]; then
	[ "${KESU_KEEP_STATE:-0}" = 1 ] || rm -rf "$S"
	echo "1 passed, 0 failed"
else
	echo "state kept in $S"
	echo "0 passed, 1 failed"
fi
exit $rc
