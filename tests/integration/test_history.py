"""Issue 8, "History": the authority matrix and the business calendar as they stood on a day, and
a complaint as it stood at an audit sequence number or a local time, rebuilt from the audit
trail. As the demo users, against the real stack."""

from harness import agent_client, complaint_fields, json_fields, root_sql, test
from test_plans import act, file_report, propose, sign_plan


def last_seq(number):
    return int(root_sql(f"SELECT MAX(seq) FROM audit_event WHERE entity = 'complaint' "
                        f"AND entity_id = '{number}'")[0][0])


def as_of(client, number, query):
    return client.get_json(f"/complaints/{number}?{query}")


def history_complaint():
    """Registered, triaged with a correction, assigned, reported, planned and approved; the seqs."""
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(category="service_quality", severity="3"))).json()["number"]
    seqs = {"registered": last_seq(number)}
    sup = agent_client("supervisor")
    act(sup, number, "triage_substantiated", category="product_quality", severity="2",
        reason="批量不良，影响客户产线。")
    seqs["triaged"] = last_seq(number)
    act(sup, number, "assign", departments="production")
    assert act(agent_client("head.production"), number, "accept_assignment")["status"] == "investigating"
    file_report(number)
    r = propose(owner, number, amount="500.00")
    assert r.status == 200, r.brief()
    seqs["proposed"] = last_seq(number)
    r = sign_plan(agent_client("head.production"), number)
    assert r.status == 200, r.brief()
    seqs["approved"] = last_seq(number)
    return owner, number, seqs


@test
def history_a_complaint_as_it_stood_after_registration_triage_and_approval():
    owner, number, seqs = history_complaint()
    now = owner.get_json(f"/complaints/{number}").json()
    aud = agent_client("auditor")

    # after registration: the registered record, nothing signed, no plan
    r = as_of(aud, number, f"as_of={seqs['registered']}")
    assert r.status == 200, r.brief()
    j = r.json()
    rec = j["record"]
    assert rec["status"] == "registered" and rec["category"] == "service_quality", rec
    assert str(rec["severity"]) == "3" and rec["number"] == number, rec
    assert j["signatures"] == [] and j["plans"] == [] and j["reports"] == [], j
    assert j["as_of"]["by_seq"] is True and j["as_of"]["last_seq"] <= seqs["registered"], j["as_of"]
    assert all(e["seq"] <= seqs["registered"] for e in j["events"]), j["events"]

    # after triage: the corrected category and level, still nothing signed
    j = as_of(aud, number, f"as_of={seqs['triaged']}").json()
    rec = j["record"]
    assert rec["status"] == "triaged" and rec["category"] == "product_quality", rec
    assert str(rec["severity"]) == "2" and "departments" not in rec, rec
    assert j["signatures"] == [] and j["plans"] == [], j
    assert {f["key"]: f["value"] for f in j["fields"]}["category"] != "product_quality", j["fields"]

    # after the proposal, before the approval: the plan is pending and only the report is signed
    j = as_of(aud, number, f"as_of={seqs['proposed']}").json()
    assert j["record"]["status"] == "plan_proposed", j["record"]
    assert [p["key"] for p in j["plans"]] == ["1"] and j["record"]["plans"]["1"]["state"] == "pending", j["plans"]
    assert [s["entity"] for s in j["signatures"]] == ["investigation_report"], j["signatures"]

    # after approval: what stands today, with both signatures, as the page shows them
    j = as_of(aud, number, f"as_of={seqs['approved']}").json()
    rec = j["record"]
    assert rec["status"] == now["complaint"]["status"] == "approved", rec
    assert rec["departments"] == ["production"], rec
    assert rec["plans"]["1"]["state"] == "approved", rec["plans"]
    assert rec["plans"]["1"]["content_hash"] == now["plans"][0]["content_hash"], rec["plans"]
    assert [(s["entity"], s["decision"]) for s in j["signatures"]] == [
        ("investigation_report", "approve"), ("handling_plan", "approve")], j["signatures"]
    assert "decision" not in rec and "role" not in rec, rec

    # the plan names the rule (version) of the matrix its signers came from, then and now
    (rule,), = root_sql("SELECT id FROM authority_rule WHERE action = 'handling_plan' AND severity = 0 "
                        "AND min_amount_fen IS NULL AND max_amount_fen = 100000")
    assert now["plans"][0]["authority_rules"]["ids"] == [int(rule)], now["plans"][0].get("authority_rules")
    assert rec["plans"]["1"]["rule_ids"] == rule, rec["plans"]
    day = now["plans"][0]["proposed_at"][:10]
    assert now["plans"][0]["authority_rules"]["matrix_url"] == f"/admin/authority?as_of={day}"
    html = aud.get(f"/complaints/{number}").text
    assert f'href="/admin/authority?as_of={day}"' in html and f"#{rule}" in html
    matrix = aud.get_json(f"/admin/authority?as_of={day}").json()
    assert int(rule) in {x["id"] for x in matrix["rules"]}, matrix["rules"]
    # and so does a penalty
    r = agent_client("head.production").post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "50",
        "reason": "换模后未做首件确认。", "rule": "《质量奖惩条例》第 12 条"})
    assert r.status == 201, r.brief()
    pen = aud.get_json(f"/penalties/{r.json()['id']}").json()["penalty"]
    (prule,), = root_sql("SELECT id FROM authority_rule WHERE action = 'penalty'")
    assert pen["authority_rules"]["ids"] == [int(prule)], pen.get("authority_rules")
    assert 'id="penalty-rules"' in aud.get(f"/penalties/{r.json()['id']}").text

    # a time: the minute of approval or later shows the same; a time before registration does not exist
    at = root_sql(f"SELECT DATE_FORMAT(CONVERT_TZ(MAX(at), '+00:00', '+08:00') + INTERVAL 1 MINUTE, "
                  f"'%Y-%m-%dT%H:%i') FROM audit_event WHERE entity = 'complaint' AND entity_id = '{number}'")[0][0]
    j = as_of(aud, number, f"at={at}").json()
    assert j["record"]["status"] == "approved" and j["as_of"]["by_seq"] is False, j["as_of"]
    r = as_of(aud, number, "at=2001-01-01T08:00")
    assert r.status == 400 and r.json()["error"] == "asof_err_before", r.brief()


