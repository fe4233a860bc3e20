"""Paper (issue 7, "Phones and paper"): the plan print the customer receives leaves out the
internal loss and the approvers' comments while the internal print keeps them; an 8D's print
view and PDF carry the signatures of the printed version only. As the demo users, against the
real stack."""

import os
import tempfile

from harness import get_pdf, agent_client, sh, test
from test_8d import D as D8, fill_all, open_8d, page as page_8d, quality_complaint, save as save_8d
from test_8d import sign as sign_8d, submit as submit_8d
from test_plans import file_report, investigating, propose, sign_plan

HEAD_COMMENT = "内部：赔偿偏高，财务请复核"
GM_COMMENT = "内部：下不为例"


def approved_plan_with_comments():
    owner, number = investigating(severity="2")
    file_report(number)
    r = propose(owner, number, loss="15432.10")
    assert r.status == 200, r.brief()
    for uid, comment in (("head.production", HEAD_COMMENT), ("deputy.gm", ""), ("gm", GM_COMMENT)):
        r = sign_plan(agent_client(uid), number, comment=comment)
        assert r.status == 200, f"{uid}: {r.brief()}"
    return owner, number


@test
def the_customer_plan_print_has_no_loss_and_no_approver_comment_while_the_internal_one_has_them():
    owner, number = approved_plan_with_comments()
    plan = owner.get_json(f"/complaints/{number}").json()["plans"][0]
    loss = plan["loss"]
    assert loss.replace(",", "") == "15432.10", loss
    # the complaint page links both copies, labelled
    assert plan["print_url"] == f"/complaints/{number}/plan?revision={plan['revision']}", plan["print_url"]
    assert plan["print_url_internal"] == plan["print_url"] + "&internal=1", plan["print_url_internal"]
    html = owner.get(f"/complaints/{number}?lang=zh").text
    assert "打印（给客户）" in html and "打印（内部）" in html, "the complaint page does not offer both prints"
    assert plan["print_url_internal"].replace("&", "&amp;") in html, "no link to the internal print"

    # the customer's copy: the remedies, the signers and their meanings, but no loss, no comment
    r = owner.get(plan["print_url"])
    assert r.status == 200, r.brief()
    text = r.text
    assert "12,000.00" in text, r.visible(2000)
    for name in ("刘强", "周杰", "吴刚"):
        assert name in text, f"the customer's print lacks the signature of {name}"
    assert loss not in text, "the customer's print shows the internal loss"
    assert HEAD_COMMENT not in text and GM_COMMENT not in text, "the customer's print shows an approver's comment"
    assert 'id="print-internal"' not in text
    j = owner.get_json(plan["print_url"]).json()
    assert "loss" not in j["plan"] and "loss_fen" not in j["plan"], sorted(j["plan"])
    assert all("comment" not in s for s in j["plan"]["signatures"]), j["plan"]["signatures"]
    assert j["internal"] is False
    # the JSON twin of a print holds the print, not the whole record
    assert "history" not in j and "customer_phone" not in j["complaint"], sorted(j)

    # the internal copy keeps both, says so, and is for readers of the complaint only
    r = owner.get(plan["print_url_internal"])
    assert r.status == 200, r.brief()
    assert loss in r.text and HEAD_COMMENT in r.text and GM_COMMENT in r.text, r.visible(2000)
    assert 'id="print-internal"' in r.text, "the internal print does not say it is internal"
    j = owner.get_json(plan["print_url_internal"]).json()
    assert j["internal"] is True and j["plan"]["loss_fen"] == 1543210, j["plan"].get("loss_fen")
    comments = [s.get("comment") or "" for s in j["plan"]["signatures"]]
    assert comments == [HEAD_COMMENT, "", GM_COMMENT], j["plan"]["signatures"]
    for uid in ("agent2", "head.quality", "hr", "admin"):
        c = agent_client(uid)
        for url in (plan["print_url"], plan["print_url_internal"]):
            assert c.get(url).status == 404, f"{uid} {url}"


def pdf_text(body):
    with tempfile.TemporaryDirectory(prefix="kesu-paper-") as d:
        path = os.path.join(d, "x.pdf")
        with open(path, "wb") as f:
            f.write(body)
        p = sh(["pdftotext", "-enc", "UTF-8", path, "-"], timeout=60)
        assert p.returncode == 0, p.stderr
        return "".join(p.stdout.split())


@test
def the_8d_print_and_pdf_show_only_the_signatures_of_the_printed_version():
    owner, number = quality_complaint()
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    fill_all(eng, eid)
    assert submit_8d(eng, eid).status == 200
    director = agent_client("qa.director")
    r = sign_8d(director, eid, decision="return", comment="第一版退回：验证不足", comment_d4="流出原因验证不足")
    assert r.status == 200, r.brief()
    r = eng.post_json(f"/8d/{eid}/revise", {"version": "1"})
    assert r.status == 200 and r.json()["version"] == 2, r.brief()
    assert save_8d(eng, eid, "d7", dict(D8["d7"], d7_similar_products="KX-300、KX-500 同步排查")).status == 200
    assert submit_8d(eng, eid).status == 200
    assert sign_8d(director, eid, comment="同意发布").status == 200
    # the page shows staff both versions' signatures ...
    assert [s["decision"] for s in page_8d(eng, eid)["signatures"]] == ["return", "approve"]
    # ... the print of version 2 only its own, whoever prints it (staff who see drafts included)
    for c in (owner, eng, director):
        j = c.get_json(f"/8d/{eid}/print").json()
        assert j["current"]["version"] == 2, j["current"]
        assert [(s["decision"], s["version"]) for s in j["signatures"]] == [("approve", 2)], j["signatures"]
        r = c.get(f"/8d/{eid}/print")
        assert r.status == 200, r.brief()
        assert 'data-decision="return"' not in r.text and "第一版退回" not in r.text, "the print lists the return of v1"
        assert 'data-decision="approve"' in r.text and "同意发布" in r.text, r.visible(2000)
    r = get_pdf(director, f"/8d/{eid}/pdf")
    assert r.status == 200 and r.body.startswith(b"%PDF-"), r.brief()
    text = pdf_text(r.body)
    assert "黄敏" in text and "同意发布" in text, text[:1500]
    assert "第一版退回" not in text, text[:3000]
