"""The stable API that the commands (and other programs) use: load a rulebase with every check, evaluate cases.

The layers below are joined here: the rulebase loader reads and checks
rule files, and the layers above it add what they know through
``loader.Extension``: the inference layer refuses what durable-rules
cannot run, and the evidence layer reads a rulebase's ``evidence:``.
"""

from __future__ import annotations

from pathlib import Path

from spor.common.resources import default_rules_dir
from spor.evidence.spec import EVIDENCE
from spor.inference.network import ENGINE_LIMITS
from spor.rulebase import loader
from spor.rulebase.loader import Loaded
from spor.rulebase.model import Rulebase

EXTENSIONS = (ENGINE_LIMITS, EVIDENCE)  # what the layers above the loader add to every load


def load(folder: str | Path | None = None, *, trust_cache: bool = True) -> Loaded:
    """Read, validate and check a rulebase folder (default: the shipped one); raise InputError listing every problem.

    ``trust_cache=False`` checks every file again (``spor check``), never reading the on-disk cache.
    """
    return loader.load(Path(folder) if folder else default_rules_dir(), EXTENSIONS, trust_cache=trust_cache)


def load_cached(folder: str | Path | None = None) -> Loaded:
    """``load``, reusing the result in this process while every rule file has the same bytes."""
    return loader.load_cached(Path(folder) if folder else default_rules_dir(), EXTENSIONS)


def load_rulebase(folder: str | Path | None = None) -> Rulebase:
    """The Rulebase of ``folder`` (default: the shipped one)."""
    return load(folder).rulebase
