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
            events.append((now(), f"kill -9 node {n} (the primary)"))
            cluster("node", str(n), "kill")
            time.sleep(5)
            cluster("node", str(n), "start")
            events.append((now(), f"node {n} Synced again"))
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
    cluster("node", "3", "start")
    cnt = [sql(n, f"SELECT COUNT(*) FROM complaint WHERE customer_name LIKE 'proof-{RUN_ID}-%'")[0][0] for n in (1, 2, 3)]
    report["split_brain"] = {"registered_while_node3_stopped": r.status, "rows_per_node_after_rejoin": cnt}
    if len(set(cnt)) != 1:
        problems.append(f"node 3 did not catch up: {cnt}")

    report["problems"] = problems
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if os.environ.get("PROOF_OUT"):
        with open(os.environ["PROOF_OUT"], "w") as f:
            f.write(text + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
