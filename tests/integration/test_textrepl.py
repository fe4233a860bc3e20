"""Issue 11, textrepl: the search correct on every database node, and the departments' cache
following a generation. Galera replicates InnoDB only, so the search's Mroonga tables of a node
lack what other nodes registered; on the single stack a node "that was not the primary" is made
by deleting Mroonga rows behind the journal's back (exactly what such a node lacks: the rows,
while the replicated journal names them). The same on a real cluster, across failovers:
tests/cluster/proof.py."""

import urllib.parse as up

from harness import admin, agent_client, complaint_fields, json_fields, root_sql, test


def _register(c, **over):
    r = c.register(json_fields(complaint_fields(**over)))
    assert r.status in (200, 201), r.brief()
    return str(r.json()["number"])


def _found(c, word):
    r = c.get_json("/complaints?q=" + up.quote(word))
    assert r.status == 200, r.brief()
    return sorted(str(x["number"]) for x in r.json()["complaints"]), r.json()


def _ids(numbers):
    ins = ", ".join(f"'{n}'" for n in numbers)
    return [row[0] for row in root_sql(f"SELECT id FROM complaint WHERE number IN ({ins}) ORDER BY id")]


def _lose_text(ids):
    """What a node that did not take these registrations holds: no Mroonga row for them."""
    ins = ", ".join(ids)
    root_sql(f"DELETE FROM complaint_text WHERE complaint_id IN ({ins}); "
             f"DELETE FROM complaint_text_recent WHERE complaint_id IN ({ins})")
    assert root_sql(f"SELECT COUNT(*) FROM complaint_text WHERE complaint_id IN ({ins})") == [["0"]]


def _mark():
    rows = root_sql("SELECT seq FROM complaint_text_mark WHERE node = @@wsrep_node_name")
    return int(rows[0][0]) if rows else None


@test
def search_finds_complaints_whose_text_this_node_never_wrote_once_the_journal_names_them():
    sup = agent_client("supervisor")
    agent = agent_client("agent")
    _found(sup, "同步测试")                     # the node's mark at the journal's newest
    before = _mark()
    made = [_register(agent, description=f"节点同步测试驺虞 第{i}件，电机异响。") for i in range(3)]
    ids = _ids(made)
    # registered "on another node": the journal (InnoDB, replicated) has them, this node's
    # Mroonga tables do not, and its mark is where it was (the registering node's own requests
    # may have written their text and moved its mark after COMMIT: undone here, as this node
    # never did; since issue 10's regfast2 a registration within 100 ms of another's catch-up
    # leaves its words to the next one, test_regfast2.py)
    journal = root_sql(f"SELECT seq FROM complaint_text_journal WHERE complaint_id IN ({', '.join(ids)}) ORDER BY seq")
    assert len(journal) == 3 and all(int(s[0]) > before for s in journal), (journal, before)
    _lose_text(ids)
    root_sql(f"UPDATE complaint_text_mark SET seq = {before} WHERE node = @@wsrep_node_name")
    got, j = _found(agent, "驺虞")
    assert got == sorted(made), f"found {got}, registered {made}"
    assert j["count"]["n"] == 3, j["count"]
    assert _mark() >= int(journal[-1][0]), "the mark did not move past the rows written"
    # the newest month's copy follows (the plain search of a supervisor reads it first)
    got, _ = _found(sup, "驺虞")
    assert got == sorted(made), got
    (recent,) = root_sql(f"SELECT COUNT(*) FROM complaint_text_recent WHERE complaint_id IN ({', '.join(ids)})")[0]
    assert recent == "3", recent
    # and the export of the same search
    r = sup.get("/complaints.csv?q=" + up.quote("驺虞"))
    assert r.status == 200 and r.header("X-Kesu-Rows") == "3", r.brief()


