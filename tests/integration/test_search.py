"""Finding any complaint by any word (issue 9, "Finding complaints" 1): Mroonga's full-text index."""

import urllib.parse as up

from harness import admin, agent_client, complaint_fields, json_fields, root_sql, test

STATE = {}


def _numbers(c, q, extra=""):
    r = c.get_json("/complaints?q=" + up.quote(q) + extra)
    assert r.status == 200, f"q={q!r}: {r.brief()}"
    return [str(x["number"]) for x in r.json()["complaints"]], r.json()


def _register(c, **over):
    r = c.register(json_fields(complaint_fields(**over)))
    assert r.status in (200, 201), r.brief()
    return str(r.json()["number"])


@test
def search_finds_a_chinese_word_in_the_middle_of_the_description_demand_and_company():
    c = agent_client("agent")
    a = _register(c, customer_company="佛山安睡家具有限公司", product="云朵床垫 1.8 米",
                  description="客户说收到的床垫中间的弹簧断了，睡觉时硌背。", demand="return")
    b = _register(c, customer_company="华东机电有限公司", description="客户反映空调外机噪音大。")
    STATE["a"], STATE["b"] = a, b
    for word in ("弹簧", "床垫", "安睡", "佛山", "硌背", "云朵"):
        got, _ = _numbers(c, word)
        assert a in got, f"{word!r} did not find {a}: {got}"
        assert b not in got, f"{word!r} found {b}, which does not contain it: {got}"
    got, _ = _numbers(c, "噪音")
    assert got == [b] or (b in got and a not in got), got


@test
def search_finds_lot_order_and_part_numbers_from_any_part():
    c = agent_client("agent")
    n = _register(c, lot="LX9731-B", order_no="PO-88-4417", part_no="ZQ77-PCB-05",
                  description="批次问题。")
    for word in ("LX9731-B", "9731", "4417", "PO-88-4417", "ZQ77", "PCB-05", "lx9731"):
        got, _ = _numbers(c, word)
        assert n in got, f"{word!r} did not find {n}: {got}"
    # the number itself, whole and from its middle
    got, _ = _numbers(c, n)
    assert got == [n], f"its number found {got}"
    got, _ = _numbers(c, n[4:])
    assert n in got, f"the end of its number {n[4:]} did not find it: {got}"


@test
def search_words_must_all_occur_and_filters_still_apply():
    c = agent_client("agent")
    a = STATE.get("a") or _register(c, customer_company="佛山安睡家具有限公司",
                                    description="床垫中间的弹簧断了。")
    got, _ = _numbers(c, "弹簧 佛山")
    assert a in got, got
    got, _ = _numbers(c, "弹簧\u3000佛山")
    assert a in got, f"the ideographic space does not separate words: {got}"
    got, j = _numbers(c, "弹簧 不存在的词语")
    assert got == [] and j.get("empty") is True, got
    got, _ = _numbers(c, "弹簧", "&category=product_quality")
    assert a in got, got
    got, _ = _numbers(c, "弹簧", "&category=suggestion")
    assert a not in got, got


@test
def search_shows_only_complaints_the_reader_may_see():
    c = agent_client("agent")
    n = _register(c, description="只有第一客服能看到的保密词麒麟。")
    got, _ = _numbers(c, "麒麟")
    assert n in got, got
    other, _ = _numbers(agent_client("agent2"), "麒麟")
    assert n not in other, f"agent2 found agent's complaint {n} by a word"
    sup, _ = _numbers(agent_client("supervisor"), "麒麟")
    assert n in sup, f"the supervisor, who sees every complaint, did not find {n}"


@test
def search_of_5000_characters_or_operators_gets_a_clear_answer_never_a_500():
    c = agent_client("agent")
    # 5,000 Chinese characters are a 45 KB request line: nginx refuses it (414) before Kesu
    # (the form's maxlength is 100, so only a hand-made address gets there); never a 500.
    r = c.get("/complaints?q=" + up.quote("床" * 5000))
    assert r.status == 414, r.brief()
    long_q = "床垫" + "x" * 4998
    r = c.get("/complaints?q=" + up.quote(long_q))
    assert r.status == 200, r.brief()
    assert "too long" in r.text or "过长" in r.text, "no message for a 5,000-character search"
    r = c.get_json("/complaints?q=" + up.quote(long_q))
    assert r.status == 200 and r.json()["search_too_long"] is True and r.json()["complaints"] == [], r.brief()
    for q in ('+-*', '"', '弹簧"', '(床垫', '@x', '~<>', "a' OR 1=1 --", "\\"):
        r = c.get_json("/complaints?q=" + up.quote(q))
        assert r.status == 200, f"q={q!r}: {r.brief()}"


