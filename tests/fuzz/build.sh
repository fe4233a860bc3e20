#!/usr/bin/env bash
# tests/fuzz/build.sh [OUT_DIR] — build the libFuzzer harnesses (clang, ASan + UBSan): Kesu's
# modules (all of fcgi/ but the two main()s) with -fsanitize=fuzzer-no-link, then one binary per
# tests/fuzz/fuzz_*.c. OUT_DIR defaults to _build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-_build/fuzz}
mkdir -p "$out/obj"
cc=${KESU_FUZZ_CC:-clang}
pkgs="json-c libmariadb fcgi libcrypto nettle xlsxwriter"
# shellcheck disable=SC2086
cflags="-std=gnu11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -I fcgi -DKESU_DATADIR=\"/nonexistent\" \
-DKESU_SYSCONFDIR=\"/nonexistent\" $(pkg-config --cflags $pkgs)"
# shellcheck disable=SC2086
libs="$(pkg-config --libs $pkgs) -lldap -llber"
export cc cflags out
ls fcgi/*.c | grep -v -e '^fcgi/main\.c$' -e '^fcgi/admin\.c$' -e '^fcgi/admin_seed\.c$' |
	xargs -P "$(nproc 2>/dev/null || echo 2)" -I{} sh -c \
	'o="$out/obj/$(basename {} .c).o"; [ "$o" -nt {} ] || $cc $cflags -fsanitize=fuzzer-no-link -c {} -o "$o"'
for h in tests/fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer -I tests/fuzz "$h" "$out"/obj/*.o $libs -o "$out/$name"
done
echo "$out"
