"""Issue 8, verify: the audit chain verified from the browser in bounded slices, checkpoints
signed by an auditor, `kesu-admin audit verify --checkpoint SEQ:HASH` against a value kept on
paper, who looked at which complaint (PIPL), and the complaint's dossier as one PDF. Against
the real stack; the tampering tests restore the chain they edit (later tests need it intact)."""

import hashlib
import os
import re
import subprocess
import tempfile

from harness import get_pdf, DEMO_PASSWORD, agent_client, admin, complaint_fields, env, json_fields, root_sql, sh, test

ZERO = "0" * 64


def register(c):
    r = c.register(json_fields(complaint_fields()))
    return r.json()["number"]


def start_run(c, run=None):
    r = c.post_json("/audit/verify", {"run": str(run)} if run else {})
    assert r.status == 200, r.brief()
    return r.json()


def finish_run(c):
    """Start a run and press "continue" until it is done (each request walks one slice)."""
    run = start_run(c)
    for _ in range(1000):
        if run["status"] != "running":
            return run
        run = start_run(c, run["id"])
    raise AssertionError(f"run {run['id']} never finished: {run}")


def head():
    (seq, h), = root_sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
    return int(seq), h


def sign_checkpoint(c, run, password=DEMO_PASSWORD):
    return c.post_json(f"/audit/verify/checkpoint?run={run}", {"run": str(run), "password": password})


def root_sql_stdin(sql):
    """Many statements as MariaDB's root, through stdin (an argument would be too long)."""
    return sh(["mariadb", f"--defaults-file={env('KESU_DB_ROOT_CNF')}", "--batch", "--skip-column-names",
               "kesu"], input=sql, check=True)


FIELDS = ["seq", "at", "actor_uid", "actor_name", "actor_role", "entity", "entity_id", "action",
          "before_json", "after_json", "request_id", "client_addr"]


def events_from(k):
    """Events k.. as the C code reads them: every field exact (hex through the batch client)."""
    cols = ", ".join(f"HEX(CAST({f} AS CHAR))" for f in FIELDS)
    out = []
    for row in root_sql(f"SELECT {cols} FROM audit_event WHERE seq >= {k} ORDER BY seq"):
        out.append([None if v == "NULL" else bytes.fromhex(v) for v in row])
    return out


def canonical(fields):
    """audit.c's audit_canonical: netstrings "<len>:<bytes>," in order, NULL as "-1:,"."""
    b = b""
    for f in fields:
        b += b"-1:," if f is None else str(len(f)).encode() + b":" + f + b","
    return b


def rewrite_chain_from(k):
    """What someone with the root password does: recompute every hash from event k on, move the head."""
    (prev,), = root_sql(f"SELECT prev_hash FROM audit_event WHERE seq = {k}")
    stmts, hashes = [], {}
    for fields in events_from(k):
        seq = int(fields[0])
        h = hashlib.sha256(prev.encode() + canonical(fields)).hexdigest()
        stmts.append(f"UPDATE audit_event SET prev_hash = '{prev}', hash = '{h}' WHERE seq = {seq};")
        hashes[seq] = h
        prev = h
    stmts.append(f"UPDATE audit_head SET last_hash = '{prev}' WHERE id = 1;")
    root_sql_stdin("\n".join(stmts))
    return hashes


class SavedChain:
    """The events from k on, the head and the checkpoints, kept in side tables and put back."""

    def __init__(self, k):
        self.k = k
        root_sql("DROP TABLE IF EXISTS zz_verify_events, zz_verify_head, zz_verify_cps; "
                 f"CREATE TABLE zz_verify_events AS SELECT * FROM audit_event WHERE seq >= {k}; "
                 "CREATE TABLE zz_verify_head AS SELECT * FROM audit_head; "
                 "CREATE TABLE zz_verify_cps AS SELECT * FROM audit_checkpoint")

    def restore(self):
        root_sql(f"DELETE FROM audit_event WHERE seq >= {self.k}; "
                 "INSERT INTO audit_event SELECT * FROM zz_verify_events; "
                 "DELETE FROM audit_head; INSERT INTO audit_head SELECT * FROM zz_verify_head; "
                 "DELETE FROM audit_checkpoint; INSERT INTO audit_checkpoint SELECT * FROM zz_verify_cps; "
                 "DROP TABLE zz_verify_events, zz_verify_head, zz_verify_cps")