@test
def history_the_point_in_time_page_is_read_only_with_a_banner_and_refuses_bad_input_clearly():
    owner, number, seqs = history_complaint()
    aud = agent_client("auditor")
    html = aud.get(f"/complaints/{number}?as_of={seqs['triaged']}").text
    assert 'id="as-of-banner"' in html and f'href="/complaints/{number}"' in html, html[:400]
    assert f'action="/complaints/{number}/' not in html and 'type="password"' not in html
    for q in ("as_of=abc", "as_of=0", "as_of=-3", "at=2026-02-30T10:00", "at=2026-11-23", "as_of=5&at=2026-11-23T10:00"):
        r = aud.get(f"/complaints/{number}?{q}")
        assert r.status == 400 and 'id="as-of-error"' in r.text, (q, r.brief())
        r = as_of(aud, number, q)
        assert r.status == 400 and r.json()["error"] == "asof_err_point", (q, r.brief())
    # only readers of the complaint: others learn nothing, not even whether the point is valid
    for uid in ("head.quality", "finance"):
        c = agent_client(uid)
        assert c.get_json(f"/complaints/{number}").status == 404, uid
        assert as_of(c, number, f"as_of={seqs['triaged']}").status == 404, uid
        assert as_of(c, number, "as_of=abc").status == 404, uid
    assert as_of(owner, number, f"as_of={seqs['triaged']}").status == 200


def rule_ids(j):
    return {x["id"] for x in j["rules"]}


@test
def history_the_matrix_as_of_a_day_before_and_after_a_rule_change():
    adm, aud = agent_client("admin"), agent_client("auditor")
    r = adm.post_json("/admin/authority", {"action": "hold_release", "severity": "4", "role1": "qa_director"})
    assert r.status == 200, r.brief()
    new = max(rule_ids(r.json()))
    # the rule came into force on 15 June 2025, 10:00 Beijing time (02:00 UTC)
    root_sql("UPDATE authority_rule_version SET effective_from = '2025-06-15 02:00:00' "
             f"WHERE rule_id = {new}")
    before = aud.get_json("/admin/authority?as_of=2025-06-14").json()
    after = aud.get_json("/admin/authority?as_of=2025-06-15").json()
    assert new not in rule_ids(before) and new in rule_ids(after), (rule_ids(before), new)
    assert rule_ids(before) and rule_ids(before) <= rule_ids(after), rule_ids(before)
    assert before["can_edit"] is False and before["as_of"] == "2025-06-14", before
    row = next(x for x in after["rules"] if x["id"] == new)
    assert row["effective_from"] == "2025-06-15 10:00" and row["effective_to"] is None, row
    # deleted today: gone from today's matrix, still in force on the day it stood
    r = adm.post_json(f"/admin/authority/{new}/delete", {})
    assert r.status == 200 and new not in rule_ids(r.json()), r.brief()
    after = aud.get_json("/admin/authority?as_of=2025-06-15").json()
    row = next(x for x in after["rules"] if x["id"] == new)
    assert row["effective_to"], row
    assert adm.get_json("/admin/authority?as_of=2025-06-15").json()["can_edit"] is False
    html = aud.get("/admin/authority?as_of=2025-06-15").text
    assert 'id="as-of-banner"' in html and 'action="/admin/authority' not in html.split('id="rules"')[1]
    r = aud.get("/admin/authority?as_of=2025-13-01")
    assert r.status == 400 and 'id="as-of-error"' in r.text, r.brief()
    assert aud.post_json("/admin/authority", {"action": "penalty", "severity": "0", "role1": "gm"}).status == 403
    assert aud.post_json(f"/admin/authority/{new}/delete", {}).status == 403


