"""Investigation reports, handling plans and electronic signatures; the reply, the callback and
closure; who may see a complaint (issue 3: "Workflow", "Approvals and signatures", "Reply,
callback, closure", "People and visibility"). As the demo users, against the real stack."""

import threading

from harness import DEMO_PASSWORD, agent_client, complaint_fields, json_fields, root_sql, test

REPORT = {
    "cause": "注塑工序保压时间设定偏短，导致外壳局部缩痕。",
    "course": "11 月 2 日夜班换模后未做首件确认，批次 L2026-11-A 共 200 台流出。",
    "responsible": "注塑班组长（夜班）",
    "conclusion": "工艺参数设定错误，公司有责。",
    "countermeasures": "在库品全检，客户处不良品换货。",
    "preventive": "换模后首件确认纳入作业指导书，参数锁定。",
}


def version_of(client, number):
    d = client.get_json(f"/complaints/{number}").json()
    return d["complaint"]["version"], d


def act(client, number, action, **fields):
    version, _ = version_of(client, number)
    r = client.post_json(f"/complaints/{number}/action", dict(action=action, version=str(version), **fields))
    assert r.status == 200, f"{action}: {r.brief()}"
    return r.json()


def investigating(severity="2", amount_dept="production"):
    """A complaint that production investigates: registered, triaged, assigned, accepted."""
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(severity=severity))).json()["number"]
    sup = agent_client("supervisor")
    act(sup, number, "triage_substantiated")
    act(sup, number, "assign", departments=amount_dept)
    head = agent_client(f"head.{amount_dept}")
    assert act(head, number, "accept_assignment")["status"] == "investigating"
    return owner, number


