"""The complaint page's counts, kept in one row per complaint (issue 10, pagefacts; sql/033).

The page row reads how many reports, signatures, plans, attachments, inquiries, penalties, 8D
reports and assignments a complaint has, and the signers of its newest pending plan, from
complaint_facts (kept by triggers) instead of counting them at every view. Through the real
routes, every counted thing is changed and the kept row must equal a fresh COUNT(*) after each
write, the page must show what the rows hold, and the migration's backfill must give back
exactly the rows the triggers kept.
"""

import os

from harness import agent_client, complaint_fields, env, json_fields, root_sql, test
from test_8d import open_8d, quality_complaint
from test_lifecycle import assign
from test_plans import JPEG, act, file_report, investigating, propose, sign_plan, upload

# complaint_facts' column, the table it counts (every row naming the complaint's number)
COUNTED = [("n_reports", "investigation_report"), ("n_signatures", "signature"), ("n_plans", "handling_plan"),
           ("n_attachments", "attachment"), ("n_inquiries", "overdue_inquiry"), ("n_penalties", "penalty"),
           ("n_8ds", "eightd_complaint"), ("n_assignments", "complaint_assignment")]
PENDING = ("(SELECT p.required_roles FROM handling_plan p WHERE p.number = c.number AND p.state = 'pending' "
           "ORDER BY p.revision DESC LIMIT 1)")


def kept_and_counted(number):
    """{column: (kept in complaint_facts, counted now)} of one complaint, pending_roles included."""
    kept = ", ".join(f"COALESCE(f.{col}, 0)" for col, _ in COUNTED)
    fresh = ", ".join(f"(SELECT COUNT(*) FROM {t} x WHERE x.number = c.number)" for _, t in COUNTED)
    row = root_sql(f"SELECT {kept}, COALESCE(f.pending_roles, '-'), {fresh}, COALESCE({PENDING}, '-') "
                   "FROM complaint c LEFT JOIN complaint_facts f ON f.complaint_number = c.number "
                   f"WHERE c.number = '{number}'")[0]
    n = len(COUNTED) + 1
    names = [col for col, _ in COUNTED] + ["pending_roles"]
    return {names[i]: (row[i], row[n + i]) for i in range(n)}


def assert_exact(number, **expect):
    """The kept row equals the fresh counts; and the counts are those expected (column=n)."""
    facts = kept_and_counted(number)
    wrong = {k: v for k, v in facts.items() if v[0] != v[1]}
    assert not wrong, f"{number}: kept != counted: {wrong}"
    for col, n in expect.items():
        assert facts[col][1] == str(n), f"{number}: {col} is {facts[col][1]}, expected {n}"
    return facts


def mismatches():
    """Every complaint whose kept row differs from its rows' counts (the whole database)."""
    differs = " OR ".join(f"COALESCE(f.{col}, 0) <> (SELECT COUNT(*) FROM {t} x WHERE x.number = c.number)"
                          for col, t in COUNTED)
    return root_sql("SELECT c.number FROM complaint c LEFT JOIN complaint_facts f ON f.complaint_number = c.number "
                    f"WHERE {differs} OR NOT (f.pending_roles <=> {PENDING})")


