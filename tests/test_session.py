"""The session drives durable-rules' C module directly: it must fire what durable-rules' own Host fires.

The reference below is the way spor drove the engine before (and the way
durable-rules' documentation does): ``durable.engine.Host`` with a Python
action per rule. Both are given the same compiled ruleset; every firing,
in order, with the values the rule saw, must agree.
"""
from __future__ import annotations

import itertools
import random
import subprocess
import sys

import pytest

from spor.inference.compiler import ALIAS, CASE_KEY, compile_rulebase, rule_name, snapshot_key
from spor.rulebase.conditions import facts_read
from spor.common.errors import EngineFailure
from spor.api import load
from spor.inference.session import Session

from .conftest import ROOT


class HostReference:
    """durable-rules' Python Host, with the rule actions spor's session performs."""

    def __init__(self, rulebase, name):
        import durable.engine as engine

        self.firings = None
        definition = compile_rulebase(rulebase)
        for rule in rulebase.rules:
            definition[rule_name(rule.index)]["run"] = self._action(rule)

        class Quiet(engine.Host):
            def _run(self):  # no timer threads
                pass

        self.host, self.name, self.not_handled = Quiet(), name, engine.MessageNotHandledException
        self.host.register_rulesets({name: definition})
        self.sids = itertools.count(1)

    def _action(self, rule):
        key, reads = snapshot_key(rule.target), facts_read(rule.when)

        def action(c):
            snapshot = dict(getattr(c, ALIAS)._d)
            self.firings.append((rule.index, {name: snapshot.get(name) for name in reads}))
            c.retract_fact(snapshot)
            try:
                c.assert_fact({**snapshot, key: rule.value})
            except self.not_handled:
                pass

        return action

    def fire(self, facts):
        self.firings, sid = [], f"ref{next(self.sids)}"
        try:
            self.host.assert_fact(self.name, {"sid": sid, CASE_KEY: 1, **facts})
        except self.not_handled:
            pass
        # states are left alive: a reference run stays under the engine's 1024 live sessions per ruleset
        return self.firings


def _signature(firings):
    return [(f.rule.index, f.saw) for f in firings]


def _cases(rulebase, count, seed):
    """Random cases over every fact, derived ones included (a case may state one), some values unknown."""
    rng = random.Random(seed)
    facts = [(f.id, list(f.value_ids())) for f in rulebase.facts.values()]
    yield {}
    for _ in range(count):
        yield {name: rng.choice(values) for name, values in facts if rng.random() < 0.6}


@pytest.mark.parametrize("folder", [ROOT / "rules", ROOT / "tests" / "fixtures" / "printer"])
def test_the_session_fires_exactly_what_durable_rules_host_fires(folder):
    rulebase = load(folder).rulebase
    session = Session(rulebase)
    fired = 0
    for number in range(3):  # three reference rulesets: each keeps its states, under the 1024 limit
        reference = HostReference(rulebase, f"reference{number}-{id(rulebase)}")
        for case in _cases(rulebase, 1000, seed=number):
            expected = reference.fire(case)
            assert _signature(session.fire(case)) == expected, case
            fired += len(expected)
    assert fired > 1000  # the sample reaches deep into the chains, not only empty runs


def test_an_engine_error_is_an_engine_failure_and_the_session_goes_on(rulebase):
    session = Session(rulebase)
    with pytest.raises(EngineFailure, match=r"cannot read a value of this case .*\(engine error 204\)"):
        session.fire({"module": 1e-07})  # the engine cannot parse floats in exponent form (error 204)
    assert _signature(session.fire({"module": "lonn"}))  # the failed case's state was deleted; the next runs


def test_a_case_no_rule_matches_is_deleted_safely(rulebase):
    session = Session(rulebase)
    for _ in range(1100):  # over the 1024 live sessions a ruleset allows: each case's state is deleted
        assert session.fire({"unrelated": "x"}) == []


def test_running_a_case_does_not_import_durable_rules_python_layer():
    """The C module is all a run needs; durable.engine's imports (logging, inspect, timers) cost start-up time."""
    code = ("import sys; from spor.cli.app import main; sys.argv = ['spor', 'run', 'examples/payroll-was-it-sent.yaml']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "assert 'durable_rules_engine' in sys.modules\n"
            "assert 'durable.engine' not in sys.modules and 'durable' not in sys.modules, 'durable.engine imported'\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Outcome" in done.stdout or "outcome" in done.stdout.lower()



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_heap_slack_is_asked_of_glibc():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    from spor.inference.session import keep_heap_slack

    assert keep_heap_slack() is True
