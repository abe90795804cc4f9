"""Rule files in one canonical form: keys in the schema's order, one indentation, quoting only where YAML needs it.

``spor fmt`` rewrites rule files this way so that two editors' files, and
the diffs between their versions, look alike. It uses ruamel.yaml's
round-trip mode because pyyaml drops comments: every comment, the schema
modeline at the top included, stays with the key it was written beside. A
mapping is reordered only where the schema names all of its keys (a rule,
a fact, an outcome, the rulebase, a text's ``nb``/``en``); the facts of a
condition keep the order the editor chose. Each file is read back after
formatting and must hold exactly the data it held before, or it is left
alone and reported: formatting never changes what a rulebase says.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from spor.common.errors import InputError, Problem, shown
from spor.common.files import atomic_write, strip_bom
from spor.common.messages import Msg
from spor.common.reader import parse, read_bytes
from spor.common.records import record
from spor.common.resources import schemas_dir

DIRECTIVE = "%YAML 1.1\n---\n"
WIDTH = 4096  # no line is folded: a long text stays on the line its author gave it


@record
class Formatted:
    """One file: its path, whether formatting changes it, and the problem that kept it as it was (if any)."""

    path: Path
    changed: bool
    problem: Problem | None = None


def _schema() -> dict[str, Any]:
    return dict(json.loads((schemas_dir() / "rulefile.schema.json").read_text(encoding="utf-8")))


def _resolve(schema: Any, root: dict[str, Any]) -> dict[str, Any]:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema if isinstance(schema, dict) else {}


def _order(node: Any, schema: Any, root: dict[str, Any], top: bool = True) -> None:
    """Put the keys of every closed mapping (all keys named by its schema) in the schema's order, recursively.

    Not the file's own top level: how an editor splits ``facts:``, ``rules:``
    and ``outcomes:`` in a file, each under its own comments, is theirs."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    schema = _resolve(schema, root)
    if isinstance(node, CommentedMap):
        named = schema.get("properties") or {}
        closed = named and schema.get("additionalProperties") is False and set(node) <= set(named)
        if not top and closed and not _comment_lines(node):
            rank = {key: i for i, key in enumerate(named)}
            for key in sorted(node, key=lambda k: rank[k]):
                node.move_to_end(key)
        extra = schema.get("additionalProperties")
        for key, value in node.items():
            _order(value, named.get(key, extra if isinstance(extra, dict) else {}), root, False)
    elif isinstance(node, CommentedSeq):
        for item in node:
            _order(item, schema.get("items", {}), root, False)


def _yaml() -> Any:
    """A round-trip YAML reader and writer for rule files: YAML 1.1 (as spor reads them), booleans kept as
    written (``yes`` stays ``yes``, ``true`` stays ``true``: a yes/no fact reads best in its own words)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.representer import RoundTripRepresenter
    from ruamel.yaml.scalarbool import ScalarBoolean

    class Written(ScalarBoolean):
        """A boolean that remembers how it was spelt."""

        spelt = "true"

    class Constructor(RoundTripConstructor):
        def construct_yaml_bool(self, node: Any) -> Any:
            value = Written(bool(super().construct_yaml_bool(node)))
            value.spelt = node.value
            return value

    class Representer(RoundTripRepresenter):
        pass

    Constructor.add_constructor("tag:yaml.org,2002:bool", Constructor.construct_yaml_bool)
    Representer.add_representer(Written, lambda self, data: self.represent_scalar("tag:yaml.org,2002:bool", data.spelt))
    yaml = YAML(typ="rt")
    yaml.Constructor, yaml.Representer = Constructor, Representer
    return yaml


def _comment_lines(node: Any) -> bool:
    """Whether a comment stands on a line of its own anywhere inside a mapping.

    ruamel keeps such a comment with the node just *before* it, however deep,
    so moving keys would leave it above the wrong one: a mapping with comment
    lines inside keeps the order its author gave it. A comment at the end of
    a key's line moves with that key, and does not count."""
    from ruamel.yaml.comments import CommentedBase

    tokens: list = []
    nodes = [node]
    while nodes:
        current = nodes.pop()
        if isinstance(current, CommentedBase):
            stack = [current.ca.comment, *current.ca.items.values()]
            while stack:
                item = stack.pop()
                if isinstance(item, list):
                    stack.extend(item)
                elif item is not None and hasattr(item, "value"):
                    tokens.append(item.value)
        if isinstance(current, dict):
            nodes.extend(current.values())
        elif isinstance(current, list):
            nodes.extend(current)
    return any(line.strip().startswith("#") for text in tokens for line in text.split("\n")[1:])


def canonical_text(name: str, blob: bytes) -> str:
    """The canonical form of one rule file; raises InputError if spor cannot read it, or formatting would change it."""
    from ruamel.yaml.error import YAMLError

    before = parse(name, blob).data  # spor's own reading: refuses what spor refuses (not UTF-8, tags, aliases...)
    text = strip_bom(blob).decode("utf-8")
    yaml = _yaml()
    yaml.version = (1, 1)  # as spor reads rule files (pyyaml): 'yes' stays quoted, or it would become true
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = False
    try:
        data = yaml.load(text)
        root = _schema()
        _order(data, root, root)
        out = io.StringIO()
        yaml.dump(data, out)
    except YAMLError as exc:
        raise InputError([Problem(name, Msg("fmt_cannot", detail=str(exc)))]) from None
    formatted = out.getvalue().removeprefix(DIRECTIVE)  # spor reads YAML 1.1 anyway: no directive in the file
    if parse(name, formatted.encode("utf-8")).data != before:
        raise InputError([Problem(name, Msg("fmt_would_change"))])
    return formatted


def format_files(paths: list[Path], write: bool) -> list[Formatted]:
    """Format each rule file (writing it atomically when ``write``); a file that cannot be formatted is reported."""
    done = []
    for path in paths:
        name = shown(path)
        try:
            blob = read_bytes(name, path)
            formatted = canonical_text(name, blob)
        except InputError as exc:
            done.append(Formatted(path, False, exc.problems[0]))
            continue
        changed = formatted.encode("utf-8") != blob
        if changed and write:
            atomic_write(path, formatted)
        done.append(Formatted(path, changed))
    return done
