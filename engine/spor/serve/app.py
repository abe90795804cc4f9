"""The ASGI application of ``spor serve``: Starlette, a few explicit routes, one middleware.

``create_app(settings)`` builds it for one process; ``from_environment()``
is the factory each uvicorn worker calls (``spor serve --workers N``
starts N processes, which learn the settings from the environment
variable ``SPOR_SERVE``). The rulebase is loaded and compiled when the app
is built, so a worker is ready before it accepts a request.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from spor.common.records import record
from spor.serve import api, page, replies
from spor.serve.core import PREFIX, Refused, open_service
from spor.serve.security import Guard, frame_ancestors
from spor.serve.state import State
from spor.serve.views import message_view
from spor.serve.words import word

ENVIRONMENT = "SPOR_SERVE"  # the settings, as JSON, for the worker processes


@record
class Settings:
    rules_dir: str | None = None
    token_file: str | None = None
    frame_ancestors: str | None = None
    lang: str = "nb"  # --lang: the page's language, and the API's, when a request does not name one
    log_path: str | None = None  # --log: the decision log each worker appends to
    log_days: int | None = None  # --log-days: rows older than this are deleted when a worker opens the log

    @property
    def token(self) -> str | None:
        """The bearer token: the token file's text, stripped (read when the app is built)."""
        if not self.token_file:
            return None
        return Path(self.token_file).read_text(encoding="utf-8").strip() or None

    def to_environment(self) -> str:
        return json.dumps(
            {
                "rules_dir": self.rules_dir,
                "token_file": self.token_file,
                "frame_ancestors": self.frame_ancestors,
                "lang": self.lang,
                "log_path": self.log_path,
                "log_days": self.log_days,
            }
        )


def from_environment() -> Starlette:
    """The app for a uvicorn worker: the settings come from ``SPOR_SERVE``."""
    data = json.loads(os.environ.get(ENVIRONMENT, "{}"))
    return create_app(Settings(**data))


def create_app(settings: Settings | None = None) -> Starlette:
    """The application: the rulebase loaded and compiled, the routes, the headers and the token guard."""
    settings = settings or Settings()
    log = logging.getLogger("spor.serve")
    if not log.handlers:  # failures with their id and traceback, beside uvicorn's own lines
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:    spor serve: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    service = open_service(settings.rules_dir)
    token = settings.token
    ancestors = frame_ancestors(settings.frame_ancestors)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.ready = True
        yield
        app.state.ready = False
        if app.state.logbook is not None:  # the rows of the last moments, before the worker ends
            app.state.logbook.flush()

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if request.url.path.startswith(PREFIX + "/") or request.url.path == PREFIX:
            if status == 405:
                return replies.refusal(Refused.one(405, f"{request.method} is not allowed here", (), "method"))
            return replies.refusal(Refused.one(status, f"no such endpoint: {request.url.path}", (), "not_found"))
        lang = request.query_params.get("lang", settings.lang)
        state = State(lang=lang if lang in ("nb", "en") else settings.lang)
        title = word("not_found", state.lang)
        return HTMLResponse(message_view(service, state, title), status)

    app = Starlette(
        routes=[
            *api.ROUTES,
            *page.ROUTES,
            Mount("/static", app=StaticFiles(packages=[("spor.serve", "static")]), name="static"),
        ],
        middleware=[Middleware(Guard, token=token, ancestors=ancestors)],
        exception_handlers={HTTPException: not_found},
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.ready = False
    app.state.token = token
    app.state.logbook = None
    if settings.log_path:
        from spor.decisionlog.store import DecisionLog
        from spor.serve.logbook import Logbook

        decisions = DecisionLog(settings.log_path, days=settings.log_days)
        app.state.logbook = Logbook(decisions, service.rulebase, service.short_hash)
    return app
