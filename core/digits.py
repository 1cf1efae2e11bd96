"""Numbers in a language's own digits, for the pages, the e-mails and the texts alike (pure).

Babel (CLDR) formats numbers, dates and times with Latin digits whatever the locale. A language
whose CLDR default numbering system has decimal digits of its own (Bengali: ০-৯) gets them
here, so that a page, an e-mail or a text uses one numbering system, as its translated
sentences do. Identifiers (references such as GT-2026-4K7Q9, access codes, which are typed back
on any keyboard), links, addresses and phone numbers never pass through here and keep their
Latin digits.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from babel.numbers import format_decimal

# The zero of each numbering system with its own decimal digits that a language may use.
ZEROS = {"beng": "\u09e6", "deva": "\u0966", "mymr": "\u1040", "arab": "\u0660"}


@cache
def digit_table(language: str) -> dict[int, str]:
    """``str.translate`` table from Latin digits to the language's own (empty: it keeps
    Latin digits, as does a tag Babel does not know)."""
    try:
        system = Locale.parse(language.replace("-", "_")).default_numbering_system
    except (UnknownLocaleError, ValueError):
        return {}
    zero = ZEROS.get(system)
    return {} if zero is None else {48 + n: chr(ord(zero) + n) for n in range(10)}


def digits(text: str, language: str) -> str:
    """Latin digits of a number, date or sentence of numbers in the language's own digits."""
    return text.translate(digit_table(language))


def number(value: float, language: str) -> str:
    """A number as the language writes it (grouping, decimal sign, digits)."""
    return digits(format_decimal(value, locale=language), language)


def utc_offset(moment: datetime) -> str:
    """A moment's offset from UTC, short and in Latin digits: "UTC+1", "UTC+5:30"."""
    offset = moment.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign, seconds = ("+" if seconds >= 0 else "-"), abs(seconds)
    hours, minutes = divmod(seconds // 60, 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zone_name(zone: ZoneInfo, language: str, moment: datetime | None = None) -> str:
    """The zone as the language names it, with its offset at ``moment`` (else now), in the
    language's digits: "Bangladesh Time (UTC+6)", "বাংলাদেশ সময় (UTC+৬)"."""
    at = (moment or datetime.now(zone)).astimezone(zone)
    if zone.key == "UTC":
        return "UTC"
    return f"{get_timezone_location(zone, locale=language)} ({digits(utc_offset(at), language)})"
