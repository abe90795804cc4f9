"""Run one case through durable-rules, safely, by calling its C module directly.

durable-rules' Python layer (``durable.engine.Host``) wraps every call in
JSON round trips, closures and timestamps, and its import pulls in
``logging``, ``inspect`` and ``threading`` timers: about half of an
evaluation's time and a good part of a cold start. The C module
``durable_rules_engine`` underneath takes a ruleset and facts as JSON and
hands back the actions to run, one at a time; this module drives it with the
same calls, in the same order, as ``Host.assert_fact`` does (see
``Ruleset.do_actions``/``_flush_actions`` in durable/engine.py), except
``update_state``, which only re-asserts the session's state fact, and no
compiled rule can match it (each needs ``_case``). tests/test_session.py
holds the firings to the Host's on random cases (all 38,880 combinations of
the shipped rulebase's input facts were compared once, by hand: the same).

The traps this module exists for are listed in docs/durable-rules.md:

* ``delete_state`` on a session that never completed an action segfaults:
  every ruleset gets a priming rule that runs once right after creation;
* concurrent calls into the C module can segfault: one process-wide lock;
* at most 1024 live sessions per ruleset: a fresh session id per case,
  always deleted in ``finally``;
* a self-feeding chain would never stop: at most one firing per rule;
* actions are engine functions bound to compiled rules, never names looked
  up from a rule file.
"""

from __future__ import annotations

import itertools
import json
import threading

from spor.common.errors import EngineFailure, InputError, Problem
from spor.common.messages import Msg
from spor.common.records import record
from spor.inference.compiler import ALIAS, CASE_KEY, MAX_ENGINE_RULES, compile_rulebase, rule_name, snapshot_key
from spor.rulebase.conditions import facts_read
from spor.rulebase.model import Rule, Rulebase

_LOCK = threading.Lock()
_SESSIONS = itertools.count(1)
_RULESETS = itertools.count(1)
_PRIME = "_prime"
# result codes of the C module (durable_rules-2.0.28/src/rules/rules.h)
_OK, _NOT_HANDLED = 0, 1
_encode = json.JSONEncoder(ensure_ascii=False).encode  # what the Host sends: json.dumps(..., ensure_ascii=False)
_ACTION = f'":{{"{ALIAS}":'  # between an action's rule name and its snapshot in the engine's message
_decode = json.JSONDecoder().decode


def _engine():
    try:
        import durable_rules_engine as engine
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise EngineFailure(Msg("engine_not_importable", detail=str(exc))) from None
    return engine


M_TOP_PAD, M_MMAP_THRESHOLD = -2, -3  # glibc's malloc.h
TOP_PAD = MMAP_THRESHOLD = 4 << 20


def keep_heap_slack() -> bool:
    """Ask glibc's malloc to keep 4 MiB spare at the top of the heap, for a long run of cases.

    Each case's engine session allocates and frees a few hundred KiB. With
    glibc's default padding the heap shrinks after a case and grows again
    for the next, and each page it grows by is a fresh page fault: in
    ``spor batch`` that made a case's engine run about 2.5 times slower
    (200-244 us instead of 80-100 us, measured over 26,769 distinct cases).
    Worth it only for many cases; the padding is address space, touched only
    when used. Setting it also stops glibc from raising its mmap threshold
    by itself (from 128 KiB, as it does once large blocks are freed), for
    the whole process, so the threshold is set too, to 4 MiB: a session's
    larger blocks stay on the heap instead of an mmap each. Returns False
    where there is no glibc (nothing is changed). Setting it again is harmless.
    """
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
        return bool(mallopt(M_TOP_PAD, TOP_PAD)) and bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


@record
class Firing:
    """One rule that fired: the rule and the values of the facts its condition reads."""

    rule: Rule
    saw: dict


# durable-rules' numbered errors that a rulebase or a case can cause (src/rules/rules.h); the catalogue's
# engine_error_<code> says what each means
_ENGINE_ERRORS = ("303", "204")


def _failure(exc: Exception) -> Msg:
    """The message for an error the engine raised while running a case."""
    code = str(exc).rsplit("error code: ", 1)[-1].strip() if "error code: " in str(exc) else None
    if code in _ENGINE_ERRORS:
        return Msg("engine_error", what=Msg(f"engine_error_{code}"), code=code)
    return Msg("engine_failed", detail=f"{type(exc).__name__}: {exc}")


