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
from functools import lru_cache


from spor.common.reader import Document
from spor.common.resources import schemas_dir

SCHEMAS = {"rules": "rulefile.schema.json", "case": "case.schema.json", "result": "result.schema.json"}
_KINDS = {"object": "a mapping", "array": "a list", "string": "text", "boolean": "true or false",
          "integer": "a whole number", "number": "a number", "null": "null"}


def schema_text(kind: str) -> str:
    return (schemas_dir() / SCHEMAS[kind]).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
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
            if not -10**9 <= value <= 10**9:
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
        hint = f" (allowed here: {', '.join(allowed)})" if allowed else ""
        return [doc.problem(path + (k,), f"unknown key {k!r}{hint}", at_key=True) for k in extras]
    if "propertyNames" in error.schema_path:
        return [doc.problem(path + (error.instance,), f"{error.instance!r} is not allowed as a name here: "
                            f"{_describe(schema) or error.message}", at_key=True)]
    if kind == "required":
        return [doc.problem(path, error.message.replace("is a required property", "is missing (it is required here)"))]
    if kind == "type":
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        want = " or ".join(_KINDS.get(n, n) for n in names)
        return [doc.problem(path, f"expected {want}, found {doc.written(path, error.instance)}")]
    if kind == "pattern":
        return [doc.problem(path, f"{doc.written(path, error.instance)} is not allowed: {_describe(schema) or error.message}")]
    if kind == "enum":
        allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in schema.get("enum", []))
        return [doc.problem(path, f"{doc.written(path, error.instance)} is not allowed: expected one of {allowed}")]
    if kind == "const":
        return [doc.problem(path, f"expected {json.dumps(schema.get('const'))}")]
    if kind in ("maxItems", "minItems", "maxProperties", "minProperties"):
        size = len(error.instance)
        limit = error.validator_value
        what = "entries" if kind.endswith("Items") else "keys"
        bound = "at most" if kind.startswith("max") else "at least"
        return [doc.problem(path, f"{size} {what} here; {bound} {limit} are allowed")]
    if kind in ("maxLength", "minLength"):
        bound = "at most" if kind == "maxLength" else "at least"
        return [doc.problem(path, f"a text of {len(error.instance)} characters; {bound} {error.validator_value} are allowed")]
    if kind == "not" and isinstance(error.instance, dict):
        return [doc.problem(path, f"this combination of keys is not allowed here: {_describe(error.schema) or error.message}")]
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return [doc.problem(path, message)]


def _describe(schema) -> str:
    description = schema.get("description", "") if isinstance(schema, dict) else ""
    return description.split(" / ")[0]