@test
def search_pages_through_many_hits_with_the_cursor():
    c = agent_client("agent")
    made = [_register(c, description=f"翻页测试貔貅 {i}") for i in range(53)]
    seen, cursor, pages = [], None, 0
    while True:
        got, j = _numbers(c, "貔貅", f"&after={cursor}" if cursor else "")
        seen += got
        pages += 1
        cursor = j.get("next_cursor")
        if not cursor or pages > 5:
            break
        assert len(got) == 50, f"a page before the last holds {len(got)}"
    assert pages == 2, f"{pages} pages for 53 hits"
    assert sorted(seen) == sorted(made), f"{len(seen)} seen, {len(set(seen) & set(made))} of ours"
    assert seen == sorted(seen, reverse=True), "not newest first"


@test
def search_table_is_mroonga_and_filled_by_registration_or_the_next_search():
    rows = root_sql("SELECT ENGINE FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = 'kesu' AND TABLE_NAME = 'complaint_text'")
    assert rows and rows[0][0].lower() == "mroonga", rows
    # a registration less than 100 ms after another worker's catch-up leaves its words to the
    # next one (issue 10, regfast2): a search catches up before it reads
    _numbers(agent_client("agent"), "弹簧")
    (missing,) = root_sql("SELECT COUNT(*) FROM complaint c LEFT JOIN complaint_text t "
                          "ON t.complaint_id = c.id WHERE t.complaint_id IS NULL")[0]
    assert int(missing) == 0, f"{missing} complaints have no searchable text"


def _ensure_complaints(n):
    (have,) = root_sql("SELECT COUNT(*) FROM complaint")[0]
    if int(have) < n:
        p = admin("bench-load", str(n - int(have)), timeout=600)
        assert p.returncode == 0, f"kesu-admin bench-load: {p.returncode} {p.stderr[-500:]}"


def _all_pages(c, qs):
    seen, cursor, pages = [], None, 0
    while True:
        path = "/complaints?" + qs + (f"&after={up.quote(cursor)}" if cursor else "")
        r = c.get_json(path)
        assert r.status == 200, f"{path}: {r.brief()}"
        j = r.json()
        seen += j["complaints"]
        pages += 1
        cursor = j.get("next_cursor")
        if not cursor:
            return seen, pages
        assert len(j["complaints"]) == 50, f"{path}: a page before the last holds {len(j['complaints'])}"
        assert pages < 100, "more than 100 pages"


SQL_ORDER = {
    "number": "number, id", "-number": "number DESC, id DESC",
    "received_at": "received_at, id", "-received_at": "received_at DESC, id DESC",
    "customer": "customer_name, received_at, id", "-customer": "customer_name DESC, received_at DESC, id DESC",
    "status": "status, received_at, id", "-status": "status DESC, received_at DESC, id DESC",
    "category": "category, received_at, id", "-category": "category DESC, received_at DESC, id DESC",
    "severity": "severity, received_at, id", "-severity": "severity DESC, received_at DESC, id DESC",
}


@test
def list_sorts_by_each_column_both_ways_and_pages_through_everything_once():
    _ensure_complaints(130)
    c = agent_client("supervisor")   # sees every complaint: the pages must hold them all, in order
    for sort, order in SQL_ORDER.items():
        rows, pages = _all_pages(c, f"sort={up.quote(sort)}&category=product_quality")
        want = [str(x[0]) for x in root_sql(f"SELECT number FROM complaint WHERE category = 'product_quality' "
                                            f"ORDER BY {order}")]
        got = [str(x["number"]) for x in rows]
        assert got == want, f"sort={sort}: {len(got)} rows over {pages} pages differ from ORDER BY {order}"
        assert pages >= 2 or len(want) <= 50, f"sort={sort}: {pages} page(s)"
    # the column heads link to the sorts, the current one the other way round
    h = c.get("/complaints?sort=customer&category=product_quality")
    assert 'aria-sort="ascending"' in h.text, "the sorted column is not marked"
    assert "sort=-customer" in h.text and "category=product_quality" in h.text, "no link to the other direction"


@test
def list_sort_on_an_unknown_column_says_so():
    c = agent_client("agent")
    for bad in ("customer_phone", "-owner", "number;DROP", "--number", "-"):
        r = c.get_json("/complaints?sort=" + up.quote(bad))
        assert r.status == 400 and r.json().get("error") == "sort_unknown", f"sort={bad}: {r.brief()}"
        h = c.get("/complaints?sort=" + up.quote(bad))
        assert h.status == 400 and ("cannot be sorted" in h.text or "不能按" in h.text), h.brief()


