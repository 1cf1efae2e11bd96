"""Covenant procedure files (``domain/covenants/*.toml``) and their stored versions."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from domain.procedure import STATUS_UPDATE_DAYS, Covenant, Procedure
from store.tables import CovenantVersion

COVENANT_PACKAGE = "domain.covenants"


def with_defaults(procedure: dict[str, Any]) -> dict[str, Any]:
    """A procedure as a covenant file or stored version gives it, with the defaults of
    settings added since (a file or row that says nothing gets status e-mails every 90
    days). Cases keep the procedure recorded when filed: theirs are not read through here."""
    return {"status_update_days": STATUS_UPDATE_DAYS, **procedure}


def _covenant(data: dict[str, Any]) -> Covenant:
    procedure = data.get("procedure")
    if isinstance(procedure, dict):
        data = {**data, "procedure": with_defaults(procedure)}
    return Covenant.model_validate(data)


def load_covenant_files() -> list[Covenant]:
    """Every covenant shipped in ``domain/covenants``, sorted by slug."""
    covenants = []
    for entry in resources.files(COVENANT_PACKAGE).iterdir():
        if entry.is_file() and entry.name.endswith(".toml"):
            covenants.append(_covenant(tomllib.loads(entry.read_text(encoding="utf-8"))))
    return sorted(covenants, key=lambda c: c.slug)


@cache
def _shipped() -> dict[str, Covenant]:
    return {c.slug: c for c in load_covenant_files()}


def covenant_from_row(row: CovenantVersion) -> Covenant:
    """The domain model of a stored covenant version, with the names in each language of its
    shipped file (display only: every version shows today's translation)."""
    shipped = _shipped().get(row.slug)
    return Covenant(
        slug=row.slug,
        name=row.name,
        name_nl=row.name_nl,
        steering_group_email=row.steering_group_email,
        procedure=Procedure.model_validate(with_defaults(json.loads(row.procedure_json))),
        names=dict(shipped.names) if shipped is not None else {},
        short_names=dict(shipped.short_names) if shipped is not None else {},
    )


def sync_covenants(*, session: Session) -> list[Covenant]:
    """Store each file's covenant version if it is new; older versions stay. Returns new ones."""
    added = []
    for covenant in load_covenant_files():
        key = (covenant.slug, covenant.procedure.version)
        if session.get(CovenantVersion, key) is not None:
            continue
        session.add(
            CovenantVersion(
                slug=covenant.slug,
                version=covenant.procedure.version,
                name=covenant.name,
                name_nl=covenant.name_nl,
                procedure_json=covenant.procedure.model_dump_json(),
                steering_group_email=covenant.steering_group_email,
            )
        )
        added.append(covenant)
    session.flush()
    return added


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
