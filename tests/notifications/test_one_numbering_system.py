"""One numbering system per e-mail and per text: a Bengali e-mail or SMS writes its dates,
times, durations and counts in Bengali digits (০-৯), as the pages do, while references, access
codes, links, addresses and phone numbers keep their Latin digits; English is unchanged."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from core.digits import digit_table, digits, number, utc_offset, zone_name
from domain.enums import Audience, NoticeKind, Stage
from notifications.dates import format_date, format_due, format_number
from notifications.event_words import Happened
from notifications.render import (
    AccountMailContext,
    NoticeContext,
    RenderedMessage,
    render,
    render_template,
)
from notifications.sms_texts import notice_text, segments, text_link, which_case_text

REFERENCE = "GT-2026-4K7Q9"
OTHER_REFERENCE = "GT-2025-0420"
ACCESS_CODE = "48310927551620847730"  # 20 digits, shown in groups of four
STATUS_URL = f"https://klachten.example.org/track?reference={REFERENCE}"
SECRETARIAT = "secretariaat2026@klachten.example.org"
PHONE = "+880 1711 000000"
# The name a confidential complainant goes by: an identifier, kept as the case gives it.
PSEUDONYM = "Complainant D6DD54"
# A day-based deadline (23:59:59 in Amsterdam) and one with a time of day.
DAY_DUE = datetime(2026, 9, 30, 21, 59, 59, tzinfo=UTC)
HOUR_DUE = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)
# Leads the engine writes before a notice's text, each carrying a date, a time or a count.
LEADS = (
    "Order 2: Pay the back wages: extended to 2026-05-01.",
    "Hearing: 2026-05-04T09:00:00+00:00",
    "Your report was passed on to the 13 companies that source from the location, "
    "with a request for due diligence and remediation.",
    "Progress report on order 3.",
    f"Case {OTHER_REFERENCE} about the same matter was merged into this case.",
)
HAPPENED = [
    Happened(at=datetime(2026, 1, 12, 10, tzinfo=UTC), type="message", summary="Message"),
    Happened(
        at=datetime(2026, 1, 30, 10, tzinfo=UTC),
        type="deadline_missed",
        summary="Deadline missed: Register the complaint",
    ),
]
LATIN_DIGIT = re.compile(r"[0-9]")
BENGALI_DIGIT = re.compile(r"[\u09e6-\u09ef]")
# What keeps its Latin digits: links, addresses, references, phone numbers, access codes
# (whole or in their groups of four).
IDENTIFIERS = (
    re.compile(r"https?://\S+"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,}-\d{4}-[0-9A-Z]+(?![A-Za-z0-9])"),
    re.compile(r"\+\d[\d ]{6,}\d"),
    re.compile(r"(?<![0-9])\d{4}(?: \d{4}){4}(?![0-9])"),
    re.compile(rf"(?<![0-9]){ACCESS_CODE}(?![0-9])"),
)


class _Visible(HTMLParser):
    """The text a reader sees in an HTML e-mail: its data, without tags nor attributes (whose
    styles carry sizes and colours in Latin digits)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "".join(parser.parts)


def latin_digits_left(text: str, *quoted: str) -> list[str]:
    """The Latin digits of ``text`` outside identifiers and the quoted texts, in context."""
    for kept in quoted:
        text = text.replace(kept, " ")
    for pattern in IDENTIFIERS:
        text = pattern.sub(" ", text)
    return [text[max(0, m.start() - 20) : m.end() + 20] for m in LATIN_DIGIT.finditer(text)]


def bodies(message: RenderedMessage) -> dict[str, str]:
    return {"subject": message.subject, "text": message.text, "html": visible(message.html)}


def _context(**overrides: object) -> NoticeContext:
    values: dict[str, object] = {
        "reference": REFERENCE,
        "covenant_name": "Convenant Duurzame Kleding en Textiel",
        "subject": "Wages not paid at the dyeing unit",
        "stage": Stage.RESPONSE,
        "audience": Audience.COMPLAINANT,
        "recipient_name": "Rupali Workers Committee",
        "complainant_display": PSEUDONYM,
        "deadline_label": "Order 2: Pay the back wages",
        "due": DAY_DUE,
        "happened": HAPPENED,
        "status_url": STATUS_URL,
        "access_code": ACCESS_CODE,
    }
    return NoticeContext(**(values | overrides))


