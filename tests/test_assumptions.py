"""Assumptions, warnings concluded by rules, and values that leave a fact open, on a made-up rulebase.

tests/fixtures/parcel ("the parcel did not arrive"): `note_left: {assume: no}`
decides a delivered parcel without asking about a note, `label_says: {assume:
unread}` a returned one without reading its label, a warning rule flags a
return label on a parcel that was not returned, and `unread` is an open value.
The shipped article's assumptions are held in test_shipped_rulebase.py and
test_article_cases.py.
"""

from __future__ import annotations

import json

import pytest

from spor.analysis.graph import mermaid
from spor.analysis.interview import Interview
from spor.analysis.verify import verify
from spor.api import load
from spor.common.errors import InputError
from spor.evidence.findings import Finding
from spor.evidence.merge import Explained, Reading, merge
from spor.inference.assumptions import strict_rulebase
from spor.inference.evaluate import Evaluator
from spor.output.record import as_json
from spor.output.text import markdown, text
from spor.rulebase.conditions import All, Any, In, Known, Not, strict, unknown_tests

from .conftest import ROOT, spor_command

PARCEL = ROOT / "tests" / "fixtures" / "parcel"


@pytest.fixture(scope="module")
def parcel():
    return load(PARCEL).rulebase


@pytest.fixture(scope="module")
def evaluator(parcel):
    return Evaluator(parcel)


# -- conditions ---------------------------------------------------------------------------------------


def test_assume_is_the_value_or_unknown(parcel):
    rule = next(r for r in parcel.rules if r.id == "delivered-at-door")
    (_, test) = rule.when.items
    assert isinstance(test, Any) and isinstance(test.items[0], In) and isinstance(test.items[1], Not)
    assert unknown_tests(rule.when) == ["note_left"]


def test_strict_takes_out_every_test_that_holds_on_an_unknown_fact():
    a, b = In("a", frozenset({"x"})), In("b", frozenset({"y"}))
    assert strict(Any((a, Not(Known("a"))))) is a
    assert strict(Not(Known("a"))) is None
    assert strict(All((b, Not(Known("a"))))) is None
    kept = strict(Not(All((a, Known("b")))))  # not (a and b known): a is not x, or b unknown
    assert isinstance(kept, Not) and kept.item is a
    assert strict(Known("a")) is not None


