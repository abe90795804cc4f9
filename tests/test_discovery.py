"""Which rulebase a command uses: --rules, else SPOR_RULES, else a rules/ folder here or above, else the shipped one.

An editor who edits ``rules/`` in a checkout and runs plain ``spor check``
must check those rules, not the copy that ``pip install .`` put in
site-packages; ``spor test`` and ``spor diff`` take the ``examples/`` beside
that rulebase.
"""

from __future__ import annotations

import re
import shutil

from click.testing import CliRunner

from spor.api import find_rules
from spor.cli import cli
from spor.common.resources import default_rules_dir

from .conftest import EXAMPLES, HEATING, RULES


def spor(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def checkout(tmp_path):
    """A copy of the repository's rulebase and examples, as an editor has it."""
    shutil.copytree(RULES, tmp_path / "repo" / "rules")
    shutil.copytree(EXAMPLES, tmp_path / "repo" / "examples")
    (tmp_path / "repo" / "docs").mkdir()
    return tmp_path / "repo"


def test_plain_check_in_a_checkout_checks_its_edited_rules_and_names_them(tmp_path, monkeypatch):
    repo = checkout(tmp_path)
    transport = repo / "rules" / "20-transport.yaml"
    text = transport.read_text(encoding="utf-8")
    edited = text.replace(
        "module: [faktura, time, regnskapsrapporter]", "module: [faktura, time, regnskapsrapporter, skatt]", 1
    )
    assert edited != text
    transport.write_text(edited, "utf-8")
    monkeypatch.chdir(repo / "docs")  # a subfolder: found in the parent, as git finds .git
    monkeypatch.setenv("SPOR_LANG", "en")  # the words below are English
    result = spor("check")
    assert result.exit_code == 1 and "error[conflict]" in result.output and "20-transport.yaml" in result.output
    named = re.escape(str((repo / "rules").resolve()))
    assert re.fullmatch(
        rf"sporing-av-epost \({named}, [0-9a-f]{{8}}\): \d+ rules, [1-9]\d* error\(s\), 0 warning\(s\)",
        result.output.splitlines()[-1],
    )
    monkeypatch.chdir(repo)
    assert spor("check").output.splitlines()[-1].startswith("sporing-av-epost (rules/, ")  # named as typed here


def test_test_takes_the_examples_beside_the_rulebase(tmp_path, monkeypatch):
    repo = checkout(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SPOR_LANG", "en")
    result = spor("test")
    assert result.exit_code == 0 and f"{len(list(EXAMPLES.iterdir()))} passed" in result.output


def test_outside_a_checkout_the_shipped_rulebase_and_no_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SPOR_RULES", raising=False)
    assert find_rules(None) == (default_rules_dir(), "shipped")
    monkeypatch.setenv("SPOR_LANG", "en")
    result = spor("test")
    assert result.exit_code == 2 and "examples: no such folder" in result.stderr


def test_the_order_is_rules_flag_then_environment_then_found(tmp_path, monkeypatch):
    repo = checkout(tmp_path)
    monkeypatch.chdir(repo)
    assert find_rules(None)[1] == "found" and find_rules(None)[0] == repo / "rules"
    monkeypatch.setenv("SPOR_RULES", str(HEATING))
    assert find_rules(None) == (HEATING, "SPOR_RULES")
    assert find_rules(RULES) == (RULES, "--rules")
    (repo / "rules" / "00-rulebase.yaml").unlink()  # a rules/ folder that declares no rulebase is not taken
    monkeypatch.delenv("SPOR_RULES")
    assert find_rules(None, start=repo) == (default_rules_dir(), "shipped")


def test_run_and_test_name_the_rulebase_they_used_last_with_the_hash_check_gives(tmp_path):
    import json

    case = tmp_path / "cabin.yaml"
    case.write_text("facts: {building: cabin, display: error}\nexpect: {outcome: call_pro}\n", encoding="utf-8")
    digest = json.loads(spor("check", "--rules", HEATING, "--format", "json").output)["hash"]
    for args, word in ((("run", "--lang", "nb"), "regelbase"), (("test", "--lang", "en"), "rulebase")):
        result = spor(*args, "--rules", HEATING, case)
        assert result.exit_code == 0, result.output
        last = result.output.splitlines()[-1]
        assert last.startswith(f"{word}: heating (") and last.endswith(f", {digest})"), last
    assert json.loads(spor("run", "--rules", HEATING, "--format", "json", case).output)["rulebase_hash"] == digest
