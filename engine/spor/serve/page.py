"""The agent's page: ``/`` (the case in the query string), ``/upload`` (evidence), ``/case.yaml`` (download).

Plain HTML built on the server, so every step is a link or a form and the
page works without JavaScript; ``static/spor.js`` adds number keys, the
copy button and dropping files. Like the API, the page calls the engine
on the event loop's thread only.
"""

from __future__ import annotations

import re

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from spor.common.messages import LANGS
from spor.serve.core import Failed, Refused, Service, log_failure
from spor.serve.state import State, new_session, read_state
from spor.serve.views import evidence_view, message_view, page
from spor.serve.words import word

CASE_ID = re.compile(r"^[^\x00-\x1f]{1,200}$")  # as schemas/case.schema.json allows an id


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def page_lang(request: Request) -> str:
    default = request.app.state.settings.lang
    lang = request.query_params.get("lang", default)
    return lang if lang in LANGS else default


def refused_page(request: Request, exc: Refused) -> Response:
    state = State(lang=page_lang(request))
    key = "bad_upload" if request.url.path == "/upload" else "bad_link"
    html = message_view(service_of(request), state, word(key, state.lang), exc.problems)
    return HTMLResponse(html, exc.status)


def failed_page(request: Request, ident: str) -> Response:
    state = State(lang=page_lang(request))
    text = word("failed", state.lang, id=ident)
    return HTMLResponse(message_view(service_of(request), state, word("failed_title", state.lang), text=text), 500)


async def home(request: Request) -> Response:
    service = service_of(request)
    try:
        state = read_state(service, request.query_params.multi_items(), lang=page_lang(request))
        logbook = request.app.state.logbook
        if logbook is None:
            return HTMLResponse(page(service, state))
        if not state.session:
            state.session = new_session()  # links from this page carry it: the interview's steps hang together
        return HTMLResponse(page(service, state, lambda result, fact: logbook.page_step(state, result, fact)))
    except Refused as exc:
        return refused_page(request, exc)
    except Exception as exc:  # a bug in spor: logged with its id, never shown as a traceback
        return failed_page(request, log_failure("page", exc))


async def upload(request: Request) -> Response:
    """Read uploaded evidence and show what it says, with the facts it fills in and a button to go on."""
    from spor.evidence.merge import merge
    from spor.serve.uploads import read_uploads, uploaded

    service = service_of(request)
    try:
        state = read_state(service, request.query_params.multi_items(), lang=page_lang(request))
        files = await uploaded(request)
        if not files:
            raise Refused.one(422, word("evidence_none", state.lang), ("form", "file"))
        readings = await to_thread.run_sync(read_uploads, files, service.rulebase)
        facts, notices = merge(state.known(), readings, rulebase=service.rulebase)
        filled = fill(state, facts)
        shown = [n for n in notices if n.code != "from_evidence"]
        return HTMLResponse(evidence_view(service, state, readings, filled, shown))
    except Refused as exc:
        return refused_page(request, exc)
    except Failed as exc:
        return failed_page(request, exc.ident)
    except Exception as exc:
        return failed_page(request, log_failure("upload", exc))


def fill(state: State, facts: dict) -> State:
    """The state with what evidence gave: a fact it filled in (a "don't know" replaced) or an open answer it
    replaced (``merge`` with the rulebase) moves to the end, marked as from the evidence."""
    known = state.known()
    new = {name: value for name, value in facts.items() if known.get(name) != value}
    answers = [(name, value) for name, value in state.answers if name not in new]
    answers += list(new.items())
    return State(state.lang, answers, [n for n in state.evidence if n not in new] + list(new))


async def case_yaml(request: Request) -> Response:
    """The case as YAML, the file ``spor ask --save`` writes (``rulebase.cases.write_case``)."""
    import tempfile
    from pathlib import Path

    from spor.rulebase.cases import write_case

    service = service_of(request)
    try:
        state = read_state(service, request.query_params.multi_items(), control=("id",), lang=page_lang(request))
        case_id = request.query_params.get("id", "").strip() or "case"
        if not CASE_ID.match(case_id):
            raise Refused.one(400, "a case id is 1 to 200 characters, without control characters", ("query", "id"))
        lang = state.lang
        note = [
            word("ask_saved_evidence", lang, fact=name, value=value, source=word("upload_source", lang))
            for name, value in state.known().items()
            if name in state.evidence
        ]
        with tempfile.TemporaryDirectory(prefix="spor-case-") as folder:
            path = Path(folder) / "case.yaml"
            write_case(path, None, case_id, state.known(), note)
            text = path.read_text(encoding="utf-8")
    except Refused as exc:
        return refused_page(request, exc)
    except Exception as exc:
        return failed_page(request, log_failure("case.yaml", exc))
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", case_id).strip("-.")[:100] or "case"
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.yaml"'},
    )


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/upload", upload, methods=["POST"]),
    Route("/case.yaml", case_yaml, methods=["GET"]),
]
