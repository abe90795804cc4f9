"""`spor check` time: the shipped rulebase and generated ones of about 100, 1,000 and 5,000 rules.

Each figure is the median of several runs of the whole command (a fresh
process), with the rulebase cache off (the first check of an edited file)
and on (the check run again, e.g. on save without a change). The baseline,
run in the same loop, is `python -c "import yaml, click, durable.engine"`.

    python bench/check.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SPOR, header, median, timed  # noqa: E402
from gen_rulebase import generate  # noqa: E402

SIZES = [
    ("generated 105 rules / 20 facts", 4, 20),
    ("generated 1,005 rules / 80 facts", 40, 80),
    ("generated 5,005 rules / 200 facts", 200, 200),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    header("spor check")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = median(timed([sys.executable, "-c", "import yaml, click, durable.engine"], runs=args.runs))
        print(f"baseline import: median {base * 1000:.0f} ms")
        targets = [("shipped rulebase (rules/)", ROOT / "rules")]
        targets += [(name, generate(tmp / f"rb{tables}", tables, facts)) for name, tables, facts in SIZES]
        for name, folder in targets:
            command = [*SPOR, "check", "--rules", str(folder)]
            cold = median(timed(command, runs=args.runs, env=dict(os.environ, SPOR_CACHE="off")))
            warm_env = dict(os.environ, SPOR_CACHE_DIR=str(tmp / "cache"))
            timed(command, runs=1, env=warm_env)
            warm = median(timed(command, runs=args.runs, env=warm_env))
            print(f"{name}: cache off median {cold:.2f} s, cache warm median {warm:.2f} s")


if __name__ == "__main__":
    main()
