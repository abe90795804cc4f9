"""``spor report``: the counts turned into one report, as data (JSON), text, or the input of the HTML page.

The report names things as the rulebase does (labels in nb or en, with
ids beside them), so that a support manager reads "Lønn", not ``lonn``;
each figure stays a plain count beside its share, so a script can check
it against its own count of the same rows.
"""

from __future__ import annotations

import json
from collections import Counter

from spor.decisionlog.tally import MAX_GROUPS, UNDATED, Counts
from spor.decisionlog.words import word
from spor.evidence.merge import code_meaning
from spor.evidence.spec import evidence_spec

UNDECIDED = None  # the outcome of a decision that still misses facts


def share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def build(counts: Counts, rulebase, lang: str, *, inputs: list, rulebase_hash: str, since=None, until=None) -> dict:
    """The whole report as plain data: what ``--format json`` prints, and what the text and HTML show."""
    total = counts.decisions
    fallback = rulebase.fallback_section
    return {
        "inputs": [str(p) for p in inputs],
        "period": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "first": counts.first,
            "last": counts.last,
        },
        "rulebase": {"id": rulebase.id, "hash": rulebase_hash},
        "logged_rulebases": [
            {"id": rid, "hash": digest, "decisions": n}
            for (rid, digest), n in sorted(counts.rulebases.items(), key=_key)
        ],
        "decisions": total,
        "errors": counts.errors,
        "outcomes": [
            {
                "outcome": outcome,
                "label": _outcome_label(rulebase, outcome, lang),
                "side": rulebase.outcomes[outcome].side if outcome in rulebase.outcomes else None,
                "count": n,
                "share": share(n, total),
            }
            for outcome, n in _most(counts.outcomes)
        ],
        "sides": [
            {"side": side, "label": _side_label(rulebase, side, lang), "count": n, "share": share(n, total)}
            for side, n in _most(counts.sides)
        ],
        "weeks": [
            {
                "week": week,
                "decisions": sum(parts["outcomes"].values()),
                "outcomes": {k or "": v for k, v in _most(parts["outcomes"])},  # "": not decided
                "sides": {k or "": v for k, v in _most(parts["sides"])},
            }
            for week, parts in sorted(counts.weeks.items(), key=lambda item: (item[0] == UNDATED, item[0]))
        ],
        "silent": {
            "section": fallback,
            "label": rulebase.sections[fallback].get(lang) if fallback in rulebase.sections else None,
            "count": counts.silent,
            "share": share(counts.silent, total),
            "groups": [
                {
                    "facts": _facts(given),
                    "labels": _labels(rulebase, given, lang),
                    "count": n,
                    "cases": counts.examples.get(given, []),
                }
                for given, n in counts.silent_groups.most_common(MAX_GROUPS)
            ],
            "groups_total": len(counts.silent_groups),
        },
        "incomplete": {
            "count": counts.incomplete,
            "share": share(counts.incomplete, total),
            "next_question": [
                {"fact": fact, "label": _fact_label(rulebase, fact, lang), "count": n}
                for fact, n in _most(counts.next_question)
            ],
        },
        "assumed": [
            {"fact": fact, "label": _fact_label(rulebase, fact, lang), "count": n} for fact, n in _most(counts.assumed)
        ],
        "warnings": [{"code": code, "count": n} for code, n in _most(counts.warnings)],
        "from_evidence": [
            {"fact": fact, "label": _fact_label(rulebase, fact, lang), "count": n}
            for fact, n in _most(counts.from_evidence)
        ],
        "evidence_codes": _codes(counts, rulebase, lang),
        "evidence_subjects": _code_groups(counts, rulebase, lang, 2),  # 5.1: summed over 5.1.1, 5.1.2, ...
        "evidence_classes": _code_groups(counts, rulebase, lang, 1),  # 5: permanent failures
        "questions": _questions(counts, rulebase, lang),
        "interviews": {
            "sessions": counts.sessions,
            "finished": counts.finished,
            "abandoned": counts.sessions - counts.finished,
        },
        "rules": [{"rule": rule, "count": n} for rule, n in _most(counts.rules)],
        "rules_never_fired": [rule.id for rule in rulebase.rules if rule.id not in counts.rules],
        "sections": [
            {"section": section, "label": _section_label(rulebase, section, lang), "count": counts.sections[section]}
            for section in _sections_in_order(rulebase, counts)
        ],
    }


