"""The Reply-To of a notice: the recipient's own reply address on the case, when replies by
e-mail are on (``REDRESS_REPLY_DOMAIN``) and the recipient is someone who may answer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlmodel import Session

from activities.recipients import Recipient
from core.reply_tokens import new_token_id, reply_address
from core.settings import Settings
from domain.enums import Audience, Side
from store.reply_addresses import Addressee, issue_reply_address

# The audiences whose replies can be posted, and the side of the case they are on.
SIDES: dict[Audience, Side | None] = {
    Audience.COMPLAINANT: Side.COMPLAINANT,
    Audience.RESPONDENTS: Side.RESPONDENT,
    Audience.SECRETARIAT: None,
    Audience.CHAIR: None,
    Audience.COMMITTEE: None,
    Audience.MEDIATOR: None,
    Audience.STEERING_GROUP: None,
}


def addressee(recipient: Recipient) -> Addressee | None:
    """Who the reply address stands for; None for an address no one acts through (a
    steering group's shared mailbox), which gets no Reply-To."""
    if recipient.audience not in SIDES:
        return None
    side = SIDES[recipient.audience]
    who = Addressee(
        email=recipient.address,
        role=recipient.audience.value,
        side=side.value if side else None,
    )
    if recipient.user_id is not None:
        return replace(who, user_id=recipient.user_id)
    if recipient.is_complainant_contact:
        return replace(who, complainant=recipient.complainant)
    if recipient.organisation_id is not None and side is Side.RESPONDENT:
        return replace(who, organisation_id=recipient.organisation_id)
    return None


def reply_to_for(
    session: Session, settings: Settings, reference: str, recipient: Recipient
) -> str | None:
    """The recipient's reply address on the case (issued once, reused by every notice and
    retry after), or None when replies by e-mail are off or the recipient cannot act."""
    if not settings.reply_domain:
        return None
    who = addressee(recipient)
    if who is None:
        return None
    row = issue_reply_address(
        session=session,
        reference=reference,
        addressee=who,
        now=datetime.now(UTC),
        new_id=new_token_id,
    )
    return reply_address(settings, row.id)
