"""What every ``spor`` command shares: exit codes, the language, problem messages, the --rules option, loading.

Exit codes, for every command: 0 all cases decided, 1 some case still
misses facts, 2 bad input or usage (with one message per problem, naming
the file and the line and column), 3 an internal error (a bug: please
report it), 130 interrupted, 141 the output was closed before all of it was
written (``| head``; a code of 2 or 3 earned before is kept). A Python
traceback is never shown.

The language, for every command: ``--lang``, else ``$SPOR_LANG`` (``nb`` or
``en``; anything else is a usage error), else the locale as POSIX orders it
(``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``): ``nb``, ``nn`` or ``no``
is Norwegian, any other locale English, and no locale at all (or ``C``,
``POSIX``) English too: a server or a CI runner that says nothing about
language gets the words most tools print there. Everything a person reads
follows it: results, problem messages, reports, summaries, and ``--help``
(a command's own help, when ``--lang`` comes before ``--help`` or the
environment chooses).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from spor.common.errors import InputError, Problem, shown
from spor.common.messages import LANGS, Msg
from spor.common.messages import text as t
from spor.rulebase.loader import Loaded

EXIT_OK, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: the output was closed before all of it was written, as a shell reports it
EXIT_KEY = "spor.exit"  # ctx.meta: the exit code a command has earned so far
LANG_KEY = "spor.lang"  # ctx.meta (shared by a command's context and its group's): the language chosen
NORWEGIAN = ("nb", "nn", "no")  # locale languages that read Norwegian Bokmål


def locale_lang() -> str:
    """The language the locale asks for, as POSIX orders the variables: nb for nb, nn or no, else en."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:  # the first one set decides, even when it names a language spor does not speak
            language = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return "nb" if language in NORWEGIAN else "en"
    return "en"


def default_lang() -> str:
    """The language when ``--lang`` is not given: ``$SPOR_LANG``, else the locale's; a ``$SPOR_LANG`` that is
    neither nb nor en is a usage error (exit 2), not a silent fall-back."""
    chosen = os.environ.get("SPOR_LANG", "").strip()
    if not chosen:
        return locale_lang()
    if chosen.lower() not in LANGS:
        raise click.UsageError(t("lang_env_invalid", locale_lang(), value=chosen))
    return chosen.lower()


def current_lang() -> str:
    """The language of the command running: its ``--lang`` once read, else the default (never an error: this is
    what problems are said in, and an unusable ``$SPOR_LANG`` is reported elsewhere)."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get(LANG_KEY) if ctx is not None else None
    if chosen:
        return chosen
    try:
        return default_lang()
    except click.UsageError:
        return locale_lang()


def earn(code: int) -> int:
    """Record the exit code so far, so that a closed output pipe does not turn it into 0."""
    click.get_current_context().meta[EXIT_KEY] = code
    return code


def say_problems(problems: Iterable[Problem], lang: str | None = None) -> None:
    """Each problem on standard error as ``spor: error: FILE:LINE:COL (path): message``, in the command's language
    (``spor: feil: ...`` in nb)."""
    lang = lang or current_lang()
    for problem in problems:
        prefix = t("severity_error" if problem.severity == "error" else "severity_warning", lang)
        click.echo(f"spor: {prefix}: {problem.shown(lang)}", err=True)


def load_rules(rules_dir: str | None) -> Loaded:
    """The rulebase of ``--rules``, else the one ``api.find_rules`` finds (SPOR_RULES, a ``rules/`` folder here or
    above, the shipped one), from the caches when its files did not change."""
    from spor.api import find_rules, load_cached

    return load_cached(find_rules(rules_dir)[0])


def say_rulebase(loaded: Loaded, lang: str) -> None:
    """Name the rulebase a command used, as the last line of its text output: ``rulebase: id (folder, hash)``, the
    hash as ``spor check`` and every JSON result (``rulebase_hash``) give it. Standard error stays for problems."""
    from spor.output.layout import rulebase_line

    rulebase = loaded.rulebase
    click.echo("\n" + rulebase_line(rulebase.id, shown_folder(Path(rulebase.folder)), loaded.digest, lang))


def shown_folder(folder: Path) -> str:
    """A folder as a person would name it here: relative to the current folder when inside it."""
    try:
        relative = folder.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return shown(folder)
    return shown(relative) + "/" if str(relative) != "." else "./"


def examples_for(rules_dir: str | None, paths: tuple) -> list:
    """The case files a command was given, or else the ``examples/`` beside the rulebase it uses."""
    if paths:
        return list(paths)
    from spor.api import examples_beside, find_rules

    rules, how = find_rules(rules_dir)
    folder = examples_beside(rules) if how != "shipped" else Path("examples")  # the shipped rulebase has none
    if not folder.is_dir():
        raise InputError([Problem(shown(folder), Msg("no_examples_folder"))])
    return [str(folder)]


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Rulebase folder (default: $SPOR_RULES, else a rules/ folder here or in a parent, else the shipped one).",
    )(func)


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta[LANG_KEY] = value
    return value


def lang_option(help_text: str = "Language of the output.") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--lang nb|en: read before the other options (and before --help when it comes first), so that every
    message, the help included, is in it."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default=default_lang,
        callback=_remember_lang,
        is_eager=True,
        help=f"{help_text} Default: $SPOR_LANG, else the locale (nb for nb, nn, no; else en).",
    )


def assume_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--no-assume, for run, ask and batch: no rule reads an unknown fact as an answer."""
    return click.option(
        "--no-assume",
        "no_assume",
        is_flag=True,
        help="Make no assumptions: a fact the rules would read as unknown (and say so) must be answered.",
    )(func)


