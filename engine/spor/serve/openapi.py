"""``GET /api/v1/openapi.json``: an OpenAPI 3.1 document whose schemas are spor's own JSON Schemas.

A case, a result, a finding and a problem are described by the files in
``schemas/`` (``spor schema KIND``), taken as they are; only their ``$id``
is left out and a reference between them (``"$ref": "finding.schema.json"``)
points at the component instead, so the document holds together without
fetching anything. The shapes that are the API's own (the request's two
extra keys, the evidence answer, the rulebase, an error) are written here.
"""

from __future__ import annotations

import json
from functools import cache

from spor import __version__
from spor.common.messages import LANGS
from spor.common.resources import schemas_dir
from spor.common.schemas import SCHEMAS, refs, schema_text
from spor.serve.core import OPEN, PREFIX

COMPONENTS = {"case": "Case", "result": "Result", "finding": "Finding", "problem": "Problem"}
FILES = {**{SCHEMAS[k]: v for k, v in COMPONENTS.items() if k in SCHEMAS}, "problem.schema.json": "Problem"}


def spor_schema(kind: str) -> dict:
    """A schema of ``schemas/`` as a component: without ``$id``/``$schema``, its references pointing at components."""
    if kind in SCHEMAS:
        data = json.loads(schema_text(kind))
    else:
        data = json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))
    for name in list(data.get("$defs", {})):
        if name in FILES:  # a schema bundled in: it is a component of its own here
            del data["$defs"][name]
    if "$defs" in data and not data["$defs"]:
        del data["$defs"]
    for key in ("$id", "$schema"):
        data.pop(key, None)
    return _pointed(data)


def _pointed(node):
    if isinstance(node, dict):
        out = {k: _pointed(v) for k, v in node.items()}
        if isinstance(out.get("$ref"), str) and out["$ref"] in FILES:
            out["$ref"] = f"#/components/schemas/{FILES[out['$ref']]}"
        return out
    if isinstance(node, list):
        return [_pointed(v) for v in node]
    return node


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _text(description: str) -> dict:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": ["nb", "en"],
        "properties": {"nb": {"type": "string"}, "en": {"type": "string"}},
    }


def _own_schemas() -> dict:
    case = spor_schema("case")
    request = dict(case)
    request["description"] = "A case (spor schema case) and two more keys: lang and explain."
    request["properties"] = {
        **case["properties"],
        "lang": {"description": "Language of the texts in the answer (default nb).", "enum": list(LANGS)},
        "explain": {"description": "Add why_not: the nearest other outcome (spor run --explain).", "type": "boolean"},
    }
    texts = {"type": ["object", "null"], "properties": {"nb": {"type": "string"}, "en": {"type": "string"}}}
    return {
        "DecideRequest": request,
        "Error": {
            "type": "object",
            "description": "A refused request: every problem as one line, and each located (the file is 'request').",
            "required": ["error", "problems"],
            "properties": {"error": {"type": "string"}, "problems": {"type": "array", "items": _ref("Problem")}},
        },
        "Failure": {
            "type": "object",
            "description": "spor failed on the request; the id is in the server's log with the details.",
            "required": ["error", "id"],
            "properties": {"error": {"type": "string"}, "id": {"type": "string"}},
        },
        "EvidenceUpload": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {
                    "description": "One or more returned messages (.eml) or event logs (JSON, JSON Lines).",
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "contentMediaType": "application/octet-stream"},
                }
            },
        },
        "EvidenceReply": {
            "type": "object",
            "required": ["files", "findings", "facts", "warnings"],
            "properties": {
                "files": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "kind", "findings", "problems"],
                        "properties": {
                            "name": {"type": "string"},
                            "kind": {"type": "string"},
                            "findings": {"type": "integer"},
                            "problems": {"type": "array", "items": _ref("Problem")},
                        },
                    },
                },
                "findings": {"type": "array", "items": _ref("Finding")},
                "facts": {
                    "description": "The case facts the findings imply.",
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                },
                "warnings": {"type": "array", "items": {"type": "object", "required": ["code", "message"]}},
            },
        },
        "Rulebase": {
            "type": "object",
            "required": ["id", "hash", "title", "facts", "outcomes", "sections", "sides"],
            "properties": {
                "id": {"type": "string"},
                "hash": {"description": "sha256 of the rule files' names and bytes.", "type": "string"},
                "title": _text("The rulebase's title."),
                "source": {"type": "string"},
                "facts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "type", "label", "values"],
                        "properties": {
                            "id": {"type": "string"},
                            "question": texts,
                            "where": texts,
                            "values": {"type": "array"},
                        },
                    },
                },
                "outcomes": {"type": "array", "items": {"type": "object", "required": ["id", "side", "verdict"]}},
                "sections": {"type": "object"},
                "sides": {"type": "object"},
            },
        },
        "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
    }


