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
