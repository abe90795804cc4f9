"""Decisions in worker processes, for ``spor batch --jobs N``.

The parent reads and checks the records, as with one process, and keeps
the decision cache; only the distinct cases the cache has not seen go to
the workers, in chunks, while the parent reads on. Records are written in
input order as soon as their decisions are in, so the output is byte for
byte what one process writes, and a window bounds how far reading runs
ahead of writing.

Stopping is the delicate part: a pool that hangs on Ctrl-C is worse than
no pool. So there are no helper threads and no shared queues: each worker
has a pipe for chunks and a pipe for results, and only the parent touches
them. Workers ignore SIGINT and take SIGTERM's default, so the parent
decides when to stop; on any exception (Ctrl-C, SIGTERM turned into
KeyboardInterrupt, a closed output pipe, a failure) it kills its workers
and goes on, with nothing left to join at exit. A worker that dies closes
the only writing end of its result pipe, so the parent sees the end of the
pipe (never half a message to wait on) and reports an engine failure. A
worker whose parent is killed outright stops by itself. Workers are forked
(the engine's state cannot be pickled), so they start with the parent's
compiled rulebase.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING

from spor.batch.decisions import decide_record
from spor.common.errors import EngineFailure, InputError, Problem
from spor.common.messages import Msg

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from spor.batch.inputs import Record

WINDOW = 4000  # records read ahead of the first one not yet written
CHUNK = 250  # distinct cases sent to a worker at once
SERVICE = 64  # records read between looks at the workers' results


def _broken() -> EngineFailure:
    """The failure that stops a run whose worker process stopped unexpectedly."""
    return EngineFailure(Msg("batch_worker_died"))


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _serve(cache, tasks, results, parent) -> None:
    """A worker: decide each chunk it is sent, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (it raises KeyboardInterrupt)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)

    def orphaned():  # a parent killed outright cannot stop its workers: they stop themselves
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=orphaned, daemon=True).start()
    while True:
        try:
            chunk = tasks.recv()
        except EOFError:
            return
        if chunk is None:
            return
        out = []
        for key, facts in chunk:
            try:
                out.append((key, cache.decide(facts)))
            except EngineFailure as exc:
                out.append((key, exc.message))  # a Msg pickles as its key and parameters
        results.send(out)


class _Workers:
    """The worker processes, each with its own two pipes."""

    def __init__(self, jobs: int, cache):
        if "fork" not in multiprocessing.get_all_start_methods():
            raise InputError([Problem("--jobs", Msg("batch_no_fork"))])
        context = multiprocessing.get_context("fork")
        self.processes: list[BaseProcess] = []
        self.tasks: list[Connection] = []
        self.results: list[Connection] = []
        self.idle: deque[int] = deque()
        try:
            for number in range(jobs):
                task_in, task_out = context.Pipe(duplex=False)
                result_in, result_out = context.Pipe(duplex=False)
                process = context.Process(target=_serve, args=(cache, task_in, result_out, os.getpid()), daemon=True)
                blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)  # no Ctrl-C inside fork's hooks
                try:
                    process.start()
                    self.processes.append(process)
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                task_in.close()
                result_out.close()  # the worker now holds the only writing end: its death ends the pipe
                self.tasks.append(task_out)
                self.results.append(result_in)
                self.idle.append(number)
        except BaseException:
            self.kill()
            raise

    def send(self, chunk) -> None:
        number = self.idle.popleft()
        try:
            self.tasks[number].send(chunk)
        except OSError:
            raise _broken() from None

    def busy(self) -> bool:
        return len(self.idle) < len(self.processes)

    def receive(self, timeout) -> list:
        """The results that are in (waiting at most ``timeout`` seconds, None: until one is)."""
        busy = [n for n in range(len(self.processes)) if n not in self.idle]
        sentinels = {self.processes[n].sentinel: n for n in busy}
        ready = wait([self.results[n] for n in busy] + list(sentinels), timeout)
        if any(item in sentinels for item in ready):
            raise _broken()
        out: list = []
        for connection in ready:
            assert isinstance(connection, Connection)  # a sentinel among them has raised above
            number = self.results.index(connection)
            try:
                out += connection.recv()
            except (EOFError, OSError):
                raise _broken() from None
            self.idle.append(number)
        return out

    def close(self) -> None:
        """Tell every worker to stop, and make sure it has."""
        for connection in self.tasks:
            try:
                connection.send(None)
            except OSError:
                pass
        for process in self.processes:
            process.join(timeout=5)
        self.kill()

    def kill(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
        for process in self.processes:
            process.join(timeout=5)
        for connection in self.tasks + self.results:
            connection.close()


def decided(items, cache, jobs: int):
    """(record, key, decision) for each record of ``items``, in order, the engine running in ``jobs`` processes."""
    workers = _Workers(jobs, cache)
    try:
        yield from _decided(items, cache, workers)
    except BaseException:
        workers.kill()
        raise
    workers.close()


def _decided(items, cache, workers):
    pending: deque[tuple[Record, str | tuple | None]] = deque()
    # keys sent or to send; to send; engine failures by key
    waiting: set[str | tuple] = set()
    queue: list[tuple[str | tuple, dict]] = []
    failed: dict[str | tuple, str] = {}

    def collect(timeout):
        for key, decision in workers.receive(timeout):
            waiting.discard(key)
            if isinstance(decision, str):
                failed[key] = decision
            else:
                cache.put(key, decision)

    def dispatch():
        while queue and len(workers.idle):
            workers.send(queue[:CHUNK])
            del queue[:CHUNK]

    def written():
        while pending and pending[0][1] not in waiting:
            item, key = pending.popleft()
            yield item, key, _found(cache, failed, item, key)

    for count, item in enumerate(items):
        key = None if item.case is None else cache.key(item.case.facts)
        pending.append((item, key))  # records read and not yet written, with their keys (None: an error record)
        if key is not None and key not in cache.entries and key not in waiting and key not in failed:
            waiting.add(key)
            queue.append((key, item.case.facts))
        if len(queue) >= CHUNK:
            dispatch()
        if count % SERVICE == 0:
            if workers.busy():
                collect(0)
            if queue and not workers.busy():
                dispatch()  # a part chunk, rather than idle workers
            yield from written()
        while len(pending) > WINDOW and (workers.busy() or queue):  # reading is too far ahead: wait
            dispatch()
            collect(None)
            dispatch()
            yield from written()
    while pending:
        dispatch()
        if workers.busy():
            collect(None)
        yield from written()


def _found(cache, failed, item, key):
    """The decision for a record, as batch._decision gives it; one evicted from a full cache is decided here."""

    if key is None:
        return None
    return cache.entries.get(key) or failed.get(key) or decide_record(cache, item, key)
