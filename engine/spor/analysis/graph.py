"""The rulebase as a diagram: given facts -> derived facts -> outcomes.

Nodes carry the sections they cite; each edge is one rule reading one fact,
labelled with the rule id, the test on that fact and what the rule
concludes. Mermaid (for Markdown, rendered by GitHub and most editors) and
Graphviz DOT are written; both are plain text built from the model, so the
README's copy can be checked for freshness by a test.
"""

from __future__ import annotations

from spor.common.errors import printable
from spor.common.messages import text as t
from spor.rulebase.conditions import Known, facts_read, signed_leaves
from spor.rulebase.model import OUTCOME, WARNING, Rulebase


def _tests(node, fact: str, lang: str) -> str:
    """The tests a condition makes on one fact, as short text in ``lang`` (values by their ids)."""
    parts = []
    for leaf, negated in signed_leaves(node):
        if leaf.fact != fact:
            continue
        if isinstance(leaf, Known):
            parts.append(t("graph_unknown" if negated else "graph_known", lang))
        else:
            values = sorted(leaf.values)
            if len(values) == 1:
                parts.append(("≠ " if negated else "= ") + values[0])
            else:
                parts.append(t("graph_not_in" if negated else "graph_in", lang) + " {" + ", ".join(values) + "}")
    return " / ".join(dict.fromkeys(parts))


def _edges(rb: Rulebase, lang: str):
    """(source fact, target node id, label) for each fact each rule reads."""
    for rule in rb.rules:
        if rule.target == WARNING:
            target, concluded = _warning_node(rule), t("graph_warning", lang)
        else:
            target = f"o_{rule.value}" if rule.target == OUTCOME else f"f_{rule.target}"
            concluded = rule.value
        for fact in facts_read(rule.when):
            yield f"f_{fact}", target, f"{rule.id}: {_tests(rule.when, fact, lang)} ⇒ {concluded}"


def _warning_node(rule) -> str:
    """A warning rule's node: rule ids may hold ``-``, which Mermaid reads as part of an arrow."""
    return "w_" + rule.id.replace("-", "_")


def _cites(rb: Rulebase, fact_id: str) -> list:
    cited = list(rb.facts[fact_id].cites)
    for rule in rb.rules_for.get(fact_id, ()):
        cited += rule.cites
    return sorted(dict.fromkeys(cited), key=lambda c: (0, int(c[1:]), "") if c.startswith("§") else (1, 0, c))


def mermaid(rb: Rulebase, lang: str = "nb") -> str:
    out = ["flowchart LR"]
    for fact in rb.facts.values():
        label = _quote(fact.label.get(lang), f"{fact.id} · {' '.join(_cites(rb, fact.id))}".rstrip(" ·"))
        out.append(f"  f_{fact.id}{{{{{label}}}}}" if fact.derived else f"  f_{fact.id}[/{label}/]")
    for outcome in rb.outcomes.values():
        out.append(f"  o_{outcome.id}([{_quote(outcome.id, ' '.join(outcome.cites))}])")
    for rule in rb.rules_for.get(WARNING, ()):
        out.append(f"  {_warning_node(rule)}>{_quote('⚠ ' + rule.id, ' '.join(rule.cites))}]")
    for source, target, label in _edges(rb, lang):
        out.append(f"  {source} -->|{_quote(label)}| {target}")
    return "\n".join(out) + "\n"


def dot(rb: Rulebase, lang: str = "nb") -> str:
    out = [f"digraph {_dq(rb.id)} {{", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for fact in rb.facts.values():
        shape = "hexagon" if fact.derived else "parallelogram"
        label = f"{fact.label.get(lang)}\n{fact.id} {' '.join(_cites(rb, fact.id))}".rstrip()
        out.append(f"  f_{fact.id} [shape={shape}, label={_dq(label)}];")
    for outcome in rb.outcomes.values():
        label = outcome.id + "\n" + " ".join(outcome.cites)
        out.append(f"  o_{outcome.id} [shape=box, style=rounded, label={_dq(label)}];")
    for rule in rb.rules_for.get(WARNING, ()):
        label = f"⚠ {rule.id}\n{' '.join(rule.cites)}"
        out.append(f"  {_warning_node(rule)} [shape=note, label={_dq(label)}];")
    for source, target, label in _edges(rb, lang):
        out.append(f"  {source} -> {target} [label={_dq(label)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _quote(*lines: str) -> str:
    """A Mermaid label of one or more lines; what Mermaid would read as markup
    (``#``, quotes, ``<``, ``>``) in a rule file's text is written as an entity."""
    escaped = []
    for text in map(printable, lines):
        for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
            text = text.replace(char, entity)
        escaped.append(text)
    return '"' + "<br/>".join(escaped) + '"'


def _dq(text: str) -> str:
    """A DOT string: backslashes and quotes escaped (``\\n`` line breaks are added after)."""
    text = printable(text, lines=True)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


FORMATS = {"mermaid": mermaid, "dot": dot}