@test
def list_counts_exactly_up_to_1000_then_more_than_1000():
    c = agent_client("agent")
    made = [_register(c, description=f"计数测试麒麟貘 {i}") for i in range(3)]
    got, j = _numbers(c, "麒麟貘")
    assert sorted(got) == sorted(made) and j["count"] == {"n": 3, "more": False}, j.get("count")
    h = c.get("/complaints?q=" + up.quote("麒麟貘"))
    assert "Complaints found: 3" in h.text or "找到投诉： 3" in h.text, "the page does not say how many"
    got, j = _numbers(c, "麒麟貘", "&category=suggestion")
    assert got == [] and j["count"]["n"] == 0, j.get("count")
    _ensure_complaints(1010)
    sup = agent_client("supervisor")
    j = sup.get_json("/complaints").json()
    assert j["count"] == {"n": 1000, "more": True}, j.get("count")
    (n,) = root_sql("SELECT COUNT(*) FROM complaint WHERE category = 'suggestion'")[0]
    j = sup.get_json("/complaints?category=suggestion").json()
    assert j["count"]["n"] == min(int(n), 1000) and j["count"]["more"] == (int(n) > 1000), (n, j["count"])


def _xlsx_rows(body):
    import io
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    ws = wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


@test
def export_xlsx_holds_exactly_what_the_list_shows_with_typed_cells():
    import datetime
    c = agent_client("agent")
    made = [_register(c, customer_company="佛山导出测试家具", description=f"导出测试獬豸 {i}", severity="3",
                      lot=f"LOT-X{i}") for i in range(3)]
    got, _ = _numbers(c, "獬豸")
    r = c.get("/complaints.xlsx?q=" + up.quote("獬豸"))
    assert r.status == 200, r.brief()
    assert r.header("Content-Type", "").startswith("application/vnd.openxmlformats"), r.header("Content-Type")
    assert "attachment" in r.header("Content-Disposition", ""), r.header("Content-Disposition")
    rows = _xlsx_rows(r.body)
    head, body = rows[0], rows[1:]
    assert head[0] in ("Number", "受理编号", "编号") or head[0], head
    assert [str(x[0]) for x in body] == got, f"xlsx {[x[0] for x in body]} != list {got}"
    assert sorted(got) == sorted(made), got
    first = body[0]
    assert isinstance(first[1], datetime.datetime), f"received_at is not a date-time cell: {first[1]!r}"
    assert first[13] == 3, f"severity is not a number cell: {first[13]!r}"
    assert first[5] == "佛山导出测试家具" and "獬豸" in first[16], first
    assert first[10].startswith("LOT-X"), first
    assert "*" in str(first[7]), f"the phone is not masked: {first[7]!r}"
    # audited: who exported what, how many rows
    ev = root_sql("SELECT actor_uid, action, JSON_VALUE(after_json, '$.rows'), JSON_VALUE(after_json, '$.format') "
                  "FROM audit_event WHERE entity = 'complaint_list' ORDER BY seq DESC LIMIT 1")
    assert ev and ev[0][0] == "agent" and ev[0][1] == "export" and str(ev[0][2]) == "3" and ev[0][3] == "xlsx", ev


@test
def export_csv_has_a_bom_defuses_formulas_and_keeps_the_filters():
    import csv
    import io
    c = agent_client("agent")
    n = _register(c, customer_name="=HYPERLINK(\"http://evil\")", description="导出测试狴犴 CSV")
    r = c.get("/complaints.csv?q=" + up.quote("狴犴"))
    assert r.status == 200 and r.header("Content-Type", "").startswith("text/csv"), r.brief()
    assert r.body.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM"
    rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
    assert [x[0] for x in rows[1:]] == [n], rows
    assert rows[1][4].startswith("'="), f"a formula cell was not defused: {rows[1][4]!r}"
    got = root_sql("SELECT JSON_VALUE(after_json, '$.format'), JSON_VALUE(after_json, '$.query') FROM audit_event "
                   "WHERE entity = 'complaint_list' ORDER BY seq DESC LIMIT 1")
    assert got[0][0] == "csv" and "q=" in got[0][1], got
    # someone who may not see it exports nothing of it
    r2 = agent_client("agent2").get("/complaints.csv?q=" + up.quote("狴犴"))
    assert r2.status == 200 and n not in r2.text, "agent2's export holds agent's complaint"