def test_the_check_sees_latin_digits_and_lets_identifiers_be() -> None:
    assert latin_digits_left("পরের ধাপ 18 ডিসে") == ["পরের ধাপ 18 ডিসে"] * 2  # one per digit
    assert latin_digits_left("১৪:৩০ (UTC+৬)") == []
    kept = f"{REFERENCE} {STATUS_URL} {SECRETARIAT} {PHONE} 4831 0927 5516 2084 7730"
    assert latin_digits_left(kept) == []
    assert visible('<p style="margin:0 0 8px;">১২টি</p>') == "১২টি"


@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("due", [DAY_DUE, HOUR_DUE])
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_bengali_notice_writes_its_numbers_in_bengali_digits(
    kind: NoticeKind, due: datetime, lead: str
) -> None:
    message = render(kind, "bn", _context(due=due, text=lead))
    assert message.language == "bn"
    for part, body in bodies(message).items():
        assert latin_digits_left(body, PSEUDONYM) == [], (kind, part)
    shown = message.text + message.html
    if kind not in (NoticeKind.MESSAGE, NoticeKind.CLOSED):  # these do not state the due date
        assert format_due(due, "bn") in shown
    if kind is NoticeKind.RECEIPT:
        assert "4831 0927 5516 2084 7730" in message.text  # the code as it is typed back
    assert REFERENCE in message.subject and STATUS_URL in message.text


def test_the_values_a_bengali_notice_carries_are_in_bengali_digits() -> None:
    message = render(NoticeKind.STATUS_UPDATE, "bn", _context(due=HOUR_DUE))
    for body in (message.text, visible(message.html)):
        assert "নির্দেশ ২: Pay the back wages" in body  # the order's number, its text as written
        assert "সময় ১৪:৩০, নেদারল্যান্ডস সময় (UTC+১)" in body  # the time, with its zone
        assert "সোমবার, ১২ জানুয়ারী, ২০২৬ — " in body  # what happened, by its date
    hearing = render(NoticeKind.MESSAGE, "bn", _context(text=LEADS[1]))
    assert "শুনানি: সোমবার, ৪ মে, ২০২৬, সময় ১১:০০, নেদারল্যান্ডস সময় (UTC+২)" in hearing.text
    merged = render(NoticeKind.MESSAGE, "bn", _context(text=LEADS[4]))
    assert f"একই বিষয়ের কেস {OTHER_REFERENCE} এই কেসের সঙ্গে একীভূত" in merged.text
    counted = render(NoticeKind.MESSAGE, "bn", _context(text=LEADS[2]))
    assert "১৩টি কোম্পানির" in counted.text


def test_a_quoted_message_is_kept_as_its_writer_wrote_it() -> None:
    quoted = "We were paid 4500 taka for 26 days."
    message = render(NoticeKind.MESSAGE, "bn", _context(text=quoted))
    assert quoted in message.text
    assert latin_digits_left(message.text, quoted) == []


@pytest.mark.parametrize("name", ["invitation", "password_reset"])
def test_a_bengali_account_mail_writes_its_expiry_in_bengali_digits(name: str) -> None:
    context = AccountMailContext(
        recipient_name="Nasrin Sultana",
        username="nasrin2026",
        role_name="সচিবালয়",
        organisation_name="Rupali Workers Committee",
        inviter="Secretariat 2",
        link="https://klachten.example.org/account/set-password?token=7f3a9b2c41d08e65",
        expires_text=format_due(HOUR_DUE, "bn"),
    )
    message = render_template(name, "bn", context.model_dump())
    names = ("nasrin2026", "Secretariat 2")  # a username and a name stay as written
    for part, body in bodies(message).items():
        assert latin_digits_left(body, *names) == [], (name, part)
    assert "১৪:৩০, নেদারল্যান্ডস সময় (UTC+১)" in message.text


