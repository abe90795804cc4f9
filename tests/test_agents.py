"""The agents' toolkit: spor ask (WHY/HOW, back, skip, save), run --explain, and batch.

The interview, the nearest rival and the commands on cases of their own run
on the heating fixture rulebase (tests/fixtures/heating, with --rules); the
commands run on files of examples/ stay on the shipped rulebase, whose cases
they are."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from spor.analysis.explain import nearest_rival
from spor.analysis.interview import Interview
from spor.cli import cli

from .conftest import EXAMPLES, HEATING


def spor(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def heating(command, *args, input=None):
    """``spor COMMAND --rules tests/fixtures/heating ARGS...``"""
    return spor(command, "--rules", HEATING, *args, input=input)


# -- the interview, through the Python API -----------------------------------


def test_interview_asks_in_the_engines_order_and_accepts_numbers_ids_and_labels(heating_evaluator):
    evaluator = heating_evaluator
    interview = Interview(evaluator)
    asked = []
    for answer in ("4", "nei", "Strøm", "blank", "no"):  # a number, yes/no words, a label, an id
        fact = interview.next_question(evaluator.evaluate(interview.known()))
        asked.append(fact.id)
        assert interview.answer(fact, answer) is None
    result = evaluator.evaluate(interview.known())
    assert asked == ["building", "heat_pump", "setting", "display", "fuse_blown"]  # never valve_open: electric
    assert interview.known() == {
        "building": "flat",
        "heat_pump": "no",
        "setting": "electric",
        "display": "blank",
        "fuse_blown": "no",
    }
    assert result.outcome.id == "ask_landlord"
    assert interview.next_question(result) is None


def test_interview_invalid_answer_gives_a_hint_and_changes_nothing(heating_evaluator):
    interview = Interview(heating_evaluator)
    fact = interview.next_question(heating_evaluator.evaluate({}))
    hint = interview.answer(fact, "9")  # five values: 9 is no number of one
    assert "'9' is not a value of 'building'" in hint and interview.history == []


def test_interview_back_skip_restart(heating_evaluator):
    evaluator = heating_evaluator
    interview = Interview(evaluator, {"building": "flat"})
    heat_pump = interview.next_question(evaluator.evaluate(interview.known()))
    interview.skip(heat_pump)
    nxt = interview.next_question(evaluator.evaluate(interview.known()))
    assert nxt.id == "setting" and interview.skipped == ["heat_pump"]
    interview.answer(nxt, "water")
    assert interview.back() == "setting" and interview.back() == "heat_pump" and interview.back() is None
    interview.answer(heat_pump, "yes")
    interview.restart()
    assert interview.known() == {"building": "flat"}


def test_why_names_the_rules_waiting_and_the_chain(heating_evaluator):
    evaluator = heating_evaluator
    waiting, chain = Interview(evaluator, {"building": "house"}).why("setting")
    assert {w.rule.id for w in waiting} == {"source-setting-electric", "source-setting-water-house"}
    assert chain == ["heat_source", "check_at", "trade", "state"]  # every derived fact on the way to the outcome
    waiting, chain = Interview(evaluator, {"building": "cabin"}).why("fuse_blown")
    assert {w.rule.id for w in waiting} == {"outcome-off-fuse", "outcome-off-owned"}  # not the rented flat's rule
    assert {w.rule.target for w in waiting} == {"outcome"} and chain == []


# -- spor ask, as an agent uses it --------------------------------------------


def test_ask_piped_session_reaches_the_diagnosis_and_saves_a_reproducible_case(tmp_path):
    saved = tmp_path / "session.yaml"
    result = heating("ask", "--lang", "en", "--save", saved, input="3\nblank\nno\nhow\nquit\n")
    assert result.exit_code == 0
    out = result.output
    assert "1. What kind of building is it? (building)" in out and "   3) cabin — Cabin" in out
    assert "(heat_pump)" not in out and "(valve_open)" not in out  # a cabin is electric: neither is asked
    assert "Verdict: The fault must be fixed by an electrician." in out  # {trade} filled in
    assert "How the diagnosis was reached:" in out and "source-cabin-electric" in out
    assert f"Saved the case to {saved}" in out
    rerun = heating("run", "--format", "json", saved)
    assert rerun.exit_code == 0 and json.loads(rerun.stdout)["outcome"] == "call_pro"


def test_ask_why_back_and_invalid_answers():
    result = heating("ask", input="?\n4\nbogus\nback\n1\nvann\n")
    out = result.output
    assert "Hvorfor spør jeg om «Bygg» (building)?" in out
    assert "source-cabin-electric (§1)" in out and "Det trengs for å finne: Varmekilde" in out
    assert "Ugyldig svar: 'bogus' er ikke en verdi av 'heat_pump'; tillatt: yes (Ja), no (Nei)" in out  # a flat
    assert "Angret svaret om «Bygg» (building)." in out
    assert out.count("Har bygget varmepumpe? (heat_pump)") == 1  # a house, answered after going back, never asks it
    assert "trenger også: Varmepumpe (heat_pump)" in out  # why names what else a rule needs by label, then id
    assert "(valve_open)" in out and "(display)" not in out  # house + vann goes on to the valve


def test_ask_end_of_input_reports_the_partial_case_and_exits_1():
    result = heating("ask", input="1\n")
    assert result.exit_code == 1
    assert "Slutt på input: saken er ikke avgjort." in result.output
    assert "Mangler (neste spørsmål først):" in result.output


def test_ask_starts_from_a_partial_case_and_skips_what_is_known():
    result = spor("ask", EXAMPLES / "incomplete-payroll-never-asks-setting.yaml", input="skip\n")
    assert "(concern)" in result.output and "(module)" not in result.output
    assert "Hoppet over «Spørsmålet» (concern)" in result.output and "(log_status)" in result.output


def test_ask_bad_case_file_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("facts: {building: nope}\n", encoding="utf-8")
    result = heating("ask", bad, input="")
    assert result.exit_code == 2 and "bad.yaml:1:19" in result.stderr


# -- run --explain --------------------------------------------------------------


def test_nearest_rival_is_the_smallest_change_and_really_gives_that_outcome(heating_evaluator):
    evaluator = heating_evaluator
    facts = {"building": "cabin", "display": "blank", "fuse_blown": "no"}
    result = evaluator.evaluate(facts)
    rival = nearest_rival(evaluator, result)
    assert len(rival.changes) == 1
    # another building leaves a cabin's case undecided, a heat pump or a setting changes nothing for a cabin
    assert rival.changes[0].fact == "display" and rival.changes[0].old == "blank"
    changed = {**facts, **{c.fact: c.new for c in rival.changes}}
    assert evaluator.evaluate(changed).outcome.id == rival.outcome.id != result.outcome.id
    assert nearest_rival(evaluator, evaluator.evaluate({"building": "cabin"})) is None  # undecided: no rival


def test_run_explain_text_and_json():
    text = spor("run", "--explain", "--lang", "en", EXAMPLES / "tax-builtin-rejected.yaml").output
    assert "Why not another outcome?" in text and "Nearest alternative: Delivered in the email log, yet" in text
    assert "contact Agro support. (bounce_after_delivered)" in text
    assert "- if Status in the email log = Delivered (instead of Rejected)" in text
    data = json.loads(spor("run", "--explain", "--format", "json", EXAMPLES / "tax-builtin-rejected.yaml").stdout)
    assert data["why_not"] == {
        "outcome": "bounce_after_delivered",
        "changes": [{"fact": "log_status", "from": "avvist", "to": "levert"}],
    }


def test_markdown_reply_in_both_languages():
    nb = spor("run", "--format", "markdown", EXAMPLES / "payroll-was-it-sent.yaml").output
    en = spor("run", "--format", "markdown", "--lang", "en", EXAMPLES / "payroll-was-it-sent.yaml").output
    assert "#### Svar til kunden" in nb and "> Eposten er sendt fra Agro" in nb
    assert "#### Reply to the customer" in en and "> The email was sent from Agro" in en
    assert "Svar" not in en and "Konklusjon" not in en


# -- batch ---------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path):
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        '{"id": "a", "facts": {"building": "cabin", "display": "normal"}}\n'
        "\n"
        '{"facts": {"building": "house"}}\n'
        "not json\n"
        '{"facts": {"building": "nope"}}\n',
        encoding="utf-8",
    )
    table = tmp_path / "in.csv"
    table.write_text(
        "id;building;heat_pump;setting;display;valve_open;fuse_blown\n"
        "c1;Hytte;;;Ingenting;;nei\n"
        "c2;leilighet;true;vann;svart;;ja\n"
        "c3;xx;;;;;\n",
        encoding="utf-8",
    )
    return jsonl, table


def test_batch_one_record_per_input_record_in_order(inputs):
    jsonl, table = inputs
    result = heating("batch", jsonl, table)
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"] for r in lines] == [
        f"{jsonl}:1",
        f"{jsonl}:3",
        f"{jsonl}:4",
        f"{jsonl}:5",
        f"{table}:2",
        f"{table}:3",
        f"{table}:4",
    ]
    assert [r.get("outcome") for r in lines] == ["turn_up", None, None, None, "call_pro", "replace_fuse", None]
    assert lines[2]["error"].startswith("not valid JSON")
    assert lines[3]["error"].startswith("facts.building: 'nope' is not a value")
    assert lines[6]["case"] == "c3" and "'xx' is not a value of 'building'" in lines[6]["error"]
    assert lines[5]["facts"]["heat_pump"] == "yes" and lines[5]["facts"]["display"] == "blank"  # CSV cells normalised
    assert "poster inn = resultater + feil: 7 = 4 + 3" in result.stderr  # the summary in --lang (nb by default)
    assert "  Tilstand (state): " in result.stderr and "Varmen går (running) 1" in result.stderr  # label, then id
    assert "ufullstendige: 1" in result.stderr and "\n  state:" not in result.stderr
    english = heating("batch", jsonl, table, "--lang", "en")
    assert "records in = results + errors: 7 = 4 + 3" in english.stderr and "incomplete: 1" in english.stderr
    assert english.stdout != result.stdout  # the results follow --lang too


def test_batch_csv_output_and_out_file(inputs, tmp_path):
    _, table = inputs
    out = tmp_path / "out.csv"
    result = heating("batch", table, "--format", "csv", "--out", out)
    rows = out.read_text(encoding="utf-8").splitlines()
    header = "source,case,title,outcome,side,verdict,complete,missing,assumed,warnings,error,building,"
    assert rows[0].startswith(header)
    assert rows[1].startswith(f"{table}:2,c1,,call_pro,professional,Feilen må rettes av en elektriker.,yes,")
    assert len(rows) == 4 and result.exit_code == 1


def test_batch_folder_of_examples_all_decided_or_listed():
    result = spor("batch", EXAMPLES)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(list(EXAMPLES.iterdir()))
    assert result.exit_code == 1  # the examples include undecided cases on purpose


def test_batch_bad_header_and_missing_input(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("buildin,display\ncabin,normal\n", encoding="utf-8")
    result = heating("batch", table)
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"] == f"{table}:2"
    assert record["error"].startswith("the header cannot be used: unknown column 'buildin' (did you mean 'building'?)")
    assert heating("batch", tmp_path / "none.jsonl").exit_code == 2


def test_batch_all_decided_exits_0(tmp_path):
    jsonl = tmp_path / "ok.jsonl"
    jsonl.write_text(
        '{"facts": {"building": "flat", "heat_pump": "no", "setting": "water", "valve_open": "no"}}\n', encoding="utf-8"
    )
    assert heating("batch", jsonl).exit_code == 0


def test_batch_csv_broken_rows_do_not_hide_the_rows_after_them(tmp_path):
    table = tmp_path / "t.csv"
    good = "cabin,normal,no\n"
    table.write_text(
        "building,display,fuse_blown\n"
        + good
        + 'house,"unclosed,no\n'
        + good * 3
        + "cabin,"
        + "x" * 200_000
        + ",no\n"
        + good
        + '"quoted\nline",normal,no\n',
        encoding="utf-8",
    )
    result = heating("batch", table)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source"].rsplit(":", 1)[1] for r in records] == ["2", "3", "4", "5", "6", "7", "8", "9"]
    assert "a quoted cell is not closed" in records[1]["error"]
    assert [r.get("outcome") for r in records[2:5]] == ["turn_up"] * 3
    assert "a text of 200000 characters; at most 200 are allowed" in records[5]["error"]
    assert records[6]["outcome"] == "turn_up"
    assert "'quoted\\nline' is not a value of 'building'" in records[7]["error"]
    assert "poster inn = resultater + feil: 8 = 5 + 3" in result.stderr


def test_batch_jsonl_duplicate_keys_are_errors_not_lost_values(tmp_path):
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text('{"id": "dup", "facts": {"building": "cabin", "building": "house"}}\n', encoding="utf-8")
    (record,) = [json.loads(line) for line in heating("batch", jsonl).stdout.splitlines()]
    assert "duplicate key 'building'" in record["error"]


def test_batch_refuses_to_overwrite_its_input(tmp_path):
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text('{"facts": {"building": "cabin"}}\n', encoding="utf-8")
    result = heating("batch", jsonl, "--out", jsonl, "--lang", "en")
    assert result.exit_code == 2 and "is also an input" in result.stderr
    assert jsonl.read_text(encoding="utf-8") == '{"facts": {"building": "cabin"}}\n'


def test_ask_odd_digits_are_a_hint_not_a_crash():
    result = heating("ask", input="²\n" + "9" * 5000 + "\n")
    assert result.exit_code == 1 and "internal error" not in result.output
    assert result.output.count("Ugyldig svar") == 2


def test_ask_save_is_checked_first_and_keeps_what_the_case_held(tmp_path):
    assert heating("ask", "--save", tmp_path / "no" / "x.yaml", input="2\n").exit_code == 2
    start = tmp_path / "start.yaml"
    start.write_text("title: T\nnotes: N\nfacts: {building: cabin}\nexpect: {outcome: turn_up}\n", encoding="utf-8")
    saved = tmp_path / "ticket-7.yaml"
    result = heating("ask", start, "--save", saved, input="normal\n")
    text = saved.read_text(encoding="utf-8")
    assert "id: start" in text and "expect:\n  outcome: turn_up" in text and "notes: N" in text
    assert "display: normal" in text and "Notater:\n  N" in result.output
    fresh = tmp_path / "ticket-8.yaml"
    heating("ask", "--save", fresh, input="quit\n")
    assert fresh.read_text(encoding="utf-8").startswith("id: ticket-8")


def test_ask_save_writes_the_new_result_as_expect_when_the_old_no_longer_holds(tmp_path):
    """Answering an assumed fact changes the outcome: the saved case expects the new one, says so, and passes."""
    import yaml

    start = EXAMPLES / "external-was-it-sent-assumes-no-message-back.yaml"
    saved = tmp_path / "changed.yaml"
    result = spor("ask", "--lang", "en", start, "--save", saved, input="1\nyes\n")  # the bounce came back after all
    assert result.exit_code == 0
    assert "The starting case's expectation (expect) no longer holds, so the saved case expects the new result: " in (
        result.output
    )
    assert "outcome: expected 'sent_from_mail_program', got 'rejected_external'" in result.output
    expect = yaml.safe_load(saved.read_text(encoding="utf-8"))["expect"]
    assert expect == {
        "outcome": "rejected_external",
        "facts": {"transport": "external", "status_location": "sent_folder"},  # the facts the old one checked
        "missing": [],
        "assumed": ["bounce_reason"],  # the old one said what it assumed: so does the new one
    }
    tested = spor("test", saved)
    assert tested.exit_code == 0 and "1 bestått, 0 feilet" in tested.output


def test_ask_save_of_an_undecided_case_expects_what_is_still_missing(tmp_path):
    saved = tmp_path / "later.yaml"
    result = spor("ask", EXAMPLES / "incomplete-payroll-never-asks-setting.yaml", "--save", saved, input="1\n")
    assert result.exit_code == 1 and "Forventningen (expect) fra startsaken holder ikke lenger" in result.output
    assert "missing: ventet ['concern', 'log_status'], fikk ['log_status']" in result.output
    assert "expect:\n  outcome: null\n" in saved.read_text(encoding="utf-8")
    assert spor("test", saved).exit_code == 0


def test_ask_save_keeps_an_expect_that_still_holds_as_written(tmp_path):
    import yaml

    start = EXAMPLES / "tax-builtin-rejected.yaml"
    saved = tmp_path / "same.yaml"
    result = spor("ask", start, "--save", saved, input="how\nquit\n")
    assert result.exit_code == 0 and "Forventningen" not in result.output
    original = yaml.safe_load(start.read_text(encoding="utf-8"))["expect"]
    written = saved.read_text(encoding="utf-8")
    assert yaml.safe_load(written)["expect"] == original  # the block as the starting file wrote it
    block = written.split("expect:\n", 1)[1]
    assert block == yaml.safe_dump({"x": original}, allow_unicode=True, sort_keys=False).split("x:\n", 1)[1]
    assert spor("test", saved).exit_code == 0


def test_batch_folder_reads_record_files_too_and_csv_cells_cannot_be_formulas(tmp_path):
    (tmp_path / "a.yaml").write_text("id: '=cmd()'\nfacts: {building: cabin}\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "j", "facts": {"building": "cabin"}}\n', encoding="utf-8")
    (tmp_path / "c.csv").write_text("id,building\nk,cabin\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    heating("batch", tmp_path, "--format", "csv", "--out", out)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[1] for r in rows[1:]] == ["'=cmd()", "j", "k"]
    assert heating("batch", tmp_path, "--format", "csv", "--out", out, "--resume").exit_code in (0, 1)
    assert out.read_text(encoding="utf-8").splitlines() == rows  # resumed: the quoted id still matches its source


def test_batch_facts_in_any_order_give_the_same_result_and_run_the_engine_once(tmp_path, monkeypatch):
    from spor.inference.session import Session

    calls = []
    real = Session.fire
    monkeypatch.setattr(Session, "fire", lambda self, facts: calls.append(1) or real(self, facts))
    jsonl = tmp_path / "o.jsonl"
    jsonl.write_text(
        '{"id": "x", "facts": {"building": "cabin", "display": "blank"}}\n'
        '{"id": "x", "facts": {"display": "blank", "building": "cabin"}}\n',
        encoding="utf-8",
    )
    first, second = [json.loads(line) for line in heating("batch", jsonl).stdout.splitlines()]
    assert {k: v for k, v in first.items() if k != "source"} == {k: v for k, v in second.items() if k != "source"}
    assert len(calls) == 1


def test_batch_never_reads_its_own_output_inside_an_input_folder(tmp_path):
    (tmp_path / "a.yaml").write_text("facts: {building: cabin}\n", encoding="utf-8")
    out = tmp_path / "zz-results.jsonl"
    assert heating("batch", tmp_path, "--out", out).exit_code == 1
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    heating("batch", tmp_path, "--out", out)  # again, with the old results in the folder
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_batch_csv_is_parsed_strictly_row_by_row(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        'id,building,notes\nr1,cabin,"unclosed\nr2,house,ok\nr3,flat,"multi\nline"\nr4,office,5" screen\n',
        encoding="utf-8",
    )
    records = [json.loads(line) for line in heating("batch", table).stdout.splitlines()]
    assert [(r["case"], "error" in r) for r in records] == [(None, True), ("r2", False), ("r3", False), ("r4", False)]
    assert records[2]["notes"] == "multi\nline" and records[3]["notes"] == '5" screen'


def test_resume_refuses_a_file_that_is_not_output_even_without_a_newline(tmp_path):
    precious = tmp_path / "notes.txt"
    precious.write_text("precious", encoding="utf-8")
    cases = tmp_path / "x.jsonl"
    cases.write_text('{"facts": {}}\n', encoding="utf-8")
    result = heating("batch", cases, "--out", precious, "--resume")
    assert result.exit_code == 2 and precious.read_text(encoding="utf-8") == "precious"