def file_report(number, author="member.production", head_uid="head.production"):
    member = agent_client(author)
    r = member.post_json(f"/complaints/{number}/report", dict(REPORT, revision="0", submit="1"))
    assert r.status == 200, r.brief()
    head = agent_client(head_uid)
    r = head.post_json(f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                            "decision": "approve", "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()


def propose(client, number, amount="12000.00", **over):
    version, _ = version_of(client, number)
    body = {"version": str(version), "responsibility": "company", "loss": "15000",
            "explanation": "更换不良品并按合同赔偿客户停线损失。",
            "remedies": [{"kind": "replacement", "quantity": "12", "note": "换新机"},
                         {"kind": "compensation", "amount": amount, "note": "停线损失"},
                         {"kind": "apology", "note": "书面致歉"}]}
    body.update(over)
    return client.post_json(f"/complaints/{number}/plan", body)


def sign_plan(client, number, decision="approve", comment="", password=DEMO_PASSWORD, revision=None, version=None):
    v, d = version_of(client, number)
    if revision is None:
        revision = d["plans"][0]["revision"]
    return client.post_json(f"/complaints/{number}/plan/sign", {
        "version": str(version if version is not None else v), "revision": str(revision),
        "decision": decision, "comment": comment, "password": password})


@test
def a_report_is_written_by_a_member_and_signed_off_by_the_head_with_a_password():
    owner, number = investigating()
    member = agent_client("member.production")
    work = member.get_json("/work").json()
    todo = {x["key"]: [r["number"] for r in x["rows"]] for x in work["lists"]}
    assert number in todo.get("reports_to_write", []), todo
    # submitting needs every part
    r = member.post_json(f"/complaints/{number}/report", dict(REPORT, cause=" ", revision="0", submit="1"))
    assert r.status == 422 and "cause" in r.json()["errors"], r.brief()
    r = member.post_json(f"/complaints/{number}/report", dict(REPORT, revision="0", submit="1"))
    assert r.status == 200 and r.json()["revision"] == 1, r.brief()
    # the same revision cannot be submitted twice
    assert member.post_json(f"/complaints/{number}/report", dict(REPORT, revision="0", submit="1")).status == 409
    head = agent_client("head.production")
    rep = head.get_json(f"/complaints/{number}").json()["reports"][0]
    assert rep["state"] == "submitted" and rep["signable"] is True, rep
    # a member cannot sign off; a wrong password signs nothing
    r = member.post_json(f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                              "decision": "approve", "password": DEMO_PASSWORD})
    assert r.status == 403, r.brief()
    r = head.post_json(f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                            "decision": "approve", "password": "wrong"})
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    assert int(root_sql(f"SELECT COUNT(*) FROM signature WHERE number = '{number}'")[0][0]) == 0
    # returned with a comment, revised, signed off
    r = head.post_json(f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                            "decision": "return", "comment": "",
                                                            "password": DEMO_PASSWORD})
    assert r.status == 422 and "comment" in r.json()["errors"], r.brief()
    r = head.post_json(f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                            "decision": "return", "comment": "补充批次追溯",
                                                            "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()
    r = member.post_json(f"/complaints/{number}/report", dict(REPORT, course=REPORT["course"] + "已追溯到模具 M-7。",
                                                              revision="1", submit="1"))
    assert r.status == 200 and r.json()["revision"] == 2, r.brief()
    r = head.post_json(f"/complaints/{number}/report/sign", {"department": "production", "revision": "2",
                                                            "decision": "approve", "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()
    rep = owner.get_json(f"/complaints/{number}").json()["reports"][0]
    assert rep["state"] == "signed", rep
    sigs = rep["signatures"]
    assert [s["decision"] for s in sigs] == ["return", "approve"], sigs
    # the returned revision's signature applies to an earlier version; the sign-off to this one
    assert sigs[0]["earlier_version"] is True and sigs[1]["earlier_version"] is False, sigs
    assert sigs[1]["signer_name"] == "刘强" and sigs[1]["role"] == "dept_head", sigs[1]
    assert sigs[1]["content_hash"] == rep["content_hash"] and sigs[1]["meaning"], sigs[1]
    assert sigs[1]["signed_at_utc"].endswith("Z"), sigs[1]


@test
def a_plan_waits_for_the_reports_and_needs_the_signers_of_the_matrix_in_order():
    owner, number = investigating(severity="2")
    d = owner.get_json(f"/complaints/{number}").json()
    assert d.get("plan_waits_for_reports") is True and "plan_form" not in d, list(d)
    r = propose(owner, number)
    assert r.status == 422 and "plan" in r.json()["errors"], r.brief()
    file_report(number)
    # malformed plans: errors next to the fields
    r = propose(owner, number, responsibility="shared", company_share_pct="150",
                remedies=[{"kind": "compensation", "amount": "12.345"}])
    errs = r.json().get("errors", {})
    assert r.status == 422 and {"company_share_pct", "remedies"} <= set(errs), r.brief()
    r = propose(owner, number)
    assert r.status == 200 and r.json()["status"] == "plan_proposed", r.brief()
    plan = owner.get_json(f"/complaints/{number}").json()["plans"][0]
    # 12,000 yuan: department head, then deputy GM, then GM
    assert [s["role"] for s in plan["signers"]] == ["dept_head", "deputy_gm", "gm"], plan["signers"]
    assert plan["amount_fen"] == 1200000 and plan["state"] == "pending", plan
    # the GM cannot sign before the department head; the proposer never
    assert sign_plan(agent_client("gm"), number).status == 403
    r = sign_plan(agent_client("head.production"), number, password="not-it")
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = sign_plan(agent_client("head.production"), number)
    assert r.status == 200 and r.json()["status"] == "plan_proposed", r.brief()
    # the deputy GM returns it for revision: back to investigating, the plan kept as it was
    r = sign_plan(agent_client("deputy.gm"), number, decision="return", comment="赔偿金额请附依据")
    assert r.status == 200 and r.json()["status"] == "investigating", r.brief()
    # revision 2, three new signatures
    r = propose(owner, number, amount="11800.00")
    assert r.status == 200, r.brief()
    for uid in ("head.production", "deputy.gm", "gm"):
        r = sign_plan(agent_client(uid), number)
        assert r.status == 200, f"{uid}: {r.brief()}"
    d = owner.get_json(f"/complaints/{number}").json()
    assert d["complaint"]["status"] == "approved", d["complaint"]["status"]
    p2, p1 = d["plans"][0], d["plans"][1]
    assert (p2["revision"], p2["state"], p1["state"]) == (2, "approved", "returned"), (p2["state"], p1["state"])
    assert [(s["role"], s["decision"]) for s in p2["signatures"]] == [
        ("dept_head", "approve"), ("deputy_gm", "approve"), ("gm", "approve")], p2["signatures"]
    assert all(s["content_hash"] == p2["content_hash"] and not s["earlier_version"] for s in p2["signatures"])
    assert [s["decision"] for s in p1["signatures"]] == ["approve", "return"], p1["signatures"]
    # the print view carries the signatures and the hash
    pr = owner.get(f"/complaints/{number}/plan")
    assert pr.status == 200 and p2["content_hash"] in pr.text and "周杰" in pr.text and "吴刚" in pr.text, pr.brief()
    # reply, callback with satisfaction, closure
    assert act(owner, number, "record_reply", reply_text="已告知客户：换货 12 台并赔偿 11,800 元，客户接受。")["status"] == "replied"
    v, _ = version_of(owner, number)
    r = owner.post_json(f"/complaints/{number}/action", {"action": "record_callback", "version": str(v),
                                                        "satisfaction": "7"})
    assert r.status == 422 and "satisfaction" in r.json()["errors"], r.brief()
    assert act(owner, number, "record_callback", satisfaction="5", comment="处理及时")["status"] == "callback_done"
    assert act(owner, number, "close", reason="客户已接受处理结果；无需 8D 报告。")["status"] == "closed"
    c = owner.get_json(f"/complaints/{number}").json()["complaint"]
    assert c["satisfaction"] == 5 and c["reply_text"].startswith("已告知"), c
    # a signed plan changed afterwards: its signatures apply to an earlier version
    root_sql(f"UPDATE handling_plan SET explanation = CONCAT(explanation, '（改）') "
             f"WHERE number = '{number}' AND revision = 2")
    p2 = owner.get_json(f"/complaints/{number}").json()["plans"][0]
    assert all(s["earlier_version"] for s in p2["signatures"]), p2["signatures"]
    # one report sign-off, two on revision 1, three on revision 2: all kept
    assert int(root_sql(f"SELECT COUNT(*) FROM signature WHERE number = '{number}'")[0][0]) == 6


@test
def a_level_1_plan_of_500_yuan_needs_the_head_and_the_gm_and_nobody_approves_their_own():
    owner, number = investigating(severity="1")
    file_report(number)
    head = agent_client("head.production")
    r = propose(head, number, amount="500", remedies=[{"kind": "compensation", "amount": "500"}])
    assert r.status == 200, r.brief()
    plan = owner.get_json(f"/complaints/{number}").json()["plans"][0]
    assert [s["role"] for s in plan["signers"]] == ["dept_head", "gm"], plan["signers"]
    page = head.get_json(f"/complaints/{number}").json()["plans"][0]
    assert page.get("own_proposal") is True and not page.get("signable"), page
    assert sign_plan(head, number).status == 403
    assert int(root_sql(f"SELECT COUNT(*) FROM signature WHERE number = '{number}' AND entity = 'handling_plan'")[0][0]) == 0


@test
def two_signers_on_the_same_version_exactly_one_wins():
    owner, number = investigating(severity="3")
    file_report(number)
    assert propose(owner, number, amount="5000").status == 200
    assert sign_plan(agent_client("head.production"), number).status == 200
    a, b = agent_client("deputy.gm"), agent_client("deputy.gm")
    # the deputy GM sees it waiting in My work, counted in the header's total
    w = a.get_json("/work").json()
    waiting = {x["key"]: [row["number"] for row in x["rows"]] for x in w["lists"]}
    assert number in waiting.get("plans_to_sign", []), waiting
    assert w["total"] >= 1, w["total"]
    assert number not in {row["number"] for x in agent_client("gm").get_json("/work").json()["lists"]
                          if x["key"] == "plans_to_sign" for row in x["rows"]}, "the GM is not next"
    version, d = version_of(a, number)
    results = []

    def go(c):
        results.append(sign_plan(c, number, version=version, revision=d["plans"][0]["revision"]).status)

    ts = [threading.Thread(target=go, args=(c,)) for c in (a, b)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(results) == [200, 409], results
    rows = root_sql(f"SELECT COUNT(*) FROM signature WHERE number = '{number}' AND role = 'deputy_gm'")
    assert int(rows[0][0]) == 1, rows


@test
def a_complaint_is_seen_only_by_those_involved_and_404_for_everyone_else():
    owner, number = investigating(severity="3")
    for uid in ("agent", "supervisor", "head.production", "member.production", "deputy.gm", "gm", "auditor"):
        r = agent_client(uid).get_json(f"/complaints/{number}")
        assert r.status == 200, f"{uid}: {r.brief()}"
    for uid in ("agent2", "head.quality", "finance", "hr", "admin"):
        c = agent_client(uid)
        r = c.get_json(f"/complaints/{number}")
        assert r.status == 404, f"{uid} saw it: {r.status}"
        assert c.get(f"/complaints/{number}").status == 404
        rows = c.get_json(f"/complaints?q={number}").json()["complaints"]
        assert not rows, f"{uid} found it in the list"
        r = c.post_json(f"/complaints/{number}/action", {"action": "close", "version": "1"})
        assert r.status == 404, f"{uid} POST: {r.status}"
        assert c.get(f"/complaints/{number}/plan").status == 404
    # a number that does not exist answers the same
    assert agent_client("agent2").get_json("/complaints/999999999").status == 404


@test
def the_html_forms_show_errors_next_to_the_field_and_keep_what_was_typed():
    owner, number = investigating(severity="3")
    member = agent_client("member.production")
    page = member.get(f"/complaints/{number}").text
    assert 'id="report-form"' in page, "no report form for the member"
    r = member.post_form(f"/complaints/{number}/report", dict(REPORT, cause="", revision="0", submit="1"))
    assert r.status == 422 and 'id="e-cause"' in r.text and REPORT["conclusion"] in r.text, r.brief()
    r = member.post_form(f"/complaints/{number}/report", dict(REPORT, revision="0", submit="1"))
    assert r.status == 303, r.brief()
    head = agent_client("head.production")
    page = head.get(f"/complaints/{number}").text
    assert 'id="report-sign-form"' in page and 'type="password"' in page, "no sign-off form for the head"


@test
def the_administrator_edits_the_authority_matrix_and_others_cannot():
    admin_c = agent_client("admin")
    r = admin_c.get_json("/admin/authority")
    assert r.status == 200 and r.json()["can_edit"] is True, r.brief()
    rules = r.json()["rules"]
    assert {(x["action"], x["roles"]) for x in rules} >= {("handling_plan", "dept_head"), ("penalty", "gm"),
                                                          ("8d_report", "qa_director")}, rules
    assert r.json()["has_gaps"] is False, r.json()["gaps"]
    assert agent_client("agent").get_json("/admin/authority").status == 403
    aud = agent_client("auditor")
    assert aud.get_json("/admin/authority").json()["can_edit"] is False
    assert aud.post_json("/admin/authority", {"action": "penalty", "severity": "0", "role1": "gm"}).status == 403
    # refused with the reason next to the field
    r = admin_c.post_json("/admin/authority", {"action": "penalty", "severity": "0", "role1": "gm", "role2": "dept_head"})
    assert r.status == 422 and "roles" in r.json()["errors"], r.brief()
    r = admin_c.post_json("/admin/authority", {"action": "penalty", "severity": "0", "above": "10", "up_to": "10",
                                               "role1": "gm"})
    assert r.status == 422 and "up_to" in r.json()["errors"], r.brief()
    r = admin_c.post_form("/admin/authority", {"action": "penalty", "severity": "0", "role1": "auditor"})
    assert r.status == 422 and 'id="e-roles"' in r.text, r.brief()
    # taking away the top band leaves a gap, which the page names; putting it back closes it
    top = next(x for x in rules if x["action"] == "handling_plan" and x["above"] == "10,000.00" and not x["up_to"])
    r = admin_c.post_json(f"/admin/authority/{top['id']}/delete", {})
    assert r.status == 200 and r.json()["has_gaps"] is True, r.brief()
    assert any(g["amount"] == "10,000.01" for g in r.json()["gaps"]), r.json()["gaps"]
    r = admin_c.post_json("/admin/authority", {"action": "handling_plan", "severity": "0", "above": "10000",
                                               "role1": "dept_head", "role2": "deputy_gm", "role3": "gm"})
    assert r.status == 200 and r.json()["has_gaps"] is False, r.brief()
    acts = [a for (a,) in root_sql("SELECT action FROM audit_event WHERE entity = 'authority_rule' ORDER BY seq")]
    assert acts[-2:] == ["authority_rule_delete", "authority_rule_add"], acts


def upload(client, number, files, fields=None, accept="application/json"):
    """POST multipart/form-data: files is [(filename, bytes)]."""
    b = "kesuBoundary7MA4YWxk"
    parts = []
    fields = dict(fields or {})
    fields.setdefault("csrf_token", client.csrf or client.cookies.get("kesu_csrf", ""))
    for k, v in fields.items():
        parts.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for name, data in files:
        parts.append(f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{b}--\r\n".encode()
    return client.request("POST", f"/complaints/{number}/attachments", body=body, accept=accept,
                          headers={"Content-Type": f"multipart/form-data; boundary={b}"})


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8


@test
def attachments_are_typed_by_their_bytes_and_read_only_by_those_who_see_the_complaint():
    import hashlib
    owner, number = investigating(severity="3")
    r = upload(owner, number, [("缺陷照片 1.jpg", JPEG)])
    assert r.status == 201, r.brief()
    aid = r.json()["attachments"][0]
    d = owner.get_json(f"/complaints/{number}").json()
    att = d["attachments"][0]
    assert att["filename"] == "缺陷照片 1.jpg" and att["content_type"] == "image/jpeg", att
    assert att["sha256"] == hashlib.sha256(JPEG).hexdigest() and att["size"] == len(JPEG), att
    got = owner.get(f"/attachments/{aid}")
    assert got.status == 200 and got.body == JPEG, got.brief()
    assert got.header("Content-Type") == "image/jpeg", got.headers
    assert got.header("X-Content-Type-Options") == "nosniff", got.headers
    cd = got.header("Content-Disposition") or ""
    assert cd.startswith("attachment;") and "UTF-8''%E7%BC%BA" in cd, cd
    # the same rules as the complaint: 404 for those not involved, the auditor reads but adds nothing
    for uid in ("agent2", "head.quality", "finance"):
        assert agent_client(uid).get(f"/attachments/{aid}").status == 404, uid
        assert upload(agent_client(uid), number, [("x.jpg", JPEG)]).status == 404, uid
    aud = agent_client("auditor")
    assert aud.get(f"/attachments/{aid}").status == 200
    assert upload(aud, number, [("x.jpg", JPEG)]).status == 403
    # an HTML page called .jpg, an empty form, no CSRF token: refused
    r = upload(owner, number, [("evil.jpg", b"<html><script>alert(1)</script>")])
    assert r.status == 422 and "file" in r.json()["errors"], r.brief()
    r = upload(owner, number, [], accept="text/html")
    assert r.status == 422 and 'id="e-file"' in r.text, r.brief()
    assert upload(owner, number, [("a.jpg", JPEG)], fields={"csrf_token": "nope"}).status == 403
    # over the limit (10 MiB): the worker says so next to the field; far over it, nginx stops it
    r = upload(owner, number, [("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1048576 + 10))])
    assert r.status == 413 and "file" in r.json()["errors"], r.brief()
    r = upload(owner, number, [("huge.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1048576))])
    assert r.status == 413, r.brief()
    # a report's files: only its department's writers add them
    member = agent_client("member.production")
    r = upload(member, number, [("trace.pdf", b"%PDF-1.4\n%test\n")], fields={"department": "production"})
    assert r.status == 201, r.brief()
    assert upload(owner, number, [("x.pdf", b"%PDF-1.4\n")], fields={"department": "production"}).status == 403
    rep = owner.get_json(f"/complaints/{number}").json()["reports"][0]
    assert [x["filename"] for x in rep["attachments"]] == ["trace.pdf"], rep["attachments"]
    hist = [h["action"] for h in owner.get_json(f"/complaints/{number}").json()["history"]]
    assert hist.count("attachment_add") == 2, hist


@test
def every_route_as_every_role_on_a_complaint_of_another_department():
    """Production's complaint with a plan waiting and a file: those not involved get 404 on every
    route (as for a number never issued); those involved read it, and what they may not do is
    403/409/422 — never a change."""
    owner, number = investigating(severity="3")
    file_report(number)
    assert propose(owner, number, amount="800").status == 200
    aid = upload(owner, number, [("p.jpg", JPEG)]).json()["attachments"][0]
    version, _ = version_of(owner, number)
    sig = {"version": str(version), "revision": "1", "decision": "approve", "password": "wrong"}
    routes = [
        ("GET", f"/complaints/{number}", None),
        ("GET", f"/complaints/{number}/plan", None),
        ("GET", f"/attachments/{aid}", None),
        ("POST", f"/complaints/{number}/action", {"action": "close", "version": str(version)}),
        ("POST", f"/complaints/{number}/report", dict(REPORT, revision="0", submit="1")),
        ("POST", f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                      "decision": "approve", "password": "wrong"}),
        ("POST", f"/complaints/{number}/plan", {"version": str(version), "responsibility": "company",
                                               "explanation": "x", "remedies": [{"kind": "apology", "note": "x"}]}),
        ("POST", f"/complaints/{number}/plan/sign", sig),
    ]
    involved = {"agent", "supervisor", "head.production", "member.production", "deputy.gm", "gm", "auditor",
                "engineer", "qa.director"}   # the last two: a product-quality complaint
    problems = []
    for uid in ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality",
                "engineer", "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]:
        c = agent_client(uid)
        for method, path, body in routes:
            r = c.get_json(path) if method == "GET" else c.post_json(path, body)
            if uid not in involved:
                ok = r.status == 404
            elif method == "GET":
                ok = r.status == 200
            else:
                ok = r.status in (403, 409, 422)
            if not ok:
                problems.append(f"{uid} {method} {path}: {r.status}")
    assert not problems, "\n".join(problems)
    # nothing changed: still waiting for the head's signature, no signature on the plan
    d = owner.get_json(f"/complaints/{number}").json()
    assert d["complaint"]["status"] == "plan_proposed" and d["complaint"]["version"] == version, d["complaint"]
    assert not d["plans"][0]["signatures"], d["plans"][0]["signatures"]


@test
def the_supervisor_names_another_first_responder_who_then_owns_the_case():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(severity="3"))).json()["number"]
    sup = agent_client("supervisor")
    version, _ = version_of(sup, number)
    r = owner.post_json(f"/complaints/{number}/owner", {"owner": "agent2", "version": str(version)})
    assert r.status == 403, r.brief()
    for who, err in (("nobody.here", "owner"), ("head.production", "owner"), ("", "owner")):
        r = sup.post_json(f"/complaints/{number}/owner", {"owner": who, "version": str(version)})
        assert r.status == 422 and err in r.json()["errors"], (who, r.brief())
    r = sup.post_json(f"/complaints/{number}/owner", {"owner": "agent2", "version": str(version)})
    assert r.status == 200 and r.json()["owner_name"] == "张伟", r.brief()
    assert sup.post_json(f"/complaints/{number}/owner", {"owner": "agent", "version": str(version)}).status == 409
    a2 = agent_client("agent2")
    c = a2.get_json(f"/complaints/{number}").json()
    assert c["complaint"]["owner_uid"] == "agent2", c["complaint"]
    # registered, it waits for the supervisor's triage: it joins agent2's "owned" work list once it
    # waits for its owner (issue 7); the page already names agent2 as the first responder
    assert c["complaint"]["owner_name"] == "张伟", c["complaint"]
    ev = [h for h in c["history"] if h["action"] == "set_owner"]
    assert len(ev) == 1 and ev[0]["actor_uid"] == "supervisor", c["history"]
    # the case left the first agent's hands
    assert owner.get_json(f"/complaints/{number}").status == 404


@test
def wrong_passwords_at_signing_are_throttled_like_sign_in_and_audited():
    owner, number = investigating(severity="3")
    file_report(number)
    assert propose(owner, number, amount="300").status == 200
    qa = agent_client("qa.director")    # sees product-quality complaints; any signer would do
    got = [sign_plan(qa, number, password=f"guess-{i}").status for i in range(6)]
    try:
        assert got[0] == 422 and 429 in got, got
        n = root_sql("SELECT COUNT(*) FROM audit_event WHERE actor_uid = 'qa.director' "
                     "AND action = 'signature_password_failed'")
        assert int(n[0][0]) >= 3, n
    finally:
        root_sql("DELETE FROM login_failure WHERE throttle_key = 'u:qa.director'")
