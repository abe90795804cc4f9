"""spor fmt: rule files in canonical form, every comment kept, never a change of meaning."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from spor.api import load
from spor.cli import cli
from spor.common.reader import read_document

from .conftest import HEATING, RULES


def spor(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def comments(folder):
    return sorted(
        line.strip()
        for path in folder.glob("*.yaml")
        for line in path.read_text("utf-8").splitlines()
        if line.strip().startswith("#")
    )


def test_fmt_keeps_every_comment_and_every_meaning_and_is_stable(tmp_path):
    for source in (RULES, HEATING):
        folder = tmp_path / source.name
        shutil.copytree(source, folder)
        before = {p.name: read_document(p).data for p in folder.glob("*.yaml")}
        notes = comments(folder)
        assert spor("fmt", folder).exit_code == 0
        assert {p.name: read_document(p).data for p in folder.glob("*.yaml")} == before
        assert comments(folder) == notes
        assert all(
            p.read_text("utf-8").startswith("# yaml-language-server: $schema=")
            for p in folder.glob("*.yaml")
            if (source / p.name).read_text("utf-8").startswith("# yaml-language-server")
        )
        result = spor("fmt", "--check", folder)
        assert result.exit_code == 0 and "0 fil(er) ville blitt formatert" in result.stderr
        assert len(load(folder).rulebase.rules) == len(load(source).rulebase.rules)


def comment_neighbours(path):
    """Each comment line with the key of the line after it: a comment must stay above what it was written for."""
    lines = [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
    pairs = []
    for line, following in zip(lines, lines[1:] + [""]):
        if line.startswith("#") and not following.startswith("#"):
            pairs.append((line, following.removeprefix("- ").split(":")[0].strip("'\"")))
    return pairs


def test_fmt_keeps_each_comment_above_what_it_was_written_for(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    extra = folder / "90-extra.yaml"
    extra.write_text(
        "rules:\n"
        "  - title: {en: Cabins, nb: Hytter}\n"
        "    # why it says so\n"
        "    id: extra-cabin\n"
        "    cites: ['§1']\n"
        "    when:\n"
        "      building: cabin\n"
        "      # and only then\n"
        "      display: blank\n"
        "    then: {outcome: turn_up}\n"
        "  - then: {outcome: turn_up}\n"
        "    when: {building: flat}\n"
        "    cites: ['§1']\n"
        "    title: {en: Flats, nb: Leiligheter}\n"
        "    id: extra-flat\n",
        encoding="utf-8",
    )
    before = {path.name: comment_neighbours(path) for path in folder.glob("*.yaml")}
    assert spor("fmt", folder).exit_code == 0
    assert {path.name: comment_neighbours(path) for path in folder.glob("*.yaml")} == before
    text = extra.read_text("utf-8")
    assert "  - title: {nb: Hytter, en: Cabins}\n    # why it says so\n    id: extra-cabin" in text  # kept as written
    assert "  - id: extra-flat\n    title: {nb: Leiligheter, en: Flats}" in text  # no comment inside: reordered


def test_fmt_puts_keys_in_the_schemas_order_and_check_writes_nothing(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    extra = folder / "90-extra.yaml"
    extra.write_text(
        "rules:\n"
        "- then: {outcome: turn_up}  # what it concludes\n"
        "  when: {building: cabin}\n"
        "  cites: ['§1']\n"
        "  title: {en: Cabins, nb: Hytter}\n"
        "  id: extra-cabin\n",
        encoding="utf-8",
    )
    written = extra.read_bytes()
    result = spor("fmt", "--check", "--lang", "en", extra)
    assert result.exit_code == 1 and "would reformat" in result.output and extra.read_bytes() == written
    assert spor("fmt", extra).exit_code == 0
    assert extra.read_text("utf-8") == (
        "rules:\n"
        "  - id: extra-cabin\n"
        "    title: {nb: Hytter, en: Cabins}\n"
        "    cites: [§1]\n"
        "    when: {building: cabin}\n"
        "    then: {outcome: turn_up} # what it concludes\n"
    )


def test_fmt_keeps_yes_as_text_where_a_text_was_written(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        "evidence:\n  codes:\n    - {code: '5', facts: {flag: 'yes'}, side: a, cites: ['§1'], "
        "meaning: {nb: a, en: a}}\n",
        encoding="utf-8",
    )
    assert spor("fmt", path).exit_code == 0
    assert "flag: 'yes'" in path.read_text("utf-8")


def test_fmt_refuses_what_spor_cannot_read_with_its_place(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - id: a\n    id: b\n", encoding="utf-8")
    result = spor("fmt", "--lang", "en", path)
    assert result.exit_code == 2 and "bad.yaml:3:5: duplicate key 'id'" in result.stderr
    assert path.read_text("utf-8") == "rules:\n  - id: a\n    id: b\n"


# -- spor test for CI: JUnit XML and lcov ----------------------------------------------------------------------


def test_junit_and_lcov_say_what_the_cases_did(tmp_path):
    import xml.etree.ElementTree as ElementTree

    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "ok.yaml").write_text("facts: {building: cabin}\nexpect: {outcome: null}\n", encoding="utf-8")
    (cases / "wrong.yaml").write_text("facts: {building: cabin}\nexpect: {outcome: turn_up}\n", encoding="utf-8")
    (cases / "bad.yaml").write_text("facts: {building: nope}\nexpect: {outcome: null}\n", encoding="utf-8")
    junit, info = tmp_path / "junit.xml", tmp_path / "coverage.info"
    result = spor("test", "--rules", HEATING, cases, "--coverage", "--junit", junit, "--lcov", info)
    assert result.exit_code == 1
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    by_name = {case.get("name"): case for case in suite.iter("testcase")}
    assert by_name["wrong"].find("failure").get("message").startswith("outcome: expected 'turn_up'")
    assert by_name["bad"].find("error") is not None and list(by_name["ok"]) == []
    records = info.read_text("utf-8").split("end_of_record\n")
    rulebase = load(HEATING).rulebase
    for rule in rulebase.rules:  # every rule is a line of its file, hit as often as the cases fired it
        (record,) = [r for r in records if f"SF:{rule.file}\n" in r or r.startswith(f"TN:spor\nSF:{rule.file}\n")]
        assert f"FN:{rule.line},{rule.id}\n" in record
    assert "DA:" in info.read_text("utf-8") and ",0\n" in info.read_text("utf-8")  # untested rules show as such


def test_junit_never_overwrites_a_case_and_lcov_needs_coverage(tmp_path):
    case = tmp_path / "c.yaml"
    case.write_text("facts: {building: cabin}\nexpect: {outcome: null}\n", encoding="utf-8")
    result = spor("test", "--rules", HEATING, case, "--junit", case)
    assert result.exit_code == 2 and "er også en innfil (" in result.stderr  # the one output policy's words
    assert case.read_text("utf-8").startswith("facts:")
    elsewhere = tmp_path / "someone-elses.xml"
    elsewhere.write_text("theirs", encoding="utf-8")
    (tmp_path / "link.xml").symlink_to(elsewhere)
    result = spor("test", "--rules", HEATING, case, "--junit", tmp_path / "link.xml")
    assert result.exit_code == 2 and "symbolsk lenke" in result.stderr  # never written through a link
    assert elsewhere.read_text("utf-8") == "theirs" and (tmp_path / "link.xml").is_symlink()
    assert spor("test", "--rules", HEATING, case, "--lcov", tmp_path / "x.info").exit_code == 2
