"""Issue 7, "Texts": no raw catalog key reaches a page. One complaint is taken through the whole
lifecycle (plan, report, signatures, an 8D submitted, returned, revised and approved, a hold notice,
a penalty proposed, approved, appealed and decided, finance's execution, reminders and an
inquiry); then every page and its JSON twin is rendered as every demo user in both languages and
searched for untranslated keys and, on English pages, for Chinese that is not data someone typed.
Finally the workers' log must not have warned of a missing text. Against the real stack."""

import glob
import html
import json
import os
import re

from harness import DEMO_PASSWORD, Client, admin, agent_client, root_sql, test
from test_8d import D, open_8d, page as page_8d, save as save_8d, sign as sign_8d, submit as submit_8d
from test_plans import act, file_report, investigating, propose, sign_plan

USERS = ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality",
         "engineer", "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

SNAKE = re.compile(r"(?<![\w./:#@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.@/-])")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
TAG = re.compile(r"<[^>]*>")
DROP = re.compile(r"<(script|style|textarea)\b.*?</\1>", re.S | re.I)
SHOWN_ATTRS = re.compile(r"\b(?:title|placeholder|alt|aria-label)=\"([^\"]*)\"")

# In a JSON twin: the values people read (labels, meanings, titles, messages).
LABEL_KEY = re.compile(r"(label|title|meaning|message|text|hint|done|explain|summary)s?$")
# JSON keys whose values are kept as they were entered, not texts of the product.
DATA_KEYS = {"signed_meaning"}


def msgids():
    ids = set()
    for path in ("po/en.po", "po/zh_CN.po"):
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            ids |= set(re.findall(r'^msgid "([^"]+)"', f.read(), re.M))
    return ids


def chinese_texts():
    """The Chinese catalog's runs of Chinese: a product text, not data, when seen whole."""
    with open(os.path.join(ROOT, "po/zh_CN.po"), encoding="utf-8") as f:
        return {c for s in re.findall(r'^msgstr "(.*)"$', f.read(), re.M) for c in CJK.findall(s)}


def entered_data():
    """Every Chinese run that people typed: the strings of the integration suites (this test's
    lifecycle and every earlier test whose complaints the lists show), the seeded complaints and
    the demo directory's names. Department names are not data here: an English page names them in English."""
    runs = set()
    typed = glob.glob(os.path.join(HERE, "*.py")) + [os.path.join(ROOT, "ldap/demo.ldif"),
                                                      os.path.join(ROOT, "fcgi/admin_seed.c")]
    for path in typed:      # admin_seed.c: the demo and bench complaints `kesu-admin seed` enters
        with open(path, encoding="utf-8") as f:
            runs |= set(CJK.findall(f.read()))
    return runs


def allowed_cjk(run, data):
    """Data someone typed, and the link to the other language. A run that is a text of the
    Chinese catalog counts as data only when the data has it as a whole run (a department
    named 生产部), not when a test merely asserts that text."""
    if run == "中文":
        return True
    if run in data.catalog:
        return run in data.names
    return any(run in d for d in data.runs)


class Data:
    def __init__(self):
        self.runs = entered_data()
        self.catalog = chinese_texts()
        names = set()
        # the data this lifecycle typed: its own strings, the 8D, report and complaint it reuses
        for path in [os.path.join(ROOT, "ldap/demo.ldif")] + [
                os.path.join(HERE, f) for f in ("test_texts.py", "test_8d.py", "test_plans.py", "harness.py")]:
            with open(path, encoding="utf-8") as f:
                names |= set(CJK.findall(f.read()))
        self.names = names


def visible_text(body):
    body = DROP.sub(" ", body)
    shown = " ".join(SHOWN_ATTRS.findall(body))
    return html.unescape(TAG.sub(" ", body) + " " + shown)


