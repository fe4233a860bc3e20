"""Penalty notices (处罚通知单): proposed, signed by the GM, carried out by finance or HR, appealed and
decided; finance's list of approved money with its CSV export (issue 4, "Penalty notices", "Money
in one place"). As the demo users, against the real stack."""

from harness import DEMO_PASSWORD, agent_client, root_sql, test
from test_plans import act, file_report, investigating, propose, sign_plan


def pen(client, pid):
    r = client.get_json(f"/penalties/{pid}")
    return r.status, (r.json() if r.status == 200 else None)


def step(client, pid, action, comment=None, password=DEMO_PASSWORD, version=None):
    if version is None:
        # read straight from the database: signing the GM in for it would open one more
        # session each time, and a person keeps at most ten (issue 7)
        version = root_sql(f"SELECT version FROM penalty WHERE id = {int(pid)}")[0][0]
    body = {"action": action, "version": str(version)}
    if comment is not None:
        body["comment"] = comment
    if action != "appeal":
        body["password"] = password
    return client.post_json(f"/penalties/{pid}/step", body)


def work_keys(client):
    return {x["key"]: [row.get("id") for row in x["rows"]] for x in client.get_json("/work").json()["lists"]}


@test
def a_fine_is_proposed_approved_by_the_gm_executed_by_finance_appealed_and_revoked():
    owner, number = investigating(severity="3")
    head = agent_client("head.production")
    base = {"target_kind": "person", "target": "member.production", "kind": "fine", "amount": "100",
            "reason": "夜班换模未做首件确认，导致批量不良流出。", "rule": "《质量奖惩条例》第 12 条"}
    # errors next to the fields
    r = head.post_json(f"/complaints/{number}/penalties", dict(base, amount=""))
    assert r.status == 422 and "amount" in r.json()["errors"], r.brief()
    r = head.post_json(f"/complaints/{number}/penalties", dict(base, target="nobody.here"))
    assert r.status == 422 and "target" in r.json()["errors"], r.brief()
    # the owner (an agent) may not propose; another department's head does not even see it
    assert owner.post_json(f"/complaints/{number}/penalties", base).status == 403
    assert agent_client("head.quality").post_json(f"/complaints/{number}/penalties", base).status == 404
    r = head.post_json(f"/complaints/{number}/penalties", base)
    assert r.status == 201, r.brief()
    pid = r.json()["id"]

    # before approval: the penalised person, finance and HR do not see it
    for uid in ("member.production", "finance", "hr", "agent2"):
        assert pen(agent_client(uid), pid)[0] == 404, uid
    gm = agent_client("gm")
    assert pid in work_keys(gm).get("penalties_to_sign", []), work_keys(gm)
    # the proposer cannot approve; the GM with a wrong password signs nothing
    assert step(head, pid, "approve").status == 403
    r = step(gm, pid, "approve", password="wrong")
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = step(gm, pid, "approve")
    assert r.status == 200 and r.json()["state"] == "approved", r.brief()

    # in force: the person sees it; finance carries it out (HR does not: it is money)
    member, fin, hr = agent_client("member.production"), agent_client("finance"), agent_client("hr")
    assert pen(member, pid)[0] == 200
    assert pen(hr, pid)[0] == 404
    assert pid in work_keys(fin).get("penalties_to_execute", []), work_keys(fin)
    assert step(hr, pid, "execute").status == 404
    r = step(fin, pid, "execute")
    assert r.status == 200, r.brief()
    assert step(fin, pid, "execute").status == 409

    # the person appeals once, with a reason; the GM revokes with a comment
    assert step(member, pid, "appeal", comment="").status == 422
    r = step(member, pid, "appeal", comment="当晚首件确认已做，记录在班组日志第 3 页。")
    assert r.status == 200 and r.json()["state"] == "appealed", r.brief()
    assert step(member, pid, "appeal", comment="again").status == 409
    assert pid in work_keys(gm).get("appeals_to_decide", [])
    assert step(gm, pid, "revoke", comment="").status == 422
    r = step(gm, pid, "revoke", comment="经核查班组日志，首件确认已执行，撤销罚款。")
    assert r.status == 200 and r.json()["state"] == "revoked", r.brief()

    _, j = pen(gm, pid)
    p = j["penalty"]
    assert p["executed"] is True and p["state"] == "revoked", p
    assert [s["decision"] for s in p["signatures"]] == ["approve", "execute", "revoke"], p["signatures"]
    assert all(s["content_hash"] == p["content_hash"] and not s["earlier_version"] for s in p["signatures"])
    hist = [h["action"] for h in owner.get_json(f"/complaints/{number}").json()["history"]]
    for a in ("penalty_propose", "penalty_approve", "penalty_execute", "penalty_appeal", "penalty_revoke"):
        assert a in hist, (a, hist)


