#!/bin/bash
# db_check.sh: the DB layer against a throwaway private MariaDB — migrations and grants,
# concurrent audit writers, a transaction whose connection is killed, a server restart,
# and a tampered audit row. Self-contained: starts its own mariadbd and removes it on exit.
#
#   tests/integration/db_check.sh
#
# KESU_BUILD  the build directory holding kesu-admin and libkesu.a (default: the source tree)
# CC          the compiler for tests/integration/db_driver.c (default cc); when libkesu.a was
#             built with sanitizers the driver is too
# Prints "ok N - ..." / "not ok N - ..." and exits non-zero when any check failed.
# shellcheck disable=SC2016  # backquotes in patterns and SQL are MariaDB's identifier quotes
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${KESU_BUILD:-$top}
admin=$build/kesu-admin
lib=$build/libkesu.a
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kesu-dbcheck.XXXXXX")
dbpid=
drvpid=
n=0
failed=0

cleanup() {
	[ -n "$drvpid" ] && kill "$drvpid" 2>/dev/null
	if [ -n "$dbpid" ] && kill -0 "$dbpid" 2>/dev/null; then
		kill "$dbpid" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$dbpid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$dbpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "db_check: $*" >&2; exit 2; }
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else notok "$d"; fi; }

[ -x "$admin" ] || die "no $admin: build first (make kesu-admin libkesu.a)"
[ -f "$lib" ] || die "no $lib: build first"
for t in mariadb-install-db mariadbd mariadb mariadb-admin pkg-config; do
	command -v "$t" >/dev/null || die "$t is not installed"
done

# --- the driver, built against the same library as kesu-admin --------------------------------
san=()
if nm -A "$lib" 2>/dev/null | grep __asan_init >/dev/null; then  # no -q: pipefail + SIGPIPE
	# shellcheck disable=SC2054  # one flag: address,undefined
	san=(-fsanitize=address,undefined -fno-omit-frame-pointer)
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
fi
# shellcheck disable=SC2046  # pkg-config's flags are meant to be split
${CC:-cc} -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -g "${san[@]}" -I"$top/fcgi" \
	$(pkg-config --cflags libmariadb json-c libcrypto nettle) \
	-o "$tmp/db_driver" "$top/tests/integration/db_driver.c" "$lib" \
	$(pkg-config --libs libmariadb json-c libcrypto nettle) || die "cannot build db_driver"
driver=$tmp/db_driver

# --- a private MariaDB -------------------------------------------------------------------------
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		[ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return; }
	done
	die "no free port"
}
port=$(free_port)
asroot=()
[ "$(id -u)" = 0 ] && asroot=(--user=root)
sock=$tmp/mysqld.sock
mkdir -p "$tmp/data"
mariadb-install-db --no-defaults --datadir="$tmp/data" --auth-root-authentication-method=normal \
	--skip-test-db "${asroot[@]}" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; die "mariadb-install-db failed"; }

start_db() {
	mariadbd --no-defaults --datadir="$tmp/data" --socket="$sock" --port="$port" \
		--bind-address=127.0.0.1 --skip-name-resolve --pid-file="$tmp/mysqld.pid" \
		--log-error="$tmp/mysqld.err" --innodb-buffer-pool-size=32M \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		"${asroot[@]}" >/dev/null 2>&1 &
	dbpid=$!
	for _ in $(seq 150); do
		mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1 && return 0
		kill -0 "$dbpid" 2>/dev/null || break
		sleep 0.1
	done
	tail -20 "$tmp/mysqld.err" >&2
	die "mariadbd did not start"
}
stop_db() {
	kill "$dbpid" 2>/dev/null
	for _ in $(seq 300); do kill -0 "$dbpid" 2>/dev/null || break; sleep 0.1; done
}
root() { mariadb --no-defaults --socket="$sock" -uroot --batch --skip-column-names "$@"; }
start_db

