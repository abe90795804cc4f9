"""The shortcuts of the batch path write exactly what the plain way writes.

* ``decisions.encode_piece`` (json's C encoder made once) gives the text of
  ``output.record.encode`` for every value a result holds;
* ``JsonlWriter`` writing UTF-8 bytes under a text file gives the bytes the
  same writer gives as text, and falls back to text for any stream where
  that would not hold;
* ``Session.fire`` reading an action's snapshot from the text it asserted
  fires what decoding every message fires, and decodes a message that is
  not that text.
"""

from __future__ import annotations

import io
import itertools
import json

import pytest

from spor.batch.decisions import DecisionCache, encode_piece
from spor.batch.inputs import Record
from spor.batch.writers import JsonlWriter, utf8_bytes_under
from spor.inference.evaluate import Evaluator
from spor.inference.session import Session
from spor.output.record import as_json, encode, error_record
from spor.rulebase.cases import Case


def partial_cases(rulebase):
    inputs = [f for f in rulebase.facts.values() if not f.derived]
    for values in itertools.product(*[(None, *f.value_ids()) for f in inputs]):
        yield {f.id: v for f, v in zip(inputs, values) if v is not None}


def test_the_piece_encoder_writes_what_encode_writes(heating_rulebase, rulebase):
    checked = 0
    for rb, cases in ((heating_rulebase, partial_cases(heating_rulebase)), (rulebase, [])):
        evaluator = Evaluator(rb)
        for facts in itertools.islice(cases, 0, None, 7):
            for lang in ("nb", "en"):
                for value in as_json(evaluator.evaluate(facts), lang).values():
                    assert encode_piece(value) == encode(value)
                    checked += 1
    odd = [None, True, 0, -1, 10**30, 1.5, -0.0, 1e300, "", 'æøå \u2028 "\\ \x00', [], {}, {"a": [{"b": None}]}]
    for value in odd:
        assert encode_piece(value) == encode(value)
    assert checked > 1000


def cases_and_decisions(heating_rulebase):
    """(Case, source, Decision, key) for a spread of the heating fixture's cases, titles with non-ASCII text."""
    cache = DecisionCache(Evaluator(heating_rulebase), "nb")
    out = []
    for number, facts in enumerate(itertools.islice(partial_cases(heating_rulebase), 0, None, 13)):
        title = "Radiatoren på badet ø" if number % 3 else ""
        case = Case(f"case-{number}", f"in.jsonl:{number}", facts, title=title, notes="\u2028")
        out.append((case, f"in.jsonl:{number}", cache.get(facts), cache.key(facts) if number % 5 else None))
    return out


def test_the_writer_writes_the_same_bytes_under_a_file_as_text(heating_rulebase, tmp_path):
    written = cases_and_decisions(heating_rulebase)
    errors = [error_record("in.jsonl:9", "x", Record("in.jsonl:9").problems), {"source": "s", "error": "ø"}]
    text = io.StringIO()
    path = tmp_path / "out.jsonl"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("before\n")  # text written before the writer: it stays first
        as_bytes = JsonlWriter(handle, heating_rulebase)
        assert as_bytes.raw is not None
        as_text = JsonlWriter(text, heating_rulebase)
        assert as_text.raw is None
        for _ in range(2):  # the second time from the tails kept
            for case, source, decision, key in written:
                as_bytes.decision(case, source, decision, key)
                as_text.decision(case, source, decision, key)
            for data in errors:
                as_bytes.error(data)
                as_text.error(data)
    assert path.read_bytes() == ("before\n" + text.getvalue()).encode("utf-8")
    lines = text.getvalue().split("\n")[:-1]  # not splitlines: a U+2028 in a title is no line end in JSON Lines
    assert len(lines) == 2 * (len(written) + len(errors))
    assert all(json.loads(line) for line in lines)


@pytest.mark.parametrize(
    "make",
    [
        lambda path: io.StringIO(),
        lambda path: open(path, "w", encoding="latin-1"),
        lambda path: open(path, "w", encoding="utf-8", errors="replace"),
        lambda path: open(path, "w", encoding="utf-8", buffering=1),  # line buffered, as a terminal is
        lambda path: io.TextIOWrapper(io.BytesIO(), encoding="utf-8", line_buffering=True),
    ],
)
def test_the_writer_keeps_to_text_where_bytes_would_differ(make, tmp_path):
    stream = make(tmp_path / "out.txt")
    try:
        assert utf8_bytes_under(stream) is None
    finally:
        stream.close()


def test_a_utf8_file_takes_bytes(tmp_path):
    with open(tmp_path / "out.txt", "w", encoding="UTF8") as stream:
        assert utf8_bytes_under(stream) is stream.buffer


class Respaced:
    """durable-rules' C module, handing back every action's message as equal JSON spelt another way."""

    def __init__(self, engine):
        self.engine = engine
        self.seen = 0

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def _respell(self, message):
        self.seen += 1
        return json.dumps(json.loads(message), separators=(",", ":"), sort_keys=True)

    def start_action_for_state(self, handle, state):
        started = self.engine.start_action_for_state(handle, state)
        return started and (started[0], self._respell(started[1]))

    def complete_and_start_action(self, handle, state):
        started = self.engine.complete_and_start_action(handle, state)
        return started and self._respell(started)


def test_a_message_that_is_not_the_text_asserted_is_decoded(heating_rulebase, printer_rulebase):
    for rulebase in (heating_rulebase, printer_rulebase):
        plain, respaced = Session(rulebase), Session(rulebase)
        respaced._c = wrapper = Respaced(respaced._c)
        fired = 0
        for facts in partial_cases(rulebase):
            ordered = {name: facts[name] for name in rulebase.facts if name in facts}
            expected = [(f.rule.index, f.saw) for f in plain.fire(ordered)]
            assert [(f.rule.index, f.saw) for f in respaced.fire(ordered)] == expected
            fired += len(expected)
        assert wrapper.seen >= fired > 0  # every firing took the decoding path
