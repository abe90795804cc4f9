"""The safe reader: plain data only, every refusal located in the file."""

from __future__ import annotations

import pytest

from spor.common.errors import InputError
from spor.common.reader import MAX_DEPTH, parse, read_document


def refusal(text, *, as_json=False, name="f.yaml"):
    blob = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InputError) as info:
        parse(name, blob, as_json=as_json)
    (problem,) = info.value.problems
    return problem


def test_plain_data_and_positions():
    doc = parse("f.yaml", b"a: 1\nb:\n  - x\n  - {c: yes}\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": True}]}
    assert doc.marks[("b", 1, "c")] == (4, 9)
    assert doc.key_marks[("b",)] == (2, 1)
    assert doc.written(("b", 1, "c"), True) == "'yes'"


def test_duplicate_key_is_refused_with_both_lines():
    problem = refusal("rules: 1\nfacts: 2\nrules: 3\n")
    assert (problem.line, problem.column) == (3, 1)
    assert "duplicate key 'rules'" in problem.message and "line 1" in problem.message


def test_alias_is_refused():
    problem = refusal("a: &x [1, 2]\nb: *x\n")
    assert problem.line == 2 and "aliases" in problem.message


def test_billion_laughs_is_refused_quickly():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    problem = refusal("\n".join(lines))
    assert "aliases" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system\n",
        "a: !!set {x, y}\n",
        "a: !custom 3\n",
    ],
)
def test_tags_that_build_objects_are_refused(text):
    problem = refusal(text)
    assert "tag" in problem.message and problem.line == 1


def test_deep_nesting_is_refused():
    problem = refusal("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert f"nested more than {MAX_DEPTH}" in problem.message


def test_binary_and_wrong_encoding():
    assert "binary" in refusal(b"a: 1\n\x00\x01").message
    problem = refusal(b"a: 1\nb: \xe6\xf8\n")
    assert "not UTF-8" in problem.message and (problem.line, problem.column) == (2, 4)


def test_a_bom_is_skipped_and_errors_after_it_are_located_in_the_file():
    assert parse("x.yaml", "\ufeffa: 1\n".encode()).data == {"a": 1}
    problem = refusal(b"\xef\xbb\xbfa: \xff\n")  # the bad byte itself, at column 4: an editor shows no BOM
    assert "byte 0xff" in problem.message and (problem.line, problem.column) == (1, 4)
    problem = refusal(b"\xef\xbb\xbfa: 1\nb: x\xff\n")  # the BOM counts on the first line only
    assert "byte 0xff" in problem.message and (problem.line, problem.column) == (2, 5)


def test_control_character_is_located():
    problem = refusal("a: 1\nb: x\x07y\n")
    assert problem.line == 2 and "not allowed" in problem.message


def test_bad_yaml_syntax_has_line_and_column():
    problem = refusal("a: [1, 2\nb: 3\n")
    assert problem.line is not None and problem.message.startswith("not valid YAML")


def test_json_syntax_and_duplicates():
    problem = refusal('{"a": 1,}', as_json=True, name="f.json")
    assert problem.message.startswith("not valid JSON") and problem.line == 1
    duplicate = refusal('{"a": 1,\n "a": 2}', as_json=True, name="f.json")
    assert "duplicate key 'a'" in duplicate.message and (duplicate.line, duplicate.column) == (2, 2)


def test_valid_json_that_yaml_cannot_read_is_accepted():
    assert parse("f.json", b'{\n\t"facts": {}\n}', as_json=True).data == {"facts": {}}
    key = "k" * 2000
    assert parse("f.json", ('{"' + key + '": 1}').encode(), as_json=True).data == {key: 1}
    assert parse("f.json", b'{"a": 1e-07}', as_json=True).data == {"a": 1e-07}  # JSON's reading of numbers


def test_unpaired_surrogate_is_refused_with_location():
    import yaml

    problem = refusal('a: 1\nid: "\\ud800"\n')
    if yaml.__with_libyaml__:  # libyaml refuses the escape itself, at the escape
        assert (problem.line, problem.column) == (2, 8) and "invalid Unicode character escape" in problem.message
    else:
        assert (problem.line, problem.column) == (2, 5) and "surrogate" in problem.message
    assert "surrogate" in refusal('{\n\t"id": "\\ud800"}', as_json=True, name="f.json").message


def test_a_pipe_is_not_read(tmp_path):
    import os

    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as info:
        read_document(fifo)
    assert "not a regular file" in info.value.problems[0].message


def test_empty_document_is_none():
    assert parse("f.yaml", b"").data is None
    assert parse("f.yaml", b"# only a comment\n").data is None


def test_missing_folder_and_huge_file(tmp_path):
    with pytest.raises(InputError) as info:
        read_document(tmp_path / "nope.yaml")
    assert info.value.problems[0].message == "no such file"
    with pytest.raises(InputError) as info:
        read_document(tmp_path)
    assert "folder" in info.value.problems[0].message
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 2000 + b"\n")
    with pytest.raises(InputError) as info:
        read_document(big, max_bytes=1000)
    assert "larger than 1,000 bytes" in info.value.problems[0].message


def test_timestamps_stay_text():
    assert parse("f.yaml", b"d: 2026-11-27\n").data == {"d": "2026-11-27"}