@test
def history_the_calendar_as_of_a_day_and_auditors_read_it_but_cannot_change_it():
    adm, aud = agent_client("admin"), agent_client("auditor")
    r = adm.post_json("/admin/calendar", {"op": "add", "day": "2031-05-02", "kind": "holiday", "name": "历史测试"})
    assert r.status == 200, r.brief()
    root_sql("UPDATE calendar_exception_version SET effective_from = '2025-06-15 02:00:00' "
             "WHERE day = '2031-05-02' AND effective_to IS NULL")
    days = lambda j: {e["day"] for e in j["exceptions"]}  # noqa: E731
    assert "2031-05-02" not in days(aud.get_json("/admin/calendar?as_of=2025-06-14").json())
    assert "2031-05-02" in days(aud.get_json("/admin/calendar?as_of=2025-06-16").json())
    r = adm.post_json("/admin/calendar", {"op": "delete", "day": "2031-05-02", "confirm": "1"})
    assert r.status == 200 and "2031-05-02" not in days(r.json()), r.brief()
    j = aud.get_json("/admin/calendar?as_of=2025-06-16").json()
    assert "2031-05-02" in days(j) and j["can_edit"] is False and j["as_of"] == "2025-06-16", j
    assert len(j["week"]) == 7, j["week"]
    # the week: Saturday worked since yesterday shows as of today, not as of a year ago
    r = adm.post_json("/admin/calendar", {"op": "week", "w6_s1f": "09:00", "w6_s1t": "12:00", "w6_s2f": "", "w6_s2t": ""})
    assert r.status == 200, r.brief()
    root_sql("UPDATE calendar_week_version SET effective_to = '2025-06-15 02:00:00' "
             "WHERE weekday = 6 AND effective_to IS NOT NULL ORDER BY id DESC LIMIT 1")
    root_sql("UPDATE calendar_week_version SET effective_from = '2025-06-15 02:00:00' "
             "WHERE weekday = 6 AND effective_to IS NULL")
    sat = lambda j: next(d for d in j["week"] if d["weekday"] == 6)  # noqa: E731
    assert sat(aud.get_json("/admin/calendar?as_of=2025-06-14").json())["s1f"] == ""
    assert sat(aud.get_json("/admin/calendar?as_of=2025-06-16").json())["s1f"] == "09:00"
    r = adm.post_json("/admin/calendar", {"op": "week", "w6_s1f": "", "w6_s1t": ""})
    assert r.status == 200, r.brief()
    # the auditor reads today's calendar without a single form, and every change is refused
    r = aud.get("/admin/calendar")
    assert r.status == 200 and 'id="week-read"' in r.text, r.brief()
    assert 'action="/admin/calendar"' not in r.text.replace('method="get" action="/admin/calendar"', ""), r.brief()
    assert aud.get_json("/admin/calendar").json()["can_edit"] is False
    assert adm.get_json("/admin/calendar").json()["can_edit"] is True
    for body in ({"op": "add", "day": "2031-05-03", "kind": "holiday", "name": "x"},
                 {"op": "delete", "day": "2031-05-02", "confirm": "1"},
                 {"op": "week", "w6_s1f": "09:00", "w6_s1t": "12:00"}):
        assert aud.post_json("/admin/calendar", body).status == 403, body
        assert aud.post_form("/admin/calendar", body).status == 403, body
    r = aud.get("/admin/calendar?as_of=2025-02-30")
    assert r.status == 400 and 'id="as-of-error"' in r.text, r.brief()
    # every other role still gets 403
    for uid in ("agent", "gm", "supervisor"):
        assert agent_client(uid).get_json("/admin/calendar").status == 403, uid


