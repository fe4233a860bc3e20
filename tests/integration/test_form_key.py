"""A registration form sent twice registers one complaint (issue 10: faults; fcgi/form_key.c).

The registration form carries a random key; a retry after an error page, a double click or two
tabs sending the same form answer with the complaint the first one stored.
"""

import re
import threading

from harness import Client, agent_client, complaint_fields, json_fields, root_sql, test


def _form(c):
    r = c.get("/complaints/new")
    assert r.status == 200, r.brief()
    tok = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    key = re.search(r'name="form_key" value="([^"]+)"', r.text)
    assert tok and key, "the registration form carries no csrf_token or form_key"
    return tok.group(1), key.group(1)


def _number(r):
    m = re.match(r"^/complaints/(\d{9,})\?registered=1$", r.location or "")
    assert r.status == 303 and m, f"registration: {r.brief()}"
    return m.group(1)


def _stored(marker):
    return [row[0] for row in root_sql(f"SELECT number FROM complaint WHERE description LIKE '%{marker}%'")]


def _signed_in(user="agent"):
    c = Client()
    c.login(user)
    return c


@test
def the_same_registration_form_sent_twice_registers_one_complaint():
    c = _signed_in()
    tok, key = _form(c)
    marker = f"form-key-twice-{key[:12]}"
    f = dict(complaint_fields(description=f"两次提交 {marker}"), csrf_token=tok, form_key=key)
    first = _number(c.post_form("/complaints", f, csrf=False))
    again = _number(c.post_form("/complaints", f, csrf=False))
    assert again == first, f"the same form answered {first} then {again}"
    assert _stored(marker) == [first], f"stored: {_stored(marker)}"
    n = root_sql(f"SELECT COUNT(*) FROM audit_event WHERE entity = 'complaint' AND entity_id = '{first}' "
                 "AND action = 'register'")[0][0]
    assert n == "1", f"{n} register events for {first}"
    # a new form is a new complaint
    tok2, key2 = _form(c)
    assert key2 != key, "the form's key is the same on a fresh form"
    other = _number(c.post_form("/complaints", dict(f, form_key=key2, csrf_token=tok2), csrf=False))
    assert other != first


@test
def the_same_form_sent_twice_at_once_registers_one_complaint():
    c1 = _signed_in()
    tok, key = _form(c1)
    c2 = Client(source_ip=c1.source_ip)
    c2.cookies = dict(c1.cookies)
    marker = f"form-key-race-{key[:12]}"
    f = dict(complaint_fields(description=f"同时提交 {marker}"), csrf_token=tok, form_key=key)
    got = [None, None]

    def send(i, c):
        got[i] = c.post_form("/complaints", f, csrf=False)

    ts = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate((c1, c2))]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    a, b = _number(got[0]), _number(got[1])
    assert a == b, f"two sends of one form at once answered {a} and {b}"
    assert _stored(marker) == [a], f"stored: {_stored(marker)}"


@test
def a_form_key_is_only_its_senders_and_json_clients_may_send_one():
    c = _signed_in("agent")
    tok, key = _form(c)
    marker = f"form-key-owner-{key[:12]}"
    f = dict(complaint_fields(description=f"他人的键 {marker}"), csrf_token=tok, form_key=key)
    mine = _number(c.post_form("/complaints", f, csrf=False))
    # someone else sending a form with the same key registers their own complaint
    j = agent_client("agent2")
    r = j.register(dict(json_fields(complaint_fields(description=f"他人的键 {marker}")), form_key=key), expect=201)
    theirs = r.json()["number"]
    assert theirs != mine, "another person's form with the same key was answered with the first complaint"
    again = j.register(dict(json_fields(complaint_fields(description=f"他人的键 {marker}")), form_key=key), expect=201)
    assert again.json()["number"] == theirs, "a JSON client's form key is not honoured"
    assert sorted(_stored(marker)) == sorted([mine, theirs])


@test
def a_form_shown_again_with_errors_keeps_its_key_and_a_malformed_key_is_refused():
    c = _signed_in()
    tok, key = _form(c)
    f = dict(complaint_fields(customer_name=""), csrf_token=tok, form_key=key)
    r = c.post_form("/complaints", f, csrf=False)
    assert r.status == 422, r.brief()
    assert f'name="form_key" value="{key}"' in r.text, "the form shown again has another key"
    r = c.post_form("/complaints", dict(complaint_fields(), csrf_token=tok, form_key="x' OR 1=1 --"), csrf=False)
    assert r.status == 400, f"a malformed form key: {r.brief()}"
