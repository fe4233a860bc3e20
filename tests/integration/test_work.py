"""Issue 7, "My work that means work": only what the person can act on now, one entry per record
with its reminders folded in, reminders acknowledged (POST, CSRF, audited), sections only for
those who can act, the penalised person's notice with its appeal deadline, and the header's
count rendered by the server on every page. As the demo users, against the real stack."""

import re

from harness import DEMO_PASSWORD, Client, agent_client, complaint_fields, json_fields, root_sql, test
from test_penalties import step as penalty_step
from test_plans import act, investigating


def sweep():
    from harness import admin
    p = admin("sweep")
    assert p.returncode == 0, p.stderr[-1500:]


def header_count(client, path="/complaints"):
    """The number beside "My work" in the HTML header, as the server rendered it (no script)."""
    html = client.get(path).text
    m = re.search(r'<span id="work-count"[^>]*>(\d+)</span>', html)
    return int(m.group(1)) if m else 0


def overdue_complaint(owner="agent"):
    c = agent_client(owner)
    number = c.register(json_fields(complaint_fields(severity="3"))).json()["number"]
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{number}'")
    sweep()
    return c, number


def my_reminders(client, number):
    return [r for r in client.get_json("/work").json().get("reminders", []) if r["number"] == number]


@test
def work_header_count_is_rendered_by_the_server_on_every_page_and_matches_my_work():
    sup = agent_client("supervisor")
    agent_client("agent").register(json_fields(complaint_fields(severity="3")))
    n = header_count(sup)
    assert n >= 1, n
    assert header_count(sup, "/penalties") == n
    assert sup.get_json("/work").json()["total"] == n
    # the JSON twin of any page carries it too
    assert sup.get_json("/complaints").json()["work_count"] == n
    # one more complaint to triage: one more in the count
    agent_client("agent").register(json_fields(complaint_fields(severity="3")))
    assert header_count(sup) == n + 1
    # the script no longer asks /work for it
    assert "fetch('/work'" not in Client().get("/static/kesu.js").text


@test
def work_lists_a_complaint_once_with_its_reminders_folded_in():
    owner, number = overdue_complaint()
    mine = my_reminders(owner, number)
    assert len(mine) == 1, mine
    docs = mine[0]["documents"]
    assert [(d["kind"], d["step"]) for d in docs] == [("reminder", "response")], docs
    assert docs[0]["ack_url"] == f"/reminders/{docs[0]['id']}/ack"
    # a case waiting for someone else (the supervisor's triage) is not in the owner's own list
    owned = {x["key"]: [r["number"] for r in x["rows"]] for x in owner.get_json("/work").json()["lists"]}
    assert number not in owned.get("owned", []), owned


@test
def work_a_reminder_acknowledged_leaves_the_count_and_is_audited():
    owner, number = overdue_complaint()
    before = header_count(owner)
    rid = my_reminders(owner, number)[0]["documents"][0]["id"]
    # another person's reminder is as unknown as one never issued; no CSRF token, no change
    assert agent_client("agent2").post_json(f"/reminders/{rid}/ack", {}).status == 404
    assert owner.post_json(f"/reminders/{rid}/ack", {}, csrf=False).status == 403
    r = owner.post_json(f"/reminders/{rid}/ack", {})
    assert r.status == 200 and r.json()["acknowledged"] is True, r.brief()
    assert my_reminders(owner, number) == []
    assert header_count(owner) == before - 1, (before, header_count(owner))
    # a second click changes nothing; the form answers with a redirect back to My work
    r = owner.post_form(f"/reminders/{rid}/ack", {})
    assert r.status == 303 and r.header("Location").startswith("/work"), r.brief()
    rows = root_sql(f"SELECT acked_by, acked_at IS NOT NULL FROM reminder WHERE id = {rid}")
    assert rows == [["agent", "1"]], rows
    hist = [h["action"] for h in owner.get_json(f"/complaints/{number}").json()["history"]]
    assert hist.count("reminder_acknowledged") == 1, hist
    # the supervisor's own copy of the reminder still counts for the supervisor
    assert my_reminders(agent_client("supervisor"), number), "the supervisor's reminder went too"


@test
def work_finance_and_hr_see_only_the_sections_they_can_act_on():
    for uid, allowed in (("finance", {"penalties_to_execute", "remedies_to_execute"}),
                         ("hr", {"penalties_to_execute"})):
        keys = {x["key"] for x in agent_client(uid).get_json("/work").json()["lists"]}
        assert keys <= allowed | {"penalty_notices"}, (uid, keys)
        assert "penalties_to_sign" not in keys and "appeals_to_decide" not in keys, (uid, keys)


