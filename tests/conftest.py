"""Shared fixtures: the shipped rulebase, loaded and compiled once per test run."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from spor.rulebase.cases import Normaliser
from spor.inference.evaluate import Evaluator
from spor.api import load

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the rulebase cache of the test run out of the user's own cache folder."""
    os.environ["SPOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("spor-cache"))


@pytest.fixture(scope="session")
def rulebase():
    return load(RULES).rulebase


@pytest.fixture(scope="session")
def evaluator(rulebase):
    return Evaluator(rulebase)


@pytest.fixture(scope="session")
def normaliser(rulebase):
    return Normaliser(rulebase)


@pytest.fixture
def write(tmp_path):
    """write("name.yaml", text) -> path, with the text dedented."""

    def _write(name, text, folder=None):
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write
