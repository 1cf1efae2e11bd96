"""Cutting a reply down to what its sender wrote: quoted notice, quote header, signature."""

from __future__ import annotations

import pytest

from services.quoted_text import CUT, reply_text

OURS = ["no-reply@redress.localhost", "@reply.redress.test"]
QUOTED = "> A message was added to case GT-2026-0001.\n> Please respond by 5 January.\n"


@pytest.mark.parametrize(
    ("body", "language", "expected"),
    [
        # Gmail in English: the quote header, the quote, and the "regards" signature.
        (
            "We will send the payslips tomorrow.\n\nBest regards,\nEva Jansen\n\n"
            "On Sat, 5 Dec 2026 at 12:00, Redress <no-reply@redress.localhost> wrote:\n" + QUOTED,
            "en",
            "We will send the payslips tomorrow.",
        ),
        # A "-- " signature and an Outlook header block quoting the notice unmarked.
        (
            "We dispute the dismissals.\nSecond paragraph.\n\n-- \nEva Jansen\nNoorderlicht\n\n"
            "From: Redress <no-reply@redress.localhost>\nSent: Saturday, 5 December 2026\n"
            "To: Eva\nSubject: Case GT-2026-0001\n\nA message was added.\n",
            "en",
            "We dispute the dismissals.\nSecond paragraph.",
        ),
        # Dutch Gmail, whose header form the library misses: it names our address.
        (
            "Wij reageren morgen.\n\nOp za 5 dec 2026 om 12:00 schreef Redress "
            "<no-reply@redress.localhost>:\n" + QUOTED,
            "nl",
            "Wij reageren morgen.",
        ),
        # Bengali and Turkish quote headers, which the library does not know.
        (
            "আমরা কাল বেতনের কাগজ পাঠাব।\n\n২০২৬ সালের ৫ ডিসেম্বর Redress "
            "<no-reply@redress.localhost> লিখেছেন:\n" + QUOTED,
            "bn",
            "আমরা কাল বেতনের কাগজ পাঠাব।",
        ),
        (
            "Yarın cevap vereceğiz.\n\n5 Ara 2026 Cmt, 12:00 tarihinde Redress "
            "<no-reply@redress.localhost> şunu yazdı:\n" + QUOTED,
            "tr",
            "Yarın cevap vereceğiz.",
        ),
        # A phone's "Sent from" line, then the quote.
        ("Ok, noted.\n\nSent from my iPhone\n\n" + QUOTED, None, "Ok, noted."),
        # Written below the quote: the quote goes, the answer stays.
        (
            "On Sat, 5 Dec 2026 at 12:00, Redress <no-reply@redress.localhost> wrote:\n"
            + QUOTED
            + "\nThat date does not work for us.\n",
            "en",
            "That date does not work for us.",
        ),
        # Nothing quoted: the text as written (line ends normalised).
        ("Just text.\r\nTwo lines.\r\n", None, "Just text.\nTwo lines."),
        ("> only a quote\n", None, ""),
    ],
)
def test_only_the_new_text_is_kept(body: str, language: str | None, expected: str) -> None:
    assert reply_text(body, language=language, ours=OURS) == expected


def test_a_reply_longer_than_a_case_takes_is_cut_and_says_so() -> None:
    text = reply_text("word " * 10_000, limit=1000)
    assert len(text) <= 1000 and text.endswith(CUT)
