"""The batch decision cache: the engine runs once per distinct combination of facts.

A decision is a pure function of the rulebase and the facts, so a result
is kept as the pieces of its JSON text and written again for every record
with the same facts; each record writes only its own fields and facts.
"""

from __future__ import annotations

import json

from spor.common.errors import EngineFailure
from spor.common.records import record
from spor.output.record import FACTS, RECORD_FIELDS, as_json, encode, encode_string


def _piece_encoder():
    """``encode`` as one call into json's C encoder, made once.

    ``JSONEncoder.encode`` builds a new C encoder (and a dict to catch
    circular data) on every call; a decision is written as a dozen pieces,
    each a call. The same C encoder with the same settings, made once and
    without the circular check (results are trees), writes the same text:
    tests/test_perf_pieces.py holds it to ``encode``.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without json's C part
        return encode
    chunks = make(None, json.JSONEncoder().default, encode_string, None, ": ", ", ", False, False, True)

    def encode_piece(value) -> str:
        if type(value) is str:
            return encode_string(value)
        return "".join(chunks(value, 0))

    return encode_piece


encode_piece = _piece_encoder()


@record
class Decision:
    """A result for one set of facts, kept to be written again for identical facts.

    Everything but the record's own fields and its given facts: those each
    record writes itself, so that one Decision serves every combination of
    facts with the same verdict, trace, questions and warnings.
    """

    __slots__ = ("data", "before", "after", "derived", "outcome", "complete", "counted")  # many are kept: no __dict__

    data: dict | None  # as_json() without the record's own fields; its "facts" only the derived ones (CSV output only)
    before: tuple  # the JSON text before "facts", one shared string per "key": value
    after: tuple  # the JSON text after "facts", likewise
    derived: str  # the derived facts as JSON text without its opening brace: '"a": "b"}', or '}' for none
    outcome: str | None
    complete: bool
    counted: tuple  # values of the summary facts

    def facts_text(self, given: str) -> str:
        """The result's "facts" as JSON: ``given`` (the record's facts as JSON text) followed by the derived ones."""
        if self.derived == "}":
            return given
        return "{" + self.derived if given == "{}" else given[:-1] + ", " + self.derived


class DecisionCache:
    """Results by normalised facts: a decision is a pure function of rulebase and facts.

    Exports repeat the same few combinations of facts over and over, so the
    engine runs once per distinct combination. Bounded: when full, the
    oldest entry goes. An entry costs about 100 bytes (a key of one
    character per fact, and its slot), because what a result holds is kept
    once for every combination that shares it: the Decision itself, and
    each of its parts as one string per "key": value. The bound of 50,000
    entries holds all of the shipped rulebase's 38,880 combinations of
    input facts, so memory stays flat however long the input.
    """

    MAX_SHARED = 20_000  # distinct pieces and decisions kept for sharing, and keys remembered; beyond, no new ones
    MAX_KEY_PAIRS = 50_000  # facts in all over the keys remembered (``key``): at most about 6 MB

    def __init__(self, evaluator, lang: str, size: int = 50_000, keep_data: bool = False):
        self.evaluator, self.lang, self.size, self.keep_data = evaluator, lang, size, keep_data
        self.entries: dict = {}
        self.keys: dict = {}  # a case's facts as (name, value) pairs, in their order -> their key
        self.key_pairs = 0  # facts in all, over what ``keys`` holds (at most MAX_KEY_PAIRS)
        self.shared: dict = {}  # piece -> the same piece, kept once
        self.decisions: dict = {}  # a decision's parts -> the one Decision with them
        self.counted = evaluator.rulebase.summary
        self.names = tuple(evaluator.rulebase.facts)
        # one character per value of each fact, "\0" for unknown: the key of a record's facts
        self.codes = tuple(
            (name, {None: "\0", **{v: chr(i) for i, v in enumerate(fact.value_ids(), 1)}})
            for name, fact in evaluator.rulebase.facts.items()
        )

    def key(self, facts: dict):
        """The same facts in any order give one key: one character per fact, in the rulebase's order.

        Small (a short string) and quick to make: a key is made for every
        record. A value outside the rulebase's domain (a Normaliser never
        gives one) gets a tuple of the values instead."""
        pairs: tuple | None = tuple(facts.items())
        try:
            return self.keys[pairs]  # these facts, in this order, seen before: most records
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key: never remembered
            pairs = None
        get = facts.get
        try:
            key = "".join([code[get(name)] for name, code in self.codes])
        except KeyError:
            return tuple(get(name) for name in self.names)
        if pairs is not None and len(self.keys) < self.MAX_SHARED and self.key_pairs + len(pairs) <= self.MAX_KEY_PAIRS:
            self.keys[pairs] = key  # only values of the domain (text) are remembered: 1 and True never meet here
            self.key_pairs += len(pairs)
        return key

    def get(self, facts: dict) -> Decision:
        return self.lookup(self.key(facts), facts)

    def lookup(self, key: str | tuple, facts: dict) -> Decision:
        """The decision for ``facts``, whose key is ``key``: from the cache, or decided now and kept."""
        found = self.entries.get(key)
        if found is None:
            found = self.put(key, self.decide(facts))
        return found

    def decide(self, facts: dict) -> Decision:
        """Run the engine on one case (no cache): the result's JSON pieces and what the summary counts."""
        result = self.evaluator.evaluate(facts)
        data = {k: v for k, v in as_json(result, self.lang).items() if k not in RECORD_FIELDS}
        pieces = [_key_text(key) + encode_piece(value) for key, value in data.items() if key != FACTS]
        at = list(data).index(FACTS)
        data[FACTS] = result.derived
        return Decision(
            data if self.keep_data else None,
            tuple(pieces[:at]),
            tuple(pieces[at:]),
            encode_piece(result.derived)[1:],
            data["outcome"],
            result.complete,
            tuple(result.facts.get(name) for name in self.counted),
        )

    def put(self, key, decision: Decision) -> Decision:
        """Keep a decision (the same one as an earlier, equal decision); the oldest goes when full."""
        decision = self._same(decision)
        if len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries)))
        self.entries[key] = decision
        return decision

    def _same(self, decision: Decision) -> Decision:
        """An earlier Decision equal to this one if there is one; else this one, its pieces shared."""
        share = self._share
        decision.before = tuple(share(piece) for piece in decision.before)
        decision.after = tuple(share(piece) for piece in decision.after)
        decision.derived = share(decision.derived)
        parts = (decision.before, decision.after, decision.derived, decision.counted)
        found = self.decisions.get(parts)
        if found is None:  # the parts hold all a decision says (its data is their text's source)
            found = decision
            if len(self.decisions) < self.MAX_SHARED:
                self.decisions[parts] = decision
        return found

    def _share(self, piece: str) -> str:
        found = self.shared.get(piece)
        if found is None:
            found = piece
            if len(self.shared) < self.MAX_SHARED:
                self.shared[piece] = piece
        return found


_KEY_TEXTS: dict = {}


def _key_text(key: str) -> str:
    """'"key": ' as JSON writes it."""
    text = _KEY_TEXTS.get(key)
    if text is None:
        text = _KEY_TEXTS[key] = encode(key) + ": "
    return text


def decide_record(cache: DecisionCache, item, key=None):
    """The decision for a record's case, an EngineFailure's message, or None for a record that is an error."""
    if item.case is None:
        return None
    try:
        return cache.lookup(cache.key(item.case.facts) if key is None else key, item.case.facts)
    except EngineFailure as exc:
        return exc.message  # a catalogue message: worded in the output's language where it is read


def keyed(cache: DecisionCache, items):
    """(record, key of its facts, decision) for each record, in order, deciding in this process.

    A record whose facts were seen before takes its decision straight from the cache's entries: most records of
    an export, so that path makes no further call."""
    entries, key_of = cache.entries, cache.key
    for item in items:
        if item.case is None:
            yield item, None, None
            continue
        key = key_of(item.case.facts)
        found = entries.get(key)
        yield item, key, found if found is not None else decide_record(cache, item, key)
