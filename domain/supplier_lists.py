"""Reading published supplier lists: headers, countries, and the keys that find a factory (pure)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import pycountry

FIELDS = ("country", "name", "address")
# Header spellings seen in published lists, compared after folding (see `fold`).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "country": ("country", "country name", "country code", "country region", "land", "nation"),
    "name": (
        "name",
        "factory name",
        "factory",
        "supplier name",
        "supplier",
        "facility name",
        "facility",
        "production location",
        "site name",
        "site",
        "manufacturer",
        "vendor name",
    ),
    "address": (
        "address",
        "factory address",
        "full address",
        "facility address",
        "location address",
        "street address",
        "address line",
        "supplier address",
        "adres",
    ),
}
# Common names that ISO 3166 does not list as such.
COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "great britain": "GB",
    "uae": "AE",
    "turkey": "TR",
    "russia": "RU",
    "slovak republic": "SK",
    "south korea": "KR",
    "korea": "KR",
    "macedonia": "MK",
    "laos": "LA",
    "ivory coast": "CI",
    "burma": "MM",
    "holland": "NL",
    "the netherlands": "NL",
    "usa": "US",
    "u s a": "US",
    "vietnam": "VN",
    "taiwan": "TW",
    "hong kong": "HK",
    "macau": "MO",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "czechia": "CZ",
}
# Legal forms that differ between lists of the same factory ("Co., Ltd" vs "Company Limited").
LEGAL_FORMS = {
    "co",
    "company",
    "ltd",
    "limited",
    "pvt",
    "private",
    "pte",
    "inc",
    "incorporated",
    "llc",
    "gmbh",
    "ag",
    "sa",
    "s a",
    "sl",
    "s l",
    "srl",
    "s r l",
    "spa",
    "s p a",
    "sas",
    "sarl",
    "bv",
    "b v",
    "nv",
    "n v",
    "plc",
    "corp",
    "corporation",
    "jsc",
    "tbk",
    "as",
    "a s",
    "sdn bhd",
    "bhd",
    "sdn",
    "kg",
    "oy",
    "ab",
    "lda",
    "ltda",
    "cv",
    "s de rv",
    "llp",
}
_MAX_LEGAL_WORDS = 3
_STRAY = re.compile(r"[\u25a1\ufffd\u200b-\u200f\ufeff]")


class Rejection(StrEnum):
    """Why a row of a list was not imported."""

    MISSING_NAME = "missing name"
    MISSING_COUNTRY = "missing country"
    UNKNOWN_COUNTRY = "unknown country"
    MISSING_ADDRESS = "missing address"
    DUPLICATE = "duplicate of an earlier row"
    MALFORMED = "wrong number of columns"


@dataclass(frozen=True)
class LocationRow:
    """A clean row: display text as published, country as ISO 3166 alpha-2."""

    line: int
    name: str
    address: str
    country: str
    source: str = ""

    @property
    def key(self) -> str:
        """The same factory in any list: country, name without legal form, folded address."""
        return match_key(self.name, self.address, self.country)


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: Rejection
    detail: str = ""
    source: str = ""


def clean(text: str | None) -> str:
    """Published text without stray characters and runs of spaces."""
    cleaned = _STRAY.sub("", text or "")
    cleaned = "".join(c for c in cleaned if unicodedata.category(c)[0] != "C" or c in "\t")
    return " ".join(cleaned.split())


def fold(text: str) -> str:
    """Lower case, without diacritics or punctuation: the form text is compared in."""
    decomposed = unicodedata.normalize("NFKD", clean(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", bare).split())


def name_key(name: str) -> str:
    """A folded name with trailing legal forms removed ('co ltd', 'pvt ltd', 's a')."""
    words = fold(name).split()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in range(min(_MAX_LEGAL_WORDS, len(words) - 1), 0, -1):
            if " ".join(words[-size:]) in LEGAL_FORMS:
                words, changed = words[:-size], True
                break
    return " ".join(words)


def match_key(name: str, address: str, country: str) -> str:
    """The key two rows share when they describe the same production location."""
    return f"{country}|{name_key(name)}|{fold(address)}"


def location_id(key: str) -> str:
    """A stable id for a location, derived from its match key."""
    return "loc-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def search_text(name: str, address: str) -> str:
    """What the registry search matches a query against."""
    return f"{name_key(name)} {fold(address)}"


def query_terms(query: str) -> list[str]:
    """A search query as folded words, legal forms dropped ('co., ltd' finds every factory)."""
    words = fold(query).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return kept or words


def country_code(raw: str) -> str | None:
    """ISO 3166 alpha-2 for a country in any spelling or case: 'BANGLADESH', 'BD', 'Viet Nam'."""
    text = clean(raw)
    if not text:
        return None
    folded = fold(text)
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        pass
    try:
        found = pycountry.countries.search_fuzzy(text)
    except LookupError:
        return None
    return str(found[0].alpha_2) if len(found) == 1 else None


def map_headers(headers: list[str]) -> dict[str, int] | str:
    """Column index of each field, matching header names loosely; or what is missing."""
    folded = [fold(h) for h in headers]
    mapping: dict[str, int] = {}
    for field in FIELDS:
        for index, header in enumerate(folded):
            if header in HEADER_ALIASES[field] or header == field:
                mapping[field] = index
                break
    missing = [f for f in FIELDS if f not in mapping]
    if missing:
        return f"no column for {', '.join(missing)} (found: {', '.join(headers)})"
    return mapping


def parse_row(line: int, cells: list[str], mapping: dict[str, int]) -> LocationRow | RejectedRow:
    """A row checked and normalised, or the reason it cannot be imported."""
    if len(cells) <= max(mapping.values()):
        return RejectedRow(line, Rejection.MALFORMED, f"{len(cells)} columns")
    name, address, raw_country = (clean(cells[mapping[f]]) for f in ("name", "address", "country"))
    if not name:
        return RejectedRow(line, Rejection.MISSING_NAME)
    if not raw_country:
        return RejectedRow(line, Rejection.MISSING_COUNTRY)
    country = country_code(raw_country)
    if country is None:
        return RejectedRow(line, Rejection.UNKNOWN_COUNTRY, raw_country)
    if not address:
        return RejectedRow(line, Rejection.MISSING_ADDRESS)
    return LocationRow(line=line, name=name, address=address, country=country)


# Address words that say nothing about which factory is meant.
ADDRESS_COMMON = frozenset(
    "road rd street st avenue ave lane no number plot block house floor building bldg unit "
    "city town village district division province state county zone area sector park "
    "industrial industry estate export processing epz economic development technical "
    "the of and at near west east north south main new old".split()
)
# How many telling words of its address a text must name besides the factory's name.
ADDRESS_WORDS_NAMED = 2
SHORTEST_NAME = 4


@dataclass(frozen=True)
class Mention:
    """Free text (a complaint's subject, description …) prepared for finding factories in."""

    padded: str  # folded, one space around every word
    words: frozenset[str]

    @classmethod
    def of(cls, *texts: str) -> Mention:
        """The texts together, folded as the registry's keys are."""
        folded = " ".join(fold(t) for t in texts if t)
        return cls(padded=f" {folded} ", words=frozenset(folded.split()))

    def may_name(self, search: str) -> bool:
        """A quick first test on a location's ``search_text`` (its name key first): whether
        the text holds the first word of its name."""
        first, _, _ = search.partition(" ")
        return first in self.words

    def names(self, name: str, address: str) -> bool:
        """Whether the text names this factory by name and address: its name without the
        legal form as words in a row, and at least two telling words of its address (all
        of them when it has fewer)."""
        key = name_key(name)
        if len(key) < SHORTEST_NAME or f" {key} " not in self.padded:
            return False
        telling = address_words(address)
        named = len(telling & self.words)
        return named >= min(ADDRESS_WORDS_NAMED, len(telling)) and named > 0


def address_words(address: str) -> frozenset[str]:
    """The words of an address that tell one factory from another: not street-type words,
    and numbers of two digits or more."""
    return frozenset(
        w
        for w in fold(address).split()
        if w not in ADDRESS_COMMON and (len(w) >= 3 or (w.isdigit() and len(w) >= 2))
    )
