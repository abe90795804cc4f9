"""The editors' commands as a user runs them: check, test, graph, diff, schema.

check, graph and test on cases of their own run on copies of the heating
fixture rulebase (tests/fixtures/heating), edited to break them; `spor test`
and `spor diff` on the shipped examples/ stay on the shipped rulebase, whose
cases they are. That the shipped rulebase checks clean, and the diagram of
it in docs/editors.md, are tested in test_shipped_rulebase.py."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from spor.cli import cli

from .conftest import EXAMPLES, HEATING, ROOT, RULES, edited_copy


def spor(*args):
    """The command in English, as an editor with SPOR_LANG=en runs it (tests/test_language.py holds the Norwegian)."""
    return CliRunner().invoke(cli, [str(a) for a in args], env={"SPOR_LANG": "en"})


def _copy(folder, source):
    shutil.copytree(source, folder)

    def edit(file, old, new):
        return edited_copy(source, folder, file, old, new)

    edit.folder = folder
    return edit


@pytest.fixture
def rules_copy(tmp_path):
    """rules_copy(file, old, new) -> a copy of the heating fixture rulebase with one text replaced."""
    return _copy(tmp_path / "rules", HEATING)


@pytest.fixture
def shipped_copy(tmp_path):
    """shipped_copy(file, old, new) -> a copy of the shipped rulebase with one text replaced (for `spor diff`)."""
    return _copy(tmp_path / "shipped", RULES)


def test_check_reports_every_schema_error_with_location(rules_copy):
    rules_copy("20-source.yaml", "  - id: source-cabin-electric", "  - id: Source-Cabin")
    folder = rules_copy(
        "30-state.yaml",
        '    cites: ["§3"]\n    when:\n      heat_source: water',
        '    cites: ["44"]\n    colour: red\n    when:\n      heat_source: water',
    )
    result = spor("check", "--rules", folder)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "error[invalid]" in line]
    assert len(lines) == 3
    assert re.search(
        r"20-source\.yaml:\d+:9 \(rules\[0\]\.id\): error\[invalid\]: 'Source-Cabin' is not allowed", result.output
    )
    assert re.search(
        r"30-state\.yaml:\d+:5 \(rules\[1\]\.colour\): error\[invalid\]: unknown key 'colour'", result.output
    )
    assert "'44' is not allowed" in result.output


def test_check_typo_and_bad_section_after_schema(rules_copy):
    rules_copy("40-outcomes.yaml", "      state: closed\n", "      state: closd\n")
    folder = rules_copy("40-outcomes.yaml", 'cites: ["§4", "§5"]', 'cites: ["§4", "§13"]')
    result = spor("check", "--rules", folder, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    messages = [f["message"] for f in data["findings"]]
    assert any("'closd' is not a value of 'state' (did you mean 'closed'?)" in m for m in messages)
    assert any("cites '§13'" in m for m in messages)
    assert all(f["file"].endswith("40-outcomes.yaml") and f["line"] for f in data["findings"])


def test_check_gap_prints_a_ready_to_run_case(rules_copy, tmp_path):
    folder = rules_copy("30-state.yaml", "      display: error\n", "      display: normal\n")
    result = spor("check", "--rules", folder)
    assert result.exit_code == 1
    assert "error[gap]: no value for 'state' when check_at = display, display = error" in result.output
    block = result.output.split("try `spor run` on it):\n", 1)[1].split("\n/", 1)[0].split("\nheating", 1)[0]
    case = tmp_path / "gap.yaml"
    case.write_text("\n".join(line[6:] for line in block.splitlines()) + "\n", encoding="utf-8")
    ran = spor("run", "--rules", folder, "--format", "json", case)
    assert json.loads(ran.stdout)["facts"]["display"] == "error"  # the case is the gap's own
    assert json.loads(ran.stdout)["facts"].get("state") is None


def test_check_strict_fails_on_warnings(rules_copy):
    folder = rules_copy("40-outcomes.yaml", "    then:\n      outcome: turn_up", "    then:\n      outcome: open_valve")
    assert spor("check", "--rules", folder).exit_code == 0
    strict = spor("check", "--rules", folder, "--strict")
    assert strict.exit_code == 1 and "warning[unused_outcome]" in strict.output


def test_check_usage_error():
    assert spor("check", "--rules", "/nonexistent/rules").exit_code == 2


def test_test_command_passes_examples_with_full_coverage():
    result = spor("test", EXAMPLES, "--coverage", "--fail-under", "100")
    assert result.exit_code == 0
    assert result.output.count("PASS ") == len(list(EXAMPLES.glob("*.*")))
    assert "total" in result.output and "100.0%" in result.output
    *_, summary, _, named = result.output.splitlines()
    assert summary == f"{len(list(EXAMPLES.glob('*.*')))} passed, 0 failed"
    assert named.startswith("rulebase: sporing-av-epost (rules/, ")  # the rulebase it tested, last


def test_test_command_shows_field_differences(tmp_path):
    case = tmp_path / "wrong.yaml"
    case.write_text(
        "facts: {building: cabin, display: error}\nexpect: {outcome: turn_up, facts: {state: running}}\n",
        encoding="utf-8",
    )
    result = spor("test", "--rules", HEATING, case)
    assert result.exit_code == 1
    assert "FAIL wrong" in result.output
    assert "    outcome: expected 'turn_up', got 'call_pro'" in result.output
    assert "    facts.state: expected 'running', got 'fault'" in result.output
    *_, summary, _, named = result.output.splitlines()
    assert summary == "0 passed, 1 failed"
    assert named.startswith("rulebase: heating (") and named.endswith(")")


def test_test_command_selection_coverage_threshold_and_json():
    result = spor("test", EXAMPLES, "-k", "payroll", "--coverage", "--fail-under", "90", "--format", "json")
    data = json.loads(result.output)
    assert {c["case"] for c in data["cases"]} == {
        "payroll-not-received-delivered",
        "payroll-was-it-sent",
        "payroll-delivered-but-bounced",
        "incomplete-payroll-never-asks-setting",
        "payroll-levert-assumes-no-rejection",
        "payroll-not-on-agro24-warns",
    }
    assert data["coverage"]["percent"] < 90 and result.exit_code == 1
    transport = next(f for f in data["coverage"]["files"] if f["file"] == "20-transport.yaml")
    assert "transport-setting-external-not-moved" in transport["rules_not_fired"]
    outcomes = next(f for f in data["coverage"]["files"] if f["file"] == "50-outcomes.yaml")
    assert "outcome-rejected-builtin assumes bounce_reason" in outcomes["assumptions_not_made"]


def test_test_command_error_for_an_unreadable_case(tmp_path):
    (tmp_path / "bad.yaml").write_text("facts: {building: nope}\nexpect: {outcome: null}\n", encoding="utf-8")
    result = spor("test", "--rules", HEATING, tmp_path)
    assert result.exit_code == 1 and "ERROR bad" in result.output and "bad.yaml:1:19" in result.output


def test_graph_formats(heating_rulebase):
    rulebase = heating_rulebase
    result = spor("graph", "--format", "dot", "--rules", HEATING)
    assert result.exit_code == 0 and result.output.startswith('digraph "heating" {')
    assert 'f_building -> f_heat_source [label="source-cabin-electric: = cabin ⇒ electric"];' in result.output
    assert (
        'f_building -> f_heat_source [label="source-heat-pump-electric: in {flat, office} ⇒ electric"];'
        in result.output
    )
    edges = [line for line in spor("graph", "--rules", HEATING).output.splitlines() if "-->" in line]
    assert len(edges) == sum(len({leaf for leaf in _facts(r)}) for r in rulebase.rules)


def _facts(rule):
    from spor.rulebase.conditions import facts_read

    return facts_read(rule.when)


def test_diff_lists_changed_cases(shipped_copy):
    folder = shipped_copy(
        "40-investigate.yaml",
        "      bounce_received: {assume: yes}\n    then:\n      investigate: bounce_message",
        "      bounce_received: {assume: yes}\n    then:\n      investigate: vendor_support",
    )
    result = spor("diff", RULES, folder, EXAMPLES)
    assert result.exit_code == 1
    assert "CHANGED tax-builtin-rejected" in result.output
    assert "    facts.investigate: bounce_message -> vendor_support" in result.output
    assert "    outcome: rejected_builtin -> rejected_without_bounce" in result.output
    # an assumption the edit no longer reaches is a difference too
    assert "    assumed: [bounce_received, bounce_reason] -> [bounce_received]" in result.output
    # the nine cases that reach a rejection's message (two of them by assumption)
    assert result.output.splitlines()[-1] == f"9 of {len(list(EXAMPLES.iterdir()))} case(s) changed"
    assert spor("diff", RULES, RULES).exit_code == 0


def test_schema_command_prints_valid_schemas():
    for kind in ("rules", "case", "result"):
        result = spor("schema", kind)
        data = json.loads(result.output)
        assert data["$schema"].endswith("2020-12/schema") and data["$id"]


def test_graph_escapes_markup_from_rule_files(tmp_path):
    from spor.analysis.graph import dot, mermaid
    from spor.api import load

    folder = tmp_path / "rb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "printer", folder)
    path = folder / "printer.yaml"
    label = 'label: {nb: Papir, en: "Paper #1 <b>\\"A\\" \\\\"}'  # YAML for: Paper #1 <b>"A" \
    path.write_text(path.read_text(encoding="utf-8").replace("label: {nb: Papir, en: Paper}", label), encoding="utf-8")
    rb = load(folder).rulebase
    assert rb.facts["paper"].label.en == 'Paper #1 <b>"A" \\'
    assert r'f_paper[/"Paper #35;1 #lt;b#gt;#quot;A#quot; \<br/>paper"/]' in mermaid(rb, "en")
    assert r'label="Paper #1 <b>\"A\" \\\npaper"' in dot(rb, "en")


def test_test_command_says_when_nothing_matched():
    result = spor("test", EXAMPLES, "-k", "no-such-case")
    assert result.exit_code == 1 and "no case to run: none matches -k 'no-such-case'" in result.stderr


def test_too_many_rules_for_the_engine_is_reported_and_refused(monkeypatch, heating_rulebase):
    import spor.analysis.verify
    import spor.inference.session

    rulebase = heating_rulebase  # 20 rules

    monkeypatch.setattr(spor.analysis.verify, "MAX_ENGINE_RULES", 10)
    monkeypatch.setattr(spor.inference.session, "MAX_ENGINE_RULES", 10)
    report = spor.analysis.verify.verify(rulebase)
    assert [f.code for f in report.errors] == ["too_many_rules"]
    from spor.common.errors import InputError
    from spor.inference.session import Session

    with pytest.raises(InputError) as info:
        Session(rulebase)
    assert "the inference engine takes at most 10" in info.value.problems[0].message
