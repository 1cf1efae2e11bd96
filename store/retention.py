"""Retention's writes in the read model: erasing a complainant's contact details, deleting
a document (and its stored bytes), the note a case's history gets for each, and the sweep
that does them; what is due, and each covenant's policy, is ``store.retention_due``.

A closed case has no running workflow (its next run starts from the snapshot stored here,
``services/engine.py:reopen_run``), so a note is written here: its sequence number is taken
from the case row, whose ``last_seq`` and snapshot move on with it, so that a reopened case
numbers its next event after the note. The row's ``last_seq`` is checked as it is
written: a sweep that lost a race to another one (or to a reopening) writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, func, update
from sqlmodel import Session, col

from domain.cases import CaseState, Event, RetentionNote
from store import audit
from store.documents import content_in_use
from store.draft_retention import erase_drafts
from store.reply_addresses import forget_address
from store.retention_due import (
    CONTACT_FIELDS,
    Policy,
    contacts_due,
    documents_due,
    identity_values,
    policies,
)
from store.sms import forget_number
from store.tables import CaseEvent, CaseRow, Complainant, Document, Outbox

# Called in the erasure's transaction with the case and the values about to be erased: the
# register's published summary is redacted at read time against the complainants' rows,
# which will no longer hold them (services/retention.py:scrub_register bakes it in).
Scrub = Callable[[Session, str, list[str]], None]


class NoteRaced(Exception):
    """The case changed while the note was being written: nothing was; try again later."""


def erase_contact(*, session: Session, complainant: Complainant, pseudonym: str) -> list[str]:
    """Blank the complainant's contact details (the name becomes the pseudonym), the address
    on the case's outbox rows and the number on its texts; the names of the fields that held
    something."""
    erased = [name for name in CONTACT_FIELDS[1:] if getattr(complainant, name) is not None]
    if complainant.name != pseudonym:
        erased.insert(0, "name")
    if complainant.email:
        session.execute(
            update(Outbox)
            .where(col(Outbox.reference) == complainant.reference)
            .where(func.lower(col(Outbox.recipient)) == complainant.email.lower())
            .values(recipient="")
        )
        forget_address(
            session=session,
            reference=complainant.reference,
            email=complainant.email,
            now=datetime.now(UTC),
        )
    forget_number(  # also the texts to a number it replaced since
        session=session,
        reference=complainant.reference,
        phone=complainant.phone,
        complainant=complainant.number,
    )
    for name in CONTACT_FIELDS[1:]:
        setattr(complainant, name, None)
    complainant.name = pseudonym
    session.add(complainant)
    return erased


def drop_unused_content(*, session: Session, document: Document, data_dir: Path) -> bool:
    """Remove a deleted document's stored bytes unless another document names the same
    content; True when a file was removed."""
    if content_in_use(session=session, sha256=document.sha256):
        return False
    path = data_dir / document.storage_path
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def add_note(
    *, session: Session, reference: str, at: datetime, note: Callable[[RetentionNote], Event]
) -> int:
    """Add a note (``domain.cases.RetentionNote``) to the closed case's history at its next
    sequence number; that number. Raises ``NoteRaced`` when the case moved on meanwhile."""
    row = session.get(CaseRow, reference)
    if row is None:
        raise NoteRaced(reference)
    state = CaseState.model_validate_json(row.snapshot)
    seq = max(row.last_seq, state.last_seq) + 1
    state.seq = seq
    moved = session.execute(
        update(CaseRow)
        .where(col(CaseRow.reference) == reference)
        .where(col(CaseRow.last_seq) == row.last_seq)
        .values(last_seq=seq, snapshot=state.model_dump_json(exclude={"events", "documents"}))
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise NoteRaced(reference)
    event = note(RetentionNote(seq, at))
    session.add(
        CaseEvent(
            reference=reference,
            seq=event.seq,
            at=event.at,
            type=event.type,
            summary=event.summary,
            visibility=event.visibility.value,
        )
    )
    session.flush()
    session.expire(row)
    return seq


# The trail names the sweep as this "person" (store/audit.py).
SWEEPER = audit.Who("retention", "system")


@dataclass
class Swept:
    """What one sweep did (or, dry, would do)."""

    contacts: int = 0  # complainants whose details were erased
    documents: int = 0  # document rows deleted
    files: int = 0  # stored files removed
    notes: int = 0  # notes added to cases' histories
    raced: int = 0  # cases left for the next sweep: they changed meanwhile
    drafts: int = 0  # e-mailed complaints, filed or discarded, whose sender was erased
    more: bool = False  # a batch was full: sweep again
    references: list[str] = field(default_factory=list)  # the cases it touched

    def touched(self, reference: str) -> None:
        """Name a case among those this sweep touched (once)."""
        if reference not in self.references:
            self.references.append(reference)

    def add(self, other: Swept) -> None:
        """Count another sweep's work into this one."""
        self.contacts += other.contacts
        self.documents += other.documents
        self.files += other.files
        self.notes += other.notes
        self.raced += other.raced
        self.drafts += other.drafts
        self.more = other.more
        for reference in other.references:
            self.touched(reference)


