"""Finding a factory named in a complaint's free text (domain.supplier_lists.Mention)."""

from __future__ import annotations

import pytest

from domain.supplier_lists import Mention, address_words, search_text

NAME = "Jamuna Knitwear Co., Ltd."
ADDRESS = "Plot 7, Tongi Industrial Area, Tongi, Gazipur"


@pytest.mark.parametrize(
    "text",
    [
        "Workers of Jamuna Knitwear at Tongi, Gazipur were locked in.",
        "JAMUNA KNITWEAR LTD (Tongi Industrial Area, Gāzīpur) withheld wages.",
        "At jamuna knitwear company limited, plot 7 — tongi; gazipur district.",
    ],
)
def test_a_text_naming_the_factory_by_name_and_address_matches(text: str) -> None:
    mention = Mention.of("Locked in", text)
    assert mention.may_name(search_text(NAME, ADDRESS))
    assert mention.names(NAME, ADDRESS)


@pytest.mark.parametrize(
    "text",
    [
        "Workers of Jamuna Knitwear were locked in.",  # the name alone
        "A factory in Tongi, Gazipur locked its workers in.",  # the address alone
        "Jamuna Knitwear in Mirpur, Dhaka locked its workers in.",  # another address
        "Jamuna Knit at Tongi, Gazipur locked its workers in.",  # not the whole name
        "Jamunaknitwear at Tongi, Gazipur.",  # not the name's words
    ],
)
def test_a_text_without_name_and_address_does_not_match(text: str) -> None:
    assert not Mention.of(text).names(NAME, ADDRESS)


def test_street_words_and_short_numbers_do_not_tell_factories_apart() -> None:
    assert address_words(ADDRESS) == {"tongi", "gazipur"}
    assert address_words("No. 153 West of Liaohe Road, Dalian 116600") == {
        "153",
        "liaohe",
        "dalian",
        "116600",
    }
    # An address of nothing but such words cannot be matched: the name alone is not enough.
    assert not Mention.of("Star Knit on Main Road").names("Star Knit Ltd", "Main Road")