def entity_seq(entity, eid):
    return int(root_sql(f"SELECT MAX(seq) FROM audit_event WHERE entity = '{entity}' AND entity_id = '{eid}'")[0][0])


@test
def history_an_8d_as_it_stood_while_drafted_and_after_approval():
    from test_8d import D, fill_all, open_8d, quality_complaint, save, sign, submit
    _, number = quality_complaint()
    eng, director, aud = agent_client("engineer"), agent_client("qa.director"), agent_client("auditor")
    eid = open_8d(eng, number, title="历史 8D")
    opened = entity_seq("8d_report", eid)
    assert save(eng, eid, "d2", D["d2"]).status == 200
    drafted = entity_seq("8d_report", eid)
    fill_all(eng, eid)
    assert save(eng, eid, "d2", dict(D["d2"], d2_what="KX-200 开机异响（复核后）")).status == 200
    assert submit(eng, eid).status == 200
    assert sign(director, eid, comment="同意").status == 200
    approved = entity_seq("8d_report", eid)

    j = aud.get_json(f"/8d/{eid}?as_of={opened}").json()
    assert j["record"]["title"] == "历史 8D" and j["signatures"] == [], j["record"]
    assert "d2" not in j["record"].get("disciplines", {}), j["record"]
    j = aud.get_json(f"/8d/{eid}?as_of={drafted}").json()
    assert j["record"]["disciplines"]["d2"]["what"] == "KX-200 开机异响", j["record"]["disciplines"]
    assert j["signatures"] == [], j["signatures"]
    j = aud.get_json(f"/8d/{eid}?as_of={approved}").json()
    assert j["record"]["disciplines"]["d2"]["what"] == "KX-200 开机异响（复核后）", j["record"]["disciplines"]
    assert j["record"]["state"] == "approved", j["record"]
    assert [(s["entity"], s["decision"]) for s in j["signatures"]] == [("8d_report", "approve")], j["signatures"]
    assert "d4" in {d["code"] for d in j["disciplines"]}, j["disciplines"]
    html = aud.get(f"/8d/{eid}?as_of={drafted}").text
    assert 'id="as-of-banner"' in html and f'href="/8d/{eid}"' in html and f'action="/8d/{eid}/' not in html
    r = aud.get(f"/8d/{eid}?at=2001-01-01T00:00")
    assert r.status == 400 and 'id="as-of-error"' in r.text, r.brief()
    # the 8D's readers only
    assert agent_client("finance").get_json(f"/8d/{eid}").status == 404
    assert agent_client("finance").get_json(f"/8d/{eid}?as_of={approved}").status == 404


@test
def history_a_penalty_as_it_stood_when_proposed_and_after_approval():
    from harness import DEMO_PASSWORD
    _, number, _ = history_complaint()
    head, gm, aud = agent_client("head.production"), agent_client("gm"), agent_client("auditor")
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "100",
        "reason": "夜班换模未做首件确认。", "rule": "《质量奖惩条例》第 12 条"})
    assert r.status == 201, r.brief()
    pid = r.json()["id"]
    proposed = last_seq(number)
    v = gm.get_json(f"/penalties/{pid}").json()["penalty"]["version"]
    r = gm.post_json(f"/penalties/{pid}/step", {"action": "approve", "version": str(v), "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()
    approved = last_seq(number)

    j = aud.get_json(f"/penalties/{pid}?as_of={proposed}").json()
    assert j["record"]["state"] == "proposed" and j["record"]["amount_fen"] == 10000, j["record"]
    assert j["signatures"] == [], j["signatures"]
    j = aud.get_json(f"/penalties/{pid}?as_of={approved}").json()
    assert j["record"]["state"] == "approved" and j["record"]["reason"] == "夜班换模未做首件确认。", j["record"]
    assert [(s["entity"], s["role"]) for s in j["signatures"]] == [("penalty", "gm")], j["signatures"]
    # the complaint's other signatures (report, plan) are not this notice's
    r = aud.get_json(f"/penalties/{pid}?as_of={proposed - 1}")
    assert r.status == 400 and r.json()["error"] == "asof_err_before", r.brief()
    html = aud.get(f"/penalties/{pid}?as_of={approved}").text
    assert 'id="as-of-banner"' in html and f'action="/penalties/{pid}/step"' not in html
    assert agent_client("agent2").get_json(f"/penalties/{pid}?as_of={approved}").status == 404
