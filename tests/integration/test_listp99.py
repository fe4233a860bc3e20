"""The list at a million complaints, closer to the floor (issue 10, listp99): the filter form and
the bulk form rendered once per worker (fcgi/list_form.c), the rows through a plan made once per
loop (fcgi/tmpl.c), and an agent's first page without the guard subquery while the chain head
stands still (fcgi/list_vis.c). What people see must not change: the forms follow a renamed
department and the language at once on every worker, a filtered list shows its values, and a
complaint newly assigned to an agent's department is on that agent's very next page."""

import re

from harness import agent_client, root_sql, test
from test_agentvis import registered, rule, same_as_rule
from test_plans import act

# more requests than workers (bin/test starts 4): every worker has served the reader
ROUNDS = 8


def _form(html):
    m = re.search(r'<form method="get" action="/complaints" class="filters".*?</form>', html, re.S)
    assert m, "the list has no filter form"
    return m.group(0)


def _bulk(html):
    m = re.search(r'<form method="post" action="/complaints/bulk".*?</form>', html, re.S)
    assert m, "the list has no bulk form"
    return m.group(0)


@test
def the_lists_forms_rendered_once_per_worker_follow_a_renamed_department_and_the_language():
    sup = agent_client("supervisor")
    registered(agent_client("agent"), 5)   # a row, so the bulk form is there
    names = root_sql("SELECT name_zh, name_en FROM department WHERE code = 'quality'")[0]
    pages = [sup.get("/complaints?lang=zh").text for _ in range(ROUNDS)]   # every worker's forms
    assert all(_form(p) == _form(pages[0]) and _bulk(p) == _bulk(pages[0]) for p in pages)
    assert 'value="quality" selected' not in _form(pages[0]) and names[0] in _form(pages[0])
    assert f'value="quality"> {names[0]}</label>' in _bulk(pages[0])
    # the JSON twin still carries the forms' values, and no markup
    j = sup.get_json("/complaints").json()
    assert "filters_html" not in j and "bulk_html" not in j
    assert {d["code"] for d in j["filters"]["department"]} >= {"quality"} and j["bulk"]["departments"]
    try:
        root_sql("UPDATE department SET name_zh = '品质保证部', name_en = 'Quality assurance' WHERE code = 'quality'")
        for _ in range(ROUNDS):
            zh = sup.get("/complaints?lang=zh").text
            assert "品质保证部" in _form(zh) and 'value="quality"> 品质保证部</label>' in _bulk(zh)
            en = sup.get("/complaints?lang=en").text
            assert "Quality assurance" in _form(en) and "品质保证部" not in _form(en)
            assert 'value="quality"> Quality assurance</label>' in _bulk(en)
    finally:
        root_sql(f"UPDATE department SET name_zh = '{names[0]}', name_en = '{names[1]}' WHERE code = 'quality'")
    # a filtered list renders its form with what was chosen, on every worker
    for _ in range(ROUNDS):
        f = _form(sup.get("/complaints?lang=en&status=registered&department=quality&q=%3Cb%3E").text)
        assert 'value="registered" selected' in f and 'value="quality" selected' in f
        assert 'value="&lt;b&gt;"' in f and "<b>" not in f
    assert _form(sup.get("/complaints?lang=zh").text) == _form(pages[0])


@test
def an_agent_whose_own_page_skips_the_guard_sees_a_new_assignment_to_their_department_at_once():
    agent, agent2, sup = agent_client("agent"), agent_client("agent2"), agent_client("supervisor")
    registered(agent2, 3)
    for _ in range(ROUNDS):   # every worker read agent2's own page with the guard, then without it
        same_as_rule("agent2", agent2)
    number = registered(agent, 2)
    assert number not in rule("agent2")
    act(sup, number, "triage_substantiated")
    act(sup, number, "assign", departments="cs")
    assert number in rule("agent2")
    for _ in range(ROUNDS):   # the very next page of every worker
        got = [str(x["number"]) for x in agent2.get_json("/complaints").json()["complaints"]]
        assert number in got, f"{number} assigned to cs, not on agent2's first page"
        same_as_rule("agent2", agent2)
    # and a sign-out ends the session on the next request of every worker, as before
    old = agent2.cookies["kesu_session"]
    assert agent2.post_form("/logout", {}).status == 303
    replay = agent_client("agent2")
    replay.cookies["kesu_session"] = old
    for _ in range(ROUNDS):
        r = replay.get("/complaints")
        assert r.status == 303 and "/login" in (r.location or ""), f"after sign-out: {r.brief()}"
