"""What a person wrote in a reply, without the message it quotes or their signature (pure).

``mail-parser-reply`` finds the quoted message's header ("On … wrote:", Outlook's "From: …
Sent: …", in English, Dutch, Chinese and other languages it knows) and the signature
("-- ", "Best regards", "Sent from my iPhone"). It misses quote headers of languages it does
not know (Bengali, Turkish) and some forms of those it does, so two checks that do not
depend on the language follow: the text is cut at the first line naming the notice's own
sender or reply address (every quote header names who wrote the quoted mail: Redress),
and lines quoted with ``>`` are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mailparser_reply import EmailReplyParser

# The languages the library knows among those Redress writes in; English is always added.
KNOWN_LANGUAGES = ("nl", "zh")
MAX_CHARS = 20_000  # the longest message text a case takes (domain.cases.Text)
CUT = "[…]"
_QUOTED = re.compile(r"^\s*>")


def _library_cut(text: str, language: str | None) -> str:
    languages = ["en", *(code for code in KNOWN_LANGUAGES if code == language)]
    found = EmailReplyParser(languages=languages).read(text)
    return found.replies[0].body if found.replies else text


def _cut_at(lines: list[str], markers: Iterable[str]) -> list[str]:
    """The lines before the first that names one of the markers (case-blind)."""
    wanted = [m.lower() for m in markers if m]
    for number, line in enumerate(lines):
        lowered = line.lower()
        if any(marker in lowered for marker in wanted):
            return lines[:number]
    return lines


def reply_text(
    body: str, *, language: str | None = None, ours: Iterable[str] = (), limit: int = MAX_CHARS
) -> str:
    """The new text of a reply: quoted message, quote header and signature cut off.

    ``ours`` are the addresses the quoted notice came from and was answered to (the
    notices' sender, the reply address): a line naming one starts the quoted part. Text
    longer than ``limit`` (by default what a case takes) is cut, and says so.
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    kept = _library_cut(text, language).split("\n")
    kept = _cut_at(kept, ours)
    kept = [line.rstrip() for line in kept if not _QUOTED.match(line)]
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if not result and text.strip():
        # The library took all for a quote or a signature (a reply written below the quote):
        # keep what is not quoted.
        lines = [line.rstrip() for line in text.split("\n") if not _QUOTED.match(line)]
        result = re.sub(r"\n{3,}", "\n\n", "\n".join(_cut_at(lines, ours))).strip()
    if len(result) > limit:
        result = result[: limit - len(CUT) - 1].rstrip() + " " + CUT
    return result
