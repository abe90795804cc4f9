"""The on-disk rulebase cache: same rulebase, same positions, and never stale.

On the fixture rulebases (tests/fixtures/heating: four files; newsletter: an evidence: section)."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest

from spor.analysis.verify import verify
from spor.api import load
from spor.common.errors import InputError
from spor.rulebase import cache

from .conftest import HEATING, NEWSLETTER


def _shape(rulebase):
    return (
        [(r.id, r.file, r.line, r.column, r.target, r.value, r.cites) for r in rulebase.rules],
        [(f.id, f.file, f.line, f.column, f.value_ids()) for f in rulebase.facts.values()],
        [(o.id, o.file, o.line, o.column) for o in rulebase.outcomes.values()],
    )


def test_a_cached_load_is_the_same_rulebase_with_the_same_positions(tmp_path, monkeypatch):
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    path = folder / "30-state.yaml"  # a gap, a masked rule, an unused value: findings that name files and lines
    path.write_text(path.read_text(encoding="utf-8").replace("display: error", "display: normal"), encoding="utf-8")
    first = load(folder)
    assert len(list((tmp_path / "cache").glob("rulebase-*.json"))) == 1
    second = load(folder)
    assert second.docs == {}  # read back from the cache, not parsed
    assert _shape(second.rulebase) == _shape(first.rulebase)
    findings = [str(f) for f in verify(first.rulebase).findings]
    assert len(findings) == 3 and [str(f) for f in verify(second.rulebase).findings] == findings


def test_one_changed_byte_is_loaded_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    load(folder)
    path = folder / "30-state.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("display: error", "display: errorr"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(folder)
    assert "'errorr' is not a value of 'display'" in info.value.problems[0].message


def test_a_rulebase_cached_by_other_code_is_checked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    load(folder)
    assert load(folder).docs == {}  # from the cache
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"0badc0de")  # a spor whose code (its checks) differs
    assert load(folder).docs != {}  # parsed and checked again, not read back


def test_the_code_fingerprint_follows_every_byte_of_the_code(tmp_path):
    package = tmp_path / "spor"
    shutil.copytree(Path(cache.__file__).resolve().parent.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.fingerprint(str(package))
    assert cache.fingerprint(str(package)) == before  # the same code, the same fingerprint
    checks = package / "rulebase" / "joiner.py"
    checks.write_bytes(checks.read_bytes().replace(b"MAX_RULES = 10000", b"MAX_RULES = 10001"))
    assert cache.fingerprint(str(package)) != before


def test_a_load_without_the_extensions_does_not_serve_one_with_them(tmp_path, monkeypatch):
    from spor.rulebase import loader

    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    assert loader.load(NEWSLETTER).docs  # no extension: neither the engine's limits nor the evidence section
    assert load(NEWSLETTER).docs  # with them: checked in full, not read back from the other entry
    assert load(NEWSLETTER).docs == {}


def test_cache_off_and_unwritable_cache_folder(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SPOR_CACHE_DIR", str(blocker / "cache"))
    assert load(HEATING).rulebase.id == "heating"  # no cache, no error
    monkeypatch.setenv("SPOR_CACHE", "off")
    assert not cache.enabled()
    assert load(HEATING).docs  # parsed every time


def test_a_corrupt_cache_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path))
    load(HEATING)
    for entry in tmp_path.glob("rulebase-*.json"):
        entry.write_text('{"not": "a list"}', encoding="utf-8")
    assert load(HEATING).docs  # parsed again


def test_a_damaged_cache_entry_falls_back_to_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path))
    load(HEATING)
    import json

    for entry in tmp_path.glob("rulebase-*.json"):
        data = json.loads(entry.read_bytes().split(b"\n", 1)[1])  # after the checksum line
        data[0]["marks"] = [[1]]
        data[1]["data"] = {"facts": [{"id": "tampered"}]}
        body = json.dumps(data).encode()
        entry.write_bytes(b"spor-cache %08x\n" % zlib.crc32(body) + body)  # well-formed, yet wrong inside
    loaded = load(HEATING)
    assert loaded.docs and "tampered" not in loaded.rulebase.facts


def test_the_cache_folder_is_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    shutil.copytree(HEATING, folder)
    path = folder / "00-rulebase.yaml"
    for i in range(cache.KEEP + 5):
        path.write_text(path.read_text(encoding="utf-8") + f"# edit {i}\n", encoding="utf-8")
        load(folder)
    assert len(list((tmp_path / "cache").glob("rulebase-*.json"))) == cache.KEEP


def test_an_extension_section_read_back_from_the_cache_is_read_when_asked_for(tmp_path, monkeypatch):
    """A rulebase read back from the cache reads its evidence section only when asked for (``spor run`` of a case
    without evidence never is): the same spec as a load from the files, by every way of reading the mapping."""
    import json

    from spor.evidence.spec import evidence_spec
    from spor.rulebase.model import Sections

    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    first = load(NEWSLETTER).rulebase
    second = load(NEWSLETTER).rulebase
    assert isinstance(second.extensions, Sections) and not second.extensions.read  # not read yet
    assert "evidence" in second.extensions and len(second.extensions) == 1 and list(second.extensions) == ["evidence"]
    spec, again = evidence_spec(first), evidence_spec(second)
    assert second.extensions.read == {"evidence": again}  # read once, now kept
    assert evidence_spec(second) is again
    assert spec.codes.keys() == again.codes.keys() and spec.events.ranks == again.events.ranks
    assert [m.side for m in spec.codes.values()] == [m.side for m in again.codes.values()]
    third = load(NEWSLETTER).rulebase
    assert list(third.extensions.items())[0][1].codes.keys() == spec.codes.keys()
    assert load(NEWSLETTER).rulebase.extensions != {}  # compared by what it holds, read first
    with pytest.raises(TypeError):
        json.dumps(load(NEWSLETTER).rulebase.extensions)  # not silently "{}"


def test_threads_asking_for_a_section_at_once_all_get_it(tmp_path, monkeypatch):
    """spor serve reads uploads in worker threads: none may see the section missing while another reads it."""
    import threading

    from spor.evidence.spec import NONE, evidence_spec

    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    load(NEWSLETTER)
    for _ in range(30):
        rulebase = load(NEWSLETTER).rulebase
        start, got = threading.Barrier(4), []

        def ask(rulebase=rulebase, start=start, got=got):
            start.wait()
            got.append(evidence_spec(rulebase))

        threads = [threading.Thread(target=ask) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(got) == 4 and all(spec is not NONE and spec.codes for spec in got)


def test_a_section_that_reports_a_problem_when_read_late_says_so_every_time():
    from spor.rulebase.model import Sections

    problems: list = []

    def reader():
        problems.append("wrong")
        return None

    sections = Sections({"x": reader}, problems)
    for _ in range(2):
        with pytest.raises(InputError):
            sections.get("x")
    assert sections.get("y", 5) == 5 and "y" not in sections
