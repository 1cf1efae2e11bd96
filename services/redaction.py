"""Redaction of published text: every term of a list replaced, case-insensitively, as a
whole word where the script has words (pure).

Terms and text are compared in Unicode NFC. A word character is a letter, a mark or a digit
of any script (so a Bengali vowel sign does not end a word, as it would for ``re``'s ``\\b``).
Scripts written without spaces between words (Chinese, Japanese, Thai …) have no word
boundary to look for: a term in them is replaced wherever it occurs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

MARK = "[…]"  # what a removed term shows as, the same in every language
MIN_TERM = 2  # a one-character term would blank out too much text


def _word_char(char: str) -> bool:
    return char == "_" or unicodedata.category(char)[0] in "LMN"


def _spaceless(char: str) -> bool:
    """A character of a script written without spaces between words."""
    code = ord(char)
    if unicodedata.east_asian_width(char) in ("W", "F") and char.isalpha():
        return True  # Han, kana, fullwidth forms (Hangul is spaced but harmless here)
    return (
        0x0E00 <= code <= 0x0EFF  # Thai, Lao
        or 0x1000 <= code <= 0x109F  # Myanmar
        or 0x1780 <= code <= 0x17FF  # Khmer
    )


def normalised_terms(terms: Iterable[str]) -> list[str]:
    """The distinct terms worth applying, longest first (so a full name goes before a part
    of it)."""
    seen: dict[str, str] = {}
    for term in terms:
        clean = " ".join(unicodedata.normalize("NFC", term).split())
        if len(clean) >= MIN_TERM:
            seen.setdefault(clean.casefold(), clean)
    return sorted(seen.values(), key=lambda t: (-len(t), t))


@lru_cache(maxsize=4096)  # a register read redacts every entry with mostly the same terms
def _pattern(term: str) -> re.Pattern[str]:
    # Any run of white space in the term matches any run in the text (a name over a line end).
    parts = [re.escape(part) for part in term.split(" ")]
    return re.compile(r"\s+".join(parts), re.IGNORECASE)


def redact(text: str, terms: Iterable[str]) -> str:
    """``text`` with every term replaced by ``MARK``."""
    out = unicodedata.normalize("NFC", text)
    for term in normalised_terms(terms):
        bounded_start = not _spaceless(term[0])
        bounded_end = not _spaceless(term[-1])

        pattern = _pattern(term)
        pieces: list[str] = []
        pos = 0
        for match in pattern.finditer(out):
            start, end = match.span()
            if bounded_start and start > 0 and _word_char(out[start - 1]):
                continue
            if bounded_end and end < len(out) and _word_char(out[end]):
                continue
            pieces.append(out[pos:start])
            pieces.append(MARK)
            pos = end
        pieces.append(out[pos:])
        out = "".join(pieces)
    return out


def contains_any(text: str, terms: Iterable[str]) -> list[str]:
    """The terms still found in ``text`` (case-insensitive, anywhere): for checks and tests."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return [t for t in normalised_terms(terms) if t.casefold() in folded]
