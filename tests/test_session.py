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
import warnings

import pytest

from spor.api import load
from spor.common.errors import EngineFailure
from spor.inference.compiler import ALIAS, CASE_KEY, compile_rulebase, rule_name, snapshot_key
from spor.inference.session import Session
from spor.rulebase.conditions import facts_read

from .conftest import HEATING, PRINTER, ROOT


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
        key, reads = snapshot_key(rule.target, rule.index), facts_read(rule.when)

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
        with warnings.catch_warnings():
            # durable.engine stamps every action with datetime.utcfromtimestamp, deprecated since Python 3.12: the
            # reference's own warning, silenced for its calls alone
            warnings.filterwarnings("ignore", r"datetime\.datetime\.utcfromtimestamp", DeprecationWarning, r"durable\.")
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


def compare_with_host(rulebase, session) -> int:
    """Fire 3,003 random cases in ``session`` and in durable-rules' Host; assert they agree; return the firings."""
    fired = 0
    for number in range(3):  # three reference rulesets: each keeps its states, under the 1024 limit
        reference = HostReference(rulebase, f"reference{number}-{id(rulebase)}")
        for case in _cases(rulebase, 1000, seed=number):
            expected = reference.fire(case)
            assert _signature(session.fire(case)) == expected, case
            fired += len(expected)
    return fired


# The shipped rules get the same comparison in test_shipped_rulebase.py.
@pytest.mark.parametrize("folder, least", [(HEATING, 3000), (PRINTER, 1000)])
def test_the_session_fires_exactly_what_durable_rules_host_fires(folder, least):
    rulebase = load(folder).rulebase
    assert compare_with_host(rulebase, Session(rulebase)) > least  # the sample reaches deep into the chains


def test_the_comparison_with_the_host_can_fail(heating_rulebase):
    """A session that drops a rule's firing is caught: the comparison is not vacuous."""
    session = Session(heating_rulebase)
    real = session.fire
    session.fire = lambda facts: [f for f in real(facts) if f.rule.target != "trade"]
    with pytest.raises(AssertionError):
        compare_with_host(heating_rulebase, session)


def test_an_engine_error_is_an_engine_failure_and_the_session_goes_on(heating_rulebase):
    session = Session(heating_rulebase)
    with pytest.raises(EngineFailure, match=r"cannot read a value of this case .*\(engine error 204\)"):
        session.fire({"building": 1e-07})  # the engine cannot parse floats in exponent form (error 204)
    assert _signature(session.fire({"building": "cabin"}))  # the failed case's state was deleted; the next runs


def test_a_case_no_rule_matches_is_deleted_safely(heating_rulebase):
    session = Session(heating_rulebase)
    for _ in range(1100):  # over the 1024 live sessions a ruleset allows: each case's state is deleted
        assert session.fire({"unrelated": "x"}) == []


def test_running_a_case_does_not_import_durable_rules_python_layer(tmp_path):
    """The C module is all a run needs; durable.engine's imports (logging, inspect, timers) cost start-up time."""
    case = tmp_path / "case.yaml"
    case.write_text("facts: {building: cabin, display: normal}\n", encoding="utf-8")
    argv = ["spor", "run", "--format", "json", "--rules", str(HEATING), str(case)]
    code = (
        f"import sys; from spor.cli.app import main; sys.argv = {argv!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'durable_rules_engine' in sys.modules\n"
        "assert 'durable.engine' not in sys.modules and 'durable' not in sys.modules, 'durable.engine imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"outcome": "turn_up"' in done.stdout  # the case really ran


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_heap_slack_is_asked_of_glibc():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    from spor.inference.session import keep_heap_slack

    assert keep_heap_slack() is True
