"""Rendering of every notice kind in every language, without any I/O."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jinja2
import jinja2.meta
import pytest

from domain.enums import Audience, NoticeKind, Stage
from notifications.phrases import deadline_phrase
from notifications.render import (
    ACCOUNT_MAILS,
    STAGE_NAMES,
    TEMPLATE_DIR,
    AccountMailContext,
    NoticeContext,
    available_languages,
    format_date,
    format_due,
    render,
    resolve_language,
    stage_name,
)
from notifications.render import (
    LANGUAGES as SUPPORTED,
)

# 23:59:59 in Amsterdam on Friday 30 January 2026 (CET, UTC+1): a day-based deadline.
DUE = datetime(2026, 1, 30, 22, 59, 59, tzinfo=UTC)
# Babel's words for the date: English and Dutch in one order, the others in their locale's
# own full format, in the language's digits (Bengali ০-৯, as the pages write them).
DUE_WORDS = {
    "en": "Friday 30 January 2026",
    "nl": "vrijdag 30 januari 2026",
    "bn": "শুক্রবার, ৩০ জানুয়ারী, ২০২৬",
    "tr": "30 Ocak 2026 Cuma",
    "zh": "2026年1月30日星期五",
}
# Kinds whose copy states the due date when one is given.
KINDS_WITH_DUE = set(NoticeKind) - {NoticeKind.MESSAGE, NoticeKind.CLOSED}
LANGUAGES = ("en", "nl", "bn", "tr", "zh")


def make_context(**overrides: Any) -> NoticeContext:
    """A complete context for a respondent copy; tests override what they look at."""
    values: dict[str, Any] = {
        "reference": "RB-2026-0042",
        "covenant_name": "Convenant Duurzame Kleding en Textiel",
        "subject": "Dismissal of union members at a dyeing unit",
        "stage": Stage.RESPONSE,
        "audience": Audience.RESPONDENTS,
        "recipient_name": "Example Fashion B.V.",
        "complainant_display": "Complainant C-7F3A",
        "deadline_label": "first response",
        "due": DUE,
        "text": "Please explain the dismissals of 12 January.",
        "status_url": "https://redress.example/cases/RB-2026-0042",
        "access_code": "k3Y-Access-Code-Once",
    }
    values.update(overrides)
    return NoticeContext(**values)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_kind_renders_in_every_language(kind: NoticeKind, language: str) -> None:
    message = render(kind, language, make_context())

    assert message.language == language
    assert message.subject.strip()
    assert "\n" not in message.subject
    assert "RB-2026-0042" in message.subject
    assert "RB-2026-0042" in message.text
    assert "RB-2026-0042" in message.html
    assert "https://redress.example/cases/RB-2026-0042" in message.text
    for body in (message.subject, message.text, message.html):
        assert "{{" not in body and "}}" not in body and "{%" not in body
    assert f'<html lang="{language}">' in message.html
    if kind in KINDS_WITH_DUE:
        assert DUE_WORDS[language] in message.text
        assert DUE_WORDS[language] in message.html
        # A day-based deadline reads "by <date>", without a time of day.
        assert "23:59" not in message.text


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_html_is_self_contained(kind: NoticeKind) -> None:
    html = render(kind, "en", make_context()).html.lower()
    for remote in ("<img", "<link", "<script", "@import", "url(", "@font-face"):
        assert remote not in html


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_kind_has_templates_in_every_language(kind: NoticeKind) -> None:
    assert set(LANGUAGES) <= available_languages(kind)
    assert set(LANGUAGES) == set(SUPPORTED)


@pytest.mark.parametrize("language", ["fr", "de-DE", "", "xx-YY"])
def test_languages_without_templates_fall_back_to_english(language: str) -> None:
    message = render(NoticeKind.REMINDER, language, make_context())

    assert message.language == "en"
    assert message.subject.startswith("Reminder")
    assert DUE_WORDS["en"] in message.text
    assert '<html lang="en">' in message.html


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("nl-NL", "nl"),
        ("NL_be", "nl"),
        ("en-GB", "en"),
        ("bn-BD", "bn"),
        ("tr_TR", "tr"),
        ("zh-Hans-CN", "zh"),
    ],
)
def test_language_tags_use_their_primary_subtag(tag: str, expected: str) -> None:
    assert resolve_language(NoticeKind.RECEIPT, tag) == expected
    assert render(NoticeKind.RECEIPT, tag, make_context()).language == expected


def test_receipt_shows_access_code_and_how_to_follow_the_case() -> None:
    context = make_context(audience=Audience.COMPLAINANT, stage=Stage.RECEIVED)
    for language in LANGUAGES:
        message = render(NoticeKind.RECEIPT, language, context)
        assert "k3Y-Access-Code-Once" in message.text
        assert "k3Y-Access-Code-Once" in message.html
        assert context.status_url in message.html


def test_only_the_receipt_shows_an_access_code() -> None:
    context = make_context()
    for kind in set(NoticeKind) - {NoticeKind.RECEIPT}:
        for language in LANGUAGES:
            message = render(kind, language, context)
            assert "k3Y-Access-Code-Once" not in message.text + message.html


def test_dutch_copy_uses_dutch_stage_names_and_words() -> None:
    message = render(NoticeKind.STAGE_CHANGED, "nl", make_context(stage=Stage.MEDIATION))

    assert message.subject == "Zaak RB-2026-0042 is nu in de fase: bemiddeling"
    assert "Uiterlijk: vrijdag 30 januari 2026" in message.text


def test_information_request_shows_question_and_stopped_clock() -> None:
    question = "Which workers were dismissed, and on which dates?"
    english = render(NoticeKind.INFORMATION_REQUESTED, "en", make_context(text=question))
    dutch = render(NoticeKind.INFORMATION_REQUESTED, "nl", make_context(text=question))

    assert question in english.text and question in english.html
    assert "clock is stopped" in english.text
    assert "opgeschort" in dutch.text


def test_free_text_is_escaped_in_html_and_kept_verbatim_in_text() -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    message = render(NoticeKind.MESSAGE, "en", make_context(text=hostile, subject="A <i>case</i>"))

    assert hostile in message.text
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert "&lt;i&gt;case&lt;/i&gt;" in message.html


def test_optional_fields_may_be_missing() -> None:
    bare = make_context(deadline_label=None, due=None, text=None, access_code=None)
    for kind in NoticeKind:
        for language in LANGUAGES:
            message = render(kind, language, bare)
            assert message.subject.strip()
            assert "None" not in message.subject + message.text
            assert "\n\n\n" not in message.text


def test_company_notice_for_a_confidential_case_shows_only_the_pseudonym() -> None:
    # Masking is the caller's job; this pins that the renderer has no other route to the
    # name: the real name rides along in the payload as stray fields, as a careless caller
    # might send it, and must not surface anywhere in any copy.
    real_name = "Shirin Akhter"
    payload = make_context(complainant_display="Complainant C-1").model_dump()
    payload.update(
        complainant_name=real_name,
        complainant_email="shirin.akhter@example.org",
        complainant={"name": real_name},
    )
    context = NoticeContext.model_validate(payload)

    for language in LANGUAGES:
        message = render(NoticeKind.COMPANY_NOTICE, language, context)
        assert "Complainant C-1" in message.text
        assert "Complainant C-1" in message.html
        everything = message.subject + message.text + message.html
        assert "Shirin" not in everything
        assert "Akhter" not in everything
        assert "shirin.akhter" not in everything
    for kind in NoticeKind:
        for language in LANGUAGES:
            message = render(kind, language, context)
            assert "Akhter" not in message.subject + message.text + message.html


def test_templates_use_only_context_variables() -> None:
    # Every name a template reads must be a NoticeContext field or one render() derives;
    # so the only complainant identity a template can print is complainant_display. The
    # account mails (invitation, reset) know nothing of cases: AccountMailContext only.
    derived = {"language", "stage_name", "due_text", "mail_subject"}
    allowed = set(NoticeContext.model_fields) | derived
    account = set(AccountMailContext.model_fields) | derived
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR))
    names = sorted(p.name for p in TEMPLATE_DIR.iterdir() if p.suffix in {".txt", ".html"})
    assert len(names) >= 2 * len(LANGUAGES) * len(NoticeKind)
    for name in names:
        source = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
        used = jinja2.meta.find_undeclared_variables(env.parse(source))
        if name.startswith(ACCOUNT_MAILS):
            assert used <= account, (name, used - account)
            continue
        assert used <= allowed, (name, used - allowed)
        assert "complainant" not in " ".join(used - {"complainant_display"}), name


def test_stage_names_cover_every_stage_in_every_language() -> None:
    assert set(STAGE_NAMES) == set(LANGUAGES)
    for language, names in STAGE_NAMES.items():
        assert set(names) == set(Stage), language
        assert all(name.strip() for name in names.values())
    assert stage_name(Stage.HEARING, "nl") == "hoorzitting"
    assert stage_name(Stage.HEARING, "bn") == "শুনানি"
    assert stage_name(Stage.HEARING, "tr") == "duruşma"
    assert stage_name(Stage.HEARING, "zh") == "听证"
    assert stage_name(Stage.HEARING, "fr") == "hearing"


def test_dates_are_shown_in_the_seat_time_zone() -> None:
    # 23:30 UTC on Friday is already Saturday in Amsterdam.
    late = datetime(2026, 1, 30, 23, 30, tzinfo=UTC)
    assert format_date(late, "en") == "Saturday 31 January 2026"
    assert format_date(late, "nl") == "zaterdag 31 januari 2026"
    assert format_date(late, "en", "UTC") == "Friday 30 January 2026"
    # Summer time: UTC+2.
    summer = datetime(2026, 7, 1, 21, 59, 59, tzinfo=UTC)
    assert format_due(summer, "nl") == "woensdag 1 juli 2026"


def test_hour_deadlines_show_the_time_of_day() -> None:
    urgent = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)
    # 24-hour, as the pages show it, and always with its zone, named as the pages name it.
    assert format_due(urgent, "en") == "Monday 2 March 2026 at 14:30 Netherlands Time (UTC+1)"
    assert format_due(urgent, "nl") == (
        "maandag 2 maart 2026 om 14:30 uur, tijd in Nederland (UTC+1)"
    )
    assert format_due(DUE, "nl") == "vrijdag 30 januari 2026"
    assert format_due(urgent, "bn") == ("সোমবার, ২ মার্চ, ২০২৬, সময় ১৪:৩০, নেদারল্যান্ডস সময় (UTC+১)")
    assert format_due(urgent, "tr") == "2 Mart 2026 Pazartesi, saat 14:30 Hollanda Saati (UTC+1)"
    assert format_due(urgent, "zh") == "2026年3月2日星期一 荷兰时间 (UTC+1) 14:30"
    # In the case's own zone, with that zone's offset on the day (summer time: UTC+6 in
    # Dhaka has none; Amsterdam is UTC+2).
    assert format_due(urgent, "bn", "Asia/Dhaka") == (
        "সোমবার, ২ মার্চ, ২০২৬, সময় ১৯:৩০, বাংলাদেশ সময় (UTC+৬)"
    )
    summer = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert format_due(summer, "en") == "Wednesday 1 July 2026 at 10:00 Netherlands Time (UTC+2)"
    for language in LANGUAGES:
        assert format_due(DUE, language) == DUE_WORDS[language]
    assert format_due(DUE, "fr") == DUE_WORDS["en"]


def test_render_is_pure() -> None:
    context = make_context()
    assert render(NoticeKind.REMINDER, "nl", context) == render(NoticeKind.REMINDER, "nl", context)
    assert context == make_context()


def test_template_languages_are_looked_up_once_per_kind() -> None:
    available_languages.cache_clear()
    for language in ("nl", "en", "fr", "nl"):
        render(NoticeKind.REMINDER, language, make_context())
    info = available_languages.cache_info()
    assert (info.misses, info.hits) == (1, 3)


def test_a_signal_receipt_speaks_of_a_report_passed_on_to_the_companies() -> None:
    context = make_context(audience=Audience.COMPLAINANT, stage=Stage.SIGNAL, case_kind="signal")
    english = render(NoticeKind.RECEIPT, "en", context)
    dutch = render(NoticeKind.RECEIPT, "nl", context)
    assert english.subject.startswith("Report received")
    assert "due diligence" in english.text and "due diligence" in english.html
    assert "screening" not in english.text
    assert dutch.subject.startswith("Melding ontvangen") and "signaal" in dutch.text
    for language, start, word in (
        ("bn", "রিপোর্ট পাওয়া গেছে", "সতর্ক রিপোর্ট"),
        ("tr", "Bildiriminiz alındı", "özen yükümlülüğü"),
        ("zh", "举报已收到", "尽职调查"),
    ):
        report = render(NoticeKind.RECEIPT, language, context)
        assert report.subject.startswith(start) and word in report.text and word in report.html
    complaint = render(NoticeKind.RECEIPT, "en", make_context(audience=Audience.COMPLAINANT))
    assert complaint.subject.startswith("Complaint received") and "screening" in complaint.text


def test_signal_notice_asks_for_due_diligence_with_the_secretariat_note() -> None:
    context = make_context(
        stage=Stage.SIGNAL,
        complainant_display="Reporter R-9",
        deadline_label="Due diligence and remediation by Example Fashion B.V.",
        text="Fire exits reported locked on the night shift.",
    )
    for language, words in (
        ("en", "due diligence"),
        ("nl", "gepaste zorgvuldigheid"),
        ("bn", "যথাযথ যাচাই"),
        ("tr", "özen yükümlülüğü"),
        ("zh", "尽职调查"),
    ):
        message = render(NoticeKind.SIGNAL_NOTICE, language, context)
        assert words in message.subject.lower() and words in message.text
        for body in (message.text, message.html):
            assert "Reporter R-9" in body
            assert "Fire exits reported locked on the night shift." in body
            # The company's own deadline, in the mail's words around the company's name.
            assert deadline_phrase(context.deadline_label or "", language) in body
            assert "Example Fashion B.V." in body
    assert stage_name(Stage.SIGNAL, "nl") == "signaal aan de bedrijven"
