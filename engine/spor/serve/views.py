"""The page's views: the next question, the result, the undecided end, what uploaded evidence says, an error.

One question at a time, in the order ``spor ask`` asks them (the engine's
``missing``, first unanswered first). When no question is left and the
case is still open, the derived facts that could still decide it are
offered too ("answer only if you know it"), so an agent who knows, say,
that the customer sends from a mail program can say so. Every answer is
a ``<button>`` named by its value's label in the page's language.
"""

from __future__ import annotations

from spor.analysis.interview import Interview
from spor.inference.evaluate import Result
from spor.inference.relevance import possible_values
from spor.output.record import fill
from spor.rulebase.conditions import facts_read, truth
from spor.rulebase.model import OUTCOME, WARNING, Fact, Rulebase
from spor.serve.core import Service
from spor.serve.html import cites, esc, evidence_form, facts_panel, frame, hidden, moves, problems_list
from spor.serve.state import State
from spor.serve.words import word


def page(service: Service, state: State, seen=None) -> str:
    """The page for a state: the next question, the result, or the undecided end.

    ``seen(result, fact)``, when given, hears what the page shows (the decision log's steps).
    """
    interview = Interview(service.evaluator, history=list(state.answers))
    result = interview.result()
    fact = interview.next_question(result)
    derived = False
    if fact is None and not result.complete:
        fact, derived = offered(service, result, state.skipped()), True
    if seen is not None:
        seen(result, None if result.complete else fact)
    if result.complete:
        return result_view(service, state, result)
    if fact is not None:
        return question_view(service, state, interview, result, fact, derived)
    return undecided_view(service, state, result)


def offered(service: Service, result: Result, skipped: list) -> Fact | None:
    """When no question is left and the case is open: the first fact not asked in the usual way (a derived fact, or
    one the rules assume when nobody has said) that an open rule on the way to an outcome still reads."""
    rb = service.rulebase
    known = result.facts
    possible = possible_values(rb, known)
    assumable = service.evaluator.assumable
    found: set = set()

    def visit(target: str) -> None:
        for rule in rb.rules_for.get(target, ()):
            if truth(rule.when, known, possible) is False:
                continue
            for name in facts_read(rule.when):
                fact = rb.facts[name]
                if name in known or name in found or not (fact.derived or name in assumable):
                    continue
                found.add(name)
                if fact.derived:
                    visit(name)

    visit(OUTCOME)
    return next((f for f in rb.facts.values() if f.id in found and f.id not in skipped), None)


def question_view(
    service: Service, state: State, interview: Interview, result: Result, fact: Fact, derived: bool
) -> str:
    rb, lang = service.rulebase, state.lang
    buttons = []
    for number, value in enumerate(fact.values, 1):
        key = f' data-key="{number}"' if number <= 9 else ""
        shown = f'<kbd aria-hidden="true">{number}</kbd>' if number <= 9 else ""
        buttons.append(
            f'<button type="submit" name="{esc(fact.id)}" value="{esc(value.id)}"{key}>'
            f"{shown}<span>{esc(value.label.get(lang))}</span></button>"
        )
    buttons.append(
        f'<button type="submit" class="skip" name="{esc(fact.id)}" value="" data-key="0">'
        f'<kbd aria-hidden="true">0</kbd><span>{esc(word("dont_know", lang))}</span></button>'
    )
    where = (
        f'<aside class="where" aria-label="{esc(word("where", lang))}"><h2>{esc(word("where", lang))}</h2>'
        f"<p>{esc(fact.where.get(lang))}</p></aside>"
        if fact.where
        else ""
    )
    hint = ""
    if derived:
        hint = f'<p class="hint">{esc(word("derived_hint" if fact.derived else "assumed_hint", lang))}</p>'
    main = f"""<section class="card question" aria-labelledby="question">
<div class="ask">
<div>
<p class="step">{esc(word("question_n", lang, n=len(state.answers) + 1))}</p>
<h1 id="question" data-fact="{esc(fact.id)}">{esc(fact.prompt(lang))} {cites(rb, fact.cites, lang)}</h1>
{hint}
<form class="answers" method="get" action="/">
{hidden(state.pairs())}
{"".join(buttons)}
</form>
</div>
{where}
</div>
{why_view(interview, fact, lang)}
{moves(state)}
</section>
{facts_panel(state, rb, result.derived)}
{evidence_form(state)}"""
    return frame(state, rb, fact.prompt(lang), main)


