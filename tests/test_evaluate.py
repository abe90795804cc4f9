"""Evaluating cases: decisions through a chain of derived facts, missing facts, trace, warnings, isolation.

On the fixture rulebases (tests/fixtures/heating, printer): the article's own
decisions (payroll is always built-in, ...) are tested in test_shipped_rulebase.py.
"""

from __future__ import annotations

import itertools
import random

import pytest

from spor.api import load
from spor.inference.evaluate import Evaluator
from spor.output.record import as_json

from .conftest import HEATING, ROOT, assert_every_complete_case_decided

# the input facts of the heating fixture and their values
HEATING_FACTS = {
    "building": ["house", "terraced", "cabin", "flat", "office"],
    "heat_pump": ["yes", "no"],
    "setting": ["electric", "water"],
    "display": ["normal", "error", "blank"],
    "valve_open": ["yes", "no"],
    "fuse_blown": ["yes", "no"],
}


def source(evaluator, **facts):
    return evaluator.evaluate(facts).derived.get("heat_source")


@pytest.mark.parametrize("setting", ["electric", "water"])
@pytest.mark.parametrize("heat_pump", ["yes", "no"])
def test_a_rule_that_holds_whatever_else_is_given_decides(heating_evaluator, setting, heat_pump):
    # source-cabin-electric needs only the building: the other facts change nothing
    assert source(heating_evaluator, building="cabin", setting=setting, heat_pump=heat_pump) == "electric"


@pytest.mark.parametrize("building", ["flat", "office"])
def test_value_lists_and_rule_order(heating_evaluator, building):
    assert source(heating_evaluator, building=building, heat_pump="yes", setting="water") == "electric"
    assert source(heating_evaluator, building=building, heat_pump="no", setting="water") == "water"
    assert source(heating_evaluator, building=building, heat_pump="no", setting="electric") == "electric"
    assert source(heating_evaluator, building="house", setting="water") == "water"
    assert source(heating_evaluator, building="terraced", setting="water") == "water"


def test_missing_lists_only_the_facts_that_can_still_matter(heating_evaluator):
    missing = lambda **facts: [f.id for f in heating_evaluator.evaluate(facts).missing]  # noqa: E731
    assert missing() == ["building", "heat_pump", "setting", "display", "valve_open", "fuse_blown"]  # declared order
    # a house never asks for a heat pump
    assert missing(building="house") == ["setting", "display", "valve_open", "fuse_blown"]
    assert missing(building="cabin") == ["display", "fuse_blown"]  # electric: the valve is never asked
    assert missing(building="cabin", display="normal") == []  # decided
    assert missing(building="flat", heat_pump="no", setting="water") == ["valve_open"]


def test_a_chain_of_derived_facts_reaches_an_outcome_with_its_placeholders_filled(heating_evaluator):
    result = heating_evaluator.evaluate({"building": "cabin", "display": "blank", "fuse_blown": "no"})
    assert result.derived == {
        "heat_source": "electric",
        "trade": "electrician",
        "check_at": "display",
        "state": "unpowered",
    }
    assert result.outcome.id == "call_pro" and result.outcome.side == "professional"
    assert [f.rule.target for f in result.trace] == ["heat_source", "trade", "check_at", "state", "outcome"]
    assert "en elektriker" in as_json(result, "nb")["verdict"]  # {trade}, a derived fact, by its label
    rented = heating_evaluator.evaluate(
        {"building": "flat", "heat_pump": "no", "setting": "electric", "display": "blank", "fuse_blown": "no"}
    )
    assert rented.outcome.id == "ask_landlord" and "the Flat" in as_json(rented, "en")["verdict"]  # {building}


def test_trace_records_the_values_each_rule_saw(heating_evaluator):
    result = heating_evaluator.evaluate({"building": "flat", "heat_pump": "yes", "setting": "water"})
    first = result.trace[0]
    assert first.rule.id == "source-heat-pump-electric"
    assert first.saw == {"building": "flat", "heat_pump": "yes"}
    # trade's rules are defined after check_at's, but their priority -1 makes them fire first
    assert [f.rule.target for f in result.trace] == ["heat_source", "trade", "check_at"]
    assert result.trace[1].saw == {"heat_source": "electric"}


def test_without_its_priority_a_rule_fires_in_definition_order(tmp_path):
    import shutil

    folder = tmp_path / "rb"
    shutil.copytree(HEATING, folder)
    path = folder / "30-state.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    priority: -1\n", ""), encoding="utf-8")
    result = Evaluator(load(folder).rulebase).evaluate({"building": "flat", "heat_pump": "yes", "setting": "water"})
    assert [f.rule.target for f in result.trace] == ["heat_source", "check_at", "trade"]


def test_given_derived_fact_is_not_rederived(heating_evaluator):
    result = heating_evaluator.evaluate({"building": "cabin", "heat_source": "water"})
    assert result.given["heat_source"] == "water" and "heat_source" not in result.derived
    assert result.derived["check_at"] == "valve" and result.derived["trade"] == "plumber"


