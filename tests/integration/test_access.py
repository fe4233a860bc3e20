"""The access matrix of issue 2: every demo user against every complaint route.

Agents and supervisors register; every other role may read the list and a complaint but not
register. The same rules hold for the HTML page and its JSON twin. Not signed in: HTML is sent to
/login, JSON gets 401.
"""

from harness import Client, agent_client, complaint_fields, json_fields, test

USERS = ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality",
         "engineer", "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]
REGISTER = {"agent", "agent2", "supervisor"}


@test
def every_role_reads_and_only_agents_and_supervisors_register():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields())).json()["number"]
    problems = []
    for user in USERS:
        c = agent_client(user)
        may = user in REGISTER
        checks = [
            ("GET /complaints (JSON)", c.get_json("/complaints").status, 200),
            ("GET /complaints (HTML)", c.get("/complaints").status, 200),
            (f"GET /complaints/{number} (JSON)", c.get_json(f"/complaints/{number}").status, 200),
            (f"GET /complaints/{number} (HTML)", c.get(f"/complaints/{number}").status, 200),
            ("GET /complaints/new (HTML)", c.get("/complaints/new").status, 200 if may else 403),
            ("GET /complaints/new (JSON)", c.get_json("/complaints/new").status, 200 if may else 403),
            ("POST /complaints (JSON)", c.post_json("/complaints", json_fields(complaint_fields())).status,
             201 if may else 403),
            ("POST /complaints (form)", c.post_form("/complaints", complaint_fields()).status,
             303 if may else 403),
        ]
        problems += [f"{user}: {what} gave {got}, expected {want}" for what, got, want in checks
                     if got != want]
    assert not problems, "\n".join(problems)


@test
def nobody_signed_in_reaches_a_complaint_route():
    c = Client()
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields())).json()["number"]
    for path in ("/complaints", "/complaints/new", f"/complaints/{number}"):
        r = c.get(path)
        assert r.status == 303 and r.location.startswith("/login"), f"GET {path}: {r.brief()}"
        assert c.get_json(path).status == 401, path
    # A POST without a session fails the CSRF check before anything else happens.
    r = c.post_json("/complaints", json_fields(complaint_fields()), csrf=False)
    assert r.status in (401, 403), r.brief()
