"""JSON Schema validation that reports every error at its line and column.

jsonschema reports a path inside the document; the reader's
:class:`~spor.common.reader.Document` turns that path into a line and column. The
messages are reworded for the people who edit these files: the unknown key
is named and located on the key itself, a bad name says what a name must
look like (from the schema's own description), and a failed ``oneOf``
reports the alternative that came closest instead of "is not valid under
any of the given schemas". Each message is a catalogue message
(``messages.Msg``) with a Norwegian wording too; a schema's description
gives both (``English / Norsk``). Only a kind of error no schema of spor's
makes yet is passed on in jsonschema's English words.
"""

from __future__ import annotations

import json
from functools import cache

from spor.common.messages import Joined, Msg, Pair
from spor.common.reader import Document
from spor.common.reasons import did_you_mean
from spor.common.resources import schemas_dir

SCHEMAS = {  # what ``spor schema KIND`` prints: KIND -> its file in schemas/
    "rules": "rulefile.schema.json",  # what spor reads
    "case": "case.schema.json",
    "result": "result.schema.json",  # what spor prints: spor run --format json
    "batch-record": "batch-record.schema.json",  # a line of spor batch (JSON Lines)
    "finding": "finding.schema.json",  # a line of spor evidence --format json
    "check-report": "check-report.schema.json",  # spor check --format json
    "test-report": "test-report.schema.json",  # spor test --format json
    "diff-record": "diff-record.schema.json",  # a line of spor diff --format json
}
_KINDS = frozenset(
    {"kind_object", "kind_array", "kind_string", "kind_boolean", "kind_integer", "kind_number", "kind_null"}
)


def schema_text(kind: str) -> str:
    """The schema of ``kind`` as one self-contained document: what ``spor schema KIND`` prints.

    The files in ``schemas/`` refer to each other by file name (``"$ref":
    "finding.schema.json"``, resolved against the file's own ``$id``). A schema
    that refers to others is printed bundled, the way JSON Schema 2020-12
    describes bundling: every schema it needs, directly or through another, is
    embedded under its ``$defs`` by file name, with its own ``$id``, so each
    ``$ref`` stays as written and resolves inside the one document. Any 2020-12
    validator can use the printed text alone, without the other files. A
    schema that refers to no other is printed as its file is.
    """
    text = (schemas_dir() / SCHEMAS[kind]).read_text(encoding="utf-8")
    schema = json.loads(text)
    needed = _needed(schema)
    if not needed:
        return text
    defs = dict(schema.get("$defs", {}))
    for name, sub in needed.items():
        if name in defs:
            raise ValueError(f"{SCHEMAS[kind]}: $defs already has {name!r}: it cannot embed {name}")
        defs[name] = sub
    return json.dumps({**schema, "$defs": defs}, indent=2, ensure_ascii=False) + "\n"


