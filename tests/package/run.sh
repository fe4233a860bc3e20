#!/usr/bin/env bash
# tests/package/run.sh — the Debian package, built once from the tree and checked without
# installing it on this machine (`bin/test package` runs it; so does the full `bin/test`).
#
#   tests/package/run.sh [WORK_DIR]     (default: _build/package, emptied first)
#
# Builds with `dpkg-buildpackage -us -uc -b` in a copy of the files git sees (the tree itself is
# never configured in place), then proves: lintian finds no error; the .deb holds the programs,
# every template, catalog, static file and migration of the tree, the units, the nginx files,
# the logrotate entry and /etc/kesu/kesu.conf.example; the programs run from a throwaway root
# extracted with dpkg-deb -x (kesu-fcgi -t loads the installed templates and catalogs through
# the installed example configuration); the units pass `systemd-analyze verify` (skipped with a
# message where it cannot run); the postinst makes the account and directories and never
# touches a database (run with every command it calls replaced by a recorder).
# Prints TAP-like "ok N - ..." / "not ok N - ..." lines and a last line "N passed, N failed".
# DEB_BUILD_OPTIONS defaults to "nocheck" (the unit suite runs the checks) and parallel=nproc;
# KESU_PACKAGE_REUSE=1 checks the .deb the last run built instead of building again.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-$ROOT/_build/package}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
case $WORK in "$ROOT"|/) echo "refusing to use $WORK as the work directory" >&2; exit 2 ;; esac

n=0 passed=0 failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; local l; for l in "$@"; do echo "#   $l"; done; }
skip() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1 # SKIP $2"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
# check NAME CMD...: one test that passes when CMD succeeds; its output is shown when it fails
check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "${out//$'\n'/$'\n'#   }"; fi
}

version=$(sed -n '1s/^kesu (\([^)]*\)).*/\1/p' "$ROOT/debian/changelog")
arch=$(dpkg-architecture -qDEB_HOST_ARCH 2>/dev/null || dpkg --print-architecture)
deb=$WORK/kesu_${version}_${arch}.deb
rm -rf "$WORK/root" "$WORK/postinst" "$WORK/control" "$WORK/units" "$WORK/nginx"
# build_package: copy the tree and build it; one test. Status 1 when the build failed.
build_package() {
	local src=$WORK/kesu-$version t0
	rm -rf "$WORK"/kesu-* "$WORK"/kesu_*
	mkdir -p "$src"
	# What git sees, tracked or not (not the ignored build products): the package is built from
	# the tree as it is, uncommitted edits included. Outside a git checkout (an unpacked release
	# tarball): everything but build products and state.
	if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$ROOT" && git ls-files --cached --others --exclude-standard -z |
			while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
			tar --null -T - -cf -) | (cd "$src" && tar -xpf -)
	else
		(cd "$ROOT" && tar --exclude=./_build --exclude='./.kesu*' -cf - .) | (cd "$src" && tar -xpf -)
	fi
	t0=$(date +%s)
	if (cd "$src" && DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-"nocheck parallel=$(nproc 2>/dev/null || echo 2)"} \
		dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1; then
		ok "dpkg-buildpackage -us -uc -b builds the package ($(( $(date +%s) - t0 )) s)"
	else
		not_ok "dpkg-buildpackage -us -uc -b builds the package" "$(tail -30 "$WORK/build.log")"
		return 1
	fi
}

# ---------------------------------------------------------------------------------------------
# The build
if [ "${KESU_PACKAGE_REUSE:-0}" = 1 ] && [ -f "$deb" ]; then
	skip "dpkg-buildpackage -us -uc -b builds the package" "KESU_PACKAGE_REUSE=1: the last build's $(basename "$deb") is checked"
else
	build_package || finish
fi
[ -f "$deb" ] || { not_ok "the build left $deb" "$(ls "$WORK")"; finish; }

# ---------------------------------------------------------------------------------------------
# lintian: no error (warnings are listed, not fatal)
if ! command -v lintian >/dev/null; then
	not_ok "lintian finds no error in the package" "lintian is not installed (bin/lib/stack.sh KESU_PACKAGES)"
