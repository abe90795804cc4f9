"""The shipped rulebase (rules/, "Sporing av epost"): what the article says, held as tests.

These tests are about the knowledge, not the engine: payroll is always
built-in, Levert means accepted, which questions are never asked, that the
rules verify clean and decide every complete case, that `missing` agrees with
an oracle over every partial case. An edit of rules/ may rightly change them;
the engine's own tests run on the fixture rulebases in tests/fixtures/ and do
not. (test_examples.py, which runs every file in examples/, and the commands'
tests that run on the shipped examples or on real bounces stay on the
shipped rulebase too; their module docstrings say so.)
"""

from __future__ import annotations

import itertools
import math
import random
import re

import pytest

from spor.analysis.graph import mermaid
from spor.analysis.verify import verify
from spor.api import load
from spor.inference.evaluate import Evaluator
from spor.inference.session import Session

from .conftest import (
    EXAMPLES,
    ROOT,
    RULES,
    assert_every_complete_case_decided,
    assert_every_partial_case_answers_alike_in_any_order,
)

MODULES = ["lonn", "faktura", "time", "regnskapsrapporter", "regnskap", "skatt", "annet"]

ALL_FACTS = {
    "concern": ["sent", "not_received"],
    "module": MODULES,
    "on_agro24": ["yes", "no"],
    "email_setting": ["innebygget", "ekstern"],
    "log_status": ["levert", "avvist", "not_in_log"],
    "in_sent_folder": ["yes", "no"],
    "bounce_received": ["yes", "no"],
    "bounce_reason": ["wrong_address", "mailbox_unavailable", "refused", "other"],
}


def transport(evaluator, **facts):
    return evaluator.evaluate(facts).derived.get("transport")


def all_complete_cases():
    names = list(ALL_FACTS)
    for values in itertools.product(*ALL_FACTS.values()):
        yield dict(zip(names, values))


# -- the rulebase as a whole -----------------------------------------------------------------------


def test_shipped_rulebase_loads_clean(rulebase):
    assert rulebase.id == "sporing-av-epost"
    assert len(rulebase.rules) >= 20 and len(rulebase.outcomes) >= 8
    for rule in rulebase.rules:
        assert rule.cites and all(c in rulebase.sections or c in rulebase.references for c in rule.cites)
        assert any(c in rulebase.sections for c in rule.cites)  # every rule cites the article itself
    for outcome in rulebase.outcomes.values():
        assert outcome.cites


def test_shipped_rulebase_has_no_warnings():
    assert load(RULES).warnings == []


def test_shipped_rulebase_is_clean(rulebase):
    assert verify(rulebase).findings == []


def test_contract_names_of_the_shipped_rulebase(rulebase):
    facts = rulebase.facts
    assert set(facts["module"].value_ids()) == set(MODULES)
    assert facts["on_agro24"].type == facts["in_sent_folder"].type == facts["bounce_received"].type == "yesno"
    assert set(facts["email_setting"].value_ids()) == {"innebygget", "ekstern"}
    assert set(facts["concern"].value_ids()) == {"sent", "not_received"}
    assert set(facts["log_status"].value_ids()) == {"levert", "avvist", "not_in_log"}
    assert set(facts["transport"].value_ids()) == {"builtin", "external"}
    assert set(facts["status_location"].value_ids()) == {"email_log", "sent_folder"}
    assert set(facts["investigate"].value_ids()) == {
        "recipient_mail_server",
        "bounce_message",
        "sender_mail_program",
        "vendor_support",
    }
    assert all(facts[f].derived for f in ("transport", "status_location", "investigate"))


@pytest.mark.parametrize(
    "fact, written, expected",
    [
        ("log_status", "Levert", "levert"),
        ("log_status", "delivered", "levert"),
        ("log_status", "Avvist", "avvist"),
        ("email_setting", "Ekstern", "ekstern"),
        ("email_setting", "built-in", "innebygget"),
        ("concern", "not received", "not_received"),
    ],
)
def test_contract_spellings(normaliser, fact, written, expected):
    assert normaliser.value(fact, written) == (expected, None)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("lonn", "lonn"),
        ("Lønn", "lonn"),
        ("LØNN", "lonn"),
        ("payroll", "lonn"),
        ("Faktura", "faktura"),
        ("invoicing", "faktura"),
        ("Accounting reports", "regnskapsrapporter"),
    ],
)
def test_module_spellings(normaliser, written, expected):
    assert normaliser.value("module", written) == (expected, None)


