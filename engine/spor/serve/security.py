"""Headers on every response, and the bearer token that guards ``/api``.

The page makes no request to any other origin: the Content-Security-Policy
allows only spor's own scripts, styles and images, forms that post back to
spor, and framing by the origins given to ``--frame-ancestors`` (default:
spor's own origin only). ``X-Content-Type-Options: nosniff`` and
``Referrer-Policy: no-referrer`` are set on every answer, the API's too.

With ``--token-file``, every ``/api`` route but the health probes asks for
``Authorization: Bearer TOKEN`` (compared in constant time); the page is
not guarded (a browser cannot send a bearer token with a link), so it is
meant for a network the agents already sit in, or behind the helpdesk's
own sign-in (docs/deploy.md).
"""

from __future__ import annotations

import hmac
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spor.serve import replies
from spor.serve.core import OPEN, PREFIX, Refused

ORIGIN = re.compile(r"^(https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?|'self'|'none')$")


def frame_ancestors(origins: str | None) -> str:
    """The CSP ``frame-ancestors`` source list of ``--frame-ancestors`` (space or comma separated); ValueError."""
    parts = [p for p in re.split(r"[\s,]+", origins or "") if p]
    if not parts:
        return "'self'"
    bad = [p for p in parts if not ORIGIN.match(p)]
    if bad:
        raise ValueError(
            f"not an origin: {', '.join(bad)} (expected https://helpdesk.example.com, "
            "https://*.example.com, 'self' or 'none')"
        )
    return " ".join(parts)


def policy(ancestors: str) -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        f"form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    )


class Guard:
    """ASGI middleware: the security headers on every response, and the token check for ``/api``."""

    def __init__(self, app: ASGIApp, token: str | None, ancestors: str):
        self.app = app
        self.token = token.encode() if token else None
        self.headers = [
            (b"content-security-policy", policy(ancestors).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]  # no Cross-Origin-Resource-Policy: Chromium applies it to frames too, and the page is framed by design

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        path = scope.get("path", "")
        if self.token is not None and path.startswith(PREFIX + "/") and path not in OPEN and not self.allowed(scope):
            refused = Refused.one(
                401,
                "this API asks for a bearer token: send the header Authorization: Bearer TOKEN",
                ("headers", "authorization"),
                "unauthorized",
            )
            refused.headers = {"WWW-Authenticate": 'Bearer realm="spor"'}
            await replies.refusal(refused)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def allowed(self, scope: Scope) -> bool:
        assert self.token is not None
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, given = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.token)
        return False
