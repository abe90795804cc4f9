"""The ``spor`` command: one module per verb, each a thin call into a layer below."""

from spor.cli.app import cli, main

__all__ = ["cli", "main"]
