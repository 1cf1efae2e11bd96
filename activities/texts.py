"""Notices by SMS: a short text to each complainant that chose them, sent at most once.

Texts go besides the e-mail, never instead: the e-mail carries what a text cannot (the
message quoted, the receipt's access code), and a complainant without an e-mail address
simply gets the text alone. Only the complainant's own records are texted (the
``COMPLAINANT`` audience, narrowed as the e-mails are): no company, nor staff, ever gets a
text or a complainant's number. Each text has a ``SmsOutbox`` row keyed by the notice's key
and the complainant's number, claimed before it is sent, so a retried activity sends none
twice.

A text's failure never fails the notice: its e-mails are sent by then (and a receipt's
access code forgotten), and a retry of the whole activity for the sake of a text would end,
after hours, with the notice parked as unsent though its e-mails went out. So the gateway's
errors are caught here. A text it refuses for good is recorded as failed with the gateway's
error code only (its words may quote the number), and not sent again. When the gateway is
unreachable, fails, or refuses our account, the text is left unclaimed (still to send) and
the texts not yet tried with it, and the notice is parked (``activities.records.park``) with
a reason naming the texts: the secretariat sees it among the parked notices, and sending it
again (``services.parked_notices``) sends those texts alone, the outbox finding its e-mails
sent. Logs and reasons name the text's key and the error's type, never the number.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.records import park
from core.settings import Settings
from domain.enums import Audience
from domain.notices import NoticeRequest, ParkedNotice
from notifications.sms_gateway import SmsGateway, SmsLoginRefused, SmsRejected
from notifications.sms_texts import notice_text, text_link
from store import case_content, sms
from store.db import session_scope
from store.tables import NoticeParked

# The start of a parked notice's reason when its texts are what is left to send.
TEXTS_UNSENT = "texts not sent"


@dataclass(frozen=True)
class PreparedText:
    """One text to send: its outbox key, the number and the words."""

    key: str
    to: str
    text: str


def text_key(notice_key: str, complainant: int) -> str:
    """The outbox key of a notice's text to one complainant record."""
    return f"notice:{notice_key}:{complainant}"


class NoticeTexts:
    """Sends a notice's texts through the gateway (None: texts are off)."""

    def __init__(self, engine: Engine, settings: Settings, gateway: SmsGateway | None) -> None:
        self.engine = engine
        self.settings = settings
        self.gateway = gateway

    def prepare(self, request: NoticeRequest) -> list[PreparedText]:
        """The notice's texts still to send, each recorded in the outbox."""
        notice = request.notice
        if self.gateway is None or Audience.COMPLAINANT not in notice.audiences:
            return []
        now = datetime.now(UTC)
        with session_scope(self.engine) as session:
            state = case_content.load_state(
                session=session, reference=request.reference, content=False
            )
            if state is None:
                raise ApplicationError(f"case {request.reference} is not projected yet")
            gone = set(state.withdrawn_complainants)
            prepared: list[PreparedText] = []
            for person in sms.texted_complainants(session=session, reference=request.reference):
                if person.number in gone or notice.complainant not in (None, person.number):
                    continue  # as the e-mails: not to one that withdrew, nor to another's
                assert person.phone is not None  # texted_complainants: only with a number
                key = text_key(notice.key, person.number)
                if not sms.text_to_send(
                    session=session,
                    key=key,
                    reference=request.reference,
                    recipient=person.phone,
                    language=person.language,
                    now=now,
                ):
                    continue  # sent, or refused for good, by an earlier attempt
                text = notice_text(
                    reference=request.reference,
                    stage=notice.stage,
                    due=notice.due,
                    url=text_link(self.settings.public_url, request.reference),
                    language=person.language,
                    timezone=state.procedure.timezone,
                )
                prepared.append(PreparedText(key, person.phone, text))
        return prepared

    def _claim(self, key: str) -> bool:
        with session_scope(self.engine) as session:
            return sms.claim_text(session=session, key=key, now=datetime.now(UTC))

    def _finish(self, key: str, provider_id: str | None, error: str | None) -> None:
        with session_scope(self.engine) as session:
            sms.finish_text(
                session=session,
                key=key,
                now=datetime.now(UTC),
                provider_id=provider_id,
                error=error,
            )

    def _release(self, key: str) -> None:
        with session_scope(self.engine) as session:
            sms.release_text(session=session, key=key)

    def _park(self, request: NoticeRequest, reason: str) -> None:
        """Park the notice for its texts, keeping a reason it was parked for in this attempt
        (a company without an address: ``activities.notify``) beside the texts' own."""
        with session_scope(self.engine) as session:
            reasons = [f"{TEXTS_UNSENT}: {reason}"]
            earlier = session.get(NoticeParked, request.notice.key)
            if earlier is not None and earlier.retried_at is None:
                others = earlier.error.split("; ")
                reasons[:0] = [r for r in others if r and not r.startswith(TEXTS_UNSENT)]
            parked = ParkedNotice(request=request, error="; ".join(reasons), at=datetime.now(UTC))
            park(session, parked)

    async def send(self, request: NoticeRequest) -> int:
        """Send the notice's texts; how many went out now. Raises only when another attempt
        holds a text (retried later: its e-mails are not sent again); a gateway's error is
        never raised (see the module's docstring)."""
        if self.gateway is None:
            return 0
        prepared = await asyncio.to_thread(self.prepare, request)
        sent = held = 0
        unsent: str | None = None  # why the texts left were not sent now
        for item in prepared:
            if not await asyncio.to_thread(self._claim, item.key):
                held += 1
                continue
            try:
                provider_id = await self.gateway.send(item.to, item.text)
            except SmsRejected as rejection:
                # Kept and logged by key and code only: the gateway's words may name the number.
                activity.logger.warning(
                    "text %s refused for good (gateway code %d); not retried",
                    item.key,
                    rejection.code,
                )
                await asyncio.to_thread(self._finish, item.key, None, str(rejection.code))
                continue
            except SmsLoginRefused:
                await asyncio.to_thread(self._release, item.key)
                activity.logger.error(
                    "text %s not sent: the SMS gateway refused our account", item.key
                )
                unsent = "the SMS gateway refused our account; correct the SMS settings"
                break  # every text would be refused alike
            except Exception as error:  # the gateway down, slow or failing: send it later
                await asyncio.to_thread(self._release, item.key)
                activity.logger.warning(
                    "text %s not sent: the SMS gateway failed (%s)", item.key, type(error).__name__
                )
                unsent = f"the SMS gateway failed ({type(error).__name__})"
                break  # the next texts would wait on it alike
            await asyncio.to_thread(self._finish, item.key, provider_id, None)
            sent += 1
        if unsent is not None:
            reason = f"{unsent}, then send it again (its e-mails are not sent twice)"
            await asyncio.to_thread(self._park, request, reason)
        if held:
            raise ApplicationError(f"{held} text(s) of {request.notice.key} are being sent")
        return sent
