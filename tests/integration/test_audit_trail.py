"""The auditor's trail (issue 8, "trail"): /audit filtered, newest first, keyset-paginated, each
event with its diff and hashes; one timeline per complaint with its 8Ds; bad filters answered
beside the filter; CSV and .xlsx exports that are themselves audited; only auditors and the GM
see /audit*; every write route answers 403 to the auditor and changes nothing. As the demo
users, against the real stack."""

import os
import re

from harness import agent_client, complaint_fields, json_fields, root_sql, test

USERS = ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality",
         "engineer", "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]
READERS = {"auditor", "gm"}


def quality_complaint_with_8d():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(category="product_quality"))).json()["number"]
    eng = agent_client("engineer")
    r = eng.post_json(f"/complaints/{number}/8d", {"title": "审计追踪 8D"})
    assert r.status == 201, r.brief()
    eid = str(r.json()["id"])
    cur = eng.get_json(f"/8d/{eid}").json()["current"]
    r = eng.post_json(f"/8d/{eid}/save", {"version": str(cur["version"]), "revision": str(cur["revision"]),
                                          "discipline": "d0", "d0_emergency_response": "隔离批次"})
    assert r.status == 200, r.brief()
    return number, eid


def trail(client, query, status=200):
    r = client.get_json("/audit" + query)
    assert r.status == status, f"/audit{query}: {r.brief()}"
    return r.json()


@test
def only_auditors_and_the_gm_see_the_trail_and_its_exports_everyone_else_gets_404():
    problems = []
    for user in USERS:
        c = agent_client(user)
        want = 200 if user in READERS else 404
        for path in ("/audit", "/audit.csv", "/audit.xlsx"):
            got = c.get(path).status
            if got != want:
                problems.append(f"{user} GET {path}: {got}, expected {want}")
        got = c.get_json("/audit").status
        if got != want:
            problems.append(f"{user} GET /audit (JSON): {got}, expected {want}")
    assert not problems, "\n".join(problems)


@test
def a_complaints_trail_holds_its_own_and_its_8ds_events_newest_first_with_the_role_that_acted():
    number, eid = quality_complaint_with_8d()
    v = trail(agent_client("auditor"), f"?record={number}")
    ev = v["events"]
    seqs = [e["seq"] for e in ev]
    assert seqs == sorted(seqs, reverse=True), seqs
    kinds = {(e["entity"], e["entity_id"], e["action"]) for e in ev}
    assert ("complaint", number, "register") in kinds, kinds
    assert ("8d_report", eid, "8d_save") in kinds, kinds
    # the engineer holds two roles; opening and saving the 8D need the quality engineer's
    for e in ev:
        if e["action"] in ("8d_open", "8d_save"):
            assert e["actor_role"] == "quality_engineer", e
            assert e["actor_role_label"] and e["actor_role_label"] != "role_quality_engineer", e
    reg = next(e for e in ev if e["action"] == "register")
    assert reg["record_url"] == f"/complaints/{number}"
    assert reg["client_addr"] and reg["request_id"] and len(reg["hash"]) == 64 and len(reg["prev_hash"]) == 64
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", reg["at_local"]), reg["at_local"]
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", reg["at_utc"]), reg["at_utc"]
    # the hash chain links: each event's prev_hash is the hash stored before it
    rows = root_sql(f"SELECT hash FROM audit_event WHERE seq = {reg['seq'] - 1}")
    assert rows and rows[0][0] == reg["prev_hash"]
    # an 8D's own trail is its events only
    v8 = trail(agent_client("auditor"), f"?record=8d-{eid}")
    assert v8["events"] and all(e["entity"] == "8d_report" and e["entity_id"] == eid for e in v8["events"])
    # the page links to the trail; the complaint and 8D pages carry the "trail" link
    html = agent_client("auditor").get(f"/complaints/{number}").text
    assert f'href="/audit?record={number}"' in html
    html = agent_client("auditor").get(f"/8d/{eid}").text
    assert f'href="/audit?record=8d-{eid}"' in html
    assert 'id="trail-link"' not in agent_client("agent").get(f"/complaints/{number}").text


