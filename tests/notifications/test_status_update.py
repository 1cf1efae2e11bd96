"""The complainant's periodic status e-mail, in every language: the stage, what happened
since the last one, and the next due date (or that nothing new happened)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.enums import Audience, NoticeKind, Stage
from notifications.event_word_tables import EVENT_WORDS
from notifications.event_words import Happened
from notifications.phrases import deadline_phrase
from notifications.render import NoticeContext, render, stage_name
from tests.notifications.test_render import DUE_WORDS, LANGUAGES, make_context

# What happened since the last e-mail, as the notifier reads it from the read model.
SINCE = [
    Happened(at=datetime(2026, 1, 12, 10, tzinfo=UTC), type="message", summary="Message"),
    Happened(
        at=datetime(2026, 1, 30, 10, tzinfo=UTC),
        type="deadline_missed",
        summary="Deadline missed: Register the complaint",
    ),
]
NOTHING_NEW = {
    "en": "Nothing new has been recorded since the last update.",
    "nl": "Sinds het vorige bericht is er niets nieuws vastgelegd.",
    "bn": "আগের হালনাগাদের পর নতুন কিছু লিপিবদ্ধ হয়নি।",
    "tr": "Son bilgilendirmeden bu yana yeni bir kayıt yok.",
    "zh": "自上次通知以来没有新的记录。",
}


def _context(**overrides: object) -> NoticeContext:
    values: dict[str, object] = {
        "audience": Audience.COMPLAINANT,
        "recipient_name": "Rupali Workers Committee",
        "stage": Stage.SCREENING,
        "deadline_label": "Register the complaint",
    }
    return make_context(**(values | overrides))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_status_email_states_the_stage_what_happened_and_the_next_due_date(
    language: str,
) -> None:
    message = render(NoticeKind.STATUS_UPDATE, language, _context(text=None, happened=SINCE))
    assert message.language == language
    missed = f"{DUE_WORDS[language]} — {EVENT_WORDS['deadline_missed'][language]}"
    for body in (message.text, message.html):
        assert "RB-2026-0042" in body
        assert stage_name(Stage.SCREENING, language) in body
        assert deadline_phrase("Register the complaint", language) in body
        assert DUE_WORDS[language] in body
        # Each line: its date in words and the public pages' word, in the reader's language.
        assert missed in body
        assert EVENT_WORDS["message"][language] in body
        assert "Deadline missed" not in body  # no English summary left
        assert NOTHING_NEW[language] not in body
    assert f"- {missed}\n" in message.text
    assert stage_name(Stage.SCREENING, language) in message.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quiet_period_says_nothing_new_and_without_a_deadline_no_due_date(
    language: str,
) -> None:
    message = render(
        NoticeKind.STATUS_UPDATE, language, _context(text=None, due=None, deadline_label=None)
    )
    assert NOTHING_NEW[language] in message.text and NOTHING_NEW[language] in message.html
    assert DUE_WORDS[language] not in message.text
