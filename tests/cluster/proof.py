"""tests/cluster/proof.py — issue 11's proof against a running bin/cluster (tests/cluster/run.sh
starts it and passes the environment). 16 clients over both worker hosts register complaints and
sign investigation reports while the primary Galera node is killed (-9) twice and one worker
host's master once, each restarted; then the outcome is checked on every node. Prints a JSON
report (figures for docs/scale-out.md) and exits 1 when a promise is not kept.

Environment: KESU_BASE_URL, KESU_ROOT, KESU_CLUSTER (bin/cluster with KESU_CLUSTER_STATE set),
PROOF_REGISTRATIONS (default 1000), PROOF_SIGNATURES (default 200), PROOF_OUT (report file).
"""

import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse as up

ROOT = os.environ["KESU_ROOT"]
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from harness import DEMO_PASSWORD, Client, complaint_fields, json_fields  # noqa: E402

CLUSTER = os.environ["KESU_CLUSTER"]
N_REG = int(os.environ.get("PROOF_REGISTRATIONS", "1000"))
N_SIG = int(os.environ.get("PROOF_SIGNATURES", "200"))
REG_CLIENTS, SIG_CLIENTS = 12, 4
TIMEOUT = 12          # a request still unanswered after this is a hang (the promise: an answer in 10 s)
RUN_ID = time.strftime("%H%M%S")

lock = threading.Lock()
log = []              # (t0, t1, kind, status, ok, detail)
acked = {}            # marker -> number, from a 201
events = []           # (t, what)
failures = []         # (kind, status, seconds, what the user saw)
stop = threading.Event()
T0 = time.monotonic()


def now():
    return time.monotonic() - T0


def cluster(*args, check=True, timeout=600):
    p = subprocess.run([CLUSTER, *args], capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise SystemExit(f"bin/cluster {' '.join(args)} failed: {p.stdout[-500:]} {p.stderr[-1500:]}")
    return p.stdout


def sql(node, query):
    out = cluster("sql", str(node), "kesu", "--batch", "--skip-column-names", "-e", query)
    return [line.split("\t") for line in out.splitlines()]


def call(kind, fn):
    """Run one request; record when, what and whether it succeeded. Returns the Response or None."""
    t0 = now()
    try:
        r = fn()
    except Exception as e:      # a hang (timeout) or a connection the server never answered
        t1 = now()
        with lock:
            log.append((t0, t1, kind, 0, False, type(e).__name__))
            failures.append((kind, 0, round(t1 - t0, 2), f"no answer: {type(e).__name__}"))
        return None
    t1 = now()
    ok = r.status < 400 or (kind.startswith("GET") and r.status == 404)
    with lock:
        log.append((t0, t1, kind, r.status, ok, ""))
        if not ok:
            seen = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.text))[:160]
            failures.append((kind, r.status, round(t1 - t0, 2), seen))
    return r


def signed_in(user):
    for _ in range(30):
        c = Client()
        try:
            c.login_json(user, expect=None)
        except Exception:
            time.sleep(1)
            continue
        if c.csrf:
            return c
        time.sleep(1)
    raise SystemExit(f"cannot sign in as {user}")


# ---------------------------------------------------------------------------------------------
# load


def registrar(i, quota, c):
    numbers = []
    for k in range(quota):
        if stop.is_set():
            break
        marker = f"proof-{RUN_ID}-{i}-{k}"
        f = json_fields(complaint_fields(customer_name=marker, severity="3"))
        r = call("POST /complaints", lambda: c.post_json("/complaints", f, timeout=TIMEOUT))
        if r is None or r.status != 201:   # tried again under the same name, as a person would
            r = call("POST /complaints", lambda: c.post_json("/complaints", f, timeout=TIMEOUT))
        if r is not None and r.status == 201:
            n = r.json()["number"]
            with lock:
                acked[marker] = n
            numbers.append(n)
        # the pages people read between two registrations
        if k % 3 == 0:
            call("GET /complaints", lambda: c.get("/complaints", timeout=TIMEOUT))
        if numbers and k % 3 == 1:
            n = numbers[-1]
            call("GET /complaints/N", lambda: c.get(f"/complaints/{n}", timeout=TIMEOUT))