def sweep(
    engine: Engine,
    *,
    now: datetime,
    data_dir: Path,
    limit: int = 200,
    dry: bool = False,
    scrub: Scrub | None = None,
) -> Swept:
    """Erase the contact details (of cases and of e-mailed drafts filed or discarded) and
    delete the documents whose time is up, up to ``limit``
    of each per covenant, each logged in the audit trail before it is done (a sweep cut
    short logs it again next time); ``dry`` only counts. Safe to run twice or at once."""
    swept = Swept()
    with Session(engine) as session:
        plans = policies(session=session)
    for policy in plans:
        _contacts(engine, policy, now, limit, dry, swept, scrub)
        _documents(engine, policy, now, data_dir, limit, dry, swept)
        drafts, full = erase_drafts(engine, policy, now, limit=limit, dry=dry, who=SWEEPER)
        swept.drafts += drafts
        swept.more = swept.more or full
    return swept


def _by_case(references: list[str]) -> list[str]:
    return list(dict.fromkeys(references))


def _contacts(
    engine: Engine,
    policy: Policy,
    now: datetime,
    limit: int,
    dry: bool,
    swept: Swept,
    scrub: Scrub | None,
) -> None:
    cutoff = policy.contacts_cutoff(now)
    with Session(engine) as session:
        due = contacts_due(session=session, covenant=policy.covenant, cutoff=cutoff, limit=limit)
        planned = [(row.reference, row.number) for row, _ in due]
    swept.more = swept.more or len(due) == limit
    for reference in _by_case([ref for ref, _ in planned]):
        numbers = [number for ref, number in planned if ref == reference]
        swept.touched(reference)
        if dry:
            swept.contacts += len(numbers)
            continue
        for number in numbers:
            audit.append(
                engine,
                reference=reference,
                who=SWEEPER,
                action="contact_erased",
                detail={"complainant": number, "after_days": policy.contact_days},
            )
        try:
            with Session(engine) as session, session.begin():
                rows = contacts_due(
                    session=session,
                    covenant=policy.covenant,
                    cutoff=cutoff,
                    limit=limit,
                    reference=reference,
                )
                if rows and scrub is not None:
                    scrub(session, reference, [v for row, _ in rows for v in identity_values(row)])
                for row, pseudonym in rows:
                    erase_contact(session=session, complainant=row, pseudonym=pseudonym)
                if rows:
                    add_note(
                        session=session,
                        reference=reference,
                        at=now,
                        note=lambda n: n.contact_erased(policy.contact_days),
                    )
                    swept.contacts += len(rows)
                    swept.notes += 1
        except NoteRaced:
            swept.raced += 1


def _documents(
    engine: Engine,
    policy: Policy,
    now: datetime,
    data_dir: Path,
    limit: int,
    dry: bool,
    swept: Swept,
) -> None:
    cutoff = policy.documents_cutoff(now)
    with Session(engine) as session:
        due = documents_due(session=session, covenant=policy.covenant, cutoff=cutoff, limit=limit)
        session.expunge_all()
    swept.more = swept.more or len(due) == limit
    for reference in _by_case([d.reference for d in due]):
        documents = [d for d in due if d.reference == reference]
        swept.touched(reference)
        if dry:
            swept.documents += len(documents)
            continue
        for document in documents:
            audit.append(
                engine,
                reference=reference,
                who=SWEEPER,
                action="document_deleted",
                detail={
                    "document": document.id,
                    "sha256": document.sha256,
                    "size": document.size,
                    "uploaded_at": document.uploaded_at.isoformat(),
                    "after_years": policy.document_years,
                },
            )
        try:
            with Session(engine) as session, session.begin():
                ids = [d.id for d in documents]
                rows = [
                    d
                    for d in documents_due(
                        session=session,
                        covenant=policy.covenant,
                        cutoff=cutoff,
                        limit=limit,
                        reference=reference,
                    )
                    if d.id in ids
                ]
                for row in rows:
                    session.delete(row)
                session.flush()
                if rows:
                    add_note(
                        session=session,
                        reference=reference,
                        at=now,
                        note=partial(
                            RetentionNote.documents_deleted,
                            count=len(rows),
                            years=policy.document_years,
                        ),
                    )
                    swept.documents += len(rows)
                    swept.notes += 1
        except NoteRaced:
            swept.raced += 1
            continue
        # The bytes go once their rows are gone for good: a failed commit leaves both.
        with Session(engine) as session:
            for document in documents:
                if drop_unused_content(session=session, document=document, data_dir=data_dir):
                    swept.files += 1
