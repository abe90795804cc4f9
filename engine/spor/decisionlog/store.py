"""The decision log: one SQLite file, appended to by ``serve``, ``batch`` and ``ask``, read by ``spor report``.

SQLite (the standard library's ``sqlite3``) because a log on one machine
needs no server, and WAL mode lets several server workers append while a
report reads. Each append is one short transaction, retried for up to
``BUSY_SECONDS`` while another writer holds the lock.

A log must never cost the agent an answer: once a log is open, a failed
write is counted (``failed``, ``last_error``) and the caller carries on. A
log that cannot be opened at all (a link, a file that is not a log, one
written by a newer spor) is refused up front, with a located message.

The schema is versioned with SQLite's ``user_version``; each row also
carries the version that wrote it. Opening an older log applies the
missing steps of ``MIGRATIONS`` in one transaction; a log from a newer
spor is refused rather than misread.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from spor.common.errors import InputError, Problem, shown
from spor.common.messages import Msg

SCHEMA_VERSION = 1
MAX_PART_IDS = 50_000  # parts whose ids are kept in memory; beyond, each is looked up (memory stays flat)
BUSY_SECONDS = 30.0  # how long a writer waits for another worker's transaction before counting a failure
SQLITE_MAGIC = b"SQLite format 3\x00"

DECISION_COLUMNS = (
    "schema",
    "time",
    "source",
    "run",
    "record",
    "case_id",
    "given",
    "part",
)
# what a decision says, whatever case it was made for: kept once in ``parts``, each decision row naming one
PART_COLUMNS = (
    "rulebase",
    "rulebase_hash",
    "outcome",
    "side",
    "complete",
    "silent",
    "derived",
    "missing",
    "assumed",
    "warnings",
    "from_evidence",
    "evidence_codes",
    "rules",
    "sections",
)
STEP_COLUMNS = (
    "schema",
    "time",
    "source",
    "session",
    "step",
    "question",
    "answer",
    "action",
    "seconds",
    "rulebase",
    "rulebase_hash",
)

# version -> the statements that bring a log of the version before it up to this one
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE parts (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,      -- the columns below as one JSON array
            rulebase TEXT NOT NULL,        -- the rulebase that decided: its id
            rulebase_hash TEXT NOT NULL,   -- and the checksum of its files (spor check prints it)
            outcome TEXT,                  -- NULL while facts are missing
            side TEXT,
            complete INTEGER NOT NULL,
            silent INTEGER NOT NULL,       -- 1 when the decision cites the rulebase's fallback section
            derived TEXT NOT NULL,         -- JSON object: fact id -> value id, as concluded
            missing TEXT NOT NULL,         -- JSON array of fact ids, next question first
            assumed TEXT NOT NULL,         -- JSON array of fact ids
            warnings TEXT NOT NULL,        -- JSON array of warning codes
            from_evidence TEXT NOT NULL,   -- JSON array of fact ids taken from evidence
            evidence_codes TEXT NOT NULL,  -- JSON array of status codes read in the evidence
            rules TEXT NOT NULL,           -- JSON array of rule ids, in firing order
            sections TEXT NOT NULL         -- JSON array of the sections cited, sorted
        )""",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            schema INTEGER NOT NULL,
            time TEXT NOT NULL,            -- UTC, ISO 8601, seconds: 2026-11-30T07:12:00Z
            source TEXT NOT NULL,          -- serve, batch or ask
            run TEXT,                      -- a batch run, an interview; with record, a row is logged once
            record INTEGER,
            case_id TEXT,                  -- as the case gave it, or NULL
            given TEXT NOT NULL,           -- JSON object: fact id -> value id, as given
            part INTEGER NOT NULL REFERENCES parts (id)
        )""",
        # a batch record or a page's decision is kept once; an API decision (no run) costs no index entry
        "CREATE UNIQUE INDEX decisions_once ON decisions (run, record) WHERE run IS NOT NULL",
        """CREATE VIEW decisions_full AS
            SELECT d.id, d.schema, d.time, d.source, d.run, d.record, p.rulebase, p.rulebase_hash, d.case_id, d.given,
                   p.outcome, p.side, p.complete, p.silent, p.derived, p.missing, p.assumed, p.warnings,
                   p.from_evidence, p.evidence_codes, p.rules, p.sections
            FROM decisions d JOIN parts p ON p.id = d.part""",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            schema INTEGER NOT NULL,
            time TEXT NOT NULL,
            source TEXT NOT NULL,          -- serve or ask
            session TEXT NOT NULL,         -- one interview, a random id
            step INTEGER NOT NULL,         -- its number in the interview
            question TEXT NOT NULL,        -- the fact asked about, or ''
            answer TEXT NOT NULL,          -- the value id given, for 'answered', or ''
            action TEXT NOT NULL,          -- asked, answered, why, how, back, skip, restart, finished, abandoned
            seconds REAL,                  -- since the step before, when known
            rulebase TEXT NOT NULL,
            rulebase_hash TEXT NOT NULL,
            UNIQUE (session, step, action, question, answer)  -- a page reloaded is not a step taken again
        )""",
        "CREATE INDEX steps_session ON steps (session, id)",
        "CREATE INDEX steps_time ON steps (time)",
    ),
}