def evidence_options(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--evidence (repeatable), --recipient and --evidence-wins, for run and ask."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "--evidence-wins",
            "evidence_wins",
            is_flag=True,
            help="With --evidence: where the evidence and the case disagree, use the evidence's value "
            "(by default the case's answer wins).",
        )(func)
        func = click.option(
            "--recipient", default=None, help="With --evidence: use only what the evidence says about this address."
        )(func)
        return click.option(
            "--evidence",
            "evidence_paths",
            multiple=True,
            type=click.Path(),
            help=f"A returned message (.eml) or an event log (JSON) whose facts {verb} (repeatable).",
        )(func)

    return decorate


def read_evidence(names: tuple, rulebase: Any, recipient: str | None, say: bool = True) -> list:
    """Every evidence file read; each file's problems are said (unless ``say`` is false)."""
    from spor.evidence.merge import readings

    if recipient and not names:
        raise click.UsageError(t("recipient_needs_evidence", current_lang()))
    found = list(readings(names, rulebase, recipient))
    for reading in found if say else ():
        say_problems(reading.problems)
    return found


# The Norwegian help of the options every command shares, by option name (the commands add their own)
SHARED_HELP = {
    "help": "Vis denne hjelpen og avslutt.",
    "rules_dir": "Mappen med regelbasen (standard: $SPOR_RULES, ellers en rules/-mappe her eller i en mappe "
    "over, ellers den som følger med spor).",
    "lang": "Språket i utdataene. Standard: $SPOR_LANG, ellers språket i locale (nb for nb, nn, no; ellers en).",
    "no_assume": "Ingen antakelser: et faktum reglene ville lest som ukjent (og sagt det), må besvares.",
    "evidence_wins": "Med --evidence: der beviset og saken er uenige, brukes bevisets verdi (vanligvis vinner "
    "sakens svar).",
    "recipient": "Med --evidence: bruk bare det beviset sier om denne adressen.",
    "fmt": "text for lesing, json for skript.",
    "log_path": "Skriv én rad per avgjørelse i denne SQLite-avgjørelsesloggen (bare id-er og koder), for spor report.",
    "log_days": "Med --log: slett loggens rader som er eldre enn så mange dager, når den åpnes.",
}


class SporCommand(click.Command):
    """A command whose help is in the reader's language: English as written in the code, Norwegian from ``nb``.

    ``nb`` maps "" to the command's help and an option's name to its help
    (the shared options' come from SHARED_HELP). The language is the one
    ``--lang`` chose when it came before ``--help``, else the default
    (``$SPOR_LANG``, the locale). click's own headings are worded here too.
    """

    def __init__(self, *args: Any, nb: dict | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.nb = {**SHARED_HELP, **(nb or {})}

    def get_short_help_str(self, limit: int = 45) -> str:
        if current_lang() != "nb" or "" not in self.nb:
            return super().get_short_help_str(limit)
        words = self.nb[""].strip().split("\n\n")[0].split(". ")[0].rstrip(".").split()
        short = ""
        for word in words:
            if len(short) + 1 + len(word) > limit:
                return short + "..."
            short = f"{short} {word}" if short else word
        return short

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if current_lang() != "nb":
            return super().format_help(ctx, formatter)
        helper = self.get_help_option(ctx)
        options = [
            p for p in self.get_params(ctx) if isinstance(p, click.Option) and (p.name in self.nb or p is helper)
        ]
        saved = self.help, [option.help for option in options]
        self.help = self.nb.get("", self.help)
        for option in options:
            option.help = self.nb["help" if option is helper else str(option.name)]
        try:
            super().format_help(ctx, formatter)
        finally:
            self.help = saved[0]
            for option, text in zip(options, saved[1]):
                option.help = text

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if current_lang() != "nb":
            return super().format_usage(ctx, formatter)
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Bruk: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if current_lang() != "nb":
            return super().format_options(ctx, formatter)
        rows = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and isinstance(param, click.Option):
                rows.append((record[0], _extras_in_nb(record[1])))
        if rows:
            with formatter.section("Valg"):
                formatter.write_dl(rows)


def _extras_in_nb(help_text: str) -> str:
    """click's "[default: x; required]" after an option's help, in Norwegian."""
    head, bracket, extras = help_text.rpartition("  [")
    if not bracket and help_text.startswith("["):
        head, extras = "", help_text[1:]
    elif not bracket:
        return help_text
    extras = extras.replace("default: ", "standard: ").replace("required", "påkrevd")
    return f"{head}  [{extras}" if head else f"[{extras}"
