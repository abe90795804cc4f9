"""spor check's verification: each broken rulebase is caught, located, and shown by an example
that the engine itself confirms.

On copies of the heating fixture rulebase (tests/fixtures/heating), each
edited to break it one way; that the shipped rulebase verifies clean is
tested in test_shipped_rulebase.py."""

from __future__ import annotations

import itertools

import pytest

from spor.analysis.verify import verify
from spor.api import load
from spor.inference.evaluate import Evaluator

from .conftest import HEATING, edited_copy


@pytest.fixture
def edited(tmp_path):
    """edited(file, old, new, ...) -> the heating fixture rulebase with each text replaced once."""

    def _edit(*edits):
        return load(edited_copy(HEATING, tmp_path / "rules", *edits)).rulebase

    return _edit


def codes(report):
    return sorted(f.code for f in report.findings)


def test_the_fixture_rulebase_is_clean(heating_rulebase):
    # the tests below each break it one way: the findings they expect are all the edit's
    assert verify(heating_rulebase).findings == []


def test_gap_is_found_with_a_runnable_example(edited):
    rb = edited("30-state.yaml", "      display: error\n", "      display: normal\n")
    report = verify(rb)
    gaps = [f for f in report.errors if f.code == "gap" and f.decision == "state"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert "display = error" in gap.message and "check_at = display" in gap.message
    assert gap.file.endswith("30-state.yaml")
    result = Evaluator(rb).evaluate(gap.example)  # the engine agrees: nothing derived, nothing to ask
    assert "state" not in result.derived and result.outcome is None and result.missing == []


def test_conflict_is_found_with_an_example_the_engine_warns_about(edited):
    rb = edited(
        "20-source.yaml",
        "    when:\n      setting: electric\n",
        "    when:\n      setting: water\n      building: house\n",
    )
    report = verify(rb)
    (conflict,) = [f for f in report.errors if f.code == "conflict"]
    assert conflict.rules == ("source-setting-electric", "source-setting-water-house")
    assert conflict.example == {"building": "house", "setting": "water"}
    assert conflict.file.endswith("20-source.yaml") and conflict.line == rb.rules_for["heat_source"][3].line
    result = Evaluator(rb).evaluate(conflict.example)
    assert "conflict" in [w.code for w in result.warnings]


def test_masked_rules_name_the_rule_that_hides_them(edited):
    rb = edited("20-source.yaml", "    when:\n      setting: electric\n", "    when:\n      setting: water\n")
    report = verify(rb)
    masked = [f for f in report.errors if f.code == "masked"]
    assert {f.rules for f in masked} == {
        ("source-setting-water-house", "source-setting-electric"),
        ("source-setting-water-no-pump", "source-setting-electric"),
    }
    assert all("'source-setting-electric' fires first" in f.message for f in masked)
    assert not [f for f in report.errors if f.code == "conflict"]  # the masked findings say it once
    result = Evaluator(rb).evaluate(masked[0].example)
    assert result.derived["heat_source"] == "electric"


def test_unreachable_rule_needs_derived_values_that_never_meet(edited):
    # a closed state is only derived at the valve: an outcome rule that wants it at the thermostat never fires
    rb = edited(
        "40-outcomes.yaml", "      state: closed\n    then:", "      state: closed\n      check_at: display\n    then:"
    )
    report = verify(rb)
    dead = [f for f in report.errors if f.code == "unreachable"]
    assert [f.rules for f in dead] == [("outcome-closed",)]
    assert dead[0].line is not None and dead[0].file.endswith("40-outcomes.yaml")
    gaps = [f for f in report.errors if f.code == "gap"]
    assert gaps and all("state = closed" in f.message for f in gaps)
    for gap in gaps:
        assert Evaluator(rb).evaluate(gap.example).outcome is None


def test_self_contradicting_rule(edited):
    rb = edited(
        "20-source.yaml",
        "      building: cabin\n    then:",
        "      building: cabin\n      not: {building: cabin}\n    then:",
    )
    report = verify(rb)
    (dead,) = [f for f in report.errors if f.rules == ("source-cabin-electric",)]
    assert dead.code == "unreachable" and "contradicts itself" in dead.message


def test_redundant_rule_is_a_warning(edited):
    rb = edited(
        "20-source.yaml",
        "    when:\n      building: cabin\n",
        "    when:\n      building: cabin\n      setting: electric\n",
    )
    report = verify(rb)
    redundant = [f for f in report.warnings if f.code == "redundant"]
    assert [f.rules for f in redundant] == [("source-cabin-electric", "source-setting-electric")]
    gap = [f for f in report.errors if f.code == "gap"]
    assert gap and gap[0].example == {"building": "cabin", "setting": "water"}


def test_unused_outcome_value_and_section(edited):
    rb = edited(
        "40-outcomes.yaml",
        "    then:\n      outcome: turn_up",
        "    then:\n      outcome: open_valve",
        "00-rulebase.yaml",
        '"§5": {nb: Flere spørsmål, en: Further questions}',
        '"§5": {nb: Flere spørsmål, en: Further questions}\n    "§6": {nb: Ny, en: New}',
    )
    found = {(f.code, f.message) for f in verify(rb).warnings}
    assert ("unused_outcome", "outcome 'turn_up' is concluded by no rule") in found
    assert any(code == "unused_section" and "§6" in message for code, message in found)


@pytest.mark.parametrize(
    "partial",
    [
        {"building": "cabin"},
        {"setting": "electric"},
        {"building": "flat", "heat_pump": "yes"},
        {"building": "house", "setting": "water"},
    ],
)
def test_unknown_fact_counts_never_gives_a_wrong_value(heating_evaluator, partial):
    # every case the engine decides with facts unknown is decided the same once they are known, whatever they are
    ev = heating_evaluator
    decided = ev.evaluate(partial).derived["heat_source"]
    others = {
        "building": ["house", "terraced", "cabin", "flat", "office"],
        "heat_pump": ["yes", "no"],
        "setting": ["electric", "water"],
    }
    for values in itertools.product(*others.values()):
        full = {**dict(zip(others, values)), **partial}
        assert ev.evaluate(full).derived["heat_source"] == decided, full


def test_two_identical_rules_only_one_is_redundant(edited):
    text = (
        "  - id: source-cabin-twin\n    title: {nb: a, en: a}\n    cites: ['§1']\n"
        "    when:\n      building: cabin\n    then:\n      heat_source: electric\n"
    )
    rb = edited("20-source.yaml", "rules:\n", "rules:\n" + text)
    redundant = [f for f in verify(rb).warnings if f.code == "redundant"]
    assert [f.rules for f in redundant] == [("source-cabin-twin", "source-cabin-electric")]


def test_a_search_too_large_is_not_called_impossible(edited, monkeypatch):
    import spor.analysis.verify as verify_module

    monkeypatch.setattr(verify_module, "MAX_REALISE_STEPS", 1)
    report = verify(edited())
    assert not [f for f in report.findings if f.code in ("unreachable", "gap")]
    assert {f.code for f in report.warnings} == {"too_complex"}