def _needed(schema: dict) -> dict:
    """The shipped schemas ``schema`` refers to, directly or through each other: file name -> schema."""
    from urllib.parse import urldefrag, urljoin

    by_id = {}
    for path in sorted(schemas_dir().glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        by_id[data.get("$id", path.name)] = (path.name, data)
    found, todo, seen = {}, [schema], {schema.get("$id")}
    while todo:
        current = todo.pop(0)
        base = current.get("$id", "")
        for ref in refs(current):
            uri = urldefrag(urljoin(base, ref)).url
            if not uri or uri == base:
                continue
            if uri not in by_id:
                raise ValueError(f"{base or 'a schema'}: $ref {ref!r} names no schema in {schemas_dir()}")
            if uri not in seen:
                seen.add(uri)
                name, data = by_id[uri]
                found[name] = data
                todo.append(data)
    return found


def refs(node):
    """Every ``$ref`` in a schema, in document order."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


@cache
def validator(kind: str):
    from jsonschema import Draft202012Validator  # imported here: it costs ~0.2 s

    schema = json.loads(schema_text(kind))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


CASE_KEYS = frozenset({"id", "title", "notes", "facts", "expect"})
EXPECT_KEYS = frozenset({"outcome", "facts", "missing", "warnings", "assumed"})


MAX_TITLE, MAX_NOTES = 500, 20000  # characters, as schemas/case.schema.json allows


def _names(value) -> bool:
    return type(value) is list and len(value) <= 200 and all(type(v) is str and len(v) <= 100 for v in value)


def _plain_expect(expect) -> bool:
    if type(expect) is not dict or not expect or not expect.keys() <= EXPECT_KEYS:
        return False
    outcome = expect.get("outcome")
    if outcome is not None and (type(outcome) is not str or len(outcome) > 100):
        return False
    facts = expect.get("facts", {})
    if type(facts) is not dict or len(facts) > 200:
        return False
    if not all(type(k) is str and (type(v) is bool or type(v) is str and len(v) <= 200) for k, v in facts.items()):
        return False
    return all(_names(expect[key]) for key in ("missing", "warnings", "assumed") if key in expect)


def plainly_valid_case(data) -> bool:
    """True only for case data that ``case.schema.json`` certainly accepts (the common shape).

    Checking this by hand costs microseconds where jsonschema costs half a
    millisecond and a 0.2 s import. Anything unusual (an odd type, a limit
    reached) returns False, and the full schema
    validation then runs and explains what is wrong. A test holds this to
    be a subset of the schema.
    """
    return plainly_valid_frame(data) and plainly_valid_facts(data["facts"])


def plainly_valid_frame(data) -> bool:
    """``plainly_valid_case`` for everything but the facts' names and values: that ``facts`` is a mapping of at
    most 200 entries is checked, what is in it is not. For a batch that has seen these very facts pass before."""
    if type(data) is not dict or not data.keys() <= CASE_KEYS:
        return False
    facts = data.get("facts")
    if type(facts) is not dict or len(facts) > 200:
        return False
    case_id = data.get("id", "")
    if type(case_id) is str:
        if "id" in data and not (0 < len(case_id) <= 200 and min(case_id) >= " "):  # no control character
            return False
    elif type(case_id) is not int or not 0 <= case_id <= 10**12:
        return False
    if "expect" in data and not _plain_expect(data["expect"]):
        return False
    for key, limit in (("title", MAX_TITLE), ("notes", MAX_NOTES)):
        if key in data and (type(data[key]) is not str or len(data[key]) > limit):
            return False
    return True


def plainly_valid_facts(facts: dict) -> bool:
    """The facts part of ``plainly_valid_case``: each name and value of a plain kind, within the schema's limits."""
    for name, value in facts.items():
        if type(name) is not str or not 0 < len(name) <= 100:
            return False
        kind = type(value)
        if kind is str:
            if len(value) > 200:
                return False
        elif kind is int:
            if not -(10**9) <= value <= 10**9:
                return False
        elif value is not None and kind is not bool:
            return False
    return True


def validate(doc: Document, kind: str) -> list:
    """Every schema problem of ``doc``, sorted by position."""
    if kind == "case" and plainly_valid_case(doc.data):
        return []
    problems = []
    for error in validator(kind).iter_errors(doc.data):
        problems.extend(_problems(doc, _closest(error)))
    unique = {(p.line, p.column, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0, p.message))


def _closest(error):
    """For oneOf/anyOf failures, the sub-error of the alternative that came closest."""
    from jsonschema.exceptions import best_match

    while error.context:
        deeper = best_match(error.context)
        if deeper is None:
            break
        error = deeper
    return error


def _problems(doc: Document, error) -> list:
    """The problems of one jsonschema error, each a catalogue message (``messages.Msg``) at its place."""
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        hint = Msg("schema_allowed_here", names=", ".join(allowed)) if allowed else ""
        return [
            doc.problem(
                path + (k,), Msg("schema_unknown_key", key=k, hint=did_you_mean(k, allowed), allowed=hint), at_key=True
            )
            for k in extras
        ]
    if "propertyNames" in error.schema_path:
        why = _describe(schema) or _no_match(error)
        return [
            doc.problem(path + (error.instance,), Msg("schema_bad_name", name=error.instance, why=why), at_key=True)
        ]
    if kind == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return [doc.problem(path, Msg("schema_required", name=name)) for name in missing]
    if kind == "type":
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        want = Joined([Msg("kind_" + n) if "kind_" + n in _KINDS else n for n in names], Msg("sep_or"))
        return [doc.problem(path, Msg("schema_type", want=want, found=written(doc, path, error.instance)))]
    if kind == "pattern":
        why = _describe(schema) or _no_match(error)
        return [doc.problem(path, Msg("schema_not_allowed", shown=written(doc, path, error.instance), why=why))]
    if kind == "enum":
        choices = ", ".join(json.dumps(v, ensure_ascii=False) for v in schema.get("enum", []))
        return [doc.problem(path, Msg("schema_enum", shown=written(doc, path, error.instance), choices=choices))]
    if kind == "const":
        return [doc.problem(path, Msg("schema_const", value=json.dumps(schema.get("const"))))]
    if kind in ("maxItems", "minItems", "maxProperties", "minProperties"):
        size = len(error.instance)
        limit = error.validator_value
        if kind == "maxProperties" and limit == 1 and path[-1:] == ("then",):
            return [doc.problem(path, _split_rule(doc.data, path, list(error.instance)))]
        what = ("items" if kind.endswith("Items") else "keys") + ("_one" if size == 1 else "")
        bound = ("schema_at_most" if kind.startswith("max") else "schema_at_least") + ("_one" if limit == 1 else "")
        return [
            doc.problem(path, Msg("schema_size", what=Msg("count_" + what, size=size), bound=Msg(bound, limit=limit)))
        ]
    if kind in ("maxLength", "minLength"):
        size, limit = len(error.instance), error.validator_value
        return [doc.problem(path, Msg("schema_" + kind, size=size, limit=limit))]
    if kind == "not" and isinstance(error.instance, dict):
        why = _describe(error.schema) or Msg("schema_other", detail=error.message)
        return [doc.problem(path, Msg("schema_combination", why=why))]
    if kind in ("minimum", "maximum") and isinstance(error.instance, (int, float)):
        return [doc.problem(path, Msg("schema_" + kind, value=error.instance, limit=error.validator_value))]
    if kind == "uniqueItems":
        return [doc.problem(path, Msg("schema_unique"))]
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return [doc.problem(path, Msg("schema_other", detail=message))]


def _no_match(error) -> Msg | str:
    """jsonschema's "'x' does not match '^...'", worded in the catalogue (for a pattern without a description)."""
    if error.validator == "pattern":
        return Msg("schema_no_match", name=error.instance, pattern=error.validator_value)
    return Msg("schema_other", detail=error.message)


def written(doc: Document, path, value):
    """How a scalar was written in the file (``yes`` rather than ``True``; an empty value said in words)."""
    if doc.raw.get(tuple(path)) == "" and value is None:
        return Msg("schema_empty_value")
    return doc.written(path, value)


def _split_rule(data, path: tuple, keys: list) -> Msg:
    """The message for a rule's ``then`` with more than one conclusion: name the rule, say to split it."""
    try:
        for step in path[:-1]:
            data = data[step]
    except (KeyError, IndexError, TypeError):
        data = None
    rule_id = data.get("id") if isinstance(data, dict) else None
    name = Msg("schema_rule_named", rule=rule_id) if isinstance(rule_id, str) else Msg("schema_this_rule")
    return Msg("schema_split_rule", name=name, count=len(keys), keys=", ".join(map(str, keys)))


def _describe(schema) -> Pair | None:
    """A schema's own description of what it allows, in either language: the schemas write ``English / Norsk``."""
    description = schema.get("description", "") if isinstance(schema, dict) else ""
    if not description:
        return None
    en, _, nb = description.partition(" / ")
    return Pair(nb or en, en)
