"""How a rulebase says evidence is read: its ``evidence:`` section, read at load time as an Extension.

The rulebase layer knows nothing of mail: it hands this section to
``EVIDENCE`` (through ``spor.api``), which builds an ``EvidenceSpec`` and
checks it, each problem at its file, line and column. A second kind of
evidence is a new part of this section and a new reader beside
``reports`` and ``events``.
"""

from __future__ import annotations

from spor.common.messages import Msg
from spor.common.records import field, record
from spor.rulebase.joiner import Extension, Joiner, text_of
from spor.rulebase.model import Meaning, Rulebase, Text

SECTION = "evidence"
# the pattern lists whose matches are read through a named group, and that group's name
GROUPS = {"recipient": "rcpt", "diagnostic": "diag", "reporting_mta": "host", "remote_mta": "host"}


@record
class ReportSpec:
    """How to read a returned message (a bounce), from the rulebase's ``evidence.reports``."""

    label: Text
    actions: dict  # action -> Meaning
    patterns: dict = field(default_factory=dict)  # pattern list name -> tuple of regex texts
    report_types: tuple = ()  # multipart/report report-type values that are complaints, not bounces


@record
class EventSpec:
    """How to read a provider's event log, from the rulebase's ``evidence.events``."""

    label: Text
    fields: dict  # part -> tuple of field names tried in order
    ranks: dict  # event -> rank
    meanings: dict  # "event" or "event/type" -> Meaning


@record
class EvidenceSpec:
    """Everything a rulebase says about reading evidence; absent parts are None or empty."""

    reports: ReportSpec | None = None
    events: EventSpec | None = None
    classifications: dict = field(default_factory=dict)  # label -> Meaning
    codes: dict = field(default_factory=dict)  # "5.1.1", "5.1" or "5" -> Meaning


NONE = EvidenceSpec()


def evidence_spec(rulebase: Rulebase) -> EvidenceSpec:
    """The rulebase's evidence spec (an empty one when it has no ``evidence:``, or was loaded without it)."""
    return rulebase.extensions.get(SECTION) or NONE


class EvidenceExtension(Extension):
    """The ``loader.Extension`` that reads ``evidence:``."""

    name: str = "evidence"
    section: str | None = SECTION

    def read(self, joiner: Joiner) -> EvidenceSpec:
        found = joiner.section(SECTION)
        if found is None:
            return NONE
        doc, data = found

        def meanings(key: tuple, entries: dict) -> dict[str, Meaning]:
            return {
                name: joiner.meaning(doc, (SECTION,) + key + (name,), name, entry) for name, entry in entries.items()
            }

        reports = events = None
        if "reports" in data:
            spec, at = data["reports"], (SECTION, "reports")
            for name, texts in spec.get("patterns", {}).items() if not joiner.checked else ():  # compiled before
                from spor.evidence.patterns import catastrophic  # only when checking: not at every start

                joiner.patterns(doc, at + ("patterns", name), texts, GROUPS.get(name))
                for i, text in enumerate(texts):
                    why = catastrophic(text)
                    if why:
                        joiner.report(doc, at + ("patterns", name, i), Msg("regex_slow", pattern=text, why=why))
            reports = ReportSpec(
                label=text_of(spec["label"]),
                actions=meanings(("reports", "actions"), spec["actions"]),
                patterns={k: tuple(v) for k, v in spec.get("patterns", {}).items()},
                report_types=tuple(t.lower() for t in spec.get("report_types", ())),
            )
        if "events" in data:
            spec = data["events"]
            events = EventSpec(
                label=text_of(spec["label"]),
                fields={k: tuple(v) for k, v in spec["fields"].items()},
                ranks=dict(spec["ranks"]),
                meanings=meanings(("events", "meanings"), spec["meanings"]),
            )
        codes: dict[str, Meaning] = {}
        for i, entry in enumerate(data.get("codes", [])):
            if entry["code"] in codes:
                joiner.report(doc, (SECTION, "codes", i, "code"), Msg("ev_code_twice", code=entry["code"]))
            codes[entry["code"]] = joiner.meaning(doc, (SECTION, "codes", i), entry["code"], entry)
        return EvidenceSpec(
            reports=reports,
            events=events,
            codes=codes,
            classifications=meanings(("classifications",), data.get("classifications", {})),
        )


EVIDENCE = EvidenceExtension()