@test
def the_auditor_verifies_the_intact_chain_from_the_browser_and_others_get_404():
    register(agent_client("agent"))
    auditor = agent_client("auditor")
    seq, h = head()
    run = finish_run(auditor)
    assert run["status"] == "intact", run
    assert run["checked"] == run["head_seq"] >= seq, run
    assert run["head_hash"] == h or run["head_seq"] > seq, run
    assert run["elapsed_ms"] >= 0 and "bad_seq" not in run, run
    page = auditor.get(f"/audit/verify?run={run['id']}")
    assert page.status == 200, page.brief()
    assert run["head_hash"] in page.text and 'id="verify-sign"' in page.text, page.visible(2000)
    j = auditor.get_json("/audit/verify").json()
    assert j["runs"][0]["id"] == run["id"] and j["head_seq"] >= run["head_seq"], j
    # the GM reads it too; nobody else learns that it exists
    assert agent_client("gm").get("/audit/verify").status == 200
    for uid in ("agent", "supervisor", "admin"):
        c = agent_client(uid)
        assert c.get("/audit/verify").status == 404, uid
        assert c.post_json("/audit/verify", {}).status == 404, uid
        assert c.get("/audit/views?record=1").status == 404, uid


@test
def a_long_chain_is_verified_in_bounded_slices_with_a_continue_form():
    auditor = agent_client("auditor")
    agent = agent_client("agent")
    while head()[0] < 8:
        register(agent)
    r = auditor.post_json("/audit/verify", {"slice": "2"})
    run = r.json()
    assert run["status"] == "running" and run["checked"] == 2, run
    page = auditor.get(f"/audit/verify?run={run['id']}")
    assert 'id="verify-continue"' in page.text and f'value="{run["id"]}"' in page.text, page.visible(1500)
    # the form's button: a plain POST answers 303 back to the run
    r = auditor.post_form("/audit/verify", {"run": str(run["id"]), "slice": "2"})
    assert r.status == 303 and r.location.endswith(f"/audit/verify?run={run['id']}"), r.brief()
    checked = [2, 4]
    while True:
        run = auditor.post_json("/audit/verify", {"run": str(run["id"]), "slice": "1000"}).json()
        checked.append(run["checked"])
        if run["status"] != "running":
            break
    assert run["status"] == "intact" and run["checked"] == run["head_seq"], run
    assert checked == sorted(checked), checked
    # a finished run stays as it was
    again = auditor.post_json("/audit/verify", {"run": str(run["id"])}).json()
    assert again["checked"] == run["checked"] and again["status"] == "intact", again


@test
def a_checkpoint_is_signed_with_the_password_and_kesu_admin_checks_a_value_kept_on_paper():
    auditor = agent_client("auditor")
    run = finish_run(auditor)
    assert run["status"] == "intact", run
    r = sign_checkpoint(auditor, run["id"], password="wrong-password")
    assert r.status == 422 and "password" in r.json()["errors"], r.brief()
    r = sign_checkpoint(auditor, run["id"])
    assert r.status == 200, r.brief()
    cp = r.json()
    assert cp["seq"] == run["head_seq"] and cp["hash"] == run["head_hash"], (cp, run)
    # once only; the GM reads but does not sign
    assert sign_checkpoint(auditor, run["id"]).status == 409
    assert sign_checkpoint(agent_client("gm"), run["id"]).status == 403
    j = auditor.get_json("/audit/verify").json()
    assert any(c["seq"] == cp["seq"] and c["hash"] == cp["hash"] and c["signer_uid"] == "auditor"
               for c in j["checkpoints"]), j["checkpoints"]
    (n,), = root_sql(f"SELECT COUNT(*) FROM audit_event WHERE entity = 'audit_checkpoint' "
                     f"AND entity_id = '{cp['seq']}' AND action = 'checkpoint_sign' AND actor_uid = 'auditor'")
    assert n == "1", "the checkpoint's signature is not in the audit trail"
    # later verifications pass through it
    later = finish_run(auditor)
    assert later["status"] == "intact" and later["checkpoints"] >= 1, later
    v = admin("audit", "verify", "--checkpoint", f"{cp['seq']}:{cp['hash']}")
    assert v.returncode == 0, f"{v.stdout} {v.stderr}"
    assert "checkpoint" in v.stdout, v.stdout
    wrong = ("f" if cp["hash"][0] != "f" else "e") + cp["hash"][1:]
    v = admin("audit", "verify", "--checkpoint", f"{cp['seq']}:{wrong}")
    assert v.returncode == 1 and str(cp["seq"]) in v.stdout, f"{v.returncode}: {v.stdout} {v.stderr}"
    v = admin("audit", "verify", "--checkpoint", "12:nothex")
    assert v.returncode == 2, v.stdout


