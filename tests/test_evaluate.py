"""Evaluating cases: the article's decisions, missing facts, trace, warnings, isolation."""
from __future__ import annotations

import itertools
import random

import pytest

from spor.inference.evaluate import Evaluator
from spor.api import load
from spor.output.record import as_json

from .conftest import ROOT

MODULES = ["lonn", "faktura", "time", "regnskapsrapporter", "regnskap", "skatt", "annet"]


def transport(evaluator, **facts):
    return evaluator.evaluate(facts).derived.get("transport")


@pytest.mark.parametrize("setting", ["innebygget", "ekstern"])
@pytest.mark.parametrize("agro24", ["yes", "no"])
def test_payroll_is_always_builtin(evaluator, setting, agro24):
    assert transport(evaluator, module="lonn", email_setting=setting, on_agro24=agro24) == "builtin"


@pytest.mark.parametrize("module", ["faktura", "time", "regnskapsrapporter"])
def test_moved_modules_are_builtin_whatever_the_setting(evaluator, module):
    assert transport(evaluator, module=module, on_agro24="yes", email_setting="ekstern") == "builtin"
    assert transport(evaluator, module=module, on_agro24="no", email_setting="ekstern") == "external"
    assert transport(evaluator, module=module, on_agro24="no", email_setting="innebygget") == "builtin"


@pytest.mark.parametrize("module", ["regnskap", "skatt", "annet"])
def test_other_modules_follow_the_setting(evaluator, module):
    assert transport(evaluator, module=module, email_setting="ekstern") == "external"
    assert transport(evaluator, module=module, email_setting="innebygget") == "builtin"
    assert evaluator.evaluate({"module": module}).missing[0].id == "concern"
    assert "on_agro24" not in [f.id for f in evaluator.evaluate({"module": module}).missing]


def test_payroll_never_asks_for_the_setting_or_agro24(evaluator):
    missing = [f.id for f in evaluator.evaluate({"module": "lonn", "concern": "not_received"}).missing]
    assert missing == ["log_status", "bounce_received", "bounce_reason"]


def test_missing_builtin_send_goes_to_vendor_support(evaluator):
    result = evaluator.evaluate({"module": "lonn", "log_status": "not_in_log", "concern": "sent"})
    assert result.derived["investigate"] == "vendor_support" and result.outcome.side == "vendor"
    assert "§12" in result.outcome.cites


def test_trace_records_the_values_each_rule_saw(evaluator):
    result = evaluator.evaluate({"module": "faktura", "on_agro24": "yes", "email_setting": "ekstern"})
    first = result.trace[0]
    assert first.rule.id == "transport-moved-module-builtin"
    assert first.saw == {"module": "faktura", "on_agro24": "yes"}
    assert [f.rule.target for f in result.trace] == ["transport", "status_location"]


def test_given_derived_fact_is_not_rederived(evaluator):
    result = evaluator.evaluate({"module": "lonn", "transport": "external"})
    assert result.given["transport"] == "external" and "transport" not in result.derived
    assert result.derived["status_location"] == "sent_folder"


ALL_FACTS = {
    "concern": ["sent", "not_received"], "module": MODULES, "on_agro24": ["yes", "no"],
    "email_setting": ["innebygget", "ekstern"], "log_status": ["levert", "avvist", "not_in_log"],
    "in_sent_folder": ["yes", "no"], "bounce_received": ["yes", "no"],
    "bounce_reason": ["wrong_address", "mailbox_unavailable", "refused", "other"],
}


def all_complete_cases():
    names = list(ALL_FACTS)
    for values in itertools.product(*ALL_FACTS.values()):
        yield dict(zip(names, values))


def test_every_complete_case_reaches_an_outcome_with_no_conflict(rulebase, evaluator):
    seen = set()
    for facts in all_complete_cases():
        result = evaluator.evaluate(facts)
        assert result.outcome is not None, facts
        assert not [w for w in result.warnings if w.code in ("conflict", "gap")], facts
        seen.add(result.outcome.id)
    assert seen == set(rulebase.outcomes)


def test_answering_the_missing_questions_in_order_always_ends(evaluator):
    rng = random.Random(7)
    for _ in range(200):
        truth = {name: rng.choice(values) for name, values in ALL_FACTS.items()}
        facts, asked = {}, 0
        while True:
            result = evaluator.evaluate(facts)
            if result.outcome:
                break
            nxt = result.missing[0].id
            assert nxt not in facts
            facts[nxt] = truth[nxt]
            asked += 1
        assert result.outcome.id == evaluator.evaluate(truth).outcome.id
        assert asked <= 7


def test_sessions_are_isolated_and_order_does_not_matter(evaluator):
    cases = list(all_complete_cases())[:300]
    first = [as_json(evaluator.evaluate(c)) for c in cases]
    shuffled = list(range(len(cases)))
    random.Random(3).shuffle(shuffled)
    for i in shuffled:
        assert as_json(evaluator.evaluate(cases[i])) == first[i]


def test_more_sessions_than_the_engine_keeps_alive(evaluator):
    # durable-rules allows 1024 live sessions per ruleset; each case deletes its own
    for _ in range(1500):
        assert evaluator.evaluate({"module": "lonn"}).derived["transport"] == "builtin"


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
    evaluator = _printer_with(tmp_path, "when: {all: [{state: ready}, {paper: ok}]}", "when: {all: [{state: ready}, {paper: empty}]}")
    result = evaluator.evaluate({"power_light": "yes", "paper": "ok"})
    assert result.outcome is None and result.missing == []
    assert [w.code for w in result.warnings] == ["gap"]


def test_conflict_is_warned(tmp_path):
    evaluator = _printer_with(tmp_path, "when: {all: [{state: ready}, {paper: ok}]}", "when: {all: [{state: ready}]}")
    result = evaluator.evaluate({"power_light": "yes", "paper": "empty"})
    assert result.outcome.id == "add_paper"  # defined first, fires first
    conflict = [w for w in result.warnings if w.code == "conflict"]
    assert conflict and conflict[0].params["rule"] == "vendor"
