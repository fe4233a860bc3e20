"""The pages people open all day kept by each worker while nothing changed (issue 10, rescache):
fcgi/res_cache.c keeps the list's first page, a complaint's row, its history and its repeat
links, stamped with the chain head and the record's generation (sql/035) its session proof read.
A copy is only ever shown while both are unchanged: every worker must show a change at once,
whether it came through a step (audited) or straight through SQL (an administrator's fix, a
test's clock), and a copy must never show a reader what the record no longer lets them see."""

import re

from harness import agent_client, complaint_fields, json_fields, root_sql, test
from test_lifecycle import step

# more requests than workers (bin/test starts 4): every worker has served the reader and kept
# its copy
ROUNDS = 8


def _register(client, **over):
    r = client.register(json_fields(complaint_fields(**over)))
    assert r.status == 201, r.brief()
    return r.json()["number"]


def _warm(client, number):
    for _ in range(ROUNDS):
        assert client.get(f"/complaints/{number}").status == 200
        assert client.get("/complaints").status == 200


@test
def a_change_made_straight_in_sql_shows_on_every_worker_at_once():
    agent, sup = agent_client("agent"), agent_client("supervisor")
    number = _register(agent, customer_company="缓存前公司")
    _warm(sup, number)
    _warm(agent, number)
    # no step, no audit event: only the record's generation moves (sql/035)
    root_sql(f"UPDATE complaint SET customer_company = '缓存后公司', "
             f"respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{number}'")
    for who in (sup, agent):
        for _ in range(ROUNDS):
            page = who.get_json(f"/complaints/{number}").json()["complaint"]
            assert page["customer_company"] == "缓存后公司", page["customer_company"]
            assert page["respond_overdue"] is True
            rows = [x for x in who.get_json("/complaints").json()["complaints"] if str(x["number"]) == number]
            assert rows and rows[0]["customer_company"] == "缓存后公司", rows
            html = who.get(f"/complaints/{number}").text
            assert "缓存后公司" in html and "缓存前公司" not in html


@test
def a_step_shows_on_every_worker_at_once_with_its_history():
    agent, sup = agent_client("agent"), agent_client("supervisor")
    number = _register(agent)
    _warm(sup, number)
    page = sup.get_json(f"/complaints/{number}").json()
    assert page["complaint"]["status"] == "registered"
    r = step(sup, number, "triage_substantiated", page["complaint"]["version"])
    assert r.status in (200, 303), r.brief()
    for _ in range(ROUNDS):
        j = sup.get_json(f"/complaints/{number}").json()
        assert j["complaint"]["status"] == "triaged", j["complaint"]["status"]
        assert [h["action"] for h in j["history"]][-1] == "triage_substantiated", j["history"]
        rows = [x for x in sup.get_json("/complaints").json()["complaints"] if str(x["number"]) == number]
        assert rows and rows[0]["status"] == "triaged", rows


@test
def a_kept_copy_never_shows_what_the_reader_may_no_longer_see():
    agent = agent_client("agent")
    number = _register(agent, category="service_quality")
    _warm(agent, number)
    assert number in [str(x["number"]) for x in agent.get_json("/complaints").json()["complaints"]]
    # the complaint goes to another agent, straight in SQL (complaint_reader holds nothing for
    # "agent": only the owner let them see it)
    root_sql(f"UPDATE complaint SET owner_uid = 'agent2', owner_name = '王强' WHERE number = '{number}'")
    for _ in range(ROUNDS):
        assert agent.get(f"/complaints/{number}").status == 404
        assert number not in [str(x["number"]) for x in agent.get_json("/complaints").json()["complaints"]]
    other = agent_client("agent2")
    assert other.get(f"/complaints/{number}").status == 200


@test
def a_new_repeat_shows_on_the_earlier_repeats_page_at_once():
    agent, sup = agent_client("agent"), agent_client("supervisor")
    phone = "13955550101"
    first = _register(agent, customer_name="重复缓存客户", customer_phone=phone)
    second = _register(agent, customer_name="重复缓存客户", customer_phone=phone)
    _warm(sup, second)
    links = sup.get_json(f"/complaints/{second}").json()["complaint"].get("repeat_of") or []
    assert [x["number"] for x in links] == [first], links
    third = _register(agent, customer_name="重复缓存客户", customer_phone=phone)
    for _ in range(ROUNDS):
        links = sup.get_json(f"/complaints/{second}").json()["complaint"].get("repeat_of") or []
        assert sorted(x["number"] for x in links) == sorted([first, third]), links
        html = sup.get(f"/complaints/{second}").text
        assert re.search(rf'href="/complaints/{third}"', html), "the new repeat is not linked"
