"""The article against the shipped rulebase, read independently of the rules.

tests/fixtures/article-cases/ holds 22 tickets written from the article
alone (each file's notes say which sections answer it), with the answer the
article gives: an outcome, or the question it says to ask first. Here they
run on the shipped rulebase, as `spor test` runs them. Below, every partial
combination of the given facts but the rejection's reason (7,776) is held to
an independent reading of the article on three derived facts: the transport,
where the status shows and what to investigate. spor must give each value the
article gives (assuming what §3 and §8 assume) and never another one.
"""

from __future__ import annotations

import itertools

import pytest

from spor.analysis.expect import compare
from spor.inference.evaluate import Evaluator
from spor.rulebase.cases import case_files, load_case

from .conftest import ROOT

CASES = sorted(case_files(ROOT / "tests" / "fixtures" / "article-cases"))


def test_there_are_twenty_two_article_cases():
    assert len(CASES) == 22


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_article_case_is_answered_as_the_article_says(path, evaluator, normaliser):
    case = load_case(path, normaliser)
    result = evaluator.evaluate(case.facts, case_id=case.id)
    assert compare(case.expect, result) == [], case.notes


def test_without_assumptions_the_article_cases_that_rest_on_one_are_left_open(rulebase, normaliser):
    """--no-assume asks what §3, §4 and §8 answer: the cases decided only by assuming stay undecided."""
    strict = Evaluator(rulebase, assume=False)
    open_cases = [
        path.stem
        for path in CASES
        if (case := load_case(path, normaliser)).expect["outcome"] is not None
        and strict.evaluate(case.facts).outcome is None
    ]
    assert open_cases == [
        "01-payslip-not-received-levert",
        "02-payslip-was-it-sent-levert",
        "03-payslip-not-received-avvist",
        "04-invoice-agro24-ekstern-levert",
        "05-invoice-not-moved-ekstern-in-sent",
        "06-invoice-not-moved-innebygget-levert",
        "11-payroll-said-not-on-agro24",
        "12-external-works-builtin-does-not",
        "14-gmail-recipient-invoice",
        "17-hours-ekstern-message-back-unread",
        "20-payroll-was-it-sent-avvist",
        "22-tax-was-it-sent-in-sent",
    ]


# -- the article, read on its own: transport, where the status shows, what to investigate ------------

GIVEN = {
    "concern": ["sent", "not_received"],
    "module": ["lonn", "faktura", "time", "regnskapsrapporter", "regnskap", "skatt", "annet"],
    "on_agro24": ["yes", "no"],
    "email_setting": ["innebygget", "ekstern"],
    "log_status": ["levert", "avvist", "not_in_log"],
    "in_sent_folder": ["yes", "no"],
    "bounce_received": ["yes", "no"],
}
MOVABLE = ("faktura", "time", "regnskapsrapporter")  # §7: may have been moved to agro24
SETTINGS = ("regnskap", "skatt", "annet")  # §7: the other modules use the email settings


def article_transport(facts: dict):
    """§5-§7: payroll is always built-in; a moved module is built-in; the rest follow the settings."""
    module, moved, setting = facts.get("module"), facts.get("on_agro24"), facts.get("email_setting")
    if module == "lonn" or setting == "innebygget":  # built-in ticked: moved or not, it is built-in (§6)
        return "builtin"
    if module in MOVABLE:
        if moved == "yes":
            return "builtin"
        return "external" if moved == "no" and setting == "ekstern" else None
    if module in SETTINGS and setting == "ekstern":
        return "external"
    return None


