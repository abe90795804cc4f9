"""The report as plain text, for a terminal or a ticket: headings, then aligned counts and shares."""

from __future__ import annotations

from spor.common.errors import printable
from spor.common.messages import number
from spor.decisionlog.words import percent, word

TOP = 15  # rows shown per table in text; the JSON and HTML reports have every row


def render_text(report: dict, lang: str) -> str:
    out: list[str] = []
    total = report["decisions"]
    out.append(word("title", lang, rulebase=f"{report['rulebase']['id']} {report['rulebase']['hash']}".strip()))
    period = report["period"]
    span = f"{period['first'] or '–'} … {period['last'] or '–'}" if period["first"] else word("all_time", lang)
    out.append(f"{word('period', lang)}: {span}")
    out.append(f"{word('decisions', lang)}: {number(total, lang)}")
    if report["errors"]:
        out.append(f"{word('errors', lang)}: {number(report['errors'], lang)}")
    for logged in report["logged_rulebases"]:
        if (logged["id"], logged["hash"]) != (report["rulebase"]["id"], report["rulebase"]["hash"]) and logged["hash"]:
            out.append(
                word(
                    "other_rulebase",
                    lang,
                    count=number(logged["decisions"], lang),
                    id=logged["id"],
                    hash=logged["hash"],
                )
            )
    if not total and not report["interviews"]["sessions"]:
        out.append("")
        out.append(word("nothing", lang))
        return printable("\n".join(out), lines=True) + "\n"

    def table(title: str, rows: list) -> None:
        out.append("")
        out.append(title)
        rows = rows[:TOP] + ([("…", "", "")] if len(rows) > TOP else [])
        width = max((len(str(r[1])) for r in rows), default=0)
        for label, count, extra in rows:
            out.append(f"  {str(count).rjust(width)}  {extra:>7}  {label}".rstrip())

    table(
        word("outcomes", lang),
        [
            (
                f"{o['outcome'] or word('undecided', lang)}: {o['label']}",
                number(o["count"], lang),
                percent(o["share"], lang),
            )
            for o in report["outcomes"]
        ],
    )
    table(
        word("sides", lang),
        [(s["label"], number(s["count"], lang), percent(s["share"], lang)) for s in report["sides"]],
    )
    if len(report["weeks"]) > 1 or (report["weeks"] and report["weeks"][0]["week"] != "undated"):
        table(
            word("weeks", lang),
            [
                (
                    _week(w["week"], lang)
                    + ": "
                    + ", ".join(f"{k or word('undecided', lang)} {number(v, lang)}" for k, v in w["sides"].items()),
                    number(w["decisions"], lang),
                    "",
                )
                for w in report["weeks"]
            ],
        )
    silent = report["silent"]
    if silent["section"]:
        out.append("")
        out.append(word("silent", lang, section=silent["section"]))
        out.append(
            "  "
            + word(
                "silent_rate",
                lang,
                count=number(silent["count"], lang),
                total=number(total, lang),
                percent=percent(silent["share"], lang),
                section=silent["section"],
            )
        )
        if silent["groups"]:
            table(
                word("silent_groups", lang),
                [
                    (
                        "; ".join(g["labels"]) + (f"  [{', '.join(g['cases'])}]" if g["cases"] else ""),
                        number(g["count"], lang),
                        "",
                    )
                    for g in silent["groups"]
                ],
            )
    incomplete = report["incomplete"]
    if incomplete["count"]:
        table(
            f"{word('incomplete', lang)}: {number(incomplete['count'], lang)} ({percent(incomplete['share'], lang)}) — "
            f"{word('next_question', lang)}",
            [(q["label"], number(q["count"], lang), "") for q in incomplete["next_question"]],
        )
    if report["assumed"]:
        table(word("assumed", lang), [(a["label"], number(a["count"], lang), "") for a in report["assumed"]])
    if report["evidence_codes"]:
        table(
            word("codes", lang),
            [(f"{c['code']}: {c['meaning']}", number(c["count"], lang), "") for c in report["evidence_codes"]],
        )
        for key, title in (("evidence_subjects", "codes_by_subject"), ("evidence_classes", "codes_by_class")):
            table(
                word(title, lang),
                [(f"{g['group']}: {g['meaning']}", number(g["count"], lang), "") for g in report[key]],
            )
    if report["from_evidence"]:
        table(
            word("from_evidence", lang), [(f["label"], number(f["count"], lang), "") for f in report["from_evidence"]]
        )
    interviews = report["interviews"]
    if interviews["sessions"]:
        out.append("")
        out.append(word("interviews", lang, **{k: number(v, lang) for k, v in interviews.items()}))
        table(
            word("questions", lang),
            [
                (
                    f"{q['label']} ({word('answered', lang)} {q['answered']}, {word('why', lang)} {q['why']}, "
                    f"{word('abandoned', lang)} {q['abandoned']})",
                    number(q["asked"], lang),
                    word("asked", lang),
                )
                for q in report["questions"]
            ],
        )
    table(word("rules", lang), [(r["rule"], number(r["count"], lang), "") for r in report["rules"]])
    if report["rules_never_fired"]:
        out.append("")
        out.append(f"{word('never_fired', lang)} ({len(report['rules_never_fired'])}):")
        out += [f"  {rule}" for rule in report["rules_never_fired"]]
    table(
        word("sections", lang),
        [(f"{s['section']} {s['label']}".strip(), number(s["count"], lang), "") for s in report["sections"]],
    )
    return printable("\n".join(out), lines=True) + "\n"


def _week(week: str, lang: str) -> str:
    return word("undated", lang) if week == "undated" else word("week_of", lang, day=week)
