"""Issue 3, time: the clocks on the complaint page, `kesu-admin sweep` (reminders 催办单,
escalation to the leadership group, overdue inquiries 查办单 after closure) and the business
calendar the administrator edits. Deadlines are moved into the past with root_sql(), as if the
complaint had waited; steps the pages cannot take yet (plan, reply, callback) are stood in for
by setting the status directly, and say so."""

import re

from harness import Client, admin, agent_client, complaint_fields, json_fields, root_sql, test
from test_plans import act, file_report, propose, sign_plan


def new_complaint(owner="agent", **over):
    c = agent_client(owner)
    number = c.register(json_fields(complaint_fields(**over))).json()["number"]
    return c, number


def sweep():
    p = admin("sweep")
    assert p.returncode == 0, f"kesu-admin sweep exited {p.returncode}: {p.stdout} {p.stderr[-1500:]}"
    m = re.search(r"(\d+) reminders, (\d+) escalations, (\d+) inquiries issued", p.stdout)
    assert m, f"no summary line: {p.stdout!r}"
    return tuple(int(x) for x in m.groups())


def documents(number):
    """{(kind, step, department, addressee_type, addressee)} of the complaint's reminders."""
    return {tuple(r) for r in root_sql(
        "SELECT kind, step, department, addressee_type, addressee FROM reminder "
        f"WHERE number = '{number}'")}


def inquiries(number):
    return root_sql("SELECT id, department, addressee_type, addressee, steps, answered_by "
                    f"FROM overdue_inquiry WHERE number = '{number}' ORDER BY id")


def step(client, number, action, reason=None):
    d = client.get_json(f"/complaints/{number}").json()
    fields = {"action": action, "version": str(d["complaint"]["version"])}
    if reason is not None:
        fields["reason"] = reason
    if action == "assign":
        fields["departments"] = reason
        fields.pop("reason")
    r = client.post_json(f"/complaints/{number}/action", fields)
    assert r.status == 200, f"{action}: {r.brief()}"
    return r


def clocks(client, number):
    return {(k["step"], k.get("department")): k for k in client.get_json(f"/complaints/{number}").json()["clocks"]}


def work(client):
    return client.get_json("/work").json()


def reminders(client):
    """The reminders of "My work", one per document (the page folds them per complaint)."""
    return [dict(d, number=r["number"]) for r in work(client).get("reminders", []) for d in r["documents"]]


def history(client, number):
    return [h["action"] for h in client.get_json(f"/complaints/{number}").json()["history"]]


@test
def sweep_reminds_owner_and_supervisor_once_of_an_overdue_response_even_when_run_twice():
    owner, number = new_complaint(severity="3")
    k = clocks(owner, number)[("response", None)]
    assert k["state"] in ("ok", "warning") and k["running"] and not k["late"], k
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{number}'")
    sweep()
    sweep()
    assert documents(number) == {("reminder", "response", "", "user", "agent"),
                                 ("reminder", "response", "", "role", "supervisor")}, documents(number)
    # one audit record per document, by the sweep
    assert history(owner, number).count("reminder_issued") == 2, history(owner, number)
    k = clocks(owner, number)[("response", None)]
    assert k["state"] == "overdue" and k["late"] and k["remaining_minutes"] < 0, k
    # "My work" of both addressees lists it; a department head's does not
    mine = [r for r in reminders(owner) if r["number"] == number]
    assert [(r["kind"], r["step"]) for r in mine] == [("reminder", "response")], mine
    sup = [r for r in reminders(agent_client("supervisor")) if r["number"] == number]
    assert len(sup) == 1 and sup[0]["addressee"] == "supervisor", sup
    assert not [r for r in reminders(agent_client("head.production")) if r["number"] == number]
    assert 'id="work-reminders"' in owner.get("/work").text


