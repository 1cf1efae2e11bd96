"""The ``redress`` command: the local stack, the API, the worker, demo data, the mail sink,
the location registry, notices that could not be sent, people and organisations, the audit
trail and payload keys."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

import click

from redress import (
    audit_command,
    importing,
    keys_command,
    notices_command,
    people_commands,
    receive_mail_command,
)
from redress.api_server import API_GRACEFUL_SECONDS, serve_api
from redress.command_support import Listed, described, not_both, settings_from_environment, tool

if TYPE_CHECKING:
    from core.settings import Settings
    from devserver.stack import Parts

P = ParamSpec("P")


def local_stack_parts() -> Parts:
    """What ``redress run`` runs besides Temporal: this very command (on the same Python) as
    ``api``, ``worker``, ``mail-sink`` and ``receive-mail``, each in a process of its own."""
    from devserver.stack import Parts

    command = [sys.executable, "-m", "redress.cli"]
    return Parts(
        api=[*command, "api"],
        worker=[*command, "worker"],
        mail_sink=[*command, "mail-sink"],
        mail_receiver=[*command, "receive-mail"],
        api_grace=API_GRACEFUL_SECONDS,
    )


async def _run(settings: Settings) -> None:
    from devserver.stack import run_stack

    await run_stack(settings, local_stack_parts())


async def _worker(settings: Settings) -> None:
    from core.lifecycle import run_until_signal
    from redress.worker import run_worker

    await run_until_signal(run_worker(settings))
    # Stopped cleanly: its activities finished and were reported. Skip the interpreter's
    # teardown, where the Temporal bridge's threads can still call into Python and abort the
    # process (SIGABRT, "PyGILState_Release"; temporalio/sdk-python#300).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


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


# A command is a coroutine function, or a plain function for one that runs its own loops.
Command = Callable[["Settings"], Coroutine[Any, Any, None] | None]

COMMANDS: dict[str, tuple[Command, str]] = {
    "run": (_run, "the whole local stack: Temporal, mail sink, worker and API"),
    "api": (serve_api, "the HTTP API alone (uvicorn on REDRESS_API_HOST:REDRESS_API_PORT)"),
    "worker": (_worker, "the Temporal worker alone"),
    "migrate": (_migrate, "migrate the database to the current schema and load the covenants"),
    "seed-demo": (_seed_demo, "prepare the database and add the demo parties and accounts"),
    "mail-sink": (_mail_sink, "the local SMTP sink and its web view alone"),
}


@click.group("redress", cls=Listed, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="debug logging")
def cli(verbose: bool) -> None:
    """Redress case-management engine. Configure with REDRESS_* variables."""
    from pydantic import ValidationError

    from core.logs import configure_logging
    from core.settings import get_settings

    try:
        configure_logging(get_settings(), verbose)  # text or JSON lines (REDRESS_LOG_FORMAT)
    except ValidationError:  # the command names the wrong setting; its log is plain text
        logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO)


def _processes_option(*names: str) -> click.Option:
    return click.Option(
        [*names, "api_processes"],
        type=click.IntRange(1, 64),
        metavar="N",
        help="serve the API with N processes (default: REDRESS_API_PROCESSES, else 1)",
    )


# The options of the commands that take some; each sets the setting of its name.
OPTIONS: dict[str, list[click.Parameter]] = {
    "run": [_processes_option("--api-processes")],
    "api": [_processes_option("--processes")],
}


def _service(
    name: str, command: Command, help_text: str, options: Sequence[click.Parameter] = ()
) -> click.Command:
    """A command that runs ``command`` until it ends; its errors are one line on stderr."""

    @click.pass_context
    def run(ctx: click.Context, /, **given: Any) -> int:
        try:
            settings = settings_from_environment()
            chosen = {key: value for key, value in given.items() if value is not None}
            if chosen:
                settings = settings.model_copy(update=chosen)
            outcome = command(settings)
            if outcome is not None:
                asyncio.run(outcome)
        except KeyboardInterrupt:
            return 130
        except (OSError, RuntimeError, ValueError) as exc:
            if ctx.find_root().params["verbose"]:
                raise
            print(f"redress {name}: error: {exc}", file=sys.stderr)
            return 1
        return 0

    return click.Command(
        name, callback=run, params=list(options), help=help_text, short_help=help_text
    )


for _name, (_command, _text) in COMMANDS.items():
    cli.add_command(_service(_name, _command, _text, OPTIONS.get(_name, ())))

# Replies by e-mail: the receiver (a part of the local stack too) and the IMAP fetcher.
for _name, (_command, _text) in receive_mail_command.COMMANDS.items():
    cli.add_command(_service(_name, _command, _text))


@cli.command(
    "import-locations",
    **described(
        "import production locations from a company's published supplier lists "
        "(re-importing updates, never duplicates)",
        "FILES: CSV or XLSX supplier lists",
    ),
)
@click.option("--covenant", required=True, help="covenant slug, e.g. garments-textile")
@click.option("--company", help="the company's id or name; the files are its one list")
@click.option(
    "--company-per-file",
    is_flag=True,
    help="each file is the list of a company named after the file",
)
@click.option("--encoding", help="text encoding of CSV files (guessed when not given), e.g. cp1254")
@click.option(
    "--confidential",
    is_flag=True,
    help="the list is shared with the secretariat only: never in public search nor shown "
    "to other companies; complaints naming its factories are routed to the company",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def _import_locations(company_per_file: bool, **params: Any) -> int:
    not_both("--company", "--company-per-file", params["company"] is not None and company_per_file)
    if params["company"] is None and not company_per_file:
        raise click.UsageError("one of the arguments --company --company-per-file is required")
    return tool(importing.import_locations, **params)


@cli.command(
    "notices",
    **described(
        "list the notices that could not be sent (--failed), or send them again (--retry)",
        "KEY: a parked notice to send again (with --retry)",
    ),
)
@click.option(
    "--failed",
    is_flag=True,
    help="list the notices given up on and the addresses refused (the default)",
)
@click.option("--all", "sent_again_too", is_flag=True, help="list those sent again too")
@click.option("--retry", is_flag=True, help="send these parked notices again")
@click.option("--retry-all", is_flag=True, help="send every parked notice again")
@click.argument("keys", nargs=-1, metavar="[KEY]...")
def _notices(
    failed: bool, sent_again_too: bool, retry: bool, retry_all: bool, keys: tuple[str, ...]
) -> int:
    not_both("--retry", "--retry-all", retry and retry_all)
    if retry != bool(keys):
        problem = f"unrecognized arguments: {' '.join(keys)}"
        raise click.UsageError(
            problem if keys else "argument --retry: expected at least one argument"
        )
    return tool(
        notices_command.notices_command,
        sent_again_too=sent_again_too,
        retry=keys,
        retry_all=retry_all,
    )


@cli.command(
    "reply-addresses",
    **described(
        "list a case's reply addresses (replies by e-mail), or revoke them (--revoke): a "
        "reply to a revoked one is refused, the next notice carries a new one",
        "REFERENCE: the case",
    ),
)
@click.option("--email", metavar="ADDRESS", help="only the addresses sent to this e-mail")
@click.option("--revoke", is_flag=True, help="revoke them")
@click.argument("reference")
def _reply_addresses(reference: str, email: str | None, revoke: bool) -> int:
    from redress import reply_addresses_command

    return tool(
        reply_addresses_command.reply_addresses_command,
        reference=reference,
        email=email,
        revoke=revoke,
    )


for _command in people_commands.COMMANDS:
    cli.add_command(_command)


@cli.command(
    "audit",
    **described(
        "verify that no row of the audit trail was edited or deleted",
        "ACTION: verify: check the hash chain",
    ),
)
@click.argument("action", type=click.Choice(["verify"]))
def _audit(action: str) -> int:
    return tool(audit_command.audit_command)


@cli.command(
    "keys",
    **described(
        "print a new key to rotate to (Temporal payloads and authenticator secrets)",
        "ACTION: rotate: print a new key to add",
    ),
)
@click.argument("action", type=click.Choice(["rotate"]))
def _keys(action: str) -> int:
    return tool(keys_command.keys_command)


@cli.command(
    "check-consistency",
    **described(
        "compare every case in the read model with its workflow (stage, status, deadlines, "
        "orders, last event): exits 0 when they agree, 1 on a difference, 2 when Temporal "
        "or the database cannot be reached",
        "A worker must be running: the workflows answer their state queries there.",
    ),
)
@click.option(
    "--reference", metavar="REF", help="check this case only (exits 2 when no part knows it)"
)
def _check_consistency(reference: str | None) -> int:
    from redress import consistency_command

    return tool(consistency_command.check_command, reference=reference)


@cli.command(
    "rebuild-read-model",
    **described(
        "write each case's workflow state into the read model again (what it derives from "
        "the workflows; see the README, Backups and recovery): exits 0 when it now agrees, "
        "1 when something could not be rebuilt, 2 when Temporal or the database cannot be "
        "reached",
        "With --dry-run: exits 0 when nothing would change, 1 when something would.",
    ),
)
@click.option(
    "--reference", metavar="REF", help="rebuild this case only (exits 2 when no part knows it)"
)
@click.option("--dry-run", is_flag=True, help="report what would change; write nothing")
def _rebuild_read_model(reference: str | None, dry_run: bool) -> int:
    from redress import consistency_command

    return tool(consistency_command.rebuild_command, reference=reference, dry_run=dry_run)


@cli.command(
    "retention",
    **described(
        "erase the complainants' contact details and delete the documents whose retention "
        "period is over (the worker does so daily); --dry-run shows what that would be",
        "Periods per covenant: contact_retention_days (default 365) and "
        "document_retention_years (default 7) after a case closes.",
    ),
)
@click.option("--dry-run", is_flag=True, help="count what is due; change nothing")
@click.option("--now", "now_", is_flag=True, help="erase and delete what is due now")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="with --dry-run: what would be due by this date",
)
def _retention(dry_run: bool, now_: bool, as_of: datetime | None) -> int:
    from redress import retention_command

    not_both("--dry-run", "--now", dry_run and now_)
    if not dry_run and not now_:
        raise click.UsageError("one of the arguments --dry-run --now is required")
    if as_of is not None and not dry_run:
        raise click.UsageError("argument --as-of: only with --dry-run")
    return tool(
        retention_command.retention_command,
        dry_run=dry_run,
        as_of=as_of.date() if as_of is not None else None,
    )


@cli.command(
    "report",
    **described(
        "write a covenant's annual report for a year (cases received and closed, outcomes, "
        "durations against targets, deadlines kept, remediation, findings, the committee's "
        "recommendations) as HTML and PDF",
    ),
)
@click.option("--covenant", required=True, metavar="SLUG", help="covenant slug")
@click.option("--year", required=True, type=click.IntRange(2000, 2100), help="the year")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="the directory to write the files into",
)
def _report(covenant: str, year: int, out: Path) -> int:
    from redress import report_command

    return tool(report_command.report_command, covenant=covenant, year=year, out=out)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``redress`` console script: the exit status."""
    args = list(argv) if argv is not None else None
    try:
        status = cli.main(args, prog_name="redress", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        return 130
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