@test
def a_change_is_shown_field_by_field_with_translated_labels_and_codes():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields())).json()["number"]
    sup = agent_client("supervisor")
    version = sup.get_json(f"/complaints/{number}").json()["complaint"]["version"]
    r = sup.post_json(f"/complaints/{number}/action", {"action": "triage_substantiated", "version": str(version)})
    assert r.status == 200, r.brief()
    ev = trail(agent_client("auditor"), f"?record={number}&action=triage_substantiated")["events"]
    assert len(ev) == 1, ev
    status = [c for c in ev[0]["changes"] if c["field"] == "status"]
    assert status, ev[0]["changes"]
    assert status[0]["label"] == "Status"
    # codes as their labels, never the stored code or a raw key
    assert status[0]["before"] and not status[0]["before"].startswith("status_"), status
    assert status[0]["after"] != "triaged" and not status[0]["after"].startswith("status_"), status
    html = agent_client("auditor").get(f"/audit?record={number}").text
    assert "<details>" in html and ev[0]["hash"] in html
    assert 'id="audit-chain-note"' in html


@test
def bad_filters_get_a_message_beside_the_filter_never_a_500():
    a = agent_client("auditor")
    cases = {
        "?kind=bogus": "kind", "?after=abc": "after", "?after=0": "after", "?from=2026-13-01": "from",
        "?from=2026-02-30": "from", "?to=yesterday": "to", "?record=x1": "record", "?record=p-999999999": "record",
        "?role=king": "role", "?actor=A%20B": "actor", "?action=DROP%20TABLE": "action", "?only=all": "only",
        "?from=2026-05-02&to=2026-05-01": "to", "?from=2020-01-01&to=2026-01-01": "from",
    }
    for q, field in cases.items():
        v = trail(a, q, status=422)
        assert field in v["errors"], f"{q}: {v['errors']}"
        assert not v["errors"][field].startswith("audit_err"), v["errors"]
        r = a.get("/audit" + q)
        assert r.status == 422 and f'id="e-{field}"' in r.text, f"{q}: {r.brief()}"
    # a long period is fine with another filter to narrow it
    trail(a, "?from=2020-01-01&to=2026-01-01&actor=agent")
    trail(a, "?from=2020-01-01&kind=complaint")


@test
def pages_follow_each_other_by_sequence_number_without_overlap():
    owner = agent_client("agent")
    for _ in range(51):
        owner.register(json_fields(complaint_fields()))
    a = agent_client("auditor")
    p1 = trail(a, "?actor=agent")
    assert len(p1["events"]) == 50 and p1.get("next_url"), "not enough events for two pages"
    r = a.get_json(p1["next_url"])
    assert r.status == 200, r.brief()
    p2 = r.json()
    assert p2["events"] and p2["events"][0]["seq"] < p1["events"][-1]["seq"]
    assert all(e["actor_uid"] == "agent" for e in p1["events"] + p2["events"])
    # a kind filter reads windows of the chain; every event shown is of the kind
    v = trail(a, "?kind=session")
    assert all(e["entity"] == "session" for e in v["events"])
    v = trail(a, "?only=failures")
    assert all(e["action"] in ("signature_password_failed", "login_failed", "login_throttled", "access_refused")
               for e in v["events"])


@test
def the_exports_carry_the_same_filters_and_are_audited():
    number, _ = quality_complaint_with_8d()
    a = agent_client("auditor")
    r = a.get(f"/audit.csv?record={number}")
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv"), r.brief()
    assert r.body.startswith(b"\xef\xbb\xbf")
    lines = r.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith('"Seq."'), lines[0]
    assert any(number in line for line in lines[1:])
    x = a.get(f"/audit.xlsx?record={number}")
    assert x.status == 200 and x.body[:2] == b"PK", x.brief()
    ev = trail(a, "?action=audit_export&actor=auditor")["events"]
    assert len(ev) >= 2 and ev[0]["entity"] == "audit", ev[:1]
    assert {c["field"] for c in ev[0]["changes"]} >= {"format", "filters", "rows"}
    # a bad filter on an export is the page with its message, not a file
    r = a.get("/audit.csv?kind=bogus")
    assert r.status == 422 and 'id="e-kind"' in r.text


