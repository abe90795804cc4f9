"""The code generation behind ``compiled``: a condition tree as Python source, compiled once per rulebase.

Imported only when a rulebase is compiled (after ``compiled.HOT`` analyses): one
``spor run`` never needs it. The generated source holds no text from a rule
file: fact names and value sets are constants bound to generated names
(``_c0``, ``_c1``), so a rule file can never become code.
"""

from __future__ import annotations

from spor.rulebase.conditions import All, In, Known, Not
from spor.rulebase.conditions import Any as AnyOf

_NOTHING: dict = {}  # no possible values known: ``truth`` reads ``possible=None`` and ``{}`` alike


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
