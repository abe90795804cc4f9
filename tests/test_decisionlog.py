"""The decision log and ``spor report``: logs built by real batch, serve and ask runs, figures checked by direct counts.

Every figure of a report is checked against a count made here, over the
same records, in a different way: from the batch output's JSON records
(their trace, warnings, missing and assumed), or from the log's rows with
SQL of the test's own.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from spor.cli import cli

from .conftest import EXAMPLES, ROOT
from .test_serve_api import TestClient

CASE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def spor(*args, input=None):
    return CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, [*map(str, args)], input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """A batch over the examples with --log: (output records, log path)."""
    folder = tmp_path_factory.mktemp("logged")
    out, log = folder / "out.jsonl", folder / "log.sqlite"
    result = spor("batch", EXAMPLES, "--out", out, "--log", log, "--lang", "en")
    assert result.exit_code in (0, 1), result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return records, log, out


def report(*inputs, fmt="json", lang="en", extra=()):
    result = spor("report", *inputs, "--format", fmt, "--lang", lang, *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if fmt == "json" else result.output


def direct(records: list) -> dict:
    """The figures, counted here from the batch output's records."""
    results = [r for r in records if "outcome" in r]
    cited = lambda r: {c for step in r["trace"] for c in step["cites"]}  # noqa: E731
    return {
        "decisions": len(results),
        "outcomes": Counter(r["outcome"] for r in results),
        "sides": Counter(r["side"] for r in results),
        "rules": Counter(step["rule"] for r in results for step in r["trace"]),
        "sections": Counter(c for r in results for c in cited(r)),
        "silent": sum("§12" in cited(r) for r in results),
        "incomplete": sum(not r["complete"] for r in results),
        "next_question": Counter(r["missing"][0]["fact"] for r in results if not r["complete"] and r["missing"]),
        "assumed": Counter(a["fact"] for r in results for a in r["assumed"]),
        "warnings": Counter(code for r in results for code in {w["code"] for w in r["warnings"]}),
    }


def figures(data: dict) -> dict:
    """The same figures, as a report gives them."""
    return {
        "decisions": data["decisions"],
        "outcomes": Counter({o["outcome"]: o["count"] for o in data["outcomes"]}),
        "sides": Counter({s["side"]: s["count"] for s in data["sides"]}),
        "rules": Counter({r["rule"]: r["count"] for r in data["rules"]}),
        "sections": Counter({s["section"]: s["count"] for s in data["sections"] if s["count"]}),
        "silent": data["silent"]["count"],
        "incomplete": data["incomplete"]["count"],
        "next_question": Counter({q["fact"]: q["count"] for q in data["incomplete"]["next_question"]}),
        "assumed": Counter({a["fact"]: a["count"] for a in data["assumed"]}),
        "warnings": Counter({w["code"]: w["count"] for w in data["warnings"]}),
    }


def edited(log: Path, folder: Path, *statements: str) -> Path:
    """A copy of a log in ``folder``, changed by SQL statements (a log of other days, of a newer spor)."""
    copy = folder / log.name
    copy.write_bytes(log.read_bytes())
    db = sqlite3.connect(copy)
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()
    return copy


def test_a_batch_with_log_then_report_gives_the_figures_of_the_batch_output(logged):
    records, log, _ = logged
    assert len(records) == len(CASE_FILES)
    assert figures(report(log)) == direct(records)


def test_a_report_on_the_batch_output_itself_gives_the_same_figures(logged):
    records, log, out = logged
    from_output = report(out)
    assert figures(from_output) == direct(records)
    assert from_output["weeks"] == [{**w, "week": "undated"} for w in report(log)["weeks"]]


def test_rules_that_never_fired_are_the_rulebases_rules_absent_from_every_trace(logged, rulebase):
    records, log, _ = logged
    fired = {step["rule"] for r in records for step in r.get("trace", ())}
    assert report(log)["rules_never_fired"] == [rule.id for rule in rulebase.rules if rule.id not in fired]


