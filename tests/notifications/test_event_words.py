"""The status e-mail names what happened in the public pages' words, in every language:
its table (notifications/event_words.py) says what public/words.html's ``event`` macro
shows with the public catalogs, for every event a complainant may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from domain import words
from domain.cases import Event
from notifications.event_word_tables import EVENT_WORDS
from notifications.event_words import Happened, event_line, event_word
from notifications.stage_word_tables import DOCUMENT_ADDED, SIGNAL_RECEIVED, STAGE_WORDS
from tests.domain.test_action_registry import COMMITTEE_ONLY

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "nl", "bn", "tr", "zh")
AT = datetime(2026, 3, 20, 10, tzinfo=UTC)


@cache
def _gettext(language: str) -> Callable[[str], str]:
    if language == "en":
        return lambda text: text
    with (ROOT / "api" / "locale" / language / "LC_MESSAGES" / "public.po").open("rb") as po:
        catalog = read_po(po)

    def gettext(text: str) -> str:
        message = catalog.get(text)
        return str(message.string) if message is not None and message.string else text

    return gettext


@cache
def _words_module(language: str) -> Any:
    env = Environment(
        loader=FileSystemLoader(ROOT / "api" / "templates"), undefined=StrictUndefined
    )
    return env.get_template("public/words.html").make_module(
        {"_": _gettext(language), "ngettext": lambda one, _many, _n: one, "lang": language}
    )


def _public_page_word(event_type: str, summary: str, language: str) -> str:
    """What the public case page shows for the event, in ``language``."""
    event = Event(seq=1, at=AT, type=event_type, summary=summary)
    return str(_words_module(language).event(event))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_is_the_public_pages_word(language: str) -> None:
    seen = sorted(set(words.EVENTS) - COMMITTEE_ONLY)
    with_word = [t for t in seen if _public_page_word(t, "?", language) != "?"]
    assert {"message", "deadline_missed", "filed", "stage_changed"} <= set(with_word)
    assert set(EVENT_WORDS) == set(with_word)
    for event_type in with_word:
        happened = Happened(at=AT, type=event_type, summary="?")
        assert event_word(happened, language) == _public_page_word(event_type, "?", language)
    for summary in STAGE_WORDS:
        happened = Happened(at=AT, type="stage_changed", summary=summary)
        expected = _public_page_word("stage_changed", summary, language)
        assert event_word(happened, language) == expected != EVENT_WORDS["stage_changed"][language]
    signal = Happened(at=AT, type="filed", summary="Signal received")
    assert event_word(signal, language) == SIGNAL_RECEIVED[language]
    assert SIGNAL_RECEIVED[language] == _public_page_word("filed", "Signal received", language)
    document = Happened(at=AT, type="document_added", summary="Document added: wages.pdf")
    shown = _public_page_word("document_added", "Document added: wages.pdf", language)
    assert (
        event_word(document, language) == shown == DOCUMENT_ADDED[language].format(name="wages.pdf")
    )


def test_a_line_is_the_date_in_the_readers_words_and_the_word() -> None:
    missed = Happened(at=AT, type="deadline_missed", summary="Deadline missed: Response")
    assert event_line(missed, "bn", "Asia/Dhaka") == (
        "শুক্রবার, ২০ মার্চ, ২০২৬ — একটি সময়সীমা পার হয়ে গেছে"
    )
    assert event_line(missed, "zh", "Asia/Shanghai") == "2026年3月20日星期五 — 一项期限已错过"
    assert event_line(missed, "nl-BE", "Europe/Brussels") == (
        "vrijdag 20 maart 2026 — Een termijn is niet gehaald"
    )
    # A type without a public word (none a complainant sees) is still in the reader's words.
    unknown = Happened(at=AT, type="something_new", summary="Something new")
    assert "Something new" not in event_line(unknown, "tr", "Europe/Istanbul")