_NOW = [0, ""]  # the second last asked for, and its text: a server logs thousands of rows a second


def utc_now() -> str:
    second = int(time.time())
    if second != _NOW[0]:
        _NOW[0], _NOW[1] = second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second))
    return str(_NOW[1])


class DecisionLog:
    """An open decision log. ``add_decisions`` and ``add_steps`` never raise: a failure is counted."""

    def __init__(self, path: str | os.PathLike, *, days: int | None = None, read_only: bool = False) -> None:
        self.path = Path(path)
        self.failed = 0  # rows that could not be written
        self.last_error = ""
        self.lock = threading.Lock()
        self.part_ids: dict[str, int] = {}  # a part's key -> its id in this log
        self.connection = open_log(self.path, read_only=read_only)
        if days is not None and not read_only:
            self.forget_before(days)

    def forget_before(self, days: int) -> int:
        """Delete the rows older than ``days`` days (the ``--log-days`` retention); the number deleted."""
        cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - days * 86400))
        with self.connection:
            gone = self.connection.execute("DELETE FROM decisions WHERE time < ?", (cutoff,)).rowcount
            gone += self.connection.execute("DELETE FROM steps WHERE time < ?", (cutoff,)).rowcount
        return gone

    def add_decisions(self, rows: Iterable[tuple]) -> int:
        """Append decision rows in one transaction; the number of rows not written.

        Each row is DECISION_COLUMNS in order, with a ``rows.Part`` in place
        of the part's id: the part is stored once, and found again by its key.
        """
        rows = list(rows)
        if not rows:
            return 0
        marks = ", ".join("?" * len(DECISION_COLUMNS))
        sql = f"INSERT OR IGNORE INTO decisions ({', '.join(DECISION_COLUMNS)}) VALUES ({marks})"
        try:
            with self.lock, self.connection:  # BEGIN ... COMMIT, or ROLLBACK on an error
                new: dict = {}
                ready = [row[:-1] + (self._part_id(row[-1], new),) for row in rows]
                self.connection.executemany(sql, ready)
        except sqlite3.Error as exc:  # full disk, a lock held too long, a file removed: counted, never raised
            self.failed += len(rows)
            self.last_error = str(exc)
            return len(rows)
        if len(self.part_ids) < MAX_PART_IDS:
            self.part_ids.update(new)  # only once committed: a rolled-back part has no id
        return 0

    def _part_id(self, part, new: dict) -> int:
        key = part.key
        found = self.part_ids.get(key) or new.get(key)
        if found is None:
            values = tuple(getattr(part, name) for name in PART_COLUMNS)
            self.connection.execute(
                f"INSERT OR IGNORE INTO parts (key, {', '.join(PART_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(PART_COLUMNS))})",
                (key, *values),
            )
            found = new[key] = self.connection.execute("SELECT id FROM parts WHERE key = ?", (key,)).fetchone()[0]
        return int(found)

    def add_steps(self, rows: Iterable[tuple]) -> int:
        return self._add("steps", STEP_COLUMNS, rows, "INSERT OR IGNORE")

    def _add(self, table: str, columns: tuple, rows: Iterable[tuple], verb: str) -> int:
        """Append rows to a table in one transaction (the steps); the number of rows not written."""
        rows = list(rows)
        if not rows:
            return 0
        marks = ", ".join("?" * len(columns))
        try:
            with self.lock, self.connection:  # BEGIN ... COMMIT, or ROLLBACK on an error
                self.connection.executemany(f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        except sqlite3.Error as exc:  # full disk, a lock held too long, a file removed: counted, never raised
            self.failed += len(rows)
            self.last_error = str(exc)
            return len(rows)
        return 0

    def close(self) -> None:
        self.connection.close()


def file_head(path: Path) -> bytes:
    """A file's first bytes, as many as SQLite's header: what tells a log from anything else (b"" if unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC))
    except OSError:
        return b""


def is_log(path: Path) -> bool:
    """Whether a file starts as a SQLite database does: a decision log, for ``spor report``, else a batch output."""
    return file_head(path) == SQLITE_MAGIC


def open_log(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection to the log at ``path``, created (or brought up to date) unless ``read_only``.

    Refused with InputError: a symbolic link (it could lead onto someone
    else's file), a file that is not SQLite, a SQLite file that is not a
    spor log, and a log written by a newer spor.
    """
    name = shown(path)
    if path.is_symlink():
        raise InputError([Problem(name, Msg("log_link"))])
    exists = path.exists()
    if exists:
        if not path.is_file():
            raise InputError([Problem(name, Msg("log_not_regular"))])
        head = file_head(path)
        if head and head != SQLITE_MAGIC:
            raise InputError([Problem(name, Msg("log_not_sqlite"))])
    elif read_only:
        raise InputError([Problem(name, Msg("no_such_file"))])
    try:
        uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
        # one writer at a time in this process (``DecisionLog.lock``); the server may call from a worker thread
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        if not read_only:
            connection.execute("PRAGMA journal_mode = WAL")  # writers append while a report reads
            connection.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint; WAL keeps it whole
        _migrate(connection, name, read_only)
    except sqlite3.Error as exc:
        raise InputError([Problem(name, Msg("log_cannot_open", detail=str(exc)))]) from None
    return connection


def _migrate(connection: sqlite3.Connection, name: str, read_only: bool) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and tables:
        raise InputError([Problem(name, Msg("log_foreign"))])
    newest = _newest_row(connection) if tables else 0
    if version > SCHEMA_VERSION or newest > SCHEMA_VERSION:
        found = max(version, newest)
        raise InputError([Problem(name, Msg("log_newer", found=found, known=SCHEMA_VERSION))])
    if version == SCHEMA_VERSION or read_only:
        if version < SCHEMA_VERSION and read_only and version:
            raise InputError([Problem(name, Msg("log_older", version=version))])
        return
    connection.execute("BEGIN IMMEDIATE")  # one worker migrates; the others wait, then find it done
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def _newest_row(connection: sqlite3.Connection) -> int:
    """The newest schema any row says it was written with (a row can come from a newer spor on the same file)."""
    newest = 0
    for table in ("decisions", "steps"):  # parts carry no version: they are only ever named by a decision
        try:
            found = connection.execute(f"SELECT max(schema) FROM {table}").fetchone()[0]  # noqa: S608 (a constant)
        except sqlite3.Error:
            continue
        newest = max(newest, found or 0)
    return newest
