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

CG_STATE=.kesu-bench CG_USER=supervisor
CG_LOADER="run tests/bench/run.sh first (it loads .kesu-bench)"
# shellcheck source=callgrind_lib.sh
. tests/bench/callgrind_lib.sh
year=$(date -u +%Y)
measure "statistics, a year" "/stats?period=$year"
[ -n "${KESU_CG_YEAR_ONLY:-}" ] || measure "statistics, a quarter" "/stats?period=$year-Q$(( ($(date -u +%-m) + 2) / 3 ))"
[ -n "${KESU_CG_YEAR_ONLY:-}" ] || measure "statistics, a month" "/stats?period=$year-$(date -u +%m)"
measure "baseline: /work" "/work"
