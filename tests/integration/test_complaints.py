"""Registering, listing and opening complaints; their audit trail (issue 2 §4, §5, §6)."""

import html
import re
import threading
import time

from harness import (NUMBER_RE, Client, admin, agent_client, company_time, complaint_fields, json_fields,
                     number_seq, root_sql, test)

# Complaint numbers that earlier tests registered, for later ones.
STATE = {}

LIST_KEYS = {"number", "received_at", "channel", "customer_name", "customer_phone", "category",
             "severity", "status", "overdue"}


def _same(sent, got, key):
    a, b = sent.get(key), got.get(key)
    if key == "received_at":
        # "YYYY-MM-DDTHH:MM" may come back with seconds or a space
        return str(b or "").replace(" ", "T").startswith(str(a))
    if key == "customer_vip":
        return int(bool(b) if isinstance(b, bool) else int(b or 0)) == int(a)
    if key in ("quantity", "defective_quantity", "severity"):
        return str(b) == str(a)
    if a == "" and b in (None, ""):
        return True
    return str(b) == str(a)


@test
def register_list_view_and_audit_a_complaint():
    c = agent_client("agent")
    f = complaint_fields(channel="email", category="service_quality", severity="3")
    r = c.register(json_fields(f))
    j = r.json()
    number = str(j.get("number", ""))
    assert NUMBER_RE.match(number), f"bad number {number!r}: {j}"
    yymmdd = f["received_at"][2:4] + f["received_at"][5:7] + f["received_at"][8:10]
    assert number.startswith(yymmdd), f"{number} does not start with the day of receipt {yymmdd}"
    assert j.get("url") == f"/complaints/{number}", j
    STATE["first"] = number

    # list (JSON), found by its number
    lj = c.get_json(f"/complaints?q={number}")
    assert lj.status == 200, lj.brief()
    rows = lj.json().get("complaints")
    assert isinstance(rows, list), lj.brief()
    row = next((x for x in rows if str(x.get("number")) == number), None)
    assert row, f"{number} not in the list: {rows[:3]}"
    missing = LIST_KEYS - set(row)
    assert not missing, f"list row lacks {missing}: {row}"
    assert row["customer_name"] == f["customer_name"] and row["category"] == "service_quality", row

    # list (HTML) links to it
    lh = c.get("/complaints")
    assert lh.status == 200, lh.brief()
    assert f'href="/complaints/{number}"' in lh.text, "the HTML list has no link to the new complaint"

    # detail: every field as sent
    d = c.get_json(f"/complaints/{number}")
    assert d.status == 200, d.brief()
    dj = d.json()
    comp = dj.get("complaint") or {}
    bad = [k for k in f if not _same(f, comp, k)]
    assert not bad, "fields differ: " + ", ".join(f"{k}: sent {f[k]!r} got {comp.get(k)!r}" for k in bad)
    assert str(comp.get("number")) == number
    # its history: a create/register event by agent
    hist = dj.get("history")
    assert isinstance(hist, list) and hist, f"no history: {dj}"
    ev = hist[0]
    for k in ("seq", "at", "actor_uid", "actor_name", "action"):
        assert k in ev, f"history entry lacks {k}: {ev}"
    assert any(h.get("actor_uid") == "agent" and re.search(r"creat|regist", str(h.get("action")), re.I)
               for h in hist), f"no create/register event by agent: {hist}"
    assert ev.get("actor_name") == "王丽", ev
    # HTML detail shows the number and the description
    dh = c.get(f"/complaints/{number}")
    assert dh.status == 200, dh.brief()
    assert 'id="complaint-number"' in dh.text and number in dh.text, "detail page lacks #complaint-number"
    assert html.escape(f["description"], quote=False) in dh.text or f["description"] in dh.text
    # and in the database: an audit event that names the complaint, hash-chained
    rows = root_sql("SELECT seq, actor_uid, action, prev_hash, hash FROM audit_event "
                    f"WHERE after_json LIKE '%{number}%' OR entity_id = '{number}' ORDER BY seq")
    assert rows, f"no audit_event row mentions {number}"
    seq, actor, action, prev, h = rows[0]
    assert actor == "agent" and re.fullmatch(r"[0-9a-f]{64}", h) and re.fullmatch(r"[0-9a-f]{64}", prev), rows[0]
    STATE["audit_seq"] = int(seq)


