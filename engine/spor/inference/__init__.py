"""Run a rulebase on a case with durable-rules, and say what is still missing."""

from spor.common.lazy import submodules

# its public modules, each imported when first used, so that a command starts fast
__all__ = ["assumptions", "compiler", "evaluate", "network", "relevance", "session"]
__getattr__ = submodules(__name__, __all__)
