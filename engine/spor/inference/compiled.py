"""A rulebase's conditions compiled once into Python functions, for the analysis of every case.

``conditions.truth`` walks a condition tree node by node, asking each node
its type; the analysis of one case (what is still missing, conflicts,
assumptions) asks it hundreds of times, and in ``spor batch`` that walk was
the largest cost of a distinct combination of facts after the engine.
Every caller asks one of two questions, "is it surely true?" or "is it
surely false?", and in Kleene's logic each is a plain two-valued test: an
``all`` is surely true when every item is, surely false when one item is,
and so on down to the tests, with negation pushed down as ``truth`` does it.
So each rule's condition becomes two short-circuiting boolean expressions
(``sure``, ``fails``), compiled once per rulebase; ``truth`` and
``undecided_facts`` are built from them.

Compiling costs more than analysing one case, so a rulebase is compiled
only once it has analysed a few (``HOT``); until then, and for a condition
too deep to compile, the same functions call ``truth`` itself.
tests/test_compiled.py holds both forms to ``truth`` on every partial case
of the fixture rulebase (of the shipped one too, in the slow run), with and
without the values derived facts can still take, and on made-up conditions
of every kind over every three-valued input.

The code generation itself is ``codegen``, imported only when a rulebase is
compiled. The generated source holds no text from a rule file: fact names
and value sets are constants bound to generated names (``_c0``, ``_c1``), so
a rule file can never become code.
"""

from __future__ import annotations

import functools

from spor.rulebase.conditions import facts_read, strict, truth, undecided_facts, unknown_tests
from spor.rulebase.model import Rulebase

HOT = 128  # analyses before a rulebase's conditions are compiled: about what compiling costs in analyses


class PerRule(dict):
    """rule -> what ``make(rule)`` gives, made when first asked: one ``spor run`` asks about few rules."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, rule):
        found = self[rule] = self.make(rule)
        return found


class Conditions:
    """Every rule's condition of one rulebase as functions, by rule.

    ``sure[rule](facts, possible=None)`` is ``truth(rule.when, facts,
    possible) is True``, ``fails[rule](...)`` is ``... is False``,
    ``truth[rule]`` is ``truth`` itself, ``undecided[rule](facts, possible)``
    is ``undecided_facts``; ``plain[rule]`` is ``sure`` of the condition's
    ``strict`` form (None when nothing is left of it); ``reads[rule]`` the
    facts the condition reads; ``order`` is ``chain_order``. Each is made
    when first asked for.
    """

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self.uses = 0
        self.compiled = False
        self.reads = PerRule(lambda rule: tuple(facts_read(rule.when)))
        self.sure = PerRule(lambda rule: walkers(rule.when)["sure"])
        self.fails = PerRule(lambda rule: walkers(rule.when)["fails"])
        self.truth = PerRule(lambda rule: walkers(rule.when)["truth"])
        self.undecided = PerRule(lambda rule: walkers(rule.when)["undecided"])
        self.strict = PerRule(lambda rule: strict(rule.when))  # None when nothing is left
        self.plain = PerRule(lambda rule: None if self.strict[rule] is None else walkers(self.strict[rule])["sure"])

    @functools.cached_property
    def order(self) -> tuple | None:
        return chain_order(self.rulebase)

    def used(self) -> Conditions:
        """Count one analysis; compile the conditions when the rulebase turns out to be used for many."""
        self.uses += 1
        if self.uses == HOT and not self.compiled:
            self.compile()
        return self

    def compile(self) -> None:
        """Replace the walkers by generated code: ``sure`` and ``fails`` of every rule in one go, ``undecided`` of a
        rule when first asked (only rules that can still fire are asked). A rule that cannot be compiled keeps its
        walkers."""
        from spor.inference.codegen import compile_all  # here: a command that analyses few cases never compiles

        self.compiled = True
        rules = self.rulebase.rules
        assuming = [rule for rule in rules if self.strict[rule] is not None and unknown_tests(rule.when)]
        reads_unknown = set(assuming)
        made = compile_all([rule.when for rule in rules] + [self.strict[rule] for rule in assuming])
        for rule, functions in zip(rules, made):
            if functions is not None:
                self.sure[rule], self.fails[rule], self.truth[rule] = functions
                self.undecided[rule] = self._undecided_later(rule)
                if rule not in reads_unknown and self.strict[rule] is not None:
                    self.plain[rule] = functions[0]  # no test of "unknown": the strict form means the same
        for rule, functions in zip(assuming, made[len(rules) :]):
            if functions is not None:
                self.plain[rule] = functions[0]

    def _undecided_later(self, rule):
        """``undecided`` of ``rule``, compiled on its first call."""

        def first(facts: dict, possible: dict | None = None) -> list:
            from spor.inference.codegen import undecided_function

            found = undecided_function(rule.when)
            self.undecided[rule] = found = found or walkers(rule.when)["undecided"]
            return found(facts, possible)

        return first


def chain_order(rulebase: Rulebase) -> tuple | None:
    """The derived facts, each after every derived fact its rules read; None when the rules read round a circle.

    With this order, working out what a derived fact can still become needs
    one pass (``relevance.possible_values``): each fact is worked out from
    facts already final.
    """
    derived = [fact.id for fact in rulebase.facts.values() if fact.derived]
    needs = {
        name: {read for rule in rulebase.rules_for.get(name, ()) for read in facts_read(rule.when)} for name in derived
    }
    order: list = []
    placed: set = set()
    state: dict = {}  # name -> "open" while its inputs are placed

    def place(name) -> bool:
        if name in placed:
            return True
        if state.get(name) == "open":
            return False  # a circle
        state[name] = "open"
        for read in sorted(needs[name] & needs.keys()):
            if not place(read):
                return False
        placed.add(name)
        order.append(name)
        return True

    try:
        if all(place(name) for name in derived):
            return tuple(order)
    except RecursionError:  # a chain too long to follow here: the passes of the general way
        pass
    return None


_CONDITIONS: dict = {}  # id(rulebase) -> its Conditions, made once per rulebase in a process (at most 16 kept)


def conditions(rulebase: Rulebase) -> Conditions:
    """The conditions of ``rulebase`` as functions, counting one use (see ``Conditions.used``)."""
    kept = _CONDITIONS.get(id(rulebase))
    if kept is None or kept.rulebase is not rulebase:
        if len(_CONDITIONS) >= 16:
            _CONDITIONS.pop(next(iter(_CONDITIONS)))
        kept = _CONDITIONS[id(rulebase)] = Conditions(rulebase)
    return kept.used()


def walkers(node) -> dict:
    """The functions of ``node`` (by kind) that ask ``truth``: the interpreted form."""

    def sure(facts: dict, possible: dict | None = None) -> bool:
        return truth(node, facts, possible) is True

    def fails(facts: dict, possible: dict | None = None) -> bool:
        return truth(node, facts, possible) is False

    def three(facts: dict, possible: dict | None = None):
        return truth(node, facts, possible)

    def undecided(facts: dict, possible: dict | None = None) -> list:
        return undecided_facts(node, facts, possible)

    return {"sure": sure, "fails": fails, "truth": three, "undecided": undecided}
