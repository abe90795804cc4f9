"""spor batch writes from its decision cache exactly what a fresh evaluation of each record gives.

The cache keeps one Decision for all the combinations of facts that share a
verdict, trace, questions and warnings, and each record writes its own
facts; none of that may show in the output.

On the heating fixture rulebase (tests/fixtures/heating): batch's mechanics
do not depend on what a rulebase knows.
"""

from __future__ import annotations

import csv
import io
import json
import random
import time

import pytest

from spor import batch
from spor.batch.decisions import DecisionCache
from spor.batch.runner import FLUSH_SECONDS
from spor.output.record import as_json

from .conftest import HEATING, spor_command


@pytest.fixture
def rulebase(heating_rulebase):
    """The heating fixture rulebase (not the shipped one, which conftest's `rulebase` is)."""
    return heating_rulebase


@pytest.fixture
def evaluator(heating_evaluator):
    return heating_evaluator


@pytest.fixture
def normaliser(heating_normaliser):
    return heating_normaliser


def _random_cases(rulebase, count, seed=7):
    """Cases over every fact, derived ones included (a case may state one), in shuffled order, some repeated."""
    rng = random.Random(seed)
    facts = [(f.id, list(f.value_ids())) for f in rulebase.facts.values()]
    cases = []
    for i in range(count):
        if cases and rng.random() < 0.3:
            chosen = dict(rng.choice(cases)[1])
        else:
            chosen = {
                name: rng.choice(values)
                for name, values in facts
                if rng.random() < (0.15 if rulebase.facts[name].derived else 0.7)
            }
        items = list(chosen.items())
        rng.shuffle(items)
        cases.append((f"case-{i}", dict(items)))
    return cases


def _title(case_id):
    return f'{case_id}: Lønn – «kvittering» "sendt" \\ \u2028 ✓'


def _notes(case_id):
    return "" if case_id.endswith("0") else f"line one\nline two\t{case_id} æøå"


def _run(tmp_path, rulebase, evaluator, normaliser, cases, fmt):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps({"id": i, "title": _title(i), "notes": _notes(i), "facts": f}) + "\n" for i, f in cases),
        encoding="utf-8",
    )
    out = io.StringIO()
    writer = batch.WRITERS[fmt](out, rulebase)
    summary = batch.run(batch.Plan([source], evaluator, normaliser, "nb"), writer, out)
    return source, out.getvalue(), summary


def test_jsonl_records_are_byte_for_byte_a_fresh_evaluation(tmp_path, rulebase, evaluator, normaliser):
    cases = _random_cases(rulebase, 3000)
    source, text, summary = _run(tmp_path, rulebase, evaluator, normaliser, cases, "jsonl")
    lines = text.split("\n")[:-1]  # not splitlines: a title may hold U+2028, which JSON writes as it is
    assert len(lines) == len(cases) == summary.results
    for number, ((case_id, facts), line) in enumerate(zip(cases, lines), 1):
        result = evaluator.evaluate(
            facts, case_id=case_id, source=f"{source}:{number}", title=_title(case_id), notes=_notes(case_id)
        )
        assert line == json.dumps(as_json(result, "nb"), ensure_ascii=False)


def test_csv_rows_are_a_fresh_evaluation(tmp_path, rulebase, evaluator, normaliser):
    cases = _random_cases(rulebase, 1000, seed=8)
    source, text, _ = _run(tmp_path, rulebase, evaluator, normaliser, cases, "csv")
    expected = io.StringIO()
    writer = batch.CsvWriter(expected, rulebase)
    for number, (case_id, facts) in enumerate(cases, 1):
        writer.result(
            as_json(
                evaluator.evaluate(
                    facts, case_id=case_id, source=f"{source}:{number}", title=_title(case_id), notes=_notes(case_id)
                ),
                "nb",
            )
        )
    assert text == expected.getvalue()
    assert len(list(csv.reader(io.StringIO(text)))) == len(cases) + 1


