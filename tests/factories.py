"""Hand-built case states and database fixtures for the store and activity tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from activities.records import RecordActivities
from core.security import pseudonym
from domain.cases import CaseState, Event, Order, Party, Projection
from domain.deadlines import Deadline
from domain.enums import (
    Audience,
    CaseKind,
    CaseStatus,
    DeadlineState,
    DecidingBody,
    Stage,
    Visibility,
)
from domain.procedure import Covenant
from store.covenants import load_covenant_files
from store.db import make_engine, normalise_url, prepare
from store.tables import Complainant

POSTGRES_ENV = "REDRESS_TEST_POSTGRES_URL"
FILED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get(POSTGRES_ENV),
            reason=f"{POSTGRES_ENV} is not set (make test sets it)",
        ),
    ),
]


@dataclass
class Database:
    """A fresh, empty database for one test: its URL and an engine on it."""

    backend: str
    url: str
    engine: Engine


def open_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'redress.db'}"
        engine = make_engine(url)
        yield Database(backend, url, engine)
        engine.dispose()
        return
    base = make_url(normalise_url(os.environ[POSTGRES_ENV]))
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = scoped.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    try:
        yield Database(backend, rendered, engine)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def migrated(database: Database) -> Engine:
    """The database's engine after ``prepare``: the migrations and the shipped covenants."""
    prepare(database.engine)
    return database.engine


def covenant(slug: str = "garments-textile") -> Covenant:
    """A covenant as shipped in ``domain/covenants``."""
    return next(c for c in load_covenant_files() if c.slug == slug)


def event(seq: int, type_: str = "note", at: datetime | None = None) -> Event:
    """A timeline entry ``seq`` hours after filing."""
    return Event(
        seq=seq,
        at=at or FILED + timedelta(hours=seq),
        type=type_,
        summary=f"Event {seq}: {type_}",
        actor_role="secretariat",
        visibility=Visibility.PARTIES,
    )


def deadline(
    name: str,
    due: datetime,
    *,
    owner: Audience = Audience.SECRETARIAT,
    state: DeadlineState = DeadlineState.OPEN,
    escalated: bool = False,
) -> Deadline:
    """A deadline opened at filing time."""
    return Deadline(
        id=f"{name}-1",
        name=name,
        label=f"The {name.replace('_', ' ')} step",
        owner=owner,
        opened_at=FILED,
        due=due,
        remind_at=due - timedelta(days=7),
        second_escalation_at=due + timedelta(days=14),
        state=state,
        escalated=escalated,
        reminded=escalated,
    )


def order(number: int, due: date) -> Order:
    """A remediation order, due on a calendar day."""
    return Order(number=number, text=f"Remediation order {number}", due=due)


def case_state(
    reference: str = "GT-2026-0001",
    *,
    covenant_slug: str = "garments-textile",
    stage: Stage = Stage.RESPONSE,  # registered: the companies know of it
    respondents: tuple[str, ...] = ("noorderlicht-fashion",),
    complainant_organisation_id: str | None = "dhaka-gwu",
    subject: str = "Dismissal of union members at Rupali Knit",
    confidential: bool = False,
    events: int = 1,
    deadlines: list[Deadline] | None = None,
    orders: list[Order] | None = None,
    filed_at: datetime = FILED,
    mediator: str | None = None,
) -> CaseState:
    """A case state built by hand, as the workflow would project it."""
    cov = covenant(covenant_slug)
    return CaseState(
        reference=reference,
        kind=CaseKind.COMPLAINT,
        covenant=cov.slug,
        covenant_name=cov.name,
        procedure=cov.procedure,
        deciding_body=DecidingBody.COMMITTEE,
        stage=stage,
        status=CaseStatus.OPEN,
        confidential=confidential,
        pseudonym=pseudonym(reference),
        complainant_organisation_id=complainant_organisation_id,
        respondents=[
            Party(organisation_id=r, name=r.replace("-", " ").title()) for r in respondents
        ],
        subject=subject,
        description="Workers who joined the union were dismissed the following week.",
        filed_at=filed_at,
        events=[event(seq) for seq in range(1, events + 1)],
        deadlines=deadlines or [],
        orders=orders or [],
        mediator=mediator,
    )


def complainant(
    reference: str = "GT-2026-0001",
    *,
    confidential: bool = False,
    email: str | None = "rahima.akter@mail.example",
    receipt_code: str | None = None,
) -> Complainant:
    """The intake record of a complainant, as the API writes it at filing."""
    return Complainant(
        reference=reference,
        name="Rahima Akter",
        organisation="Rupali Workers Committee",
        email=email,
        phone="+8801711000000",
        represents="37 dismissed workers",
        language="en",
        confidential=confidential,
        access_code_hash="0" * 64,
        receipt_code=receipt_code,
    )


def projection(state: CaseState) -> Projection:
    """A hand-built full state as the workflow projects it: compact state, content apart."""
    compact = state.model_copy(update={"events": [], "documents": [], "seq": state.last_seq})
    return Projection(state=compact, events=state.events, documents=state.documents)


def project_state(records: RecordActivities, state: CaseState) -> bool:
    """Project a hand-built full state into the read model."""
    return records.project_sync(projection(state))
