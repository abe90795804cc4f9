"""Output for the everyday loop: the wrap width, the rulebase each command names, CSV's columns, batch progress,
``--version`` and shell completion.

No test here times anything: the progress line is driven by a clock the
test moves, and the terminals are pseudo-terminals of a known size.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from spor.api import load
from spor.batch.progress import Meter, clock_text, count_records
from spor.batch.resume import scan_output
from spor.cli.app import cli
from spor.output import layout
from spor.output.record import CSV_HEADER, note_hash, rulebase_hash

from .conftest import EXAMPLES, HEATING, ROOT, edited_copy, hang_guard, read_terminal, spor_command


def spor(*args, input=None, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env)


class Terminal(io.StringIO):
    """A stream that says it is a terminal (and has no file descriptor, like a test's stream)."""

    def isatty(self) -> bool:
        return True


def pty_of(columns: int):
    """(master, slave) of a pseudo-terminal ``columns`` wide."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return master, slave


def read_all(master: int) -> str:
    return read_terminal(master).replace("\r\n", "\n")


# -- the wrap width ------------------------------------------------------------------------------------------------


def longest(text: str) -> int:
    """The longest line of a result's wrapped paragraphs: after its head line, before its list of facts (one short
    line each, not wrapped)."""
    lines = text.splitlines()
    return max(map(len, lines[1 : lines.index("Facts:")]))


def test_off_a_terminal_the_width_is_88_whatever_columns_says():
    """A pipe or a file is the same everywhere: a COLUMNS inherited from a parent (readline exports 80) is ignored."""
    assert layout.terminal_width(io.StringIO(), {"COLUMNS": "120"}) == layout.WIDTH == 88


@pytest.mark.parametrize(
    ("columns", "width"),
    [("120", 120), ("30", 40), ("5000", 200), (" 100 ", 100), ("", 88), ("abc", 88), ("-3", 88), ("0", 88)]
    + [("9" * 5000, 88), ("1e3", 88)],
)
def test_on_a_terminal_columns_comes_first_held_to_sane_bounds_and_garbage_is_passed_over(columns, width):
    assert layout.terminal_width(Terminal(), {"COLUMNS": columns}) == width  # garbage: the terminal's size, here none


def test_on_a_terminal_without_columns_its_own_size_is_used():
    master, slave = pty_of(100)
    try:
        with open(slave, "w", closefd=False) as stream:
            assert layout.terminal_width(stream, {}) == 100
            assert layout.terminal_width(stream, {"COLUMNS": "nonsense"}) == 100
    finally:
        os.close(master)
        os.close(slave)


def test_wrap_follows_the_width_in_use_and_puts_it_back():
    text = "word " * 40
    before = layout.use_width(50)
    try:
        assert max(map(len, layout.wrap(text, "  ").splitlines())) <= 50
        assert layout.use_width(10) == 50 and layout.width() == layout.MIN_WIDTH  # held to the bounds
    finally:
        layout.use_width(before)
    assert before == layout.WIDTH and max(map(len, layout.wrap(text, "  ").splitlines())) > 80


def test_a_command_wraps_at_the_terminals_width_and_the_process_goes_back_to_88(monkeypatch):
    case = EXAMPLES / "accounting-external-bounced.yaml"
    piped = spor("run", "--lang", "en", case, env={"COLUMNS": "50"})
    assert longest(piped.stdout) > 50  # not a terminal: COLUMNS does not apply
    monkeypatch.setattr(layout, "terminal_width", lambda stream, environ=None: 50)
    narrow = spor("run", "--lang", "en", case)
    assert narrow.exit_code == piped.exit_code
    assert longest(narrow.stdout) <= 50 < longest(piped.stdout)
    assert narrow.stdout.split() == piped.stdout.split()  # the same words, only the lines differ
    assert layout.width() == layout.WIDTH  # put back when the command ended


@pytest.mark.parametrize("columns", [None, "garbage"])
def test_run_on_a_real_terminal_wraps_at_its_width(tmp_path, columns):
    master, slave = pty_of(60)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | ({"COLUMNS": columns} if columns else {})
    with hang_guard():
        proc = subprocess.Popen(
            spor_command("run", "--lang", "en", EXAMPLES / "accounting-external-bounced.yaml"),
            cwd=ROOT,
            stdout=slave,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        os.close(slave)
        text = read_all(master)
        assert proc.wait(timeout=60) in (0, 1)
    assert "Verdict:" in text and longest(text) <= 60


# -- which rulebase: rulebase_hash in every result, a line on standard error -----------------------------------------


def test_run_batch_and_check_name_the_same_hash(tmp_path):
    loaded = load(HEATING)
    case = tmp_path / "case.yaml"
    case.write_text("facts: {building: cabin, display: normal}\n", encoding="utf-8")
    ran = json.loads(spor("run", "--rules", HEATING, "--format", "json", case).stdout)
    checked = json.loads(spor("check", "--rules", HEATING, "--format", "json").stdout)
    batched = spor("batch", "--rules", HEATING, "--lang", "en", case)
    line = json.loads(batched.stdout)
    assert ran["rulebase_hash"] == line["rulebase_hash"] == checked["hash"] == loaded.digest
    assert list(ran)[:6] == ["case", "source", "title", "notes", "rulebase", "rulebase_hash"]
    folder = "tests/fixtures/heating/" if HEATING.is_relative_to(os.getcwd()) else str(HEATING)
    assert batched.stderr.splitlines()[0] == f"rulebase: heating ({folder}, {loaded.digest})"
    assert spor("batch", "--rules", HEATING, case).stderr.startswith("regelbase: heating (")  # nb by default


def test_a_result_names_the_bytes_loaded_even_when_a_file_changes_after(tmp_path):
    folder = edited_copy(HEATING, tmp_path / "rules")
    loaded = load(folder, trust_cache=False)
    assert rulebase_hash(loaded.rulebase) == loaded.digest  # read from the files the rulebase names
    again = load(folder, trust_cache=False)
    note_hash(again.rulebase, again.digest)
    (folder / "40-outcomes.yaml").write_text(
        (folder / "40-outcomes.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    assert rulebase_hash(again.rulebase) == loaded.digest  # noted at load: what answers, not what is on disk now
    assert load(folder, trust_cache=False).digest != loaded.digest


def test_a_batch_resumed_is_byte_for_byte_the_batch_uninterrupted(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"c{i}", "facts": {"building": "cabin"}}) + "\n" for i in range(6)), encoding="utf-8"
    )
    whole = tmp_path / "whole.jsonl"
    assert spor("batch", "--rules", HEATING, source, "--out", whole).exit_code == 1
    lines = whole.read_bytes().splitlines(keepends=True)
    assert all(json.loads(line)["rulebase_hash"] == load(HEATING).digest for line in lines)
    part = tmp_path / "part.jsonl"
    part.write_bytes(b"".join(lines[:2]) + lines[2][:20])  # two records and one cut by a kill
    shutil.copy(tmp_path / ".whole.jsonl.spor-run", tmp_path / ".part.jsonl.spor-run")
    assert spor("batch", "--rules", HEATING, source, "--out", part, "--resume").exit_code == 1
    assert part.read_bytes() == whole.read_bytes()


# -- CSV: title and verdict ----------------------------------------------------------------------------------------


TITLES = ["=SUM(A1)", "two\nlines", "red \x1b[31mtitle", "carriage\rreturn", "plain", "-1"]


@pytest.fixture
def titled(tmp_path):
    source = tmp_path / "in.jsonl"
    rows = [{"id": f"c{i}", "title": title, "facts": {"building": "cabin"}} for i, title in enumerate(TITLES)]
    rows[4]["facts"] = {"building": "flat", "heat_pump": "yes", "setting": "water", "display": "blank"}
    rows[4]["facts"]["fuse_blown"] = "yes"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows) + "not json\n", encoding="utf-8")
    return source


def test_csv_has_title_and_verdict_in_the_order_of_a_results_fields(titled, tmp_path):
    out = tmp_path / "out.csv"
    assert spor("batch", "--rules", HEATING, titled, "--format", "csv", "--lang", "en", "--out", out).exit_code == 1
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][: len(CSV_HEADER)] == list(CSV_HEADER)
    assert list(CSV_HEADER) == [
        "source",
        "case",
        "title",
        "outcome",
        "side",
        "verdict",
        "complete",
        "missing",
        "assumed",
        "warnings",
        "error",
    ]
    cells = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert [c["title"] for c in cells] == [
        "'=SUM(A1)",  # a formula to a spreadsheet: quoted
        "two\nlines",  # a line end stays (the cell is quoted)
        "red \\x1b[31mtitle",  # an escape sequence shows as text
        "carriage\\rreturn",  # a carriage return would end the row for a reader of lines
        "plain",
        "'-1",
        "",  # an error record has no title
    ]
    assert cells[4]["verdict"] == "The fuse has blown." and cells[4]["outcome"] == "replace_fuse"
    assert cells[0]["verdict"] == "" and cells[0]["complete"] == "no"  # undecided: no verdict
    assert cells[-1]["error"].startswith("not valid JSON") and cells[-1]["verdict"] == ""
    assert all(len(row) == len(rows[0]) for row in rows)  # an error row has every column too


def test_csv_says_what_a_result_assumed(tmp_path):
    """The article's most common case is decided on an assumption: a spreadsheet of results shows which."""
    source = tmp_path / "in.jsonl"
    facts = {"concern": "not_received", "module": "lonn", "log_status": "levert"}
    source.write_text(json.dumps({"id": "levert", "facts": facts}) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert spor("batch", source, "--format", "csv", "--out", out).exit_code == 0
    [row] = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert row["assumed"] == "bounce_received" and row["outcome"] == "recipient_server_builtin"


def test_a_csv_batch_resumed_at_any_line_is_the_uninterrupted_file(titled, tmp_path):
    whole = tmp_path / "whole.csv"
    spor("batch", "--rules", HEATING, titled, "--format", "csv", "--out", whole)
    data = whole.read_bytes()
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    for cut in ends[:-1]:  # after the header, after each row, and inside the quoted two-line title
        part = tmp_path / "part.csv"
        part.write_bytes(data[:cut] + b"torn")
        shutil.copy(tmp_path / ".whole.csv.spor-run", tmp_path / ".part.csv.spor-run")
        resumed = spor("batch", "--rules", HEATING, titled, "--format", "csv", "--out", part, "--resume")
        assert resumed.exit_code == 1, resumed.stderr
        assert part.read_bytes() == data, cut


def test_resume_reads_a_csv_row_by_position_so_a_fact_named_like_a_column_keeps_its_place(tmp_path):
    out = tmp_path / "out.csv"
    writer = csv.writer(out.open("w", encoding="utf-8", newline=""), lineterminator="\n")
    header = [*CSV_HEADER, "title", "error"]  # facts named like two of the fixed columns
    writer.writerow(header)
    writer.writerow(["a.jsonl:1", "c1", "A title", "done", "owner", "Done.", "yes", "", "", "", "", "x", "y"])
    writer.writerow(["a.jsonl:2", "", "", "", "", "", "no", "", "", "", "broken", "", ""])
    del writer
    count, keep, summary = scan_output(out, "csv", ("error",))
    assert (count, keep) == (2, out.stat().st_size)
    assert (summary.results, summary.errors) == (1, 1)  # the fact "error" = y is no error record
    assert summary.values["error"]["y"] == 1 and summary.outcomes["done"] == 1


# -- progress on a terminal ----------------------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_count_total_rate_and_time_left():
    stream, clock = Terminal(), Clock()
    meter = Meter(stream, 200, "en", clock=clock)
    meter.tick(10)
    assert stream.getvalue() == ""  # too soon: a short run leaves no line
    clock.now += 1.0
    meter.tick(50)
    assert stream.getvalue() == "\r50 / 200 records (25%), 50/s, 0:03 left"
    clock.now += 0.1
    meter.tick(60)
    assert stream.getvalue().count("\r") == 1  # at most five drawings a second
    clock.now += 2.9
    meter.tick(200)
    assert stream.getvalue().endswith("\r200 records, 50/s" + " " * 22)  # the total reached: no share, no time left
    meter.close(200)
    assert stream.getvalue().endswith("\r200 records, 50/s, time 0:04\n")


def test_progress_in_norwegian_and_without_a_total():
    stream, clock = Terminal(), Clock()
    meter = Meter(stream, 40_000, "nb", clock=clock)
    clock.now += 2
    meter.tick(12_000)
    assert stream.getvalue() == "\r12\u00a0000 / 40\u00a0000 poster (30\u00a0%), 6\u00a0000/s, 0:05 igjen"
    stream, clock = Terminal(), Clock()
    meter = Meter(stream, None, "en", clock=clock)  # standard input: no total
    clock.now += 0.5
    meter.tick(1_234)
    assert stream.getvalue() == "\r1,234 records, 2,468/s"


def test_progress_shows_at_a_thousand_records_at_the_latest_and_resumes_its_rate():
    stream, clock = Terminal(), Clock()
    meter = Meter(stream, 5_000, "en", start=400, clock=clock)  # resumed after 400 records
    meter.tick(999)
    assert stream.getvalue() == ""
    meter.tick(1_000)
    assert stream.getvalue() == "\r1,000 / 5,000 records (20%)"  # no time has passed: no pace yet
    clock.now += 2
    meter.tick(1_600)  # 1,200 records in 2 s since the resumed start
    assert stream.getvalue().endswith("\r1,600 / 5,000 records (32%), 600/s, 0:06 left")


def test_a_shorter_line_covers_the_longer_one_and_no_line_outgrows_the_terminal():
    stream, clock = Terminal(), Clock()
    meter = Meter(stream, 10**9, "en", clock=clock)
    clock.now += 1
    meter.tick(5)
    long_line = stream.getvalue()
    meter.total = None
    clock.now += 1
    meter.tick(10)
    shown = stream.getvalue()[len(long_line) :]
    assert shown.startswith("\r10 records, 5/s") and len(shown) == len(long_line)  # padded over the old text
    meter.columns = 12
    clock.now += 1
    meter.tick(15)
    assert stream.getvalue().endswith("\r15 records, " + " " * 3)  # cut to the terminal, covering the last line


def test_a_run_that_drew_nothing_ends_with_nothing():
    stream = Terminal()
    Meter(stream, 3, "en", clock=Clock()).close(3)
    assert stream.getvalue() == ""


def test_durations_read_as_a_clock():
    assert [clock_text(s) for s in (0, 7.4, 750, 3723, -1)] == ["0:00", "0:07", "12:30", "1:02:03", "0:00"]


def test_the_total_counts_case_files_lines_and_csv_rows_without_the_output(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text("facts: {}\n", encoding="utf-8")
    (folder / "sub" / "b.jsonl").write_text('{"facts": {}}\n{"facts": {}}\n{"facts": {}}', encoding="utf-8")
    (folder / "c.csv").write_text("building\ncabin\nflat\n", encoding="utf-8")
    (folder / "out.jsonl").write_text("{}\n" * 50, encoding="utf-8")
    (folder / ".hidden.jsonl").write_text("{}\n" * 50, encoding="utf-8")
    assert count_records([folder], exclude=folder / "out.jsonl") == 1 + 3 + 2
    assert count_records([folder / "c.csv", folder / "a.yaml"]) == 3
    assert count_records([folder / "c.csv", "-"]) is None  # standard input cannot be counted without reading it


def test_a_pipe_named_like_an_input_file_is_not_counted_and_not_consumed(tmp_path):
    fifo = tmp_path / "cases.jsonl"
    os.mkfifo(fifo)
    with hang_guard(30):  # opening a pipe to count it would wait for a writer
        assert count_records([fifo]) is None


def test_batch_on_a_terminal_draws_the_line_and_a_pipe_gets_none(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"facts": {"building": "cabin"}}\n' * 1500, encoding="utf-8")
    piped = spor("batch", "--rules", HEATING, source, "--lang", "en", "--out", tmp_path / "o.jsonl")
    assert "\r" not in piped.stderr and "records (" not in piped.stderr
    master, slave = pty_of(80)
    with hang_guard():
        proc = subprocess.Popen(
            spor_command("batch", "--rules", HEATING, source, "--lang", "en", "--out", tmp_path / "t.jsonl"),
            cwd=ROOT,
            stderr=slave,
            stdout=subprocess.DEVNULL,
        )
        os.close(slave)
        text = read_all(master)
        assert proc.wait(timeout=60) == 1
    assert "\r1,000 / 1,500 records (66%)" in text
    assert re.search(r"\r1,500 records, [\d,]+/s, time \d+:\d\d *\nspor batch: 1,500 records", text)
    assert (tmp_path / "t.jsonl").read_bytes() == (tmp_path / "o.jsonl").read_bytes()


# -- --version -----------------------------------------------------------------------------------------------------


def test_version_names_spor_and_the_rulebase_a_command_would_use(tmp_path, tmp_path_factory, monkeypatch):
    from spor import __version__

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPOR_LANG", "en")
    monkeypatch.setenv("SPOR_RULES", str(HEATING))
    named = spor("--version")
    assert named.exit_code == 0
    first, second = named.stdout.splitlines()
    assert first == f"spor, version {__version__}"
    assert second == f"rulebase: heating ({HEATING}, {load(HEATING).digest}), named by $SPOR_RULES"
    monkeypatch.delenv("SPOR_RULES")
    shutil.copytree(HEATING, tmp_path / "rules")
    (tmp_path / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "deep")
    found = spor("--version").stdout
    assert f"rulebase: heating ({tmp_path / 'rules'}, {load(HEATING).digest}), found in a rules/ folder" in found
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))  # no rules/ here or above
    shipped = spor("--version").stdout
    from spor.common.resources import default_rules_dir

    shipped_rules = default_rules_dir()  # the installed copy: site-packages when spor is not installed editable
    assert f"{load(shipped_rules).rulebase.id} ({shipped_rules}, {load(shipped_rules).digest}), shipped" in shipped
    monkeypatch.setenv("SPOR_LANG", "nb")
    assert spor("--version").stdout.startswith(f"spor, versjon {__version__}\nregelbase: ")


