"""The complaint statistics (/stats, issue 9): a known set of complaints built through the real
steps, and every figure of the table and the KPI asserted; who sees what; bad periods; CSV."""

import json

from harness import Client, agent_client, complaint_fields, json_fields, root_sql, test
from test_plans import act, file_report, propose, sign_plan

# A month in the past that no other test registers complaints in, the month before it and the
# same month a year earlier.
MONTH, PREV, YAGO = "2025-04", "2025-03", "2024-04"


def register(received, n, **over):
    owner = agent_client("agent")
    f = complaint_fields(received_at=received, part_no=f"ST-{n}", lot=f"LOT-{n}",
                         customer_name=f"统计客户{n}", **over)
    return owner, owner.register(json_fields(f)).json()["number"]


def build():
    """A: product quality, level 2, phone, dealer — through production's investigation, an
    approved plan (compensation 500, loss 15,000), reply, callback 4, closed; its deadlines
    far ahead, so it was answered and resolved on time. B: a grumble, level 4, email, consumer,
    answered at once (closed). C: product quality, level 2, phone, left registered (late).
    The month before: one; the same month a year earlier: one (email)."""
    sup = agent_client("supervisor")
    owner, a = register(f"{MONTH}-10T09:00", 1)
    root_sql("UPDATE complaint SET respond_due = '2099-01-01 00:00:00', resolve_due = '2099-01-01 00:00:00' "
             f"WHERE number = '{a}'")
    act(sup, a, "triage_substantiated")
    act(sup, a, "assign", departments="production")
    head = agent_client("head.production")
    act(head, a, "accept_assignment")
    file_report(a)
    assert propose(owner, a, amount="500", remedies=[{"kind": "compensation", "amount": "500"}]).status == 200
    assert sign_plan(head, a).status == 200
    act(owner, a, "record_reply", reply_text="已告知客户赔偿 500 元。")
    act(owner, a, "record_callback", satisfaction="4")
    assert act(owner, a, "close", reason="客户已接受；无需 8D。")["status"] == "closed"
    _, b = register(f"{MONTH}-12T10:00", 2, category="grumble", severity="4", channel="email",
                    customer_type="consumer")
    act(owner, b, "answer_grumble", reason="已解释退换货政策。")
    _, c = register(f"{MONTH}-20T15:30", 3)
    register(f"{PREV}-15T11:00", 4)
    register(f"{YAGO}-05T11:00", 5, channel="email")
    # times to close known to the minute: A 48 h, B 2 h (the trigger stamped them just now)
    got = root_sql(f"SELECT number, responded_at IS NOT NULL, closed_at IS NOT NULL FROM complaint "
                   f"WHERE number IN ('{a}', '{b}', '{c}') ORDER BY number")
    assert [g[1:] for g in got] == [["1", "1"], ["1", "1"], ["0", "0"]], got
    root_sql(f"UPDATE complaint SET closed_at = received_at + INTERVAL 48 HOUR WHERE number = '{a}'")
    root_sql(f"UPDATE complaint SET closed_at = received_at + INTERVAL 2 HOUR WHERE number = '{b}'")
    return a, b, c


_built = []


def built():
    if not _built:
        _built.append(build())
    return _built[0]


def rows(d, key):
    return {r["code"]: r for s in d["sections"] if s["key"] == key for r in s["rows"]}


def triple(row):
    return [row["cur_n"], row["prev_n"], row["yago_n"]]


