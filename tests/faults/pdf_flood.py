#!/usr/bin/env python3
"""The PDF flood, in a process of its own (so that its 50 threads do not slow the measuring
threads of run.py down): python3 pdf_flood.py SPEC_JSON OUT_JSON.

SPEC: {"base": URL, "sessions": [{cookies}, ...], "numbers": [...], "requests": 50, "seconds": 120}
Request i asks for /complaints/{numbers[i % n]}/dossier.pdf with session i % len(sessions), and
polls as a browser does (Retry-After) until it gets the PDF or time is up. OUT: every answer
(start offset, seconds, status) and, per request, when its PDF arrived.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def main():
    spec = json.load(open(sys.argv[1]))
    u = urllib.parse.urlsplit(spec["base"])
    answers, got, lock = [], {}, threading.Lock()
    t_start = time.monotonic()
    deadline = t_start + spec["seconds"]

    def one(i):
        cookies = spec["sessions"][i % len(spec["sessions"])]
        num = spec["numbers"][i % len(spec["numbers"])]
        h = {"Host": u.netloc, "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
             "Accept-Language": "en"}
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            st, body, ra = 0, b"", None
            try:
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
                c.request("GET", f"/complaints/{num}/dossier.pdf", headers=h)
                r = c.getresponse()
                st, body, ra = r.status, r.read(), r.getheader("Retry-After")
                c.close()
            except Exception:  # noqa: BLE001
                pass
            with lock:
                answers.append((t0 - t_start, time.monotonic() - t0, st))
            if st == 200 and body.startswith(b"%PDF-"):
                with lock:
                    got[i] = time.monotonic() - t_start
                return
            if st != 202:
                return
            time.sleep(float(ra or 2))

    ts = [threading.Thread(target=one, args=(i,)) for i in range(spec["requests"])]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    json.dump({"answers": answers, "got": got}, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
