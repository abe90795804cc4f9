"""JSON answers of the API, and its error bodies: every refusal names the request, where, and what was expected.

An error body is ``{"error": "request:1:12: not valid JSON: ...", "problems":
[...]}``: ``error`` is every problem as one line (the way ``spor`` prints
them), ``problems`` the same problems as ``schemas/problem.schema.json``
describes them, the file being ``request``. An internal failure answers
``{"error": ..., "id": ...}``, the id being in the server's log with the
traceback; no traceback is ever sent.
"""

from __future__ import annotations

from starlette.responses import Response

from spor.output.record import encode
from spor.serve.core import Refused

JSON = "application/json"


def json_reply(data: object, status: int = 200, headers: dict | None = None) -> Response:
    return Response(encode(data) + "\n", status, headers, media_type=JSON)


def text_reply(text: str, status: int = 200, media_type: str = JSON) -> Response:
    """A body already written (the line ``spor run --format json`` prints)."""
    return Response(text, status, media_type=media_type)


def refusal(refused: Refused) -> Response:
    problems = refused.problems
    return json_reply(
        {"error": "; ".join(str(p) for p in problems), "problems": [p.as_dict() for p in problems]},
        refused.status,
        refused.headers,
    )


def failure(ident: str) -> Response:
    return json_reply(
        {
            "error": f"internal error: spor failed on this request (error id {ident}, also in the server's log); "
            "please report it",
            "id": ident,
        },
        500,
    )
