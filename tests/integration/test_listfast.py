"""The list's rows rendered from a row source (issue 10, listfast): escaped as before, and the
JSON twin with every row key of before, with the same types."""

import html

from harness import Client, agent_client, complaint_fields, json_fields, test

# The keys of a list row in the JSON twin, in their order, and their types.
ROW_KEYS = [("number", str), ("url", str), ("status", str), ("status_label", str), ("received_at", str),
            ("channel", str), ("channel_label", str), ("customer_name", str), ("customer_company", str),
            ("customer_phone", str), ("category", str), ("category_label", str), ("severity", int),
            ("severity_label", str), ("customer_vip", bool), ("owner_name", str), ("overdue", bool),
            ("repeat", bool), ("repeat_reason", str)]


@test
def list_rows_escape_what_was_typed_and_the_json_twin_keeps_every_key_and_type():
    c = agent_client("agent")
    name = "<script>alert(1)</script> 客户 & \"引号\" 'x'"
    company = "A&B <公司>"
    num = str(c.register(json_fields(complaint_fields(customer_name=name, customer_company=company,
                                                      customer_vip="0", severity="3"))).json()["number"])
    sup = Client()
    sup.login("supervisor")
    for who in (c, sup):
        # the row itself, found by its number (the same rendering as every list page)
        t = who.get(f"/complaints?q={num}").text
        assert f'href="/complaints/{num}"' in t, "the new complaint is not listed"
        assert name not in t and "<script>alert(1)" not in t, "a typed name reached the list unescaped"
        assert html.escape(name, quote=True).replace("&#x27;", "&#39;") in t, "the name is not escaped as {{x}}"
        assert "A&amp;B &lt;公司&gt;" in t, "the company is not escaped"
        row = next(x for x in who.get_json(f"/complaints?q={num}").json()["complaints"] if str(x["number"]) == num)
        assert list(row.keys())[:len(ROW_KEYS)] == [k for k, _ in ROW_KEYS], list(row.keys())
        for k, ty in ROW_KEYS:
            assert type(row[k]) is ty, (k, row[k])
        assert "repeat_label" not in row or row["repeat"], row
        assert row["customer_name"] == name and row["customer_company"] == company, row
        assert row["url"] == f"/complaints/{num}" and row["severity"] == 3 and row["customer_vip"] is False, row
        assert row["customer_phone"] and "*" in row["customer_phone"], row
        # the first page without filters (one statement, the row source): every row the same keys
        rows = who.get_json("/complaints").json()["complaints"]
        assert rows, "the first page is empty"
        for other in rows:
            assert [k for k in other if k != "repeat_label"] == [k for k, _ in ROW_KEYS], other
            assert ("repeat_label" in other) == other["repeat"], other