def test_version_with_a_broken_or_missing_rulebase_still_says_the_version(tmp_path, monkeypatch):
    broken = edited_copy(HEATING, tmp_path / "broken", "40-outcomes.yaml", "id: turn_up", "id: 7")
    monkeypatch.setenv("SPOR_LANG", "en")
    monkeypatch.setenv("SPOR_RULES", str(broken))
    result = spor("--version")
    assert result.exit_code == 0 and result.stdout.startswith("spor, version ")
    assert f"rulebase: {broken} cannot be loaded (" in result.stdout
    assert f"spor check --rules {broken} lists them), named by $SPOR_RULES" in result.stdout
    monkeypatch.setenv("SPOR_RULES", str(tmp_path / "nowhere"))
    gone = spor("--version")
    assert gone.exit_code == 0 and f"rulebase: {tmp_path / 'nowhere'} cannot be loaded (1 problem(s):" in gone.stdout


# -- shell completion ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_is_produced(shell):
    result = subprocess.run(
        spor_command(), env={**os.environ, "_SPOR_COMPLETE": f"{shell}_source"}, capture_output=True, text=True
    )
    assert result.returncode == 0 and "_SPOR_COMPLETE" in result.stdout and len(result.stdout) > 200


def test_completion_offers_the_verbs():
    env = {"_SPOR_COMPLETE": "bash_complete", "COMP_WORDS": "spor ba", "COMP_CWORD": "1"}
    result = CliRunner().invoke(cli, [], prog_name="spor", env=env)
    assert result.exit_code == 0 and result.stdout.splitlines() == ["plain,batch"]