def why_view(interview: Interview, fact: Fact, lang: str) -> str:
    """WHY, as ``spor ask`` answers ``?``: the rules waiting on this answer, their sections, the chain onward."""
    rb = interview.rulebase
    waiting, chain = interview.why(fact.id)
    items = []
    for item in waiting:
        rule = item.rule
        if rule.target == OUTCOME:
            target, value = word("outcome", lang), rule.value
        elif rule.target == WARNING:
            target, value = word("warnings_rule", lang), rule.value
        else:
            target, value = rb.facts[rule.target].label.get(lang), rb.label(rule.target, rule.value, lang)
        also = (
            f"<br>{esc(word('ask_also', lang))}: {esc(', '.join(rb.facts[n].label.get(lang) for n in item.also_needs))}"
            if item.also_needs
            else ""
        )
        items.append(
            f'<li><span class="rule">{esc(rule.id)}</span> {cites(rb, rule.cites, lang)}: {esc(rule.title.get(lang))}'
            f"<br>{esc(word('ask_gives', lang))}: {esc(target)} = {esc(value)}{also}</li>"
        )
    if chain:
        path = word("ask_chain", lang, chain=" → ".join(rb.facts[c].label.get(lang) for c in chain))
    else:
        path = word("ask_chain_direct", lang)
    return (
        f'<details class="why"><summary>{esc(word("why_asked", lang))}</summary>'
        f"<p>{esc(word('ask_why_rules', lang))}</p><ul>{''.join(items)}</ul><p>{esc(path)}</p></details>"
    )


def result_view(service: Service, state: State, result: Result) -> str:
    rb, lang = service.rulebase, state.lang
    outcome = result.outcome
    assert outcome is not None
    verdict = fill(outcome.verdict.get(lang), result, lang)
    steps = "".join(f"<li>{esc(fill(step, result, lang))}</li>" for step in outcome.steps[lang])
    reply = fill(outcome.reply.get(lang), result, lang)
    main = f"""<section class="card result" aria-labelledby="verdict" data-outcome="{esc(outcome.id)}">
<p class="step">{esc(word("verdict", lang))} {cites(rb, outcome.cites, lang)}</p>
<h1 id="verdict">{esc(verdict)}</h1>
<p class="side"><span class="label">{esc(word("side", lang))}:</span> {esc(rb.sides[outcome.side].get(lang))}</p>
<h2>{esc(word("steps", lang))}</h2>
<ol class="steps">{steps}</ol>
<h2 id="reply-head">{esc(word("reply", lang))}</h2>
<div class="reply" id="reply">{esc(reply)}</div>
<p class="copy-line js-only"><button type="button" class="copy" data-copy="reply"
 data-done="{esc(word("copied", lang))}" data-failed="{esc(word("copy_failed", lang))}">
{esc(word("copy", lang))}</button>
<span class="copy-status" role="status" aria-live="polite"></span></p>
{assumed_view(rb, state, result)}
{how_view(rb, result, lang)}
{why_not_view(service, result, lang)}
{warnings_view(rb, state, result)}
{moves(state)}
</section>
{facts_panel(state, rb, result.derived, "facts")}"""
    return frame(state, rb, verdict, main)


