"""The compiled conditions (spor.inference.compiled) answer exactly as conditions.truth, on every case.

The analysis of a case (missing facts, conflicts, assumptions) asks its
questions of functions generated from the conditions once per rulebase.
Here they are held, with the interpreted walkers they replace, to
``truth``, ``undecided_facts`` and the ``strict`` form, in every context the
analysis asks in: the given facts alone, given and derived facts, with the
values derived facts can still take, and with given facts left unanswered.
The heating fixture is checked on every partial case (each input fact given
or unknown), the shipped rulebase on a fixed sample of its 38,880 (all of
them in the slow run), and small hand-made conditions on every assignment of
their facts and every set of possible values, where each node kind meets
each three-valued input.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from spor.inference.codegen import Source, compile_one, undecided_function
from spor.inference.compiled import HOT, Conditions, chain_order, conditions
from spor.inference.evaluate import Evaluator
from spor.inference.relevance import possible_values
from spor.rulebase.conditions import All, Any, In, Known, Not, strict, truth, undecided_facts
from spor.rulebase.model import Fact, Rule, Rulebase, Text, Value


def reference_possible(rulebase, facts, unanswered=frozenset()):
    """``possible_values`` as it is defined: passes over every derived fact with ``truth`` until nothing changes."""
    possible = {f.id: frozenset(f.value_ids()) for f in rulebase.facts.values() if f.derived and f.id not in facts}
    possible.update((name, frozenset()) for name in unanswered)
    changed = True
    while changed:
        changed = False
        for name, values in possible.items():
            now = frozenset(
                rule.value
                for rule in rulebase.rules_for.get(name, ())
                if rule.value in values and truth(rule.when, facts, possible) is not False
            )
            if now != values:
                possible[name] = now
                changed = True
    return possible


def partial_cases(rulebase):
    """Every case of the rulebase's input facts, each fact given one of its values or left unknown."""
    inputs = [f for f in rulebase.facts.values() if not f.derived]
    for values in itertools.product(*[(None, *f.value_ids()) for f in inputs]):
        yield {f.id: v for f, v in zip(inputs, values) if v is not None}


