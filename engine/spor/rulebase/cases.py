"""Case files: read, validate against the schema, and normalise their values.

A case names values the way people write them (a label in either
language, a synonym, any letter case, ``yes``/``ja``/``true``); this module
maps each to the value id the rules use, or reports the value with the
closest allowed one. Nothing a case gives is
dropped: an unknown fact or value is an error, never ignored.
"""

from __future__ import annotations

from pathlib import Path

from spor.common import schemas
from spor.common.errors import InputError, Problem, shown
from spor.common.files import DOCUMENT_SUFFIXES, JSON_LINES_SUFFIXES, atomic_write, files_in
from spor.common.messages import Msg, Pair
from spor.common.reader import Document, read_document
from spor.common.reasons import did_you_mean, os_reason
from spor.common.records import field, record
from spor.rulebase import vocabulary
from spor.rulebase.model import OUTCOME, Rulebase

MAX_CASE_BYTES = 1 << 20
CASE_SUFFIXES = DOCUMENT_SUFFIXES
MANY_CASES = (*JSON_LINES_SUFFIXES, ".csv")  # files of many cases, read by spor batch alone


def case_files(folder: Path) -> list:
    """The case files under a folder, searched recursively, in path order (``files.files_in``'s policy)."""
    return files_in(folder, CASE_SUFFIXES)


def case_paths(arguments) -> list:
    """Command-line case arguments as paths: a folder stands for its case files; files and ``-`` stay as given."""
    paths: list = []
    problems = []
    for argument in arguments:
        if argument != "-" and Path(argument).is_dir():
            found = case_files(Path(argument))
            if not found:
                problems.append(Problem(shown(argument), Msg("no_case_files")))
            paths += map(str, found)
        else:
            paths.append(argument)
    if problems:
        raise InputError(problems)
    return paths


@record
class Case:
    id: str
    source: str
    facts: dict  # fact id -> value id
    title: str = ""
    notes: str = ""
    expect: dict | None = None  # normalised like facts
    document: Document | None = field(default=None, repr=False)


class Normaliser:
    """Maps written values to value ids for one rulebase."""

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self.tables = {fid: vocabulary.build(f.values)[0] for fid, f in rulebase.facts.items()}
        self._memo: dict = {}  # (fact, raw, written) -> (value id, message): exports repeat few spellings
        self._plain: dict = {}  # (fact, text) -> value id, for data without spellings (JSON): the common case, quickly
        self._seen: dict = {}  # a record's facts as (name, text) pairs -> their normalised facts (``known_case``)
        self._seen_pairs = 0  # facts in all, over what ``_seen`` holds

    def value(self, fact_id: str, raw, written: str | None = None):
        """(value id, None) or (None, message); ``written`` is the scalar as the file spelt it."""
        key = (fact_id, type(raw), raw, written)
        found = self._memo.get(key)
        if found is None:
            found = self._value(fact_id, raw, written)
            if len(self._memo) < 100_000:
                self._memo[key] = found
        return found

    def _value(self, fact_id: str, raw, written):
        fact = self.rulebase.facts[fact_id]
        text = vocabulary.scalar_text(fact, raw, written)
        if text is None:
            return None, Msg("expected_value", fact=fact_id, raw=raw, allowed=self._allowed(fact))
        found = self.tables[fact_id].get(vocabulary.token(text))
        if found is None:
            words = [w for v in fact.values for w in vocabulary.words(v)]
            hint = did_you_mean(vocabulary.token(text), sorted({vocabulary.token(w) for w in words}))
            return None, Msg("not_a_value", raw=text, fact=fact_id, hint=hint, allowed=self._allowed(fact))
        return found, None

    # what ``known_case`` remembers: distinct combinations of facts, and their facts in all (about 130 bytes each:
    # at most 6.5 MB); beyond either, new ones are not remembered
    MAX_SEEN, MAX_SEEN_PAIRS = 20_000, 50_000

    def known_case(self, data, source: str) -> Case | None:
        """The case of plain data (JSON, CSV: no spellings) of the usual shape, every value a text, with no
        problem; None for anything else, which ``case_from_document`` then reads (and explains).

        A batch export repeats few combinations of facts, and the same
        facts always check and normalise alike: such a record needs only its
        own fields checked (``schemas.plainly_valid_frame``) and a look-up,
        a few microseconds where the general path takes about ten. Only
        facts written as their value ids are remembered: text, so that ``1``
        and ``true`` (equal keys in Python) never stand for each other, and
        no longer than the rulebase's own ids, so that memory stays small
        however the values are padded. The case has no ``document``.
        """
        if not schemas.plainly_valid_frame(data) or "expect" in data:
            return None
        facts = data["facts"]
        try:
            known = self._seen.get(tuple(facts.items()))
        except TypeError:  # a value that is a list or a mapping: the general path explains it
            return None
        if known is None:
            if not all(type(v) is str for v in facts.values()) or not schemas.plainly_valid_facts(facts):
                return None
            problems: list = []
            known = self.facts(facts, Document(source, data), ("facts",), problems)
            if problems:
                return None  # the general path reports them
            if (
                known == facts  # each value written as its id: no longer than the rulebase's own texts
                and len(self._seen) < self.MAX_SEEN
                and self._seen_pairs + len(known) <= self.MAX_SEEN_PAIRS
            ):
                self._seen_pairs += len(known)
                self._seen[tuple(known.items())] = known  # the rulebase's own id texts, not the record's copies
        case_id = data.get("id", source)
        return Case(
            id=case_id if type(case_id) is str else str(case_id),
            source=source,
            facts=dict(known),  # the case's own: nothing it is given to may change what is remembered
            title=data.get("title", ""),
            notes=data.get("notes", ""),
        )

    def _allowed(self, fact) -> Pair:
        """Each value as a case may name it: its id and its label; in English both labels (a case may use either,
        and the product's screens are Norwegian), in Norwegian the Norwegian one."""
        nb = ", ".join(f"{v.id} ({v.label.nb})" for v in fact.values)
        return Pair(nb, ", ".join(f"{v.id} ({v.label.nb} / {v.label.en})" for v in fact.values))

    def facts(self, data: dict, doc: Document, path: tuple, problems: list) -> dict:
        out = {}
        plain = None if doc.raw else self._plain  # JSON data: no spellings to keep, a text value says it all
        for name, raw in data.items():
            if plain is not None and type(raw) is str:
                found = plain.get((name, raw))
                if found is not None:
                    out[name] = found
                    continue
            where = path + (name,)
            if name not in self.rulebase.facts:
                problems.append(
                    doc.problem(
                        where,
                        Msg(
                            "unknown_case_fact",
                            name=name,
                            hint=did_you_mean(name, self.rulebase.facts),
                            known=", ".join(self.rulebase.facts),
                        ),
                        at_key=True,
                    )
                )
                continue
            if raw is None:  # written as null: explicitly unknown
                continue
            value, message = self.value(name, raw, doc.raw.get(where))
            if message:
                problems.append(doc.problem(where, message))
            else:
                out[name] = value
                if plain is not None and type(raw) is str and len(plain) < 100_000:
                    plain[(name, raw)] = value
        return out


