"""Evidence about a send: returned messages and event logs, what they mean, and the facts they imply.

The only layer that knows mail formats; the rulebase"s ``evidence:`` section says what each finding means."""

from spor.common.lazy import submodules

# its public modules, each imported when first used, so that a command starts fast
__all__ = ["codes", "events", "findings", "freetext", "merge", "mime", "patterns", "reports", "spec"]
__getattr__ = submodules(__name__, __all__)