def test_the_silent_groups_are_the_given_facts_of_the_decisions_citing_the_fallback(logged):
    records, log, _ = logged
    silent = Counter(
        json.dumps({k: r["facts"][k] for k in r["given"]}, sort_keys=True)
        for r in records
        if "§12" in {c for step in r["trace"] for c in step["cites"]}
    )
    groups = report(log)["silent"]["groups"]
    assert Counter({json.dumps(g["facts"], sort_keys=True): g["count"] for g in groups}) == silent
    for group in groups:
        ids = {r["case"] for r in records if {k: r["facts"][k] for k in r["given"]} == group["facts"]}
        assert set(group["cases"]) <= ids and group["cases"]


def test_the_log_keeps_ids_and_codes_only(tmp_path):
    case = tmp_path / "ticket.yaml"
    case.write_text(
        "id: T-77\ntitle: Lønnsslipp til kari.nordmann@example.no\nnotes: ring 99 88 77 66\n"
        "facts: {concern: not_received, module: lonn, log_status: levert}\n",
        encoding="utf-8",
    )
    log = tmp_path / "log.sqlite"
    assert spor("batch", case, "--out", tmp_path / "out.jsonl", "--log", log).exit_code == 0
    db = sqlite3.connect(log)
    assert db.execute("SELECT case_id, given FROM decisions").fetchall() == [
        ("T-77", '{"concern":"not_received","module":"lonn","log_status":"levert"}')
    ]
    db.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("log.sqlite*"))
    for secret in (b"kari.nordmann", b"99 88 77", "Lønnsslipp".encode()):
        assert secret not in raw


def test_a_resumed_batch_logs_what_an_uninterrupted_one_does(tmp_path, logged):
    """A kill after some records reached the output, with fewer of their rows committed: resume fills the gap."""
    _, whole_log, whole_out = logged
    out, log = tmp_path / "out.jsonl", tmp_path / "log.sqlite"
    assert spor("batch", EXAMPLES, "--out", out, "--log", log, "--lang", "en").exit_code in (0, 1)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:20]), encoding="utf-8")  # the output as a kill left it
    db = sqlite3.connect(log)
    db.execute("DELETE FROM decisions WHERE record > 15")  # rows not yet committed when it was killed
    db.commit()
    db.close()
    assert spor("batch", EXAMPLES, "--out", out, "--log", log, "--lang", "en", "--resume").exit_code in (0, 1)
    assert out.read_bytes() == whole_out.read_bytes()
    columns = "record, case_id, outcome, side, complete, silent, given, derived, missing, assumed, warnings, rules"
    rows = [
        sqlite3.connect(p).execute(f"SELECT {columns} FROM decisions_full ORDER BY record").fetchall()
        for p in (log, whole_log)
    ]
    assert rows[0] == rows[1] and len(rows[0]) == len(CASE_FILES)


def test_a_log_from_a_newer_spor_is_refused(tmp_path, logged):
    _, log, _ = logged
    newer = edited(log, tmp_path, "UPDATE decisions SET schema = 99 WHERE id = 1").rename(tmp_path / "newer.sqlite")
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, ["report", str(newer)])
    assert result.exit_code == 2
    assert "newer spor (log schema 99)" in result.output and "newer.sqlite" in result.output
    assert "Traceback" not in result.output


def test_what_is_not_a_log_is_refused_with_its_name(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("hello\n", encoding="utf-8")
    for args in (["report", str(text)], ["batch", str(EXAMPLES), "--log", str(text)]):
        result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, args)
        assert result.exit_code == 2, args
        assert "notes.sqlite" in result.output and "Traceback" not in result.output
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, ["report", str(foreign)])
    assert result.exit_code == 2 and "not a spor decision log" in result.output


def test_a_log_through_a_symbolic_link_is_refused(tmp_path):
    target = tmp_path / "someone-elses.db"
    target.write_bytes(b"")
    link = tmp_path / "log.sqlite"
    link.symlink_to(target)
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, ["batch", str(EXAMPLES), "--log", str(link)])
    assert result.exit_code == 2 and "symbolic link" in result.output
    assert target.read_bytes() == b""


