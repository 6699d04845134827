#!/usr/bin/python3
"""Runs the SPEC metrics of metrics.sql in PostgreSQL and the same queries on
the server, checks that both give the same numbers, and times both.

    compare.py --server HOST:PORT --psql "psql -h SOCKDIR -p PORT -d abm" \
               --from 2025-01-01T00:00:00Z --to 2027-01-01T00:00:00Z [--reps N]

Prints one line per metric: server p50 ms, PostgreSQL p50 ms, ratio, check.
Exits 1 when any value differs (relative tolerance 1e-9).
"""
import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

from abm_client import Client

KEYS = {
    "account_coverage": [],
    "nps": [],
    "closed_revenue": [],
    "content_consumption": ["content", "action"],
    "stage_conversion": ["kind", "from_stage"],
    "time_to_close": ["measure"],
}


def sql_statements(path):
    text = open(path).read()
    parts = re.split(r"^-- metric: (\w+)\n", text, flags=re.M)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


def run_psql(psql, sql, args, reps):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write("\\timing on\n")
        for _ in range(reps):
            f.write(sql + "\n")
        path = f.name
    try:
        out = subprocess.run(
            shlex.split(psql) + ["-X", "-q", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                                 "-v", f"from={args.from_}", "-v", f"to={args.to}", "-f", path],
            check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    times, rows, header, block = [], [], None, []
    for line in out.splitlines():
        m = re.match(r"Time: ([0-9.]+) ms", line)
        if m:
            times.append(float(m.group(1)))
            rows = block
            block, header = [], None
        elif header is None:
            header = line.split("\t")
        elif not re.match(r"\(\d+ rows?\)", line):
            block.append(dict(zip(header, line.split("\t"))))
    return times, rows


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--psql", required=True)
    p.add_argument("--from", dest="from_", required=True)
    p.add_argument("--to", required=True)
    p.add_argument("--reps", type=int, default=5)
    args = p.parse_args()
    statements = sql_statements(os.path.join(os.path.dirname(__file__), "metrics.sql"))
    client = Client(args.server, timeout=600)
    failed = False
    print(f"{'metric':22} {'server_p50_ms':>13} {'postgres_p50_ms':>15} {'ratio':>9}  check")
    for metric, keys in KEYS.items():
        server_ms, rows = [], []
        for _ in range(max(args.reps, 5)):
            start = time.perf_counter()
            rows = client.query(metric, from_=args.from_, to=args.to, scope="all")
            server_ms.append((time.perf_counter() - start) * 1000)
        pg_ms, pg_rows = run_psql(args.psql, statements[metric], args, args.reps)
        ours = {tuple(r["labels"].get(k, "") for k in keys): r for r in rows}
        theirs = {tuple(r[k] for k in keys): r for r in pg_rows}
        problems = []
        if set(ours) != set(theirs):
            problems.append(f"row keys differ: {sorted(set(ours) ^ set(theirs))[:5]}")
        for key in set(ours) & set(theirs):
            a, b = ours[key], theirs[key]
            pv = float(b["value"]) if b["value"] not in ("", None) else None
            if not close(a["value"], pv) or a["count"] != int(b["count"]):
                problems.append(f"{key}: server {a['value']} ({a['count']}) vs "
                                f"postgres {pv} ({b['count']})")
        s, q = statistics.median(server_ms), statistics.median(pg_ms)
        check = "same" if not problems else "DIFFERENT: " + "; ".join(problems[:3])
        failed |= bool(problems)
        print(f"{metric:22} {s:13.3f} {q:15.3f} {q / s:8.0f}x  {check}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
