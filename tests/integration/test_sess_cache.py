"""A worker's copy of a session (issue 10, pages: sess_cache.c): the list and the complaint page
use it only as long as their own statement proves the session row alive, so a sign-out, an
expired or an idle session on any worker or host ends it on every worker at once."""

from harness import Client, root_sql, test

# more requests than workers (bin/test starts 4): every worker has seen the session
ROUNDS = 12


def _signed_in(user):
    c = Client()
    c.login(user)
    number = None
    for _ in range(ROUNDS):
        r = c.get("/complaints")
        assert r.status == 200, f"GET /complaints: {r.brief()}"
    js = c.get_json("/complaints").json()
    if js.get("complaints"):
        number = js["complaints"][0]["number"]
        for _ in range(ROUNDS):
            r = c.get(f"/complaints/{number}")
            assert r.status == 200, f"GET /complaints/{number}: {r.brief()}"
    return c, number


def _replayed(cookie):
    d = Client()
    d.cookies["kesu_session"] = cookie
    return d


def _assert_signed_out(d, number, why):
    paths = ["/complaints"] + ([f"/complaints/{number}"] if number else [])
    for _ in range(ROUNDS):
        for p in paths:
            r = d.get(p)
            assert r.status == 303 and "/login" in (r.location or ""), f"{p} {why}: {r.brief()}"
            assert d.get_json(p).status == 401, f"{p} (JSON) {why}"


@test
def a_session_signed_out_ends_on_every_worker_that_kept_a_copy():
    for user in ("supervisor", "agent"):
        c, number = _signed_in(user)
        old = c.cookies["kesu_session"]
        r = c.post_form("/logout", {})
        assert r.status == 303, f"POST /logout: {r.brief()}"
        _assert_signed_out(_replayed(old), number, f"as {user} after sign-out")


@test
def a_session_deleted_elsewhere_or_idle_too_long_ends_on_every_worker():
    # another host's sign-out or the purge: the row is gone
    c, number = _signed_in("supervisor")
    root_sql("DELETE FROM session WHERE uid = 'supervisor'")
    _assert_signed_out(c, number, "after the row was deleted")
    # idle past session.idle_seconds (another worker's touch would have moved last_seen)
    c, number = _signed_in("agent")
    root_sql("UPDATE session SET last_seen = UTC_TIMESTAMP() - INTERVAL 1 DAY WHERE uid = 'agent'")
    _assert_signed_out(c, number, "when idle too long")
    # expired
    c, number = _signed_in("agent")
    root_sql("UPDATE session SET expires_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE uid = 'agent'")
    _assert_signed_out(c, number, "when expired")


@test
def a_kept_session_is_touched_once_a_minute_and_stays_alive():
    c, number = _signed_in("agent")
    root_sql("UPDATE session SET last_seen = UTC_TIMESTAMP() - INTERVAL 5 MINUTE WHERE uid = 'agent'")
    for _ in range(ROUNDS):
        assert c.get("/complaints").status == 200
    age = root_sql("SELECT MAX(TIMESTAMPDIFF(SECOND, last_seen, UTC_TIMESTAMP())) FROM session WHERE uid = 'agent'")
    assert int(age[0][0]) < 60, f"last_seen not touched by the list: {age!r}"


@test
def a_kept_session_gets_404_for_an_unknown_complaint_and_the_sign_in_once_gone():
    c, _ = _signed_in("agent")
    for _ in range(ROUNDS):
        assert c.get("/complaints/261130998").status == 404
    # and an unknown number with a deleted session is a sign-in, not a 404
    root_sql("DELETE FROM session WHERE uid = 'agent'")
    r = c.get("/complaints/261130998")
    assert r.status == 303 and "/login" in (r.location or ""), f"unknown number, session gone: {r.brief()}"
