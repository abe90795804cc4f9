"""Shared helpers for the benchmarks: machine facts, medians, timing whole commands.

Every benchmark compares against a baseline measured in the same run, and
reports medians of several runs, because this machine is shared and noisy.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPOR = [sys.executable, "-m", "spor"]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"machine: {platform.machine()} {cpu or platform.processor()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def median(values) -> float:
    return statistics.median(values)


def timed(command, runs=7, cwd=ROOT, stdin=None, env=None) -> list:
    """Wall times of ``runs`` runs of a command (output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


_PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss_mib(command, cwd=ROOT) -> float:
    """Peak resident memory of one run of a command, in MiB.

    Measured from a fresh intermediate process, whose getrusage(CHILDREN)
    then holds this command's peak alone (it is a maximum over all children).
    """
    out = subprocess.run([sys.executable, "-c", _PEAK, *command], cwd=cwd, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def header(title: str) -> None:
    print(f"# {title}")
    print(machine())
