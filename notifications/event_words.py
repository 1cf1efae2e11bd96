"""What happened on a case, as the complainant's status e-mail lists it, per language (pure).

Each event a complainant may see is one line: its date in words (Babel, the reader's
locale) and the public pages' word for its type (``api/templates/public/words.html``'s
``event`` macro, as translated in ``api/locale/*/LC_MESSAGES/public.po``), kept in
``notifications.event_word_tables`` and ``notifications.stage_word_tables``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from notifications.dates import FALLBACK_LANGUAGE, LANGUAGES, format_date, normalise
from notifications.event_word_tables import EVENT_WORDS
from notifications.stage_word_tables import (
    DOCUMENT_ADDED,
    SIGNAL_RECEIVED,
    SOMETHING_RECORDED,
    STAGE_WORDS,
)


class Happened(BaseModel):
    """One event of the case as the status e-mail lists it (from the read model)."""

    at: datetime
    type: str
    summary: str


def _language(language: str) -> str:
    lang = normalise(language)
    return lang if lang in LANGUAGES else FALLBACK_LANGUAGE


def event_word(happened: Happened, language: str) -> str:
    """The public pages' word for the event in ``language``."""
    lang = _language(language)
    if happened.type == "stage_changed" and happened.summary in STAGE_WORDS:
        return STAGE_WORDS[happened.summary][lang]
    if happened.type == "filed" and happened.summary == "Signal received":
        return SIGNAL_RECEIVED[lang]
    if happened.type == "document_added" and ": " in happened.summary:
        return DOCUMENT_ADDED[lang].format(name=happened.summary.split(": ", 1)[1])
    words = EVENT_WORDS.get(happened.type)
    return words[lang] if words else SOMETHING_RECORDED[lang]


def event_line(happened: Happened, language: str, timezone: str) -> str:
    """The event as one line of the e-mail: its date in words, then its word."""
    return f"{format_date(happened.at, language, timezone)} — {event_word(happened, language)}"
