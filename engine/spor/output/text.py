"""Results as text for an agent, and as Markdown for a ticket reply.

Text reads top-down the way an agent works a ticket: the verdict first,
then the steps, the reply to paste, and last the reasons (the rules that
fired, the sections they cite, the values they saw). An undecided case
lists the missing facts with their questions, allowed answers and where in
the product to find them.
"""

from __future__ import annotations

from spor.common.errors import printable
from spor.common.messages import number
from spor.common.messages import text as t
from spor.inference.evaluate import Result
from spor.output.layout import wrap
from spor.output.record import fill, fill_with, json_line, why_not_line


def _value(result: Result, fact: str, value, lang: str) -> str:
    if value is None:
        return t("unknown", lang)
    return printable(result.rulebase.label(fact, value, lang))


def _safe(text: str) -> str:
    """The whole of a rendering, every line made safe to print (``errors.printable``): whatever a case, a rule
    file or evidence put in it, no control character or escape sequence reaches the terminal."""
    return printable(text, lines=True)


def _head(result: Result) -> str:
    """The case's id and title, each one line: a line end in a title must not start a line of its own."""
    return printable(result.case_id) + (f" — {printable(result.title)}" if result.title else "")


def _assumed_as(result: Result, item, lang: str) -> str:
    """What an assumption read the unknown fact as: "assumed: No"."""
    read = " / ".join(result.rulebase.label(item.fact, value, lang) for value in item.values)
    return f"{t('assumed_short', lang)}: {printable(read) or t('unknown', lang)}"


def assumed_lines(result: Result, lang: str, bullet: str = "  - ", indent: str = "    ") -> list:
    """Each assumption: the fact and what it was read as, the rule and sections, and what other answers lead to."""
    rb = result.rulebase
    lines = []
    for item in result.assumed:
        read = " / ".join(rb.label(item.fact, value, lang) for value in item.values) or t("unknown", lang)
        lines.append(
            wrap(
                f"{_fact_label(result, item.fact, lang)}: {read} ({', '.join(item.cites)}; {item.rule.id})",
                indent,
                bullet,
            )
        )
        for other in item.otherwise:
            if other.outcome is not None:
                then = f"{fill_with(other.outcome.verdict.get(lang), other.facts, rb, lang)} ({other.outcome.id})"
            else:
                then = t("assumed_undecided", lang, missing=", ".join(other.missing) or "-")
            answer = t("assumed_if", lang, value=rb.label(item.fact, other.value, lang))
            lines.append(wrap(f"{answer}: {then}", indent + "  ", indent))
        if item.stopped:
            lines.append(wrap(t("assumed_stopped", lang), indent + "  ", indent))
    return lines


def offer(facts: list, lang: str) -> str:
    """``spor ask``'s offer of the assumed facts, to answer anyway; empty when there are none."""
    if not facts:
        return ""
    lines = [t("ask_offer", lang)]
    lines += [wrap(f"{i}) {fact.id} — {fact.prompt(lang)}", "     ", "  ") for i, fact in enumerate(facts, 1)]
    return "\n" + _safe("\n".join(lines))


def _fact_label(result: Result, fact: str, lang: str) -> str:
    return printable(_fact_label_rb(result.rulebase, fact, lang))


def _outcome(rb, outcome_id: str, facts: dict, lang: str) -> str:
    """An outcome as a person reads it in ``lang``: its verdict (filled from ``facts``), its id after it."""
    outcome = rb.outcomes.get(outcome_id)
    if outcome is None:
        return outcome_id
    return f"{fill_with(outcome.verdict.get(lang), facts, rb, lang)} ({outcome_id})"


def _reason(result: Result, firing, lang: str) -> tuple:
    rule = firing.rule
    assumed = {item.fact: item for item in result.assumed if item.rule is rule}
    saw = ", ".join(
        f"{_fact_label(result, f, lang)} = {_value(result, f, v, lang)}"
        + (f" ({_assumed_as(result, assumed[f], lang)})" if v is None and f in assumed else "")
        for f, v in firing.saw.items()
    )
    if rule.target == "outcome":
        concluded = f"{t('outcome', lang)} = {_outcome(result.rulebase, rule.value, result.facts, lang)}"
    elif rule.target == "warning":
        concluded = t("warnings_rule", lang)
    else:
        concluded = f"{_fact_label(result, rule.target, lang)} = {_value(result, rule.target, rule.value, lang)}"
    return rule, saw, concluded


def reasons(result: Result, lang: str) -> list:
    """The fired rules in order, each with what it concluded, its sections and the values it saw."""
    if not result.trace:
        return [f"  {t('no_rule', lang)}"]
    lines = []
    for i, firing in enumerate(result.trace, 1):
        rule, saw, concluded = _reason(result, firing, lang)
        lines.append(wrap(f"{concluded}  ({', '.join(rule.cites)})", "     ", f"  {i}. "))
        lines.append(wrap(f"{rule.id}: {rule.title.get(lang)}", "     ", "     "))
        lines.append(wrap(f"{t('because', lang)}: {saw}", "       ", "     "))
    return [_safe(line) for line in lines]


