"""Generate a rulebase of a given size for benchmarks: complete decision tables, no findings.

``tables`` derived facts, each decided by a full table over two of
``facts`` given facts with five values each (25 rules per table), and an
outcome decided by the first derived fact (five rules): 25 * tables + 5
rules in all.
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--tables", type=int, default=40)
    parser.add_argument("--facts", type=int, default=80)
    args = parser.parse_args()
    generate(args.folder, args.tables, args.facts)
