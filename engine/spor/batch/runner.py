"""Run many cases from folders, JSON Lines or CSV, streaming: one result per record.

Every record read yields exactly one output record: a result, or an error
record naming its source (file, or file and line) and what was wrong. The
input is read record by record and each result is written before the next
record is read, so memory stays flat however long the input. The summary
counts outcomes, the values of the facts the rulebase names for summaries,
incomplete cases and errors, and shows that records in = results + errors.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from contextlib import closing

from spor.batch.decisions import Decision, DecisionCache, keyed
from spor.batch.inputs import Record, records
from spor.common.errors import InputError, Problem
from spor.common.messages import Msg
from spor.common.records import field, record
from spor.inference.evaluate import Evaluator
from spor.output.record import error_record
from spor.rulebase.cases import Normaliser


@record
class Summary:
    records: int = 0
    results: int = 0
    errors: int = 0
    incomplete: int = 0
    skipped: int = 0  # records already in the output when resuming
    tally: dict = field(default_factory=dict)  # (outcome, values of the summary's facts) -> results, not yet counted
    names: tuple = ()  # the summary's facts, in the order of those values
    counted_outcomes: Counter = field(default_factory=Counter)
    counted_values: dict = field(default_factory=dict)  # fact -> Counter

    def add(self, decision: Decision, summary_facts) -> None:
        """Count one result. A result adds one to its pair of outcome and values; the counts by outcome and by
        fact are made from those pairs when read, not for every record (few pairs, many records)."""
        self.records += 1
        self.results += 1
        if not decision.complete:
            self.incomplete += 1
        self.names = summary_facts
        key = (decision.outcome, decision.counted)
        tally = self.tally
        tally[key] = tally.get(key, 0) + 1

    def add_error(self) -> None:
        self.records += 1
        self.errors += 1

    def _fold(self) -> None:
        for (outcome, counted), n in self.tally.items():
            self.counted_outcomes[outcome] += n
            for name, value in zip(self.names, counted):
                self.counted_values.setdefault(name, Counter())[value] += n
        self.tally.clear()

    @property
    def outcomes(self) -> Counter:
        """Results by outcome."""
        self._fold()
        return self.counted_outcomes

    @property
    def values(self) -> dict:
        """fact -> Counter of its values over the results (the rulebase's summary facts)."""
        self._fold()
        return self.counted_values


# Results are written out at least this often (and at once when stopped): a reader of the output sees them
# as they come, without a system call per record (flushing each one cost about 3% of a run)
FLUSH_SECONDS = 0.2


@record
class Plan:
    """What a batch run reads, and how: everything ``run`` needs besides where it writes."""

    inputs: list  # files and folders, in order
    evaluator: Evaluator
    normaliser: Normaliser
    lang: str = "nb"
    jobs: int = 1  # above 1: the engine runs in that many worker processes (``workers``), same output byte for byte
    exclude: str | None = None  # the output file: never read as an input
    done: Iterable = ()  # resuming: the sources of the records an earlier run wrote, in order, read as needed
    done_count: int = 0  # resuming: how many records the earlier run wrote; they are skipped
    summary: Summary | None = None  # resuming: what the earlier run's records counted


def run(plan: Plan, writer, stream, on_record=None) -> Summary:
    """Evaluate every record of the plan's inputs and write one output record each; skip the first ``done_count``.

    The records skipped must be the ones the sources in ``plan.done`` name,
    in order, or the output does not belong to these inputs.
    """
    from spor.inference.session import keep_heap_slack

    keep_heap_slack()  # many engine sessions in a row: see its docstring
    summary = plan.summary or Summary()
    evaluator = plan.evaluator
    cache = DecisionCache(evaluator, plan.lang, keep_data=writer.needs_data)
    items = records(plan.inputs, plan.normaliser, plan.exclude)
    if plan.done_count:
        items = _pending(items, plan.done, plan.done_count, str(plan.inputs[0]))
    if plan.jobs > 1:
        from spor.batch.workers import decided

        stream_of = decided(items, cache, plan.jobs)
    else:
        stream_of = keyed(cache, items)
    counted = evaluator.rulebase.summary
    add, write, monotonic = summary.add, writer.decision, time.monotonic
    flushed = monotonic()
    with closing(stream_of):  # a failure while writing stops the worker processes at once, not at exit
        for item, key, decision in stream_of:
            if type(decision) is Decision and not item.problems:  # a result, as most records are: what _emit does
                add(decision, counted)
                write(item.case, item.source, decision, key)
            else:
                _emit(item, key, decision, writer, summary, counted)
            now = monotonic()
            if item.alone or now - flushed >= FLUSH_SECONDS:
                stream.flush()
                flushed = now
            if on_record:
                on_record(summary)
    stream.flush()
    summary.skipped = plan.done_count
    return summary


def _pending(items, done, done_count: int, first_input: str):
    """The records after the ``done_count`` an earlier run wrote, checking those are this input's first ones."""
    done = iter(done)
    seen = 0
    for index, item in enumerate(items):
        seen = index + 1
        if index < done_count:
            expected = next(done, None)
            if item.source != expected:
                message = Msg("resume_wrong_record", number=index + 1, source=expected)
                raise InputError([Problem(item.source, message)])
            continue
        yield item
    if done_count > seen:
        raise InputError([Problem(first_input, Msg("resume_too_many_records", done=done_count, seen=seen))])


def _emit(item, key, decision, writer, summary, counted) -> None:
    """Write one output record: the decision, or an error record."""
    if isinstance(decision, str):
        item = Record(
            item.source,
            problems=[Problem(item.source, Msg("batch_engine_failed", detail=decision))],
            case_id=item.case.id,
        )
    elif decision is not None:
        summary.add(decision, counted)
        writer.decision(item.case, item.source, decision, key)
    if item.case is None or item.problems:
        summary.add_error()
        writer.error(error_record(item.source, item.case_id, item.problems))