@test
def stats_table_counts_every_figure_of_a_known_month_beside_the_month_before_and_a_year_earlier():
    built()
    r = agent_client("supervisor").get_json(f"/stats?period={MONTH}")
    assert r.status == 200, r.brief()
    d = r.json()
    assert d["period"]["from"] == "2025-04-01" and d["period"]["to"] == "2025-04-30", d["period"]
    o = rows(d, "overview")
    want = {
        "complaints": [3, 1, 1], "quantity": [600, 200, 200], "defective": [36, 12, 12],
        "response_on_time": [333, 0, 0],   # A of A, B, C (per mille)
        "resolution_on_time": [500, 0, 0],  # A of A, C (B: level 4 has no deadline)
        "closed": [2, 0, 0], "resolution_rate": [667, 0, 0],
        "close_avg": [1500, None, None], "close_median": [1500, None, None],
        "satisfaction_avg": [400, None, None],
        "satisfaction_1": [0, 0, 0], "satisfaction_4": [1, 0, 0], "satisfaction_5": [0, 0, 0],
        "repeat": [0, 0, 0],
    }
    for k, v in want.items():
        assert triple(o[k]) == v, (k, o[k])
    assert o["complaints"]["change_prev"] == "+2" and o["close_avg"]["cur"] == "25.0 h", o["complaints"]
    assert o["response_on_time"]["cur"] == "33.3%" and o["response_on_time"]["change_prev"] == "+33.3 pt"
    cat = rows(d, "category")
    assert triple(cat["product_quality"]) == [2, 1, 1] and triple(cat["grumble"]) == [1, 0, 0], cat
    assert triple(cat["contract"]) == [0, 0, 0]
    assert triple(rows(d, "severity")["2"]) == [2, 1, 1] and triple(rows(d, "severity")["4"]) == [1, 0, 0]
    ch = rows(d, "channel")
    assert triple(ch["phone"]) == [2, 1, 0] and triple(ch["email"]) == [1, 0, 1], ch
    ct = rows(d, "customer_type")
    assert triple(ct["dealer"]) == [2, 1, 1] and triple(ct["consumer"]) == [1, 0, 0], ct
    assert triple(rows(d, "department")["production"]) == [1, 0, 0]
    assert triple(rows(d, "department")["quality"]) == [0, 0, 0]
    assert triple(rows(d, "responsibility")["company"]) == [1, 0, 0]
    assert triple(rows(d, "remedy")["compensation"]) == [1, 0, 0]
    m = rows(d, "money")
    assert triple(m["compensation"]) == [50000, 0, 0] and triple(m["loss"]) == [1500000, 0, 0], m
    assert triple(m["discount"]) == [0, 0, 0]
    tops = {t["key"]: t["rows"] for t in d["tops"]}
    assert sorted((x["label"], x["count"]) for x in tops["top_customers"]) == \
        [("统计客户1", 1), ("统计客户2", 1), ("统计客户3", 1)], tops
    assert ("ST-1 / LOT-1", 1) in [(x["label"], x["count"]) for x in tops["top_part_lots"]]


@test
def stats_kpi_weighs_timeliness_satisfaction_and_resolution_30_40_30_and_ranks_departments():
    built()
    d = agent_client("gm").get_json(f"/stats?period={MONTH}").json()
    k = d["kpi"]
    assert [x["department"] for x in k] == ["production"], k
    # 30 % × 100 % + 40 % × (4 / 5) + 30 % × 100 % = 92.0
    assert k[0]["rank"] == 1 and k[0]["score"] == "92.0" and k[0]["score_permille"] == 920, k
    assert k[0]["timeliness"] == "100.0%" and k[0]["satisfaction"] == "80.0%", k
    assert "30" in d["kpi_formula"] and "40" in d["kpi_formula"], d["kpi_formula"]


@test
def stats_numbers_link_to_the_list_of_exactly_the_complaints_they_count():
    a, b, c = built()
    sup = agent_client("supervisor")
    d = sup.get_json(f"/stats?period={MONTH}").json()
    url = rows(d, "category")["product_quality"]["cur_url"]
    assert url == "/complaints?from=2025-04-01&to=2025-04-30&category=product_quality", url
    listed = sorted(x["number"] for x in sup.get_json(url).json()["complaints"])
    assert listed == sorted([a, c]), listed
    listed = sorted(x["number"] for x in sup.get_json(rows(d, "overview")["complaints"]["cur_url"]).json()["complaints"])
    assert listed == sorted([a, b, c]), listed
    listed = [x["number"] for x in sup.get_json(rows(d, "overview")["closed"]["cur_url"]).json()["complaints"]]
    assert sorted(listed) == sorted([a, b]), listed
    page = sup.get(f"/stats?period={MONTH}").text
    assert 'href="/complaints?from=2025-04-01&amp;to=2025-04-30&amp;category=product_quality"' in page


@test
def stats_are_for_the_leadership_supervisors_and_auditors_a_department_head_sees_their_department():
    built()
    for uid in ("gm", "deputy.gm", "qa.director", "supervisor", "auditor"):
        r = agent_client(uid).get_json(f"/stats?period={MONTH}")
        assert r.status == 200 and r.json()["department"] is None, (uid, r.brief())
    for uid in ("agent", "member.production", "engineer", "finance", "hr", "admin"):
        assert agent_client(uid).get(f"/stats?period={MONTH}").status == 404, uid
        assert agent_client(uid).get(f"/stats.csv?period={MONTH}").status == 404, uid
    d = agent_client("head.production").get_json(f"/stats?period={MONTH}").json()
    o = rows(d, "overview")
    assert d["department"] == "production" and triple(o["complaints"]) == [1, 0, 0], o["complaints"]
    assert triple(o["company_complaints"]) == [3, 1, 1], o
    assert [x["department"] for x in d["kpi"]] == ["production"]
    assert Client().get("/stats").status in (302, 303, 401)


