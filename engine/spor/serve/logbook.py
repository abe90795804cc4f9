"""``spor serve --log``: each decision the API or the page gives becomes a row of the decision log.

Every worker process opens the log on its own (SQLite in WAL mode takes
several writers on one machine). Rows are committed in small batches, at
the latest ``FLUSH_SECONDS`` after the first of them, and when the worker
stops (Ctrl-C, SIGTERM): a transaction per request would cost about a
tenth of a request's time, a batch of them a few microseconds a row
(bench/serve_load.py --log, bench/decision_log.py).
What a hard kill (SIGKILL, a power cut) can lose is the rows of that last
fraction of a second; the log itself stays whole.

A row that cannot be written never costs the answer: the failure is counted
(``/api/v1/readyz`` shows the count), and while the log's last write has
failed, every answer carries a ``not_logged`` warning.

The page's decisions are keyed by the interview's session and its facts,
so reloading a page does not count its decision twice.
"""

from __future__ import annotations

import asyncio
import json
import zlib

from spor.decisionlog.rows import decision_row, given_of, part_of, step_row
from spor.output.record import as_json
from spor.serve.core import REQUEST
from spor.serve.words import word

FLUSH_SECONDS = 0.25  # the longest a row waits in memory
FLUSH_ROWS = 256  # or until this many are waiting
MAX_KEPT = 20_000  # results whose log columns are kept for the next request with the same facts


class Logbook:
    """The open decision log of one worker, and what it could not keep."""

    def __init__(self, log, rulebase, rulebase_hash: str) -> None:
        self.log = log
        self.rulebase = rulebase
        self.rulebase_hash = rulebase_hash
        self.kept: dict = {}  # (lang, explain, facts) -> (Part, given facts as JSON): a result is a function of them
        self.pending: list = []
        self.pending_steps: list = []
        self.broken = False  # the last write failed: answers say so until one succeeds
        self.timer: asyncio.TimerHandle | None = None

    @property
    def failed(self) -> int:
        return int(self.log.failed)

    def decision(self, case, line: str, lang: str, explain: bool = False, *, session: str | None = None) -> str:
        """Log the decision of a result line; the line as it goes back (with a warning if it was not logged)."""
        key = (lang, explain, tuple(case.facts.items()))
        kept = self.kept.get(key)
        if kept is None:
            data = json.loads(line)
            kept = (
                part_of(data, self.rulebase, self.rulebase_hash),
                given_of(data.get("facts") or {}, data.get("given") or (), self.rulebase),
            )
            if len(self.kept) < MAX_KEPT:
                self.kept[key] = kept
        part, given = kept
        where: dict = {}
        if session:  # the page: one row per interview and set of facts
            where = {"run": f"page:{session}", "record_number": zlib.crc32(given.encode("utf-8"))}
        row = decision_row(
            part,
            given,
            source="serve",
            case_id=case.id if isinstance(case.id, str) and case.id != REQUEST else None,
            **where,
        )
        self.pending.append(row)
        self.soon()
        if not self.broken:
            return line
        data = json.loads(line)
        data.setdefault("warnings", []).append({"code": "not_logged", "message": word("not_logged", lang)})
        return json.dumps(data, ensure_ascii=False) + "\n"

    def page_step(self, state, result, fact) -> None:
        """What the page shows for a state: the answer just given, then the next question or the decision.

        A step's number is the number of answers in the link, so a page
        reloaded logs nothing new (the log keeps a step once), while an
        answer changed after going back is a step of its own.
        """
        step = len(state.answers)
        base = {
            "source": "serve",
            "session": state.session,
            "step": step,
            "rulebase_id": self.rulebase.id,
            "rulebase_hash": self.rulebase_hash,
        }
        if step:
            name, value = state.answers[-1]
            action = "answered" if value is not None else "skip"
            self.pending_steps.append(step_row(action=action, question=name, answer=value, **base))
        if result.complete:
            self.pending_steps.append(step_row(action="finished", **base))
            data = as_json(result, state.lang)
            given = given_of(data.get("facts") or {}, data.get("given") or (), self.rulebase)
            self.pending.append(
                decision_row(
                    part_of(data, self.rulebase, self.rulebase_hash),
                    given,
                    source="serve",
                    case_id=None,
                    run=f"page:{state.session}",
                    record_number=zlib.crc32(given.encode("utf-8")),
                )
            )
        elif fact is not None:
            self.pending_steps.append(step_row(action="asked", question=fact.id, **base))
        self.soon()

    def soon(self) -> None:
        """Commit now if enough rows wait, else within FLUSH_SECONDS."""
        if len(self.pending) + len(self.pending_steps) >= FLUSH_ROWS:
            self.flush()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        """Commit the rows waiting (called by the timer, when enough are waiting, and when the worker stops).

        On the event loop's thread: measured, a thread of its own for the log
        cost more (18% of the throughput against 10%), as it contends for the
        interpreter with the requests on a 2-core machine.
        """
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        rows, self.pending = self.pending, []
        steps, self.pending_steps = self.pending_steps, []
        failed = self.log.add_decisions(rows) if rows else 0
        failed += self.log.add_steps(steps) if steps else 0
        self.broken = bool(failed) if rows or steps else self.broken
