"""The list of a reader who does not see all (issue 10, agentvis): sql/031's complaint_reader and
fcgi/list_vis.c read it as a union of index ranges (own, department, signer, product quality).
The rows must be exactly those of the rule (docs/lifecycle.md, "Who sees a complaint"), newest
first, on every page of the keyset cursor, with and without filters, after every write path that
changes who sees what: registration, assignment (accepted, refused), a report's signature, a
category corrected at triage, the first responder changed."""

from harness import agent_client, company_time, complaint_fields, json_fields, root_sql, test
from test_plans import act, file_report, investigating

import time

# who does not see all: uid -> (department, sees product quality)
READERS = {
    "agent": ("cs", 0), "agent2": ("cs", 0), "head.production": ("production", 0),
    "member.production": ("production", 0), "head.quality": ("quality", 0), "engineer": ("quality", 1),
    "qa.director": ("quality", 1), "finance": ("finance", 0), "hr": ("hr", 0),
}
# more requests than workers (bin/test starts 4): every worker has served the reader
ROUNDS = 6


def rule(uid, where="1 = 1"):
    """The numbers uid may see, newest first, by the rule itself (LIST_VISIBLE), over every row."""
    dept, quality = READERS[uid]
    rows = root_sql(
        f"SELECT number FROM complaint c WHERE ({where}) AND (c.owner_uid = '{uid}' "
        f"OR ({quality} = 1 AND c.category = 'product_quality') "
        f"OR EXISTS (SELECT 1 FROM complaint_assignment a WHERE a.number = c.number AND a.department = '{dept}') "
        f"OR EXISTS (SELECT 1 FROM signature s WHERE s.number = c.number AND s.signer_uid = '{uid}')) "
        f"ORDER BY c.received_at DESC, c.id DESC")
    return [r[0] for r in rows]


def listed(client, query=""):
    """Every page of the list, following next_url: the numbers in order and the first page's count."""
    path = "/complaints" + (f"?{query}" if query else "")
    got, count, pages = [], None, 0
    while path:
        r = client.get_json(path)
        assert r.status == 200, f"GET {path}: {r.brief()}"
        j = r.json()
        got += [str(x["number"]) for x in j["complaints"]]
        if count is None:
            count = j["count"]
        path = j.get("next_url")
        pages += 1
        assert pages < 200, "the cursor does not end"
    return got, count


def same_as_rule(uid, client=None, query="", where="1 = 1"):
    c = client or agent_client(uid)
    got, count = listed(c, query)
    want = rule(uid, where)
    assert got == want, (f"{uid} ?{query}: listed {len(got)}, the rule {len(want)}; "
                         f"only listed {[n for n in got if n not in want][:10]}, "
                         f"missing {[n for n in want if n not in got][:10]}")
    if count is not None:
        assert count == {"n": min(len(want), 1000), "more": len(want) > 1000}, (uid, query, count, len(want))
    return c


def registered(owner, minutes_ago, **over):
    fields = complaint_fields(received_at=time.strftime("%Y-%m-%dT%H:%M", company_time(minutes_ago * 60)),
                              **over)
    return owner.register(json_fields(fields)).json()["number"]


