"""Evidence: how well and how fast spor reads real bounces, and an event log of 100,000 events.

Over every message of a folder of sisimai set-of-emails (333 real bounces, complaints
and auto-replies): the share of bounces for which a recipient and a status
code were found, the share classified as not a bounce, agreement with the
status codes sisimai's own test suite expects (bench/data/sisimai-truth.json),
recipients that look misread, and the time per message against the baseline
of only parsing it with Python's email package (compat32), and against
parsing it with policy.default, measured in the same process.

Then a generated bounce of 30 MB (a report, and the returned message with
a large attachment) and a message of the same size with a 20 MB header
line through `spor evidence`: peak memory against the message's size.

Then a generated event log of 100,000 events (JSON Lines) through
`spor evidence`: time and peak memory, against reading and decoding the
same file line by line with json.loads. With --events-mb N, also a log of
N MB (issue 14: 500) through `spor evidence` (JSON and text) and
`spor run --evidence`: peak memory, against the 300 MiB target.

    python bench/evidence.py --corpus DIR [--runs 5] [--events 100000] [--events-mb 500]

DIR is a folder of sisimai's set-of-emails .eml files.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))

from common import ROOT, SPOR, header, median, peak_rss_mib, timed  # noqa: E402
from spor.api import load  # noqa: E402
from spor.evidence.findings import NOT_REPORT, REPORT, UNREAD  # noqa: E402
from spor.evidence.reports import read_report  # noqa: E402
from spor.evidence.spec import evidence_spec  # noqa: E402

NOT_BOUNCES = ("arf-", "rfc3834-")  # the collection's README: spam complaints and auto-replies


def per_message(function, data: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return median(times)


def _all_text(data: bytes) -> str:
    """The raw message and every part's decoded payload, lower case: where a true recipient must appear."""
    texts = [data.decode("latin-1")]
    for part in email.message_from_bytes(data).walk():
        payload = part.get_payload(decode=True)
        if payload:
            texts.append(payload.decode("utf-8", "replace"))
    return "\n".join(texts).lower()


