"""Build spor, and on Python 3.13 and later also its inference engine, durable-rules 2.0.28, from vendor/.

Everything else about the build is in pyproject.toml. durable-rules 2.0.28, the last release, is published as
source only, and its C module calls ``PyEval_CallObject``, which Python 3.13 removed: pip builds it there, but the
module does not import (or, with a compiler that refuses implicit declarations, does not build). Its own setup.py
overwrites ``CFLAGS``, and nothing in spor's pyproject.toml can reach the separate build pip makes of a dependency.
So on 3.11 and 3.12 spor depends on durable-rules from PyPI as it always has (an environment marker in
pyproject.toml), and on 3.13 and later this file builds the same sources, copied unchanged into
vendor/durable-rules-2.0.28/ (SHA256SUMS there), into spor's own wheel, with the one define that maps the removed
call to its replacement. docs/architecture.md ("Python versions and the engine build") weighs the alternatives.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup
from setuptools.dist import Distribution

# The one switch: pyproject.toml's marker on the durable-rules dependency must say the same (tests check both).
OWN_ENGINE = sys.version_info >= (3, 13)
VENDORED = "vendor/durable-rules-2.0.28"
# durable-rules' setup.py: the C engine is compiled into a static library and linked into the Python module; here
# every file goes into the module at once, which links the same objects.
ENGINE_SOURCES = [f"{VENDORED}/src/rulespy/rules.c"] + [
    f"{VENDORED}/src/rules/{name}.c" for name in ("json", "rete", "state", "events", "regex")
]


def engine_extension() -> Extension:
    """durable-rules' ``durable_rules_engine``, with its own compiler flags and the 3.13 define."""
    if sys.platform == "win32":
        flags = []  # durable-rules sets CFLAGS there too, which the MSVC compiler does not read
    else:  # durable-rules' setup.py writes these into CFLAGS
        flags = ["-std=c99", "-D_GNU_SOURCE"] + (["-fcommon"] if sys.platform == "darwin" else [])
    return Extension(
        "durable_rules_engine",
        sources=ENGINE_SOURCES,
        include_dirs=[f"{VENDORED}/src/rules"],
        define_macros=[("PyEval_CallObject", "PyObject_CallObject")],
        extra_compile_args=flags,
    )


class SporDistribution(Distribution):
    """pyproject.toml's package list, plus on 3.13 and later durable-rules' Python layer; tagged per Python.

    pyproject.toml is read after setup()'s arguments and would replace a package list given there, so the
    vendored package is added once it has been read. Its Python layer (``durable.engine``, ``durable.lang``) is
    not used by spor at run time, only by the tests, which compare spor's firings with durable-rules' own Host.
    """

    def parse_config_files(self, *args, **kwargs):
        super().parse_config_files(*args, **kwargs)
        if OWN_ENGINE and "durable" not in (self.packages or []):
            self.packages = [*(self.packages or []), "durable"]
            self.package_dir = {**(self.package_dir or {}), "durable": f"{VENDORED}/libpy/durable"}

    def has_ext_modules(self):
        # A wheel built on 3.11 or 3.12 holds no engine (pip installs durable-rules beside it), so it must not be
        # installable on 3.13: claiming a compiled part tags every wheel with the Python that built it (cp311).
        return True


setup(
    distclass=SporDistribution,
    ext_modules=[engine_extension()] if OWN_ENGINE else [],
)
