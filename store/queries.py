"""Read queries over the read model; keyword-only arguments, the session first."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_, true
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from domain.enums import CaseKind, CaseStatus, DeadlineState, DecidingBody, Role
from domain.procedure import Covenant
from store.covenants import covenant_from_row
from store.tables import (
    CaseDeadline,
    CaseOrder,
    CaseRecusal,
    CaseRespondent,
    CaseRow,
    Complainant,
    CovenantMembership,
    CovenantVersion,
    LocationSourcing,
    Organisation,
    OrganisationContact,
    ProductionLocation,
    StaffCovenant,
    User,
)

# The largest page any list answers; the API refuses larger ``page_size`` values.
MAX_PAGE_SIZE = 100
LIKE_ESCAPE = "\\"


def get_case(*, session: Session, reference: str) -> CaseRow | None:
    """The projected case, or None."""
    return session.get(CaseRow, reference)


def case_status(*, session: Session, reference: str) -> CaseStatus | None:
    """The case's status as last projected, read from the database (not the session cache)."""
    statement = select(CaseRow.status).where(col(CaseRow.reference) == reference)
    status = session.exec(statement).first()
    return CaseStatus(status) if status is not None else None


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards and escape character taken literally."""
    for special in (LIKE_ESCAPE, "%", "_"):  # the escape character itself first
        text = text.replace(special, LIKE_ESCAPE + special)
    return text


def contains_text(columns: Sequence[Any], text: str) -> ColumnElement[bool]:
    """Any of the columns contains ``text`` (case-blind; LIKE wildcards are taken literally)."""
    pattern = f"%{escape_like(text.strip().lower())}%"
    return or_(*(func.lower(column).like(pattern, escape=LIKE_ESCAPE) for column in columns))


def case_filters(
    *,
    covenant: str | None = None,
    stage: str | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    organisation_id: str | None = None,
    mediator: str | None = None,
    due_before: datetime | None = None,
    assigned_to: str | None = None,
    recused: str | None = None,
    covenants: Collection[str] | None = None,
    steering_group: bool = False,
) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``CaseRow`` for the case-list filters (shared with statistics);
    ``recused`` leaves out the cases that member is recused from, ``covenants`` keeps only
    those covenants' cases, ``steering_group`` only the disputes a steering group decides."""
    clauses: list[ColumnElement[bool]] = []
    if covenants is not None:
        clauses.append(col(CaseRow.covenant).in_(sorted(covenants)))
    if steering_group:
        clauses.append(col(CaseRow.kind) == CaseKind.DISPUTE.value)
        clauses.append(col(CaseRow.deciding_body) == DecidingBody.STEERING_GROUP.value)
    if recused is not None:
        closed_to = select(CaseRecusal.reference).where(col(CaseRecusal.member) == recused)
        clauses.append(col(CaseRow.reference).not_in(closed_to))
    if covenant:
        clauses.append(col(CaseRow.covenant) == covenant)
    if stage:
        clauses.append(col(CaseRow.stage) == stage)
    if overdue is not None:
        clauses.append(col(CaseRow.overdue) == (true() if overdue else false()))
    if q and q.strip():
        clauses.append(contains_text([col(CaseRow.reference), col(CaseRow.subject)], q))
    if organisation_id is not None:
        respondent_of = select(CaseRespondent.reference).where(
            col(CaseRespondent.organisation_id) == organisation_id
        )
        clauses.append(
            or_(
                and_(col(CaseRow.reference).in_(respondent_of), col(CaseRow.respondents_see)),
                col(CaseRow.complainant_organisation_id) == organisation_id,
            )
        )
    if mediator is not None:
        clauses.append(col(CaseRow.mediator) == mediator)
    if due_before is not None:
        clauses.append(col(CaseRow.next_due) < due_before)
    if assigned_to is not None:
        clauses.append(
            or_(col(CaseRow.officer) == assigned_to, col(CaseRow.mediator) == assigned_to)
        )
    return clauses


