"""CSRF tokens are masked afresh on every page (BREACH): a page that compresses the visitor's
own input (``/complaint?q=``) next to the token never shows the same token twice, and the
check unmasks what a form sends; a form rendered before masking (the bare secret) still
posts, anything else is refused."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.pages.cookies import (
    ANON_COOKIE,
    CSRF_BYTES,
    csrf_secret,
    csrf_token,
    csrf_valid,
)
from core.settings import Settings
from redress.app import create_app
from store.db import engine_from_settings
from tests.pages.wire import light_settings

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def light(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Settings]]:
    settings = light_settings(tmp_path_factory.mktemp("csrf"))
    engine = engine_from_settings(settings)
    try:
        with TestClient(create_app(settings, engine=engine)) as client:
            yield client, settings
    finally:
        engine.dispose()


class Posted:
    """A request as ``csrf_valid`` reads it: only its cookies."""

    def __init__(self, cookies: dict[str, str]) -> None:
        self.cookies = cookies


def _valid(settings: Settings, seed: str, presented: str | None) -> bool:
    return csrf_valid(Posted({ANON_COOKIE: seed}), settings, presented)  # type: ignore[arg-type]


def _unpadded(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_page_reflecting_input_never_shows_the_same_token_twice(
    light: tuple[TestClient, Settings],
) -> None:
    client, settings = light
    shown: set[str] = set()
    for _ in range(3):
        page = client.get("/complaint", params={"q": "csrf_token"})
        assert page.status_code == 200
        tokens = set(TOKEN.findall(page.text))
        assert len(tokens) == 1  # one per page, in each of its forms
        shown |= tokens
    assert len(shown) == 3
    seed = client.cookies[ANON_COOKIE]
    secret = csrf_secret(settings, seed)
    for token in shown:
        assert len(token) == 43  # 2 x 16 bytes, base64url: shorter than the 64 hex of before
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert secret not in token and _unpadded(bytes.fromhex(secret)[:CSRF_BYTES]) not in token
        assert _valid(settings, seed, token)


def test_every_masked_token_of_the_visitor_posts(light: tuple[TestClient, Settings]) -> None:
    client, _ = light
    page = client.get("/signal", params={"q": "x"})
    earlier = TOKEN.findall(page.text)[0]
    client.get("/signal")  # another page: another mask, the earlier form still posts
    answer = client.post("/track/forget", data={"csrf_token": earlier}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    tampered = earlier[:-2] + ("AA" if not earlier.endswith("AA") else "BB")
    refused = client.post("/track/forget", data={"csrf_token": tampered}, follow_redirects=False)
    assert refused.status_code == 403


def test_a_form_rendered_before_masking_still_posts(
    settings_and_seed: tuple[Settings, str],
) -> None:
    settings, seed = settings_and_seed
    assert _valid(settings, seed, csrf_secret(settings, seed))


def test_the_check_unmasks_and_refuses_what_is_not_the_visitors(
    settings_and_seed: tuple[Settings, str],
) -> None:
    settings, seed = settings_and_seed
    token = csrf_token(settings, seed)
    assert _valid(settings, seed, token)
    assert not _valid(settings, "another-visitor", token)
    assert not _valid(settings, seed, csrf_token(settings, "another-visitor"))
    secret = bytes.fromhex(csrf_secret(settings, seed))[:CSRF_BYTES]
    assert not _valid(settings, seed, _unpadded(secret))  # the bare short secret: never shown
    assert not _valid(settings, seed, _unpadded(bytes(CSRF_BYTES) + secret[:-1] + b"\0"))
    assert _valid(settings, seed, _unpadded(bytes(CSRF_BYTES) + secret))  # a zero pad
    for junk in ("", "x" * 43, "é" * 64, "é" * 43, "!" * 44, token + "A"):
        assert not _valid(settings, seed, junk), junk


@pytest.fixture
def settings_and_seed(tmp_path: Path) -> tuple[Settings, str]:
    return Settings(data_dir=tmp_path, secret_key="csrf-masking-secret-key-0123456789"), "seed"
