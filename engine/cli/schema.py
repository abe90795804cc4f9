"""``spor schema``: the JSON Schemas of what spor reads and prints."""
from __future__ import annotations

import click


@click.command()
@click.argument("kind", type=click.Choice(["rules", "case", "result"]))
def schema(kind: str) -> None:
    """Print the JSON Schema for rule files, case files or results."""
    from spor.common.schemas import schema_text

    click.echo(schema_text(kind), nl=False)
