"""Dates and times in an e-mail's language, in words, by Babel (pure).

Every date, time and number is written in the language's own digits (``core.digits``: Bengali
০-৯, as the pages write them), so that an e-mail or a text uses one numbering system; a time
of day always names its zone. References, access codes, links and addresses never pass
through here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates as babel_dates

from core.digits import digits, number, zone_name

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
# The time of day after a date: 24-hour (Babel's "Hm" skeleton, as the pages show it), then
# the zone it is in, named as the pages name it ("Netherlands Time (UTC+1)"); how the date,
# the time and the zone are joined, by language.
_TIME_FORMATS: dict[str, str] = {
    "en": "{date} at {time} {zone}",
    "nl": "{date} om {time} uur, {zone}",
    "bn": "{date}, সময় {time}, {zone}",
    "tr": "{date}, saat {time} {zone}",
    "zh": "{date} {zone} {time}",
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
    return digits(babel_dates.format_date(local.date(), _DATE_FORMATS[lang], locale=lang), lang)


def format_due(moment: datetime, language: str, timezone: str = "Europe/Amsterdam") -> str:
    """A deadline in words; the time of day, with its zone, is added only when it is not the
    end of the day: "Monday 2 March 2026 at 14:30 Netherlands Time (UTC+1)"."""
    lang = _supported(language)
    label = format_date(moment, lang, timezone)
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    # Day-based deadlines fall at 23:59:59 local time and read as "by <date>".
    if local.time() >= time(23, 59):
        return label
    clock = digits(babel_dates.format_skeleton("Hm", local, tzinfo=zone, locale=lang), lang)
    named = zone_name(zone, lang, local)
    return _TIME_FORMATS[lang].format(date=label, time=clock, zone=named)


def format_day(day: date, language: str) -> str:
    """A calendar date in words, e.g. "Friday 30 January 2026" (no time zone involved)."""
    lang = _supported(language)
    return digits(babel_dates.format_date(day, _DATE_FORMATS[lang], locale=lang), lang)


def format_number(value: int, language: str) -> str:
    """A whole number as the language writes it (Babel's decimal format, its digits)."""
    return number(value, _supported(language))
