"""A registration's words reach the search in batches (issue 10, regfast2): at most one
registration's catch-up per 100 ms across the workers, so a burst writes its text in a few
statements; a search still finds every complaint registered before it, and the next
registration's catch-up writes the words the burst left in the journal."""

import os
import time
import urllib.parse as up

from harness import agent_client, complaint_fields, json_fields, root_sql, test


def _word():
    return "burst" + "".join("abcdefghjkmnpqrstuvwxyz"[b % 23] for b in os.urandom(8))


def _register(c, word, i):
    r = c.register(json_fields(complaint_fields(description=f"批量登记 {word} 第{i}件，外壳开裂。")))
    assert r.status in (200, 201), r.brief()
    return str(r.json()["number"])


def _without_text(numbers):
    ins = ", ".join(f"'{n}'" for n in numbers)
    return [r[0] for r in root_sql(f"SELECT c.number FROM complaint c LEFT JOIN complaint_text t "
                                   f"ON t.complaint_id = c.id WHERE c.number IN ({ins}) AND t.complaint_id IS NULL")]


@test
def a_burst_of_registrations_is_found_whole_by_the_search_right_after_it():
    agent = agent_client("agent")
    word = _word()
    made = [_register(agent, word, i) for i in range(6)]
    r = agent.get_json("/complaints?q=" + up.quote(word))
    assert r.status == 200, r.brief()
    got = sorted(str(x["number"]) for x in r.json()["complaints"])
    assert got == sorted(made), f"found {got}, registered {made}"
    assert _without_text(made) == [], "the search's catch-up left words out"


@test
def the_next_registrations_catch_up_writes_the_words_an_earlier_burst_left_in_the_journal():
    agent = agent_client("agent")
    word = _word()
    made = [_register(agent, word, i) for i in range(6)]
    # past the 100 ms during which registrations leave their words to another's catch-up
    time.sleep(0.3)
    made.append(_register(agent, word, 6))
    assert _without_text(made) == [], "a registration after the interval did not write the journal's words"
    (mark,) = root_sql("SELECT seq FROM complaint_text_mark WHERE node = @@wsrep_node_name")[0]
    (newest,) = root_sql("SELECT MAX(seq) FROM complaint_text_journal")[0]
    assert int(mark) >= int(newest), (mark, newest)


@test
def the_months_search_copy_still_drops_rows_older_than_31_days_trimmed_at_one_row_in_32():
    from harness import admin
    (n,) = root_sql("SELECT COUNT(*) FROM complaint")[0]
    if int(n) < 40:
        assert admin("bench-load", "40", timeout=600).returncode == 0
    # a row 40 days old left in the copy, as the month that ages out leaves them
    old_key = "TIMESTAMPDIFF(SECOND, '2000-01-01', UTC_TIMESTAMP() - INTERVAL 40 DAY) * 4294967296"
    root_sql("REPLACE INTO complaint_text_recent (complaint_id, received_at, sort_key, body) VALUES "
             f"(0, UTC_TIMESTAMP() - INTERVAL 40 DAY, {old_key}, '陈旧副本')")
    assert root_sql("SELECT COUNT(*) FROM complaint_text_recent WHERE complaint_id = 0") == [["1"]]
    # the text of 32 consecutive complaints written again (one id of them is a multiple of 32)
    (hi,) = root_sql("SELECT MAX(id) FROM complaint")[0]
    root_sql("REPLACE INTO complaint_text (complaint_id, received_at, body) SELECT c.id, c.received_at, "
             "CONCAT_WS(' ', c.number, c.customer_name, c.customer_company, c.product, c.part_no, c.lot, "
             "c.order_no, c.subject_person, c.description, c.demand) FROM complaint c "
             f"WHERE c.id > {int(hi) - 32} AND c.id <= {hi}")
    assert root_sql("SELECT COUNT(*) FROM complaint_text_recent WHERE complaint_id = 0") == [["0"]], \
        "the copy kept a row older than 31 days"
    # still a suffix of complaint_text: nothing in the copy older than 31 days
    (old,) = root_sql("SELECT COUNT(*) FROM complaint_text_recent WHERE sort_key < "
                      "TIMESTAMPDIFF(SECOND, '2000-01-01', UTC_TIMESTAMP() - INTERVAL 31 DAY) * 4294967296")[0]
    assert old == "0", old
