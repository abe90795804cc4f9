"""spor beside a peer: the ZEN engine (the public ``zen-engine`` package) deciding the same cases.

The shipped rulebase's decision (every derived fact and the outcome) is
written as a JSON decision model: one expression node per derived fact, in
the order the rules chain (``inference.compiled.chain_order``), each value
the first of its rules whose condition holds (by priority, then as written),
a value the case gives kept as given. Conditions keep spor's reading of
an unknown fact: ``x: v`` and ``x: {not: v}`` are false while ``x`` is
unknown, ``{known: false}`` is true. Warning rules decide nothing and are
left out. Every case timed is decided by both, and the derived facts and the
outcome are compared: the agreement count is printed, and a disagreement is
shown (the peer is only a fair one while it agrees).

Timed per case, CPU time of this process, over the distinct combinations of
a generated set:

* ZEN: ``ZenEngine.evaluate(key, facts)``, the decision loaded once by a
  static loader (Rust, through its Python binding). This is ZEN's fastest
  way here: a ``ZenDecision`` made by ``create_decision`` costs 150 us or
  more a call even for an empty model (zen-engine 2.1.3), which would be
  unfair to the peer; that figure is printed too;
* spor engine: ``Session.fire`` (durable-rules and spor's wrapper round it);
* spor decision: ``Evaluator.evaluate``: the engine, then the analysis ZEN
  does not do (missing facts and the next question, warnings, conflicts,
  assumptions and what other answers lead to).

``zen-engine`` is optional: ``pip install '.[peer]'`` (or ``pip install zen-engine``); without it this
prints how to get it and stops.

    python bench/zen_peer.py [--cases 5000] [--passes 3] [--dump model.json] [--all]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import header  # noqa: E402
from gen_cases import generate  # noqa: E402
from spor.api import load_cached  # noqa: E402
from spor.inference.compiled import chain_order  # noqa: E402
from spor.rulebase.conditions import All, Any, Known, Not  # noqa: E402
from spor.rulebase.model import OUTCOME, WARNING  # noqa: E402

ZEN_WORDS = {"and", "or", "not", "in", "true", "false", "null"}
KEY = "spor.json"  # the decision's name for ZEN's loader


def condition(node, negated: bool = False) -> str:
    """A ZEN expression for a spor condition, negation pushed down to the tests as spor's compiler does."""
    if isinstance(node, Not):
        return condition(node.item, not negated)
    if isinstance(node, (All, Any)):
        conjunction = isinstance(node, All) != negated
        parts = [condition(item, negated) for item in node.items]
        if not parts:
            return "true" if conjunction else "false"
        return "(" + (" and " if conjunction else " or ").join(parts) + ")"
    name = node.fact
    assert name.isidentifier() and name not in ZEN_WORDS, f"fact {name!r} is not a plain ZEN name"
    if isinstance(node, Known):
        return f"({name} == null)" if negated else f"({name} != null)"
    values = sorted(node.values)
    test = f"{name} == {json.dumps(values[0])}" if len(values) == 1 else f"{name} in {json.dumps(values)}"
    return f"({name} != null and not ({test}))" if negated else f"({test})"


def decision_model(rulebase) -> dict:
    """The rulebase's derived facts and outcome as a JSON decision model (JDM)."""
    order = chain_order(rulebase)
    assert order is not None, "the rules read round a circle: no chain order to write as nodes"
    steps = [name for name in order if rulebase.rules_for.get(name)] + [OUTCOME]
    nodes: list = [{"id": "request", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}}]
    for number, target in enumerate(steps):
        rules = sorted(rulebase.rules_for.get(target, ()), key=lambda r: (r.priority, r.index))
        value = "null"
        for rule in reversed(rules):  # the first rule that holds gives the value
            value = f"{condition(rule.when)} ? {json.dumps(rule.value)} : ({value})"
        if target != OUTCOME:
            value = f"{target} != null ? {target} : ({value})"  # a derived fact the case gives is kept
        nodes.append(
            {
                "id": f"step{number}",
                "type": "expressionNode",
                "name": target,
                "position": {"x": 200 * (number + 1), "y": 0},
                "content": {
                    "expressions": [{"id": f"set{number}", "key": target, "value": value}],
                    "passThrough": True,
                },
            }
        )
    nodes.append({"id": "response", "type": "outputNode", "name": "response", "position": {"x": 0, "y": 100}})
    ids = [node["id"] for node in nodes]
    edges = [
        {"id": f"edge{i}", "type": "edge", "sourceId": a, "targetId": b} for i, (a, b) in enumerate(zip(ids, ids[1:]))
    ]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def distinct_cases(rulebase, count: int) -> list:
    """``count`` distinct valid combinations of facts of the generated kind (ids only, as spor's facts are)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(Path(tmp) / "cases.jsonl", count * 4, seed=11)
        seen: dict = {}
        for line in open(path, encoding="utf-8"):
            facts = json.loads(line)["facts"]
            if all(value in rulebase.facts[name].value_ids() for name, value in facts.items()):
                seen.setdefault(tuple(sorted(facts.items())), facts)
    return list(seen.values())[:count]


def every_case(rulebase) -> list:
    """Every case of the rulebase's input facts: each given one of its values, or unknown (38,880 for the shipped)."""
    inputs = [f for f in rulebase.facts.values() if not f.derived]
    return [
        {f.id: v for f, v in zip(inputs, values) if v is not None}
        for values in itertools.product(*[(None, *f.value_ids()) for f in inputs])
    ]


