"""Batch throughput: `spor batch` on a generated JSON Lines file, against the floor.

The floor is what any tool must do per record: read the line, parse it
(json.loads) and write a result record of the same size (json.dumps), with
no decision, measured in this process on the same file. Reports medians of
several runs and the ratio spor / floor.

With ``--jobs N`` it also times ``spor batch --jobs N`` in the same runs.

With ``--cached K`` the cases are drawn from only K distinct combinations of
facts (so nearly every record is a decision-cache hit), and the floor is the
stricter one: read and parse each record, and write a result-sized line of
its own id and source, the rest of the line made once. The ratio is then given for the best run of
each as well as the medians.

    python bench/batch_throughput.py [--count 200000] [--runs 3] [--jobs 2]
    python bench/batch_throughput.py --count 50000 --cached 672 --runs 3
"""

from __future__ import annotations

import argparse
import json
import random
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


def strict_floor(path: Path, line: str, out: Path) -> float:
    """Read and parse each record, and write a result-sized line holding its own id and source (the rest of the
    line made once): what any tool must do per record when the answer itself is known."""
    record = json.loads(line)
    rest = json.dumps({k: v for k, v in record.items() if k not in ("case", "source")}, ensure_ascii=False)[1:]
    name = json.dumps(str(path))[:-1]
    start = time.perf_counter()
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        for number, text in enumerate(source, 1):
            case = json.loads(text)
            sink.write(f'{{"case": {json.dumps(case.get("id"))}, "source": {name}:{number}", {rest}\n')
    return time.perf_counter() - start


def few_combinations(path: Path, count: int, combinations: int, seed: int = 5) -> Path:
    """``count`` cases drawn from ``combinations`` distinct sets of facts of the generated kind."""
    pool = [
        json.loads(line)["facts"] for line in open(generate(path, combinations, seed=seed, invalid=0), encoding="utf-8")
    ]
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({"id": f"case-{i}", "facts": rng.choice(pool)}) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="also time spor batch --jobs N")
    parser.add_argument("--cached", type=int, default=0, help="draw the cases from this many combinations of facts")
    args = parser.parse_args()
    if args.cached:
        header(f"batch throughput, {args.count:,} cases drawn from {args.cached:,} combinations (cache hits)")
    else:
        header(f"batch throughput, {args.count:,} cases (1% invalid, about 40% incomplete)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.cached:
            cases = few_combinations(tmp / "cases.jsonl", args.count, args.cached)
        else:
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
            first = out.read_text(encoding="utf-8").splitlines()[0]
            if args.cached:
                floor_times.append(strict_floor(cases, first + "\n", tmp / "floor.jsonl"))
            else:
                floor_times.append(floor(cases, json.loads(first), tmp / "floor.jsonl"))
        lines = sum(1 for _ in open(out, encoding="utf-8"))
        assert lines == args.count, f"spor wrote {lines} records for {args.count}"
        s, f = median(spor_times), median(floor_times)
        print(
            f"spor batch: median {s:.2f} s = {args.count / s:,.0f} cases/s "
            f"(runs: {', '.join(f'{t:.2f}' for t in spor_times)})"
        )
        kind = "json.loads per record, a line made once" if args.cached else "json.loads + json.dumps per record"
        print(f"floor ({kind}): median {f:.2f} s = {args.count / f:,.0f} records/s")
        print(f"ratio spor / floor: {s / f:.2f}x (best of each: {min(spor_times) / min(floor_times):.2f}x)")
        if jobs_times:
            j = median(jobs_times)
            print(
                f"spor batch --jobs {args.jobs}: median {j:.2f} s = {args.count / j:,.0f} cases/s "
                f"(runs: {', '.join(f'{t:.2f}' for t in jobs_times)}): {s / j:.2f}x one process, "
                f"ratio to the floor {j / f:.2f}x"
            )


if __name__ == "__main__":
    main()
