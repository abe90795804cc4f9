"""An on-disk cache of rulebases that loaded cleanly, so that a command starts fast.

Parsing YAML with positions and validating against the JSON Schema (which
alone costs a 0.2 s import) is most of the start-up of ``spor run``. A
rulebase whose files have exactly the same bytes as one that loaded before
(same spor version and code, same schema, same extensions) is read back as the plain data it was
validated as; the references between files are still checked on every load.
Only files that passed validation are written; the cache holds data (JSON),
never code. ``SPOR_CACHE_DIR`` moves it; ``SPOR_CACHE=off`` turns it off; a
cache folder that cannot be written is simply not used.
"""

from __future__ import annotations

import functools
import json
import os
import zlib
from pathlib import Path

from spor import __version__
from spor.common.errors import InputError

MAX_FILE_BYTES = 16 << 20
KEEP = 32  # cache entries kept; older ones are removed when a new one is written


def enabled() -> bool:
    return os.environ.get("SPOR_CACHE", "on").lower() not in ("off", "0", "no", "false")


def folder() -> Path:
    if os.environ.get("SPOR_CACHE_DIR"):
        return Path(os.environ["SPOR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "spor"


def fingerprint(package: str) -> bytes:
    """A checksum of the name and bytes of every Python module under ``package``."""
    crc = 0
    for top, folders, names in os.walk(package):  # os.walk, not pathlib's rglob: this runs at every start (~1 ms)
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(top, name)
                with open(path, "rb") as handle:
                    crc = zlib.crc32(handle.read(), zlib.crc32(path[len(package) :].encode(), crc))
    return f"{crc:08x}".encode()


@functools.cache
def code_fingerprint() -> bytes:
    """The fingerprint of spor's own code as installed: any change to the code that checks rulebases changes it.

    So no constant has to be raised by hand when the checks change: a
    rulebase cached by other code is loaded and checked again.
    """
    return fingerprint(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def rulebase_key(files, extensions=()) -> tuple:
    """(key, bytes of each file or None) for rule files; the key changes with any byte of them, with spor's
    version and code, with the rule-file schema, and with the extensions that read and check them."""
    from spor.common.reader import read_bytes
    from spor.common.resources import schemas_dir

    parts = [
        f"spor {__version__}".encode(),
        code_fingerprint(),
        " ".join(extensions).encode(),
        (schemas_dir() / "rulefile.schema.json").read_bytes(),
    ]
    blobs = []
    for path in files:
        try:
            blob = read_bytes(str(path), path, MAX_FILE_BYTES)
        except InputError:
            blob = None  # the loader reports it
        blobs.append(blob)
        parts += [path.name.encode(), blob or b""]
    # two independent 32-bit checksums and the lengths: an accidental match is
    # about one in 2**64; deliberately forging one is possible but gains nothing,
    # as the cache holds the user's own data (hashlib would cost more to import
    # than all of this takes to run)
    joined = b"\0".join(parts)
    key = f"{zlib.crc32(joined):08x}{zlib.adler32(joined):08x}{len(joined):x}-{len(files)}"
    return key, blobs


def freeze(doc) -> dict:
    """A Document as JSON-able data: its data, where each entry starts, and how
    scalars that are not text were spelt (``yes``, ``on``): what loading a valid
    rulebase reads from a Document."""
    return {
        "data": doc.data,
        "marks": [[list(path), *mark] for path, mark in doc.marks.items() if len(path) <= 2],
        "key_marks": [],
        "raw": [[list(path), text] for path, text in doc.raw.items() if not isinstance(_at(doc.data, path), str)],
    }


def _at(data, path):
    for part in path:
        data = data[part]
    return data


def thaw(name: str, entry: dict):
    """The Document that ``freeze`` stored."""
    from spor.common.reader import Document

    return Document(
        name,
        entry["data"],
        {tuple(path): (line, col) for path, line, col in entry["marks"]},
        {tuple(path): (line, col) for path, line, col in entry["key_marks"]},
        {tuple(path): text for path, text in entry["raw"]},
    )


def read(key: str):
    """The list of frozen documents stored under ``key``, or None."""
    if not enabled():
        return None
    try:
        with open(folder() / f"rulebase-{key}.json", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, list) or not all(
        isinstance(e, dict) and {"data", "marks", "key_marks", "raw"} <= e.keys() for e in data
    ):
        return None
    return data


def write(key: str, documents: list) -> None:
    if not enabled():
        return
    import tempfile  # only when writing: it costs a few ms to import

    try:
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(documents, out, ensure_ascii=False)
        os.replace(temp, target / f"rulebase-{key}.json")
        entries = sorted(target.glob("rulebase-*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass  # no cache is no error
