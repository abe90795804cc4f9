"""Load a rulebase folder: read its rule files, validate each against the schema, join them.

A rulebase is a folder of YAML (or JSON) rule files. Each file is checked
against ``schemas/rulefile.schema.json``; then ``joiner`` joins the files
and checks the references between them. Layers above add what they know
as an ``Extension``: a section of their own to read (``evidence:``), and
checks of their own (what the inference engine can run). Every problem
found is reported (file, line, column, message), not just the first.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

from spor.common import schemas
from spor.common.errors import InputError, Problem, shown
from spor.common.files import DOCUMENT_SUFFIXES, skipped
from spor.common.messages import Msg
from spor.common.reader import Document, parse, read_document
from spor.rulebase import cache
from spor.rulebase.joiner import Extension, Joiner, Loaded

__all__ = ["Extension", "Loaded", "load", "load_cached", "rule_files"]

MAX_FILES = 200
# parsing YAML with positions and checking it takes about 150 times a file's size in memory (a 4 MB file of
# facts: 600 MB, 12 s); the largest rulebase the engine can run (4,095 rules) is about 0.6 MB of YAML, so these
# leave room for it and keep the first load of any rulebase near 600 MB
MAX_FILE_BYTES = 2 << 20
MAX_RULEBASE_BYTES = 4 << 20
SUFFIXES = DOCUMENT_SUFFIXES


def rule_files(folder: Path) -> list:
    """The rule files of a folder, sorted by name (their order is the rulebase's order)."""
    if not folder.exists():
        raise InputError([Problem(str(folder), Msg("rules_no_such_folder"))])
    if not folder.is_dir():
        raise InputError([Problem(str(folder), Msg("rules_not_a_folder"))])
    root = folder.resolve()
    files, problems = [], []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or skipped(path.name):
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):  # only a link can lead out of the folder
            problems.append(Problem(str(path), Msg("rules_link_outside")))
            continue
        files.append(path)
    if len(files) > MAX_FILES:
        problems.append(Problem(str(folder), Msg("rules_too_many_files", count=len(files), limit=MAX_FILES)))
    total = sum(path.stat().st_size for path in files if path.is_file())
    if total > MAX_RULEBASE_BYTES:
        problems.append(Problem(str(folder), Msg("rules_too_large", size=total, limit=MAX_RULEBASE_BYTES)))
    if not files and not problems:
        problems.append(Problem(str(folder), Msg("rules_none")))
    if problems:
        raise InputError(problems)
    return files


def load(folder, extensions: Sequence[Extension] = (), *, trust_cache: bool = True) -> Loaded:
    """Read, validate and join the rule files of ``folder``; raise InputError listing every problem.

    A rulebase that loaded cleanly before, with the same bytes in every
    file and the same extensions, is read back from the on-disk cache
    (``cache``) instead of being parsed and schema-validated again: that is
    most of a command's start-up. ``trust_cache=False`` (``spor check``)
    parses and checks every file, and still refreshes the cache.
    """
    folder = Path(folder)
    files = rule_files(folder)
    key, blobs = cache.rulebase_key(files, [e.name for e in extensions], MAX_FILE_BYTES)
    return _load_keyed(folder, files, extensions, key, blobs, trust_cache)


def _load_keyed(
    folder: Path, files: list, extensions: Sequence[Extension], key: str, blobs: list, trust_cache: bool = True
) -> Loaded:
    """``load`` once the files are listed, read and checksummed."""
    stored = cache.read(key) if trust_cache else None
    if stored is not None and len(stored) == len(files):
        try:
            docs = {str(path): cache.thaw(str(path), entry) for path, entry in zip(files, stored)}
            loaded = Joiner(folder, docs, checked=True, extensions=extensions).join()
            loaded.key, loaded.digest = key, digest(files, blobs)
            return loaded
        except Exception:  # a damaged cache entry: read the files themselves (and replace the entry)
            pass
    loaded = _load_files(folder, files, blobs, extensions)
    loaded.key, loaded.digest = key, digest(files, blobs)
    why = cache.distrust() if cache.enabled() else None
    if why is None:
        cache.write(key, [cache.freeze(doc) for doc in loaded.docs.values()])
    else:
        message = Msg("cache_not_used", why=why)
        loaded.warnings.append(Problem(shown(cache.folder()), message, severity="warning", code="cache_not_used"))
    return loaded


def _load_files(folder: Path, files: list, blobs: list, extensions: Sequence[Extension]) -> Loaded:
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
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
            problems.append(Problem(doc.name, Msg("rules_file_empty")))
            continue
        found = schemas.validate(doc, "rules")
        problems.extend(found)
        if not found:
            docs[doc.name] = doc
    if problems:
        raise InputError(problems)
    loaded = Joiner(folder, docs, extensions=extensions).join()
    loaded.docs = docs
    return loaded


def digest(files: list, blobs: list) -> str:
    """A short checksum of a rulebase's content (its files' names and bytes), to name which rulebase was used."""
    crc = 0
    for path, blob in zip(files, blobs):
        crc = zlib.crc32(blob or b"", zlib.crc32(path.name.encode("utf-8", "surrogateescape"), crc))
    return f"{crc:08x}"


_CACHE: dict = {}
CACHE_SIZE = 8


def load_cached(folder, extensions: Sequence[Extension] = ()) -> Loaded:
    """``load``, reusing the result in this process while every rule file has the same bytes."""
    folder = Path(folder)
    files = rule_files(folder)
    key, blobs = cache.rulebase_key(files, [e.name for e in extensions], MAX_FILE_BYTES)  # read once, for both caches
    entry = (str(folder.resolve()), key)
    if entry not in _CACHE:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[entry] = _load_keyed(folder, files, extensions, key, blobs)
    return _CACHE[entry]
