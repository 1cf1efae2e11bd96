"""The tracking page of a complaint e-mailed in and not filed yet shows the e-mail's subject:
like the case's tracking page it is kept by no cache (``Cache-Control: no-store``), so the
browser's back button or a shared computer's cache never shows it again. The page says so
itself (``draft_page``), as the case's does, not only the security headers' middleware."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.requests import Request

from api.pages.tracking_drafts import draft_page
from core.access_codes import new_access_code
from core.security import keyed_hash
from core.settings import Settings
from redress.app import create_app
from services.access import ANONYMOUS
from store.db import engine_from_settings
from store.tables import EmailDraft
from tests.pages.wire import light_settings

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = "GT-2026-0901"
SUBJECT = "Wages unpaid for three months at Rupali Knit"


@pytest.fixture(scope="module")
def light(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, Settings, str]]:
    settings: Settings = light_settings(tmp_path_factory.mktemp("track-drafts"))
    engine = engine_from_settings(settings)
    code = new_access_code()
    draft = EmailDraft(
        id="draft-tracking-1",
        message_key="0" * 64,
        reference=REFERENCE,
        covenant="garments-textile",
        access_code_hash=keyed_hash(settings.secret_key, code),
        sender_email="rahima.akter@workers.example",
        subject=SUBJECT,
        text="The wages were not paid.",
        received_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    )
    try:
        with Session(engine) as session:
            session.add(draft)
            session.commit()
        yield TestClient(create_app(settings, engine=engine)), settings, code
    finally:
        engine.dispose()


def test_the_draft_tracking_page_is_kept_by_no_cache(
    light: tuple[TestClient, Settings, str],
) -> None:
    client, _, code = light
    form = client.get("/track")
    token = TOKEN.findall(form.text)[0]
    page = client.post("/track", data={"csrf_token": token, "reference": REFERENCE, "code": code})
    assert page.status_code == 200, page.text
    assert SUBJECT in page.text  # the draft's page, showing what the e-mail was about
    assert page.headers["cache-control"] == "no-store"


def test_the_draft_page_itself_says_no_store(light: tuple[TestClient, Settings, str]) -> None:
    client, settings, code = light
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/track",
        "headers": [],
        "query_string": b"",
        "client": ("127.0.0.1", 50000),
        "app": client.app,
    }
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        page = draft_page(Request(scope), session, settings, ANONYMOUS, REFERENCE, code)
    assert page is not None and SUBJECT in bytes(page.body).decode()
    assert page.headers["cache-control"] == "no-store"