def list_cases(
    *,
    session: Session,
    covenant: str | None = None,
    stage: str | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    organisation_id: str | None = None,
    mediator: str | None = None,
    due_before: datetime | None = None,
    assigned_to: str | None = None,
    recused: str | None = None,
    covenants: Collection[str] | None = None,
    steering_group: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[CaseRow], int]:
    """One page of cases matching the filters, newest first, and the total count."""
    clauses = case_filters(
        covenant=covenant,
        stage=stage,
        overdue=overdue,
        q=q,
        organisation_id=organisation_id,
        mediator=mediator,
        due_before=due_before,
        assigned_to=assigned_to,
        recused=recused,
        covenants=covenants,
        steering_group=steering_group,
    )
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    total = session.exec(select(func.count()).select_from(CaseRow).where(*clauses)).one()
    rows = session.exec(
        select(CaseRow)
        .where(*clauses)
        .order_by(col(CaseRow.filed_at).desc(), col(CaseRow.reference).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), int(total)


def case_deadlines(*, session: Session, reference: str) -> list[CaseDeadline]:
    """The case's projected deadlines, earliest due first."""
    statement = select(CaseDeadline).where(col(CaseDeadline.reference) == reference)
    return list(session.exec(statement.order_by(col(CaseDeadline.due))).all())


def case_orders(*, session: Session, reference: str) -> list[CaseOrder]:
    """The case's remediation orders by number."""
    statement = select(CaseOrder).where(col(CaseOrder.reference) == reference)
    return list(session.exec(statement.order_by(col(CaseOrder.number))).all())


def case_respondent_ids(*, session: Session, reference: str) -> list[str]:
    """Organisation ids of the case's respondents."""
    statement = select(CaseRespondent.organisation_id).where(
        col(CaseRespondent.reference) == reference
    )
    return list(session.exec(statement).all())


def get_complainant(*, session: Session, reference: str) -> Complainant | None:
    """The intake record of the case's complainant (identity and contact), or None."""
    return session.get(Complainant, reference)


def find_user(*, session: Session, username: str) -> User | None:
    """The user with exactly this username, or None."""
    statement = select(User).where(col(User.username) == username.strip())
    return session.exec(statement).first()


def get_user(*, session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


def active_user_with_role(
    *, session: Session, username: str, roles: Collection[Role]
) -> User | None:
    """The active user with exactly this username, if their role is one of ``roles``."""
    statement = select(User).where(
        col(User.username) == username.strip(),
        col(User.active) == true(),
        col(User.role).in_([role.value for role in roles]),
    )
    return session.exec(statement).first()


def users_with_role(
    *, session: Session, role: Role | str, covenant: str | None = None
) -> list[User]:
    """Active users having that role (working on that covenant, if given), by username."""
    statement = select(User).where(col(User.role) == str(role), col(User.active) == true())
    if covenant is not None:
        on_it = select(StaffCovenant.user_id).where(col(StaffCovenant.covenant) == covenant)
        statement = statement.where(col(User.id).in_(on_it))
    return list(session.exec(statement.order_by(col(User.username))).all())


def users_of_organisation(*, session: Session, organisation_id: str) -> list[User]:
    """Active users belonging to that organisation, by username."""
    statement = (
        select(User)
        .where(col(User.organisation_id) == organisation_id, col(User.active) == true())
        .order_by(col(User.username))
    )
    return list(session.exec(statement).all())


def get_organisation(*, session: Session, organisation_id: str) -> Organisation | None:
    """The organisation with this id, or None."""
    return session.get(Organisation, organisation_id)


def organisation_contacts(*, session: Session, organisation_id: str) -> list[OrganisationContact]:
    """The addresses the organisation's notices go to."""
    statement = select(OrganisationContact).where(
        col(OrganisationContact.organisation_id) == organisation_id
    )
    return list(session.exec(statement.order_by(col(OrganisationContact.email))).all())


def find_organisation(*, session: Session, key: str) -> Organisation | None:
    """The organisation whose id is ``key`` or whose name equals it, ignoring case."""
    key = key.strip()
    found = session.get(Organisation, key)
    if found is not None:
        return found
    statement = select(Organisation).where(func.lower(col(Organisation.name)) == key.lower())
    return session.exec(statement.order_by(col(Organisation.id))).first()


def covenant_parties(*, session: Session, covenant: str) -> list[Organisation]:
    """The organisations that are parties to the covenant, by name."""
    statement = (
        select(Organisation)
        .join(CovenantMembership, col(CovenantMembership.organisation_id) == Organisation.id)
        .where(col(CovenantMembership.covenant) == covenant)
        .order_by(col(Organisation.name))
    )
    return list(session.exec(statement).all())


def covenant_party(
    *, session: Session, covenant: str, key: str, kind: str | None = None
) -> Organisation | None:
    """The party to the covenant whose id is ``key`` or whose name equals it (ignoring case);
    with ``kind`` (e.g. "company") only an organisation of that kind."""
    wanted = key.strip()
    by_id = col(Organisation.id) == wanted
    statement = (
        select(Organisation)
        .join(CovenantMembership, col(CovenantMembership.organisation_id) == Organisation.id)
        .where(
            col(CovenantMembership.covenant) == covenant,
            or_(by_id, func.lower(func.trim(col(Organisation.name))) == wanted.lower()),
        )
        # An exact id wins over another organisation of that name.
        .order_by(case((by_id, 0), else_=1), col(Organisation.id))
    )
    if kind is not None:
        statement = statement.where(col(Organisation.kind) == kind)
    return session.exec(statement).first()


def is_covenant_party(*, session: Session, covenant: str, organisation_id: str) -> bool:
    """Whether the organisation is a party to the covenant."""
    return session.get(CovenantMembership, (covenant, organisation_id)) is not None


def _latest_versions() -> SelectOfScalar[CovenantVersion]:
    newest = (
        select(
            col(CovenantVersion.slug).label("slug"),
            func.max(CovenantVersion.version).label("version"),
        )
        .group_by(col(CovenantVersion.slug))
        .subquery()
    )
    return (
        select(CovenantVersion)
        .join(
            newest,
            (col(CovenantVersion.slug) == newest.c.slug)
            & (col(CovenantVersion.version) == newest.c.version),
        )
        .order_by(col(CovenantVersion.slug))
    )


def latest_covenant(*, session: Session, slug: str) -> Covenant | None:
    """The newest stored version of the covenant, or None if unknown."""
    statement = (
        select(CovenantVersion)
        .where(col(CovenantVersion.slug) == slug)
        .order_by(col(CovenantVersion.version).desc())
    )
    row = session.exec(statement).first()
    return covenant_from_row(row) if row is not None else None


def covenant_version(*, session: Session, slug: str, version: int) -> Covenant | None:
    """One stored version of a covenant, or None."""
    row = session.get(CovenantVersion, (slug, version))
    return covenant_from_row(row) if row is not None else None


def covenant_version_numbers(*, session: Session, slug: str) -> list[int]:
    """The stored procedure versions of a covenant, oldest first."""
    statement = (
        select(CovenantVersion.version)
        .where(col(CovenantVersion.slug) == slug)
        .order_by(col(CovenantVersion.version))
    )
    return list(session.exec(statement).all())


def list_covenants(*, session: Session) -> list[Covenant]:
    """The newest version of every stored covenant, by slug."""
    rows: Sequence[CovenantVersion] = session.exec(_latest_versions()).all()
    return [covenant_from_row(row) for row in rows]


def open_deadlines(*, session: Session, before: datetime | None = None) -> list[CaseDeadline]:
    """Open deadlines of all cases (due before ``before`` if given), earliest first."""
    statement = select(CaseDeadline).where(col(CaseDeadline.state) == DeadlineState.OPEN.value)
    if before is not None:
        statement = statement.where(col(CaseDeadline.due) < before)
    return list(session.exec(statement.order_by(col(CaseDeadline.due))).all())


def covenant_companies(
    *, session: Session, covenant: str, q: str | None = None, limit: int = 20
) -> list[Organisation]:
    """Companies party to the covenant whose name contains the text (all without), by name."""
    statement = (
        select(Organisation)
        .join(CovenantMembership, col(CovenantMembership.organisation_id) == Organisation.id)
        .where(col(CovenantMembership.covenant) == covenant, col(Organisation.kind) == "company")
    )
    if q and q.strip():
        statement = statement.where(contains_text([col(Organisation.name)], q))
    return list(session.exec(statement.order_by(col(Organisation.name)).limit(limit)).all())


def covenant_sourcing(
    *,
    session: Session,
    covenant: str,
    location_ids: Collection[str] = (),
    company_ids: Collection[str] = (),
    limit: int = 20,
) -> list[tuple[Organisation, ProductionLocation]]:
    """(company, production location) pairs currently listed under the covenant, for any of
    those locations or companies; by location name."""
    if not location_ids and not company_ids:
        return []
    statement = (
        select(Organisation, ProductionLocation)
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .join(ProductionLocation, col(ProductionLocation.id) == LocationSourcing.location_id)
        .where(
            col(LocationSourcing.covenant) == covenant,
            col(LocationSourcing.listed),
            or_(
                col(LocationSourcing.location_id).in_(list(location_ids)),
                col(LocationSourcing.company_id).in_(list(company_ids)),
            ),
        )
        .order_by(col(ProductionLocation.name), col(Organisation.name))
        .limit(limit)
    )
    return [(company, location) for company, location in session.exec(statement).all()]
