"""The portal's Dutch catalog is complete and its template (portal.pot) is up to date."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from api.pages.i18n import LOCALE_DIR

ROOT = LOCALE_DIR.parents[1]
MAPPING = LOCALE_DIR / "portal.cfg"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


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


def catalog(path: Path) -> dict[str, object]:
    """A .po or .pot file's message ids and translations."""
    with path.open("rb") as handle:
        messages = read_po(handle)
    return {str(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in messages if m.id}


def test_the_template_lists_every_portal_message() -> None:
    assert extracted() == set(catalog(LOCALE_DIR / "portal.pot"))


def test_every_portal_message_has_a_dutch_translation() -> None:
    dutch = catalog(LOCALE_DIR / "nl" / "LC_MESSAGES" / "portal.po")
    untranslated = sorted(
        msgid
        for msgid in extracted()
        if not dutch.get(msgid) or (isinstance(dutch[msgid], tuple) and not all(dutch[msgid]))
    )
    assert untranslated == []
