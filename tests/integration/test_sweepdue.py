"""The overdue sweep's work follows what is due, not how many complaints are open or late (issue
10, sweepdue; sql/036). Each open complaint has a row in sweep_due saying when the sweep must
look at it next: after a look that reminded everyone of everything late, the complaint is not
looked at again until something it depends on changes (a step, an assignment, a report, a
deadline moved by whatever path) or its next deadline comes; a backlog is worked off oldest
first, never the same complaints over and over."""

import re

from harness import admin, root_sql, test
from test_sweep import documents, new_complaint


def examined():
    p = admin("sweep")
    assert p.returncode == 0, f"kesu-admin sweep exited {p.returncode}: {p.stdout} {p.stderr[-1500:]}"
    m = re.search(r"(\d+) complaints examined, (\d+) reminders", p.stdout)
    assert m, f"no summary line: {p.stdout!r}"
    return int(m.group(1)), int(m.group(2))


def due(number):
    rows = root_sql(f"SELECT due > UTC_TIMESTAMP() FROM sweep_due WHERE number = '{number}'")
    return None if not rows else ("later" if str(rows[0][0]) == "1" else "now")


@test
def a_complaint_reminded_of_everything_late_is_not_looked_at_again_until_it_changes():
    examined()   # whatever earlier tests left due
    _, a = new_complaint(severity="3")
    _, b = new_complaint(severity="3")
    assert due(a) == "later", "a new complaint is due at its response deadline"
    root_sql("UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR "
             f"WHERE number IN ('{a}', '{b}')")
    assert due(a) == "now" and due(b) == "now", "a deadline moved straight in SQL brings the look forward"
    n, reminders = examined()
    assert n >= 2 and reminders >= 4, (n, reminders)
    assert ("reminder", "response", "", "user", "agent") in documents(a)
    # the response clock is late and reminded; the resolution clock's deadline is the next look
    assert due(a) in ("later", None) and due(b) in ("later", None), (due(a), due(b))
    n, reminders = examined()
    assert (n, reminders) == (0, 0), f"the second run looked at {n} complaints again"
    # a change the clocks depend on: looked at by the next run, and only that one
    root_sql(f"UPDATE complaint SET resolve_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number = '{a}'")
    n, reminders = examined()
    assert n == 1, n
    assert ("reminder", "resolution", "", "user", "agent") in documents(a)
    assert examined() == (0, 0)


@test
def a_backlog_is_worked_off_oldest_first_and_every_complaint_is_reached():
    examined()
    numbers = [new_complaint(severity="3")[1] for _ in range(5)]
    quoted = ", ".join(f"'{n}'" for n in numbers)
    root_sql(f"UPDATE complaint SET respond_due = UTC_TIMESTAMP() - INTERVAL 1 HOUR WHERE number IN ({quoted})")
    # as if the sweep had been down for a while: the oldest due first
    root_sql(f"UPDATE sweep_due SET due = UTC_TIMESTAMP() - INTERVAL 1 DAY WHERE number IN ({quoted})")
    n, _ = examined()
    assert n >= 5, n
    for number in numbers:
        assert ("reminder", "response", "", "user", "agent") in documents(number), number
        assert due(number) != "now", number
