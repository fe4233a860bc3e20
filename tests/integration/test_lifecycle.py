"""The first steps of the lifecycle (issue 3), taken on the complaint's page: triage, the
explanation of a complaint that is not substantiated, a grumble answered at once, reopening.
Each step goes through the state machine (fcgi/workflow.c): only allowed steps, only by the
allowed roles, with a reason where the procedures ask for one, audited, and refused when
someone else acted first."""

import urllib.parse

from harness import agent_client, complaint_fields, json_fields, test


def new_complaint(**over):
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(**over))).json()["number"]
    return owner, number


def step(client, number, action, version, reason=None, json=True):
    fields = {"action": action, "version": str(version)}
    if reason is not None:
        fields["reason"] = reason
    if json:
        return client.post_json(f"/complaints/{number}/action", fields)
    return client.post_form(f"/complaints/{number}/action", fields)


def actions_of(client, number):
    d = client.get_json(f"/complaints/{number}").json()
    return [a["action"] for a in d["actions"]], d["complaint"]["version"], d["complaint"]["status"]


@test
def supervisor_confirms_a_complaint_and_the_step_is_audited():
    owner, number = new_complaint()
    sup = agent_client("supervisor")
    acts, version, status = actions_of(sup, number)
    assert status == "registered" and "triage_substantiated" in acts, acts
    r = step(sup, number, "triage_substantiated", version)
    assert r.status == 200, r.brief()
    assert r.json()["status"] == "triaged" and r.json()["version"] == version + 1, r.json()
    hist = owner.get_json(f"/complaints/{number}").json()["history"]
    assert [h["action"] for h in hist][-1] == "triage_substantiated", hist
    assert hist[-1]["actor_uid"] == "supervisor" and hist[-1]["actor_role"] == "supervisor", hist[-1]


@test
def an_agent_or_an_auditor_cannot_triage():
    owner, number = new_complaint()
    _, version, _ = actions_of(owner, number)
    assert "triage_substantiated" not in actions_of(owner, number)[0]
    assert step(owner, number, "triage_substantiated", version).status == 403
    auditor = agent_client("auditor")
    assert actions_of(auditor, number)[0] == []
    assert step(auditor, number, "triage_substantiated", version).status == 403
    assert actions_of(owner, number)[2] == "registered"


@test
def not_substantiated_needs_a_reason_then_the_owner_closes_on_acceptance():
    owner, number = new_complaint()
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    r = step(sup, number, "triage_not_substantiated", version, reason="  ")
    assert r.status == 422 and "reason" in r.json()["errors"], r.brief()
    r = step(sup, number, "triage_not_substantiated", version, reason="产品在保修期外，已向客户说明政策")
    assert r.status == 200 and r.json()["status"] == "not_substantiated", r.brief()
    acts, version, _ = actions_of(owner, number)
    assert "customer_accepts_explanation" in acts, acts
    r = step(owner, number, "customer_accepts_explanation", version)
    assert r.status == 200 and r.json()["status"] == "closed", r.brief()
    # a closed complaint is reopened with a reason, and keeps its history
    acts, version, _ = actions_of(owner, number)
    assert acts == ["reopen"], acts
    assert step(owner, number, "reopen", version, reason="").status == 422
    r = step(owner, number, "reopen", version, reason="客户来电表示仍不认可")
    assert r.status == 200 and r.json()["status"] == "registered", r.brief()
    hist = [h["action"] for h in owner.get_json(f"/complaints/{number}").json()["history"]]
    assert hist == ["register", "triage_not_substantiated", "customer_accepts_explanation", "reopen"], hist


@test
def a_step_on_a_version_someone_else_moved_on_is_409_and_changes_nothing():
    _, number = new_complaint()
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    assert step(sup, number, "triage_substantiated", version).status == 200
    r = step(sup, number, "triage_not_substantiated", version, reason="late click")
    assert r.status == 409, r.brief()
    assert actions_of(sup, number)[2] == "triaged"


@test
def a_step_that_is_not_allowed_now_is_409_and_an_unknown_step_400():
    _, number = new_complaint()
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    assert step(sup, number, "customer_accepts_explanation", version).status == 409
    assert step(sup, number, "drop_table", version).status == 400
    assert step(sup, number, "triage_substantiated", "x").status == 400


@test
def the_html_form_steps_redirect_back_and_show_the_reason_error_next_to_it():
    owner, number = new_complaint(category="grumble")
    _, version, _ = actions_of(owner, number)
    page = owner.get(f"/complaints/{number}").text
    assert 'name="action" value="answer_grumble"' in page and 'data-confirm=' in page, "no grumble form"
    r = step(owner, number, "answer_grumble", version, reason="", json=False)
    assert r.status == 422 and 'role="alert"' in r.text, r.brief()
    r = step(owner, number, "answer_grumble", version, reason="已解释退换货政策，客户表示理解", json=False)
    assert r.status == 303 and r.location.startswith(f"/complaints/{number}?done="), r.brief()
    assert 'role="status"' in owner.get(r.location).text, "no notice of the step just taken"
    assert actions_of(owner, number)[2] == "closed"


@test
def only_a_grumble_is_answered_and_closed_at_once():
    owner, number = new_complaint(category="product_quality")
    acts, version, _ = actions_of(owner, number)
    assert "answer_grumble" not in acts, acts
    r = step(owner, number, "answer_grumble", version, reason="explained")
    assert r.status == 409, r.brief()
    assert actions_of(owner, number)[2] == "registered"


