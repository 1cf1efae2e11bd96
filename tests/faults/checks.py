"""What "nothing lost, nothing twice" means, checked where it ends up: the mail sink's
received messages (counted per Message-ID) and the read model's events and outbox."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

from sqlalchemy import text

from notifications.mailbox import MailStore
from tests.faults.stack import FaultStack

Mail = tuple[str, str]  # (notice kind, recipient)


def _received(stack: FaultStack) -> Counter[str]:
    store = MailStore(Path(stack.settings.data_dir) / "mail")
    headers = BytesHeaderParser()
    counts: Counter[str] = Counter()
    for stored in store.ids():
        raw = store.raw(stored)
        if raw is not None:
            counts[str(headers.parsebytes(raw)["Message-ID"]).strip()] += 1
    return counts


async def received(stack: FaultStack) -> Counter[str]:
    """How many times the sink received each Message-ID.

    Read from the sink's own store (one file per message it accepted), not its JSON view,
    which lists only the newest 500: a soak sends thousands.
    """
    return await asyncio.to_thread(_received, stack)


@dataclass(frozen=True)
class CaseRecord:
    """One case as the read model holds it: events in order, and the mails it sent."""

    reference: str
    events: list[tuple[int, str]]  # (seq, type)
    last_seq: int
    mails: dict[str, Mail]  # Message-ID -> (kind, recipient) of mails marked sent
    unsent: int  # outbox rows not (yet) marked sent nor refused

    @property
    def event_types(self) -> Counter[str]:
        """How often each kind of event happened."""
        return Counter(kind for _, kind in self.events)

    @property
    def mail_kinds(self) -> Counter[Mail]:
        """How many mails of each kind went to each recipient."""
        return Counter(self.mails.values())


def _records(stack: FaultStack, references: list[str]) -> dict[str, CaseRecord]:
    with stack.engine.connect() as db:
        events = db.execute(
            text(
                "SELECT reference, seq, type FROM case_events WHERE reference = ANY(:refs) "
                "ORDER BY reference, seq"
            ),
            {"refs": references},
        ).all()
        last: dict[str, int] = {
            row.reference: row.last_seq
            for row in db.execute(
                text("SELECT reference, last_seq FROM cases WHERE reference = ANY(:refs)"),
                {"refs": references},
            )
        }
        outbox = db.execute(
            text(
                "SELECT reference, message_id, notice_key, recipient, sent_at, failed_at "
                "FROM outbox WHERE reference = ANY(:refs)"
            ),
            {"refs": references},
        ).all()
    records: dict[str, CaseRecord] = {}
    for reference in references:
        rows = [r for r in outbox if r.reference == reference]
        records[reference] = CaseRecord(
            reference=reference,
            events=[(e.seq, e.type) for e in events if e.reference == reference],
            last_seq=last.get(reference, 0),
            mails={
                r.message_id: (r.notice_key.split("/")[2], r.recipient)
                for r in rows
                if r.sent_at is not None
            },
            unsent=sum(1 for r in rows if r.sent_at is None and r.failed_at is None),
        )
    return records


async def records(stack: FaultStack, references: list[str]) -> dict[str, CaseRecord]:
    """The read model's record of each case."""
    return await asyncio.to_thread(_records, stack, references)


def assert_whole(record: CaseRecord) -> None:
    """Every step projected once: sequence numbers 1..last_seq, none missing, none twice."""
    seqs = [seq for seq, _ in record.events]
    assert len(seqs) == len(set(seqs)), f"{record.reference}: an event twice: {record.events}"
    assert seqs == list(range(1, record.last_seq + 1)), (
        f"{record.reference}: events {seqs} for last_seq {record.last_seq}"
    )
    assert record.unsent == 0, f"{record.reference}: {record.unsent} mail(s) never sent"


def assert_delivered_once(record: CaseRecord, sink: Counter[str]) -> None:
    """Every mail the outbox says was sent arrived at the sink exactly once."""
    counts = {mid: sink[mid] for mid in record.mails}
    wrong = {mid: n for mid, n in counts.items() if n != 1}
    assert not wrong, f"{record.reference}: mails received other than once: {wrong}"


def assert_like(record: CaseRecord, expected: CaseRecord) -> None:
    """The same events and the same mails to the same people as the case run without faults."""
    assert record.event_types == expected.event_types, (
        f"{record.reference}: events {sorted(record.event_types.items())}, expected "
        f"{sorted(expected.event_types.items())}"
    )
    assert record.mail_kinds == expected.mail_kinds, (
        f"{record.reference}: mails {sorted(record.mail_kinds.items())}, expected "
        f"{sorted(expected.mail_kinds.items())}"
    )


def assert_only_these_once(
    before: Counter[str], after: Counter[str], cases: Iterable[CaseRecord]
) -> None:
    """Since ``before``, the sink received exactly the mails these cases sent, each once:
    nothing twice, nothing that no outbox row accounts for."""
    new = after - before
    twice = {mid: n for mid, n in new.items() if n > 1}
    assert not twice, f"delivered more than once: {twice}"
    sent = {mid for case in cases for mid in case.mails}
    stray, missing = set(new) - sent, sent - set(new)
    assert not stray and not missing, (
        f"received but not sent: {stray}; sent, not received: {missing}"
    )


def _parked(stack: FaultStack, reference: str) -> int:
    with stack.engine.connect() as db:
        return int(
            db.execute(
                text("SELECT count(*) FROM notices_parked WHERE reference = :r"), {"r": reference}
            ).scalar_one()
        )


async def parked_count(stack: FaultStack, reference: str) -> int:
    """How many of the case's notices were given up on and parked for staff."""
    return await asyncio.to_thread(_parked, stack, reference)
