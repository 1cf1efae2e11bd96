"""``redress fetch-mail``: unseen messages of a mailbox go through the same processing as
SMTP deliveries; handled ones are marked seen or moved, one to try again stays unseen."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from typing import Any

import pytest

from core.reply_tokens import new_token_id, reply_address
from core.settings import Settings
from redress.imap_fetcher import BATCH, ImapFetcher, Mailbox, recipient_of
from services.inbound_mail import Handled, Outcome

SETTINGS = Settings(reply_domain="reply.redress.test", secret_key="imap-tests-secret-0123456789")


class FakeMailbox:
    """An IMAP mailbox as ``imaplib`` answers: uids, flags, folders; MOVE optional."""

    def __init__(self, messages: dict[bytes, bytes], *, has_move: bool = True) -> None:
        self.messages = dict(messages)
        self.flags: dict[bytes, set[str]] = {uid: set() for uid in messages}
        self.folders: dict[str, list[bytes]] = {}
        self.has_move = has_move
        self.logged_out = False

    def select(self, mailbox: str = "INBOX", readonly: bool = False) -> tuple[str, list[Any]]:
        return ("OK", [str(len(self.messages)).encode()])

    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]:
        if command == "SEARCH":
            assert args == ("UNSEEN",)
            unseen = [u for u in self.messages if "\\Seen" not in self.flags[u]]
            return ("OK", [b" ".join(unseen)])
        uid = args[0]
        if command == "FETCH":
            assert args[1] == "(BODY.PEEK[])"  # fetching must not mark it seen
            return ("OK", [(uid + b" (UID " + uid + b" BODY[] {1}", self.messages[uid]), b")"])
        if command == "STORE":
            self.flags[uid] |= set(args[2].strip("()").split())
            return ("OK", [])
        if command in ("MOVE", "COPY"):
            if command == "MOVE" and not self.has_move:
                return ("NO", [b"MOVE not supported"])
            self.folders.setdefault(args[1], []).append(uid)
            if command == "MOVE":
                del self.messages[uid]
            return ("OK", [])
        if command == "EXPUNGE":
            if "\\Deleted" in self.flags[uid]:
                del self.messages[uid]
            return ("OK", [])
        raise AssertionError(command)

    def logout(self) -> tuple[str, list[Any]]:
        self.logged_out = True
        return ("BYE", [])


def mail(*, to: str, delivered_to: str | None = None, text: str = "Hello.") -> bytes:
    message = EmailMessage()
    message["From"] = "eva@noorderlicht.example"
    message["To"] = to
    if delivered_to:
        message["Delivered-To"] = delivered_to
    message["Subject"] = "Re: Case GT-2026-0001"
    message.set_content(text)
    return message.as_bytes()


def test_the_recipient_is_the_reply_address_among_the_headers() -> None:
    address = reply_address(SETTINGS, new_token_id())
    assert recipient_of(mail(to="team@company.example", delivered_to=address), SETTINGS) == address
    assert recipient_of(mail(to=f"Redress <{address}>"), SETTINGS) == address
    assert recipient_of(mail(to="someone@reply.redress.test"), SETTINGS) is None
    local, domain = address.split("@")
    forged = f"{local[:-1]}{'b' if local.endswith('a') else 'a'}@{domain}"
    assert recipient_of(mail(to=forged), SETTINGS) is None


async def test_handled_messages_are_marked_seen_and_one_to_retry_stays_unseen() -> None:
    posted, retry = (reply_address(SETTINGS, new_token_id()) for _ in range(2))
    box = FakeMailbox(
        {
            b"1": mail(to=posted),
            b"2": mail(to=retry),
            b"3": mail(to="nobody@elsewhere.example"),
        }
    )
    seen: list[str] = []

    async def handle(raw: bytes, recipient: str) -> Handled:
        seen.append(recipient)
        return Handled(Outcome.RETRY if recipient == retry else Outcome.POSTED)

    fetcher = ImapFetcher(SETTINGS, handle, connector=lambda _: box)
    counts = await fetcher.poll_once()
    assert counts[Outcome.POSTED] == 1 and counts[Outcome.RETRY] == 1
    assert counts[Outcome.REFUSED] == 1  # no reply address: refused, not handed over
    assert seen == [posted, retry]
    assert box.flags == {b"1": {"\\Seen"}, b"2": set(), b"3": {"\\Seen"}}
    assert box.logged_out

    # The next poll hands over only the one left unseen.
    seen.clear()
    await fetcher.poll_once()
    assert seen == [retry]


async def test_a_failure_while_handling_leaves_the_message_for_the_next_poll() -> None:
    address = reply_address(SETTINGS, new_token_id())
    box = FakeMailbox({b"7": mail(to=address)})

    async def handle(raw: bytes, recipient: str) -> Handled:
        raise ConnectionError("the database is away")

    counts = await ImapFetcher(SETTINGS, handle, connector=lambda _: box).poll_once()
    assert counts[Outcome.RETRY] == 1 and box.flags[b"7"] == set()


async def test_handled_messages_are_moved_to_the_done_folder() -> None:
    settings = SETTINGS.model_copy(update={"imap_done_folder": "Redress/done"})
    for has_move in (True, False):
        address = reply_address(settings, new_token_id())
        box = FakeMailbox({b"4": mail(to=address)}, has_move=has_move)

        async def handle(raw: bytes, recipient: str) -> Handled:
            return Handled(Outcome.IGNORED)

        connect = _connector(box)
        await ImapFetcher(settings, handle, connector=connect).poll_once()
        assert box.folders == {"Redress/done": [b"4"]}
        assert box.messages == {}  # moved, or copied then deleted and expunged


async def test_messages_that_always_fail_are_given_up_and_hold_back_no_newer_mail(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = SETTINGS.model_copy(update={"imap_max_attempts": 3})
    broken = reply_address(settings, new_token_id())
    good = reply_address(settings, new_token_id())
    # A whole batch of messages whose handling raises, and a newer one behind them.
    bad_uids = [str(n).encode() for n in range(1, BATCH + 1)]
    newer = str(BATCH + 1).encode()
    box = FakeMailbox({**{uid: mail(to=broken) for uid in bad_uids}, newer: mail(to=good)})
    handed: list[str] = []

    async def handle(raw: bytes, recipient: str) -> Handled:
        handed.append(recipient)
        if recipient == broken:
            raise ValueError("this message always breaks the handling")
        return Handled(Outcome.POSTED)

    fetcher = ImapFetcher(settings, handle, connector=lambda _: box)
    for _ in range(2):  # below the limit: left unseen, tried again
        counts = await fetcher.poll_once()
        assert counts[Outcome.RETRY] == BATCH and good not in handed
        assert all(box.flags[uid] == set() for uid in bad_uids)
    caplog.set_level(logging.ERROR, logger="redress.inbound_mail")
    counts = await fetcher.poll_once()  # the third failure: given up, marked seen
    assert counts[Outcome.REFUSED] == BATCH
    assert all(box.flags[uid] == {"\\Seen"} for uid in bad_uids)
    assert fetcher.failures == {}
    assert sum("refused: uid" in r.getMessage() for r in caplog.records) == BATCH
    handed.clear()
    counts = await fetcher.poll_once()  # the newer message gets through at last
    assert handed == [good] and counts[Outcome.POSTED] == 1
    assert box.flags[newer] == {"\\Seen"}


class FlakyMailbox(FakeMailbox):
    """A server that will not give one message's content."""

    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]:
        if command == "FETCH" and args[0] == b"9":
            return ("NO", [None])
        return super().uid(command, *args)