def _key(item):
    (rid, digest), n = item
    return (-n, str(rid), str(digest))


def _most(counter) -> list:
    """(key, count), the largest count first, ties by key (None last), so that the order is the same every run."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] is None, str(kv[0])))


def _facts(given: str) -> dict:
    return json.loads(given)


def _labels(rulebase, given: str, lang: str) -> list:
    return [
        f"{_fact_label(rulebase, name, lang)} = {rulebase.label(name, value, lang)}"
        for name, value in _facts(given).items()
        if name in rulebase.facts
    ]


def _fact_label(rulebase, fact, lang: str) -> str:
    if fact is None:
        return word("none", lang)
    known = rulebase.facts.get(fact)
    return known.label.get(lang) if known else str(fact)


def _side_label(rulebase, side, lang: str) -> str:
    if side is None:
        return word("undecided", lang)
    known = rulebase.sides.get(side)
    return known.get(lang) if known else str(side)


def _outcome_label(rulebase, outcome, lang: str) -> str:
    if outcome is UNDECIDED:
        return word("undecided", lang)
    known = rulebase.outcomes.get(outcome)
    return known.verdict.get(lang) if known else str(outcome)


def _section_label(rulebase, section: str, lang: str) -> str:
    known = rulebase.sections.get(section) or rulebase.references.get(section)
    return known.get(lang) if known else ""


def _sections_in_order(rulebase, counts: Counts) -> list:
    """The article's sections in its order (each one, cited or not), then any other source cited."""
    order = list(rulebase.sections)
    return order + sorted(s for s in counts.sections if s not in rulebase.sections)


def _codes(counts: Counts, rulebase, lang: str) -> list:
    table = evidence_spec(rulebase).codes
    out = []
    for code, n in sorted(counts.codes.items(), key=lambda kv: (-kv[1], kv[0])):
        parts = code.split(".")
        meaning, _level = code_meaning(code, table)
        out.append(
            {
                "code": code,
                "class": parts[0],
                "subject": ".".join(parts[:2]),
                "count": n,
                "meaning": meaning.meaning.get(lang) if meaning else word("no_meaning", lang),
                "side": meaning.side if meaning else None,
            }
        )
    return out


def _code_groups(counts: Counts, rulebase, lang: str, level: int) -> list:
    """The status codes summed by their first ``level`` parts (2: subject, 5.1; 1: class, 5), with the meaning the
    rulebase gives that subject or class (RFC 3463's, in the shipped one)."""
    table = evidence_spec(rulebase).codes
    sums: Counter = Counter()
    for code, n in counts.codes.items():
        sums[".".join(code.split(".")[:level])] += n
    out = []
    for group, n in sorted(sums.items(), key=lambda kv: (-kv[1], kv[0])):
        meaning = table.get(group)
        out.append(
            {
                "group": group,
                "count": n,
                "meaning": meaning.meaning.get(lang) if meaning else word("no_meaning", lang),
                "side": meaning.side if meaning else None,
            }
        )
    return out


def _questions(counts: Counts, rulebase, lang: str) -> list:
    names = [name for name in rulebase.facts if name in counts.steps or name in counts.abandoned]
    names += sorted(str(q) for q in counts.steps if q not in rulebase.facts and q)  # '': a step with no question
    out = []
    for name in names:
        actions: dict = counts.steps.get(name, {})
        seconds = counts.seconds.get(name)
        out.append(
            {
                "fact": name,
                "label": _fact_label(rulebase, name, lang),
                "asked": actions.get("asked", 0),
                "answered": actions.get("answered", 0),
                "why": actions.get("why", 0),
                "skipped": actions.get("skip", 0),
                "abandoned": counts.abandoned.get(name, 0),
                "seconds": None if seconds is None else round(seconds, 1),
            }
        )
    return sorted(out, key=lambda q: -q["asked"])
