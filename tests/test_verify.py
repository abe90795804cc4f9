"""spor check's verification: each broken rulebase is caught, located, and shown by an example
that the engine itself confirms."""
from __future__ import annotations

import shutil

import pytest

from spor.inference.evaluate import Evaluator
from spor.api import load
from spor.analysis.verify import verify

from .conftest import RULES


@pytest.fixture
def edited(tmp_path):
    """edited(file, old, new) -> the shipped rulebase with one text replaced."""

    def _edit(*edits):
        folder = tmp_path / "rules"
        if not folder.exists():
            shutil.copytree(RULES, folder)
        for file, old, new in zip(edits[::3], edits[1::3], edits[2::3]):
            path = folder / file
            text = path.read_text(encoding="utf-8")
            assert old in text, old
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return load(folder).rulebase

    return _edit


def codes(report):
    return sorted(f.code for f in report.findings)


def test_shipped_rulebase_is_clean(rulebase):
    assert verify(rulebase).findings == []


def test_gap_is_found_with_a_runnable_example(edited):
    rb = edited("30-status.yaml", "      log_status: avvist\n", "      log_status: levert\n")
    report = verify(rb)
    gaps = [f for f in report.errors if f.code == "gap" and f.decision == "status_meaning"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert "log_status = avvist" in gap.message and "status_location = email_log" in gap.message
    assert gap.file.endswith("30-status.yaml")
    result = Evaluator(rb).evaluate(gap.example)  # the engine agrees: nothing derived, nothing to ask
    assert "status_meaning" not in result.derived and result.outcome is None and result.missing == []


def test_conflict_is_found_with_an_example_the_engine_warns_about(edited):
    rb = edited("20-transport.yaml", "    when:\n      email_setting: innebygget\n",
                "    when:\n      email_setting: ekstern\n      module: regnskap\n")
    report = verify(rb)
    (conflict,) = [f for f in report.errors if f.code == "conflict"]
    assert conflict.rules == ("transport-setting-builtin", "transport-setting-external-other-module")
    assert conflict.example == {"email_setting": "ekstern", "module": "regnskap"}
    assert conflict.file.endswith("20-transport.yaml") and conflict.line == rb.rules_for["transport"][3].line
    result = Evaluator(rb).evaluate(conflict.example)
    assert "conflict" in [w.code for w in result.warnings]


def test_masked_rules_name_the_rule_that_hides_them(edited):
    rb = edited("20-transport.yaml", "    when:\n      email_setting: innebygget\n", "    when:\n      email_setting: ekstern\n")
    report = verify(rb)
    masked = [f for f in report.errors if f.code == "masked"]
    assert {f.rules for f in masked} == {("transport-setting-external-other-module", "transport-setting-builtin"),
                                         ("transport-setting-external-not-moved", "transport-setting-builtin")}
    assert all("'transport-setting-builtin' fires first" in f.message for f in masked)
    assert not [f for f in report.errors if f.code == "conflict"]  # the masked findings say it once
    result = Evaluator(rb).evaluate(masked[0].example)
    assert result.derived["transport"] == "builtin"


def test_unreachable_rule_needs_derived_values_that_never_meet(edited):
    rb = edited("50-outcomes.yaml", "      investigate: sender_mail_program\n    then:",
                "      investigate: sender_mail_program\n      status_location: email_log\n    then:")
    report = verify(rb)
    dead = [f for f in report.errors if f.code == "unreachable"]
    assert [f.rules for f in dead] == [("outcome-not-in-sent-folder",)]
    assert dead[0].line is not None and dead[0].file.endswith("50-outcomes.yaml")
    gaps = [f for f in report.errors if f.code == "gap"]
    assert gaps and all("investigate = sender_mail_program" in f.message for f in gaps)
    for gap in gaps:
        assert Evaluator(rb).evaluate(gap.example).outcome is None


def test_self_contradicting_rule(edited):
    rb = edited("20-transport.yaml", "      module: lonn\n    then:", "      module: lonn\n      not: {module: lonn}\n    then:")
    report = verify(rb)
    (dead,) = [f for f in report.errors if f.rules == ("transport-payroll-builtin",)]
    assert dead.code == "unreachable" and "contradicts itself" in dead.message


def test_redundant_rule_is_a_warning(edited):
    rb = edited("20-transport.yaml", "    when:\n      module: lonn\n", "    when:\n      module: lonn\n      email_setting: innebygget\n")
    report = verify(rb)
    redundant = [f for f in report.warnings if f.code == "redundant"]
    assert [f.rules for f in redundant] == [("transport-payroll-builtin", "transport-setting-builtin")]
    gap = [f for f in report.errors if f.code == "gap"]
    assert gap and gap[0].example == {"email_setting": "ekstern", "module": "lonn"}


def test_unused_outcome_value_and_section(edited):
    rb = edited("50-outcomes.yaml", "    then:\n      outcome: delivered", "    then:\n      outcome: sent_from_mail_program",
                "00-rulebase.yaml", '"§12": {nb: Flere spørsmål, en: Further questions}',
                '"§12": {nb: Flere spørsmål, en: Further questions}\n    "§13": {nb: Ny, en: New}')
    found = {(f.code, f.message) for f in verify(rb).warnings}
    assert ("unused_outcome", "outcome 'delivered' is concluded by no rule") in found
    assert any(code == "unused_section" and "§13" in message for code, message in found)


def test_unknown_fact_counts_never_gives_a_wrong_value(rulebase):
    # every case the engine decides with facts unknown is decided the same once they are known
    ev = Evaluator(rulebase)
    for facts in ({"module": "lonn"}, {"email_setting": "innebygget"}, {"module": "faktura", "on_agro24": "yes"}):
        partial = ev.evaluate(facts).derived["transport"]
        for setting in ("innebygget", "ekstern"):
            for agro24 in ("yes", "no"):
                full = {"module": "lonn", "email_setting": setting, "on_agro24": agro24, **facts}
                assert ev.evaluate(full).derived["transport"] == partial


def test_two_identical_rules_only_one_is_redundant(edited):
    text = ("  - id: transport-payroll-twin\n    title: {nb: a, en: a}\n    cites: ['§7']\n"
            "    when:\n      module: lonn\n    then:\n      transport: builtin\n")
    rb = edited("20-transport.yaml", "rules:\n", "rules:\n" + text)
    redundant = [f for f in verify(rb).warnings if f.code == "redundant"]
    assert [f.rules for f in redundant] == [("transport-payroll-twin", "transport-payroll-builtin")]


def test_a_search_too_large_is_not_called_impossible(edited, monkeypatch):
    import spor.analysis.verify as verify_module

    monkeypatch.setattr(verify_module, "MAX_REALISE_STEPS", 1)
    report = verify(edited())
    assert not [f for f in report.findings if f.code in ("unreachable", "gap")]
    assert {f.code for f in report.warnings} == {"too_complex"}