@test
def a_node_holding_other_text_for_a_complaint_gets_the_complaints_own_text_back():
    agent = agent_client("agent")
    n = _register(agent, description="文本校正测试狻猊，包装破损。")
    (cid,) = _ids([n])
    _found(agent, "狻猊")
    # a row left behind by a transaction that rolled back on a killed node names this id with
    # other words; the journal's seq is below the mark, so move the mark back as such a node's is
    (seq,) = root_sql(f"SELECT seq FROM complaint_text_journal WHERE complaint_id = {cid}")[0]
    root_sql(f"UPDATE complaint_text SET body = '陈旧文本 貔貅甲' WHERE complaint_id = {cid}; "
             f"UPDATE complaint_text_mark SET seq = {int(seq) - 1} WHERE node = @@wsrep_node_name")
    got, _ = _found(agent, "狻猊")
    assert got == [n], got
    assert n not in _found(agent, "貔貅甲")[0]


@test
def a_node_without_a_mark_writes_every_complaints_text_in_the_sweep_and_by_the_command():
    agent = agent_client("agent")
    made = [_register(agent, description=f"重建测试饕餮 {i}") for i in range(2)]
    ids = _ids(made)
    (old,) = root_sql("SELECT MIN(id) FROM complaint")[0]
    # new Mroonga files on a node (or a node that only received the tables by replication):
    # no mark at all, rows missing old and new
    root_sql("DELETE FROM complaint_text_mark")
    _lose_text(ids + [old])
    p = admin("sweep", timeout=600)
    assert p.returncode == 0, p.stderr[-1500:]
    assert "search: the node db.host reaches brought up to the journal" in p.stdout, p.stdout
    p = admin("search", "catch-up", timeout=600)
    assert p.returncode == 0, p.stderr[-1500:]
    (missing,) = root_sql("SELECT COUNT(*) FROM complaint c LEFT JOIN complaint_text t "
                          "ON t.complaint_id = c.id WHERE t.complaint_id IS NULL")[0]
    assert missing == "0", f"{missing} complaints still without their text"
    (newest,) = root_sql("SELECT MAX(seq) FROM complaint_text_journal")[0]
    assert _mark() == int(newest), (_mark(), newest)
    assert _found(agent, "饕餮")[0] == sorted(made)
    # nothing missing: the command writes nothing and says nothing
    p = admin("search", "catch-up")
    assert p.returncode == 0 and p.stdout.strip() == "", p.stdout


@test
def the_journal_names_every_complaint_once_the_backfill_below_every_audit_seq():
    (bad,) = root_sql("SELECT COUNT(*) FROM complaint c LEFT JOIN complaint_text_journal j "
                      "ON j.complaint_id = c.id WHERE j.seq IS NULL")[0]
    assert bad == "0", f"{bad} complaints missing from the journal"
    # a registration's row carries its register event's seq
    rows = root_sql("SELECT j.seq = e.seq FROM complaint_text_journal j JOIN complaint c ON c.id = j.complaint_id "
                    "JOIN audit_event e ON e.entity = 'complaint' AND e.entity_id = c.number AND e.action = 'register' "
                    "ORDER BY j.seq DESC LIMIT 20")
    assert rows and all(r[0] == "1" for r in rows), rows


def _quality_names(client, n=24):
    """The quality department's name as n successive requests see it (each a new connection,
    so nginx hands them to whichever worker accepts first: every worker's own cache is read)."""
    out = set()
    for _ in range(n):
        j = client.get_json("/complaints").json()
        out.add(next(d["name"] for d in j["bulk"]["departments"] if d["code"] == "quality"))
    return out


@test
def cluster_a_department_renamed_on_one_host_is_shown_by_every_worker_in_the_next_request():
    sup = agent_client("supervisor")
    _register(agent_client("agent"))          # the list has a row, so the bulk form is there
    names = root_sql("SELECT name_zh, name_en FROM department WHERE code = 'quality'")[0]
    first = _quality_names(sup)
    assert len(first) == 1 and first <= set(names), first     # every worker's cache warm
    try:
        root_sql("UPDATE department SET name_zh = '品质保证部', name_en = 'Quality assurance' WHERE code = 'quality'")
        assert _quality_names(sup) <= {"品质保证部", "Quality assurance"}
        assert len(_quality_names(sup)) == 1
    finally:
        root_sql(f"UPDATE department SET name_zh = '{names[0]}', name_en = '{names[1]}' WHERE code = 'quality'")
    assert _quality_names(sup) == first


