"""docs/api.md's examples run as written: the documented API does what the page says."""

from __future__ import annotations

import doctest

from .conftest import ROOT


def test_the_api_page_runs_as_written():
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried >= 8 and failures == 0
