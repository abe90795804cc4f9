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
from spor.cli.common import (
    EXIT_CLOSED_PIPE,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_KEY,
    EXIT_OK,
    current_lang,
    say_problems,
)
from spor.common.errors import EngineFailure, InputError, printable
from spor.common.messages import Words
from spor.common.messages import text as t

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
    "report": "spor.cli.report:report",
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
            lang = current_lang()
            message = exc.message
            worded = message.text(lang) if isinstance(message, Words) else message
            click.echo(f"spor: {t('severity_error', lang)}: {printable(worded)}", err=True)
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


VERSION_WORDS = {  # --version's words: (nb, en); api.find_rules' ways of choosing a rulebase among them
    "version": ("spor, versjon {version}", "spor, version {version}"),
    "rulebase": ("regelbase", "rulebase"),
    "--rules": ("valgt med --rules", "named by --rules"),
    "SPOR_RULES": ("valgt med $SPOR_RULES", "named by $SPOR_RULES"),
    "found": (
        "funnet i en rules/-mappe her eller i en mappe over",
        "found in a rules/ folder here or in a parent folder",
    ),
    "shipped": ("følger med spor", "shipped with spor"),
    "broken": (
        "{where} kan ikke lastes ({count} problem(er): spor check --rules {where} viser dem)",
        "{where} cannot be loaded ({count} problem(s): spor check --rules {where} lists them)",
    ),
    "none": ("ingen kan navngis ({why})", "none can be named ({why})"),
}


def version_text(lang: str = "en") -> str:
    """spor's version, and the rulebase a command run here without --rules would use: its id, folder and hash.

    Loaded as a command loads it (from the on-disk cache when its files did
    not change: a few milliseconds), so that a rulebase that cannot be used
    says so here too; --version itself never fails on it. In the language
    the environment chooses (``$SPOR_LANG``, the locale), as every command.
    """
    from spor import __version__

    def say(key: str, **params: object) -> str:
        nb, en = VERSION_WORDS[key]
        return (en if lang == "en" else nb).format(**params)

    lines = [say("version", version=__version__)]
    head = say("rulebase")
    try:
        from spor.api import find_rules, load_cached
        from spor.cli.common import shown_folder
        from spor.output.layout import rulebase_named

        folder, how = find_rules()
        where = shown_folder(folder)
        loaded = load_cached(folder)
    except InputError as exc:
        lines.append(f"{head}: {say('broken', where=where, count=len(exc.problems))}, {say(how)}")
    except Exception as exc:  # a folder gone, no current folder: the version is still worth saying
        lines.append(f"{head}: {say('none', why=f'{type(exc).__name__}: {exc}')}")
    else:
        lines.append(f"{head}: {rulebase_named(loaded.rulebase.id, where, loaded.digest)}, {say(how)}")
    return "\n".join(lines)


def show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from spor.cli.common import current_lang

    click.echo(version_text(current_lang()))
    ctx.exit()


@click.group(cls=SporGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show spor's version and the rulebase a command here would use (id, folder, hash), and exit.",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """spor: diagnose a support case from the rules of a help article."""
    if ctx.invoked_subcommand != "serve":  # text for a person: as wide as COLUMNS or the terminal (a web page is not)
        from spor.output.layout import terminal_width, use_width

        before = use_width(terminal_width(sys.stdout))
        ctx.call_on_close(lambda: use_width(before))  # the next command in this process (a test) starts afresh


def main() -> None:
    """Console-script entry point: refuse an unsupported Python before anything else."""
    if not python_supported():
        click.echo(f"spor: error: {unsupported_python_message()}", err=True)
        sys.exit(EXIT_INPUT)
    cli(prog_name="spor")
