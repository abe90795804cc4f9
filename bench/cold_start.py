"""Cold start: `spor run` of one example as a whole process, against importing its dependencies.

The baseline is `python -c "import yaml, click, durable.engine"`: the least
any Python tool built on these libraries pays before doing anything. Runs
alternate between the two so that machine noise hits both alike. The first
`spor run` fills the rulebase cache (spor/rulebase/cache.py); it is timed apart.
It runs the installed entry point (the ``spor`` script beside this Python),
after compiling the package's bytecode, as ``pip install`` does, and says how
spor is installed: run it with the Python of a regular install for the
figure a user gets (an editable install's import hook slows the baseline):

    python3 -m venv /tmp/sv && /tmp/sv/bin/pip install . && /tmp/sv/bin/python bench/cold_start.py
    python bench/cold_start.py [--runs 21] [--example examples/payroll-was-it-sent.yaml]
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, SPOR, header, median  # noqa: E402


def once(command, env) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def install_kind() -> str:
    """How spor is installed beside this Python. It matters: an editable install (``pip install -e .``) puts an
    import hook in every start of this Python, the baseline's too (it imports pathlib and importlib.util, about
    5 ms, which spor needs anyway), so the ratio reads lower than for a regular install (``pip install .``)."""
    import sysconfig

    import spor

    where = Path(spor.__file__).resolve()
    if where.is_relative_to(Path(sysconfig.get_paths()["purelib"]).resolve()):
        return "regular (pip install .): its modules are in site-packages"
    return f"editable or source tree (its modules are in {where.parent.parent}): the baseline pays the import hook"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--example", default="examples/payroll-was-it-sent.yaml")
    args = parser.parse_args()
    header("cold start of `spor run` on one case")
    print(f"spor install: {install_kind()}")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, SPOR_CACHE_DIR=cache)
        installed = Path(sys.executable).with_name("spor")  # the entry point a user runs, next to this Python
        spor = [str(installed) if installed.exists() else SPOR[0], *([] if installed.exists() else SPOR[1:])]
        spor += ["run", args.example]
        import spor as package  # compile the package's bytecode first, as an install does: no run pays for it

        compileall.compile_dir(Path(package.__file__).parent, quiet=1)
        base = [sys.executable, "-c", "import yaml, click, durable.engine"]
        first = once(spor, env)
        spor_times, base_times = [], []
        for _ in range(args.runs):
            base_times.append(once(base, env))
            spor_times.append(once(spor, env))
        uncached = [once(spor, dict(env, SPOR_CACHE="off")) for _ in range(5)]
    s, b = median(spor_times), median(base_times)
    pairs = median([x / y for x, y in zip(spor_times, base_times)])
    print(f"baseline `import yaml, click, durable.engine`: median {b * 1000:.0f} ms")
    print(
        f"spor run (rulebase cache warm): median {s * 1000:.0f} ms, ratio of medians {s / b:.2f}x, "
        f"median of paired ratios {pairs:.2f}x"
    )
    print(f"spor run, first run (fills the cache): {first * 1000:.0f} ms")
    print(f"spor run with SPOR_CACHE=off: median {median(uncached) * 1000:.0f} ms, ratio {median(uncached) / b:.2f}x")


if __name__ == "__main__":
    main()
