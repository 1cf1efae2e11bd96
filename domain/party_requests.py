"""What a case remembers of the parties' requests: extensions asked of the chair, and the
complainant's requests for follow-up or a meeting answered by the secretariat (pure).

Only what the state machine needs: who asked what and whether it was answered. The texts
(reasons, questions, answers) are events in the read model.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from domain.enums import Side


class RequestKind(StrEnum):
    """What the complainant asks the secretariat for."""

    FOLLOW_UP = "follow_up"
    MEETING = "meeting"  # with the company's representatives


class Answer(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"


class ExtensionAsk(BaseModel):
    """A party's request to extend one of the case's deadlines; ``id`` is ``extension-<n>``."""

    id: str
    deadline_id: str
    deadline_label: str
    until: datetime
    side: Side
    organisation_id: str | None = None  # the company that asked (a company's request)
    at: datetime
    answer_deadline_id: str | None = None  # the chair's deadline to answer it
    answer: Answer | None = None
    answered_at: datetime | None = None


class PartyRequest(BaseModel):
    """The complainant's request for follow-up or a meeting; ``id`` is ``request-<n>``."""

    id: str
    kind: RequestKind
    at: datetime
    answer_deadline_id: str | None = None  # the secretariat's deadline to answer it
    answered_at: datetime | None = None
    complainant: int | None = None  # which complainant asked, on a case with several
