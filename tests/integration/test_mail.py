"""Issue 7, "people are told": the mails a step queues in mail_outbox reach the next signer, the
assignees and the recipients of reminders over SMTP. The harness's catcher is a real SMTP server
(python3-aiosmtpd, started by bin/lib/stack.sh) that keeps every mail in a Maildir; `kesu-admin
mail` sends what is queued, as the sweep does every minute."""

import email
import email.policy
import mailbox
import os

from harness import admin, agent_client, env, root_sql, test
from test_plans import act, file_report, investigating, propose

ADDRESS = {"dept_head": "head.production@kesu.example", "deputy_gm": "deputy.gm@kesu.example",
           "gm": "gm@kesu.example", "supervisor": "supervisor@kesu.example"}


def maildir():
    return mailbox.Maildir(env("KESU_MAILDIR"), factory=None, create=False)


def seen():
    return set(maildir().keys())


def send(conf=None):
    p = admin("mail") if conf is None else _admin_with(conf, "mail")
    assert p.returncode == 0, f"kesu-admin mail exited {p.returncode}: {p.stdout} {p.stderr[-1500:]}"
    return p.stdout


def _admin_with(conf, *args):
    from harness import sh
    return sh([env("KESU_ADMIN"), "-c", conf, *args], timeout=120)


def new_mails(before):
    """{key: (to, subject, body)} of the mails that arrived since before."""
    out = {}
    box = maildir()
    for key in set(box.keys()) - before:
        m = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        out[key] = (str(m["To"]).strip("<>"), str(m["Subject"]), m.get_content(), m)
    return out


def to(mails, addr):
    return [m for m in mails.values() if m[0] == addr]


@test
def mail_after_a_plan_is_proposed_the_first_signer_gets_a_mail_naming_the_complaint_and_a_link():
    owner, number = investigating()
    file_report(number)
    send()  # what other tests queued goes first
    before = seen()
    r = propose(owner, number)
    assert r.status == 200, r.brief()
    first = root_sql(f"SELECT required_roles FROM handling_plan WHERE number = '{number}'")[0][0].split(",")[0]
    queued = root_sql(f"SELECT kind, addressee_type, addressee, state FROM mail_outbox WHERE number = '{number}' "
                      "AND kind = 'plan_sign'")
    assert len(queued) == 1 and queued[0][3] == "pending", queued
    out = send()
    assert "mails sent" in out, out
    mine = [m for m in to(new_mails(before), ADDRESS[first]) if number in m[1]]
    assert len(mine) == 1, (first, new_mails(before).keys())
    _, subject, body, msg = mine[0]
    assert number in subject and number in body, (subject, body)
    assert f"{env('KESU_BASE_URL')}/complaints/{number}" in body, body
    assert msg["Content-Type"].params["charset"].lower() == "utf-8"
    assert root_sql(f"SELECT state FROM mail_outbox WHERE number = '{number}' AND kind = 'plan_sign'") == [["sent"]]
    # sent once: another run sends nothing again
    before = seen()
    send()
    assert not [m for m in new_mails(before).values() if number in m[1] and "plan" in m[1].lower()]


@test
def mail_assignees_get_a_mail_when_a_complaint_is_assigned_to_their_department():
    send()
    before = seen()
    owner = agent_client("agent")
    from harness import complaint_fields, json_fields
    number = owner.register(json_fields(complaint_fields(severity="3"))).json()["number"]
    sup = agent_client("supervisor")
    act(sup, number, "triage_substantiated")
    act(sup, number, "assign", departments="quality")
    send()
    mine = [m for m in to(new_mails(before), "head.quality@kesu.example") if number in m[1]]
    assert len(mine) == 1, new_mails(before)
    assert "杨洋" in mine[0][2] and f"/complaints/{number}" in mine[0][2], mine[0][2]


