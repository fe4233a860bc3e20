"""One complaint's page as read by a reader who sees every complaint (issue 10, pagefast).

A supervisor, deputy GM, GM or auditor sees every complaint (access.h: SEES_ALL): the page row
and the repeat flag's links are read for them by statements without the rule of who sees a row
(db_stmt.c, block pagefast). They must show what the rule would have shown. And every look at
the page is logged (record_view) for exactly the readers who get it, and for nobody who gets
404, whichever statements read it.
"""

import os

from harness import agent_client, complaint_fields, env, json_fields, root_sql, test
from test_access import USERS
from test_lifecycle import actions_of, assign, step


def views_by_actor(number):
    rows = root_sql(f"SELECT actor_uid, COUNT(*) FROM record_view WHERE record = '{number}' "
                    "AND what = 'complaint' GROUP BY actor_uid")
    return {uid: int(n) for uid, n in rows}


def not_logged(number):
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


def register(c, **over):
    r = c.register(json_fields(complaint_fields(**over)))
    assert r.status in (200, 201), r.brief()
    return str(r.json()["number"])


def repeat_of(c, number):
    j = c.get_json(f"/complaints/{number}").json()
    return [x["number"] for x in j["complaint"].get("repeat_of", [])]


@test
def the_page_logs_each_look_of_every_reader_who_may_see_it_and_of_nobody_else():
    owner = agent_client("agent")
    number = register(owner)
    before = views_by_actor(number)
    seen = look_as_everyone(number)
    assert {"agent", "supervisor", "auditor", "gm"} <= seen and "agent2" not in seen, seen
    after = views_by_actor(number)
    logged = {u: after.get(u, 0) - before.get(u, 0) for u in set(after) | set(before)}
    assert {u for u, n in logged.items() if n} == seen, (logged, seen)
    assert all(logged[u] == 2 for u in seen), logged   # HTML and JSON: two looks each
    assert not not_logged(number), not_logged(number)


@test
def a_department_assigned_later_is_logged_as_its_members_start_to_see_the_page():
    owner = agent_client("agent")
    number = register(owner, category="service_quality")
    sup = agent_client("supervisor")
    _, version, _ = actions_of(sup, number)
    assert step(sup, number, "triage_substantiated", version).status == 200
    assert "member.production" not in look_as_everyone(number)
    assert assign(sup, number, ["production"]).status == 200
    mark = views_by_actor(number)
    seen = look_as_everyone(number)
    assert "member.production" in seen and "head.production" in seen, seen
    after = views_by_actor(number)
    assert {u for u in after if after[u] > mark.get(u, 0)} == seen, (after, mark, seen)
    assert not not_logged(number), not_logged(number)


@test
def an_unknown_number_is_404_and_logs_nothing():
    sup = agent_client("supervisor")
    assert sup.get("/complaints/999999999").status == 404
    assert root_sql("SELECT COUNT(*) FROM record_view WHERE record = '999999999'") == [["0"]]


@test
def a_reader_who_sees_all_gets_every_repeat_link_and_an_agent_only_those_of_complaints_they_see():
    # the same customer by phone, registered by two agents; then by company (no phone)
    a1 = register(agent_client("agent"), customer_name="全看客户甲", customer_phone="13955550077")
    a2 = register(agent_client("agent2"), customer_name="全看客户甲", customer_phone="13955550077")
    a3 = register(agent_client("agent"), customer_name="全看客户甲", customer_phone="13955550077")
    b1 = register(agent_client("agent2"), customer_name="全看客户乙", customer_phone="", customer_company="全看公司")
    b2 = register(agent_client("agent"), customer_name="全看客户乙", customer_phone="", customer_company="全看公司")
    for user in ("supervisor", "auditor", "gm"):
        c = agent_client(user)
        assert sorted(repeat_of(c, a3)) == sorted([a1, a2]), (user, repeat_of(c, a3))
        assert repeat_of(c, b2) == [b1], (user, repeat_of(c, b2))
    agent = agent_client("agent")
    assert repeat_of(agent, a3) == [a1], repeat_of(agent, a3)   # not agent2's
    assert repeat_of(agent, b2) == [], repeat_of(agent, b2)
    page = agent_client("supervisor").get(f"/complaints/{a3}")
    assert f'href="/complaints/{a2}"' in page.text and f'href="/complaints/{a1}"' in page.text
