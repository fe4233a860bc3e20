"""A tiny test harness for Kesu's integration and end-to-end suites (Python 3 stdlib only).

The suites talk HTTP to nginx in front of a real private stack started by bin/test
(bin/lib/stack.sh). They read everything from the environment; bin/test exports it:

  KESU_BASE_URL        http://127.0.0.1:PORT — nginx of the test stack
  KESU_HTTP_PORT       nginx's port
  KESU_STATE           the stack's state directory (.kesu-test/run-*)
  KESU_CONF            the kesu.conf the workers and kesu-admin run with
  KESU_ADMIN           the kesu-admin binary of the build under test
  KESU_STACK           bin/lib/stack.sh: "bash $KESU_STACK $KESU_STATE stop-slapd" etc.
  KESU_DB_SOCKET       the private MariaDB's socket
  KESU_DB_ROOT_CNF     a client options file for MariaDB's root account (mariadb --defaults-file=)
  KESU_FCGI_PIDFILE    the pid file of the kesu-fcgi master
  KESU_LDAP_URI, KESU_LDAP_SVC_DN, KESU_LDAP_SVC_PASSWORD_FILE   the private slapd
  KESU_LDAP_TIMEOUT    ldap.timeout in kesu.conf (seconds; 3 in bin/test)
  KESU_LOGIN_LOCK_AFTER  login.lock_after in kesu.conf (6 in bin/test)

To run a suite by hand against a running stack (e.g. KESU_KEEP_STATE=1 bin/test, or one you
started yourself): `set -a; . .kesu-test/run-XXX/stack.env; set +a;
KESU_ADMIN=_build/test/kesu-admin KESU_STACK=bin/lib/stack.sh python3 tests/integration/run.py -k login`

Each test is a function registered with @test; its name says the behaviour it proves. The
runner prints one line per test and closes with "N passed, N failed".
"""

import html
import http.client
import itertools
import json
import os
import re
import sys
import threading
import time
import traceback
import urllib.parse

# ---------------------------------------------------------------------------------------------
# environment


def env(name, default=None):
    v = os.environ.get(name, default)
    if v is None:
        raise SystemExit(f"harness: the environment variable {name} is not set (run through bin/test)")
    return v


BASE_URL = os.environ.get("KESU_BASE_URL", "")
_u = urllib.parse.urlsplit(BASE_URL) if BASE_URL else None
HOST = _u.hostname if _u else "127.0.0.1"
PORT = _u.port if _u else 0

DEMO_PASSWORD = "kesu-demo"

# ---------------------------------------------------------------------------------------------
# registry and runner

_TESTS = []


def test(fn):
    """Register a test function; the runner runs them in the order they are defined."""
    _TESTS.append(fn)
    return fn


class Skip(Exception):
    pass


