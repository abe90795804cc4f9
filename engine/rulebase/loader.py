"""Load a rulebase folder: read, validate against the schema, resolve references.

A rulebase is a folder of YAML (or JSON) rule files. Each file is checked
against ``schemas/rulefile.schema.json``; then the files are joined and the
references between them checked: conditions name declared facts and
values, conclusions name derived facts and outcomes, every citation names a
declared section, derived facts do not depend on themselves. Every problem
found is reported (file, line, column, message), not just the first.
"""
from __future__ import annotations


from spor.common.records import field, record
from pathlib import Path

from spor.common import schemas
from spor.rulebase import vocabulary
from spor.rulebase.conditions import RESERVED, ConditionParser, Known, facts_read, signed_leaves
from spor.common.errors import InputError, Problem
from spor.rulebase.model import (OUTCOME, PLACEHOLDER, EventSpec, Evidence, Fact, Meaning, Origin, Outcome, ReportSpec, Rule,
                    Rulebase, Text, Value)
from spor.common.reader import Document, read_document
from spor.common.suggest import closest

MAX_FILES = 200
GROUPS = {"recipient": "rcpt", "diagnostic": "diag", "reporting_mta": "host", "remote_mta": "host"}  # what is read
MAX_FILE_BYTES = 16 << 20
# a bound on work and memory; what the engine itself can take is checked
# by compiler.fan_out
MAX_RULES = 10000
RESERVED_FACTS = RESERVED | {OUTCOME, "sid", "id"}
SUFFIXES = (".yaml", ".yml", ".json")


@record
class Loaded:
    """A rulebase and the warnings found while loading it."""

    rulebase: Rulebase
    warnings: list = field(default_factory=list)
    docs: dict = field(default_factory=dict, repr=False)  # file name -> Document, when parsed


def rule_files(folder: Path) -> list:
    """The rule files of a folder, sorted by name (their order is the rulebase's order)."""
    if not folder.exists():
        raise InputError([Problem(str(folder), "no such folder (expected a rulebase folder of YAML rule files)")])
    if not folder.is_dir():
        raise InputError([Problem(str(folder), "not a folder (expected a rulebase folder of YAML rule files)")])
    root = folder.resolve()
    files, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        if not path.resolve().is_relative_to(root):
            problems.append(Problem(str(path), "links outside the rulebase folder: rule files must live in the folder"))
            continue
        files.append(path)
    if len(files) > MAX_FILES:
        problems.append(Problem(str(folder), f"{len(files)} rule files; at most {MAX_FILES} are read"))
    if not files and not problems:
        problems.append(Problem(str(folder), "holds no rule files (*.yaml, *.yml or *.json)"))
    if problems:
        raise InputError(problems)
    return files


def load(folder) -> Loaded:
    """Read, validate and join the rule files of ``folder``; raise InputError listing every problem.

    A rulebase that loaded cleanly before, with the same bytes in every
    file, is read back from the on-disk cache (``cache``) instead of being
    parsed and schema-validated again: that is most of a command's start-up.
    """
    from spor.rulebase import cache

    folder = Path(folder)
    files = rule_files(folder)
    return _load_keyed(folder, files, *cache.rulebase_key(files))


def _load_keyed(folder: Path, files: list, key: str, blobs: list) -> Loaded:
    """``load`` once the files are listed, read and checksummed."""
    from spor.rulebase import cache

    stored = cache.read(key)
    if stored is not None and len(stored) == len(files):
        try:
            docs = {str(path): cache.thaw(str(path), entry) for path, entry in zip(files, stored)}
            return _Joiner(folder, docs, checked=True).join()
        except Exception:  # a damaged cache entry: read the files themselves
            pass
    loaded = _load_files(folder, files, blobs)
    cache.write(key, [cache.freeze(doc) for doc in loaded.docs.values()])
    return loaded


