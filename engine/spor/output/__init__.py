"""Results, findings and reports as text, Markdown, JSON, JSON Lines and CSV; ``record`` owns a result"s fields."""

from spor.common.lazy import submodules

# its public modules, each imported when first used, so that a command starts fast
__all__ = ["ci", "evidence", "layout", "record", "reports", "text"]
__getattr__ = submodules(__name__, __all__)
