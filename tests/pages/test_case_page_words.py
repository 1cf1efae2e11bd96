"""Covenant names and pseudonyms in the page's language; the stored and API forms stay English."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from api.pages import labels
from api.pages.case_page_context import next_step
from api.pages.i18n import LANGUAGES, Reader, translations
from api.pages.templating import environment
from core.security import pseudonym
from store import covenants
from store.tables import CovenantVersion
from tests.factories import FILED, case_state, deadline

WORDS = """{% import "public/words.html" as words with context %}\
{{ words.covenant_name(c) }}|{{ words.covenant_short_name(c) }}"""


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


def test_the_pages_name_a_covenant_in_their_language() -> None:
    (garments,) = [c for c in covenants.load_covenant_files() if c.slug == "garments-textile"]
    template = environment.from_string(WORDS)
    assert template.render(c=garments, lang="bn", _=str, ngettext=str) == (
        "টেকসই পোশাক ও বস্ত্র চুক্তি|পোশাক ও বস্ত্র"
    )
    assert template.render(c=garments, lang="en", _=str, ngettext=str) == (
        "Agreement on Sustainable Garments and Textile|Garments and textile"
    )
    # A covenant added without translations is named as it is.
    bare = garments.model_copy(update={"names": {}, "short_names": {}})
    name = "Agreement on Sustainable Garments and Textile"
    assert template.render(c=bare, lang="zh", _=str, ngettext=str) == f"{name}|{name}"


def test_a_pseudonym_is_said_in_the_page_language_and_its_code_kept() -> None:
    stored = pseudonym("GT-2026-00042")
    code = stored.removeprefix("Complainant ")
    assert labels.pseudonym(stored, translations("bn").gettext) == f"অভিযোগকারী {code}"
    assert labels.pseudonym(stored, translations("zh").gettext) == f"投诉人 {code}"
    assert labels.pseudonym(stored, lambda text: text) == stored
    # A name that is no pseudonym (a complainant that agreed to be named) stays as it is.
    assert labels.pseudonym("Dhaka Garment Workers Union", lambda text: "X") == (
        "Dhaka Garment Workers Union"
    )


def test_the_next_step_and_an_orders_label_are_written_for_the_reader() -> None:
    order = deadline("order-3", FILED + timedelta(days=60))
    order.label = "Order 3: Reinstate the twelve workers"
    state = case_state(deadlines=[order])
    bengali = Reader("bn", ZoneInfo("Asia/Dhaka"))
    shown = next_step(state, translations("bn").gettext, FILED, bengali)
    assert shown is not None
    assert shown["label"] == "আদেশ ৩: Reinstate the twelve workers"  # the order's text as written
    english = next_step(state, lambda text: text, FILED)
    assert english is not None and english["label"] == "Order 3: Reinstate the twelve workers"
