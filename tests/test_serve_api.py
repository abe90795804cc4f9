"""``spor serve``'s HTTP API, through Starlette's TestClient, and the command itself in real processes.

/decide is held to ``spor run --format json`` run as a real command on every
example case and every ticket written from the article alone
(tests/fixtures/article-cases/): the two must print the same record; only
``source`` differs (the file's path against ``request``). Every bad-input class is tried and must
give its 4xx with a located JSON body, never a 500. The schemathesis run
fuzzes every operation of the OpenAPI document against the app.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import signal
import socket
import subprocess
import time
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator

from spor.common.errors import InputError
from spor.common.reader import read_document
from spor.common.schemas import validator
from spor.serve.app import Settings, create_app
from spor.serve.core import Refused
from spor.serve.words import keys, word

from .conftest import EXAMPLES, FIXTURES, ROOT, RULES, hang_guard, spor_command

with warnings.catch_warnings():  # Starlette 1.x prefers httpx2 under its TestClient; httpx (the test extra) works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

PROBLEM = Draft202012Validator(json.loads((ROOT / "schemas" / "problem.schema.json").read_text(encoding="utf-8")))
CASES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
ARTICLE = sorted((FIXTURES / "article-cases").glob("*.yaml"))  # tickets written from the article alone
BOUNCE = FIXTURES / "bounces" / "rfc3464-01.eml"
EVENTS = FIXTURES / "sendgrid-documented-sample.json"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def case_body(path: Path) -> dict:
    """An example case file's data as a request body (its id, or its file name's stem as ``spor run`` names it)."""
    data = dict(read_document(path).data)
    data.pop("expect", None)
    data.setdefault("id", path.stem)
    return data


def run_json(*flags, cases=CASES) -> dict:
    """``spor run --format json FLAGS CASES``, run as a command: source path -> the record it printed."""
    proc = subprocess.run(
        spor_command("run", "--format", "json", *flags, *cases), capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode in (0, 1), proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    return {record["source"]: record for record in records}


def refused(response, status: int) -> list:
    """The problems of a refusal, after checking its status and the shape of its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "problems"}
    for problem in body["problems"]:
        assert problem["file"] == "request"
        assert not list(PROBLEM.iter_errors(problem))
    assert "Traceback" not in response.text
    return body["problems"]


# -- /decide is spor run --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "explain"), [("nb", False), ("en", True), ("en", False)])
@pytest.mark.parametrize("cases", [CASES, ARTICLE], ids=["examples", "article-cases"])
def test_every_case_decides_as_spor_run_prints_it(client, cases, lang, explain):
    expected = run_json("--lang", lang, *(["--explain"] if explain else []), cases=cases)
    assert len(expected) == len(cases) >= 20
    check = validator("result")
    for path in cases:
        body = {**case_body(path), "lang": lang, **({"explain": True} if explain else {})}
        response = client.post("/api/v1/decide", json=body)
        assert response.status_code == 200, (path.name, response.text)
        got = response.json()
        assert got.pop("source") == "request"
        want = dict(expected[str(path)])
        want.pop("source")
        assert got == want, path.name
        assert not list(check.iter_errors(response.json())), path.name


def test_decide_answers_the_bytes_spor_run_prints(client, tmp_path):
    """Not only equal JSON: the same text, key order and all, but for the source."""
    case = tmp_path / "request.json"
    case.write_text(json.dumps({"id": "t1", "facts": {"concern": "sent", "module": "lonn"}}), encoding="utf-8")
    printed = subprocess.run(spor_command("run", "--format", "json", case), capture_output=True, text=True, cwd=ROOT)
    response = client.post("/api/v1/decide", content=case.read_bytes(), headers={"content-type": "application/json"})
    assert response.text == printed.stdout.replace(json.dumps(str(case)), '"request"')


def test_lang_from_the_query_string_and_from_the_body(client):
    body = {"facts": {"concern": "sent", "module": "lonn", "log_status": "levert"}}
    norsk = client.post("/api/v1/decide", json=body).json()["verdict"]
    english = client.post("/api/v1/decide?lang=en", json=body).json()["verdict"]
    assert norsk != english
    assert client.post("/api/v1/decide?lang=nb", json={**body, "lang": "en"}).json()["verdict"] == english


# -- bad input: a 4xx with a located JSON body, never a 500 -----------------------------------------------------


MALFORMED = [
    b'{"facts": {"concern": "sent",}}',
    b'{"facts": {"concern": "sent"}, "facts": {}}',
    b'{"facts": {"concern": "s\xe9nt"}}',
    b"",
    b"\n\n  [1, 2",
]


