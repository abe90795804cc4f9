"""The editors' commands as a user runs them: check, test, graph, diff, schema."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from spor.cli import cli
from spor.analysis.graph import mermaid

from .conftest import EXAMPLES, ROOT, RULES


def spor(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def rules_copy(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)

    def edit(file, old, new):
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return folder

    edit.folder = folder
    return edit


def test_check_shipped_rulebase_strict_is_clean(rulebase):
    result = spor("check", "--strict")
    assert result.exit_code == 0
    assert result.output.strip() == f"sporing-av-epost: {len(rulebase.rules)} rules, 0 error(s), 0 warning(s)"


def test_check_reports_every_schema_error_with_location(rules_copy):
    rules_copy("20-transport.yaml", "  - id: transport-payroll-builtin", "  - id: Transport-Payroll")
    folder = rules_copy("30-status.yaml", "    cites: [\"§4\"]\n    when:\n      transport: external",
                        "    cites: [\"44\"]\n    colour: red\n    when:\n      transport: external")
    result = spor("check", "--rules", folder)
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if "error[invalid]" in l]
    assert len(lines) == 3
    assert re.search(r"20-transport\.yaml:\d+:9 \(rules\[0\]\.id\): error\[invalid\]: 'Transport-Payroll' is not allowed", result.output)
    assert re.search(r"30-status\.yaml:\d+:5 \(rules\[1\]\.colour\): error\[invalid\]: unknown key 'colour'", result.output)
    assert "'44' is not allowed" in result.output


def test_check_typo_and_bad_section_after_schema(rules_copy):
    rules_copy("40-investigate.yaml", "      status_meaning: rejected\n", "      status_meaning: rejectd\n")
    folder = rules_copy("40-investigate.yaml", 'cites: ["§3", "§4"]', 'cites: ["§3", "§13"]')
    result = spor("check", "--rules", folder, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    messages = [f["message"] for f in data["findings"]]
    assert any("'rejectd' is not a value of 'status_meaning' (did you mean 'rejected'?)" in m for m in messages)
    assert any("cites '§13'" in m for m in messages)
    assert all(f["file"].endswith("40-investigate.yaml") and f["line"] for f in data["findings"])


def test_check_gap_prints_a_ready_to_run_case(rules_copy, tmp_path):
    folder = rules_copy("30-status.yaml", "      log_status: avvist\n", "      log_status: levert\n")
    result = spor("check", "--rules", folder)
    assert result.exit_code == 1
    assert "error[gap]: no value for 'status_meaning' when log_status = avvist, status_location = email_log" in result.output
    block = result.output.split("try `spor run` on it):\n", 1)[1].split("\n/", 1)[0].split("\nsporing", 1)[0]
    case = tmp_path / "gap.yaml"
    case.write_text("\n".join(line[6:] for line in block.splitlines()) + "\n", encoding="utf-8")
    ran = spor("run", "--rules", folder, "--format", "json", case)
    assert json.loads(ran.stdout)["facts"].get("status_meaning") is None


def test_check_strict_fails_on_warnings(rules_copy):
    folder = rules_copy("50-outcomes.yaml", "    then:\n      outcome: delivered", "    then:\n      outcome: sent_from_mail_program")
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
    assert result.output.splitlines()[-1] == f"{len(list(EXAMPLES.glob('*.*')))} passed, 0 failed"


def test_test_command_shows_field_differences(tmp_path):
    case = tmp_path / "wrong.yaml"
    case.write_text("facts: {module: lonn, concern: sent, log_status: avvist, bounce_received: yes, bounce_reason: other}\n"
                    "expect: {outcome: delivered, facts: {investigate: recipient_mail_server}}\n", encoding="utf-8")
    result = spor("test", case)
    assert result.exit_code == 1
    assert "FAIL wrong" in result.output
    assert "    outcome: expected 'delivered', got 'rejected_builtin'" in result.output
    assert "    facts.investigate: expected 'recipient_mail_server', got 'bounce_message'" in result.output
    assert result.output.splitlines()[-1] == "0 passed, 1 failed"


def test_test_command_selection_coverage_threshold_and_json():
    result = spor("test", EXAMPLES, "-k", "payroll", "--coverage", "--fail-under", "90", "--format", "json")
    data = json.loads(result.output)
    assert {c["case"] for c in data["cases"]} == {"payroll-not-received-delivered", "payroll-was-it-sent",
                                                   "payroll-delivered-but-bounced", "incomplete-payroll-never-asks-setting"}
    assert data["coverage"]["percent"] < 90 and result.exit_code == 1
    transport = next(f for f in data["coverage"]["files"] if f["file"] == "20-transport.yaml")
    assert "transport-setting-external-not-moved" in transport["rules_not_fired"]


def test_test_command_error_for_an_unreadable_case(tmp_path):
    (tmp_path / "bad.yaml").write_text("facts: {module: nope}\nexpect: {outcome: null}\n", encoding="utf-8")
    result = spor("test", tmp_path)
    assert result.exit_code == 1 and "ERROR bad" in result.output and "bad.yaml:1:17" in result.output


def test_graph_in_readme_is_up_to_date(rulebase):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- spor graph --lang en: start -->\n```mermaid\n", 1)[1].split("```\n<!-- spor graph", 1)[0]
    assert block == mermaid(rulebase, "en"), "README's diagram is stale: paste `spor graph --lang en` into it"


def test_graph_formats(rulebase):
    result = spor("graph", "--format", "dot")
    assert result.exit_code == 0 and result.output.startswith('digraph "sporing-av-epost" {')
    assert "f_module -> f_transport [label=\"transport-payroll-builtin: = lonn ⇒ builtin\"];" in result.output
    edges = [l for l in spor("graph").output.splitlines() if "-->" in l]
    assert len(edges) == sum(len({leaf for leaf in _facts(r)}) for r in rulebase.rules)


def _facts(rule):
    from spor.rulebase.conditions import facts_read

    return facts_read(rule.when)


def test_diff_lists_changed_cases(rules_copy):
    folder = rules_copy("40-investigate.yaml", "      bounce_received: yes\n    then:\n      investigate: bounce_message",
                        "      bounce_received: yes\n    then:\n      investigate: vendor_support")
    result = spor("diff", RULES, folder, EXAMPLES)
    assert result.exit_code == 1
    assert "CHANGED tax-builtin-rejected" in result.output
    assert "    facts.investigate: bounce_message -> vendor_support" in result.output
    assert "    outcome: rejected_builtin -> rejected_without_bounce" in result.output
    # the six decided rejections, and the five incomplete cases that no longer miss bounce_reason
    assert result.output.splitlines()[-1] == f"11 of {len(list(EXAMPLES.iterdir()))} case(s) changed"
    assert spor("diff", RULES, RULES).exit_code == 0


def test_schema_command_prints_valid_schemas():
    for kind in ("rules", "case", "result"):
        result = spor("schema", kind)
        data = json.loads(result.output)
        assert data["$schema"].endswith("2020-12/schema") and data["$id"]


def test_shipped_yaml_files_name_their_schema():
    for path in [*RULES.glob("*.yaml"), *EXAMPLES.glob("*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schemas/"), path


def _undescribed(node, path, out):
    """Properties and definitions whose description is not given in English / Norwegian."""
    if not isinstance(node, dict):
        return
    for kind in ("properties", "$defs"):
        for name, sub in node.get(kind, {}).items():
            if " / " not in sub.get("description", ""):
                out.append(f"{path}.{name}")
            _undescribed(sub, f"{path}.{name}", out)
    for key in ("items", "additionalProperties"):
        _undescribed(node.get(key), f"{path}.{key}", out)
    for key in ("oneOf", "anyOf", "allOf"):
        for i, sub in enumerate(node.get(key, [])):
            _undescribed(sub, f"{path}.{key}[{i}]", out)


@pytest.mark.parametrize("name", ["rulefile", "case", "result"])
def test_every_schema_field_is_described_in_both_languages(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    missing = []
    _undescribed(schema, name, missing)
    assert missing == []


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


def test_too_many_rules_for_the_engine_is_reported_and_refused(monkeypatch, rulebase):
    import spor.inference.session
    import spor.analysis.verify

    monkeypatch.setattr(spor.analysis.verify, "MAX_ENGINE_RULES", 10)
    monkeypatch.setattr(spor.inference.session, "MAX_ENGINE_RULES", 10)
    report = spor.analysis.verify.verify(rulebase)
    assert [f.code for f in report.errors] == ["too_many_rules"]
    from spor.common.errors import InputError
    from spor.inference.session import Session

    with pytest.raises(InputError) as info:
        Session(rulebase)
    assert "the inference engine takes at most 10" in info.value.problems[0].message