@test
def an_edited_event_is_named_as_the_first_broken_link_in_the_browser():
    auditor = agent_client("auditor")
    register(agent_client("agent"))
    seq, _ = head()
    n = seq - 1
    saved = SavedChain(n)
    try:
        root_sql(f"UPDATE audit_event SET client_addr = '203.0.113.66' WHERE seq = {n}")
        run = finish_run(auditor)
        assert run["status"] == "broken" and run["bad_seq"] == n, run
        assert run["checked"] == n - 1, run
        page = auditor.get(f"/audit/verify?run={run['id']}")
        assert 'id="verify-broken"' in page.text and str(n) in page.text, page.visible(1500)
        assert 'id="verify-sign"' not in page.text, "a broken run offers to sign a checkpoint"
        assert sign_checkpoint(auditor, run["id"]).status == 409
        v = admin("audit", "verify")
        assert v.returncode == 1 and f"seq {n}" in v.stdout, v.stdout
    finally:
        saved.restore()
    assert finish_run(auditor)["status"] == "intact"
    assert admin("audit", "verify").returncode == 0


@test
def a_rewritten_chain_passes_a_plain_check_but_not_the_checkpoint_kept_on_paper():
    auditor = agent_client("auditor")
    run = finish_run(auditor)
    cps = auditor.get_json("/audit/verify").json()["checkpoints"]
    if not any(c["seq"] == run["head_seq"] for c in cps):
        assert sign_checkpoint(auditor, run["id"]).status == 200
    paper = f"{run['head_seq']}:{run['head_hash']}"
    register(agent_client("agent"))       # events after the checkpoint
    k = run["head_seq"] - 1               # an event before the checkpoint is forged
    saved = SavedChain(k)
    try:
        root_sql(f"UPDATE audit_event SET client_addr = '203.0.113.77' WHERE seq = {k}")
        hashes = rewrite_chain_from(k)
        assert hashes[run["head_seq"]] != run["head_hash"]
        # the stored checkpoint still says the old hash: the browser's verification names it
        broken = finish_run(auditor)
        assert broken["status"] == "broken" and broken["bad_seq"] == run["head_seq"], broken
        assert "checkpoint" in broken["reason"], broken
        # the forger also rewrites the checkpoint table: every stored check passes now ...
        root_sql(f"UPDATE audit_checkpoint SET hash = '{hashes[run['head_seq']]}' WHERE seq = {run['head_seq']}")
        v = admin("audit", "verify")
        assert v.returncode == 0, f"plain verify after a full rewrite: {v.stdout} {v.stderr}"
        assert finish_run(auditor)["status"] == "intact"
        # ... but not the value the auditor kept on paper
        v = admin("audit", "verify", "--checkpoint", paper)
        assert v.returncode == 1, f"verify against the paper checkpoint: {v.returncode} {v.stdout}"
        assert f"seq {run['head_seq']}" in v.stdout and "checkpoint" in v.stdout, v.stdout
    finally:
        saved.restore()
    v = admin("audit", "verify", "--checkpoint", paper)
    assert v.returncode == 0, f"after restoring: {v.stdout} {v.stderr}"