@test
def register_through_the_form_redirects_to_the_complaint():
    c = Client()
    c.login("agent2")
    f = complaint_fields(channel="onsite", customer_vip="0")
    r = c.post_form("/complaints", f)
    assert r.status == 303, f"form POST /complaints: {r.brief(800)}"
    m = re.fullmatch(r"(?:https?://[^/]+)?/complaints/(\d{9,})(?:\?.*)?", r.location or "")
    assert m, f"Location {r.location!r}"
    d = c.get_json(f"/complaints/{m.group(1)}")
    assert d.status == 200 and d.json()["complaint"]["customer_name"] == f["customer_name"], d.brief()


@test
def post_complaint_without_csrf_token_is_403():
    c = agent_client("agent")
    r = c.post_json("/complaints", json_fields(complaint_fields()), csrf=False)
    assert r.status == 403, f"JSON without X-CSRF-Token: {r.brief()}"
    r = c.post_json("/complaints", json_fields(complaint_fields()), csrf="f" * 64)
    assert r.status == 403, f"JSON with a wrong X-CSRF-Token: {r.brief()}"
    r = c.post_form("/complaints", complaint_fields(), csrf=False)
    assert r.status == 403, f"form without csrf_token: {r.brief()}"
    # the pre-session token is not the session's
    r = c.post_form("/complaints", complaint_fields(), csrf=c.cookies.get("kesu_csrf", "x"))
    assert r.status == 403, f"form with the pre-session token: {r.brief()}"


@test
def auditor_cannot_register_but_can_read():
    c = agent_client("auditor")
    r = c.post_json("/complaints", json_fields(complaint_fields()))
    assert r.status == 403, f"auditor POST /complaints: {r.brief()}"
    assert c.get_json("/complaints").status == 200
    if "first" in STATE:
        assert c.get_json(f"/complaints/{STATE['first']}").status == 200
    for user in ("gm", "finance"):
        o = agent_client(user)
        assert o.post_json("/complaints", json_fields(complaint_fields())).status == 403, user
    # a supervisor may register
    s = agent_client("supervisor")
    s.register(json_fields(complaint_fields(channel="regulator", severity="1")))


@test
def validation_errors_are_422_naming_the_field():
    c = agent_client("agent")
    f = json_fields(complaint_fields(severity="9", channel="fax", customer_email="not-an-email",
                                     received_at="2026-13-45T99:99"))
    r = c.register(f, expect=422)
    errs = r.json().get("errors")
    assert isinstance(errs, dict), r.brief()
    for k in ("severity", "channel", "received_at"):
        assert k in errs and errs[k], f"no error for {k}: {errs}"
    assert "customer_name" not in errs, f"a valid field was flagged: {errs}"
    # a required field left out
    g = json_fields(complaint_fields())
    del g["customer_name"]
    g["description"] = ""
    errs = c.register(g, expect=422).json().get("errors", {})
    assert "customer_name" in errs, errs


@test
def form_with_errors_keeps_what_was_typed():
    c = Client()
    c.login("agent")
    typed = "我输入的描述 <b>不要丢</b> & \"引号\" 'single'"
    f = complaint_fields(severity="7", description=typed, customer_name="保留的名字 Keep")
    r = c.post_form("/complaints", f)
    assert r.status == 422, f"form with errors: {r.brief()}"
    assert "text/html" in (r.header("Content-Type") or ""), r.brief()
    t = r.text
    assert "<b>不要丢</b>" not in t, "what the user typed reached the page unescaped"
    assert "&lt;b&gt;不要丢&lt;/b&gt;" in t, "the typed description is lost (or not escaped)"
    assert "保留的名字 Keep" in t, "the typed customer name is lost"
    assert f["customer_phone"] in t and f["order_no"] in t, "typed fields are lost"
    assert re.search(r'name="severity"', t), "the form is not shown again"


