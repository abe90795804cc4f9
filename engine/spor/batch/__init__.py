"""spor batch: many cases from folders, JSON Lines and CSV files, one output record each, in input order.

``inputs`` reads records, ``decisions`` keeps one decision per distinct
combination of facts, ``writers`` writes JSON Lines or CSV, ``resume`` reads
back an interrupted run's output, ``runner`` joins them, and ``workers``
runs the engine in forked processes for ``--jobs``.
"""

from spor.batch.resume import output_sources, scan_output
from spor.batch.runner import Plan, Summary, run
from spor.batch.writers import WRITERS, CsvWriter, JsonlWriter, open_output

__all__ = [
    "WRITERS",
    "CsvWriter",
    "JsonlWriter",
    "Plan",
    "Summary",
    "open_output",
    "output_sources",
    "run",
    "scan_output",
]