def step(c, kind, path, body):
    for _ in range(3):   # a failed step is retried by the user, as a person would
        r = call(kind, lambda: c.post_json(path, body, timeout=TIMEOUT))
        if r is not None and r.status == 200:
            return True
        if r is not None and r.status in (409, 422):
            return False
        time.sleep(0.5)
    return False


def version(c, number):
    for _ in range(5):
        r = call("GET /complaints/N", lambda: c.get_json(f"/complaints/{number}", timeout=TIMEOUT))
        if r is not None and r.status == 200:
            return r.json()["complaint"]["version"]
        time.sleep(0.5)
    return None


def signer(i, quota, agent, sup, head, member):
    report = {"cause": "模具磨损导致尺寸超差。", "course": "生产线 3 号机 11 月批次。", "responsible": "生产部",
              "conclusion": "责任在生产部。", "countermeasures": "更换模具，全检库存。",
              "preventive": "模具寿命纳入点检。"}
    done = regs = 0
    while done < quota and not stop.is_set():
        # a failed registration is tried again under the same name, as a person would: a
        # complaint stored although the answer said otherwise then shows up twice
        marker = f"proof-{RUN_ID}-s{i}-{regs}"
        f = json_fields(complaint_fields(customer_name=marker, severity="3"))
        r = call("POST /complaints", lambda: agent.post_json("/complaints", f, timeout=TIMEOUT))
        if r is None or r.status != 201:
            continue
        regs += 1
        n = r.json()["number"]
        with lock:
            acked[marker] = n
        for who, action, extra in ((sup, "triage_substantiated", {}), (sup, "assign", {"departments": "production"}),
                                   (head, "accept_assignment", {})):
            v = version(who, n)
            if v is None or not step(who, "POST action", f"/complaints/{n}/action",
                                     dict(action=action, version=str(v), **extra)):
                break
        else:
            if step(member, "POST report", f"/complaints/{n}/report", dict(report, revision="0", submit="1")) and \
                    step(head, "POST sign", f"/complaints/{n}/report/sign",
                         {"department": "production", "revision": "1", "decision": "approve",
                          "password": DEMO_PASSWORD}):
                done += 1


# ---------------------------------------------------------------------------------------------
# the search on every node, rejoins by IST, a real partition (issue 11, textrepl)

search_checks = []    # one per failover: complaints registered on another node, searched by a word
rejoins = []          # how each restarted node caught up: IST or SST, from its own log
behind_notices = []   # searches answered with "this server is still catching up" (asked again)
SEARCHER = []         # a supervisor's client (sees every complaint), set by main()


def node_log(n):
    return os.path.join(os.environ["KESU_CLUSTER_STATE"], f"node{n}", "error.log")


def log_size(n):
    try:
        return os.path.getsize(node_log(n))
    except OSError:
        return 0


def rejoin_how(n, offset, why):
    """How node n caught up after a (re)start or a partition, from its error.log after offset.
    Galera's joiner logs "Receiving IST: N writesets" / "IST received: UUID:SEQNO" for an
    incremental transfer from the donor's gcache. With rsync the SST script runs in both cases
    (the donor's with --bypass for an IST), so "SST received" alone does not tell: a full SST is
    one without any IST line."""
    with open(node_log(n), "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    lines = [x.strip() for x in text.splitlines()
             if re.search(r"Receiving IST|IST received|SST received|State transfer required|"
                          r"Prepared IST receiver|SST succeeded", x)]
    # "Prepared IST receiver for 0-N": the joiner had no position (a crash without recovery), so
    # the donor sent its whole datadir (SST) and then the tail from its gcache
    full = any(re.search(r"Prepared IST receiver for 0-|Local state: 0{8}-0{4}-0{4}-0{4}-0{12}:-1", x) for x in lines) \
        or re.search(r"Local state: 0{8}-0{4}-0{4}-0{4}-0{12}:-1", text)
    if full:
        how = "SST"
    elif any("Receiving IST" in x or "IST received" in x for x in lines):
        how = "IST"
    elif any("SST received" in x or "SST succeeded" in x for x in lines):
        how = "SST"
    else:
        how = "none needed" if re.search(r"Synchronized with group|SYNCED", text) else "unknown"
    rejoins.append({"node": n, "after": why, "how": how, "log": [x[:220] for x in lines][:6]})
    return how