def assumed_view(rb: Rulebase, state: State, result: Result) -> str:
    """What the rules assumed without asking, what each other answer would lead to, and buttons to answer anyway."""
    from spor.output.record import fill_with

    lang = state.lang
    items = []
    for item in result.assumed:
        fact = rb.facts[item.fact]
        read = " / ".join(rb.label(item.fact, value, lang) for value in item.values) or word("unknown", lang)
        others = []
        for other in item.otherwise:
            if other.outcome is not None:
                then = f"{fill_with(other.outcome.verdict.get(lang), other.facts, rb, lang)} ({other.outcome.id})"
            else:
                then = word("assumed_undecided", lang, missing=", ".join(other.missing) or "-")
            others.append(
                f"<li>{esc(word('assumed_if', lang, value=rb.label(item.fact, other.value, lang)))}: {esc(then)}</li>"
            )
        if item.stopped:
            others.append(f"<li>{esc(word('assumed_stopped', lang))}</li>")
        buttons = "".join(
            f'<button type="submit" name="{esc(fact.id)}" value="{esc(value.id)}">{esc(value.label.get(lang))}</button>'
            for value in fact.values
        )
        items.append(
            f'<li data-fact="{esc(fact.id)}"><p><strong class="fact">{esc(fact.label.get(lang))}</strong>: {esc(read)} '
            f'{cites(rb, item.cites, lang)} <span class="rule">{esc(item.rule.id)}</span></p>'
            f'<ul class="otherwise">{"".join(others)}</ul>'
            f'<form class="anyway" method="get" action="/">{hidden(state.pairs())}'
            f"<span>{esc(fact.prompt(lang))} {esc(word('answer_anyway', lang))}</span> {buttons}</form></li>"
        )
    if not items:
        return ""
    return f'<h2>{esc(word("assumed", lang))}</h2><ul class="assumed">{"".join(items)}</ul>'


def how_view(rb: Rulebase, result: Result, lang: str) -> str:
    """HOW: the rules that fired, in order, each with its sections and the facts it saw."""
    items = []
    for firing in result.trace:
        rule = firing.rule
        if rule.target == OUTCOME:
            concluded = f"{word('outcome', lang)} = {rule.value}"
        elif rule.target == WARNING:
            concluded = word("warnings_rule", lang)
        else:
            concluded = f"{rb.facts[rule.target].label.get(lang)} = {rb.label(rule.target, rule.value, lang)}"
        assumed = {item.fact: item for item in result.assumed if item.rule is rule}
        saw = ", ".join(
            f"{rb.facts[f].label.get(lang)} = {seen(rb, f, v, assumed.get(f), lang)}" for f, v in firing.saw.items()
        )
        items.append(
            f"<li><strong>{esc(concluded)}</strong> {cites(rb, rule.cites, lang)}"
            f'<br><span class="rule">{esc(rule.id)}</span>: {esc(rule.title.get(lang))}'
            f"<br>{esc(word('because', lang))}: {esc(saw)}</li>"
        )
    head = word("ask_how_head", lang).rstrip(":")
    return f'<h2>{esc(head)}</h2><ol class="how">{"".join(items)}</ol>'


def seen(rb: Rulebase, fact: str, value: str | None, assumption, lang: str) -> str:
    """A value a rule saw: its label, or "unknown", with what an assumption read it as."""
    if value is not None:
        return rb.label(fact, value, lang)
    if assumption is None:
        return word("unknown", lang)
    read = " / ".join(rb.label(fact, v, lang) for v in assumption.values) or word("unknown", lang)
    return f"{word('unknown', lang)} ({word('assumed_short', lang)}: {read})"


def why_not_view(service: Service, result: Result, lang: str) -> str:
    """Why not another outcome: the smallest change of the given facts that gives one (``spor run --explain``)."""
    from spor.analysis.explain import MAX_VARIANTS, nearest_rival

    rb = service.rulebase
    rival = nearest_rival(service.evaluator, result)
    head = f"<h2>{esc(word('why_not', lang))}</h2>"
    if rival is None:
        return f'{head}<p class="why-not">{esc(word("why_not_none", lang))}</p>'
    if rival.outcome is None:
        return f'{head}<p class="why-not">{esc(word("why_not_stopped", lang, count=f"{MAX_VARIANTS:,}"))}</p>'
    verdict = fill(rival.outcome.verdict.get(lang), result, lang)
    changes = []
    for change in rival.changes:
        old = rb.label(change.fact, change.old, lang) if change.old else word("why_not_unset", lang)
        changes.append(
            f"<li>{esc(word('why_not_if', lang))} {esc(rb.facts[change.fact].label.get(lang))} = "
            f"{esc(rb.label(change.fact, change.new, lang))} ({esc(word('why_not_instead', lang))} {esc(old)})</li>"
        )
    return (
        f'{head}<div class="why-not" data-outcome="{esc(rival.outcome.id)}">'
        f"<p>{esc(word('why_not_rival', lang, outcome=rival.outcome.id))}: {esc(verdict)}</p>"
        f"<ul>{''.join(changes)}</ul></div>"
    )