def test_the_bengali_receipt_of_an_emailed_complaint_keeps_only_its_code_in_latin() -> None:
    variables = {
        "recipient_name": "Rahima Akter",
        "covenant_name": "Convenant Duurzame Kleding en Textiel",
        "reference": REFERENCE,
        "subject": "Wages not paid",
        "access_code": ACCESS_CODE,
        "status_url": STATUS_URL,
    }
    message = render_template("draft_receipt", "bn", variables)
    for part, body in bodies(message).items():
        assert latin_digits_left(body) == [], part
    assert "4831 0927 5516 2084 7730" in message.text


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_english_keeps_its_latin_digits(kind: NoticeKind) -> None:
    message = render(kind, "en", _context(due=HOUR_DUE, text=LEADS[0]))
    for body in bodies(message).values():
        assert not BENGALI_DIGIT.search(body)
    assert latin_digits_left(message.text)  # the check would see them in a Bengali mail
    if kind not in (NoticeKind.MESSAGE, NoticeKind.CLOSED):
        assert "Monday 2 March 2026 at 14:30 Netherlands Time (UTC+1)" in message.text


def test_the_dates_of_every_language_but_bengali_keep_latin_digits() -> None:
    assert format_due(DAY_DUE, "en") == "Wednesday 30 September 2026"
    assert format_date(DAY_DUE, "bn") == "বুধবার, ৩০ সেপ্টেম্বর, ২০২৬"
    for language in ("en", "nl", "tr", "zh"):
        shown = format_due(HOUR_DUE, language) + format_number(1234567, language)
        assert not BENGALI_DIGIT.search(shown), language
    assert format_number(1234567, "bn") == "১২,৩৪,৫৬৭"  # the Indian grouping, Bengali digits
    assert format_number(1234567, "en") == "1,234,567"


@pytest.mark.parametrize("stage", list(Stage))
def test_every_bengali_text_writes_its_date_in_bengali_digits(stage: Stage) -> None:
    link = text_link("https://klachten.example.org", REFERENCE)
    for due in (DAY_DUE, HOUR_DUE, None):
        text = notice_text(
            reference=REFERENCE,
            stage=stage,
            due=due,
            url=link,
            language="bn",
            timezone="Europe/Amsterdam",
        )
        assert latin_digits_left(text) == [], text
        assert text.startswith(REFERENCE) and text.endswith(link)
        assert segments(text) <= 2, text
    dated = notice_text(
        reference=REFERENCE,
        stage=stage,
        due=DAY_DUE,
        url=link,
        language="bn",
        timezone="Europe/Amsterdam",
    )
    assert "৩০ সেপ, ২০২৬-এর মধ্যে" in dated
    question = which_case_text([REFERENCE, OTHER_REFERENCE], "bn")
    assert latin_digits_left(question) == [] and OTHER_REFERENCE in question


def test_an_english_text_is_unchanged() -> None:
    text = notice_text(
        reference=REFERENCE,
        stage=Stage.SCREENING,
        due=DAY_DUE,
        url="https://klachten.example.org/t/GT-2026-4K7Q9",
        language="en",
        timezone="Europe/Amsterdam",
    )
    assert text == (
        "Redress GT-2026-4K7Q9: stage screening. Next step due by Sep 30, 2026. "
        "https://klachten.example.org/t/GT-2026-4K7Q9"
    )


def test_the_digit_helper_is_the_pages_and_the_mails_one() -> None:
    assert digits("4 মার্চ, 2026 03:00", "bn") == "৪ মার্চ, ২০২৬ ০৩:০০"
    assert digits("4 March 2026 03:00", "en") == "4 March 2026 03:00"
    assert digits("12", "bn-BD") == "১২"
    assert digit_table("xx-nowhere") == {}  # a tag Babel does not know keeps Latin digits
    assert number(1234.5, "bn") == "১,২৩৪.৫"
    assert number(1234.5, "nl") == "1.234,5"
    winter = datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert utc_offset(winter.astimezone(ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert zone_name(ZoneInfo("Asia/Dhaka"), "bn", winter) == "বাংলাদেশ সময় (UTC+৬)"
    assert zone_name(ZoneInfo("Asia/Dhaka"), "en", winter) == "Bangladesh Time (UTC+6)"
    assert zone_name(ZoneInfo("UTC"), "bn", winter) == "UTC"
    from api.pages import i18n  # the pages' names are this helper

    assert i18n.digits is digits and i18n.number is number and i18n.zone_name is zone_name
