"""The ``spor`` command: a thin layer over the Python API.

Exit codes, for every command: 0 all cases decided, 1 some case still
misses facts, 2 bad input or usage (with one message per problem, naming
the file and the line and column), 3 an internal error (a bug: please
report it). A Python traceback is never shown.
"""
from __future__ import annotations

import sys

import click

from . import python_supported, unsupported_python_message
from .errors import EngineFailure, InputError

EXIT_OK, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _say_problems(problems) -> None:
    for problem in problems:
        prefix = "error" if problem.severity == "error" else "warning"
        click.echo(f"spor: {prefix}: {problem}", err=True)


def _load(rules_dir):
    from .loader import load
    from .resources import default_rules_dir

    loaded = load(rules_dir or default_rules_dir())
    return loaded


class _Group(click.Group):
    """Turns every failure into a message and an exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _say_problems(exc.problems)
            ctx.exit(EXIT_INPUT)
        except EngineFailure as exc:
            click.echo(f"spor: error: {exc}", err=True)
            ctx.exit(EXIT_INTERNAL)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): not an error
            ctx.exit(EXIT_OK)
        except Exception as exc:  # a bug in spor: say so plainly
            click.echo(f"spor: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spor", prog_name="spor")
def cli():
    """spor: diagnose a support case from the rules of a help article."""


@cli.command()
@click.argument("cases", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="text for reading, json (one object per line) for scripts, markdown for a ticket reply.")
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", show_default=True, help="Language of the output.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Rulebase folder (default: the shipped rulebase).")
def run(cases, fmt, lang, rules_dir):
    """Diagnose each CASE file (YAML or JSON; - reads standard input).

    Exit 0 when every case reached an outcome, 1 when some case still misses
    facts (they are listed with their questions), 2 on bad input.
    """
    from .cases import Normaliser, load_case
    from .evaluate import Evaluator
    from .render import RENDERERS

    loaded = _load(rules_dir)
    _say_problems(loaded.warnings)
    rulebase = loaded.rulebase
    evaluator, normaliser, render = Evaluator(rulebase), Normaliser(rulebase), RENDERERS[fmt]
    code, first = EXIT_OK, True
    for path in cases:
        try:
            if path == "-":
                case = load_case("-", normaliser, stream=sys.stdin.buffer, name="<stdin>")
            else:
                case = load_case(path, normaliser)
        except InputError as exc:
            _say_problems(exc.problems)
            code = EXIT_INPUT
            continue
        result = evaluator.evaluate(case.facts, case_id=case.id, source=case.source)
        if fmt != "json" and not first:
            click.echo("\n" + "-" * 40 + "\n")
        first = False
        click.echo(render(result, lang), nl=fmt == "json")
        if not result.complete and code == EXIT_OK:
            code = EXIT_INCOMPLETE
    sys.exit(code)


def main():
    """Console-script entry point: refuse an unsupported Python before anything else."""
    if not python_supported():
        click.echo(f"spor: error: {unsupported_python_message()}", err=True)
        sys.exit(EXIT_INPUT)
    cli(prog_name="spor")
