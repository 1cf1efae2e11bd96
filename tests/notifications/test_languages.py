"""Every e-mail in every language: complete, faithful to the English, and in the reader's words.

The e-mails are written per language (``<name>.<language>.txt`` and ``.html``), so a missing
translation is a missing file, a placeholder or condition dropped, or English prose left in.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import jinja2
import jinja2.meta
import pytest
from jinja2 import nodes

from domain.enums import Audience, NoticeKind, Role, Stage
from domain.words import DEADLINES, ROLE_PHRASES
from notifications.phrases import DEADLINE_PHRASES, deadline_phrase
from notifications.render import (
    LANGUAGES,
    TEMPLATE_DIR,
    AccountMailContext,
    NoticeContext,
    render,
    render_template,
)

TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
NEW_LANGUAGES = ("bn", "tr", "zh")  # the public pages' languages beyond English and Dutch
ACCOUNT = ("invitation", "password_reset")
# Every mail and every piece a mail includes by language.
NAMES = tuple(k.value for k in NoticeKind) + ACCOUNT + ("_footer", "_account_footer")
# 23:59:59 in Amsterdam on Friday 30 January 2026: a day-based deadline.
DUE = datetime(2026, 1, 30, 22, 59, 59, tzinfo=UTC)
DATES = {
    "bn": "শুক্রবার, ৩০ জানুয়ারী, ২০২৬",
    "tr": "30 Ocak 2026 Cuma",
    "zh": "2026年1月30日星期五",
}
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR))
_TAGS = re.compile(r"<[^>]*>")


def _tree(name: str) -> nodes.Template:
    source = (TEMPLATE_DIR / name).read_text(encoding="utf-8")
    return _env.parse(source)


def _shape(name: str) -> dict[str, set[str]]:
    """What a translation must keep: placeholders, conditions, blocks, macros, includes."""
    tree = _tree(name)
    return {
        "variables": set(jinja2.meta.find_undeclared_variables(tree)),
        "conditions": {repr(n.test) for n in tree.find_all(nodes.If)},
        "blocks": {n.name for n in tree.find_all(nodes.Block)},
        "macros": {
            n.node.name for n in tree.find_all(nodes.Call) if isinstance(n.node, nodes.Name)
        },
        "parents": {repr(n.template) for n in tree.find_all(nodes.Extends)},
    }


def _prose(name: str) -> set[str]:
    """The English sentences of a template: its literal text of three words or more."""
    tree = _tree(name)
    pieces = [n.data for n in tree.find_all(nodes.TemplateData)]
    pieces += [n.value for n in tree.find_all(nodes.Const) if isinstance(n.value, str)]
    found: set[str] = set()
    for piece in pieces:
        for part in re.split(r"[.:;!?\n()“”\"]", _TAGS.sub("\n", piece)):
            words = re.findall(r"[A-Za-z]+", part)
            if len(words) >= 3:
                found.add(" ".join(words))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_every_mail_exists_in_every_language(name: str, language: str) -> None:
    for suffix in ("txt", "html"):
        assert (TEMPLATE_DIR / f"{name}.{language}.{suffix}").is_file(), (name, language)


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("name", NAMES)
def test_a_translation_keeps_every_placeholder_and_condition(name: str, language: str) -> None:
    for suffix in ("txt", "html"):
        english = _shape(f"{name}.en.{suffix}")
        translated = _shape(f"{name}.{language}.{suffix}")
        assert translated == english, (name, language, suffix)


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("name", NAMES)
def test_no_english_sentence_is_left_untranslated(name: str, language: str) -> None:
    for suffix in ("txt", "html"):
        english = _prose(f"{name}.en.{suffix}")
        assert english, name  # the check sees the English text it compares with
        left = english & _prose(f"{name}.{language}.{suffix}")
        assert not left, (name, language, suffix, left)


def test_the_untranslated_check_would_catch_an_english_sentence() -> None:
    sentences = _prose("reminder.en.txt")
    assert "If you have already taken this step" in " ".join(sentences)
    assert not sentences & _prose("reminder.bn.txt")


def test_word_tables_cover_every_language() -> None:
    assert set(ROLE_PHRASES) == set(LANGUAGES)
    for language, roles in ROLE_PHRASES.items():
        assert set(roles) == set(Role), language
        assert all(word.strip() for word in roles.values())
    assert set(DEADLINE_PHRASES) == set(DEADLINES)
    for name, phrases in DEADLINE_PHRASES.items():
        assert set(phrases) == set(TRANSLATED), name
        assert all(word.strip() and word != DEADLINES[name] for word in phrases.values())


def test_standard_deadlines_are_named_in_the_mail_language_and_others_kept() -> None:
    assert deadline_phrase(DEADLINES["response"], "bn") == "অভিযোগের বিষয়ে কোম্পানির জবাব"
    assert deadline_phrase(DEADLINES["response"], "en") == DEADLINES["response"]
    assert deadline_phrase("Visit the factory with the union", "zh") == (
        "Visit the factory with the union"
    )
    assert deadline_phrase("Due diligence and remediation by Delta Denim N.V.", "tr") == (
        "Delta Denim N.V. tarafından özen yükümlülüğü incelemesi ve zararın giderilmesi"
    )


def _complainant_context(**overrides: Any) -> NoticeContext:
    values: dict[str, Any] = {
        "reference": "GT-2026-0007",
        "covenant_name": "Convenant Duurzame Kleding en Textiel",
        "subject": "Dismissal of union members",
        "stage": Stage.RECEIVED,
        "audience": Audience.COMPLAINANT,
        "recipient_name": "Rahima Akter",
        "complainant_display": "Rahima Akter (Rupali Workers Committee)",
        "deadline_label": DEADLINES["register"],
        "due": DUE,
        "status_url": "https://redress.example/track?reference=GT-2026-0007",
        "access_code": "Zq3-access-code",
    }
    values.update(overrides)
    return NoticeContext(**values)


# A phrase each language's receipt and stage notice must carry, in that language's words.
RECEIPT_WORDS = {
    "bn": ("অভিযোগ পাওয়া গেছে", "আপনার অ্যাক্সেস কোড", "প্রাথমিক যাচাই"),
    "tr": ("Şikâyetiniz alındı", "ERİŞİM KODUNUZ", "ön inceleme"),
    "zh": ("投诉已收到", "您的查询码", "初步审查"),
}
STAGE_WORDS = {
    "bn": ("কেস GT-2026-0007 এখন এই ধাপে: মধ্যস্থতা", "শেষ তারিখ", "মধ্যস্থতা"),
    "tr": ("GT-2026-0007 numaralı dosyanın yeni aşaması: arabuluculuk", "Son tarih", "Aşama"),
    "zh": ("案件 GT-2026-0007 已进入新阶段：调解", "截止日期", "阶段"),
}


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_a_complainant_receipt_is_in_the_complainant_language(language: str) -> None:
    message = render(NoticeKind.RECEIPT, language, _complainant_context())

    subject_words, code_words, screening = RECEIPT_WORDS[language]
    assert message.language == language
    assert subject_words in message.subject and "GT-2026-0007" in message.subject
    assert f"{code_words}: Zq3-access-code" in message.text.replace("：", ": ")
    assert screening in message.text and screening in message.html
    assert DATES[language] in message.text and DATES[language] in message.html
    assert f'<html lang="{language}">' in message.html
    for english in ("Dear", "Thank you", "access code", "Kind regards", "secretariat"):
        assert english not in message.text + message.html


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_a_stage_change_is_in_the_complainant_language(language: str) -> None:
    context = _complainant_context(
        stage=Stage.MEDIATION, deadline_label=DEADLINES["mediation"], access_code=None
    )
    message = render(NoticeKind.STAGE_CHANGED, language, context)

    subject, due_label, stage_label = STAGE_WORDS[language]
    assert message.subject == subject
    assert f"{due_label}: {DATES[language]}" in message.text.replace("：", ": ")
    assert stage_label in message.text and DATES[language] in message.html
    assert DEADLINE_PHRASES["mediation"][language] in message.text
    assert "Mediation" not in message.text + message.html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ACCOUNT)
def test_account_mails_render_in_every_language(name: str, language: str) -> None:
    context = AccountMailContext(
        recipient_name="Ayşe Yılmaz",
        username="ayse",
        role_name=ROLE_PHRASES[language][Role.UNION],
        organisation_name="Birleşik Metal-İş",
        inviter="Secretariat",
        link="https://redress.example/account/set-password?token=abc",
        expires_text="t-expiry",
        mfa=True,
    )
    message = render_template(name, language, context.model_dump())

    assert message.language == language and message.subject.strip()
    for body in (message.text, message.html):
        assert "https://redress.example/account/set-password?token=abc" in body
        assert "t-expiry" in body
    assert ROLE_PHRASES[language][Role.UNION] in message.text or name == "password_reset"
    assert f'<html lang="{language}">' in message.html