def run_tests(argv=None, title="tests"):
    """Run the registered tests (those whose name contains one of the -k words, if given)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    words = []
    while argv:
        a = argv.pop(0)
        if a == "-k" and argv:
            words.append(argv.pop(0))
    tests = [t for t in _TESTS if not words or any(w in t.__name__ for w in words)]
    passed = failed = skipped = 0
    failures = []
    t_all = time.monotonic()
    print(f"{title}: {len(tests)} tests against {BASE_URL or '(no stack)'}", flush=True)
    for t in tests:
        t0 = time.monotonic()
        try:
            t()
        except Skip as e:
            skipped += 1
            print(f"SKIP {t.__name__}: {e}", flush=True)
            continue
        except AssertionError as e:
            failed += 1
            msg = str(e) or "assertion failed"
            tb = traceback.extract_tb(e.__traceback__)
            where = next((f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(tb)
                          if not f.filename.endswith("harness.py")), "")
            failures.append((t.__name__, msg))
            print(f"FAIL {t.__name__} ({time.monotonic() - t0:.1f}s) {where}\n     {_indent(msg)}", flush=True)
            continue
        except Exception as e:  # noqa: BLE001 — an error in a test is a failure, with its trace
            failed += 1
            failures.append((t.__name__, repr(e)))
            print(f"FAIL {t.__name__} ({time.monotonic() - t0:.1f}s) error: {e!r}", flush=True)
            print(_indent(traceback.format_exc(), 5), flush=True)
            continue
        passed += 1
        print(f"ok   {t.__name__} ({time.monotonic() - t0:.1f}s)", flush=True)
    print(f"\n{title}: {len(tests)} tests in {time.monotonic() - t_all:.1f}s", flush=True)
    if failures:
        print("failed:", flush=True)
        for name, msg in failures:
            print(f"  {name}: {msg.splitlines()[0] if msg else ''}", flush=True)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    return 1 if failed else 0


def _indent(text, n=5):
    return ("\n" + " " * n).join(str(text).splitlines())


# ---------------------------------------------------------------------------------------------
# HTTP


class Response:
    def __init__(self, status, reason, headers, body, elapsed):
        self.status = status
        self.reason = reason
        self.headers = headers          # list of (name, value), as received
        self.body = body                # bytes
        self.elapsed = elapsed

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except Exception as e:  # noqa: BLE001
            raise AssertionError(f"not JSON ({e}): HTTP {self.status} "
                                 f"{self.header('Content-Type')} {self.text[:300]!r}")

    @property
    def location(self):
        return self.header("Location")

    def set_cookies(self):
        """{name: (value, attribute string)} from the Set-Cookie headers."""
        out = {}
        for v in self.header_all("Set-Cookie"):
            first, _, attrs = v.partition(";")
            name, _, val = first.strip().partition("=")
            out[name] = (val, attrs)
        return out

    def visible(self, n=300):
        """The text a person would read (tags, scripts and styles removed), shortened."""
        t = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", self.text)
        t = html.unescape(re.sub(r"<[^>]+>", " ", t))
        t = re.sub(r"\s+", " ", t).strip()
        return t[:n]

    def brief(self, n=400):
        ct = self.header("Content-Type") or ""
        body = self.visible(n) if "html" in ct else self.text[:n]
        return f"HTTP {self.status} {ct} location={self.location} body={body!r}"

    def __repr__(self):
        return f"<Response {self.brief(120)}>"


_ip_counter = itertools.count(10)
_ip_lock = threading.Lock()


def fresh_client_ip():
    """A loopback source address no other test used (127.0.0.10, .11, ...), so that the
    per-client sign-in throttle of one test never affects another."""
    with _ip_lock:
        n = next(_ip_counter)
    return f"127.0.{n // 250}.{n % 250 + 2}" if n >= 250 else f"127.0.0.{n}"


class Client:
    """One browser-like client: its own cookie jar and source address; no redirects followed."""

    def __init__(self, source_ip=None, lang="en"):
        self.source_ip = source_ip or fresh_client_ip()
        self.cookies = {}
        self.lang = lang
        self.csrf = None          # the session's CSRF token once signed in
        self.pre_csrf = None      # the login form's token (an HMAC of the kesu_csrf cookie)
        self.user = None

    # -- raw
    def request(self, method, path, body=None, headers=None, timeout=30, accept=None):
        h = {"Host": f"{HOST}:{PORT}", "User-Agent": "kesu-integration"}
        if self.lang:
            h["Accept-Language"] = self.lang
        if accept:
            h["Accept"] = accept
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if headers:
            h.update(headers)
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout, source_address=(self.source_ip, 0))
        t0 = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            resp = Response(r.status, r.reason, r.getheaders(), data, time.monotonic() - t0)
        finally:
            conn.close()
        for name, (val, attrs) in resp.set_cookies().items():
            if re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", attrs) or val == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = val
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def get_json(self, path, **kw):
        return self.request("GET", path, accept="application/json", **kw)

    def post_form(self, path, fields, csrf=True, headers=None, **kw):
        fields = dict(fields)
        if csrf is True:
            fields.setdefault("csrf_token", self.csrf or self.pre_csrf or "")
        elif isinstance(csrf, str):
            fields["csrf_token"] = csrf
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body=urllib.parse.urlencode(fields), headers=h, **kw)

    def post_json(self, path, obj, csrf=True, headers=None, raw=None, **kw):
        h = {"Content-Type": "application/json"}
        if csrf is True:
            tok = self.csrf or self.pre_csrf
            if tok:
                h["X-CSRF-Token"] = tok
        elif isinstance(csrf, str):
            h["X-CSRF-Token"] = csrf
        h.update(headers or {})
        body = raw if raw is not None else json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return self.request("POST", path, body=body, headers=h, accept="application/json", **kw)

    # -- Kesu
    def login_page(self):
        r = self.get("/login")
        assert r.status == 200, f"GET /login: {r.brief()}"
        assert "kesu_csrf" in self.cookies, f"GET /login set no kesu_csrf cookie: {r.header_all('Set-Cookie')}"
        # issue 7: the form's token is the server's HMAC of the cookie, not the cookie itself
        m = re.search(r'name="csrf_token" value="([0-9a-f]+)"', r.text) or \
            re.search(r'value="([0-9a-f]{64})"[^>]*name="csrf_token"', r.text)
        assert m, f"no csrf_token in the login form: {r.text[:600]!r}"
        self.pre_csrf = m.group(1)
        return r

    def login(self, username, password=DEMO_PASSWORD, expect=303):
        """Sign in through the HTML form; returns the POST /login response."""
        self.login_page()
        r = self.post_form("/login", {"username": username, "password": password}, csrf=self.pre_csrf)
        if expect is not None:
            assert r.status == expect, f"sign-in as {username!r}: expected {expect}, got {r.brief()}"
        if r.status in (200, 303) and "kesu_session" in self.cookies:
            self.refresh()
        return r

    def login_json(self, username, password=DEMO_PASSWORD, expect=200):
        """Sign in as a JSON client; returns the POST /login response."""
        self.login_page()
        r = self.post_json("/login", {"username": username, "password": password}, csrf=self.pre_csrf)
        if expect is not None:
            assert r.status == expect, f"JSON sign-in as {username!r}: expected {expect}, got {r.brief()}"
        if r.status == 200:
            j = r.json()
            self.csrf = j.get("csrf_token")
            self.user = j.get("user")
        return r

    def refresh(self):
        """Read user and CSRF token of the session from a JSON page (or, failing that, from
        the hidden csrf_token field of an HTML page)."""
        for path in ("/complaints/new", "/complaints"):
            r = self.get_json(path)
            if r.status == 200:
                try:
                    j = r.json()
                except AssertionError:
                    continue
                self.csrf = j.get("csrf_token") or self.csrf
                self.user = j.get("user") or self.user
                return r
        for path in ("/complaints/new", "/complaints"):
            r = self.get(path)
            m = re.search(r'name="csrf_token"\s+value="([^"]+)"', r.text) if r.status == 200 else None
            if m:
                self.csrf = m.group(1)
                return r
        return r

    def register(self, fields, expect=201):
        r = self.post_json("/complaints", fields)
        if expect is not None:
            assert r.status == expect, f"POST /complaints: expected {expect}, got {r.brief(800)}"
        return r


def agent_client(user="agent"):
    c = Client()
    c.login_json(user)
    assert c.csrf, "the JSON sign-in returned no csrf_token"
    return c


# ---------------------------------------------------------------------------------------------
# complaints


_seq = itertools.count(1)

# The company's local time (app.utc_offset_minutes, 480 = UTC+8 by default): what a person
# types into the form, whatever the test machine's own time zone is.
UTC_OFFSET = int(os.environ.get("KESU_UTC_OFFSET_MINUTES", "480")) * 60


def company_time(seconds_ago=0):
    """A struct_time of the company's wall clock, seconds_ago in the past."""
    return time.gmtime(time.time() + UTC_OFFSET - seconds_ago)


