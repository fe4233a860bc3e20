"""Issue 11, cluster: what several worker hosts sharing one database need, proven on the single
stack — the sweep's lease (two hosts' timers start it at once, each document is issued once),
and per-process caches that follow an edit made elsewhere in the very next request (each
pre-forked worker keeps its own caches, exactly as a second host would). The same properties on
a real Galera cluster are proven by tests/cluster/run.sh (bin/test --cluster)."""

import os
import re
import subprocess

from harness import admin, agent_client, complaint_fields, env, json_fields, root_sql, test


def overdue_complaints(n):
    c = agent_client("agent")
    numbers = [c.register(json_fields(complaint_fields(severity="3"))).json()["number"] for _ in range(n)]
    ins = ", ".join(f"'{x}'" for x in numbers)
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number IN ({ins})")
    return numbers


def sweep_proc():
    return subprocess.Popen([env("KESU_ADMIN"), "-c", env("KESU_CONF"), "sweep"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def lease():
    return root_sql("SELECT holder, expires_at > UTC_TIMESTAMP() FROM lease WHERE name = 'sweep'")[0]


@test
def cluster_two_sweeps_started_at_once_issue_each_reminder_and_its_audit_event_once():
    numbers = overdue_complaints(6)
    ins = ", ".join(f"'{x}'" for x in numbers)
    for _ in range(3):
        procs = [sweep_proc() for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 0, f"sweep exited {p.returncode}: {out} {err[-1500:]}"
            assert re.search(r"reminders, .* issued|another run holds the lease", out), out
    rows = root_sql("SELECT number, addressee_type, addressee, COUNT(*) FROM reminder "
                    f"WHERE number IN ({ins}) GROUP BY number, addressee_type, addressee")
    assert len(rows) == 2 * len(numbers), rows
    assert all(r[3] == "1" for r in rows), rows
    events = root_sql("SELECT entity_id, COUNT(*) FROM audit_event WHERE entity = 'complaint' "
                      f"AND action = 'reminder_issued' AND entity_id IN ({ins}) GROUP BY entity_id")
    assert sorted(events) == sorted([n, "2"] for n in numbers), events
    mails = root_sql(f"SELECT number, COUNT(*) FROM mail_outbox WHERE kind = 'reminder' AND number IN ({ins}) "
                     "GROUP BY number")
    assert all(m[1] == "2" for m in mails) and len(mails) == len(numbers), mails
    # every run gave the lease back: the next host's timer need not wait for the expiry
    assert lease()[1] == "0", lease()


@test
def cluster_a_sweep_does_nothing_while_another_host_holds_the_lease_and_runs_once_it_expired():
    (number,) = overdue_complaints(1)
    root_sql("UPDATE lease SET holder = 'host-b:4242', taken_at = UTC_TIMESTAMP(), "
             "expires_at = UTC_TIMESTAMP() + INTERVAL 1 HOUR WHERE name = 'sweep'")
    try:
        p = admin("sweep")
        assert p.returncode == 0, p.stderr[-1500:]
        assert "another run holds the lease (host-b:4242" in p.stdout, p.stdout
        assert root_sql(f"SELECT COUNT(*) FROM reminder WHERE number = '{number}'") == [["0"]]
        assert lease()[0] == "host-b:4242"
        # host b died without giving it up: once it expires the next run takes it over
        root_sql("UPDATE lease SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE name = 'sweep'")
        p = admin("sweep")
        assert p.returncode == 0 and re.search(r"\d+ reminders", p.stdout), p.stdout
        assert root_sql(f"SELECT COUNT(*) FROM reminder WHERE number = '{number}'") == [["2"]]
        assert lease()[0] != "host-b:4242"
    finally:
        root_sql("UPDATE lease SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE name = 'sweep'")


def acceptance_deadlines(client, number, n=24):
    """The acceptance deadline as n successive requests see it (each a new connection, so nginx
    hands them to whichever worker accepts first: every worker's own calendar cache is read)."""
    out = set()
    for _ in range(n):
        ks = client.get_json(f"/complaints/{number}").json()["clocks"]
        out.add(next(k["deadline"] for k in ks if k["step"] == "acceptance" and k.get("department") == "quality"))
    return out


@test
def cluster_a_calendar_edit_on_one_worker_is_used_by_every_worker_in_the_next_request():
    adm = agent_client("admin")
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(severity="3"))).json()["number"]
    sup = agent_client("supervisor")
    for action, extra in (("triage_substantiated", {}), ("assign", {"departments": "quality"})):
        v = sup.get_json(f"/complaints/{number}").json()["complaint"]["version"]
        assert sup.post_json(f"/complaints/{number}/action", dict(action=action, version=str(v), **extra)).status == 200
    # assigned Friday 14 March 2025, 10:00 in Beijing: by the 2nd working day is Tuesday 17:30
    root_sql(f"UPDATE complaint_assignment SET assigned_at = '2025-03-14 02:00:00' WHERE number = '{number}'")
    assert acceptance_deadlines(owner, number) == {"2025-03-18 17:30"}   # every worker's cache warm
    try:
        r = adm.post_json("/admin/calendar", {"op": "add", "day": "2025-03-17", "kind": "holiday", "name": "集群测试"})
        assert r.status == 200, r.brief()
        assert acceptance_deadlines(owner, number) == {"2025-03-19 17:30"}
    finally:
        r = adm.post_json("/admin/calendar", {"op": "delete", "day": "2025-03-17", "confirm": "1"})
        assert r.status == 200, r.brief()
    assert acceptance_deadlines(owner, number) == {"2025-03-18 17:30"}
