"""Bytes on the wire, as Starlette's TestClient sees them: the app over a seeded SQLite
file (no Temporal: the pages counted here read only the store), and what a first and a
repeat visit to a page move. Shared by tests/pages/test_byte_budget.py and bench/page_bytes.py.

What a visit moves to the browser: each response's status line, header lines and body as
sent (compressed when it was). The requests going up are counted apart (``sent``): the
TestClient's are shorter than a browser's, which sends about 0.5 kB a request. A first
visit fetches the page and every stylesheet, script and icon it links; a repeat visit, with
the browser's cache primed, fetches the page again and only the files it may not keep (not
``immutable``), asking with their ETag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import httpx
from fastapi.testclient import TestClient

from activities.records import RecordActivities
from api.pages import cookies, filing_form
from api.pages.cookies import FILED_COOKIE, TRACK_COOKIE, filed_receipt
from core.access_codes import new_access_code
from core.security import keyed_hash
from core.settings import Settings
from redress.app import create_app
from services.access import track_token
from store.db import engine_from_settings, prepare, session_scope
from store.seed import seed_demo
from tests.factories import case_state, complainant, project_state
from tests.lighthouse.site import _publish_listings as publish_listings

# A new visitor's cookie, as random as secrets.token_urlsafe(24) makes it but the same in
# every run: a random one compresses a byte or two differently each time.
VISITOR = "0ulcvbwLB6fp68QQsurtcQW-bjjXpjle"
FORM_TOKEN = "5lYFtl0YZtXa1q2SE1pnggjSSq27peCe"  # a filing form's one-time token, likewise
CSRF_PAD = bytes.fromhex("b2d6cc4d025cd39f00d1f800f7eb5217")  # the pad masking CSRF tokens, too
BROWSER = {"Accept-Encoding": "br, gzip"}  # what every browser sends
IDENTITY = {"Accept-Encoding": "identity"}  # the same visit without compression
LINKED = re.compile(
    r'<link rel="(?:stylesheet|icon)" href="([^"]+)"|<script src="([^"]+)"', re.IGNORECASE
)


def light_settings(tmp: Path) -> Settings:
    """The settings of a site over a SQLite file in ``tmp``, prepared and seeded."""
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        public_url="http://testserver",
        secret_key="wire-bytes-secret-key-0123456789",
        require_mfa=False,
    )
    prepare(settings)
    seed_demo(settings)
    return settings


@contextmanager
def light_site(tmp: Path, settings: Settings | None = None) -> Iterator[TestClient]:
    """The app over a seeded SQLite file in ``tmp``; every new visitor gets ``VISITOR``, every
    filing form ``FORM_TOKEN``, every CSRF token the pad ``CSRF_PAD``."""
    settings = settings or light_settings(tmp)
    engine = engine_from_settings(settings)
    fixed = SimpleNamespace(token_urlsafe=lambda size: VISITOR, token_bytes=lambda size: CSRF_PAD)
    try:
        with (
            mock.patch.object(cookies, "secrets", fixed),
            mock.patch.object(filing_form, "new_token", lambda: FORM_TOKEN),
        ):
            yield TestClient(create_app(settings, engine=engine))
    finally:
        engine.dispose()


def response_bytes(response: httpx.Response) -> int:
    """The response's status line, header lines, blank line and body as sent."""
    reason = HTTPStatus(response.status_code).phrase
    head = len(f"HTTP/1.1 {response.status_code} {reason}\r\n") + 2
    head += sum(len(name) + 2 + len(value) + 2 for name, value in response.headers.raw)
    return head + response.num_bytes_downloaded


def request_bytes(response: httpx.Response) -> int:
    """The request line and header lines that asked for the response (a GET: no body)."""
    request = response.request
    line = len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n") + 2
    return line + sum(len(name) + 2 + len(value) + 2 for name, value in request.headers.raw)


@dataclass(frozen=True)
class Visit:
    """A page's visit: the page, the files it links, and what each exchange moved."""

    page: httpx.Response
    files: list[httpx.Response]

    @property
    def answers(self) -> list[httpx.Response]:
        """The page's response and its files'."""
        return [self.page, *self.files]

    @property
    def bytes(self) -> int:
        """What this visit moved to the browser."""
        return sum(response_bytes(answer) for answer in self.answers)

    @property
    def sent(self) -> int:
        """What the browser sent for it (as the TestClient asks)."""
        return sum(request_bytes(answer) for answer in self.answers)


def linked_files(html: str) -> list[str]:
    """The stylesheets, icons and scripts a page links, in order (a ``data:`` one rides in
    the page: nothing to fetch)."""
    found = [href or src for href, src in LINKED.findall(html)]
    return [url for url in found if not url.startswith("data:")]


def kept_by_browser(answer: httpx.Response) -> bool:
    """Whether a browser with this file cached fetches it not again (a year, immutable)."""
    cache = answer.headers.get("cache-control", "")
    return answer.status_code == 200 and "immutable" in cache and "max-age=31536000" in cache


def first_visit(
    http: TestClient, path: str, headers: dict[str, str], cookies: dict[str, str] | None = None
) -> Visit:
    """The page and every file it links, as a browser with an empty cache and no cookie (but
    ``cookies``: a receipt's or a tracked case's) fetches them."""
    http.cookies.clear()
    for name, value in (cookies or {}).items():
        http.cookies.set(name, value)
    page = http.get(path, headers=headers)
    assert page.status_code == 200, (path, page.status_code)
    files = [http.get(url, headers=headers) for url in linked_files(page.text)]
    return Visit(page, files)


def repeat_visit(http: TestClient, path: str, headers: dict[str, str], first: Visit) -> Visit:
    """The page again, with its cookies, and the files the first visit let no cache keep
    (asked again with their ETag: a 304 when unchanged)."""
    page = http.get(path, headers=headers)
    assert page.status_code == 200, (path, page.status_code)
    files = []
    for answer in first.files:
        if not kept_by_browser(answer):
            etag = answer.headers.get("etag")
            again = {**headers, "If-None-Match": etag} if etag else headers
            files.append(http.get(str(answer.request.url), headers=again))
    return Visit(page, files)


@dataclass(frozen=True)
class Tracked:
    """A case in the read model with its complainant's access code, and the cookies that show
    its receipt and its tracking page (what filing and the tracking form set)."""

    reference: str
    code: str
    cookies: dict[str, str]


def add_tracked_case(settings: Settings, reference: str = "GT-2026-0001") -> Tracked:
    """A registered case (as the workflow projects it, no Temporal) whose complainant holds an
    access code, and two entries in the public register (tests/lighthouse/site.py's)."""
    engine = engine_from_settings(settings)
    code = new_access_code()
    try:
        project_state(RecordActivities(engine), case_state(reference, events=4))
        with session_scope(engine) as session:
            intake = complainant(reference)
            intake.access_code_hash = keyed_hash(settings.secret_key, code)
            session.add(intake)
    finally:
        engine.dispose()
    publish_listings(settings)
    token = track_token(settings, reference, keyed_hash(settings.secret_key, code))
    receipt = filed_receipt(settings, reference, code, datetime.now(UTC))
    return Tracked(reference, code, {TRACK_COOKIE: f"{reference}:{token}", FILED_COOKIE: receipt})
