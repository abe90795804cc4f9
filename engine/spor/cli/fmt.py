"""``spor fmt``: rule files in canonical form, comments kept."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from spor.cli.common import (
    EXIT_INCOMPLETE,
    EXIT_INPUT,
    EXIT_OK,
    SporCommand,
    earn,
    lang_option,
    say_problems,
    shown_folder,
)

NB = {
    "": """Sett regelfiler i kanonisk form (rekkefølge på nøkler, anførselstegn, innrykk), og behold hver kommentar.

    PATHS er regelfiler eller regelbasemapper (standard: regelbasen spor finner,
    som for `spor check`). Hver fil leses tilbake etter formateringen og må si
    nøyaktig det samme som før. Avslutter med 0 når alt er formatert (eller, med
    --check, allerede kanonisk), 1 med --check når en fil ville blitt endret, og
    2 når en fil ikke kan leses.
    """,
    "check": "Skriv ingenting; avslutt med 1 når en fil ikke er i kanonisk form.",
}


@click.command(cls=SporCommand, nb=NB)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file is not in canonical form.")
@lang_option()
def fmt(paths: tuple, check: bool, lang: str) -> None:
    """Put rule files in canonical form (key order, quoting, indentation), keeping every comment.

    PATHS are rule files or rulebase folders (default: the rulebase spor finds,
    as for `spor check`). Each file is read back after formatting and must say
    exactly what it said before. Exit 0 all formatted (or, with --check,
    already canonical), 1 with --check when some file would change, 2 when a
    file cannot be read.
    """
    from spor.api import find_rules
    from spor.common.messages import text as t
    from spor.rulebase.canonical import format_files
    from spor.rulebase.loader import rule_files

    files: list[Path] = []
    for raw in paths or (str(find_rules(None)[0]),):
        path = Path(raw)
        files += rule_files(path) if path.is_dir() else [path]
    results = format_files(files, write=not check)
    say_problems([r.problem for r in results if r.problem], lang)
    changed = [r for r in results if r.changed]
    for result in changed:
        click.echo(t("fmt_would" if check else "fmt_did", lang, path=shown_folder(result.path).rstrip("/")))
    left = len(results) - len(changed)
    click.echo(t("fmt_summary_check" if check else "fmt_summary", lang, changed=len(changed), left=left), err=True)
    if any(r.problem for r in results):
        sys.exit(earn(EXIT_INPUT))
    sys.exit(earn(EXIT_INCOMPLETE if check and changed else EXIT_OK))
