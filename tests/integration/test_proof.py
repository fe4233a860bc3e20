"""Issue 8, proof: `kesu-admin audit verify` cuts the chain into key ranges read in parallel
(each from its own connection) and still names the first broken link wherever it lies, at a
range's edge included; the PDF renderer keeps one Chromium warm and prints on after that
Chromium is killed. Against the real stack; the tampering tests restore the chain they edit."""

import os
import signal
import time

from harness import admin, agent_client, children, env, fcgi_master, get_pdf, root_sql, sh, test, wait_until
from test_verify import SavedChain, head, register, rewrite_chain_from


def admin_parallel(parts, *args):
    """kesu-admin with audit.verify_parallel = parts (a copy of the stack's configuration)."""
    conf = os.path.join(env("KESU_STATE"), f"kesu-parallel-{parts}.conf")
    with open(env("KESU_CONF")) as f:
        text = f.read()
    with open(conf, "w") as f:
        f.write(text + f"\naudit.verify_parallel = {parts}\n")
    return sh([env("KESU_ADMIN"), "-c", conf, *args], timeout=120)


def enough_events(n):
    agent = agent_client("agent")
    while head()[0] < n:
        register(agent)
    return head()


@test
def kesu_admin_verifies_the_chain_in_parallel_ranges_with_the_same_answer():
    seq, h = enough_events(12)
    one = admin_parallel(1, "audit", "verify")
    assert one.returncode == 0, one.stdout + one.stderr
    n = int(one.stdout.split("intact: ")[1].split()[0])
    assert n >= seq, one.stdout
    for parts in (2, 3, 5):
        v = admin_parallel(parts, "audit", "verify")
        assert v.returncode == 0 and v.stdout == one.stdout, (parts, v.stdout, v.stderr)
    v = admin_parallel(3, "audit", "verify", "--checkpoint", f"{seq}:{h}")
    assert v.returncode == 0 and "passed through" in v.stdout, v.stdout + v.stderr