@test
def sweep_escalates_a_level_1_or_2_complaint_past_its_response_deadline_to_the_leadership_group():
    owner, number = new_complaint(severity="2")
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 10 MINUTE WHERE number = '{number}'")
    sweep()
    docs = documents(number)
    assert {("escalation", "response", "", "role", "gm"), ("escalation", "response", "", "role", "deputy_gm")} <= docs, docs
    sweep()
    assert documents(number) == docs and len(docs) == 4, documents(number)
    for user in ("gm", "deputy.gm"):
        esc = [r for r in reminders(agent_client(user)) if r["number"] == number]
        assert [r["kind"] for r in esc] == ["escalation"], (user, esc)
    assert "escalation_issued" in history(owner, number)
    # answered in time: a complaint triaged before its deadline is not escalated
    _, other = new_complaint(severity="1")
    step(agent_client("supervisor"), other, "triage_substantiated")
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 10 MINUTE WHERE number = '{other}'")
    sweep()
    assert documents(other) == set(), documents(other)


@test
def sweep_reminds_the_department_head_of_an_assignment_and_the_department_of_its_late_report():
    owner, number = new_complaint(severity="3")
    sup = agent_client("supervisor")
    step(sup, number, "triage_substantiated")
    step(sup, number, "assign", "production")
    root_sql("UPDATE complaint_assignment SET assigned_at = UTC_TIMESTAMP() - INTERVAL 10 DAY "
             f"WHERE number = '{number}'")
    sweep()
    assert ("reminder", "acceptance", "production", "dept_head", "production") in documents(number)
    head = agent_client("head.production")
    assert [r["step"] for r in reminders(head) if r["number"] == number] == ["acceptance"]
    step(head, number, "accept_assignment")
    k = clocks(owner, number)
    assert k[("acceptance", "production")]["state"] == "late", k[("acceptance", "production")]
    assert k[("report", "production")]["running"], k
    root_sql("UPDATE complaint_assignment SET decided_at = UTC_TIMESTAMP() - INTERVAL 10 DAY "
             f"WHERE number = '{number}'")
    sweep()
    docs = documents(number)
    assert {("reminder", "report", "production", "dept", "production"),
            ("reminder", "report", "production", "dept_head", "production")} <= docs, docs
    member = [r for r in reminders(agent_client("member.production")) if r["number"] == number]
    assert [r["step"] for r in member] == ["report"], member
    assert clocks(owner, number)[("report", "production")]["late"]
    # the report, written and signed off on the page, ends the report's clock
    file_report(number)
    assert ("report", "production") not in clocks(owner, number)


@test
def sweep_inquires_after_closure_and_the_department_head_answers_on_the_page():
    owner, number = new_complaint(severity="3")
    sup = agent_client("supervisor")
    step(sup, number, "triage_substantiated")
    step(sup, number, "assign", "production")
    root_sql("UPDATE complaint_assignment SET assigned_at = UTC_TIMESTAMP() - INTERVAL 10 DAY "
             f"WHERE number = '{number}'")
    head = agent_client("head.production")
    step(head, number, "accept_assignment")   # accepted late
    sweep()
    assert inquiries(number) == [], "no inquiry while the complaint is open"
    # the rest of the road on the pages: report, a 500-yuan plan the head signs, reply, callback, close
    file_report(number)
    assert propose(owner, number, amount="500", remedies=[{"kind": "compensation", "amount": "500"}]).status == 200
    assert sign_plan(head, number).status == 200
    act(owner, number, "record_reply", reply_text="已告知客户赔偿 500 元，客户接受。")
    act(owner, number, "record_callback", satisfaction="4")
    assert act(owner, number, "close", reason="客户已接受处理结果；无需 8D 报告。")["status"] == "closed"
    sweep()
    sweep()
    q = inquiries(number)
    assert len(q) == 1 and q[0][1:5] == ["production", "dept_head", "production", "acceptance"], q
    qid = q[0][0]
    assert "inquiry_issued" in history(owner, number)
    mine = work(head)["inquiries"]
    assert [i["id"] for i in mine if i["number"] == number] == [int(qid)], mine

    # others may not answer; some may read
    other = agent_client("head.quality")
    assert other.get(f"/inquiries/{qid}").status == 403
    assert other.post_json(f"/inquiries/{qid}", {"answer": "not mine"}).status == 403
    assert agent_client("auditor").get_json(f"/inquiries/{qid}").json()["can_answer"] is False
    assert head.post_json(f"/inquiries/{qid}", {"answer": "x"}, csrf=False).status == 403

    page = head.get(f"/inquiries/{qid}")
    assert page.status == 200 and 'name="answer"' in page.text, page.brief()
    r = head.post_form(f"/inquiries/{qid}", {"answer": "　 "})
    assert r.status == 422 and 'id="e-answer"' in r.text, r.brief()
    text = "节前人手不足，分派单未及时查看；已指定副手每日查看待办。<b>"
    r = head.post_form(f"/inquiries/{qid}", {"answer": text})
    assert r.status == 303 and r.location == f"/inquiries/{qid}?answered=1", r.brief()
    j = head.get_json(f"/inquiries/{qid}").json()
    assert j["inquiry"]["answer"] == text and j["inquiry"]["answered_by"] == "head.production", j
    assert "&lt;b&gt;" in head.get(f"/inquiries/{qid}").text
    # answered once: the answer stays as given
    assert head.post_json(f"/inquiries/{qid}", {"answer": "again"}).status == 409
    assert inquiries(number)[0][5] == "head.production"
    assert "inquiry_answered" in history(owner, number)
    assert not [i for i in work(head)["inquiries"] if i["number"] == number]
    page = owner.get_json(f"/complaints/{number}").json()
    assert [i["answered"] for i in page["inquiries"]] == [True], page["inquiries"]