def test_check_shipped_rulebase_strict_is_clean(rulebase, monkeypatch):
    from click.testing import CliRunner

    from spor.cli import cli

    monkeypatch.chdir(ROOT)  # plain `spor check` in the checkout checks its rules/ (found, not the installed copy)
    result = CliRunner().invoke(cli, ["check", "--strict", "--lang", "en"])
    assert result.exit_code == 0
    summary = rf"sporing-av-epost \(rules/, [0-9a-f]{{8}}\): {len(rulebase.rules)} rules, 0 error\(s\), 0 warning\(s\)"
    assert re.fullmatch(summary, result.output.strip())


def test_graph_in_the_editors_guide_is_up_to_date(rulebase):
    guide = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    block = guide.split("<!-- spor graph --lang en: start -->\n```mermaid\n", 1)[1].split("```\n<!-- spor graph", 1)[0]
    assert block == mermaid(rulebase, "en"), "docs/editors.md's diagram is stale: paste `spor graph --lang en` into it"


def test_shipped_yaml_files_name_their_schema():
    for path in [*RULES.glob("*.yaml"), *EXAMPLES.glob("*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schemas/"), path


def test_every_shipped_example_takes_the_fast_path():
    from spor.common.reader import read_document
    from spor.common.schemas import plainly_valid_case

    assert all(plainly_valid_case(read_document(p).data) for p in EXAMPLES.iterdir())


# -- the article's decisions ---------------------------------------------------------------------


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


def test_payroll_never_asks_for_the_setting_or_agro24(evaluator, rulebase):
    missing = [f.id for f in evaluator.evaluate({"module": "lonn", "concern": "not_received"}).missing]
    assert missing == ["log_status"]  # the rejection message is assumed (§3, §8), not asked
    strict = Evaluator(rulebase, assume=False)
    missing = [f.id for f in strict.evaluate({"module": "lonn", "concern": "not_received"}).missing]
    assert missing == ["log_status", "bounce_received", "bounce_reason"]


# -- assumptions: the article's answer when a fact is unknown (§3, §8, §11) -------------------------


def test_levert_decides_the_recipients_server_assuming_no_rejection(evaluator):
    result = evaluator.evaluate({"module": "lonn", "concern": "not_received", "log_status": "levert"})
    assert result.outcome.id == "recipient_server_builtin" and result.missing == []
    (assumed,) = result.assumed
    assert (assumed.fact, assumed.values, assumed.rule.id) == (
        "bounce_received",
        ("no",),
        "investigate-accepted-recipient-server",
    )
    assert "§8" in assumed.cites
    assert [(o.value, o.outcome.id) for o in assumed.otherwise] == [("yes", "bounce_after_delivered")]


def test_avvist_decides_read_the_rejection_assuming_one_came_back(evaluator):
    result = evaluator.evaluate({"module": "lonn", "concern": "not_received", "log_status": "avvist"})
    assert result.outcome.id == "rejected_builtin"
    assert {a.fact: a.values for a in result.assumed} == {"bounce_received": ("yes",), "bounce_reason": ("other",)}
    by_fact = {a.fact: {o.value: o.outcome.id for o in a.otherwise} for a in result.assumed}
    assert by_fact["bounce_received"] == {"no": "rejected_without_bounce"}
    assert by_fact["bounce_reason"]["wrong_address"] == "rejected_wrong_address"


def test_no_assume_asks_what_the_assumptions_answer(rulebase):
    result = Evaluator(rulebase, assume=False).evaluate({"module": "lonn", "log_status": "levert"})
    assert result.outcome is None and result.assumed == []
    assert [f.id for f in result.missing] == ["concern", "bounce_received"]


def test_an_external_send_assumes_nothing_about_the_message_back(evaluator):
    # §4: the Sent folder says only that sending was attempted; a message back decides
    facts = {"concern": "not_received", "module": "skatt", "email_setting": "ekstern", "in_sent_folder": "yes"}
    result = evaluator.evaluate(facts)
    assert result.outcome is None and result.assumed == [] and [f.id for f in result.missing] == ["bounce_received"]


@pytest.mark.parametrize(
    "log_status, meaning", [("levert", "accepted"), ("avvist", "rejected"), ("not_in_log", "not_found")]
)
def test_the_email_log_status_means_what_the_article_says(evaluator, log_status, meaning):
    # §3: Levert means the recipient's mail server accepted the email; Avvist that it refused it
    result = evaluator.evaluate({"module": "lonn", "log_status": log_status})
    assert result.derived["status_location"] == "email_log" and result.derived["status_meaning"] == meaning


def test_missing_builtin_send_goes_to_vendor_support(evaluator):
    result = evaluator.evaluate({"module": "lonn", "log_status": "not_in_log", "concern": "sent"})
    assert result.derived["investigate"] == "vendor_support" and result.outcome.side == "vendor"
    assert "§12" in result.outcome.cites


def test_trace_of_an_invoice_on_agro24(evaluator):
    result = evaluator.evaluate({"module": "faktura", "on_agro24": "yes", "email_setting": "ekstern"})
    first = result.trace[0]
    assert first.rule.id == "transport-moved-module-builtin"
    assert first.saw == {"module": "faktura", "on_agro24": "yes"}
    assert [f.rule.target for f in result.trace] == ["transport", "status_location"]


def test_every_complete_case_reaches_an_outcome_with_no_conflict(rulebase, evaluator):
    assert_every_complete_case_decided(rulebase, evaluator, all_complete_cases())


@pytest.mark.parametrize("assume", [True, False])
def test_answering_the_missing_questions_in_order_always_ends(rulebase, assume):
    evaluator = Evaluator(rulebase, assume=assume)
    strict = Evaluator(rulebase, assume=False)
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
        assumed = {a.fact: a.values[0] for a in result.assumed}
        assert assume or not assumed
        # the answer is the one the complete case gives once the assumed facts take the values assumed
        assert result.outcome.id == strict.evaluate({**truth, **assumed}).outcome.id
        assert asked <= 7  # never all eight: the transport decides between the email log and the Sent folder


# -- the engine's checks, on every case of the shipped rulebase: slow ----------------------------


@pytest.mark.slow
def test_missing_agrees_with_the_oracle_on_every_partial_case(rulebase):
    """tests/test_missing_oracle.py's check, on the shipped rulebase's 38,880 partial cases, with no assumptions
    (an assumption decides a case that some completion decides otherwise: the next test holds those)."""
    from .test_missing_oracle import build_oracle, check_missing

    strict = Evaluator(rulebase, assume=False)
    checked, wrong = check_missing(strict, build_oracle(rulebase, strict))
    assert checked == math.prod(len(f.values) + 1 for f in rulebase.facts.values() if not f.derived) == 38_880
    assert wrong == []


@pytest.mark.slow
def test_every_assumption_is_the_answer_of_the_values_it_assumes(rulebase, evaluator):
    """On every partial case: a case decided on assumptions gets the outcome its completion with the assumed
    values gets with no assumptions; an undecided one lists a question; each other answer to an assumption
    leads where it says; and an assumed fact is never among the questions."""
    strict = Evaluator(rulebase, assume=False)
    inputs = [f for f in rulebase.facts.values() if not f.derived]
    decided_by_assuming = 0
    for values in itertools.product(*((None, *f.value_ids()) for f in inputs)):
        facts = {f.id: v for f, v in zip(inputs, values) if v is not None}
        result = evaluator.evaluate(facts)
        assumed = {a.fact: a.values[0] for a in result.assumed}
        assert not set(assumed) & {f.id for f in result.missing}, facts
        if result.outcome is None:
            assert result.missing, facts
            continue
        plain = strict.evaluate({**facts, **assumed})
        assert plain.outcome.id == result.outcome.id, facts
        assert result.derived.items() <= plain.derived.items(), facts  # what it derived, the answers derive too
        for item in result.assumed:
            for other in item.otherwise:
                again = evaluator.evaluate({**facts, item.fact: other.value})
                assert (again.outcome and again.outcome.id) == (other.outcome and other.outcome.id), facts
        if assumed and strict.evaluate(facts).outcome is None:
            decided_by_assuming += 1
    assert decided_by_assuming > 0


@pytest.mark.slow
def test_every_combination_in_any_order_gives_the_same_answer(rulebase, evaluator):
    assert_every_partial_case_answers_alike_in_any_order(rulebase, evaluator)


@pytest.mark.slow
def test_the_session_fires_exactly_what_durable_rules_host_fires_on_the_shipped_rules(rulebase):
    """tests/test_session.py's comparison with durable-rules' own Host, on the shipped rules' deeper chains."""
    from .test_session import compare_with_host

    assert compare_with_host(rulebase, Session(rulebase)) > 1000  # the sample reaches deep into the chains
