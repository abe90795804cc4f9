"""What every layer needs and nothing about rules: located problems, safe reading, schemas, file policies, messages."""

from spor.common.lazy import submodules

# its public modules, each imported when first used, so that a command starts fast
__all__ = ["errors", "files", "lazy", "messages", "reader", "records", "resources", "schemas"]
__getattr__ = submodules(__name__, __all__)