@pytest.mark.parametrize("text", MALFORMED, ids=["trailing-comma", "duplicate-key", "not-utf8", "empty", "unclosed"])
def test_malformed_json_is_400_with_the_problems_the_cli_gives(client, tmp_path, text):
    problems = refused(client.post("/api/v1/decide", content=text, headers={"content-type": "application/json"}), 400)
    case = tmp_path / "request.json"
    case.write_bytes(text)
    with pytest.raises(InputError) as caught:
        read_document(case)
    cli = [{**p.as_dict(), "file": "request"} for p in caught.value.problems]
    assert problems == cli


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        ({"facts": {"modul": "lonn"}}, "facts.modul", "did you mean 'module'"),
        ({"facts": {"module": "lønnn"}}, "facts.module", "did you mean 'lønn'"),
        ({"facts": {"concern": "sent"}, "lang": "de"}, "lang", "expected one of nb, en"),
        ({"facts": {"concern": "sent"}, "explain": "yes"}, "explain", "expected true or false"),
        ({"facts": ["concern"]}, "facts", "expected a mapping"),
        ({"fakta": {}}, "", "'facts' is missing"),
        ([], "", "expected a mapping"),
    ],
)
def test_unknown_facts_values_and_wrong_shapes_are_422_and_located(client, body, where, says):
    text = json.dumps(body, ensure_ascii=False, indent=2).encode()
    problems = refused(client.post("/api/v1/decide", content=text, headers={"content-type": "application/json"}), 422)
    assert any(p["path"] == where and says in p["message"] for p in problems), problems
    assert all(p["line"] is not None for p in problems), "a problem in a JSON body has its line"


