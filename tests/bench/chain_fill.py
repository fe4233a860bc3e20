#!/usr/bin/env python3
"""tests/bench/chain_fill.py ROOT_CNF COUNT NUMBER TSV — extend the audit chain by COUNT events
shaped like the stack's own (the registration events already there, copied with a new seq and
time), the last 200 of them on complaint NUMBER (the dossier's measurement). Hashes as audit.c
computes them; writes a TSV for LOAD DATA and prints the new head "SEQ HASH"."""
import datetime
import hashlib
import subprocess
import sys

FIELDS = ["seq", "at", "actor_uid", "actor_name", "actor_role", "entity", "entity_id", "action",
          "before_json", "after_json", "request_id", "client_addr"]


def sql(cnf, q):
    out = subprocess.run(["mariadb", f"--defaults-file={cnf}", "--batch", "--skip-column-names", "kesu",
                          "-e", q], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def canonical(f):
    return b"".join(b"-1:," if v is None else str(len(v)).encode() + b":" + v + b"," for v in f)


def tsv(v):
    if v is None:
        return b"\\N"
    return v.replace(b"\\", b"\\\\").replace(b"\t", b"\\t").replace(b"\n", b"\\n")


def main():
    cnf, count, number, path = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
    (seq, prev), = sql(cnf, "SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
    seq = int(seq)
    cols = ", ".join(f"HEX(CAST({f} AS CHAR))" for f in FIELDS)
    shapes = [[None if v == "NULL" else bytes.fromhex(v) for v in row]
              for row in sql(cnf, f"SELECT {cols} FROM audit_event ORDER BY seq DESC LIMIT 50")]
    if not shapes:
        sys.exit("no audit events to copy the shape of")
    t = datetime.datetime.utcnow() - datetime.timedelta(seconds=count)
    with open(path, "wb") as out:
        for i in range(count):
            seq += 1
            f = list(shapes[i % len(shapes)])
            f[0] = str(seq).encode()
            f[1] = (t + datetime.timedelta(seconds=i)).strftime("%Y-%m-%d %H:%M:%S.%f").encode()
            if i >= count - 200:
                f[5], f[6] = b"complaint", number
            f[10] = b"%016x" % seq
            h = hashlib.sha256(prev.encode() + canonical(f)).hexdigest()
            out.write(b"\t".join(tsv(v) for v in f + [prev.encode(), h.encode()]) + b"\n")
            prev = h
    print(seq, prev)


if __name__ == "__main__":
    main()
