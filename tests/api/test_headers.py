"""Security headers on API answers, pages, errors and static files."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from tests.api.conftest import Stack


@pytest.mark.parametrize(
    "path", ["/", "/login", "/complaint", "/api/v1/cases", "/portal", "/no-such-page", "/healthz"]
)
async def test_every_answer_carries_the_security_headers(stack: Stack, path: str) -> None:
    answer = await stack.http.get(path)
    csp = answer.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in answer.headers  # served over plain http here


async def test_static_files_may_be_cached_and_case_pages_may_not(stack: Stack) -> None:
    css = await stack.http.get("/static/site.css")
    assert css.status_code == 200 and css.headers.get("cache-control") != "no-store"
    assert css.headers["x-content-type-options"] == "nosniff"  # no policy: nothing runs there
    assert "content-security-policy" not in css.headers and "x-frame-options" not in css.headers
    case = await stack.case("GT-2026-NOPE0", "secretariat")
    assert case.headers["cache-control"] == "no-store"


async def test_robots_and_the_icon_answer_where_browsers_and_crawlers_look(stack: Stack) -> None:
    robots = await stack.http.get("/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /track" in robots.text and "Disallow: /portal" in robots.text
    icon = await stack.http.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml"
    assert icon.text.startswith("<svg")
    for answer in (robots, icon):  # the same for everyone: a browser keeps them a day
        assert answer.headers["cache-control"] == "public, max-age=86400"
    home = await stack.http.get("/")
    # The icon rides in the page (no request of its own); the file answers still.
    icon_link = re.search(r'<link rel="icon" href="data:image/svg\+xml,(%3Csvg [^"]+)"', home.text)
    assert icon_link is not None, "the page carries the icon"
    assert unquote(icon_link.group(1)).replace("'", '"') == icon.text.strip()
    assert (await stack.http.get("/static/favicon.svg")).status_code == 200
