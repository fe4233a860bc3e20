"""The stack under failure: dead workers, directory down, database restarted, audit tampering.

These run last: they stop and restart services of the test stack and edit the audit trail,
and each restores what it broke before it ends (also when it fails).
"""

import os
import re
import signal
import time

from harness import (Client, admin, agent_client, children, complaint_fields, env, fcgi_master,
                     json_fields, root_sql, service_pid, sh, stack, test, wait_until)


@test
def workers_db_account_cannot_update_or_delete_audit_events_or_signatures():
    with open(os.path.join(env("KESU_STATE"), "secrets", "db.password")) as f:
        pw = f.read().strip()

    def as_app(sql):
        return sh(["mariadb", "--no-defaults", f"--socket={env('KESU_DB_SOCKET')}", "-u", "kesu_app",
                   "--batch", "kesu", "-e", sql], env_over={"MYSQL_PWD": pw})

    ok = as_app("SELECT COUNT(*) FROM audit_event")
    assert ok.returncode == 0, f"kesu_app cannot even read audit_event: {ok.stderr}"
    for sql in ("UPDATE audit_event SET action = action WHERE seq = 1",
                "DELETE FROM audit_event WHERE seq = 1",
                "TRUNCATE TABLE audit_event",
                "DROP TABLE audit_event",
                # electronic signatures are never edited either
                "UPDATE signature SET comment = comment WHERE id = 1",
                "DELETE FROM signature WHERE id = 1"):
        p = as_app(sql)
        assert p.returncode != 0, f"kesu_app may run {sql!r}"
        if sql.startswith(("UPDATE", "DELETE")):
            assert "1142" in p.stderr, f"{sql!r}: expected error 1142, got {p.stderr.strip()!r}"


@test
def a_killed_worker_is_replaced_within_a_second():
    master = fcgi_master()
    assert master, "no kesu-fcgi master pid"
    before = children(master)
    assert before, f"kesu-fcgi master {master} has no workers"
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    t0 = time.monotonic()
    now = wait_until(lambda: (lambda k: k if len(k) >= len(before) and victim not in k else None)(children(master)), 3)
    took = time.monotonic() - t0
    assert now, f"worker {victim} was not replaced: before {before}, now {children(master)}"
    assert took <= 1.5, f"the replacement took {took:.2f}s"
    c = Client()
    for _ in range(20):
        r = c.get("/login")
        assert r.status == 200, f"after the kill: {r.brief()}"


@test
def sighup_reloads_and_keeps_serving():
    master = fcgi_master()
    c = agent_client("agent")
    os.kill(master, signal.SIGHUP)
    time.sleep(0.5)
    ok = 0
    for _ in range(20):
        r = c.get_json("/complaints")
        ok += r.status == 200
        time.sleep(0.05)
    assert ok == 20, f"only {ok}/20 requests succeeded after SIGHUP"
    assert fcgi_master() == master and os.path.exists(f"/proc/{master}"), "the master went away on SIGHUP"


@test
def sigterm_lets_in_flight_requests_finish_then_the_stack_restarts():
    import threading
    master = fcgi_master()
    slapd = service_pid("slapd")
    assert master and slapd
    got = {}

    def slow_sign_in():
        # with slapd stopped, a sign-in takes ldap.timeout seconds: an in-flight request
        got["r"] = Client().login("agent2", expect=None)

    os.kill(slapd, signal.SIGSTOP)
    try:
        t = threading.Thread(target=slow_sign_in)
        t.start()
        time.sleep(0.7)
        os.kill(master, signal.SIGTERM)
        t.join(30)
        r = got.get("r")
        assert r is not None, "the in-flight request never returned"
        assert r.status == 503, f"the in-flight sign-in during SIGTERM: {r.brief()}"
        gone = wait_until(lambda: not os.path.exists(f"/proc/{master}") or
                          open(f"/proc/{master}/stat").read().split(") ")[1][0] == "Z", 15)
        assert gone, "kesu-fcgi did not exit after SIGTERM"
    finally:
        os.kill(slapd, signal.SIGCONT)
        stack("start-fcgi")
    c = Client()
    assert c.login("agent2", expect=None).status == 303, "sign-in after kesu-fcgi restarted"


def _sign_in_while_down(what):
    limit = float(env("KESU_LDAP_TIMEOUT", "5")) + 2.5
    for as_json in (False, True):
        c = Client(lang="en")
        t0 = time.monotonic()
        r = c.login_json("agent2", expect=None) if as_json else c.login("agent2", expect=None)
        took = time.monotonic() - t0
        assert r.status == 503, f"sign-in with slapd {what} ({'JSON' if as_json else 'form'}): {r.brief()}"
        said = r.visible(2000) if "html" in (r.header("Content-Type") or "") else r.text
        assert re.search(r"directory\s+(is\s+)?(currently\s+)?(unavailable|not available)", said, re.I), \
            f"sign-in with slapd {what}: the message does not say the directory is unavailable: {said[:300]!r}"
        assert took <= limit, f"sign-in with slapd {what} took {took:.1f}s (limit {limit:.1f}s)"


