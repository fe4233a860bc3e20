"""The statistics' aggregates (issue 9, sql/022): kept by triggers in each step's transaction,
equal to the figures computed from the rows after a full lifecycle and a reopen; the monthly
close by `kesu-admin stats close-month` and by the sweep on the 10th; time to close in working
hours."""

import datetime
import json
import time

from harness import admin, agent_client, company_time, root_sql, test
from test_plans import act, file_report, propose, sign_plan
from test_stats import built, register, rows, triple

# A month no other test registers complaints in.
CLOSE_MONTH = "2025-06"

AGG_COLS = ("grain, day, dept, dim, code, n, qty, def, amount_fen, resp_ok, resp_done, res_ok, res_done, "
            "closed, close_min, close_wmin, sat_n, sat_sum, rep")


def snapshot():
    """Every aggregate row that counts something, in a stable order, as a reader finds them: the
    statistics page first folds the registrations' journal (sql/037)."""
    assert agent_client("supervisor").get_json("/stats").status == 200
    return root_sql(f"SELECT {AGG_COLS} FROM stats_agg WHERE n <> 0 OR qty <> 0 OR amount_fen <> 0 "
                    f"OR close_min <> 0 ORDER BY grain, day, dept, dim, code")


@test
def stats_aggregates_kept_by_every_step_equal_a_rebuild_from_the_rows_after_a_lifecycle_and_a_reopen():
    a, b, c = built()
    # one more lifecycle with a second department that refuses, a plan revised, and a reopen
    sup, owner = agent_client("supervisor"), agent_client("agent")
    _, d = register("2025-04-22T10:00", 61, quantity="30", defective_quantity="3")
    act(sup, d, "triage_substantiated")
    act(sup, d, "assign", departments="production,quality")
    act(agent_client("head.production"), d, "accept_assignment")
    act(agent_client("head.quality"), d, "refuse_assignment", reason="非本部门责任。")
    file_report(d)
    assert propose(owner, d, amount="800", remedies=[{"kind": "compensation", "amount": "800"},
                                                      {"kind": "return", "quantity": "5"}]).status == 200
    assert sign_plan(agent_client("head.production"), d).status == 200
    act(owner, d, "record_reply", reply_text="已告知客户处理结果。")
    act(owner, d, "record_callback", satisfaction="2")
    act(owner, d, "close", reason="客户已接受。")
    act(owner, d, "reopen", reason="客户不满意，重新处理。")
    act(sup, d, "triage_substantiated")
    act(owner, a, "reopen", reason="客户要求复核。")
    incremental = snapshot()
    assert incremental, "the triggers wrote nothing"
    root_sql("CALL stats_rebuild()")
    rebuilt = snapshot()
    assert incremental == rebuilt, [r for r in incremental if r not in rebuilt][:5] + \
        ["--"] + [r for r in rebuilt if r not in incremental][:5]

    # and the page's figures are those of the rows, computed here by plain SQL
    page = agent_client("supervisor").get_json("/stats?period=2025-04").json()
    local = "c.received_at + INTERVAL 480 MINUTE"
    where = f"{local} >= '2025-04-01' AND {local} < '2025-05-01'"
    n, closed, qty, sat_n, sat_sum = root_sql(
        f"SELECT COUNT(*), SUM(status = 'closed'), COALESCE(SUM(quantity), 0), COUNT(satisfaction), "
        f"COALESCE(SUM(satisfaction), 0) FROM complaint c WHERE {where}")[0]
    o = rows(page, "overview")
    assert o["complaints"]["cur_n"] == int(n) and o["closed"]["cur_n"] == int(closed), (n, closed, o["closed"])
    assert o["quantity"]["cur_n"] == int(qty)
    assert o["satisfaction_avg"]["cur_n"] == (int(sat_sum) * 200 + int(sat_n)) // (2 * int(sat_n))
    for code, cnt in root_sql(f"SELECT category, COUNT(*) FROM complaint c WHERE {where} GROUP BY category"):
        assert rows(page, "category")[code]["cur_n"] == int(cnt), code
    for dept, cnt in root_sql(f"SELECT a.department, COUNT(*) FROM complaint c JOIN complaint_assignment a "
                              f"ON a.number = c.number AND a.state <> 'refused' WHERE {where} GROUP BY a.department"):
        assert rows(page, "department")[dept]["cur_n"] == int(cnt), dept
    assert rows(page, "department")["quality"]["cur_n"] == 0   # refused: not counted
    for kind, cnt, amount in root_sql(
            f"SELECT pr.kind, COUNT(DISTINCT c.id), COALESCE(SUM(pr.amount_fen), 0) FROM complaint c "
            f"JOIN handling_plan hp ON hp.number = c.number AND hp.state = 'approved' "
            f"JOIN plan_remedy pr ON pr.plan_id = hp.id WHERE {where} GROUP BY pr.kind"):
        assert rows(page, "remedy")[kind]["cur_n"] == int(cnt), kind
        if kind == "compensation":
            assert rows(page, "money")["compensation"]["cur_n"] == int(amount)