@test
def a_warning_to_a_department_goes_to_hr_and_a_rejected_one_to_nobody():
    _, number = investigating(severity="3")
    dgm = agent_client("deputy.gm")
    r = dgm.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "department", "target": "production", "kind": "warning",
        "reason": "同一批次重复投诉。", "rule": "《客户投诉管理办法》第 8 条"})
    assert r.status == 201, r.brief()
    pid = r.json()["id"]
    gm, hr, fin = agent_client("gm"), agent_client("hr"), agent_client("finance")
    assert step(gm, pid, "approve").status == 200
    assert pen(hr, pid)[0] == 200 and pen(fin, pid)[0] == 404
    assert pen(agent_client("member.production"), pid)[0] == 200   # a penalty on their department
    assert step(hr, pid, "execute").status == 200
    # the department's head appeals; the GM upholds
    head = agent_client("head.production")
    assert step(head, pid, "appeal", comment="已整改，请求撤销警告。").status == 200
    assert step(gm, pid, "uphold", comment="维持警告。").json()["state"] == "approved"
    # a rejected one is seen only by the proposer and the leadership
    r = dgm.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "department", "target": "production", "kind": "training",
        "reason": "x", "rule": "y"})
    rid = r.json()["id"]
    assert step(gm, rid, "reject", comment="证据不足").json()["state"] == "rejected"
    assert pen(hr, rid)[0] == 404 and pen(agent_client("member.production"), rid)[0] == 404
    rows = hr.get_json("/penalties").json()["penalties"]
    assert pid in [x["id"] for x in rows] and rid not in [x["id"] for x in rows], rows[:3]


@test
def finance_lists_approved_money_marks_it_executed_and_exports_csv():
    owner, number = investigating(severity="3")
    file_report(number)
    assert propose(owner, number, amount="888.50").status == 200
    assert sign_plan(agent_client("head.production"), number).status == 200
    fin = agent_client("finance")
    rows = [x for x in fin.get_json("/finance").json()["remedies"] if x["number"] == number]
    comp = [x for x in rows if x["kind"] == "compensation"]
    assert comp and comp[0]["amount"] == "888.50" and not comp[0]["executed"], rows
    assert agent_client("agent").get_json("/finance").status == 403
    assert agent_client("auditor").get_json("/finance").status == 200
    waiting = {x["key"]: [row["number"] for row in x["rows"]] for x in fin.get_json("/work").json()["lists"]}
    assert number in waiting.get("remedies_to_execute", []), waiting
    assert agent_client("auditor").post_json("/finance/execute", {"remedy": comp[0]["key"]}).status == 403
    r = fin.post_json("/finance/execute", {"remedy": comp[0]["key"], "note": "凭证 FK-2026-118"})
    assert r.status == 200, r.brief()
    assert fin.post_json("/finance/execute", {"remedy": comp[0]["key"]}).status == 409
    open_rows = [x for x in fin.get_json("/finance").json()["remedies"] if x["number"] == number]
    assert comp[0]["key"] not in [x["key"] for x in open_rows], open_rows
    all_rows = [x for x in fin.get_json("/finance?all=1").json()["remedies"] if x["key"] == comp[0]["key"]]
    assert all_rows and all_rows[0]["executed"] and all_rows[0]["executed_name"] == "徐芳", all_rows
    csv = fin.get("/finance.csv?all=1")
    assert csv.status == 200 and csv.body.startswith(b"\xef\xbb\xbf"), csv.brief()
    assert "text/csv" in (csv.header("Content-Type") or "")
    text = csv.body.decode("utf-8-sig")
    assert number in text and "888.50" in text and "凭证" not in text.splitlines()[0], text[:300]
    hist = [h["action"] for h in owner.get_json(f"/complaints/{number}").json()["history"]]
    assert "remedy_execute" in hist, hist
    act(owner, number, "record_reply", reply_text="已赔付。")


