"""What spor check says, for an editor to act on (issue 15, item 4): a rule with two conclusions is named and
told to split, a misspelt key gets a did-you-mean, an unreachable rule names the derived value that never
occurs, and two rules that contradict each other for the same cases are a conflict.

On copies of the heating fixture rulebase (tests/fixtures/heating), each edited one way."""

from __future__ import annotations

import pytest

from spor.analysis.verify import verify
from spor.api import load
from spor.common.errors import InputError
from spor.inference.evaluate import Evaluator

from .conftest import HEATING, edited_copy


@pytest.fixture
def edited(tmp_path):
    """edited(file, old, new, ...) -> the folder of a copy of the heating fixture with each text replaced once."""

    def _edit(*edits):
        return edited_copy(HEATING, tmp_path / "rules", *edits)

    return _edit


def problems(folder) -> list:
    with pytest.raises(InputError) as caught:
        load(folder)
    return caught.value.problems


CABIN = "    when:\n      building: cabin\n    then:\n      heat_source: electric\n"


def test_a_rule_with_two_conclusions_is_named_and_told_to_split(edited):
    folder = edited("20-source.yaml", CABIN, CABIN + "      outcome: turn_up\n")
    (problem,) = problems(folder)
    assert problem.file.endswith("20-source.yaml") and problem.line is not None
    assert problem.message == (
        "rule 'source-cabin-electric' concludes 2 things (heat_source, outcome), but a rule concludes one: "
        "split it into 2 rules with the same 'when', one conclusion each"
    )


def test_a_misspelt_key_gets_a_did_you_mean(edited):
    folder = edited("20-source.yaml", CABIN, "    priorty: 1\n" + CABIN)
    (problem,) = problems(folder)
    assert problem.message.startswith("unknown key 'priorty' (did you mean 'priority'?); allowed here: ")
    assert "priority" in problem.message.split("allowed here: ")[1].split(", ")


def test_an_unknown_key_like_no_other_still_lists_what_is_allowed(edited):
    folder = edited("20-source.yaml", CABIN, "    colour: red\n" + CABIN)
    (problem,) = problems(folder)
    assert problem.message.startswith("unknown key 'colour'; allowed here: ") and "did you mean" not in problem.message


def test_unreachable_names_the_derived_values_that_never_meet(edited):
    # a closed state is only derived at the valve: the outcome rule wants it at the thermostat too
    folder = edited(
        "40-outcomes.yaml", "      state: closed\n    then:", "      state: closed\n      check_at: display\n    then:"
    )
    (dead,) = [f for f in verify(load(folder).rulebase).errors if f.code == "unreachable"]
    assert dead.rules == ("outcome-closed",)
    assert dead.message == (
        "rule 'outcome-closed' can never fire: no case produces check_at = display together with state = closed"
    )


def test_unreachable_names_a_derived_value_no_case_produces(edited):
    # no rule concludes state = closed any more: the outcome rule that needs it can never fire
    folder = edited(
        "30-state.yaml",
        "      valve_open: no\n    then:\n      state: closed",
        "      valve_open: no\n    then:\n      state: fault",
    )
    report = verify(load(folder).rulebase)
    (dead,) = [f for f in report.errors if f.code == "unreachable"]
    assert dead.message == "rule 'outcome-closed' can never fire: no case produces state = closed"
    assert "no rule concludes state = closed" in [f.message for f in report.warnings]


TWIN = (
    "  - id: source-cabin-water\n    title: {nb: a, en: a}\n    cites: ['§1']\n"
    "    when:\n      building: cabin\n    then:\n      heat_source: water\n"
)


def test_a_rule_that_contradicts_another_for_the_same_cases_is_a_conflict(edited):
    folder = edited(
        "20-source.yaml", "  - id: source-heat-pump-electric\n", TWIN + "\n  - id: source-heat-pump-electric\n"
    )
    rb = load(folder).rulebase
    report = verify(rb)
    assert not [f for f in report.errors if f.code == "masked"]
    (conflict,) = [f for f in report.errors if f.code == "conflict"]
    assert conflict.rules == ("source-cabin-electric", "source-cabin-water")
    assert conflict.message.startswith(
        "rules 'source-cabin-electric' and 'source-cabin-water' hold for exactly the same cases but conclude "
        "heat_source = electric and heat_source = water"
    )
    assert conflict.line == next(r.line for r in rb.rules if r.id == "source-cabin-water")
    assert conflict.example == {"building": "cabin"}
    assert Evaluator(rb).evaluate(conflict.example).derived["heat_source"] == "electric"  # the first one wins


def test_a_rule_only_part_of_another_covers_is_still_masked(edited):
    # narrower than the rule that hides it: a special case overridden, not the same rule twice
    narrower = TWIN.replace("      building: cabin\n", "      building: cabin\n      setting: water\n")
    folder = edited(
        "20-source.yaml", "  - id: source-heat-pump-electric\n", narrower + "\n  - id: source-heat-pump-electric\n"
    )
    report = verify(load(folder).rulebase)
    (masked,) = [f for f in report.errors if f.code == "masked"]
    assert masked.rules == ("source-cabin-water", "source-cabin-electric")
    assert not [f for f in report.errors if f.code == "conflict"]


def test_a_count_out_of_bounds_reads_as_english(edited):
    # (was: "1 entries here; at least 2 are allowed")
    one = "      - id: electric\n        label: {nb: Strøm, en: Electricity}\n      - id: water\n"
    folder = edited("20-source.yaml", one, "      - id: water\n")
    messages = [p.message for p in problems(folder)]
    assert "1 entry here; at least 2 are needed" in messages
