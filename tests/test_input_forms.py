"""Input forms are the same for every command: - reads standard input, an empty folder is a mistake, and a file of
many cases is sent to spor batch with a hint instead of a YAML parse error."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from spor.cli import cli

from .conftest import HEATING


def spor(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_batch_reads_json_lines_from_standard_input():
    lines = "".join(json.dumps({"id": f"c{i}", "facts": {"building": "cabin"}}) + "\n" for i in range(3))
    result = spor("batch", "--rules", HEATING, "--lang", "en", "-", input=lines)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["case"] for r in records] == ["c0", "c1", "c2"] and [r["source"] for r in records] == [
        "<stdin>:1",
        "<stdin>:2",
        "<stdin>:3",
    ]
    assert "3 records" in result.stderr


def test_a_run_from_standard_input_cannot_be_resumed(tmp_path):
    out = tmp_path / "out.jsonl"
    line = json.dumps({"facts": {"building": "cabin"}}) + "\n"
    assert spor("batch", "--rules", HEATING, "--lang", "en", "-", "--out", out, input=line).exit_code in (0, 1)
    result = spor("batch", "--rules", HEATING, "--lang", "en", "-", "--out", out, "--resume", input=line)
    assert result.exit_code == 2 and "cannot resume a run that read standard input" in result.stderr


@pytest.mark.parametrize("command", ["run", "batch", "test", "evidence"])
def test_an_empty_folder_is_a_usage_error_for_every_command(tmp_path, command):
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    result = spor(command, "--rules", HEATING, "--lang", "en", tmp_path)
    assert result.exit_code == 2 and f"{tmp_path}: " in result.stderr and "no " in result.stderr


def test_diff_of_an_empty_folder_is_a_usage_error(tmp_path):
    result = spor("diff", HEATING, HEATING, tmp_path)
    assert result.exit_code == 2 and "har ingen saksfiler" in result.stderr


@pytest.mark.parametrize("name", ["tickets.jsonl", "tickets.ndjson", "tickets.csv"])
def test_run_sends_a_file_of_many_cases_to_batch(tmp_path, name):
    path = tmp_path / name
    path.write_text('{"facts": {"building": "cabin"}}\n{"facts": {"building": "flat"}}\n', encoding="utf-8")
    result = spor("run", "--rules", HEATING, path)
    assert result.exit_code == 2 and "gi den til spor batch" in result.stderr


def test_a_json_lines_file_with_a_bom_is_read_and_a_bad_byte_after_it_is_placed_as_an_editor_shows_it(
    tmp_path, normaliser
):
    from spor.batch.inputs import records

    good = tmp_path / "good.jsonl"
    good.write_bytes(b'\xef\xbb\xbf{"id": "a", "facts": {"concern": "sent"}}\n')
    [record] = list(records([good], normaliser))
    assert record.case is not None and record.case.id == "a"  # the BOM is not text
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'\xef\xbb\xbf{"id": "\xff"}\n{"id": "\xfe"}\n')
    first, second = list(records([bad], normaliser))
    assert "0xff" in first.problems[0].message and first.problems[0].column == 9  # not 12: the BOM is no column
    assert "0xfe" in second.problems[0].message and second.problems[0].column == 9