def json_strings(obj, key=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "t" or k in DATA_KEYS:
                continue
            yield from json_strings(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from json_strings(v, key)
    elif isinstance(obj, str):
        yield key, obj


def problems_of(resp, lang, ids, data, is_json):
    out = []
    if is_json:
        if "json" not in (resp.header("Content-Type") or ""):
            return []       # a redirect (e.g. /login) or a file: no view model to read
        doc = resp.json()
        for key, s in json_strings(doc):
            if not LABEL_KEY.search(key):
                continue    # codes (states, actions, field names) are the JSON twin's own words
            if s in ids:
                out.append(f"key {s!r} as the value of {key!r}")
            elif SNAKE.fullmatch(s):
                out.append(f"raw code {s!r} as the text of {key!r}")
            if lang == "en":
                out += [f"Chinese {c!r} in {key!r}" for c in CJK.findall(s) if not allowed_cjk(c, data)]
        return out
    text = visible_text(resp.text)
    out += [f"raw key {m!r}" for m in set(SNAKE.findall(text))]
    if lang == "en":
        out += [f"Chinese {c!r}" for c in set(CJK.findall(text)) if not allowed_cjk(c, data)]
    return out


def build_the_whole_lifecycle():
    """A product-quality complaint with every kind of record; returns the addresses to render."""
    owner, number = investigating(severity="3")
    head, gm, fin = agent_client("head.production"), agent_client("gm"), agent_client("finance")
    file_report(number)
    assert propose(owner, number, amount="800", remedies=[
        {"kind": "compensation", "amount": "800", "note": "停线损失"},
        {"kind": "replacement", "quantity": "12", "note": "换新机"}]).status == 200
    assert sign_plan(head, number).status == 200

    # the 8D: submitted, returned with comments, revised, approved; a hold notice released
    eng, director = agent_client("engineer"), agent_client("qa.director")
    eid = open_8d(eng, number, title="KX-200 异响 8D")
    for disc, fields in D.items():
        assert save_8d(eng, eid, disc, fields).status == 200, disc
    assert submit_8d(eng, eid).status == 200
    assert sign_8d(director, eid, decision="return", comment_d4="流出原因验证不足").status == 200
    assert eng.post_json(f"/8d/{eid}/revise", {"version": "1"}).status == 200
    causes = [dict(D["d4"]["d4_causes"][0], method="fishbone"), D["d4"]["d4_causes"][1]]
    assert save_8d(eng, eid, "d4", {"d4_causes": causes}).status == 200
    assert save_8d(eng, eid, "d7", dict(D["d7"], d7_similar_products="KX-300、KX-500 同步排查")).status == 200
    r = eng.post_json(f"/8d/{eid}/hold", {"version": "2", "reason": "L2026-11-A 异响，冻结库存", "lines": [
        {"location_kind": "warehouse", "location": "成品仓 A-03", "part_no": "KX200-PCB-01",
         "lot": "L2026-11-A", "quantity": "180"}]})
    assert r.status == 200, r.brief()
    hold = page_8d(eng, eid)["holds"][0]
    r = director.post_json(f"/8d/{eid}/hold/release", {"hold": str(hold["id"]), "comment": "复检合格",
                                                       "password": DEMO_PASSWORD})
    assert r.status == 200, r.brief()
    assert submit_8d(eng, eid).status == 200
    assert sign_8d(director, eid, comment="同意发布").status == 200

    # a penalty: proposed, approved, executed, appealed, decided
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "100",
        "reason": "夜班换模未做首件确认。", "rule": "《质量奖惩条例》第 12 条"})
    assert r.status == 201, r.brief()
    pid = r.json()["id"]

    def pstep(client, action, comment=None):
        v = gm.get_json(f"/penalties/{pid}").json()["penalty"]["version"]
        body = {"action": action, "version": str(v)}
        if comment:
            body["comment"] = comment
        if action != "appeal":
            body["password"] = DEMO_PASSWORD
        r = client.post_json(f"/penalties/{pid}/step", body)
        assert r.status == 200, f"{action}: {r.brief()}"

    pstep(gm, "approve")
    pstep(fin, "execute")
    pstep(agent_client("member.production"), "appeal", "当晚首件确认已做。")
    pstep(gm, "uphold", "维持罚款。")

    # finance carries out the compensation
    rows = [x for x in fin.get_json("/finance").json()["remedies"] if x["number"] == number]
    for x in rows:
        assert fin.post_json("/finance/execute", {"remedy": x["key"], "note": "凭证 FK-1"}).status == 200

    # reminders while open, then reply, callback, closure and the overdue inquiry
    root_sql("UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR, "
             f"resolve_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{number}'")
    assert admin("sweep").returncode == 0
    act(owner, number, "record_reply", reply_text="已告知客户赔偿 800 元。")
    act(owner, number, "record_callback", satisfaction="4")
    assert act(owner, number, "close")["status"] == "closed"
    assert admin("sweep").returncode == 0
    qids = [q for (q,) in root_sql(f"SELECT id FROM overdue_inquiry WHERE number = '{number}'")]
    assert qids, "the closed, overdue complaint got no inquiry"

    # issue 8 (history): the complaint as it stood at registration
    first_seq = root_sql(f"SELECT MIN(seq) FROM audit_event WHERE entity = 'complaint' AND entity_id = '{number}'")[0][0]
    last_seq = root_sql(f"SELECT MAX(seq) FROM audit_event WHERE entity = 'complaint' AND entity_id = '{number}'")[0][0]
    ed_seq = root_sql(f"SELECT MAX(seq) FROM audit_event WHERE entity = '8d_report' AND entity_id = '{eid}'")[0][0]
    pages = ["/", "/work", "/complaints", "/complaints/new", f"/complaints/{number}",
             f"/complaints/{number}/plan", "/penalties", f"/penalties/{pid}", "/finance",
             "/admin/authority", "/admin/calendar", f"/8d/{eid}", f"/8d/{eid}?version=1",
             f"/8d/{eid}/print", f"/complaints/{number}?as_of={first_seq}", "/admin/authority?as_of=2025-06-15",
             "/admin/calendar?as_of=2025-06-15", "/audit/verify", f"/audit/views?record={number}", "/audit/views?actor=agent",
             f"/complaints/{number}?as_of={last_seq}", f"/8d/{eid}?as_of={ed_seq}", f"/penalties/{pid}?as_of={last_seq}"] + [f"/inquiries/{q}" for q in qids]
    # issue 8: register
    pages += ["/audit/signatures", "/audit/exceptions", "/audit/reviews"]
    # issue 9: stats
    pages += ["/stats", "/stats/reports"]
    pages += ["/searches", "/searches?query=q%3D%E5%BC%82%E5%93%8D%26sort%3D-customer",
              "/complaints?q=%E5%BC%82%E5%93%8D&sort=customer", "/complaints?sort=-severity"]   # issue 9: search
    pages += ["/audit", f"/audit?record={number}"]   # issue 8: trail
    return number, pages


