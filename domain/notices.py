"""The e-mails a case sends: one queued by a transition, one the notifier is asked to send,
and one given up on."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from domain.enums import Audience, NoticeKind, Stage


class Notice(BaseModel):
    """An e-mail to send about an event; ``key`` makes its Message-ID deterministic."""

    key: str
    kind: NoticeKind
    audiences: list[Audience]
    stage: Stage
    deadline: str | None = None
    due: datetime | None = None
    text: str | None = None  # a short lead written by the engine
    # The event whose text (a message, reasons, a question) follows the lead: read from the
    # read model when the mail is written, so a long text is not in the history twice.
    quote: int | None = None
    party: str | None = None  # narrows RESPONDENTS to this organisation
    complainant: int | None = None  # narrows COMPLAINANT to this one (of several)


class NoticeRequest(BaseModel):
    """The input of the ``send_notice`` activity."""

    reference: str
    notice: Notice


class ParkedNotice(BaseModel):
    """A notice given up on after its retries: kept for staff to see and send again."""

    request: NoticeRequest
    error: str
    at: datetime
