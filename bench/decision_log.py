"""The decision log's costs: /decide with and without --log, and `spor report` over a million logged decisions.

1. /decide throughput, in process (the ASGI app driven through httpx's
   ASGI transport, no network), with and without a log, in alternating
   rounds; the ratio of the medians is what logging costs. Outside this
   bench a real server also pays HTTP parsing and the network, so the share
   logging takes there is smaller than here.
2. `spor report --format json` as a whole process over a log of N decisions
   (made by logging real batch decisions of the bench's generated cases,
   then copying those rows with times spread over 52 weeks), for N = 100,000
   and N = 1,000,000: wall time and peak resident memory of each. Memory
   must not grow with N (the report groups rows in SQLite).

    python bench/decision_log.py [--requests 2000] [--rounds 5] [--rows 100000 1000000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SPOR, header, median  # noqa: E402


def bodies(count: int) -> list:
    """Mixed /decide bodies: the facts every example case gives, repeated, each with its own id."""
    out = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        line = subprocess.run([*SPOR, "run", "--format", "json", str(path)], cwd=ROOT, capture_output=True, text=True)
        record = json.loads(line.stdout.splitlines()[0])
        out.append({k: record["facts"][k] for k in record["given"]})
    return [json.dumps({"facts": out[i % len(out)], "id": f"T-{i}"}).encode() for i in range(count)]


async def drive(app, payloads: list) -> float:
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        start = time.perf_counter()
        for body in payloads:
            answer = await client.post("/api/v1/decide", content=body, headers={"content-type": "application/json"})
            assert answer.status_code == 200, answer.text
        return time.perf_counter() - start


def decide_throughput(requests: int, rounds: int) -> None:
    from spor.serve.app import Settings, create_app

    payloads = bodies(requests)
    with tempfile.TemporaryDirectory() as tmp:
        plain = create_app(Settings())
        logged = create_app(Settings(log_path=str(Path(tmp) / "log.sqlite")))
        for app in (plain, logged):
            app.state.ready = True
            asyncio.run(drive(app, payloads[:200]))  # warm: caches filled, the log's file made
        times: dict = {"without --log": [], "with --log": []}
        for _ in range(rounds):
            times["without --log"].append(asyncio.run(drive(plain, payloads)))
            times["with --log"].append(asyncio.run(drive(logged, payloads)))
        rows = sqlite3.connect(Path(tmp) / "log.sqlite").execute("SELECT count(*) FROM decisions").fetchone()[0]
    base = median(times["without --log"])
    for name, values in times.items():
        rate = requests / median(values)
        print(f"  /decide {name:14} {rate:9,.0f} requests/s  (median of {rounds} rounds of {requests:,})")
    print(f"  throughput with --log: {base / median(times['with --log']):.3f} of without; {rows:,} rows logged")


def make_log(path: Path, rows: int) -> None:
    """A log of ``rows`` decisions: real batch rows of generated cases, copied with times over 52 weeks."""
    with tempfile.TemporaryDirectory() as tmp:
        cases = Path(tmp) / "cases.jsonl"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_cases.py"), str(cases), "5000"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [*SPOR, "batch", str(cases), "--out", str(Path(tmp) / "out.jsonl"), "--log", str(path)],
            cwd=ROOT,
            capture_output=True,
        )
    db = sqlite3.connect(path)
    original = db.execute("SELECT count(*) FROM decisions").fetchone()[0]
    columns = [r[1] for r in db.execute("PRAGMA table_info(decisions)") if r[1] not in ("id", "time", "run", "record")]
    names = ", ".join(columns)
    have, copy = original, 0
    while have < rows:  # copies of the real rows, each copy a run of its own, days spread over a year
        copy += 1
        take = min(original, rows - have)
        db.execute(
            f"INSERT INTO decisions (time, run, record, {names}) "
            f"SELECT strftime('%Y-%m-%dT%H:%M:%SZ', '2026-01-01', '+' || ((id * 7919 + ?) % 364) || ' days'), "
            f"'copy-' || ?, id, {names} FROM decisions WHERE id <= ? LIMIT ?",
            (copy, copy, original, take),
        )
        have += take
    db.commit()
    db.close()


def report_cost(sizes: list) -> None:
    measure = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            log = Path(tmp) / f"log-{rows}.sqlite"
            make_log(log, rows)
            count = sqlite3.connect(log).execute("SELECT count(*) FROM decisions").fetchone()[0]
            walls, peaks = [], []
            for _ in range(3):
                start = time.perf_counter()
                out = subprocess.run(
                    [sys.executable, "-c", measure, *SPOR, "report", str(log), "--format", "json"],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                walls.append(time.perf_counter() - start)
                peaks.append(int(out.stdout.strip()) / 1024)
            print(
                f"  spor report over {count:>9,} decisions: {median(walls):6.2f} s (median of 3), "
                f"peak {median(peaks):5.1f} MiB, log {log.stat().st_size / 2**20:,.0f} MiB"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    os.environ.pop("SPOR_SERVE", None)
    header("the decision log: /decide with and without --log; spor report over many decisions")
    decide_throughput(args.requests, args.rounds)
    report_cost(args.rows)


if __name__ == "__main__":
    main()