else
	lintian --fail-on error --tag-display-limit 0 "$deb" "$WORK"/kesu_"${version}"_"${arch}".changes >"$WORK/lintian.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "lintian finds no error in the package ($(grep -c '^W:' "$WORK/lintian.log") warnings, in $(basename "$WORK")/lintian.log)"
	else
		not_ok "lintian finds no error in the package" "$(grep -E '^E:' "$WORK/lintian.log" || tail -20 "$WORK/lintian.log")"
	fi
fi

# ---------------------------------------------------------------------------------------------
# What the .deb holds
dpkg-deb -c "$deb" | awk '{ p = $6; sub(/^\./, "", p); print p }' >"$WORK/contents"
has() { grep -qxF "$1" "$WORK/contents"; }
# contains NAME PATH...: one test, every PATH in the package
contains() {
	local name=$1 p missing=(); shift
	for p in "$@"; do has "$p" || missing+=("$p"); done
	if [ ${#missing[@]} -eq 0 ]; then ok "the package holds $name"; else not_ok "the package holds $name" "missing: ${missing[*]}"; fi
}
# contains_tree NAME SRC_GLOB DEST_DIR: every file of the tree matching SRC_GLOB, under DEST_DIR
contains_tree() {
	local name=$1 dest=$3 f want=()
	for f in $ROOT/$2; do want+=("$dest/$(basename "$f")"); done
	contains "$name (${#want[@]} files)" "${want[@]}"
}
contains "the programs" /usr/bin/kesu-fcgi /usr/bin/kesu-admin
contains_tree "every template" 'templates/*.mustache' /usr/share/kesu/templates
contains_tree "both message catalogs" 'po/*.po' /usr/share/kesu/po
contains_tree "every static file" 'static/*' /usr/share/kesu/static
contains_tree "every migration" 'sql/*.sql' /usr/share/kesu/sql
contains "the systemd units" /lib/systemd/system/kesu-fcgi.service /lib/systemd/system/kesu-sweep.service \
	/lib/systemd/system/kesu-sweep.timer
contains "the nginx snippet and site" /etc/nginx/snippets/kesu.conf /etc/nginx/sites-available/kesu
contains "the logrotate entry and the example configuration" /etc/logrotate.d/kesu /etc/kesu/kesu.conf.example
contains "the documentation and manual pages" /usr/share/doc/kesu/README.md /usr/share/doc/kesu/scale-out.md \
	/usr/share/man/man8/kesu-fcgi.8.gz /usr/share/man/man8/kesu-admin.8.gz
if grep -q '^/usr/local' "$WORK/contents"; then
	not_ok "nothing is installed under /usr/local" "$(grep '^/usr/local' "$WORK/contents" | head)"
else
	ok "nothing is installed under /usr/local"
fi
dpkg-deb -f "$deb" Depends >"$WORK/depends"
check "the package depends on the shared libraries it links (shlibs)" grep -q 'libfcgi' "$WORK/depends"
dpkg-deb -e "$deb" "$WORK/control"
# Every file under /etc is a conffile: an administrator's edits survive upgrades.
etc_files=$(grep -E '^/etc/.*[^/]$' "$WORK/contents")
not_conf=$(grep -vxF -f "$WORK/control/conffiles" <<<"$etc_files")
if [ -n "$etc_files" ] && [ -z "$not_conf" ]; then
	ok "every file under /etc is a conffile ($(wc -l <<<"$etc_files") files)"
else
	not_ok "every file under /etc is a conffile" "not conffiles: $not_conf"
fi

# ---------------------------------------------------------------------------------------------
# Installed in a throwaway root: the programs run and find what they need
R=$WORK/root
dpkg-deb -x "$deb" "$R"
out=$("$R/usr/bin/kesu-admin" --help 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q 'migrate' <<<"$out" && grep -q '/etc/kesu/kesu.conf' <<<"$out"; then
	ok "the installed kesu-admin --help runs and reads /etc/kesu/kesu.conf by default"
else
	not_ok "the installed kesu-admin --help runs and reads /etc/kesu/kesu.conf by default" "status $rc" "$out"
fi
ex=$R/etc/kesu/kesu.conf.example
if grep -q '/usr/local' "$ex"; then
	not_ok "the installed example configuration names the installed paths" "$(grep -n '/usr/local' "$ex")"
else
	ok "the installed example configuration names the installed paths"
fi
# The example, with its paths moved into the throwaway root: kesu-fcgi -t loads the installed
# templates and catalogs through it (and through the compiled-in default when paths.* is unset).
sed "s|/usr/share/kesu|$R/usr/share/kesu|g" "$ex" >"$WORK/kesu.conf"
out=$("$R/usr/bin/kesu-fcgi" -c "$WORK/kesu.conf" -t 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q 'templates and catalogs are fine' <<<"$out"; then
	ok "the installed kesu-fcgi -t loads the installed templates and catalogs"
else
	not_ok "the installed kesu-fcgi -t loads the installed templates and catalogs" "status $rc" "$out"
fi
out=$(grep -E '^paths\.(templates|po|sql)' "$ex")
if [ "$(grep -c "/usr/share/kesu/" <<<"$out")" -eq 3 ]; then
	ok "the example's paths.templates, paths.po and paths.sql are where the package put them"
else
	not_ok "the example's paths.templates, paths.po and paths.sql are where the package put them" "$out"
fi
# Every ExecStart and alias in the units and the nginx files points at something the package has.
refs=$(grep -hoE '(/usr/bin/kesu-[a-z]+|/usr/share/kesu/[a-z]+/?)' "$R"/lib/systemd/system/kesu-* "$R"/etc/nginx/snippets/kesu.conf | sort -u)
missing=()
for p in $refs; do [ -e "$R$p" ] || missing+=("$p"); done
if [ -n "$refs" ] && [ ${#missing[@]} -eq 0 ]; then
	ok "the units and the nginx snippet name installed programs and directories ($(wc -w <<<"$refs") paths)"
else
	not_ok "the units and the nginx snippet name installed programs and directories" "missing: ${missing[*]}" "refs: $refs"
fi

# nginx -t: the installed site with the installed snippet, in a private prefix (nothing of the
# machine's nginx configuration is read but mime.types and fastcgi_params, nothing is bound).
if ! command -v nginx >/dev/null; then
	skip "nginx -t accepts the installed site and snippet" "nginx is not installed"
else
	N=$WORK/nginx
	rm -rf "$N"; mkdir -p "$N/conf/snippets" "$N/logs"
	cp "$R/etc/nginx/snippets/kesu.conf" "$N/conf/snippets/kesu.conf"
	cp /etc/nginx/fastcgi_params /etc/nginx/mime.types "$N/conf/"
	printf 'error_log %s/logs/error.log;\npid %s/logs/nginx.pid;\nevents {}\nhttp {\n\tinclude mime.types;\n\tinclude %s;\n}\n' \
		"$N" "$N" "$R/etc/nginx/sites-available/kesu" >"$N/conf/nginx.conf"
	check "nginx -t accepts the installed site and snippet" nginx -q -p "$N/" -c "$N/conf/nginx.conf" -t
fi

# ---------------------------------------------------------------------------------------------
# systemd-analyze verify, against the throwaway root (never the machine's own units)
if ! command -v systemd-analyze >/dev/null; then
	skip "the units pass systemd-analyze verify" "systemd-analyze is not installed"
else
	# Units that name the throwaway root's programs, so that verify can check ExecStart.
	U=$WORK/units
	rm -rf "$U"; mkdir -p "$U"
	for f in "$R"/lib/systemd/system/kesu-*; do
		sed "s|/usr/bin/kesu-|$R/usr/bin/kesu-|g" "$f" >"$U/$(basename "$f")"
	done
	out=$(cd "$U" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./kesu-fcgi.service ./kesu-sweep.service ./kesu-sweep.timer 2>&1)
	rc=$?
	# Without a running systemd, verify still parses every unit; what it cannot know about the
	# machine (the kesu account does not exist here) is not the units' fault.
	problems=$(grep -vE "kesu.*(user|User|group|Group)|Failed to (connect to|initialize) (bus|manager)|Unknown user" <<<"$out" | grep -v '^$')
	if [ $rc -eq 0 ] && [ -z "$problems" ]; then
		ok "the units pass systemd-analyze verify"
	elif grep -qE 'Failed to (connect|initialize)|System has not been booted with systemd' <<<"$out" && [ -z "$(grep -E '\.(service|timer):[0-9]+:|Unknown (key|section)|Invalid|Failed to parse' <<<"$out")" ]; then
		skip "the units pass systemd-analyze verify" "systemd-analyze cannot run here: $(head -1 <<<"$out")"
	else
		not_ok "the units pass systemd-analyze verify" "status $rc" "$out"
	fi
fi

# ---------------------------------------------------------------------------------------------
# The postinst, run with every command it may call replaced by a recorder: the machine is not
# changed, and what it would have done is in the record.
P=$WORK/postinst
mkdir -p "$P/bin"
check "the postinst and postrm are valid sh" sh -c 'sh -n "$1" && sh -n "$2"' _ "$WORK/control/postinst" "$WORK/control/postrm"
for c in adduser addgroup useradd groupadd usermod getent install mkdir chown chgrp chmod rm ln mv cp \
	dpkg-statoverride dpkg-maintscript-helper deb-systemd-helper deb-systemd-invoke systemctl \
	invoke-rc.d systemd-tmpfiles mysql mariadb mysqladmin kesu-admin kesu-fcgi sed grep cat; do
	# As on a fresh machine: getent knows no kesu account, dpkg-statoverride has no override,
	# deb-systemd-helper has never installed the units.
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\ncase "%s $1" in\n"getent "*|"dpkg-statoverride "*|"deb-systemd-helper debian-installed") exit 1 ;;\nesac\nexit 0\n' \
		"$c" "$P" "$c" >"$P/bin/$c"
	chmod +x "$P/bin/$c"
done
: >"$P/calls"
out=$(PATH=$P/bin DPKG_MAINTSCRIPT_PACKAGE=kesu DPKG_MAINTSCRIPT_NAME=postinst /bin/sh "$WORK/control/postinst" configure 2>&1); rc=$?
calls=$(cat "$P/calls")
if [ $rc -eq 0 ] && grep -qE '^adduser .*--system.* kesu$' <<<"$calls" &&
	grep -qE '^install -d -o kesu -g kesu -m 0750 /var/lib/kesu/attachments$' <<<"$calls" &&
	grep -qE '^install -d -o kesu -g kesu -m 0750 /var/lib/kesu/pdf$' <<<"$calls" &&
	grep -qE '^install -d -o kesu -g kesu -m 0750 /var/log/kesu$' <<<"$calls" &&
	grep -qE '^install -d -o root -g kesu -m 0750 /etc/kesu$' <<<"$calls"; then
	ok "the postinst creates the kesu system account and its directories"
else
	not_ok "the postinst creates the kesu system account and its directories" "status $rc" "$out" "calls: $calls"
fi
if grep -qE '^(mysql|mariadb|mysqladmin|kesu-admin|kesu-fcgi) ' <<<"$calls" ||
	grep -v '^[[:space:]]*#' "$WORK/control/postinst" |
	grep -qE '(^|[;&|(`[:space:]])(mysql|mariadb|mysqladmin|kesu-admin|kesu-fcgi)([;&|)[:space:]]|$)'; then
	not_ok "the postinst never touches a database" "$calls"
else
	ok "the postinst never touches a database"
fi
# (deb-systemd-invoke starts enabled units only, so none starts before it is configured.)
if grep -qE '^(deb-systemd-helper|systemctl) .*enable ' <<<"$calls"; then
	not_ok "a fresh install enables no unit" "$calls"
else
	ok "a fresh install enables no unit"
fi

finish
