"""``spor batch``'s progress line on a terminal: how far, of how many, how fast, how long still.

Written by hand rather than with tqdm or rich: each costs about 35 ms to
import (``python -X importtime``, measured for this change), more than a
third of ``spor --version``, and a dependency, for one line that this
module draws in a few dozen lines. The line is drawn only to a terminal
(``spor batch`` asks ``isatty`` first), at most five times a second, and
never longer than the terminal is wide, so that ``\\r`` always returns to
its start. It first shows after half a second or a thousand records,
whichever comes first, so a short run leaves no line behind; once shown, it
ends with the count, the pace and the time taken.

The total is an estimate made before the run from the input files alone
(``count_records``): one record per case file, one per line of a JSON
Lines file, one per line after the header of a CSV file. Standard input,
and anything that is not a regular file, has no total: reading it to count
would consume it.
"""

from __future__ import annotations

import os
import stat
import time
from collections import deque
from pathlib import Path

from spor.batch.inputs import ALL_SUFFIXES, JSONL_SUFFIXES, STDIN
from spor.common.files import files_in
from spor.common.messages import number

WORDS = {  # the words of the line, nb and en
    "records": ("poster", "records"),
    "left": ("igjen", "left"),
    "took": ("tid", "time"),
}
FIRST_DRAW = 0.5  # seconds: a run that ends sooner draws nothing, unless it reaches FIRST_COUNT records first
FIRST_COUNT = 1000  # records: a fast run shows its line here at the latest (the old progress count's first step)
REDRAW = 0.2  # seconds between two drawings of the line
RATE_WINDOW = 25  # drawings the rate is measured over (about five seconds): it follows a change of pace
COUNT_CHUNK = 1 << 20


def word(key: str, lang: str) -> str:
    return WORDS[key][lang == "en"]


def count_records(inputs, exclude=None) -> int | None:
    """About how many records ``inputs`` hold, read from the files alone; None when it cannot be known.

    Counting reads each JSON Lines and CSV file once more, in large blocks
    (the time is in bench/batch_throughput.py's terms a few per cent of the
    run, and the blocks are then in the page cache for the run itself).
    Lines only: a blank line or a CSV cell over several lines makes the
    count a little high, which the line shows as a total reached early.
    """
    total = 0
    for raw in inputs:
        if str(raw) == STDIN:
            return None
        path = Path(raw)
        try:
            found = files_in(path, ALL_SUFFIXES, exclude=exclude) if path.is_dir() else [path]
        except OSError:
            return None
        for file in found:
            counted = _records_in(file)
            if counted is None:
                return None
            total += counted
    return total


def _records_in(path: Path) -> int | None:
    suffix = path.suffix.lower()
    if suffix not in JSONL_SUFFIXES and suffix != ".csv":
        return 1  # a case file, or a record that says what is wrong with it
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # a pipe or a device: counting would consume what the run must read (and opening one waits)
        with open(path, "rb") as handle:
            lines, last = 0, b"\n"
            while block := handle.read(COUNT_CHUNK):
                lines += block.count(b"\n")
                last = block[-1:]
    except OSError:
        return 1  # the run gives one record saying it cannot be read
    lines += last != b"\n"  # a last line without its line end
    return max(lines - 1, 1) if suffix == ".csv" else lines  # a CSV file's header; an empty one is one record


class Meter:
    """The progress line of one run, drawn on ``stream`` (a terminal) with ``\\r``.

    ``tick`` is called for every record written, so it does nothing but
    compare the clock until a drawing is due. ``clock`` is for tests.
    """

    def __init__(self, stream, total: int | None, lang: str, start: int = 0, clock=time.monotonic):
        self.stream, self.total, self.lang, self.clock = stream, total, lang, clock
        now = clock()
        self.began = now
        self.due = now + FIRST_DRAW
        self.samples: deque = deque([(now, start)], maxlen=RATE_WINDOW)
        self.shown = 0  # characters of the line on the screen
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):  # no file descriptor: a test's stream
            columns = 0
        self.columns = columns - 1 if columns > 1 else 79  # the last column would wrap on some terminals

    def tick(self, records: int) -> None:
        now = self.clock()
        if now >= self.due or records == FIRST_COUNT:
            self.due = now + REDRAW
            self.samples.append((now, records))
            self.draw(self.line(records))

    def close(self, records: int) -> None:
        """End the line, if one was drawn, with the count, the pace and the time taken; the summary follows."""
        if not self.shown:
            return
        now = self.clock()
        self.samples.append((now, records))
        parts = [f"{number(records, self.lang)} {word('records', self.lang)}", self.pace()]
        parts.append(f"{word('took', self.lang)} {clock_text(now - self.began)}")
        self.draw(", ".join(part for part in parts if part))
        self.stream.write("\n")
        self.stream.flush()
        self.shown = 0

    def pace(self) -> str:
        """Records a second over the last few seconds, or empty before there is a pace."""
        rate = self.rate()
        return f"{number(round(rate), self.lang)}/s" if rate else ""

    def rate(self) -> float:
        (then, before), (now, records) = self.samples[0], self.samples[-1]
        return (records - before) / (now - then) if now > then and records > before else 0.0

    def line(self, records: int) -> str:
        lang, total = self.lang, self.total
        done = number(records, lang)
        if total is None or records >= total:  # no total, or the estimate was low: say what is known
            return ", ".join(filter(None, [f"{done} {word('records', lang)}", self.pace()]))
        share = min(99, records * 100 // total)  # 100 % is for the end, which ``close`` says
        percent = f"{share}%" if lang == "en" else f"{share}\u00a0%"  # Norwegian sets a space before the sign
        parts = [f"{done} / {number(total, lang)} {word('records', lang)} ({percent})"]
        rate = self.rate()
        if rate:
            parts += [self.pace(), f"{clock_text((total - records) / rate)} {word('left', lang)}"]
        return ", ".join(parts)

    def draw(self, text: str) -> None:
        text = text[: self.columns]
        self.stream.write("\r" + text + " " * max(0, self.shown - len(text)))
        self.stream.flush()
        self.shown = len(text)


def clock_text(seconds: float) -> str:
    """A duration as a clock shows it: 0:07, 12:30, 1:02:03."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
