"""Languages of the pages: Babel catalogs compiled in memory, and the request's language."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import Request

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
