"""An interview: ask for the missing facts one at a time, with WHY and HOW.

The questioning follows the engine: after every answer the case is
evaluated again and the first entry of ``missing`` is the next question,
so only questions that can still change the answer are asked, in the
decision tree's order. Explanations follow MYCIN: WHY a question is asked
(the rules waiting on its answer, what they would conclude, the sections
they cite, and the chain up to the outcome) and HOW a conclusion was
reached (the rules that fired and the facts each saw). The CLI's ``spor
ask`` is a loop of input and output around this class; tests drive it
directly.
"""

from __future__ import annotations

from spor.common.records import field, record
from spor.inference.evaluate import Evaluator, Result
from spor.inference.relevance import possible_values
from spor.rulebase.cases import Normaliser
from spor.rulebase.conditions import facts_read, truth, undecided_facts
from spor.rulebase.model import OUTCOME, WARNING, Rule

# The words an agent types at a question, in both languages, by the command they stand for
COMMANDS = {
    "why": {"?", "why", "hvorfor"},
    "how": {"how", "hvordan"},
    "back": {"back", "tilbake", "angre"},
    "skip": {"skip", "hopp over", "vet ikke", "don't know", "unknown", "ukjent"},
    "restart": {"restart", "start på nytt", "omstart"},
    "quit": {"quit", "exit", "q", "avslutt"},
}


def command(line: str) -> str | None:
    """The command a typed line stands for (why, how, back, skip, restart, quit), or None for an answer."""
    word = " ".join(line.lower().split())
    return next((name for name, words in COMMANDS.items() if word in words), None)


@record
class Waiting:
    """A rule that waits on a fact: what it would conclude, and what else it needs."""

    rule: Rule
    also_needs: list


@record
class Interview:
    evaluator: Evaluator
    facts: dict = field(default_factory=dict)  # the case's facts at the start
    history: list = field(default_factory=list)  # (fact id, value id or None for "skipped"), in order
    case_id: str = "ask"
    title: str = ""
    notes: str = ""
    anyway: str | None = None  # an assumed fact the agent chose to answer anyway

    def __post_init__(self):
        self.rulebase = self.evaluator.rulebase
        self.normaliser = Normaliser(self.rulebase)
        self.start = dict(self.facts)

    # -- state --------------------------------------------------------------
    def known(self) -> dict:
        return {**self.start, **{fact: value for fact, value in self.history if value is not None}}

    def result(self) -> Result:
        """The case as the interview knows it now, evaluated."""
        return self.evaluator.evaluate(self.known(), case_id=self.case_id, title=self.title, notes=self.notes)

    @property
    def skipped(self) -> list:
        return [fact for fact, value in self.history if value is None]

    def next_question(self, result: Result):
        """The next fact to ask about, or None when the case is decided or nothing askable is left.

        An assumed fact is not asked (the rules answer without it) unless the
        agent chose to answer it anyway (``answer_anyway``)."""
        if self.anyway is not None and self.anyway not in self.known() and self.anyway not in self.skipped:
            return self.rulebase.facts[self.anyway]
        self.anyway = None
        if result.outcome:
            return None
        for fact in result.missing:
            if fact.id not in self.skipped:
                return fact
        return None

    def offered(self, result: Result) -> list:
        """The facts the result assumed, which the agent may answer anyway, in the rulebase's order."""
        assumed = {item.fact for item in result.assumed}
        known = self.known()
        return [fact for fact in self.rulebase.facts.values() if fact.id in assumed and fact.id not in known]

    # -- actions ------------------------------------------------------------
    def answer_anyway(self, result: Result, text: str):
        """Choose an assumed fact to answer, by its number in ``offered`` or its id; return it, or None."""
        offered = self.offered(result)
        text = text.strip()
        chosen = None
        if text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= len(offered):
            chosen = offered[int(text) - 1]
        else:
            chosen = next((fact for fact in offered if fact.id == text), None)
        if chosen is not None:
            self.anyway = chosen.id
        return chosen

    def answer(self, fact, text: str):
        """Record an answer given as a number, an id, a label or a synonym; return an error hint or None."""
        text = text.strip()
        if text.isascii() and text.isdigit() and len(text) <= 4 and 1 <= int(text) <= len(fact.values):
            value = fact.values[int(text) - 1].id
        else:
            value, message = self.normaliser.value(fact.id, text)
            if message:
                return message
        self.history.append((fact.id, value))
        return None

    def skip(self, fact) -> None:
        """The agent cannot answer this now: leave it unknown and go on with other questions."""
        self.history.append((fact.id, None))

    def back(self):
        """Undo the last answer or skip; return its fact id, or None when there is nothing to undo."""
        return self.history.pop()[0] if self.history else None

    def restart(self) -> None:
        """Forget every answer given in this interview (the starting case stays)."""
        self.history.clear()

    # -- explanations ---------------------------------------------------------
    def why(self, fact_id: str) -> tuple:
        """(rules waiting on ``fact_id``, chain of derived facts from them up to the outcome)."""
        rb = self.rulebase
        known = {**self.known(), **self.evaluator.evaluate(self.known()).derived}
        possible = possible_values(rb, known)
        waiting = []
        for rule in rb.rules:
            if rule.target == WARNING or truth(rule.when, known, possible) is not None:
                continue
            pending = undecided_facts(rule.when, known, possible)
            if fact_id in pending:
                waiting.append(Waiting(rule, [f for f in pending if f != fact_id]))
        return waiting, self._chain([w.rule.target for w in waiting], known, possible)

    def _chain(self, targets: list, known: dict, possible: dict) -> list:
        """Derived facts on the way from ``targets`` to the outcome, nearest first."""
        chain, frontier = [], [t for t in dict.fromkeys(targets) if t != OUTCOME]
        while frontier:
            name = frontier.pop(0)
            if name in chain:
                continue
            chain.append(name)
            for rule in self.rulebase.rules:
                if (
                    name in facts_read(rule.when)
                    and truth(rule.when, known, possible) is None
                    and rule.target not in (OUTCOME, WARNING)
                    and rule.target not in chain
                ):
                    frontier.append(rule.target)
        return chain
