"""One complaint's page in two round trips (issue 10, pagefast: sql/033's complaint_page_more).

The page row decides (access.c's complaint_may_see); only then does the CALL write the view-log
row and read the history and the repeat flag's links: every reader who gets the page is logged
once per look, no reader who gets 404 is. The HTML page and its JSON twin agree.
"""

import os

from harness import agent_client, complaint_fields, env, json_fields, root_sql, test
from test_access import USERS
from test_lifecycle import actions_of, assign, step


def views_by_actor(number):
    rows = root_sql(f"SELECT actor_uid, COUNT(*) FROM record_view WHERE record = '{number}' "
                    "AND what = 'complaint' GROUP BY actor_uid")
    return {uid: int(n) for uid, n in rows}


def rule_drift(number):
    """The worker's complaints that a view of this complaint was not logged."""
    with open(os.path.join(env("KESU_STATE"), "log", "kesu-fcgi.log"), errors="replace") as f:
        return [line for line in f if f"complaint {number}: the view was not logged" in line]


def look_as_everyone(number):
    """Each user opens the page as HTML and as JSON; the users who got 200 (both must agree)."""
    seen, problems = set(), []
    for user in USERS:
        c = agent_client(user)
        html, js = c.get(f"/complaints/{number}").status, c.get_json(f"/complaints/{number}").status
        if html != js:
            problems.append(f"{user}: HTML {html}, JSON {js}")
        if html == 200:
            seen.add(user)
        elif html != 404:
            problems.append(f"{user}: HTTP {html}")
    assert not problems, problems
    return seen


@test
def the_page_logs_each_look_of_every_reader_who_may_see_it_and_of_nobody_else():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields())).json()["number"]
    before = views_by_actor(number)
    seen = look_as_everyone(number)
    assert {"agent", "supervisor", "auditor"} <= seen and "agent2" not in seen, seen
    after = views_by_actor(number)
    logged = {u: after.get(u, 0) - before.get(u, 0) for u in set(after) | set(before)}
    assert {u for u, n in logged.items() if n} == seen, (logged, seen)
    assert all(logged[u] == 2 for u in seen), logged   # HTML and JSON: two looks each
    assert not rule_drift(number), rule_drift(number)   # every look logged


@test
def a_department_assigned_later_is_logged_as_its_members_start_to_see_the_page():
    owner = agent_client("agent")
    fields = complaint_fields()
    fields["category"] = "service_quality"
    number = owner.register(json_fields(fields)).json()["number"]
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    assert step(sup, number, "triage_substantiated", version).status == 200
    before_assign = look_as_everyone(number)
    assert "member.production" not in before_assign, before_assign
    assert assign(sup, number, ["production"]).status == 200
    mark = views_by_actor(number)
    seen = look_as_everyone(number)
    assert "member.production" in seen and "head.production" in seen, seen
    after = views_by_actor(number)
    assert {u for u in after if after[u] > mark.get(u, 0)} == seen, (after, mark, seen)
    assert not rule_drift(number), rule_drift(number)


@test
def an_unknown_number_is_404_and_logs_nothing():
    sup = agent_client("supervisor")
    assert sup.get("/complaints/999999999").status == 404
    assert root_sql("SELECT COUNT(*) FROM record_view WHERE record = '999999999'") == [["0"]]
