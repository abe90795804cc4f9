"""A rulebase as plain data: read, validate, join and cache rule files; case files and their values.

Knows no mail and no inference engine: the layers above add theirs as ``loader.Extension``s."""

from spor.common.lazy import submodules

# its public modules, each imported when first used, so that a command starts fast
__all__ = ["boxes", "cache", "canonical", "cases", "chains", "conditions", "joiner", "loader", "model", "vocabulary"]
__getattr__ = submodules(__name__, __all__)
