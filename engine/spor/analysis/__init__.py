"""What editors and agents ask of a rulebase: check, test and coverage, diff, graph, why-not, the interview."""

from spor.common.lazy import submodules

# its public modules, each imported when first used, so that a command starts fast
__all__ = ["check", "expect", "explain", "graph", "impact", "interview", "suite", "verify"]
__getattr__ = submodules(__name__, __all__)