@test
def the_penalty_and_finance_pages_render_in_both_languages():
    _, number = investigating(severity="3")
    head = agent_client("head.production")
    page = head.get(f"/complaints/{number}").text
    assert 'id="penalty-form"' in page, "no penalty form for the head of a responsible department"
    r = head.post_form(f"/complaints/{number}/penalties", {"target_kind": "person", "target": "", "kind": "fine",
                                                           "amount": "", "reason": "", "rule": ""})
    assert r.status == 422 and 'id="e-target"' in r.text and 'id="e-amount"' in r.text, r.brief()
    r = head.post_form(f"/complaints/{number}/penalties", {"target_kind": "person", "target": "member.production",
                                                           "kind": "training", "reason": "培训", "rule": "第 3 条"})
    assert r.status == 303 and r.location.startswith("/penalties/"), r.brief()
    pid = r.location.rsplit("/", 1)[1]
    gm = agent_client("gm")
    for lang in ("zh", "en"):
        gm.lang = lang
        p = gm.get(f"/penalties/{pid}")
        assert p.status == 200 and 'id="penalty-state"' in p.text and 'id="step-approve"' in p.text, p.brief()
        assert gm.get("/penalties?state=proposed").status == 200
    gm.lang = "zh"
    r = gm.post_form(f"/penalties/{pid}/step", {"action": "approve", "version": "1", "password": DEMO_PASSWORD})
    assert r.status == 303 and r.location.endswith("?done=penalty_approve"), r.brief()
    assert 'role="status"' in gm.get(r.location).text, "no notice of the step just taken"
    fin = agent_client("finance")
    f = fin.get("/finance")
    assert f.status == 200 and 'id="finance-remedies"' in f.text and 'id="finance-csv"' in f.text, f.brief()


@test
def every_penalty_and_finance_route_as_every_role():
    _, number = investigating(severity="3")
    head = agent_client("head.production")
    pid = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "50",
        "reason": "r", "rule": "x"}).json()["id"]
    sees = {"head.production", "gm", "deputy.gm", "auditor"}     # proposed: not yet in force
    money = {"finance", "auditor"}
    users = ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality", "engineer",
             "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]
    problems = []
    for uid in users:
        c = agent_client(uid)
        got = {
            "GET /penalties/{id}": c.get_json(f"/penalties/{pid}").status,
            "POST execute": c.post_json(f"/penalties/{pid}/step", {"action": "execute", "version": "1",
                                                                   "password": "x"}).status,
            "POST appeal": c.post_json(f"/penalties/{pid}/step", {"action": "appeal", "version": "1",
                                                                  "comment": "x"}).status,
            "GET /penalties": c.get_json("/penalties").status,
            "GET /finance": c.get_json("/finance").status,
            "GET /finance.csv": c.get("/finance.csv").status,
            "POST /finance/execute": c.post_json("/finance/execute", {"remedy": "1:1"}).status,
        }
        want = {
            "GET /penalties/{id}": {200} if uid in sees else {404},
            # nobody may execute or appeal a proposed penalty; those who cannot see it get 404
            "POST execute": {403, 409, 422} if uid in sees else {404},
            "POST appeal": {403, 409} if uid in sees else {404},
            "GET /penalties": {200},
            "GET /finance": {200} if uid in money else {403},
            "GET /finance.csv": {200} if uid in money else {403},
            "POST /finance/execute": {404} if uid == "finance" else {403},
        }
        problems += [f"{uid} {k}: {got[k]}" for k in got if got[k] not in want[k]]
    assert not problems, "\n".join(problems)
    assert agent_client("gm").get_json(f"/penalties/{pid}").json()["penalty"]["state"] == "proposed"