def test_a_body_over_the_limit_is_413_declared_or_not(client):
    big = json.dumps({"facts": {}, "notes": "x" * (1 << 20)}).encode()
    problems = refused(client.post("/api/v1/decide", content=big, headers={"content-type": "application/json"}), 413)
    assert problems[0]["code"] == "too_large"

    def chunks():  # no Content-Length: sent chunked, counted as it comes
        for _ in range(20):
            yield b" " * 100_000

    refused(client.post("/api/v1/decide", content=chunks(), headers={"content-type": "application/json"}), 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_wrong_content_type_is_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    problems = refused(client.post("/api/v1/decide", content=b'{"facts": {}}', headers=headers), 415)
    assert "expected Content-Type: application/json" in problems[0]["message"]
    refused(client.post("/api/v1/evidence", json={"facts": {}}), 415)


def test_an_engine_failure_is_500_with_an_id_that_is_in_the_log(client, monkeypatch, caplog):
    service = client.app.state.service

    def broken(*args, **kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(service.evaluator, "evaluate", broken)
    monkeypatch.setattr(service, "caches", {})  # no decision kept from an earlier test: the engine is asked
    with caplog.at_level("ERROR", logger="spor.serve"):
        response = client.post("/api/v1/decide", json={"facts": {"concern": "sent", "module": "skatt"}})
    assert response.status_code == 500
    body = response.json()
    assert set(body) == {"error", "id"} and body["id"] in body["error"]
    assert "Traceback" not in response.text and "the engine broke" not in response.text
    assert any(body["id"] in record.getMessage() and record.exc_info for record in caplog.records)


def test_unknown_routes_and_methods_answer_json_under_api(client):
    assert client.get("/api/v1/nothing").json()["problems"][0]["code"] == "not_found"
    response = client.get("/api/v1/decide")
    assert response.status_code == 405 and response.json()["problems"][0]["code"] == "method"
    assert client.get("/nothing").headers["content-type"].startswith("text/html")


# -- /evidence ----------------------------------------------------------------------------------------------------


def evidence_json(path: Path) -> list:
    proc = subprocess.run(
        spor_command("evidence", "--format", "json", "--lang", "en", path), capture_output=True, text=True, cwd=ROOT
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.parametrize("path", [BOUNCE, EVENTS], ids=["returned-message", "event-log"])
def test_evidence_gives_what_spor_evidence_gives(client, path):
    response = client.post(
        "/api/v1/evidence?lang=en",
        files=[("file", (f"upload{path.suffix}", path.read_bytes(), "application/octet-stream"))],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    want = evidence_json(path)
    assert len(body["findings"]) == len(want) > 0
    check = validator("finding")
    for got, expected in zip(body["findings"], want):
        assert not list(check.iter_errors(got))
        assert got["source"].startswith(f"upload{path.suffix}")
        assert {**got, "source": ""} == {**expected, "source": ""}
    implied = {}
    for finding in want:
        implied.update(finding["facts"])
    assert body["facts"].items() <= implied.items() and body["facts"]
    assert body["files"] == [
        {
            "name": f"upload{path.suffix}",
            "kind": body["files"][0]["kind"],
            "findings": len(want),
            "problems": body["files"][0]["problems"],
        }
    ]


def test_evidence_never_shows_a_server_path(client):
    files = [
        ("file", ("../../etc/passwd", b"just some text\n", "text/plain")),
        ("file", ("C:\\Users\\x\\notes.eml", b"\x00\x01binary", "application/octet-stream")),
    ]
    response = client.post("/api/v1/evidence", files=files)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert {p["file"] for p in problems} == {"passwd", "notes.eml"}
    assert "spor-upload" not in response.text and "/tmp" not in response.text


def test_evidence_needs_a_file_and_a_form(client):
    response = client.post("/api/v1/evidence", data={"lang": "en"}, files=[])
    assert response.status_code in (415, 422)
    broken = b"--xyz\r\nContent-Disposition: form-data; name=file; filename=a.eml\r\n\r\nabc"
    response = client.post(
        "/api/v1/evidence", content=broken, headers={"content-type": "multipart/form-data; boundary=xyz"}
    )
    assert 400 <= response.status_code < 500 and "problems" in response.json()


def test_evidence_over_the_limit_is_413(client):
    from spor.serve.uploads import MAX_UPLOAD

    headers = {"content-type": "multipart/form-data; boundary=x", "content-length": str(MAX_UPLOAD + 1)}
    response = client.post("/api/v1/evidence", content=b"--x--", headers=headers)
    refused(response, 413)


# -- /rulebase, /graph, health, OpenAPI -------------------------------------------------------------------------


def test_rulebase_gives_both_languages_and_the_hash_of_the_files(client, rulebase):
    response = client.get("/api/v1/rulebase")
    body = response.json()
    sha = hashlib.sha256()
    for name in rulebase.files:
        sha.update(Path(name).name.encode() + b"\0" + Path(name).read_bytes() + b"\0")
    assert body["hash"] == sha.hexdigest() and response.headers["etag"] == f'"{body["hash"]}"'
    assert body["id"] == rulebase.id
    assert [f["id"] for f in body["facts"]] == list(rulebase.facts)
    module = next(f for f in body["facts"] if f["id"] == "module")
    assert module["question"]["en"] == rulebase.facts["module"].question.en
    assert {v["id"]: v["label"] for v in module["values"]}["lonn"] == {"nb": "Lønn", "en": "Payroll"}
    assert [o["id"] for o in body["outcomes"]] == list(rulebase.outcomes)
    assert set(body["sections"]) == set(rulebase.sections)


def test_graph_is_what_spor_graph_prints(client):
    for lang in ("nb", "en"):
        printed = subprocess.run(spor_command("graph", "--lang", lang), capture_output=True, text=True, cwd=ROOT).stdout
        assert client.get(f"/api/v1/graph?lang={lang}").text == printed
    refused(client.get("/api/v1/graph?format=png"), 422)
    refused(client.get("/api/v1/graph?lang=sv"), 422)


def test_health_and_readiness(client, rulebase):
    assert client.get("/api/v1/healthz").json() == {"status": "ok"}
    ready = client.get("/api/v1/readyz").json()
    assert ready["status"] == "ready" and ready["rulebase"] == rulebase.id


def test_openapi_uses_spors_own_schemas(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    schemas = doc["components"]["schemas"]
    for kind, name in (("case", "Case"), ("result", "Result"), ("finding", "Finding")):
        own = json.loads(subprocess.run(spor_command("schema", kind), capture_output=True, text=True).stdout)
        assert schemas[name]["properties"].keys() == own["properties"].keys()
    assert "$id" not in json.dumps(schemas)


OPERATIONS = [
    ("POST", "decide"),
    ("POST", "evidence"),
    ("GET", "rulebase"),
    ("GET", "graph"),
    ("GET", "healthz"),
    ("GET", "readyz"),
    ("GET", "openapi.json"),
]


NO_NEGATIVE = ("evidence", "rulebase", "healthz", "readyz", "openapi.json")


@pytest.fixture(scope="module")
def api_schema():
    import schemathesis

    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app())


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize(("method", "name"), OPERATIONS, ids=[name for _, name in OPERATIONS])
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(api_schema, method, name, mode):
    """Every operation, with data that fits the document and data that does not: never a 500, and every answer is
    one the document lists, of its content type and schema; data the document refuses is refused with a 4xx."""
    from hypothesis import given
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    if mode == "negative" and name != "evidence":  # a multipart part is bytes: a "wrong type" in it cannot be told
        checks.append(negative_data_rejection)
    operation = api_schema[f"/api/v1/{name}"][method]

    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(GenerationMode(mode)))
    def fuzz(case):
        case.call_and_validate(checks=checks)

    try:
        fuzz()
    except Unsatisfiable:
        # schemathesis has nothing that breaks the document to send here (no parameter, no JSON body)
        assert mode == "negative" and name in NO_NEGATIVE, f"{method} {name}: no {mode} case could be made"


# -- the token and the headers ----------------------------------------------------------------------------------


def test_the_token_guards_the_api_but_not_the_probes(tmp_path):
    token = tmp_path / "token"
    token.write_text("s3cret-token\n", encoding="utf-8")
    with TestClient(create_app(Settings(token_file=str(token)))) as guarded:
        response = guarded.post("/api/v1/decide", json={"facts": {}})
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["problems"][0]["code"] == "unauthorized"
        wrong = {"authorization": "Bearer s3cret-tokem"}
        assert guarded.post("/api/v1/decide", json={"facts": {}}, headers=wrong).status_code == 401
        right = {"authorization": "Bearer s3cret-token"}
        assert guarded.post("/api/v1/decide", json={"facts": {}}, headers=right).status_code == 200
        assert guarded.get("/api/v1/healthz").status_code == 200
        assert guarded.get("/api/v1/readyz").status_code == 200
        doc = guarded.get("/api/v1/openapi.json", headers=right).json()
        assert doc["paths"]["/api/v1/decide"]["post"]["security"] == [{"bearer": []}]


def test_every_answer_carries_the_security_headers(tmp_path):
    app = create_app(Settings(frame_ancestors="https://helpdesk.example.com https://*.example.org"))
    with TestClient(app) as test_client:
        for path in ("/", "/api/v1/healthz", "/static/spor.js", "/nothing", "/?module=nope"):
            headers = test_client.get(path).headers
            csp = headers["content-security-policy"]
            assert "default-src 'none'" in csp and "script-src 'self'" in csp
            assert "frame-ancestors https://helpdesk.example.com https://*.example.org" in csp
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "no-referrer"


def test_frame_ancestors_refuses_what_is_not_an_origin():
    from spor.serve.security import frame_ancestors

    assert frame_ancestors(None) == "'self'"
    with pytest.raises(ValueError, match="not an origin"):
        frame_ancestors("https://ok.example.com; script-src *")


# -- the page without a browser: plain HTML that works as links and forms ------------------------------------------


def test_the_page_works_as_plain_forms(client):
    page = client.get("/?lang=en").text
    assert re.search(r'<form class="answers" method="get" action="/">', page)
    assert 'name="concern" value="not_received"' in page
    after = client.get("/?lang=en&concern=not_received").text
    assert 'data-fact="module"' in after
    assert "<noscript>" in page


def test_text_from_outside_is_escaped_never_markup(client):
    evil = "<script>alert(1)</script>"
    page = client.get("/", params={"lang": "en", "module": evil}).text
    assert evil not in page and "&lt;script&gt;" in page
    response = client.post(
        "/upload?lang=en", files=[("file", ("<img src=x onerror=alert(1)>.eml", f"From: {evil}\n\n{evil}".encode()))]
    )
    assert "<img src=x" not in response.text and "<script>alert" not in response.text


def test_the_page_and_its_assets_are_small_and_local(client):
    total = 0
    for path in ("/?lang=en", "/?lang=en&concern=sent&module=lonn&log_status=levert"):
        page = client.get(path)
        total = max(total, len(page.content))
        assert not re.search(r'(src|href)="(https?:)?//', page.text), "a request to another origin"
    for name in ("spor.css", "spor.js", "icon.svg"):
        total += len(client.get(f"/static/{name}").content)
    assert total <= 150 * 1024


def test_the_downloaded_case_is_the_file_spor_ask_save_writes(client, tmp_path):
    saved = tmp_path / "T-77.yaml"
    answers = "2\n1\n3\n1\n"  # not_received, lonn, log_status = not_in_log (3rd value)...
    proc = subprocess.run(
        spor_command("ask", "--lang", "en", "--save", saved), input=answers, capture_output=True, text=True, cwd=ROOT
    )
    assert saved.exists(), proc.stdout + proc.stderr
    written = read_document(saved).data
    query = [("lang", "en"), *written["facts"].items(), ("id", "T-77")]
    response = client.get("/case.yaml", params=query)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="T-77.yaml"'
    assert response.text == saved.read_text(encoding="utf-8")


def test_every_page_word_has_both_languages():
    for key in keys():
        assert word(key, "nb") and word(key, "en") and word(key, "nb") != word(key, "en"), key


def test_a_rulebase_with_a_fact_named_like_a_page_parameter_is_refused(tmp_path):
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    facts = folder / "10-facts.yaml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("- id: concern", "- id: lang").replace("concern:", "lang:"),
        encoding="utf-8",
    )
    with pytest.raises((InputError, Refused)):
        create_app(Settings(rules_dir=str(folder)))


# -- the command, in real processes ------------------------------------------------------------------------------


@contextlib.contextmanager
def serving(*args, env=None):
    """``spor serve --port 0 ARGS`` in a process of its own: yields (process, base URL); stopped with SIGTERM."""
    proc = subprocess.Popen(
        spor_command("serve", "--port", "0", "--no-access-log", *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        with hang_guard(60):
            line = proc.stdout.readline()
        match = re.search(r"http://[^ ]+/", line)
        assert match, line + proc.stderr.read()
        url = match.group(0)
        wait_ready(url)
        yield proc, url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)
        if proc.poll() is None:
            proc.kill()


def wait_ready(url: str, seconds: float = 60) -> None:
    import httpx

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "api/v1/readyz", timeout=5).status_code == 200:
                return
        time.sleep(0.1)
    raise AssertionError(f"{url} never became ready")


def test_serve_prints_its_url_answers_and_stops_cleanly_on_sigterm():
    import httpx

    with serving() as (proc, url):
        assert url.startswith("http://127.0.0.1:")
        response = httpx.post(url + "api/v1/decide", json={"facts": {"concern": "sent"}})
        assert response.status_code == 200 and response.json()["missing"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        assert "stopped" in proc.stdout.read()


@pytest.mark.slow
def test_serve_with_two_workers_and_ctrl_c():
    import httpx

    with serving("--workers", "2") as (proc, url):
        statuses = {httpx.get(url + "api/v1/healthz").status_code for _ in range(40)}
        assert statuses == {200}
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0


def test_serve_refuses_a_bad_rulebase_a_bad_flag_and_a_busy_port(tmp_path):
    bad = subprocess.run(spor_command("serve", "--rules", tmp_path), capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "har ingen regelfiler" in bad.stderr  # in the language of SPOR_LANG
    flag = subprocess.run(
        spor_command("serve", "--frame-ancestors", "javascript:alert(1)"), capture_output=True, text=True, cwd=ROOT
    )
    assert flag.returncode == 2 and "not an origin" in flag.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = subprocess.run(spor_command("serve", "--port", port), capture_output=True, text=True, cwd=ROOT)
    assert taken.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in taken.stderr


def test_serve_is_installed_with_its_assets():
    """The static files travel as package data (pyproject.toml), where the app finds them."""
    import spor.serve

    static = Path(spor.serve.__file__).parent / "static"
    assert {p.name for p in static.iterdir()} >= {"spor.css", "spor.js", "icon.svg"}
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"spor.serve" = ["static/*.css", "static/*.js", "static/*.svg"]' in pyproject


def test_evidence_on_the_page_fills_what_the_case_leaves_open(client):
    """Uploaded on the page: the facts the case does not know (or answered as open) are filled, marked ev."""
    response = client.post(
        "/upload?lang=en&concern=not_received&module=lonn&bounce_received=&bounce_reason=other",
        files=[("file", ("returned.eml", BOUNCE.read_bytes(), "message/rfc822"))],
    )
    assert response.status_code == 200
    form = re.search(r'<form method="get" action="/" class="continue">(.*?)</form>', response.text, re.S).group(1)
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    assert pairs[:3] == [("lang", "en"), ("concern", "not_received"), ("module", "lonn")]
    given = dict(pairs)
    assert given["bounce_received"] == "yes" and given["bounce_reason"] == "wrong_address"
    assert set(given["ev"].split(",")) == {"bounce_received", "bounce_reason"}
    assert "returned.eml" in response.text and "spor-upload" not in response.text
