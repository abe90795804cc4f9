"""spor check's analysis stays bounded: a budget of work units, value lists merged before boxes split,
and rules paired only where they can overlap.

The budget is lowered through ``verify(..., budget=N)`` (and ``spor check
--budget N``) on generated rulebases small enough to run in milliseconds:
the point where the analysis stops is counted in work units, not timed, so
these tests give the same answer on any machine. How fast the wide and
large rulebases of issue 14 are checked is measured by
``bench/check.py --wide`` and ``--table``.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil

import pytest
from click.testing import CliRunner

from spor.analysis.verify import CHECK_BUDGET, Verifier, verify
from spor.api import load
from spor.cli import cli
from spor.rulebase.boxes import ABSENT, Budget, Neighbours, OverBudget, boxes, meets, merge
from spor.rulebase.conditions import All, Any, In

from .conftest import HEATING

HEAD = """\
rulebase:
  id: generated
  title: {nb: generert, en: generated}
  source: tests/test_check_budget.py
  sections: {'§1': {nb: a, en: a}}
  sides: {someone: {nb: a, en: a}}
outcomes:
  - {id: o0, side: someone, cites: ['§1'], verdict: {nb: a, en: a}, steps: {nb: [a], en: [a]}, reply: {nb: a, en: a}}
  - {id: o1, side: someone, cites: ['§1'], verdict: {nb: a, en: a}, steps: {nb: [a], en: [a]}, reply: {nb: a, en: a}}