def corpus(args, spec) -> None:
    files = sorted(Path(args.corpus).glob("*.eml"))
    truth = json.loads((ROOT / "bench" / "data" / "sisimai-truth.json").read_text(encoding="utf-8"))
    blobs = {f.name: f.read_bytes() for f in files}
    results = {name: read_report(data, name, spec) for name, data in blobs.items()}
    # named so, or what sisimai's tests call a complaint, a delivery notice or a vacation reply
    expected_not = {
        n
        for n in blobs
        if n.startswith(NOT_BOUNCES)
        or truth.get(n)
        and all(row["reason"] in ("feedback", "delivered", "vacation") for row in truth[n])
    }
    said_not = {n for n, r in results.items() if r[0].kind in (NOT_REPORT, UNREAD)}
    bounces = [n for n in blobs if n not in expected_not]
    with_recipient = [n for n in bounces if any(f.kind == REPORT and f.recipient for f in results[n])]
    with_both = [n for n in bounces if any(f.kind == REPORT and f.recipient and f.status for f in results[n])]
    carrying = [n for n in bounces if any(row["status"] and not row.get("pseudo_status") for row in truth.get(n, []))]
    code_found = [n for n in carrying if any(f.status for f in results[n])]
    agree = [n for n in carrying if {f.status for f in results[n]} & {row["status"] for row in truth[n]}]
    suspicious = []
    for name in bounces:
        text = _all_text(blobs[name])
        sender = " ".join(
            re.findall(r"[\w.+-]+@[\w.-]+", str(email.message_from_bytes(blobs[name]).get("from", "")).lower())
        )
        for f in results[name]:
            if f.recipient and (f.recipient.lower() not in text or f.recipient.lower() in sender):
                suspicious.append((name, f.recipient))
    print(
        f"messages: {len(files)} ({len(expected_not)} complaints, auto-replies or delivery notices, "
        f"{len(bounces)} bounces)"
    )
    print(
        f"classified as not a bounce: {len(said_not)} ({len(said_not) / len(files):.1%}): "
        f"{len(said_not & expected_not)} of the {len(expected_not)} that are not; bounces among them: "
        f"{sorted(said_not - expected_not) or 'none'}"
    )
    print(f"non-bounces read as a bounce: {sorted(expected_not - said_not) or 'none'}")
    print(
        f"bounces with a recipient found: {len(with_recipient)} ({len(with_recipient) / len(bounces):.1%}); "
        f"with a recipient and a status code: {len(with_both)} ({len(with_both) / len(bounces):.1%})"
    )
    print(
        f"bounces that carry a status code (sisimai's tests expect one that is not its own invention): "
        f"{len(carrying)}; code found: {len(code_found)} ({len(code_found) / len(carrying):.1%}); "
        f"the expected code among those found: {len(agree)} ({len(agree) / len(carrying):.1%})"
    )
    print(f"  no code found: {sorted(set(carrying) - set(code_found))}")
    print(f"  another code found: {sorted(set(code_found) - set(agree))}")
    print(f"recipients not in the message's text, or the bounce's own sender: {suspicious or 'none'}")
    extra = [
        (n, [f.recipient for f in results[n] if f.recipient])
        for n in bounces
        if truth.get(n) and sum(1 for f in results[n] if f.recipient) > len(truth[n])
    ]
    print(f"more recipients than sisimai's tests expect (one may be wrong): {len(extra)}")
    for name, found in extra:
        print(f"  {name}: {', '.join(found)} (expected {len(truth[name])})")

    ours = [per_message(lambda d: read_report(d, "x", spec), data, args.runs) for data in blobs.values()]
    compat = [
        per_message(lambda d: email.message_from_bytes(d, policy=email.policy.compat32), data, args.runs)
        for data in blobs.values()
    ]
    default = [
        per_message(lambda d: email.message_from_bytes(d, policy=email.policy.default), data, args.runs)
        for data in blobs.values()
    ]
    p95 = lambda xs: statistics.quantiles(xs, n=20)[-1]  # noqa: E731
    print(f"time per message (median over messages of the median of {args.runs} runs; p95):")
    print(
        f"  spor's reader: {median(ours) * 1000:.2f} ms (p95 {p95(ours) * 1000:.2f} ms), "
        f"all {len(files)}: {sum(ours) * 1000:.0f} ms"
    )
    print(
        f"  baseline, email.message_from_bytes(compat32) alone: {median(compat) * 1000:.2f} ms "
        f"(p95 {p95(compat) * 1000:.2f} ms): spor reads at {median(ours) / median(compat):.1f}x the parse alone"
    )
    print(
        f"  email.message_from_bytes(policy.default) alone: {median(default) * 1000:.2f} ms "
        f"(p95 {p95(default) * 1000:.2f} ms): {median(default) / median(compat):.1f}x compat32"
    )


