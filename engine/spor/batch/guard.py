"""What ``spor batch`` checks before it writes a byte: the output is not an input, and a resumed output is this run's.

An output that is also an input (named, found in an input folder, or the
same file through a hard link) would be emptied by the run: it is refused.
A symbolic link as the output is refused too, so that a run never writes
onto a file someone else's link points at. Each run leaves a record beside
its output (a hidden file ``.NAME.spor-run``): what it read (each input
file's size and time of change), which rulebase and spor (``Loaded.key``)
and which options. ``--resume`` goes on only where all of that is still
the same, because only then is the resumed file what one uninterrupted run
would have written; otherwise it names what changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from spor import __version__
from spor.batch.inputs import ALL_SUFFIXES, STDIN
from spor.common.errors import Problem, shown
from spor.common.files import atomic_write, files_in, output_refused, same_file
from spor.common.messages import Msg

FIRST_BYTES = {"jsonl": (b'{"case": ', b'{"source": '), "csv": (b"source,case,",)}  # how spor batch output starts


def input_files(inputs: list) -> list[Path]:
    """Every file the inputs stand for: the files named, and the files a folder stands for (``files.files_in``)."""
    found: list[Path] = []
    for raw in inputs:
        if str(raw) == STDIN:
            continue  # standard input: no file
        path = Path(raw)
        found += files_in(path, ALL_SUFFIXES) if path.is_dir() else [path]
    return found


def looks_like_output(path: Path, fmt: str) -> bool:
    """Whether a file starts as spor batch output of format ``fmt`` does (an empty file counts as output)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(16)
    except OSError:
        return False
    return not start or start.startswith(FIRST_BYTES[fmt])


def output_problem(out: Path, inputs: list, fmt: str) -> Problem | None:
    """Why ``out`` must not be written, or None."""
    named = [Path(raw) for raw in inputs]
    read = [
        path
        for path in input_files(inputs)  # an earlier run's output inside an input folder is the output, never read
        if path in named or not (same_file(out, path) and looks_like_output(out, fmt))
    ]
    why = output_refused(out, read)
    return Problem(shown(out), why) if why else None


def sidecar(out: Path) -> Path:
    """Where the record of the run that writes ``out`` is kept: hidden, so that no folder search reads it."""
    return out.with_name(f".{out.name}.spor-run")


def run_record(inputs: list, out: Path, rulebase_key: str, fmt: str, lang: str) -> dict:
    """What a run's output depends on: spor, the rulebase, the options, and every input file's size and change."""
    files: list[list[object]] = []
    for path in input_files(inputs):
        if same_file(path, out):
            continue
        try:
            info = path.stat()
        except OSError:
            files.append([shown(path), None, None])
            continue
        files.append([shown(path), info.st_size, info.st_mtime_ns])
    return {
        "spor": __version__,
        "rulebase": rulebase_key,
        "format": fmt,
        "lang": lang,
        "arguments": [shown(raw) for raw in inputs],
        "files": files,
    }


def write_run_record(out: Path, record: dict) -> None:
    atomic_write(sidecar(out), json.dumps(record, ensure_ascii=False, indent=1) + "\n")


def empty_folders(inputs: list) -> list[Problem]:
    """An input folder that holds no case, JSON Lines or CSV file is a mistake (a wrong path), not an empty batch."""
    return [
        Problem(shown(raw), Msg("batch_empty_folder"))
        for raw in inputs
        if str(raw) != STDIN and Path(raw).is_dir() and not files_in(Path(raw), ALL_SUFFIXES)
    ]


def resume_problem(out: Path, record: dict) -> Problem | None:
    """Why ``out`` cannot be resumed by a run with ``record``, naming what changed; or None."""
    where = shown(out)
    if STDIN in record["arguments"]:
        return Problem(where, Msg("resume_stdin"))
    try:
        with open(sidecar(out), encoding="utf-8") as handle:
            before = json.load(handle)
        if not isinstance(before, dict):
            raise ValueError
    except FileNotFoundError:
        return Problem(where, Msg("resume_no_record", record=shown(sidecar(out))))
    except (OSError, ValueError, RecursionError):
        return Problem(where, Msg("resume_record_unreadable", record=shown(sidecar(out))))
    changed: list = []
    for key, what in (
        ("spor", Msg("resume_spor_version")),
        ("rulebase", Msg("resume_rulebase")),
        ("format", "--format"),
        ("lang", "--lang"),
        ("arguments", Msg("resume_inputs_named")),
    ):
        if before.get(key) != record[key]:
            changed.append(what)
    old = {name: (size, mtime) for name, size, mtime in before.get("files", []) if isinstance(name, str)}
    new = {name: (size, mtime) for name, size, mtime in record["files"]}
    changed += [Msg("resume_file_changed", name=name) for name in new if name in old and old[name] != new[name]]
    changed += [Msg("resume_file_new", name=name) for name in new if name not in old]
    changed += [Msg("resume_file_gone", name=name) for name in old if name not in new]
    if not changed:
        return None
    listed = Msg("and_more", names=changed[:5], count=len(changed) - 5) if len(changed) > 5 else changed
    return Problem(where, Msg("resume_changed", changed=listed))  # a list is said with ", " between its items
