"""Case files: values named any way people write them, every bad value located."""
from __future__ import annotations

import pytest

from spor.rulebase.cases import load_case
from spor.common.errors import InputError


@pytest.mark.parametrize("written, expected", [
    ("lonn", "lonn"), ("Lønn", "lonn"), ("LØNN", "lonn"), ("payroll", "lonn"), ("  Payroll ", "lonn"),
    ("Faktura", "faktura"), ("invoicing", "faktura"), ("Accounting reports", "regnskapsrapporter"),
])
def test_module_spellings(normaliser, written, expected):
    assert normaliser.value("module", written) == (expected, None)


@pytest.mark.parametrize("written, expected", [
    (True, "yes"), (False, "no"), ("ja", "yes"), ("Nei", "no"), ("true", "yes"), ("FALSE", "no"), ("Yes", "yes"),
])
def test_yes_no_spellings(normaliser, written, expected):
    assert normaliser.value("on_agro24", written) == (expected, None)


@pytest.mark.parametrize("fact, written, expected", [
    ("log_status", "Levert", "levert"), ("log_status", "delivered", "levert"), ("log_status", "Avvist", "avvist"),
    ("email_setting", "Ekstern", "ekstern"), ("email_setting", "built-in", "innebygget"),
    ("concern", "not received", "not_received"),
])
def test_contract_spellings(normaliser, fact, written, expected):
    assert normaliser.value(fact, written) == (expected, None)


def test_unknown_value_suggests_the_closest(normaliser):
    value, message = normaliser.value("log_status", "Levertt")
    assert value is None and "did you mean 'levert'" in message and "allowed: levert (Levert / Delivered)" in message


def test_boolean_for_a_choice_fact_is_refused_as_written(write, normaliser):
    value, message = normaliser.value("module", True)
    assert value is None and message.startswith("expected a value of 'module', found True; allowed: lonn")
    (problem,) = bad_case(write, normaliser, "facts:\n  module: on\n")
    assert problem.message.startswith("'on' is not a value of 'module'")


def test_unquoted_numbers_and_yaml_booleans_are_read_as_written(write, normaliser):
    case = load_case(write("c.yaml", "facts:\n  on_agro24: 1\n  in_sent_folder: 0\n  bounce_received: off\n"), normaliser)
    assert case.facts == {"on_agro24": "yes", "in_sent_folder": "no", "bounce_received": "no"}


def bad_case(write, normaliser, text, name="case.yaml"):
    with pytest.raises(InputError) as info:
        load_case(write(name, text), normaliser)
    return info.value.problems


def test_bad_value_is_located(write, normaliser):
    (problem,) = bad_case(write, normaliser, """
        facts:
          module: lonn
          log_status: levertt
    """)
    assert (problem.line, problem.column) == (3, 15) and problem.path == ("facts", "log_status")
    assert problem.file.endswith("case.yaml")


def test_every_problem_is_reported(write, normaliser):
    problems = bad_case(write, normaliser, """
        facts:
          modul: lonn
          log_status: levertt
          on_agro24: maybe
    """)
    assert len(problems) == 3
    assert "unknown fact 'modul' (did you mean 'module'?)" in problems[0].message


def test_wrong_shape_and_unknown_top_level_key(write, normaliser):
    problems = bad_case(write, normaliser, """
        fact:
          module: lonn
    """)
    messages = [p.message for p in problems]
    assert any("unknown key 'fact'" in m for m in messages)
    assert any("'facts' is missing" in m for m in messages)
    problems = bad_case(write, normaliser, "facts: [lonn]\n")
    assert problems[0].message == 'expected a mapping, found ["lonn"]' and problems[0].line == 1


def test_nested_value_is_refused(write, normaliser):
    (problem,) = bad_case(write, normaliser, "facts:\n  module: {x: 1}\n")
    assert problem.line == 2 and "expected text or true or false or a whole number or null" in problem.message


def test_null_means_unknown(write, normaliser):
    case = load_case(write("c.yaml", "facts:\n  module: lonn\n  on_agro24: null\n"), normaliser)
    assert case.facts == {"module": "lonn"}


def test_empty_case_file(write, normaliser):
    (problem,) = bad_case(write, normaliser, "")
    assert "the file is empty" in problem.message


def test_expect_is_checked_against_the_rulebase(write, normaliser):
    problems = bad_case(write, normaliser, """
        facts: {module: lonn}
        expect:
          outcome: deliverd
          missing: [concern, modul]
    """)
    messages = " | ".join(p.message for p in problems)
    assert "unknown outcome 'deliverd' (did you mean 'delivered'?)" in messages
    assert "unknown fact 'modul'" in messages


def test_case_id_defaults_to_the_file_name(write, normaliser):
    assert load_case(write("ticket-42.yaml", "facts: {}\n"), normaliser).id == "ticket-42"
    assert load_case(write("t.yaml", "id: 42\nfacts: {}\n"), normaliser).id == "42"


def test_the_text_limits_spor_checks_by_hand_are_the_schemas():
    import json

    from spor.common import schemas

    from .conftest import ROOT

    properties = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))["properties"]
    assert (schemas.MAX_TITLE, schemas.MAX_NOTES) == (properties["title"]["maxLength"], properties["notes"]["maxLength"])
