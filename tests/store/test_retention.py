"""Retention: contact details erased N days after closure, documents M years after, each
deletion in the audit trail, one note in the case's history however often the sweep runs."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from activities.records import RecordActivities
from domain.enums import CaseStatus, Outcome, Stage
from domain.procedure import Procedure
from services import register, statistics
from services.redaction import contains_any
from services.retention import run_retention
from store import audit, case_content, cases, retention, retention_due
from store.db import session_scope
from store.email_drafts import receipt_notice_key
from store.tables import Complainant, Document, EmailDraft, Outbox, ReplyAddress, SmsOutbox
from store.tables.register import RegisterEntry
from tests.factories import (
    Database,
    case_state,
    complainant,
    covenant,
    migrated,
    project_state,
)

NOW = datetime(2029, 6, 15, 3, 0, tzinfo=UTC)
DAYS = 365  # the shipped covenants set no figure: the default


def _closed_case(engine: Engine, reference: str, closed_at: datetime) -> None:
    state = case_state(reference, events=3, filed_at=closed_at - timedelta(days=200))
    state = state.model_copy(
        update={
            "stage": Stage.CLOSED,
            "status": CaseStatus.CLOSED,
            "outcome": Outcome.RESOLVED,
            "closed_at": closed_at,
        }
    )
    assert project_state(RecordActivities(engine), state)


def _open_case(engine: Engine, reference: str, now: datetime) -> None:
    state = case_state(reference, filed_at=now - timedelta(days=3000))
    assert project_state(RecordActivities(engine), state)


def _document(
    engine: Engine, data_dir: Path, reference: str, id_: str, content: bytes, now: datetime
) -> None:
    sha = hashlib.sha256(content).hexdigest()
    path = data_dir / "documents" / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with session_scope(engine) as session:
        session.add(
            Document(
                id=id_,
                reference=reference,
                filename=f"{id_}.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=sha,
                storage_path=f"documents/{sha}",
                visibility="parties",
                uploaded_by="secretariat",
                uploaded_at=now - timedelta(days=4000),
                recorded_at=now - timedelta(days=4000),
            )
        )


def _setup(engine: Engine, data_dir: Path, now: datetime = NOW) -> None:
    """Four cases and their complainants, outbox rows and documents, as of ``now``."""
    _closed_case(engine, "GT-2026-0001", now - timedelta(days=DAYS - 1))  # keeps its details
    _closed_case(engine, "GT-2026-0002", now - timedelta(days=DAYS + 1))  # loses them
    _open_case(engine, "GT-2026-0003", now)  # open for years: untouched
    _closed_case(engine, "GT-2026-0004", retention_due.years_before(now, 7) - timedelta(days=1))
    with session_scope(engine) as session:
        for ref in ("GT-2026-0001", "GT-2026-0002", "GT-2026-0003", "GT-2026-0004"):
            session.add(complainant(ref))
        merged = complainant("GT-2026-0002", email="second@private.example")
        merged.number, merged.merged_from, merged.pseudonym = 2, "GT-2026-0009", "Complainant Q"
        session.add(merged)
        for n, recipient in enumerate(
            ["rahima.akter@mail.example", "company@noorderlicht.example"]
        ):
            session.add(
                Outbox(
                    message_id=f"<m{n}@redress>",
                    reference="GT-2026-0002",
                    notice_key=f"k{n}",
                    recipient=recipient,
                    subject="Receipt",
                    language="en",
                    created_at=now - timedelta(days=900),
                )
            )
        for n, ref in enumerate(("GT-2026-0001", "GT-2026-0002")):  # each one's reply address
            session.add(
                ReplyAddress(
                    id=f"token{n}",
                    reference=ref,
                    complainant=1,
                    role="complainant",
                    side="complainant",
                    email="rahima.akter@mail.example",
                    created_at=now - timedelta(days=900),
                )
            )
        for ref in ("GT-2026-0001", "GT-2026-0002"):  # a text each case's complainant got
            session.add(
                SmsOutbox(
                    key=f"notice:{ref}/1/receipt/0:1",
                    reference=ref,
                    recipient="+8801711000000",
                    language="bn",
                    created_at=now - timedelta(days=900),
                )
            )
        # An earlier text, to the number it replaced later, refused by the gateway.
        session.add(
            SmsOutbox(
                key="notice:GT-2026-0002/0/receipt/0:1",
                reference="GT-2026-0002",
                recipient="+8801711000999",
                language="bn",
                created_at=now - timedelta(days=901),
                failed_at=now - timedelta(days=901),
                error="30003",
            )
        )
    _document(engine, data_dir, "GT-2026-0002", "doc-kept", b"kept, shared content", now)
    _document(engine, data_dir, "GT-2026-0004", "doc-shared", b"kept, shared content", now)
    _document(engine, data_dir, "GT-2026-0004", "doc-own", b"deleted content", now)
    _document(engine, data_dir, "GT-2026-0003", "doc-open", b"an open case's file", now)


def _people(engine: Engine, reference: str) -> list[Complainant]:
    with Session(engine) as session:
        return cases.case_complainants(session=session, reference=reference)


def test_sweep_erases_what_is_due_and_nothing_more(database: Database, tmp_path: Path) -> None:
    engine = migrated(database)
    data_dir = tmp_path / "data"
    _setup(engine, data_dir)
    untouched = {ref: _people(engine, ref) for ref in ("GT-2026-0001", "GT-2026-0003")}

    dry = retention.sweep(engine, now=NOW, data_dir=data_dir, dry=True)
    assert (dry.contacts, dry.documents, dry.notes) == (3, 2, 0)  # 0002: two; 0004: one
    assert _people(engine, "GT-2026-0002")[0].email == "rahima.akter@mail.example"

    swept = retention.sweep(engine, now=NOW, data_dir=data_dir)
    assert (swept.contacts, swept.documents, swept.files, swept.raced) == (3, 2, 1, 0)
    assert sorted(swept.references) == ["GT-2026-0002", "GT-2026-0004"]

    first, second = _people(engine, "GT-2026-0002")
    with Session(engine) as session:  # closed: an open one would hold PostgreSQL's teardown
        pseudonym = case_content.load_state(session=session, reference="GT-2026-0002")
    assert pseudonym is not None
    assert (first.name, first.organisation, first.email, first.phone, first.represents) == (
        pseudonym.pseudonym,
        None,
        None,
        None,
        None,
    )
    assert (second.name, second.email) == ("Complainant Q", None)
    # Still reachable by the access code, in its language; still confidential or not.
    assert first.access_code_hash == "0" * 64 and first.language == "en"
    for ref, before in untouched.items():
        assert [p.model_dump() for p in _people(engine, ref)] == [p.model_dump() for p in before]
    with Session(engine) as session:
        recipients = sorted(r.recipient for r in session.exec(select(Outbox)).all())
        assert recipients == ["", "company@noorderlicht.example"]
        replies = {r.reference: r for r in session.exec(select(ReplyAddress)).all()}
        assert (replies["GT-2026-0002"].email, replies["GT-2026-0001"].email) == (
            "",
            "rahima.akter@mail.example",
        )
        assert replies["GT-2026-0002"].revoked_at is not None  # no reply is taken for it
        assert replies["GT-2026-0001"].revoked_at is None
        texts = {t.key: (t.recipient, t.error) for t in session.exec(select(SmsOutbox)).all()}
        assert texts == {
            "notice:GT-2026-0001/1/receipt/0:1": ("+8801711000000", None),
            "notice:GT-2026-0002/1/receipt/0:1": ("", None),
            "notice:GT-2026-0002/0/receipt/0:1": ("", None),  # whatever number it held
        }
        left = sorted(d.id for d in session.exec(select(Document)).all())
        assert left == ["doc-kept", "doc-open"]
    # The shared content stays for the document still naming it; the other file is gone.
    assert (data_dir / "documents" / hashlib.sha256(b"kept, shared content").hexdigest()).exists()
    assert not (data_dir / "documents" / hashlib.sha256(b"deleted content").hexdigest()).exists()


def test_notes_once_and_every_deletion_audited(database: Database, tmp_path: Path) -> None:
    engine = migrated(database)
    data_dir = tmp_path / "data"
    _setup(engine, data_dir)
    retention.sweep(engine, now=NOW, data_dir=data_dir)
    again = retention.sweep(engine, now=NOW, data_dir=data_dir)
    assert (again.contacts, again.documents, again.notes, again.references) == (0, 0, 0, [])
    # A day later the case closed 364 days before NOW is due, and only it.
    later = retention.sweep(engine, now=NOW + timedelta(days=1), data_dir=data_dir)
    assert (later.contacts, later.notes, later.references) == (1, 1, ["GT-2026-0001"])

    with Session(engine) as session:
        notes = retention_due.history_notes(
            session=session, reference="GT-2026-0002", type_="contact_erased"
        )
        assert [n.visibility for n in notes] == ["parties"]
        assert "365 days" in notes[0].summary and "Rahima" not in notes[0].summary
        # The note moved the case on: a reopening numbers its next event after it.
        state = case_content.load_state(session=session, reference="GT-2026-0002")
        assert state is not None and state.last_seq == notes[0].seq == 4
        assert state.status is CaseStatus.CLOSED
        deleted = retention_due.history_notes(
            session=session, reference="GT-2026-0004", type_="documents_deleted"
        )
        assert len(deleted) == 1 and deleted[0].summary.startswith("2 document(s)")
        assert (
            len(
                retention_due.history_notes(
                    session=session, reference="GT-2026-0001", type_="contact_erased"
                )
            )
            == 1
        )
        trail = audit.entries(session=session, reference="GT-2026-0002")
        assert [(e.action, e.username) for e in trail] == [("contact_erased", "retention")] * 2
        assert sorted(e.detail for e in trail) == [
            '{"after_days": 365, "complainant": 1}',
            '{"after_days": 365, "complainant": 2}',
        ]
        logged = audit.entries(session=session, reference="GT-2026-0004")
        details = sorted(
            ((e.action, json.loads(e.detail)) for e in logged), key=lambda a: str(a[1])
        )
        assert sorted((action, d.get("document", "")) for action, d in details) == [
            ("contact_erased", ""),
            ("document_deleted", "doc-own"),
            ("document_deleted", "doc-shared"),
        ]
        own = next(d for _, d in details if d.get("document") == "doc-own")
        assert own["after_years"] == 7 and own["size"] == len(b"deleted content")
        assert not audit.entries(session=session, reference="GT-2026-0003")
    assert audit.verify(engine)[1] is None


def test_policy_defaults_and_a_covenant_of_its_own(database: Database) -> None:
    engine = migrated(database)
    with Session(engine) as session:
        found = retention_due.policies(session=session)
    assert found and {(p.contact_days, p.document_years) for p in found} == {(365, 7)}
    garments = next(p for p in found if p.covenant == "garments-textile")
    assert garments.contacts_cutoff(NOW) == NOW - timedelta(days=365)
    own = Procedure.model_validate(
        {**covenant().procedure.model_dump(), "contact_retention_days": 30}
    )
    assert (own.contact_retention_days, own.document_retention_years) == (30, 7)
    leap = datetime(2028, 2, 29, tzinfo=UTC)
    assert retention_due.years_before(leap, 7) == datetime(2021, 2, 28, tzinfo=UTC)


def test_register_and_statistics_keep_working_after_erasure(
    database: Database, tmp_path: Path
) -> None:
    engine = migrated(database)
    data_dir = tmp_path / "data"
    _setup(engine, data_dir)
    with session_scope(engine) as session:
        session.add(
            RegisterEntry(
                reference="GT-2026-0002",
                covenant="garments-textile",
                summary="Rahima Akter of the Rupali Workers Committee complained; "
                "reach her at rahima.akter@mail.example.",
                published_at=NOW - timedelta(days=300),
                published_by="chair",
            )
        )
    with Session(engine) as session:
        before_entry = register.public_entry(session, reference="GT-2026-0002")
        before_stats = statistics.compute(session, "garments-textile", now=NOW)
    assert "Rahima" not in before_entry.summary  # redacted when shown, against the row

    swept = run_retention(engine, now=NOW, data_dir=data_dir)
    assert swept.contacts == 3

    with Session(engine) as session:
        entry = register.public_entry(session, reference="GT-2026-0002")
        assert entry.summary == before_entry.summary  # the same words, now redacted for good
        assert entry.complainant == before_entry.complainant
        stored = retention_due.register_entry(session=session, reference="GT-2026-0002")
        assert stored is not None
        assert contains_any(stored.summary, ["Rahima Akter", "rahima.akter@mail.example"]) == []
        after_stats = statistics.compute(session, "garments-textile", now=NOW)
    assert after_stats.model_dump() == before_stats.model_dump()
    assert after_stats.total == 4 and after_stats.by_stage["closed"] == 3


def _draft(engine: Engine, n: int, state: str, closed_days_ago: int | None) -> None:
    closed = None if closed_days_ago is None else NOW - timedelta(days=closed_days_ago)
    with session_scope(engine) as session:
        session.add(
            EmailDraft(
                id=f"draft-{n}",
                message_key=f"{n:064d}",
                reference=f"GT-2029-D000{n}",
                covenant="garments-textile",
                access_code_hash="0" * 64,
                sender_email=f"organiser{n}@union.example",
                sender_name="Rahima Akter",
                subject="Wages unpaid",
                text="Our wages have not been paid for three months.",
                received_at=NOW - timedelta(days=DAYS + 400),
                state=state,
                closed_at=closed,
                discard_reason="Spam" if state == "discarded" else None,
            )
        )
        session.add(  # the receipt its sender got
            Outbox(
                message_id=f"<draft{n}@redress>",
                reference=f"GT-2029-D000{n}",
                notice_key=receipt_notice_key(f"draft-{n}"),
                recipient=f"organiser{n}@union.example",
                subject="Receipt",
                language="en",
                created_at=NOW - timedelta(days=DAYS + 400),
            )
        )


def test_e_mailed_drafts_lose_their_sender_a_contact_period_after_filing_or_discarding(
    database: Database, tmp_path: Path
) -> None:
    engine = migrated(database)
    _draft(engine, 1, "discarded", DAYS + 1)  # due
    _draft(engine, 2, "filed", DAYS + 1)  # due: the case's record holds the sender now
    _draft(engine, 3, "filed", DAYS - 1)  # not yet
    _draft(engine, 4, "received", None)  # still waiting for the secretariat: kept whole

    assert retention.sweep(engine, now=NOW, data_dir=tmp_path, dry=True).drafts == 2
    assert retention.sweep(engine, now=NOW, data_dir=tmp_path).drafts == 2
    assert retention.sweep(engine, now=NOW, data_dir=tmp_path).drafts == 0  # once

    with Session(engine) as session:
        drafts = {d.id: d for d in session.exec(select(EmailDraft)).all()}
        for erased in ("draft-1", "draft-2"):
            d = drafts[erased]
            assert (d.sender_email, d.sender_name, d.subject, d.text) == ("erased", "", "", "")
            assert d.discard_reason is None and d.reference  # the reference stays taken
        for kept in ("draft-3", "draft-4"):
            assert drafts[kept].sender_email.endswith("@union.example")
            assert drafts[kept].text.startswith("Our wages")
        receipts = {r.reference: r.recipient for r in session.exec(select(Outbox)).all()}
        assert receipts == {
            "GT-2029-D0001": "",
            "GT-2029-D0002": "",
            "GT-2029-D0003": "organiser3@union.example",
            "GT-2029-D0004": "organiser4@union.example",
        }
        logged = [e.action for e in audit.entries(session=session, reference="GT-2029-D0001")]
    assert logged == ["draft_erased"]
