"""Assumptions: the facts a rule read as unknown, and what answering them would change.

A rule may hold because a fact the case gives is unknown: ``{known: false}``,
or ``{assume: value}`` (the value, or unknown and read as the value). The
rulebase then gives the article's answer without asking, and that answer
rests on an assumption. Each one is reported with the fact, the values the
rule reads the unknown fact as, the rule (and so the sections it cites),
and what each other answer would lead to, evaluated by the engine itself
(``Evaluator.evaluate``). ``strict_rulebase`` is the same rulebase with no
assumption allowed (``--no-assume``): an unknown fact is never read as an
answer. Nothing here knows any article.
"""

from __future__ import annotations

from spor.common.records import field, record
from spor.inference.compiled import Conditions, conditions
from spor.rulebase.conditions import strict, unknown_tests
from spor.rulebase.model import WARNING, Outcome, Rule, Rulebase

MAX_ALTERNATIVES = 24  # evaluations of other answers per result, at most: a choice fact may have 200 values


@record
class Alternative:
    """What one other answer to an assumed fact leads to."""

    value: str
    outcome: Outcome | None  # None: the case is not decided with that answer
    missing: tuple = ()  # fact ids still missing then
    facts: dict = field(default_factory=dict)  # the facts then, given and derived (for the outcome's {fact}s)


@record
class Assumption:
    """A fact a fired rule read as unknown, and what answering it otherwise would change."""

    fact: str
    values: tuple  # the values the rule reads the unknown fact as; empty: only as "unknown"
    rule: Rule
    otherwise: list = field(default_factory=list)  # of Alternative, in the fact's value order
    stopped: bool = False  # not every other answer was evaluated (MAX_ALTERNATIVES)

    @property
    def cites(self) -> tuple:
        return self.rule.cites


def assumptions(
    rulebase: Rulebase, given: dict, firings: list, reads: dict | None = None, compiled: Conditions | None = None
) -> list:
    """The facts the fired rules read as unknown where the rule held only because they were unknown.

    One Assumption per fact, from the first rule that made it. A rule that
    read a fact as unknown but would have held anyway (another branch of an
    ``any``) assumed nothing. ``reads``: rule index -> ``unknown_tests`` of its
    condition, for the rules that have any (``unknown_reads``), when known;
    ``compiled``: the rulebase's conditions, when the caller has them.
    """
    reads = unknown_reads(rulebase) if reads is None else reads
    compiled = compiled or conditions(rulebase)
    found: dict = {}
    for firing in firings:
        rule = firing.rule
        if rule.index not in reads or rule.target == WARNING:
            continue  # a warning decides nothing
        unread = [name for name in reads[rule.index] if name not in given and firing.saw.get(name) is None]
        unread = [name for name in unread if name not in found]
        if not unread:
            continue
        known = {name: value for name, value in firing.saw.items() if value is not None}
        plain = compiled.plain[rule]  # the condition with no test of "unknown"
        if plain is not None and plain(known):
            continue  # it held on what was known: the unknown reading was not needed
        holds = compiled.sure[rule]
        for name in unread:
            others: dict = {other: frozenset() for other in unread if other != name}  # they stay unknown
            values = tuple(value for value in rulebase.facts[name].value_ids() if holds({**known, name: value}, others))
            found[name] = Assumption(name, values, rule)
    return list(found.values())


def with_alternatives(assumed: list, rulebase: Rulebase, facts: dict, evaluate) -> list:
    """Each assumption with what every other answer leads to: ``evaluate(facts)`` gives a Result."""
    budget = MAX_ALTERNATIVES
    for item in assumed:
        for value in rulebase.facts[item.fact].value_ids():
            if value in item.values:
                continue
            if budget <= 0:
                item.stopped = True
                break
            budget -= 1
            other = evaluate({**facts, item.fact: value})
            item.otherwise.append(Alternative(value, other.outcome, tuple(f.id for f in other.missing), other.facts))
    return assumed


_STRICT: dict = {}  # id(rulebase) -> (rulebase, its strict version): made once per rulebase in a process


def strict_rulebase(rulebase: Rulebase) -> Rulebase:
    """The rulebase with every test that holds on an unknown fact taken out of its rules (warning rules aside); a
    rule left with nothing never fires, and is left out."""
    kept = _STRICT.get(id(rulebase))
    if kept is not None and kept[0] is rulebase:
        return kept[1]
    rules = []
    for rule in rulebase.rules:
        if rule.target == WARNING or not unknown_tests(rule.when):  # a warning assumes nothing: it decides nothing
            rules.append(rule)
            continue
        when = strict(rule.when)
        if when is not None:
            rules.append(Rule(**{**_fields(rule), "when": when}))
    if all(a is b for a, b in zip(rules, rulebase.rules)) and len(rules) == len(rulebase.rules):
        plain = rulebase
    else:
        plain = Rulebase(**{**_fields(rulebase), "rules": rules})
    if len(_STRICT) >= 16:
        _STRICT.pop(next(iter(_STRICT)))
    _STRICT[id(rulebase)] = (rulebase, plain)
    return plain


def unknown_reads(rulebase: Rulebase) -> dict:
    """Rule index -> the facts its condition can read as unknown, for every rule that can (warning rules aside)."""
    found = {}
    for rule in rulebase.rules:
        names = unknown_tests(rule.when) if rule.target != WARNING else ()
        if names:
            found[rule.index] = tuple(names)
    return found


def _fields(item) -> dict:
    names: tuple = type(item)._record_fields  # set by @record
    return {name: getattr(item, name) for name in names}
