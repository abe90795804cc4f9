"""A request's body, read within a bound, and its content type checked before it is read.

A body over the bound is refused with 413 as soon as its declared length
(or, without one, the bytes received so far) passes the bound: it is never
held in memory whole. A body of the wrong type is refused with 415 before it
is read.
"""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message

from spor.serve.core import Refused

JSON_TYPES = ("application/json",)
FORM_TYPES = ("multipart/form-data",)


def media_type(request: Request) -> str:
    """The media type of a request's body, without its parameters, in lower case ("" when not given)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def require_type(request: Request, allowed: tuple) -> None:
    """Refuse with 415 a body whose declared type is not one of ``allowed``."""
    found = media_type(request)
    if found not in allowed and not (allowed == JSON_TYPES and found.endswith("+json")):
        shown = repr(found) if found else "no Content-Type"
        raise Refused.one(
            415,
            f"the body is {shown}: expected Content-Type: {' or '.join(allowed)}",
            ("headers", "content-type"),
            "media_type",
        )


def too_large(limit: int) -> Refused:
    return Refused.one(413, f"the body is larger than {limit:,} bytes, the most this endpoint reads", (), "too_large")


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or Refused(413) once it passes ``limit`` bytes (declared or received)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refused.one(400, f"Content-Length is not a number: {declared!r}", ("headers", "content-length"))
        if int(declared) > limit:
            raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def read_form(request: Request, body: bytes, max_files: int) -> FormData:
    """The multipart form in ``body`` (already read within its bound); a malformed one is refused with 400."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=max_files, max_fields=50)
    except (HTTPException, MultiPartException) as exc:  # Starlette's word for a malformed or over-full form
        detail = exc.detail if isinstance(exc, HTTPException) else exc.message
        raise Refused.one(400, f"the multipart body cannot be read: {detail}", ()) from None


def uploads(form: FormData) -> list:
    """(field name, UploadFile) for every file of a form, in the order sent."""
    return [(name, value) for name, value in form.multi_items() if isinstance(value, UploadFile)]