def test_negation_and_any_decide_only_once_their_facts_are_known(heating_evaluator):
    # outcome-off-rented: fuse_blown {not: yes} and any [flat, office]; outcome-off-owned: not [flat, office]
    unknown_building = heating_evaluator.evaluate({"heat_source": "electric", "display": "blank", "fuse_blown": "no"})
    assert unknown_building.outcome is None and [f.id for f in unknown_building.missing] == ["building"]
    unknown_fuse = heating_evaluator.evaluate({"building": "office", "heat_source": "electric", "display": "blank"})
    assert unknown_fuse.outcome is None and [f.id for f in unknown_fuse.missing] == ["fuse_blown"]
    assert (
        heating_evaluator.evaluate(
            {"building": "office", "heat_source": "electric", "display": "blank", "fuse_blown": "no"}
        ).outcome.id
        == "ask_landlord"
    )


def all_complete_cases():
    names = list(HEATING_FACTS)
    for values in itertools.product(*HEATING_FACTS.values()):
        yield dict(zip(names, values))


def test_every_complete_case_reaches_an_outcome_with_no_conflict(heating_rulebase, heating_evaluator):
    assert_every_complete_case_decided(heating_rulebase, heating_evaluator, all_complete_cases())


def test_answering_the_missing_questions_in_order_always_ends(heating_evaluator):
    rng = random.Random(7)
    for _ in range(200):
        truth = {name: rng.choice(values) for name, values in HEATING_FACTS.items()}
        facts, asked = {}, []
        while True:
            result = heating_evaluator.evaluate(facts)
            if result.outcome:
                break
            nxt = result.missing[0].id
            assert nxt not in facts
            facts[nxt] = truth[nxt]
            asked.append(nxt)
        assert result.outcome.id == heating_evaluator.evaluate(truth).outcome.id
        # never both the thermostat and the valve: the heat source decides which one is read
        assert len(asked) <= 5 and not {"display", "valve_open"} <= set(asked), asked


def test_sessions_are_isolated_and_order_does_not_matter(heating_evaluator):
    names = list(HEATING_FACTS)
    cases = [
        {n: v for n, v in zip(names, values) if v is not None}
        for values in itertools.product(*((None, *v) for v in HEATING_FACTS.values()))
    ]
    first = [as_json(heating_evaluator.evaluate(c)) for c in cases]
    shuffled = list(range(len(cases)))
    random.Random(3).shuffle(shuffled)
    for i in shuffled:
        assert as_json(heating_evaluator.evaluate(cases[i])) == first[i]
    assert len({data["outcome"] for data in first}) == 6  # decided (five outcomes) and undecided cases among them


def test_more_sessions_than_the_engine_keeps_alive(heating_evaluator):
    # durable-rules allows 1024 live sessions per ruleset; each case deletes its own
    for _ in range(1500):
        assert heating_evaluator.evaluate({"building": "cabin"}).derived["heat_source"] == "electric"


def test_second_rulebase_runs_on_the_same_engine():
    printer = Evaluator(load(ROOT / "tests" / "fixtures" / "printer").rulebase)
    assert printer.evaluate({"power_light": "no"}).outcome.id == "plug_in"
    result = printer.evaluate({"power_light": "yes", "paper": "jammed"})
    assert result.outcome.id == "add_paper"
    assert [f.id for f in printer.evaluate({"power_light": "yes"}).missing] == ["paper"]
    assert [f.id for f in printer.evaluate({}).missing] == ["power_light", "paper"]


def test_negation_never_matches_an_unknown_fact():
    printer = Evaluator(load(ROOT / "tests" / "fixtures" / "printer").rulebase)
    result = printer.evaluate({"power_light": "yes"})  # paper unknown: "paper is not ok" is undecided
    assert result.outcome is None


def _printer_with(tmp_path, old, new):
    import shutil

    folder = tmp_path / "rb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "printer", folder)
    path = folder / "printer.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return Evaluator(load(folder).rulebase)


def test_gap_is_warned(tmp_path):
    evaluator = _printer_with(
        tmp_path, "when: {all: [{state: ready}, {paper: ok}]}", "when: {all: [{state: ready}, {paper: empty}]}"
    )
    result = evaluator.evaluate({"power_light": "yes", "paper": "ok"})
    assert result.outcome is None and result.missing == []
    assert [w.code for w in result.warnings] == ["gap"]


def test_conflict_is_warned(tmp_path):
    evaluator = _printer_with(tmp_path, "when: {all: [{state: ready}, {paper: ok}]}", "when: {all: [{state: ready}]}")
    result = evaluator.evaluate({"power_light": "yes", "paper": "empty"})
    assert result.outcome.id == "add_paper"  # defined first, fires first
    conflict = [w for w in result.warnings if w.code == "conflict"]
    assert conflict and conflict[0].params["rule"] == "vendor"
