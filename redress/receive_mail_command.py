"""``redress receive-mail`` (the inbound SMTP server, the production choice) and ``redress
fetch-mail`` (poll an IMAP mailbox instead): replies to notices land on their cases."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from core.lifecycle import run_until_signal, wait_for_signal

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger("redress.inbound_mail")

NO_DOMAIN = (
    "REDRESS_REPLY_DOMAIN is not set: notices carry no reply address, so there is no mail to "
    "receive (set it to the domain whose mail reaches this receiver)"
)


async def receive_mail(settings: Settings) -> None:
    """Receive the reply domain's mail over SMTP until SIGINT/SIGTERM."""
    from core.temporal_client import connect
    from redress.mail_receiver import MailReceiver, handler_for
    from store.db import engine_from_settings

    settings.refuse_unsafe()
    if not settings.reply_domain:
        raise RuntimeError(NO_DOMAIN)
    engine = engine_from_settings(settings)
    client = await connect(settings)
    receiver = MailReceiver(
        handler_for(engine, client, settings),
        settings,
        host=settings.inbound_smtp_host,
        port=settings.inbound_smtp_port,
    )
    await receiver.start()
    log.info(
        "receiving mail for reply+…@%s on SMTP %s:%d (at most %d bytes a message)",
        settings.reply_domain,
        receiver.host,
        receiver.port,
        settings.inbound_max_bytes,
    )
    try:
        await wait_for_signal()
    finally:
        await receiver.stop()
        engine.dispose()


async def fetch_mail(settings: Settings) -> None:
    """Poll the IMAP mailbox of ``REDRESS_IMAP_*`` until SIGINT/SIGTERM."""
    from core.temporal_client import connect
    from redress.imap_fetcher import ImapFetcher
    from redress.mail_receiver import handler_for
    from store.db import engine_from_settings

    settings.refuse_unsafe()
    if not settings.reply_domain:
        raise RuntimeError(NO_DOMAIN)
    if not settings.imap_host or not settings.imap_username:
        raise RuntimeError("set REDRESS_IMAP_HOST and REDRESS_IMAP_USERNAME (and the password)")
    engine = engine_from_settings(settings)
    client = await connect(settings)
    log.info(
        "fetching mail for reply+…@%s from %s:%d, folder %s, every %d s",
        settings.reply_domain,
        settings.imap_host,
        settings.imap_port,
        settings.imap_folder,
        settings.imap_poll_seconds,
    )
    try:
        await run_until_signal(ImapFetcher(settings, handler_for(engine, client, settings)).run())
    finally:
        engine.dispose()


COMMANDS: dict[str, tuple[Callable[[Settings], Coroutine[Any, Any, None]], str]] = {
    "receive-mail": (
        receive_mail,
        "receive replies to notices over SMTP (REDRESS_INBOUND_SMTP_HOST/PORT)",
    ),
    "fetch-mail": (
        fetch_mail,
        "fetch replies to notices from an IMAP mailbox (REDRESS_IMAP_*) instead",
    ),
}
