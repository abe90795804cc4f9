"""Conditions compile to durable-rules' declarative operators, with negation pushed down."""

from __future__ import annotations

from spor.inference.compiler import compile_rulebase, expression
from spor.rulebase.conditions import All, Any, In, Known, Not


def test_equality_and_one_of():
    assert expression(In("a", frozenset({"x"}))) == {"a": "x"}
    assert expression(In("a", frozenset({"y", "x"}))) == {"$mt": {"a": "x|y"}}


def test_long_value_lists_are_cut_into_regexes_the_engine_takes():
    from spor.inference.compiler import MAX_REGEX

    values = frozenset(f"value_{i:03d}_" + "x" * 50 for i in range(200))
    parts = expression(In("a", values))["$or"]
    assert 1 < len(parts) <= 5
    assert all(len(p["$mt"]["a"]) <= MAX_REGEX for p in parts)
    assert sorted(v for p in parts for v in p["$mt"]["a"].split("|")) == sorted(values)


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


def test_every_rule_is_guarded_by_its_unknown_target(heating_rulebase):
    rulebase = heating_rulebase
    definition = compile_rulebase(rulebase)
    assert len(definition) == len(rulebase.rules)
    for rule in rulebase.rules:
        body = definition[f"r{rule.index}"]
        key = "_outcome" if rule.target == "outcome" else rule.target
        assert body["all"][0]["m"]["$and"][:2] == [{"_case": 1}, {"$nex": {key: 1}}]
        assert "run" not in body  # actions are bound by the session, never named in data


