"""Run one case through durable-rules, safely.

The traps this module exists for are listed in shared/notes/durable-rules.md:

* the default ``Host`` starts timer threads that never stop: ``_QuietHost``
  disables them;
* ``delete_state`` on a session that never completed an action segfaults:
  every ruleset gets a priming rule that runs once right after creation;
* concurrent calls into the C module can segfault: one process-wide lock;
* at most 1024 live sessions per ruleset: a fresh session id per case,
  always deleted in ``finally``;
* exceptions inside actions are swallowed by the engine: actions here catch
  everything themselves and the run reports it as an ``EngineFailure``;
* actions are engine functions bound to compiled rules, never names looked
  up from a rule file.
"""
from __future__ import annotations

import itertools
import threading

from .records import field, record

from .compiler import ALIAS, CASE_KEY, MAX_ENGINE_RULES, compile_rulebase, rule_name, snapshot_key
from .conditions import facts_read
from .errors import EngineFailure, InputError, Problem
from .model import Rulebase

_LOCK = threading.Lock()
_SESSIONS = itertools.count(1)
_RULESETS = itertools.count(1)
_PRIME = "_prime"


def _engine():
    try:
        import durable.engine as engine
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise EngineFailure(f"the inference engine durable-rules cannot be imported: {exc}") from None
    return engine


@record
class Firing:
    """One rule that fired: the rule and the values of the facts its condition reads."""

    rule: object
    saw: dict


@record
class _Run:
    firings: list = field(default_factory=list)
    error: str | None = None
    limit: int = 0


class Session:
    """A compiled rulebase loaded into its own durable-rules ruleset."""

    def __init__(self, rulebase: Rulebase):
        if len(rulebase.rules) > MAX_ENGINE_RULES:
            raise InputError([Problem(rulebase.folder, f"{len(rulebase.rules):,} rules: the inference engine takes at "
                                      f"most {MAX_ENGINE_RULES:,} in one rulebase")])
        engine = _engine()
        self.rulebase = rulebase
        self._not_handled = engine.MessageNotHandledException
        self._reads = {rule.index: facts_read(rule.when) for rule in rulebase.rules}
        self._run = None
        definition = compile_rulebase(rulebase)
        for rule in rulebase.rules:
            definition[rule_name(rule.index)]["run"] = self._action(rule)
        definition[_PRIME] = {"all": [{ALIAS: {_PRIME: 1}}], "run": lambda c: None}
        self.name = f"spor{next(_RULESETS)}"

        class _QuietHost(engine.Host):
            def _run(self):  # no timer threads: every action runs inside assert_fact
                pass

        with _LOCK:
            self._host = _QuietHost()
            self._host.register_rulesets({self.name: definition})
            self._host.assert_fact(self.name, {"sid": _PRIME, _PRIME: 1})  # no _case: no rule matches it
            self._host.delete_state(self.name, _PRIME)

    def _action(self, rule):
        key = snapshot_key(rule.target)
        reads = self._reads[rule.index]
        not_handled = self._not_handled

        def action(c):
            run = self._run
            if run is None:  # the priming assert, or a stray call outside fire()
                return
            try:
                if len(run.firings) >= run.limit:
                    raise RuntimeError(f"more than {run.limit} rules fired for one case")
                snapshot = dict(getattr(c, ALIAS)._d)
                run.firings.append(Firing(rule, {name: snapshot.get(name) for name in reads}))
                following = dict(snapshot)
                following[key] = rule.value
                c.retract_fact(snapshot)
                try:
                    c.assert_fact(following)
                except not_handled:
                    pass  # no rule reads this snapshot: the chain ends here
            except BaseException as exc:  # the engine would swallow it: keep it
                run.error = run.error or f"{type(exc).__name__}: {exc}"

        return action

    def fire(self, facts: dict) -> list:
        """Assert one case's facts in a fresh session; return the rules that fired, in order."""
        with _LOCK:
            sid = str(next(_SESSIONS))
            self._run = run = _Run(limit=len(self.rulebase.rules) + 1)
            snapshot = {"sid": sid, CASE_KEY: 1, **facts}
            try:
                state = self._host.assert_fact(self.name, snapshot)
            except self._not_handled:
                state = None  # no rule matches the given facts
            except Exception as exc:
                raise EngineFailure(f"the inference engine failed: {type(exc).__name__}: {exc}") from None
            finally:
                self._run = None
                try:
                    self._host.delete_state(self.name, sid)
                except Exception:
                    pass
            if run.error or (state and state.get("exception")):
                raise EngineFailure(f"a rule action failed: {run.error or state.get('exception')}")
            return run.firings
