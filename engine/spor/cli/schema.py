"""``spor schema``: the JSON Schemas of what spor reads and prints."""

from __future__ import annotations

import click

# the keys of spor.common.schemas.SCHEMAS, written out so that starting the CLI does not import that module
# (tests/test_output_schemas.py holds them equal)
KINDS = ("rules", "case", "result", "batch-record", "finding", "check-report", "test-report", "diff-record")


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
def schema(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of what spor reads or prints.

    \b
    rules         a rule file
    case          a case file
    result        a line of spor run --format json
    batch-record  a line of spor batch (JSON Lines): a result or an error record
    finding       a line of spor evidence --format json
    check-report  spor check --format json
    test-report   spor test --format json
    diff-record   a line of spor diff --format json

    Each schema is printed whole: the schemas it uses are embedded under its
    $defs, so a validator needs no other file.
    """
    from spor.common.schemas import schema_text

    click.echo(schema_text(kind), nl=False)
