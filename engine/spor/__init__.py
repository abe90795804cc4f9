"""spor: a rule-engine-driven diagnostic decision tree for customer support.

The package knows nothing about any support article: a rulebase folder of
YAML files (validated by ``schemas/``) holds the domain, and durable-rules
does the matching. The Python API the CLI is built on:

>>> from spor import load_rulebase, Evaluator
>>> rulebase = load_rulebase("path/to/rules")   # or load_rulebase() for the shipped one
>>> result = Evaluator(rulebase).evaluate({"some_fact": "some_value"})
>>> result.outcome, [fact.id for fact in result.missing]
"""

from __future__ import annotations

import sys

__version__ = "0.1.0"
# pyproject.toml's requires-python, for a run from a source checkout that pip never checked. No upper bound: from
# 3.13 on, the engine is built from vendor/ with the define that lets it import (setup.py), and an engine that
# fails to build or import is reported where it is loaded (spor.inference.session).
MINIMUM_PYTHON = (3, 11)


def python_supported(version=None) -> bool:
    return tuple((version or sys.version_info)[:2]) >= MINIMUM_PYTHON


def unsupported_python_message(version=None) -> str:
    version = version or sys.version_info
    return (
        f"spor needs Python 3.11 or later; this is Python {version[0]}.{version[1]}. "
        "Create the virtual environment with python3.11 or a later Python (3.11 to 3.13 are tested)."
    )


def load_rulebase(folder=None):
    """Load and check a rulebase folder (default: the shipped one), with every layer's checks (``spor.api``)."""
    from spor.api import load_rulebase as load

    return load(folder)


def decide(facts, rules=None, **case):
    """Decide one case from Python exactly as ``spor run`` does (``spor.api.decide``): values are validated and
    normalised as in a case file, and a bad one raises InputError with the CLI's message."""
    from spor.api import decide as api_decide

    return api_decide(facts, rules, **case)


def __getattr__(name):  # lazy: importing the package should not start the engine
    if name == "Evaluator":
        from spor.inference.evaluate import Evaluator

        return Evaluator
    raise AttributeError(name)
