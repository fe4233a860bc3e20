#!/usr/bin/env bash
# tests/bench/page_identity.sh BASE_BUILD NEW_BUILD — whether two builds answer the complaint
# page byte for byte the same (issue 10, pagerender): HTML and its JSON twin, in Chinese and
# English, for several readers (supervisor, agent, department heads, quality engineer, QA
# director, GM, finance, auditor) and complaints of the state directory KESU_BENCH_STATE
# (default .kesu-bench; a state kept by `KESU_KEEP_STATE=1 bin/test integration` holds
# complaints with reports, plans, signatures, 8Ds, penalties, attachments, inquiries).
# KESU_IDENT_N: how many complaints, newest first (40). The pages are read with the base build,
# the new one, then the base again: a page whose two base answers differ (an SLA clock moved a
# minute in between) is not compared; the pages are read four complaints at a time.
# KESU_IDENT_KEEP=DIR keeps the pages. Prints the count of pages compared and each page that differs; exits 1 when one does.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../bin/lib/stack.sh
. bin/lib/stack.sh

[ $# -eq 2 ] || kesu_die "usage: $0 BASE_BUILD NEW_BUILD"
bin_of() { local d; d=$(cd "$1" && pwd); [ -x "$d/kesu-fcgi" ] || d=$d/obj; [ -x "$d/kesu-fcgi" ] || kesu_die "no kesu-fcgi in $1"; echo "$d"; }
BASE=$(bin_of "$1") NEW=$(bin_of "$2")
STATE=${KESU_BENCH_STATE:-.kesu-bench}
[ -d "$STATE" ] || kesu_die "no $STATE"
out=$(mktemp -d)
export KESU_WORKERS=2 KESU_NGINX_ACCESS_LOG=0 KESU_LOG_LEVEL=warn KESU_BUILD=$BASE
stack_init "$STATE"
trap 'stack_stop; [ -n "${KESU_IDENT_KEEP:-}" ] && cp -r "$out" "$KESU_IDENT_KEEP"; rm -rf "$out"' EXIT
stack_start_services
stack_write_conf
stack_fcgi_start
stack_nginx_start
URL=$KESU_BASE_URL

readers=(supervisor agent agent2 head.production head.quality engineer qa.director gm finance auditor)
declare -A sess
for u in "${readers[@]}"; do sess[$u]=$(stack_sign_in "$u"); done
mapfile -t numbers < <(stack_sql -N -e "SELECT number FROM kesu.complaint ORDER BY id DESC LIMIT ${KESU_IDENT_N:-40}")

# capture DIR NUMBER...: the pages of those complaints for every reader into DIR
capture() {
	local dir=$1 u n lang
	shift
	mkdir -p "$dir"
	for u in "${readers[@]}"; do
		for n in "$@"; do
			for lang in zh en; do
				curl -s -H "Cookie: kesu_session=${sess[$u]}; kesu_lang=$lang" \
					-o "$dir/$u.$n.$lang.html" -w '%{http_code}\n' "$URL/complaints/$n" >>"$dir/codes"
				curl -s -H "Cookie: kesu_session=${sess[$u]}; kesu_lang=$lang" -H 'Accept: application/json' \
					-o "$dir/$u.$n.$lang.json" "$URL/complaints/$n"
			done
		done
	done
}
# with BUILD: the fcgi master of BUILD serves
with() { stack_fcgi_stop; KESU_BUILD=$1; stack_fcgi_start >/dev/null; sleep 1; }

# A few complaints at a time, so that a clock rarely moves between the three reads.
for ((i = 0; i < ${#numbers[@]}; i += 4)); do
	chunk=("${numbers[@]:i:4}")
	capture "$out/a1" "${chunk[@]}"
	with "$NEW"; capture "$out/b" "${chunk[@]}"
	with "$BASE"; capture "$out/a2" "${chunk[@]}"
done
pages=0 differ=0 moved=0
for f in "$out"/a1/*.html "$out"/a1/*.json; do
	name=${f##*/}
	pages=$((pages + 1))
	if ! cmp -s "$f" "$out/a2/$name"; then moved=$((moved + 1)); continue; fi
	if ! cmp -s "$f" "$out/b/$name"; then
		differ=$((differ + 1))
		echo "DIFFERS: $name"
		diff <(tr '>' '\n' <"$f") <(tr '>' '\n' <"$out/b/$name") | head -10 || true
	fi
done
echo "HTTP codes (base): $(sort "$out/a1/codes" | uniq -c | tr '\n' ' ')"
echo "$pages pages (${#readers[@]} readers x ${#numbers[@]} complaints x zh/en x HTML/JSON): $differ differ, $moved not compared (the base's two answers differed: a clock moved)"
[ "$differ" -eq 0 ]
