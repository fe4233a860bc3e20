"""Every page: JSON twins, security headers, languages, request hygiene (issue 2 §2)."""

import re

from harness import Client, agent_client, complaint_fields, json_fields, test


def _csp_directives(csp):
    d = {}
    for part in (csp or "").split(";"):
        part = part.strip()
        if part:
            name, _, val = part.partition(" ")
            d[name.lower()] = val.strip()
    return d


def _check_security_headers(r, what):
    ct = r.header("Content-Type") or ""
    assert "charset=utf-8" in ct.lower().replace(" ", ""), f"{what}: Content-Type {ct!r} lacks charset=utf-8"
    assert (r.header("X-Content-Type-Options") or "").lower() == "nosniff", \
        f"{what}: X-Content-Type-Options {r.header('X-Content-Type-Options')!r}"
    assert r.header("Referrer-Policy"), f"{what}: no Referrer-Policy"
    csp = r.header("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    d = _csp_directives(csp)
    scripts = d.get("script-src", d.get("default-src"))
    assert scripts is not None, f"{what}: CSP restricts no scripts: {csp!r}"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, f"{what}: CSP allows inline script: {csp!r}"
    assert "*" not in scripts.split(), f"{what}: CSP allows scripts from anywhere: {csp!r}"
    assert d.get("frame-ancestors") == "'none'", f"{what}: CSP frame-ancestors is {d.get('frame-ancestors')!r}"


@test
def security_headers_on_every_page():
    anon = Client()
    _check_security_headers(anon.get("/login"), "GET /login")
    c = Client()
    c.login("agent")
    for path in ("/complaints", "/complaints/new"):
        r = c.get(path)
        assert r.status == 200, f"{path}: {r.brief()}"
        _check_security_headers(r, f"GET {path}")
    rj = c.get_json("/complaints")
    assert "application/json" in (rj.header("Content-Type") or ""), rj.brief()
    assert (rj.header("X-Content-Type-Options") or "").lower() == "nosniff", "JSON lacks nosniff"
    # errors too
    r = c.get("/complaints/991231998")
    assert r.status == 404
    assert (r.header("X-Content-Type-Options") or "").lower() == "nosniff", "404 lacks nosniff"


@test
def pages_have_no_inline_script():
    c = Client()
    c.login("agent")
    for path in ("/login", "/complaints", "/complaints/new"):
        t = c.get(path).text
        for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", t, re.S | re.I):
            assert "src=" in m.group(1) and not m.group(2).strip(), f"{path}: inline script {m.group(0)[:120]!r}"
        assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<script\b.*?</script>", "", t, flags=re.S)), \
            f"{path}: an inline event handler attribute"


@test
def accept_language_picks_english_or_chinese():
    en = Client(lang="en-US,en;q=0.9").get("/login")
    zh = Client(lang="zh-CN,zh;q=0.9").get("/login")
    assert en.status == zh.status == 200
    assert re.search(r"(?i)sign in|log ?in|user ?name|password", en.text), "no English on the English login page"
    assert re.search("登录|密码|用户名", zh.text), "no Chinese on the Chinese login page"
    assert not re.search("登录|密码|用户名", en.text), "Chinese sign-in words on the English page"
    assert not re.search(r"(?i)>\s*(sign in|password)\s*<", zh.text), "English labels on the Chinese page"
    # signed in: the list page as well
    ce = Client(lang="en")
    ce.login("agent")
    cz = Client(lang="zh-CN")
    cz.login("agent")
    te, tz = ce.get("/complaints").text, cz.get("/complaints").text
    assert re.search(r"(?i)complaint", te), "no English on the English list page"
    assert re.search("投诉|客诉", tz), "no Chinese on the Chinese list page"
    assert te != tz


@test
def json_twin_of_every_page():
    c = agent_client("agent")
    num = c.register(json_fields(complaint_fields())).json()["number"]
    for path in ("/complaints", "/complaints/new", f"/complaints/{num}"):
        r = c.get_json(path)
        assert r.status == 200, f"{path} JSON: {r.brief()}"
        assert "application/json" in (r.header("Content-Type") or ""), f"{path}: {r.header('Content-Type')}"
        j = r.json()
        u = j.get("user")
        assert isinstance(u, dict) and u.get("uid") == "agent" and u.get("roles") == ["agent"], f"{path}: user {u}"
        assert {"uid", "name", "roles", "department"} <= set(u), f"{path}: user {u}"
        assert isinstance(j.get("csrf_token"), str) and j["csrf_token"], f"{path}: no csrf_token"
        h = c.get(path)
        assert h.status in (200, 303), f"{path} HTML: {h.brief()}"
        if h.status == 200:
            assert "text/html" in (h.header("Content-Type") or ""), f"{path}: {h.header('Content-Type')}"
    lj = c.get_json("/complaints").json()
    assert "next_cursor" in lj and isinstance(lj["complaints"], list), lj.keys()
    d = c.get_json(f"/complaints/{num}").json()
    assert isinstance(d.get("complaint"), dict) and isinstance(d.get("history"), list), d.keys()
    # "/" sends each to where they belong
    r = c.get("/")
    assert r.status in (200, 303), f"GET / signed in: {r.brief()}"
    if r.status == 303:
        assert (r.location or "").split("?")[0].endswith("/complaints"), r.brief()
    anon = Client()
    r = anon.get("/")
    assert r.status == 303 and "/login" in (r.location or ""), f"GET / not signed in: {r.brief()}"
    # the login page too, before signing in
    r = anon.get_json("/login")
    assert r.status == 200 and isinstance(r.json(), dict), r.brief()


@test
def invalid_utf8_is_rejected_with_400():
    c = agent_client("agent")
    r = c.get_json("/complaints?q=%FF%FE")
    assert r.status == 400, f"query with invalid UTF-8: {r.brief()}"
    body = json_fields(complaint_fields())
    raw = ('{"customer_name": "X\xff"}').encode("latin-1")
    r = c.post_json("/complaints", body, raw=raw)
    assert r.status == 400, f"JSON body with invalid UTF-8: {r.brief()}"
    raw = b"customer_name=%C3%28&csrf_token=" + c.csrf.encode()
    r = c.request("POST", "/complaints", body=raw,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 400, f"form body with invalid UTF-8: {r.brief()}"


@test
def malformed_json_body_is_400():
    c = agent_client("agent")
    r = c.post_json("/complaints", None, raw=b'{"customer_name": ')
    assert r.status == 400, r.brief()


@test
def oversized_body_is_refused_before_it_reaches_the_workers():
    c = agent_client("agent")
    big = "x" * (1024 * 1024 + 10)
    r = c.post_form("/complaints", {"description": big})
    assert r.status == 413, f"a body over fcgi.max_body: {r.brief()}"
    assert c.get_json("/complaints").status == 200


@test
def static_files_are_served_by_nginx():
    r = Client().get("/static/kesu.css")
    if r.status == 404:
        r = Client().get("/static/")
        assert r.status in (403, 404), r.brief()
        return
    assert r.status == 200 and "text/css" in (r.header("Content-Type") or ""), r.brief()