@test
def sweep_inquiry_of_a_case_no_department_took_goes_to_the_service_supervisors():
    owner, number = new_complaint(severity="3", category="grumble")
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{number}'")
    step(owner, number, "answer_grumble", "已解释退换货政策")   # answered, but late
    assert clocks(owner, number)[("response", None)]["state"] == "late"
    sweep()
    q = inquiries(number)
    assert len(q) == 1 and q[0][1:5] == ["cs", "role", "supervisor", "response"], q
    sup = agent_client("supervisor")
    assert [i["number"] for i in work(sup)["inquiries"]].count(number) == 1
    r = sup.post_json(f"/inquiries/{q[0][0]}", {"answer": "节假日值班安排不当，已调整。"})
    assert r.status == 200 and r.json()["inquiry"]["answered"] is True, r.brief()


@test
def sweep_clock_pauses_while_waiting_for_the_customer():
    owner, number = new_complaint(severity="3")
    step(agent_client("supervisor"), number, "triage_not_substantiated", "保修期外，已说明")
    k = clocks(owner, number)[("response", None)]
    assert k["state"] == "paused" and k["has_pauses"], k
    assert k["pauses"][0]["reason"] == "not_substantiated" and k["pauses"][0]["to"] is None, k
    html = owner.get(f"/complaints/{number}").text
    assert 'id="clocks"' in html and 'data-step="response"' in html


def calendar_post(client, fields, json=True):
    if json:
        return client.post_json("/admin/calendar", fields)
    return client.post_form("/admin/calendar", fields)


@test
def sweep_calendar_admin_adds_a_holiday_that_moves_a_working_day_deadline():
    adm = agent_client("admin")
    owner, number = new_complaint(severity="3")
    sup = agent_client("supervisor")
    step(sup, number, "triage_substantiated")
    step(sup, number, "assign", "quality")
    # assigned Friday 7 March 2025, 10:00 in Beijing: by the 2nd working day is Tuesday 17:30
    root_sql("UPDATE complaint_assignment SET assigned_at = '2025-03-07 02:00:00' "
             f"WHERE number = '{number}'")
    assert clocks(owner, number)[("acceptance", "quality")]["deadline"] == "2025-03-11 17:30"

    r = calendar_post(adm, {"op": "add", "day": "2025-03-10", "kind": "holiday", "name": "测试假日"}, json=False)
    assert r.status == 303 and r.location == "/admin/calendar?saved=added", r.brief()
    assert clocks(owner, number)[("acceptance", "quality")]["deadline"] == "2025-03-12 17:30"
    j = adm.get_json("/admin/calendar").json()
    assert {"day": "2025-03-10", "kind": "holiday", "name": "测试假日"}.items() <= \
        next(e for e in j["exceptions"] if e["day"] == "2025-03-10").items(), j["exceptions"]
    # the same day twice, a bad date, an empty name: errors next to the fields
    r = calendar_post(adm, {"op": "add", "day": "2025-03-10", "kind": "workday", "name": "x"})
    assert r.status == 422 and "day" in r.json()["errors"], r.brief()
    r = calendar_post(adm, {"op": "add", "day": "2025-02-30", "kind": "bogus", "name": " "}, json=False)
    assert r.status == 422 and all(f'id="e-{f}"' in r.text for f in ("day", "kind", "name")), r.brief()

    # deleting asks first
    page = adm.get("/admin/calendar?delete=2025-03-10").text
    assert 'id="confirm-delete"' in page and 'name="confirm" value="1"' in page
    r = calendar_post(adm, {"op": "delete", "day": "2025-03-10"})
    assert r.status == 422 and "confirm" in r.json()["errors"], r.brief()
    assert clocks(owner, number)[("acceptance", "quality")]["deadline"] == "2025-03-12 17:30"
    r = calendar_post(adm, {"op": "delete", "day": "2025-03-10", "confirm": "1"}, json=False)
    assert r.status == 303, r.brief()
    assert clocks(owner, number)[("acceptance", "quality")]["deadline"] == "2025-03-11 17:30"
    acts = root_sql("SELECT action, actor_uid FROM audit_event WHERE entity = 'calendar' "
                    "AND entity_id = '2025-03-10' ORDER BY seq")
    assert acts == [["calendar_exception_add", "admin"], ["calendar_exception_delete", "admin"]], acts


