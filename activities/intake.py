"""Copying complainants' intake records between cases: to a case split off from another,
and to the case another was merged into (identity stays in the read model, never in Temporal)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlmodel import col, select
from temporalio.exceptions import ApplicationError

from domain.cases import CaseState, IntakeCopy
from domain.merging import target_refusal
from store.tables import CaseRow, Complainant


def _complainants(session: Session, reference: str) -> list[Complainant]:
    statement = select(Complainant).where(col(Complainant.reference) == reference)
    return list(session.scalars(statement.order_by(col(Complainant.number))).all())


def _state(session: Session, reference: str) -> CaseState | None:
    row = session.get(CaseRow, reference)
    return CaseState.model_validate_json(row.snapshot) if row is not None else None


def copy_split(session: Session, request: IntakeCopy) -> None:
    """Give the split-off case the complainants' records (the same access codes)."""
    if session.get(Complainant, (request.to_reference, 1)) is not None:
        return  # a retry: already copied
    sources = _complainants(session, request.from_reference)
    if not sources:
        raise ApplicationError(f"no intake record for {request.from_reference}", non_retryable=True)
    for source in sources:
        copy = Complainant.model_validate(source.model_dump())
        copy.reference, copy.receipt_code = request.to_reference, None
        session.add(copy)


def copy_merged(session: Session, request: IntakeCopy) -> None:
    """Add the merged case's complainants to the case it goes on in, each with its own access
    code, language and confidentiality, and the pseudonym it had; refused (non-retryable,
    typed as the pure rules' refusals) when that case cannot take it."""
    existing = _complainants(session, request.to_reference)
    if any(c.merged_from == request.from_reference for c in existing):
        return  # a retry: already merged in
    source = _state(session, request.from_reference)
    if source is None:
        raise ApplicationError(f"case {request.from_reference} is not projected yet")
    target = _state(session, request.to_reference)
    refusal = target_refusal(source, target, request.to_reference)
    if refusal is not None:
        raise ApplicationError(refusal.message, type=refusal.kind, non_retryable=True)
    number = max((c.number for c in existing), default=0)
    for complainant in _complainants(session, request.from_reference):
        number += 1
        copy = Complainant.model_validate(complainant.model_dump())
        copy.reference, copy.number, copy.receipt_code = request.to_reference, number, None
        # The filer of the merged case, or one that case had itself taken on before.
        copy.merged_from = complainant.merged_from or request.from_reference
        copy.pseudonym = complainant.pseudonym or source.pseudonym
        session.add(copy)
