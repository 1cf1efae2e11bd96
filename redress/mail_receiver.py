"""The inbound SMTP server (``redress receive-mail``): mail for the reply domain, handed to
``services.inbound_mail``. It answers as a final mail server does: 550 at RCPT for an address
that is not one of ours or whose token is forged, 552 over the size limit, and after DATA
250 (posted or ignored), 550 (refused: nothing posted) or 451 (the engine did not answer:
the sending server tries again later, and the redelivery posts once)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from temporalio.client import Client

from core.settings import Settings
from services.inbound_mail import Handled, Outcome, receive, recipient_refusal
from services.throttling import Throttle

log = logging.getLogger("redress.inbound_mail")

Handle = Callable[[bytes, str], Awaitable[Handled]]

ACCEPTED = "250 2.0.0 OK"
NO_MAILBOX = "550 5.1.1 No such mailbox here"
REFUSED = "550 5.7.1 Not accepted"
LATER = "451 4.3.0 Not taken now; try again later"


def handler_for(engine: Engine, client: Client, settings: Settings) -> Handle:
    """What each received message goes through: one session per message and recipient."""
    throttle = Throttle(engine)

    async def handle(raw: bytes, recipient: str) -> Handled:
        with Session(engine) as session:
            return await receive(
                raw,
                recipient=recipient,
                session=session,
                client=client,
                settings=settings,
                throttle=throttle,
            )

    return handle


def smtp_answer(handled: list[Handled]) -> str:
    """One answer for a message to several recipients: try again if any must be tried again
    (the others answer a redelivery alike), refused when all were refused (saying why when
    the sender may be told), else accepted."""
    outcomes = [h.outcome for h in handled]
    if Outcome.RETRY in outcomes:
        return LATER
    if outcomes and all(o is Outcome.REFUSED for o in outcomes):
        told = next((h.told for h in handled if h.told), "")
        return f"{REFUSED}: {told}" if told else REFUSED
    return ACCEPTED


class InboundHandler:
    """aiosmtpd handler: checks recipients at RCPT, hands each message over after DATA."""

    def __init__(self, handle: Handle, settings: Settings) -> None:
        self.handle = handle
        self.settings = settings

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Accept the reply domain's reply and intake addresses; refuse the rest (550)."""
        reason = recipient_refusal(self.settings, address)
        if reason is not None:
            log.warning("recipient refused at RCPT: %s", reason)  # the address may be personal
            return NO_MAILBOX
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Hand the message over for each recipient; one SMTP answer for all."""
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        handled: list[Handled] = []
        for recipient in envelope.rcpt_tos:
            try:
                handled.append(await self.handle(content, recipient))
            except Exception as error:  # never a traceback to the sender; no content logged
                log.error("inbound message not handled: %s", type(error).__name__)
                handled.append(Handled(Outcome.RETRY))
        return smtp_answer(handled)


class MailReceiver:
    """The SMTP server in the running event loop (port 0 picks a free one)."""

    def __init__(self, handle: Handle, settings: Settings, *, host: str, port: int) -> None:
        self.handler = InboundHandler(handle, settings)
        self.settings = settings
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen; ``port`` is the one bound afterwards."""
        from aiosmtpd.smtp import SMTP

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        loop = asyncio.get_running_loop()
        limit = self.settings.inbound_max_bytes
        try:
            self._server = await loop.create_server(
                lambda: SMTP(
                    self.handler,
                    hostname=self.settings.reply_domain or "redress.localhost",
                    data_size_limit=limit,
                    enable_SMTPUTF8=True,
                    loop=loop,
                ),
                host=self.host,
                port=self.port,
            )
        except OSError as exc:
            raise RuntimeError(f"cannot listen on {self.host}:{self.port}: {exc}") from exc
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Close the server (connections under way are cut)."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None
