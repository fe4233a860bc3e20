#!/usr/bin/env python3
"""Kesu's integration suite: python3 tests/integration/run.py [-k WORD]...

Runs against the private stack that bin/test starts (see harness.py for the environment).
Order matters: test_resilience stops and restarts services and edits the audit trail, so it
runs last.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import test_access  # noqa: E402,F401
import test_auth  # noqa: E402,F401
import test_complaints  # noqa: E402,F401
import test_lifecycle  # noqa: E402,F401
import test_pages  # noqa: E402,F401
import test_plans  # noqa: E402,F401
import test_penalties  # noqa: E402,F401
import test_sweep  # noqa: E402,F401
import test_8d  # noqa: E402,F401
import test_steps  # noqa: E402,F401
import test_paper  # noqa: E402,F401
import test_texts  # noqa: E402,F401
import test_mail  # noqa: E402,F401
import test_work  # noqa: E402,F401
import test_security  # noqa: E402,F401
# ---- issue 8: trail
import test_audit_trail  # noqa: E402,F401
# ---- issue 8: register
import test_register  # noqa: E402,F401
# ---- issue 8: history
import test_history  # noqa: E402,F401
# ---- issue 8: verify
import test_verify  # noqa: E402,F401
# ---- issue 9: stats
import test_stats  # noqa: E402,F401
# ---- issue 9: search
import test_search  # noqa: E402,F401
# ---- issue 8: auditfix
import test_auditfix  # noqa: E402,F401
# ---- issue 8: proof
import test_proof  # noqa: E402,F401
# ---- issue 9: aggregate
import test_aggregate  # noqa: E402,F401
# ---- issue 9: find
import test_find  # noqa: E402,F401
# ---- issue 10: floor
import test_floor  # noqa: E402,F401
# ---- issue 10: faults
import test_form_key  # noqa: E402,F401
# ---- issue 11: cluster
import test_cluster  # noqa: E402,F401
# ---- issue 9: statsfast
import test_statsfast  # noqa: E402,F401
# ---- issue 10: pages
import test_sess_cache  # noqa: E402,F401
# ---- issue 10: regfast
import test_regfast  # noqa: E402,F401
# ---- issue 11: textrepl
import test_textrepl  # noqa: E402,F401
# ---- issue 10: listfast
import test_listfast  # noqa: E402,F401
# ---- issue 10: agentvis
import test_agentvis  # noqa: E402,F401
# ---- issue 10: pagefast
import test_pagefast  # noqa: E402,F401
# ---- issue 10: regload
import test_regload  # noqa: E402,F401
# ---- issue 10: pagefacts
import test_pagefacts  # noqa: E402,F401
# ---- issue 10: regfast2
import test_regfast2  # noqa: E402,F401
# ---- issue 10: listp99
import test_listp99  # noqa: E402,F401
# ---- issue 10: rescache
import test_rescache  # noqa: E402,F401
# ---- issue 10: sweepdue
import test_sweepdue  # noqa: E402,F401
# ---- issue 10: statsjournal
import test_statsjournal  # noqa: E402,F401
# ---- issue 10: pagerender
import test_resilience  # noqa: E402,F401

if __name__ == "__main__":
    sys.exit(harness.run_tests(title="integration"))
