"""Peak memory of `spor batch` on 200,000 and on 2,000,000 records: it must stay flat.

Peak resident set size (getrusage of the child) for the same command on
two inputs ten times apart; the results go to /dev/null so that only spor's
own memory counts. The decision cache is bounded (50,000 entries), so it
cannot grow with the input.

    python bench/memory.py [--small 200000] [--large 2000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SPOR, header, peak_rss_mib  # noqa: E402
from gen_cases import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=200_000)
    parser.add_argument("--large", type=int, default=2_000_000)
    args = parser.parse_args()
    header("peak memory of spor batch")
    with tempfile.TemporaryDirectory() as tmp:
        figures = []
        for count in (args.small, args.large):
            cases = generate(Path(tmp) / f"cases{count}.jsonl", count)
            start = time.perf_counter()
            rss = peak_rss_mib([*SPOR, "batch", str(cases), "--out", "/dev/null"])
            figures.append(rss)
            print(f"{count:,} records: peak RSS {rss:.1f} MiB ({time.perf_counter() - start:.0f} s)")
            cases.unlink()
    print(f"ratio large / small: {figures[1] / figures[0]:.3f}")


if __name__ == "__main__":
    main()
