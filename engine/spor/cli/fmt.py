"""``spor fmt``: rule files in canonical form, comments kept."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spor.cli.common import EXIT_INCOMPLETE, EXIT_INPUT, EXIT_OK, earn, say_problems, shown_folder


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file is not in canonical form.")
def fmt(paths: tuple, check: bool) -> None:
    """Put rule files in canonical form (key order, quoting, indentation), keeping every comment.

    PATHS are rule files or rulebase folders (default: the rulebase spor finds,
    as for `spor check`). Each file is read back after formatting and must say
    exactly what it said before. Exit 0 all formatted (or, with --check,
    already canonical), 1 with --check when some file would change, 2 when a
    file cannot be read.
    """
    from spor.api import find_rules
    from spor.rulebase.canonical import format_files
    from spor.rulebase.loader import rule_files

    files: list[Path] = []
    for raw in paths or (str(find_rules(None)[0]),):
        path = Path(raw)
        files += rule_files(path) if path.is_dir() else [path]
    results = format_files(files, write=not check)
    say_problems([r.problem for r in results if r.problem])
    changed = [r for r in results if r.changed]
    for result in changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {shown_folder(result.path).rstrip('/')}")
    left = len(results) - len(changed)
    click.echo(
        f"{len(changed)} file(s) {'would be reformatted' if check else 'reformatted'}, {left} left as they are",
        err=True,
    )
    if any(r.problem for r in results):
        sys.exit(earn(EXIT_INPUT))
    sys.exit(earn(EXIT_INCOMPLETE if check and changed else EXIT_OK))
