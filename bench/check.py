"""`spor check` time: the shipped rulebase and generated ones of about 100, 1,000 and 5,000 rules.

Each figure is the median of several runs of the whole command (a fresh
process), with the rulebase cache off (the first check of an edited file)
and on (the check run again, e.g. on save without a change). The baseline,
run in the same loop, is `python -c "import yaml, click, durable.engine"`.

    python bench/check.py [--runs 5]

The shapes that made `spor check` explode (issue 14, item 7) are measured
on request, each run once per --runs with the cache off, with the exit code
and whether the budget stopped the analysis (`not_analysed`):

    python bench/check.py --wide 10 --table 111x90 [--only] [--against OLD/engine] [--timeout 600]

`--wide N`: N rules, each `all: [any of 100 a-values, any of 100 b-values]`
(gen_rulebase.generate_wide); `--table RxC`: one decision of R x C simple
rules (generate_table; 111x90 is 9,990 rules). `--against DIR` times the
same commands with the `spor` package found in DIR (an older checkout's
`engine/`, e.g. from `git archive`) as the baseline, each cut off at
--timeout seconds. `--only` skips the standard sizes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SPOR, header, median, timed  # noqa: E402
from gen_rulebase import generate, generate_table, generate_wide  # noqa: E402

SIZES = [
    ("generated 105 rules / 20 facts", 4, 20),
    ("generated 1,005 rules / 80 facts", 40, 80),
    ("generated 5,005 rules / 200 facts", 200, 200),
]


def once(command, env, timeout) -> tuple:
    """(seconds or None when cut off at ``timeout``, exit code, whether the budget stopped the analysis)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, False
    return time.perf_counter() - start, done.returncode, "not_analysed" in done.stdout


def explosive(args, tmp: Path) -> None:
    """Issue 14's shapes: wide rules and one large table, against --against when given."""
    targets = []
    if args.wide:
        targets.append(
            (f"{args.wide} wide rules (all of two anys of 100 values)", generate_wide(tmp / "wide", args.wide))
        )
    if args.table:
        rows, columns = map(int, args.table.lower().split("x"))
        name = f"one table of {rows * columns:,} rules ({rows} x {columns})"
        targets.append((name, generate_table(tmp / "table", rows, columns)))
    env = dict(os.environ, SPOR_CACHE="off")
    for name, folder in targets:
        command = [*SPOR, "check", "--rules", str(folder)]
        runs = [once(command, env, args.timeout) for _ in range(args.runs)]
        line = f"{name}: {_summary(runs, args.timeout)}"
        if args.against:
            old_env = dict(env, PYTHONPATH=str(Path(args.against).resolve()))
            line += f"; against {args.against}: {_summary([once(command, old_env, args.timeout)], args.timeout)}"
        print(line)


def _summary(runs: list, timeout: float) -> str:
    times = [seconds for seconds, _, _ in runs if seconds is not None]
    if not times:
        return f"over {timeout:g} s (cut off)"
    _, code, stopped = runs[0]
    note = ", budget reached (not_analysed)" if stopped else ""
    return f"median {median(times):.2f} s of {len(times)} run(s), exit {code}{note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wide", type=int, metavar="RULES", help="also check RULES wide rules")
    parser.add_argument("--table", metavar="ROWSxCOLUMNS", help="also check one table of ROWS x COLUMNS rules")
    parser.add_argument("--only", action="store_true", help="only the --wide and --table rulebases")
    parser.add_argument("--against", metavar="ENGINE_DIR", help="time them with the spor package in this folder too")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is cut off")
    args = parser.parse_args()
    header("spor check")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = median(timed([sys.executable, "-c", "import yaml, click, durable.engine"], runs=args.runs))
        print(f"baseline import: median {base * 1000:.0f} ms")
        explosive(args, tmp)
        if args.only:
            return
        targets = [("shipped rulebase (rules/)", ROOT / "rules")]
        targets += [(name, generate(tmp / f"rb{tables}", tables, facts)) for name, tables, facts in SIZES]
        for name, folder in targets:  # spor check never reads the rulebase cache: every run checks every file
            command = [*SPOR, "check", "--rules", str(folder)]
            took = median(timed(command, runs=args.runs, env=dict(os.environ, SPOR_CACHE="off")))
            print(f"{name}: median {took:.2f} s ({took / base:.1f}x the baseline import)")


if __name__ == "__main__":
    main()
