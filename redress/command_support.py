"""What the ``redress`` command's parts share: the settings, a console, and click helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec

import click

from redress import people

if TYPE_CHECKING:
    from rich.console import Console
    from sqlmodel import Session

    from core.settings import Settings

P = ParamSpec("P")


def settings_from_environment() -> Settings:
    """Settings from the environment, with the SQLite read model in the data dir by default."""
    from core.settings import get_settings
    from devserver.stack import with_data_dir_database

    settings = with_data_dir_database(get_settings())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


class Listed(click.Group):
    """Commands listed in the order they were added, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def tool(run: Callable[Concatenate[Settings, Console, P], int], *a: P.args, **kw: P.kwargs) -> int:
    """Run a tool on the environment's settings with a console; its exit status."""
    from rich.console import Console

    return run(settings_from_environment(), Console(), *a, **kw)


def people_tool(
    command: str,
    work: Callable[Concatenate[Session, Settings, Console, P], int],
    *a: P.args,
    **kw: P.kwargs,
) -> int:
    """A people command in a session of its own; what the rules refuse exits 2."""
    return tool(
        lambda settings, console: people.run(
            settings, console, command, lambda session: work(session, settings, console, *a, **kw)
        )
    )


def described(short: str, *lines: str) -> dict[str, str]:
    """A command's one-line help for the list, and in full with its arguments' meanings."""
    return {"short_help": short, "help": "\n\n".join([short, *lines])}


def not_both(first: str, second: str, given: bool) -> None:
    """Refuse two options that exclude each other, as argparse worded it."""
    if given:
        raise click.UsageError(f"argument {second}: not allowed with argument {first}")