def write_log(path: Path, count: int, messages: int) -> None:
    """A SendGrid-like event log of ``count`` events over ``messages`` messages, JSON Lines."""
    rng = random.Random(5)
    kinds = ["processed", "delivered", "open", "deferred", "bounce", "dropped", "click"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            message = rng.randrange(messages)
            item = {
                "email": f"user{message}@example.org",
                "timestamp": 1_700_000_000 + i,
                "event": rng.choice(kinds),
                "sg_event_id": f"ev{i}",
                "sg_message_id": f"msg{message}",
                "smtp-id": f"<{message}@example.org>",
                "category": "invoice",
            }
            if item["event"] == "bounce":
                item.update(
                    type=rng.choice(["bounce", "blocked"]),
                    status="5.1.1",
                    reason="550 5.1.1 user unknown",
                    bounce_classification="Invalid Address",
                )
            out.write(json.dumps(item) + "\n")


def events(args) -> None:
    messages = args.events // 3
    with tempfile.TemporaryDirectory() as folder:
        log, longer = Path(folder) / "events.jsonl", Path(folder) / "longer.jsonl"
        write_log(log, args.events, messages)
        write_log(longer, args.events * 3, messages)
        command = [*SPOR, "evidence", "--format", "json", str(log)]
        floor = [
            sys.executable,
            "-c",
            "import json, sys\nfor line in open(sys.argv[1], encoding='utf-8'): json.loads(line)",
            str(log),
        ]
        spor_times, floor_times = timed(command, runs=3), timed(floor, runs=3)
        print(
            f"event log: {args.events:,} events over {messages:,} messages, "
            f"{log.stat().st_size / 2**20:.1f} MiB of JSON Lines"
        )
        print(
            f"  spor evidence --format json: median {median(spor_times):.2f} s "
            f"({args.events / median(spor_times):,.0f} events/s); baseline json.loads per line: "
            f"{median(floor_times):.2f} s; ratio {median(spor_times) / median(floor_times):.1f}x"
        )
        whole = [
            sys.executable,
            "-c",
            "import json, sys; [json.loads(x) for x in open(sys.argv[1]).readlines()]",
            str(log),
        ]
        first, more = peak_rss_mib(command), peak_rss_mib([*SPOR, "evidence", "--format", "json", str(longer)])
        print(
            f"  peak RSS: spor evidence {first:.1f} MiB; with 3x the events over the same messages "
            f"({args.events * 3:,}) {more:.1f} MiB ({more / first:.2f}x); the baseline {peak_rss_mib(floor):.1f} MiB; "
            f"holding the whole log decoded {peak_rss_mib(whole):.1f} MiB"
        )


def big_messages() -> None:
    """Peak memory of spor evidence on a 30 MB bounce and on a 30 MB message with a 20 MB header line."""
    import base64
    import os

    head = "From: MAILER-DAEMON@x.example\nTo: s@a.example\nSubject: Undelivered Mail Returned to Sender\n"
    report = (
        head + 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
        "--B\nContent-Type: text/plain\n\nuser@dest.example: 550 5.1.1 no such user\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example\n\n"
        "Final-Recipient: rfc822; user@dest.example\nAction: failed\nStatus: 5.1.1\n\n"
        "--B\nContent-Type: message/rfc822\n\nFrom: s@a.example\nTo: user@dest.example\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="C"\n\n--C\nContent-Type: application/pdf\n'
        "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(os.urandom(22 << 20)).decode() + "--C--\n--B--\n"
    )
    header = (
        "Subject: hello\nX-Junk: " + "a" * (20 << 20) + "\nTo: s@a.example\n\nhello\n" + ("b" * 75 + "\n") * 130_000
    )
    with tempfile.TemporaryDirectory() as folder:
        tiny = Path(folder) / "tiny.eml"
        tiny.write_text(head + "\nuser@dest.example: 550 5.1.1 no such user\n", encoding="utf-8")
        floor = peak_rss_mib([*SPOR, "evidence", str(tiny)])
        print(f"large messages (spor evidence; a message of a few lines: {floor:.1f} MiB):")
        for name, text in (("a 30 MB bounce", report), ("a message with a 20 MB header line", header)):
            path = Path(folder) / "big.eml"
            path.write_text(text, encoding="utf-8")
            size = path.stat().st_size / 2**20
            rss = peak_rss_mib([*SPOR, "evidence", "--format", "json", str(path)])
            print(f"  {name} ({size:.1f} MiB): peak RSS {rss:.1f} MiB, {rss / size:.2f}x its size")


def big_log(megabytes: int) -> None:
    """Peak memory of spor evidence and spor run --evidence on a generated event log of ``megabytes`` MB."""
    with tempfile.TemporaryDirectory() as folder:
        sample, log = Path(folder) / "sample.jsonl", Path(folder) / "big.jsonl"
        write_log(sample, 10_000, 3_333)
        count = int(megabytes * 1e6 / (sample.stat().st_size / 10_000))
        write_log(log, count, count // 3)
        case = Path(folder) / "case.yaml"
        case.write_text("facts: {}\n", encoding="utf-8")
        print(f"event log of {log.stat().st_size / 1e6:.0f} MB: {count:,} events over about {count // 3:,} messages")
        for label, command in (
            ("spor evidence --format json", [*SPOR, "evidence", "--format", "json", str(log)]),
            ("spor evidence (text)", [*SPOR, "evidence", str(log)]),
            (
                "spor run --format json --evidence",
                [*SPOR, "run", "--format", "json", "--evidence", str(log), str(case)],
            ),
        ):
            start = time.perf_counter()
            rss = peak_rss_mib(command)
            print(f"  {label}: peak RSS {rss:.0f} MiB (target 300), {time.perf_counter() - start:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", required=True, help="a folder of real bounces (sisimai's set-of-emails)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--events-mb", type=int, default=0, help="also a generated event log of this many MB")
    args = parser.parse_args()
    header("evidence: real bounces, and an event log")
    spec = evidence_spec(load(ROOT / "rules").rulebase).reports
    corpus(args, spec)
    big_messages()
    events(args)
    if args.events_mb:
        big_log(args.events_mb)


if __name__ == "__main__":
    main()