@test
def every_count_the_page_reads_stays_exact_through_assignments_reports_signatures_plans_and_inquiries():
    owner, number = investigating(severity="3")           # registered, triaged, assigned, accepted
    assert_exact(number, n_assignments=1, n_reports=0, n_signatures=0, n_plans=0)
    root_sql("UPDATE complaint_assignment SET assigned_at = UTC_TIMESTAMP() - INTERVAL 10 DAY "
             f"WHERE number = '{number}'")                 # accepted late: an inquiry after closure
    file_report(number)                                    # a report, its head's signature
    assert_exact(number, n_reports=1, n_signatures=1)
    assert propose(owner, number, amount="500", remedies=[{"kind": "compensation", "amount": "500"}]).status == 200
    facts = assert_exact(number, n_plans=1)
    assert facts["pending_roles"][0] not in ("-", ""), facts   # the pending plan's signers, kept
    d = owner.get_json(f"/complaints/{number}").json()
    assert len(d["plans"]) == 1 and len(d["assignments"]) == 1, d.get("plans")
    head = agent_client("head.production")
    assert sign_plan(head, number).status == 200
    facts = assert_exact(number, n_plans=1, n_signatures=2)
    assert facts["pending_roles"] == ("-", "-"), facts     # approved: nothing pending any more
    act(owner, number, "record_reply", reply_text="已告知客户赔偿 500 元，客户接受。")
    act(owner, number, "record_callback", satisfaction="4")
    assert act(owner, number, "close", reason="客户已接受处理结果；无需 8D 报告。")["status"] == "closed"
    from test_sweep import sweep
    sweep()
    sweep()
    assert_exact(number, n_inquiries=1)
    d = head.get_json(f"/complaints/{number}").json()
    assert d["complaint"]["status"] == "closed" and d["has_assignments"], d["complaint"]["status"]


@test
def every_count_the_page_reads_stays_exact_through_attachments_penalties_and_8d_links():
    owner, number = investigating(severity="3")
    assert upload(owner, number, [("照片 1.jpg", JPEG), ("照片 2.jpg", JPEG[:-1])]).status == 201
    assert_exact(number, n_attachments=2)
    assert len(owner.get_json(f"/complaints/{number}").json()["attachments"]) == 2
    head = agent_client("head.production")
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "50",
        "reason": "换模后未做首件确认。", "rule": "《质量奖惩条例》第 12 条"})
    assert r.status == 201, r.brief()
    assert_exact(number, n_penalties=1)
    assert len(head.get_json(f"/complaints/{number}").json()["penalties"]) == 1
    # an 8D linked to this complaint (product quality) and to a second one
    eng = agent_client("engineer")
    eid = open_8d(eng, number)
    assert_exact(number, n_8ds=1)
    _, other = quality_complaint()
    r = eng.post_json(f"/8d/{eid}/link", {"version": "1", "number": other})
    assert r.status in (200, 201), r.brief()
    assert_exact(other, n_8ds=1)
    assert_exact(number, n_8ds=1, n_attachments=2, n_penalties=1, n_assignments=1)


@test
def a_refused_assignment_and_a_second_department_are_counted_as_the_page_lists_them():
    owner = agent_client("agent")
    number = str(owner.register(json_fields(complaint_fields(severity="3"))).json()["number"])
    assert_exact(number, n_assignments=0)
    sup = agent_client("supervisor")
    act(sup, number, "triage_substantiated")
    assert assign(sup, number, ["production", "quality"]).status == 200
    assert_exact(number, n_assignments=2)
    act(agent_client("head.quality"), number, "refuse_assignment", reason="非本部门责任。")
    assert_exact(number, n_assignments=2)
    assert len(sup.get_json(f"/complaints/{number}").json()["assignments"]) == 2


@test
def the_migrations_backfill_gives_back_exactly_the_counts_the_triggers_kept():
    assert mismatches() == [], mismatches()
    cols = "complaint_number, " + ", ".join(col for col, _ in COUNTED) + ", COALESCE(pending_roles, '-')"
    nonzero = " OR ".join(f"{col} <> 0" for col, _ in COUNTED) + " OR pending_roles IS NOT NULL"
    kept = root_sql(f"SELECT {cols} FROM complaint_facts WHERE {nonzero} ORDER BY complaint_number")
    assert kept, "the suite's writes left no counted complaint"
    with open(os.path.join(env("KESU_ROOT"), "sql", "033_page_facts.sql")) as f:
        backfill = f.read().split("-- The backfill")[1].split("\n", 1)[1]
    backfill = "\n".join(line for line in backfill.splitlines() if not line.startswith("--"))
    root_sql("START TRANSACTION; DELETE FROM complaint_facts; " + backfill + " COMMIT;")
    again = root_sql(f"SELECT {cols} FROM complaint_facts WHERE {nonzero} ORDER BY complaint_number")
    assert again == kept, [r for r in again if r not in kept][:5] + [r for r in kept if r not in again][:5]
    assert mismatches() == []