printf 'owner-pw-%s\n' "$RANDOM$RANDOM" >"$tmp/owner.pw"
# The workers' password has characters that need escaping in SQL text.
printf "app'pw\\\\\"%s\n" "$RANDOM" >"$tmp/app.pw"
chmod 600 "$tmp"/*.pw
root -e "CREATE USER kesu_owner@'127.0.0.1' IDENTIFIED BY '$(cat "$tmp/owner.pw")';
	GRANT ALL PRIVILEGES ON kesu.* TO kesu_owner@'127.0.0.1' WITH GRANT OPTION;
	GRANT CREATE USER ON *.* TO kesu_owner@'127.0.0.1';
	GRANT INSERT ON mysql.plugin TO kesu_owner@'127.0.0.1';" || die "cannot create kesu_owner"

conf=$tmp/kesu.conf
cat >"$conf" <<EOF
paths.sql = $top/sql
db.host = 127.0.0.1
db.port = $port
db.name = kesu
db.user = kesu_app
db.password_file = $tmp/app.pw
db.admin_user = kesu_owner
db.admin_password_file = $tmp/owner.pw
db.app_host = 127.0.0.1
db.connect_timeout = 3
db.read_timeout = 10
db.write_timeout = 10
EOF
# The workers' account for the mariadb client (its password is not on the command line).
printf '[client]\nuser=kesu_app\nhost=127.0.0.1\nport=%s\ndatabase=kesu\n' "$port" >"$tmp/app.cnf"
printf 'password="%s"\n' "$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' "$tmp/app.pw")" >>"$tmp/app.cnf"
app_sql() { mariadb --defaults-file="$tmp/app.cnf" --batch --skip-column-names -e "$1" 2>&1; }

# --- migrations and grants -------------------------------------------------------------------
out=$("$admin" -c "$conf" migrate 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q '^applied 001_foundation' <<<"$out"; then
	ok "migrate applies 001_foundation"
else
	notok "migrate applies 001_foundation" "rc=$rc" "$out"
fi
out=$("$admin" -c "$conf" migrate 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q '0 applied now' <<<"$out" && ! grep -q '^applied' <<<"$out"; then
	ok "migrate again applies nothing and succeeds"
else
	notok "migrate again applies nothing and succeeds" "rc=$rc" "$out"
fi
check "schema_migration records 001_foundation once" \
	test "$(root -e "SELECT COUNT(*) FROM kesu.schema_migration WHERE version = '001_foundation'")" = 1

grants=$(root -e "SHOW GRANTS FOR kesu_app@'127.0.0.1'")
if grep -q 'GRANT SELECT, INSERT ON `kesu`.`audit_event`' <<<"$grants" &&
   grep -q 'GRANT SELECT, INSERT, UPDATE, DELETE ON `kesu`.`complaint`' <<<"$grants" &&
   ! grep -q 'ON `kesu`\.\*' <<<"$grants"; then
	ok "kesu_app: SELECT, INSERT on audit_event, read-write elsewhere, nothing schema-wide"
else
	notok "kesu_app grants" "$grants"
fi
# A grant given by hand earlier is taken away by the next migrate.
root -e "GRANT UPDATE, DELETE ON kesu.audit_event TO kesu_app@'127.0.0.1';
	GRANT ALL ON kesu.* TO kesu_app@'127.0.0.1'"
"$admin" -c "$conf" migrate >/dev/null 2>&1
grants=$(root -e "SHOW GRANTS FOR kesu_app@'127.0.0.1'")
if grep -q 'GRANT SELECT, INSERT ON `kesu`.`audit_event`' <<<"$grants" && ! grep -q 'ON `kesu`\.\*' <<<"$grants"; then
	ok "migrate revokes UPDATE, DELETE on audit_event and schema-wide rights granted by hand"
else
	notok "migrate revokes earlier grants" "$grants"
fi


# --- concurrent writers keep one chain ---------------------------------------------------------
out=$("$driver" "$conf" concurrent 4 50 2>"$tmp/driver.log"); rc=$?
if [ $rc -eq 0 ]; then ok "4 processes x 50 transactions of 2 audit events: all committed ($out)"
else notok "concurrent audit writers" "rc=$rc" "$out" "$(tail -5 "$tmp/driver.log")"; fi
stats=$(root -e "SELECT CONCAT_WS(' ', COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT prev_hash))
	FROM kesu.audit_event")
check "400 events, seq 1..400, 400 distinct prev hashes ($stats)" test "$stats" = "400 1 400 400"
out=$("$admin" -c "$conf" audit verify 2>&1); rc=$?
check "audit verify: $out" test $rc -eq 0 -a "$out" = "audit chain intact: 400 events"
stored=$(root -e "SELECT after_json FROM kesu.audit_event WHERE seq = 1")
check "after_json stored as json-c wrote it: / unescaped, UTF-8 kept ($stored)" \
	grep -q '"path":"a/b","text":"投诉: 外壳, 裂纹"}$' <<<"$stored"
check "half the events' JSON is longer than a 256-byte fetch cell" \
	test "$(root -e "SELECT COUNT(*) FROM kesu.audit_event WHERE LENGTH(after_json) > 256")" = 100
check "at is UTC with microseconds" \
	grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}$' \
	<<<"$(root -e "SELECT at FROM kesu.audit_event WHERE seq = 400")"

# --- a transaction whose connection is killed is retried once, never half-written ----------------
# killtx WHERE: the driver pauses inside its transaction, root kills its connection, the driver
# goes on. Sets res to the driver's last line.
killtx() {
	local where=$1 line id
	res=
	coproc DRV { exec "$driver" "$conf" killtx "$where" 2>>"$tmp/driver.log"; }
	drvpid=$DRV_PID
	read -r -t 20 line <&"${DRV[0]}"
	[ "$line" = paused ] || { res="driver said: $line"; return; }
	id=$(root -e "SELECT id FROM information_schema.processlist WHERE user = 'kesu_app'")
	[ -n "$id" ] || { res="no kesu_app connection"; return; }
	# Part of the transaction is written but nothing is committed.
	[ "$(root -e "SELECT COUNT(*) FROM kesu.audit_event WHERE entity = 'killtest' AND entity_id = '$where'")" = 0 ] ||
		{ res="uncommitted rows visible"; return; }
	root -e "KILL CONNECTION $id"
	for _ in $(seq 50); do
		[ -z "$(root -e "SELECT id FROM information_schema.processlist WHERE id = $id")" ] && break
		sleep 0.1
	done
	echo go >&"${DRV[1]}"
	read -r -t 20 res <&"${DRV[0]}"
	wait "$drvpid"
	drvpid=
}
for where in mid end; do
	case $where in
	mid) what="between two statements" ;;
	end) what="after the last statement, before COMMIT" ;;
	esac
	killtx $where
	rows=$(root -e "SELECT GROUP_CONCAT(action ORDER BY seq) FROM kesu.audit_event
		WHERE entity = 'killtest' AND entity_id = '$where'")
	if [ "$res" = "attempts=2 rc=0" ] && [ "$rows" = "first,second" ]; then
		ok "connection killed $what: retried once, stored exactly once ($res; $rows)"
	else
		notok "connection killed $what" "driver: $res" "stored: $rows" "$(tail -5 "$tmp/driver.log")"
	fi
done
# A lock held too long: 1205 after innodb_lock_wait_timeout (read_timeout - 2 = 2 s here), then
# the transaction runs once more and gets the lock (root lets go after 3 s).
sed 's/^db.read_timeout.*/db.read_timeout = 4/' "$conf" >"$tmp/short.conf"
root -e "START TRANSACTION; SELECT last_seq FROM kesu.audit_head WHERE id = 1 FOR UPDATE;
	SELECT SLEEP(3); COMMIT" >/dev/null &
