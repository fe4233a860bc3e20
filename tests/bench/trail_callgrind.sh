#!/usr/bin/env bash
# tests/bench/trail_callgrind.sh [BUILD_DIR] — instructions per request of the auditor's trail,
# counted by valgrind's callgrind in one worker (the database's work is not in
# them: see ANALYZE FORMAT=JSON for that). Runs on the database tests/bench/trail.sh loaded
# (.kesu-bench-trail/; run that first), with the kesu-fcgi and kesu-admin of BUILD_DIR
# (default _build/bench, what trail.sh built), one worker under callgrind. Each page is
# requested KESU_CG_REQUESTS times (10) by a fresh worker; prints instructions per request (the
# worker's first request, cold, included).
# Counts repeat to within 0.1 % whatever the machine's load (field notes): use them to compare
# two builds, e.g. the previous commit's built from `git archive` into a directory of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

CG_STATE=.kesu-bench-trail CG_USER=auditor
CG_LOADER="run tests/bench/trail.sh first (it loads .kesu-bench-trail)"
# shellcheck source=callgrind_lib.sh
. tests/bench/callgrind_lib.sh
measure "a complaint's timeline" "/audit?record=250101000123"
measure "an actor, first page" "/audit?actor=u17"
measure "one day" "/audit?from=2025-06-01&to=2025-06-01"
measure "a kind, no period" "/audit?kind=penalty"
measure "baseline: /work" "/work"