def test_the_log_cannot_be_an_input_or_the_output(tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(
        cli, ["batch", str(EXAMPLES), "--out", str(out), "--log", str(out)]
    )
    assert result.exit_code == 2 and "its own file" in result.output


def test_log_days_deletes_old_rows_only(tmp_path, logged):
    _, log, _ = logged
    copy = edited(log, tmp_path, "UPDATE decisions SET time = '2020-01-01T00:00:00Z' WHERE record <= 10")
    from spor.decisionlog.store import DecisionLog

    DecisionLog(copy, days=30).close()
    left = sqlite3.connect(copy).execute("SELECT min(record), count(*) FROM decisions").fetchone()
    assert left == (11, len(CASE_FILES) - 10)


def test_since_and_until_count_the_days_between(tmp_path, logged):
    _, log, _ = logged
    copy = edited(
        log,
        tmp_path,
        "UPDATE decisions SET time = '2026-01-05T10:00:00Z' WHERE record <= 10",
        "UPDATE decisions SET time = '2026-01-12T23:59:59Z' WHERE record > 10 AND record <= 12",
    )
    rows = sqlite3.connect(copy).execute("SELECT outcome FROM decisions_full WHERE time < '2026-01-13'")
    expected = Counter(row[0] for row in rows)
    data = report(copy, extra=("--since", "2026-01-01", "--until", "2026-01-12"))
    assert data["decisions"] == 12
    assert Counter({o["outcome"]: o["count"] for o in data["outcomes"]}) == expected
    assert [(w["week"], w["decisions"]) for w in data["weeks"]] == [("2026-01-05", 10), ("2026-01-12", 2)]


def test_since_is_refused_for_batch_output_which_has_no_times(logged):
    _, _, out = logged
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, ["report", str(out), "--since", "2026-01-01"])
    assert result.exit_code == 2 and "carry no time" in result.output


def test_a_log_that_fails_to_write_never_loses_the_answer(tmp_path):
    from spor.serve.app import Settings, create_app

    app = create_app(Settings(log_path=str(tmp_path / "log.sqlite")))
    facts = {"concern": "not_received", "module": "lonn", "log_status": "levert"}
    with TestClient(app) as client:
        first = client.post("/api/v1/decide", json={"facts": facts})
        app.state.logbook.flush()
        app.state.logbook.log.connection.close()  # every write from now on fails
        second = client.post("/api/v1/decide", json={"facts": facts})
        app.state.logbook.flush()  # the row is counted as lost; the answer was given
        third = client.post("/api/v1/decide", json={"facts": facts})
        for answer in (first, second, third):
            assert answer.status_code == 200 and answer.json()["outcome"] == "recipient_server_builtin"
        codes = [[w["code"] for w in a.json()["warnings"]] for a in (first, second, third)]
        assert "not_logged" not in codes[0] and "not_logged" not in codes[1] and "not_logged" in codes[2]
        assert client.get("/api/v1/readyz").json()["log"] == {"failed": 1}


def test_text_and_html_reports_in_both_languages(logged, tmp_path):
    _, log, _ = logged
    for lang, words in (("nb", ("Utfall", "Avgjørelser")), ("en", ("Outcomes", "Decisions"))):
        text = report(log, fmt="text", lang=lang)
        assert all(w in text for w in words)
        out = tmp_path / f"report-{lang}.html"
        assert spor("report", log, "--format", "html", "--lang", lang, "--out", out).exit_code == 0
        page = out.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page and "<table>" in page
        assert "<script" not in page and 'http-equiv="Content-Security-Policy"' in page


def test_the_html_report_draws_its_charts_inline(logged, tmp_path):
    pytest.importorskip("matplotlib")
    _, log, _ = logged
    page = report(log, fmt="html")
    assert page.count("<svg") >= 3
    assert 'xlink:href="http' not in page and 'src="http' not in page and "@import" not in page


def test_the_report_is_written_atomically_and_never_over_an_input(logged, tmp_path):
    _, log, out = logged
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, ["report", str(log), "--out", str(log)])
    assert result.exit_code == 2 and "also an input" in result.output
    assert sqlite3.connect(log).execute("SELECT count(*) FROM decisions").fetchone()[0] == len(CASE_FILES)


