"""The ``redress`` command: the local stack, the API, the worker, demo data, the mail sink,
the location registry, notices that could not be sent, people and organisations, the audit
trail and payload keys."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

import uvicorn

if TYPE_CHECKING:
    from core.settings import Settings


def _settings() -> Settings:
    """Settings from the environment, with the SQLite read model in the data dir by default."""
    from core.settings import get_settings
    from devserver.stack import with_data_dir_database

    settings = with_data_dir_database(get_settings())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


async def _run(settings: Settings) -> None:
    from devserver.stack import Parts, run_stack
    from redress.app import create_app
    from redress.worker import run_worker

    await run_stack(settings, Parts(app=create_app, worker=run_worker))


async def _api(settings: Settings) -> None:
    from redress.app import create_app

    config = uvicorn.Config(create_app(settings), host=settings.api_host, port=settings.api_port)
    await uvicorn.Server(config).serve()


async def _worker(settings: Settings) -> None:
    from core.lifecycle import run_until_signal
    from redress.worker import run_worker

    await run_until_signal(run_worker(settings))


async def _migrate(settings: Settings) -> None:
    from store.db import prepare

    added = await asyncio.to_thread(prepare, settings)
    loaded = ", ".join(f"{c.slug} v{c.procedure.version}" for c in added) or "none new"
    print(f"Schema up to date and covenants loaded ({loaded}) in {settings.database_url}")


async def _seed_demo(settings: Settings) -> None:
    from devserver.stack import prepare_database

    await prepare_database(settings.model_copy(update={"demo_accounts": True}))
    print(f"Schema and demo data ready in {settings.database_url}")


async def _mail_sink(settings: Settings) -> None:
    from devserver.stack import run_mail_sink

    await run_mail_sink(settings)


Command = Callable[["Settings"], Coroutine[Any, Any, None]]

COMMANDS: dict[str, tuple[Command, str]] = {
    "run": (_run, "the whole local stack: Temporal, mail sink, worker and API"),
    "api": (_api, "the HTTP API alone (uvicorn on REDRESS_API_HOST:REDRESS_API_PORT)"),
    "worker": (_worker, "the Temporal worker alone"),
    "migrate": (_migrate, "migrate the database to the current schema and load the covenants"),
    "seed-demo": (_seed_demo, "prepare the database and add the demo parties and accounts"),
    "mail-sink": (_mail_sink, "the local SMTP sink and its web view alone"),
}

# Commands with arguments of their own: name -> (module, its argument adder, its runner
# ``(settings, args, console) -> exit status``, help). Imported only when used.
TOOLS: dict[str, tuple[str, str, str, str]] = {
    "import-locations": (
        "redress.importing",
        "add_arguments",
        "import_locations",
        "import production locations from a company's published supplier lists "
        "(re-importing updates, never duplicates)",
    ),
    "notices": (
        "redress.notices",
        "add_arguments",
        "notices_command",
        "list the notices that could not be sent (--failed), or send them again (--retry)",
    ),
    "create-admin": (
        "redress.people",
        "add_admin_arguments",
        "people_command",
        "create the first admin (or a new link for an admin) and print a one-time link to "
        "set its password",
    ),
    "users": (
        "redress.people",
        "add_user_arguments",
        "people_command",
        "list, invite, disable or enable users",
    ),
    "organisations": (
        "redress.people",
        "add_organisation_arguments",
        "people_command",
        "list or add organisations, set their contacts, make them covenant parties",
    ),
    "audit": (
        "redress.audit_command",
        "add_arguments",
        "audit_command",
        "verify that no row of the audit trail was edited or deleted",
    ),
    "keys": (
        "redress.keys_command",
        "add_arguments",
        "keys_command",
        "print a new Temporal payload encryption key to rotate to",
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subcommand per entry in ``COMMANDS`` and ``TOOLS``."""
    parser = argparse.ArgumentParser(
        prog="redress",
        description="Redress case-management engine. Configure with REDRESS_* variables.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text)
    for name, (module, adder, _, help_text) in TOOLS.items():
        add_arguments = getattr(importlib.import_module(module), adder)
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``redress`` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command in TOOLS:
        from rich.console import Console

        module, _, runner, _ = TOOLS[args.command]
        run = getattr(importlib.import_module(module), runner)
        status: int = run(_settings(), args, Console())
        return status
    command, _ = COMMANDS[args.command]
    try:
        asyncio.run(command(_settings()))
    except KeyboardInterrupt:
        return 130
    except (OSError, RuntimeError, ValueError) as exc:
        if args.verbose:
            raise
        print(f"redress {args.command}: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