@test
def directory_down_gives_503_while_signed_in_users_keep_working():
    user = agent_client("agent")
    pid = service_pid("slapd")
    assert pid, "no slapd pid"
    try:
        # hanging: slapd accepts connections but never answers
        os.kill(pid, signal.SIGSTOP)
        _sign_in_while_down("stopped (SIGSTOP)")
        # one timeout was enough: now every sign-in is told at once (no worker held)
        t0 = time.monotonic()
        r = Client(lang="en").login("agent2", expect=None)
        assert r.status == 503 and time.monotonic() - t0 < 1.0, \
            f"a sign-in after the directory timed out took {time.monotonic() - t0:.1f}s: {r.brief()}"
        r = user.get_json("/complaints")
        assert r.status == 200, f"a signed-in user while slapd hangs: {r.brief()}"
        r = user.register(json_fields(complaint_fields()), expect=None)
        assert r.status == 201, f"registering while slapd hangs: {r.brief()}"
        os.kill(pid, signal.SIGCONT)
        # gone: connections refused
        stack("stop-slapd")
        _sign_in_while_down("killed")
        r = user.get("/complaints")
        assert r.status == 200, f"a signed-in user while slapd is down: {r.brief()}"
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
        stack("start-slapd")
    # back: sign-in works again once the fail-fast window (dir.c: DIR_RETRY) has passed and a
    # probe found the directory answering
    ok = wait_until(lambda: Client().login("agent2", expect=None).status == 303, 30, 0.5)
    assert ok, "sign-in does not work again after slapd restarted"
    assert Client().login("agent").status == 303


@test
def after_a_mariadb_restart_the_next_request_succeeds():
    c = agent_client("agent")
    assert c.get_json("/complaints").status == 200
    try:
        stack("stop-mariadb")
    finally:
        stack("start-mariadb")
    r = c.get_json("/complaints")
    assert r.status == 200, f"first request after the restart: {r.brief()}"
    # every worker reconnects (the requests spread over them)
    statuses = [c.get_json("/complaints").status for _ in range(12)]
    assert statuses == [200] * 12, f"requests after the restart: {statuses}"
    r = c.register(json_fields(complaint_fields()), expect=None)
    assert r.status == 201, f"registering after the restart: {r.brief()}"
    assert Client().login("agent2", expect=None).status == 303, "sign-in after the restart"


@test
def audit_verify_names_an_edited_audit_event():
    import re
    v = admin("audit", "verify")
    assert v.returncode == 0, f"audit verify on an intact chain: exit {v.returncode}: {v.stdout} {v.stderr}"
    rows = root_sql("SELECT MIN(seq), MAX(seq) FROM audit_event")
    lo, hi = int(rows[0][0]), int(rows[0][1])
    assert hi - lo >= 2, f"too few audit events ({lo}..{hi})"
    n = (lo + hi) // 2
    # keep the original row in a side table, so that the chain can be repaired afterwards
    root_sql("DROP TABLE IF EXISTS zz_test_saved_audit; "
             f"CREATE TABLE zz_test_saved_audit AS SELECT * FROM audit_event WHERE seq = {n}")

    def restore():
        root_sql(f"DELETE FROM audit_event WHERE seq = {n}; "
                 "INSERT INTO audit_event SELECT * FROM zz_test_saved_audit")

    try:
        root_sql(f"UPDATE audit_event SET after_json = CONCAT(COALESCE(after_json, ''), ' ') WHERE seq = {n}")
        v = admin("audit", "verify")
        out = v.stdout + v.stderr
        assert v.returncode == 1, f"audit verify after editing seq {n}: exit {v.returncode}: {out}"
        assert n in [int(x) for x in re.findall(r"\d+", out)], f"audit verify does not name seq {n}: {out!r}"
        restore()
        v = admin("audit", "verify")
        assert v.returncode == 0, f"audit verify after restoring seq {n}: exit {v.returncode}: {v.stdout} {v.stderr}"
        # a deleted event breaks the chain too
        root_sql(f"DELETE FROM audit_event WHERE seq = {n}")
        v = admin("audit", "verify")
        out = v.stdout + v.stderr
        assert v.returncode == 1, f"audit verify with seq {n} deleted: exit {v.returncode}: {out}"
    finally:
        restore()
        root_sql("DROP TABLE IF EXISTS zz_test_saved_audit")
    v = admin("audit", "verify")
    assert v.returncode == 0, f"audit verify after repairing the chain: {v.returncode} {v.stdout} {v.stderr}"
