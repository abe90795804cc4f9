"""The HTTP API, under ``/api/v1``: decide, evidence, rulebase, graph, health, and its OpenAPI document.

Every handler is ``async`` and calls the engine on the event loop's own
thread (``spor.serve.core`` says why); reading uploaded evidence, which
does not touch the engine, runs in a worker thread. Bad input is refused
with a 4xx and a JSON body that locates each problem (``replies``); a
failure inside spor answers 500 with an error id that is in the log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from spor.common.messages import LANGS
from spor.serve import body, replies
from spor.serve.core import PREFIX, Failed, Refused, Service, log_failure
from spor.serve.decide import MAX_BODY, decide, read_request

Handler = Callable[[Request], Awaitable[Response]]


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def query_lang(request: Request) -> str:
    """``?lang=nb|en`` (default: the server's ``--lang``), or Refused(422)."""
    lang = request.query_params.get("lang", request.app.state.settings.lang)
    if lang not in LANGS:
        raise Refused.one(422, f"expected one of {', '.join(LANGS)}, found {lang!r}", ("query", "lang"))
    return lang


def guarded(handler: Handler) -> Handler:
    """A handler whose refusals become their 4xx JSON body, and whose failures a 500 with a logged id."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Refused as exc:
            return replies.refusal(exc)
        except Failed as exc:
            return replies.failure(exc.ident)
        except Exception as exc:  # a bug in spor: logged with its traceback, never sent
            return replies.failure(log_failure(f"{request.method} {request.url.path}", exc))

    run.__name__ = handler.__name__
    return run


@guarded
async def decide_endpoint(request: Request) -> Response:
    lang = query_lang(request)
    body.require_type(request, body.JSON_TYPES)
    data = await body.read_body(request, MAX_BODY)
    service = service_of(request)
    case, lang, explain = read_request(service, data, lang)
    line = decide(service, case, lang, explain)
    logbook = request.app.state.logbook
    return replies.text_reply(logbook.decision(case, line, lang, explain) if logbook else line)


@guarded
async def evidence_endpoint(request: Request) -> Response:
    from spor.serve.uploads import as_json, read_uploads, unread, uploaded

    lang = query_lang(request)
    files = await uploaded(request)
    if not files:
        raise Refused.one(
            422, "no file in the form: send one or more files (a returned message .eml, or an event log)", ("form",)
        )
    service = service_of(request)
    readings = await to_thread.run_sync(read_uploads, files, service.rulebase)
    problems = unread(readings)
    if problems:
        raise Refused(422, problems)
    return replies.json_reply(as_json(readings, service.rulebase, lang))


@guarded
async def rulebase_endpoint(request: Request) -> Response:
    from spor.serve.describe import describe

    return replies.json_reply(describe(service_of(request)), headers={"ETag": f'"{service_of(request).digest}"'})


@guarded
async def graph_endpoint(request: Request) -> Response:
    from spor.analysis.graph import FORMATS

    lang = query_lang(request)
    fmt = request.query_params.get("format", "mermaid")
    if fmt not in FORMATS:
        raise Refused.one(422, f"expected one of {', '.join(FORMATS)}, found {fmt!r}", ("query", "format"))
    text = FORMATS[fmt](service_of(request).rulebase, lang)
    media = "text/vnd.mermaid" if fmt == "mermaid" else "text/vnd.graphviz"
    return Response(text, media_type=f"{media}; charset=utf-8")


@guarded
async def healthz(request: Request) -> Response:
    return replies.json_reply({"status": "ok"})


@guarded
async def readyz(request: Request) -> Response:
    service: Service | None = getattr(request.app.state, "service", None)
    if service is None or not getattr(request.app.state, "ready", False):
        return replies.json_reply({"status": "starting"}, 503)
    answer: dict = {"status": "ready", "rulebase": service.rulebase.id, "hash": service.digest}
    logbook = request.app.state.logbook
    if logbook is not None:
        answer["log"] = {"failed": logbook.failed}  # rows this worker could not write (the answers were given)
    return replies.json_reply(answer)


@guarded
async def openapi_endpoint(request: Request) -> Response:
    from spor.serve.openapi import document

    return replies.json_reply(document(request.app.state.token is not None))


ROUTES = [
    Route(f"{PREFIX}/decide", decide_endpoint, methods=["POST"]),
    Route(f"{PREFIX}/evidence", evidence_endpoint, methods=["POST"]),
    Route(f"{PREFIX}/rulebase", rulebase_endpoint, methods=["GET"]),
    Route(f"{PREFIX}/graph", graph_endpoint, methods=["GET"]),
    Route(f"{PREFIX}/healthz", healthz, methods=["GET"]),
    Route(f"{PREFIX}/readyz", readyz, methods=["GET"]),
    Route(f"{PREFIX}/openapi.json", openapi_endpoint, methods=["GET"]),
]