@test
def mail_a_digest_enabled_user_gets_one_mail_for_several_items():
    send()
    numbers = []
    sup = agent_client("supervisor")
    from harness import complaint_fields, json_fields
    owner = agent_client("agent")
    for _ in range(3):
        n = owner.register(json_fields(complaint_fields(severity="3"))).json()["number"]
        act(sup, n, "triage_substantiated")
        act(sup, n, "assign", departments="quality")
        numbers.append(n)
    conf = os.path.join(env("KESU_STATE"), "kesu-digest.conf")
    with open(env("KESU_CONF")) as f, open(conf, "w") as g:
        g.write(f.read() + "\nsmtp.digest = head.quality\n")
    before = seen()
    out = send(conf)
    mails = to(new_mails(before), "head.quality@kesu.example")
    assert len(mails) == 1, (out, [m[1] for m in mails])
    body = mails[0][2]
    assert all(n in body for n in numbers), body
    assert root_sql("SELECT COUNT(*) FROM mail_outbox WHERE state = 'pending' AND number IN ('"
                    + "','".join(numbers) + "')") == [["0"]]


@test
def mail_a_relay_that_is_down_leaves_the_mail_queued_for_a_retry():
    send()
    owner = agent_client("agent")
    from harness import complaint_fields, json_fields
    n = owner.register(json_fields(complaint_fields(severity="3"))).json()["number"]
    sup = agent_client("supervisor")
    act(sup, n, "triage_substantiated")
    act(sup, n, "assign", departments="production")
    conf = os.path.join(env("KESU_STATE"), "kesu-norelay.conf")
    with open(env("KESU_CONF")) as f, open(conf, "w") as g:
        # a port nobody listens on (the discard port on loopback)
        g.write(f.read() + "\nsmtp.port = 9\nsmtp.timeout = 2\n")
    out = send(conf)
    assert "to retry" in out, out
    rows = root_sql(f"SELECT state, attempts, last_error IS NOT NULL, next_try_at > UTC_TIMESTAMP() "
                    f"FROM mail_outbox WHERE number = '{n}'")
    assert rows == [["pending", "1", "1", "1"]], rows
    # once due again, the real relay takes it
    root_sql(f"UPDATE mail_outbox SET next_try_at = UTC_TIMESTAMP() WHERE number = '{n}'")
    before = seen()
    send()
    assert [m for m in to(new_mails(before), "head.production@kesu.example") if n in m[1]]
    assert root_sql(f"SELECT state, attempts FROM mail_outbox WHERE number = '{n}'") == [["sent", "2"]]


@test
def mail_a_penalty_tells_its_signer_then_the_penalised_person_and_finance():
    from test_penalties import step as penalty_step
    _, number = investigating(severity="3")
    send()
    before = seen()
    head = agent_client("head.production")
    r = head.post_json(f"/complaints/{number}/penalties", {
        "target_kind": "person", "target": "member.production", "kind": "fine", "amount": "50",
        "reason": "夜班换模未做首件确认。", "rule": "《质量奖惩条例》第 12 条"})
    assert r.status == 201, r.brief()
    pid = r.json()["id"]
    send()
    assert [m for m in to(new_mails(before), "gm@kesu.example") if number in m[1]], new_mails(before)
    before = seen()
    assert penalty_step(agent_client("gm"), pid, "approve").status == 200
    send()
    got = new_mails(before)
    person = [m for m in to(got, "member.production@kesu.example") if number in m[1]]
    assert len(person) == 1 and f"/penalties/{pid}" in person[0][2], got
    assert [m for m in to(got, "finance@kesu.example") if number in m[1]], got


@test
def mail_the_sweep_mails_the_recipients_of_a_reminder_and_an_escalation():
    from harness import complaint_fields, json_fields
    send()
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields(severity="2"))).json()["number"]
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{number}'")
    before = seen()
    p = admin("sweep")
    assert p.returncode == 0 and "mail:" in p.stdout, p.stdout + p.stderr[-1000:]
    got = new_mails(before)
    for addr in ("agent@kesu.example", "supervisor@kesu.example", "gm@kesu.example", "deputy.gm@kesu.example"):
        assert [m for m in to(got, addr) if number in m[1]], (addr, [m[:2] for m in got.values()])
