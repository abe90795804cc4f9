"""Read YAML and JSON documents safely, remembering where every node is.

Rule files and case files are data written by people, so this reader:

* builds only plain data (dict, list, str, int, float, bool, None): any tag
  that asks for another type (``!!python/object``, ``!!set``...) is refused;
* refuses anchors and aliases, which are how "billion laughs" documents grow
  without bound once expanded;
* refuses duplicate keys (PyYAML would silently keep the last one, losing a
  rule or a fact without a word);
* bounds the size in bytes and the nesting depth, so a huge or deeply nested
  file is refused before it costs memory or a ``RecursionError``;
* records the line and column of every node, so that later checks (schema,
  domain) can point at the exact place in the file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from yaml.constructor import SafeConstructor

from spor.common.errors import InputError, Problem, shown
from spor.common.files import BOM
from spor.common.messages import Msg
from spor.common.records import field, record

MAX_DEPTH = 64
# longer integers are refused where they are read: Python itself refuses to convert more than 4,300 digits,
# and no value spor reads (a priority, an id) needs more than a few
MAX_NUMBER_DIGITS = 1000
DEFAULT_MAX_BYTES = 1 << 20  # 1 MiB

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as the text written
}
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@record
class Document:
    """Plain data read from one file, with the position of each node."""

    name: str  # the file name as the user gave it
    data: object
    marks: dict = field(default_factory=dict)  # path tuple -> (line, col) of the value
    key_marks: dict = field(default_factory=dict)  # path tuple -> (line, col) of its key
    raw: dict = field(default_factory=dict)  # path tuple -> scalar text as written

    def position(self, path) -> tuple:
        """(line, col) of the node at ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def problem(self, path, message, *, at_key=False, severity="error") -> Problem:
        """A :class:`Problem` located at ``path`` in this document."""
        path = tuple(path)
        line, col = (self.key_marks.get(path) if at_key else None) or self.position(path)
        return Problem(self.name, message, line, col, path, severity)

    def written(self, path, value) -> str:
        """How a scalar was written in the file (``yes`` rather than ``True``)."""
        text = self.raw.get(tuple(path))
        if text == "" and value is None:
            return "nothing (an empty value)"
        return repr(text) if text is not None else json.dumps(value, ensure_ascii=False)


class _Refusal(Exception):
    def __init__(self, message, mark):
        super().__init__(message)
        self.message = message
        self.mark = mark


if TYPE_CHECKING:
    from yaml.composer import Composer
    from yaml.events import Event

    class _Parsed(Composer):
        """What ``_Guard`` needs of the classes it is mixed into: a composer over a parser."""

        def check_event(self, *choices) -> bool: ...
        def peek_event(self) -> Event: ...

else:
    _Parsed = object


class _Guard(_Parsed):
    """Composer hooks that refuse aliases and deep nesting while composing nodes."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refusal(Msg("yaml_alias"), event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refusal(Msg("nested_deeper_than", limit=MAX_DEPTH), self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _PyComposer(_Guard, yaml.SafeLoader):
    """Pure-Python scanning and parsing."""


if yaml.__with_libyaml__:
    from yaml.composer import Composer
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # yaml.cyaml does not re-export CParser in its stubs
    from yaml.resolver import Resolver

    class _Composer(_Guard, Composer, CParser, Resolver):
        """libyaml's scanner and parser (about 14 times faster) under PyYAML's composer, so the
        alias and depth guards above still see every node."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)

    _Loader: type[_Composer] | type[_PyComposer] = _Composer
else:  # pragma: no cover - PyYAML built without libyaml
    _Loader = _PyComposer


_constructor = SafeConstructor()


