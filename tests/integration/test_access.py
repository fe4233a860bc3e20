"""The access matrix: every demo user against every complaint route.

Agents and supervisors register; every role may read the list, which holds only what they may
see. A complaint is seen by those involved (issue 3, "Confidentiality"): its owner, the
supervisors, the leadership group, auditors, and for a product-quality complaint the quality
engineers and the QA director; to everyone else it does not exist (404). The same rules hold for the HTML page and its JSON twin. Not signed in: HTML is sent to
/login, JSON gets 401.
"""

from harness import Client, agent_client, complaint_fields, json_fields, test

USERS = ["agent", "agent2", "supervisor", "head.production", "member.production", "head.quality",
         "engineer", "qa.director", "deputy.gm", "gm", "finance", "hr", "auditor", "admin"]
REGISTER = {"agent", "agent2", "supervisor"}
# who sees a fresh product-quality complaint registered by agent, nothing assigned yet
SEES = {"agent", "supervisor", "engineer", "qa.director", "deputy.gm", "gm", "auditor"}


@test
def every_role_reads_what_it_may_see_and_only_agents_and_supervisors_register():
    owner = agent_client("agent")
    number = owner.register(json_fields(complaint_fields())).json()["number"]
    problems = []
    for user in USERS:
        c = agent_client(user)
        may = user in REGISTER
        checks = [
            ("GET /complaints (JSON)", c.get_json("/complaints").status, 200),
            ("GET /complaints (HTML)", c.get("/complaints").status, 200),
            (f"GET /complaints/{number} (JSON)", c.get_json(f"/complaints/{number}").status,
             200 if user in SEES else 404),
            (f"GET /complaints/{number} (HTML)", c.get(f"/complaints/{number}").status,
             200 if user in SEES else 404),
            (f"GET /complaints?q={number} lists it", str(number) in
             [str(x["number"]) for x in c.get_json(f"/complaints?q={number}").json()["complaints"]],
             user in SEES),
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
