"""Registration at a bounded cost (issue 10, regfast): a repeat flags at most the newest earlier
complaint of the same customer, or the newest of each other customer of a lot, whatever their
history; the statistics kept by sql/029's fast path equal a rebuild from the rows; a complaint
received before the last month is searchable without a copy in the month's search table."""

import time
import urllib.parse as up

from harness import agent_client, company_time, complaint_fields, json_fields, root_sql, test
from test_aggregate import snapshot


def _reason(number):
    return root_sql(f"SELECT repeat_reason FROM complaint WHERE number = '{number}'")[0][0]


def _flags_by(number):
    """The complaints whose repeat_flag events name number as the repeat."""
    rows = root_sql("SELECT entity_id FROM audit_event WHERE action = 'repeat_flag' "
                    f"AND JSON_VALUE(after_json, '$.repeated_by') = '{number}' ORDER BY seq")
    return [r[0] for r in rows]


def _unflag(numbers):
    """As complaints loaded by SQL are: never flagged (the statistics' triggers follow)."""
    root_sql("UPDATE complaint SET repeat_reason = '' WHERE number IN ({})".format(
        ", ".join(f"'{n}'" for n in numbers)))


@test
def a_repeat_flags_only_the_newest_earlier_complaint_of_the_same_customer():
    c = agent_client("agent")
    mark = f"界{int(time.time() * 1000) % 1000000}"
    same = dict(customer_name=f"{mark} 甲", customer_phone="13900003333", part_no="", lot="")
    earlier = [c.register(json_fields(complaint_fields(received_at=time.strftime(
        "%Y-%m-%dT%H:%M", company_time((10 - k) * 3600)), **same))).json()["number"] for k in range(3)]
    _unflag(earlier)   # three earlier complaints of the customer, none flagged
    new = c.register(json_fields(complaint_fields(**same))).json()["number"]
    assert _reason(new) == "same_customer", _reason(new)
    assert [_reason(n) for n in earlier] == ["", "", "same_customer"], [_reason(n) for n in earlier]
    assert _flags_by(new) == [earlier[2]], _flags_by(new)
    # the next one's newest earlier complaint is a repeat itself, flagged already: nothing to flag
    again = c.register(json_fields(complaint_fields(**same))).json()["number"]
    assert _reason(again) == "same_customer" and _flags_by(again) == [], (_reason(again), _flags_by(again))
    assert [_reason(n) for n in earlier[:2]] == ["", ""]


@test
def a_lot_repeat_flags_the_newest_complaint_of_each_other_customer_of_the_lot():
    c = agent_client("agent")
    mark = f"批{int(time.time() * 1000) % 1000000}"
    part, lot = f"P-{mark}", f"LOT-{mark}"

    def reg(who):
        return c.register(json_fields(complaint_fields(customer_name=f"{mark} {who}", part_no=part,
                                                       lot=lot))).json()["number"]

    first_b, second_b, c1 = reg("乙"), reg("乙"), reg("丙")
    _unflag([first_b, second_b, c1])
    d = reg("丁")   # the third customer of the lot
    assert _reason(d) == "same_lot", _reason(d)
    assert sorted(_flags_by(d)) == sorted([second_b, c1]), _flags_by(d)
    assert _reason(first_b) == "", "only the newest complaint of each other customer is flagged"


@test
def registration_statistics_from_the_fast_path_equal_a_rebuild_from_the_rows():
    c = agent_client("agent")
    mark = f"统{int(time.time() * 1000) % 1000000}"
    same = dict(customer_name=f"{mark} 甲", customer_phone="13900004444")
    # a repeat (its earlier complaint re-counted), a level without a resolve deadline, an old one
    for over in (same, same, dict(severity="4"), dict(received_at=time.strftime(
            "%Y-%m-%dT%H:%M", company_time(50 * 86400)))):
        c.register(json_fields(complaint_fields(**over)))
    kept = snapshot()
    root_sql("CALL stats_rebuild()")
    assert snapshot() == kept, "the aggregates kept by the triggers differ from a rebuild"


@test
def a_complaint_received_before_the_last_month_is_searchable_without_a_copy_in_the_months_table():
    c = agent_client("agent")
    mark = f"旧{int(time.time() * 1000) % 1000000}"
    old = c.register(json_fields(complaint_fields(description=f"{mark} 很久以前的投诉", received_at=time.strftime(
        "%Y-%m-%dT%H:%M", company_time(40 * 86400))))).json()["number"]
    new = c.register(json_fields(complaint_fields(description=f"{mark} 刚收到的投诉"))).json()["number"]
    ids = {n: root_sql(f"SELECT id FROM complaint WHERE number = '{n}'")[0][0] for n in (old, new)}
    # the search catches up first (a registration's own catch-up may have left them to it)
    got = {str(x["number"]) for x in c.get_json("/complaints?q=" + up.quote(mark)).json()["complaints"]}
    assert got == {str(old), str(new)}, got
    recent = {r[0] for r in root_sql("SELECT complaint_id FROM complaint_text_recent "
                                     f"WHERE complaint_id IN ({ids[old]}, {ids[new]})")}
    assert recent == {ids[new]}, recent


@test
def a_registration_with_a_repeat_flag_leaves_the_chain_head_at_its_last_event():
    # two events in one transaction: the head is locked once and written once, before COMMIT
    c = agent_client("agent")
    mark = f"链{int(time.time() * 1000) % 1000000}"
    same = dict(customer_name=f"{mark} 甲", customer_phone="13900005555", part_no="", lot="")
    first = c.register(json_fields(complaint_fields(**same))).json()["number"]
    again = c.register(json_fields(complaint_fields(**same))).json()["number"]
    assert _flags_by(again) == [first], _flags_by(again)
    ev = root_sql("SELECT seq, hash, prev_hash, action FROM audit_event WHERE (entity_id = "
                  f"'{first}' AND action = 'repeat_flag') OR (entity_id = '{again}' AND action = 'register') "
                  "ORDER BY seq")
    assert [e[3] for e in ev] == ["repeat_flag", "register"], ev
    assert int(ev[1][0]) == int(ev[0][0]) + 1 and ev[1][2] == ev[0][1], "the two events are not linked"
    head_seq, head_hash = root_sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")[0]
    assert int(head_seq) >= int(ev[1][0]), (head_seq, ev)
    assert root_sql(f"SELECT hash FROM audit_event WHERE seq = {head_seq}")[0][0] == head_hash