def complaint_fields(**over):
    """A valid complaint: every field of the record filled in."""
    n = next(_seq)
    now = company_time(3 * 3600)
    f = {
        "received_at": time.strftime("%Y-%m-%dT%H:%M", now),
        "channel": "phone",
        "customer_name": f"测试客户{n} Test",
        "customer_company": "华东机电有限公司",
        "customer_type": "dealer",
        "customer_vip": "1",
        "customer_phone": f"1391234{n:04d}",
        "customer_email": f"customer{n}@example.com",
        "customer_address": "上海市浦东新区张江路 88 号",
        "product": "KX-200 空气净化器",
        "part_no": "KX200-PCB-01",
        "order_no": f"SO-2026-{n:05d}",
        "lot": "L2026-11-A",
        "quantity": "200",
        "defective_quantity": "12",
        "delivery_date": time.strftime("%Y-%m-%d", company_time(10 * 86400)),
        "subject_person": "",
        "description": f"客户反映 12 台设备开机后异响（第 {n} 次测试）。",
        "demand": "replacement",
        "urgency": "high",
        "category": "product_quality",
        "severity": "2",
    }
    f.update(over)
    return f


def json_fields(fields):
    """The same complaint as a JSON object: numbers as numbers."""
    out = dict(fields)
    for k in ("quantity", "defective_quantity", "severity", "customer_vip"):
        if k in out and isinstance(out[k], str) and out[k].isdigit():
            out[k] = int(out[k])
    return out


