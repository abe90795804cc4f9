"""Generate a rulebase of a given size for benchmarks: complete decision tables, no findings.

``tables`` derived facts, each decided by a full table over two of
``facts`` given facts with five values each (25 rules per table), and an
outcome decided by the first derived fact (five rules): 25 * tables + 5
rules in all.

``generate_wide`` writes the other shape, the one that made ``spor check``
explode (issue 14, item 7): ``rules`` rules over two given facts of
``width + 10 * rules`` values each, rule *i* being ``all: [any of width
a-values, any of width b-values]`` (each an ``any`` of one-value tests),
its slice starting ten values after the previous rule's, and concluding one
of two outcomes in turn, so that neighbours overlap with other conclusions
and the values past the slices are gaps.

``generate_table`` writes one large decision: a complete table over two
given facts of ``rows`` and ``columns`` values, one simple rule per cell
(111 x 90 = 9,990 rules: the many-rule case of issue 14, whose check grew
with the square of the rules).
"""

from __future__ import annotations

import argparse
from pathlib import Path

VALUES = 5


def generate(folder: Path, tables: int, facts: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = [
        "rulebase:",
        "  id: generated",
        "  title: {nb: generert, en: generated}",
        "  source: bench/gen_rulebase.py",
        "  sections: {'§1': {nb: a, en: a}}",
        "  sides: {someone: {nb: a, en: a}}",
        "facts:",
    ]
    values = "\n".join(f"      - {{id: v{v}, label: {{nb: v{v}, en: v{v}}}}}" for v in range(VALUES))
    for f in range(facts):
        out += [
            f"  - id: f{f}",
            "    type: choice",
            "    label: {nb: f, en: f}",
            "    question: {nb: q, en: q}",
            "    values:",
            values,
        ]
    for t in range(tables):
        out += [
            f"  - id: d{t}",
            "    type: choice",
            "    derived: true",
            "    label: {nb: d, en: d}",
            "    values:",
            values,
        ]
    out += ["outcomes:"]
    for v in range(VALUES):
        out += [
            f"  - {{id: o{v}, side: someone, cites: ['§1'], verdict: {{nb: a, en: a}}, "
            "steps: {nb: [a], en: [a]}, reply: {nb: a, en: a}}"
        ]
    out += ["rules:"]
    for t in range(tables):
        a, b = f"f{(2 * t) % facts}", f"f{(2 * t + 1) % facts}"
        for x in range(VALUES):
            for y in range(VALUES):
                out += [
                    f"  - {{id: d{t}-{x}-{y}, title: {{nb: r, en: r}}, cites: ['§1'], when: {{{a}: v{x}, {b}: v{y}}}, "
                    f"then: {{d{t}: v{(x + y) % VALUES}}}}}"
                ]
    for v in range(VALUES):
        out += [
            f"  - {{id: out-{v}, title: {{nb: r, en: r}}, cites: ['§1'], when: {{d0: v{v}}}, then: {{outcome: o{v}}}}}"
        ]
    (folder / "rules.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


def generate_wide(folder: Path, rules: int, width: int = 100) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    size = width + 10 * rules
    out = [
        "rulebase:",
        "  id: wide",
        "  title: {nb: brede regler, en: wide rules}",
        "  source: bench/gen_rulebase.py",
        "  sections: {'§1': {nb: a, en: a}}",
        "  sides: {someone: {nb: a, en: a}}",
        "facts:",
    ]
    for name in ("a", "b"):
        out += [f"  - id: {name}", "    type: choice", "    label: {nb: f, en: f}", "    question: {nb: q, en: q}"]
        out += ["    values:"]
        out += [f"      - {{id: {name}{v}, label: {{nb: {name}{v}, en: {name}{v}}}}}" for v in range(size)]
    out += ["outcomes:"]
    for v in range(2):
        out += [
            f"  - {{id: o{v}, side: someone, cites: ['§1'], verdict: {{nb: a, en: a}}, "
            "steps: {nb: [a], en: [a]}, reply: {nb: a, en: a}}"
        ]
    out += ["rules:"]
    for r in range(rules):
        wide = [
            "{any: [" + ", ".join(f"{{{name}: {name}{10 * r + v}}}" for v in range(width)) + "]}" for name in ("a", "b")
        ]
        out += [
            f"  - {{id: wide-{r}, title: {{nb: r, en: r}}, cites: ['§1'], when: {{all: [{', '.join(wide)}]}}, "
            f"then: {{outcome: o{r % 2}}}}}"
        ]
    (folder / "rules.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


def generate_table(folder: Path, rows: int, columns: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = [
        "rulebase:",
        "  id: table",
        "  title: {nb: tabell, en: table}",
        "  source: bench/gen_rulebase.py",
        "  sections: {'§1': {nb: a, en: a}}",
        "  sides: {someone: {nb: a, en: a}}",
        "facts:",
    ]
    for name, size in (("a", rows), ("b", columns)):
        out += [f"  - id: {name}", "    type: choice", "    label: {nb: f, en: f}", "    question: {nb: q, en: q}"]
        out += ["    values:"]
        out += [f"      - {{id: {name}{v}, label: {{nb: {name}{v}, en: {name}{v}}}}}" for v in range(size)]
    out += ["outcomes:"]
    for v in range(VALUES):
        out += [
            f"  - {{id: o{v}, side: someone, cites: ['§1'], verdict: {{nb: a, en: a}}, "
            "steps: {nb: [a], en: [a]}, reply: {nb: a, en: a}}"
        ]
    out += ["rules:"]
    for x in range(rows):
        for y in range(columns):
            out += [
                f"  - {{id: t{x}-{y}, title: {{nb: r, en: r}}, cites: ['§1'], when: {{a: a{x}, b: b{y}}}, "
                f"then: {{outcome: o{(x + y) % VALUES}}}}}"
            ]
    (folder / "rules.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--facts", type=int, default=80)
    parser.add_argument("--wide", type=int, metavar="RULES", help="write RULES wide rules instead (generate_wide)")
    parser.add_argument("--table", metavar="ROWSxCOLUMNS", help="write one table of ROWS x COLUMNS rules instead")
    args = parser.parse_args()
    if args.wide:
        generate_wide(args.folder, args.wide)
    elif args.table:
        rows, columns = map(int, args.table.lower().split("x"))
        generate_table(args.folder, rows, columns)
    else:
        generate(args.folder, args.tables, args.facts)
