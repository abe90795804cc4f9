"""Batch throughput: `spor batch` on a generated JSON Lines file, against the floor.

The floor is what any tool must do per record: read the line, parse it
(json.loads) and write a result record of the same size. It runs the way
``spor batch`` runs: as a process of its own (``python bench/batch_throughput.py
--floor-worker``), on the same input file, writing to a file; both are timed
as whole processes, wall clock and CPU time (the CPU time of a process is the
steadier figure on a shared machine). "The same size" is measured, not
assumed: the floor writes, for every record, a line as long as spor's
average line (the spor output line nearest the mean length, with the
record's own id and source), and the bytes each wrote are printed.

* default: the floor ``json.dumps`` that result record for every record;
* ``--cached K``: the cases are drawn from only K distinct combinations of
  facts (nearly every record is a decision-cache hit), and the floor is the
  strict one: read and parse each record, and write a result-sized line of
  its own id and source, the rest of the line made once.

Earlier sessions timed the floor inside this benchmark's own process, over
the first output line only: no interpreter start, and for ``--cached`` a
line a quarter of spor's average length. That figure is still printed
("in-process floor") so that old and new ratios can be compared.

With ``--jobs N`` it also times ``spor batch --jobs N`` in the same runs.

    python bench/batch_throughput.py [--count 200000] [--runs 3] [--jobs 2]
    python bench/batch_throughput.py --count 50000 --cached 672 --runs 5
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SPOR, header, median  # noqa: E402
from gen_cases import generate  # noqa: E402


def floor_worker(kind: str, path: str, out: str, sample: str) -> None:
    """The floor, as a process: read and parse every record of ``path``, write a result-sized line for each."""
    record = json.loads(Path(sample).read_text(encoding="utf-8"))
    name = json.dumps(str(path))[:-1]
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        if kind == "strict":  # the rest of the line made once: only the record's own fields are written per record
            rest = json.dumps({k: v for k, v in record.items() if k not in ("case", "source")}, ensure_ascii=False)
            rest = rest[1:]
            for number, text in enumerate(source, 1):
                case = json.loads(text)
                sink.write(f'{{"case": {json.dumps(case.get("id"))}, "source": {name}:{number}", {rest}\n')
        else:  # the whole result record encoded for every record
            for number, text in enumerate(source, 1):
                case = json.loads(text)
                record["case"], record["source"] = case.get("id"), f"{path}:{number}"
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed_process(command: list) -> tuple:
    """(wall seconds, CPU seconds) of one run of a command, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def in_process_floor(path: Path, line: str, out: Path, strict: bool) -> float:
    """The floor as earlier sessions measured it: in this process, over the first output line."""
    record = json.loads(line)
    start = time.perf_counter()
    with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
        if strict:
            rest = json.dumps({k: v for k, v in record.items() if k not in ("case", "source")}, ensure_ascii=False)
            name = json.dumps(str(path))[:-1]
            for number, text in enumerate(source, 1):
                case = json.loads(text)
                sink.write(f'{{"case": {json.dumps(case.get("id"))}, "source": {name}:{number}", {rest[1:]}\n')
        else:
            for text in source:
                record["case"] = json.loads(text).get("id")
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return time.perf_counter() - start


def average_line(out: Path, sample: Path) -> int:
    """Write to ``sample`` the result line of ``out`` nearest the mean length; return the mean length in bytes."""
    lengths, best = [], None
    with open(out, "rb") as handle:
        for line in handle:
            lengths.append(len(line))
    mean = sum(lengths) / len(lengths)
    with open(out, "rb") as handle:
        for line in handle:
            if b'"error"' not in line[:200] and (best is None or abs(len(line) - mean) < abs(len(best) - mean)):
                best = line
    assert best is not None
    sample.write_bytes(best)
    return round(mean)


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
    parser.add_argument("--floor-worker", nargs=4, metavar=("KIND", "IN", "OUT", "SAMPLE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_worker:
        floor_worker(*args.floor_worker)
        return
    if args.cached:
        header(f"batch throughput, {args.count:,} cases drawn from {args.cached:,} combinations (cache hits)")
    else:
        header(f"batch throughput, {args.count:,} cases (1% invalid, about 40% incomplete)")
    kind = "strict" if args.cached else "full"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.cached:
            cases = few_combinations(tmp / "cases.jsonl", args.count, args.cached)
        else:
            cases = generate(tmp / "cases.jsonl", args.count)
        out, floor_out, sample = tmp / "out.jsonl", tmp / "floor.jsonl", tmp / "sample.json"
        command = [*SPOR, "batch", str(cases), "--out", str(out)]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)  # warm caches
        mean = average_line(out, sample)
        floor = [sys.executable, __file__, "--floor-worker", kind, str(cases), str(floor_out), str(sample)]
        spor_times, floor_times, jobs_times, old_floor = [], [], [], []
        for _ in range(args.runs):  # in turns, so that the machine's noise hits both alike
            spor_times.append(timed_process(command))
            floor_times.append(timed_process(floor))
            if args.jobs:
                jobs_times.append(timed_process([*command, "--jobs", str(args.jobs)]))
            first = out.read_text(encoding="utf-8").split("\n", 1)[0]
            old_floor.append(in_process_floor(cases, first, tmp / "old-floor.jsonl", bool(args.cached)))
        lines = sum(1 for _ in open(out, encoding="utf-8"))
        assert lines == args.count, f"spor wrote {lines} records for {args.count}"
        spor_bytes, floor_bytes = out.stat().st_size, floor_out.stat().st_size
    n = args.count
    s_wall, s_cpu = median(t[0] for t in spor_times), median(t[1] for t in spor_times)
    f_wall, f_cpu = median(t[0] for t in floor_times), median(t[1] for t in floor_times)
    what = "strict: parse each record, write its own fields + a rest made once" if args.cached else "json.dumps"
    print(
        f"spor batch: median {s_wall:.2f} s wall = {n / s_wall:,.0f} cases/s, {s_cpu:.2f} s CPU ({spor_bytes:,} bytes)"
    )
    print(
        f"floor process ({what}; lines of {mean:,} bytes, spor's mean): median {f_wall:.2f} s wall "
        f"= {n / f_wall:,.0f} records/s, {f_cpu:.2f} s CPU ({floor_bytes:,} bytes)"
    )
    print(f"ratio spor / floor: {s_wall / f_wall:.2f}x wall, {s_cpu / f_cpu:.2f}x CPU")
    o = median(old_floor)
    print(
        f"in-process floor over the first line (earlier sessions' floor): {o:.2f} s = {n / o:,.0f} records/s, "
        f"ratio {s_wall / o:.2f}x"
    )
    if jobs_times:
        j = median(t[0] for t in jobs_times)
        print(
            f"spor batch --jobs {args.jobs}: median {j:.2f} s = {n / j:,.0f} cases/s "
            f"(runs: {', '.join(f'{t[0]:.2f}' for t in jobs_times)}): {s_wall / j:.2f}x one process, "
            f"ratio to the floor {j / f_wall:.2f}x"
        )


if __name__ == "__main__":
    main()