@test
def every_page_and_json_twin_as_every_user_in_both_languages_shows_no_raw_key():
    number, pages = build_the_whole_lifecycle()
    ids, data = msgids(), Data()
    found, seen = [], set()
    anon = Client()
    for lang in ("zh_CN", "en"):
        short = "en" if lang == "en" else "zh"
        r = anon.get(f"/login?lang={lang}")
        found += [f"anonymous /login {lang}: {p}" for p in problems_of(r, short, ids, data, False)]
    for uid in USERS:
        c = agent_client(uid)
        for lang in ("zh_CN", "en"):
            short = "en" if lang == "en" else "zh"
            for path in pages:
                url = path + ("&" if "?" in path else "?") + f"lang={lang}"
                r = c.get(url)
                if r.status == 200 and 'lang="' in r.text:
                    seen.add(path)
                found += [f"{uid} {url} ({r.status}): {p}" for p in problems_of(r, short, ids, data, False)]
                r = c.get_json(url)
                found += [f"{uid} {url} JSON ({r.status}): {p}"
                          for p in problems_of(r, short, ids, data, True)]
    assert not found, f"{len(found)} untranslated texts:\n" + "\n".join(sorted(set(found))[:80])
    assert seen == set(pages) - {"/"}, f"pages nobody could read: {set(pages) - seen}"


@test
def the_workers_log_warns_of_no_missing_text():
    state = os.environ.get("KESU_STATE", "")
    logs = glob.glob(os.path.join(state, "log", "*.log"))
    assert logs, f"no logs under {state}/log"
    missing = []
    for path in logs:
        with open(path, encoding="utf-8", errors="replace") as f:
            missing += [line.strip() for line in f if " text for \"" in line]
    assert not missing, f"{len(missing)} missing-text warnings:\n" + "\n".join(sorted(set(missing))[:60])


def quality_8d():
    owner = agent_client("agent")
    from harness import complaint_fields, json_fields
    number = owner.register(json_fields(complaint_fields(category="product_quality"))).json()["number"]
    eng = agent_client("engineer")
    return owner, number, eng, open_8d(eng, number, title="一次保存 8D")


