"""A complainant's choice of how news of its case reaches it: by e-mail, or also by SMS."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from domain.phones import e164
from domain.problems import invalid_field
from services import audit
from services.access import Standing, VisibleCase
from store import cases, sms

CHOICES = (sms.EMAIL, sms.SMS)


@dataclass(frozen=True)
class NoticeChoice:
    """What the complainant chose, and the number texts go to (as recorded)."""

    chosen: str
    phone: str | None


def notice_choice(*, session: Session, case: VisibleCase) -> NoticeChoice | None:
    """The choice of the complainant reading its case; None for any other reader (a union's
    user whose record is not known acts for its organisation, whose users get e-mail)."""
    number = case.viewer.complainant
    if case.standing is not Standing.COMPLAINANT or number is None:
        return None
    person = cases.get_complainant(session=session, reference=case.state.reference, number=number)
    if person is None:
        return None
    return NoticeChoice(chosen=person.notices, phone=person.phone)


def choose_notices(*, session: Session, case: VisibleCase, notices: str, phone: str) -> None:
    """Record the complainant's choice; SMS with the mobile number given (E.164; ``Invalid``
    on ``phone`` when it is none), which replaces the one recorded."""
    choice = notice_choice(session=session, case=case)
    if choice is None:
        raise invalid_field(["notices"], "only the complainant chooses how it is told")
    if notices not in CHOICES:
        raise invalid_field(["notices"], f"choose one of: {', '.join(CHOICES)}")
    reference, number = case.state.reference, case.viewer.complainant
    assert number is not None  # notice_choice: a complainant's own record
    person = cases.get_complainant(session=session, reference=reference, number=number)
    assert person is not None
    number_kept = person.phone
    if notices == sms.SMS:
        try:
            number_kept = e164(phone or person.phone or "")
        except ValueError as wrong:
            raise invalid_field(["phone"], str(wrong)) from None
    sms.choose_notices(session=session, complainant=person, notices=notices, phone=number_kept)
    session.commit()
    audit.record(session, case.viewer, reference, "notices_chosen", notices=notices)