def _mark(node) -> tuple:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into plain data plus position maps."""

    def __init__(self, doc: Document):
        self.doc = doc

    def build(self, node, path=()):
        self.doc.marks[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise _Refusal(Msg("yaml_tag_here", tag=node.tag), node.start_mark)
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if node.tag != _MAP_TAG:
            raise _Refusal(Msg("yaml_tag_here", tag=node.tag), node.start_mark)
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refusal(Msg("yaml_key_not_text"), key_node.start_mark)
            key = key_node.value
            _check_text(self.doc.name, key, key_node.start_mark)
            if key in out:
                first = self.doc.key_marks[path + (key,)]
                raise _Refusal(Msg("duplicate_key_at", key=key, line=first[0]), key_node.start_mark)
            self.doc.key_marks[path + (key,)] = _mark(key_node)
            out[key] = self.build(value_node, path + (key,))
        return out

    def _scalar(self, node, path):
        if node.tag not in _SCALAR_TAGS:
            raise _Refusal(Msg("yaml_tag", tag=node.tag), node.start_mark)
        _check_text(self.doc.name, node.value, node.start_mark)
        self.doc.raw[path] = node.value
        if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return node.value
        if node.tag == "tag:yaml.org,2002:int" and sum(c.isdigit() for c in node.value) > MAX_NUMBER_DIGITS:
            raise _Refusal(NumberTooLong(node.value).message, node.start_mark)
        return _constructor.construct_object(node)


def _decode(name: str, blob: bytes) -> str:
    if b"\x00" in blob:
        offset = blob.index(b"\x00")
        line = blob.count(b"\n", 0, offset) + 1
        raise InputError([Problem(name, Msg("binary_file"), line)])
    try:
        text = blob.decode("utf-8")  # not "utf-8-sig": its import costs start-up, and its errors' bytes are off by 3
    except UnicodeDecodeError as exc:
        line = blob.count(b"\n", 0, exc.start) + 1
        start = blob.rfind(b"\n", 0, exc.start) + 1 or (len(BOM) if blob.startswith(BOM) else 0)  # a BOM is no column
        raise InputError(
            [Problem(name, Msg("text_not_utf8", byte=f"0x{blob[exc.start]:02x}"), line, exc.start - start + 1)]
        ) from None
    return text[1:] if text.startswith("\ufeff") else text  # a BOM (Windows editors write one) is not text


def read_bytes(name: str, path, max_bytes: int = DEFAULT_MAX_BYTES, stream=None) -> bytes:
    """Read at most ``max_bytes`` from a path (or an open binary stream), refusing more."""
    try:
        if stream is not None:
            blob = stream.read(max_bytes + 1)
        else:
            if Path(path).exists() and not Path(path).is_dir() and not Path(path).is_file():
                raise InputError([Problem(name, Msg("not_regular_file"))])
            with open(path, "rb") as handle:
                blob = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError([Problem(name, Msg("no_such_file"))]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, Msg("is_a_folder"))]) from None
    except OSError as exc:
        from spor.common.reasons import os_reason

        raise InputError([Problem(name, Msg("cannot_read", detail=os_reason(exc)))]) from None
    if len(blob) > max_bytes:
        raise InputError([Problem(name, Msg("file_too_large", limit=max_bytes))])
    return blob


def parse(name: str, blob: bytes, *, as_json: bool = False) -> Document:
    """Parse YAML text, or JSON text (held to JSON's syntax and its reading of numbers)."""
    text = _decode(name, blob)
    if not as_json:
        return _parse_yaml(name, text)
    data, duplicate = _parse_json(name, text)
    unplaced = InputError([Problem(name, DuplicateKey(duplicate).message)]) if duplicate is not None else None
    try:
        doc = _parse_yaml(name, text)  # the same document, read again for line and column
    except InputError as exc:
        if unplaced is not None:
            if "duplicate key" in exc.problems[0].message:
                raise  # YAML found it too, at its line and column
            raise unplaced from None
        check_plain(name, data)
        return Document(name, data)  # valid JSON that YAML cannot read (tabs, very long keys): no positions
    if unplaced is not None:  # YAML read the keys as different (escapes): still refused, without a place
        raise unplaced
    doc.data = data
    return doc


def _parse_yaml(name: str, text: str) -> Document:
    doc = Document(name, None)
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is not None:
            doc.data = _Builder(doc).build(node)
    except _Refusal as exc:
        raise InputError([Problem(name, exc.message, exc.mark.line + 1, exc.mark.column + 1)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or Msg("yaml_invalid")
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError([Problem(name, Msg("bad_yaml", why=what), line, col)]) from None
    except yaml.reader.ReaderError as exc:  # a control character the YAML spec forbids
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = f"U+{exc.character:04X}"
        raise InputError([Problem(name, Msg("yaml_control_char", char=char), line, col)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, Msg("bad_yaml", why=str(exc)))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return doc


class DuplicateKey(ValueError):
    """A JSON object names a key twice (``json`` would silently keep the last value)."""

    def __init__(self, key: str):
        self.message = Msg("duplicate_key", key=key)  # its English is the exception's text
        super().__init__(self.message)
        self.key = key


class NumberTooLong(ValueError):
    """A JSON or YAML integer longer than MAX_NUMBER_DIGITS."""

    def __init__(self, written: str):
        digits = sum(c.isdigit() for c in written)
        self.message = Msg("number_too_long", digits=digits, limit=MAX_NUMBER_DIGITS)  # its English is its text
        super().__init__(self.message)


def bounded_int(written: str) -> int:
    """The ``parse_int`` of every JSON spor reads: refuses an integer too long to be meant (NumberTooLong)."""
    if len(written) > MAX_NUMBER_DIGITS and sum(c.isdigit() for c in written) > MAX_NUMBER_DIGITS:
        raise NumberTooLong(written)
    return int(written)


def unique_pairs(pairs: list) -> dict:
    """The ``object_pairs_hook`` of every JSON spor reads: a key given twice raises DuplicateKey."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def _parse_json(name: str, text: str) -> tuple:
    """(data, or None when a key is duplicated; that key or None); a syntax error is raised with its place."""
    try:
        data = json.loads(text, object_pairs_hook=unique_pairs, parse_int=bounded_int)
    except DuplicateKey as exc:
        return None, exc.key
    except NumberTooLong as exc:
        found = re.search(rf"\d{{{MAX_NUMBER_DIGITS + 1},}}", text)
        at = found.start() if found else 0
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise InputError([Problem(name, exc.message, line, column)]) from None
    except json.JSONDecodeError as exc:
        from spor.common.reasons import json_reason

        raise InputError([Problem(name, Msg("bad_json", why=json_reason(exc.msg)), exc.lineno, exc.colno)]) from None
    except RecursionError:
        raise InputError([Problem(name, Msg("nested_deeper_than", limit=MAX_DEPTH))]) from None
    return data, None


def check_plain(name: str, data) -> None:
    """The depth and text checks the YAML path makes while composing, for data read by json."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError([Problem(name, Msg("nested_deeper_than", limit=MAX_DEPTH))])
        if isinstance(item, dict):
            for key, value in item.items():
                _check_text(name, key)
                stack.append((value, depth + 1))
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
        elif isinstance(item, str):
            _check_text(name, item)


def _check_text(name: str, text: str, mark=None) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        message = Msg("unpaired_surrogate")
        if mark is not None:
            raise _Refusal(message, mark) from None
        raise InputError([Problem(name, message)]) from None


def read_document(path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, stream=None) -> Document:
    """Read and parse one file. ``path`` ending in ``.json`` is held to JSON's syntax."""
    name = name or shown(path)  # a file name that is not UTF-8 shows its odd bytes as \xff
    blob = read_bytes(name, path, max_bytes, stream)
    return parse(name, blob, as_json=str(path).lower().endswith(".json"))
