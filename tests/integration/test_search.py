"""Finding any complaint by any word (issue 9, "Finding complaints" 1): Mroonga's full-text index."""

import urllib.parse as up

from harness import agent_client, complaint_fields, json_fields, root_sql, test

STATE = {}


def _numbers(c, q, extra=""):
    r = c.get_json("/complaints?q=" + up.quote(q) + extra)
    assert r.status == 200, f"q={q!r}: {r.brief()}"
    return [str(x["number"]) for x in r.json()["complaints"]], r.json()


def _register(c, **over):
    r = c.register(json_fields(complaint_fields(**over)))
    assert r.status in (200, 201), r.brief()
    return str(r.json()["number"])


@test
def search_finds_a_chinese_word_in_the_middle_of_the_description_demand_and_company():
    c = agent_client("agent")
    a = _register(c, customer_company="佛山安睡家具有限公司", product="云朵床垫 1.8 米",
                  description="客户说收到的床垫中间的弹簧断了，睡觉时硌背。", demand="return")
    b = _register(c, customer_company="华东机电有限公司", description="客户反映空调外机噪音大。")
    STATE["a"], STATE["b"] = a, b
    for word in ("弹簧", "床垫", "安睡", "佛山", "硌背", "云朵"):
        got, _ = _numbers(c, word)
        assert a in got, f"{word!r} did not find {a}: {got}"
        assert b not in got, f"{word!r} found {b}, which does not contain it: {got}"
    got, _ = _numbers(c, "噪音")
    assert got == [b] or (b in got and a not in got), got


@test
def search_finds_lot_order_and_part_numbers_from_any_part():
    c = agent_client("agent")
    n = _register(c, lot="LX9731-B", order_no="PO-88-4417", part_no="ZQ77-PCB-05",
                  description="批次问题。")
    for word in ("LX9731-B", "9731", "4417", "PO-88-4417", "ZQ77", "PCB-05", "lx9731"):
        got, _ = _numbers(c, word)
        assert n in got, f"{word!r} did not find {n}: {got}"
    # the number itself, whole and from its middle
    got, _ = _numbers(c, n)
    assert got == [n], f"its number found {got}"
    got, _ = _numbers(c, n[4:])
    assert n in got, f"the end of its number {n[4:]} did not find it: {got}"


@test
def search_words_must_all_occur_and_filters_still_apply():
    c = agent_client("agent")
    a = STATE.get("a") or _register(c, customer_company="佛山安睡家具有限公司",
                                    description="床垫中间的弹簧断了。")
    got, _ = _numbers(c, "弹簧 佛山")
    assert a in got, got
    got, _ = _numbers(c, "弹簧\u3000佛山")
    assert a in got, f"the ideographic space does not separate words: {got}"
    got, j = _numbers(c, "弹簧 不存在的词语")
    assert got == [] and j.get("empty") is True, got
    got, _ = _numbers(c, "弹簧", "&category=product_quality")
    assert a in got, got
    got, _ = _numbers(c, "弹簧", "&category=suggestion")
    assert a not in got, got


@test
def search_shows_only_complaints_the_reader_may_see():
    c = agent_client("agent")
    n = _register(c, description="只有第一客服能看到的保密词麒麟。")
    got, _ = _numbers(c, "麒麟")
    assert n in got, got
    other, _ = _numbers(agent_client("agent2"), "麒麟")
    assert n not in other, f"agent2 found agent's complaint {n} by a word"
    sup, _ = _numbers(agent_client("supervisor"), "麒麟")
    assert n in sup, f"the supervisor, who sees every complaint, did not find {n}"


@test
def search_of_5000_characters_or_operators_gets_a_clear_answer_never_a_500():
    c = agent_client("agent")
    # 5,000 Chinese characters are a 45 KB request line: nginx refuses it (414) before Kesu
    # (the form's maxlength is 100, so only a hand-made address gets there); never a 500.
    r = c.get("/complaints?q=" + up.quote("床" * 5000))
    assert r.status == 414, r.brief()
    long_q = "床垫" + "x" * 4998
    r = c.get("/complaints?q=" + up.quote(long_q))
    assert r.status == 200, r.brief()
    assert "too long" in r.text or "过长" in r.text, "no message for a 5,000-character search"
    r = c.get_json("/complaints?q=" + up.quote(long_q))
    assert r.status == 200 and r.json()["search_too_long"] is True and r.json()["complaints"] == [], r.brief()
    for q in ('+-*', '"', '弹簧"', '(床垫', '@x', '~<>', "a' OR 1=1 --", "\\"):
        r = c.get_json("/complaints?q=" + up.quote(q))
        assert r.status == 200, f"q={q!r}: {r.brief()}"


@test
def search_pages_through_many_hits_with_the_cursor():
    c = agent_client("agent")
    made = [_register(c, description=f"翻页测试貔貅 {i}") for i in range(53)]
    seen, cursor, pages = [], None, 0
    while True:
        got, j = _numbers(c, "貔貅", f"&after={cursor}" if cursor else "")
        seen += got
        pages += 1
        cursor = j.get("next_cursor")
        if not cursor or pages > 5:
            break
        assert len(got) == 50, f"a page before the last holds {len(got)}"
    assert pages == 2, f"{pages} pages for 53 hits"
    assert sorted(seen) == sorted(made), f"{len(seen)} seen, {len(set(seen) & set(made))} of ours"
    assert seen == sorted(seen, reverse=True), "not newest first"


@test
def search_table_is_mroonga_and_filled_by_registration():
    rows = root_sql("SELECT ENGINE FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = 'kesu' AND TABLE_NAME = 'complaint_text'")
    assert rows and rows[0][0].lower() == "mroonga", rows
    (missing,) = root_sql("SELECT COUNT(*) FROM complaint c LEFT JOIN complaint_text t "
                          "ON t.complaint_id = c.id WHERE t.complaint_id IS NULL")[0]
    assert int(missing) == 0, f"{missing} complaints have no searchable text"