@test
def export_pages_through_more_than_1000_rows_in_the_sorted_order():
    _ensure_complaints(1010)
    sup = agent_client("supervisor")
    r = sup.get("/complaints.xlsx?sort=-customer")
    assert r.status == 200, r.brief()
    rows = _xlsx_rows(r.body)[1:]
    want = [str(x[0]) for x in root_sql("SELECT number FROM complaint ORDER BY customer_name DESC, "
                                        "received_at DESC, id DESC")]
    assert len(want) > 1000, len(want)
    assert [str(x[0]) for x in rows] == want, f"{len(rows)} rows, {len(want)} complaints, or not in order"
    assert r.header("X-Kesu-Rows") == str(len(want)), r.header("X-Kesu-Rows")


@test
def export_with_a_bad_sort_or_a_too_long_search_is_refused_clearly():
    c = agent_client("agent")
    for qs in ("sort=phone", "q=" + "x" * 500):
        for ext in ("xlsx", "csv"):
            r = c.get(f"/complaints.{ext}?{qs}")
            assert 400 <= r.status < 500, f"/complaints.{ext}?{qs[:20]}: {r.brief()}"
    assert c.get("/complaints.xlsx").status == 200


@test
def saved_searches_are_named_listed_kept_per_person_and_deleted():
    c = agent_client("agent")
    r = c.post_form("/searches", {"name": "床垫投诉", "query": "?q=床垫&sort=-customer&after=abc.20261130081500.5"})
    assert r.status == 303 and r.location.startswith("/searches"), r.brief()
    j = c.get_json("/searches").json()
    mine = [x for x in j["searches"] if x["name"] == "床垫投诉"]
    assert mine and mine[0]["query"] == "q=床垫&sort=-customer", mine   # the cursor is not kept
    assert mine[0]["url"] == "/complaints?q=床垫&sort=-customer", mine
    page = c.get("/complaints")
    assert 'href="/searches"' in page.text, "the menu has no link to the saved searches"
    assert "床垫投诉" in c.get("/searches").text
    # a name is kept once per person; another person has their own
    r = c.post_form("/searches", {"name": "床垫投诉", "query": "q=x"})
    assert r.status == 422 and ("already" in r.text or "同名" in r.text), r.brief()
    assert "q=x" in r.text, "what was typed is not kept"
    other = agent_client("agent2")
    assert not [x for x in other.get_json("/searches").json()["searches"] if x["name"] == "床垫投诉"]
    assert other.post_form("/searches", {"name": "床垫投诉", "query": "q=y"}).status == 303
    # bad input: no name, a name of 61 characters, a query of 1,001 bytes
    for f in ({"name": "", "query": "q=x"}, {"name": "名" * 61, "query": "q=x"},
              {"name": "long", "query": "q=" + "x" * 1000}):
        r = c.post_json("/searches", f)
        assert r.status == 422, f"{f['name'][:5]}: {r.brief()}"
    # someone else's search cannot be deleted (404); one's own can, and it is audited
    sid = mine[0]["id"]
    assert other.post_form(f"/searches/{sid}/delete", {}).status == 404
    r = c.post_form(f"/searches/{sid}/delete", {})
    assert r.status == 303, r.brief()
    assert not [x for x in c.get_json("/searches").json()["searches"] if x["id"] == sid]
    ev = root_sql(f"SELECT action FROM audit_event WHERE entity = 'saved_search' AND entity_id = '{sid}' ORDER BY seq")
    assert [x[0] for x in ev] == ["save", "delete"], ev


@test
def saved_searches_stop_at_50_a_person():
    c = agent_client("agent2")
    have = len(c.get_json("/searches").json()["searches"])
    for i in range(50 - have):
        assert c.post_json("/searches", {"name": f"s{i:02d}", "query": f"q={i}"}).status in (200, 201), i
    r = c.post_json("/searches", {"name": "one too many", "query": "q=51"})
    assert r.status == 422 and "name" in r.json().get("errors", {}), r.brief()


def _bulk(client, numbers, action, extra=(), json=True):
    import urllib.parse
    body = [("action", action)] + [("number", n) for n in numbers] + list(extra) + [("csrf_token", client.csrf)]
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    if json:
        h["Accept"] = "application/json"
    return client.request("POST", "/complaints/bulk", body=urllib.parse.urlencode(body), headers=h)


def _status(number):
    return root_sql(f"SELECT status FROM complaint WHERE number = '{number}'")[0][0]


