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
    lifecycle and every earlier test whose complaints the lists show), the demo directory's
    names and the department names."""
    runs = set()
    for path in glob.glob(os.path.join(HERE, "*.py")) + [os.path.join(ROOT, "ldap/demo.ldif")]:
        with open(path, encoding="utf-8") as f:
            runs |= set(CJK.findall(f.read()))
    for (name,) in root_sql("SELECT name_zh FROM department"):
        runs |= set(CJK.findall(name))
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
        for (name,) in root_sql("SELECT name_zh FROM department"):
            names |= set(CJK.findall(name))
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

    pages = ["/", "/work", "/complaints", "/complaints/new", f"/complaints/{number}",
             f"/complaints/{number}/plan", "/penalties", f"/penalties/{pid}", "/finance",
             "/admin/authority", "/admin/calendar", f"/8d/{eid}", f"/8d/{eid}?version=1",
             f"/8d/{eid}/print"] + [f"/inquiries/{q}" for q in qids]
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