@test
def the_8d_page_saves_every_discipline_typed_into_its_one_form_at_once():
    owner, number, eng, eid = quality_8d()
    page = eng.get(f"/8d/{eid}?lang=en")
    assert page.status == 200 and 'id="eightd-form"' in page.text, page.brief()
    # every field of every discipline belongs to the one form
    assert page.text.count('form="eightd-form"') > 40, "the disciplines' fields do not belong to the one form"
    cur = page_8d(eng, eid)["current"]
    form = {"version": str(cur["version"]), "revision": str(cur["revision"]), "discipline": "all",
            "d0_emergency_response": "停止发货", "d1_champion": "黄敏", "d1_members_name": "陈静",
            "d1_members_role": "生产", "d1_members_contact": "", "d2_what": "开机异响",
            "d4_causes_kind": "occurrence", "d4_causes_cause": "保压短", "d4_causes_method": "fishbone",
            "d4_causes_verification": ""}
    r = eng.post_form(f"/8d/{eid}/save", form)
    assert r.status == 303 and "done=8d_save" in r.location, r.brief()
    d = {x["code"]: x for x in page_8d(eng, eid)["disciplines"]}
    values = {f["name"]: f.get("value") for x in d.values() for f in x["fields"] if not f.get("is_list")}
    assert values["d0_emergency_response"] == "停止发货" and values["d1_champion"] == "黄敏", values
    assert values["d2_what"] == "开机异响", values
    causes = [f for f in d["d4"]["fields"] if f["name"] == "d4_causes"][0]["rows"]
    assert [c["value"] for c in causes[0]] == ["occurrence", "保压短", "fishbone", ""], causes
    # a draft: incomplete disciplines are saved as they are; the index says which is which
    states = {k: x["state"] for k, x in d.items()}
    assert states["d0"] == "incomplete" and states["d8"] == "empty", states
    # one revision for the lot, and the disciplines not posted keep what they had
    assert page_8d(eng, eid)["current"]["revision"] == cur["revision"] + 1
    r = eng.post_json(f"/8d/{eid}/save", {"version": "1", "revision": str(cur["revision"] + 1), "discipline": "all",
                                          "d3_containment": "在库品全检"})
    assert r.status == 200, r.brief()
    d = {x["code"]: x for x in page_8d(eng, eid)["disciplines"]}
    assert [f["value"] for f in d["d0"]["fields"] if f["name"] == "d0_emergency_response"] == ["停止发货"]


@test
def after_an_error_the_8d_page_keeps_every_typed_value_and_links_to_the_first_error():
    owner, number, eng, eid = quality_8d()
    cur = page_8d(eng, eid)["current"]
    form = {"version": str(cur["version"]), "revision": str(cur["revision"]), "discipline": "all",
            "d0_emergency_response": "隔离 L2026-11-A", "d1_leader": "赵磊",
            "d2_defective_quantity": "十二", "d6_implemented_on": "2026-13-01", "d7_fmea": "PFMEA 更新"}
    r = eng.post_form(f"/8d/{eid}/save?lang=en", form)
    assert r.status == 422, r.brief()
    t = r.text
    for value in ("隔离 L2026-11-A", "赵磊", "十二", "2026-13-01", "PFMEA 更新"):
        assert value in t, f"{value!r} was lost"
    # the summary at the top links to each field; the first wrong field is marked for focus
    assert 'id="step-errors"' in t and 'href="#f-d2_defective_quantity"' in t and 'href="#f-d6_implemented_on"' in t
    assert t.index('id="eightd-index"') < t.index('id="step-errors"') < t.index('id="d0"')
    assert re.search(r'id="f-d2_defective_quantity"[^>]*aria-invalid="true"[^>]*autofocus', t), \
        "the first wrong field is not where the browser lands"
    assert t.count(" autofocus") == 1, "more than one field claims the focus"
    # nothing was saved
    assert page_8d(eng, eid)["current"]["revision"] == cur["revision"]


