"""Join validated rule files into one Rulebase, checking the references between them.

Conditions name declared facts and values, conclusions name derived facts
and outcomes, every citation names a declared section or reference,
derived facts do not depend on themselves, and every ``{fact}`` an outcome
names is known when a rule reaches it. Every problem found is collected,
each at its file, line and column, not just the first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spor.common.errors import InputError, Problem
from spor.common.messages import Joined, Msg
from spor.common.reader import Document
from spor.common.reasons import did_you_mean
from spor.common.records import field, record
from spor.rulebase import vocabulary
from spor.rulebase.chains import derivation_problems, placeholder_problems
from spor.rulebase.conditions import RESERVED, ConditionParser, Known, signed_leaves
from spor.rulebase.model import (
    OUTCOME,
    PLACEHOLDER,
    WARNING,
    Fact,
    Meaning,
    Origin,
    Outcome,
    Rule,
    Rulebase,
    Sections,
    Text,
    Value,
)

# a bound on work and memory; what the inference engine itself can take is checked by its own extension
MAX_RULES = 10000
RESERVED_FACTS = RESERVED | {OUTCOME, WARNING, "sid", "id"}


class Extension:
    """What a layer above adds to loading a rulebase; an extension subclasses this.

    ``section`` names a top-level key of rule files that ``read`` turns into
    the layer's own data (kept in ``Rulebase.extensions`` under that name),
    or is None; ``check`` adds problems about the joined rules. Both report
    through the Joiner, at a file, line and column. ``check`` is skipped for
    a rulebase read back from the cache: its files passed every check before.
    A plain base class, not a ``typing.Protocol``: creating a Protocol class
    costs about 1 ms of every command's start-up.
    """

    name: str = ""  # part of the cache key: a rulebase is cached per set of extensions
    section: str | None = None

    def read(self, joiner: Joiner) -> Any:
        """The section's data as the extension's own objects (only called when ``section`` is set)."""
        return None

    def check(self, joiner: Joiner, rules: list) -> None:
        """Add problems about the joined rules through ``joiner``."""


@record
class Loaded:
    """A rulebase and the warnings found while loading it."""

    rulebase: Rulebase
    warnings: list = field(default_factory=list)
    docs: dict = field(default_factory=dict, repr=False)  # file name -> Document, when parsed
    key: str = ""  # what the rulebase's answers depend on: its files' bytes, spor's code (``cache.rulebase_key``)
    digest: str = ""  # a short checksum of the rule files alone, to say which rulebase was used


class Joiner:
    """Joins validated documents into one Rulebase, collecting every reference problem.

    Extensions (``loader.Extension``) read their own sections and add their own checks through its public
    methods: ``report``, ``section``, ``meaning``, ``patterns``, ``network_problem``.
    """

    def __init__(self, folder: Path, docs: dict, checked: bool = False, extensions: Sequence[Extension] = ()):
        self.folder = folder
        self.docs = docs
        self.extensions = tuple(extensions)
        self.sides: dict = {}
        self.facts_by_id: dict = {}
        self.checked = checked  # the same bytes passed every check before (from the cache)
        self.problems: list = []
        self.warnings: list = []
        self.seen: dict = {}  # (kind, id) -> (doc, path)
        self.filled: dict = {}  # outcome id -> {fact named by a {placeholder}: (doc, path)}

    def report(self, doc, path, message, *, at_key=False, severity="error"):
        problem = doc.problem(path, message, at_key=at_key, severity=severity)
        (self.problems if severity == "error" else self.warnings).append(problem)

    def unique(self, kind, ident, doc, path) -> bool:
        if (kind, ident) in self.seen:
            first_doc, first_path = self.seen[(kind, ident)]
            line, _ = first_doc.position(first_path)
            self.report(
                doc, path, Msg("duplicate_id", kind=Msg("kind_" + kind), id=ident, file=first_doc.name, line=line)
            )
            return False
        self.seen[(kind, ident)] = (doc, path)
        return True

    def entries(self, key):
        for doc in self.docs.values():
            for i, data in enumerate(doc.data.get(key, [])):
                yield doc, (key, i), data

    def join(self) -> Loaded:

        meta = self.metadata()
        if meta is None:
            raise InputError(self.problems)
        sections = {k: text_of(v) for k, v in meta["data"]["sections"].items()}
        sides = {k: text_of(v) for k, v in meta["data"]["sides"].items()}
        references = {k: text_of(v) for k, v in meta["data"].get("references", {}).items()}
        self.sections = sections
        self.citable = {**sections, **references}
        facts = self.facts()
        for i, name in enumerate(meta["data"].get("summary", [])):
            if name not in facts:
                self.report(
                    meta["doc"],
                    ("rulebase", "summary", i),
                    Msg("unknown_fact", name=name, hint=did_you_mean(name, facts)),
                )
        outcomes = self.outcomes(sides, facts)
        rules = self.rules(facts, outcomes)
        self.sides, self.facts_by_id = sides, facts
        readers: dict[str, Callable[[], Any]] = {
            e.section: functools.partial(e.read, self) for e in self.extensions if e.section
        }
        # read back from the cache: each section is read when first asked for
        extended = Sections(readers, self.problems) if self.checked else {k: read() for k, read in readers.items()}
        if not self.checked:  # the costly analyses; their answer depends only on the files' bytes
            for extension in self.extensions:
                extension.check(self, rules)
            self.problems += placeholder_problems(self.filled, facts, rules)
        if len(rules) > MAX_RULES:
            self.problems.append(
                Problem(str(self.folder), Msg("too_many_rules_read", count=len(rules), limit=MAX_RULES))
            )
        errors, warnings = derivation_problems(facts, rules)
        self.problems += errors
        self.warnings += warnings
        if self.problems:
            raise InputError(sorted(self.problems, key=lambda p: (p.file, p.line or 0, p.column or 0)))
        data = meta["data"]
        rulebase = Rulebase(
            id=data["id"],
            title=text_of(data["title"]),
            source=data["source"],
            sections=sections,
            sides=sides,
            facts=facts,
            rules=rules,
            outcomes=outcomes,
            folder=str(self.folder),
            fallback_section=data.get("fallback_section"),
            summary=tuple(data.get("summary", ())),
            files=tuple(self.docs),
            origins={
                ("section", key): Origin(**origin(meta["doc"], ("rulebase", "sections", key))) for key in sections
            },
            references=references,
            extensions=extended,
        )
        return Loaded(rulebase, self.warnings)

    def metadata(self):
        found = [(doc, doc.data["rulebase"]) for doc in self.docs.values() if "rulebase" in doc.data]
        if not found:
            self.problems.append(Problem(str(self.folder), Msg("no_rulebase_declared")))
            return None
        for doc, _ in found[1:]:
            first = found[0][0]
            self.report(
                doc,
                ("rulebase",),
                Msg("second_declaration", section="rulebase", first=first.name),
                at_key=True,
            )
        doc, data = found[0]
        if data.get("fallback_section") and data["fallback_section"] not in data["sections"]:
            self.report(
                doc,
                ("rulebase", "fallback_section"),
                Msg("fallback_not_a_section", section=data["fallback_section"]),
            )
        return {"doc": doc, "data": data}

    def cites(self, doc, path, cites):
        for i, section in enumerate(cites):
            if section not in self.citable:
                self.report(
                    doc,
                    path + (i,),
                    Msg("cites_unknown", section=section, declared=", ".join(self.citable)),
                )
        return tuple(cites)

    def facts(self) -> dict:
        facts = {}
        for doc, path, data in self.entries("facts"):
            ident = data["id"]
            if ident in RESERVED_FACTS:
                self.report(doc, path + ("id",), Msg("reserved_fact", id=ident))
                continue
            if not self.unique("fact", ident, doc, path + ("id",)):
                continue
            if data["type"] == "yesno":
                values: tuple[Value, ...] = vocabulary.YESNO_VALUES
            else:
                values = tuple(
                    Value(v["id"], text_of(v["label"]), tuple(v.get("synonyms", ())), v.get("open", False))
                    for v in data["values"]
                )
                seen = set()
                for i, value in enumerate(values):
                    if value.id in seen:
                        self.report(doc, path + ("values", i, "id"), Msg("duplicate_value", value=value.id, fact=ident))
                    seen.add(value.id)
            for word, first, second in vocabulary.build(values)[1]:
                self.report(
                    doc,
                    path + ("values",),
                    Msg("ambiguous_word", word=word, first=first, second=second),
                )
            facts[ident] = Fact(
                id=ident,
                type=data["type"],
                label=text_of(data["label"]),
                values=values,
                derived=data.get("derived", False),
                question=text_of(data["question"]) if "question" in data else None,
                where=text_of(data["where"]) if "where" in data else None,
                cites=self.cites(doc, path + ("cites",), data.get("cites", [])),
                **origin(doc, path),
            )
        return facts

    def outcomes(self, sides, facts) -> dict:
        outcomes = {}
        for doc, path, data in self.entries("outcomes"):
            ident = data["id"]
            if not self.unique("outcome", ident, doc, path + ("id",)):
                continue
            if data["side"] not in sides:
                self.report(
                    doc,
                    path + ("side",),
                    Msg(
                        "unknown_side",
                        side=data["side"],
                        hint=did_you_mean(data["side"], sides),
                        declared=", ".join(sides),
                    ),
                )
            for key in ("verdict", "reply", "steps"):
                for lang, text in data[key].items():
                    texts = text if isinstance(text, list) else [text]
                    for i, one in enumerate(texts):
                        where = path + (key, lang) + ((i,) if isinstance(text, list) else ())
                        for name in PLACEHOLDER.findall(one):
                            if name not in facts:
                                self.report(
                                    doc, where, Msg("placeholder_no_fact", name=name, hint=did_you_mean(name, facts))
                                )
                            else:
                                self.filled.setdefault(ident, {}).setdefault(name, (doc, where))
            outcomes[ident] = Outcome(
                id=ident,
                side=data["side"],
                cites=self.cites(doc, path + ("cites",), data["cites"]),
                verdict=text_of(data["verdict"]),
                steps={k: tuple(v) for k, v in data["steps"].items()},
                reply=text_of(data["reply"]),
                **origin(doc, path),
            )
        return outcomes

    def rules(self, facts, outcomes) -> list:
        rules: list[Rule] = []
        for doc, path, data in self.entries("rules"):
            ident = data["id"]
            unique = self.unique("rule", ident, doc, path + ("id",))
            cites = self.cites(doc, path + ("cites",), data["cites"])
            parser = ConditionParser(
                facts,
                lambda p, m, at_key=False, doc=doc: self.report(doc, p, m, at_key=at_key),
                lambda p, doc=doc: doc.raw.get(tuple(p)),
            )
            when = parser.parse(data["when"], path + ("when",))
            for leaf, negated in signed_leaves(when):
                if isinstance(leaf, Known) and negated and leaf.fact in facts and facts[leaf.fact].derived:
                    self.report(
                        doc,
                        path + ("when",),
                        Msg("tests_derived_unknown", fact=leaf.fact),
                    )
            ((target, raw),) = data["then"].items()
            warning = text_of(raw) if target == WARNING else None  # the schema holds it to {nb, en}
            value = ident if warning else self.conclusion(doc, path + ("then", target), target, raw, facts, outcomes)
            if unique and value is not None:
                rules.append(
                    Rule(
                        id=ident,
                        title=text_of(data["title"]),
                        cites=cites,
                        when=when,
                        target=target,
                        value=value,
                        priority=data.get("priority", 0),
                        **origin(doc, path),
                        index=len(rules),
                        warning=warning,
                    )
                )
        return rules

    def conclusion(self, doc, path, target, raw, facts, outcomes):
        if target == OUTCOME:
            if raw not in outcomes:
                self.report(doc, path, Msg("unknown_outcome", name=raw, hint=did_you_mean(str(raw), outcomes)))
                return None
            return raw
        fact = facts.get(target)
        if fact is None:
            self.report(
                doc, path, Msg("concludes_unknown_fact", name=target, hint=did_you_mean(target, facts)), at_key=True
            )
            return None
        if not fact.derived:
            self.report(
                doc,
                path,
                Msg("concludes_given_fact", name=target),
                at_key=True,
            )
            return None
        values = ConditionParser(
            facts, lambda p, m, at_key=False: self.report(doc, p, m), lambda p: doc.raw.get(tuple(p))
        ).values(fact, raw, path)
        return next(iter(values), None)

    def meaning(self, doc, path, key, data) -> Meaning:
        """A meaning (of a finding, say) declared in an extension's section, its side and implied facts checked."""
        sides, facts = self.sides, self.facts_by_id
        if data["side"] not in sides:
            self.report(
                doc,
                path + ("side",),
                Msg(
                    "unknown_side", side=data["side"], hint=did_you_mean(data["side"], sides), declared=", ".join(sides)
                ),
            )
        implied = {}
        for name, raw in data.get("facts", {}).items():
            fact = facts.get(name)
            if fact is None:
                self.report(
                    doc,
                    path + ("facts", name),
                    Msg("unknown_fact", name=name, hint=did_you_mean(name, facts)),
                    at_key=True,
                )
            elif fact.derived:
                self.report(
                    doc,
                    path + ("facts", name),
                    Msg("implies_derived", name=name),
                    at_key=True,
                )
            else:
                values = ConditionParser(
                    facts, lambda p, m, at_key=False: self.report(doc, p, m), lambda p: doc.raw.get(tuple(p))
                ).values(fact, raw, path + ("facts", name))
                if values:
                    implied[name] = next(iter(values))
        return Meaning(
            key=key,
            meaning=text_of(data["meaning"]),
            side=data["side"],
            cites=self.cites(doc, path + ("cites",), data["cites"]),
            facts=implied,
            **origin(doc, path),
        )

    def section(self, key: str):
        """(document, data) of the top-level section ``key``, or None; only one file may declare it."""
        found = [(doc, doc.data[key]) for doc in self.docs.values() if key in doc.data]
        for doc, _ in found[1:]:
            self.report(
                doc,
                (key,),
                Msg("second_declaration", section=key, first=found[0][0].name),
                at_key=True,
            )
        return found[0] if found else None

    def patterns(self, doc, path, texts, group=None):
        """Regular expressions from a rule file must compile (they are matched, never run as code), and hold
        the named group their list is read for."""
        import re

        for i, text in enumerate(texts):
            try:
                compiled = re.compile(text)
            except re.error as exc:
                self.report(doc, path + (i,), Msg("bad_regex", detail=str(exc)))
                continue
            if group and group not in compiled.groupindex:
                self.report(doc, path + (i,), Msg("regex_no_group", group=group))
            if re.search(r"\^\\s[*+]", text):
                self.report(doc, path + (i,), Msg("regex_caret_space"))

    def network_problem(self, rules, owners, message) -> None:
        """A problem about the inference engine's network, at the first rule it names; ``message(names)`` words it."""
        first = next(r for r in rules if r.id == owners[0]) if owners else None
        names = Joined(owners[:5], ", ") if len(owners) <= 5 else Msg("and_others", names=", ".join(owners[:5]))
        self.problems.append(
            Problem(
                first.file if first else str(self.folder),
                message(names),
                first.line if first else None,
                first.column if first else None,
            )
        )


def origin(doc: Document, path) -> dict:
    """Where an entry was declared, as keyword arguments for the model's dataclasses."""
    line, column = doc.position(path)
    return {"file": doc.name, "line": line, "column": column}


def text_of(data) -> Text:
    return Text(data["nb"], data["en"])
