"""The auditor's signature register, exceptions and periodic review (issue 8, items 3, 4 and 10):
real signatures from the lifecycle, one seeded case of each exception (root SQL where the app
itself prevents the case, as a tampered or legacy record would look), the access rules."""

import io
import zipfile

from harness import DEMO_PASSWORD, agent_client, complaint_fields, json_fields, root_sql, test
from test_plans import investigating

HOME = ("/audit/signatures", "/audit/exceptions", "/audit/reviews")


def approved_penalty():
    """A fine proposed by production's head and approved by the GM (one wrong password first)."""
    owner, number = investigating(severity="3")
    head = agent_client("head.production")
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "100",
        "reason": "未做首件确认。", "rule": "《质量奖惩条例》第 12 条"})
    assert r.status == 201, r.brief()
    pid = r.json()["id"]
    gm = agent_client("gm")
    r = gm.post_json(f"/penalties/{pid}/step", {"action": "approve", "version": "1", "password": "wrong"})
    assert r.status == 422, r.brief()
    r = gm.post_json(f"/penalties/{pid}/step", {"action": "approve", "version": "1", "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()
    return number, pid


def exceptions(client, query=""):
    r = client.get_json("/audit/exceptions" + query)
    assert r.status == 200, r.brief()
    return {x["key"]: x for x in r.json()["exceptions"]}, r.json()


def numbers(lst):
    return {row["number"] for row in lst["rows"]}


@test
def only_auditors_and_the_gm_see_the_register_exceptions_and_reviews():
    for uid in ("agent", "supervisor", "head.production", "finance", "admin"):
        c = agent_client(uid)
        for path in HOME + ("/audit/signatures.csv", "/audit/signatures.xlsx"):
            assert c.get(path).status == 404, (uid, path)
        r = c.post_json("/audit/reviews", {"from": "2026-01-01", "to": "2026-01-31", "password": DEMO_PASSWORD})
        assert r.status == 404, (uid, r.brief())
    for uid in ("auditor", "gm"):
        c = agent_client(uid)
        for path in HOME:
            r = c.get(path)
            assert r.status == 200 and "reg_" not in r.text, (uid, path, r.brief())
            assert c.get_json(path).status == 200
    # the GM reads, never signs a review
    r = agent_client("gm").post_json("/audit/reviews", {"from": "2026-01-01", "to": "2026-01-31",
                                                        "password": DEMO_PASSWORD})
    assert r.status == 403, r.brief()


@test
def the_register_shows_each_signature_whether_it_still_applies_and_the_failed_attempts():
    number, pid = approved_penalty()
    auditor = agent_client("auditor")
    r = auditor.get_json("/audit/signatures?kind=penalty&signer=gm")
    assert r.status == 200, r.brief()
    v = r.json()
    mine = [s for s in v["signatures"] if s["entity_id"] == str(pid)]
    assert len(mine) == 1, v["signatures"][:3]
    s = mine[0]
    assert s["signer_uid"] == "gm" and s["role"] == "gm" and s["number"] == number
    assert s["still_applies"] is True and s["standing"] == "current", s
    assert s["amount_fen"] == 10000 and s["rule_stored"] is True and len(s["content_hash"]) == 64
    assert s["signed_at_utc"].endswith("Z")
    assert any(f["uid"] == "gm" for f in v["failures"]), v["failures"]
    # filters: another signer, an amount range that excludes it, a bad date beside its field
    assert not [x for x in auditor.get_json("/audit/signatures?kind=penalty&signer=nobody").json()["signatures"]]
    assert not [x for x in auditor.get_json("/audit/signatures?kind=penalty&min=200").json()["signatures"]
                if x["entity_id"] == str(pid)]
    assert [x for x in auditor.get_json("/audit/signatures?kind=penalty&min=50&max=100").json()["signatures"]
            if x["entity_id"] == str(pid)]
    r = auditor.get_json("/audit/signatures?from=2026-13-45&kind=bogus&after=x")
    assert r.status == 200 and {"from", "kind", "after"} <= set(r.json()["filter"]["errors"]), r.brief()
    # a root edit of the notice after signing: the signature now applies to an earlier content
    root_sql(f"UPDATE penalty SET reason = 'tampered' WHERE id = {int(pid)}")
    s = [x for x in auditor.get_json("/audit/signatures?kind=penalty&signer=gm").json()["signatures"]
         if x["entity_id"] == str(pid)][0]
    assert s["still_applies"] is False and s["standing"] == "changed", s
    # the same register to take away
    r = auditor.get("/audit/signatures.csv?kind=penalty")
    assert r.status == 200 and r.body.startswith(b"\xef\xbb\xbf"), r.brief()
    assert number in r.text and "tampered" not in r.text
    r = auditor.get("/audit/signatures.xlsx?kind=penalty")
    assert r.status == 200 and r.body[:2] == b"PK", r.brief()
    sheet = zipfile.ZipFile(io.BytesIO(r.body)).read("xl/worksheets/sheet1.xml").decode()
    assert "gm" in sheet


@test
def each_exception_is_found_with_a_link_to_its_case():
    auditor = agent_client("auditor")
    # 1-2: a legacy plan approved by its own proposer, with fewer signers than it required
    owner, n_plan = investigating(severity="3")
    root_sql(
        "INSERT INTO handling_plan (number, revision, state, responsibility, company_share_pct, loss_fen, "
        "amount_fen, explanation, required_roles, proposer_uid, proposer_name, proposer_role, proposed_at, "
        f"content_hash) VALUES ('{n_plan}', 9, 'approved', 'company', 100, 0, 2000000, 'legacy', "
        "'dept_head,deputy_gm,gm', 'gm', 'GM', 'gm', UTC_TIMESTAMP(), REPEAT('a', 64));"
        "INSERT INTO signature (number, entity, entity_id, revision, signer_uid, signer_name, role, decision, "
        f"meaning, comment, content_hash, signed_at) SELECT '{n_plan}', 'handling_plan', id, 9, 'gm', 'GM', 'gm', "
        f"'approve', 'legacy', '', REPEAT('a', 64), UTC_TIMESTAMP(6) FROM handling_plan WHERE number = '{n_plan}' "
        "AND revision = 9")
    # 3-4: a penalty changed after signing, executed before its approval and appealed late
    n_pen, pid = approved_penalty()
    root_sql(f"UPDATE penalty SET reason = 'changed', executed_at = decided_at - INTERVAL 1 DAY, "
             f"appealed_at = decided_at + INTERVAL 30 DAY WHERE id = {int(pid)}")
    # 5-6: a product-quality complaint closed after the reply, with neither callback nor 8D
    c = agent_client("agent")
    n_closed = c.register(json_fields(complaint_fields())).json()["number"]
    root_sql(f"UPDATE complaint SET status = 'closed', replied_at = UTC_TIMESTAMP(), callback_at = NULL "
             f"WHERE number = '{n_closed}'")
    # 7: a complaint past its response deadline that the sweep never reminded
    n_late = c.register(json_fields(complaint_fields(category="service_quality"))).json()["number"]
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 3 HOUR WHERE number = '{n_late}';"
             f"DELETE FROM reminder WHERE number = '{n_late}'")

    ex, v = exceptions(auditor)
    assert len(ex) == 7
    assert n_plan in numbers(ex["signer_party"]), ex["signer_party"]
    assert n_plan in numbers(ex["signers_rule"]), ex["signers_rule"]
    assert n_pen in numbers(ex["changed_after_signing"]), ex["changed_after_signing"]
    assert n_pen in numbers(ex["penalty_timing"])
    whats = [row["what"] for row in ex["penalty_timing"]["rows"] if row["number"] == n_pen]
    assert len(whats) == 2, whats   # executed early, appealed late
    assert n_closed in numbers(ex["closed_without_callback"])
    assert n_closed in numbers(ex["quality_without_8d"])
    assert n_late in numbers(ex["deadline_without_reminder"])
    assert n_late not in numbers(ex["closed_without_callback"])
    assert v["total"] >= 8
    for row in ex["penalty_timing"]["rows"]:
        assert row["url"].startswith("/penalties/")
    for row in ex["closed_without_callback"]["rows"]:
        assert row["url"] == f"/complaints/{row['number']}"
    # an empty list says so, with the period it covers
    page = auditor.get("/audit/exceptions?from=2020-01-01&to=2020-01-31")
    assert page.status == 200 and page.text.count("2020-01-01 – 2020-01-31") >= 7, page.brief()
    ex, v = exceptions(auditor, "?from=2020-01-01&to=2020-01-31")
    assert v["total"] == 0 and all(x["empty"] for x in ex.values())
    # a bad period: its message beside the filter, never a 500
    r = auditor.get_json("/audit/exceptions?from=2026-02-30&lang=en")
    assert r.status == 200 and "from" in r.json()["errors"], r.brief()
    assert not r.json()["errors"]["from"].startswith("err_"), r.json()["errors"]
    r = auditor.get_json("/audit/exceptions?from=2020-01-01&to=2026-01-01")
    assert r.status == 200 and "from" in r.json()["errors"], r.brief()


@test
def an_auditor_signs_a_periodic_review_and_an_overdue_one_shows_in_my_work():
    root_sql("DELETE FROM audit_review")
    auditor = agent_client("auditor")
    work = {x["key"] for x in auditor.get_json("/work").json()["lists"]}
    assert "audit_review_due" in work, work
    page = auditor.get("/work")
    assert "/audit/reviews" in page.text
    body = {"from": "2026-01-01", "to": "2026-12-31", "note": "月度复核", "password": "wrong"}
    r = auditor.post_json("/audit/reviews", body)
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = auditor.post_json("/audit/reviews", dict(body, to="2025-12-31", password=DEMO_PASSWORD))
    assert r.status == 422 and "to" in r.json()["errors"], r.brief()
    # a form post that fails shows the page again with the error beside the field
    r = auditor.post_form("/audit/reviews", dict(body))
    assert r.status == 422 and "月度复核" in r.text, r.brief()
    r = auditor.post_json("/audit/reviews", dict(body, password=DEMO_PASSWORD))
    assert r.status == 200, r.brief()
    rid, opened = r.json()["id"], r.json()["exceptions_open"]
    _, ex = exceptions(auditor, "?from=2026-01-01&to=2026-12-31")
    assert opened == ex["total"], (opened, ex["total"])
    reviews = auditor.get_json("/audit/reviews").json()["reviews"]
    assert reviews[0]["id"] == rid and reviews[0]["exceptions_open"] == opened
    assert reviews[0]["period_from"] == "2026-01-01" and reviews[0]["reviewer_uid"] == "auditor"
    # an electronic signature with its meaning, and an audit record, in the register too
    sig = root_sql(f"SELECT signer_uid, role, decision, content_hash FROM signature "
                   f"WHERE entity = 'audit_review' AND entity_id = {int(rid)}")
    assert sig == [["auditor", "auditor", "review", reviews[0]["content_hash"]]], sig
    ev = root_sql(f"SELECT actor_uid, actor_role FROM audit_event WHERE entity = 'audit_review' "
                  f"AND entity_id = '{int(rid)}' AND action = 'audit_review_signed'")
    assert ev == [["auditor", "auditor"]], ev
    regs = auditor.get_json("/audit/signatures?kind=audit_review").json()["signatures"]
    assert any(s["entity_id"] == str(rid) for s in regs)
    # reviewed now: no longer overdue
    work = {x["key"] for x in auditor.get_json("/work").json()["lists"]}
    assert "audit_review_due" not in work, work
    # nobody else sees that section
    assert "audit_review_due" not in {x["key"] for x in agent_client("gm").get_json("/work").json()["lists"]}
