"""Batch throughput: `spor batch` on a generated JSON Lines file, against the floor.

The floor is what any tool must do per record: read the line, parse it
(json.loads) and write a result record of the same size (json.dumps), with
no decision, measured in this process on the same file. Reports medians of
several runs and the ratio spor / floor.

With ``--jobs N`` it also times ``spor batch --jobs N`` in the same runs.

    python bench/batch_throughput.py [--count 200000] [--runs 3] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SPOR, header, median  # noqa: E402
from gen_cases import generate  # noqa: E402


def floor(path: Path, sample: dict, out: Path) -> float:
    start = time.perf_counter()
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            sample["case"] = record.get("id")
            sink.write(json.dumps(sample, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="also time spor batch --jobs N")
    args = parser.parse_args()
    header(f"batch throughput, {args.count:,} cases (1% invalid, about 40% incomplete)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = generate(tmp / "cases.jsonl", args.count)
        out = tmp / "out.jsonl"
        command = [*SPOR, "batch", str(cases), "--out", str(out)]
        spor_times, floor_times, jobs_times = [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            spor_times.append(time.perf_counter() - start)
            if args.jobs:
                start = time.perf_counter()
                subprocess.run(
                    [*command, "--jobs", str(args.jobs)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                jobs_times.append(time.perf_counter() - start)
            sample = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
            floor_times.append(floor(cases, sample, tmp / "floor.jsonl"))
        lines = sum(1 for _ in open(out, encoding="utf-8"))
        assert lines == args.count, f"spor wrote {lines} records for {args.count}"
        s, f = median(spor_times), median(floor_times)
        print(
            f"spor batch: median {s:.2f} s = {args.count / s:,.0f} cases/s "
            f"(runs: {', '.join(f'{t:.2f}' for t in spor_times)})"
        )
        print(f"floor (json.loads + json.dumps per record): median {f:.2f} s = {args.count / f:,.0f} records/s")
        print(f"ratio spor / floor: {s / f:.2f}x")
        if jobs_times:
            j = median(jobs_times)
            print(
                f"spor batch --jobs {args.jobs}: median {j:.2f} s = {args.count / j:,.0f} cases/s "
                f"(runs: {', '.join(f'{t:.2f}' for t in jobs_times)}): {s / j:.2f}x one process, "
                f"ratio to the floor {j / f:.2f}x"
            )


if __name__ == "__main__":
    main()
