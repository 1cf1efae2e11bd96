"""Languages of the pages: Babel catalogs compiled in memory, and the request's language."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import Request
from jinja2 import pass_context

# The pure helpers shared with the e-mails and texts, kept importable from here.
from core.digits import ZEROS as ZEROS
from core.digits import digits as digits
from core.digits import number as number
from core.digits import zone_name as zone_name

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT = "en"
# Every page, public or portal, is complete in each of these languages.
LANGUAGES = {
    "en": "English",
    "nl": "Nederlands",
    "bn": "বাংলা",
    "tr": "Türkçe",
    "zh": "简体中文",
}
COOKIE = "lang"


# Two catalogs: the public pages and the portals (signed-in staff, companies and unions), each
# in every language above; English is the source, so it has no catalog.
DOMAINS = ("public", "portal")
PORTAL_LANGUAGES = tuple(LANGUAGES)


def _compile(po: Path, language: str) -> Translations:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@cache
def translations(language: str) -> NullTranslations:
    """A language's catalogs, compiled from the .po files once per process."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    pos = [folder / f"{domain}.po" for domain in DOMAINS]
    catalogs = [_compile(po, language) for po in pos if po.exists()]
    if language == DEFAULT or not catalogs:
        return NullTranslations()
    merged, *rest = catalogs
    for extra in rest:
        merged.merge(extra)
    return merged


def supported(language: str | None) -> str | None:
    """The supported language matching a tag such as 'nl-BE' or 'zh-Hans', if any."""
    if not language:
        return None
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def negotiate(request: Request) -> str:
    """The page language: ?lang=, then the cookie, then Accept-Language, then English."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        found = supported(candidate)
        if found:
            return found
    header = request.headers.get("accept-language", "")
    ranked = []
    for part in header.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            ranked.append((float(q) if q else 1.0, tag))
        except ValueError:
            continue
    for _, tag in sorted(ranked, reverse=True):
        found = supported(tag)
        if found:
            return found
    return DEFAULT


# Numbers, dates and times in the reader's language (Babel, CLDR) and in a zone the reader
# chose (a cookie) or else the seat's, always named. Babel writes Latin digits; a language
# whose CLDR numbering system has its own (Bengali: ০-৯) gets them, so that a page uses one
# numbering system, as its translated sentences do (core.digits, which the e-mails and
# texts use too). Identifiers (references, access codes) never pass through here and keep
# their Latin digits.
ZONE_COOKIE = "tz"
SEAT_ZONE = "Europe/Amsterdam"
# Offered on the case pages: the seat's and those of the people who file.
ZONES = (
    SEAT_ZONE,
    "Asia/Dhaka",
    "Asia/Kolkata",
    "Asia/Yangon",
    "Europe/Istanbul",
    "Asia/Shanghai",
    "UTC",
)


def zone_of(name: str | None) -> ZoneInfo:
    """The named IANA zone if it exists, else the seat's."""
    return ZoneInfo(name if name and name in _zone_names() else SEAT_ZONE)


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def chosen_zone(request: Request | None) -> ZoneInfo:
    """The zone the reader chose (cookie), else the seat's."""
    return zone_of(request.cookies.get(ZONE_COOKIE) if request is not None else None)


def local_date(moment: datetime | date | None, language: str, zone: ZoneInfo) -> str:
    """A day as the language writes it ("4 মার্চ, ২০২৬"); a moment's day in the zone."""
    if moment is None:
        return "\u2014"
    day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
    return digits(format_date(day, "medium", locale=language), language)


def local_moment(moment: datetime | None, language: str, zone: ZoneInfo) -> str:
    """A moment with its day, 24-hour time and named zone: "4 Mar 2026 03:00 Netherlands Time
    (UTC+1)"."""
    if moment is None:
        return "\u2014"
    time = digits(format_skeleton("Hm", moment, tzinfo=zone, locale=language), language)
    return f"{local_date(moment, language, zone)} {time} {zone_name(zone, language, moment)}"


@dataclass(frozen=True)
class Reader:
    """Whom a page writes its numbers, dates and times for: a language and a zone."""

    language: str = DEFAULT
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(SEAT_ZONE))

    def day(self, moment: datetime | date | None) -> str:
        """A day, as ``local_date``."""
        return local_date(moment, self.language, self.zone)

    def moment(self, moment: datetime | None) -> str:
        """A moment with its time and zone, as ``local_moment``."""
        return local_moment(moment, self.language, self.zone)

    def number(self, value: float) -> str:
        """A number, as ``number``."""
        return number(value, self.language)

    def digits(self, text: str) -> str:
        """A text whose only digits are numbers, in the language's digits."""
        return digits(text, self.language)


# English at the seat: for a page built without a request.
SEAT_READER = Reader()


def reader_of(request: Request) -> Reader:
    """The request's reader: the page language and the zone chosen, else the seat's."""
    return Reader(negotiate(request), chosen_zone(request))


def _reader(context: Any) -> tuple[str, ZoneInfo]:
    language = supported(context.get("lang")) or DEFAULT
    return language, chosen_zone(context.get("request"))


@pass_context
def when_filter(context: Any, moment: datetime | date | None, with_time: bool = False) -> str:
    """Template filter ``when``: a date, or with ``True`` a moment with its time and zone."""
    language, zone = _reader(context)
    if with_time and isinstance(moment, datetime):
        return local_moment(moment, language, zone)
    return local_date(moment, language, zone)


@pass_context
def number_filter(context: Any, value: float) -> str:
    """Template filter ``number``: a number in the page language."""
    return number(value, _reader(context)[0])


@pass_context
def digits_filter(context: Any, text: str) -> str:
    """Template filter ``digits``: a sentence whose only digits are numbers (no identifier),
    in the page language's digits."""
    return digits(str(text), _reader(context)[0])


@pass_context
def zone_options_filter(context: Any, request: Request | None) -> list[tuple[str, str, bool]]:
    """Template filter ``zone_options``: the zones a reader may choose, each named in the page
    language, and whether it is the one the times are shown in."""
    language, chosen = _reader(context)[0], chosen_zone(request)
    names = ZONES if chosen.key in ZONES else (*ZONES, chosen.key)
    return [(name, zone_name(ZoneInfo(name), language), name == chosen.key) for name in names]


# Registered on the pages' Jinja environment (api.pages.templating).
FILTERS = {
    "when": when_filter,
    "number": number_filter,
    "digits": digits_filter,
    "zone_options": zone_options_filter,
}
