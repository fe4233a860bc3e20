"""Load and figures for tests/faults: signed-in readers in threads, percentiles, a figures file.

Only timings are printed here; the cases assert correctness facts (lost, duplicated, the page
shown, requests failed), never a duration.
"""

import json
import os
import threading
import time

from harness import Client, env


def pct(values, p):
    """The p-th percentile (nearest rank) of values, or None when there are none."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def ms(x):
    return None if x is None else round(x * 1000.0, 1)


class Readers:
    """n threads, each a signed-in person reading paths in turn, until stop(); every answer kept
    as (start time, seconds, status)."""

    def __init__(self, clients, paths, pause=0.0):
        self.clients = clients
        self.paths = paths
        self.pause = pause
        self.samples = []          # (t0, elapsed, status, path)
        self.lock = threading.Lock()
        self.halt = threading.Event()
        self.threads = []

    def _run(self, c, i):
        n = i
        while not self.halt.is_set():
            path = self.paths[n % len(self.paths)]
            n += 1
            t0 = time.monotonic()
            try:
                r = c.get(path, timeout=30)
                st = r.status
            except Exception:  # noqa: BLE001 — a reset or a timeout is a failed request
                st = 0
            el = time.monotonic() - t0
            with self.lock:
                self.samples.append((t0, el, st, path))
            if self.pause:
                time.sleep(self.pause)

    def start(self):
        for i, c in enumerate(self.clients):
            t = threading.Thread(target=self._run, args=(c, i), daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self):
        self.halt.set()
        for t in self.threads:
            t.join(40)

    def window(self, t_from, t_to):
        """The samples that started in [t_from, t_to)."""
        with self.lock:
            return [s for s in self.samples if t_from <= s[0] < t_to]


def summary(samples):
    """{n, ok, failed, statuses of the failures, p50/p99/max ms} of (t0, elapsed, status, path)."""
    lat = [s[1] for s in samples if s[2] == 200]
    bad = {}
    for s in samples:
        if s[2] != 200:
            bad[str(s[2])] = bad.get(str(s[2]), 0) + 1
    return {"requests": len(samples), "ok": len(lat), "failed": len(samples) - len(lat),
            "failed_by_status": bad, "p50_ms": ms(pct(lat, 50)), "p99_ms": ms(pct(lat, 99)),
            "max_ms": ms(max(lat) if lat else None)}


def signed_in(users):
    """One signed-in browser-like client per user name (form sign-in, HTML pages)."""
    out = []
    for u in users:
        c = Client()
        c.login(u)
        out.append(c)
    return out


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


_FIGURES = {}


def figure(case, **values):
    """Print a case's figures and keep them in STATE/log/faults-figures.json."""
    values["load_average"] = load_average()
    _FIGURES[case] = values
    print(f"     FIGURES {case}: {json.dumps(values, ensure_ascii=False)}", flush=True)
    path = os.path.join(env("KESU_STATE"), "log", "faults-figures.json")
    with open(path, "w") as f:
        json.dump(_FIGURES, f, ensure_ascii=False, indent=2)