def question(fact, lang: str, number: int | None = None) -> str:
    """A question as ``spor ask`` shows it: the text, the numbered answers, where to look."""
    head = f"{number}. " if number else ""
    lines = [wrap(f"{fact.prompt(lang)} ({fact.id})", "   ", head)]
    for i, value in enumerate(fact.values, 1):
        lines.append(f"   {i}) {value.id} — {value.label.get(lang)}")
    if fact.where:
        lines.append(wrap(f"{t('where', lang)}: {fact.where.get(lang)}", "   ", "   "))
    return _safe("\n".join(lines))


def why(interview, fact, lang: str) -> str:
    """MYCIN's WHY: the rules waiting on this answer and the chain they feed, up to the outcome."""
    rb = interview.rulebase
    waiting, chain = interview.why(fact.id)
    facts = interview.result().facts
    lines = [t("ask_why_head", lang, label=fact.label.get(lang), fact=fact.id), t("ask_why_rules", lang)]
    for item in waiting:
        rule = item.rule
        target = t("outcome", lang) if rule.target == "outcome" else _fact_label_rb(rb, rule.target, lang)
        if rule.target == "outcome":
            value = _outcome(rb, rule.value, facts, lang)
        else:
            value = rb.label(rule.target, rule.value, lang)
        lines.append(wrap(f"{rule.id} ({', '.join(rule.cites)}): {rule.title.get(lang)}", "      ", "  - "))
        lines.append(wrap(f"{t('ask_gives', lang)}: {target} = {value}", "      ", "      "))
        if item.also_needs:
            needs = ", ".join(f"{_fact_label_rb(rb, name, lang)} ({name})" for name in item.also_needs)
            lines.append(wrap(f"{t('ask_also', lang)}: {needs}", "      ", "      "))
    if chain:
        lines.append(
            wrap(t("ask_chain", lang, chain=" → ".join(_fact_label_rb(rb, c, lang) for c in chain)), "  ", "  ")
        )
    else:
        lines.append("  " + t("ask_chain_direct", lang))
    return _safe("\n".join(lines))


def _fact_label_rb(rb, fact: str, lang: str) -> str:
    known = rb.facts.get(fact)
    return known.label.get(lang) if known else fact


def why_not(result: Result, rival, lang: str, fold=wrap) -> list:
    """Text lines for the nearest rival outcome (``explain.nearest_rival``); ``fold(text, indent, first)`` lays
    each out (text: wrapped to the terminal; Markdown: one line each, which its renderers wrap)."""
    lines = [f"{t('why_not', lang)}"]
    if rival is None:
        return lines + [f"  {t('why_not_none', lang)}"]
    if rival.outcome is None:
        from spor.analysis.explain import MAX_VARIANTS

        return lines + [f"  {t('why_not_stopped', lang, count=number(MAX_VARIANTS, lang))}"]
    rb = result.rulebase
    verdict = fill(rival.outcome.verdict.get(lang), result, lang)
    lines.append(fold(f"{t('why_not_rival', lang, outcome=verdict)} ({rival.outcome.id})", "    ", "  "))
    for change in rival.changes:
        old = rb.label(change.fact, change.old, lang) if change.old else t("why_not_unset", lang)
        lines.append(
            fold(
                f"{t('why_not_if', lang)} {_fact_label(result, change.fact, lang)} = "
                f"{rb.label(change.fact, change.new, lang)} ({t('why_not_instead', lang)} {old})",
                "      ",
                "    - ",
            )
        )
    return lines


