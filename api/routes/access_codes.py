"""``/api/v1/cases/{reference}/access-code``: the secretariat replaces a complainant's
access code on request; the old code stops working at once, also in tracking cookies."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SessionDep, SettingsDep, VisibleCaseDep
from api.schemas import CASE, INVALID, ErrorOut, responses
from services import access_codes

router = APIRouter(prefix="/api/v1/cases", tags=["cases"], responses=INVALID)


class AccessCodeOut(BaseModel):
    """The new access code, shown this once; pass it to the complainant safely. It is 20
    digits: show it in groups of four (``4831 0927 5516 2084 7730``); it is taken back with
    or without spaces and dashes."""

    reference: str
    access_code: str


@router.post(
    "/{reference}/access-code",
    response_model=AccessCodeOut,
    responses=responses(
        {
            403: {"model": ErrorOut, "description": "only the secretariat replaces access codes"},
            409: {"model": ErrorOut, "description": "the case has no access code"},
        },
        CASE,
    ),
)
def replace_access_code(
    case: VisibleCaseDep, session: SessionDep, settings: SettingsDep
) -> AccessCodeOut:
    """A new access code for the complainant; the old one stops working at once."""
    code = access_codes.replace_access_code(session, settings, case)
    return AccessCodeOut(reference=case.state.reference, access_code=code)
