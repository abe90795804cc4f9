"""The stable API that the commands (and other programs) use: load a rulebase with every check, evaluate cases.

The layers below are joined here: the rulebase loader reads and checks
rule files, and the layers above it add what they know through
``loader.Extension``: the inference layer refuses what durable-rules
cannot run, and the evidence layer reads a rulebase's ``evidence:``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from spor.common.files import DOCUMENT_SUFFIXES
from spor.common.resources import default_rules_dir
from spor.evidence.spec import EVIDENCE
from spor.inference.network import ENGINE_LIMITS
from spor.rulebase import loader
from spor.rulebase.loader import Loaded
from spor.rulebase.model import Rulebase

if TYPE_CHECKING:
    from spor.inference.evaluate import Result

EXTENSIONS = (ENGINE_LIMITS, EVIDENCE)  # what the layers above the loader add to every load
RULES_FOLDER = "rules"  # the name of a rulebase folder that spor finds by itself
_DECLARES_RULEBASE = re.compile(rb"^rulebase:", re.MULTILINE)


def find_rules(explicit: str | Path | None = None, start: str | Path | None = None) -> tuple[Path, str]:
    """The rulebase folder a command uses, and how it was chosen.

    ``explicit`` (``--rules``), else ``SPOR_RULES``, else a ``rules/`` folder
    that holds a rulebase in ``start`` (the current folder) or the nearest
    parent, as git finds ``.git``, else the shipped rulebase. So an editor who
    edits ``rules/`` in a checkout checks those rules, not the installed copy.
    """
    if explicit:
        return Path(explicit), "--rules"
    if os.environ.get("SPOR_RULES"):
        return Path(os.environ["SPOR_RULES"]), "SPOR_RULES"
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if holds_rulebase(folder / RULES_FOLDER):
            return folder / RULES_FOLDER, "found"
    return default_rules_dir(), "shipped"


def holds_rulebase(folder: Path) -> bool:
    """Whether a folder holds a rule file that declares a rulebase (a top-level ``rulebase:``)."""
    try:
        paths = [p for p in folder.iterdir() if p.suffix.lower() in DOCUMENT_SUFFIXES and p.is_file()]
    except OSError:
        return False
    for path in sorted(paths):
        try:
            with open(path, "rb") as handle:
                if _DECLARES_RULEBASE.search(handle.read(loader.MAX_FILE_BYTES)):
                    return True
        except OSError:
            continue
    return False


def examples_beside(rules: Path) -> Path:
    """The case files that go with a rulebase folder: the ``examples/`` beside it."""
    return rules.resolve().parent / "examples"


def load(folder: str | Path | None = None, *, trust_cache: bool = True) -> Loaded:
    """Read, validate and check a rulebase folder (default: the shipped one); raise InputError listing every problem.

    ``trust_cache=False`` checks every file again (``spor check``), never reading the on-disk cache.
    """
    return _noted(loader.load(Path(folder) if folder else default_rules_dir(), EXTENSIONS, trust_cache=trust_cache))


def load_cached(folder: str | Path | None = None) -> Loaded:
    """``load``, reusing the result in this process while every rule file has the same bytes."""
    return _noted(loader.load_cached(Path(folder) if folder else default_rules_dir(), EXTENSIONS))


def _noted(loaded: Loaded) -> Loaded:
    """Tell the serialiser the checksum the rule files had when read, so that every result names those bytes
    (``rulebase_hash``) even if a file is edited while spor runs (``spor serve`` runs for days)."""
    from spor.output.record import note_hash

    note_hash(loaded.rulebase, loaded.digest)
    return loaded


def load_rulebase(folder: str | Path | None = None) -> Rulebase:
    """The Rulebase of ``folder`` (default: the shipped one)."""
    return load(folder).rulebase


def decide(
    facts: dict,
    rules: str | Path | None = None,
    *,
    case_id: str = "api",
    title: str = "",
    notes: str = "",
) -> Result:
    """Decide one case from Python exactly as ``spor run`` decides a case file.

    ``facts`` may name values as a case file may (an id, a Norwegian or
    English label, a synonym, any letter case; ``True``/``False`` for yes/no
    facts; ``None`` for unknown). They are validated and normalised as the
    CLI does it, and a bad one raises InputError with the message the CLI
    prints (the "file" being ``<facts>``). ``rules``: a rulebase folder
    (default: the shipped one). The Result's text and JSON forms are
    ``spor.output.text.render`` and ``spor.output.record.as_json``.
    """
    from spor.common.reader import Document
    from spor.inference.evaluate import Evaluator
    from spor.rulebase.cases import Normaliser, case_from_document

    rulebase = load_cached(rules).rulebase
    document = Document("<facts>", {"id": case_id, "title": title, "notes": notes, "facts": dict(facts)})
    case = case_from_document(document, Normaliser(rulebase))
    return Evaluator(rulebase).evaluate(case.facts, case_id=case.id, source="<facts>", title=title, notes=notes)