def test_the_shipped_rulebase_names_a_fallback_section():
    text = (ROOT / "rules" / "00-rulebase.yaml").read_text(encoding="utf-8")
    assert "fallback_section: §12" in text


def test_a_report_over_an_empty_log_says_there_is_nothing(tmp_path):
    from spor.decisionlog.store import DecisionLog

    DecisionLog(tmp_path / "empty.sqlite").close()
    text = report(tmp_path / "empty.sqlite", fmt="text", lang="en")
    assert "No decisions in the period." in text
    assert report(tmp_path / "empty.sqlite")["decisions"] == 0


def test_a_bad_line_in_a_batch_output_is_named_with_its_line(tmp_path, logged):
    _, _, out = logged
    broken = tmp_path / "broken.jsonl"
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join(lines[:3]) + "{not json\n", encoding="utf-8")
    result = CliRunner(env={"SPOR_LANG": "en"}).invoke(cli, ["report", str(broken)])
    assert result.exit_code == 2 and "broken.jsonl:4:2" in result.output


def test_an_older_log_is_brought_up_to_date(tmp_path, monkeypatch):
    """A log written by schema 1 is opened by a spor whose schema has a further step."""
    from spor.decisionlog import store

    path = tmp_path / "old.sqlite"
    store.DecisionLog(path).close()
    monkeypatch.setitem(store.MIGRATIONS, 2, ("ALTER TABLE decisions ADD COLUMN note TEXT",))
    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    store.DecisionLog(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "note" in [row[1] for row in db.execute("PRAGMA table_info(decisions)")]


def test_the_weeks_of_a_log_start_on_mondays(tmp_path, logged):
    _, log, _ = logged
    days = ((1, "2026-11-29"), (2, "2026-11-30"), (3, "2026-12-06"), (4, "2026-12-07"))  # Sun, Mon, Sun, Mon
    copy = edited(
        log,
        tmp_path,
        *[f"UPDATE decisions SET time = '{day}T12:00:00Z' WHERE record = {record}" for record, day in days],
        "DELETE FROM decisions WHERE record > 4",
    )
    weeks = {w["week"]: w["decisions"] for w in report(copy)["weeks"]}
    assert weeks == {"2026-11-23": 1, "2026-11-30": 2, "2026-12-07": 1}


def test_rows_name_the_rulebase_by_the_hash_check_prints(logged):
    _, log, _ = logged
    digest = json.loads(spor("check", "--format", "json").output)["hash"]
    assert {row[0] for row in sqlite3.connect(log).execute("SELECT rulebase_hash FROM decisions_full")} == {digest}


def test_files_named_in_a_folder(logged, tmp_path):
    _, log, out = logged
    folder = tmp_path / "reports-in"
    folder.mkdir()
    (folder / "a.sqlite").write_bytes(log.read_bytes())
    (folder / "b.jsonl").write_bytes(out.read_bytes())
    data = report(folder)
    assert data["decisions"] == 2 * len(CASE_FILES)
    assert [Path(p).name for p in data["inputs"]] == ["a.sqlite", "b.jsonl"]


@pytest.mark.slow
def test_two_server_workers_under_load_lose_no_row(tmp_path):
    """2 worker processes append at once: every answered request is one row, none lost, none doubled."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from .test_serve_api import serving

    log = tmp_path / "log.sqlite"
    cases = [json.loads(spor("run", "--format", "json", path).output.splitlines()[0]) for path in CASE_FILES[:8]]
    bodies = [{"facts": {k: c["facts"][k] for k in c["given"]}, "id": f"T-{i}"} for i, c in enumerate(cases * 50)]
    with serving("--workers", "2", "--log", log) as (_, url):
        with httpx.Client(base_url=url, timeout=60) as client:

            def send(body):
                return client.post("api/v1/decide", json=body)

            with ThreadPoolExecutor(8) as pool:  # bounded: 8 requests in flight
                answers = list(pool.map(send, bodies))
    assert [a.status_code for a in answers] == [200] * len(bodies)
    assert not [a for a in answers if "not_logged" in a.text]
    db = sqlite3.connect(log)
    assert db.execute("SELECT count(*), count(DISTINCT case_id) FROM decisions").fetchone() == (
        len(bodies),
        len(bodies),
    )
    logged = Counter(row[0] for row in db.execute("SELECT outcome FROM decisions_full"))
    assert logged == Counter(a.json()["outcome"] for a in answers)


@pytest.mark.slow
def test_the_html_report_opens_in_chromium_without_a_network_request(logged, tmp_path):
    """The report as a person opens it: a file in Chromium, charts drawn, tables there, nothing fetched."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium; CI does)")
    from playwright.sync_api import sync_playwright

    from .test_serve_browser import ARGS

    _, log, _ = logged
    html = tmp_path / "report.html"
    assert spor("report", log, "--format", "html", "--lang", "en", "--out", html).exit_code == 0
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(html.as_uri())
        assert page.locator("h1").inner_text().startswith("spor report")
        assert page.locator("table").count() >= 5
        assert page.locator("figure svg").count() >= 3  # matplotlib is in the test extra
        assert page.locator("figure svg").first.bounding_box()["width"] > 200
        shot = tmp_path / "report-en.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert requests == [html.as_uri()]
    assert shot.stat().st_size > 20_000  # a picture a person can open: the report as a reader sees it
    print(f"screenshot of the HTML report: {shot}")


