"""`spor batch --jobs N`: the same output as one process, and stopping it never hangs or leaves workers behind.

On the heating fixture rulebase (tests/fixtures/heating, with --rules): cases
drawn from its facts by bench/gen_cases.py. The waits below are hang guards
(a stop that never ends fails as hung), not speed limits."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import spor.batch.workers as workers
from spor.cli import cli

from .conftest import spor_command

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
HEATING = ROOT / "tests" / "fixtures" / "heating"


def spor(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def generated(path: Path, count: int) -> Path:
    sys.path.insert(0, str(BENCH))
    try:
        from gen_cases import generate
    finally:
        sys.path.remove(str(BENCH))
    return generate(path, count, seed=3, invalid=0.02, rules=HEATING)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_jobs_write_byte_for_byte_what_one_process_writes(tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(workers, "WINDOW", 97)  # many windows, chunks and cache hits across them
    monkeypatch.setattr(workers, "CHUNK", 13)
    cases = generated(tmp_path / "in.jsonl", 3000)
    with open(cases, "a", encoding="utf-8") as out:
        out.write("not json\n" + json.dumps({"facts": {"building": "nope"}}) + "\n")
    one, two = tmp_path / f"one.{fmt}", tmp_path / f"two.{fmt}"
    first = spor("batch", "--rules", HEATING, cases, "--format", fmt, "--lang", "en", "--out", one)
    second = spor("batch", "--rules", HEATING, cases, "--format", fmt, "--lang", "en", "--out", two, "--jobs", "2")
    assert first.exit_code == second.exit_code == 1
    assert one.read_bytes() == two.read_bytes() and one.stat().st_size > 100_000
    assert first.stderr == second.stderr  # the same summary


def _workers(pid: int) -> list:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]


def _alive(pids) -> list:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


def _start(cases: Path, out: Path, *more):
    command = spor_command("batch", "--rules", str(HEATING), str(cases), "--jobs", "2", "--out", str(out), *more)
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.time() + 60  # a hang guard
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 50_000) and process.poll() is None:
        time.sleep(0.05)
    workers = _workers(process.pid)
    assert len(workers) == 2, "the workers did not start"
    return process, workers


def _ended(process, workers, seconds=60) -> str:
    try:  # a hang guard, not a speed limit: a stop that has not ended after a minute never will
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("spor batch --jobs hung when stopped")
    deadline = time.time() + 30
    while _alive(workers) and time.time() < deadline:
        time.sleep(0.05)
    assert _alive(workers) == [], "workers were left running"
    return process.stderr.read()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return generated(tmp_path_factory.mktemp("parallel") / "cases.jsonl", 25_000)


@pytest.mark.parametrize("how", ["ctrl-c to the group", "sigterm to spor"])
def test_stopping_ends_at_once_and_resume_completes_the_same_output(tmp_path, big, how):
    out = tmp_path / "out.jsonl"
    process, workers = _start(big, out)
    if how == "ctrl-c to the group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    err = _ended(process, workers)
    assert process.returncode == 130 and "kjør igjen med --resume" in err and "Traceback" not in err
    resumed = subprocess.run(
        spor_command("batch", "--rules", str(HEATING), str(big), "--jobs", "2", "--resume", "--out", str(out)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 1, resumed.stderr
    straight = tmp_path / "straight.jsonl"
    subprocess.run(
        spor_command("batch", "--rules", str(HEATING), str(big), "--out", str(straight)),
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert out.read_bytes() == straight.read_bytes()


def test_a_killed_worker_is_reported_not_waited_on(tmp_path, big):
    process, workers = _start(big, tmp_path / "out.jsonl")
    os.kill(workers[0], signal.SIGKILL)
    err = _ended(process, workers)
    # said in the command's language (the suite runs in nb): "a worker process of --jobs stopped unexpectedly"
    assert process.returncode == 3 and "spor: feil: en arbeidsprosess for --jobs stoppet uventet" in err
    assert "Traceback" not in err


def test_workers_of_a_killed_spor_stop_by_themselves(tmp_path, big):
    process, workers = _start(big, tmp_path / "out.jsonl")
    process.kill()
    process.wait()
    deadline = time.time() + 30  # a hang guard: the workers notice their parent is gone
    while _alive(workers) and time.time() < deadline:
        time.sleep(0.05)
    assert _alive(workers) == []
