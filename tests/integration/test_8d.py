"""8D reports (issue 4, "8D reports"): a quality engineer drafts and submits, the QA director
returns it with comments per discipline, the engineer revises, the director approves with the
password; the approved version never changes; hold notices and their signed release; the
print view and the PDF; who sees what. As the demo users, against the real stack."""

import os

from harness import env, get_pdf, DEMO_PASSWORD, admin, agent_client, complaint_fields, json_fields, root_sql, test

USERS = ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality",
         "engineer", "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]

D = {
    "d0": {"d0_emergency_response": "停止发货，通知客户隔离 L2026-11-A 批次", "d0_full_8d": "yes"},
    "d1": {"d1_champion": "黄敏", "d1_leader": "赵磊",
           "d1_members": [{"name": "陈静", "role": "生产", "contact": "分机 8021"},
                          {"name": "刘强", "role": "生产部长", "contact": ""}]},
    "d2": {"d2_what": "KX-200 开机异响", "d2_where": "客户产线", "d2_when": "2026-11 第二周", "d2_who": "华东机电",
           "d2_why": "影响客户装配", "d2_how": "开机测试", "d2_how_many": "12 台", "d2_is_is_not": "仅 L2026-11-A 批次",
           "d2_part_numbers": "KX200-PCB-01", "d2_lots": "L2026-11-A", "d2_defective_quantity": "12"},
    "d3": {"d3_containment": "在库品全检，在途拦截，客户处挑选", "d3_sorting": "挑出 3 台",
           "d3_verification": "复检 200 台 0 不良"},
    "d4": {"d4_causes": [{"kind": "occurrence", "cause": "保压时间偏短", "method": "five_whys", "verification": "复现试验"},
                         {"kind": "escape", "cause": "换模后未做首件", "method": "fishbone", "verification": "记录核查"}]},
    "d5": {"d5_actions": [{"kind": "occurrence", "action": "锁定保压参数", "verification": "三批验证"},
                          {"kind": "escape", "action": "首件确认纳入 WI", "verification": "审核"}]},
    "d6": {"d6_implementation": "已在 11 月 20 日实施", "d6_implemented_on": "2026-11-20", "d6_validation": "三批 0 不良",
           "d6_evidence": "验证报告 QR-88", "d6_containment_removed": "yes", "d6_containment_removed_on": "2026-11-25"},
    "d7": {"d7_fmea": "PFMEA 更新", "d7_control_plan": "CP 增加保压监控", "d7_work_instructions": "WI-12 修订",
           "d7_procedures": "QP-3 修订", "d7_similar_products": "KX-300 同步排查"},
    "d8": {"d8_lessons_learned": "换模后首件确认必须执行", "d8_recognition": "表彰 D 小组"},
}


def quality_complaint():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(category="product_quality"))).json()["number"]
    return owner, number


def open_8d(eng, number, title="KX-200 异响 8D"):
    r = eng.post_json(f"/complaints/{number}/8d", {"title": title})
    assert r.status == 201, r.brief()
    return str(r.json()["id"])


def page(client, eid, version=None):
    r = client.get_json(f"/8d/{eid}" + (f"?version={version}" if version else ""))
    assert r.status == 200, r.brief()
    return r.json()


def save(eng, eid, disc, fields, version=None, revision=None):
    if version is None:
        cur = page(eng, eid)["current"]
        version, revision = cur["version"], cur["revision"]
    body = {"version": str(version), "revision": str(revision), "discipline": disc}
    body.update(fields)
    return eng.post_json(f"/8d/{eid}/save", body)


def fill_all(eng, eid):
    for disc, fields in D.items():
        r = save(eng, eid, disc, fields)
        assert r.status == 200, f"{disc}: {r.brief()}"


def submit(eng, eid):
    cur = page(eng, eid)["current"]
    return eng.post_json(f"/8d/{eid}/submit", {"version": str(cur["version"]), "revision": str(cur["revision"])})


def sign(client, eid, decision="approve", password=DEMO_PASSWORD, **extra):
    cur = page(client, eid)["current"]
    body = {"version": str(cur["version"]), "revision": str(cur["revision"]), "decision": decision,
            "password": password}
    body.update(extra)
    return client.post_json(f"/8d/{eid}/sign", body)