@test
def stats_time_to_close_counts_working_hours_of_the_business_calendar():
    # received on a Friday at 17:00 local, closed on the Monday at 09:00: 64 natural hours,
    # 1 working hour (17:00-17:30, then 08:30-09:00)
    owner = agent_client("agent")
    _, n = register("2025-08-01T17:00", 71, category="grumble", severity="4")
    act(owner, n, "answer_grumble", reason="已解释。")
    root_sql(f"UPDATE complaint SET closed_at = '2025-08-04 01:00:00' WHERE number = '{n}'")
    o = rows(agent_client("supervisor").get_json("/stats?period=2025-08").json(), "overview")
    assert o["close_avg"]["cur_n"] == 64 * 60 and o["close_work_avg"]["cur_n"] == 60, (o["close_avg"],
                                                                                         o["close_work_avg"])
    assert o["close_work_avg"]["cur"] == "1.0 h"


def freezes(period):
    return root_sql(f"SELECT actor_uid, actor_role FROM audit_event WHERE entity = 'stats_report' "
                    f"AND entity_id = '{period}' AND action = 'stats_report_freeze' ORDER BY seq")


@test
def kesu_admin_stats_close_month_freezes_once_and_a_reopen_later_shows_only_in_the_live_view():
    owner = agent_client("agent")
    _, n = register(f"{CLOSE_MONTH}-03T10:00", 81, category="grumble", severity="4")
    act(owner, n, "answer_grumble", reason="已解释。")
    p = admin("stats", "close-month", CLOSE_MONTH)
    assert p.returncode == 0 and "frozen" in p.stdout, (p.stdout, p.stderr)
    first = root_sql(f"SELECT figures, content_hash, frozen_by FROM stats_report WHERE period = '{CLOSE_MONTH}'")
    assert len(first) == 1 and first[0][2] == "kesu-admin", first
    assert json.loads(first[0][0])["sections"]["overview"]["closed"] == 1
    assert freezes(CLOSE_MONTH) == [["kesu-admin", "system"]]
    # twice: nothing more
    p = admin("stats", "close-month", CLOSE_MONTH)
    assert p.returncode == 0 and "nothing done" in p.stdout, p.stdout
    assert root_sql(f"SELECT figures, content_hash, frozen_by FROM stats_report WHERE period = '{CLOSE_MONTH}'") == first
    assert freezes(CLOSE_MONTH) == [["kesu-admin", "system"]]
    assert admin("stats", "close-month", "2025-13").returncode == 2
    # a reopen afterwards: the report keeps its figures, the live view shows the difference
    act(owner, n, "reopen", reason="客户不认同解释。")
    assert root_sql(f"SELECT figures, content_hash FROM stats_report WHERE period = '{CLOSE_MONTH}'") == \
        [first[0][:2]]
    d = agent_client("supervisor").get_json(f"/stats?period={CLOSE_MONTH}").json()
    o = rows(d, "overview")
    assert o["closed"]["frozen_n"] == 1 and o["closed"]["cur_n"] == 0 and o["closed"]["live_diff"] == "-1", o["closed"]
    assert d["report"]["changed"] >= 1 and d["report"]["signed"] is False


@test
def the_sweep_closes_the_previous_months_stats_once_from_the_10th():
    today = datetime.date.fromisoformat(time.strftime("%Y-%m-%d", company_time()))
    prev = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    for _ in range(2):
        p = admin("sweep")
        assert p.returncode == 0, p.stderr
    if today.day >= 10:
        assert freezes(prev) == [["kesu-sweep", "system"]], freezes(prev)
        assert root_sql(f"SELECT frozen_by FROM stats_report WHERE period = '{prev}'") == [["kesu-sweep"]]
    else:
        assert freezes(prev) == []
    assert freezes(today.strftime("%Y-%m")) == []


@test
def every_count_of_the_statistics_links_to_a_list_of_exactly_the_complaints_it_counts():
    built()
    for user in ("supervisor", "head.production"):
        cl = agent_client(user)
        d = cl.get_json("/stats?period=2025-04").json()
        checked = set()
        for s in d["sections"]:
            for r in s["rows"]:
                for p in ("cur", "prev", "yago"):
                    url = r.get(f"{p}_url")
                    if not url:
                        continue
                    listed = cl.get_json(url).json()
                    assert not listed.get("next_cursor"), url
                    n = len(listed["complaints"])
                    if r["unit"] == "rate":
                        # a rate links to the complaints on time; "late" lists the rest it counts
                        late = len(cl.get_json(url.replace("=on_time", "=late")).json()["complaints"])
                        got = None if n + late == 0 else (n * 2000 + n + late) // (2 * (n + late))
                        assert got == r[f"{p}_n"], (user, r["code"], p, url, n, late, r[f"{p}_n"])
                    else:
                        assert n == r[f"{p}_n"], (user, s["key"], r["code"], p, url, n, r[f"{p}_n"])
                    checked.add(s["key"])
        assert {"overview", "category", "customer_type", "department", "responsibility", "remedy"} <= checked, \
            (user, checked)
        # the satisfaction distribution's counts link too (the list's satisfaction filter)
        ov = next(s for s in d["sections"] if s["key"] == "overview")["rows"]
        sat = [r for r in ov if r["code"] in ("satisfaction_%d" % i for i in range(1, 6))]
        assert len(sat) == 5 and all(r.get("cur_url") and "satisfaction=" in r["cur_url"] for r in sat), sat
        assert sum(r["cur_n"] for r in sat) > 0, "the known month has no satisfaction score to follow"
