"""The report as one self-contained HTML file: charts as inline SVG, each beside a table of its numbers.

One file that reads without JavaScript, prints, and can be mailed: no
script, no stylesheet or font fetched, and a Content-Security-Policy that
forbids every request, so that a browser opening it asks the network for
nothing. Every text from the rulebase or the log is escaped.
"""

from __future__ import annotations

from html import escape

from spor.decisionlog import charts
from spor.decisionlog.words import percent, word

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.pair { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; flex: 1 1 30rem; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 0.9rem; flex: 1 1 20rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #6b4e00; background: #fff6d6; padding: 0.4rem 0.6rem; }
@media print { .pair { display: block; } h2 { break-after: avoid; } }
"""
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(report: dict, lang: str) -> str:
    drawn = charts.available()
    total = report["decisions"]
    title = word("title", lang, rulebase=report["rulebase"]["id"])
    parts = [
        "<!doctype html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        "<p>",
        f"{escape(word('decisions', lang))}: <strong>{total:,}</strong>",
        f" · {escape(word('period', lang))}: {escape(_period(report, lang))}",
        f" · {escape(report['rulebase']['hash'] or '')}",
        "</p>",
    ]
    if report["errors"]:
        parts.append(f"<p>{escape(word('errors', lang))}: {report['errors']:,}</p>")
    if not drawn:
        parts.append(f'<p class="note">{escape(word("chart_note", lang))}</p>')

    def section(heading: str, chart, columns: list, rows: list, intro: str = "") -> None:
        parts.append(f"<h2>{escape(heading)}</h2>")
        if intro:
            parts.append(f"<p>{escape(intro)}</p>")
        parts.append('<div class="pair">')
        if drawn and rows and chart is not None:
            parts.append(
                f"<figure>{chart()}<figcaption>{escape(word('chart_of', lang, title=heading))}</figcaption></figure>"
            )
        parts.append(_table(heading, columns, rows))
        parts.append("</div>")

    outcomes = report["outcomes"]
    weeks = report["weeks"]
    ids = [o["outcome"] for o in outcomes]
    sides_by_week = sorted({side for w in weeks for side in w["sides"]})
    section(
        word("outcomes", lang),
        (
            lambda: charts.stacked(
                word("weeks", lang),
                [_week(w["week"], lang) for w in weeks],
                {_outcome(o, lang): [w["outcomes"].get(o or "", 0) for w in weeks] for o in ids},
            )
        )
        if weeks
        else None,
        [word("outcome", lang), word("side", lang), word("count", lang), word("share", lang)],
        [
            (f"{o['outcome'] or ''} {o['label']}", o["side"] or "", o["count"], percent(o["share"], lang))
            for o in outcomes
        ],
    )
    section(
        word("sides", lang),
        lambda: charts.bars(
            word("sides", lang), [s["label"] for s in report["sides"]], [s["count"] for s in report["sides"]]
        ),
        [word("side", lang), word("count", lang), word("share", lang)],
        [(s["label"], s["count"], percent(s["share"], lang)) for s in report["sides"]],
    )
    if len(weeks) > 1 or (weeks and weeks[0]["week"] != "undated"):
        parts.append(
            _table(
                word("weeks", lang),
                [word("weeks", lang), word("decisions", lang), *[s or word("undecided", lang) for s in sides_by_week]],
                [
                    (_week(w["week"], lang), w["decisions"], *[w["sides"].get(s, 0) for s in sides_by_week])
                    for w in weeks
                ],
            )
        )
    silent = report["silent"]
    if silent["section"]:
        section(
            word("silent", lang, section=silent["section"]),
            None,
            [word("fact", lang), word("count", lang), word("cases", lang)],
            [("; ".join(g["labels"]), g["count"], ", ".join(g["cases"])) for g in silent["groups"]],
            intro=word(
                "silent_rate",
                lang,
                count=f"{silent['count']:,}",
                total=f"{total:,}",
                percent=percent(silent["share"], lang),
                section=silent["section"],
            ),
        )
    codes = report["evidence_codes"]
    if codes:
        section(
            word("codes", lang),
            lambda: charts.bars(word("codes", lang), [c["code"] for c in codes], [c["count"] for c in codes]),
            [
                word("code", lang),
                word("class", lang),
                word("subject", lang),
                word("count", lang),
                word("meaning", lang),
            ],
            [(c["code"], c["class"], c["subject"], c["count"], c["meaning"]) for c in codes],
        )
        for key, title in (("evidence_subjects", "codes_by_subject"), ("evidence_classes", "codes_by_class")):
            groups = report[key]
            parts.append(
                _table(
                    word(title, lang),
                    [
                        word("subject" if key == "evidence_subjects" else "class", lang),
                        word("count", lang),
                        word("meaning", lang),
                    ],
                    [(g["group"], g["count"], g["meaning"]) for g in groups],
                )
            )
    questions = report["questions"]
    if questions:
        names = ("asked", "answered", "why", "abandoned")
        section(
            word("questions", lang),
            lambda: charts.grouped(
                word("questions", lang),
                [q["label"] for q in questions],
                {word(n, lang): [q[n] for q in questions] for n in names},
            ),
            [word("fact", lang), *[word(n, lang) for n in names], word("seconds", lang)],
            [(q["label"], *[q[n] for n in names], "" if q["seconds"] is None else q["seconds"]) for q in questions],
            intro=word("interviews", lang, **{k: f"{v:,}" for k, v in report["interviews"].items()}),
        )
    sections = report["sections"]
    section(
        word("sections", lang),
        lambda: charts.bars(
            word("sections", lang), [f"{s['section']} {s['label']}" for s in sections], [s["count"] for s in sections]
        ),
        [word("section", lang), word("count", lang)],
        [(f"{s['section']} {s['label']}", s["count"]) for s in sections],
    )
    section(
        word("rules", lang),
        None,
        [word("rule", lang), word("count", lang)],
        [(r["rule"], r["count"]) for r in report["rules"]] + [(rule, 0) for rule in report["rules_never_fired"]],
    )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _table(caption: str, columns: list, rows: list) -> str:
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in columns)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>" for row in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value) -> str:
    if isinstance(value, int):
        return f'<td class="n">{value:,}</td>'
    return f"<td>{escape(str(value))}</td>"


def _week(week: str, lang: str) -> str:
    return word("undated", lang) if week == "undated" else week


def _outcome(outcome, lang: str) -> str:
    return word("undecided", lang) if outcome is None else str(outcome)


def _period(report: dict, lang: str) -> str:
    period = report["period"]
    if period["first"]:
        return f"{period['first']} – {period['last']}"
    return word("all_time", lang)