"""


def _rule(n: int, when: str, then: str) -> str:
    return f"  - {{id: r{n}, title: {{nb: r, en: r}}, cites: ['§1'], when: {when}, then: {then}}}"


def _choice(name: str, values: list) -> list:
    out = [
        f"  - id: {name}",
        "    type: choice",
        f"    label: {{nb: {name}, en: {name}}}",
        "    question: {nb: q, en: q}",
    ]
    return out + ["    values:"] + [f"      - {{id: {v}, label: {{nb: {v}, en: {v}}}}}" for v in values]


def deep(folder, pairs: int = 6):
    """Two rules over 2 * pairs yes/no facts, each ``all`` of ``pairs`` ``any``s of two facts: 2**pairs boxes a
    rule, that no merging makes fewer (the shape that took 31 s at 14 pairs)."""
    lines = [HEAD, "facts:"]
    for f in range(2 * pairs):
        lines += [
            f"  - id: f{f}",
            "    type: yesno",
            f"    label: {{nb: f{f}, en: f{f}}}",
            "    question: {nb: q, en: q}",
        ]
    lines.append("rules:")
    for r, value in enumerate(("yes", "no")):
        anys = ", ".join(f"{{any: [{{f{2 * i}: {value}}}, {{f{2 * i + 1}: {value}}}]}}" for i in range(pairs))
        lines.append(_rule(r, f"{{all: [{anys}]}}", f"{{outcome: o{r}}}"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def wide(folder, rules: int = 10, width: int = 100):
    """Issue 14's rulebase: each rule ``all: [any of width a-values, any of width b-values]``, overlapping."""
    size = width + 10 * rules
    lines = [HEAD, "facts:"]
    for name in ("a", "b"):
        lines += _choice(name, [f"{name}{v}" for v in range(size)])
    lines.append("rules:")
    for r in range(rules):
        anys = ", ".join(
            "{any: [" + ", ".join(f"{{{n}: {n}{10 * r + v}}}" for v in range(width)) + "]}" for n in ("a", "b")
        )
        lines.append(_rule(r, f"{{all: [{anys}]}}", f"{{outcome: o{r % 2}}}"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def not_analysed(report) -> list:
    return [f for f in report.findings if f.code == "not_analysed"]


# -- the budget ---------------------------------------------------------------------------------------------------


def test_a_decision_past_the_budget_is_reported_with_its_rules(tmp_path):
    rb = load(deep(tmp_path / "deep")).rulebase
    full = Verifier(rb)
    whole = full.run()
    assert whole.errors and not not_analysed(whole)  # within the default budget: analysed in full
    budget = full.budget.spent // 4  # a quarter of what the whole analysis needs
    report = verify(rb, budget=budget)
    (stopped,) = not_analysed(report)
    assert stopped.severity == "error" and stopped.decision == "outcome"
    assert stopped.rules == ("r0", "r1") and "'r0', 'r1'" in stopped.message
    assert "was not fully analysed" in stopped.message and f"{budget:,} work units" in stopped.message
    assert stopped.file.endswith("rules.yaml") and stopped.line is not None
    # findings made before the budget ran out are kept; each is one of the full analysis's
    full_findings = {(f.code, f.message) for f in verify(rb).findings}
    assert {(f.code, f.message) for f in report.findings if f.code != "not_analysed"} <= full_findings


def test_the_budget_stops_at_the_same_point_every_run(tmp_path):
    rb = load(deep(tmp_path / "deep")).rulebase
    runs = [[f.as_dict() for f in verify(rb, budget=300).findings] for _ in range(3)]
    assert runs[0] == runs[1] == runs[2] and any(f["code"] == "not_analysed" for f in runs[0])


def test_each_decision_gets_half_of_what_is_left_and_the_rest_are_named(heating_rulebase):
    report = verify(heating_rulebase, budget=1)
    stopped = not_analysed(report)
    assert {f.decision for f in stopped} == set(heating_rulebase.rules_for)  # every decision, each once
    first, *rest = [f for target in heating_rulebase.rules_for for f in stopped if f.decision == target]
    assert "was not fully analysed" in first.message  # it started, and ran out
    assert rest and all("was spent before it" in f.message for f in rest)
    for f in stopped:
        assert f.rules == tuple(r.id for r in heating_rulebase.rules_for[f.decision])


def test_a_small_decision_after_a_huge_one_is_still_analysed(tmp_path):
    # the huge one (the outcome) may spend half the budget; the small one after it (size_class), with a gap
    # where size is s1, is analysed in full
    folder = deep(tmp_path / "deep", pairs=8)
    path = folder / "rules.yaml"
    derived = ["  - id: size_class", "    type: choice", "    derived: true", "    label: {nb: s, en: s}"]
    derived += [
        "    values:",
        "      - {id: small, label: {nb: s, en: s}}",
        "      - {id: large, label: {nb: l, en: l}}",
    ]
    text = path.read_text(encoding="utf-8").replace(
        "facts:\n", "facts:\n" + "\n".join(_choice("size", ["s0", "s1"]) + derived) + "\n", 1
    )
    path.write_text(text + _rule(9, "{size: s0}", "{size_class: small}") + "\n", encoding="utf-8")
    rb = load(folder).rulebase
    assert list(rb.rules_for) == ["outcome", "size_class"]
    report = verify(rb, budget=20_000)
    assert [f.decision for f in not_analysed(report)] == ["outcome"]
    (gap,) = [f for f in report.errors if f.decision == "size_class"]
    assert gap.code == "gap" and gap.example == {"size": "s1"}


def test_the_time_limit_is_a_safety_net_behind_the_units(tmp_path):
    rb = load(deep(tmp_path / "deep")).rulebase
    report = verify(rb, budget=CHECK_BUDGET, seconds=0)  # the clock is read every few thousand units
    (stopped,) = not_analysed(report)
    assert "time limit of 0 s" in stopped.message


def test_a_condition_of_too_many_boxes_is_too_complex_not_wrong(tmp_path, monkeypatch):
    import spor.rulebase.boxes as boxes_module

    rb = load(deep(tmp_path / "deep")).rulebase  # 64 boxes a rule
    monkeypatch.setattr(boxes_module, "MAX_BOXES", 10)
    report = verify(rb)
    assert [(f.code, f.severity, f.decision) for f in report.findings] == [("too_complex", "warning", "outcome")]


def test_budget_counts_and_caps():
    budget = Budget(10)
    budget.cap(3)
    budget.spend(3)
    with pytest.raises(OverBudget):
        budget.spend()
    budget.cap(100)  # never past the whole
    assert budget.limit == 10 and budget.left == 6


def test_check_exits_1_and_prints_a_note_naming_what_was_not_analysed(tmp_path):
    folder = deep(tmp_path / "deep")
    result = CliRunner().invoke(cli, ["check", "--rules", str(folder), "--budget", "300", "--lang", "en"])
    assert result.exit_code == 1
    assert "error[not_analysed]: decision 'outcome' was not fully analysed" in result.output
    assert (
        "note: the check stopped at its budget: 1 decision(s) not fully analysed: outcome (2 rules)." in result.output
    )
    assert "--budget" in result.output.splitlines()[-1]
    data = json.loads(
        CliRunner().invoke(cli, ["check", "--rules", str(folder), "--budget", "300", "--format", "json"]).output
    )
    assert data["ok"] is False
    assert [(f["code"], f["rules"]) for f in data["findings"] if f["code"] == "not_analysed"] == [
        ("not_analysed", ["r0", "r1"])
    ]


def test_check_help_gives_the_default_budget():
    result = CliRunner().invoke(cli, ["check", "--lang", "en", "--help"])
    assert f"{CHECK_BUDGET:,}" in " ".join(result.output.split())
    norwegian = CliRunner().invoke(cli, ["check", "--lang", "nb", "--help"]).output
    assert f"{CHECK_BUDGET:,}".replace(",", " ") in " ".join(norwegian.split()) and "Arbeidsenheter" in norwegian


# -- issue 14's wide rules, merged ------------------------------------------------------------------------------


def test_ten_wide_rules_are_analysed_in_full_with_little_work(tmp_path):
    rb = load(wide(tmp_path / "wide")).rulebase
    verifier = Verifier(rb)
    report = verifier.run()
    assert not not_analysed(report)
    assert verifier.budget.spent < 10_000  # was about 10**8 intersections per pair of rules: 10,000 boxes each
    conflicts = [f for f in report.errors if f.code == "conflict"]
    assert ("r0", "r1") in [f.rules for f in conflicts]
    assert any(f.code == "gap" for f in report.errors)


def test_an_any_of_single_values_is_one_box_as_its_value_list_is(heating_rulebase):
    facts = heating_rulebase.facts
    listed = All((In("building", frozenset({"house", "flat"})), In("setting", frozenset({"water"}))))
    spelt = All(
        (
            Any((In("building", frozenset({"house"})), In("building", frozenset({"flat"})))),
            Any((In("setting", frozenset({"water"})),)),
        )
    )
    assert (
        boxes(spelt, facts)
        == boxes(listed, facts)
        == [{"building": frozenset({"house", "flat"}), "setting": frozenset({"water"})}]
    )


def test_an_any_of_single_values_gives_the_findings_its_value_list_gives(tmp_path):
    # the same rules written both ways: what check says must not depend on the spelling
    def findings(folder):
        return sorted(
            (f.code, f.message, f.rules, json.dumps(f.example, sort_keys=True))
            for f in verify(load(folder).rulebase).findings
        )

    listed, spelt = tmp_path / "listed", tmp_path / "spelt"
    for folder, when in (
        (listed, "      building: [flat, office]\n      heat_pump: no\n      setting: water\n"),
        (spelt, "      any: [{building: flat}, {building: office}]\n      heat_pump: no\n      setting: water\n"),
    ):
        shutil.copytree(HEATING, folder)
        path = folder / "20-source.yaml"
        text = path.read_text(encoding="utf-8")
        old = "      building: [flat, office]\n      heat_pump: no\n      setting: water\n"
        assert old in text
        # and a gap: the rule for flats and offices without a heat pump now needs a closed valve too
        path.write_text(
            text.replace(old, when.replace("setting: water", "setting: water\n      valve_open: no")), encoding="utf-8"
        )
    assert findings(listed) == findings(spelt) and any(code == "gap" for code, *_ in findings(listed))


def test_merge_keeps_the_union_and_merges_only_what_differs_in_one_fact():
    a, b = frozenset({"a"}), frozenset({"b"})
    assert merge([{"x": a}, {"x": b}]) == [{"x": a | b}]
    square = [{"x": a, "y": a}, {"x": b, "y": a}, {"x": a, "y": b}, {"x": b, "y": b}]
    assert merge(square) == [{"x": a | b, "y": a | b}]
    assert merge(square[:3]) == [{"x": a | b, "y": a}, {"x": a, "y": b}]  # an L: two boxes
    assert merge([{"x": a, "y": a}, {"x": b, "y": b}]) == [{"x": a, "y": a}, {"x": b, "y": b}]  # not a box
    assert merge([{"x": a}, {"y": b}]) == [{"x": a}, {"y": b}]  # other facts: never merged


def test_neighbours_never_miss_an_overlapping_pair():
    rng = random.Random(14)
    values = ["v0", "v1", "v2", "v3", ABSENT]
    for _ in range(200):
        groups = [
            [
                {
                    f: frozenset(rng.sample(values, rng.randint(1, 3)))
                    for f in rng.sample(["p", "q", "r"], rng.randint(0, 2))
                }
                for _ in range(rng.randint(1, 3))
            ]
            for _ in range(rng.randint(1, 12))
        ]
        near = Neighbours(groups)
        for i, j in itertools.product(range(len(groups)), repeat=2):
            if any(meets(x, y) for x in groups[i] for y in groups[j]):
                assert j in near.of(i), (groups, i, j)
