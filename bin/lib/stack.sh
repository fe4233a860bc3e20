# shellcheck shell=bash
# bin/lib/stack.sh — Kesu's private stack: MariaDB, slapd, an SMTP catcher, kesu-fcgi and nginx on 127.0.0.1,
# all state under one directory. Sourced by bin/demo and bin/test; the integration tests run
# it as a command to stop and restart single services:
#
#   bash bin/lib/stack.sh STATE_DIR start-slapd|stop-slapd|start-mariadb|stop-mariadb|
#                                   start-fcgi|stop-fcgi|start-nginx|stop-nginx|start-sweep|
#                                   stop-sweep|start-smtp|stop-smtp|stop|status|sql
#
# Layout of STATE_DIR (created by stack_init):
#   stack.env          ports and paths of this stack (KEY=value, sourced by these functions)
#   kesu.conf          the configuration kesu-fcgi and kesu-admin run with
#   secrets/           one password per file, mode 0600, no trailing newline
#   mysql/             datadir, root.cnf (client options file for the MariaDB root account)
#   ldap/              slapd.conf, the hashed demo LDIF, the mdb database
#   mail/              the Maildir where the SMTP catcher (aiosmtpd) keeps every mail it receives
#   nginx/             nginx.conf and its temporary directories
#   log/               every service's log
#   pids/              the pid of every process this stack started
#   run/               sockets and the services' own pid files (under /tmp when STATE_DIR's
#                      path is too long for a unix socket)
#
# Functions whose names start with stack_ are the interface; everything else is internal.

