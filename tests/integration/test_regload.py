"""Registration's statistics in one statement (issue 10, regload, sql/032): the figures a
registration and its repeat flag keep equal a rebuild from the rows, whether the complaint it
repeats has no counted assignment (the two-row fast path) or is assigned to a department (whose
rows carry the repeat count too: the full path)."""

import time

from harness import agent_client, complaint_fields, json_fields, root_sql, test
from test_aggregate import snapshot
from test_plans import act


def _reason(number):
    return root_sql(f"SELECT repeat_reason FROM complaint WHERE number = '{number}'")[0][0]


@test
def a_repeat_flag_of_an_assigned_and_of_an_unassigned_complaint_keeps_figures_equal_to_a_rebuild():
    c, sup = agent_client("agent"), agent_client("supervisor")
    mark = f"载{int(time.time() * 1000) % 1000000}"
    plain = dict(customer_name=f"{mark} 甲", customer_phone="13900005555", part_no="", lot="")
    assigned = dict(customer_name=f"{mark} 乙", customer_phone="13900006666", part_no="", lot="",
                    quantity="40", defective_quantity="4")
    first = c.register(json_fields(complaint_fields(**plain))).json()["number"]
    other = c.register(json_fields(complaint_fields(**assigned))).json()["number"]
    act(sup, other, "triage_substantiated")
    act(sup, other, "assign", departments="production,quality")
    act(agent_client("head.quality"), other, "refuse_assignment", reason="非本部门责任。")
    for over in (plain, assigned):
        c.register(json_fields(complaint_fields(**over)))
    assert _reason(first) == "same_customer" and _reason(other) == "same_customer", (_reason(first), _reason(other))
    # a complaint without a resolve deadline, a product and no part: the NULL codes are skipped
    c.register(json_fields(complaint_fields(customer_name=f"{mark} 丙", severity="4", product="", part_no="",
                                            lot="")))
    kept = snapshot()
    root_sql("CALL stats_rebuild()")
    rebuilt = snapshot()
    assert rebuilt == kept, [r for r in kept if r not in rebuilt][:5] + ["--"] + [r for r in rebuilt if r not in kept][:5]
    # the repeat counts of the assigned complaint's department rows moved too
    assert root_sql("SELECT SUM(rep) FROM stats_agg WHERE grain = 'm' AND dept = 'production' AND dim = 'all'")[0][0] \
        not in (None, "0")
