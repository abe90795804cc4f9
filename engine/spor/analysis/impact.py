"""What an edit to a rulebase changes: run the same cases on both, list the differences.

A case counts as changed when its outcome, any derived fact, its list of
missing facts or the facts its answer assumes differs between the old and
the new rulebase, or when it is valid under one and not the other (a value
the edit removed, say).
"""

from __future__ import annotations

from spor.common.errors import InputError
from spor.common.messages import Msg, say
from spor.common.messages import text as t
from spor.common.records import field, record
from spor.inference.evaluate import Evaluator
from spor.rulebase.cases import Normaliser, load_case


@record
class Difference:
    field: str
    old: object
    new: object

    def shown(self, lang: str = "en") -> str:
        return f"{say(self.field, lang)}: {_show(self.old, lang)} -> {_show(self.new, lang)}"

    def __str__(self) -> str:
        return self.shown("en")


@record
class CaseImpact:
    source: str
    case_id: str
    differences: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # unreadable under both rulebases


def _show(value, lang: str) -> str:
    if value is None:
        return t("diff_none", lang)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return say(value, lang)


class _Side:
    def __init__(self, rulebase):
        self.evaluator = Evaluator(rulebase)
        self.normaliser = Normaliser(rulebase)

    def run(self, path):
        """(summary dict, problems) for one case file under this rulebase."""
        try:
            case = load_case(path, self.normaliser)
        except InputError as exc:
            return None, exc.problems
        result = self.evaluator.evaluate(case.facts, case_id=case.id, source=case.source)
        return {
            "id": case.id,
            "outcome": result.outcome.id if result.outcome else None,
            "derived": dict(result.derived),
            "missing": [f.id for f in result.missing],
            "assumed": [a.fact for a in result.assumed],
        }, []


def impact(old_rulebase, new_rulebase, files) -> list:
    """One CaseImpact per case file, in the order given."""
    old, new = _Side(old_rulebase), _Side(new_rulebase)
    out = []
    for path in files:
        before, old_problems = old.run(path)
        after, new_problems = new.run(path)
        case_id = (before or after or {}).get("id", path.stem)
        entry = CaseImpact(str(path), case_id)
        if before is None and after is None:
            entry.problems = new_problems
        elif before is None or after is None:
            problems = old_problems or new_problems
            message = problems[0].message
            state = Msg("diff_valid") if before else Msg("diff_invalid", message=message)
            later = Msg("diff_valid") if after else Msg("diff_invalid", message=message)
            entry.differences.append(Difference(Msg("diff_case_file"), state, later))
        else:
            entry.differences = differences(before, after)
        out.append(entry)
    return out


def differences(before: dict, after: dict) -> list:
    found = []
    if before["outcome"] != after["outcome"]:
        found.append(Difference("outcome", before["outcome"], after["outcome"]))
    for name in dict.fromkeys([*before["derived"], *after["derived"]]):
        if before["derived"].get(name) != after["derived"].get(name):
            found.append(Difference(f"facts.{name}", before["derived"].get(name), after["derived"].get(name)))
    for key in ("missing", "assumed"):
        if before[key] != after[key]:
            found.append(Difference(key, before[key], after[key]))
    return found
