"""Hardening: no input eaten, no batch stuck on one record, no resume that mixes runs, no trusted stranger's cache.

Each test is a repro from an adversarial pass, run through the real command
(click's runner, or a process where signals or pipes are part of it), on the
fixture rulebase ``tests/fixtures/heating``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import zlib

import pytest
from click.testing import CliRunner

from spor.batch.guard import sidecar
from spor.cli import cli
from spor.rulebase import cache

from .conftest import HEATING, ROOT, spor_command

CASE = {"building": "cabin", "display": "blank", "fuse_blown": "yes"}


def spor(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def batch(*args):
    return spor("batch", "--rules", HEATING, "--lang", "en", *args)


def jsonl(path, count, facts=CASE):
    path.write_text("".join(json.dumps({"id": f"c{i}", "facts": facts}) + "\n" for i in range(count)), "utf-8")
    return path


# -- an output never destroys an input ----------------------------------------------------------------------


def test_an_output_inside_an_input_folder_that_is_an_input_is_refused(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    tickets = jsonl(cases / "tickets.jsonl", 500)
    (cases / "one.yaml").write_text("facts: {building: cabin}\n", encoding="utf-8")
    before = tickets.read_bytes()
    result = batch(cases, "--out", tickets)
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert tickets.read_bytes() == before


def test_a_hard_link_to_an_input_is_refused_as_the_output(tmp_path):
    tickets = jsonl(tmp_path / "tickets.jsonl", 50)
    before = tickets.read_bytes()
    os.link(tickets, tmp_path / "out.jsonl")
    result = batch(tickets, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "is also an input (" in result.stderr
    assert tickets.read_bytes() == before


def test_a_link_as_the_output_is_refused(tmp_path):
    tickets = jsonl(tmp_path / "tickets.jsonl", 3)
    someone = tmp_path / "someone-elses.txt"
    someone.write_text("precious", encoding="utf-8")
    (tmp_path / "out.jsonl").symlink_to(someone)
    result = batch(tickets, "--out", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert someone.read_text(encoding="utf-8") == "precious"


def test_an_earlier_output_inside_the_input_folder_is_replaced_not_read(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    jsonl(cases / "tickets.jsonl", 5)
    out = cases / "results.jsonl"
    assert batch(cases, "--out", out).exit_code in (0, 1)
    first = out.read_bytes()
    assert batch(cases, "--out", out).exit_code in (0, 1)  # results.jsonl is now in the folder: not an input
    assert out.read_bytes() == first and len(first.splitlines()) == 5


# -- one record never stops a run ---------------------------------------------------------------------------


def test_a_5000_digit_number_is_one_located_error(tmp_path):
    case = tmp_path / "big.yaml"
    case.write_text("facts:\n  building: " + "9" * 5000 + "\n", encoding="utf-8")
    result = spor("run", "--rules", HEATING, "--lang", "en", case)
    assert result.exit_code == 2 and "big.yaml:2:13: a number of 5,000 digits" in result.stderr
    as_json = tmp_path / "big.json"
    as_json.write_text('{"facts": {"building": ' + "9" * 5000 + "}}", encoding="utf-8")
    result = spor("run", "--rules", HEATING, "--lang", "en", as_json)
    assert result.exit_code == 2 and "big.json:1:24: a number of 5,000 digits" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_with_a_5000_digit_value_gives_every_record(tmp_path, jobs):
    lines = [json.dumps({"id": f"c{i}", "facts": CASE}) for i in range(1000)]
    lines[500] = '{"id": "big", "facts": {"building": ' + "9" * 5000 + "}}"
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = batch(tmp_path / "in.jsonl", "--out", out, "--jobs", jobs)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert result.exit_code == 1 and len(records) == 1000
    errors = [r for r in records if "error" in r]
    assert [e["source"] for e in errors] == [f"{tmp_path / 'in.jsonl'}:501"]
    assert "a number of 5,000 digits" in errors[0]["error"]


def test_a_rule_file_with_a_5000_digit_priority_is_refused_at_its_place(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(HEATING, rules)
    state = rules / "30-state.yaml"
    state.write_text(state.read_text(encoding="utf-8").replace("priority: -1", "priority: " + "9" * 5000), "utf-8")
    for command in ("check", "run"):
        result = spor(
            command, "--rules", rules, "--lang", "en", *(["-"] if command == "run" else []), input="facts: {}\n"
        )
        assert "30-state.yaml:" in result.output + result.stderr, command
        assert "a number of 5,000 digits" in result.output + result.stderr, command
        assert result.exit_code in (1, 2) and "internal error" not in result.output + result.stderr


def test_a_csv_row_that_is_not_utf8_costs_that_row_only(tmp_path):
    rows = ["building,display,fuse_blown,title"] + [f"cabin,blank,yes,row {i}" for i in range(1, 1001)]
    data = ("\n".join(rows) + "\n").encode("utf-8").split(b"\n")
    data[700] = b"cabin,blank,yes,r\xe6kke 700"
    (tmp_path / "t.csv").write_bytes(b"\n".join(data))
    out = tmp_path / "out.jsonl"
    result = batch(tmp_path / "t.csv", "--out", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1000 and result.exit_code == 1
    errors = [r for r in records if "error" in r]
    assert [e["source"] for e in errors] == [f"{tmp_path / 't.csv'}:701"] and "not UTF-8 (byte 0xe6" in errors[0][
        "error"
    ]
    assert "1,000 records: 999 results, 1 errors" in result.stderr


def test_a_case_id_is_read_as_written(tmp_path):
    for written in ("00123", "0x1F", "12:30", "1_000"):
        case = tmp_path / "c.yaml"
        case.write_text(f"id: {written}\nfacts: {{building: cabin}}\n", encoding="utf-8")
        result = spor("run", "--rules", HEATING, "--format", "json", case)
        assert json.loads(result.stdout)["case"] == written


# -- ask --save -----------------------------------------------------------------------------------------------


def test_ask_save_refuses_an_existing_file_without_force_and_a_link_always(tmp_path):
    keep = tmp_path / "keep.yaml"
    keep.write_text("facts: {building: cabin}\n", encoding="utf-8")
    result = spor("ask", "--rules", HEATING, "--save", keep, input="quit\n")
    assert result.exit_code == 2 and "finnes allerede: gi --force" in result.stderr
    assert keep.read_text(encoding="utf-8") == "facts: {building: cabin}\n"
    link = tmp_path / "link.yaml"
    link.symlink_to(keep)
    result = spor("ask", "--rules", HEATING, "--save", link, "--force", input="quit\n")
    assert result.exit_code == 2 and "symbolsk lenke" in result.stderr and link.is_symlink()
    assert keep.read_text(encoding="utf-8") == "facts: {building: cabin}\n"
    assert spor("ask", "--rules", HEATING, "--save", keep, "--force", input="quit\n").exit_code == 1
    assert keep.read_text(encoding="utf-8").startswith("id: keep")


def test_ask_save_that_fails_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    keep = tmp_path / "keep.yaml"
    keep.write_text("facts: {building: cabin}\n", encoding="utf-8")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = spor("ask", "--rules", HEATING, "--save", keep, "--force", input="quit\n")
    assert result.exit_code == 2 and "kan ikke skrives: disken er full" in result.stderr
    assert keep.read_text(encoding="utf-8") == "facts: {building: cabin}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.yaml"]


# -- resume ---------------------------------------------------------------------------------------------------


def test_resume_refuses_when_an_input_the_rulebase_or_an_option_changed(tmp_path):
    source = jsonl(tmp_path / "in.jsonl", 20)
    out = tmp_path / "out.jsonl"
    assert batch(source, "--out", out).exit_code in (0, 1)
    assert batch(source, "--out", out, "--resume").exit_code in (0, 1)  # nothing changed: goes on
    result = spor("batch", "--rules", HEATING, "--lang", "nb", source, "--out", out, "--resume")
    assert result.exit_code == 2 and "dette er endret siden kjøringen som skrev den: --lang" in result.stderr
    rules = tmp_path / "rules"
    shutil.copytree(HEATING, rules)
    (rules / "10-facts.yaml").write_text((rules / "10-facts.yaml").read_text("utf-8") + "\n# edited\n", "utf-8")
    result = spor("batch", "--rules", rules, "--lang", "en", source, "--out", out, "--resume")
    assert result.exit_code == 2 and "the rulebase (or spor's code)" in result.stderr
    with open(source, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"facts": CASE}) + "\n")
    result = batch(source, "--out", out, "--resume")
    assert result.exit_code == 2 and f"{source} (changed since the first run)" in result.stderr
    sidecar(out).unlink()
    result = batch(source, "--out", out, "--resume")
    assert result.exit_code == 2 and "has no record of the run that wrote it" in result.stderr


def test_a_csv_resume_after_a_file_name_with_a_newline(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a\nb.csv").write_text("building,display\ncabin,blank\ncabin,normal\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert batch(folder, "--format", "csv", "--out", out).exit_code in (0, 1)
    full = out.read_bytes()
    assert b"a\\nb.csv:2" in full  # the name shown with its newline escaped
    out.write_bytes(b"\n".join(full.split(b"\n")[:2]) + b"\n")
    result = batch(folder, "--format", "csv", "--out", out, "--resume")
    assert result.exit_code in (0, 1) and "internal error" not in result.stderr
    assert out.read_bytes() == full


def test_a_stop_while_resume_counts_the_output_is_an_interruption(tmp_path, monkeypatch):
    import spor.batch

    source = jsonl(tmp_path / "in.jsonl", 5)
    out = tmp_path / "out.jsonl"
    batch(source, "--out", out)
    before = out.read_bytes()

    def stopped(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(spor.batch, "scan_output", stopped)
    result = batch(source, "--out", out, "--resume")
    assert result.exit_code == 130 and "interrupted" in result.stderr and "Aborted" not in result.output
    assert out.read_bytes() == before


# -- writing ----------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_a_located_error_with_the_resume_hint(tmp_path):
    result = batch(jsonl(tmp_path / "in.jsonl", 3), "--out", "/dev/full")
    assert result.exit_code == 2
    assert "/dev/full: cannot be written: No space left on device: run again with --resume" in result.stderr
    assert not os.path.exists("/dev/.full.spor-run")  # no record of the run beside a device


def test_a_closed_output_pipe_is_not_reported_as_success(tmp_path):
    source = jsonl(tmp_path / "in.jsonl", 3000)
    proc = subprocess.Popen(
        spor_command("batch", "--rules", HEATING, source), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 128 + signal.SIGPIPE  # hang guard, not a timing
    assert "Traceback" not in stderr


# -- the rulebase cache -------------------------------------------------------------------------------------------


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o777)
    case = tmp_path / "c.yaml"
    case.write_text("facts: {building: cabin}\n", encoding="utf-8")
    result = subprocess.run(  # a process of its own: this one keeps loaded rulebases in memory
        spor_command("run", "--rules", HEATING, case),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, SPOR_CACHE_DIR=str(folder), SPOR_LANG="en"),
        timeout=60,
    )
    assert "can be written by other users, so spor does not use it" in result.stderr
    assert list(folder.iterdir()) == []


def test_check_never_trusts_the_cache_and_a_damaged_entry_is_replaced(tmp_path, monkeypatch):
    from spor.api import load

    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    rules = tmp_path / "rules"
    shutil.copytree(HEATING, rules)
    load(rules)
    (entry,) = (tmp_path / "cache").glob("rulebase-*.json")
    head, body = entry.read_bytes().split(b"\n", 1)
    forged = body.replace(b'"priority": -1', b'"priority": "first"')
    assert forged != body
    entry.write_bytes(b"spor-cache %08x\n" % zlib.crc32(forged) + forged)  # a well-formed entry
    assert spor("check", "--rules", rules).exit_code == 0  # check reads the files themselves
    entry.write_bytes(b"spor-cache 00000000\n" + b"[" * 100_000)  # damaged: cut, and nested deep
    assert load(rules).docs  # ignored: read from the files
    assert cache.read(load(rules).key) is not None  # and replaced by a good entry
    assert not [p for p in (tmp_path / "cache").iterdir() if p.suffix != ".json"]  # no temporary file left