@test
def search_catch_up_names_a_database_node_it_cannot_reach_and_fails():
    import os
    import tempfile
    from harness import env, sh
    with open(env("KESU_CONF")) as f:
        conf = f.read()
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write(conf + "\nsearch.nodes = 127.0.0.1:1\n")
    try:
        p = sh([env("KESU_ADMIN"), "-c", f.name, "search", "catch-up"], timeout=60)
        assert p.returncode == 1, (p.returncode, p.stdout, p.stderr[-500:])
        assert "search: node 127.0.0.1:1 cannot be reached" in p.stderr, p.stderr[-500:]
    finally:
        os.unlink(f.name)


@test
def a_search_on_a_node_far_behind_writes_its_share_and_says_the_results_may_miss_complaints():
    sup = agent_client("supervisor")
    n = _register(agent_client("agent"), description="积压测试当康，外观划伤。")
    (cid,) = _ids([n])
    # a node far behind: more journal rows after its mark than two requests write (1,000 each)
    root_sql("DELETE FROM complaint_text_mark; INSERT INTO complaint_text_journal (seq, complaint_id) "
             f"SELECT -1000000000000 - CAST(seq AS SIGNED), {cid} FROM seq_1_to_2500")
    try:
        _lose_text([cid])
        j = sup.get_json("/complaints?q=" + up.quote("当康")).json()
        assert j.get("search_behind") is True, j.get("search_behind")
        assert _mark() == -1000000000000 - 1501, _mark()      # 1,000 rows written, oldest first
        r = sup.get("/complaints?q=" + up.quote("当康"))
        assert r.status == 200, r.brief()
        assert ("still adding recently registered complaints" in r.text or "仍在将最近登记的投诉加入搜索" in r.text), \
            "no notice on a page whose node is behind"
    finally:
        root_sql("DELETE FROM complaint_text_journal WHERE seq <= -1000000000000")
    p = admin("search", "catch-up")
    assert p.returncode == 0, p.stderr[-500:]
    got, j = _found(sup, "当康")
    assert got == [n] and "search_behind" not in j, (got, j.get("search_behind"))


def _fcgi_log():
    import os
    from harness import env
    with open(os.path.join(env("KESU_STATE"), "log", "kesu-fcgi.log"), errors="replace") as f:
        return f.read()


@test
def a_search_table_that_does_not_answer_costs_one_timeout_then_registrations_skip_the_catch_up():
    """A Mroonga table left locked (MariaDB killed in the middle of a write leaves Groonga's lock
    behind) made every registration's catch-up wait for the read timeout. Held here by a root
    session's LOCK TABLES: the first catch-up fails, the workers skip theirs for 30 s (one shared
    window), the complaints are all registered and found once the table answers again."""
    import os
    import subprocess
    import time
    from harness import env
    agent = agent_client("agent")
    sup = agent_client("supervisor")
    # this test's own word, letters only (one token): no other complaint has it
    word = "lockheld" + "".join("abcdefghjkmnpqrstuvwxyz"[b % 23] for b in os.urandom(8))
    _found(sup, "锁表")                       # the node's mark at the journal's newest
    holder = subprocess.Popen(["mariadb", f"--defaults-file={env('KESU_DB_ROOT_CNF')}", "kesu", "-e",
                               "LOCK TABLES complaint_text WRITE; SELECT SLEEP(14); UNLOCK TABLES;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        log0 = len(_fcgi_log())
        made = [_register(agent, description=f"锁表测试 {word} 第{i}件，外壳开裂。") for i in range(4)]
        said = _fcgi_log()[log0:]
        # one catch-up waited and failed; the three after it were skipped, not waited for
        assert said.count("no catch-up is tried for 30 s") == 1, said[-3000:]
        assert said.count("registered complaint") == 4, said[-3000:]
    finally:
        holder.wait(30)
    # every complaint registered once, and found once the table answers (the window over, a
    # search's catch-up brings the node's copy up to the journal)
    ins = ", ".join(f"'{n}'" for n in made)
    assert root_sql(f"SELECT COUNT(*) FROM complaint WHERE number IN ({ins})") == [["4"]]
    deadline = time.monotonic() + 45
    got = []
    while time.monotonic() < deadline:
        got, j = _found(agent, word)
        if got == sorted(made):
            break
        time.sleep(2)
    assert got == sorted(made), f"found {got}, registered {made}"
