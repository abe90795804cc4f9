"""One policy each for how spor finds and reads files: folders, byte order marks, long lines, writing.

Every command that takes a folder reads it through :func:`files_in`, so a
folder means the same everywhere: the files with the command's suffixes,
searched recursively in path order, never hidden files or folders, never a
virtual environment, build output or cache, and never the file the command
is writing. Every text read line by line goes through :func:`bounded_lines`,
so no line can be longer than its reader allows. Every file spor writes
goes through :func:`atomic_write`: a temporary file in the same folder,
flushed to disk, then renamed over the target, so a crash or a full disk
leaves the old file whole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

BOM = b"\xef\xbb\xbf"  # the UTF-8 byte order mark some editors write at the start of a file
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")  # YAML or JSON documents: rule files and case files
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
# folders a search never enters besides hidden ones: other people's files and generated ones
SKIPPED_FOLDERS = frozenset({"__pycache__", "build", "dist", "node_modules", "site-packages", "venv"})


def strip_bom(data: bytes) -> bytes:
    return data[len(BOM) :] if data.startswith(BOM) else data


def skipped(name: str) -> bool:
    """A file or folder that a folder search passes over: hidden (``.venv``, ``.git``) or in SKIPPED_FOLDERS."""
    return name.startswith(".") or name in SKIPPED_FOLDERS


def files_in(folder: Path, suffixes: Iterable[str], *, exclude: str | os.PathLike | None = None) -> list[Path]:
    """The files under ``folder`` whose suffix (any case) is one of ``suffixes``, in path order.

    Hidden files and folders, and SKIPPED_FOLDERS, are passed over; linked
    folders are not followed (a link could lead anywhere, or round in a
    circle); ``exclude`` (the output being written) is never listed.
    """
    wanted = tuple(s.lower() for s in suffixes)
    left_out = _identity(exclude)
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not skipped(name)]
        for name in names:
            path = Path(top, name)
            if skipped(name) or path.suffix.lower() not in wanted or not path.is_file():
                continue
            if left_out is not None and _identity(path) == left_out:
                continue
            found.append(path)
    return sorted(found)


def _identity(path: str | os.PathLike | None) -> tuple[int, int] | None:
    """(device, inode) of an existing file, so that a hard link or another spelling of it is the same file."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def same_file(one: str | os.PathLike, other: str | os.PathLike) -> bool:
    """Whether two paths name one existing file (through a link, a hard link, or another spelling)."""
    first = _identity(one)
    return first is not None and first == _identity(other)


def output_refused(target: str | os.PathLike, inputs: Iterable[str | os.PathLike]):
    """Why a command must not write a file of its own at ``target``, or None: the one policy of every option
    that names an output (``batch --out``, ``report --out``, ``test --junit``/``--lcov``).

    A symbolic link is refused (spor writes a file of its own, never through
    a link that could lead onto someone else's file), and so is any input,
    by any spelling or hard link (writing there would destroy it). Returns
    the message (``messages.Msg``); the caller names the file.
    """
    from spor.common.errors import shown
    from spor.common.messages import Msg

    if Path(target).is_symlink():
        return Msg("out_link")
    for path in inputs:
        if same_file(target, path):
            return Msg("out_is_input", input=shown(path))
    return None


def bounded_lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of each line of a binary stream; None for a line longer than ``limit`` bytes.

    The rest of a long line is skipped without being held in memory; the
    line count goes on, so later lines keep their true numbers. A BOM at the
    start is left to the caller (JSON Lines and CSV readers strip it).
    """
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = handle.readline(limit + 1)
            yield number, None
            continue
        yield number, line


def _mode_for(target: Path) -> int:
    """The mode a new file gets here (0666 less the umask), or the mode of the file it replaces."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _temporary_beside(target: Path) -> tuple[int, str]:
    """(descriptor, name) of a new private file beside ``target``, open for writing: made as ``tempfile.mkstemp``
    makes one (a random name, created only if it does not exist, never through a symbolic link, mode 0600),
    without importing tempfile, which brings shutil and random: 4-6 ms of the start-up of a command that writes."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = os.path.join(target.parent, f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused temporary name beside {target}")


def atomic_write(path: str | os.PathLike, text: str | bytes) -> None:
    """Write ``text`` (UTF-8, or bytes) to ``path``: a reader sees the old file or the new one, never half of one.

    The text goes to a temporary file in the same folder, is flushed to
    disk, and is renamed over ``path``. Raises OSError; the temporary file
    is removed on failure.
    """
    target = Path(path)
    handle, temporary = _temporary_beside(target)
    try:
        os.chmod(temporary, _mode_for(target))  # made private; the result gets a file's usual mode
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
