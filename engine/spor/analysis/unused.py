"""Names a rulebase declares but does not use: facts no rule reads, values no rule tests or concludes,
outcomes no rule reaches, sections nothing cites. Warnings of ``spor check``, found without the box
analysis of ``verify``."""

from __future__ import annotations

from spor.analysis.report import Finding, finding
from spor.common.messages import Msg
from spor.rulebase.conditions import In, facts_read, leaves
from spor.rulebase.model import OUTCOME, Rulebase


def unused_names(rb: Rulebase) -> list[Finding]:
    """Unused facts, values and outcomes; derived values no rule concludes; sections nothing cites."""
    found = []
    read: set[str] = set()
    tested: dict[str, set[str]] = {}
    for rule in rb.rules:
        read.update(facts_read(rule.when))
        for leaf in leaves(rule.when):
            if isinstance(leaf, In):
                tested.setdefault(leaf.fact, set()).update(leaf.values)
    concluded = {(r.target, r.value) for r in rb.rules}
    for fact in rb.facts.values():
        # a derived fact no rule reads is still a result shown to the agent
        if fact.id not in read and not (fact.derived and fact.id in rb.rules_for):
            found.append(finding("warning", "unused_fact", Msg("check_unused_fact", fact=fact.id), fact))
        if fact.derived and fact.id in rb.rules_for:  # (no rules at all: the loader's warning says so)
            for value in fact.value_ids():
                if (fact.id, value) not in concluded:
                    found.append(
                        finding(
                            "warning",
                            "unused_value",
                            Msg("check_unused_derived_value", fact=fact.id, value=value),
                            fact,
                        )
                    )
        elif fact.id in read:
            for value in fact.value_ids():
                if value not in tested.get(fact.id, ()) and fact.type == "choice":
                    found.append(
                        finding("warning", "unused_value", Msg("check_unused_value", fact=fact.id, value=value), fact)
                    )
    for outcome in rb.outcomes.values():
        if (OUTCOME, outcome.id) not in concluded:
            found.append(finding("warning", "unused_outcome", Msg("check_unused_outcome", outcome=outcome.id), outcome))
    cited = {c for item in [*rb.rules, *rb.outcomes.values(), *rb.facts.values()] for c in item.cites}
    for section in rb.sections:
        if section not in cited and section != rb.fallback_section:
            found.append(
                finding(
                    "warning",
                    "unused_section",
                    Msg("check_unused_section", section=section),
                    rb.origins.get(("section", section)),
                )
            )
    return found
