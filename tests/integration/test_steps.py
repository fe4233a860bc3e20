"""The step runner (issue 7, "One step runner for every write"): whatever a write meets — a
field error, a stale version, a step the state no longer allows, a wrong signing password —
the page comes back with every typed value in its form, the error beside its field, a summary
that says why, and the browser's focus on the first error. As the demo users, in HTML."""

import re

from harness import agent_client, test
from test_lifecycle import new_complaint, actions_of
from test_plans import REPORT, act, file_report, investigating, propose, version_of


def field_value(html, form_action, name):
    """The value of input `name` in the form posting to form_action (None when absent)."""
    m = re.search(r'<form[^>]*action="' + re.escape(form_action) + r'"[^>]*>(.*?)</form>', html, re.S)
    assert m, f"no form {form_action}"
    body = m.group(1)
    t = re.search(r'<textarea[^>]*name="' + re.escape(name) + r'"[^>]*>(.*?)</textarea>', body, re.S)
    if t:
        return t.group(1)
    i = re.search(r'<input[^>]*name="' + re.escape(name) + r'"[^>]*>', body)
    if i:
        v = re.search(r'value="([^"]*)"', i.group(0))
        return v.group(1) if v else ""
    return None


@test
def a_stale_version_names_who_changed_the_record_and_keeps_what_was_typed():
    _, number = new_complaint()
    mine, theirs = agent_client("supervisor"), agent_client("supervisor")
    _, version, _ = actions_of(mine, number)
    act(theirs, number, "triage_substantiated")
    reason = "客户已接受说明：保修期外的人为损坏"
    r = mine.post_form(f"/complaints/{number}/action", {"action": "triage_not_substantiated",
                                                         "version": str(version), "reason": reason})
    assert r.status == 409, r.brief()
    assert "李娜" in r.text and "changed this record" in r.text, r.brief(1200)
    assert reason in r.text, "the typed reason was lost"
    assert 'class="error-summary"' in r.text and "autofocus" in r.text
    # the record shown is the fresh one
    assert f'name="version" value="{version + 1}"' in r.text, "the page is not fresh"
    # in JSON the same answer is an error code and a message
    r = mine.post_json(f"/complaints/{number}/action", {"action": "triage_not_substantiated",
                                                         "version": str(version), "reason": reason})
    assert r.status == 409 and r.json()["error"] == "conflict", r.brief()


@test
def a_step_the_state_does_not_allow_says_why_in_words_not_changed_by_someone():
    owner, number = new_complaint()
    sup = agent_client("supervisor")
    act(sup, number, "triage_substantiated")
    _, version, status = actions_of(owner, number)
    r = owner.post_form(f"/complaints/{number}/action", {"action": "close", "version": str(version),
                                                          "reason": "客户电话确认满意"})
    assert r.status == 409, r.brief()
    assert "Triaged" in r.text or "triaged" in r.text.lower(), r.brief(1200)
    assert "changed this record" not in r.text and "客户电话确认满意" in r.text, r.brief(1200)
    r = owner.post_json(f"/complaints/{number}/action", {"action": "close", "version": str(version)})
    assert r.status == 409 and r.json()["error"] == "state" and "riaged" in r.json()["message"], r.brief()


@test
def a_missing_reason_stands_beside_the_field_with_the_other_values_kept():
    owner, number = new_complaint()
    sup = agent_client("supervisor")
    version, _ = version_of(sup, number)
    r = sup.post_form(f"/complaints/{number}/action", {"action": "triage_not_substantiated",
                                                        "version": str(version), "reason": "   "})
    assert r.status == 422, r.brief()
    html = r.text
    assert re.search(r'name="reason"[^>]*aria-invalid="true"[^>]*aria-describedby="e-reason"', html), html[:3000]
    assert 'id="e-reason"' in html
    # the summary links the field by its label
    assert re.search(r'<div class="error-summary"[^>]*>.*?<a href="#reason-triage_not_substantiated">', html, re.S)


@test
def a_wrong_signing_password_keeps_the_comment_of_a_report_sign_off():
    _, number = investigating(severity="3")
    member = agent_client("member.production")
    r = member.post_json(f"/complaints/{number}/report", dict(REPORT, revision="0", submit="1"))
    assert r.status == 200, r.brief()
    head = agent_client("head.production")
    comment = "原因分析到位，同意。请补充夜班首件确认记录。"
    r = head.post_form(f"/complaints/{number}/report/sign", {"department": "production", "revision": "1",
                                                             "decision": "approve", "comment": comment,
                                                             "password": "not-my-password"})
    assert r.status == 422, r.brief()
    assert field_value(r.text, f"/complaints/{number}/report/sign", "comment") == comment, r.brief(2000)
    assert "not-my-password" not in r.text
    assert 'id="e-password"' in r.text


@test
def a_half_filled_report_saves_as_a_draft_and_comes_back():
    _, number = investigating(severity="3")
    member = agent_client("member.production")
    page = member.get(f"/complaints/{number}").text
    assert re.search(r'<button[^>]*value="0"[^>]*formnovalidate', page), "the draft button validates"
    r = member.post_form(f"/complaints/{number}/report", {"revision": "0", "submit": "0",
                                                          "cause": "只写了原因，其余待补充"})
    assert r.status == 303, r.brief()
    page = member.get(f"/complaints/{number}").text
    assert "只写了原因，其余待补充" in page


@test
def the_penalty_form_keeps_every_field_and_the_target_type_after_an_error():
    _, number = investigating(severity="3")
    head = agent_client("head.production")
    fields = {"target_kind": "person", "target": "nobody.here", "kind": "fine", "amount": "100",
              "reason": "夜班换模未做首件确认，导致批量不良流出。", "rule": "《质量奖惩条例》第 12 条"}
    r = head.post_form(f"/complaints/{number}/penalties", fields)
    assert r.status == 422, r.brief()
    action = f"/complaints/{number}/penalties"
    for name in ("target", "amount", "reason", "rule"):
        assert field_value(r.text, action, name) == fields[name], (name, r.brief(2000))
    m = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', r.text, re.S)
    assert re.search(r'<option value="person" selected>', m.group(1)), "target type reset"
    assert re.search(r'<option value="fine" selected>', m.group(1)), "kind reset"
    assert 'id="e-target"' in m.group(1)


@test
def a_database_error_page_still_shows_what_was_typed():
    # a forged post is refused before anything runs, yet the refusal page keeps the text
    c = agent_client("agent")
    r = c.post_form("/complaints/999999999/action", {"action": "close", "version": "1",
                                                     "reason": "这段文字不能丢"}, csrf=False)
    assert r.status == 403 and "这段文字不能丢" in r.text, r.brief()
