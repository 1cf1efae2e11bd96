"""Normalising published supplier lists: countries, legal forms, headers, rows."""

from __future__ import annotations

import pytest

from domain.supplier_lists import (
    LocationRow,
    RejectedRow,
    Rejection,
    country_code,
    map_headers,
    match_key,
    name_key,
    parse_row,
    query_terms,
)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("BANGLADESH", "BD"),
        ("Bangladesh", "BD"),
        ("BD", "BD"),
        ("bd", "BD"),
        ("US", "US"),
        ("USA", "US"),
        ("United States", "US"),
        ("Viet Nam", "VN"),
        ("VIETNAM", "VN"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("UAE", "AE"),
        ("Slovak Republic", "SK"),
        ("Taiwan", "TW"),
        (" china ", "CN"),
    ],
)
def test_countries_in_any_spelling_become_iso_alpha_2(raw: str, code: str):
    assert country_code(raw) == code


def test_unknown_country_is_none():
    assert country_code("Narnia") is None
    assert country_code("") is None


def test_legal_forms_and_punctuation_do_not_separate_one_factory():
    assert name_key("QUANZHOU XINXING FOOTWEAR CO., LTD") == "quanzhou xinxing footwear"
    assert name_key("Quanzhou Xinxing Footwear Company Limited") == "quanzhou xinxing footwear"
    assert name_key("Industrias Químicas Perlacos, S.L.") == "industrias quimicas perlacos"
    assert name_key("Ambathur Clothing Private Ltd.") == "ambathur clothing"
    assert name_key("Ltd") == "ltd"  # a name is never emptied
    a = match_key("Alif Embroidery Village Ltd.", "Ashulia, Savar, Dhaka□", "BD")
    b = match_key("ALIF EMBROIDERY VILLAGE LIMITED", "Ashulia,  Savar, Dhaka", "BD")
    assert a == b


def test_query_terms_drop_legal_forms():
    assert query_terms("xinxing co., ltd") == ["xinxing"]
    assert query_terms("Co. Ltd") == ["co", "ltd"]


def test_headers_are_matched_loosely():
    assert map_headers(["Country", "Factory Name", "Full Address"]) == {
        "country": 0,
        "name": 1,
        "address": 2,
    }
    assert map_headers(["\ufeffcountry", "NAME", "address "]) == {
        "country": 0,
        "name": 1,
        "address": 2,
    }
    problem = map_headers(["country", "name"])
    assert isinstance(problem, str) and "address" in problem


def test_rows_are_checked_with_reasons():
    mapping = {"country": 0, "name": 1, "address": 2}
    assert parse_row(7, ["Narnia", "X Mill", "Road 1"], mapping) == RejectedRow(
        7, Rejection.UNKNOWN_COUNTRY, "Narnia"
    )
    assert parse_row(8, ["BD", "", "Road 1"], mapping).reason is Rejection.MISSING_NAME  # type: ignore[union-attr]
    assert parse_row(9, ["BD", "X"], mapping).reason is Rejection.MALFORMED  # type: ignore[union-attr]
    row = parse_row(10, ["BANGLADESH", " X  Mill ", "Road 1"], mapping)
    assert row == LocationRow(line=10, name="X Mill", address="Road 1", country="BD")
