"""The spor command as a user meets it: output, exit codes, messages, never a traceback.

Mostly on the shipped rulebase and its examples/ (what a user runs first);
the tests that read a case of their own from standard input run on the
heating fixture rulebase (tests/fixtures/heating, with --rules)."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

import spor.cli.app as cli_module
from spor.cli import cli

from .conftest import EXAMPLES, HEATING, ROOT, spor_command

RESULT_SCHEMA = Draft202012Validator(json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8")))


def run(*args, input=None):
    return CliRunner().invoke(cli, ["run", *map(str, args)], input=input)


def test_text_output_puts_the_verdict_first():
    result = run(EXAMPLES / "payroll-not-received-delivered.yaml")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Sak: payroll-not-received-delivered — Payslip emailed from Lønn never reached the employee"
    assert lines[1].startswith("Konklusjon: Eposten er levert til og tatt imot av mottakerens epostserver")
    order = [result.output.index(h) for h in ("Steg for agenten:", "Svar til kunden:", "Hvorfor:", "Fakta:")]
    assert order == sorted(order)
    assert "transport-payroll-builtin" in result.output and "(§6, §7)" in result.output


def test_english_output():
    result = run("--lang", "en", EXAMPLES / "tax-builtin-rejected.yaml")
    assert result.exit_code == 0
    assert result.output.splitlines()[1].startswith("Verdict: The recipient's mail server rejected the email")
    assert "Reply to the customer:" in result.output and "Konklusjon" not in result.output


def test_json_lines_match_the_result_schema():
    paths = sorted(EXAMPLES.glob("*.yaml"))[:5]
    result = run("--format", "json", *paths)
    lines = result.output.splitlines()
    assert len(lines) == 5
    for line in lines:
        data = json.loads(line)
        assert list(RESULT_SCHEMA.iter_errors(data)) == []
        assert {"case", "outcome", "facts", "missing", "trace", "warnings"} <= set(data)


def test_markdown_has_the_reply():
    result = run("--format", "markdown", "--lang", "en", EXAMPLES / "payroll-was-it-sent.yaml")
    assert result.exit_code == 0
    assert "#### Reply to the customer" in result.output and "\n> The email was sent from Agro" in result.output


def test_incomplete_case_exits_1_and_lists_questions():
    result = run(EXAMPLES / "incomplete-payroll-never-asks-setting.yaml")
    assert result.exit_code == 1
    assert "Mangler (neste spørsmål først):" in result.output
    assert "1. concern: Vil kunden vite" in result.output
    assert "Finnes i: Agro Økonomi (ikke agro24): Agro | Epostlogg" in result.output
    assert "email_setting" not in result.output


def test_stdin_case():
    result = run("--rules", HEATING, "-", input="facts: {building: Hytte, display: Vanlig, fuse_blown: nei}\n")
    assert result.exit_code == 0 and "Konklusjon: Varmen går: skru opp termostaten." in result.output


def test_bad_value_exits_2_with_location():
    result = run("--rules", HEATING, "-", input="facts:\n  building: cabn\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "spor: feil: <stdin>:2:13 (facts.building): 'cabn' er ikke en verdi av 'building' (mente du 'cabin'?)"
        in result.stderr
    )
    english = run("--rules", HEATING, "--lang", "en", "-", input="facts:\n  building: cabn\n")
    assert (
        "spor: error: <stdin>:2:13 (facts.building): 'cabn' is not a value of 'building' (did you mean 'cabin'?)"
        in english.stderr
    )


def test_bad_case_does_not_stop_the_good_ones(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts: {module: [x]}\n", encoding="utf-8")
    result = run("--format", "json", bad, EXAMPLES / "payroll-was-it-sent.yaml")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["case"] == "payroll-was-it-sent"
    assert "bad.yaml:1:17" in result.stderr


def test_missing_file_and_bad_rules_folder(tmp_path):
    result = run("--lang", "en", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "nope.yaml: no such file" in result.stderr
    result = run("--rules", tmp_path / "none", EXAMPLES / "payroll-was-it-sent.yaml")
    assert result.exit_code == 2 and "mappen finnes ikke" in result.stderr


def test_invalid_rulebase_is_refused_with_locations(tmp_path):
    (tmp_path / "r.yaml").write_text("rules:\n  - id: x\n", encoding="utf-8")
    result = run("--rules", tmp_path, EXAMPLES / "payroll-was-it-sent.yaml")
    assert result.exit_code == 2
    assert "r.yaml:2:5 (rules[0]): 'title' mangler" in result.stderr


def test_usage_errors_exit_2():
    assert run().exit_code == 2
    assert run("--format", "xml", EXAMPLES / "payroll-was-it-sent.yaml").exit_code == 2


def test_internal_error_is_a_message_not_a_traceback(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated")

    monkeypatch.setattr("spor.inference.evaluate.Evaluator.evaluate", boom)
    result = run(EXAMPLES / "payroll-was-it-sent.yaml")
    assert result.exit_code == 3 and isinstance(result.exception, SystemExit)  # handled, not raised
    assert "internal error: RuntimeError: simulated" in result.stderr


def test_unsupported_python_is_refused_clearly(monkeypatch, capsys):
    monkeypatch.setattr(cli_module, "python_supported", lambda: False)
    with pytest.raises(SystemExit) as info:
        cli_module.main()
    assert info.value.code == 2
    assert "spor needs Python 3.11 or later" in capsys.readouterr().err


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02binary",
        b"a: &x [1]\nb: *x\n",
        b"facts: !!python/object/apply:os.system ['echo pwned']\n",
        b"[" * 5000,
        b"facts:\n  module: lonn\n  module: faktura\n",
    ],
)
def test_hostile_case_files_in_a_real_process(tmp_path, content):
    path = tmp_path / "case.yaml"
    path.write_bytes(content)
    proc = subprocess.run(spor_command("run", str(path)), capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "pwned" not in proc.stdout
    assert proc.stderr.startswith(f"spor: feil: {path}")


def test_a_folder_runs_every_case_in_it_and_bad_ones_do_not_stop_the_rest(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "facts: {module: lonn, concern: sent, log_status: levert, bounce_received: no}\n", encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text("facts: {module: nope}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case\n", encoding="utf-8")
    result = run("--format", "json", tmp_path, EXAMPLES / "payroll-was-it-sent.yaml")
    assert result.exit_code == 2
    assert [json.loads(line)["case"] for line in result.stdout.splitlines()] == ["a", "payroll-was-it-sent"]
    assert "b.yaml:1:17" in result.stderr


def test_closed_output_pipe_keeps_the_exit_code(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts: {module: nope}\n", encoding="utf-8")
    proc = subprocess.Popen(
        spor_command("run", str(bad), *map(str, sorted(EXAMPLES.iterdir()))),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 2
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_given_derived_fact_that_contradicts_the_rules_is_warned():
    result = run(
        "--format",
        "json",
        "--lang",
        "en",
        "--rules",
        HEATING,
        "-",
        input="facts: {building: cabin, heat_source: water, valve_open: no}\n",
    )
    data = json.loads(result.stdout)
    assert data["outcome"] == "open_valve"  # the given value is the one used
    assert {
        "code": "contradicts_given",
        "fact": "heat_source",
        "message": "Rule source-cabin-electric gives Heat source = Electricity from the other facts, "
        "but the case gives Hot water.",
    } in data["warnings"]


def test_title_and_notes_are_passed_through():
    data = json.loads(run("--format", "json", EXAMPLES / "transport-known-from-agent.yaml").stdout)
    assert data["title"].startswith("The agent knows") and data["notes"].startswith("A derived fact may be given")
