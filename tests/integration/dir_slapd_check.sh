#!/bin/sh
# dir_slapd_check.sh: prove fcgi/dir.c against a private slapd on loopback — sign-in, roles,
# injection, a restart, a hanging (SIGSTOPped) server, and StartTLS with a trusted and an
# untrusted certificate. Self-contained; stops slapd and removes its files on any exit.
#
# usage: tests/integration/dir_slapd_check.sh      (KEEP=1 keeps the temporary directory)
# env:   CC, CFLAGS (default: warnings + ASan/UBSan), LDAP_TIMEOUT (default 3 s)
# shellcheck disable=SC2317  # stop_slapd and cleanup run from the EXIT trap
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kesu-dirchk.XXXXXX")
timeout=${LDAP_TIMEOUT:-3}
base="dc=kesu,dc=example"
svc_dn="cn=kesu-svc,ou=services,$base"
svc_pw="svc-pw-$$-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"

driver_pid=
say() { printf '==== %s\n' "$*"; }
die() { printf 'dir_slapd_check: %s\n' "$*" >&2; exit 1; }

# Whether pid runs; a zombie does not count (PID 1 here may be slow to reap a daemon).
alive() {
	st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [ "${st#Z}" = "$st" ]
}

stop_slapd() {
	[ -s "$tmp/slapd.pid" ] || return 0
	pid=$(cat "$tmp/slapd.pid")
	kill -CONT "$pid" 2>/dev/null || true   # a stopped slapd would sit on SIGTERM
	kill -TERM "$pid" 2>/dev/null || true
	i=0
	while alive "$pid"; do
		i=$((i + 1))
		[ "$i" -lt 50 ] || { kill -KILL "$pid" 2>/dev/null || true; break; }
		sleep 0.1
	done
	rm -f "$tmp/slapd.pid"
}

cleanup() {
	rc=$?
	[ -z "$driver_pid" ] || kill -TERM "$driver_pid" 2>/dev/null || true
	stop_slapd
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

for tool in slapd slapadd slappasswd ldapwhoami base64 openssl; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || die "$tool not found"
done
PATH=$PATH:/usr/sbin

# A free loopback port: bind to 0 and let the kernel choose.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
	2>/dev/null) || port=$((20000 + $$ % 20000))
uri="ldap://127.0.0.1:$port"

b64() { printf '%s' "$1" | base64 -w0; }
hash() { slappasswd -h '{SSHA}' -s "$1"; }

say "slapd on $uri, data in $tmp"
mkdir "$tmp/db"
# A throw-away CA-less certificate for 127.0.0.1, for the StartTLS cases.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$tmp/tls.key" -out "$tmp/tls.crt" \
	>/dev/null 2>&1 || die "openssl could not make a certificate"
cat >"$tmp/slapd.conf" <<EOF
TLSCertificateFile $tmp/tls.crt
TLSCertificateKeyFile $tmp/tls.key
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile $tmp/slapd.pid
argsfile $tmp/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb

database mdb
maxsize 10485760
suffix "$base"
rootdn "cn=admin,$base"
rootpw $(hash "root-pw-$$")
directory $tmp/db
index objectClass,uid,member eq

# Passwords: usable to bind, readable by nobody (not even the service account).
access to attrs=userPassword
	by anonymous auth
	by * none
# The service account reads the tree; people bound as themselves see nothing.
access to dn.subtree="$base"
	by dn.exact="$svc_dn" read
	by * none
EOF

cat >"$tmp/data.ldif" <<EOF
dn: $base
objectClass: dcObject
objectClass: organization
dc: kesu
o: Kesu

dn: ou=people,$base
objectClass: organizationalUnit
ou: people

dn: ou=services,$base
objectClass: organizationalUnit
ou: services

dn: ou=groups,$base
objectClass: organizationalUnit
ou: groups

dn: $svc_dn
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: kesu-svc
userPassword: $(hash "$svc_pw")

dn: uid=alice,ou=people,$base
objectClass: inetOrgPerson
uid: alice
cn: Alice Zhang
sn: Zhang
displayName:: $(b64 '张三')
departmentNumber: production
mail: alice@kesu.example
userPassword: $(hash alice-pw-1)

dn: uid=bob,ou=people,$base
objectClass: inetOrgPerson
uid: bob
cn: Bob Li
sn: Li
userPassword: $(hash bob-pw-2)

dn:: $(b64 "uid=王五,ou=people,$base")
objectClass: inetOrgPerson
uid:: $(b64 '王五')
cn: Wang Wu
sn: Wang
userPassword: $(hash wang-pw-3)

dn: cn=dup1,ou=people,$base
objectClass: inetOrgPerson
uid: dup
cn: dup1
sn: Dup
userPassword: $(hash dup-pw)

dn: cn=dup2,ou=people,$base
objectClass: inetOrgPerson
uid: dup
cn: dup2
sn: Dup
userPassword: $(hash dup-pw)

dn: cn=kesu-agents,ou=groups,$base
objectClass: groupOfNames
cn: kesu-agents
member: uid=alice,ou=people,$base
member:: $(b64 "uid=王五,ou=people,$base")

