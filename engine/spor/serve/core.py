"""What every request of ``spor serve`` shares: the loaded rulebase, its compiled engine, and errors.

One :class:`Service` per process is built before the first request: the
rulebase is loaded and checked (``spor.api.load_cached``), compiled into
durable-rules and tried once, so that a worker that answers is ready.
durable-rules' C module is not thread-safe: every call into it is made on
the thread that runs the event loop (the handlers are ``async`` and call
the engine directly, never through a thread pool); scale comes from
processes (``spor serve --workers N``).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from pathlib import Path

from spor.batch.decisions import DecisionCache
from spor.batch.writers import JsonlWriter
from spor.common.errors import InputError, Problem
from spor.common.messages import Msg
from spor.common.records import field, record
from spor.inference.evaluate import Evaluator
from spor.rulebase.cases import Normaliser
from spor.rulebase.model import Rulebase

LOG = logging.getLogger("spor.serve")
REQUEST = "request"  # the "file" a problem in a request's body or query names
RESERVED = ("lang", "ev", "id", "session")  # the page's own query parameters: no fact may be named so
PREFIX = "/api/v1"  # every route of the API
OPEN = (f"{PREFIX}/healthz", f"{PREFIX}/readyz")  # answered without the token: probes carry none


@record
class Service:
    """A rulebase ready to answer: compiled once, shared by every request of this process."""

    rulebase: Rulebase
    evaluator: Evaluator
    normaliser: Normaliser
    digest: str  # sha256 of the rule files' names and bytes: which rulebase answered
    warnings: list  # of Problem, from loading
    short_hash: str = ""  # the loader's short checksum, as every other command names the rulebase
    caches: dict = field(default_factory=dict)  # lang -> batch.decisions.DecisionCache
    writer: JsonlWriter | None = None  # batch's JSON Lines writer, over a Line

    def decisions(self, lang: str) -> DecisionCache:
        """The decision cache of ``lang`` (bounded: memory stays flat however many requests come)."""
        cache = self.caches.get(lang)
        if cache is None:
            cache = self.caches[lang] = DecisionCache(self.evaluator, lang)
        return cache

    def line(self, case, decision) -> str:
        """A decision for a case as the line ``spor run --format json`` prints: written by ``spor batch``'s JSON
        Lines writer (one per process: requests are answered one at a time on the event loop's thread)."""
        if self.writer is None:
            self.writer = JsonlWriter(Line(), self.rulebase)
        self.writer.decision(case, case.source, decision)
        return self.writer.stream.text


class Line:
    """A stream that keeps the last line written to it."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


def open_service(rules_dir: str | None = None) -> Service:
    """Load, check and compile the rulebase of ``rules_dir`` (default: the shipped one); raise InputError."""
    from spor.api import load_cached

    loaded = load_cached(rules_dir)
    rulebase = loaded.rulebase
    clashes = [name for name in RESERVED if name in rulebase.facts]
    if clashes:
        reserved = ", ".join(RESERVED)
        raise InputError(
            [Problem(rulebase.folder, Msg("serve_reserved_fact", name=name, reserved=reserved)) for name in clashes]
        )
    evaluator = Evaluator(rulebase)
    evaluator.evaluate({})  # compile and run the engine once: a worker that answers is ready
    return Service(
        rulebase,
        evaluator,
        Normaliser(rulebase),
        digest(rulebase.files),
        list(loaded.warnings),
        short_hash=loaded.digest,
    )


def digest(files) -> str:
    """A sha256 over every rule file's name and bytes, in the rulebase's order."""
    sha = hashlib.sha256()
    for name in files:
        path = Path(name)
        sha.update(path.name.encode("utf-8", "backslashreplace") + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


class Refused(Exception):
    """A request that cannot be answered as sent: an HTTP status and every problem found, each located."""

    def __init__(self, status: int, problems: list, headers: dict | None = None):
        super().__init__(status, problems)
        self.status = status
        self.problems = problems
        self.headers = headers or {}

    @classmethod
    def one(cls, status: int, message: str, path: tuple = (), code: str = "invalid") -> Refused:
        return cls(status, [Problem(REQUEST, message, path=path, code=code)])


class Failed(Exception):
    """spor (or the engine) failed on a request that was read without a problem; ``ident`` is in the log."""

    def __init__(self, ident: str):
        super().__init__(ident)
        self.ident = ident


def failure_id() -> str:
    """A short id for an internal failure: in the response, and in the server's log with the traceback."""
    return uuid.uuid4().hex[:12]


def log_failure(what: str, exc: BaseException) -> str:
    """Log a failure with its traceback and a new id; return the id (the response names it, without the trace)."""
    ident = failure_id()
    LOG.error("error id %s: %s failed: %s: %s", ident, what, type(exc).__name__, exc, exc_info=exc)
    return ident
