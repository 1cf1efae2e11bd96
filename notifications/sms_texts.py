"""The short texts sent by SMS, in the complainant's language, and their length (pure).

A notice's text names the case, its stage, the date by which the next step is due and the
tracking link; it must fit in two SMS segments. A text in the GSM 7-bit alphabet takes 160
characters in one segment, 153 in each of several; any other character (Bengali, Chinese,
Turkish ş ğ ı …) makes the whole text UCS-2: 70 in one, 67 in each of several, counted in
UTF-16 units. So the Bengali, Chinese and Turkish texts are the short ones. A date is in
the language's own digits (Bengali ০-৯, as the pages and e-mails write it); the reference
and the link keep their Latin ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

from core.digits import digits
from domain.enums import Stage
from notifications.dates import normalise
from notifications.render import stage_name

MAX_SEGMENTS = 2
TEXT_LANGUAGES = ("en", "nl", "bn", "tr", "zh")
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")  # each takes two septets (escape + character)

# "{reference}: {stage}. Next step by {due}. {url}" in each language; without a due date,
# the middle sentence is left out. Bengali goes without the name in front: its letters take
# UCS-2, and its longest stage with a date and the link fills two segments as it is.
NOTICE_TEXTS: dict[str, tuple[str, str]] = {
    "en": ("Redress {reference}: stage {stage}. ", "Next step due by {due}. "),
    "nl": ("Redress {reference}: fase {stage}. ", "Volgende stap uiterlijk {due}. "),
    "bn": ("{reference}: {stage}। ", "পরের ধাপ {due}-এর মধ্যে। "),
    "tr": ("Redress {reference}: aşama {stage}. ", "Sonraki adım: {due}. "),
    "zh": ("Redress {reference}：{stage}阶段。", "下一步截止：{due}。"),
}
# The answer to a text from a number with several open cases that named none of them.
WHICH_CASE: dict[str, str] = {
    "en": "Redress: start your text with the reference of the case it is for: {references}",
    "nl": "Redress: begin uw bericht met het kenmerk van de zaak: {references}",
    "bn": "Redress: বার্তার শুরুতে মামলার রেফারেন্স লিখুন: {references}",
    "tr": "Redress: mesajınıza dosyanın referansıyla başlayın: {references}",
    "zh": "Redress：请在短信开头写明案件编号：{references}",
}


# The tracking link in a text: short (``/t/<reference>`` redirects to the tracking form).
TEXT_LINK_PATH = "/t/"


def text_link(public_url: str, reference: str) -> str:
    """The case's short tracking link for a text."""
    return f"{public_url.rstrip('/')}{TEXT_LINK_PATH}{reference}"


def _language(language: str) -> str:
    lang = normalise(language)
    return lang if lang in TEXT_LANGUAGES else "en"


def short_date(moment: datetime, language: str, timezone: str) -> str:
    """The day of ``moment`` at the seat, short (Babel's medium format: "19 Dec 2026"), in the
    language's digits ("১৯ ডিসে, ২০২৬")."""
    lang = _language(language)
    local = moment.astimezone(ZoneInfo(timezone)).date()
    return digits(babel_dates.format_date(local, "medium", locale=lang), lang)


def notice_text(
    *,
    reference: str,
    stage: Stage,
    due: datetime | None,
    url: str,
    language: str,
    timezone: str,
) -> str:
    """A notice's text: the case, its stage, the next due date (if any) and the link."""
    lang = _language(language)
    head, due_part = NOTICE_TEXTS[lang]
    text = head.format(reference=reference, stage=stage_name(stage, lang))
    if due is not None:
        text += due_part.format(due=short_date(due, lang, timezone))
    return text + url


def which_case_text(references: Sequence[str], language: str) -> str:
    """The question back to a text that named none of the sender's open cases."""
    return WHICH_CASE[_language(language)].format(references=", ".join(references))


def is_gsm(text: str) -> bool:
    """Whether the text can go in the GSM 7-bit alphabet (else it goes as UCS-2)."""
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def segments(text: str) -> int:
    """How many SMS segments the text takes."""
    if is_gsm(text):
        units, single, each = sum(2 if c in GSM_EXTENDED else 1 for c in text), 160, 153
    else:
        units, single, each = len(text.encode("utf-16-le")) // 2, 70, 67
    if units <= single:
        return 1
    return -(-units // each)
