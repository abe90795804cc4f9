"""``spor serve``: the agent's web page and the HTTP API, on uvicorn."""

from __future__ import annotations

import os
import signal
import socket
import sys

import click

from spor.cli.common import EXIT_INPUT, EXIT_OK, SporCommand, lang_option, load_rules, rules_option, say_problems
from spor.cli.decisionlog import close_log, log_options, open_log

NB = {
    "": """Server beslutningstreet: agentens side på / og HTTP-API-et under /api/v1.

    Skriver adressen og kjører til Ctrl-C eller SIGTERM, som stopper den pent
    (forespørsler som er i gang, blir fullført). Lytter på 127.0.0.1 hvis ikke
    --host sier noe annet. Avslutter med 0 når den stoppes, 2 når regelbasen, et
    valg eller adressen er feil. docs/serve.md beskriver siden og API-et.
    """,
    "host": "Adressen det lyttes på (0.0.0.0: alle).",
    "port": "Port (0: en hvilken som helst ledig).",
    "workers": "Prosesser som svarer på forespørsler (motoren kjører i én tråd per prosess).",
    "token_file": "En fil med et token som /api krever som 'Authorization: Bearer TOKEN'.",
    "ancestors": "Opprinnelser som kan vise siden i en ramme, f.eks. 'https://helpdesk.example.com' "
    "(standard: bare spors egen).",
    "access_log": "Logg hver forespørsel.",
    "lang": "Språket på siden, og i API-svarene, når en lenke eller forespørsel ikke sier det. Standard: $SPOR_LANG, "
    "ellers språket i locale (nb for nb, nn, no; ellers en).",
}


@click.command(cls=SporCommand, nb=NB)
@rules_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes that answer requests (the engine runs on one thread per process).",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="A file holding a token that /api asks for as 'Authorization: Bearer TOKEN'.",
)
@click.option(
    "--frame-ancestors",
    "ancestors",
    default=None,
    help="Origins that may show the page in a frame, e.g. 'https://helpdesk.example.com' (default: only spor's own).",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
@lang_option("Language of the page, and of API answers, when a link or request does not name one.")
@log_options
def serve(
    rules_dir: str | None,
    host: str,
    port: int,
    workers: int,
    token_file: str | None,
    ancestors: str | None,
    access_log: bool,
    lang: str,
    log_path: str | None,
    log_days: int | None,
) -> None:
    """Serve the decision tree: the agent's page at / and the HTTP API under /api/v1.

    Prints the URL and runs until Ctrl-C or SIGTERM, which stop it cleanly
    (requests under way are finished). Binds 127.0.0.1 unless --host says
    otherwise. Exit 0 when stopped, 2 when the rulebase, a flag or the
    address is wrong. docs/serve.md describes the page and the API.
    """
    import uvicorn

    from spor.api import find_rules
    from spor.serve.app import ENVIRONMENT, Settings
    from spor.serve.security import frame_ancestors

    loaded = load_rules(rules_dir)  # a wrong rulebase is said here, before anything listens
    say_problems(loaded.warnings)
    folder = os.path.abspath(find_rules(rules_dir)[0])  # the one just checked, for every worker
    try:
        frame_ancestors(ancestors)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--frame-ancestors'") from None
    if log_path:  # a log that cannot be one is said here, before anything listens; each worker opens its own
        close_log(open_log(log_path, log_days))
    settings = Settings(
        rules_dir=folder,
        token_file=os.path.abspath(token_file) if token_file else None,
        frame_ancestors=ancestors,
        lang=lang,
        log_path=os.path.abspath(log_path) if log_path else None,
        log_days=log_days,
    )
    if token_file and not settings.token:
        raise click.BadParameter(f"{token_file} is empty: put the token in it", param_hint="'--token-file'")
    os.environ[ENVIRONMENT] = settings.to_environment()  # for the worker processes

    try:
        sock = listen(host, port)
    except OSError as exc:
        click.echo(f"spor: error: cannot listen on {host}:{port}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INPUT)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"spor serve: http://{shown}:{bound_port}/ (API: /api/v1; Ctrl-C stops)")
    sys.stdout.flush()
    config = uvicorn.Config(
        "spor.serve.app:from_environment",
        factory=True,
        workers=workers,
        access_log=access_log,
        log_level="info",
        timeout_graceful_shutdown=10,
        server_header=False,
    )
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()
    else:
        server = uvicorn.Server(config)
        # uvicorn finishes the requests under way on SIGINT or SIGTERM, then raises the signal again: end quietly
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(EXIT_OK))
        try:
            server.run(sockets=[sock])
        except (KeyboardInterrupt, SystemExit):
            pass
        if not server.started:
            sys.exit(EXIT_INPUT)
    click.echo("spor serve: stopped")
    sys.exit(EXIT_OK)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, to hand to uvicorn (and, with --workers, to every worker)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
