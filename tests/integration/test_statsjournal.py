"""A registration's statistics journalled, then folded (issue 10, statsjournal, sql/037): the
registration writes one journal row and none of the nineteen aggregate rows; a change made to
the complaint before its row is folded leaves the figures equal to a rebuild once it is; and the
statistics page counts every registration committed before it is read."""

import subprocess
import threading
import time

from harness import agent_client, complaint_fields, env, json_fields, root_sql, test
from test_aggregate import snapshot
from test_plans import act

HOLD_SECONDS = 5   # below the workers' lock wait (db.read_timeout - 2)


def _hold_the_fold():
    """A root session that holds stats_fold_mark's row for HOLD_SECONDS: every fold waits."""
    holder = subprocess.Popen(
        ["mariadb", f"--defaults-file={env('KESU_DB_ROOT_CNF')}", "kesu", "-e",
         f"START TRANSACTION; SELECT folded FROM stats_fold_mark WHERE id = 1 FOR UPDATE; "
         f"SELECT SLEEP({HOLD_SECONDS}); COMMIT;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):   # until the row is held
        if root_sql("SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP%'")[0][0] != "0":
            return holder
        time.sleep(0.05)
    raise AssertionError("the holder did not start")


def _customer_rows(name):
    return root_sql(f"SELECT COUNT(*), COALESCE(SUM(n), 0) FROM stats_agg WHERE grain = 'm' AND dim = 'customer' "
                    f"AND code = '{name}'")[0]


@test
def a_registration_journals_its_figures_and_a_change_before_the_fold_keeps_them_equal_to_a_rebuild():
    c, sup = agent_client("agent"), agent_client("supervisor")
    name = f"账{int(time.time() * 1000) % 1000000} 统计"
    time.sleep(0.2)   # past the last registration's pace: this one folds after its COMMIT
    holder = _hold_the_fold()
    got = {}
    reg = threading.Thread(target=lambda: got.update(
        r=c.register(json_fields(complaint_fields(customer_name=name, part_no="", lot="")))))
    reg.start()
    try:
        # committed, its fold waiting on the held row: one journal row, no aggregate row
        number = None
        for _ in range(100):
            rows = root_sql(f"SELECT number, id FROM complaint WHERE customer_name = '{name}'")
            if rows:
                number, cid = rows[0]
                break
            time.sleep(0.05)
        assert number, "the registration did not commit"
        assert root_sql(f"SELECT COUNT(*) FROM stats_journal WHERE id = {cid}")[0][0] == "1"
        assert _customer_rows(name) == ["0", "0"], _customer_rows(name)
        # a change of the counted columns before the fold: its rows go out and in as always
        act(sup, number, "triage_substantiated")
        assert reg.is_alive(), "the registration's fold did not wait for the held row"
    finally:
        holder.wait(timeout=HOLD_SECONDS + 30)
        reg.join(timeout=30)
    assert got["r"].status == 201, got["r"].status
    assert root_sql(f"SELECT COUNT(*) FROM stats_journal WHERE id = {cid}")[0][0] == "0"
    assert _customer_rows(name) == ["1", "1"], _customer_rows(name)
    kept = snapshot()
    root_sql("CALL stats_rebuild()")
    rebuilt = snapshot()
    assert rebuilt == kept, [r for r in kept if r not in rebuilt][:5] + ["--"] + [r for r in rebuilt if r not in kept][:5]


@test
def the_statistics_page_counts_every_registration_committed_before_it_is_read():
    c, sup = agent_client("agent"), agent_client("supervisor")
    name = f"读{int(time.time() * 1000) % 1000000} 统计"
    # two registrations at once: the second's fold is usually left to whoever folds next
    first = c.register(json_fields(complaint_fields(customer_name=name, part_no="", lot=""))).json()["number"]
    second = c.register(json_fields(complaint_fields(customer_name=name, part_no="", lot=""))).json()["number"]
    assert first != second
    page = sup.get_json("/stats").json()
    assert page, "no statistics"
    assert root_sql("SELECT COUNT(*) FROM stats_journal")[0][0] == "0"
    assert _customer_rows(name) == ["1", "2"], _customer_rows(name)
