"""The short cuts a batch takes for records it has, in effect, read before, each held to the general path.

A JSON Lines line that is a line seen before but for its text id, a record whose facts a normaliser has read
before, a key remembered for facts in the same order, and a summary counted by pairs of outcome and values:
each must give exactly what reading the record from scratch gives. The tests read the same lines with the
short cuts on and off (their bounds set to 0) and compare everything a Record holds, problems included.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from spor.batch import inputs
from spor.batch.decisions import DecisionCache
from spor.batch.inputs import records
from spor.batch.runner import Summary
from spor.inference.evaluate import Evaluator
from spor.rulebase.cases import Case, Normaliser

ROOT = Path(__file__).resolve().parent.parent


def _lines(rulebase, rng: random.Random, count: int) -> list[str]:
    """JSON Lines from a few combinations of facts, under ids plain and odd, and now and then a record that must
    not be taken for another: an escaped quote or a control character in its id, a number as id, a key given
    twice, an expectation, a value written as true or 1, a value unknown, a title."""
    inputs_ = [(f.id, list(f.value_ids())) for f in rulebase.facts.values() if not f.derived]
    pool = [{name: rng.choice(values) for name, values in inputs_ if rng.random() < 0.7} for _ in range(6)]
    first = inputs_[0][0]
    out = []
    for i in range(count):
        facts = dict(rng.choice(pool))
        kind = rng.randrange(28)  # 14 and above: a plain record, half of them
        case_id: object = f"case-{i}"
        if kind == 0:
            case_id = f'q"uote-{i}'
        elif kind == 1:
            case_id = f"ctl\u0001-{i}"
        elif kind == 2:
            case_id = i
        elif kind == 3:
            case_id = ""
        elif kind == 4:
            case_id = "x" * 201
        elif kind == 5:
            facts[first] = True
        elif kind == 6:
            facts[first] = 1
        elif kind == 7:
            facts[first] = "no-such-value"
        record: dict = {"id": case_id, "facts": facts}
        if kind == 8:
            record["title"] = "Ticket \u00e6\u00f8\u00e5"
        if kind == 9:
            record["expect"] = {"outcome": "nothing"}
        text = json.dumps(record, ensure_ascii=rng.random() < 0.5)
        if kind == 10:
            text = text[:-1] + ', "id": "again"}'  # a key given twice, after the facts
        if kind == 11:
            text = text.replace('{"id": "', '{"id": "\\u00e6', 1)  # an escape inside the id
        if kind == 12:
            text = " " + text  # another shape: the general path
        if kind == 13:
            text = text.replace('{"id": "', '{"id": "\t', 1)  # a control character as it is: not JSON
        out.append(text)
    return out


def _read(path: Path, rulebase) -> list[tuple]:
    return [
        (
            r.source,
            r.case_id,
            None if r.case is None else (r.case.id, r.case.source, r.case.facts, r.case.title, r.case.notes),
            [(p.message, p.line, p.column) for p in r.problems],
        )
        for r in records([path], Normaliser(rulebase))
    ]


@pytest.mark.parametrize("seed", range(6))
def test_repeated_lines_read_as_the_general_path_reads_them(rulebase, tmp_path, monkeypatch, seed):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(_lines(rulebase, random.Random(seed), 400)) + "\n", encoding="utf-8")
    calls = []
    known_case = Normaliser.known_case
    monkeypatch.setattr(Normaliser, "known_case", lambda self, *a: calls.append(1) or known_case(self, *a))
    quick = _read(path, rulebase)
    by_line = len(calls)
    monkeypatch.setattr(inputs, "MAX_SEEN_LINES", 0)
    assert _read(path, rulebase) == quick
    assert by_line < 0.75 * (len(calls) - by_line)  # many lines were taken as lines read before
    monkeypatch.setattr(Normaliser, "MAX_SEEN", 0)
    assert _read(path, rulebase) == quick
    assert sum(1 for _, _, case, _ in quick if case) > 120


def test_a_line_read_before_is_read_again_only_for_its_id(rulebase, tmp_path):
    line = '{{"id": "{}", "facts": {{"concern": "sent"}}, "title": "T"}}'
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(line.format(i) for i in ("a", "b", "c")) + "\n", encoding="utf-8")
    read = list(records([path], Normaliser(rulebase)))
    assert [r.case.id for r in read] == ["a", "b", "c"]
    assert all(r.case.facts == {"concern": "sent"} and r.case.title == "T" for r in read)
    read[1].case.facts["concern"] = "changed"  # each case has its own facts: what is remembered stays as read
    assert read[2].case.facts == {"concern": "sent"}


def test_lines_remembered_are_bounded(rulebase, tmp_path, monkeypatch):
    """At most MAX_SEEN_LINES lines of at most MAX_SEEN_REST characters after the id are remembered per file;
    the others are read by the general path, to the same cases."""
    monkeypatch.setattr(inputs, "MAX_SEEN_LINES", 3)
    seen = inputs.SeenLines()
    normaliser = Normaliser(rulebase)
    case = normaliser.known_case({"id": "a", "facts": {"concern": "sent"}}, "s:1")
    for i in range(8):
        seen.remember(f'", "facts": {{}}, "notes": "{i}"}}', case)
    seen.remember('", "notes": "' + "x" * inputs.MAX_SEEN_REST + '"}', case)
    assert len(seen.cases) == 3 and all(len(rest) <= inputs.MAX_SEEN_REST for rest in seen.cases)

    path = tmp_path / "cases.jsonl"
    lines = [json.dumps({"id": f"c{i}", "facts": {"concern": "sent"}, "notes": "n" * (i % 5)}) for i in range(20)]
    lines += [json.dumps({"id": f"l{i}", "facts": {"concern": "sent"}, "notes": "x" * 2000}) for i in range(3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = list(records([path], normaliser))
    assert [r.case.notes for r in read] == ["n" * (i % 5) for i in range(20)] + ["x" * 2000] * 3
    assert [r.case.id for r in read] == [f"c{i}" for i in range(20)] + [f"l{i}" for i in range(3)]


def test_facts_remembered_by_the_normaliser_keep_true_and_1_apart(rulebase):
    normaliser = Normaliser(rulebase)
    fact = next(f for f in rulebase.facts.values() if not f.derived and "yes" in f.value_ids())
    as_text = normaliser.known_case({"id": "a", "facts": {fact.id: "yes"}}, "s:1")
    assert as_text is not None and as_text.facts == {fact.id: "yes"}
    assert normaliser.known_case({"id": "b", "facts": {fact.id: True}}, "s:2") is None  # not text: general path
    assert normaliser.known_case({"id": "c", "facts": {fact.id: 1}}, "s:3") is None
    assert normaliser.known_case({"id": "d", "facts": {fact.id: ["yes"]}}, "s:4") is None  # not hashable
    assert normaliser.known_case({"id": "e", "facts": {fact.id: "no-such"}}, "s:5") is None  # a problem
    assert normaliser.known_case({"id": "f\x01", "facts": {fact.id: "yes"}}, "s:6") is None  # id refused


def test_a_key_remembered_is_the_key_made(rulebase):
    cache = DecisionCache(Evaluator(rulebase), "en")
    rng = random.Random(3)
    inputs_ = [(f.id, list(f.value_ids())) for f in rulebase.facts.values() if not f.derived]
    for _ in range(300):
        facts = {name: rng.choice(values) for name, values in inputs_ if rng.random() < 0.6}
        shuffled = dict(rng.sample(list(facts.items()), len(facts)))
        first, again, other_order = cache.key(facts), cache.key(facts), cache.key(shuffled)
        cache.keys.clear()
        assert first == again == other_order == cache.key(facts)
    assert cache.key({inputs_[0][0]: True}) == cache.key({inputs_[0][0]: True})  # outside the domain: a tuple


def test_the_summary_counts_as_it_did_when_read_more_than_once(rulebase):
    cache = DecisionCache(Evaluator(rulebase), "en")
    names = rulebase.summary
    summary, outcomes, values, incomplete = Summary(), {}, {}, 0
    rng = random.Random(9)
    inputs_ = [(f.id, list(f.value_ids())) for f in rulebase.facts.values() if not f.derived]
    for i in range(200):
        decision = cache.get({name: rng.choice(values_) for name, values_ in inputs_ if rng.random() < 0.8})
        summary.add(decision, names)
        incomplete += not decision.complete
        outcomes[decision.outcome] = outcomes.get(decision.outcome, 0) + 1
        for name, value in zip(names, decision.counted):
            values.setdefault(name, {}).setdefault(value, 0)
            values[name][value] += 1
        if i in (50, 120):  # read midway: later results still count
            assert sum(summary.outcomes.values()) == i + 1
    assert dict(summary.outcomes) == outcomes
    assert {name: dict(counter) for name, counter in summary.values.items()} == values
    assert summary.results == summary.records == 200 and summary.incomplete == incomplete


def test_standard_output_gets_what_the_output_file_gets(tmp_path):
    """Results to standard output go through a stream of their own (a larger buffer): the same bytes, the
    summary still on standard error, and the rulebase line before it."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "".join(json.dumps({"id": f"c{i}", "facts": {"concern": "sent", "module": "lonn"}}) + "\n" for i in range(300)),
        encoding="utf-8",
    )
    spor = [sys.executable, "-m", "spor", "batch", str(cases)]
    to_file = subprocess.run([*spor, "--out", str(tmp_path / "out.jsonl")], capture_output=True, cwd=ROOT, timeout=120)
    with open(tmp_path / "stdout.jsonl", "wb") as sink:
        to_stdout = subprocess.run(spor, stdout=sink, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    assert to_file.returncode == to_stdout.returncode
    assert (tmp_path / "stdout.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()
    assert to_stdout.stderr.count(b"300") >= 1


def test_a_batch_of_json_lines_imports_no_analysis_tempfile_or_csv(tmp_path):
    """What ``spor batch`` of JSON Lines does not need, it does not import (each costs start-up time)."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "a", "facts": {"concern": "sent"}}\n', encoding="utf-8")
    argv = ["spor", "batch", str(cases), "--out", str(tmp_path / "out.jsonl")]
    code = (
        f"import sys; from spor.cli.app import main; sys.argv = {argv!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('tempfile', 'csv', 'shutil', 'spor.analysis.check', 'spor.analysis.suite', 'jsonschema')"
        " if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").startswith('{"case": "a"')


def test_what_a_batch_remembers_is_bounded(rulebase, monkeypatch):
    """Keys of facts (DecisionCache.MAX_SHARED, MAX_KEY_PAIRS), facts read before (Normaliser.MAX_SEEN,
    MAX_SEEN_PAIRS) and lines' tails (JsonlWriter.MAX_TAILS, MAX_TAIL_CHARS) stop growing at their bounds; what
    comes after is made again, the same."""
    import io

    from spor.batch.writers import JsonlWriter

    inputs_ = [(f.id, list(f.value_ids())) for f in rulebase.facts.values() if not f.derived]
    rng = random.Random(4)
    combinations = []
    while len(combinations) < 12:
        facts = {name: rng.choice(values) for name, values in inputs_[:4]}
        if facts not in combinations:
            combinations.append(facts)
    for bounds in ({"shared": 5, "seen": 3, "tails": 4}, {"pairs": 4 * 4, "chars": 3 * 2500}):
        monkeypatch.setattr(DecisionCache, "MAX_SHARED", bounds.get("shared", 20_000))
        monkeypatch.setattr(DecisionCache, "MAX_KEY_PAIRS", bounds.get("pairs", 50_000))
        monkeypatch.setattr(Normaliser, "MAX_SEEN", bounds.get("seen", 20_000))
        monkeypatch.setattr(Normaliser, "MAX_SEEN_PAIRS", bounds.get("pairs", 50_000))
        monkeypatch.setattr(JsonlWriter, "MAX_TAILS", bounds.get("tails", 20_000))
        monkeypatch.setattr(JsonlWriter, "MAX_TAIL_CHARS", bounds.get("chars", 16 << 20))
        cache, normaliser = DecisionCache(Evaluator(rulebase), "en"), Normaliser(rulebase)
        stream = io.StringIO()
        writer = JsonlWriter(stream, rulebase)
        normalised = []
        monkeypatch.setattr(
            normaliser, "facts", lambda *a, real=normaliser.facts, calls=normalised: calls.append(1) or real(*a)
        )
        for i in range(48):
            facts = combinations[i % 12]
            case = normaliser.known_case({"id": f"c{i}", "facts": facts}, f"s:{i}")
            assert case is not None and case.facts == facts  # remembered or not, the same case
            key = cache.key(facts)
            assert key == "".join(code[facts.get(name)] for name, code in cache.codes)
            writer.decision(Case(f"c{i}", f"s:{i}", facts), f"s:{i}", cache.lookup(key, facts), key)
        kept = 5 if "shared" in bounds else 4  # the first five keys, or as many as 16 facts hold
        assert len(cache.keys) == kept and cache.key_pairs == 4 * kept
        remembered = 3 if "seen" in bounds else 4  # the others are normalised each time they come
        assert len(normalised) == remembered + (12 - remembered) * 4
        assert len(writer.tails) <= bounds.get("tails", 12)
        last = max(len(tail) for _, tail in writer.tails.values())  # the one that went over the length
        assert writer.tail_chars - last < bounds.get("chars", 16 << 20) and len(writer.tails) < 12
        lines = stream.getvalue().splitlines()
        assert len(lines) == 48 and all(json.loads(line)["case"] == f"c{i}" for i, line in enumerate(lines))


def test_each_result_line_is_written_in_one_call(rulebase):
    """A stop (Ctrl-C, SIGTERM) lands between two calls, never inside one: a line written in two parts could be
    cut in half at the end of an interrupted run."""
    from spor.batch.writers import JsonlWriter

    calls: list[bytes] = []

    class Raw:
        def write(self, data: bytes) -> int:
            calls.append(bytes(data))
            return len(data)

    cache = DecisionCache(Evaluator(rulebase), "en")
    writer = JsonlWriter(None, rulebase)
    writer.raw = Raw()
    for i in range(6):
        facts = {"concern": "sent", "module": "lonn" if i % 2 else "faktura"}
        key = cache.key(facts)
        writer.decision(Case(f"c{i}", f"s:{i}", facts), f"s:{i}", cache.lookup(key, facts), key)
    assert len(calls) == 6 and all(call.endswith(b"\n") and call.count(b"\n") == 1 for call in calls)