@test
def an_8d_is_drafted_submitted_returned_per_discipline_revised_and_approved():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    # the complaint's page offers the engineer an 8D
    assert eng.get_json(f"/complaints/{number}").json()["can_open_8d"] is True
    eid = open_8d(eng, number)
    d = page(eng, eid)
    assert d["current"]["version"] == 1 and d["current"]["state"] == "draft", d["current"]
    assert [k["step"] for k in d["clocks"]] == ["8d_d3", "8d_d4", "8d_d7", "8d_d8"], d["clocks"]
    # submitting an empty draft names what is missing
    r = submit(eng, eid)
    assert r.status == 422 and "d0_emergency_response" in r.json()["errors"], r.brief()
    # one discipline at a time; a stale revision is refused
    r = save(eng, eid, "d0", D["d0"])
    assert r.status == 200 and r.json()["revision"] == 2, r.brief()
    r = save(eng, eid, "d0", D["d0"], version=1, revision=1)
    assert r.status == 409, r.brief()
    # bad values come back next to their field
    r = save(eng, eid, "d2", dict(D["d2"], d2_defective_quantity="十二"))
    assert r.status == 422 and "d2_defective_quantity" in r.json()["errors"], r.brief()
    fill_all(eng, eid)
    d = page(eng, eid)
    assert all(x["complete"] for x in d["disciplines"]), [x["code"] for x in d["disciplines"] if not x["complete"]]
    # D3's clock stopped once D3 was complete
    assert d["clocks"][0]["state"] == "met", d["clocks"][0]
    # the engineer's work list shows the draft
    work = {x["key"]: x for x in eng.get_json("/work").json()["lists"]}
    assert any(f"/8d/{eid}" == row["url"] for row in work["8d_to_write"]["rows"]), work.get("8d_to_write")
    r = submit(eng, eid)
    assert r.status == 200, r.brief()
    director = agent_client("qa.director")
    work = {x["key"]: x for x in director.get_json("/work").json()["lists"]}
    assert any(f"/8d/{eid}" == row["url"] for row in work["8d_to_approve"]["rows"]), work.get("8d_to_approve")
    assert page(director, eid)["signable"] is True
    # the engineer cannot approve; a return needs a comment; a wrong password signs nothing
    assert sign(eng, eid).status == 403
    r = sign(director, eid, decision="return")
    assert r.status == 422 and "comment" in r.json()["errors"], r.brief()
    r = sign(director, eid, password="wrong")
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = sign(director, eid, decision="return", comment_d4="流出原因验证不足", comment_d7="补充类似产品清单")
    assert r.status == 200, r.brief()
    d = page(eng, eid)
    assert d["current"]["state"] == "returned", d["current"]
    comments = {x["code"]: x.get("return_comment") for x in d["disciplines"]}
    assert comments["d4"] == "流出原因验证不足" and comments["d7"] == "补充类似产品清单" and comments["d0"] is None, comments
    # a returned version never changes: saving it is refused; a revision is a new version
    assert save(eng, eid, "d8", D["d8"]).status == 409
    r = eng.post_json(f"/8d/{eid}/revise", {"version": "1"})
    assert r.status == 200 and r.json()["version"] == 2, r.brief()
    r = save(eng, eid, "d4", {"d4_causes": D["d4"]["d4_causes"] + [
        {"kind": "escape", "cause": "终检未覆盖异响", "method": "is_is_not", "verification": "终检记录"}]})
    assert r.status == 200, r.brief()
    r = save(eng, eid, "d7", dict(D["d7"], d7_similar_products="KX-300、KX-500 同步排查"))
    assert r.status == 200, r.brief()
    d = page(eng, eid)
    changed = {(x["discipline"], x["field"]) for x in d["diff"]}
    assert d["diff_from"] == 1 and changed == {("d4", "causes"), ("d7", "similar_products")}, d["diff"]
    assert submit(eng, eid).status == 200
    r = sign(director, eid, comment="同意发布")
    assert r.status == 200, r.brief()
    d = page(owner, eid)
    assert d["current"]["version"] == 2 and d["current"]["state"] == "approved", d["current"]
    sigs = d["signatures"]
    assert [(s["decision"], s["version"]) for s in sigs] == [("approve", 2)], sigs
    assert sigs[0]["signer_name"] == "黄敏" and sigs[0]["role"] == "qa_director", sigs[0]
    assert sigs[0]["content_hash"] == d["current"]["content_hash"] and sigs[0]["earlier_version"] is False, sigs[0]
    # every version stays readable (for those who see drafts)
    assert page(eng, eid, version=1)["current"]["state"] == "returned"
    allsigs = page(eng, eid)["signatures"]
    assert [s["decision"] for s in allsigs] == ["return", "approve"], allsigs
    # the last clock stopped with the approval; the audit trail has every step
    assert d["clocks"][3]["state"] == "met", d["clocks"]
    acts = [a for (a,) in root_sql(f"SELECT action FROM audit_event WHERE entity = '8d_report' AND entity_id = '{eid}' ORDER BY seq")]
    for a in ("8d_open", "8d_save", "8d_submit", "8d_return", "8d_revise", "8d_approve"):
        assert a in acts, (a, acts)
    # the owner records that it was sent to the customer
    r = owner.post_json(f"/8d/{eid}/sent", {"version": "2", "recipient": "华东机电 质量部 王工", "note": "抄送客户经理"})
    assert r.status == 200, r.brief()
    assert page(owner, eid)["sent"][0]["recipient"] == "华东机电 质量部 王工"


