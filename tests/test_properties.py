"""Property-based tests (hypothesis): random valid cases give results that respect the rulebase;
random invalid input always gives exit 2 and a located message, never a traceback.

On the heating fixture rulebase (tests/fixtures/heating); the exhaustive run
of the shipped rulebase's 38,880 cases is in test_shipped_rulebase.py."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spor.cli import cli
from spor.common.reader import Document
from spor.output.record import as_json
from spor.rulebase.cases import case_from_document
from spor.rulebase.model import OUTCOME
from spor.rulebase.vocabulary import words

from .conftest import HEATING, assert_every_partial_case_answers_alike_in_any_order

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _spellings(fact):
    """Every way a case may write each value of a fact."""
    return [(value.id, word) for value in fact.values for word in words(value)]


@st.composite
def valid_cases(draw, rulebase):
    facts, expected = {}, {}
    for fact in rulebase.facts.values():
        if fact.derived or not draw(st.booleans()):
            continue
        value, word = draw(st.sampled_from(_spellings(fact)))
        word = draw(st.sampled_from([word, word.upper(), word.lower(), f"  {word} "]))
        facts[fact.id], expected[fact.id] = word, value
    return facts, expected


def _rulebase():
    from spor.api import load

    return load(HEATING).rulebase


RB = _rulebase()


@SETTINGS
@given(valid_cases(RB))
def test_random_valid_cases_respect_the_rulebase(heating_rulebase, heating_evaluator, heating_normaliser, drawn):
    rulebase, evaluator, normaliser = heating_rulebase, heating_evaluator, heating_normaliser
    written, expected = drawn
    case = case_from_document(Document("random", {"facts": written}), normaliser)
    assert case.facts == expected  # every spelling normalised to its value id
    result = evaluator.evaluate(case.facts)
    concludable = {r.value for r in rulebase.rules_for[OUTCOME]}
    assert result.outcome is None or result.outcome.id in concludable
    missing = [f.id for f in result.missing]
    assert len(set(missing)) == len(missing)
    assert all(not rulebase.facts[m].derived and m not in result.facts for m in missing)
    assert (result.outcome is None) == bool(missing) or [w.code for w in result.warnings] == ["gap"]
    for name, value in result.facts.items():
        assert value in rulebase.facts[name].value_ids()
    again = evaluator.evaluate(dict(result.given))
    assert as_json(again) == as_json(result)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["1e-07", "sid", "$x", "\x00", "\ud7ff", "ø" * 300]),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)
bad_keys = st.sampled_from(["sid", "id", "$where", "__class__", "", " ", "building ", "faktum", "x" * 150])


def _run(text: bytes):
    result = CliRunner().invoke(cli, ["run", "--rules", str(HEATING), "--lang", "en", "-"], input=text)
    assert result.exit_code in (0, 1, 2), (text, result.output)
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("spor: error: <stdin>") for line in lines)
    return result


@SETTINGS
@given(junk)
def test_random_documents_never_crash(document):
    _run(json.dumps(document).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.dictionaries(bad_keys, junk, min_size=1, max_size=3))
def test_invalid_facts_are_refused_with_a_message(facts):
    result = _run(json.dumps({"facts": facts}, ensure_ascii=True).encode())
    assert result.exit_code == 2


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(blob):
    _run(blob)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=65, max_value=5000))
def test_deep_nesting_is_refused(depth):
    result = _run(("facts: " + "[" * depth + "]" * depth).encode())
    assert result.exit_code == 2 and (
        "nested more than 64" in result.stderr or "exceeded maximum nesting depth" in result.stderr
    )


def test_huge_strings_and_exponent_numbers_are_refused():
    assert "at most 200 are allowed" in _run(b"facts: {building: " + b"x" * 5000 + b"}").stderr
    assert "'1e-07' is not a value of 'building'" in _run(b"facts: {building: 1e-07}").stderr


def test_every_combination_in_any_order_gives_the_same_answer(heating_rulebase, heating_evaluator):
    assert_every_partial_case_answers_alike_in_any_order(heating_rulebase, heating_evaluator)


def test_yaml_round_trip_of_results_facts_reproduces_them(heating_normaliser):
    # what --save writes (facts as YAML) reads back to the same case: yes/no and words YAML reads as booleans
    normaliser = heating_normaliser
    facts = {
        "building": "office",
        "heat_pump": "no",
        "valve_open": "yes",
        "setting": "electric",
        "display": "normal",
        "fuse_blown": "yes",
    }
    text = yaml.safe_dump({"facts": facts}, allow_unicode=True)
    from spor.common.reader import parse

    assert case_from_document(parse("x.yaml", text.encode()), normaliser).facts == facts


near_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-2 * 10**12, max_value=2 * 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=260),
    st.sampled_from(["", "a\x01", "ø" * 201]),
)
near_cases = st.fixed_dictionaries(
    {"facts": st.one_of(st.dictionaries(st.text(max_size=110), near_scalars, max_size=5), near_scalars)},
    optional={
        "id": near_scalars,
        "title": near_scalars,
        "notes": near_scalars,
        "other": near_scalars,
        "expect": st.one_of(
            near_scalars,
            st.fixed_dictionaries(
                {},
                optional={
                    "outcome": near_scalars,
                    "facts": st.dictionaries(st.text(max_size=5), near_scalars, max_size=3),
                    "missing": st.lists(near_scalars, max_size=3),
                    "warnings": st.lists(near_scalars, max_size=3),
                    "bogus": near_scalars,
                },
            ),
        ),
    },
)


@settings(max_examples=1000, deadline=None)
@given(near_cases)
def test_the_hand_check_of_case_data_accepts_only_what_the_schema_accepts(data):
    from spor.common.schemas import plainly_valid_case, validator

    if plainly_valid_case(data):
        assert validator("case").is_valid(data), data
