"""Conditions compile to durable-rules' declarative operators, with negation pushed down."""
from __future__ import annotations

from engine.compiler import compile_rulebase, expression
from engine.conditions import All, Any, In, Known, Not


def test_equality_and_one_of():
    assert expression(In("a", frozenset({"x"}))) == {"a": "x"}
    assert expression(In("a", frozenset({"y", "x"}))) == {"$or": [{"a": "x"}, {"a": "y"}]}


def test_negated_test_requires_the_fact_to_be_known():
    assert expression(Not(In("a", frozenset({"x", "y"})))) == {
        "$and": [{"$ex": {"a": 1}}, {"$neq": {"a": "x"}}, {"$neq": {"a": "y"}}]
    }
    assert expression(Known("a")) == {"$ex": {"a": 1}}
    assert expression(Not(Known("a"))) == {"$nex": {"a": 1}}


def test_de_morgan_and_flattening():
    node = Not(All((In("a", frozenset({"x"})), Any((In("b", frozenset({"y"})), Known("c"))))))
    assert expression(node) == {
        "$or": [
            {"$and": [{"$ex": {"a": 1}}, {"$neq": {"a": "x"}}]},
            {"$and": [{"$ex": {"b": 1}}, {"$neq": {"b": "y"}}, {"$nex": {"c": 1}}]},
        ]
    }
    assert expression(Not(Not(In("a", frozenset({"x"}))))) == {"a": "x"}


def test_every_rule_is_guarded_by_its_unknown_target(rulebase):
    definition = compile_rulebase(rulebase)
    assert len(definition) == len(rulebase.rules)
    for rule in rulebase.rules:
        body = definition[f"r{rule.index}"]
        key = "_outcome" if rule.target == "outcome" else rule.target
        assert body["all"][0]["m"]["$and"][0] == {"$nex": {key: 1}}
        assert "run" not in body  # actions are bound by the session, never named in data