@test
def stats_bad_periods_get_a_clear_message_never_a_500():
    sup = agent_client("supervisor")
    for q, text in (("period=2026-13", "01 to 12"), ("period=1990", "not one Kesu reads"),
                    ("from=2000-01-01&to=2029-12-31", "three years"),
                    ("from=2026-03-10&to=2026-03-01", "after the last"),
                    ("period=" + "9" * 5000, "not one Kesu reads")):
        r = sup.get(f"/stats?{q}&lang=en")
        assert r.status == 422 and text in r.text, (q, r.status, r.brief())
    assert sup.get("/stats.csv?period=2026-13").status in (400, 422)
    assert sup.get("/stats").status == 200


@test
def stats_csv_has_a_bom_every_row_and_the_kpi():
    built()
    r = agent_client("supervisor").get(f"/stats.csv?period={MONTH}&lang=en")
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv"), r.brief()
    assert r.body.startswith(b"\xef\xbb\xbf"), r.body[:10]
    text = r.body.decode("utf-8")
    assert '"Overview","Complaints","3","1",2,"1",2\r\n' in text, text[:600]
    assert '"Overview","Response rate on time' not in text
    assert '"Overview","On-time response rate","33.3%","0.0%",33.3,"0.0%",33.3\r\n' in text, text[:900]
    assert '"Rank","Responsible department"' in text and ',"92.0"\r\n' in text, text[-400:]
    assert "'" not in text, "no defused cell: nothing here is a formula"


@test
def stats_charts_draw_the_pages_own_data_with_chart_js_from_this_site():
    built()
    sup = agent_client("supervisor")
    ch = sup.get_json(f"/stats?period={MONTH}").json()["charts"]
    assert ch["trend"]["labels"][0] == "2024-05" and ch["trend"]["labels"][-1] == "2025-04", ch["trend"]
    assert len(ch["trend"]["counts"]) == 12 and ch["trend"]["counts"][-2:] == [1, 3], ch["trend"]
    cat = dict(zip(ch["category"]["labels"], ch["category"]["counts"]))
    assert cat["Product quality"] == 2 and sorted(cat.values())[-2:] == [1, 2] and sum(cat.values()) == 3, cat
    assert sum(ch["severity"]["counts"]) == 3, ch["severity"]
    assert ch["kpi"]["counts"] == [92.0] and len(ch["kpi"]["labels"]) == 1, ch["kpi"]
    page = sup.get(f"/stats?period={MONTH}&lang=en")
    text = page.text
    start = text.index('<script type="application/json" id="stats-chart-data">') + 54
    block = json.loads(text[start:text.index("</script>", start)])
    assert block == ch, "the page's data block is the JSON twin's charts"
    assert '<script src="/js/chart.js/chart.min.js" defer></script>' in text
    assert "script-src 'self'" in page.header("Content-Security-Policy"), page.header("Content-Security-Policy")
    # the tables are there without JavaScript
    assert 'id="stats-overview"' in text and 'id="stats-kpi"' in text
    js = Client().get("/js/chart.js/chart.min.js")
    assert js.status == 200 and b"Chart" in js.body[:2000] and "javascript" in js.header("Content-Type"), js.brief()
    assert Client().get("/static/stats.js").status == 200