def _json(name: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _errors(*codes: int) -> dict:
    said = {
        400: "Malformed: the body is not valid JSON or not a readable form; each problem has its line and column.",
        401: "The bearer token is missing or wrong (spor serve --token-file).",
        413: "The body is larger than this endpoint reads.",
        415: "The body's Content-Type is not the one this endpoint reads.",
        422: "Understood but not acceptable: an unknown fact or value (with the closest one), a wrong shape.",
    }
    out = {str(code): _json("Error", said[code]) for code in codes}
    out["500"] = _json("Failure", "spor failed; the id is in the server's log.")
    return out


LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"enum": list(LANGS)},
    "description": "Language of the texts (default nb).",
}


@cache
def document(token: bool) -> dict:
    """The OpenAPI document; ``token``: whether ``/api`` asks for a bearer token."""
    auth = (401,) if token else ()
    paths: dict = {
        f"{PREFIX}/decide": {
            "post": {
                "summary": "Diagnose a case: the record spor run --format json prints.",
                "operationId": "decide",
                "parameters": [LANG],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DecideRequest")}}},
                "responses": {
                    "200": _json("Result", "The result (schemas/result.schema.json)."),
                    **_errors(400, *auth, 413, 415, 422),
                },
            }
        },
        f"{PREFIX}/evidence": {
            "post": {
                "summary": "Read uploaded evidence: the findings and the case facts they imply.",
                "operationId": "evidence",
                "parameters": [LANG],
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": _ref("EvidenceUpload")}},
                },
                "responses": {
                    "200": _json("EvidenceReply", "What each file says."),
                    **_errors(400, *auth, 413, 415, 422),
                },
            }
        },
        f"{PREFIX}/rulebase": {
            "get": {
                "summary": "Facts, questions, values, outcomes and sections, in nb and en, with the rulebase's hash.",
                "operationId": "rulebase",
                "responses": {"200": _json("Rulebase", "The rulebase."), **_errors(*auth)},
            }
        },
        f"{PREFIX}/graph": {
            "get": {
                "summary": "The decision tree as Mermaid (or Graphviz DOT) text.",
                "operationId": "graph",
                "parameters": [
                    LANG,
                    {"name": "format", "in": "query", "required": False, "schema": {"enum": ["mermaid", "dot"]}},
                ],
                "responses": {
                    "200": {
                        "description": "The diagram.",
                        "content": {
                            "text/vnd.mermaid": {"schema": {"type": "string"}},
                            "text/vnd.graphviz": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(*auth, 422),
                },
            }
        },
        f"{PREFIX}/healthz": {
            "get": {
                "summary": "The process answers.",
                "operationId": "healthz",
                "responses": {"200": _json("Status", "Alive."), **_errors()},
            }
        },
        f"{PREFIX}/readyz": {
            "get": {
                "summary": "The rulebase is loaded and compiled.",
                "operationId": "readyz",
                "responses": {"200": _json("Status", "Ready."), "503": _json("Status", "Starting."), **_errors()},
            }
        },
        f"{PREFIX}/openapi.json": {
            "get": {
                "summary": "This document.",
                "operationId": "openapi",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(*auth),
                },
            }
        },
    }
    doc: dict = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "spor",
            "version": __version__,
            "description": "A diagnostic decision tree for customer support (docs/serve.md).",
        },
        "paths": paths,
        "components": {"schemas": {**{v: spor_schema(k) for k, v in COMPONENTS.items()}, **_own_schemas()}},
    }
    if token:
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        for path, item in paths.items():
            if path not in OPEN:
                for operation in item.values():
                    operation["security"] = [{"bearer": []}]
    assert all(not r.startswith(("http", "finding", "problem")) for r in refs(doc))  # nothing fetched from elsewhere
    return doc