@test
def opening_a_complaint_is_logged_and_listed_by_record_and_by_person_in_keyset_pages():
    owner = agent_client("agent")
    number = register(owner)
    for _ in range(52):
        assert owner.get_json(f"/complaints/{number}").status == 200
    assert agent_client("agent2").get(f"/complaints/{number}").status == 404   # not involved: not logged
    auditor = agent_client("auditor")
    first = auditor.get_json(f"/audit/views?record={number}").json()
    rows = first["views"]
    assert len(rows) == 50 and first.get("next"), (len(rows), first.get("next"))
    assert all(v["actor_uid"] == "agent" and v["record"] == str(number) for v in rows), rows[:2]
    assert rows[0]["client_addr"] == owner.source_ip and rows[0]["request_id"], rows[0]
    second = auditor.get_json(first["next"]).json()["views"]
    assert len(second) == 2, second
    assert not {v["id"] for v in rows} & {v["id"] for v in second}
    assert all(a["id"] > b["id"] for a, b in zip(rows + second, (rows + second)[1:])), "not newest first"
    mine = auditor.get_json("/audit/views?actor=agent").json()["views"]
    assert mine and mine[0]["record"] == str(number), mine[:1]
    html = auditor.get(f"/audit/views?record={number}").text
    assert 'id="views-next"' in html and owner.source_ip in html
    # the log is append-only for the workers' account
    (n,), = root_sql(f"SELECT COUNT(*) FROM record_view WHERE record = '{number}'")
    assert int(n) == 52, n


@test
def the_dossier_is_one_pdf_with_the_chain_head_for_auditors_and_the_gm_only():
    owner = agent_client("agent")
    number = register(owner)
    auditor = agent_client("auditor")
    seq, _ = head()
    r = get_pdf(auditor, f"/complaints/{number}/dossier.pdf")
    assert r.status == 200, r.brief()
    assert r.header("Content-Type").startswith("application/pdf") and r.body[:5] == b"%PDF-", r.brief()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "d.pdf")
        with open(path, "wb") as f:
            f.write(r.body)
        text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
    assert str(number) in text, text[:800]
    assert re.search(r"\b%d\b" % seq, text) or re.search(r"\b%d\b" % (seq + 1), text), text[:800]
    assert "complaint_register" in text or "register" in text, text[:2000]
    assert agent_client("gm").get(f"/complaints/{number}/dossier.pdf").status in (200, 202)
    assert owner.get(f"/complaints/{number}/dossier.pdf").status == 404
    views = auditor.get_json(f"/audit/views?record={number}").json()["views"]
    assert any(v["actor_uid"] == "auditor" and "dossier" in v["what"].lower() for v in views), views[:3]


@test
def kesu_admin_purges_only_views_older_than_the_retention():
    owner = agent_client("agent")
    number = register(owner)
    assert owner.get(f"/complaints/{number}").status == 200
    root_sql("INSERT INTO record_view (at, actor_uid, actor_name, actor_role, record, what, item, "
             f"client_addr, request_id) VALUES (UTC_TIMESTAMP() - INTERVAL 1200 DAY, 'agent', 'x', 'agent', "
             f"'{number}', 'complaint', '', '127.0.0.9', 'old')")
    p = admin("audit", "purge-views")
    assert p.returncode == 0, f"{p.stdout} {p.stderr}"
    rows = root_sql(f"SELECT request_id FROM record_view WHERE record = '{number}'")
    assert rows and all(r[0] != "old" for r in rows), rows


@test
def downloading_an_attachment_is_logged_with_its_id_and_a_refused_one_is_not():
    from test_plans import JPEG, upload
    owner = agent_client("agent")
    number = register(owner)
    r = upload(owner, number, [("缺陷照片.jpg", JPEG)])
    assert r.status == 201, r.brief()
    aid = r.json()["attachments"][0]
    assert owner.get(f"/attachments/{aid}").status == 200
    assert agent_client("agent2").get(f"/attachments/{aid}").status == 404
    rows = root_sql(f"SELECT actor_uid, what, item FROM record_view WHERE record = '{number}' AND what = 'attachment'")
    assert rows == [["agent", "attachment", str(aid)]], rows
    views = agent_client("auditor").get_json(f"/audit/views?record={number}").json()["views"]
    assert views[0]["item"] == str(aid) and views[0]["actor_uid"] == "agent", views[:2]
