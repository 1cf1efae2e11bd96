"""Replacing a complainant's access code: the secretariat's, on request; the old code
stops working at once, also in tracking cookies."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from core.access_codes import new_access_code
from core.security import keyed_hash
from core.settings import Settings
from domain.enums import Role
from domain.problems import Conflict, NotPermitted
from services import audit
from services.access import Standing, VisibleCase
from store import cases
from store.tables import Complainant


def replace_access_code(session: Session, settings: Settings, case: VisibleCase) -> str:
    """A new access code for the case's complainant (committed and audited), shown once."""
    if case.standing is not Standing.STAFF or case.viewer.role is not Role.SECRETARIAT:
        raise NotPermitted("only the secretariat replaces a complainant's access code")
    complainant = cases.get_complainant(session=session, reference=case.state.reference)
    if complainant is None or complainant.access_code_hash is None:
        raise Conflict("this case was filed by an account and has no access code")
    code = new_access_code()
    old, new = complainant.access_code_hash, keyed_hash(settings.secret_key, code)
    # The same code opens the cases its record was copied to (split off, merged into): the
    # new one replaces it there too, and the old one opens nothing any more.
    session.execute(
        update(Complainant)
        .where(col(Complainant.access_code_hash) == old)
        .values(access_code_hash=new)
    )
    complainant.access_code_hash = new
    complainant.receipt_code = None
    session.add(complainant)
    session.commit()
    audit.record(session, case.viewer, case.state.reference, "access_code_replaced")
    return code