def _written_id(doc: Document, value: object) -> str:
    """A case's id as its file wrote it: YAML reads ``00123`` as 83 (octal), ``12:30`` as 750, ``1_000`` as 1000."""
    if isinstance(value, str):
        return value
    written = doc.raw.get(("id",))
    return written if isinstance(written, str) else str(value)


def case_from_document(doc: Document, normaliser: Normaliser, default_id: str | None = None) -> Case:
    """Validate one parsed case document and normalise its facts; raise InputError listing every problem.

    A case without an ``id`` is named ``default_id``, or after its file.
    """
    if doc.data is None:
        raise InputError([Problem(doc.name, Msg("case_file_empty"))])
    problems = schemas.validate(doc, "case")
    if problems:
        raise InputError(problems)
    data = doc.data
    assert isinstance(data, dict)  # the case schema requires a mapping
    facts = normaliser.facts(data["facts"], doc, ("facts",), problems)
    expect = _expect(data.get("expect"), doc, normaliser, problems)
    if problems:
        raise InputError(problems)
    if default_id is None:
        default_id = Path(doc.name).stem if doc.name not in ("-", "<stdin>") else "stdin"
    return Case(
        id=_written_id(doc, data.get("id", default_id)),
        source=doc.name,
        facts=facts,
        title=data.get("title", ""),
        notes=data.get("notes", ""),
        expect=expect,
        document=doc,
    )


def _expect(data, doc, normaliser, problems):
    if data is None:
        return None
    rb = normaliser.rulebase
    expect = dict(data)
    outcome = data.get("outcome")
    if outcome is not None and outcome not in rb.outcomes:
        problems.append(
            doc.problem(
                ("expect", OUTCOME), Msg("unknown_outcome", name=outcome, hint=did_you_mean(outcome, rb.outcomes))
            )
        )
    if "facts" in data:
        expect["facts"] = normaliser.facts(data["facts"], doc, ("expect", "facts"), problems)
    for key in ("missing", "assumed"):
        for i, name in enumerate(data.get(key, [])):
            if name not in rb.facts:
                problems.append(
                    doc.problem(("expect", key, i), Msg("unknown_fact", name=name, hint=did_you_mean(name, rb.facts)))
                )
    return expect


def load_case(path, normaliser: Normaliser, *, stream=None, name: str | None = None) -> Case:
    """Read a case file (``-`` with ``stream`` for standard input)."""
    suffix = Path(str(path)).suffix.lower()
    if stream is None and suffix in MANY_CASES:
        kind = "CSV" if suffix == ".csv" else "JSON Lines"
        raise InputError([Problem(shown(path), Msg("many_cases_file", kind=kind))])
    doc = read_document(path, name=name, max_bytes=MAX_CASE_BYTES, stream=stream)
    return case_from_document(doc, normaliser)


def write_case(path, start: Case | None, case_id: str, facts: dict, note=(), expect: dict | None = None) -> list:
    """Write a case file (YAML, atomically) with ``facts``; what the starting case held is kept.

    ``note``: lines added to the case's notes (which facts came from
    evidence, not from the agent). ``expect``: an expect block to write
    instead of the starting case's (which is otherwise kept as written).
    Returns the lines left out because the notes would be longer than a
    case may hold (it would be refused when read back). Raises InputError
    when the file cannot be written.
    """
    import yaml

    data: dict = {"id": case_id}
    if start and start.title:
        data["title"] = start.title
    notes, left_out = start.notes if start and start.notes else "", []
    for line in note:
        if len(notes) + 1 + len(line) > schemas.MAX_NOTES:
            left_out.append(line)
            continue
        notes = f"{notes}\n{line}" if notes else line
    if notes:
        data["notes"] = notes
    data["facts"] = facts
    if expect is not None:
        data["expect"] = expect
    elif start and start.expect and start.document is not None and isinstance(start.document.data, dict):
        data["expect"] = start.document.data["expect"]  # as written, not normalised
    try:
        atomic_write(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    except OSError as exc:
        raise InputError([Problem(str(path), Msg("cannot_write", detail=os_reason(exc)))]) from None
    return left_out
