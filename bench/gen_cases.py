"""Generate a JSON Lines file of cases drawn from a rulebase's fact domains.

Some cases are incomplete (a fact left out) and a share is invalid (an
unknown value), as in a real export. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))

from spor.api import load  # noqa: E402
from spor.common.resources import default_rules_dir  # noqa: E402


def generate(path: Path, count: int, seed: int = 1, invalid: float = 0.01, rules=None) -> Path:
    rulebase = load(rules or default_rules_dir()).rulebase
    inputs = [(f.id, list(f.value_ids())) for f in rulebase.facts.values() if not f.derived]
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            facts = {name: rng.choice(values) for name, values in inputs if rng.random() < 0.9}
            if rng.random() < invalid:
                facts[inputs[0][0]] = "no-such-value"
            out.write(json.dumps({"id": f"case-{i}", "facts": facts}) + "\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.path, args.count, args.seed)
