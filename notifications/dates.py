"""Dates and times in an e-mail's language, in words, by Babel (pure)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

FALLBACK_LANGUAGE = "en"
# The e-mails' languages, each with a template per kind (``<kind>.<language>.txt``/``.html``).
LANGUAGES = ("en", "nl", "bn", "tr", "zh")
# A date in words (Babel's names): English and Dutch as "Friday 30 January 2026"; the other
# languages in their locale's own full order ("2026年1月30日星期五", "30 Ocak 2026 Cuma").
DATE_IN_WORDS = "EEEE d MMMM y"
_DATE_FORMATS: dict[str, str] = {
    "en": DATE_IN_WORDS,
    "nl": DATE_IN_WORDS,
    "bn": "full",
    "tr": "full",
    "zh": "full",
}
# The time of day after a date (Babel's pattern or format name), and how the two are joined.
_TIME_PATTERNS: dict[str, str] = {
    "en": "HH:mm",
    "nl": "HH:mm",
    "bn": "short",
    "tr": "short",
    "zh": "short",
}
_TIME_FORMATS: dict[str, str] = {
    "en": "{date} at {time}",
    "nl": "{date} om {time} uur",
    "bn": "{date}, সময় {time}",
    "tr": "{date}, saat {time}",
    "zh": "{date} {time}",
}


def normalise(language: str) -> str:
    """Primary subtag of a language tag, lower case ("nl-BE" → "nl")."""
    return language.strip().replace("_", "-").split("-")[0].lower()


def _supported(language: str) -> str:
    """The e-mail language for ``language``: itself when supported, else English."""
    lang = normalise(language)
    return lang if lang in LANGUAGES else FALLBACK_LANGUAGE


def format_date(moment: datetime, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """A date in words in the given zone, e.g. "Friday 30 January 2026"."""
    lang = _supported(language)
    local = moment.astimezone(ZoneInfo(timezone))
    return babel_dates.format_date(local.date(), _DATE_FORMATS[lang], locale=lang)


def format_due(moment: datetime, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """A deadline in words; the time of day is added only when it is not the end of the day."""
    lang = _supported(language)
    label = format_date(moment, lang, timezone)
    local = moment.astimezone(ZoneInfo(timezone))
    # Day-based deadlines fall at 23:59:59 local time and read as "by <date>".
    if local.time() >= time(23, 59):
        return label
    clock = babel_dates.format_time(local.time(), _TIME_PATTERNS[lang], locale=lang)
    return _TIME_FORMATS[lang].format(date=label, time=clock)


def format_day(day: date, language: str) -> str:
    """A calendar date in words, e.g. "Friday 30 January 2026" (no time zone involved)."""
    lang = _supported(language)
    return babel_dates.format_date(day, _DATE_FORMATS[lang], locale=lang)


def format_number(number: int, language: str) -> str:
    """A whole number as the language writes it (Babel's decimal format)."""
    return babel_numbers.format_decimal(number, locale=_supported(language))
