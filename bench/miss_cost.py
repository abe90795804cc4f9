"""What one distinct combination of facts costs `spor batch` (a decision-cache miss), by stage.

A miss runs the engine (durable-rules and spor's wrapper round it), the
analysis (missing facts, warnings, conflicts, assumptions and what other
answers lead to) and the rendering of the result into the pieces of its
JSON line. This times the three over the same distinct combinations of a
generated set, in one process each, as CPU time of that process (steadier
than wall time on a shared machine):

* engine: ``Session.fire`` of each combination;
* analysis: ``Evaluator.evaluate`` (engine included, alternatives too), minus engine;
* rendering: ``DecisionCache.decide`` (all of a miss), minus ``evaluate``.

Each pass starts from a fresh Evaluator, as a batch does; the rulebase's
compiled conditions and the engine's ruleset are made before timing (by a
warm-up on other combinations). With ``--baseline DIR`` (another checkout's
``engine/`` folder, e.g. a git worktree of the commit before) the same
measurement runs on that code too, in turns with this code, and the ratios
are printed.

    python bench/miss_cost.py [--combinations 8000] [--rounds 3] [--baseline /tmp/base/engine] [--code engine]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, header  # noqa: E402

WARM = 300  # combinations used to warm up (compile the conditions, fill the message texts), never timed


def distinct(path: Path, rulebase) -> list:
    """The distinct valid combinations of facts of a generated file, in the order first met."""
    seen: dict = {}
    for line in open(path, encoding="utf-8"):
        facts = json.loads(line)["facts"]
        if all(name in rulebase.facts and value in rulebase.facts[name].value_ids() for name, value in facts.items()):
            seen.setdefault(tuple(sorted(facts.items())), facts)
    return list(seen.values())


def worker(cases: Path, count: int, passes: int) -> dict:
    """Median CPU microseconds per combination of each stage, in this process (the code on sys.path)."""
    from spor.api import load_cached
    from spor.batch.decisions import DecisionCache
    from spor.inference.evaluate import Evaluator
    from spor.inference.session import keep_heap_slack

    keep_heap_slack()  # as spor batch does
    rulebase = load_cached().rulebase
    combos = distinct(cases, rulebase)
    warm, timed = combos[:WARM], combos[WARM : WARM + count]
    cache = DecisionCache(Evaluator(rulebase), "nb")
    for facts in warm:
        cache.decide(facts)
    ordered = [{name: facts[name] for name in rulebase.facts if name in facts} for facts in timed]
    session = cache.evaluator.session

    def engine():
        for facts in ordered:
            session.fire(facts)

    def evaluate():
        evaluator = Evaluator(rulebase)
        for facts in timed:
            evaluator.evaluate(facts)

    def decide():
        fresh = DecisionCache(Evaluator(rulebase), "nb")
        for facts in timed:
            fresh.decide(facts)

    times: dict = {"engine": [], "evaluate": [], "decide": []}
    for _ in range(passes):
        for name, run in (("engine", engine), ("evaluate", evaluate), ("decide", decide)):
            start = time.process_time()
            run()
            times[name].append((time.process_time() - start) / len(timed) * 1e6)
    engine_us, evaluate_us, decide_us = (statistics.median(times[k]) for k in ("engine", "evaluate", "decide"))
    return {
        "combinations": len(timed),
        "engine": engine_us,
        "analysis": evaluate_us - engine_us,
        "rendering": decide_us - evaluate_us,
        "total": decide_us,
    }


def measure(engine_dir: Path, cases: Path, count: int, passes: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(engine_dir))
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(cases), "--combinations", str(count), "--passes", str(passes)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--combinations", type=int, default=8000, help="distinct combinations timed")
    parser.add_argument("--rounds", type=int, default=3, help="processes per code tree, taken in turns")
    parser.add_argument("--passes", type=int, default=3, help="passes over the combinations in each process")
    parser.add_argument("--baseline", type=Path, help="another checkout's engine/ folder, measured in turns")
    parser.add_argument("--code", type=Path, default=ROOT / "engine", help="the engine/ folder measured (this one)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.combinations, args.passes)))
        return
    header(f"cost of a decision-cache miss, {args.combinations:,} distinct combinations")
    from gen_cases import generate

    trees = {"this code": args.code}
    if args.baseline:
        trees["baseline"] = args.baseline
    with tempfile.TemporaryDirectory() as tmp:
        cases = generate(Path(tmp) / "cases.jsonl", 40_000)
        results: dict = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, folder in trees.items():
                results[name].append(measure(folder, cases, args.combinations, args.passes))
    stages = ("engine", "analysis", "rendering", "total")
    medians = {name: {s: statistics.median(r[s] for r in runs) for s in stages} for name, runs in results.items()}
    for name, figures in medians.items():
        rounds = ", ".join(f"{r['total']:.0f}" for r in results[name])
        print(f"{name}: " + ", ".join(f"{s} {figures[s]:.1f} us" for s in stages) + f" (totals per round: {rounds})")
    if args.baseline:
        ours, base = medians["this code"], medians["baseline"]
        print("ratio this code / baseline: " + ", ".join(f"{s} {ours[s] / base[s]:.2f}x" for s in stages))


if __name__ == "__main__":
    main()
