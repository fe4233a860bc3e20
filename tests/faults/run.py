#!/usr/bin/env python3
"""Kesu under faults: python3 tests/faults/run.py [-k WORD]... (run by `bin/test --faults`).

Against a private real stack of its own (bin/test starts it; see tests/integration/harness.py
for the environment), in this order:

1. 2,000 registrations from 8 clients while MariaDB is killed (SIGKILL) 3 times and restarted;
   then a Groonga lock left by a killed MariaDB, cleared by the init file at its restart
2. a worker killed (SIGKILL) 3 times under load
3. slapd stopped (SIGSTOP, then SIGKILL) under load
4. slow connections: 2,000 from one address (tests/faults/slowloris.py)
5. the PDF flood: 50 concurrent dossier PDF requests

Each case asserts its correctness facts (nothing lost or doubled, no gap, the chain intact, the
page a person saw, which requests failed) and prints its timings ("FIGURES ..." lines, also in
STATE/log/faults-figures.json); never a timed assertion. The figures go into
docs/reliability.md by hand. Sizes: KESU_FAULTS_REGISTRATIONS (2000), KESU_FAULTS_SLOW (2000).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

import harness  # noqa: E402
import test_faults  # noqa: E402,F401

if __name__ == "__main__":
    sys.exit(harness.run_tests(title="faults"))