def contexts(rulebase, evaluator, given):
    """The (facts, possible, unanswered) the analysis asks about for one case."""
    result = evaluator.evaluate(given, alternatives=False)
    known = {**result.given, **result.derived}
    yield given, None, None
    yield known, None, None
    yield known, reference_possible(rulebase, known), frozenset()
    unknown = [f.id for f in rulebase.facts.values() if not f.derived and f.id not in given]
    if unknown:  # as missing_facts asks: some given facts left unanswered for good
        unanswered = frozenset(unknown[: len(unknown) // 2 + 1])
        yield known, reference_possible(rulebase, known, unanswered), unanswered


def disagreements(rulebase, cases) -> tuple:
    """(how often truth gave True, False and None; every disagreement) over ``cases``, for both forms."""
    evaluator = Evaluator(rulebase)
    compiled = Conditions(rulebase)
    compiled.compile()
    interpreted = Conditions(rulebase)
    seen: Counter = Counter()
    wrong = []
    for given in cases:
        for facts, possible, unanswered in contexts(rulebase, evaluator, given):
            for rule in rulebase.rules:
                expected = truth(rule.when, facts, possible)
                seen[expected] += 1
                plain = strict(rule.when)
                want = (
                    expected,
                    expected is True,
                    expected is False,
                    undecided_facts(rule.when, facts, possible),
                    None if plain is None else truth(plain, facts) is True,
                )
                for name, form in (("compiled", compiled), ("walkers", interpreted)):
                    got = (
                        form.truth[rule](facts, possible),
                        form.sure[rule](facts, possible),
                        form.fails[rule](facts, possible),
                        form.undecided[rule](facts, possible),
                        None if form.plain[rule] is None else form.plain[rule](facts),
                    )
                    if got != want or got[0] is not expected:
                        wrong.append((name, rule.id, facts, possible, got, want))
            if possible is not None and not wrong:
                for form in (compiled, interpreted):
                    found = possible_values(rulebase, facts, unanswered, form)
                    if found != possible or list(found) != list(possible):
                        wrong.append(("possible_values", facts, found, possible))
    return seen, wrong


def test_heating_every_partial_case(heating_rulebase):
    seen, wrong = disagreements(heating_rulebase, partial_cases(heating_rulebase))
    assert wrong == []
    assert seen[True] and seen[False] and seen[None]  # each of the three values was met, and agreed on


def test_shipped_rulebase_a_sample_of_its_partial_cases(rulebase):
    sample = itertools.islice(partial_cases(rulebase), 0, None, 97)  # 401 of the 38,880, spread over all of them
    seen, wrong = disagreements(rulebase, sample)
    assert wrong == []
    assert seen[True] and seen[False] and seen[None]


@pytest.mark.slow
def test_shipped_rulebase_every_partial_case(rulebase):
    seen, wrong = disagreements(rulebase, partial_cases(rulebase))
    assert wrong == []
    assert sum(seen.values()) > 38_880 * len(rulebase.rules)


A, B, C = "a", "b", "c"
DOMAIN = ("x", "y", "z")


def random_condition(rng: random.Random, depth: int = 0):
    """A condition over facts a, b and c of every node kind, with negation at any depth."""
    kind = rng.choice(("in", "known", "not", "all", "any") if depth < 3 else ("in", "known"))
    if kind == "in":
        return In(rng.choice((A, B, C)), frozenset(rng.sample(DOMAIN, rng.randint(0, 2))))
    if kind == "known":
        return Known(rng.choice((A, B, C)))
    if kind == "not":
        return Not(random_condition(rng, depth + 1))
    items = tuple(random_condition(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    return All(items) if kind == "all" else Any(items)


def assignments():
    """Every assignment of a, b, c (a value or unknown) with every set of values an unknown one can still take
    (none known, empty: stays unknown, one value, all values)."""
    choices = (None, *DOMAIN)
    sets = ("absent", frozenset(), frozenset({"x"}), frozenset(DOMAIN))
    for values in itertools.product(choices, repeat=3):
        facts = {name: v for name, v in zip((A, B, C), values) if v is not None}
        unknown = [name for name in (A, B, C) if name not in facts]
        for chosen in itertools.product(sets, repeat=len(unknown)):
            possible = {name: s for name, s in zip(unknown, chosen) if s != "absent"}
            yield facts, possible
        yield facts, None


def test_made_up_conditions_on_every_assignment():
    rng = random.Random(7)
    nodes = [random_condition(rng) for _ in range(150)]
    nodes += [
        All(()),
        Any(()),
        Not(All(())),
        Not(Any(())),
        Not(Not(Known(A))),
        Any((In(A, frozenset({"x"})), Not(Known(A)))),
    ]
    checked = Counter()
    for node in nodes:
        made = compile_one(node)
        undecided = undecided_function(node)
        assert made is not None and undecided is not None
        sure, fails, three = made
        for facts, possible in assignments():
            expected = truth(node, facts, possible)
            checked[expected] += 1
            assert three(facts, possible) is expected, (node, facts, possible)
            assert sure(facts, possible) is (expected is True)
            assert fails(facts, possible) is (expected is False)
            assert undecided(facts, possible) == undecided_facts(node, facts, possible), (node, facts, possible)
    assert checked[True] and checked[False] and checked[None]


def test_a_condition_too_deep_to_compile_keeps_its_walkers():
    """Python's compiler takes at most 200 nested brackets; the walkers take what the reader lets through."""
    node = In(A, frozenset({"x"}))
    for _ in range(220):
        node = Not(All((node, Known(B))))
    assert compile_one(node) is None and undecided_function(node) is None
    rulebase = tiny_rulebase([rule("deep", node, "d", "x", 0)])
    compiled = Conditions(rulebase)
    compiled.compile()
    only = rulebase.rules[0]
    assert compiled.truth[only]({A: "x", B: "y"}) is truth(node, {A: "x", B: "y"})
    assert compiled.undecided[only]({}, {}) == undecided_facts(node, {}, {})


def test_the_generated_code_holds_no_text_of_a_rule_file():
    value = "x'); __import__('os').system('false'); ('"
    source = Source()
    text = source.sure(In("a_fact", frozenset({value}))) + source.fails(Known("a_fact"))
    assert value not in text and "a_fact" not in text
    sure, _, _ = compile_one(In("a_fact", frozenset({value})))
    assert sure({"a_fact": value}) is True and sure({"a_fact": "y"}) is False


def test_a_rulebase_is_compiled_once_it_has_analysed_many_cases(heating_rulebase):
    fresh = Rulebase(**{name: getattr(heating_rulebase, name) for name in type(heating_rulebase)._record_fields})
    found = conditions(fresh)
    assert not found.compiled
    for _ in range(HOT - 2):
        assert conditions(fresh) is found
    assert not found.compiled
    conditions(fresh)
    assert found.compiled
    assert all(f.__code__.co_filename == "<spor conditions>" for f in found.sure.values())


def fact(name: str, derived: bool = False) -> Fact:
    return Fact(name, "choice", Text(name, name), tuple(Value(v, Text(v, v)) for v in DOMAIN), derived=derived)


def rule(name: str, when, target: str, value: str, index: int) -> Rule:
    return Rule(name, Text(name, name), (), when, target, value, index=index)


def tiny_rulebase(rules: list, derived=("d", "e")) -> Rulebase:
    facts = {name: fact(name) for name in (A, B)} | {name: fact(name, derived=True) for name in derived}
    return Rulebase("tiny", Text("t", "t"), "", {}, {}, facts, rules, {})


def test_rules_that_read_round_a_circle_take_the_passes():
    """Derived facts d and e read each other: no order exists, and possible_values takes the passes."""
    circle = tiny_rulebase(
        [
            rule("d-from-e", All((In("e", frozenset({"x"})), In(A, frozenset({"x"})))), "d", "x", 0),
            rule("e-from-d", Any((In("d", frozenset({"x"})), In(B, frozenset({"y"})))), "e", "x", 1),
            rule("e-plain", In(A, frozenset({"z"})), "e", "y", 2),
        ]
    )
    assert chain_order(circle) is None
    chained = tiny_rulebase(
        [rule("d", In(A, frozenset({"x"})), "d", "x", 0), rule("e", In("d", frozenset({"x"})), "e", "y", 1)]
    )
    assert chain_order(chained) == ("d", "e")
    for rulebase in (circle, chained):
        compiled = Conditions(rulebase)
        compiled.compile()
        for facts, _ in assignments():
            facts = {k: v for k, v in facts.items() if k in (A, B)}
            assert possible_values(rulebase, facts, compiled=compiled) == reference_possible(rulebase, facts)
