"""The page's HTML: the frame every page shares, and the small pieces the views repeat.

Every text that comes from a rulebase, a case, a link or evidence goes
through :func:`esc` (``html.escape`` with quotes) before it is written:
nothing from outside is ever put into the page as markup. The page loads
one stylesheet and one script, both served by spor (``static/``); it
works without the script, which adds number keys, the copy button and
dropping files.
"""

from __future__ import annotations

from html import escape

from spor import __version__
from spor.rulebase.model import Rulebase
from spor.serve.state import State
from spor.serve.words import word


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def asset(name: str) -> str:
    return f"/static/{name}?v={__version__}"


def frame(state: State, rulebase: Rulebase, title: str, main: str, other: str | None = None) -> str:
    """A whole page: ``main`` (already HTML) inside the header with the language switch, and the footer."""
    lang = state.lang
    switch = "en" if lang == "nb" else "nb"
    other = other if other is not None else state.href(lang=switch)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{esc(title)} · spor</title>
<link rel="icon" href="{asset("icon.svg")}" type="image/svg+xml">
<link rel="stylesheet" href="{asset("spor.css")}">
<script src="{asset("spor.js")}" defer></script>
</head>
<body>
<header class="top">
<a class="home" href="{esc(state.restart())}">spor</a>
<span class="rulebase">{esc(rulebase.title.get(lang))}</span>
<a class="switch" href="{esc(other)}" hreflang="{switch}" lang="{switch}">{esc(word("other_lang", lang))}</a>
</header>
<main id="main">
{main}
</main>
<footer>
<p class="keys js-only">{esc(word("keys", lang))}</p>
<noscript><p>{esc(word("no_js", lang))}</p></noscript>
<p>{esc(word("rulebase", lang))}: {esc(rulebase.id)}</p>
</footer>
</body>
</html>
"""


def cites(rulebase: Rulebase, names, lang: str) -> str:
    """Sections (§3) and references (RFC 3463), each with its title to hover or read aloud."""
    out = []
    for name in names:
        text = rulebase.sections.get(name) or rulebase.references.get(name)
        title = f' title="{esc(text.get(lang))}"' if text is not None else ""
        out.append(f"<abbr{title}>{esc(name)}</abbr>")
    return f'<span class="cites">{" ".join(out)}</span>' if out else ""


def hidden(pairs: list) -> str:
    return "\n".join(f'<input type="hidden" name="{esc(n)}" value="{esc(v)}">' for n, v in pairs)


def moves(state: State) -> str:
    """Back (when there is an answer to undo) and restart, as plain links."""
    lang = state.lang
    back = state.back()
    links = [f'<a href="{esc(back)}" rel="prev" class="back">{esc(word("back", lang))}</a>'] if back else []
    links.append(f'<a href="{esc(state.restart())}" class="restart">{esc(word("restart", lang))}</a>')
    return f'<nav class="moves" aria-label="{esc(word("moves", lang))}">{" ".join(links)}</nav>'


def facts_panel(state: State, rulebase: Rulebase, derived: dict, title_key: str = "facts_so_far") -> str:
    """The facts of the case so far: each answer (given, from evidence, or not known) with a link to change it."""
    lang = state.lang
    if not state.answers and not derived:
        return ""
    rows = []
    for name, value in state.answers:
        fact = rulebase.facts[name]
        if value is None:
            shown, how = word("unknown", lang), word("not_known", lang)
        else:
            shown = rulebase.label(name, value, lang)
            how = word("from_evidence" if name in state.evidence else "given", lang)
        change = f' <a href="{esc(state.before(name))}" class="change">{esc(word("change", lang))}</a>'
        rows.append(
            f'<div data-fact="{esc(name)}"><dt>{esc(fact.label.get(lang))}</dt>'
            f'<dd>{esc(shown)} <span class="how">({esc(how)})</span>{change}</dd></div>'
        )
    for name, value in derived.items():
        rows.append(
            f'<div data-fact="{esc(name)}"><dt>{esc(rulebase.facts[name].label.get(lang))}</dt>'
            f'<dd>{esc(rulebase.label(name, value, lang))} <span class="how">({esc(word("derived", lang))})</span>'
            "</dd></div>"
        )
    return (
        f'<section class="facts" aria-labelledby="facts-head"><h2 id="facts-head">{esc(word(title_key, lang))}</h2>'
        f"<dl>{''.join(rows)}</dl>{download_form(state)}</section>"
    )


def download_form(state: State) -> str:
    lang = state.lang
    if not state.known():
        return ""
    return (
        '<form class="download" method="get" action="/case.yaml">'
        f"{hidden(state.pairs())}"
        f'<label>{esc(word("case_id", lang))} <input name="id" maxlength="200" autocomplete="off"></label> '
        f'<button type="submit">{esc(word("download", lang))}</button></form>'
    )


def evidence_form(state: State) -> str:
    """Upload evidence: a plain multipart form (the script lets a file be dropped on it, and sends it when picked)."""
    lang = state.lang
    return (
        '<section class="evidence" aria-labelledby="evidence-head">'
        f'<h2 id="evidence-head">{esc(word("evidence_head", lang))}</h2>'
        f'<form class="drop" method="post" action="/upload?{esc(state.query())}" enctype="multipart/form-data" '
        f'data-drop="{esc(word("evidence_drop", lang))}">'
        f"<p>{esc(word('evidence_help', lang))}</p>"
        f'<label for="evidence-files">{esc(word("evidence_files", lang))}</label> '
        '<input id="evidence-files" type="file" name="file" multiple '
        'accept=".eml,.json,.jsonl,.ndjson,.txt,message/rfc822,application/json"> '
        f'<button type="submit">{esc(word("evidence_read", lang))}</button>'
        "</form></section>"
    )


def problems_list(problems: list) -> str:
    return '<ul class="problems">' + "".join(f"<li><code>{esc(p)}</code></li>" for p in problems) + "</ul>"