async def test_a_given_up_message_goes_to_the_failed_folder() -> None:
    settings = SETTINGS.model_copy(
        update={"imap_max_attempts": 2, "imap_failed_folder": "Redress/failed"}
    )
    address = reply_address(settings, new_token_id())
    box = FlakyMailbox({b"8": mail(to=address), b"9": mail(to=address)})
    calls = 0

    async def handle(raw: bytes, recipient: str) -> Handled:
        nonlocal calls
        calls += 1
        raise RuntimeError("always")

    fetcher = ImapFetcher(settings, handle, connector=_connector(box))
    first = await fetcher.poll_once()
    assert first[Outcome.RETRY] == 2 and box.folders == {}
    assert fetcher.failures == {b"8": 1, b"9": 1}  # the unfetchable one counts too
    second = await fetcher.poll_once()
    assert second[Outcome.REFUSED] == 2
    assert box.folders == {"Redress/failed": [b"8", b"9"]} and box.messages == {}
    assert calls == 2  # the unfetchable one was never handed over


async def test_try_again_is_no_failure_and_a_success_ends_the_count() -> None:
    settings = SETTINGS.model_copy(update={"imap_max_attempts": 2})
    address = reply_address(settings, new_token_id())
    box = FakeMailbox({b"5": mail(to=address)})
    answers: list[Exception | Handled] = [
        OSError("away"),
        Handled(Outcome.RETRY),
        Handled(Outcome.POSTED),
    ]

    async def handle(raw: bytes, recipient: str) -> Handled:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    fetcher = ImapFetcher(settings, handle, connector=_connector(box))
    await fetcher.poll_once()
    assert fetcher.failures == {b"5": 1}
    await fetcher.poll_once()  # "try again" is no failure: still one, still unseen
    assert fetcher.failures == {b"5": 1} and box.flags[b"5"] == set()
    await fetcher.poll_once()
    assert fetcher.failures == {} and box.flags[b"5"] == {"\\Seen"}


def _connector(box: FakeMailbox) -> Any:
    def connect(settings: Settings) -> Mailbox:
        return box

    return connect
