"""Evidence sent with a request: uploaded files, read by the evidence layer, named as the sender named them.

No request names a path on the server's disk: evidence is uploaded, written
to a private temporary folder, read by ``spor.evidence.merge.read_evidence``
(the reader ``spor evidence`` uses, with its limits), and the folder is
removed. What is shown names each file by its uploaded name (its last
part, printable characters only), never by the temporary path.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from starlette.requests import Request

from spor.common.errors import shown
from spor.evidence.merge import MAX_MESSAGE_BYTES, SUFFIXES, Reading, merge, read_evidence
from spor.rulebase.model import Rulebase
from spor.serve import body

MAX_UPLOAD = MAX_MESSAGE_BYTES  # one request's whole body: the most the reader takes of one returned message
MAX_FILES = 20
MAX_NAME = 100


async def uploaded(request: Request) -> list[tuple[str, bytes]]:
    """The files of an evidence form, each with the name it is shown by, for the API and the page alike: the
    request's type and size are checked, and an empty part with no file name (a file field left empty) is
    passed over."""
    body.require_type(request, body.FORM_TYPES)
    data = await body.read_body(request, MAX_UPLOAD)
    form = await body.read_form(request, data, MAX_FILES)
    files: list[tuple[str, bytes]] = []
    taken: set = set()
    for index, (_, item) in enumerate(body.uploads(form), 1):
        content = await item.read()
        if content or item.filename:
            files.append((display_name(item.filename, index, taken), content))
    return files


def display_name(filename: str | None, index: int, taken: set) -> str:
    """The name a file is shown by: the last part of what the sender called it, printable, unique in the request."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(c for c in base if c.isprintable()).strip()[:MAX_NAME] or f"file-{index}"
    name, count = base, 1
    while name in taken:
        count += 1
        name = f"{base} ({count})"
    taken.add(name)
    return name


def read_uploads(files: list, rulebase: Rulebase) -> list:
    """A Reading for each (name, bytes) uploaded, read as ``spor evidence`` reads a file; never raises for bad input.

    Runs in a worker thread: reading evidence never calls the inference engine.
    """
    out = []
    with tempfile.TemporaryDirectory(prefix="spor-upload-") as folder:
        for index, (name, data) in enumerate(files, 1):
            suffix = Path(name).suffix.lower()
            path = Path(folder) / f"{index}{suffix if suffix in SUFFIXES else ''}"
            path.write_bytes(data)
            reading = read_evidence(str(path), rulebase)
            out.append(_renamed(reading, shown(path), name))
    return out


def _renamed(reading: Reading, temporary: str, name: str) -> Reading:
    """The reading with every mention of the temporary file replaced by the uploaded name."""
    reading.source = name
    reading.explained = list(reading.explained)  # an event log's findings are made as they are read: make them once
    for item in reading.explained:
        finding = item.finding
        finding.source = finding.source.replace(temporary, name)
        finding.note = finding.note.replace(temporary, name)
    for problem in reading.problems:
        problem.file = problem.file.replace(temporary, name)
        problem.message = problem.message.replace(temporary, name)
    return reading


def unread(readings: list) -> list:
    """The problems of the files that could not be read at all (a file partly read keeps its findings)."""
    return [problem for reading in readings if not reading.kind for problem in reading.problems]


def as_json(readings: list, rulebase: Rulebase, lang: str) -> dict:
    """What ``POST /api/v1/evidence`` answers: each file, each finding, the facts they imply and any disagreement."""
    from spor.output.evidence import as_json as finding_json

    facts, notices = merge({}, readings)
    return {
        "files": [
            {
                "name": reading.source,
                "kind": reading.kind,
                "findings": len(reading.explained),
                "problems": [problem.as_dict() for problem in reading.problems],
            }
            for reading in readings
        ],
        "findings": [finding_json(item, rulebase, lang) for reading in readings for item in reading.explained],
        "facts": facts,
        "warnings": [
            {"code": n.code, "message": n.message(lang, rulebase), **({"fact": n.fact} if n.fact else {})}
            for n in notices
            if n.code != "from_evidence"
        ],
    }