def text(result: Result, lang: str = "nb") -> str:
    rb = result.rulebase
    lines = []
    lines.append(f"{t('case', lang)}: {_head(result)}")
    outcome = result.outcome
    if outcome:
        lines.append(wrap(fill(outcome.verdict.get(lang), result, lang), "  ", f"{t('verdict', lang)}: "))
        lines.append(f"{t('side', lang)}: {printable(rb.sides[outcome.side].get(lang))}")
    if result.assumed:
        lines += ["", f"{t('assumed', lang)}:"] + assumed_lines(result, lang)
    if outcome:
        lines += ["", f"{t('steps', lang)}:"]
        for i, step in enumerate(outcome.steps[lang], 1):
            lines.append(wrap(fill(step, result, lang), "     ", f"  {i}. "))
        lines += ["", f"{t('reply', lang)}:", wrap(fill(outcome.reply.get(lang), result, lang), "  ")]
    else:
        lines.append(t("incomplete", lang))
        if result.missing:
            lines += ["", f"{t('missing', lang)}:"]
        for i, fact in enumerate(result.missing, 1):
            lines.append(wrap(f"{fact.id}: {fact.prompt(lang)}", "     ", f"  {i}. "))
            answers = ", ".join(f"{v.id} ({v.label.get(lang)})" for v in fact.values)
            lines.append(wrap(f"{t('answers', lang)}: {answers}", "     ", "     "))
            if fact.where:
                lines.append(wrap(f"{t('where', lang)}: {fact.where.get(lang)}", "     ", "     "))
    lines += ["", f"{t('why', lang)}:"] + reasons(result, lang)
    if result.evidence:
        from spor.output.evidence import lines as evidence_lines  # here: most results have no evidence (start-up)

        lines += ["", f"{t('evidence', lang)}:"] + evidence_lines(result.evidence, rb, lang)
    lines += ["", f"{t('facts', lang)}:"]
    from_evidence = set()
    if result.warnings:
        from spor.evidence.findings import FROM_EVIDENCE  # here: most results have no warning (start-up)

        from_evidence = {w.fact for w in result.warnings if w.code in FROM_EVIDENCE}
    for name, value in result.facts.items():
        kind = (
            t("derived", lang)
            if name not in result.given
            else t("from_evidence" if name in from_evidence else "given", lang)
        )
        lines.append(f"  {_fact_label(result, name, lang)}: {_value(result, name, value, lang)} ({kind})")
    if result.warnings:
        lines += ["", f"{t('warnings', lang)}:"]
        for warning in result.warnings:
            lines.append(wrap(warning.message(lang, rb), "    ", "  - "))
    if result.notes:
        lines += ["", f"{t('notes', lang)}:", wrap(result.notes, "  ")]
    return _safe("\n".join(lines) + "\n")


def markdown(result: Result, lang: str = "nb") -> str:
    rb = result.rulebase
    outcome = result.outcome
    out = [f"### {t('case', lang)}: {_head(result)}", ""]
    if outcome:
        out += [
            f"**{t('verdict', lang)}:** {printable(fill(outcome.verdict.get(lang), result, lang))}",
            "",
            f"**{t('side', lang)}:** {printable(rb.sides[outcome.side].get(lang))}",
            "",
        ]
    else:
        out += [f"**{t('incomplete', lang)}**", ""]
    if result.assumed:
        # "- fact: value (sections; rule)", then each other answer on a line of its own inside the item
        out += [f"#### {t('assumed', lang)}", ""]
        out += [line.replace("\n", "  \n") for line in assumed_lines(result, lang, "- ", "  ")]
        out.append("")
    if outcome:
        out += [f"#### {t('steps', lang)}", ""]
        out += [f"{i}. {printable(fill(step, result, lang))}" for i, step in enumerate(outcome.steps[lang], 1)]
        out += ["", f"#### {t('reply', lang)}", "", "> " + printable(fill(outcome.reply.get(lang), result, lang))]
    else:
        out += [f"#### {t('missing', lang)}", ""]
        for i, fact in enumerate(result.missing, 1):
            where = f" ({t('where', lang)}: {fact.where.get(lang)})" if fact.where else ""
            out.append(f"{i}. **{fact.id}**: {printable(fact.prompt(lang))}{printable(where)}")
    out += ["", f"#### {t('why', lang)}", ""]
    for firing in result.trace:
        rule, saw, concluded = _reason(result, firing, lang)
        out.append(
            f"- {concluded} ({', '.join(rule.cites)}): {printable(rule.title.get(lang))}; {t('because', lang)} {saw}"
        )
    if not result.trace:
        out.append(f"- {t('no_rule', lang)}")
    if result.evidence:
        from spor.output.evidence import lines as evidence_lines

        out += ["", f"#### {t('evidence', lang)}", "", "```"] + evidence_lines(result.evidence, rb, lang, "") + ["```"]
    if result.warnings:
        out += ["", f"#### {t('warnings', lang)}", ""] + [
            f"- {printable(w.message(lang, rb))}" for w in result.warnings
        ]
    return _safe("\n".join(out) + "\n")


RENDERERS = {"text": text, "markdown": markdown, "json": json_line}


def render(result: Result, fmt: str, lang: str = "nb", *, explain: bool = False, rival=None) -> str:
    """A result as ``fmt`` (text, markdown or json); with ``explain``, followed by its nearest rival outcome."""
    if not explain:
        return RENDERERS[fmt](result, lang)
    if fmt == "json":
        return why_not_line(result, rival, lang)
    body = RENDERERS[fmt](result, lang)
    if not result.complete:
        return body
    if fmt == "markdown":
        lines = why_not(result, rival, lang, fold=_unfolded)
        return _safe(body + "\n#### " + lines[0] + "\n\n" + "\n".join(line.strip() for line in lines[1:]) + "\n")
    return _safe(body + "\n" + "\n".join(why_not(result, rival, lang)) + "\n")


def _unfolded(body: str, indent: str, first: str | None = None) -> str:
    """One line, however long: Markdown's renderers wrap a paragraph to the reader's window themselves."""
    return (first if first is not None else indent) + " ".join(body.split())
