"""Covenant names and pseudonyms in the page's language; the stored and API forms stay English."""

from __future__ import annotations

from api.pages.i18n import LANGUAGES
from store import covenants
from store.tables import CovenantVersion


def test_every_covenant_is_named_and_short_named_in_every_page_language() -> None:
    for covenant in covenants.load_covenant_files():
        translated = set(LANGUAGES) - {"en"}
        assert set(covenant.names) == translated, covenant.slug
        assert set(covenant.short_names) == set(LANGUAGES), covenant.slug
        assert covenant.names["nl"] == covenant.name_nl
        for language in LANGUAGES:
            full = covenant.names.get(language, covenant.name)
            assert len(covenant.short_names[language]) < len(full), (covenant.slug, language)
            assert len(covenant.short_names[language]) <= 24, (covenant.slug, language)


def test_a_stored_covenant_version_carries_the_names_of_its_file() -> None:
    (shipped,) = [c for c in covenants.load_covenant_files() if c.slug == "garments-textile"]
    row = CovenantVersion(
        slug=shipped.slug,
        version=1,
        name=shipped.name,
        name_nl=shipped.name_nl,
        procedure_json=shipped.procedure.model_dump_json(),
    )
    stored = covenants.covenant_from_row(row)
    assert stored.name == "Agreement on Sustainable Garments and Textile"  # as the API gives it
    assert stored.names["bn"] == "টেকসই পোশাক ও বস্ত্র চুক্তি"
    assert stored.short_names["tr"] == "Giyim ve tekstil"