dn: cn=KESU-Supervisors,ou=groups,$base
objectClass: groupOfNames
cn: KESU-Supervisors
member: uid=alice,ou=people,$base

dn: cn=canteen-committee,ou=groups,$base
objectClass: groupOfNames
cn: canteen-committee
member: uid=alice,ou=people,$base
EOF
slapadd -q -f "$tmp/slapd.conf" -l "$tmp/data.ldif" || die "slapadd failed"

# Start slapd (it daemonises and writes its pidfile) and wait until the service account binds.
cat >"$tmp/start.sh" <<EOF
#!/bin/sh
slapd -h "$uri/" -f "$tmp/slapd.conf" -n kesu-dirchk || exit 1
i=0
until ldapwhoami -x -H "$uri" -D "$svc_dn" -w "$svc_pw" >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -lt 100 ] || exit 1; sleep 0.1
done
EOF
chmod +x "$tmp/start.sh"
"$tmp/start.sh" || die "slapd did not come up"

# The restart the driver asks for in the middle, to break its kept connection.
cat >"$tmp/restart.sh" <<EOF
#!/bin/sh
pid=\$(cat "$tmp/slapd.pid")
kill -TERM "\$pid"
i=0
while st=\$(ps -o stat= -p "\$pid") && [ "\${st#Z}" = "\$st" ]; do
	i=\$((i + 1)); [ \$i -lt 100 ] || exit 1; sleep 0.1
done
exec "$tmp/start.sh"
EOF
chmod +x "$tmp/restart.sh"

printf '%s\n' "$svc_pw" >"$tmp/svc.password"
chmod 600 "$tmp/svc.password"
cat >"$tmp/kesu.conf" <<EOF
ldap.uri = $uri
ldap.starttls = 0
ldap.bind_dn = $svc_dn
ldap.bind_password_file = $tmp/svc.password
ldap.user_base = ou=people,$base
ldap.user_filter = (&(objectClass=inetOrgPerson)(uid=%s))
ldap.group_base = ou=groups,$base
ldap.group_filter = (&(objectClass=groupOfNames)(member=%s))
ldap.attr_uid = uid
ldap.attr_display = displayName
ldap.attr_department = departmentNumber
ldap.attr_mail = mail
ldap.timeout = $timeout
ldap.role.kesu-agents = agent
ldap.role.kesu-supervisors = supervisor
ldap.role.kesu-admins = admin
EOF

say "building the driver"
# shellcheck disable=SC2086  # CFLAGS is a list of words
${CC:-gcc} ${CFLAGS:--std=gnu11 -g -O1 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -fsanitize=address,undefined -fno-omit-frame-pointer} \
	-D_GNU_SOURCE -I"$top/fcgi" -o "$tmp/dir_driver" "$top/tests/integration/dir_driver.c" \
	"$top/fcgi/dir.c" "$top/fcgi/fail_fast.c" "$top/fcgi/conf.c" "$top/fcgi/arena.c" "$top/fcgi/log.c" -lldap -llber

# Environment variables override ldap.conf and ~/.ldaprc: demand a verified certificate (the
# libldap default, pinned in case a local file says otherwise); the CA is given per run.
export LDAPTLS_REQCERT=demand
unset LDAPTLS_CACERT 2>/dev/null || true

# In the background and waited for, so that a signal runs the cleanup at once (sh holds
# traps while a foreground command runs, and the driver may have slapd stopped).
run_driver() {
	"$tmp/dir_driver" "$@" 2>>"$tmp/driver.log" &
	driver_pid=$!
	wait "$driver_pid" && r=0 || r=$?
	driver_pid=
	return "$r"
}

rc=0
: >"$tmp/driver.log"
say "running the driver in clear text (its log: $tmp/driver.log)"
run_driver "$tmp/kesu.conf" "$tmp/slapd.pid" "$tmp/restart.sh" || rc=1

sed 's/^ldap.starttls = 0/ldap.starttls = 1/' "$tmp/kesu.conf" >"$tmp/kesu-tls.conf"
say "running the driver over StartTLS, certificate not trusted"
run_driver "$tmp/kesu-tls.conf" "$tmp/slapd.pid" - tls-untrusted || rc=1
say "running the driver over StartTLS, certificate trusted (LDAPTLS_CACERT)"
export LDAPTLS_CACERT="$tmp/tls.crt"
run_driver "$tmp/kesu-tls.conf" "$tmp/slapd.pid" - tls || rc=1

say "driver log"
sed 's/^/  | /' "$tmp/driver.log"
# No password may reach a log line.
for pw in "$svc_pw" alice-pw-1 bob-pw-2 wang-pw-3 dup-pw wrong; do
	if grep -qF -- "$pw" "$tmp/driver.log"; then
		echo "FAIL a password ($pw) appears in the log"
		rc=1
	fi
done
if [ "$rc" -eq 0 ]; then say "dir_slapd_check: OK"; else say "dir_slapd_check: FAILED"; fi
exit "$rc"
