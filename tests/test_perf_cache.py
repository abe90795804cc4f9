"""The code fingerprint's note: a checkout's modules are read only when their metadata has changed, and every
change of a byte is still seen.

``cache.checkout_fingerprint`` keeps ``fingerprint``'s checksum in a note in
the cache folder, keyed by every module's size, inode and times; these tests
work on a copy of spor's own package and count when the modules are read.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from spor.rulebase import cache

PACKAGE = Path(cache.__file__).resolve().parent.parent


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of spor's package, a cache folder of its own, and a count of full reads of the modules."""
    copy = tmp_path / "spor"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setenv("SPOR_CACHE_DIR", str(tmp_path / "cache"))
    reads = []
    real = cache.fingerprint
    monkeypatch.setattr(cache, "fingerprint", lambda folder: reads.append(folder) or real(folder))
    return copy, reads


def settled(monkeypatch):
    """As if every module had been written long before the note: the racy window is closed."""
    monkeypatch.setattr(cache, "STAT_SLACK_NS", -(10**18))


def test_the_note_stands_for_the_modules_while_their_metadata_is_unchanged(package, monkeypatch):
    folder, reads = package
    settled(monkeypatch)
    first = cache.checkout_fingerprint(str(folder))
    assert first == cache.fingerprint(str(folder)) and len(reads) == 2  # no note yet: read, and the note written
    assert cache.checkout_fingerprint(str(folder)) == first
    assert len(reads) == 2  # from the note: no module read


def test_a_changed_byte_is_seen_even_with_the_old_size_and_modification_time(package, monkeypatch):
    folder, reads = package
    settled(monkeypatch)
    before = cache.checkout_fingerprint(str(folder))
    module = folder / "rulebase" / "joiner.py"
    info = module.stat()
    text = module.read_bytes()
    module.write_bytes(text.replace(b"the", b"thE", 1))  # one byte, the same size
    assert module.read_bytes() != text
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))  # the modification time set back: the change time moves
    assert module.stat().st_size == info.st_size and module.stat().st_mtime_ns == info.st_mtime_ns
    after = cache.checkout_fingerprint(str(folder))
    assert after != before and after == cache.fingerprint(str(folder))


def test_a_new_or_removed_module_is_seen(package, monkeypatch):
    folder, _ = package
    settled(monkeypatch)
    before = cache.checkout_fingerprint(str(folder))
    (folder / "rulebase" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    added = cache.checkout_fingerprint(str(folder))
    assert added != before
    (folder / "rulebase" / "extra.py").unlink()
    assert cache.checkout_fingerprint(str(folder)) == before


def test_a_note_made_just_after_a_change_is_not_trusted(package):
    """Modules written a moment ago may be written again within the same clock tick: they are read every time."""
    folder, reads = package
    cache.checkout_fingerprint(str(folder))
    cache.checkout_fingerprint(str(folder))
    assert len(reads) == 2  # both read the modules (the copy was just made)


def test_a_damaged_note_and_no_cache_are_no_error(package, monkeypatch, tmp_path):
    folder, reads = package
    settled(monkeypatch)
    expected = cache.fingerprint(str(folder))
    cache.checkout_fingerprint(str(folder))
    (note,) = (tmp_path / "cache").glob("code-*.txt")
    note.write_text("garbage", encoding="ascii")
    assert cache.checkout_fingerprint(str(folder)) == expected
    note.write_text(note.read_text(encoding="ascii").replace(expected.decode(), "zzzzzzzz"), encoding="ascii")
    monkeypatch.setenv("SPOR_CACHE", "off")  # no note is read or written
    assert cache.checkout_fingerprint(str(folder)) == expected


def test_the_note_lives_in_a_trusted_cache_folder_only(package, monkeypatch, tmp_path):
    folder, _ = package
    settled(monkeypatch)
    cache.checkout_fingerprint(str(folder))
    (note,) = (tmp_path / "cache").glob("code-*.txt")
    signature, made, _ = note.read_text(encoding="ascii").split()
    note.write_text(f"{signature} {made} 0badc0de\n", encoding="ascii")  # a forged checksum
    (tmp_path / "cache").chmod(0o777)  # writable by anyone: not used
    try:
        assert cache.checkout_fingerprint(str(folder)) == cache.fingerprint(str(folder))
    finally:
        (tmp_path / "cache").chmod(0o700)