def write_routes():
    """Every POST route of main.c's table: (path template, argument kind, policy)."""
    src = open(os.path.join(os.path.dirname(__file__), "..", "..", "fcgi", "main.c"), encoding="utf-8").read()
    table = src[src.index("} routes[] = {"):src.index("/* The route of r")]
    pat = re.compile(r'\{ METHOD_POST, "([^"]*)", (\w+), (NULL|"[^"]*"), (\w+), [^,]+, (\w+),')
    return [(m.group(1), m.group(2), m.group(3).strip('"'), m.group(4), m.group(5)) for m in pat.finditer(table)]


@test
def every_write_route_answers_403_to_the_auditor_and_changes_nothing():
    number, eid = quality_complaint_with_8d()
    routes = write_routes()
    assert len(routes) >= 25, routes
    a = agent_client("auditor")
    before = root_sql("SELECT last_seq FROM audit_head")[0][0]
    counts = root_sql("SELECT (SELECT COUNT(*) FROM complaint), (SELECT COUNT(*) FROM eightd_version), "
                      "(SELECT COUNT(*) FROM signature), (SELECT COUNT(*) FROM penalty)")
    problems = []
    for path, match, suffix, policy, arg in routes:
        if policy in ("PUBLIC", "AUDIT_WORK"):
            continue   # sign-in, sign-out, ending one's own other sessions: no record changes
        value = number if arg == "ARG_NUMBER" else eid if arg == "ARG_ID" else ""
        url = path + (value + (suffix if suffix != "NULL" else "") if match != "EXACT" else "")
        for r in (a.post_json(url, {"version": "1", "action": "close", "decision": "approve"}),
                  a.post_form(url, {"version": "1", "action": "close"})):
            if r.status != 403:
                problems.append(f"POST {url}: {r.status}")
    assert not problems, "\n".join(problems)
    # only the refusals themselves are recorded (failed attempts, issue 8 auditfix)
    left = root_sql(f"SELECT seq, action FROM audit_event WHERE seq > {before} AND action <> 'access_refused'")
    assert not left, f"an auditor's write left an audit event: {left}"
    assert root_sql("SELECT (SELECT COUNT(*) FROM complaint), (SELECT COUNT(*) FROM eightd_version), "
                    "(SELECT COUNT(*) FROM signature), (SELECT COUNT(*) FROM penalty)") == counts


@test
def a_penaltys_trail_holds_only_its_own_events_and_its_page_links_to_it():
    from test_plans import investigating
    _, number = investigating(severity="3")
    head = agent_client("head.production")
    base = {"target_kind": "person", "target": "member.production", "kind": "fine", "amount": "100",
            "reason": "夜班换模未做首件确认。", "rule": "《质量奖惩条例》第 12 条"}
    pids = []
    for _ in range(2):
        r = head.post_json(f"/complaints/{number}/penalties", base)
        assert r.status == 201, r.brief()
        pids.append(str(r.json()["id"]))
    a = agent_client("auditor")
    ev = trail(a, f"?record=p-{pids[0]}")["events"]
    assert [e["action"] for e in ev] == ["penalty_propose"], ev
    assert ev[0]["record_url"] == f"/penalties/{pids[0]}"
    amount = [c for c in ev[0]["changes"] if c["field"] == "amount_fen"]
    assert amount and amount[0]["after"] == "100.00", ev[0]["changes"]
    # the complaint's trail holds both penalties
    acts = [e["record_url"] for e in trail(a, f"?record={number}&kind=penalty")["events"]]
    assert sorted(acts) == sorted(f"/penalties/{p}" for p in pids), acts
    assert f'href="/audit?record=p-{pids[0]}"' in a.get(f"/penalties/{pids[0]}").text
