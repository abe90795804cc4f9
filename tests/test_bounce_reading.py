"""Reading bounces where their parts disagree or are broken, bounded memory, and patterns that cannot hang.

The real bounces (tests/fixtures/bounces, copied from sisimai's set-of-emails)
are read with the shipped rulebase: each stands for a family the reader got
wrong before (issue 13, part 4). The synthetic messages test the mechanics
(MIME, the precedence of codes, bounds) on the newsletter fixture, whose
evidence: section is its own, or on the codes directly. docs/evidence.md
says what each rests on.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tracemalloc

import pytest
from click.testing import CliRunner

from spor.api import load
from spor.cli import cli
from spor.common.errors import InputError
from spor.evidence.codes import DIAGNOSTIC, FIELD, TEXT, Code, choose, codes_in
from spor.evidence.findings import REPORT, UNREAD
from spor.evidence.merge import evaluate_with, merge, read_evidence
from spor.evidence.patterns import catastrophic
from spor.evidence.spec import evidence_spec

from .conftest import ROOT, RULES, spor_command

BOUNCES = ROOT / "tests" / "fixtures" / "bounces"
HEAD = "From: MAILER-DAEMON@x.example\nTo: sender@a.example\nSubject: Undelivered Mail Returned to Sender\n"


def found(rulebase, name):
    reading = read_evidence(BOUNCES / name, rulebase)
    assert reading.problems == []
    return [(e.finding.recipient, e.finding.status, e.finding.reply) for e in reading.explained]


def findings(path, rulebase):
    reading = read_evidence(path, rulebase)
    assert reading.problems == [], reading.problems
    return [e.finding for e in reading.explained]


# -- real bounces: each family that was misread ---------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        # Status 5.1.0 and a diagnostic "5.1.0 - Unknown address error 550-'5.7.1 ... Access denied'":
        # the most specific code that agrees with the reply
        ("lhost-amazonses-01.eml", [("shironeko@example.co.jp", "5.7.1", "550")]),
        # "554 4.4.7 Message expired ... <421 4.4.2 Connection timed out>": 554 contradicts 4.4.7, 421 agrees
        ("lhost-amazonses-17.eml", [("kijitora@example.com", "4.4.2", "421")]),
        # Status 5.1.1 beside "550 5.7.1 IP address blacklisted": the server's own words win
        ("lhost-sendmail-33.eml", [("mailboxfull@neko.example.org", "5.7.1", "550")]),
        ("lhost-sendmail-39.eml", [("kijitora@nekochan.example.ne.jp", "4.4.5", "452")]),
        # Status 4.4.7 and "550 4.4.7": no code of the report agrees; the text's "441 4.4.1" does
        ("lhost-exchange2007-05.eml", [("gwang1@student.mlcsyd.nsw.edu.au", "4.4.1", "441")]),
        # a generic 5.0.0 everywhere; a relay's own "550 5.1.1" later in the transcript does not outrank the
        # server's first words
        ("lhost-sendmail-27.eml", [("this-local-part-does-not-exist-on-the-system@mineo.jp", "5.0.0", "550")]),
        # an SMTP transcript: the successes (250 2.1.5) before the failure are not the failure
        ("lhost-postfix-75.eml", [("kijitora@libsisimai.net", "4.3.0", "451")]),
        # multipart/report whose declared boundary differs from the one used: split with the one used
        ("rhost-franceptt-07.eml", [("xxxx@wanadoo.fr", "4.0.0", "421")]),
        # multipart/report whose boundary never appears: read as text (a report pasted as text)
        (
            "lhost-messagingserver-03.eml",
            [("sabineko@example.org", "5.7.1", "550"), ("mikeneko@example.org", "5.7.1", "550")],
        ),
        # a Diagnostic-Code of three lines, two not indented: Status, Action and Final-Recipient still read
        ("rhost-messagelabs-01.eml", [("kijitora@example.messagelabs.com", "5.0.0", "550")]),
        # two recipients' fields with no blank line between them
        ("rhost-aol-03.eml", [("sabineko@example.jp", "5.2.2", "550"), ("mikeneko@example.jp", "5.1.1", "550")]),
        # the failed recipient is also the bounce's To:, and the text names it on a line of its own
        ("lhost-einsundeins-03.eml", [("xxxx@xxxx.fr", "5.2.0", "550")]),
        # a role address (postmaster@) that the text and the returned message both name
        ("lhost-biglobe-01.eml", [("postmaster@mxr.biglobe.ne.jp", "", "")]),
        # an Amazon SES notice: the bounced recipient, not the "source" (the sender)
        ("lhost-amazonses-09.eml", [("bounce@simulator.amazonses.com", "5.1.1", "550")]),
        # bounces no subject marks: a sender post_master, a diagnostic in au's words, an fml loop alert
        ("lhost-apachejames-01.eml", [("000000000000@vtext.example.com", "", "550")]),
        ("lhost-kddi-03.eml", [("kijitora@00000000000000.dion.ne.jp", "", "")]),
        ("lhost-fml-03.eml", [("neko@example.co.jp", "", "")]),
    ],
)
def test_each_misread_family_gives_the_recipients_and_the_code_that_wins(rulebase, name, expected):
    assert found(rulebase, name) == expected


def test_every_fixture_is_listed_in_the_readme():
    readme = (BOUNCES / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in sorted(BOUNCES.glob("*.eml")) if p.name not in readme] == []


# -- the precedence of codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, diagnostic, expected",
    [
        ("5.1.1", "smtp; 552 5.2.2 Over quota", ("5.2.2", "552")),  # the diagnostic over the Status field
        ("4.4.7", "smtp; 450 4.7.1 Access denied", ("4.7.1", "450")),
        ("4.5.0", "smtp; 550 rejected", ("5.5.0", "550")),  # no code agrees with the reply: the reply's class
        ("5.0.0", "smtp; 550 5.1.1 user unknown", ("5.1.1", "550")),  # specific over X.0.0
        ("5.1.1", "smtp; 550 5.0.0 rejected", ("5.1.1", "550")),
        ("5.2.2", "smtp; 550 mailbox full", ("5.2.2", "550")),  # the Status field, the diagnostic's reply
        ("5.1.1", "", ("5.1.1", "")),
        ("", "smtp; 421 try later", ("", "421")),
    ],
)
def test_status_diagnostic_and_reply_the_most_specific_agreeing_code_wins(status, diagnostic, expected):
    from spor.evidence.codes import found_in

    codes, replies = found_in(diagnostic, DIAGNOSTIC)
    if status:
        codes.append(Code(status, "", FIELD, 0))
    assert choose(codes, replies) == expected


def test_in_a_text_the_first_failure_stated_is_the_failure():
    transcript = "250 2.1.0 Ok\n250 2.1.5 Ok\n354 go ahead\n451 4.3.0 queue file write error\n221 2.0.0 Bye"
    assert codes_in(transcript) == ("4.3.0", "451")
    assert codes_in(transcript, failure=False)[0].startswith("2.")
    assert codes_in("550 5.0.0 unknown\n550 5.1.1 unknown") == ("5.0.0", "550")  # order, not detail
    assert codes_in("5.0.0 rejected; see 5.7.1") == ("5.7.1", "")  # a generic one gives way to its class
    assert choose([Code("5.1.1", "", TEXT, 3)], ["550"]) == ("5.1.1", "550")


def test_a_delayed_recipient_keeps_its_class_when_the_text_speaks_of_others(rulebase):
    # rfc3464-35: the delayed recipient's 4.0.0 is not taken over by another recipient's 550 in the text
    assert ("sabatora@cat.example.net", "4.0.0", "") in found(rulebase, "rfc3464-35.eml")


# -- broken MIME, NUL bytes -------------------------------------------------------------------------

REPORT_PARTS = (
    "--{used}\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
    "--{used}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.x.example\n\n"
    "Final-Recipient: rfc822; gone@dest.example\nAction: failed\nStatus: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 no such user\n\n"
    "--{used}\nContent-Type: message/rfc822\n\nFrom: sender@a.example\nTo: gone@dest.example\n\nhello\n--{used}--\n"
)


@pytest.mark.parametrize("declared, used", [("declared", "other"), ("declared", "declared-not")])
def test_a_report_with_a_wrong_boundary_is_split_with_the_one_used(tmp_path, newsletter_rulebase, declared, used):
    path = tmp_path / "wrong.eml"
    path.write_text(
        HEAD
        + f'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="{declared}"\n\n'
        + REPORT_PARTS.format(used=used),
        encoding="utf-8",
    )
    (finding,) = findings(path, newsletter_rulebase)
    assert (finding.recipient, finding.status, finding.reply, finding.note) == (
        "gone@dest.example",
        "5.1.1",
        "550",
        "delivery-status",
    )


def test_a_message_splits_at_most_max_splits_multiparts_again(tmp_path, newsletter_rulebase, monkeypatch):
    import spor.evidence.mime

    monkeypatch.setattr(spor.evidence.mime, "MAX_SPLITS", 0)  # past the bound: the part is read as text
    path = tmp_path / "wrong.eml"
    path.write_text(
        HEAD
        + 'MIME-Version: 1.0\nContent-Type: multipart/report; boundary="declared"\n\n'
        + REPORT_PARTS.format(used="other"),
        encoding="utf-8",
    )
    (finding,) = findings(path, newsletter_rulebase)
    assert (finding.recipient, finding.status, finding.note) == (
        "gone@dest.example",
        "5.1.1",
        "delivery-status in the text",
    )


def test_a_report_with_no_boundary_at_all_is_read_as_text(tmp_path, newsletter_rulebase):
    path = tmp_path / "none.eml"
    path.write_text(
        HEAD + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status\n\n"
        "Your message could not be delivered:\n\ngone@dest.example: 550 5.1.1 no such user\n",
        encoding="utf-8",
    )
    (finding,) = findings(path, newsletter_rulebase)
    assert (finding.kind, finding.recipient, finding.status, finding.note) == (
        REPORT,
        "gone@dest.example",
        "5.1.1",
        "free text",
    )


def test_nul_bytes_in_a_body_are_read_past_and_in_the_headers_refused(tmp_path, newsletter_rulebase):
    body = tmp_path / "nul.eml"
    body.write_bytes(HEAD.encode() + b"\ngone@dest.example: 550 5.1.1 no\0 such user\n\0\0\0binary\0\n")
    (finding,) = findings(body, newsletter_rulebase)
    assert (finding.recipient, finding.status) == ("gone@dest.example", "5.1.1")
    assert "\0" not in finding.diagnostic
    header = tmp_path / "nul-header.eml"
    header.write_bytes(b"From: MAILER-DAEMON@x.example\nSubject: \0\0\0\n\ngone@dest.example: 550 5.1.1\n")
    assert "not a mail message" in read_evidence(header, newsletter_rulebase).problems[0].message


# -- who is never, and who is still, the recipient ----------------------------------------------------


def test_message_ids_content_ids_and_senders_are_never_the_recipient(tmp_path, newsletter_rulebase):
    path = tmp_path / "ids.eml"
    path.write_text(
        HEAD + 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nThe message was not delivered.\n"
        "   Message-ID: <20240101.ABC123@mx.sender.example>\n"
        "   Original sender: owner@a.example\n\n"
        "550 5.1.1 no such user\n"
        "--b\nContent-Type: image/png\nContent-ID: <part1.logo@cid.example>\n\nx\n"
        "--b\nContent-Type: text/html\n\n<img src='cid:part1.logo@cid.example'>\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: owner@a.example\nTo: gone@dest.example\n\nhello\n--b--\n",
        encoding="utf-8",
    )
    assert [f.recipient for f in findings(path, newsletter_rulebase)] == ["gone@dest.example"]


def test_the_bounces_own_addressee_is_the_recipient_only_where_the_text_names_it(tmp_path, newsletter_rulebase):
    named = tmp_path / "named.eml"
    named.write_text(
        "From: MAILER-DAEMON@x.example\nTo: kari@dest.example\nSubject: Undelivered Mail\n\n"
        "Delivery to the following recipient failed:\n\n    kari@dest.example\n\n550 5.2.2 mailbox full\n",
        encoding="utf-8",
    )
    assert [(f.recipient, f.status) for f in findings(named, newsletter_rulebase)] == [("kari@dest.example", "5.2.2")]
    mentioned = tmp_path / "mentioned.eml"
    mentioned.write_text(
        "From: MAILER-DAEMON@x.example\nTo: kari@dest.example\nSubject: Undelivered Mail\n\n"
        "Hello kari@dest.example, your message to ola@dest.example failed: 550 5.1.1 unknown\n",
        encoding="utf-8",
    )
    assert [f.recipient for f in findings(mentioned, newsletter_rulebase)] == ["ola@dest.example"]


def test_an_ses_notice_as_escaped_json_names_the_bounced_recipient_not_the_source(tmp_path, rulebase):
    notice = {
        "notificationType": "Bounce",
        "bounce": {"bouncedRecipients": [{"emailAddress": "gone@dest.example", "status": "5.1.1"}]},
        "mail": {"source": "payroll@sender.example", "destination": ["gone@dest.example"]},
    }
    sns = json.dumps({"Type": "Notification", "Message": json.dumps(notice)})
    path = tmp_path / "ses.eml"
    path.write_text(
        f"From: no-reply@sns.amazonaws.com\nTo: ops@sender.example\nSubject: AWS Notification Message\n\n{sns}\n",
        encoding="utf-8",
    )
    assert [f.recipient for f in findings(path, rulebase)] == ["gone@dest.example"]


def test_a_message_with_no_mark_of_a_bounce_and_no_failure_is_not_a_bounce(tmp_path, newsletter_rulebase):
    path = tmp_path / "plain.eml"
    path.write_text(
        "From: kari@a.example\nTo: ola@b.example\nSubject: lunch\n\nAsk per@c.example, he knows.\n", encoding="utf-8"
    )
    (finding,) = findings(path, newsletter_rulebase)
    assert finding.kind == UNREAD and finding.recipient == ""


# -- pathological headers: never a false bounce, memory bounded ---------------------------------------


def _memory(path, rulebase):
    tracemalloc.start()
    try:
        reading = read_evidence(path, rulebase)
        return reading, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_a_20_mb_header_line_makes_no_false_bounce_and_memory_stays_within_three_times_the_message(
    tmp_path, newsletter_rulebase
):
    huge = "X-Junk: " + "a" * (20 << 20) + "\n"
    tail = "\nhello, see per@c.example\n" + ("q" * 70 + "\n") * 100_000  # about 27 MB in all
    cases = {
        "no-from.eml": ("Subject: hello\n" + huge + "To: ola@b.example\n" + tail, UNREAD),
        "from-after.eml": (huge + "From: kari@a.example\nSubject: hello\n" + tail, UNREAD),
        "empty-subject.eml": ("From: kari@a.example\nSubject: " + "b" * (20 << 20) + "\n" + tail, UNREAD),
        # the headers after the long line are still read: a real bounce stays one
        "bounce.eml": (huge + HEAD + "\ngone@dest.example: 550 5.1.1 no such user\n" + tail, REPORT),
    }
    for name, (text, kind) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        reading, peak = _memory(path, newsletter_rulebase)
        assert [e.finding.kind for e in reading.explained] == [kind], name
        assert peak < 3 * path.stat().st_size, (name, peak)
        if kind == REPORT:
            assert reading.explained[0].finding.recipient == "gone@dest.example"
            assert "were cut" in reading.explained[0].finding.note


@pytest.mark.slow
def test_a_30_mb_bounce_costs_at_most_three_times_its_size(tmp_path, newsletter_rulebase):
    import base64
    import os

    attachment = base64.encodebytes(os.urandom(22 << 20)).decode()
    path = tmp_path / "big.eml"
    path.write_text(
        HEAD
        + 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        + REPORT_PARTS.format(used="B").replace(
            "hello\n--B--\n",
            "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n" + attachment + "--B--\n",
        ),
        encoding="utf-8",
    )
    reading, peak = _memory(path, newsletter_rulebase)
    (item,) = reading.explained
    assert (item.finding.recipient, item.finding.status) == ("gone@dest.example", "5.1.1")
    assert "only its first 2 MB were read" in item.finding.note
    assert peak < 3 * path.stat().st_size, peak


# -- regular expressions that could hang: refused at load time ---------------------------------------


@pytest.mark.parametrize(
    "pattern", [r"(x+x+)+y", r"(a|aa)*b", r"(\w+\s?)*$", r"(a{1,2})*b", r"((ab)*)*c", r"(?:\n {3,}[^\n]{1,9}){0,10}"]
)
def test_patterns_that_backtrack_without_end_are_caught(pattern):
    assert "exponential" in catastrophic(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a|ab)*c",
        r"(?:\d+\.){3}\d+",
        r"(?:\.[a-z0-9-]{1,63}){1,10}",
        r"(\s*,\s*\w+)*",
        r"^[ \t]*-+ ?(Original|Returned) message",
        r"(?:\n {3}[^\n]{1,1000}){0,10}",
        r"(",  # does not compile: reported as such by the loader, not here
    ],
)
def test_patterns_whose_parts_exclude_each_other_pass(pattern):
    assert catastrophic(pattern) == ""


def test_every_shipped_pattern_passes_the_check(rulebase):
    spec = evidence_spec(rulebase).reports
    assert {name: [t for t in texts if catastrophic(t)] for name, texts in spec.patterns.items()} == {
        name: [] for name in spec.patterns
    }


def test_check_refuses_a_catastrophic_pattern_at_its_line_and_evidence_never_runs_it(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / "60-evidence.yaml"
    text = path.read_text(encoding="utf-8")
    assert "      bounce_subject:\n" in text
    path.write_text(text.replace("      bounce_subject:\n", "      bounce_subject:\n        - '(x+x+)+y'\n", 1))
    line = text[: text.index("      bounce_subject:\n")].count("\n") + 2
    checked = CliRunner().invoke(cli, ["check", "--rules", str(folder), "--lang", "en"])
    assert checked.exit_code == 1
    assert f"60-evidence.yaml:{line}:11 (evidence.reports.patterns.bounce_subject[0])" in checked.output
    assert "'(x+x+)+y' has a quantifier inside a repeated group" in checked.output
    with pytest.raises(InputError):
        load(folder)
    bounce = tmp_path / "x.eml"
    bounce.write_text("From: a@b.example\nSubject: " + "x" * 40 + "\n\nhello\n", encoding="utf-8")
    try:  # a process of its own: a pattern that backtracks without end could not be interrupted in this one
        done = subprocess.run(
            spor_command("evidence", "--lang", "en", "--rules", folder, bounce),
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:  # a guard against a hang, not a speed limit
        pytest.fail("hung: spor evidence ran the catastrophic pattern")
    assert done.returncode == 2 and "has a quantifier inside a repeated group" in done.stderr


# -- event logs: a case's result lists a bounded number of findings ------------------------------------


def test_a_case_with_a_log_of_many_messages_lists_the_first_findings_and_counts_the_rest(
    tmp_path, newsletter_rulebase, monkeypatch
):
    import spor.evidence.merge
    from spor.inference.evaluate import Evaluator

    monkeypatch.setattr(spor.evidence.merge, "MAX_SHOWN", 3)
    monkeypatch.setattr(spor.evidence.merge, "MAX_SOURCES", 2)
    log = tmp_path / "log.jsonl"
    log.write_text(
        "".join(
            json.dumps({"event": "delivered", "to": f"r{i}@x.no", "message_id": f"m{i}", "at": i}) + "\n"
            for i in range(10)
        ),
        encoding="utf-8",
    )
    reading = read_evidence(log, newsletter_rulebase)
    assert len(reading.explained) == 10 and not isinstance(reading.explained, list)  # made as it is read
    assert [e.finding.recipient for e in reading.explained][:2] == ["r0@x.no", "r1@x.no"]
    facts, notices = merge({}, [reading])
    (filled,) = [n for n in notices if n.code == "from_evidence"]
    assert filled.params["source"].endswith("log.jsonl:2 and 8 more")
    result = evaluate_with(Evaluator(newsletter_rulebase), {}, [reading])
    assert len(result.evidence) == 3
    (cut,) = [w for w in result.warnings if w.code == "evidence_cut"]
    assert cut.message("en") == (
        "Only the first 3 of the evidence's 10 findings are shown here (spor evidence shows them all)."
    )


# -- the smaller bounds ----------------------------------------------------------------------------------


def test_patterns_read_at_most_2000_characters_of_a_header_and_100_codes_of_a_text(tmp_path, newsletter_rulebase):
    from spor.evidence.codes import MAX_CODES, found_in

    path = tmp_path / "long-subject.eml"
    path.write_text(
        "From: kari@a.example\nSubject: " + "x" * 2000 + " undeliverable\n\ngone@dest.example\n", encoding="utf-8"
    )
    assert [f.kind for f in findings(path, newsletter_rulebase)] == [UNREAD]  # the mark lies past 2,000 characters
    codes, replies = found_in("550 5.1.1 gone\n" * 150, TEXT)
    assert len(codes) == MAX_CODES and len(replies) == MAX_CODES


def test_a_free_text_bounce_names_at_most_1000_recipients(tmp_path, newsletter_rulebase):
    path = tmp_path / "many.eml"
    path.write_text(
        HEAD + "\n" + "".join(f"r{i}@dest.example: 550 5.1.1 unknown\n" for i in range(1500)), encoding="utf-8"
    )
    assert len(findings(path, newsletter_rulebase)) == 1000


def test_event_names_past_the_first_thousand_distinct_are_counted_not_listed(newsletter_rulebase, monkeypatch):
    import io

    import spor.evidence.events
    from spor.evidence.events import read_events

    monkeypatch.setattr(spor.evidence.events, "MAX_NAME_CODES", 2)
    log = "".join(
        json.dumps({"event": name, "to": "a@x.no", "message_id": "m", "at": i}) + "\n"
        for i, name in enumerate(["delivered", "open", "click", "open"])
    )
    (finding,) = read_events(io.BytesIO(log.encode()), "l", evidence_spec(newsletter_rulebase).events)[0]
    assert finding.events == ("delivered", "open", "open") and finding.note.startswith("4 event(s)")