def article_investigate(facts: dict, transport):
    """§3, §4, §8-§12, with the article's own qualifiers taken as it takes them: Levert means no rejection came
    back (§8), Avvist that one did and says why (§3); for the mail program only a message back tells."""
    bounce = facts.get("bounce_received")
    if transport == "builtin":
        status = facts.get("log_status")
        if status == "levert":
            return "vendor_support" if bounce == "yes" else "recipient_mail_server"  # §8; with a bounce: §12
        if status == "avvist":
            return "vendor_support" if bounce == "no" else "bounce_message"  # §3; none came back: §12
        return "vendor_support" if status == "not_in_log" else None  # §12
    if transport == "external":
        sent = facts.get("in_sent_folder")
        if sent == "no":
            return "sender_mail_program"  # §4: not sent from there
        if sent == "yes" and bounce is not None:
            return "bounce_message" if bounce == "yes" else "recipient_mail_server"  # §4, §8
    return None


def test_every_combination_agrees_with_the_article_on_transport_status_and_what_to_investigate(evaluator):
    names = list(GIVEN)
    missing, wrong, checked = [], [], 0
    for values in itertools.product(*((None, *v) for v in GIVEN.values())):
        facts = {name: value for name, value in zip(names, values) if value is not None}
        derived = evaluator.evaluate(facts).derived
        transport = article_transport(facts)
        expected = {
            "transport": transport,
            "status_location": {"builtin": "email_log", "external": "sent_folder"}.get(transport or ""),
            "investigate": article_investigate(facts, transport),
        }
        for name, value in expected.items():
            got = derived.get(name)
            if value is not None and got is None:
                missing.append((facts, name, value))
            elif got is not None and got != value:
                wrong.append((facts, name, value, got))
        checked += 1
    assert checked == 7_776
    assert missing == [] and wrong == []


# -- the issue's own check: the most common ticket, asked and saved ----------------------------------


@pytest.mark.parametrize("start", ["case file", "typed"])
def test_ask_levert_then_end_of_input_decides_and_its_saved_case_reproduces_it(tmp_path, start):
    import json
    import subprocess

    from .conftest import spor_command

    saved = tmp_path / "saved.yaml"
    if start == "case file":
        case = tmp_path / "ticket.yaml"
        case.write_text("facts: {module: lonn, concern: not_received}\n", encoding="utf-8")
        args, typed = ["--save", saved, case], "levert\n"
    else:
        args, typed = ["--save", saved], "not_received\nlonn\nlevert\n"
    asked = subprocess.run(
        spor_command("ask", "--lang", "en", *args), input=typed, capture_output=True, text=True, timeout=60
    )
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert "Verdict: The email was delivered to and accepted by the recipient's mail server" in asked.stdout
    assert "Rejection message received: No (§3, §8, §11; investigate-accepted-recipient-server)" in asked.stdout
    assert "1) bounce_received" in asked.stdout  # offered, not asked
    run = subprocess.run(spor_command("run", "--format", "json", saved), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["outcome"] == "recipient_server_builtin"
    assert result["facts"]["investigate"] == "recipient_mail_server"
    assert [a["fact"] for a in result["assumed"]] == ["bounce_received"]


def test_a_bounce_replaces_a_reason_not_read_yet_and_the_agent_wins_a_disagreement(tmp_path):
    """`run --evidence` with a 5.1.1 bounce: "another reason, or not read yet" gives way to the wrong address it
    reads (§3, RFC 3463); an answer the agent gave stays, unless --evidence-wins."""
    import json
    import subprocess

    from .conftest import spor_command

    bounce = ROOT / "tests" / "fixtures" / "bounces" / "rfc3464-01.eml"
    facts = {"concern": "not_received", "module": "lonn", "log_status": "avvist", "bounce_received": "yes"}

    def run(reason, *flags):
        case = tmp_path / f"{reason}.yaml"
        case.write_text(json.dumps({"facts": {**facts, "bounce_reason": reason}}), encoding="utf-8")
        done = subprocess.run(
            spor_command("run", "--format", "json", "--evidence", bounce, *flags, case),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        return result["outcome"], {w["code"] for w in result["warnings"]} - {"not_needed"}

    assert run("other") == ("rejected_wrong_address", {"evidence_replaces_open"})
    assert run("refused") == ("rejected_refused", {"evidence_conflict"})
    assert run("refused", "--evidence-wins") == ("rejected_wrong_address", {"evidence_wins"})