@test
def stats_xlsx_opens_back_with_openpyxl_and_its_cells_are_numbers():
    built()
    import io
    import openpyxl
    r = agent_client("supervisor").get(f"/stats.xlsx?period={MONTH}&lang=en")
    assert r.status == 200 and "spreadsheetml" in r.header("Content-Type"), r.brief()
    ws = openpyxl.load_workbook(io.BytesIO(r.body)).active
    cells = {(row[0], row[1]): row[2:] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert ws["A1"].value == "Section" and ws.freeze_panes == "A2", (ws["A1"].value, ws.freeze_panes)
    assert cells[("Overview", "Complaints")] == ("count", 3, 1, 2, 1, 2), cells[("Overview", "Complaints")]
    assert cells[("Overview", "On-time response rate")] == ("%", 33.3, 0, 33.3, 0, 33.3)
    assert cells[("Overview", "Average time to close")] == ("hours", 25, None, None, None, None)
    assert cells[("Overview", "Average satisfaction (1–5)")][:2] == ("1–5", 4)
    assert cells[("Quantities and money (yuan)", "Compensation")] == ("yuan", 500, 0, 500, 0, 500)
    assert cells[("Quantities and money (yuan)", "Loss")] == ("yuan", 15000, 0, 15000, 0, 15000)
    assert cells[("By category", "Product quality")] == ("count", 2, 1, 1, 1, 1)
    kpi = {k[1]: v for k, v in cells.items() if k[0] == "Department KPI"}
    assert kpi["1. Production · Score"][:2] == ("points", 92), kpi
    assert kpi["1. Production · Satisfaction"][:2] == ("%", 80), kpi


@test
def stats_a_month_is_frozen_as_a_report_that_the_qa_director_signs_with_a_password():
    built()
    qa = agent_client("qa.director")
    assert agent_client("agent").post_json("/stats/reports", {"period": MONTH}).status == 404
    r = qa.post_json("/stats/reports", {"period": "2025-Q1"})
    assert r.status == 422 and "period" in r.json()["errors"], r.brief()
    r = qa.post_json("/stats/reports", {"period": MONTH})
    assert r.status == 200, r.brief()
    h = r.json()["content_hash"]
    d = qa.get_json(f"/stats?period={MONTH}").json()
    assert d["report"]["content_hash"] == h and d["report"]["signed"] is False and d["report"]["changed"] == 0
    assert d["report"]["can_sign"] is True
    assert rows(d, "overview")["closed"]["frozen_n"] == 2
    # a supervisor may freeze but not sign; a wrong password signs nothing
    sup = agent_client("supervisor")
    assert sup.post_json("/stats/reports/sign", {"period": MONTH, "content_hash": h, "password": "kesu-demo"}).status == 404
    r = qa.post_json("/stats/reports/sign", {"period": MONTH, "content_hash": h, "password": "wrong"})
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = qa.post_json("/stats/reports/sign", {"period": MONTH, "content_hash": h, "password": "kesu-demo"})
    assert r.status == 200, r.brief()
    assert root_sql(f"SELECT entity, role, content_hash FROM signature WHERE entity = 'stats_report'") == \
        [["stats_report", "qa_director", h]]
    assert root_sql(f"SELECT action FROM audit_event WHERE entity = 'stats_report' AND entity_id = '{MONTH}' "
                    "ORDER BY seq") == \
        [["stats_report_freeze"], ["stats_report_sign"]]
    # signed: never frozen again, never signed twice
    assert sup.post_json("/stats/reports", {"period": MONTH}).status == 409
    assert qa.post_json("/stats/reports/sign", {"period": MONTH, "content_hash": h, "password": "kesu-demo"}).status == 409
    # (the sweep closes the previous month on its own: only this month's report here)
    lst = [x for x in sup.get_json("/stats/reports").json()["reports"] if x["period"] == MONTH]
    assert [(x["period"], x["signed"], x["signer_name"]) for x in lst] == [(MONTH, True, lst[0]["signer_name"])], lst
    assert lst[0]["signer_name"], lst
    assert agent_client("agent").get("/stats/reports").status == 404
    assert agent_client("head.production").get("/stats/reports").status == 404


@test
def stats_reopening_a_complaint_clears_its_close_and_the_table_follows():
    a, b, c = built()
    owner = agent_client("agent")
    act(owner, b, "reopen", reason="客户不认同解释。")
    assert root_sql(f"SELECT closed_at IS NULL, responded_at IS NOT NULL FROM complaint WHERE number = '{b}'") \
        == [["1", "1"]]
    d = agent_client("supervisor").get_json(f"/stats?period={MONTH}").json()
    o = rows(d, "overview")
    assert triple(o["closed"]) == [1, 0, 0] and o["close_median"]["cur_n"] == 2880, o["closed"]
    # the signed report keeps what it said; the live view shows the difference
    if d.get("report"):
        assert d["report"]["signed"] is True and o["closed"]["frozen_n"] == 2, o["closed"]
        assert o["closed"]["live_diff"] == "-1" and d["report"]["changed"] >= 2, (o["closed"], d["report"])
        frozen = root_sql(f"SELECT figures FROM stats_report WHERE period = '{MONTH}'")[0][0]
        assert json.loads(frozen)["sections"]["overview"]["closed"] == 2