@test
def twenty_concurrent_registrations_get_distinct_consecutive_numbers():
    c = agent_client("agent")
    f0 = complaint_fields()
    before = c.register(json_fields(f0)).json()["number"]
    results, errors = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def one(i):
        try:
            # half share the agent's session, half sign in on their own
            cl = c if i % 2 == 0 else agent_client("agent2")
            barrier.wait(timeout=30)
            r = cl.post_json("/complaints", json_fields(complaint_fields(received_at=f0["received_at"])))
            with lock:
                (results if r.status == 201 else errors).append(r.json().get("number") if r.status == 201 else r.brief())
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(repr(e))

    ts = [threading.Thread(target=one, args=(i,)) for i in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    assert not errors, f"{len(errors)} registrations failed: {errors[:3]}"
    nums = sorted(str(n) for n in results)
    assert len(nums) == 20 and len(set(nums)) == 20, f"numbers not distinct: {nums}"
    seqs = sorted(number_seq(n) for n in nums)
    assert seqs == list(range(number_seq(before) + 1, number_seq(before) + 21)), \
        f"not consecutive after {before}: {nums}"
    after = c.register(json_fields(complaint_fields(received_at=f0["received_at"]))).json()["number"]
    assert number_seq(after) == seqs[-1] + 1, f"gap after the burst: {nums[-1]} then {after}"
    # the chain survived the concurrent writers
    v = admin("audit", "verify")
    assert v.returncode == 0, f"audit verify after concurrent writes: {v.returncode} {v.stdout} {v.stderr}"


@test
def list_masks_phone_numbers():
    c = agent_client("agent")
    phone = "13987654321"
    num = c.register(json_fields(complaint_fields(customer_phone=phone))).json()["number"]
    lj = c.get_json(f"/complaints?q={num}")
    assert lj.status == 200
    row = next(x for x in lj.json()["complaints"] if str(x["number"]) == str(num))
    assert row["customer_phone"] and row["customer_phone"] != phone, row
    assert phone not in lj.text, "the full phone number is in the list JSON"
    lh = c.get("/complaints")
    assert lh.status == 200 and f"/complaints/{num}" in lh.text
    assert phone not in lh.text, "the full phone number is in the list HTML"
    # the record itself keeps it
    d = c.get_json(f"/complaints/{num}").json()
    assert d["complaint"]["customer_phone"] == phone, d["complaint"].get("customer_phone")


@test
def list_filters_by_category_severity_channel_date_and_text():
    c = agent_client("agent")
    mark = f"滤{int(time.time() * 1000) % 1000000}"
    a = c.register(json_fields(complaint_fields(category="contract", severity="4", channel="letter",
                                                customer_name=f"{mark} 甲"))).json()["number"]
    b = c.register(json_fields(complaint_fields(category="damage", severity="1", channel="media",
                                                customer_name=f"{mark} 乙"))).json()["number"]

    def numbers(qs):
        r = c.get_json("/complaints?" + qs)
        assert r.status == 200, f"{qs}: {r.brief()}"
        return {str(x["number"]) for x in r.json()["complaints"]}, r.json()["complaints"]

    import urllib.parse as up
    got, rows = numbers("q=" + up.quote(mark))
    assert got == {str(a), str(b)}, f"q={mark}: {got}"
    got, rows = numbers("category=contract&q=" + up.quote(mark))
    assert got == {str(a)}, got
    got, rows = numbers("severity=1")
    assert str(b) in got and str(a) not in got and all(str(x["severity"]) == "1" for x in rows), got
    got, rows = numbers("channel=media")
    assert str(b) in got and all(x["channel"] == "media" for x in rows), rows[:2]
    got, rows = numbers(f"q={b}")
    assert str(b) in got, got
    today = time.strftime("%Y-%m-%d", company_time())
    y = time.strftime("%Y-%m-%d", company_time(86400))
    got, _ = numbers(f"from={y}&to={today}&q=" + up.quote(mark))
    assert got == {str(a), str(b)}, f"date range: {got}"
    got, _ = numbers("from=2001-01-01&to=2001-01-31")
    assert not got, f"a date range with no complaints returned {got}"


@test
def list_paginates_50_per_page_with_a_cursor():
    c = agent_client("supervisor")   # sees every complaint
    r = c.get_json("/complaints")
    total_first = len(r.json()["complaints"])
    if r.json().get("next_cursor") is None and total_first < 50:
        # fill up with the bulk loader so there are several pages
        p = admin("bench-load", "120", timeout=300)
        assert p.returncode == 0, f"kesu-admin bench-load 120: {p.returncode} {p.stderr[-500:]}"
    seen, pages, cursor = [], 0, None
    while True:
        path = "/complaints" + (f"?after={cursor}" if cursor else "")
        r = c.get_json(path)
        assert r.status == 200, f"{path}: {r.brief()}"
        j = r.json()
        rows = j["complaints"]
        assert len(rows) <= 50, f"{len(rows)} rows on one page"
        seen += [str(x["number"]) for x in rows]
        pages += 1
        cursor = j.get("next_cursor")
        if not cursor or pages > 50:
            break
        assert len(rows) == 50, f"a page before the last has {len(rows)} rows"
    assert pages >= 2, f"only {pages} page(s) for {len(seen)} complaints"
    assert len(seen) == len(set(seen)), "a complaint appears on two pages"
    (n,) = root_sql("SELECT COUNT(*) FROM complaint")[0] if _has_table("complaint") else (len(seen),)
    assert int(n) == len(seen), f"the pages hold {len(seen)} complaints, the table {n}"


def _has_table(name):
    return bool(root_sql(f"SHOW TABLES LIKE '{name}'"))


@test
def unknown_complaint_is_404():
    c = agent_client("agent")
    assert c.get_json("/complaints/991231999").status == 404
    assert c.get("/complaints/991231999").status == 404
    r = c.get("/complaints/12ab")
    assert r.status in (400, 404), r.brief()


@test
def repeat_complaints_are_flagged_shown_and_filterable():
    c = agent_client("agent")
    mark = f"重{int(time.time() * 1000) % 1000000}"
    part, lot = f"P-{mark}", f"LOT-{mark}"
    # the same customer (name and phone) twice within 90 days
    first = c.register(json_fields(complaint_fields(customer_name=f"{mark} 甲", customer_phone="13900001111",
                                                    part_no="", lot=""))).json()["number"]
    again = c.register(json_fields(complaint_fields(customer_name=f"{mark} 甲", customer_phone="13900001111",
                                                    part_no="", lot=""))).json()["number"]
    # the same part and lot from three different customers: the third is flagged
    lots = [c.register(json_fields(complaint_fields(customer_name=f"{mark} {k}", part_no=part, lot=lot)))
            .json()["number"] for k in ("乙", "丙", "丁")]

    def reason(n):
        return c.get_json(f"/complaints/{n}").json()["complaint"].get("repeat_reason")

    # issue 7: the earlier complaints a repeat refers to are flagged too
    assert reason(first) == "same_customer", reason(first)
    assert reason(again) == "same_customer", reason(again)
    assert [reason(n) for n in lots] == ["same_lot"] * 3, [reason(n) for n in lots]
    page = c.get(f"/complaints/{again}")
    assert 'id="repeat-flag"' in page.text, "the detail page does not show the repeat flag"

    import urllib.parse as up
    r = c.get_json("/complaints?repeat=1&q=" + up.quote(mark)).json()
    got = {str(x["number"]) for x in r["complaints"]}
    assert got == {str(first), str(again)} | {str(n) for n in lots}, f"repeat=1 listed {got}"
    assert all(x["repeat"] for x in r["complaints"]) and r["filters"]["repeat"] is True, r["filters"]
    r = c.get_json("/complaints?q=" + up.quote(mark)).json()
    assert len(r["complaints"]) == 5, len(r["complaints"])
    lh = c.get("/complaints?repeat=1&q=" + up.quote(mark))
    assert 'class="badge repeat"' in lh.text and 'name="repeat" value="1" checked' in lh.text, lh.brief()
