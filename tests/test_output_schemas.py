"""Schemas that tell the truth: every JSON record spor prints is valid under the schema `spor schema KIND` prints.

Each command runs as a user runs it (``python -m spor`` in a subprocess), and
every line it prints is checked against the schema printed by ``spor schema``
(itself, not the file in ``schemas/``: what the user gets is what is tested).
The schemas are strict, so the negative tests show a record with an extra key
or a wrong type is refused: a schema that accepts anything would pass the rest.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from functools import cache

import pytest
from jsonschema import Draft202012Validator

from spor.common.schemas import refs

from .conftest import EXAMPLES, ROOT, RULES, edited_copy, spor_command

BOUNCES = ROOT / "tests" / "fixtures" / "bounces"
SENDGRID = ROOT / "tests" / "fixtures" / "sendgrid-documented-sample.json"
KINDS = ("rules", "case", "result", "batch-record", "finding", "check-report", "test-report", "diff-record")


def spor(*args, code=None) -> list:
    """Run ``python -m spor ARGS`` and return every line it printed to standard output, parsed as JSON."""
    done = subprocess.run(
        spor_command(*map(str, args)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if code is not None:
        assert done.returncode == code, (done.returncode, done.stderr)
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@cache
def printed_schema(kind: str) -> dict:
    done = subprocess.run(
        spor_command("schema", kind),
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = printed_schema(kind)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(kind: str, record) -> list:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in validator(kind).iter_errors(record)]


def assert_valid(kind: str, records: list) -> None:
    assert records, f"the command printed no {kind} record"
    bad = {i: found for i, record in enumerate(records) if (found := errors(kind, record))}
    assert bad == {}, bad


@pytest.fixture
def rules_copy(tmp_path):
    """rules_copy(file, old, new) -> a copy of the shipped rulebase with one text replaced."""
    return lambda file, old, new: edited_copy(RULES, tmp_path / "rules", file, old, new)


# -- the schemas themselves ------------------------------------------------------------------------------------


def test_every_kind_is_printed_as_a_self_contained_2020_12_schema():
    from spor.cli.schema import KINDS as CLI_KINDS
    from spor.common.schemas import SCHEMAS

    assert tuple(SCHEMAS) == CLI_KINDS == KINDS
    for kind in KINDS:
        schema = printed_schema(kind)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"https://spor.example/schemas/{SCHEMAS[kind]}"
        Draft202012Validator.check_schema(schema)
        # self-contained: every $ref to another file names a schema embedded in this one
        embedded = {sub["$id"] for sub in schema.get("$defs", {}).values() if "$id" in sub} | {schema["$id"]}
        for ref in refs(schema):
            if not ref.startswith("#"):
                assert f"https://spor.example/schemas/{ref.split('#')[0]}" in embedded, (kind, ref)


def test_every_file_in_schemas_is_printed_or_used_by_a_printed_schema():
    from spor.common.schemas import SCHEMAS

    used = set(SCHEMAS.values()) | {
        name for kind in KINDS for name in printed_schema(kind).get("$defs", {}) if name.endswith(".schema.json")
    }
    assert {p.name for p in (ROOT / "schemas").glob("*.json")} <= used


def test_the_shared_shapes_are_one_definition():
    """A result's evidence items are findings, and every problems list holds problem.schema.json's objects."""
    result = printed_schema("result")
    assert result["properties"]["evidence"]["items"] == {"$ref": "finding.schema.json"}
    assert result["$defs"]["finding.schema.json"] == printed_schema("finding")
    batch = printed_schema("batch-record")
    assert {"$ref": "result.schema.json"} in batch["oneOf"]
    assert (
        batch["$defs"]["result.schema.json"]["properties"]
        == json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))["properties"]
    )
    for kind in ("batch-record", "test-report", "diff-record"):
        assert "problem.schema.json" in printed_schema(kind)["$defs"]


SCHEMA_FILES = sorted(path.name.removesuffix(".schema.json") for path in (ROOT / "schemas").glob("*.schema.json"))


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_every_field_of_every_schema_is_described_in_both_languages(name):
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    missing = []
    _undescribed(schema, name, missing)
    assert " / " in schema["description"] and missing == []


def _undescribed(node, path, out):
    if not isinstance(node, dict):
        return
    for kind in ("properties", "$defs"):
        for name, sub in node.get(kind, {}).items():
            if " / " not in sub.get("description", ""):
                out.append(f"{path}.{name}")
            _undescribed(sub, f"{path}.{name}", out)
    for key in ("items", "additionalProperties"):
        _undescribed(node.get(key), f"{path}.{key}", out)
    for key in ("oneOf", "anyOf", "allOf"):
        for i, sub in enumerate(node.get(key, [])):
            _undescribed(sub, f"{path}.{key}[{i}]", out)


# -- real output, validated ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_run_json_of_every_example_is_a_result():
    examples = sorted(p for p in EXAMPLES.iterdir() if p.is_file())
    records = spor("run", "--format", "json", *examples)
    assert len(records) == len(examples)
    assert_valid("result", records)
    assert {r["complete"] for r in records} == {True, False}  # both kinds of result were seen
    assert_valid("batch-record", records)  # a batch line may be any result


@pytest.mark.slow
def test_run_explain_adds_a_why_not_the_schema_describes():
    names = [
        "tax-builtin-rejected",
        "payroll-not-received-delivered",
        "invoice-on-agro24-overrides-external-setting",
        "incomplete-nothing-known",
        "english-synonyms",
    ]
    paths = [next(EXAMPLES.glob(f"{name}.*")) for name in names]
    records = spor("run", "--explain", "--format", "json", *paths)
    assert len(records) == len(names) and all("why_not" in r for r in records)
    assert_valid("result", records)
    assert any(r["why_not"] and r["why_not"]["changes"] for r in records)
    assert any(r["why_not"] is None for r in records)


@pytest.mark.slow
def test_run_with_evidence_carries_findings():
    records = spor(
        "run",
        "--evidence",
        BOUNCES / "rfc3464-01.eml",
        "--format",
        "json",
        EXAMPLES / "incomplete-nothing-known.yaml",
        EXAMPLES / "tax-builtin-rejected.yaml",
    )
    assert len(records) == 2 and all(r["evidence"] for r in records)
    assert_valid("result", records)
    assert {w["code"] for r in records for w in r["warnings"]} & {"from_evidence", "evidence_disagrees_given"}
    assert_valid("finding", [item for r in records for item in r["evidence"]])
    both = spor("run", "--explain", "--evidence", SENDGRID, "--format", "json", EXAMPLES / "tax-builtin-rejected.yaml")
    assert_valid("result", both)
    assert "evidence" in both[0] and "why_not" in both[0]


@pytest.fixture
def batch_inputs(tmp_path, write):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("tax-builtin-rejected.yaml", "incomplete-nothing-known.yaml", "english-synonyms.json"):
        shutil.copy(EXAMPLES / name, folder / name)
    lines = write(
        "cases.jsonl",
        """
        {"id": "ok", "facts": {"module": "lonn", "concern": "sent", "log_status": "avvist", "bounce_received": "yes"}}
        {"id": "broken", "facts": {
        {"id": "unknown-value", "facts": {"module": "nope"}}
        {"facts": {"colour": "red"}}
        {"id": 42, "title": "a number for an id", "notes": "kept", "facts": {}}
        [1, 2]
        """,
    )
    table = write(
        "cases.csv",
        """
        id,module,concern,log_status
        csv-1,lonn,sent,levert
        csv-2,nope,sent,levert
        csv-3,lonn
        """,
    )
    return [folder, lines, table]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_lines_are_results_and_error_records(batch_inputs, jobs):
    records = spor("batch", "--jobs", jobs, *batch_inputs, code=1)
    assert len(records) == 3 + 6 + 3
    assert_valid("batch-record", records)
    failed = [r for r in records if "error" in r]
    assert len(failed) == 6 and all(r["problems"] for r in failed)
    assert {r["case"] for r in failed} >= {None, "unknown-value"}
    assert_valid("result", [r for r in records if "error" not in r])
    error_record = printed_schema("batch-record")["$defs"]["error_record"]
    assert all(set(r) == set(error_record["required"]) for r in failed)


@pytest.mark.slow
def test_evidence_lines_are_findings():
    records = spor("evidence", "--format", "json", BOUNCES, SENDGRID, code=0)
    assert_valid("finding", records)
    assert {r["kind"] for r in records} >= {"report", "events", "not_report"}
    assert any(r["time"] is not None for r in records) and any(r["meanings"] for r in records)
    english = spor("evidence", "--format", "json", "--lang", "en", "--recipient", "alex@example.com", SENDGRID)
    assert_valid("finding", english)


@pytest.mark.slow
def test_check_reports_are_check_reports(rules_copy):
    assert_valid("check-report", spor("check", "--format", "json", code=0))
    # a gap (an example case), and unused values (warnings)
    gap = rules_copy("30-status.yaml", "      log_status: avvist\n", "      log_status: levert\n")
    report = spor("check", "--rules", gap, "--format", "json", code=1)
    assert_valid("check-report", report)
    assert any(f["example"] for f in report[0]["findings"]) and not report[0]["ok"]


@pytest.mark.slow
def test_check_report_of_a_rulebase_that_cannot_load(rules_copy):
    folder = rules_copy("20-transport.yaml", "  - id: transport-payroll-builtin", "  - id: Transport-Payroll")
    report = spor("check", "--rules", folder, "--format", "json", code=1)
    assert_valid("check-report", report)
    assert report[0]["rulebase"] is None and report[0]["findings"][0]["path"]


@pytest.mark.slow
def test_test_reports_are_test_reports(tmp_path, write):
    assert_valid("test-report", spor("test", "--format", "json", EXAMPLES, code=0))
    covered = spor("test", "--format", "json", "--coverage", EXAMPLES, "-k", "payroll")
    assert_valid("test-report", covered)
    assert covered[0]["coverage"]["files"]
    write(
        "wrong.yaml",
        """
        facts: {module: lonn, concern: sent, log_status: avvist, bounce_received: yes, bounce_reason: other}
        expect: {outcome: delivered, facts: {investigate: recipient_mail_server}, missing: [module], warnings: [gap]}
        """,
    )
    write("bad.yaml", "facts: {module: nope}\nexpect: {outcome: null}\n")
    write("plain.yaml", "facts: {module: lonn}\n")
    report = spor("test", "--format", "json", "--coverage", tmp_path, code=1)
    assert_valid("test-report", report)
    assert {c["status"] for c in report[0]["cases"]} == {"fail", "error", "skip"}


@pytest.mark.slow
def test_diff_lines_are_diff_records(rules_copy, tmp_path, write):
    same = spor("diff", "--format", "json", RULES, RULES, code=0)
    assert len(same) == len([p for p in EXAMPLES.iterdir() if p.is_file()])
    assert_valid("diff-record", same)
    folder = rules_copy(
        "40-investigate.yaml",
        "      bounce_received: {assume: yes}\n    then:\n      investigate: bounce_message",
        "      bounce_received: {assume: yes}\n    then:\n      investigate: vendor_support",
    )
    bad = write("cases/bad.yaml", "facts: {module: nope}\n")
    changed = spor("diff", "--format", "json", RULES, folder, EXAMPLES, bad, code=2)  # 2: a case cannot be read
    assert_valid("diff-record", changed)
    assert any(r["changed"] for r in changed) and changed[-1]["problems"]


# -- the schemas refuse what spor does not print -----------------------------------------------------------------


@cache
def samples() -> dict:
    """One real record of each kind."""
    result = spor(
        "run",
        "--explain",
        "--evidence",
        BOUNCES / "rfc3464-01.eml",
        "--format",
        "json",
        EXAMPLES / "tax-builtin-rejected.yaml",
    )[0]
    assert result["evidence"] and result["why_not"] and result["trace"] and result["warnings"]
    missing = spor("run", "--format", "json", EXAMPLES / "incomplete-nothing-known.yaml")[0]
    assert missing["missing"]
    failed = {
        "source": "cases.jsonl:2",
        "case": None,
        "error": "not valid JSON",
        "problems": [
            {
                "file": "cases.jsonl:2",
                "line": None,
                "column": 1,
                "path": "",
                "severity": "error",
                "code": "invalid",
                "message": "not valid JSON",
            }
        ],
    }
    return {"result": result, "missing": missing, "failed": failed}


def _set(record, path, value):
    *parents, last = path
    node = record
    for key in parents:
        node = node[key]
    node[last] = value


REFUSED = [
    # (kind, sample, path inside it, the value put there)
    ("result", "result", ("colour",), "red"),
    ("result", "result", ("complete",), "yes"),
    ("result", "result", ("case",), None),
    ("result", "result", ("facts", "module"), 3),
    ("result", "result", ("trace", 0, "extra"), 1),
    ("result", "result", ("trace", 0, "concluded", "other"), "x"),
    ("result", "result", ("warnings", 0, "code"), ["not_needed"]),
    ("result", "missing", ("missing", 0, "values"), "yes"),
    ("result", "missing", ("missing", 0, "extra"), True),
    ("result", "result", ("evidence",), []),
    ("result", "result", ("evidence", 0, "extra"), 1),
    ("result", "result", ("evidence", 0, "time"), "yesterday"),
    ("result", "result", ("evidence", 0, "kind"), "rumour"),
    ("result", "result", ("evidence", 0, "meanings", 0, "extra"), 1),
    ("result", "result", ("why_not",), "delivered"),
    ("result", "result", ("why_not", "extra"), 1),
    ("result", "result", ("why_not", "changes", 0, "to"), None),
    ("batch-record", "result", ("colour",), "red"),
    ("batch-record", "failed", ("colour",), "red"),
    ("batch-record", "failed", ("case",), 42),
    ("batch-record", "failed", ("error",), None),
    ("batch-record", "failed", ("problems",), []),
    ("batch-record", "failed", ("problems", 0, "line"), "1"),
    ("batch-record", "failed", ("problems", 0, "severity"), "fatal"),
    ("batch-record", "failed", ("problems", 0, "extra"), 1),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind, sample, path, value", REFUSED, ids=[f"{k}:{'.'.join(map(str, p))}={v!r}" for k, _, p, v in REFUSED]
)
def test_a_record_spor_would_not_print_is_refused(kind, sample, path, value):
    record = copy.deepcopy(samples()[sample])
    assert errors(kind, record) == []
    _set(record, path, value)
    assert errors(kind, record) != []


def test_a_missing_key_is_refused():
    record = copy.deepcopy(samples()["failed"])
    del record["problems"]
    assert errors("batch-record", record)
    finding = copy.deepcopy(samples()["result"]["evidence"][0])
    assert errors("finding", finding) == []
    del finding["facts"]
    assert errors("finding", finding)


def test_the_reports_refuse_an_extra_key_and_a_wrong_type():
    check = {
        "rulebase": "x",
        "folder": "rules/",
        "hash": "0123abcd",
        "ok": True,
        "errors": 0,
        "warnings": 1,
        "findings": [
            {
                "severity": "warning",
                "code": "unused_value",
                "message": "m",
                "file": "f.yaml",
                "line": 3,
                "column": 5,
                "path": "",
                "decision": None,
                "rules": [],
                "example": None,
            }
        ],
    }
    test = {
        "cases": [
            {
                "case": "c",
                "source": "c.yaml",
                "status": "fail",
                "mismatches": [{"field": "missing", "expected": ["a"], "actual": None}],
                "problems": [],
            }
        ],
        "summary": {"passed": 0, "failed": 1, "errors": 0, "skipped": 0},
        "coverage": {
            "percent": 50.0,
            "files": [
                {
                    "file": "f.yaml",
                    "percent": 50.0,
                    "rules_not_fired": ["r"],
                    "outcomes_not_reached": [],
                    "values_not_seen": ["a = b"],
                    "assumptions_not_made": [],
                }
            ],
        },
    }
    diff = {
        "case": "c",
        "source": "c.yaml",
        "changed": True,
        "differences": [{"field": "outcome", "old": None, "new": "delivered"}],
        "problems": [],
    }
    finding = copy.deepcopy(samples()["result"]["evidence"][0])
    refused = [
        ("check-report", check, ("extra",), 1),
        ("check-report", check, ("ok",), "yes"),
        ("check-report", check, ("hash",), "not a checksum"),
        ("check-report", check, ("findings", 0, "severity"), "info"),
        ("check-report", check, ("findings", 0, "x"), 1),
        ("check-report", check, ("findings", 0, "example"), {"module": 1}),
        ("test-report", test, ("extra",), 1),
        ("test-report", test, ("summary", "passed"), "0"),
        ("test-report", test, ("cases", 0, "status"), "passed"),
        ("test-report", test, ("cases", 0, "x"), 1),
        ("test-report", test, ("cases", 0, "mismatches", 0, "actual"), 3),
        ("test-report", test, ("coverage", "files", 0, "x"), 1),
        ("test-report", test, ("coverage",), 50.0),
        ("diff-record", diff, ("extra",), 1),
        ("diff-record", diff, ("changed",), 1),
        ("diff-record", diff, ("differences", 0, "x"), 1),
        ("diff-record", diff, ("differences", 0, "new"), {}),
        ("finding", finding, ("extra",), 1),
        ("finding", finding, ("events",), "bounce"),
        ("finding", finding, ("facts", "bounce_received"), True),
    ]
    for kind, record, path, value in refused:
        assert errors(kind, record) == [], kind
        changed = copy.deepcopy(record)
        _set(changed, path, value)
        assert errors(kind, changed) != [], (kind, path, value)
