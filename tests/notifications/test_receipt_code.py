"""The receipt e-mail shows a digit access code in groups of four, never broken inside a
group, and says in every language what the receipt page says: the code is shown only on
that page and in this e-mail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.enums import Audience, NoticeKind, Stage
from notifications.render import NoticeContext, render

CODE = "04831092755162084773"
SPACED = "0483 1092 7551 6208 4773"
# Where the code is shown, in each language's words: the page after filing and this e-mail.
SHOWN = {
    "en": "shown only on the page you saw after filing and in this e-mail",
    "nl": "alleen op de pagina die u na het indienen zag en in deze e-mail",
    "bn": "শুধু দাখিলের পরে দেখা পাতায় এবং এই ই-মেইলে দেখানো হয়েছে",
    "tr": "yalnızca başvurudan sonra gördüğünüz sayfada ve bu e-postada gösterilir",
    "zh": "只显示在提交后您看到的页面和本邮件中",
}


def _context(code: str) -> NoticeContext:
    return NoticeContext(
        reference="GT-2026-0007",
        covenant_name="Agreement on Sustainable Garments and Textile",
        subject="Dismissal of union members",
        stage=Stage.RECEIVED,
        audience=Audience.COMPLAINANT,
        recipient_name="Rahima Akter",
        complainant_display="Rahima Akter",
        due=datetime(2026, 1, 30, 22, 59, 59, tzinfo=UTC),
        status_url="https://redress.example/track?reference=GT-2026-0007",
        access_code=code,
    )


@pytest.mark.parametrize("language", sorted(SHOWN))
def test_the_receipt_shows_the_code_in_groups_and_says_where_it_is_shown(language: str) -> None:
    message = render(NoticeKind.RECEIPT, language, _context(CODE))

    assert SPACED in message.text
    groups = " ".join(
        f'<span style="white-space:nowrap;">{group}</span>' for group in SPACED.split()
    )
    assert groups in message.html
    assert CODE not in message.text + message.html  # only ever shown grouped
    assert SHOWN[language] in message.text and SHOWN[language] in message.html
    for only_mail in ("only in this e-mail", "alleen in deze e-mail", "শুধু এই ই-মেইলেই"):
        assert only_mail not in message.text + message.html


def test_a_code_of_the_older_kind_is_shown_whole() -> None:
    old = "Zq3-very-secret_access-code-4Xk0"
    message = render(NoticeKind.RECEIPT, "en", _context(old))
    assert f"YOUR ACCESS CODE: {old}" in message.text
    assert f">{old}</strong>" in message.html