KESU_ROOT=${KESU_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# Debian packages the stack, the build and the test suites need.
KESU_PACKAGES=(
	build-essential autoconf automake libtool pkg-config gettext
	libfcgi-dev libmariadb-dev libldap-dev libjson-c-dev check libssl-dev nettle-dev libxlsxwriter-dev python3-openpyxl mariadb-plugin-mroonga
	mariadb-server mariadb-client slapd ldap-utils nginx-light
	python3 curl procps psmisc openssl
	chromium chromium-driver fonts-wqy-microhei fonts-wqy-zenhei fonts-liberation libgl1-mesa-dri
	poppler-utils python3-aiosmtpd clang libclang-rt-14-dev libjs-chart.js
	debhelper dpkg-dev fakeroot lintian
)

kesu_log() { printf 'kesu: %s\n' "$*" >&2; }
kesu_die() { printf 'kesu: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# (a) packages

# stack_install_packages [PACKAGE...] — install the missing ones (default: KESU_PACKAGES).
# As root: apt-get update once, then apt-get install, without letting postinst scripts start
# system services. Not root: print the exact command and exit 1.
stack_install_packages() {
	local want=("$@") missing=() p
	[ ${#want[@]} -gt 0 ] || want=("${KESU_PACKAGES[@]}")
	for p in "${want[@]}"; do
		case $p in
		nginx-light)   # any Debian nginx flavour will do
			command -v nginx >/dev/null 2>&1 && continue ;;
		esac
		if ! dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii'; then
			missing+=("$p")
		fi
	done
	[ ${#missing[@]} -gt 0 ] || return 0

	if [ "$(id -u)" -ne 0 ]; then
		kesu_log "these Debian packages are missing: ${missing[*]}"
		printf '\nInstall them with:\n\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n\n' \
			"${missing[*]}" >&2
		exit 1
	fi

	kesu_log "installing Debian packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# A policy-rc.d that says "no" keeps the postinst scripts of mariadb-server, slapd and
	# nginx from starting system services on the default ports; ours run on their own ports
	# anyway, so this only saves time and surprises. Leave an existing one alone.
	local policy=/usr/sbin/policy-rc.d made_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
	fi
	local rc=0
	if [ -z "${KESU_APT_UPDATED:-}" ]; then
		apt-get update -q >/tmp/kesu-apt-update.log 2>&1 || { cat /tmp/kesu-apt-update.log >&2; rc=1; }
		KESU_APT_UPDATED=1
	fi
	if [ $rc -eq 0 ]; then
		apt-get install -y -q --no-install-recommends \
			-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
			"${missing[@]}" >/tmp/kesu-apt-install.log 2>&1 || { tail -40 /tmp/kesu-apt-install.log >&2; rc=1; }
	fi
	[ $made_policy -eq 1 ] && rm -f "$policy"
	[ $rc -eq 0 ] || kesu_die "apt-get install failed (log: /tmp/kesu-apt-install.log)"
	kesu_log "packages installed"
}

# ---------------------------------------------------------------------------------------------
# (b) build

# stack_build BUILD_DIR [CONFIGURE_ARG...] — autogen (when needed), configure (when the build
# dir has no Makefile or was configured with other arguments), make. Sets KESU_BUILD.
stack_build() {
	local build=$1; shift
	local args="$*" src=$KESU_ROOT
	mkdir -p "$build"
	build=$(cd "$build" && pwd)
	if [ "${KESU_SKIP_BUILD:-0}" = 1 ]; then   # use the binaries already in the build dir
		[ -x "$build/kesu-fcgi" ] || build=$build/obj
		[ -x "$build/kesu-fcgi" ] && [ -x "$build/kesu-admin" ] || kesu_die "KESU_SKIP_BUILD=1 but no kesu-fcgi/kesu-admin in $build"
		KESU_BUILD=$build
		return 0
	fi
	if [ "$build" != "$KESU_ROOT" ] && [ -f "$KESU_ROOT/config.status" ]; then
		# Someone builds in the source tree itself; automake refuses an out-of-tree build
		# of a configured tree, so build from a copy of the sources (what git would see).
		kesu_log "the source tree is configured in place: building from a copy in ${build#"$KESU_ROOT"/}/src"
		_snapshot_sources "$build/src"
		src=$build/src
		build=$build/obj
		mkdir -p "$build"
	fi
	if [ ! -x "$src/configure" ] || [ "$src/configure.ac" -nt "$src/configure" ] ||
		[ "$src/Makefile.am" -nt "$src/Makefile.in" ]; then
		kesu_log "autogen.sh"
		(cd "$src" && ./autogen.sh) >"$build/autogen.log" 2>&1 ||
			{ cat "$build/autogen.log" >&2; kesu_die "autogen.sh failed"; }
	fi
	if [ ! -f "$build/Makefile" ] || [ "$(cat "$build/.kesu-configure-args" 2>/dev/null)" != "$args" ]; then
		kesu_log "configure $args (in ${build#"$KESU_ROOT"/})"
		# shellcheck disable=SC2086
		(cd "$build" && "$src/configure" $args) >"$build/configure.out" 2>&1 ||
			{ tail -30 "$build/configure.out" >&2; kesu_die "configure failed (see $build/config.log)"; }
		printf '%s' "$args" >"$build/.kesu-configure-args"
	fi
	kesu_log "make (in ${build#"$KESU_ROOT"/})"
	make -C "$build" -j"$(nproc 2>/dev/null || echo 2)" >"$build/make.out" 2>&1 ||
		{ grep -E 'error|Error|warning|\*\*\*' "$build/make.out" | head -60 >&2; tail -20 "$build/make.out" >&2
		  kesu_die "make failed (full output: $build/make.out)"; }
	if [ ! -x "$build/kesu-fcgi" ] || [ ! -x "$build/kesu-admin" ]; then
		kesu_die "make did not produce kesu-fcgi and kesu-admin"
	fi
	KESU_BUILD=$build
}

# _snapshot_sources DIR — copy the files git would track (tracked + untracked, not ignored)
# into DIR, keeping modification times so that make rebuilds only what changed; remove files
# that are gone from the tree.
_snapshot_sources() {
	local dst=$1 list
	mkdir -p "$dst"
	list=$(mktemp)
	(cd "$KESU_ROOT" && git ls-files --cached --others --exclude-standard -z) >"$list" ||
		kesu_die "git ls-files failed in $KESU_ROOT"
	(cd "$KESU_ROOT" && tar --null -T "$list" -cf - 2>/dev/null) | (cd "$dst" && tar -xpf -)
	# drop sources that no longer exist (build products stay: they are not in git's view)
	local f
	while IFS= read -r -d '' f; do
		f=${f#./}
		case $f in
		autom4te.cache/*|build-aux/*|m4/*|configure|Makefile.in|aclocal.m4|config.h.in*) continue ;;
		esac
		[ -e "$KESU_ROOT/$f" ] || rm -f "$dst/$f"
	done < <(cd "$dst" && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.mustache' -o -name '*.sql' -o -name '*.po' \) -print0)
	rm -f "$list"
}

# ---------------------------------------------------------------------------------------------
# (c) ports

# stack_free_ports N — N distinct TCP ports on 127.0.0.1 that nobody listens on, below the
# ephemeral range, printed one per line.
stack_free_ports() {
	python3 - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1]); got = []
cands = list(range(20000, 32000)); random.shuffle(cands)
for p in cands:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    got.append(p)
    if len(got) == n:
        break
print("\n".join(map(str, got)))
EOF
}

# stack_port_free PORT — true when nothing listens on 127.0.0.1:PORT
stack_port_free() {
	python3 -c 'import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)' "$1"
}

# ---------------------------------------------------------------------------------------------
# state directory

_secret() {   # _secret FILE — create a random secret once; mode 0600, no newline
	[ -s "$1" ] && return 0
	(umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(24), end="")' >"$1")
}

# stack_init STATE_DIR [HTTP_PORT] — create the layout, the secrets and stack.env with fresh
# free ports for MariaDB and slapd (nginx on HTTP_PORT, or a free one). Reuses what exists.
stack_init() {
	KESU_STATE=$1
	local http_port=${2:-}
	mkdir -p "$KESU_STATE"
	KESU_STATE=$(cd "$KESU_STATE" && pwd)
	mkdir -p "$KESU_STATE"/{secrets,mysql,ldap,nginx/tmp,log,pids}
	chmod 700 "$KESU_STATE/secrets"
	local run=$KESU_STATE/run
	# sun_path holds 107 bytes; keep the longest socket path well below that.
	if [ ${#run} -gt 80 ]; then
		run=/tmp/kesu-run-$(printf '%s' "$KESU_STATE" | md5sum | cut -c1-12)
	fi
	mkdir -p "$run"
	local ports db_port ldap_port smtp_port
	ports=$(stack_free_ports 4)
	db_port=$(sed -n 1p <<<"$ports"); ldap_port=$(sed -n 2p <<<"$ports")
	smtp_port=$(sed -n 4p <<<"$ports")
	[ -n "$http_port" ] || http_port=$(sed -n 3p <<<"$ports")
	cat >"$KESU_STATE/stack.env" <<EOF
KESU_ROOT=$KESU_ROOT
KESU_STATE=$KESU_STATE
KESU_RUN=$run
KESU_HTTP_PORT=$http_port
KESU_DB_PORT=$db_port
KESU_LDAP_PORT=$ldap_port
KESU_SMTP_PORT=$smtp_port
KESU_MAILDIR=$KESU_STATE/mail
KESU_BASE_URL=http://127.0.0.1:$http_port
KESU_CONF=$KESU_STATE/kesu.conf
KESU_DB_SOCKET=$run/mysqld.sock
KESU_DB_ROOT_CNF=$KESU_STATE/mysql/root.cnf
KESU_LDAP_URI=ldap://127.0.0.1:$ldap_port
KESU_LDAP_BASE=dc=kesu,dc=example
KESU_LDAP_SVC_DN=cn=kesu-svc,ou=services,dc=kesu,dc=example
KESU_LDAP_SVC_PASSWORD_FILE=$KESU_STATE/secrets/ldap.password
KESU_FCGI_SOCKET=$run/kesu.sock
KESU_FCGI_PIDFILE=$run/kesu-fcgi.pid
EOF
	[ -z "${KESU_BUILD:-}" ] || echo "KESU_BUILD=$KESU_BUILD" >>"$KESU_STATE/stack.env"
	_secret "$KESU_STATE/secrets/db-root.password"
	_secret "$KESU_STATE/secrets/db-admin.password"
	_secret "$KESU_STATE/secrets/db.password"
	_secret "$KESU_STATE/secrets/ldap.password"
	stack_load "$KESU_STATE"
}

# stack_load STATE_DIR — read stack.env (for the single-service commands)
stack_load() {
	[ -f "$1/stack.env" ] || kesu_die "no stack in $1 (stack.env missing)"
	local line
	while IFS= read -r line; do
		[ -n "$line" ] && export "${line?}"
	done <"$1/stack.env"
}

# ---------------------------------------------------------------------------------------------
# processes

# _spawn NAME LOG CMD... — start CMD in its own session (Ctrl-C in the terminal reaches only
# the script, which then stops everything in order), output to LOG, pid to pids/NAME.
_spawn() {
	local name=$1 log=$2; shift 2
	setsid "$@" </dev/null >>"$log" 2>&1 &
	echo $! >"$KESU_STATE/pids/$name"
}

# _alive PID — the process exists and belongs to this stack (its command line names the
# state directory), so a recycled pid is never signalled.
_alive() {
	local pid=$1
	[ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
	[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
	{ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$KESU_STATE/"
}

_pid_of() { cat "$KESU_STATE/pids/$1" 2>/dev/null || true; }

# stack_running NAME — true when the process started under NAME is alive
stack_running() { _alive "$(_pid_of "$1")"; }

# _stop NAME [SECONDS] [SIGNAL] — signal the process, wait, then SIGKILL.
_stop() {
	local -; set +e   # also called from traps under set -e: never give up half-way
	local name=$1 secs=${2:-15} sig=${3:-TERM} pid i
	pid=$(_pid_of "$name")
	if _alive "$pid"; then
		kill -CONT "$pid" 2>/dev/null || true   # a SIGSTOPped process cannot act on SIGTERM
		kill -"$sig" "$pid" 2>/dev/null || true
		for ((i = 0; i < secs * 10; i++)); do
			_alive "$pid" || break
			sleep 0.1
		done
		if _alive "$pid"; then
			kesu_log "$name (pid $pid) did not stop within ${secs}s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do _alive "$pid" || break; sleep 0.1; done
		fi
	fi
	rm -f "$KESU_STATE/pids/$name"
}

# _wait_for SECONDS NAME CMD... — poll CMD until it succeeds; fail early when NAME died.
_wait_for() {
	local secs=$1 name=$2 i; shift 2
	for ((i = 0; i < secs * 5; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		if [ -n "$name" ] && ! stack_running "$name"; then
			return 1
		fi
		sleep 0.2
	done
	return 1
}

# ---------------------------------------------------------------------------------------------
# (d) MariaDB

_mysql_root() { mariadb --defaults-file="$KESU_DB_ROOT_CNF" "$@"; }

# stack_sql [ARGS...] — the mariadb client as root over the private socket (stdin or -e)
stack_sql() { _mysql_root "$@"; }

# _mroonga_unlock_sql DB — the init file that clears the Groonga locks of DB's Mroonga tables.
# The UDF exists only for the moment of the call: any account may call a UDF, and a Groonga
# command goes round SQL's grants. The same text ships as dist/mariadb/kesu-mroonga-unlock.sql.
_mroonga_unlock_sql() {
	sed "s/@DB@/$1/" "$KESU_ROOT/dist/mariadb/kesu-mroonga-unlock.sql"
}

stack_mariadb_start() {
	local dir=$KESU_STATE/mysql fresh=0 user_opt=()
	[ "$(id -u)" -eq 0 ] && user_opt=(--user=root)
	stack_running mariadb && return 0
	if [ ! -d "$dir/data/mysql" ]; then
		kesu_log "mariadb-install-db into ${dir#"$KESU_ROOT"/}/data"
		rm -rf "$dir/data"
		mkdir -p "$dir/tmp"
		mariadb-install-db --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" --auth-root-authentication-method=normal \
			--skip-test-db --skip-name-resolve "${user_opt[@]}" \
			--innodb-log-file-size="${KESU_DB_LOG_FILE_SIZE:-96M}" >"$KESU_STATE/log/mariadb-install.log" 2>&1 ||
			{ tail -20 "$KESU_STATE/log/mariadb-install.log" >&2; kesu_die "mariadb-install-db failed"; }
		fresh=1
	fi
	rm -f "$KESU_RUN/mysqld.sock" "$KESU_RUN/mysqld.pid"
	# Its own temporary directory: with several stacks on one machine (tests, bench, helpers),
	# a shared /tmp saw "Error on delete of '/tmp/#sql-temptable-…' (Errcode 2)".
	mkdir -p "$dir/tmp"
	# Groonga's locks live in its files: a mariadbd killed inside a Mroonga write leaves one
	# behind, and the next writer or repair of that table waits on it for 15 minutes ("lock failed
	# 1000 times" in groonga.log), holding the statement that opened it. Nothing can hold a
	# Groonga lock before the server accepts connections, so the init file clears them all
	# there (docs/reliability.md, "MariaDB killed"); Mroonga's own auto-repair of the half-done
	# write follows on the table's first open.
	local init_opt=()
	if [ -e "$dir/data/kesu.mrn" ]; then
		_mroonga_unlock_sql kesu >"$dir/mroonga-unlock.sql"
		init_opt=(--init-file="$dir/mroonga-unlock.sql")
	fi
	_spawn mariadb "$KESU_STATE/log/mariadb.out" \
		mariadbd --no-defaults --datadir="$dir/data" --tmpdir="$dir/tmp" \
		--socket="$KESU_RUN/mysqld.sock" --pid-file="$KESU_RUN/mysqld.pid" \
		--port="$KESU_DB_PORT" --bind-address=127.0.0.1 --skip-name-resolve "${user_opt[@]}" \
		--log-error="$KESU_STATE/log/mariadb.log" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size="${KESU_DB_BUFFER_POOL:-256M}" \
		--innodb-log-file-size="${KESU_DB_LOG_FILE_SIZE:-96M}" \
		--innodb-flush-log-at-trx-commit=2 --max-connections=300 --skip-host-cache "${init_opt[@]}"
	if ! _wait_for 60 mariadb mariadb-admin --no-defaults --socket="$KESU_RUN/mysqld.sock" ping; then
		tail -20 "$KESU_STATE/log/mariadb.log" >&2
		kesu_die "MariaDB did not start (log: $KESU_STATE/log/mariadb.log)"
	fi
	if [ $fresh -eq 1 ] || [ ! -s "$KESU_DB_ROOT_CNF" ]; then
		# root has an empty password right after mariadb-install-db: give it the stack's own.
		local rootpw
		rootpw=$(cat "$KESU_STATE/secrets/db-root.password")
		mariadb --no-defaults --socket="$KESU_RUN/mysqld.sock" -uroot <<EOF ||
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
DELETE FROM mysql.global_priv WHERE User = '';
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$rootpw';
EOF
			kesu_die "could not set the MariaDB root password"
	fi
	(umask 077; printf '[client]\nuser=root\npassword=%s\nsocket=%s\ndefault-character-set=utf8mb4\n' \
		"$(cat "$KESU_STATE/secrets/db-root.password")" "$KESU_RUN/mysqld.sock" >"$KESU_DB_ROOT_CNF")
	# The schema owner that kesu-admin migrate connects as: owns the database, may create
	# the workers' account and grant it rights on the database.
	local ownpw
	ownpw=$(cat "$KESU_STATE/secrets/db-admin.password")
	_mysql_root <<EOF || kesu_die "could not create the database and its owner"
CREATE DATABASE IF NOT EXISTS kesu CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'kesu_owner'@'localhost' IDENTIFIED BY '$ownpw';
CREATE USER IF NOT EXISTS 'kesu_owner'@'127.0.0.1' IDENTIFIED BY '$ownpw';
ALTER USER 'kesu_owner'@'localhost' IDENTIFIED BY '$ownpw';
ALTER USER 'kesu_owner'@'127.0.0.1' IDENTIFIED BY '$ownpw';
GRANT ALL PRIVILEGES ON kesu.* TO 'kesu_owner'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON kesu.* TO 'kesu_owner'@'127.0.0.1' WITH GRANT OPTION;
GRANT CREATE USER ON *.* TO 'kesu_owner'@'localhost';
GRANT CREATE USER ON *.* TO 'kesu_owner'@'127.0.0.1';
GRANT INSERT ON mysql.plugin TO 'kesu_owner'@'localhost';
GRANT INSERT ON mysql.plugin TO 'kesu_owner'@'127.0.0.1';
EOF
	kesu_log "MariaDB on 127.0.0.1:$KESU_DB_PORT and $KESU_RUN/mysqld.sock"
}

stack_mariadb_stop() { _stop mariadb 60; }

# ---------------------------------------------------------------------------------------------
# (e) slapd

_ldap_whoami_svc() {
	ldapwhoami -x -H "$KESU_LDAP_URI" -D "$KESU_LDAP_SVC_DN" -y "$KESU_LDAP_SVC_PASSWORD_FILE" -o nettimeout=2
}

stack_slapd_start() {
	local dir=$KESU_STATE/ldap
	stack_running slapd && return 0
	sed -e "s|@LDAP_DIR@|$dir|g" "$KESU_ROOT/ldap/slapd.conf.in" >"$dir/slapd.conf"
	if [ ! -f "$dir/data/data.mdb" ]; then
		kesu_log "loading the demo directory (ldap/demo.ldif) with slapadd"
		rm -rf "$dir/data"; mkdir -p "$dir/data"; chmod 700 "$dir/data"
		local svc_hash line
		svc_hash=$(slappasswd -h '{SSHA}' -T "$KESU_LDAP_SVC_PASSWORD_FILE") || kesu_die "slappasswd failed"
		(
			umask 077
			while IFS= read -r line; do
				case $line in
				*@DEMO_PASSWORD_HASH@*) line=${line/@DEMO_PASSWORD_HASH@/$(slappasswd -h '{SSHA}' -s kesu-demo)} ;;
				*@SVC_PASSWORD_HASH@*) line=${line/@SVC_PASSWORD_HASH@/$svc_hash} ;;
				esac
				printf '%s\n' "$line"
			done <"$KESU_ROOT/ldap/demo.ldif" >"$dir/demo.ldif"
		)
		slapadd -q -f "$dir/slapd.conf" -l "$dir/demo.ldif" >"$KESU_STATE/log/slapadd.log" 2>&1 ||
			{ cat "$KESU_STATE/log/slapadd.log" >&2; kesu_die "slapadd failed"; }
	fi
	rm -f "$dir/slapd.pid"
	# -d keeps slapd in the foreground (under our supervision) and logs to stderr.
	_spawn slapd "$KESU_STATE/log/slapd.log" \
		slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$KESU_LDAP_PORT/" -d "${KESU_SLAPD_LOGLEVEL:-stats}"
	if ! _wait_for 30 slapd _ldap_whoami_svc; then
		tail -20 "$KESU_STATE/log/slapd.log" >&2
		kesu_die "slapd did not start (log: $KESU_STATE/log/slapd.log)"
	fi
	kesu_log "slapd on $KESU_LDAP_URI"
}

stack_slapd_stop() { _stop slapd 15; }

# ---------------------------------------------------------------------------------------------
# (e2) the SMTP catcher: a real SMTP server (Debian's python3-aiosmtpd) that keeps every mail
# in the Maildir STATE/mail, standing in for the company relay (smtp.* in kesu.conf).

_smtp_up() { /usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$KESU_SMTP_PORT"; }

stack_smtp_start() {
	stack_running smtp && return 0
	mkdir -p "$KESU_MAILDIR"/{cur,new,tmp}
	# Debian's interpreter, which has the package (python3 on PATH may be another one).
	_spawn smtp "$KESU_STATE/log/smtp.log" /usr/bin/python3 -m aiosmtpd -n \
		-l "127.0.0.1:$KESU_SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$KESU_MAILDIR"
	if ! _wait_for 20 smtp _smtp_up; then
		tail -20 "$KESU_STATE/log/smtp.log" >&2
		kesu_die "the SMTP catcher did not start (log: $KESU_STATE/log/smtp.log)"
	fi
	kesu_log "SMTP catcher on 127.0.0.1:$KESU_SMTP_PORT (mails in $KESU_MAILDIR)"
}

stack_smtp_stop() { _stop smtp 10; }

# ---------------------------------------------------------------------------------------------
# (f) configuration

# stack_write_conf — write STATE/kesu.conf for this stack (always regenerated: the ports may
# have changed since the last run). KESU_WORKERS, KESU_LDAP_TIMEOUT and KESU_LOGIN_* tune it;
# KESU_TEMPLATES_DIR, KESU_PO_DIR and KESU_SQL_DIR point it at other data than the repository's.
stack_write_conf() {
	local s=$KESU_STATE
	cat >"$s/kesu.conf.tmp" <<EOF
# Written by bin/lib/stack.sh for the private stack in $s — regenerated at every start.
# The documented example is etc/kesu.conf.example.

fcgi.socket        = $KESU_FCGI_SOCKET
fcgi.socket_mode   = 0660
fcgi.workers       = ${KESU_WORKERS:-4}
fcgi.pidfile       = $KESU_FCGI_PIDFILE
fcgi.max_body      = 1048576

paths.templates    = ${KESU_TEMPLATES_DIR:-$KESU_ROOT/templates}
paths.po           = ${KESU_PO_DIR:-$KESU_ROOT/po}
paths.sql          = ${KESU_SQL_DIR:-$KESU_ROOT/sql}
paths.attachments  = $KESU_STATE/attachments
paths.pdf          = $KESU_STATE/pdf
attachments.max_bytes = 10485760

log.level          = ${KESU_LOG_LEVEL:-info}

db.host            = localhost
db.port            = $KESU_DB_PORT
db.socket          = $KESU_RUN/mysqld.sock
db.name            = kesu
db.user            = kesu_app
db.password_file   = $s/secrets/db.password
db.connect_timeout = 3
db.read_timeout    = 10
db.write_timeout   = 10
db.admin_user      = kesu_owner
db.admin_password_file = $s/secrets/db-admin.password
db.app_host        = localhost

ldap.uri           = $KESU_LDAP_URI
ldap.starttls      = 0
ldap.bind_dn       = $KESU_LDAP_SVC_DN
ldap.bind_password_file = $KESU_LDAP_SVC_PASSWORD_FILE
ldap.user_base     = ou=people,$KESU_LDAP_BASE
ldap.user_filter   = (&(objectClass=inetOrgPerson)(uid=%s))
ldap.group_base    = ou=groups,$KESU_LDAP_BASE
ldap.group_filter  = (&(objectClass=groupOfNames)(member=%s))
ldap.attr_uid      = uid
ldap.attr_display  = displayName
ldap.attr_department = departmentNumber
ldap.attr_mail     = mail
ldap.timeout       = ${KESU_LDAP_TIMEOUT:-5}
ldap.role.kesu-agents            = agent
ldap.role.kesu-supervisors       = supervisor
ldap.role.kesu-dept-heads        = dept_head
ldap.role.kesu-dept-members      = dept_member
ldap.role.kesu-quality-engineers = quality_engineer
ldap.role.kesu-qa-directors      = qa_director
ldap.role.kesu-deputy-gms        = deputy_gm
ldap.role.kesu-gms               = gm
ldap.role.kesu-finance           = finance
ldap.role.kesu-hr                = hr
ldap.role.kesu-auditors          = auditor
ldap.role.kesu-admins            = admin

session.idle_seconds     = 1800
session.absolute_seconds = 43200
session.cookie_secure    = auto
login.slow_after         = ${KESU_LOGIN_SLOW_AFTER:-3}
login.lock_after         = ${KESU_LOGIN_LOCK_AFTER:-10}
login.lock_seconds       = ${KESU_LOGIN_LOCK_SECONDS:-900}
login.window_seconds     = 900

app.base_url             = $KESU_BASE_URL
smtp.enabled             = ${KESU_SMTP_ENABLED:-1}
smtp.host                = 127.0.0.1
smtp.port                = $KESU_SMTP_PORT
smtp.from                = kesu@kesu.example
smtp.timeout             = 5
smtp.digest              = ${KESU_SMTP_DIGEST:-off}
EOF
	mv "$s/kesu.conf.tmp" "$KESU_CONF"
}

# ---------------------------------------------------------------------------------------------
# (g) kesu-admin

# stack_admin ARGS... — run kesu-admin against this stack's configuration
stack_admin() {
	[ -n "${KESU_BUILD:-}" ] || kesu_die "KESU_BUILD is not set"
	"$KESU_BUILD/kesu-admin" -c "$KESU_CONF" "$@"
}

stack_migrate() {
	kesu_log "kesu-admin migrate"
	stack_admin migrate >>"$KESU_STATE/log/kesu-admin.log" 2>&1 ||
		{ tail -20 "$KESU_STATE/log/kesu-admin.log" >&2; kesu_die "kesu-admin migrate failed"; }
}

# stack_bench_up — what every tests/bench script does before it measures: the packages, the
# bench build (KESU_BENCH_BUILD: another build, for A/B), the state (KESU_BENCH_STATE: another
# data set), the services, the configuration and the migrations; the stack stops on exit.
stack_bench_up() {
	stack_install_packages
	stack_build "${KESU_BENCH_BUILD:-_build/bench}"
	stack_init "${KESU_BENCH_STATE:-.kesu-bench}"
	trap stack_stop EXIT
	stack_start_services
	stack_write_conf
	stack_migrate
}

# stack_sweep_start — run kesu-admin sweep now and then every minute in the background (the
# demo's stand-in for dist/systemd/kesu-sweep.timer); output in log/sweep.log.
stack_sweep_start() {
	[ -n "${KESU_BUILD:-}" ] || kesu_die "KESU_BUILD is not set"
	stack_running sweep && return 0
	_spawn sweep "$KESU_STATE/log/sweep.log" bash -c \
		'trap "kill \$! 2>/dev/null; exit 0" TERM INT
		while :; do "$0" -c "$1" sweep; sleep 60 & wait $!; done' "$KESU_BUILD/kesu-admin" "$KESU_CONF"
	kesu_log "kesu-admin sweep every minute (log/sweep.log)"
}

stack_sweep_stop() { _stop sweep 10; }

stack_seed_demo() {
	kesu_log "kesu-admin seed-demo"
	stack_admin seed-demo >>"$KESU_STATE/log/kesu-admin.log" 2>&1 ||
		{ tail -20 "$KESU_STATE/log/kesu-admin.log" >&2; kesu_die "kesu-admin seed-demo failed"; }
}

# ---------------------------------------------------------------------------------------------
# (h) kesu-fcgi

stack_fcgi_start() {
	[ -n "${KESU_BUILD:-}" ] || kesu_die "KESU_BUILD is not set"
	stack_running fcgi && return 0
	rm -f "$KESU_FCGI_SOCKET" "$KESU_FCGI_PIDFILE"
	_spawn fcgi "$KESU_STATE/log/kesu-fcgi.log" "$KESU_BUILD/kesu-fcgi" -c "$KESU_CONF"
	# KESU_FCGI_START_WAIT: more for a master under valgrind (tests/bench/callgrind_lib.sh).
	if ! _wait_for "${KESU_FCGI_START_WAIT:-20}" fcgi test -S "$KESU_FCGI_SOCKET"; then
		tail -30 "$KESU_STATE/log/kesu-fcgi.log" >&2
		kesu_die "kesu-fcgi did not start (log: $KESU_STATE/log/kesu-fcgi.log)"
	fi
	kesu_log "kesu-fcgi on $KESU_FCGI_SOCKET ($(_pid_of fcgi))"
}

stack_fcgi_stop() { _stop fcgi 20; }

# ---------------------------------------------------------------------------------------------
# (i) nginx

_http_up() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$KESU_HTTP_PORT/static/"; }

# stack_sign_in USER — signs USER in through the real form (demo password) on the running
# stack and prints the session token; dies when no session comes back. The form's token is the
# server's HMAC of the kesu_csrf cookie (issue 7), read from the form.
stack_sign_in() {
	local jar pre tok
	jar=$(mktemp)
	pre=$(curl -s -c "$jar" "$KESU_BASE_URL/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
	curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$pre&username=$1&password=kesu-demo" "$KESU_BASE_URL/login"
	tok=$(awk '$6=="kesu_session"{print $7}' "$jar")
	rm -f "$jar"
	[ -n "$tok" ] || kesu_die "sign-in as $1 failed"
	printf '%s' "$tok"
}

stack_nginx_start() {
	local dir=$KESU_STATE/nginx user_line="" access=$KESU_STATE/log/nginx-access.log
	stack_running nginx && return 0
	stack_port_free "$KESU_HTTP_PORT" || kesu_die "port $KESU_HTTP_PORT on 127.0.0.1 is in use (set KESU_PORT to another one)"
	# As root, nginx's workers would become "nobody" and could not open the 0660 socket that
	# belongs to root's group: keep them in the invoking user's group.
	[ "$(id -u)" -eq 0 ] && user_line="user root root;"
	[ "${KESU_NGINX_ACCESS_LOG:-1}" = 0 ] && access=off
	mkdir -p "$dir/tmp"/{body,fastcgi,proxy,scgi,uwsgi}
	sed -e "s|@USER_LINE@|$user_line|" \
		-e "s|@NGINX_WORKERS@|${KESU_NGINX_WORKERS:-2}|" \
		-e "s|@NGINX_PID@|$KESU_RUN/nginx.pid|" \
		-e "s|@NGINX_DIR@|$dir|g" \
		-e "s|@LOG_DIR@|$KESU_STATE/log|g" \
		-e "s|@ACCESS_LOG@|$access|" \
		-e "s|@FCGI_SOCKET@|$KESU_FCGI_SOCKET|" \
		-e "s|@HTTP_PORT@|$KESU_HTTP_PORT|" \
		-e "s|@MAX_BODY@|1m|" \
		-e "s|@MAX_UPLOAD@|10304k|" \
		-e "s|@CONN_PER_CLIENT@|${KESU_CONN_PER_CLIENT:-128}|g" \
		-e "s|@REQ_PER_CLIENT@|${KESU_REQ_PER_CLIENT:-5000}|g" \
		-e "s|@REQ_BURST@|${KESU_REQ_BURST:-10000}|g" \
		-e "s|@STATIC_DIR@|$KESU_ROOT/static|" \
		-e "s|@BENCH_INCLUDE@|${KESU_NGINX_INCLUDE:+include $KESU_NGINX_INCLUDE;}|" \
		"$KESU_ROOT/nginx/kesu.conf.in" >"$dir/nginx.conf"
	nginx -p "$dir/" -c "$dir/nginx.conf" -e "$KESU_STATE/log/nginx-error.log" -t \
		>"$KESU_STATE/log/nginx-test.log" 2>&1 ||
		{ cat "$KESU_STATE/log/nginx-test.log" >&2; kesu_die "nginx -t failed"; }
	_spawn nginx "$KESU_STATE/log/nginx.out" nginx -p "$dir/" -c "$dir/nginx.conf" -e "$KESU_STATE/log/nginx-error.log"
	if ! _wait_for 20 nginx _http_up; then
		tail -20 "$KESU_STATE/log/nginx-error.log" >&2
		kesu_die "nginx did not start"
	fi
	kesu_log "nginx on http://127.0.0.1:$KESU_HTTP_PORT/"
}

stack_nginx_stop() { _stop nginx 10 QUIT; }

# ---------------------------------------------------------------------------------------------
# (j) everything

# stack_start_services — MariaDB, slapd and the SMTP catcher (before migrate)
stack_start_services() {
	stack_mariadb_start
	stack_slapd_start
	stack_smtp_start
}

# stack_stop — stop whatever this stack started, in order, then make sure nothing that names
# the state directory on its command line is left (workers, a stray mariadbd, ...).
# Safe to call more than once and from traps.
stack_stop() {
	local -; set +e
	[ -n "${KESU_STATE:-}" ] && [ -d "$KESU_STATE" ] || return 0
	stack_nginx_stop
	stack_sweep_stop
	stack_fcgi_stop
	stack_slapd_stop
	stack_smtp_stop
	stack_mariadb_stop
	_sweep
}

# _sweep — SIGTERM, then SIGKILL, every process whose command line names KESU_STATE, other
# than this shell and its ancestors.
_sweep() {
	local -; set +e
	local pids=() pid self ancestors=" " p i
	p=$$
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		ancestors+="$p "
		p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
	done
	ancestors+="${BASHPID:-$$} "
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		case $ancestors in *" $pid "*) continue ;; esac
		_alive "$pid" && pids+=("$pid")
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	kesu_log "stopping leftover processes: ${pids[*]}"
	kill -CONT "${pids[@]}" 2>/dev/null || true
	kill -TERM "${pids[@]}" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		self=0
		for pid in "${pids[@]}"; do _alive "$pid" && self=1; done
		[ $self -eq 0 ] && return 0
		sleep 0.1
	done
	for pid in "${pids[@]}"; do _alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
	return 0
}

# stack_status — one line per service
stack_status() {
	local n
	for n in mariadb slapd smtp fcgi nginx sweep; do
		if stack_running "$n"; then
			printf '%-8s running (pid %s)\n' "$n" "$(_pid_of "$n")"
		else
			printf '%-8s stopped\n' "$n"
		fi
	done
}

# ---------------------------------------------------------------------------------------------
# As a command: bash bin/lib/stack.sh STATE_DIR COMMAND

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	[ $# -ge 2 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
	stack_load "$1"
	cmd=$2; shift 2
	case $cmd in
	start-mariadb) stack_mariadb_start ;;
	stop-mariadb)  stack_mariadb_stop ;;
	start-slapd)   stack_slapd_start ;;
	stop-slapd)    stack_slapd_stop ;;
	start-fcgi)    stack_fcgi_start ;;
	stop-fcgi)     stack_fcgi_stop ;;
	start-nginx)   stack_nginx_start ;;
	start-sweep)   stack_sweep_start ;;
	stop-sweep)    stack_sweep_stop ;;
	start-smtp)    stack_smtp_start ;;
	stop-smtp)     stack_smtp_stop ;;
	stop-nginx)    stack_nginx_stop ;;
	stop)          stack_stop ;;
	status)        stack_status ;;
	sql)           stack_sql "$@" ;;
	*) kesu_die "unknown command $cmd" ;;
	esac
fi
