"""Case files: values named any way people write them, every bad value located.

On the heating fixture rulebase (tests/fixtures/heating); the shipped
rulebase's own spellings (Lønn, Levert, ...) are tested in test_shipped_rulebase.py."""

from __future__ import annotations

import pytest

from spor.common.errors import InputError
from spor.rulebase.cases import load_case


@pytest.fixture
def normaliser(heating_normaliser):
    """The heating fixture's normaliser (not the shipped rulebase's, which conftest's `normaliser` is)."""
    return heating_normaliser


@pytest.mark.parametrize(
    "written, expected",
    [
        ("house", "house"),
        ("Enebolig", "house"),
        ("ENEBOLIG", "house"),
        ("villa", "house"),
        ("  Villa ", "house"),
        ("Hytte", "cabin"),
        ("cottage", "cabin"),
        ("Terraced house", "terraced"),
        ("LEIL", "flat"),
    ],
)
def test_value_spellings(normaliser, written, expected):
    assert normaliser.value("building", written) == (expected, None)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("Strøm", "electric"),
        ("STRØM", "electric"),
        ("strøm", "electric"),
        ("Electric", "electric"),
        ("Vannbåren", "water"),
        ("VANNBÅREN", "water"),
        ("hydronic", "water"),
        ("vann", "water"),
    ],
)
def test_labels_outside_ascii_in_any_letter_case(normaliser, written, expected):
    assert normaliser.value("setting", written) == (expected, None)


@pytest.mark.parametrize(
    "written, expected",
    [
        (True, "yes"),
        (False, "no"),
        ("ja", "yes"),
        ("Nei", "no"),
        ("true", "yes"),
        ("FALSE", "no"),
        ("Yes", "yes"),
    ],
)
def test_yes_no_spellings(normaliser, written, expected):
    assert normaliser.value("heat_pump", written) == (expected, None)


def test_unknown_value_suggests_the_closest(normaliser):
    value, message = normaliser.value("display", "errorr")
    assert value is None and "did you mean 'error'" in message
    assert "allowed: normal (Vanlig temperatur / The usual temperature)" in message


def test_boolean_for_a_choice_fact_is_refused_as_written(write, normaliser):
    value, message = normaliser.value("building", True)
    assert value is None and message.startswith("expected a value of 'building', found True; allowed: house")
    (problem,) = bad_case(write, normaliser, "facts:\n  building: on\n")
    assert problem.message.startswith("'on' is not a value of 'building'")


def test_unquoted_numbers_and_yaml_booleans_are_read_as_written(write, normaliser):
    case = load_case(write("c.yaml", "facts:\n  heat_pump: 1\n  valve_open: 0\n  fuse_blown: off\n"), normaliser)
    assert case.facts == {"heat_pump": "yes", "valve_open": "no", "fuse_blown": "no"}


def bad_case(write, normaliser, text, name="case.yaml"):
    with pytest.raises(InputError) as info:
        load_case(write(name, text), normaliser)
    return info.value.problems


def test_bad_value_is_located(write, normaliser):
    (problem,) = bad_case(
        write,
        normaliser,
        """
        facts:
          building: house
          display: errorr
    """,
    )
    assert (problem.line, problem.column) == (3, 12) and problem.path == ("facts", "display")
    assert problem.file.endswith("case.yaml")


def test_every_problem_is_reported(write, normaliser):
    problems = bad_case(
        write,
        normaliser,
        """
        facts:
          buildin: house
          display: errorr
          heat_pump: maybe
    """,
    )
    assert len(problems) == 3
    assert "unknown fact 'buildin' (did you mean 'building'?)" in problems[0].message


def test_wrong_shape_and_unknown_top_level_key(write, normaliser):
    problems = bad_case(
        write,
        normaliser,
        """
        fact:
          building: house
    """,
    )
    messages = [p.message for p in problems]
    assert any("unknown key 'fact'" in m for m in messages)
    assert any("'facts' is missing" in m for m in messages)
    problems = bad_case(write, normaliser, "facts: [house]\n")
    assert problems[0].message == 'expected a mapping, found ["house"]' and problems[0].line == 1


def test_nested_value_is_refused(write, normaliser):
    (problem,) = bad_case(write, normaliser, "facts:\n  building: {x: 1}\n")
    assert problem.line == 2 and "expected text or true or false or a whole number or null" in problem.message


def test_null_means_unknown(write, normaliser):
    case = load_case(write("c.yaml", "facts:\n  building: house\n  heat_pump: null\n"), normaliser)
    assert case.facts == {"building": "house"}


def test_empty_case_file(write, normaliser):
    (problem,) = bad_case(write, normaliser, "")
    assert "the file is empty" in problem.message


def test_expect_is_checked_against_the_rulebase(write, normaliser):
    problems = bad_case(
        write,
        normaliser,
        """
        facts: {building: house}
        expect:
          outcome: turn_upp
          missing: [display, buildin]
    """,
    )
    messages = " | ".join(p.message for p in problems)
    assert "unknown outcome 'turn_upp' (did you mean 'turn_up'?)" in messages
    assert "unknown fact 'buildin'" in messages


def test_case_id_defaults_to_the_file_name(write, normaliser):
    assert load_case(write("ticket-42.yaml", "facts: {}\n"), normaliser).id == "ticket-42"
    assert load_case(write("t.yaml", "id: 42\nfacts: {}\n"), normaliser).id == "42"


def test_the_text_limits_spor_checks_by_hand_are_the_schemas():
    import json

    from spor.common import schemas

    from .conftest import ROOT

    properties = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))["properties"]
    assert (schemas.MAX_TITLE, schemas.MAX_NOTES) == (
        properties["title"]["maxLength"],
        properties["notes"]["maxLength"],
    )
