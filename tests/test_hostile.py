"""Hostile rule files and faults: refused with a clear message naming the bound that refused them;
a failing case never takes the others down.

On copies of the heating fixture rulebase (tests/fixtures/heating). No test
here asserts how long anything takes (bench/ measures speed): a refusal is
checked by its message, which names the limit, and a load that could block
(a pipe) runs under a hang guard that fails the test as hung after 60 s."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from spor.api import load
from spor.batch.guard import sidecar
from spor.cli import cli
from spor.common.errors import EngineFailure, InputError

from .conftest import HEATING, ROOT, hang_guard, read_terminal, spor_command


@pytest.fixture
def rules(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    return folder


def refused(folder):
    with hang_guard(60), pytest.raises(InputError) as info:  # a guard against a hang, not a speed limit
        load(folder)
    return info.value.problems


def test_billion_laughs_in_a_rule_file(rules):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    (rules / "99-bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = refused(rules)
    assert problem.file.endswith("99-bomb.yaml") and "aliases" in problem.message


def test_a_file_of_many_megabytes_is_refused_before_parsing(rules):
    with open(rules / "99-big.yaml", "w", encoding="utf-8") as handle:
        handle.write("# " + "x" * 1000 + "\n")
        for _ in range(3 * 1024):
            handle.write("# " + "x" * 1021 + "\n")
    (problem,) = refused(rules)
    assert "larger than 2,097,152 bytes" in problem.message


def test_a_rulebase_of_many_megabytes_in_all_is_refused_before_parsing(rules):
    for name in ("97-a.yaml", "98-b.yaml", "99-c.yaml"):  # each under the bound for one file, together over
        (rules / name).write_text("# " + "x" * (1536 * 1024) + "\n", encoding="utf-8")
    (problem,) = refused(rules)
    assert "the rule files hold" in problem.message and "a rulebase may hold 4,194,304" in problem.message


def test_deep_nesting_in_a_rule(rules):
    deep = "{not: " * 80 + "{building: cabin}" + "}" * 80
    with open(rules / "20-source.yaml", "a", encoding="utf-8") as handle:
        handle.write(
            f"  - id: deep\n    title: {{nb: a, en: a}}\n    cites: ['§1']\n    when: {deep}\n"
            "    then: {heat_source: electric}\n"
        )
    (problem,) = refused(rules)
    assert "nested more than 64 levels deep" in problem.message and problem.line


def test_duplicate_key_would_lose_a_rule(rules):
    path = rules / "20-source.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    when:\n      building: cabin\n" in text
    text = text.replace(
        "    when:\n      building: cabin\n", "    when:\n      building: cabin\n    when:\n      building: office\n", 1
    )
    path.write_text(text, encoding="utf-8")
    (problem,) = refused(rules)
    assert "duplicate key 'when'" in problem.message and problem.file.endswith("20-source.yaml")


def test_a_tag_that_builds_objects_runs_nothing(rules, tmp_path):
    marker = tmp_path / "pwned"
    (rules / "99-evil.yaml").write_text(
        f"facts: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    (problem,) = refused(rules)
    assert "tag" in problem.message and not marker.exists()


def test_rule_file_outside_the_folder_through_a_link(rules, tmp_path):
    (tmp_path / "elsewhere.yaml").write_text("rules: []\n", encoding="utf-8")
    (rules / "99-link.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert "links outside the rulebase folder" in refused(rules)[0].message


def test_a_pipe_in_the_rules_folder_does_not_hang(rules):
    import os

    os.mkfifo(rules / "99-pipe.yaml")
    assert "not a regular file" in refused(rules)[0].message


def test_a_rule_on_a_fact_no_file_declares_is_refused_with_the_fact_named(tmp_path):
    """Found by the fuzz below: the placeholder check read a fact that the rules name but no file declares."""
    for path in HEATING.iterdir():
        shutil.copy(path, tmp_path)
    state = tmp_path / "30-state.yaml"
    state.write_text(state.read_text(encoding="utf-8").replace("  - id: state\n", "  - id: stat\n"), encoding="utf-8")
    problems = refused(tmp_path)
    assert any("unknown fact 'state'" in p.message and p.file.endswith("30-state.yaml") and p.line for p in problems)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "drop", "insert"]),
        st.integers(min_value=0),
        st.sampled_from(list(":-[]{}&*!|>'\"#\n\t \x00é§") + ["yes", "- id: x", "  "]),
    ),
    min_size=1,
    max_size=4,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(MUTATIONS)
def test_fuzzed_rule_files_are_loaded_or_refused_never_crash(mutations):
    """A bounded fuzz of the loaders: mutated copies of a rule file of the heating fixture."""
    import tempfile
    from pathlib import Path

    text = (HEATING / "30-state.yaml").read_text(encoding="utf-8")
    for kind, position, piece in mutations:
        at = position % (len(text) + 1)
        if kind == "flip" and text:
            text = text[:at] + piece + text[at + 1 :]
        elif kind == "drop":
            text = text[:at] + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at:]
    with tempfile.TemporaryDirectory() as folder:
        for path in HEATING.iterdir():
            shutil.copy(path, folder)
        Path(folder, "30-state.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load(folder)
        except InputError as exc:
            assert exc.problems and all(p.file and p.message for p in exc.problems)


# -- fault containment ------------------------------------------------------------


def test_an_engine_failure_on_one_record_gives_an_error_record_and_the_rest_go_on(monkeypatch, tmp_path):
    from spor.inference.session import Session

    real = Session.fire

    def failing(self, facts):
        if facts.get("building") == "office":
            raise EngineFailure("simulated failure")
        return real(self, facts)

    monkeypatch.setattr(Session, "fire", failing)
    cases = tmp_path / "in.jsonl"
    cases.write_text(
        "\n".join(json.dumps({"id": b, "facts": {"building": b}}) for b in ("cabin", "office", "house")) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["batch", "--rules", str(HEATING), str(cases)])
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["case"] for r in records] == ["cabin", "office", "house"]
    assert "simulated failure" in records[1]["error"] and "error" not in records[2]
    assert result.exit_code == 1


def _jsonl(path, count):
    buildings = ["house", "terraced", "cabin", "flat", "office"]
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"c{i}",
                    "facts": {
                        "building": buildings[i % 5],
                        "display": "normal",
                        "valve_open": "yes",
                        "fuse_blown": "no",
                    },
                }
            )
            + "\n"
            for i in range(count)
        ),
        encoding="utf-8",
    )
    return path


def batch(*args):
    """spor batch on the heating fixture rulebase, in this process."""
    return CliRunner().invoke(cli, ["batch", "--rules", str(HEATING), *map(str, args)])


def _started(proc, out, size):
    """Wait until ``out`` holds ``size`` bytes; fail at once if the process ended first without writing them."""
    deadline = time.time() + 60  # a hang guard, not a speed limit
    while time.time() < deadline and (not out.exists() or out.stat().st_size < size):
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    if proc.returncode not in (None, 0, 1):
        pytest.fail(f"spor batch ended with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")


def test_killed_run_resumes_without_duplicates_and_gives_the_same_file(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", 3000)
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    assert batch(source, "--out", full).exit_code in (0, 1)
    proc = subprocess.Popen(
        spor_command("batch", "--rules", str(HEATING), str(source), "--out", str(part)),
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    _started(proc, part, 20000)
    proc.kill()  # SIGKILL: no chance to clean up
    proc.wait(timeout=30)
    with open(part, "ab") as handle:
        handle.write(b'{"source": "torn')  # a last line cut in the middle
    resumed = batch(source, "--out", part, "--resume")
    assert "gjenopptatt:" in resumed.stderr
    assert part.read_bytes() == full.read_bytes()


def test_resume_refuses_an_output_from_other_inputs(tmp_path):
    one, other, out = _jsonl(tmp_path / "one.jsonl", 3), _jsonl(tmp_path / "two.jsonl", 3), tmp_path / "out.jsonl"
    batch(one, "--out", out, "--lang", "en")
    result = batch(other, "--out", out, "--resume", "--lang", "en")
    assert result.exit_code == 2 and "cannot resume" in result.stderr


def test_sigterm_stops_cleanly_with_a_count(tmp_path):
    import signal

    source = _jsonl(tmp_path / "in.jsonl", 20000)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        spor_command("batch", "--rules", str(HEATING), str(source), "--out", str(out), "--lang", "en"),
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    _started(proc, out, 20000)
    proc.send_signal(signal.SIGTERM)
    stderr = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130
    lines = out.read_text(encoding="utf-8").splitlines()
    assert f"{len(lines):,} records are complete" in stderr and all(json.loads(line) for line in lines)


def test_resume_counts_the_kept_records_and_keeps_odd_line_breaks(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "title": "line\u2028break", "facts": {"building": "nope"}}),
        json.dumps({"id": "b", "facts": {"building": "cabin"}}),
        json.dumps({"id": "c", "facts": {"building": "cabin", "display": "blank", "fuse_blown": "yes"}}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    batch(source, "--out", full)
    part.write_bytes(b"\n".join(full.read_bytes().split(b"\n")[:2]) + b"\n")  # the first two records
    shutil.copy(sidecar(full), sidecar(part))  # as if the run that wrote part had been stopped there
    resumed = batch(source, "--out", part, "--resume")
    assert part.read_bytes() == full.read_bytes()
    assert "poster inn = resultater + feil: 3 = 2 + 1" in resumed.stderr and "gjenopptatt: 2 av disse" in resumed.stderr
    assert resumed.exit_code == 1  # the kept error and the undecided case still count


def test_resume_leaves_a_file_that_is_not_batch_output_alone(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", 2)
    other = tmp_path / "notes.txt"
    other.write_bytes(b"a\nb")
    result = batch(source, "--out", other, "--resume", "--lang", "en")
    assert result.exit_code == 2 and "not spor batch output" in result.stderr
    assert other.read_bytes() == b"a\nb"


def test_progress_counts_on_a_terminal_and_ends_its_line(tmp_path):
    import os
    import pty

    source = _jsonl(tmp_path / "in.jsonl", 2500)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        spor_command("batch", "--rules", str(HEATING), str(source), "--out", str(tmp_path / "o.jsonl")),
        cwd=ROOT,
        stderr=slave,
        stdout=subprocess.DEVNULL,
    )
    os.close(slave)
    text = read_terminal(master)
    assert proc.wait(timeout=60) in (0, 1)
    assert text.startswith("regelbase: heating (tests/fixtures/heating/, ")  # which rules, first (nb by default)
    assert "\r1\u00a0000 / 2\u00a0500 poster (40\u00a0%)" in text  # shown at 1,000 records at the latest, of the total
    # the line ends with the count, the pace and the time taken, before the summary
    assert re.search(r"\r2\u00a0500 poster, [\d\u00a0]+/s, tid \d+:\d\d *\r\nspor batch: 2\u00a0500 poster", text)
