"""``GET /api/v1/rulebase``: the rulebase as a helpdesk needs it, in both languages at once.

Facts (with their question, where to find the answer, and each value's
labels and synonyms), the outcomes (verdict, who acts, steps, reply), the
article's sections and the sides that act, with the rulebase's id and the
sha256 of its files (the same in every worker that serves the same files).
"""

from __future__ import annotations

from spor.rulebase.model import Text
from spor.serve.core import Service


def both(text: Text | None) -> dict | None:
    return {"nb": text.nb, "en": text.en} if text is not None else None


def describe(service: Service) -> dict:
    rb = service.rulebase
    return {
        "id": rb.id,
        "hash": service.digest,
        "title": both(rb.title),
        "source": rb.source,
        "facts": [
            {
                "id": fact.id,
                "type": fact.type,
                "derived": fact.derived,
                "label": both(fact.label),
                "question": both(fact.question),
                "where": both(fact.where),
                "cites": list(fact.cites),
                "values": [
                    {"id": value.id, "label": both(value.label), "synonyms": list(value.synonyms)}
                    for value in fact.values
                ],
            }
            for fact in rb.facts.values()
        ],
        "outcomes": [
            {
                "id": outcome.id,
                "side": outcome.side,
                "cites": list(outcome.cites),
                "verdict": both(outcome.verdict),
                "steps": {lang: list(outcome.steps.get(lang, ())) for lang in ("nb", "en")},
                "reply": both(outcome.reply),
            }
            for outcome in rb.outcomes.values()
        ],
        "sections": {name: both(text) for name, text in rb.sections.items()},
        "sides": {name: both(text) for name, text in rb.sides.items()},
    }