def approved_8d():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    fill_all(eng, eid)
    assert submit(eng, eid).status == 200
    director = agent_client("qa.director")
    assert sign(director, eid).status == 200
    return owner, number, eid


@test
def an_approved_8d_version_cannot_be_changed_by_anyone_on_any_write_route():
    owner, number, eid = approved_8d()
    before = page(agent_client("engineer"), eid)["current"]
    assert before["state"] == "approved"
    v, rv = str(before["version"]), str(before["revision"])
    routes = [
        ("save", {"version": v, "revision": rv, "discipline": "d2", "d2_what": "篡改"}),
        ("submit", {"version": v, "revision": rv}),
        ("sign", {"version": v, "revision": rv, "decision": "return", "comment": "x", "password": DEMO_PASSWORD}),
        ("link", {"version": v, "number": number}),
        ("hold", {"version": v, "reason": "r", "lines": [{"location_kind": "warehouse", "location": "A1",
                                                         "part_no": "P", "lot": "L", "quantity": "1"}]}),
    ]
    for uid in USERS:
        c = agent_client(uid)
        for route, body in routes:
            r = c.post_json(f"/8d/{eid}/{route}", body)
            assert r.status in (403, 404, 409), f"{uid} {route}: {r.brief()}"
            if uid in ("engineer", "qa.director"):
                assert r.status in (409, 403), f"{uid} {route}: {r.brief()}"
        r = c.request("POST", f"/8d/{eid}/attachments",
                      body=multipart({"csrf_token": c.csrf, "version": v, "discipline": "d3"},
                                     "photo.png", PNG),
                      headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
        assert r.status in (403, 404, 409), f"{uid} attachments: {r.brief()}"
    eng = agent_client("engineer")
    assert eng.post_json(f"/8d/{eid}/save", routes[0][1]).status == 409
    after = page(eng, eid)["current"]
    assert after == before, (before, after)
    assert int(root_sql(f"SELECT COUNT(*) FROM eightd_version WHERE eightd_id = {eid}")[0][0]) == 1
    assert int(root_sql(f"SELECT COUNT(*) FROM attachment WHERE eightd_id = {eid}")[0][0]) == 0


BOUNDARY = "kesu8dboundary"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def multipart(fields, filename, data):
    out = b""
    for k, v in fields.items():
        out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").encode()
    out += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + data + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return out


@test
def an_8d_discipline_takes_attachments_that_only_readers_of_the_complaint_read():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    r = eng.request("POST", f"/8d/{eid}/attachments",
                    body=multipart({"csrf_token": eng.csrf, "version": "1", "discipline": "d3"}, "隔离照片.png", PNG),
                    headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Accept": "application/json"})
    assert r.status == 200, r.brief()
    d = page(eng, eid)
    files = [x for x in d["disciplines"] if x["code"] == "d3"][0]["attachments"]
    assert len(files) == 1 and files[0]["filename"] == "隔离照片.png", files
    url = files[0]["url"]
    assert eng.get(url).status == 200
    assert agent_client("auditor").get(url).status == 200
    for uid in ("agent2", "finance", "hr", "member.production"):
        assert agent_client(uid).get(url).status == 404, uid
    # a file that is not what it claims is refused
    r = eng.request("POST", f"/8d/{eid}/attachments",
                    body=multipart({"csrf_token": eng.csrf, "version": "1", "discipline": "d3"}, "x.png", b"MZ\x90\x00"),
                    headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Accept": "application/json"})
    assert r.status == 422 and "file" in r.json()["errors"], r.brief()


@test
def a_hold_notice_from_d3_is_released_with_the_qa_directors_signature():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    r = eng.post_json(f"/8d/{eid}/hold", {"version": "1", "reason": "L2026-11-A 异响，冻结全部库存", "lines": [
        {"location_kind": "warehouse", "location": "成品仓 A-03", "part_no": "KX200-PCB-01", "lot": "L2026-11-A", "quantity": "180"},
        {"location_kind": "in_transit", "location": "沪 A-12345 物流", "part_no": "KX200-PCB-01", "lot": "L2026-11-A", "quantity": "20"},
        {"location_kind": "at_customer", "location": "华东机电 来料仓", "part_no": "KX200-PCB-01", "lot": "L2026-11-A", "quantity": "12"}]})
    assert r.status == 200, r.brief()
    r = eng.post_json(f"/8d/{eid}/hold", {"version": "1", "reason": "x", "lines": [
        {"location_kind": "moon", "location": "?", "part_no": "P", "lot": "L", "quantity": "-1"}]})
    assert r.status == 422 and "lines" in r.json()["errors"], r.brief()
    hold = page(eng, eid)["holds"][0]
    assert hold["state"] == "on_hold" and [l["quantity"] for l in hold["lines"]] == [180, 20, 12], hold
    # the engineer who issued it cannot release it; the director can, with the password
    r = eng.post_json(f"/8d/{eid}/hold/release", {"hold": str(hold["id"]), "password": DEMO_PASSWORD})
    assert r.status == 403, r.brief()
    director = agent_client("qa.director")
    r = director.post_json(f"/8d/{eid}/hold/release", {"hold": str(hold["id"]), "password": "wrong"})
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = director.post_json(f"/8d/{eid}/hold/release", {"hold": str(hold["id"]), "comment": "复检合格",
                                                       "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()
    hold = page(eng, eid)["holds"][0]
    assert hold["state"] == "released" and hold["signatures"][0]["signer_name"] == "黄敏", hold
    assert hold["signatures"][0]["content_hash"] == hold["content_hash"], hold
    r = director.post_json(f"/8d/{eid}/hold/release", {"hold": str(hold["id"]), "password": DEMO_PASSWORD})
    assert r.status == 409, r.brief()


@test
def the_8d_print_view_and_pdf_of_an_approved_version():
    owner, number, eid = approved_8d()
    r = owner.get(f"/8d/{eid}/print")
    assert r.status == 200, r.brief()
    assert "8D" in r.text and "黄敏" in r.text and "保压时间偏短" in r.text, r.visible()
    # printed once, outside the request workers: 202 until the renderer has it, then the PDF
    first = owner.get(f"/8d/{eid}/pdf")
    assert first.status in (200, 202), first.brief()
    r = get_pdf(owner, f"/8d/{eid}/pdf")
    assert r.status == 200, r.brief()
    # printed once: twenty more requests at once are all served from the one file
    import threading
    got = []
    threads = [threading.Thread(target=lambda: got.append(owner.get(f"/8d/{eid}/pdf").status)) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert got == [200] * 20, got
    pdfs = [f for f in os.listdir(os.path.join(env("KESU_STATE"), "pdf")) if f.endswith(".pdf")]
    assert len([f for f in pdfs if open(os.path.join(env("KESU_STATE"), "pdf", f), "rb").read() == r.body]) == 1
    assert r.body.startswith(b"%PDF-"), r.body[:20]
    assert r.header("Content-Type") == "application/pdf", r.header("Content-Type")
    assert r.header("Content-Disposition", "").startswith("attachment"), r.header("Content-Disposition")
    assert r.header("X-Content-Type-Options") == "nosniff"
    # a draft has no print view
    eng = agent_client("engineer")
    eid2 = open_8d(eng, number, title="草稿")
    assert eng.get(f"/8d/{eid2}/print").status == 404
    assert eng.get(f"/8d/{eid2}/pdf").status == 404


@test
def the_8d_routes_answer_404_to_whoever_cannot_see_the_complaint():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    fill_all(eng, eid)
    sees_drafts = {"engineer", "qa.director", "auditor"}
    sees_complaint = sees_drafts | {"agent", "supervisor", "deputy.gm", "gm"}
    for uid in USERS:
        c = agent_client(uid)
        st = c.get_json(f"/8d/{eid}").status
        assert st == (200 if uid in sees_drafts else 404), f"{uid} draft: {st}"
        if uid not in sees_complaint:
            for route in ("save", "submit", "sign", "revise", "link", "sent", "hold", "hold/release"):
                r = c.post_json(f"/8d/{eid}/{route}", {"version": "1", "revision": "1", "hold": "1"})
                assert r.status == 404, f"{uid} {route}: {r.brief()}"
            assert c.post_json(f"/complaints/{number}/8d", {"title": "x"}).status == 404, uid
            assert c.get(f"/8d/{eid}/print").status == 404, uid
    # only quality engineers open an 8D, only on a product-quality complaint
    assert agent_client("agent").post_json(f"/complaints/{number}/8d", {"title": "x"}).status == 403
    other = agent_client("agent").register(json_fields(complaint_fields(category="service_quality"))).json()["number"]
    r = eng.post_json(f"/complaints/{other}/8d", {"title": "x"})
    assert r.status in (404, 422), r.brief()
    assert submit(eng, eid).status == 200
    assert sign(agent_client("qa.director"), eid).status == 200
    for uid in USERS:
        st = agent_client(uid).get_json(f"/8d/{eid}").status
        assert st == (200 if uid in sees_complaint else 404), f"{uid} approved: {st}"


@test
def one_8d_covers_several_complaints_and_their_readers_see_it_once_approved():
    owner, number = quality_complaint()
    _, second = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    r = eng.post_json(f"/8d/{eid}/link", {"version": "1", "number": second})
    assert r.status == 200, r.brief()
    assert eng.post_json(f"/8d/{eid}/link", {"version": "1", "number": second}).status == 422
    assert [c["number"] for c in page(eng, eid)["complaints"]] == [number, second]
    fill_all(eng, eid)
    assert submit(eng, eid).status == 200
    assert sign(agent_client("qa.director"), eid).status == 200
    listed = agent_client("agent").get_json(f"/complaints/{second}").json()["eightds"]
    assert [x["id"] for x in listed] == [int(eid)], listed


@test
def the_sweep_reminds_the_8d_owner_and_the_qa_director_of_a_late_discipline():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    root_sql(f"UPDATE eightd SET d3_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE id = {eid}")
    p = admin("sweep")
    assert p.returncode == 0, p.stderr
    rows = root_sql(f"SELECT step, addressee_type, addressee FROM reminder WHERE number = '{number}' "
                    f"AND department = '8d-{eid}' ORDER BY addressee_type")
    assert rows == [["8d_d3", "role", "qa_director"], ["8d_d3", "user", "engineer"]], rows
    p = admin("sweep")
    assert int(root_sql(f"SELECT COUNT(*) FROM reminder WHERE department = '8d-{eid}'")[0][0]) == 2
    work = agent_client("qa.director").get_json("/work").json()
    assert any(d["step"] == "8d_d3" and x["number"] == number for x in work.get("reminders", [])
               for d in x["documents"]), work.get("reminders")
    assert page(eng, eid)["clocks"][0]["state"] == "overdue"