@test
def each_reader_lists_exactly_the_visible_complaints_of_the_rule_on_every_page_after_every_write_path():
    agent, agent2, sup = agent_client("agent"), agent_client("agent2"), agent_client("supervisor")
    # more than a page, interleaved in time with the cases below (two a minute: the cursor's
    # ties), so that the pages of agent2 and of the quality readers mix the branches
    for i in range(56):
        registered(agent2, 100 + 5 * (i // 2), category="product_quality")
    k = {}
    for i, (who, cat) in enumerate([(agent, "product_quality"), (agent2, "service_quality"),
                                     (agent, "contract"), (agent2, "product_quality"),
                                     (agent2, "damage"), (agent, "service_quality"), (agent2, "other")]):
        k[i] = registered(who, 200 + 35 * i, category=cat)
    # an assignment accepted (production), one refused (quality: still theirs by the rule)
    act(sup, k[1], "triage_substantiated")
    act(sup, k[1], "assign", departments="production,quality")
    act(agent_client("head.production"), k[1], "accept_assignment")
    act(agent_client("head.quality"), k[1], "refuse_assignment", reason="非质量问题，属生产工艺")
    # a category corrected at triage: into product quality, and out of it
    act(sup, k[4], "triage_substantiated", category="product_quality", severity="2", reason="批量不良。")
    act(sup, k[3], "triage_substantiated", category="service_quality", severity="3", reason="服务态度。")
    # an agent's complaint assigned to customer service: the other agent sees it too
    act(sup, k[2], "triage_substantiated")
    act(sup, k[2], "assign", departments="cs")
    # the first responder changed
    version = agent.get_json(f"/complaints/{k[5]}").json()["complaint"]["version"]
    r = sup.post_json(f"/complaints/{k[5]}/owner", {"owner": "agent2", "version": str(version)})
    assert r.status == 200, r.brief()
    # a report signed by the head of the department that investigates
    _, signed = investigating(severity="3")
    file_report(signed)
    # a signer outside the assigned departments (no screen lets finance sign; the row is what a
    # signature step writes, and the trigger that keeps the list is the same)
    root_sql("INSERT INTO signature (number, entity, entity_id, revision, signer_uid, signer_name, role, "
             "decision, meaning, content_hash, signed_at) VALUES "
             f"('{k[6]}', 'handling_plan', 999999, 1, 'finance', '财务', 'finance', 'approve', 'test', "
             f"REPEAT('0', 64), UTC_TIMESTAMP(6))")
    for uid in READERS:
        c = agent_client(uid)
        for _ in range(ROUNDS):   # every worker, its first page and its count
            same_as_rule(uid, c)
    assert k[6] in rule("finance") and k[2] in rule("agent2") and k[1] in rule("head.quality")
    assert k[4] in rule("engineer") and k[3] not in rule("engineer") and k[5] not in rule("agent")
    # the pages crossed branches: a department's or signer's row after the first page
    assert rule("agent2").index(k[2]) > 50 and rule("engineer").index(k[1]) > 50


@test
def a_reader_who_saw_only_their_own_lists_a_new_assignment_to_their_department_at_once():
    agent, agent2, sup = agent_client("agent"), agent_client("agent2"), agent_client("supervisor")
    registered(agent2, 30, category="contract")
    for _ in range(ROUNDS):   # every worker has read agent2's own complaints
        same_as_rule("agent2", agent2)
    for _ in range(ROUNDS):   # and a filtered page, on every worker
        same_as_rule("agent2", agent2, "category=damage", "category = 'damage'")
    # older than anything of agent2's: it comes on the last page, after the cursor
    number = registered(agent, 60 * 24 * 40, category="damage")
    assert number not in rule("agent2")
    act(sup, number, "triage_substantiated")
    act(sup, number, "assign", departments="cs")
    assert rule("agent2").index(number) > 50
    for _ in range(ROUNDS):   # the filtered page first: each worker still thinks agent2 sees their own
        same_as_rule("agent2", agent2, "category=damage", "category = 'damage'")
    for _ in range(ROUNDS):
        same_as_rule("agent2", agent2)


@test
def filtered_and_later_pages_of_the_list_follow_the_visibility_rule():
    agent = agent_client("agent")
    for i in range(3):
        registered(agent, 400 + i, category="suggestion")
    checks = [
        ("category=product_quality", "category = 'product_quality'"),
        ("status=registered", "status = 'registered'"),
        ("category=suggestion&status=registered", "category = 'suggestion' AND status = 'registered'"),
        ("severity=3", "severity = 3"),
        ("department=production", "EXISTS (SELECT 1 FROM complaint_assignment fd WHERE fd.number = c.number "
                                  "AND fd.department = 'production' AND fd.state <> 'refused')"),
    ]
    for uid in ("agent", "agent2", "engineer", "head.production", "head.quality"):
        c = agent_client(uid)
        for query, where in checks:
            same_as_rule(uid, c, query, where)


@test
def complaint_reader_holds_every_visibility_row_with_the_complaints_time_and_no_other():
    """sql/031's table against the rows it stands for: nothing missing, nothing left over."""
    want = root_sql(
        "SELECT CONCAT('d:', a.department), c.id, c.received_at FROM complaint_assignment a "
        "JOIN complaint c ON c.number = a.number UNION SELECT CONCAT('u:', s.signer_uid), c.id, c.received_at "
        "FROM signature s JOIN complaint c ON c.number = s.number ORDER BY 1, 2")
    got = root_sql("SELECT reader, complaint_id, complaint_received_at FROM complaint_reader ORDER BY 1, 2")
    assert got == want, (len(got), len(want), [r for r in want if r not in got][:5], [r for r in got if r not in want][:5])