@test
def steps_without_csrf_token_are_403():
    _, number = new_complaint()
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    r = sup.post_json(f"/complaints/{number}/action", {"action": "triage_substantiated",
                                                        "version": str(version)}, csrf=False)
    assert r.status == 403, r.brief()
    assert actions_of(sup, number)[2] == "registered"


def triaged_complaint():
    owner, number = new_complaint()
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    assert step(sup, number, "triage_substantiated", version).status == 200
    return owner, sup, number


def assign(sup, number, departments, json=True):
    _, version, _ = actions_of(sup, number)
    fields = {"action": "assign", "version": str(version)}
    if json:
        fields["departments"] = ",".join(departments)
        return sup.post_json(f"/complaints/{number}/action", fields)
    # repeated checkbox fields, as a browser sends them (post_form takes a dict)
    body = list(fields.items()) + [("departments", d) for d in departments] + [("csrf_token", sup.csrf)]
    return sup.request("POST", f"/complaints/{number}/action", body=urllib.parse.urlencode(body),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})


def assignments(client, number):
    return {a["department"]: a["state"] for a in client.get_json(f"/complaints/{number}").json()["assignments"]}


@test
def supervisor_assigns_departments_and_the_first_acceptance_starts_the_investigation():
    owner, sup, number = triaged_complaint()
    page = sup.get(f"/complaints/{number}").text
    assert 'name="departments" value="production"' in page, "no department checkboxes on the assign form"
    r = assign(sup, number, ["production", "quality"], json=False)
    assert r.status == 303, r.brief()
    assert assignments(owner, number) == {"production": "pending", "quality": "pending"}
    assert actions_of(owner, number)[2] == "assigned"
    head = agent_client("head.production")
    acts, version, _ = actions_of(head, number)
    assert set(acts) == {"accept_assignment", "refuse_assignment"}, acts
    r = step(head, number, "accept_assignment", version)
    assert r.status == 200 and r.json()["status"] == "investigating", r.brief()
    # the second department refuses with a reason; the investigation goes on
    qh = agent_client("head.quality")
    acts, version, _ = actions_of(qh, number)
    assert "refuse_assignment" in acts, acts
    assert step(qh, number, "refuse_assignment", version, reason="").status == 422
    r = step(qh, number, "refuse_assignment", version, reason="非质量问题，属生产工艺")
    assert r.status == 200 and r.json()["status"] == "investigating", r.brief()
    assert assignments(owner, number) == {"production": "accepted", "quality": "refused"}
    hist = [h["action"] for h in owner.get_json(f"/complaints/{number}").json()["history"]]
    assert hist[-3:] == ["assign", "accept_assignment", "refuse_assignment"], hist


@test
def when_every_department_refuses_the_complaint_goes_back_to_the_supervisor():
    _, sup, number = triaged_complaint()
    assert assign(sup, number, ["production"]).status == 200
    head = agent_client("head.production")
    _, version, _ = actions_of(head, number)
    r = step(head, number, "refuse_assignment", version, reason="不属于本部门")
    assert r.status == 200 and r.json()["status"] == "triaged", r.brief()
    # assigned again, the department's row is pending again
    assert assign(sup, number, ["production"]).status == 200
    assert assignments(sup, number) == {"production": "pending"}


@test
def only_the_head_of_an_assigned_department_accepts():
    _, sup, number = triaged_complaint()
    assert assign(sup, number, ["production"]).status == 200
    # another department's head does not even see it
    other = agent_client("head.quality")
    assert other.get_json(f"/complaints/{number}").status == 404
    assert step(other, number, "accept_assignment", 1).status == 404
    for user in ("member.production", "agent", "auditor"):
        c = agent_client(user)
        acts, version, _ = actions_of(c, number)
        assert "accept_assignment" not in acts, (user, acts)
        assert step(c, number, "accept_assignment", version).status == 403, user
    assert actions_of(sup, number)[2] == "assigned"


@test
def an_assignment_names_at_least_one_existing_department():
    _, sup, number = triaged_complaint()
    r = assign(sup, number, [])
    assert r.status == 422 and "departments" in r.json()["errors"], r.brief()
    r = assign(sup, number, ["production", "no-such-dept"])
    assert r.status == 422 and "departments" in r.json()["errors"], r.brief()
    assert actions_of(sup, number)[2] == "triaged" and assignments(sup, number) == {}


def work(client):
    return {l["key"]: [r["number"] for r in l["rows"]] for l in client.get_json("/work").json()["lists"]}


@test
def my_work_shows_each_role_what_waits_for_it():
    owner, number = new_complaint()
    # registered, it waits for the supervisor's triage, not for its owner (issue 7: only what
    # the person can act on now)
    assert number not in work(owner)["owned"]
    sup = agent_client("supervisor")
    w = work(sup)
    assert number in w["to_triage"] and number not in w["to_assign"], w.keys()
    _, version, _ = actions_of(sup, number)
    assert step(sup, number, "triage_substantiated", version).status == 200
    assert number in work(sup)["to_assign"]
    assert assign(sup, number, ["quality"]).status == 200
    qh = agent_client("head.quality")
    assert number in work(qh)["to_accept"]
    assert number not in work(agent_client("head.production")).get("to_accept", [])
    # roles with nothing to do yet get a page that says so
    # (an auditor's only work is the periodic audit review when it is due: issue 8)
    aw = agent_client("auditor").get_json("/work").json()
    assert aw["nothing"] is True or {l["key"] for l in aw["lists"]} == {"audit_review_due"}, aw["lists"]
    assert 'id="work-owned"' in owner.get("/work").text
