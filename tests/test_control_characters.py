"""No raw control character reaches a terminal: every text spor prints from a case, a rule file or evidence is
made safe by one function (``errors.printable``); JSON escapes what JSON escapes.

A case whose title sets the terminal's window title (OSC) and colours its notes
(CSI), and a bounce whose diagnostic and servers carry CSI sequences (7-bit
``ESC [`` and the 8-bit C1 ``CSI``), run through every command that prints
them, in text and Markdown; no ESC byte (nor a C1 control) may come out raw.
On the shipped rulebase, because the real bounce format needs its evidence section.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from spor.common.errors import printable

from .conftest import ROOT, spor_command

OSC_TITLE = "\x1b]0;pwned\x07"  # sets the window title
CSI_RED = "\x1b[31m"
C1_CSI = "\x9b2J"  # the 8-bit control sequence introducer: clears the screen on terminals that take C1
RAW = ("\x1b", "\x9b", "\x07")


def _no_raw(text: str) -> None:
    for char in RAW:
        assert char not in text, f"raw {char!r} in output"


@pytest.fixture
def hostile(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        json.dumps(
            {
                "id": "osc",
                "title": f"Payslip {OSC_TITLE}missing\nforged line",
                "notes": f"{CSI_RED}red notes{C1_CSI}",
                "facts": {"concern": "not_received", "module": "lonn", "log_status": "avvist"},
            }
        ),
        encoding="utf-8",
    )
    bounce = tmp_path / "bounce.eml"
    original = (ROOT / "tests" / "fixtures" / "bounces" / "rfc3464-01.eml").read_text(encoding="utf-8")
    bounce.write_text(
        original.replace("User Unknown", f"User {CSI_RED}Unknown\x1b[0m {C1_CSI}").replace(
            "Remote-MTA: DNS; mx.bouncehammer.jp", f"Remote-MTA: DNS; mx{CSI_RED}.bouncehammer.jp"
        ),
        encoding="utf-8",
    )
    return case, bounce


def _spor(*args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(spor_command(*args), input=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_run_prints_no_raw_escape_from_a_case_or_a_bounce(hostile, fmt):
    case, bounce = hostile
    done = _spor("run", "--lang", "en", "--format", fmt, "--evidence", bounce, case)
    assert done.returncode == 0, done.stderr
    _no_raw(done.stdout + done.stderr)
    assert "\\x1b]0;pwned\\x07" in done.stdout  # shown, escaped
    assert "\\x1b[31mUnknown" in done.stdout  # the bounce's diagnostic, escaped
    if fmt == "text":
        assert "\\x1b[31mred notes\\x9b2J" in done.stdout  # the case's notes (Markdown leaves them out)
    assert "forged line" in done.stdout and "\nforged line" not in done.stdout  # a title stays one line


def test_evidence_and_ask_print_no_raw_escape(hostile):
    case, bounce = hostile
    read = _spor("evidence", "--lang", "en", bounce)
    assert read.returncode == 0, read.stderr
    _no_raw(read.stdout + read.stderr)
    assert "\\x1b[31m" in read.stdout
    asked = _spor("ask", "--lang", "en", "--evidence", bounce, case, stdin=f"{CSI_RED}nonsense\nhow\n")
    _no_raw(asked.stdout + asked.stderr)


def test_json_escapes_control_characters_as_json_does(hostile):
    case, bounce = hostile
    done = _spor("run", "--format", "json", "--evidence", bounce, case)
    assert "\x1b" not in done.stdout and "\\u001b]0;pwned\\u0007" in done.stdout
    record = json.loads(done.stdout)
    assert record["title"].startswith("Payslip \x1b]0;pwned\x07")  # the data itself is kept as it was


def test_printable_escapes_controls_and_keeps_text():
    assert printable("Sak \x1b]0;x\x07 ok") == "Sak \\x1b]0;x\\x07 ok"
    assert printable("a\u202eb\u2028c") == "a\\u202eb\\u2028c"  # a bidirectional override, a line separator
    assert printable("12\u00a0345 Lønn – «ok»") == "12\u00a0345 Lønn – «ok»"  # no-break space and letters kept
    assert printable("one\ntwo") == "one\\ntwo"
    assert printable("one\ntwo\x1b", lines=True) == "one\ntwo\\x1b"