def test_combinations_share_their_decisions(rulebase, evaluator):
    cache = DecisionCache(evaluator, "en")
    rng = random.Random(3)
    inputs = [(f.id, [None, *f.value_ids()]) for f in rulebase.facts.values() if not f.derived]
    drawn = set()
    for _ in range(3000):
        facts = {name: value for name, values in inputs if (value := rng.choice(values)) is not None}
        drawn.add(tuple(sorted(facts.items())))
        cache.get(facts)
    distinct = {id(decision) for decision in cache.entries.values()}
    assert len(cache.entries) == len(drawn) > 1000  # one entry per combination of facts
    assert len(distinct) < len(cache.entries) * 0.8  # equal verdicts, traces and warnings are kept once
    key = cache.key({"building": "cabin", "display": "normal"})
    assert isinstance(key, str) and len(key) == len(rulebase.facts)
    assert key == cache.key({"display": "normal", "building": "cabin"}) != cache.key({"building": "cabin"})


def test_a_full_cache_drops_its_oldest_entry(evaluator):
    cache = DecisionCache(evaluator, "en", size=2)
    for building in ("cabin", "house", "cabin", "flat"):
        cache.get({"building": building})
    assert len(cache.entries) == 2
    assert cache.key({"building": "cabin"}) not in cache.entries  # the first one in went when the third came
    assert cache.key({"building": "house"}) in cache.entries


class _Watched(io.StringIO):
    """An output that notes how much had been written at each flush."""

    def __init__(self):
        super().__init__()
        self.flushes = []

    def flush(self):
        self.flushes.append(self.getvalue().count("\n"))
        super().flush()


def test_results_reach_the_output_as_they_come_not_only_at_the_end(tmp_path, rulebase, evaluator, normaliser):
    cases = [(f"c{i}", {"building": "cabin"}) for i in range(12)]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": i, "facts": f}) + "\n" for i, f in cases), encoding="utf-8")
    out = _Watched()
    slow = lambda summary: time.sleep(0.05)  # noqa: E731 - 12 records over at least 0.6 s
    start = time.monotonic()
    batch.run(batch.Plan([source], evaluator, normaliser, "en"), batch.JsonlWriter(out, rulebase), out, on_record=slow)
    took = time.monotonic() - start  # not asserted: the flushes are counted against it, however slow the machine
    assert out.flushes[-1] == 12  # all of it at the end
    during = [count for count in out.flushes if 0 < count < 12]
    assert len(during) >= 2  # and some of it on the way, at most FLUSH_SECONDS apart
    assert len(out.flushes) <= took / FLUSH_SECONDS + 2 and len(out.flushes) < 12  # not a flush per record


def test_a_result_from_a_case_file_is_written_out_before_the_next_file_is_read(
    tmp_path, rulebase, evaluator, normaliser
):
    for i in range(3):  # one record per file: the next file may take long to read (a huge YAML document)
        (tmp_path / f"c{i}.yaml").write_text("facts:\n  building: cabin\n", encoding="utf-8")
    out = _Watched()
    batch.run(batch.Plan([tmp_path], evaluator, normaliser, "en"), batch.JsonlWriter(out, rulebase), out)
    assert out.flushes[:3] == [1, 2, 3]


def test_a_file_name_that_is_not_utf8_gives_its_record_and_the_run_goes_on(tmp_path):
    import os
    import subprocess

    from .conftest import ROOT

    folder = tmp_path / "cases"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.yaml"), "w", encoding="utf-8") as handle:
        handle.write("facts:\n  building: cabin\n")
    (folder / "good.yaml").write_text("facts:\n  building: nope\n", encoding="utf-8")
    done = subprocess.run(
        spor_command("batch", "--rules", str(HEATING), str(folder)),
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1 and b"internal error" not in done.stderr and b"Traceback" not in done.stderr
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["source"].rsplit("/", 1)[1] for r in records] == ["bad\\xff.yaml", "good.yaml"]
    assert records[0]["facts"]["building"] == "cabin" and "'nope' is not a value" in records[1]["error"]
    single = subprocess.run(
        spor_command(
            "run",
            "--format",
            "json",
            "--rules",
            str(HEATING),
            os.fsdecode(os.path.join(os.fsencode(folder), b"bad\xff.yaml")),
        ),
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert json.loads(single.stdout.decode("utf-8"))["source"].endswith("bad\\xff.yaml")  # spor run names it alike
