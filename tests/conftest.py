"""Shared fixtures: the rulebases, each loaded and compiled once per test run.

``rulebase``, ``evaluator`` and ``normaliser`` are the shipped rulebase
(rules/): for tests about the article's knowledge (test_shipped_rulebase.py,
test_examples.py) and the commands run on the shipped examples. Engine tests
use the fixture rulebases under tests/fixtures/, which an edit of rules/
never changes:

* ``heating_*``: tests/fixtures/heating, the engine tests' main rulebase (a
  chain of derived facts, all/any/not/known, a priority, placeholders; its
  first file says what each part is for);
* ``printer_rulebase``: tests/fixtures/printer, a second tiny rulebase;
* ``newsletter_rulebase``: tests/fixtures/newsletter, with an ``evidence:``
  section of its own for the evidence layer's tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from spor.api import load
from spor.inference.evaluate import Evaluator
from spor.rulebase.cases import Normaliser

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
HEATING = FIXTURES / "heating"
PRINTER = FIXTURES / "printer"
NEWSLETTER = FIXTURES / "newsletter"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the rulebase cache of the test run out of the user's own cache folder."""
    os.environ["SPOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("spor-cache"))


@pytest.fixture(scope="session", autouse=True)
def _norwegian_by_default():
    """Every command speaks Norwegian unless a test asks for English (--lang en): the suite gives the same
    answers on any machine, whatever its locale. tests/test_language.py sets the environment itself to test
    how the default is chosen."""
    os.environ["SPOR_LANG"] = "nb"


@pytest.fixture(scope="session")
def rulebase():
    return load(RULES).rulebase


@pytest.fixture(scope="session")
def evaluator(rulebase):
    return Evaluator(rulebase)


@pytest.fixture(scope="session")
def normaliser(rulebase):
    return Normaliser(rulebase)


@pytest.fixture(scope="session")
def heating_rulebase():
    return load(HEATING).rulebase


@pytest.fixture(scope="session")
def heating_evaluator(heating_rulebase):
    return Evaluator(heating_rulebase)


@pytest.fixture(scope="session")
def heating_normaliser(heating_rulebase):
    return Normaliser(heating_rulebase)


@pytest.fixture(scope="session")
def printer_rulebase():
    return load(PRINTER).rulebase


@pytest.fixture(scope="session")
def newsletter_rulebase():
    return load(NEWSLETTER).rulebase


@contextlib.contextmanager
def hang_guard(seconds=60):
    """Fail the test as hung when the block has not ended after ``seconds``.

    A guard against a hang (a blocking read of a pipe, a loop that never
    ends), not a speed assertion: the limit is far above any normal run, and
    how fast spor is belongs to bench/. It interrupts Python code and blocking
    system calls; code that may hang inside C (a regular expression) is run in
    a subprocess with a timeout instead.
    """

    def hung(signum, frame):
        pytest.fail(f"hung: still running after {seconds} s", pytrace=True)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def write(tmp_path):
    """write("name.yaml", text) -> path, with the text dedented."""

    def _write(name, text, folder=None):
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


def read_terminal(master: int) -> str:
    """All a pseudo-terminal's program wrote, until it closed (the master is closed after), with its raw bytes'
    line ends as the terminal gave them."""
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return seen.decode("utf-8")


def spor_command(*args) -> list:
    """``python -m spor ARGS`` as a process's argument list, every argument as text (paths too)."""
    return [sys.executable, "-m", "spor", *map(str, args)]


def edited_copy(source: Path, folder: Path, *edits: str) -> Path:
    """``folder``, a copy of the rulebase ``source`` (made on first use), with each (file, old, new) text replaced
    once: how the tests make a rulebase with one mistake in it. Each ``old`` must be there."""
    if not folder.exists():
        shutil.copytree(source, folder)
    for file, old, new in zip(edits[::3], edits[1::3], edits[2::3]):
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def assert_every_partial_case_answers_alike_in_any_order(rulebase, evaluator) -> None:
    """Every partial case of a rulebase (each input fact unknown or one of its values), evaluated in order and
    again shuffled, gives the same result: no state leaks from one engine session into the next."""
    import itertools
    import math
    import random

    from spor.output.record import as_json

    inputs = [f for f in rulebase.facts.values() if not f.derived]
    cases = [
        {f.id: v for f, v in zip(inputs, values) if v is not None}
        for values in itertools.product(*((None, *f.value_ids()) for f in inputs))
    ]
    first = [as_json(evaluator.evaluate(c)) for c in cases]
    order = list(range(len(cases)))
    random.Random(11).shuffle(order)
    for i in order:
        assert as_json(evaluator.evaluate(cases[i])) == first[i]
    assert len(cases) == math.prod(len(f.values) + 1 for f in inputs)  # every partial case, none skipped


def assert_every_complete_case_decided(rulebase, evaluator, cases) -> None:
    """Every complete case (each input fact given) reaches an outcome with no conflict or gap warning, and
    together they reach every outcome of the rulebase."""
    seen = set()
    for facts in cases:
        result = evaluator.evaluate(facts)
        assert result.outcome is not None, facts
        assert not [w for w in result.warnings if w.code in ("conflict", "gap")], facts
        seen.add(result.outcome.id)
    assert seen == set(rulebase.outcomes)
