"""The ``spor`` command group: every failure becomes a message and an exit code, never a traceback.

Each verb is a module of its own (``run``, ``ask``, ``batch``, ...), a thin
call into the layer that does the work; see ``common`` for the exit codes.
"""

from __future__ import annotations

import os
import sys

import click

from spor import python_supported, unsupported_python_message
from spor.cli.ask import ask
from spor.cli.batch import batch
from spor.cli.check import check
from spor.cli.common import EXIT_INPUT, EXIT_INTERNAL, EXIT_KEY, EXIT_OK, say_problems
from spor.cli.diff import diff
from spor.cli.evidence import evidence
from spor.cli.graph import graph
from spor.cli.run import run
from spor.cli.schema import schema
from spor.cli.test import test_cmd
from spor.common.errors import EngineFailure, InputError


class SporGroup(click.Group):
    """Turns every failure into a message and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            say_problems(exc.problems)
            ctx.exit(EXIT_INPUT)
        except EngineFailure as exc:
            click.echo(f"spor: error: {exc}", err=True)
            ctx.exit(EXIT_INTERNAL)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # the reader went away (| head): stop writing, keep the exit code earned so far
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(ctx.meta.get(EXIT_KEY, EXIT_OK))
        except Exception as exc:  # a bug in spor: say so plainly
            click.echo(f"spor: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=SporGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spor", prog_name="spor")
def cli() -> None:
    """spor: diagnose a support case from the rules of a help article."""


for command in (run, batch, ask, evidence, check, test_cmd, graph, diff, schema):
    cli.add_command(command)


def main() -> None:
    """Console-script entry point: refuse an unsupported Python before anything else."""
    if not python_supported():
        click.echo(f"spor: error: {unsupported_python_message()}", err=True)
        sys.exit(EXIT_INPUT)
    cli(prog_name="spor")
