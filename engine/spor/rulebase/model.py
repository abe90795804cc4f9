"""The rulebase as plain data: what the loader builds and every other module reads.

Nothing here knows about any particular article: a rulebase is facts,
rules and outcomes, each carrying the file it came from so that later
reports can point back at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from spor.common.errors import InputError
from spor.common.records import field, record

OUTCOME = "outcome"  # the target name of rules that conclude an outcome
WARNING = "warning"  # the target name of rules that conclude a warning (a case that contradicts the article)
YES, NO = "yes", "no"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")  # {fact} in an outcome's texts


@record
class Text:
    """A text in Norwegian and English."""

    nb: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nb


@record
class Value:
    id: str
    label: Text
    synonyms: tuple = ()
    open: bool = False  # says "not known yet" (not read yet, another reason): evidence may replace it


@record
class Fact:
    id: str
    type: str  # "choice" or "yesno"
    label: Text
    values: tuple  # of Value, in declared order
    derived: bool = False
    question: Text | None = None
    where: Text | None = None
    cites: tuple = ()
    file: str = ""
    line: int | None = None
    column: int | None = None

    def prompt(self, lang: str) -> str:
        """What to ask the agent: the question, or the label for a fact without one."""
        return self.question.get(lang) if self.question else self.label.get(lang)

    def value(self, value_id: str) -> Value | None:
        for value in self.values:
            if value.id == value_id:
                return value
        return None

    def value_ids(self) -> tuple:
        return tuple(v.id for v in self.values)


@record
class Rule:
    id: str
    title: Text
    cites: tuple
    when: object  # a condition node from spor.rulebase.conditions
    target: str  # a derived fact's id, OUTCOME, or WARNING
    value: str  # the value (or outcome id) concluded; a warning rule's own id
    priority: int = 0
    file: str = ""
    line: int | None = None
    column: int | None = None
    index: int = 0  # position in the whole rulebase (definition order)
    warning: Text | None = None  # what a WARNING rule says


@record
class Outcome:
    id: str
    side: str
    cites: tuple
    verdict: Text
    steps: dict  # lang -> tuple of str
    reply: Text
    file: str = ""
    line: int | None = None
    column: int | None = None


@record
class Origin:
    """Where something was declared: for findings about things that are not facts, rules or outcomes."""

    file: str
    line: int | None = None
    column: int | None = None


@record
class Meaning:
    """What one kind of finding in the evidence means (a status code, an event, an action)."""

    key: str  # the code, event or action it is the meaning of
    meaning: Text
    side: str
    cites: tuple
    facts: dict  # input fact id -> value id it implies
    file: str = ""
    line: int | None = None
    column: int | None = None


@record
class Rulebase:
    id: str
    title: Text
    source: str
    sections: dict  # "§1" -> Text
    sides: dict  # side id -> Text
    facts: dict  # id -> Fact, in declared order
    rules: list  # of Rule, in definition order
    outcomes: dict  # id -> Outcome
    folder: str = ""
    fallback_section: str | None = None
    summary: tuple = ()  # facts whose values batch summaries count
    files: tuple = ()
    origins: dict = field(default_factory=dict)  # ("section", "§1") -> Origin
    references: dict = field(default_factory=dict)  # "RFC 3463" -> Text: sources beyond the article
    extensions: Mapping = field(default_factory=dict)  # section name -> what an Extension read from it (``Sections``)
    rules_for: dict = field(default_factory=dict)  # target -> [Rule]

    def __post_init__(self):
        self.rules_for = {}
        for rule in self.rules:
            self.rules_for.setdefault(rule.target, []).append(rule)

    def label(self, fact_id: str, value_id: str, lang: str) -> str:
        """The label of a value in the given language (the id when unknown)."""
        fact = self.facts.get(fact_id)
        value = fact.value(value_id) if fact else None
        return value.label.get(lang) if value else str(value_id)


class Sections(Mapping):
    """A rulebase's extension sections (``Rulebase.extensions``), each read when first asked for.

    For a rulebase read back from the cache, whose files passed every check
    when they were cached: ``spor run`` of a case without evidence never
    reads the evidence section (about 1 ms of its start-up). A read-only
    mapping, not a dict: every way of reading it (``get``, ``in``, ``==``,
    iterating) reads what it needs first, and what a dict would do silently
    on the unread part (``json.dumps``, ``copy``, ``setdefault``) fails
    loudly. Safe across threads (``spor serve`` reads uploads in worker
    threads): a section is kept once read; two threads asking at once may
    both read it, and get equal specs. A reader that fails fails again the
    next time it is asked.
    """

    def __init__(self, readers: dict[str, Callable[[], Any]], problems: list):
        self.readers, self.problems = readers, problems  # the loader's list, where a reader reports
        self.read: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self.read[key]
        except KeyError:
            pass
        reader = self.readers[key]  # KeyError: no such section
        before = len(self.problems)
        value = reader()
        if len(self.problems) > before:  # never for files that passed every check; said if it happens
            raise InputError(self.problems[before:])
        return self.read.setdefault(key, value)

    def __contains__(self, key: object) -> bool:
        return key in self.readers

    def __iter__(self) -> Iterator[str]:
        return iter(self.readers)

    def __len__(self) -> int:
        return len(self.readers)

    def __repr__(self) -> str:
        return f"Sections({sorted(self.readers)}, read: {sorted(self.read)})"