@pytest.mark.parametrize(
    "when, message",
    [
        ("{not: {note_left: {assume: no}}}", "'assume' under 'not' never holds"),
        ("{where: {assume: at_door}}", "assumes a value of the derived fact 'where'"),
        ("{note_left: {assume: maybe}}", "'maybe' is not a value of 'note_left'"),
    ],
)
def test_an_assumption_that_cannot_hold_is_refused_at_its_line(tmp_path, when, message):
    folder = tmp_path / "rb"
    folder.mkdir()
    source = (PARCEL / "parcel.yaml").read_text(encoding="utf-8")
    source = source.replace("when: {tracking: delivered, note_left: yes}", f"when: {when}")
    (folder / "parcel.yaml").write_text(source, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(folder)
    assert any(message in p.message and p.line for p in caught.value.problems), caught.value.problems


# -- evaluation -----------------------------------------------------------------------------------------


def test_a_rule_that_reads_an_unknown_fact_decides_and_says_what_it_assumed(evaluator):
    result = evaluator.evaluate({"tracking": "delivered"})
    assert result.outcome.id == "look_around" and result.missing == []
    (assumed,) = result.assumed
    assert (assumed.fact, assumed.values, assumed.rule.id, assumed.cites) == (
        "note_left",
        ("no",),
        "delivered-at-door",
        ("§2",),
    )
    (other,) = assumed.otherwise
    assert (other.value, other.outcome.id, other.missing) == ("yes", "pick_up", ())


def test_an_answer_given_is_no_assumption(evaluator):
    assert evaluator.evaluate({"tracking": "delivered", "note_left": "no"}).assumed == []


def test_each_other_answer_is_evaluated(evaluator):
    result = evaluator.evaluate({"tracking": "returned"})
    assert result.outcome.id == "read_label"
    (assumed,) = result.assumed
    assert assumed.values == ("unread",)
    assert {o.value: o.outcome.id for o in assumed.otherwise} == {
        "wrong_address": "fix_address",
        "refused": "ask_carrier",
    }


def test_a_rule_that_held_through_another_branch_assumed_nothing(tmp_path):
    folder = tmp_path / "rb"
    folder.mkdir()
    source = (PARCEL / "parcel.yaml").read_text(encoding="utf-8")
    source = source.replace(
        "when: {tracking: delivered, note_left: {assume: no}}",
        "when: {tracking: delivered, any: [{note_left: {known: false}}, {tracking: delivered}]}",
    )
    source = source.replace("when: {tracking: delivered, note_left: yes}", "when: {tracking: lost, note_left: yes}")
    (folder / "parcel.yaml").write_text(source, encoding="utf-8")
    result = Evaluator(load(folder).rulebase).evaluate({"tracking": "delivered"})
    assert result.outcome.id == "look_around" and result.assumed == []


def test_no_assume_asks_instead(parcel):
    strict_evaluator = Evaluator(parcel, assume=False)
    assert strict_evaluator.rulebase is strict_rulebase(parcel)
    result = strict_evaluator.evaluate({"tracking": "delivered"})
    assert result.outcome is None and result.assumed == [] and [f.id for f in result.missing] == ["note_left"]


def test_missing_leaves_out_what_would_be_assumed(evaluator):
    assert [f.id for f in evaluator.evaluate({}).missing] == ["tracking"]


def test_the_result_states_the_assumption_in_json_text_and_markdown(evaluator):
    result = evaluator.evaluate({"tracking": "delivered"}, case_id="c1")
    data = as_json(result, "en")
    assert data["assumed"] == [
        {
            "fact": "note_left",
            "values": ["no"],
            "rule": "delivered-at-door",
            "cites": ["§2"],
            "otherwise": [{"value": "yes", "outcome": "pick_up", "verdict": "Pick the parcel up.", "missing": []}],
            "stopped": False,
        }
    ]
    shown = text(result, "en")
    assert "Assumed (not asked" in shown and "A note in the letterbox: No (§2; delivered-at-door)" in shown
    assert "If Yes: Pick the parcel up. (pick_up)" in shown
    assert "A note in the letterbox = unknown (assumed: No)" in shown
    nb = markdown(result, "nb")
    assert "#### Antatt" in nb and "- Lapp i postkassen: Nei (§2; delivered-at-door)" in nb and "Hvis Ja: Hent" in nb


# -- warnings concluded by rules --------------------------------------------------------------------------


def test_a_warning_rule_adds_its_warning_and_decides_nothing(evaluator, parcel):
    result = evaluator.evaluate({"tracking": "delivered", "note_left": "no", "label_says": "refused"})
    assert result.outcome.id == "look_around" and "warning" not in result.derived
    (warning,) = [w for w in result.warnings if w.code == "rule_warning"]
    assert warning.message("en", parcel) == (
        "A return label belongs with a returned parcel. (§3; warn-label-without-return)"
    )
    assert not [w for w in result.warnings if w.code == "not_needed"]  # the warning rule read label_says
    data = as_json(result, "en")
    assert {"code": "rule_warning", "message": warning.message("en", parcel), "rule": "warn-label-without-return"} in (
        data["warnings"]
    )
    assert {"rule": "warn-label-without-return", "concluded": {"warning": "warn-label-without-return"}}.items() <= (
        next(t for t in data["trace"] if t["rule"] == "warn-label-without-return").items()
    )


def test_check_verifies_warning_rules_without_taking_them_for_a_decision(parcel, tmp_path):
    assert verify(parcel).findings == []  # no gap where no warning holds, no conflict between warnings
    folder = tmp_path / "rb"
    folder.mkdir()
    source = (PARCEL / "parcel.yaml").read_text(encoding="utf-8")
    source = source.replace(
        "when: {tracking: [delivered, lost], label_says: {known: true}}",
        "when: {tracking: delivered, all: [{tracking: lost}], label_says: {known: true}}",
    )
    (folder / "parcel.yaml").write_text(source, encoding="utf-8")
    findings = verify(load(folder).rulebase).findings
    assert [(f.code, f.rules) for f in findings if f.severity == "error"] == [
        ("unreachable", ("warn-label-without-return",))
    ]


def test_check_finds_two_rules_that_assume_differently(tmp_path):
    """An unknown fact is a value of its own to check: two readings of it conflict like two values."""
    folder = tmp_path / "rb"
    folder.mkdir()
    source = (
        (PARCEL / "parcel.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "when: {tracking: delivered, note_left: yes}",
            "when: {tracking: delivered, any: [{note_left: yes}, {note_left: {known: false}}]}",
        )
    )
    (folder / "parcel.yaml").write_text(source, encoding="utf-8")
    (conflict,) = [f for f in verify(load(folder).rulebase).findings if f.severity == "error"]
    assert conflict.code == "conflict" and conflict.example == {"tracking": "delivered"}
    assert set(conflict.rules) == {"delivered-at-door", "delivered-post-office"}


def test_the_graph_draws_a_warning_rule(parcel):
    drawn = mermaid(parcel, "en")
    assert 'w_warn_label_without_return>"⚠ warn-label-without-return<br/>§3"]' in drawn
    assert 'f_label_says -->|"warn-label-without-return: known ⇒ warning"| w_warn_label_without_return' in drawn


def test_warning_is_a_reserved_fact_name(tmp_path):
    folder = tmp_path / "rb"
    folder.mkdir()
    source = (PARCEL / "parcel.yaml").read_text(encoding="utf-8").replace("  - id: note_left\n", "  - id: warning\n")
    (folder / "parcel.yaml").write_text(source, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(folder)
    assert any("'warning' is a reserved word" in p.message for p in caught.value.problems)


# -- evidence and open values ---------------------------------------------------------------------------


def _reading(**facts):
    finding = Finding("bounce.eml", "report", recipient="a@example.com")
    return Reading("bounce.eml", "message", [Explained(finding, [], facts)])


def test_evidence_replaces_an_open_value_and_says_so(parcel):
    facts, notices = merge({"label_says": "unread"}, [_reading(label_says="wrong_address")], rulebase=parcel)
    assert facts == {"label_says": "wrong_address"}
    assert [(n.code, n.fact) for n in notices] == [("evidence_replaces_open", "label_says")]
    assert "Not read yet" in notices[0].message("en", parcel) and "the evidence's value is used" in (
        notices[0].message("en", parcel)
    )


def test_the_agents_answer_wins_unless_the_evidence_is_told_to(parcel):
    facts, notices = merge({"label_says": "refused"}, [_reading(label_says="wrong_address")], rulebase=parcel)
    assert facts == {"label_says": "refused"} and notices[0].code == "evidence_conflict"
    facts, notices = merge(
        {"label_says": "refused"}, [_reading(label_says="wrong_address")], rulebase=parcel, evidence_wins=True
    )
    assert facts == {"label_says": "wrong_address"} and notices[0].code == "evidence_wins"
    assert "(--evidence-wins)" in notices[0].message("en", parcel)


# -- ask ------------------------------------------------------------------------------------------------


def test_the_interview_does_not_ask_an_assumed_question_but_offers_it(evaluator):
    interview = Interview(evaluator, {"tracking": "delivered"})
    result = interview.result()
    assert interview.next_question(result) is None and result.complete
    assert [f.id for f in interview.offered(result)] == ["note_left"]
    assert interview.answer_anyway(result, "9") is None and interview.answer_anyway(result, "1").id == "note_left"
    fact = interview.next_question(interview.result())
    assert fact.id == "note_left"
    assert interview.answer(fact, "yes") is None
    assert interview.result().outcome.id == "pick_up" and interview.next_question(interview.result()) is None


def test_ask_offers_the_assumed_question_and_exits_0_at_end_of_input(tmp_path):
    import subprocess

    case = tmp_path / "c.yaml"
    case.write_text("facts: {tracking: delivered}\n", encoding="utf-8")
    run = subprocess.run(
        spor_command("ask", "--rules", str(PARCEL), "--lang", "en", str(case)),
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Assumed without asking; type its number to answer it anyway:" in run.stdout
    assert "1) note_left — Was there a note in the letterbox?" in run.stdout
    answered = subprocess.run(
        spor_command("ask", "--rules", str(PARCEL), "--lang", "en", str(case)),
        input="1\nyes\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert answered.returncode == 0 and "Verdict: Pick the parcel up." in answered.stdout
    strict_run = subprocess.run(
        spor_command("ask", "--no-assume", "--rules", str(PARCEL), "--lang", "en", str(case)),
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert strict_run.returncode == 1 and "End of input: the case is not decided." in strict_run.stdout


def test_run_no_assume(tmp_path):
    import subprocess

    case = tmp_path / "c.yaml"
    case.write_text("facts: {tracking: delivered}\n", encoding="utf-8")
    base = spor_command("run", "--rules", str(PARCEL), "--format", "json", str(case))
    decided = subprocess.run(base, capture_output=True, text=True, timeout=60)
    assert decided.returncode == 0 and json.loads(decided.stdout)["assumed"][0]["fact"] == "note_left"
    strict_run = subprocess.run(base + ["--no-assume"], capture_output=True, text=True, timeout=60)
    assert strict_run.returncode == 1 and json.loads(strict_run.stdout)["assumed"] == []