NUMBER_RE = re.compile(r"^\d{9,}$")


def number_seq(number):
    return int(str(number)[6:])


# ---------------------------------------------------------------------------------------------
# the stack


def sh(cmd, timeout=120, check=False, input=None, env_over=None):
    import subprocess
    e = dict(os.environ)
    if env_over:
        e.update(env_over)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=input, env=e)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd!r} exited {p.returncode}: {p.stdout[-500:]} {p.stderr[-1000:]}")
    return p


def stack(command):
    """bash bin/lib/stack.sh STATE COMMAND — stop or start one service of the test stack."""
    return sh(["bash", env("KESU_STACK"), env("KESU_STATE"), command], timeout=120, check=True)


def root_sql(sql, database="kesu"):
    """Run SQL as MariaDB's root over the private socket; returns the rows (tab-separated)."""
    p = sh(["mariadb", f"--defaults-file={env('KESU_DB_ROOT_CNF')}", "--batch", "--skip-column-names",
            database, "-e", sql], check=True)
    return [line.split("\t") for line in p.stdout.splitlines()]


def admin(*args, timeout=120):
    return sh([env("KESU_ADMIN"), "-c", env("KESU_CONF"), *args], timeout=timeout)


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ... — comm may contain spaces
        rest = st[st.rindex(")") + 2:].split()
        if rest[0] != "Z" and int(rest[1]) == ppid:
            out.append(int(d))
    return sorted(out)


def fcgi_master():
    pid = read_pid(env("KESU_FCGI_PIDFILE"))
    if pid is None:
        pid = read_pid(os.path.join(env("KESU_STATE"), "pids", "fcgi"))
    return pid


def service_pid(name):
    return read_pid(os.path.join(env("KESU_STATE"), "pids", name))


def get_pdf(client, path, timeout=90):
    """GET a PDF the renderer prints once (202 with Retry-After while it is being printed)."""
    end = time.monotonic() + timeout
    while True:
        r = client.get(path, timeout=30)
        if r.status != 202 or time.monotonic() >= end:
            return r
        assert r.header("Retry-After"), "202 without Retry-After"
        time.sleep(0.5)


def wait_until(pred, timeout, interval=0.05):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= end:
            return v
        time.sleep(interval)
