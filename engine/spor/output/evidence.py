"""Findings in evidence, as text for an agent and as JSON (one object per finding).

Each finding shows what was read (recipient, codes, servers, events), what
each part means and whose side must act, from the rulebase, and the case
facts it implies. ``text`` calls :func:`lines` for a result's evidence, and
``record`` calls :func:`as_json`.
"""

from __future__ import annotations

import json

from spor.common.errors import printable
from spor.common.messages import number, say
from spor.common.messages import text as t
from spor.evidence.findings import EVENTS, NOT_REPORT, UNREAD
from spor.evidence.spec import evidence_spec
from spor.output.layout import wrap  # one line style for all text output


def lines(explained, rulebase, lang: str, indent: str = "  ") -> list:
    """Text lines for findings, each a small block."""
    out = []
    for item in explained:
        f = item.finding
        if f.kind in (NOT_REPORT, UNREAD):
            label = t("ev_not_report" if f.kind == NOT_REPORT else "ev_unread", lang)
            out.append(wrap(f"{f.source}: {label}: {say(f.note, lang)}", indent + "  ", indent))
            continue
        head = f"{f.source}: {f.recipient or '?'}" + (f" ({say(f.note, lang)})" if f.note and f.kind != EVENTS else "")
        out.append(wrap(head, indent + "  ", indent))
        inner = indent + "  "
        for meaning in item.meanings:
            out.append(
                wrap(
                    f"{_what(meaning, f, lang)}: {meaning.meaning.get(lang)} ({', '.join(meaning.cites)})",
                    inner + "  ",
                    inner,
                )
            )
        for key, value in (
            ("ev_reply", f.reply),
            ("ev_diagnostic", f.diagnostic),
            ("ev_reporting", f.reporting),
            ("ev_remote", f.remote),
        ):
            if value:
                out.append(wrap(f"{t(key, lang)}: {value}", inner + "  ", inner))
        if f.kind == EVENTS and f.events:
            out.append(
                wrap(f"{t('ev_events', lang)}: {', '.join(f.events)} ({say(f.note, lang)})", inner + "  ", inner)
            )
        if item.side:
            out.append(wrap(f"{t('side', lang)}: {rulebase.sides[item.side].get(lang)}", inner + "  ", inner))
        if item.facts:
            shown = ", ".join(f"{name} = {value}" for name, value in item.facts.items())
            out.append(wrap(f"{t('ev_implies', lang)}: {shown}", inner + "  ", inner))
    # a bounce is text from anywhere: every line is made safe to print (no escape sequence reaches a terminal)
    return [printable(line, lines=True) for line in out] or [indent + t("ev_nothing", lang)]


def _what(meaning, finding, lang: str) -> str:
    """What a meaning is the meaning of: the action or event, the status code, or the classification."""
    if meaning.key == finding.classification:
        return f"{t('ev_classification', lang)} {meaning.key}"
    if finding.status and finding.status.startswith(meaning.key) and meaning.key[:1].isdigit():
        return f"{t('ev_status', lang)} {finding.status}"
    return f"{t('ev_event' if finding.kind == EVENTS else 'ev_action', lang)} {meaning.key}"


def as_json(item, rulebase, lang: str) -> dict:
    """One finding as plain data."""
    f = item.finding
    return {
        "source": f.source,
        "kind": f.kind,
        "recipient": f.recipient,
        "domain": f.domain,
        "action": f.action,
        "type": f.type,
        "status": f.status,
        "reply": f.reply,
        "diagnostic": f.diagnostic,
        "reporting_mta": f.reporting,
        "remote_mta": f.remote,
        "classification": f.classification,
        "message": f.message,
        "time": f.time,
        "events": list(f.events),
        "note": f.note,
        "meanings": [
            {"of": m.key, "meaning": m.meaning.get(lang), "side": m.side, "cites": list(m.cites)} for m in item.meanings
        ],
        "side": item.side,
        "facts": item.facts,
    }


def json_line(item, rulebase, lang: str) -> str:
    return json.dumps(as_json(item, rulebase, lang), ensure_ascii=False)


def heading(reading, rulebase, lang: str) -> str:
    """The line above a file's findings: its name and what kind of evidence it was read as.

    A message that is no bounce (a complaint, an automatic reply) is headed
    as a mail message, not with the rulebase's name for a bounce, so that the
    heading and the finding under it say the same.
    """
    spec = evidence_spec(rulebase)
    label = {"events": spec.events, "message": spec.reports}.get(reading.kind)
    if (
        reading.kind == "message"
        and reading.explained
        and all(item.finding.kind in (NOT_REPORT, UNREAD) for item in reading.explained)
    ):
        return printable(f"{reading.source}: {t('ev_mail_message', lang)}")
    return printable(f"{reading.source}: {label.label.get(lang) if label else reading.kind}")


def tally(files_read: int, found: int, counted: dict, lang: str = "en") -> str:
    """The closing line of ``spor evidence``: files, findings, and what the event logs held."""
    n = {key: number(value, lang) for key, value in counted.items()}
    events = t("ev_tally_events", lang, **n) if counted else ""
    return t("ev_tally", lang, files=files_read, found=found) + events
