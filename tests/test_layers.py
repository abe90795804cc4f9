"""The layout of the code, held as tests: layers import downward only, modules stay small, names stay private.

docs/architecture.md draws the layers; these tests keep the code true to
the drawing. They read the source with ``ast`` (nothing is imported), so
a lazy import inside a function counts like any other.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "engine" / "spor"
# lowest first: a module may import from its own layer and the layers before it, never from a later one
LAYERS = (
    "common",
    "rulebase",
    "inference",
    "evidence",
    "analysis",
    "output",
    "decisionlog",
    "batch",
    "api",
    "serve",
    "cli",
)
MAX_LINES = 450
MAIL_WORDS = re.compile(r"bounce|recipient|smtp|\bmta\b|\bdsn\b|mailbox", re.IGNORECASE)
# where mail words may stand: the evidence layer, and texts shown to people (commands' help, the message catalogue)
MAIL_ALLOWED = ("evidence/", "cli/", "output/evidence.py", "common/messages.py")


def modules() -> dict:
    """``spor.x.y`` -> (path, parsed tree) for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("spor",) + (parts[:-1] if parts[-1] == "__init__" else parts))
        found[name] = (path, ast.parse(path.read_text(encoding="utf-8")))
    return found


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def imports(tree: ast.AST) -> list:
    """(module imported, names taken from it) for every import of a tree, at any depth."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
    return out


MODULES = modules()


def test_the_package_has_its_layers():
    assert {name.split(".")[1] for name in MODULES if name.count(".")} >= set(LAYERS)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_layers(name):
    own = layer(name)
    for target, _ in imports(MODULES[name][1]):
        theirs = layer(target)
        if own is None or theirs is None:
            continue
        assert theirs <= own, f"{name} ({LAYERS[own]}) imports {target} ({LAYERS[theirs]}), a layer above it"


def test_no_module_imports_itself_round_a_circle():
    graph = {name: {t for t, _ in imports(tree) if t in MODULES and t != name} for name, (_, tree) in MODULES.items()}
    for start in graph:
        seen, stack = set(), [(start, (start,))]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                assert nxt != start, "import circle: " + " -> ".join(path + (start,))
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + (nxt,)))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_crosses_a_module(name):
    for target, names in imports(MODULES[name][1]):
        if target.startswith("spor") and target != name:
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            assert not private, f"{name} imports private {private} from {target}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_readable(name):
    lines = MODULES[name][0].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by job (at most {MAX_LINES})"


def test_mail_words_live_in_the_evidence_layer_only():
    found = []
    for path, _ in MODULES.values():
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith(MAIL_ALLOWED):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MAIL_WORDS.search(line):
                found.append(f"{where}:{number}: {line.strip()}")
    assert not found, "mail words outside the evidence layer:\n" + "\n".join(found)


def test_the_checker_sees_a_wrong_import(tmp_path):
    """The layer test is not vacuous: an upward import in a module's source is reported."""
    tree = ast.parse("def f():\n    from spor.cli.app import cli\n")
    ((target, _),) = imports(tree)
    assert layer(target) > layer("spor.rulebase.loader")