def _load_files(folder: Path, files: list, blobs: list):
    from spor.common.reader import parse

    docs, problems = {}, []
    for path, blob in zip(files, blobs):
        try:
            if blob is None:
                doc = read_document(path, max_bytes=MAX_FILE_BYTES)
            else:
                doc = parse(str(path), blob, as_json=path.suffix.lower() == ".json")
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if doc.data is None:
            problems.append(Problem(doc.name, "the file is empty: expected a mapping with rulebase, facts, rules or outcomes"))
            continue
        found = schemas.validate(doc, "rules")
        problems.extend(found)
        if not found:
            docs[doc.name] = doc
    if problems:
        raise InputError(problems)
    loaded = _Joiner(folder, docs).join()
    loaded.docs = docs
    return loaded


_CACHE: dict = {}
CACHE_SIZE = 8


def load_cached(folder) -> Loaded:
    """``load``, reusing the result in this process while every rule file has the same bytes."""
    from spor.rulebase import cache

    folder = Path(folder)
    files = rule_files(folder)
    key, blobs = cache.rulebase_key(files)  # read once, for both caches
    entry = (str(folder.resolve()), key)
    if entry not in _CACHE:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[entry] = _load_keyed(folder, files, key, blobs)
    return _CACHE[entry]


class _Joiner:
    """Joins validated documents into one Rulebase, collecting every reference problem."""

    def __init__(self, folder: Path, docs: dict, checked: bool = False):
        self.folder = folder
        self.docs = docs
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
            self.report(doc, path, f"duplicate {kind} id {ident!r}: first declared in {first_doc.name}:{line}")
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
        sections = {k: _text(v) for k, v in meta["data"]["sections"].items()}
        sides = {k: _text(v) for k, v in meta["data"]["sides"].items()}
        references = {k: _text(v) for k, v in meta["data"].get("references", {}).items()}
        self.sections = sections
        self.citable = {**sections, **references}
        facts = self.facts()
        for i, name in enumerate(meta["data"].get("summary", [])):
            if name not in facts:
                self.report(meta["doc"], ("rulebase", "summary", i), f"unknown fact {name!r}{closest(name, facts)}")
        outcomes = self.outcomes(sides, facts)
        rules = self.rules(facts, outcomes)
        evidence = self.evidence(sides, facts)
        if not self.checked:  # the two costly analyses; their answer depends only on the files' bytes
            self.widths(rules)
            self.placeholders(facts, rules)
        if len(rules) > MAX_RULES:
            self.problems.append(Problem(str(self.folder), f"{len(rules)} rules; spor reads at most {MAX_RULES} in one rulebase"))
        self.derivations(facts, rules)
        if self.problems:
            raise InputError(sorted(self.problems, key=lambda p: (p.file, p.line or 0, p.column or 0)))
        data = meta["data"]
        rulebase = Rulebase(
            id=data["id"], title=_text(data["title"]), source=data["source"], sections=sections, sides=sides,
            facts=facts, rules=rules, outcomes=outcomes, folder=str(self.folder),
            fallback_section=data.get("fallback_section"), summary=tuple(data.get("summary", ())), files=tuple(self.docs),
            origins={("section", key): Origin(**_origin(meta["doc"], ("rulebase", "sections", key))) for key in sections},
            references=references, evidence=evidence,
        )
        return Loaded(rulebase, self.warnings)

    def metadata(self):
        found = [(doc, doc.data["rulebase"]) for doc in self.docs.values() if "rulebase" in doc.data]
        if not found:
            self.problems.append(Problem(str(self.folder), "no file declares the rulebase (a top-level 'rulebase:' with id, title, source, sections, sides)"))
            return None
        for doc, _ in found[1:]:
            first = found[0][0]
            self.report(doc, ("rulebase",), f"a second 'rulebase:' declaration (the first is in {first.name}): only one file may have it", at_key=True)
        doc, data = found[0]
        if data.get("fallback_section") and data["fallback_section"] not in data["sections"]:
            self.report(doc, ("rulebase", "fallback_section"), f"{data['fallback_section']!r} is not one of the declared sections")
        return {"doc": doc, "data": data}

    def cites(self, doc, path, cites):
        for i, section in enumerate(cites):
            if section not in self.citable:
                self.report(doc, path + (i,), f"cites {section!r}, which is not a section of the article "
                            f"nor a declared reference (declared: {', '.join(self.citable)})")
        return tuple(cites)

    def facts(self) -> dict:
        facts = {}
        for doc, path, data in self.entries("facts"):
            ident = data["id"]
            if ident in RESERVED_FACTS:
                self.report(doc, path + ("id",), f"{ident!r} is a reserved word and cannot name a fact")
                continue
            if not self.unique("fact", ident, doc, path + ("id",)):
                continue
            if data["type"] == "yesno":
                values = vocabulary.YESNO_VALUES
            else:
                values = tuple(Value(v["id"], _text(v["label"]), tuple(v.get("synonyms", ()))) for v in data["values"])
                seen = set()
                for i, value in enumerate(values):
                    if value.id in seen:
                        self.report(doc, path + ("values", i, "id"), f"duplicate value {value.id!r} in fact {ident!r}")
                    seen.add(value.id)
            for word, first, second in vocabulary.build(values)[1]:
                self.report(doc, path + ("values",), f"{word!r} names both {first!r} and {second!r}: a case could not tell them apart")
            facts[ident] = Fact(
                id=ident, type=data["type"], label=_text(data["label"]), values=values,
                derived=data.get("derived", False),
                question=_text(data["question"]) if "question" in data else None,
                where=_text(data["where"]) if "where" in data else None,
                cites=self.cites(doc, path + ("cites",), data.get("cites", [])),
                **_origin(doc, path),
            )
        return facts

    def outcomes(self, sides, facts) -> dict:
        outcomes = {}
        for doc, path, data in self.entries("outcomes"):
            ident = data["id"]
            if not self.unique("outcome", ident, doc, path + ("id",)):
                continue
            if data["side"] not in sides:
                self.report(doc, path + ("side",), f"unknown side {data['side']!r}{closest(data['side'], sides)}; declared: {', '.join(sides)}")
            for key in ("verdict", "reply", "steps"):
                for lang, text in data[key].items():
                    texts = text if isinstance(text, list) else [text]
                    for i, one in enumerate(texts):
                        where = path + (key, lang) + ((i,) if isinstance(text, list) else ())
                        for name in PLACEHOLDER.findall(one):
                            if name not in facts:
                                self.report(doc, where, f"{{{name}}} names no fact{closest(name, facts)}")
                            else:
                                self.filled.setdefault(ident, {}).setdefault(name, (doc, where))
            outcomes[ident] = Outcome(
                id=ident, side=data["side"], cites=self.cites(doc, path + ("cites",), data["cites"]),
                verdict=_text(data["verdict"]), steps={k: tuple(v) for k, v in data["steps"].items()},
                reply=_text(data["reply"]), **_origin(doc, path),
            )
        return outcomes

    def rules(self, facts, outcomes) -> list:
        rules = []
        for doc, path, data in self.entries("rules"):
            ident = data["id"]
            unique = self.unique("rule", ident, doc, path + ("id",))
            cites = self.cites(doc, path + ("cites",), data["cites"])
            parser = ConditionParser(facts, lambda p, m, at_key=False, doc=doc: self.report(doc, p, m, at_key=at_key),
                                     lambda p, doc=doc: doc.raw.get(tuple(p)))
            when = parser.parse(data["when"], path + ("when",))
            for leaf, negated in signed_leaves(when):
                if isinstance(leaf, Known) and negated and leaf.fact in facts and facts[leaf.fact].derived:
                    self.report(doc, path + ("when",), f"tests that the derived fact {leaf.fact!r} is unknown: rules may "
                                "still conclude it later in the chain, so the answer would depend on rule order; "
                                "test the facts it is derived from instead")
            (target, raw), = data["then"].items()
            value = self.conclusion(doc, path + ("then", target), target, raw, facts, outcomes)
            if unique and value is not None:
                rules.append(Rule(
                    id=ident, title=_text(data["title"]), cites=cites, when=when, target=target, value=value,
                    priority=data.get("priority", 0), **_origin(doc, path), index=len(rules),
                ))
        return rules

    def conclusion(self, doc, path, target, raw, facts, outcomes):
        if target == OUTCOME:
            if raw not in outcomes:
                self.report(doc, path, f"unknown outcome {raw!r}{closest(str(raw), outcomes)}")
                return None
            return raw
        fact = facts.get(target)
        if fact is None:
            self.report(doc, path, f"concludes unknown fact {target!r}{closest(target, facts)}", at_key=True)
            return None
        if not fact.derived:
            self.report(doc, path, f"concludes {target!r}, which a case gives: only facts marked 'derived: true' can be concluded", at_key=True)
            return None
        values = ConditionParser(facts, lambda p, m, at_key=False: self.report(doc, p, m),
                                 lambda p: doc.raw.get(tuple(p))).values(fact, raw, path)
        return next(iter(values), None)

    def evidence(self, sides, facts) -> Evidence:
        """The rulebase's ``evidence:`` (at most one file has it): how to read evidence and what it means."""
        found = [(doc, doc.data["evidence"]) for doc in self.docs.values() if "evidence" in doc.data]
        for doc, _ in found[1:]:
            self.report(doc, ("evidence",), f"a second 'evidence:' declaration (the first is in {found[0][0].name}): "
                        "only one file may have it", at_key=True)
        if not found:
            return Evidence()
        doc, data = found[0]
        meanings = lambda key, entries: {  # noqa: E731
            name: self.meaning(doc, ("evidence",) + key + (name,), name, entry, sides, facts) for name, entry in entries.items()}
        reports = events = None
        if "reports" in data:
            spec, at = data["reports"], ("evidence", "reports")
            for name, texts in spec.get("patterns", {}).items() if not self.checked else ():  # compiled before
                self.patterns(doc, at + ("patterns", name), texts, GROUPS.get(name))
            reports = ReportSpec(label=_text(spec["label"]), actions=meanings(("reports", "actions"), spec["actions"]),
                                 patterns={k: tuple(v) for k, v in spec.get("patterns", {}).items()},
                                 report_types=tuple(t.lower() for t in spec.get("report_types", ())))
        if "events" in data:
            spec = data["events"]
            events = EventSpec(label=_text(spec["label"]), fields={k: tuple(v) for k, v in spec["fields"].items()},
                               ranks=dict(spec["ranks"]), meanings=meanings(("events", "meanings"), spec["meanings"]))
        codes = {}
        for i, entry in enumerate(data.get("codes", [])):
            if entry["code"] in codes:
                self.report(doc, ("evidence", "codes", i, "code"), f"status code {entry['code']} is listed twice")
            codes[entry["code"]] = self.meaning(doc, ("evidence", "codes", i), entry["code"], entry, sides, facts)
        return Evidence(reports=reports, events=events, codes=codes,
                        classifications=meanings(("classifications",), data.get("classifications", {})))

    def meaning(self, doc, path, key, data, sides, facts) -> Meaning:
        if data["side"] not in sides:
            self.report(doc, path + ("side",), f"unknown side {data['side']!r}{closest(data['side'], sides)}; declared: {', '.join(sides)}")
        implied = {}
        for name, raw in data.get("facts", {}).items():
            fact = facts.get(name)
            if fact is None:
                self.report(doc, path + ("facts", name), f"unknown fact {name!r}{closest(name, facts)}", at_key=True)
            elif fact.derived:
                self.report(doc, path + ("facts", name), f"{name!r} is derived by the rules: evidence can only imply facts a case gives", at_key=True)
            else:
                values = ConditionParser(facts, lambda p, m, at_key=False: self.report(doc, p, m),
                                         lambda p: doc.raw.get(tuple(p))).values(fact, raw, path + ("facts", name))
                if values:
                    implied[name] = next(iter(values))
        return Meaning(key=key, meaning=_text(data["meaning"]), side=data["side"],
                       cites=self.cites(doc, path + ("cites",), data["cites"]), facts=implied, **_origin(doc, path))

    def patterns(self, doc, path, texts, group=None):
        """Regular expressions from a rule file must compile (they are matched, never run as code), and hold
        the named group their list is read for."""
        import re

        for i, text in enumerate(texts):
            try:
                compiled = re.compile(text)
            except re.error as exc:
                self.report(doc, path + (i,), f"not a valid regular expression: {exc}")
                continue
            if group and group not in compiled.groupindex:
                self.report(doc, path + (i,), f"has no group (?P<{group}>...): that group is what this list reads")
            if re.search(r"\^\\s[*+]", text):
                self.report(doc, path + (i,), "'^\\s*' also runs across line ends, which makes a pattern take time "
                            "growing with the square of a long text: write '^[ \\t]*' instead")

    def placeholders(self, facts, rules):
        """A {fact} in an outcome's text must be known whenever a rule reaches that outcome."""
        from spor.rulebase.boxes import ABSENT, TooComplex, boxes

        for rule in rules:
            for name, (doc, where) in self.filled.get(rule.value if rule.target == OUTCOME else None, {}).items():
                try:
                    regions = boxes(rule.when, facts)
                except TooComplex:
                    continue
                if any(name not in box or ABSENT in box[name] for box in regions):
                    self.report(doc, where, f"{{{name}}} may be unknown when rule {rule.id!r} reaches this outcome: "
                                "name only facts that every rule concluding it tests")

    def widths(self, rules):
        """Refuse what the inference engine cannot take: a node of 512 siblings hangs it, 65 pending tests fail a case."""
        from spor.inference.compiler import MAX_PENDING, MAX_SIBLINGS, TooWide, deepest, fan_out, network

        try:
            built = network(rules)
            width, owners = fan_out(rules, built)
            depth, pending_owners = deepest(rules, built)
        except TooWide as exc:
            self.problems.append(Problem(str(self.folder), f"a rule's condition is too large for the inference engine: {exc}"))
            return
        if width > MAX_SIBLINGS:
            self.network_problem(rules, owners, lambda names: (
                f"the rules {names} start with {width} different "
                f"tests side by side; the inference engine takes at most {MAX_SIBLINGS}: split them by a common first test "
                "(an extra derived fact) or narrow the 'any' lists"))
        if depth > MAX_PENDING:
            self.network_problem(rules, pending_owners, lambda names: (
                f"a case can pass up to {depth} tests of the rules {names} at once (each rule also tests that its "
                f"derived fact is still unknown, and each 'any' adds a test of its own); the inference engine keeps at "
                f"most {MAX_PENDING} pending while it matches a case: conclude fewer derived facts side by side, give "
                "these rules a common first test (an extra derived fact), or turn an 'any' shared by many rules into a "
                "derived fact"))

    def network_problem(self, rules, owners, message) -> None:
        """A problem about the engine's network, at the first rule it names; ``message(names)`` words it."""
        first = next(r for r in rules if r.id == owners[0]) if owners else None
        names = f"{', '.join(owners[:5])}{' and others' if len(owners) > 5 else ''}"
        self.problems.append(Problem(first.file if first else str(self.folder), message(names),
                                     first.line if first else None, first.column if first else None))

    def derivations(self, facts, rules):
        """Derived facts need rules, and may not depend on themselves."""
        depends = {}
        for rule in rules:
            if rule.target != OUTCOME:
                depends.setdefault(rule.target, set()).update(f for f in facts_read(rule.when) if facts.get(f) and facts[f].derived)
        for fact in facts.values():
            if fact.derived and fact.id not in depends:
                self.warnings.append(Problem(fact.file, f"derived fact {fact.id!r} is concluded by no rule", fact.line,
                                             fact.column, severity="warning", code="underived_fact"))
        for start in depends:
            cycle = _cycle(start, depends)
            if cycle and cycle[0] == min(cycle):
                ring = cycle + [cycle[0]]
                for target, source in zip(ring, ring[1:]):  # the rules that close the circle
                    for rule in rules:
                        if rule.target == target and source in facts_read(rule.when):
                            self.problems.append(Problem(
                                rule.file, f"rule {rule.id!r} derives {target!r} from {source!r}, which depends on "
                                f"{target!r} again: {' -> '.join(ring)}", rule.line, rule.column))


def _cycle(start, depends, path=None):
    path = path or [start]
    for nxt in sorted(depends.get(path[-1], ())):
        if nxt == start:
            return path
        if nxt not in path:
            found = _cycle(start, depends, path + [nxt])
            if found:
                return found
    return None


def _origin(doc: Document, path) -> dict:
    """Where an entry was declared, as keyword arguments for the model's dataclasses."""
    line, column = doc.position(path)
    return {"file": doc.name, "line": line, "column": column}


def _text(data) -> Text:
    return Text(data["nb"], data["en"])
