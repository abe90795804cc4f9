"""An interview's steps in the decision log: each question asked, answered, explained, skipped; how it ended.

One ``Interview`` per session (a random id, never a person's name). Steps
are written as they happen, each in its own transaction, so an interview
cut off at any point still shows where it stopped; ``spor report`` counts
a session without a ``finished`` step as abandoned at the last question it
asked. The time a step took is measured from the step before, so an
answer's time is how long the question was on the screen.
"""

from __future__ import annotations

import time
import uuid

from spor.decisionlog.rows import row_of, step_row

ACTIONS = ("asked", "answered", "why", "how", "back", "skip", "restart", "finished", "abandoned")


class Interview:
    """Writes one interview's steps and its decisions (keyed by the session, so a decision shown twice counts once)."""

    def __init__(self, log, rulebase, rulebase_hash: str, source: str = "ask", session: str | None = None) -> None:
        self.log = log
        self.rulebase = rulebase
        self.rulebase_hash = rulebase_hash
        self.source = source
        self.session = session or uuid.uuid4().hex[:16]
        self.step = 0
        self.since = time.monotonic()
        self.finished = False
        self.decided: set = set()
        # what evidence read before the interview said (``status``, ``facts``), for decisions whose result has none
        self.evidence: list = []

    def note(self, action: str, question: str | None = None, answer: str | None = None) -> None:
        assert action in ACTIONS, action
        now = time.monotonic()
        self.step += 1
        row = step_row(
            source=self.source,
            session=self.session,
            step=self.step,
            action=action,
            rulebase_id=self.rulebase.id,
            rulebase_hash=self.rulebase_hash,
            question=question,
            answer=answer if answer in self._values(question) else None,  # a value id, never typed free text
            seconds=now - self.since,
        )
        self.since = now
        self.log.add_steps([row])
        if action == "finished":
            self.finished = True

    def decision(self, data: dict) -> None:
        """Log the decision an interview reached (``as_json`` of its result), once per set of facts."""
        facts = tuple(sorted((data.get("facts") or {}).items()))
        if facts in self.decided:
            return
        self.decided.add(facts)
        if self.evidence and not data.get("evidence"):
            data = {**data, "evidence": self.evidence}
        self.log.add_decisions(
            [
                row_of(
                    data,
                    self.rulebase,
                    self.rulebase_hash,
                    self.source,
                    run=f"{self.source}:{self.session}",
                    record_number=len(self.decided),
                )
            ]
        )

    def end(self, question: str | None = None) -> None:
        """The interview is over: abandoned, unless it reached a diagnosis."""
        if not self.finished:
            self.note("abandoned", question)

    def _values(self, question: str | None) -> tuple:
        fact = self.rulebase.facts.get(question) if question else None
        return fact.value_ids() if fact else ()