@test
def work_the_penalised_person_sees_the_notice_and_the_appeal_deadline():
    _, number = investigating(severity="3")
    head = agent_client("head.production")
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "warning",
        "reason": "未按作业指导书执行首件确认。", "rule": "《质量奖惩条例》第 3 条"})
    assert r.status == 201, r.brief()
    pid = r.json()["id"]
    member = agent_client("member.production")
    notices = lambda: [x for x in member.get_json("/work").json()["lists"] if x["key"] == "penalty_notices"]
    assert not [row for x in notices() for row in x["rows"] if row["id"] == pid]
    assert penalty_step(agent_client("gm"), pid, "approve").status == 200
    rows = [row for x in notices() for row in x["rows"] if row["id"] == pid]
    assert len(rows) == 1 and rows[0]["appeal_until"], rows
    html = member.get("/work").text
    assert "work-penalty_notices" in html and rows[0]["appeal_until"] in html
    # appealed: nothing left to do for the person
    assert penalty_step(member, pid, "appeal", comment="首件确认记录在班组日志。").status == 200
    assert not [row for x in notices() for row in x["rows"] if row["id"] == pid]


@test
def work_8d_rows_have_their_own_columns():
    eng = agent_client("engineer")
    for x in eng.get_json("/work").json()["lists"]:
        if x["key"].startswith("8d_"):
            assert x["kind"] == "eightd", x
            for row in x["rows"]:
                assert {"eightd_id", "title", "complaint_number", "version"} <= set(row), row


@test
def whose_turn_after_registering_the_page_says_it_waits_for_the_supervisors_triage_by_name():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(severity="3"))).json()["number"]
    w = owner.get_json(f"/complaints/{number}").json()["whose_turn"]
    assert w["step"] == "triage" and w["role"] == "supervisor" and "李娜" in w["names"], w
    assert w["since"] and w["mine"] is False, w
    html = owner.get(f"/complaints/{number}").text
    assert 'id="whose-turn"' in html and "李娜" in html, html[:2000]
    sup = agent_client("supervisor")
    assert sup.get_json(f"/complaints/{number}").json()["whose_turn"]["mine"] is True
    act(sup, number, "triage_substantiated")
    act(sup, number, "assign", departments="quality")
    w = owner.get_json(f"/complaints/{number}").json()["whose_turn"]
    assert w["step"] == "accept" and w["role"] == "dept_head" and w["names"] == "杨洋", w
    assert agent_client("head.quality").get_json(f"/complaints/{number}").json()["whose_turn"]["mine"] is True


@test
def whose_turn_a_proposed_plan_names_its_next_signer():
    owner, number = investigating()
    from test_plans import file_report, propose
    file_report(number)
    assert propose(owner, number).status == 200
    w = owner.get_json(f"/complaints/{number}").json()["whose_turn"]
    first = root_sql(f"SELECT required_roles FROM handling_plan WHERE number = '{number}'")[0][0].split(",")[0]
    names = {"dept_head": "刘强", "deputy_gm": "周杰", "gm": "吴刚"}[first]
    assert w["step"] == "plan_sign" and w["role"] == first and names in (w["names"] or ""), w


@test
def whose_turn_plan_and_penalty_pages_show_the_signing_chain_with_names_times_and_a_legend():
    owner, number = investigating()
    from test_plans import file_report, propose, sign_plan
    file_report(number)
    assert propose(owner, number).status == 200
    plan = owner.get_json(f"/complaints/{number}").json()["plans"][0]
    chain = plan["chain"]
    assert [c["state"] for c in chain][0] == "next" and all(c["state"] == "later" for c in chain[1:]), chain
    assert all(c["who"] for c in chain), chain
    first = chain[0]["role"]
    signer = {"dept_head": "head.production", "deputy_gm": "deputy.gm", "gm": "gm"}[first]
    assert sign_plan(agent_client(signer), number).status == 200
    chain = owner.get_json(f"/complaints/{number}").json()["plans"][0]["chain"]
    assert chain[0]["state"] == "signed" and chain[0]["who"] and chain[0]["when"], chain
    html = owner.get(f"/complaints/{number}").text
    assert "chain-signed" in html and "chain-steps" in html and 'class="legend' in html
    # a penalty's page shows its chain too
    head = agent_client("head.production")
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "warning",
        "reason": "未做首件确认。", "rule": "《质量奖惩条例》第 3 条"})
    assert r.status == 201, r.brief()
    p = agent_client("gm").get_json(f"/penalties/{r.json()['id']}").json()["penalty"]
    assert p["chain"][0]["state"] == "next" and "吴刚" in (p["chain"][0]["who"] or ""), p["chain"]
    assert "chain-next" in agent_client("gm").get(f"/penalties/{r.json()['id']}").text


@test
def whose_turn_a_submitted_8d_shows_its_chain_and_tells_the_qa_director_by_mail():
    from test_8d import fill_all, open_8d, page, quality_complaint, submit
    from test_mail import new_mails, seen, send, to
    eng = agent_client("engineer")
    _, number = quality_complaint()
    eid = open_8d(eng, number)
    fill_all(eng, eid)
    send()
    before = seen()
    assert submit(eng, eid).status == 200
    chain = page(agent_client("qa.director"), eid)["chain"]
    assert chain[0]["role"] == "qa_director" and chain[0]["state"] == "next" and "黄敏" in chain[0]["who"], chain
    send()
    assert [m for m in to(new_mails(before), "qa.director@kesu.example") if f"8D-{eid}" in m[1]], new_mails(before)
