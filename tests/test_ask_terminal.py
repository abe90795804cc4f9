"""spor ask as an agent meets it: line editing in a terminal, a clear hint on a bad answer, the facts already known,
an honest `how` before any diagnosis, and Ctrl-C ending as a stop (exit 130) with the session saved."""

from __future__ import annotations

import os
import pty
import select
import subprocess

from click.testing import CliRunner

import spor.cli.ask
from spor.cli import cli

from .conftest import ROOT, spor_command


def ask(*args, input=None):
    return CliRunner().invoke(cli, ["ask", *map(str, args)], input=input)


def test_a_bad_answer_says_which_numbers_to_choose():
    result = ask("--lang", "en", input="9\nquit\n")
    assert "Not a valid answer" in result.output and "Choose 1–2, or type the answer." in result.output


def test_how_before_a_diagnosis_says_there_is_none_yet():
    result = ask("--lang", "en", input="how\nquit\n")
    assert "No diagnosis yet: answer the questions first" in result.output
    assert "How the diagnosis was reached:\n\n" not in result.output


def test_a_partial_case_shows_what_is_known_before_the_first_question(tmp_path):
    case = tmp_path / "ticket.yaml"
    case.write_text("facts: {concern: not_received, module: lonn}\n", encoding="utf-8")
    result = ask("--lang", "en", case, input="quit\n")
    known = result.output.index("Known from the case:")
    assert "  The question: Why did it not arrive?\n  Module: Payroll\n" in result.output[known:]
    assert known < result.output.index("1. ")


def test_ctrl_c_ends_as_a_stop_and_keeps_the_session(tmp_path, monkeypatch):
    def stopped(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(spor.cli.ask, "converse", stopped)
    saved = tmp_path / "kept.yaml"
    result = ask("--save", saved, input="")
    assert result.exit_code == 130 and saved.read_text(encoding="utf-8").startswith("id: kept")


def test_a_terminal_gets_line_editing(tmp_path):
    """In a pseudo-terminal, the left arrow moves the cursor (readline) instead of becoming part of the answer."""
    case = tmp_path / "ticket.yaml"
    case.write_text("facts: {concern: sent}\n", encoding="utf-8")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        spor_command("ask", "--lang", "en", case),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env=dict(os.environ, TERM="xterm"),
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([leader], [], [], 60)  # a hang guard, not a timing
            assert ready, f"no {marker!r} in {seen[-500:]!r}"
            seen += os.read(leader, 65536)

    read_until(b"> ")
    os.write(leader, b"onn\x1b[D\x1b[D\x1b[Dl\r")  # type "onn", three times left, "l": "lonn" with line editing
    read_until(b"(log_status)")  # the next question: the module was understood
    os.write(leader, b"quit\r")
    assert proc.wait(timeout=60) == 1
    os.close(leader)
    assert b"Not a valid answer" not in seen
