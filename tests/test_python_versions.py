"""Which Pythons spor runs on, and where its engine comes from on each: the places that say so must agree.

durable-rules 2.0.28 comes from PyPI on 3.11 and 3.12; on 3.13 and later setup.py builds the same sources, copied
into vendor/, into spor's own wheel (docs/architecture.md, "Python versions and the engine build"). The switch is
written twice, as pyproject.toml's environment marker and as setup.py's version test, and a copy that drifted
from the release it names would be a fork nobody meant. These tests read the files; nothing is built.
"""

from __future__ import annotations

import ast
import hashlib
import re
import tomllib
from pathlib import Path

import pytest

import spor
from spor import python_supported, unsupported_python_message

ROOT = Path(__file__).resolve().parent.parent
VENDORED = ROOT / "vendor" / "durable-rules-2.0.28"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _setup_constant(name: str):
    """A top-level assignment of setup.py, as source text (setup.py runs a build when imported)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return node.value
    raise AssertionError(f"setup.py has no {name}")


@pytest.mark.parametrize("version", [(3, 11), (3, 12), (3, 13), (3, 14), (3, 11, 0, "final", 0)])
def test_every_python_from_3_11_is_supported(version):
    assert python_supported(version)


@pytest.mark.parametrize("version", [(3, 10), (3, 9, 18), (2, 7)])
def test_an_older_python_is_refused_with_what_to_use(version):
    assert not python_supported(version)
    message = unsupported_python_message(version)
    assert f"this is Python {version[0]}.{version[1]}" in message
    assert "3.11 or later" in message and "python3.11" in message


def test_the_running_python_is_supported():
    assert python_supported()


def test_the_runtime_check_and_requires_python_name_the_same_floor():
    requires = _pyproject()["project"]["requires-python"]
    assert requires == ">={}.{}".format(*spor.MINIMUM_PYTHON), requires  # no upper bound: see spor.MINIMUM_PYTHON


def test_pypi_durable_rules_stops_where_setup_py_starts_building_it():
    engine = [d for d in _pyproject()["project"]["dependencies"] if d.replace("_", "-").startswith("durable-rules")]
    assert engine == ["durable-rules==2.0.28; python_version < '3.13'"]
    switch = _setup_constant("OWN_ENGINE")
    assert ast.unparse(switch) == "sys.version_info >= (3, 13)"
    assert ast.literal_eval(_setup_constant("VENDORED")) == VENDORED.relative_to(ROOT).as_posix()


def test_setup_py_compiles_what_durable_rules_compiles():
    # durable-rules 2.0.28's setup.py: src/rules/{json,rete,state,events,regex}.c as a library, src/rulespy/rules.c
    sources = {path.relative_to(VENDORED).as_posix() for path in VENDORED.joinpath("src").rglob("*.c")}
    library = {f"src/rules/{name}.c" for name in ("json", "rete", "state", "events", "regex")}
    assert sources == library | {"src/rulespy/rules.c"}
    listed = ast.unparse(_setup_constant("ENGINE_SOURCES"))
    for source in sources:
        name = Path(source).stem
        assert name in listed, source


def test_the_vendored_sources_are_the_release_unchanged():
    """Every vendored file is listed in SHA256SUMS with the checksum of the file in durable_rules-2.0.28.tar.gz."""
    sums = {}
    for line in (VENDORED / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()
        sums[name] = digest
    present = {
        path.relative_to(VENDORED).as_posix()
        for path in VENDORED.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS" and "__pycache__" not in path.parts
    }
    assert present == set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((VENDORED / name).read_bytes()).hexdigest() == digest, f"{name} differs from the release"
