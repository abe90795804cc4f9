"""The ``spor`` command group: every failure becomes a message and an exit code, never a traceback.

Each verb is a module of its own (``run``, ``ask``, ``batch``, ...), a thin
call into the layer that does the work; see ``common`` for the exit codes.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from spor import python_supported, unsupported_python_message
from spor.cli.common import EXIT_CLOSED_PIPE, EXIT_INPUT, EXIT_INTERNAL, EXIT_KEY, EXIT_OK, say_problems
from spor.common.errors import EngineFailure, InputError

# each verb's module and command; a module is imported only when its verb runs (or --help lists them all),
# so that one command does not pay for the others' imports at start-up
COMMANDS = {
    "ask": "spor.cli.ask:ask",
    "batch": "spor.cli.batch:batch",
    "check": "spor.cli.check:check",
    "diff": "spor.cli.diff:diff",
    "evidence": "spor.cli.evidence:evidence",
    "fmt": "spor.cli.fmt:fmt",
    "graph": "spor.cli.graph:graph",
    "run": "spor.cli.run:run",
    "schema": "spor.cli.schema:schema",
    "serve": "spor.cli.serve:serve",
    "test": "spor.cli.test:test_cmd",
}


class SporGroup(click.Group):
    """Finds each verb in its own module, and turns every failure into a message and an exit code, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

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
            # the reader went away (| head): stop writing; what was not written is lost, so this is no success:
            # exit as a Unix tool stopped by SIGPIPE does, unless a worse code (bad input, a bug) was earned already
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            earned = ctx.meta.get(EXIT_KEY, EXIT_OK)
            ctx.exit(earned if earned >= EXIT_INPUT else EXIT_CLOSED_PIPE)
        except Exception as exc:  # a bug in spor: say so plainly
            click.echo(f"spor: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=SporGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="spor", prog_name="spor")
def cli() -> None:
    """spor: diagnose a support case from the rules of a help article."""


def main() -> None:
    """Console-script entry point: refuse an unsupported Python before anything else."""
    if not python_supported():
        click.echo(f"spor: error: {unsupported_python_message()}", err=True)
        sys.exit(EXIT_INPUT)
    cli(prog_name="spor")
