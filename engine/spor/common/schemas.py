"""JSON Schema validation that reports every error at its line and column.

jsonschema reports a path inside the document; the reader's
:class:`~spor.common.reader.Document` turns that path into a line and column. The
messages are reworded for the people who edit these files: the unknown key
is named and located on the key itself, a bad name says what a name must
look like (from the schema's own description), and a failed ``oneOf``
reports the alternative that came closest instead of "is not valid under
any of the given schemas".
"""

from __future__ import annotations

import json
from functools import cache

from spor.common.reader import Document
from spor.common.resources import schemas_dir
from spor.common.suggest import closest

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
_KINDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}


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
EXPECT_KEYS = frozenset({"outcome", "facts", "missing", "warnings"})


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
    return all(_names(expect[key]) for key in ("missing", "warnings") if key in expect)


def plainly_valid_case(data) -> bool:
    """True only for case data that ``case.schema.json`` certainly accepts (the common shape).

    Checking this by hand costs microseconds where jsonschema costs half a
    millisecond and a 0.2 s import. Anything unusual (an odd type, a limit
    reached) returns False, and the full schema
    validation then runs and explains what is wrong. A test holds this to
    be a subset of the schema.
    """
    if type(data) is not dict or not data.keys() <= CASE_KEYS:
        return False
    facts = data.get("facts")
    if type(facts) is not dict or len(facts) > 200:
        return False
    case_id = data.get("id", "")
    if type(case_id) is str:
        if "id" in data and not (0 < len(case_id) <= 200 and all(c >= " " for c in case_id)):
            return False
    elif type(case_id) is not int or not 0 <= case_id <= 10**12:
        return False
    if "expect" in data and not _plain_expect(data["expect"]):
        return False
    for key, limit in (("title", MAX_TITLE), ("notes", MAX_NOTES)):
        if key in data and (type(data[key]) is not str or len(data[key]) > limit):
            return False
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
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return [doc.problem(path + (k,), f"unknown key {k!r}{closest(k, allowed)}{hint}", at_key=True) for k in extras]
    if "propertyNames" in error.schema_path:
        return [
            doc.problem(
                path + (error.instance,),
                f"{error.instance!r} is not allowed as a name here: {_describe(schema) or error.message}",
                at_key=True,
            )
        ]
    if kind == "required":
        return [doc.problem(path, error.message.replace("is a required property", "is missing (it is required here)"))]
    if kind == "type":
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        want = " or ".join(_KINDS.get(n, n) for n in names)
        return [doc.problem(path, f"expected {want}, found {doc.written(path, error.instance)}")]
    if kind == "pattern":
        shown = doc.written(path, error.instance)
        return [doc.problem(path, f"{shown} is not allowed: {_describe(schema) or error.message}")]
    if kind == "enum":
        choices = ", ".join(json.dumps(v, ensure_ascii=False) for v in schema.get("enum", []))
        return [doc.problem(path, f"{doc.written(path, error.instance)} is not allowed: expected one of {choices}")]
    if kind == "const":
        return [doc.problem(path, f"expected {json.dumps(schema.get('const'))}")]
    if kind in ("maxItems", "minItems", "maxProperties", "minProperties"):
        size = len(error.instance)
        limit = error.validator_value
        if kind == "maxProperties" and limit == 1 and path[-1:] == ("then",):
            return [doc.problem(path, _split_rule(doc.data, path, list(error.instance)))]
        what = (("entry", "entries") if kind.endswith("Items") else ("key", "keys"))[size != 1]
        verb = "is" if limit == 1 else "are"
        bound = f"at most {limit} {verb} allowed" if kind.startswith("max") else f"at least {limit} {verb} needed"
        return [doc.problem(path, f"{size} {what} here; {bound}")]
    if kind in ("maxLength", "minLength"):
        bound = "at most" if kind == "maxLength" else "at least"
        size, limit = len(error.instance), error.validator_value
        return [doc.problem(path, f"a text of {size} characters; {bound} {limit} are allowed")]
    if kind == "not" and isinstance(error.instance, dict):
        why = _describe(error.schema) or error.message
        return [doc.problem(path, f"this combination of keys is not allowed here: {why}")]
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return [doc.problem(path, message)]


def _split_rule(data, path: tuple, keys: list) -> str:
    """The message for a rule's ``then`` with more than one conclusion: name the rule, say to split it."""
    try:
        for step in path[:-1]:
            data = data[step]
    except (KeyError, IndexError, TypeError):
        data = None
    rule_id = data.get("id") if isinstance(data, dict) else None
    name = f"rule {rule_id!r}" if isinstance(rule_id, str) else "this rule"
    return (
        f"{name} concludes {len(keys)} things ({', '.join(map(str, keys))}), but a rule concludes one: "
        f"split it into {len(keys)} rules with the same 'when', one conclusion each"
    )


def _describe(schema) -> str:
    description = schema.get("description", "") if isinstance(schema, dict) else ""
    return description.split(" / ")[0]