@test
def bulk_triage_and_assign_are_one_audited_step_per_complaint_with_each_result_shown():
    agent, sup = agent_client("agent"), agent_client("supervisor")
    a, b, c = (_register(agent, description=f"批量测试 {i}") for i in range(3))
    # the list offers the supervisor the selection, not the agent
    page = sup.get("/complaints?q=" + up.quote("批量测试"))
    assert 'form="bulk-form"' in page.text and 'action="/complaints/bulk"' in page.text, "no bulk form"
    assert 'form="bulk-form"' not in agent.get("/complaints").text, "the agent is offered bulk steps"
    r = _bulk(sup, [a, b], "triage")
    assert r.status == 200, r.brief()
    res = {x["number"]: x for x in r.json()["results"]}
    assert res[a]["ok"] and res[b]["ok"] and res[a]["status"] == "triaged", res
    # a triaged complaint cannot be triaged again: its own result says so, the other goes on
    r = _bulk(sup, [a, c], "triage", json=False)
    assert r.status == 200 and 'data-number="' + a + '" class="failed"' in r.text, r.brief(800)
    assert 'data-number="' + c + '" class="ok"' in r.text, r.brief(800)
    assert _status(c) == "triaged"
    # assign: an unknown department changes nothing of that complaint (all or nothing)
    r = _bulk(sup, [a, b], "assign", [("departments", "production"), ("departments", "no-such-dept")])
    assert r.status == 200 and not any(x["ok"] for x in r.json()["results"]), r.brief()
    assert _status(a) == "triaged" and _status(b) == "triaged"
    assert not root_sql(f"SELECT 1 FROM complaint_assignment WHERE number IN ('{a}', '{b}')"), "half an assignment"
    r = _bulk(sup, [a, b, "991231999"], "assign", [("departments", "production"), ("departments", "quality")])
    res = {x["number"]: x for x in r.json()["results"]}
    assert res[a]["ok"] and res[b]["ok"] and res["991231999"]["error"] == "not_found", res
    assert _status(a) == "assigned" and _status(b) == "assigned"
    (k,) = root_sql(f"SELECT COUNT(*) FROM complaint_assignment WHERE number IN ('{a}', '{b}')")[0]
    assert int(k) == 4, k
    ev = root_sql(f"SELECT entity_id, action, actor_uid FROM audit_event WHERE entity = 'complaint' "
                  f"AND entity_id IN ('{a}', '{b}', '{c}') AND action IN ('triage_substantiated', 'assign') ORDER BY seq")
    assert [(x[0], x[1]) for x in ev] == [(a, "triage_substantiated"), (b, "triage_substantiated"),
                                          (c, "triage_substantiated"), (a, "assign"), (b, "assign")], ev
    assert all(x[2] == "supervisor" for x in ev), ev


@test
def bulk_steps_refuse_bad_input_and_other_roles():
    agent, sup = agent_client("agent"), agent_client("supervisor")
    n = _register(agent, description="批量测试 坏输入")
    assert _bulk(agent, [n], "triage").status == 404, "an agent reached the bulk step"
    for numbers, action in (([], "triage"), ([n], "close"), ([n], ""), (["12ab"], "triage"),
                            ([f"{n}"] * 1 + [str(261130000 + i) for i in range(101)], "triage")):
        r = _bulk(sup, numbers, action)
        assert r.status == 422, f"{action} {numbers[:2]}: {r.brief()}"
    assert _status(n) == "registered"


@test
def repeat_flag_links_to_the_complaints_it_refers_to():
    c = agent_client("agent")
    first = _register(c, customer_name="重复测试客户", customer_phone="13955550001", description="第一次")
    second = _register(c, customer_name="重复测试客户", customer_phone="13955550001", description="第二次")
    j = c.get_json(f"/complaints/{second}").json()
    comp = j.get("complaint", j)
    assert comp.get("repeat_reason") == "same_customer", comp.get("repeat_reason")
    assert [x["number"] for x in comp.get("repeat_of", [])] == [first], comp.get("repeat_of")
    page = c.get(f"/complaints/{second}")
    assert f'href="/complaints/{first}"' in page.text and 'id="repeat-of"' in page.text, "no link to the earlier one"
    # the earlier one, flagged too, links back
    j = c.get_json(f"/complaints/{first}").json()
    comp = j.get("complaint", j)
    assert second in [x["number"] for x in comp.get("repeat_of", [])], comp.get("repeat_of")
    # someone who may not see the earlier complaint gets no link to it
    other = agent_client("agent2")
    assert other.get_json(f"/complaints/{second}").status == 404
