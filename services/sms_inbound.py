"""A text a complainant sends to our number: matched to its case, posted as its message.

The sender is matched by number to the complainants who chose notices by SMS, on cases not
closed. Which case a text is for: the reference it starts with (one of the sender's), else
the sender's only open case; with several and none named, nothing is posted and a text goes
back listing the references to start with. A text from a number no such complainant has is
ignored (and logged without the number). The message is the complainant's, for the
committee's eyes (``Visibility.COMMITTEE``): a text cannot say who should read it, and what
a confidential complainant writes from a phone must not reach a company unless the
secretariat passes it on. Posted through the action service with the gateway's message id
as idempotency key, so a text delivered twice is posted once.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlmodel import Session
from temporalio.client import Client

from domain.actions.messages import AddMessage
from domain.enums import Channel, Visibility
from domain.phones import e164
from domain.problems import Problem
from notifications.sms_gateway import InboundText, SmsGateway, SmsLoginRefused, SmsRejected
from notifications.sms_texts import which_case_text
from services.access import Viewer, case_for
from services.acting import act_on_case
from store import sms
from store.tables import Complainant

log = logging.getLogger("redress.sms")

# A reference at the start of a text ("GT-2026-4K7Q9: …", "#gt-2026-4k7q9 …"), then the rest.
REFERENCE_FIRST = re.compile(r"^\s*#?([A-Za-z]{1,8}-\d{4}-[0-9A-Za-z]{5})\b[\s:;,.\-]*(.*)$", re.S)
# How many references the question back lists at most (it must stay a short text).
LISTED = 3


class Outcome(StrEnum):
    """What became of an inbound text."""

    POSTED = "posted"  # on its case, as the complainant's message
    ASKED = "asked"  # several open cases and none named: asked which (a text back)
    IGNORED = "ignored"  # no complainant with that number, or nothing to post


@dataclass(frozen=True)
class Received:
    """What became of the text, and on which case."""

    outcome: Outcome
    reference: str | None = None


def which_case(body: str, candidates: list[Complainant]) -> tuple[Complainant | None, str]:
    """The sender's record the text is for and the text to post (its reference cut off)."""
    found = REFERENCE_FIRST.match(body)
    if found is not None:
        named = found.group(1).upper()
        for person in candidates:
            if person.reference == named:
                return person, found.group(2).strip()
    if len({c.reference for c in candidates}) == 1:
        return candidates[0], body.strip()
    return None, body.strip()


async def receive_text(
    text: InboundText,
    *,
    gateway: SmsGateway,
    session: Session,
    client: Client,
) -> Received:
    """Post the text on the sender's case, or ask which case it is for, or ignore it."""
    try:
        number = e164(text.sender)
    except ValueError:
        log.info("text %s from a number that is none ignored", text.message_id)
        return Received(Outcome.IGNORED)
    candidates = await asyncio.to_thread(sms.open_cases_of_number, session=session, phone=number)
    if not candidates:
        log.info("text %s from a number of no open case ignored", text.message_id)
        return Received(Outcome.IGNORED)
    person, message = which_case(text.body, candidates)
    if person is None:
        references = list(dict.fromkeys(c.reference for c in candidates))[:LISTED]
        question = which_case_text(references, candidates[0].language)
        await _send_once(session, gateway, f"ask:{text.message_id}", number, question, candidates)
        return Received(Outcome.ASKED)
    if not message:
        log.info("text %s on %s had nothing to post", text.message_id, person.reference)
        return Received(Outcome.IGNORED, person.reference)
    viewer = Viewer(code_for=person.reference, complainant=person.number)
    case = await asyncio.to_thread(
        case_for, session=session, reference=person.reference, viewer=viewer
    )
    action = AddMessage(action="add_message", text=message, visibility=Visibility.COMMITTEE)
    try:
        await act_on_case(
            case=case,
            action=action,
            session=session,
            client=client,
            channel=Channel.SMS,
            idempotency_key=f"sms:{text.message_id}",
        )
    except Problem as refused:
        # The case takes no message now (e.g. the complainant withdrew): nothing is posted.
        log.warning(
            "text %s not posted on %s: %s",
            text.message_id,
            person.reference,
            type(refused).__name__,
        )
        return Received(Outcome.IGNORED, person.reference)
    return Received(Outcome.POSTED, person.reference)


async def _send_once(
    session: Session,
    gateway: SmsGateway,
    key: str,
    number: str,
    words: str,
    candidates: list[Complainant],
) -> None:
    """Send a text back once (a redelivered inbound text asks no second time)."""
    now = datetime.now(UTC)

    def claim() -> bool:
        pending = sms.text_to_send(
            session=session,
            key=key,
            reference=None,
            recipient=number,
            language=candidates[0].language,
            now=now,
        )
        session.commit()  # the row first, so that a concurrent delivery finds and claims it
        taken = pending and sms.claim_text(session=session, key=key, now=now)
        session.commit()
        return taken

    if not await asyncio.to_thread(claim):
        return
    provider_id: str | None = None
    error: str | None = None
    try:
        provider_id = await gateway.send(number, words)
    except (SmsRejected, SmsLoginRefused) as refused:
        error = type(refused).__name__
        log.warning("the question back to text %s was refused: %s", key, error)
    except Exception:
        await asyncio.to_thread(_release, session, key)
        raise

    def finish() -> None:
        sms.finish_text(
            session=session, key=key, now=datetime.now(UTC), provider_id=provider_id, error=error
        )
        session.commit()

    await asyncio.to_thread(finish)


def _release(session: Session, key: str) -> None:
    sms.release_text(session=session, key=key)
    session.commit()
