"""Evaluate a case: fire the rules in durable-rules, then explain the result.

:func:`Evaluator.evaluate` is the Python API the CLI and the tests call:
facts in (value ids, already normalised by ``cases``), a :class:`Result`
out, holding the given and derived facts, the outcome or none, the missing
facts (next question first), the trace of fired rules and notices
(warnings). How a result is shown is ``render``'s business.
"""

from __future__ import annotations

from spor.common import messages
from spor.common.records import field, record
from spor.inference.assumptions import assumptions, strict_rulebase, unknown_reads, with_alternatives
from spor.inference.compiled import conditions
from spor.inference.relevance import conflicts, missing_facts, unneeded_facts
from spor.inference.session import Session
from spor.rulebase.model import OUTCOME, WARNING, Outcome, Rulebase

RULE_WARNING = "rule_warning"  # the code of a warning a rule concluded (``then: {warning: ...}``)


@record
class Notice:
    """A warning about a result: a code, its parameters, and the fact it concerns."""

    code: str
    params: dict = field(default_factory=dict)
    fact: str | None = None

    def message(self, lang: str, rulebase: Rulebase | None = None) -> str:
        """The warning in ``lang``; with the rulebase, facts and values are shown by their labels.

        The text depends only on the code, the parameters, the language and
        the rulebase, and many results carry the same warnings: each text is
        made once per rulebase (``spor batch`` writes one per distinct case).
        """
        kept = _MESSAGES.get(id(rulebase))
        if kept is None or kept[0] is not rulebase:
            if len(_MESSAGES) >= 16:
                _MESSAGES.pop(next(iter(_MESSAGES)))
            kept = _MESSAGES[id(rulebase)] = (rulebase, {})
        texts: dict = kept[1]
        try:
            key = (self.code, tuple(self.params.items()), lang)
            found = texts.get(key)
        except TypeError:  # a parameter that cannot be a key (a list): made each time
            return self._message(lang, rulebase)
        if found is None:
            found = self._message(lang, rulebase)
            if len(texts) < 10_000:
                texts[key] = found
        return found

    def _message(self, lang: str, rulebase: Rulebase | None) -> str:
        params = dict(self.params)
        if self.code == RULE_WARNING and rulebase is not None:
            rule = next((r for r in rulebase.rules_for.get(WARNING, ()) if r.id == params.get("rule")), None)
            if rule is not None and rule.warning is not None:
                return f"{rule.warning.get(lang)} ({', '.join(rule.cites)}; {rule.id})"
        if rulebase is not None and params.get("fact") in rulebase.facts:
            fact = params["fact"]
            for key in ("value", "other"):
                if key in params:
                    params[key] = rulebase.label(fact, params[key], lang)
            params["fact"] = rulebase.facts[fact].label.get(lang)
        return messages.text(f"w_{self.code}", lang, **params)


_MESSAGES: dict = {}  # id(rulebase) -> (rulebase, {(code, parameters, language): text}), for 16 rulebases at most


@record
class Result:
    rulebase: Rulebase
    given: dict
    derived: dict  # fact -> value, in the order derived
    outcome: Outcome | None
    missing: list  # of Fact
    trace: list  # of session.Firing
    warnings: list  # of Notice
    case_id: str = ""
    source: str = ""
    title: str = ""
    notes: str = ""
    evidence: list = field(default_factory=list)  # of evidence.Explained, when evidence was merged in
    assumed: list = field(default_factory=list)  # of assumptions.Assumption: facts the rules read as unknown

    @property
    def complete(self) -> bool:
        return self.outcome is not None

    @property
    def facts(self) -> dict:
        return {**self.given, **self.derived}


class Evaluator:
    """A rulebase compiled into the inference engine, ready to evaluate cases."""

    _compiled: dict = {}  # id(rulebase) -> (rulebase, Session): compile each rulebase once per process

    def __init__(self, rulebase: Rulebase, assume: bool = True):
        """``assume=False``: no rule may read an unknown fact as an answer (``--no-assume``)."""
        if not assume:
            rulebase = strict_rulebase(rulebase)
        self.rulebase = rulebase
        self.assume = assume
        self.reads = unknown_reads(rulebase)  # rule index -> facts it can read as unknown
        self.assumable = frozenset(name for names in self.reads.values() for name in names)
        self._others: dict = {}  # facts of another answer to an assumption -> its result: cases repeat them
        kept = Evaluator._compiled.get(id(rulebase))
        if kept is None or kept[0] is not rulebase:
            if len(Evaluator._compiled) >= 16:
                Evaluator._compiled.pop(next(iter(Evaluator._compiled)))
            kept = Evaluator._compiled[id(rulebase)] = (rulebase, Session(rulebase))
        self.session = kept[1]

    def evaluate(
        self,
        facts: dict,
        *,
        case_id: str = "",
        source: str = "",
        title: str = "",
        notes: str = "",
        alternatives: bool = True,
    ) -> Result:
        """The result for ``facts``; with ``alternatives``, each assumption says what other answers lead to."""
        rb = self.rulebase
        ordered = {name: facts[name] for name in rb.facts if name in facts}  # one order for all spellings of a case
        if len(ordered) != len(facts):
            raise ValueError(f"not facts of this rulebase: {sorted(set(facts) - set(ordered))}")
        facts = ordered
        firings = self.session.fire(facts)
        derived, outcome = {}, None
        for firing in firings:
            if firing.rule.target == OUTCOME:
                outcome = rb.outcomes[firing.rule.value]
            elif firing.rule.target != WARNING:
                derived[firing.rule.target] = firing.rule.value
        known = {**facts, **derived}
        compiled = conditions(rb)
        missing = [] if outcome else missing_facts(rb, known, self.assumable, compiled)
        notices = self._notices(facts, known, derived, outcome, firings, missing, compiled)
        result = Result(rb, dict(facts), derived, outcome, missing, firings, notices, case_id, source, title, notes)
        if self.reads:
            result.assumed = assumptions(rb, facts, firings, self.reads, compiled)
            if alternatives and result.assumed:
                with_alternatives(result.assumed, rb, facts, self._other)
        return result

    def _other(self, facts: dict) -> Result:
        """The result of another answer to an assumption (without alternatives of its own), kept for reuse."""
        key = tuple(facts.items())  # in the rulebase's order: the caller's facts are ordered, one fact replaced
        found = self._others.get(key)
        if found is None:
            if len(self._others) >= 20_000:
                self._others.pop(next(iter(self._others)))
            found = self._others[key] = self.evaluate(facts, alternatives=False)
        return found

    def _notices(self, given, known, derived, outcome, firings, missing, compiled) -> list:
        rb = self.rulebase
        notices = [Notice(RULE_WARNING, {"rule": f.rule.id}) for f in firings if f.rule.target == WARNING]
        if outcome:
            for name in unneeded_facts(given, firings, compiled.reads):
                notices.append(Notice("not_needed", {"fact": name, "value": given[name]}, name))
        elif not missing:
            notices.append(Notice("gap"))
        concluded = {**derived, **({OUTCOME: outcome.id} if outcome else {})}
        for rule, target, value in conflicts(rb, known, concluded, compiled):
            notices.append(
                Notice("conflict", {"rule": rule.id, "fact": target, "value": rule.value, "other": value}, target)
            )
        stated = {name: value for name, value in given.items() if rb.facts[name].derived}
        for rule, target, value in conflicts(rb, known, stated, compiled):
            notices.append(
                Notice(
                    "contradicts_given", {"rule": rule.id, "fact": target, "value": rule.value, "other": value}, target
                )
            )
        return notices