def per_case(run, cases: list, passes: int) -> float:
    """Median CPU microseconds per case of ``run`` over the cases, of ``passes`` passes."""
    times = []
    for _ in range(passes):
        start = time.process_time()
        for facts in cases:
            run(facts)
        times.append((time.process_time() - start) / len(cases) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000, help="distinct combinations of facts decided")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write the decision model here")
    parser.add_argument("--all", action="store_true", help="every case of the input facts (given or unknown)")
    args = parser.parse_args()
    header("spor beside the ZEN engine, the shipped rulebase's decision")
    try:
        import zen
    except ImportError:
        print("skipped: the ZEN engine is not installed (pip install '.[peer]'): nothing to compare with")
        return
    from spor.inference.evaluate import Evaluator

    rulebase = load_cached().rulebase
    model = decision_model(rulebase)
    if args.dump:
        args.dump.write_text(json.dumps(model, indent=2, ensure_ascii=False), encoding="utf-8")
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {KEY: model}}})
    decision = zen.ZenEngine().create_decision(json.dumps(model))
    evaluator = Evaluator(rulebase)
    cases = every_case(rulebase) if args.all else distinct_cases(rulebase, args.cases)
    derived = [f.id for f in rulebase.facts.values() if f.derived and f.id != WARNING]
    agree, shown = 0, 0
    for facts in cases:
        ours = evaluator.evaluate(facts, alternatives=False)
        theirs = engine.evaluate(KEY, dict(facts))["result"]
        mine = {name: ours.facts.get(name) for name in derived}, ours.outcome.id if ours.outcome else None
        peer = {name: theirs.get(name) for name in derived}, theirs.get(OUTCOME)
        if mine == peer:
            agree += 1
        elif shown < 3:
            shown += 1
            print(f"disagree on {facts}: spor {mine}, ZEN {peer}")
    ordered = [{name: facts[name] for name in rulebase.facts if name in facts} for facts in cases]
    session = evaluator.session
    zen_us = per_case(lambda facts: engine.evaluate(KEY, facts), cases, args.passes)
    made_us = per_case(decision.evaluate, cases, 1)
    engine_us = per_case(session.fire, ordered, args.passes)
    # each pass with a fresh Evaluator, as a batch starts: what other answers lead to is not known yet (the
    # rulebase's compiled conditions are, made while checking agreement above)
    spor_us = statistics.median(per_case(Evaluator(rulebase).evaluate, cases, 1) for _ in range(args.passes))
    kind = "every case of the input facts" if args.all else "distinct combinations of a generated set"
    print(f"cases: {len(cases):,}, {kind}; ZEN agrees with spor on {agree:,} of {len(cases):,}")
    print(f"ZEN engine.evaluate (loaded by key): {zen_us:7.1f} us a case")
    print(f"ZEN ZenDecision.evaluate:            {made_us:7.1f} us a case (not used for the ratios)")
    print(f"spor engine (Session.fire):          {engine_us:7.1f} us a case, {engine_us / zen_us:.2f}x ZEN")
    print(
        f"spor decision (Evaluator.evaluate):  {spor_us:7.1f} us a case, {spor_us / zen_us:.2f}x ZEN "
        "(the engine, and the analysis ZEN does not do)"
    )


if __name__ == "__main__":
    main()