holder=$!
sleep 0.5
res=$("$driver" "$tmp/short.conf" killtx none 2>>"$tmp/driver.log")
wait $holder
rows=$(root -e "SELECT GROUP_CONCAT(action ORDER BY seq) FROM kesu.audit_event
	WHERE entity = 'killtest' AND entity_id = 'none'")
if [ "$res" = "attempts=2 rc=0" ] && [ "$rows" = "first,second" ]; then
	ok "lock wait timeout (1205): retried once, stored exactly once ($res; $rows)"
else
	notok "lock wait timeout (1205)" "driver: $res" "stored: $rows" "$(tail -5 "$tmp/driver.log")"
fi
out=$("$admin" -c "$conf" audit verify 2>&1); rc=$?
check "audit verify after the kills and the lock timeout: $out" test $rc -eq 0 -a "$out" = "audit chain intact: 406 events"

# --- the server restarts while a worker is idle: its next statement succeeds ------------------------
coproc DRV { exec "$driver" "$conf" idle 2>>"$tmp/driver.log"; }
drvpid=$DRV_PID
read -r -t 20 line <&"${DRV[0]}"
stop_db
start_db
echo go >&"${DRV[1]}"
read -r -t 30 res <&"${DRV[0]}"
wait "$drvpid"; drvpid=
check "MariaDB restarted while a worker idled: its next request (db_ensure, statement) succeeds ($res)" test "$res" = "after: rc=0"

# --- the workers' account cannot rewrite history ------------------------------------------------------
out=$(app_sql "UPDATE audit_event SET action = 'x' WHERE seq = 1")
check "kesu_app UPDATE audit_event fails with 1142" grep -q 'ERROR 1142' <<<"$out"
out=$(app_sql "DELETE FROM audit_event WHERE seq = 1")
check "kesu_app DELETE FROM audit_event fails with 1142" grep -q 'ERROR 1142' <<<"$out"
out=$(app_sql "SELECT COUNT(*) FROM audit_event")
check "kesu_app may read audit_event ($out)" test "$out" = 406

# --- tampering is found and named ----------------------------------------------------------------------
orig=$(root -e "SELECT HEX(after_json) FROM kesu.audit_event WHERE seq = 77")
root -e "UPDATE kesu.audit_event SET after_json = REPLACE(after_json, 'a/b', 'a/c') WHERE seq = 77"
out=$("$admin" -c "$conf" audit verify 2>&1); rc=$?
check "after_json of seq 77 edited: verify exits 1 naming it ($out)" \
	test $rc -eq 1 -a "${out#audit chain broken at seq 77: }" != "$out"
root -e "UPDATE kesu.audit_event SET after_json = UNHEX('$orig') WHERE seq = 77"
out=$("$admin" -c "$conf" audit verify 2>&1); rc=$?
check "restored: intact again" test $rc -eq 0
root -e "DELETE FROM kesu.audit_event WHERE seq = 406"
out=$("$admin" -c "$conf" audit verify 2>&1); rc=$?
check "last event deleted: verify exits 1 naming seq 406 ($out)" \
	test $rc -eq 1 -a "${out#audit chain broken at seq 406: }" != "$out"
root -e "DELETE FROM kesu.audit_event WHERE seq = 200"
out=$("$admin" -c "$conf" audit verify 2>&1); rc=$?
check "an event in the middle deleted: verify names seq 200 ($out)" \
	test $rc -eq 1 -a "${out#audit chain broken at seq 200: }" != "$out"

# --- the migration splitter: ';' inside strings and comments, comments with quotes ----------------
mkdir -p "$tmp/sql"
cp "$top"/sql/*.sql "$tmp/sql/"
cat >"$tmp/sql/999_split_check.sql" <<'EOF'
-- A comment with a quote ' and a semicolon; at its end;
CREATE TABLE IF NOT EXISTS split_check (
	id   INT NOT NULL PRIMARY KEY,   -- a trailing comment; with a semicolon
	note VARCHAR(64) NOT NULL        # and one with a quote '
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO split_check VALUES (1, 'a;b -- not a comment'), (2, 'it''s; "x"'),
	(3, 'back\\slash\';');  -- a comment after the end
/* a block; comment */ INSERT INTO split_check VALUES (4, '多行
文本;');
EOF
sed "s|^paths.sql.*|paths.sql = $tmp/sql|" "$conf" >"$tmp/split.conf"
out=$("$admin" -c "$tmp/split.conf" migrate 2>&1); rc=$?
got=$(root --raw -e "SELECT GROUP_CONCAT(CONCAT(id, '=', note) ORDER BY id SEPARATOR '|') FROM kesu.split_check")
want=$(printf '%s\n%s' "1=a;b -- not a comment|2=it's; \"x\"|3=back\\slash';|4=多行" "文本;")
if [ $rc -eq 0 ] && grep -q '^applied 999_split_check (3 statements)' <<<"$out" && [ "$got" = "$want" ]; then
	ok "a migration is split at ';' line ends only: 3 statements, strings and comments intact"
else
	notok "migration splitter" "rc=$rc" "$out" "got:  $got" "want: $want"
fi

# --- a worker's memory ---------------------------------------------------------------------------------
out=$("$driver" "$conf" rss 2>>"$tmp/driver.log")
echo "# worker-like process after connecting and preparing every statement: $out"

if [ -s "$tmp/driver.log" ] && grep -q 'ERROR: AddressSanitizer\|runtime error' "$tmp/driver.log"; then
	notok "no sanitizer reports from the driver" "$(grep -m3 'AddressSanitizer\|runtime error' "$tmp/driver.log")"
fi
echo "# $n checks, $failed failed"
[ $failed -eq 0 ]
