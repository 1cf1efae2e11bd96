"""The portal's catalogs (nl, bn, tr, zh) are complete; its template (portal.pot) is up to date."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from api.pages.i18n import LOCALE_DIR, PORTAL_LANGUAGES

ROOT = LOCALE_DIR.parents[1]
MAPPING = LOCALE_DIR / "portal.cfg"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
TRANSLATED = [language for language in PORTAL_LANGUAGES if language != "en"]
# What a translation must keep exactly: %(name)s / %(num)d placeholders and {name} fields.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def extracted() -> set[str]:
    """Message ids of the portal's modules and templates, as pybabel would extract them."""
    with MAPPING.open() as handle:
        methods, options = parse_mapping_cfg(handle)
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(
        ROOT, methods, options, keywords=KEYWORDS, strip_comment_tags=True
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def key(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)


def catalog(path: Path) -> dict[str, object]:
    """A .po or .pot file's message ids and translations."""
    return {key(m): m.string for m in read(path) if m.id}


def portal_po(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "portal.po"


def forms(message: Message) -> tuple[str, ...]:
    """A message's translation as its plural forms (one for a message without plural)."""
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string or "",)


def untranslated(language: str, wanted: set[str]) -> list[str]:
    """Message ids of ``wanted`` without a translation (any plural form empty) or fuzzy."""
    messages = {key(m): m for m in read(portal_po(language)) if m.id}
    missing = []
    for msgid in sorted(wanted):
        message = messages.get(msgid)
        if message is None or message.fuzzy or not all(forms(message)):
            missing.append(msgid)
    return missing


def dropped_placeholders(language: str) -> list[str]:
    """Message ids whose translation lost, added or changed a placeholder."""
    wrong = []
    for message in read(portal_po(language)):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        allowed = {p for msgid in ids for p in PLACEHOLDER.findall(msgid)}
        singular = sorted(PLACEHOLDER.findall(ids[0]))
        for string in forms(message):
            found = PLACEHOLDER.findall(string)
            # A plural form may leave out the count ("one case"); it may not invent a name,
            # and a message without plural forms keeps every placeholder exactly.
            if set(found) - allowed or (len(ids) == 1 and sorted(found) != singular):
                wrong.append(key(message))
    return wrong


def test_the_template_lists_every_portal_message() -> None:
    assert extracted() == set(catalog(LOCALE_DIR / "portal.pot"))


def test_the_portal_speaks_every_language_of_the_public_pages() -> None:
    assert set(TRANSLATED) == {"nl", "bn", "tr", "zh"}
    makefile = (ROOT / "Makefile").read_text()
    line = next(x for x in makefile.splitlines() if x.startswith("PORTAL_LANGUAGES :="))
    assert line.split(":=")[1].split() == TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_portal_message_has_a_translation(language: str) -> None:
    assert untranslated(language, extracted()) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_portal_translations_keep_every_placeholder(language: str) -> None:
    assert dropped_placeholders(language) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_portal_catalog_has_the_plural_forms_of_its_language(language: str) -> None:
    po = read(portal_po(language))
    assert po.num_plurals == Catalog(locale=language).num_plurals
    for message in po:
        if message.id and isinstance(message.id, (tuple, list)):
            assert len(forms(message)) == po.num_plurals, key(message)


def test_the_checks_catch_a_missing_a_fuzzy_and_a_broken_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks above fail on the faults they are for (on a copy of the Bengali catalog)."""
    source = read(portal_po("bn"))
    source["Case"].string = ""
    source["Cases"].flags.add("fuzzy")
    source["Due %(date)s"].string = "শেষ তারিখ"
    source["Page %(page)s of %(pages)s"].string = "পাতা %(page)s / %(total)s"
    folder = tmp_path / "bn" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "portal.po").open("wb") as handle:
        write_po(handle, source)
    monkeypatch.setattr(__name__ + ".LOCALE_DIR", tmp_path)
    assert untranslated("bn", {"Case", "Cases", "Search"}) == ["Case", "Cases"]
    assert dropped_placeholders("bn") == ["Due %(date)s", "Page %(page)s of %(pages)s"]
