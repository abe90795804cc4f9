"""The agent's page in a real browser: Playwright driving Debian's Chromium against ``spor serve`` in a process.

The walk through every example knows only what an agent sees: it reads the
question on the page, finds it among the rulebase's questions, and presses
the button named by the case's value label in the page's language ("don't
know" for a fact the case does not give). Where it ends must be what
``spor run`` (a real command) says of the same case: the same verdict, or
the same questions still open. Playwright's own browser download cannot
work on this machine, so Chromium comes from Debian (``.ci/run`` installs it).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest

from spor.rulebase.cases import load_case
from spor.serve.words import word

from .conftest import EXAMPLES, FIXTURES, ROOT, spor_command
from .test_serve_api import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CASES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (apt-get install chromium; CI does)"),
]


@pytest.fixture(scope="module")
def server():
    with serving() as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(20_000)
    tab = context.new_page()
    outside = []
    tab.on("request", lambda request: None if request.url.startswith(server) else outside.append(request.url))
    yield tab
    context.close()
    assert not outside, f"the page asked another origin: {outside}"


def expected(lang: str) -> dict:
    """``spor run --format json --lang LANG`` of every example, as a real command: source path -> record."""
    proc = subprocess.run(
        spor_command("run", "--format", "json", "--lang", lang, *CASES), capture_output=True, text=True, cwd=ROOT
    )
    return {record["source"]: record for record in map(json.loads, proc.stdout.splitlines())}


@pytest.fixture(scope="module")
def runs():
    return {lang: expected(lang) for lang in ("nb", "en")}


def question_fact(page, rulebase, lang: str):
    """The fact whose question (in ``lang``) the page shows: found by its text, as an agent would."""
    shown = page.locator("main h1").first.inner_text()
    matches = [f for f in rulebase.facts.values() if shown.startswith(f.prompt(lang))]
    assert len(matches) == 1, f"no single question reads {shown!r}"
    return matches[0]


def fact_by_label(rulebase, label: str, lang: str):
    matches = [f for f in rulebase.facts.values() if f.label.get(lang) == label]
    assert len(matches) == 1, f"no single fact is labelled {label!r}"
    return matches[0]


def walk(page, rulebase, facts: dict, lang: str, limit: int = 40) -> str:
    """From / to the end: press the case's answer, by its label, at each question; "don't know" when it has none.

    At the end, a fact the rules assumed without asking is answered anyway when the case gives it, as an agent
    who knows it would (the page offers each assumption's answers as buttons)."""
    page.goto(f"/?lang={lang}")
    for _ in range(limit):
        end = page.locator("section.result, section.undecided")
        if end.count():
            for item in page.locator("ul.assumed > li").all():
                fact = fact_by_label(rulebase, item.locator("strong.fact").inner_text(), lang)
                if fact.id in facts:
                    item.get_by_role("button", name=rulebase.label(fact.id, facts[fact.id], lang), exact=True).click()
                    page.wait_for_load_state()
                    break
            else:
                return end.get_attribute("class") or ""
            continue
        fact = question_fact(page, rulebase, lang)
        if fact.id in facts:
            name = rulebase.label(fact.id, facts[fact.id], lang)
        else:
            name = word("dont_know", lang)
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()
    raise AssertionError(f"no end after {limit} pages")


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_clicking_the_labels_reaches_what_spor_run_says(page, rulebase, normaliser, runs, path, lang):
    case = load_case(path, normaliser)
    want = runs[lang][str(path)]
    end = walk(page, rulebase, case.facts, lang)
    if want["outcome"]:
        assert "result" in end
        assert page.locator("h1#verdict").inner_text() == want["verdict"]
        assert page.locator("section.result").get_attribute("data-outcome") == want["outcome"]
    else:
        assert "undecided" in end
        shown = page.locator("ol.missing > li").all_inner_texts()
        assert len(shown) == len(want["missing"])
        for text, missing in zip(shown, want["missing"]):
            assert text.startswith(missing["question"])


def answer(page, rulebase, lang: str, *pairs) -> None:
    for fact, value in pairs:
        assert question_fact(page, rulebase, lang).id == fact
        page.get_by_role("button", name=rulebase.label(fact, value, lang), exact=True).click()
        page.wait_for_load_state()


def test_back_and_restart(page, rulebase):
    page.goto("/?lang=en")
    answer(page, rulebase, "en", ("concern", "not_received"), ("module", "faktura"))
    assert question_fact(page, rulebase, "en").id == "on_agro24"
    page.get_by_role("link", name="Back").click()
    assert question_fact(page, rulebase, "en").id == "module"
    assert "module" not in page.url and "concern=not_received" in page.url
    page.go_back()  # the browser's own back restores the state the URL holds
    assert question_fact(page, rulebase, "en").id == "on_agro24"
    page.get_by_role("link", name="Restart").click()
    assert question_fact(page, rulebase, "en").id == "concern"
    assert page.url.endswith("/?lang=en")


def test_why_names_the_rules_and_their_sections(page, rulebase):
    page.goto("/?lang=en")
    answer(page, rulebase, "en", ("concern", "not_received"))
    why = page.locator("details.why")
    assert not why.evaluate("node => node.open")
    page.get_by_text(word("why_asked", "en")).click()
    assert why.evaluate("node => node.open")
    text = why.inner_text()
    assert "§" in text
    waiting = [r.id for r in rulebase.rules if "module" in str(r.when)]
    assert any(rule in text for rule in waiting)


def reach_result(page, rulebase, lang: str = "en") -> None:
    page.goto(f"/?lang={lang}")
    answer(page, rulebase, lang, ("concern", "sent"), ("module", "lonn"), ("log_status", "levert"))
    assert page.locator("section.result").count() == 1


def test_the_copy_button_puts_the_reply_on_the_clipboard(page, rulebase, tmp_path):
    reach_result(page, rulebase)
    reply = page.locator("#reply").inner_text().strip()
    page.get_by_role("button", name=word("copy", "en")).click()
    page.locator(".copy-status", has_text=word("copied", "en")).wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == reply
    shot = tmp_path / "result-en.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000  # a picture a person can open: the result page as the agent sees it
    print(f"screenshot of a result page: {shot}")


def test_the_result_shows_who_acts_steps_how_and_why_not(page, rulebase):
    reach_result(page, rulebase)
    outcome = rulebase.outcomes[page.locator("section.result").get_attribute("data-outcome")]
    assert rulebase.sides[outcome.side].en in page.locator("p.side").inner_text()
    assert page.locator("ol.steps > li").count() == len(outcome.steps["en"])
    how = page.locator("ol.how").inner_text()
    assert "§" in how and "transport-payroll-builtin" in how
    assert page.locator(".why-not").count() == 1


def test_switching_language_keeps_the_case(page, rulebase):
    page.goto("/?lang=nb")
    answer(page, rulebase, "nb", ("concern", "not_received"))
    assert page.locator("html").get_attribute("lang") == "nb"
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert question_fact(page, rulebase, "en").id == "module"
    assert "concern=not_received" in page.url and "lang=en" in page.url
    page.get_by_role("link", name="Norsk").click()
    assert question_fact(page, rulebase, "nb").id == "module"


def test_a_result_link_restores_the_result_on_reload_and_in_a_new_tab(page, rulebase):
    reach_result(page, rulebase)
    verdict = page.locator("h1#verdict").inner_text()
    url = page.url
    page.reload()
    assert page.locator("h1#verdict").inner_text() == verdict
    other = page.context.new_page()
    other.goto(url)
    assert other.locator("h1#verdict").inner_text() == verdict


def test_uploading_a_returned_message_fills_facts_marked_from_the_evidence(page, rulebase):
    page.goto("/?lang=en")
    answer(page, rulebase, "en", ("concern", "not_received"), ("module", "lonn"))
    page.set_input_files("#evidence-files", str(FIXTURES / "bounces" / "rfc3464-01.eml"))  # sent when picked
    page.locator("section.evidence-read").wait_for()
    assert "5.1.1" in page.locator("pre.findings").inner_text()
    filled = page.locator("ul.fills > li").all_inner_texts()
    assert any(text.startswith(rulebase.facts["bounce_reason"].label.en) for text in filled)
    page.get_by_role("button", name=word("continue", "en")).click()
    row = page.locator('.facts div[data-fact="bounce_reason"]')
    assert rulebase.label("bounce_reason", "wrong_address", "en") in row.inner_text()
    assert word("from_evidence", "en") in row.inner_text()
    assert "ev=" in page.url


def test_keyboard_alone_number_keys_why_and_tab(page, rulebase):
    def press(key: str) -> None:
        with page.expect_navigation():
            page.keyboard.press(key)

    page.goto("/?lang=en")
    press("2")  # not_received
    assert question_fact(page, rulebase, "en").id == "module"
    page.keyboard.press("?")
    assert page.locator("details.why").evaluate("node => node.open")
    press("1")  # lonn
    assert question_fact(page, rulebase, "en").id == "log_status"
    press("0")  # don't know
    fact = question_fact(page, rulebase, "en")
    assert fact.id != "log_status" and "log_status=&" in page.url + "&"
    for _ in range(40):  # Tab to the first answer: the buttons are reached and pressed with Enter too
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('form.answers') !== null"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"{fact.id}=" in page.url


def test_without_javascript_the_forms_still_work(browser, server, rulebase):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/?lang=en")
    assert page.locator("noscript").count() == 1
    answer(page, rulebase, "en", ("concern", "sent"), ("module", "lonn"), ("log_status", "levert"))
    assert page.locator("h1#verdict").inner_text()
    assert not page.get_by_role("button", name=word("copy", "en")).is_visible()
    context.close()


@contextlib.contextmanager
def helpdesk():
    """A helpdesk page on an origin of its own (a port on loopback) that shows ``target`` in an iframe."""
    holder: dict = {"target": ""}

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            body = f'<!doctype html><title>helpdesk</title><iframe id="spor" src="{holder["target"]}"></iframe>'
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", holder
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_page_shows_in_a_frame_of_an_allowed_origin_only(browser):
    """--frame-ancestors: a helpdesk page on the allowed origin shows spor in its iframe; another origin does not."""
    with helpdesk() as (allowed, first), helpdesk() as (other, second):
        with serving("--frame-ancestors", allowed) as (_, url):
            for origin, holder, shown in ((allowed, first, True), (other, second, False)):
                holder["target"] = f"{url}?lang=en"
                context = browser.new_context()
                tab = context.new_page()
                tab.goto(f"{origin}/", wait_until="load")
                frames = [frame for frame in tab.frames if frame != tab.main_frame]
                assert len(frames) == 1
                if shown:
                    assert frames[0].url.startswith(url)
                    assert tab.frame_locator("#spor").locator("h1").inner_text().startswith("Does the customer")
                else:
                    assert not frames[0].url.startswith(url), "framed by an origin --frame-ancestors does not name"
                context.close()