def _generated(folder, rules, facts=3, values=200):
    """A rulebase of ``facts`` facts with ``values`` values each, one outcome, and ``rules`` (list of when-texts)."""
    lines = [
        "rulebase:",
        "  id: wide",
        "  title: {nb: w, en: w}",
        "  source: test",
        "  sections: {'§1': {nb: a, en: a}}",
        "  sides: {someone: {nb: a, en: a}}",
        "facts:",
    ]
    for f in range(facts):
        lines += [
            f"  - id: f{f}",
            "    type: choice",
            "    label: {nb: x, en: x}",
            "    question: {nb: x, en: x}",
            "    values:",
        ]
        lines += [f"      - {{id: v{v}, label: {{nb: v{v}, en: v{v}}}}}" for v in range(values)]
    lines += [
        "outcomes:",
        "  - {id: hit, side: someone, cites: ['§1'], verdict: {nb: a, en: a},",
        "     steps: {nb: [a], en: [a]}, reply: {nb: a, en: a}}",
        "rules:",
    ]
    for i, when in enumerate(rules):
        lines += [
            f"  - id: r{i}",
            "    title: {nb: a, en: a}",
            "    cites: ['§1']",
            f"    when: {when}",
            "    then: {outcome: hit}",
        ]
    folder.mkdir()
    (folder / "wide.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _run(folder, facts, tmp_path):
    import subprocess

    from .conftest import ROOT, spor_command

    case = tmp_path / "c.yaml"
    case.write_text(f"facts: {facts}\n", encoding="utf-8")
    return subprocess.run(
        spor_command("run", "--rules", str(folder), "--format", "json", "--lang", "en", str(case)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_wide_conditions_compile_to_a_network_the_engine_takes(tmp_path):
    # `any` over three facts of 200 values: as equalities, 600 siblings would hang durable-rules
    from spor.api import load
    from spor.inference.compiler import MAX_SIBLINGS
    from spor.inference.network import fan_out

    values = ", ".join(f"v{v}" for v in range(200))
    folder = _generated(tmp_path / "wide", ["{any: [" + ", ".join(f"{{f{f}: [{values}]}}" for f in range(3)) + "]}"])
    width, _ = fan_out(load(folder).rulebase.rules)
    assert width <= MAX_SIBLINGS
    proc = _run(folder, "{f2: v199}", tmp_path)
    assert proc.returncode == 0 and '"outcome": "hit"' in proc.stdout


def test_many_rules_starting_apart_are_refused_before_the_engine_hangs(tmp_path):
    folder = _generated(tmp_path / "apart", [f"{{f{i % 3}: v{i // 3}}}" for i in range(600)])
    proc = _run(folder, "{f0: v1}", tmp_path)
    assert proc.returncode == 2
    assert "start with 600 different tests side by side" in proc.stderr and "at most 500" in proc.stderr


def test_many_rules_sharing_a_first_test_are_fine(tmp_path):
    folder = _generated(tmp_path / "shared", [f"{{all: [{{f0: v{i % 2}}}, {{f1: v{i // 2}}}]}}" for i in range(400)])
    proc = _run(folder, "{f0: v1, f1: v199}", tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_rule_of_only_unknown_tests_runs_and_ends(tmp_path):
    # durable-rules re-fires a rule made only of $nex tests for ever; spor's rules always test _case first
    folder = _generated(tmp_path / "unknown", ["{f0: {known: false}}", "{f0: v1}"])
    proc = _run(folder, "{}", tmp_path)
    assert proc.returncode == 0 and '"outcome": "hit"' in proc.stdout


def test_lower_priority_fires_first_also_below_zero(tmp_path):
    from spor.api import load
    from spor.inference.evaluate import Evaluator

    folder = _generated(tmp_path / "pri", ["{f0: v1}", "{f0: [v1, v2]}"])
    path = folder / "wide.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    when: {f0: [v1, v2]}\n    then: {outcome: hit}",
        "    when: {f0: [v1, v2]}\n    then: {outcome: other}\n    priority: -1",
    )
    text = text.replace(
        "outcomes:\n",
        "outcomes:\n  - {id: other, side: someone, cites: ['§1'], verdict: {nb: b, en: b},\n"
        "     steps: {nb: [b], en: [b]}, reply: {nb: b, en: b}}\n",
    )
    path.write_text(text, encoding="utf-8")
    evaluator = Evaluator(load(folder).rulebase)
    assert evaluator.evaluate({"f0": "v1"}).outcome.id == "other"  # priority -1 before 0


def _side_by_side(folder, count):
    """``count`` derived facts, each concluded from the same given fact, then an outcome from the first."""
    lines = [
        "rulebase:",
        "  id: wide",
        "  title: {nb: a, en: a}",
        "  source: test",
        "  sections: {'§1': {nb: a, en: a}}",
        "  sides: {someone: {nb: a, en: a}}",
        "facts:",
        "  - {id: g, type: yesno, label: {nb: g, en: g}, question: {nb: q, en: q}}",
    ]
    lines += [f"  - {{id: d{i}, type: yesno, derived: true, label: {{nb: d, en: d}}}}" for i in range(count)]
    lines += [
        "outcomes:",
        "  - {id: hit, side: someone, cites: ['§1'], verdict: {nb: a, en: a}, steps: {nb: [a], en: [a]},"
        " reply: {nb: a, en: a}}",
        "rules:",
    ]
    for i in range(count):
        for value in ("yes", "no"):
            lines += [
                f"  - {{id: r{i}-{value}, title: {{nb: a, en: a}}, cites: ['§1'], when: {{g: {value}}}, "
                f"then: {{d{i}: {value}}}}}"
            ]
    lines += ["  - {id: out, title: {nb: a, en: a}, cites: ['§1'], when: {d0: yes}, then: {outcome: hit}}"]
    folder.mkdir()
    (folder / "wide.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_more_derived_facts_side_by_side_than_the_engine_can_match_are_refused(tmp_path):
    # every rule also tests that its fact is still unknown: 70 such tests pass at once, and
    # durable-rules fails such a case with error 303 (a stack of 64 pending tests)
    proc = _run(_side_by_side(tmp_path / "seventy", 70), "{g: yes}", tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "a case can pass up to 71 tests" in proc.stderr and "at most 64 pending" in proc.stderr


def test_derived_facts_side_by_side_under_the_limit_run(tmp_path):
    from spor.api import load
    from spor.inference.network import MAX_PENDING, deepest

    folder = _side_by_side(tmp_path / "fifty", 55)
    assert deepest(load(folder).rulebase.rules)[0] <= MAX_PENDING
    for facts in ("{g: yes}", "{g: no}", "{}"):
        proc = _run(folder, facts, tmp_path)
        assert proc.returncode in (0, 1) and "engine" not in proc.stderr, proc.stderr


def test_an_any_shared_by_many_rules_counts_once_per_rule(tmp_path):
    # durable-rules joins each rule's $or in a node of its own that every case passes: 70 rules
    # `all: [any: [a, b], c: v_i]` leave 70 of them pending under the shared `a = yes` (error 303 on
    # every case with a or b), though their `c` tests exclude each other
    from spor.api import load
    from spor.inference.network import deepest

    def rules(count, folder):
        return _generated(folder, ["{all: [{any: [{f0: v1}, {f1: v1}]}, " + f"{{f2: v{i}}}]}}" for i in range(count)])

    proc = _run(rules(70, tmp_path / "seventy"), "{f0: v1, f2: v3}", tmp_path)
    assert proc.returncode == 2 and "at most 64 pending" in proc.stderr and "'any'" in proc.stderr
    fewer = rules(60, tmp_path / "sixty")
    assert deepest(load(fewer).rulebase.rules)[0] <= 64
    proc = _run(fewer, "{f0: v1, f1: v1, f2: v3}", tmp_path)
    assert proc.returncode == 0 and '"outcome": "hit"' in proc.stdout, proc.stderr
