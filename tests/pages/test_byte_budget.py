"""The byte budget of issue 23: a first visit to the Bengali complaint form (the page and
every stylesheet, script and icon it links) moves at most 8,000 bytes to the phone, headers
and compressed bodies, and a repeat visit (the page again: the files are kept a year) at
most 5,000. Counted by tests/pages/wire.py, deterministically: the same app and data give
the same bytes (brotli and gzip compress the same input to the same output)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.pages.wire import (
    BROWSER,
    IDENTITY,
    first_visit,
    kept_by_browser,
    light_site,
    repeat_visit,
)

FIRST_VISIT = 8_000
REPEAT_VISIT = 5_000
BENGALI = {**BROWSER, "Accept-Language": "bn"}


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with light_site(tmp_path_factory.mktemp("wire")) as client:
        yield client


def test_the_bengali_complaint_form_keeps_to_its_byte_budget(http: TestClient) -> None:
    first = first_visit(http, "/complaint", BENGALI)
    assert first.page.headers["content-type"].startswith("text/html")
    assert '<html lang="bn">' in first.page.text
    assert "অভিযোগ" in first.page.text  # the form is the Bengali one
    links = [answer.request.url.path for answer in first.files]
    assert any(path.endswith(".css") for path in links)
    assert '<link rel="icon" href="data:image/svg+xml,' in first.page.text  # no request
    assert first.page.headers["content-encoding"] == "br"
    assert first.bytes <= FIRST_VISIT, f"first visit: {first.bytes} bytes"
    for answer in first.files:  # the files are kept: a repeat visit does not fetch them
        assert kept_by_browser(answer), answer.request.url
    repeat = repeat_visit(http, "/complaint", BENGALI, first)
    assert repeat.files == []
    assert repeat.bytes <= REPEAT_VISIT, f"repeat visit: {repeat.bytes} bytes"


def test_the_budget_is_met_by_compression_not_by_a_light_page(http: TestClient) -> None:
    """The same visit uncompressed is over the budget: the test above measures compression."""
    plain = first_visit(http, "/complaint", {**IDENTITY, "Accept-Language": "bn"})
    assert "content-encoding" not in plain.page.headers
    assert plain.bytes > FIRST_VISIT


def test_the_bytes_are_the_same_every_time(http: TestClient) -> None:
    assert (
        first_visit(http, "/complaint", BENGALI).bytes
        == first_visit(http, "/complaint", BENGALI).bytes
    )