@test
def sweep_calendar_admin_edits_the_weekly_hours_with_errors_next_to_the_field():
    adm = agent_client("admin")
    r = calendar_post(adm, {"op": "week", "w1_s1f": "08:30", "w1_s1t": "25:00"}, json=False)
    assert r.status == 422 and 'aria-invalid="true"' in r.text, r.brief()
    r = calendar_post(adm, {"op": "week", "w2_s1f": "12:00", "w2_s1t": "08:00", "w2_s2f": "", "w2_s2t": ""})
    assert r.status == 422 and list(r.json()["errors"]) == ["w2_s1t"], r.brief()
    r = calendar_post(adm, {"op": "week", **{f"w{d}_{f}": "" for d in range(7) for f in ("s1f", "s1t", "s2f", "s2t")}})
    assert r.status == 422 and "week" in r.json()["errors"], r.brief()
    # Saturday becomes a half working day, then a day off again; both audited
    r = calendar_post(adm, {"op": "week", "w6_s1f": "09:00", "w6_s1t": "12:00", "w6_s2f": "", "w6_s2t": ""})
    assert r.status == 200, r.brief()
    sat = next(d for d in r.json()["week"] if d["weekday"] == 6)
    assert (sat["s1f"], sat["s1t"], sat["s2f"]) == ("09:00", "12:00", ""), sat
    mon = next(d for d in r.json()["week"] if d["weekday"] == 1)
    assert (mon["s1f"], mon["s1t"], mon["s2f"], mon["s2t"]) == ("08:30", "12:00", "13:00", "17:30"), mon
    r = calendar_post(adm, {"op": "week", "w6_s1f": "", "w6_s1t": ""}, json=False)
    assert r.status == 303, r.brief()
    assert root_sql("SELECT span1_from FROM calendar_week WHERE weekday = 6") == [["NULL"]]
    n = root_sql("SELECT COUNT(*) FROM audit_event WHERE entity = 'calendar' AND entity_id = 'week'")
    assert int(n[0][0]) >= 2, n


@test
def sweep_calendar_page_is_for_administrators_only():
    # auditors read it (issue 8, test_history.py); nobody else sees it
    for user in ("agent", "supervisor", "head.production", "gm"):
        c = agent_client(user)
        r = c.get("/admin/calendar")
        assert r.status == 403 and "403" in r.text, (user, r.brief())
        assert c.get_json("/admin/calendar").status == 403, user
        assert calendar_post(c, {"op": "add", "day": "2030-01-02", "kind": "holiday", "name": "x"}).status == 403
        assert "/admin/calendar" not in c.get("/work").text, user
    assert root_sql("SELECT COUNT(*) FROM calendar_exception WHERE day = '2030-01-02'") == [["0"]]
    r = Client().get("/admin/calendar")
    assert r.status == 303 and r.location.startswith("/login"), r.brief()
    adm = agent_client("admin")
    assert adm.get("/admin/calendar").status == 200
    assert 'href="/admin/calendar"' in adm.get("/work").text
