"""What one decision becomes in the log: ids and codes only, never what a person wrote.

A row is made from the result record spor prints (``output.record``), so
the log, a batch's JSON Lines output and the HTTP API all describe a
decision the same way, and ``spor report`` can read any of them.

What is kept: fact ids with value ids (and only values the rulebase
declares), outcome, side, rule ids, cited sections, warning codes and
status codes read in evidence. What is never kept: titles, notes,
verdicts, warning texts, addresses, diagnostic texts, file names. A case
id is kept as the case gave it, since that is how a ticket is found again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property

from spor.common.records import record
from spor.decisionlog.store import SCHEMA_VERSION, utc_now

EVIDENCE_FACT_CODES = frozenset({"from_evidence", "evidence_replaces_open", "evidence_wins"})


@record
class Part:
    """What a decision said, and which rulebase said it: the same for every case with the same facts."""

    rulebase: str
    rulebase_hash: str
    outcome: str | None
    side: str | None
    complete: int
    silent: int
    derived: str
    missing: str
    assumed: str
    warnings: str
    from_evidence: str
    evidence_codes: str
    rules: str
    sections: str

    @cached_property
    def key(self) -> str:
        """The part as one text: how the log finds a part it has stored before."""
        return dumps(
            [
                self.rulebase,
                self.rulebase_hash,
                self.outcome,
                self.side,
                self.complete,
                self.silent,
                self.derived,
                self.missing,
                self.assumed,
                self.warnings,
                self.from_evidence,
                self.evidence_codes,
                self.rules,
                self.sections,
            ]
        )


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def part_of(data: dict, rulebase, rulebase_hash: str) -> Part:
    """The decision's columns from a result record (``as_json`` of it, or a line of batch output)."""
    facts = data.get("facts") or {}
    derived = {name: facts[name] for name in data.get("derived", ()) if _declared(rulebase, name, facts.get(name))}
    trace = data.get("trace") or []
    sections = sorted({cite for step in trace for cite in step.get("cites", ())})
    warnings = data.get("warnings") or []
    evidence = data.get("evidence") or []
    from_evidence = sorted(
        {w["fact"] for w in warnings if w.get("code") in EVIDENCE_FACT_CODES and w.get("fact")}
        | {name for item in evidence for name in (item.get("facts") or {})}
    )
    codes = [item["status"] for item in evidence if item.get("status")]
    fallback = getattr(rulebase, "fallback_section", None)
    return Part(
        rulebase=rulebase.id,
        rulebase_hash=rulebase_hash,
        outcome=data.get("outcome"),
        side=data.get("side"),
        complete=int(bool(data.get("complete"))),
        silent=int(fallback is not None and fallback in sections),
        derived=dumps(derived),
        missing=dumps(_fact_ids(data.get("missing"))),
        assumed=dumps(_fact_ids(data.get("assumed"))),
        warnings=dumps(sorted({w.get("code", "") for w in warnings})),
        from_evidence=dumps(from_evidence),
        evidence_codes=dumps(sorted(codes)),
        rules=dumps([step["rule"] for step in trace if step.get("rule")]),
        sections=dumps(sections),
    )


def given_of(facts: dict, names: Iterable[str], rulebase) -> str:
    """The given facts as JSON, keeping only declared fact and value ids, in the rulebase's order."""
    wanted = set(names)
    return dumps(
        {name: facts[name] for name in rulebase.facts if name in wanted and _declared(rulebase, name, facts.get(name))}
    )


def decision_row(
    part: Part,
    given: str,
    *,
    source: str,
    case_id: str | None,
    run: str | None = None,
    record_number: int | None = None,
    when: str | None = None,
) -> tuple:
    """A row in ``store.DECISION_COLUMNS`` order, the part itself last (the log stores it once, and its id)."""
    return (
        SCHEMA_VERSION,
        when or utc_now(),
        source,
        run,
        record_number,
        case_id,
        given,
        part,
    )


def row_of(data: dict, rulebase, rulebase_hash: str, source: str, **where) -> tuple:
    """A row for one result record, as ``serve`` and ``ask`` log it."""
    facts = data.get("facts") or {}
    case_id = data.get("case")
    return decision_row(
        part_of(data, rulebase, rulebase_hash),
        given_of(facts, data.get("given") or (), rulebase),
        source=source,
        case_id=case_id if isinstance(case_id, str) else None,
        **where,
    )


def step_row(
    *,
    source: str,
    session: str,
    step: int,
    action: str,
    rulebase_id: str,
    rulebase_hash: str,
    question: str | None = None,
    answer: str | None = None,
    seconds: float | None = None,
) -> tuple:
    """A row in ``store.STEP_COLUMNS`` order."""
    return (
        SCHEMA_VERSION,
        utc_now(),
        source,
        session,
        step,
        question or "",
        answer or "",
        action,
        None if seconds is None else round(seconds, 3),
        rulebase_id,
        rulebase_hash,
    )


def _fact_ids(items) -> list:
    """The fact ids of a record's ``missing`` or ``assumed`` (entries with a "fact", or plain ids)."""
    out = []
    for item in items or ():
        name = item.get("fact") if isinstance(item, dict) else item
        if isinstance(name, str):
            out.append(name)
    return out


def _declared(rulebase, name: str, value) -> bool:
    fact = rulebase.facts.get(name)
    return fact is not None and isinstance(value, str) and value in fact.value_ids()
