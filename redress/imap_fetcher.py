"""``redress fetch-mail``: for a deployment whose reply domain's mail is delivered to a
mailbox elsewhere (a hosted mail service), poll that mailbox over IMAP and hand each unseen
message to the same processing as the SMTP receiver. A message handled (posted, ignored or
refused) is marked seen, or moved to ``REDRESS_IMAP_DONE_FOLDER``; one the engine did not
take (try again) stays unseen for the next poll, whose redelivery posts once.

A message whose handling raises (or that cannot be fetched) stays unseen too, but its
failures are counted per UID (in memory: a restarted fetcher counts afresh); after
``REDRESS_IMAP_MAX_ATTEMPTS`` it is given up, with a logged refusal naming its UID only:
moved to ``REDRESS_IMAP_FAILED_FOLDER``, or marked seen when none is set. So messages that
always fail cannot fill every batch and hold back newer mail for good. A "try again"
outcome (the engine away, the intake over its limit) is not a failure and is not counted.

The standard library's ``imaplib`` in a thread: a poll a minute needs no async client.
"""

from __future__ import annotations

import asyncio
import imaplib
import logging
import ssl
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any, Protocol

from core.settings import Settings
from redress.mail_receiver import Handle
from services.inbound_mail import Outcome, recipient_refusal

log = logging.getLogger("redress.inbound_mail")

BATCH = 50  # messages per poll at most: a backlog is worked through poll by poll
# Headers naming who a message was delivered to, most telling first: a mailbox that
# receives the whole reply domain (a catch-all) keeps the envelope recipient in one of
# these; To and Cc come last.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


class Mailbox(Protocol):
    """The part of ``imaplib.IMAP4`` the fetcher uses."""

    def select(self, mailbox: str = ..., readonly: bool = ...) -> tuple[str, list[Any]]: ...

    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]: ...

    def logout(self) -> tuple[str, list[Any]]: ...


def connect(settings: Settings) -> Mailbox:
    """Log in to the settings' mailbox: TLS on port 993, STARTTLS on any other (plain only
    in local mode)."""
    context = ssl.create_default_context()
    client: imaplib.IMAP4
    if settings.imap_port == 993:
        client = imaplib.IMAP4_SSL(
            settings.imap_host, settings.imap_port, ssl_context=context, timeout=30
        )
    else:
        client = imaplib.IMAP4(settings.imap_host, settings.imap_port, timeout=30)
        if not settings.local_mode:
            client.starttls(context)
    client.login(settings.imap_username, settings.imap_password or "")
    return client


def recipient_of(raw: bytes, settings: Settings) -> str | None:
    """The reply domain's address a fetched message was sent to, from its headers."""
    headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    for name in RECIPIENT_HEADERS:
        values = [str(v) for v in headers.get_all(name, [])]
        for _, address in getaddresses(values):
            if address and recipient_refusal(settings, address) is None:
                return address
    return None


def _unseen(mailbox: Mailbox, folder: str) -> list[tuple[bytes, bytes | None]]:
    """Up to ``BATCH`` unseen messages of the folder as (uid, bytes; None when the server
    did not give them), left unseen."""
    status, _ = mailbox.select(folder)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot select the folder {folder!r}")
    status, found = mailbox.uid("SEARCH", "UNSEEN")
    uids = found[0].split() if status == "OK" and found and found[0] else []
    messages: list[tuple[bytes, bytes | None]] = []
    for uid in uids[:BATCH]:
        status, data = mailbox.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = next((item[1] for item in data or [] if isinstance(item, tuple)), None)
        messages.append((uid, raw if status == "OK" and isinstance(raw, bytes) else None))
    return messages


def _done(mailbox: Mailbox, uid: bytes, done_folder: str) -> None:
    """Mark the message handled: seen, or moved to the done folder."""
    if not done_folder:
        mailbox.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        return
    status, _ = mailbox.uid("MOVE", uid, done_folder)
    if status != "OK":  # a server without MOVE (RFC 6851): copy, then delete
        mailbox.uid("COPY", uid, done_folder)
        mailbox.uid("STORE", uid, "+FLAGS", "(\\Seen \\Deleted)")
        mailbox.uid("EXPUNGE", uid)


class ImapFetcher:
    """Polls one mailbox; each message goes through ``handle`` like an SMTP delivery."""

    def __init__(
        self,
        settings: Settings,
        handle: Handle,
        connector: Callable[[Settings], Mailbox] = connect,
    ) -> None:
        self.settings = settings
        self.handle = handle
        self.connector = connector
        self.failures: dict[bytes, int] = {}  # failed attempts per UID, until given up

    async def poll_once(self) -> dict[Outcome, int]:
        """Handle the unseen messages once; how many came to each outcome."""
        counts = dict.fromkeys(Outcome, 0)
        mailbox = await asyncio.to_thread(self.connector, self.settings)
        try:
            batch = await asyncio.to_thread(_unseen, mailbox, self.settings.imap_folder)
            for uid, raw in batch:
                outcome = await self._handle(raw) if raw is not None else None
                if outcome is None:  # raised, or not fetched: counted, given up after N
                    outcome = await asyncio.to_thread(self._failed, mailbox, uid)
                elif outcome is not Outcome.RETRY:
                    self.failures.pop(uid, None)
                    await asyncio.to_thread(_done, mailbox, uid, self.settings.imap_done_folder)
                counts[outcome] += 1
        finally:
            await asyncio.to_thread(mailbox.logout)
        return counts

    async def _handle(self, raw: bytes) -> Outcome | None:
        """The message's outcome; None when handling it raised."""
        try:
            recipient = recipient_of(raw, self.settings)
            if recipient is None:
                log.warning(
                    "fetched message refused: no reply or intake address among its recipients"
                )
                return Outcome.REFUSED
            return (await self.handle(raw, recipient)).outcome
        except Exception as error:  # left unseen: the next poll tries again
            log.error("fetched message not handled: %s", type(error).__name__)
            return None

    def _failed(self, mailbox: Mailbox, uid: bytes) -> Outcome:
        """Count a failed attempt at the message (blocking): left unseen to try again, or,
        at ``imap_max_attempts``, given up (moved to the failed folder, else marked seen)."""
        attempts = self.failures.get(uid, 0) + 1
        if attempts < self.settings.imap_max_attempts:
            self.failures[uid] = attempts
            return Outcome.RETRY
        self.failures.pop(uid, None)
        folder = self.settings.imap_failed_folder
        log.error(
            "fetched message refused: uid %s failed %d times; %s",
            uid.decode(errors="replace"),
            attempts,
            f"moved to {folder}" if folder else "marked seen",
        )
        _done(mailbox, uid, folder)
        return Outcome.REFUSED

    async def run(self) -> None:
        """Poll every ``REDRESS_IMAP_POLL_SECONDS`` until cancelled; a failed poll (the
        server away, a refused login) is logged and tried again at the next."""
        while True:
            try:
                counts = await self.poll_once()
                if any(counts.values()):
                    log.info("mailbox polled: %s", {k.value: v for k, v in counts.items() if v})
            except (OSError, imaplib.IMAP4.error) as error:
                log.warning("mailbox poll failed: %s: %s", type(error).__name__, error)
            await asyncio.sleep(self.settings.imap_poll_seconds)