def edges(n, parts):
    """The first seq of each range after the first, as audit_proof.c cuts 1..n."""
    return [n * i // parts + 1 for i in range(1, parts)]


@test
def a_break_at_the_edge_of_two_ranges_is_named_as_the_first_broken_link():
    enough_events(12)
    n, _ = head()
    lo = edges(n, 3)[1]            # the third range's first event
    saved = SavedChain(lo - 1)
    try:
        # its stored prev_hash no longer names the event before: only the join of the ranges sees it
        root_sql(f"UPDATE audit_event SET prev_hash = REPEAT('a', 64) WHERE seq = {lo}")
        v = admin_parallel(3, "audit", "verify")
        assert v.returncode == 1, v.stdout + v.stderr
        assert v.stdout.strip() == f"audit chain broken at seq {lo}: prev_hash is not the hash of the event before", v.stdout
        saved.restore()
        saved = SavedChain(lo - 1)
        # the last event of the second range removed: missing, and the next one stored is named
        root_sql(f"DELETE FROM audit_event WHERE seq = {lo - 1}")
        v = admin_parallel(3, "audit", "verify")
        assert v.stdout.strip() == f"audit chain broken at seq {lo - 1}: event missing (the next one stored is seq {lo})", v.stdout
        saved.restore()
        saved = SavedChain(lo - 1)
        # an edited event in the middle of a later range, and an earlier one in the first: the earlier wins
        root_sql(f"UPDATE audit_event SET actor_name = 'mallory' WHERE seq = {lo + 1}")
        v = admin_parallel(3, "audit", "verify")
        assert v.stdout.strip() == f"audit chain broken at seq {lo + 1}: hash does not match the event's contents", v.stdout
        saved.restore()
        saved = SavedChain(2)
        root_sql(f"UPDATE audit_event SET actor_name = 'mallory' WHERE seq IN (2, {lo + 1})")
        v = admin_parallel(3, "audit", "verify")
        assert v.stdout.strip() == "audit chain broken at seq 2: hash does not match the event's contents", v.stdout
    finally:
        saved.restore()
    assert admin_parallel(3, "audit", "verify").returncode == 0


@test
def a_chain_rewritten_across_ranges_passes_only_without_the_checkpoint_from_paper():
    seq, h = enough_events(12)
    n, _ = head()
    lo = edges(n, 2)[0]
    saved = SavedChain(2)
    try:
        # root edits an event, recomputes every hash after it and drops the stored checkpoints
        root_sql("UPDATE audit_event SET actor_name = 'mallory' WHERE seq = 2; DELETE FROM audit_checkpoint")
        rewrite_chain_from(2)
        plain = admin_parallel(2, "audit", "verify")
        assert plain.returncode == 0, plain.stdout + plain.stderr
        v = admin_parallel(2, "audit", "verify", "--checkpoint", f"{seq}:{h}")
        assert v.returncode == 1 and f"broken at seq {seq}" in v.stdout and "checkpoint" in v.stdout, v.stdout
        assert lo > 2
        # the head moved back by root: the events after it are named
        root_sql(f"UPDATE audit_head SET last_seq = {n - 1} WHERE id = 1")
        v = admin_parallel(2, "audit", "verify")
        assert v.stdout.strip() == f"audit chain broken at seq {n}: event beyond audit_head (at seq {n - 1})", v.stdout
    finally:
        saved.restore()
    assert admin("audit", "verify").returncode == 0


def chromium_of_the_renderer():
    """The pids of the renderer's Chromium (the main process: the one with the DevTools pipe)."""
    out = []
    for child in children(fcgi_master()):
        for pid in children(child):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"--remote-debugging-pipe" in f.read():
                        out.append(pid)
            except OSError:
                pass
    return out


@test
def the_pdf_renderer_keeps_printing_after_its_chromium_is_killed():
    owner = agent_client("agent")
    auditor = agent_client("auditor")
    first = wait_until(chromium_of_the_renderer, 20)
    assert len(first) == 1, "the renderer keeps one Chromium warm"
    r = get_pdf(auditor, f"/complaints/{register(owner)}/dossier.pdf")
    assert r.status == 200 and r.body[:5] == b"%PDF-", r.brief()
    assert chromium_of_the_renderer() == first, "the same Chromium printed it"
    # killed while idle: the next PDF comes from a new one
    os.kill(first[0], signal.SIGKILL)
    r = get_pdf(auditor, f"/complaints/{register(owner)}/dossier.pdf")
    assert r.status == 200 and r.body[:5] == b"%PDF-", r.brief()
    second = wait_until(chromium_of_the_renderer, 20)
    assert second and second != first, (first, second)
    # killed while a file is queued or being printed: that file is tried again in a fresh one
    number = register(owner)
    assert auditor.get(f"/complaints/{number}/dossier.pdf").status == 202
    time.sleep(0.3)
    for pid in chromium_of_the_renderer():
        os.kill(pid, signal.SIGKILL)
    r = get_pdf(auditor, f"/complaints/{number}/dossier.pdf")
    assert r.status == 200 and r.body[:5] == b"%PDF-", r.brief()
    assert wait_until(chromium_of_the_renderer, 20), "a Chromium is warm again"


@test
def a_dossier_asked_for_while_others_write_is_printed_once_with_the_head_of_its_first_request():
    # The chain head moves with every write anywhere; the PDF's key leaves it out, so the polls
    # that follow the first request fetch that request's print instead of queueing new ones
    # (a change to the complaint itself would make a new document, rightly).
    import re
    import subprocess
    import tempfile
    owner = agent_client("agent")
    auditor = agent_client("auditor")
    number = register(owner)
    wait_until(lambda: time.gmtime().tm_sec < 40, 30, 0.5)   # the export's minute stays the same
    seq0, _ = head()
    first = auditor.get(f"/complaints/{number}/dossier.pdf")
    assert first.status in (200, 202), first.brief()
    for who in ("agent2", "supervisor", "gm"):   # writes elsewhere: each sign-in is an event
        agent_client(who)
    assert head()[0] > seq0 + 2, (seq0, head())
    r = get_pdf(auditor, f"/complaints/{number}/dossier.pdf")
    assert r.status == 200 and r.body[:5] == b"%PDF-", r.brief()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "d.pdf")
        with open(path, "wb") as f:
            f.write(r.body)
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
    m = re.search(r"head at export[^:]*:\s*(\d+)", text)
    assert m and int(m.group(1)) in (seq0, seq0 + 1), (seq0, text[:600])