class Session:
    """A compiled rulebase loaded into its own durable-rules ruleset."""

    def __init__(self, rulebase: Rulebase):
        if len(rulebase.rules) > MAX_ENGINE_RULES:
            message = Msg("engine_too_many_rules", count=len(rulebase.rules), limit=MAX_ENGINE_RULES)
            raise InputError([Problem(rulebase.folder, message)])
        self._c = _engine()
        self.rulebase = rulebase
        self.limit = len(rulebase.rules) + 1  # each rule fires at most once per case (its target guard)
        # by the name the engine gives back: the rule, the key its conclusion is written to, the facts it reads
        # and the text that conclusion adds to the snapshot's JSON (``_encode`` writes it so)
        self._rules = {
            rule_name(rule.index): (
                rule,
                snapshot_key(rule.target, rule.index),
                facts_read(rule.when),
                f", {_encode(snapshot_key(rule.target, rule.index))}: {_encode(rule.value)}}}",
            )
            for rule in rulebase.rules
        }
        definition = compile_rulebase(rulebase)
        definition[_PRIME] = {"all": [{ALIAS: {_PRIME: 1}}]}
        self.name = f"spor{next(_RULESETS)}"
        with _LOCK:
            try:
                self._handle = self._c.create_ruleset(self.name, _encode(definition))
                self._prime()
            except Exception as exc:
                message = Msg("engine_refused_rulebase", detail=f"{type(exc).__name__}: {exc}")
                raise EngineFailure(message) from None

    def _prime(self) -> None:
        """Run the priming rule's action once, so that deleting a state that ran none is safe."""
        c, handle = self._c, self._handle
        code, state = c.assert_fact(
            handle, _encode({"sid": _PRIME, _PRIME: 1})
        )  # no _case: no rule of the rulebase matches
        started = c.start_action_for_state(handle, state) if code == _OK else None
        while started:
            started = c.complete_and_start_action(handle, state)
        c.delete_state(handle, _PRIME)

    def fire(self, facts: dict) -> list:
        """Assert one case's facts in a fresh session; return the rules that fired, in order.

        Each action the engine starts is one rule firing on the case's
        snapshot: the snapshot is retracted and asserted again with the
        rule's conclusion, so that the rules reading it can fire in turn.

        The engine hands back an action's snapshot as the very JSON text it
        was given, ``{"r3":{"m":` + text + `}}``. When it is the text last
        asserted (as it always has been), the snapshot is known without
        decoding it, and the next text is that text with one pair added:
        no JSON is read or written per firing. Any other message is decoded
        and encoded as the Host does.
        """
        c, handle = self._c, self._handle
        firings: list[Firing] = []
        with _LOCK:
            sid = str(next(_SESSIONS))
            try:
                snapshot = {"sid": sid, CASE_KEY: 1, **facts}
                text = _encode(snapshot)  # the JSON of the snapshot asserted last
                code, state = c.assert_fact(handle, text)
                if code not in (_OK, _NOT_HANDLED):  # _NOT_HANDLED: no rule matches the given facts
                    raise RuntimeError(f"unexpected result code {code}")
                started = c.start_action_for_state(handle, state) if code == _OK else None
                started = started and started[1]  # (the state, the first action's message) or None
                while started:
                    if len(firings) >= self.limit:
                        raise RuntimeError(f"more than {self.limit} rules fired for one case")
                    head, _, rest = started.partition(_ACTION)
                    if rest[:-2] == text and rest[-2:] == "}}" and head[:2] == '{"':  # the snapshot asserted last
                        name = head[2:]
                    else:
                        ((name, message),) = _decode(started).items()
                        snapshot = message[ALIAS]
                        text = _encode(snapshot)
                    rule, key, reads, added = self._rules[name]
                    firings.append(Firing(rule, {fact: snapshot.get(fact) for fact in reads}))
                    if c.retract_fact(handle, text)[0] != _OK:
                        raise RuntimeError("the engine did not take back a fact it had just matched")
                    if key in snapshot:  # never with the target guard; as the Host would write it
                        snapshot[key] = rule.value
                        text = _encode(snapshot)
                    else:
                        snapshot[key] = rule.value
                        text = text[:-1] + added
                    code = c.assert_fact(handle, text)[0]
                    if code not in (_OK, _NOT_HANDLED):  # _NOT_HANDLED: no rule reads this snapshot, the chain ends
                        raise RuntimeError(f"unexpected result code {code}")
                    started = c.complete_and_start_action(handle, state)
            except Exception as exc:
                raise EngineFailure(_failure(exc)) from None
            finally:
                try:
                    c.delete_state(handle, sid)
                except Exception:
                    pass
        return firings
