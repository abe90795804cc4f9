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

The generated source holds no text from a rule file: fact names and value
sets are constants bound to generated names (``_c0``, ``_c1``), so a rule
file can never become code.
"""

from __future__ import annotations

import functools

from spor.rulebase.conditions import All, In, Known, Not, facts_read, strict, truth, undecided_facts, unknown_tests
from spor.rulebase.conditions import Any as AnyOf
from spor.rulebase.model import Rulebase

HOT = 128  # analyses before a rulebase's conditions are compiled: about what compiling costs in analyses
_NOTHING: dict = {}  # no possible values known: ``truth`` reads ``possible=None`` and ``{}`` alike


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


class Source:
    """Generated code and the constants it names: fact ids and value sets, never spliced into the text."""

    def __init__(self):
        self.names: dict = {}
        self.scope: dict = {"_NOTHING": _NOTHING}

    def const(self, value) -> str:
        name = self.names.get(value)
        if name is None:
            name = self.names[value] = f"_c{len(self.names)}"
            self.scope[name] = value
        return name

    def sure(self, node, negated: bool = False) -> str:
        """A boolean expression over ``facts`` and ``possible``: ``truth(node, ..., negated) is True``."""
        if isinstance(node, Not):
            return self.sure(node.item, not negated)
        if isinstance(node, (All, AnyOf)):
            conjunction = isinstance(node, All) != negated  # surely true: every item (or one item) is
            return self.join(" and " if conjunction else " or ", [self.sure(i, negated) for i in node.items])
        fact = self.const(node.fact)
        if isinstance(node, Known):  # negated: "unknown", surely true only of a fact that will stay unknown
            if negated:
                return f"({fact} not in facts and (c := possible.get({fact})) is not None and not c)"
            return f"({fact} in facts)"
        values = self.const(node.values)
        return f"({fact} in facts and facts[{fact}] {'not in' if negated else 'in'} {values})"

    def fails(self, node, negated: bool = False) -> str:
        """A boolean expression over ``facts`` and ``possible``: ``truth(node, ..., negated) is False``."""
        if isinstance(node, Not):
            return self.fails(node.item, not negated)
        if isinstance(node, (All, AnyOf)):
            conjunction = isinstance(node, All) != negated  # surely false: one item (or every item) is
            return self.join(" or " if conjunction else " and ", [self.fails(i, negated) for i in node.items])
        fact = self.const(node.fact)
        if isinstance(node, Known):
            if negated:
                return f"({fact} in facts)"
            return f"({fact} not in facts and (c := possible.get({fact})) is not None and not c)"
        values = self.const(node.values)
        possible = f"(c := possible.get({fact})) is not None and "  # the values it can still take, when known
        if negated:  # a known value in the set, or no possible value outside it
            return f"(facts[{fact}] in {values} if {fact} in facts else {possible}c <= {values})"
        return f"(facts[{fact}] not in {values} if {fact} in facts else {possible}c.isdisjoint({values}))"

    @staticmethod
    def join(operator: str, parts: list) -> str:
        if not parts:  # an empty "and" is true, an empty "or" false
            return "True" if operator == " and " else "False"
        return parts[0] if len(parts) == 1 else "(" + operator.join(parts) + ")"

    def undecided(self, node, lines: list) -> None:
        """Statements appending to ``out`` what ``conditions.undecided_facts`` lists for ``node``.

        That function asks ``truth`` of every node it passes, each without
        negation (under a ``not`` too); here each value needed is worked out
        once, leaves first, into a local (``sN``: surely true, ``fN``: surely
        false), and the walk reads them: linear in the size of the condition.
        """
        values: dict = {}  # (id(node), negated) -> (its sN, its fN)

        def value(item, negated: bool) -> tuple:
            if isinstance(item, Not):
                return value(item.item, not negated)
            known = values.get((id(item), negated))
            if known is not None:
                return known
            if isinstance(item, (All, AnyOf)):
                parts = [value(i, negated) for i in item.items]
                conjunction = isinstance(item, All) != negated
                sure = self.join(" and " if conjunction else " or ", [p[0] for p in parts])
                fails = self.join(" or " if conjunction else " and ", [p[1] for p in parts])
            else:
                sure, fails = self.sure(item, negated), self.fails(item, negated)
            names = values[(id(item), negated)] = (f"s{len(values)}", f"f{len(values)}")
            lines.append(f" {names[0]} = {sure}")
            lines.append(f" {names[1]} = {fails}")
            return names

        walk: list = []

        def visit(item, indent: str) -> None:
            sure, fails = value(item, False)
            walk.append(f"{indent}if not {sure} and not {fails}:")
            inner = indent + " "
            if isinstance(item, (In, Known)):
                fact = self.const(item.fact)
                walk.append(f"{inner}if {fact} not in out: out.append({fact})")
            elif isinstance(item, Not):
                visit(item.item, inner)
            elif item.items:
                for each in item.items:
                    visit(each, inner)
            else:
                walk.append(f"{inner}pass")

        visit(node, " ")
        lines.append(" out = []")
        lines.extend(walk)

    def functions(self, node, number: int) -> list:
        """The source of ``sure_N`` and ``fails_N`` for ``node``."""
        start = " if possible is None: possible = _NOTHING"
        return [
            f"def sure_{number}(facts, possible=None):",
            start,
            f" return {self.sure(node)}",
            f"def fails_{number}(facts, possible=None):",
            start,
            f" return {self.fails(node)}",
        ]


def three_valued(sure, fails):
    """``truth`` from the two questions: True when surely true, False when surely false, else None."""

    def truth(facts: dict, possible: dict | None = None):
        return True if sure(facts, possible) else False if fails(facts, possible) else None

    return truth


def compile_all(nodes: list) -> list:
    """For each condition, its (sure, fails, truth) functions, or None where it cannot be compiled."""
    source = Source()
    lines: list = []
    numbers: list[int | None] = []
    for number, node in enumerate(nodes):
        try:
            lines += source.functions(node, number)
        except RecursionError:  # too deep to write out: this one keeps its walkers
            numbers.append(None)
            continue
        numbers.append(number)
    if not _run(lines, source.scope):  # one condition too large for Python's compiler: each on its own
        return [compile_one(node) if number is not None else None for node, number in zip(nodes, numbers)]
    return [None if number is None else _made(source.scope, number) for number in numbers]


def compile_one(node) -> tuple | None:
    """(sure, fails, truth) of one condition, or None when it cannot be compiled."""
    source = Source()
    try:
        lines = source.functions(node, 0)
    except RecursionError:
        return None
    return _made(source.scope, 0) if _run(lines, source.scope) else None


def undecided_function(node):
    """``undecided_facts(node, facts, possible)`` as generated code, or None when it cannot be compiled."""
    source = Source()
    lines = ["def undecided_0(facts, possible=None):", " if possible is None: possible = _NOTHING"]
    try:
        source.undecided(node, lines)
    except RecursionError:
        return None
    lines.append(" return out")
    return source.scope["undecided_0"] if _run(lines, source.scope) else None


def _made(scope: dict, number: int) -> tuple:
    sure, fails = scope[f"sure_{number}"], scope[f"fails_{number}"]
    return sure, fails, three_valued(sure, fails)


def _run(lines: list, scope: dict) -> bool:
    try:
        code = compile("\n".join(lines), "<spor conditions>", "exec")
        exec(code, scope)  # noqa: S102 - generated from the conditions' shape; their data are constants
    except (RecursionError, MemoryError, SyntaxError, ValueError):  # too deep or too large for Python's compiler
        return False
    return True