def warnings_view(rb: Rulebase, state: State, result: Result) -> str:
    """The result's warnings, leaving out "not needed" for a fact the evidence gave (as ``spor run --evidence``)."""
    lang = state.lang
    shown = [w for w in result.warnings if not (w.code == "not_needed" and w.fact in state.evidence)]
    if not shown:
        return ""
    items = "".join(f"<li>{esc(w.message(lang, rb))}</li>" for w in shown)
    return f'<h2>{esc(word("warnings", lang))}</h2><ul class="warnings">{items}</ul>'


def undecided_view(service: Service, state: State, result: Result) -> str:
    rb, lang = service.rulebase, state.lang
    items = []
    for fact in result.missing:
        where = (
            f'<br><span class="label">{esc(word("where", lang))}:</span> {esc(fact.where.get(lang))}'
            if fact.where
            else ""
        )
        again = (
            f' <a href="{esc(state.without_skip(fact.id))}">{esc(word("answer_now", lang))}</a>'
            if fact.id in state.skipped()
            else ""
        )
        items.append(f'<li data-fact="{esc(fact.id)}">{esc(fact.prompt(lang))}{again}{where}</li>')
    main = f"""<section class="card undecided" aria-labelledby="undecided">
<h1 id="undecided">{esc(word("incomplete", lang))}</h1>
<h2>{esc(word("missing", lang))}</h2>
<ol class="missing">{"".join(items)}</ol>
<p>{esc(word("undecided_more", lang))}</p>
{assumed_view(rb, state, result)}
{warnings_view(rb, state, result)}
{moves(state)}
</section>
{facts_panel(state, rb, result.derived)}
{evidence_form(state)}"""
    return frame(state, rb, word("incomplete", lang), main)


def evidence_view(service: Service, state: State, readings: list, filled: State, notices: list) -> str:
    """What uploaded evidence says, file by file, the facts it fills in, and a button to go on with them."""
    from spor.output.evidence import heading, lines

    rb, lang = service.rulebase, state.lang
    parts = []
    for reading in readings:
        parts.append(f"<h2>{esc(heading(reading, rb, lang))}</h2>")
        if reading.explained:
            parts.append(f'<pre class="findings">{esc(chr(10).join(lines(reading.explained, rb, lang)))}</pre>')
        if reading.problems:
            parts.append(f"<p>{esc(word('evidence_unread', lang))}</p>{problems_list(reading.problems)}")
    new = [name for name in filled.evidence if name not in state.evidence]
    if new:
        known = filled.known()
        fills = "".join(
            f'<li data-fact="{esc(n)}">{esc(rb.facts[n].label.get(lang))} = {esc(rb.label(n, known[n], lang))}</li>'
            for n in new
        )
        parts.append(f'<h2>{esc(word("evidence_fills", lang))}</h2><ul class="fills">{fills}</ul>')
    else:
        parts.append(f"<p>{esc(word('evidence_nothing', lang))}</p>")
    if notices:
        parts.append(
            '<ul class="warnings">' + "".join(f"<li>{esc(n.message(lang, rb))}</li>" for n in notices) + "</ul>"
        )
    main = f"""<section class="card evidence-read" aria-labelledby="evidence-read">
<h1 id="evidence-read">{esc(word("evidence_says", lang))}</h1>
{"".join(parts)}
<form method="get" action="/" class="continue">
{hidden(filled.pairs())}
<button type="submit" autofocus>{esc(word("continue", lang))}</button>
</form>
</section>"""
    return frame(state, rb, word("evidence_says", lang), main, other=filled.href(lang="en" if lang == "nb" else "nb"))


def message_view(service: Service, state: State, title: str, problems: list | None = None, text: str = "") -> str:
    """A page that says what went wrong (a bad link, a bad upload, a failure), with a way back to the start."""
    lang = state.lang
    body = f"<p>{esc(text)}</p>" if text else ""
    main = f"""<section class="card message" aria-labelledby="message">
<h1 id="message">{esc(title)}</h1>
{body}{problems_list(problems) if problems else ""}
<nav class="moves"><a href="{esc(state.restart())}" class="restart">{esc(word("restart", lang))}</a></nav>
</section>"""
    return frame(state, service.rulebase, title, main)