def test_the_page_logs_each_step_once_and_its_decision_once(tmp_path):
    """An interview on the page: every link carries its session; a reload is not a step taken again."""
    import re

    from spor.serve.app import Settings, create_app

    log = tmp_path / "log.sqlite"
    app = create_app(Settings(log_path=str(log)))
    with TestClient(app) as client:
        session = re.search(r"session=([0-9a-f]+)", client.get("/?lang=en").text).group(1)
        answers = []
        for fact, value in (("concern", "not_received"), ("module", "lonn"), ("log_status", "levert")):
            answers.append(f"{fact}={value}")
            for _ in range(2):  # each page twice: a reload
                page = client.get(f"/?lang=en&{'&'.join(answers)}&session={session}")
                assert page.status_code == 200 and f"session={session}" in page.text
        app.state.logbook.flush()
    db = sqlite3.connect(log)
    steps = db.execute("SELECT step, action, question, answer FROM steps WHERE session = ? ORDER BY id", (session,))
    assert steps.fetchall() == [
        (0, "asked", "concern", ""),
        (1, "answered", "concern", "not_received"),
        (1, "asked", "module", ""),
        (2, "answered", "module", "lonn"),
        (2, "asked", "log_status", ""),
        (3, "answered", "log_status", "levert"),
        (3, "finished", "", ""),
    ]
    assert db.execute("SELECT source, outcome FROM decisions_full").fetchall() == [
        ("serve", "recipient_server_builtin")
    ]
    data = report(log)
    assert data["interviews"] == {"sessions": 1, "finished": 1, "abandoned": 0}
    asked = {q["fact"]: (q["asked"], q["answered"], q["abandoned"]) for q in data["questions"]}
    assert asked == {"concern": (1, 1, 0), "module": (1, 1, 0), "log_status": (1, 1, 0)}


def test_a_session_that_stops_is_abandoned_at_its_last_question(tmp_path):
    from spor.serve.app import Settings, create_app

    log = tmp_path / "log.sqlite"
    app = create_app(Settings(log_path=str(log)))
    with TestClient(app) as client:
        for session in ("aaaaaaaa00000001", "aaaaaaaa00000002"):
            client.get(f"/?lang=en&concern=not_received&session={session}")
        client.get("/?lang=en&concern=sent&module=lonn&log_status=levert&session=aaaaaaaa00000003")
        app.state.logbook.flush()
    data = report(log)
    assert data["interviews"] == {"sessions": 3, "finished": 1, "abandoned": 2}
    assert {q["fact"]: q["abandoned"] for q in data["questions"]}["module"] == 2


