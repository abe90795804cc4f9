"""Evaluate a case: fire the rules in durable-rules, then explain the result.

:func:`Evaluator.evaluate` is the Python API the CLI and the tests call:
facts in (value ids, already normalised by ``cases``), a :class:`Result`
out, holding the given and derived facts, the outcome or none, the missing
facts (next question first), the trace of fired rules and warnings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import messages
from .model import OUTCOME, Rulebase
from .relevance import conflicts, missing_facts, unneeded_facts
from .session import Session


@dataclass(frozen=True)
class Warning:
    code: str
    params: dict = field(default_factory=dict)
    fact: str | None = None

    def message(self, lang: str, rulebase: Rulebase | None = None) -> str:
        """The warning in ``lang``; with the rulebase, facts and values are shown by their labels."""
        params = dict(self.params)
        if rulebase is not None and "fact" in params and params["fact"] in rulebase.facts:
            fact = params["fact"]
            for key in ("value", "other"):
                if key in params:
                    params[key] = rulebase.label(fact, params[key], lang)
            params["fact"] = rulebase.facts[fact].label.get(lang)
        return messages.text(f"w_{self.code}", lang, **params)


@dataclass
class Result:
    rulebase: Rulebase
    given: dict
    derived: dict  # fact -> value, in the order derived
    outcome: object  # Outcome or None
    missing: list  # of Fact
    trace: list  # of session.Firing
    warnings: list  # of Warning
    case_id: str = ""
    source: str = ""

    @property
    def complete(self) -> bool:
        return self.outcome is not None

    @property
    def facts(self) -> dict:
        return {**self.given, **self.derived}

    def to_json(self, lang: str = "nb") -> dict:
        """The result as the plain data ``schemas/result.schema.json`` describes."""
        rb = self.rulebase
        outcome = self.outcome
        return {
            "case": self.case_id,
            "source": self.source,
            "rulebase": rb.id,
            "outcome": outcome.id if outcome else None,
            "side": outcome.side if outcome else None,
            "verdict": fill(outcome.verdict.get(lang), self, lang) if outcome else None,
            "complete": self.complete,
            "facts": self.facts,
            "given": list(self.given),
            "derived": list(self.derived),
            "missing": [
                {
                    "fact": fact.id,
                    "question": fact.question.get(lang) if fact.question else fact.label.get(lang),
                    "where": fact.where.get(lang) if fact.where else None,
                    "values": list(fact.value_ids()),
                }
                for fact in self.missing
            ],
            "trace": [
                {
                    "rule": f.rule.id,
                    "title": f.rule.title.get(lang),
                    "file": Path(f.rule.file).name,
                    "cites": list(f.rule.cites),
                    "saw": f.saw,
                    "concluded": {f.rule.target: f.rule.value},
                }
                for f in self.trace
            ],
            "warnings": [
                {"code": w.code, "message": w.message(lang, rb), **({"fact": w.fact} if w.fact else {})}
                for w in self.warnings
            ],
        }


def fill(template: str, result: Result, lang: str) -> str:
    """Replace ``{fact}`` in an outcome text with the label of the case's value."""
    from .loader import PLACEHOLDER

    facts = result.facts
    unknown = messages.text("unknown", lang)
    return PLACEHOLDER.sub(
        lambda m: result.rulebase.label(m.group(1), facts[m.group(1)], lang) if m.group(1) in facts else unknown,
        template,
    )


class Evaluator:
    """A rulebase compiled into the inference engine, ready to evaluate cases."""

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self.session = Session(rulebase)

    def evaluate(self, facts: dict, *, case_id: str = "", source: str = "") -> Result:
        rb = self.rulebase
        firings = self.session.fire(facts)
        derived, outcome = {}, None
        for firing in firings:
            if firing.rule.target == OUTCOME:
                outcome = rb.outcomes[firing.rule.value]
            else:
                derived[firing.rule.target] = firing.rule.value
        known = {**facts, **derived}
        missing = [] if outcome else missing_facts(rb, known)
        warnings = self._warnings(facts, known, derived, outcome, firings, missing)
        return Result(rb, dict(facts), derived, outcome, missing, firings, warnings, case_id, source)

    def _warnings(self, given, known, derived, outcome, firings, missing) -> list:
        rb = self.rulebase
        warnings = []
        concluded = dict(derived)
        if outcome:
            concluded[OUTCOME] = outcome.id
            for name in unneeded_facts(rb, given, firings):
                warnings.append(Warning("not_needed", {"fact": name, "value": given[name]}, name))
        elif not missing:
            warnings.append(Warning("gap"))
        for rule, target, value in conflicts(rb, known, concluded):
            warnings.append(Warning("conflict", {"rule": rule.id, "fact": target, "value": rule.value, "other": value}, target))
        return warnings
