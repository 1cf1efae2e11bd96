"""The receipt of a complaint sent by e-mail, in every language the e-mails are written in:
complete, faithful to the English (the checks of ``test_languages``), and carrying the
reference, the access code and the tracking link."""

from __future__ import annotations

import pytest

from activities.draft_receipts import KIND, receipt_language
from notifications.render import LANGUAGES, TEMPLATE_DIR, render_template
from tests.notifications.test_languages import _prose, _shape

TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
VARIABLES = {
    "recipient_name": "Rahima Akter",
    "covenant_name": "Convenant Duurzame Kleding en Textiel",
    "reference": "GT-2026-0007",
    "subject": "Wages not paid",
    "access_code": "48310927551620847730",
    "status_url": "https://redress.example/track?reference=GT-2026-0007",
}
RECEIVED = {
    "en": "Complaint received by e-mail",
    "nl": "Klacht per e-mail ontvangen",
    "bn": "ই-মেইলে অভিযোগ পাওয়া গেছে",
    "tr": "Şikâyetiniz e-postayla alındı",
    "zh": "已通过电子邮件收到投诉",
}
REFERENCE = {
    "en": "reference",
    "nl": "kenmerk",
    "bn": "কেস নম্বর",
    "tr": "dosya numarası",
    "zh": "案件编号",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_exists_and_carries_reference_code_and_link(language: str) -> None:
    for suffix in ("txt", "html"):
        assert (TEMPLATE_DIR / f"{KIND}.{language}.{suffix}").is_file()
    message = render_template(KIND, language, VARIABLES)
    assert message.subject == f"{RECEIVED[language]} – {REFERENCE[language]} GT-2026-0007"
    assert "4831 0927 5516 2084 7730" in message.text
    groups = " ".join(
        f'<span style="white-space:nowrap;">{group}</span>' for group in ("4831", "0927")
    )
    assert groups in message.html
    for body in (message.text, message.html):
        assert "48310927551620847730" not in body and VARIABLES["status_url"] in body
    assert f'<html lang="{language}">' in message.html


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_translation_keeps_every_placeholder_and_no_english(language: str) -> None:
    for suffix in ("txt", "html"):
        assert _shape(f"{KIND}.{language}.{suffix}") == _shape(f"{KIND}.en.{suffix}")
        english = _prose(f"{KIND}.en.{suffix}")
        assert english and not english & _prose(f"{KIND}.{language}.{suffix}")


def test_a_language_without_templates_gets_english() -> None:
    assert receipt_language("bn-BD") == "bn"
    assert receipt_language("fr") == "en"