def test_a_bad_session_in_a_link_is_refused_by_name():
    from spor.serve.app import create_app

    with TestClient(create_app()) as client:
        page = client.get("/?lang=en&session=../../etc")
        assert page.status_code == 400 and "session" in page.text


def test_ask_logs_its_steps_its_decision_and_where_it_was_left(tmp_path):
    log = tmp_path / "log.sqlite"
    finished = spor("ask", "--lang", "en", "--log", log, input="not_received\nlonn\n?\nlevert\nhow\nquit\n")
    assert finished.exit_code == 0, finished.output
    left = spor("ask", "--lang", "en", "--log", log, input="sent\nno such answer\nquit\n")
    assert left.exit_code == 1, left.output
    db = sqlite3.connect(log)
    sessions = [row[0] for row in db.execute("SELECT DISTINCT session FROM steps ORDER BY id")]
    assert len(sessions) == 2

    def walk(session):
        query = "SELECT action, question, answer FROM steps WHERE session = ? ORDER BY step"
        return db.execute(query, (session,)).fetchall()

    assert walk(sessions[0]) == [
        ("asked", "concern", ""),
        ("answered", "concern", "not_received"),
        ("asked", "module", ""),
        ("answered", "module", "lonn"),
        ("asked", "log_status", ""),
        ("why", "log_status", ""),
        ("answered", "log_status", "levert"),
        ("finished", "", ""),
        ("how", "", ""),
    ]
    assert walk(sessions[1]) == [  # "no such answer" is not a value: never written
        ("asked", "concern", ""),
        ("answered", "concern", "sent"),
        ("asked", "module", ""),
        ("abandoned", "module", ""),
    ]
    assert db.execute("SELECT count(*) FROM steps WHERE seconds IS NULL").fetchone()[0] == 0
    assert db.execute("SELECT source, outcome FROM decisions_full").fetchall() == [("ask", "recipient_server_builtin")]
    data = report(log)
    assert data["interviews"] == {"sessions": 2, "finished": 1, "abandoned": 1}
    questions = {q["fact"]: q for q in data["questions"]}
    assert (questions["module"]["asked"], questions["module"]["answered"], questions["module"]["abandoned"]) == (
        2,
        1,
        1,
    )
    assert questions["log_status"]["why"] == 1


def test_evidence_codes_by_code_subject_and_class_are_those_the_evidence_reader_finds(tmp_path):
    bounces = ROOT / "tests" / "fixtures" / "bounces"
    files = [bounces / "rfc3464-01.eml", bounces / "lhost-amazonses-01.eml", bounces / "rfc3464-01.eml"]
    log = tmp_path / "log.sqlite"
    case = EXAMPLES / "external-bounced-reason-not-read.yaml"
    found, addresses = [], []
    for path in files:
        assert spor("ask", "--lang", "en", "--log", log, "--evidence", path, case, input="quit\n").exit_code == 0
        lines = spor("evidence", "--lang", "en", "--format", "json", path).stdout.splitlines()
        findings = [json.loads(line) for line in lines if line.strip()]
        found += [finding["status"] for finding in findings if finding.get("status")]
        addresses += [finding["recipient"] for finding in findings if finding.get("recipient")]
    data = report(log)
    assert Counter({c["code"]: c["count"] for c in data["evidence_codes"]}) == Counter(found)
    subjects = Counter(".".join(code.split(".")[:2]) for code in found)
    assert Counter({g["group"]: g["count"] for g in data["evidence_subjects"]}) == subjects
    assert Counter({g["group"]: g["count"] for g in data["evidence_classes"]}) == Counter(c[0] for c in found)
    assert all(g["meaning"] for g in data["evidence_subjects"] + data["evidence_classes"])
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("log.sqlite*"))
    assert addresses and all(address.encode() not in raw for address in addresses)


def test_since_after_until_is_a_usage_error_in_the_readers_language(logged):
    _, log, _ = logged
    for lang, said in (("en", "--since is after --until"), ("nb", "--since er etter --until")):
        result = CliRunner().invoke(
            cli, ["report", str(log), "--since", "2026-12-01", "--until", "2026-11-01", "--lang", lang]
        )
        assert result.exit_code == 2 and said in result.output