@test
def the_8d_index_states_each_discipline_and_return_comments_stand_beside_it():
    owner, number, eng, eid = quality_8d()
    for disc, fields in D.items():
        assert save_8d(eng, eid, disc, fields).status == 200, disc
    assert submit_8d(eng, eid).status == 200
    director = agent_client("qa.director")
    assert sign_8d(director, eid, decision="return", comment_d4="流出原因验证不足").status == 200
    assert eng.post_json(f"/8d/{eid}/revise", {"version": "1"}).status == 200
    p = page_8d(eng, eid)
    states = {x["code"]: x["state"] for x in p["disciplines"]}
    assert states["d4"] == "returned" and states["d0"] == "complete", states
    html_ = eng.get(f"/8d/{eid}?lang=en").text
    index = html_[html_.index('id="eightd-index"'):html_.index('id="d0"')]
    assert '<a href="#d4">' in index and "流出原因验证不足" in index, index[:2000]
    d4 = html_[html_.index('<section class="card discipline" id="d4"'):]
    d4 = d4[:d4.index("</section>")]
    assert "流出原因验证不足" in d4 and "(v1)" in d4, d4[:1500]


@test
def the_8d_diff_shows_labels_and_only_the_changed_cell():
    owner, number, eng, eid = quality_8d()
    for disc, fields in D.items():
        assert save_8d(eng, eid, disc, fields).status == 200, disc
    assert submit_8d(eng, eid).status == 200
    assert sign_8d(agent_client("qa.director"), eid, decision="return", comment_d4="方法不对").status == 200
    assert eng.post_json(f"/8d/{eid}/revise", {"version": "1"}).status == 200
    causes = [dict(D["d4"]["d4_causes"][0], method="fishbone"), D["d4"]["d4_causes"][1]]
    assert save_8d(eng, eid, "d4", {"d4_causes": causes}).status == 200
    diff = page_8d(eng, eid)["diff"]
    assert [(x["discipline"], x["field"]) for x in diff] == [("d4", "causes")], diff
    cells = diff[0]["cells"]
    assert [(c["row"], c["column"]) for c in cells] == [(1, "method")], cells
    en = eng.get(f"/8d/{eid}?lang=en").text
    table = en[en.index('id="eightd-diff"'):]
    table = table[:table.index("</section>")]
    assert "5 whys" in table.lower() or "five whys" in table.lower(), table
    assert "Fishbone" in table or "fishbone" in table.lower(), table
    for raw in ("five_whys", "occurrence", "保压时间偏短", "换模后未做首件"):
        assert raw not in table, f"{raw!r} in the diff: {table}"


@test
def the_sign_forms_explain_return_for_revision_and_reject():
    owner, number = investigating(severity="3")
    file_report(number)
    assert propose(owner, number, amount="800").status == 200
    zh = agent_client("head.production").get(f"/complaints/{number}?lang=zh_CN").text
    form = zh[zh.index('id="plan-sign-form"'):]
    form = form[:form.index("</form>")]
    assert "退回修改" in form and "驳回" in form, form
    hints = re.findall(r'class="decision-hint">([^<]+)<', form)
    assert len(hints) == 2 and hints[0].startswith("退回修改：") and hints[1].startswith("驳回："), hints
    en = agent_client("head.production").get(f"/complaints/{number}?lang=en").text
    form = en[en.index('id="plan-sign-form"'):]
    hints = re.findall(r'class="decision-hint">([^<]+)<', form[:form.index("</form>")])
    assert len(hints) == 2 and all(h.count(".") <= 1 for h in hints), hints


@test
def the_complaint_page_opens_with_the_next_step_that_waits_for_this_reader():
    owner, number = investigating(severity="3")

    def steps(uid):
        c = agent_client(uid)
        j = c.get_json(f"/complaints/{number}").json()
        return [(s["kind"], s["href"]) for s in j["next_steps"]], c.get(f"/complaints/{number}?lang=en").text

    member, page = steps("member.production")
    assert ("report_write", "#report-production") in member, member
    # the section comes first, before the record's details, and links to the form
    assert page.index('id="next-step"') < page.index("<dl"), "the next step is not at the top"
    assert 'href="#report-production"' in page[page.index('id="next-step"'):page.index("<dl")]
    assert 'id="report-production"' in page
    file_report(number)
    owner_steps, _ = steps("agent")
    assert ("plan_propose", "#plan-new") in owner_steps, owner_steps
    assert propose(owner, number, amount="800").status == 200
    head, page = steps("head.production")
    assert [k for k, _ in head if k == "plan_sign"], head
    # someone with nothing to do here is told so, with the record's state
    auditor, page = steps("auditor")
    assert auditor == [], auditor
    assert "Nothing on this record waits for you now." in page and "Its state:" in page
