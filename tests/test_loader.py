"""Loading a rulebase: schema errors and reference errors, each located in its file.

On copies of the printer fixture rulebase (tests/fixtures/printer); that the
shipped rulebase loads clean is tested in test_shipped_rulebase.py."""

from __future__ import annotations

import shutil

import pytest

from spor.api import load
from spor.common.errors import InputError

from .conftest import ROOT

PRINTER = ROOT / "tests" / "fixtures" / "printer"


@pytest.fixture
def printer(tmp_path):
    """A copy of the printer rulebase; edit(old, new) changes its one file."""
    folder = tmp_path / "rb"
    shutil.copytree(PRINTER, folder)
    path = folder / "printer.yaml"

    def edit(old, new, count=1):
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, count), encoding="utf-8")
        return folder

    edit.folder = folder
    edit.path = path
    return edit


def problems(folder):
    with pytest.raises(InputError) as info:
        load(folder)
    return info.value.problems


def line_of(path, needle, nth=1):
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


@pytest.mark.parametrize("name", ["heating", "printer", "newsletter"])
def test_the_fixture_rulebases_load_clean(name):
    # the engine tests' own rulebases: a warning here would blur every test that reasons about them
    loaded = load(ROOT / "tests" / "fixtures" / name)
    assert loaded.rulebase.id == name and loaded.warnings == []


def test_second_rulebase_loads(printer):
    rb = load(printer.folder).rulebase
    assert rb.id == "printer" and [r.id for r in rb.rules_for["outcome"]] == ["plug", "paper", "vendor"]


def test_unknown_fact_in_condition_is_located_with_a_suggestion(printer):
    folder = printer("when: {power_light: no}", "when: {power_lihgt: no}")
    (problem,) = problems(folder)
    assert problem.line == line_of(printer.path, "power_lihgt")
    assert "unknown fact 'power_lihgt'" in problem.message and "did you mean 'power_light'" in problem.message


def test_typo_in_a_value(printer):
    folder = printer("when: {state: unpowered}", "when: {state: unpowred}")
    (problem,) = problems(folder)
    assert problem.line == line_of(printer.path, "unpowred")
    assert "'unpowred' is not a value of 'state'" in problem.message and "did you mean 'unpowered'" in problem.message


def test_bad_section_is_refused(printer):
    folder = printer('cites: ["§2"]\n    when', 'cites: ["§9"]\n    when')
    (problem,) = problems(folder)
    assert "cites '§9'" in problem.message and problem.path[-1] == 0


def test_schema_errors_are_all_reported_with_positions(printer):
    printer("  - id: unpowered\n    title:", "  - id: Unpowered\n    title:")
    folder = printer("    then: {outcome: call_vendor}", "    then: {outcome: call_vendor}\n    colour: red")
    found = problems(folder)
    messages = [p.message for p in found]
    assert len(found) == 2
    assert any("'Unpowered' is not allowed" in m for m in messages)
    assert any("unknown key 'colour'" in m for m in messages)
    colour = next(p for p in found if "colour" in p.message)
    assert (colour.line, colour.column) == (line_of(printer.path, "colour:"), 5)


def test_missing_required_key(printer):
    folder = printer('    cites: ["§3"]\n    when: {all:', "    when: {all:")
    (problem,) = problems(folder)
    assert "'cites' is missing" in problem.message


def test_duplicate_rule_id_across_files(printer):
    (printer.folder / "zz-more.yaml").write_text(
        "rules:\n  - id: plug\n    title: {nb: a, en: a}\n    cites: ['§1']\n"
        "    when: {power_light: no}\n    then: {outcome: plug_in}\n",
        encoding="utf-8",
    )
    (problem,) = problems(printer.folder)
    assert problem.file.endswith("zz-more.yaml") and problem.line == 2
    assert "duplicate rule id 'plug'" in problem.message and "printer.yaml" in problem.message


def test_concluding_an_input_fact_is_refused(printer):
    folder = printer("then: {state: unpowered}", "then: {power_light: no}")
    (problem,) = problems(folder)
    assert "only facts marked 'derived: true'" in problem.message


def test_cycle_among_derived_facts(printer):
    folder = printer(
        "when: {power_light: yes}\n    then: {state: ready}", "when: {state: unpowered}\n    then: {state: ready}"
    )
    (problem,) = problems(folder)
    assert "rule 'ready' derives 'state' from 'state'" in problem.message and "state -> state" in problem.message
    assert problem.line == line_of(printer.path, "  - id: ready") and problem.column == 5


def test_reserved_fact_name(printer):
    folder = printer("  - id: paper\n    type: choice", "  - id: outcome\n    type: choice")
    assert any("reserved word" in p.message for p in problems(folder))


def test_ambiguous_synonym(printer):
    folder = printer("synonyms: [tom, out]", "synonyms: [tom, out, jammed]")
    assert any("'jammed' names both 'empty' and 'jammed'" in p.message for p in problems(folder))


def test_unknown_outcome_and_side(printer):
    printer("then: {outcome: plug_in}", "then: {outcome: plug_inn}")
    folder = printer("    side: vendor", "    side: vendr")
    messages = " | ".join(p.message for p in problems(folder))
    assert "unknown outcome 'plug_inn' (did you mean 'plug_in'?)" in messages
    assert "unknown side 'vendr'" in messages


def test_placeholder_must_name_a_fact(printer):
    folder = printer("The paper is {paper}.", "The paper is {papr}.")
    (problem,) = problems(folder)
    assert "{papr} names no fact" in problem.message


def test_no_rulebase_declaration(printer):
    text = printer.path.read_text(encoding="utf-8")
    printer.path.write_text("facts:" + text.split("\nfacts:", 1)[1], encoding="utf-8")
    (problem,) = problems(printer.folder)
    assert "no file declares the rulebase" in problem.message


def test_empty_and_missing_folders(tmp_path):
    assert "no such folder" in problems(tmp_path / "nope")[0].message
    (tmp_path / "empty").mkdir()
    assert "holds no rule files" in problems(tmp_path / "empty")[0].message
    (tmp_path / "empty" / "a.yaml").write_text("", encoding="utf-8")
    assert "the file is empty" in problems(tmp_path / "empty")[0].message


def test_rule_file_linking_outside_the_folder(printer, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("facts: []\n", encoding="utf-8")
    (printer.folder / "link.yaml").symlink_to(outside)
    assert "links outside the rulebase folder" in problems(printer.folder)[0].message


def test_placeholder_must_be_known_when_the_outcome_is_reached(printer):
    folder = printer(
        "verdict: {nb: Koble til strømmen., en: Plug it in.}",
        'verdict: {nb: Koble til strømmen., en: "Plug it in ({paper})."}',
    )
    (problem,) = problems(folder)
    assert "{paper} may be unknown when rule 'plug' reaches this outcome" in problem.message
    assert problem.path[-2:] == ("verdict", "en")


def test_unknown_test_on_a_derived_fact_is_refused(printer):
    folder = printer("when: {state: unpowered}", "when: {state: {known: false}}")
    (problem,) = problems(folder)
    assert "tests that the derived fact 'state' is unknown" in problem.message
    assert problem.path[-1] == "when" and problem.line
