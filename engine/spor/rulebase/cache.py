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
import time
import zlib
from pathlib import Path

from spor import __version__
from spor.common.errors import InputError
from spor.common.files import atomic_write
from spor.common.messages import Msg
from spor.common.reasons import os_reason

KEEP = 32  # cache entries kept; older ones are removed when a new one is written


def enabled() -> bool:
    return os.environ.get("SPOR_CACHE", "on").lower() not in ("off", "0", "no", "false")


def folder() -> Path:
    if os.environ.get("SPOR_CACHE_DIR"):
        return Path(os.environ["SPOR_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "spor"


def distrust() -> Msg | None:
    """Why the cache folder must not be used, or None: it must be this user's, and writable by no one else.

    An entry is read back without the schema and the costly checks, so
    whoever can write the folder can change what spor concludes.
    """
    target = folder()
    try:
        info = target.stat()
    except FileNotFoundError:
        return None  # write() makes it, for this user only
    except OSError as exc:
        return Msg("cache_unreadable", detail=os_reason(exc))
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return Msg("cache_other_user")
    if info.st_mode & 0o022:
        return Msg("cache_writable")
    return None


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
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    record = os.path.join(os.path.dirname(package), f"spor-{__version__}.dist-info", "RECORD")
    try:  # installed from a wheel: its RECORD holds a SHA-256 of every file, so one small read stands for them all
        with open(record, "rb") as handle:
            return f"{zlib.crc32(handle.read()):08x}".encode()
    except OSError:  # a checkout, or an editable install: the modules themselves
        return checkout_fingerprint(package)


# A module changed this close before a note was made may change again within the same tick of the file system's
# clock, unseen by its metadata: the note is then not trusted (git's rule for "racily clean" files)
STAT_SLACK_NS = 2_000_000_000


def module_stats(package: str) -> tuple:
    """(every module's name, size, inode, modification and change time as one text; the newest of those times).

    ``os.scandir``, one ``stat`` per module through its directory entry: about 0.4 ms for spor's 100 modules.
    """
    lines, newest, cut, folders = [], 0, len(package), [package]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    lines.append(
                        f"{entry.path[cut:]} {info.st_size} {info.st_ino} {info.st_mtime_ns} {info.st_ctime_ns}"
                    )
                    newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
                elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
    lines.sort()
    return "\n".join(lines), newest


def checkout_fingerprint(package: str) -> bytes:
    """``fingerprint(package)``, taken from a note in the cache folder while no module's metadata has changed.

    Reading every module costs about 1 ms of every start; their metadata
    costs a fifth of that. Writing a file sets its change time (ctime) to
    the clock's time, and no program can set it back, so modules whose
    size, inode and times are those noted hold the bytes noted, unless one
    was written twice within one tick of the file system's clock around the
    moment the note was made: a note is trusted only when every module is
    older than it by ``STAT_SLACK_NS``. This is the trust Python itself
    puts in a module's size and time when it reuses the module's bytecode.
    """
    made = time.time_ns()  # before the modules are looked at: a later change is later than this
    stats, newest = module_stats(package)
    signature = f"{zlib.crc32(stats.encode('utf-8', 'surrogateescape')):08x}{len(stats):x}"
    note = folder() / f"code-{zlib.crc32(package.encode('utf-8', 'surrogateescape')):08x}.txt"
    usable = enabled() and distrust() is None
    if usable:
        try:
            with open(note, "rb") as handle:
                noted, when, crc = handle.read(200).split()
            if noted == signature.encode() and newest < int(when) - STAT_SLACK_NS and len(crc) == 8:
                return crc
        except (OSError, ValueError):
            pass  # no note, or a damaged one: read the modules
    found = fingerprint(package)
    if usable:
        try:
            note.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_note(note, f"{signature} {made} {found.decode('ascii')}\n")
        except OSError:
            pass  # no note is no error: the modules are read again next time
    return found


def write_note(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` at once, without waiting for the disk (``atomic_write`` does): a note lost in a
    crash is only made again, and a changing checkout writes one at every start for a moment."""
    temporary = f"{path}.{os.getpid()}.tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            os.write(handle, text.encode("ascii"))
        finally:
            os.close(handle)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def rulebase_key(files, extensions=(), max_bytes: int = 1 << 20) -> tuple:
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
            blob = read_bytes(str(path), path, max_bytes)
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
    """The list of frozen documents stored under ``key``, or None for none, or a damaged or foreign entry.

    An entry starts with a line ``spor-cache CRC``: the checksum of the JSON
    after it, so that a damaged file (cut short, edited by hand) is never
    read back; it is replaced when the rulebase is next loaded.
    """
    if not enabled() or distrust() is not None:
        return None
    try:
        with open(folder() / f"rulebase-{key}.json", "rb") as handle:
            head, _, body = handle.read().partition(b"\n")
        if head != b"spor-cache %08x" % zlib.crc32(body):
            return None
        data = json.loads(body)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, list) or not all(
        isinstance(e, dict) and {"data", "marks", "key_marks", "raw"} <= e.keys() for e in data
    ):
        return None
    return data


def write(key: str, documents: list) -> None:
    """Store documents that passed every check under ``key`` (atomically); the oldest entries beyond KEEP go."""
    if not enabled() or distrust() is not None:
        return
    try:
        target = folder()
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = json.dumps(documents, ensure_ascii=False).encode("utf-8")
        atomic_write(target / f"rulebase-{key}.json", b"spor-cache %08x\n" % zlib.crc32(body) + body)
        entries = sorted(target.glob("rulebase-*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError, RecursionError):
        pass  # no cache is no error: the rulebase was loaded from its files
