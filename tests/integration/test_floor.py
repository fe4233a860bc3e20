"""Issue 10, "floor": what was made cheaper must answer exactly as before — the list's count by
its shortcuts, the header's count kept per worker while nothing changes, dates fetched as
MYSQL_TIME and written by hand, statements prepared at their first use. Against the real stack."""

import re
import urllib.parse as up

from harness import agent_client, complaint_fields, json_fields, root_sql, test


def _register(c, **over):
    r = c.register(json_fields(complaint_fields(**over)))
    assert r.status in (200, 201), r.brief()
    return str(r.json()["number"])


def _header_count(client, path="/complaints"):
    html = client.get(path).text
    m = re.search(r'<span id="work-count"[^>]*>(\d+)</span>', html)
    return int(m.group(1)) if m else 0


@test
def floor_list_count_without_filters_agrees_with_the_filtered_count_for_every_reader():
    # Unfiltered, the count comes from one index (STMT_LIST_COUNT_ALL / _OWNER) or from the
    # rows of a first page that is not full; a filter that keeps every row takes the general
    # statement. Both must say the same, for a reader who sees all and for one who does not.
    _register(agent_client("agent"))
    for user in ("supervisor", "agent", "agent2", "head.quality"):
        c = agent_client(user)
        plain = c.get_json("/complaints").json()
        every = c.get_json("/complaints?from=2000-01-01").json()
        assert plain["count"] == every["count"], (user, plain["count"], every["count"])
        shown = len(plain["complaints"])
        if plain.get("next_cursor") is None:
            assert plain["count"] == {"n": shown, "more": False}, (user, shown, plain["count"])


@test
def floor_list_count_of_a_filter_matching_few_is_the_rows_shown():
    c = agent_client("agent")
    made = [_register(c, customer_name=f"底线计数{i}") for i in range(2)]
    j = c.get_json("/complaints?q=" + up.quote("底线计数")).json()
    assert sorted(str(x["number"]) for x in j["complaints"]) == sorted(made), j["complaints"]
    assert j["count"] == {"n": 2, "more": False}, j["count"]


@test
def floor_header_count_follows_a_change_by_someone_else_on_every_worker():
    # Each worker keeps the count while the chain head has not moved: warm every worker's copy,
    # let another person change something, and every worker must show the new count at once.
    # The reader is a department head (a supervisor's queue is counted only up to 1,000, which
    # the other tests' complaints may have reached): an assignment to their department is one
    # more thing for them to do.
    from test_lifecycle import assign, triaged_complaint
    _, sup, number = triaged_complaint()
    head = agent_client("head.production")
    counts = {_header_count(head) for _ in range(12)}
    assert len(counts) == 1, counts
    (n,) = counts
    assert assign(sup, number, ["production"]).status == 200
    after = [_header_count(head) for _ in range(12)]
    assert after == [n + 1] * 12, (n, after)


@test
def floor_dates_read_as_mysql_time_are_written_as_the_server_stores_them():
    c = agent_client("agent")
    number = _register(c, delivery_date="2026-02-03")
    page = c.get_json(f"/complaints/{number}").json()
    # DATETIME (received_at, shown in company time, UTC+8 here), DATE (delivery_date) and
    # DATETIME(6) (the trail's at, fetched as text) as the server writes them
    (received, delivery, at) = root_sql(
        "SELECT DATE_FORMAT(c.received_at + INTERVAL 8 HOUR, '%Y-%m-%d %H:%i'), "
        "DATE_FORMAT(c.delivery_date, '%Y-%m-%d'), DATE_FORMAT(e.at, '%Y-%m-%d %H:%i:%s.%f') "
        "FROM complaint c JOIN audit_event e ON e.entity = 'complaint' AND e.entity_id = c.number "
        f"WHERE c.number = '{number}' ORDER BY e.seq LIMIT 1")[0]
    assert page["complaint"]["received_at"] == received, (page["complaint"]["received_at"], received)
    assert delivery == "2026-02-03" and page["complaint"]["delivery_date"] == delivery, page["complaint"]
    assert page["history"][0]["at_utc"] == at, (page["history"][0], at)
    rows = {str(x["number"]): x for x in c.get_json("/complaints?q=" + number).json()["complaints"]}
    assert rows[number]["received_at"] == received, (rows[number], received)


@test
def floor_every_page_of_a_worker_that_prepares_statements_at_first_use_answers():
    # Workers prepare a statement when a request first runs it: pages that use many different
    # statements, one after the other, all answer.
    sup = agent_client("supervisor")
    number = _register(agent_client("agent"))
    for path in ("/complaints", f"/complaints/{number}", "/work", "/penalties", "/sessions",
                 "/complaints?sort=customer", "/complaints?status=registered", "/searches"):
        r = sup.get(path)
        assert r.status == 200, f"{path}: {r.brief()}"