def search_found(c, markers):
    """Which of the acknowledged markers' complaints a word of their text (the marker, the
    customer's name) finds through the hosts now; [(marker, why)] of those it does not."""
    missed = []
    for m in markers:
        r = None
        for _ in range(20):    # a failover may still be under way: as a person would, again
            try:
                r = c.get_json("/complaints?q=" + up.quote(m), timeout=TIMEOUT)
            except Exception:
                r = None
            if r is not None and r.status == 200 and not r.json().get("search_behind"):
                break
            # the page said this node is still catching up: a person reads that and asks again
            if r is not None and r.status == 200:
                with lock:
                    behind_notices.append(m)
            time.sleep(1)
        if r is None or r.status != 200:
            missed.append((m, r.status if r is not None else 0))
        elif str(acked[m]) not in {str(x["number"]) for x in r.json()["complaints"]}:
            missed.append((m, "not found"))
    return missed


def search_check(label, markers, registered_on, leave=None):
    """Complaints registered while node registered_on was the primary, searched by a word of
    their text through the hosts once HAProxy sends to another node than leave. Returns the
    node searched on."""
    sample = markers[:: max(1, len(markers) // 20)][:20]
    deadline = time.monotonic() + 60
    while leave is not None and primary() == leave and time.monotonic() < deadline:
        time.sleep(0.5)
    node = primary()
    if not sample or not SEARCHER:
        return node
    missed = search_found(SEARCHER[0], sample)
    search_checks.append({"when": label, "registered_on": f"node{registered_on}", "searched_on": f"node{node}",
                          "searched_on_after": f"node{primary()}", "complaints": len(sample), "missed": missed})
    return node


def node_status(n):
    out = cluster("sql", str(n), "-N", "-B", "-e",
                  "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_status', 'wsrep_ready', "
                  "'wsrep_cluster_size', 'wsrep_local_state_comment')", check=False)
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


def partition(problems, c):
    """Node 3 cut off from the other two by the network (iptables on its group port and its
    cgroup), for real: the two keep the primary component and serve; node 3 goes non-primary
    and refuses reads and writes; healed, it rejoins and holds every row."""
    rep = {}
    off = log_size(3)
    p = subprocess.run([CLUSTER, "node", "3", "isolate"], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        rep["isolated"] = f"not possible here: {p.stderr.strip()[-300:]}"
        problems.append(f"partition: {rep['isolated']}")
        return rep
    t0 = time.monotonic()
    try:
        st3 = st1 = {}
        while time.monotonic() - t0 < 120:
            st3, st1 = node_status(3), node_status(1)
            if st3.get("wsrep_ready") == "OFF" and st1.get("wsrep_cluster_size") == "2":
                break
            time.sleep(1)
        rep["seconds_until_node3_non_primary"] = round(time.monotonic() - t0, 1)
        rep["node3_while_isolated"] = st3
        rep["node1_while_isolated"] = st1
        if st3.get("wsrep_cluster_status") == "Primary" or st3.get("wsrep_ready") != "OFF":
            problems.append(f"partition: node 3 still primary or ready: {st3}")
        if st1.get("wsrep_cluster_status") != "Primary" or st1.get("wsrep_cluster_size") != "2":
            problems.append(f"partition: nodes 1 and 2 lost the primary component: {st1}")
        # the majority serves: registrations go on
        made = []
        for k in range(5):
            f = json_fields(complaint_fields(customer_name=f"proof-{RUN_ID}-part-{k}"))
            r = c.post_json("/complaints", f, timeout=TIMEOUT)
            if r.status == 201:
                made.append(r.json()["number"])
                acked[f"proof-{RUN_ID}-part-{k}"] = r.json()["number"]
        rep["registered_during_partition"] = len(made)
        if len(made) != 5:
            problems.append(f"partition: only {len(made)} of 5 registrations succeeded on the majority")
        # the isolated node refuses work: nothing is read from or written to a non-primary node
        refused = {}
        for what, q in (("read", "SELECT COUNT(*) FROM kesu.complaint"),
                        ("write", "UPDATE kesu.lease SET holder = holder WHERE name = 'sweep'")):
            p = subprocess.run([CLUSTER, "sql", "3", "-N", "-B", "-e", q], capture_output=True, text=True, timeout=60)
            refused[what] = (p.stderr.strip() or p.stdout.strip())[-160:] if p.returncode != 0 else "ANSWERED"
            if p.returncode == 0:
                problems.append(f"partition: the isolated node answered a {what}: {p.stdout.strip()[:80]}")
        rep["node3_refused"] = refused
    finally:
        cluster("node", "3", "heal")
    t1 = time.monotonic()
    st3 = {}
    while time.monotonic() - t1 < 180:
        st3 = node_status(3)
        if st3.get("wsrep_local_state_comment") == "Synced" and st3.get("wsrep_cluster_size") == "3":
            break
        time.sleep(1)
    rep["seconds_until_node3_synced_after_heal"] = round(time.monotonic() - t1, 1)
    if st3.get("wsrep_local_state_comment") != "Synced":
        problems.append(f"partition: node 3 not Synced after the heal: {st3}")
    rep["rejoined_by"] = rejoin_how(3, off, "partition healed")
    cnt = [sql(n, "SET SESSION wsrep_sync_wait = 1; "
                  f"SELECT COUNT(*) FROM complaint WHERE customer_name LIKE 'proof-{RUN_ID}-%'")[0][0] for n in (1, 2, 3)]
    rep["rows_per_node_after_heal"] = cnt
    if len(set(cnt)) != 1:
        problems.append(f"partition: node 3 did not catch up: {cnt}")
    return rep


def primary():
    """The node HAProxy sends connections to now."""
    out = subprocess.run(["mariadb", f"--defaults-file={os.environ['KESU_CHECK_CNF']}", "-h", "127.0.0.1", "-P",
                          os.environ["KESU_HAPROXY_PORT"], "-N", "-B", "-e", "SELECT @@wsrep_node_name"],
                         capture_output=True, text=True, timeout=20).stdout.strip()
    return int(out[-1]) if out.startswith("node") else 1


def chaos():
    """Kill the primary node, then a host's master, then the primary again; restart each."""
    plan = [(0.15, "node"), (0.45, "host"), (0.7, "node")]
    total = N_REG + N_SIG * 6
    for frac, what in plan:
        while not stop.is_set() and len(log) < frac * total * 1.6:
            time.sleep(0.5)
        if stop.is_set():
            return
        if what == "node":
            n = primary()
            with lock:
                before = list(acked)
            off = log_size(n)
            t_kill = time.monotonic()
            events.append((now(), f"kill -9 node {n} (the primary)"))
            cluster("node", str(n), "kill")
            # registered on node n, searched on the node that took over (its Mroonga tables
            # never saw them: the replicated journal tells it)
            interim = search_check(f"after node {n} was killed", before, n, leave=n)
            time.sleep(max(0.0, 5 - (time.monotonic() - t_kill)))
            with lock:
                during = list(acked)[len(before):]
            cluster("node", str(n), "start")
            events.append((now(), f"node {n} Synced again"))
            rejoin_how(n, off, "kill -9 and restart")
            # back on node n (HAProxy fails back to node 1): what the other node registered meanwhile
            deadline = time.monotonic() + 60
            while primary() != n and time.monotonic() < deadline:
                time.sleep(0.5)
            search_check(f"node {n} primary again after its restart", during, interim)
        else:
            events.append((now(), "kill -9 host 1's master"))
            cluster("host", "1", "kill")
            time.sleep(3)
            cluster("host", "1", "start")
            events.append((now(), "host 1 started again"))


def gaps_after(t_event, window=60):
    """Per client kind: the longest time without a successful answer after an event."""
    ok = sorted(t1 for (t0, t1, kind, st, good, _) in log if good and t_event <= t1 <= t_event + window)
    prev, worst = t_event, 0.0
    for t in ok:
        worst = max(worst, t - prev)
        prev = t
    return worst


def throughput(clients, numbers, seconds=10):
    counts = [0] * len(clients)
    end = time.monotonic() + seconds

    def run(k, c):
        j = k
        while time.monotonic() < end:
            if j % 2 == 0:
                r = c.get("/complaints", timeout=TIMEOUT)
            else:
                r = c.get(f"/complaints/{numbers[j % len(numbers)]}", timeout=TIMEOUT)
            if r.status == 200:
                counts[k] += 1
            j += 1
    ts = [threading.Thread(target=run, args=(k, c)) for k, c in enumerate(clients)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / seconds


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else None


def main():
    problems = []
    regs = [signed_in("agent" if i % 2 == 0 else "agent2") for i in range(REG_CLIENTS)]
    sigs = [(signed_in("agent"), signed_in("supervisor"), signed_in("head.production"),
             signed_in("member.production")) for _ in range(SIG_CLIENTS)]
    SEARCHER.append(signed_in("supervisor"))
    # the sweep on both hosts: some complaints overdue from the start
    threads = [threading.Thread(target=registrar, args=(i, N_REG // REG_CLIENTS + (i < N_REG % REG_CLIENTS), c))
               for i, c in enumerate(regs)]
    threads += [threading.Thread(target=signer, args=(i, N_SIG // SIG_CLIENTS + (i < N_SIG % SIG_CLIENTS), *s))
                for i, s in enumerate(sigs)]
    ch = threading.Thread(target=chaos)
    t_start = now()
    for t in threads:
        t.start()
    ch.start()
    deadline = time.monotonic() + float(os.environ.get("PROOF_MAX_SECONDS", "1500"))
    overdue_done = False
    while any(t.is_alive() for t in threads):
        time.sleep(1)
        if not overdue_done and len(acked) >= 100:
            # make the first hundred overdue: the sweeps (every 10 s on both hosts) remind them
            ins = ",".join(f"'{n}'" for n in list(acked.values())[:100])
            try:
                sql(primary(), f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR "
                               f"WHERE number IN ({ins})")
                overdue_done = True
            except SystemExit:
                pass
        if time.monotonic() > deadline:
            stop.set()
            problems.append("the load did not finish in time")
    stop.set()
    ch.join()
    t_load = now() - t_start
    time.sleep(25)   # two more sweep periods, and every node catches up

    report = {"registrations_acked": len(acked), "requests": len(log), "load_seconds": round(t_load, 1),
              "events": [(round(t, 1), e) for t, e in events]}
    ok = sum(1 for x in log if x[4])
    report["success_rate"] = round(ok / max(1, len(log)), 4)
    if report["success_rate"] < 0.95:
        problems.append(f"only {report['success_rate']:.2%} of the requests succeeded")
    slow = [f for f in failures if f[2] > 10]
    report["failures"] = len(failures)
    report["failures_by_kind"] = {}
    for kind, st, secs, seen in failures:
        k = f"{kind} -> {st}"
        report["failures_by_kind"][k] = report["failures_by_kind"].get(k, 0) + 1
    report["failure_samples"] = failures[:8]
    if slow:
        problems.append(f"{len(slow)} failures took more than 10 s: {slow[:3]}")
    # the window of each kill ends at the next event (the restart), at most 60 s later
    gaps = []
    for k, (t, e) in enumerate(events):
        if e.startswith("kill"):
            end = events[k + 1][0] if k + 1 < len(events) else t + 60
            gaps.append((e, round(gaps_after(t, max(1.0, min(60.0, end - t + 5))), 2)))
    gs = [g for _, g in gaps]
    report["failover_gap_seconds"] = {"each": gaps, "p50": pct(gs, 50), "p99": pct(gs, 99)}
    report["slowest_failure_seconds"] = max((f[2] for f in failures), default=0)

    # the search after each failover found what the other node registered
    report["search_after_failover"] = search_checks
    report["search_answers_still_catching_up"] = len(behind_notices)
    if not search_checks:
        problems.append("no search was checked after a failover")
    for chk in search_checks:
        if chk["missed"]:
            problems.append(f"search {chk['when']}: {len(chk['missed'])} of {chk['complaints']} not found "
                            f"on {chk['searched_on']}: {chk['missed'][:3]}")

    # every node Synced, then the same answers everywhere
    for n in (1, 2, 3):
        st = cluster("sql", str(n), "-N", "-B", "-e", "SHOW STATUS LIKE 'wsrep_local_state_comment'").split()
        if st[-1:] != ["Synced"]:
            problems.append(f"node {n} is {st}")
    rows = sql(1, f"SELECT customer_name, number FROM complaint WHERE customer_name LIKE 'proof-{RUN_ID}-%'")
    by_marker = {}
    for m, n in rows:
        by_marker.setdefault(m, []).append(n)
    lost = [m for m in acked if m not in by_marker]
    doubled = [m for m, ns in by_marker.items() if len(ns) > 1]
    wrong = [m for m in acked if m in by_marker and by_marker[m] != [acked[m]]]
    report["acked_lost"], report["doubled"], report["acked_wrong_number"] = len(lost), len(doubled), len(wrong)
    if lost or doubled or wrong:
        problems.append(f"acknowledged registrations lost {lost[:5]}, doubled {doubled[:5]}, wrong {wrong[:5]}")
    # numbers: YYMMDDNNN, NNN counting the year's complaints without gaps
    seqs = {}
    for (num,) in sql(1, "SELECT number FROM complaint"):
        seqs.setdefault(num[:2], []).append(int(num[6:]))
    for year, s in seqs.items():
        s.sort()
        if s != list(range(1, len(s) + 1)):
            missing = sorted(set(range(1, s[-1] + 1)) - set(s))[:10]
            problems.append(f"numbers of 20{year} not gapless: missing {missing}, doubled {len(s) - len(set(s))}")
    report["numbers_gapless"] = not any(p.startswith("numbers") for p in problems)
    # every signature has its audit event and vice versa
    sig = sql(1, "SELECT s.number, COUNT(*) FROM signature s JOIN complaint c ON c.number = s.number "
                 f"WHERE c.customer_name LIKE 'proof-{RUN_ID}-%' AND s.entity = 'investigation_report' GROUP BY s.number")
    ev = sql(1, "SELECT a.entity_id, COUNT(*) FROM audit_event a JOIN complaint c ON c.number = a.entity_id "
                f"WHERE a.entity = 'complaint' AND a.action = 'report_signoff' AND c.customer_name LIKE 'proof-{RUN_ID}-%' "
                "GROUP BY a.entity_id")
    report["signatures"] = sum(int(x[1]) for x in sig)
    if sorted(sig) != sorted(ev):
        problems.append(f"signatures and their audit events differ: {len(sig)} vs {len(ev)} complaints")
    # each reminder once, each with one audit event, whichever host's sweep issued it
    dup = sql(1, "SELECT number, kind, step, department, addressee_type, addressee, COUNT(*) FROM reminder "
                 "GROUP BY number, kind, step, department, addressee_type, addressee HAVING COUNT(*) > 1")
    rem = sql(1, "SELECT COUNT(*) FROM reminder r JOIN complaint c ON c.number = r.number "
                 f"WHERE c.customer_name LIKE 'proof-{RUN_ID}-%' AND r.step NOT LIKE '8d%'")[0][0]
    rev = sql(1, "SELECT COUNT(*) FROM audit_event a JOIN complaint c ON c.number = a.entity_id "
                 f"WHERE a.entity = 'complaint' AND a.action IN ('reminder_issued', 'escalation_issued') "
                 f"AND c.customer_name LIKE 'proof-{RUN_ID}-%'")[0][0]
    report["reminders"] = int(rem)
    if dup or rem != rev or int(rem) == 0:
        problems.append(f"reminders: {len(dup)} doubled, {rem} documents vs {rev} audit events")
    # throughput of the list and complaint pages with both hosts, then with one
    clients = regs + [s[1] for s in sigs]
    numbers = list(acked.values())[:200] or ["0"]
    two = throughput(clients, numbers)
    cluster("host", "2", "stop")
    time.sleep(3)
    one = throughput(clients, numbers)
    # no host writes while the nodes are compared (the sweeps take their lease every 10 s)
    cluster("host", "1", "stop")
    time.sleep(5)
    report["pages_per_second"] = {"two_hosts": round(two, 1), "one_host": round(one, 1),
                                  "ratio": round(two / one, 2) if one else None}

    # kesu-admin audit verify on every node; identical checksums of every table
    for n in (1, 2, 3):
        p = subprocess.run([os.environ["KESU_ADMIN"], "-c", os.path.join(os.environ["KESU_CLUSTER_STATE"],
                                                                          f"node{n}", "verify.conf"),
                            "audit", "verify"], capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            problems.append(f"kesu-admin audit verify on node {n}: {p.stdout[-300:]} {p.stderr[-300:]}")
    tables = [t[0] for t in sql(1, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'kesu' "
                                   "AND engine = 'InnoDB' ORDER BY table_name")]
    # A sweep a host's timer started just before the host stopped may still be finishing: compare
    # until the three agree (at most five times, 5 s apart), each after a causal read.
    for attempt in range(1, 6):
        sums = {n: [r for r in sql(n, "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM tx_commit; "
                                      "CHECKSUM TABLE " + ", ".join(f"`{t}`" for t in tables))
                    if r[0].startswith("kesu.")] for n in (1, 2, 3)}
        if sums[1] == sums[2] == sums[3]:
            break
        time.sleep(5)
    report["tables_checked"] = len(sums[1])
    report["checksums_equal_at_attempt"] = attempt
    if not (sums[1] == sums[2] == sums[3]):
        diff = [a[0] for a, b, c in zip(sums[1], sums[2], sums[3]) if not (a == b == c)]
        problems.append(f"table checksums differ between nodes: {diff}")

    for h in ("1", "2"):
        cluster("host", h, "start")

    # split brain: node 3 stopped, the two others keep serving; node 3 rejoins and catches up
    cluster("node", "3", "stop")
    c = regs[0]
    r = c.post_json("/complaints", json_fields(complaint_fields(customer_name=f"proof-{RUN_ID}-split")), timeout=TIMEOUT)
    if r.status != 201:
        problems.append(f"with node 3 stopped a registration answered {r.status}")
    off = log_size(3)
    cluster("node", "3", "start")
    rejoin_how(3, off, "clean stop and start")
    cnt = [sql(n, f"SELECT COUNT(*) FROM complaint WHERE customer_name LIKE 'proof-{RUN_ID}-%'")[0][0] for n in (1, 2, 3)]
    report["split_brain"] = {"registered_while_node3_stopped": r.status, "rows_per_node_after_rejoin": cnt}
    if len(set(cnt)) != 1:
        problems.append(f"node 3 did not catch up: {cnt}")
    # and a real partition of node 3's network
    report["partition"] = partition(problems, c)
    report["rejoins"] = rejoins
    for j in rejoins:
        if j["how"] == "SST":
            problems.append(f"node {j['node']} rejoined by SST, not IST, after {j['after']}")

    # each node's own search tables: what they lacked (the registrations other nodes took, never
    # searched there), and nothing once kesu-admin search catch-up ran against the node itself
    lack_sql = ("SELECT COUNT(*) FROM complaint c LEFT JOIN complaint_text t ON t.complaint_id = c.id "
                "WHERE t.complaint_id IS NULL")
    per_node = {}
    for n in (1, 2, 3):
        before = int(sql(n, lack_sql)[0][0])
        p = subprocess.run([os.environ["KESU_ADMIN"], "-c", os.path.join(os.environ["KESU_CLUSTER_STATE"],
                                                                          f"node{n}", "verify.conf"),
                            "search", "catch-up"], capture_output=True, text=True, timeout=600)
        after = int(sql(n, lack_sql)[0][0])
        per_node[f"node{n}"] = {"complaints_without_text_before": before, "after_catch_up": after,
                                "catch_up_said": (p.stdout.strip() or p.stderr.strip())[-160:]}
        if p.returncode != 0 or after != 0:
            problems.append(f"node {n}: search catch-up failed or left {after} complaints without text")
    report["search_text_per_node"] = per_node

    report["problems"] = problems
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if os.environ.get("PROOF_OUT"):
        with open(os.environ["PROOF_OUT"], "w") as f:
            f.write(text + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
