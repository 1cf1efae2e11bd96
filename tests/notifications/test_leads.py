"""The engine's lead sentences in every e-mail language, and every lead the engine writes."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import domain
from domain.enums import Audience, NoticeKind, Stage
from notifications.leads import FINDING_WORDS, LEADS, translate_lead, translate_text
from notifications.phrases import LABEL_PHRASES, PATTERN_PHRASES, deadline_phrase
from notifications.render import LANGUAGES, NoticeContext, render

TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
# A value for each kind of placeholder the engine's leads carry, by the expression's source.
SAMPLES = (
    ("isoformat", "2026-05-04T09:00:00+00:00"),
    (".date()", "2026-05-01"),
    ("finding", "partly founded"),
    ("companies", "company that sources"),
    ("number", "3"),
    ("reference", "GT-2026-0002"),
    ("source", "GT-2026-0003"),  # a case merged into another
    ("label", "Company's response to the complaint"),
    ("name", "Delta Denim N.V."),
)


def _placeholders(words: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(words) if field}


def test_every_lead_is_written_in_every_language_with_its_values() -> None:
    for lead in LEADS:
        assert set(lead.words) == set(TRANSLATED), lead.english.pattern
        for language, words in lead.words.items():
            assert _placeholders(words) == set(lead.english.groupindex), (language, words)
    for finding in FINDING_WORDS.values():
        assert set(finding) == set(TRANSLATED)
    for phrases in LABEL_PHRASES.values():
        assert set(phrases) == set(TRANSLATED)
    for english, phrases in PATTERN_PHRASES:
        assert set(phrases) == set(TRANSLATED)
        for words in phrases.values():
            assert _placeholders(words) == set(english.groupindex)


def _sample(node: ast.expr, assigned: dict[str, ast.expr]) -> str:
    """The text a ``text=`` argument of the engine yields, with a sample for each value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in assigned:
        return _sample(assigned[node.id], assigned)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                source = ast.unparse(part.value)
                found = [value for key, value in SAMPLES if key in source]
                assert found, f"no sample value for {source!r}: add one to SAMPLES"
                parts.append(found[0])
            else:
                parts.append(_sample(part, assigned))
        return "".join(parts)
    raise AssertionError(f"a lead the test cannot read: {ast.unparse(node)}")


def _engine_leads() -> list[tuple[str, str]]:
    """Every lead a transition passes to ``notify(text=…)``, as (where, sample text)."""
    found: list[tuple[str, str]] = []
    root = Path(domain.__file__).parent
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned = {
            target.id: node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "notify":
                continue
            for keyword in node.keywords:
                if keyword.arg == "text" and not (
                    isinstance(keyword.value, ast.Name) and keyword.value.id == "text"
                ):
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    found.append((where, _sample(keyword.value, assigned)))
    return found


def test_every_lead_the_engine_writes_is_translated() -> None:
    leads = _engine_leads()
    assert len(leads) >= 15  # the scan finds the transitions' leads
    for where, lead in leads:
        for language in TRANSLATED:
            translated = translate_lead(lead, language)
            assert translated != lead, (where, language, lead)
            assert "{" not in translated, (where, language, translated)


def test_a_lead_carries_its_values_in_the_language() -> None:
    extended = "Company's response to the complaint: extended to 2026-05-01."
    assert translate_lead(extended, "bn") == (
        "অভিযোগের বিষয়ে কোম্পানির জবাব: সময়সীমা শুক্রবার, ১ মে, ২০২৬ পর্যন্ত বাড়ানো হয়েছে।"
    )
    assert translate_lead(extended, "tr") == (
        "Şirketin şikâyete yanıtı: süre 1 Mayıs 2026 Cuma tarihine kadar uzatıldı."
    )
    assert (
        translate_lead("Hearing: 2026-05-04T09:00:00+00:00", "zh")
        == "听证：2026年5月4日星期一 荷兰时间 (UTC+2) 11:00"
    )
    assert translate_lead("Hearing: 2026-05-04T09:00:00+00:00", "bn") == (
        "শুনানি: সোমবার, ৪ মে, ২০২৬, সময় ১১:০০, নেদারল্যান্ডস সময় (UTC+২)"
    )
    assert translate_lead("Decision: unfounded.", "nl") == "Uitspraak: ongegrond."
    passed_on = (
        "Your report was passed on to the 12 companies that source from the location, "
        "with a request for due diligence and remediation."
    )
    assert "12家公司" in translate_lead(passed_on, "zh")
    assert "পণ্য কেনা ১২টি কোম্পানির" in translate_lead(passed_on, "bn")
    assert translate_lead("Order 12 has been verified as complied with.", "bn") == (
        "নির্দেশ ১২ পালন করা হয়েছে বলে যাচাই করা হয়েছে।"
    )
    assert translate_lead("Order 12 has been verified as complied with.", "zh") == (
        "第12项指令已核实为已履行。"
    )


def test_only_the_lead_is_translated_and_anything_else_is_kept() -> None:
    quoted = "The case has resumed.\n\nThe factory reopened; we wait for the wages."
    assert translate_text(quoted, "tr") == (
        "Dosyada işlemler yeniden başladı.\n\nThe factory reopened; we wait for the wages."
    )
    own = "We have resumed talks with the factory.\n\nThe case has resumed."
    assert translate_text(own, "bn") == own
    assert translate_text("The case has resumed.", "en") == "The case has resumed."
    assert translate_lead("Decision: mostly founded.", "zh") == "Decision: mostly founded."


def test_labels_the_engine_writes_are_named_in_the_language() -> None:
    assert deadline_phrase("Response of Delta Denim N.V.", "zh") == "Delta Denim N.V.的答复"
    assert deadline_phrase("Order 2: pay the back wages", "nl") == "Opdracht 2: pay the back wages"
    assert deadline_phrase("Close the case", "tr") == "Dosyanın kapatılması"
    assert deadline_phrase("A label the secretariat wrote", "bn") == "A label the secretariat wrote"
    assert deadline_phrase("Close the case", "en") == "Close the case"


@pytest.mark.parametrize("language", ["bn", "tr", "zh"])
def test_a_message_notice_shows_the_lead_in_the_language(language: str) -> None:
    context = NoticeContext(
        reference="GT-2026-0001",
        covenant_name="Convenant Duurzame Kleding en Textiel",
        subject="Dismissal of union members",
        stage=Stage.MEDIATION,
        audience=Audience.COMPLAINANT,
        recipient_name="Rahima Akter",
        complainant_display="Rahima Akter",
        text="Both parties consented: mediation has started.",
        status_url="https://redress.example/track?reference=GT-2026-0001",
    )
    message = render(NoticeKind.MESSAGE, language, context)

    words = next(lead.words[language] for lead in LEADS if "consented" in lead.english.pattern)
    assert words in message.text and words in message.html
    assert "consented" not in message.text + message.html
