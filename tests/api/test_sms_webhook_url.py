"""The SMS webhook checks the gateway's signature against the URL the gateway called: behind a
proxy serving the site under a path prefix (the public URL has the path), the prefix counts
once, whether the app runs under that ``root_path`` or the proxy strips it (``redress api``
sets no root path); REDRESS_SMS_WEBHOOK_URL, when set, is that URL exactly. A text signed for
the right URL passes the check (a form naming no message id is then a 400), one signed for
any other is a 403."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from notifications.sms_gateway import twilio_signature
from redress.app import create_app
from store.db import engine_from_settings, prepare

TOKEN = "webhook-url-tests-auth-token"
PATH = "/api/v1/sms/twilio"
# No MessageSid: a text the check lets through is refused as carrying none (400), before
# anything would reach the engine.
FORM = {"From": "+8801711000201", "To": "+3197010000009", "Body": "hello"}


def _settings(tmp: Path, **overrides: str) -> Settings:
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        secret_key="webhook-url-tests-secret-key-0123",
        sms_gateway="twilio",
        sms_account_sid="AC0123",
        sms_auth_token=TOKEN,
        sms_from="+3197010000009",
        **overrides,  # type: ignore[arg-type]
    )
    prepare(settings)
    return settings


def _client(settings: Settings, root_path: str = "") -> Iterator[TestClient]:
    engine = engine_from_settings(settings)
    try:
        yield TestClient(create_app(settings, engine=engine), root_path=root_path)
    finally:
        engine.dispose()


def _post(client: TestClient, path: str, signed_for: str) -> int:
    signature = twilio_signature(TOKEN, signed_for, list(FORM.items()))
    answer = client.post(path, data=FORM, headers={"X-Twilio-Signature": signature})
    status: int = answer.status_code
    return status


@pytest.fixture
def behind_prefix(tmp_path: Path) -> Iterator[TestClient]:
    settings = _settings(tmp_path, public_url="https://redress.example/complaints/")
    yield from _client(settings, root_path="/complaints")


@pytest.fixture
def prefix_stripped(tmp_path: Path) -> Iterator[TestClient]:
    settings = _settings(tmp_path, public_url="https://redress.example/complaints")
    yield from _client(settings)


@pytest.fixture
def configured(tmp_path: Path) -> Iterator[TestClient]:
    settings = _settings(
        tmp_path,
        public_url="https://redress.example/complaints",
        sms_webhook_url="https://sms-hooks.example/redress/twilio?site=2",
    )
    yield from _client(settings, root_path="/complaints")


def test_behind_a_path_prefix_the_prefix_counts_once(behind_prefix: TestClient) -> None:
    once = f"https://redress.example/complaints{PATH}"
    assert _post(behind_prefix, f"/complaints{PATH}", once) == 400  # passed the check
    twice = f"https://redress.example/complaints/complaints{PATH}"
    assert _post(behind_prefix, f"/complaints{PATH}", twice) == 403
    assert _post(behind_prefix, f"/complaints{PATH}", f"http://testserver/complaints{PATH}") == 403


def test_behind_a_proxy_stripping_the_prefix_it_counts_too(prefix_stripped: TestClient) -> None:
    called = f"https://redress.example/complaints{PATH}"
    assert _post(prefix_stripped, PATH, called) == 400
    assert _post(prefix_stripped, PATH, f"https://redress.example{PATH}") == 403


def test_the_query_the_gateway_called_is_signed_too(behind_prefix: TestClient) -> None:
    called = f"/complaints{PATH}?site=2"
    assert _post(behind_prefix, called, f"https://redress.example{called}") == 400
    assert _post(behind_prefix, called, f"https://redress.example/complaints{PATH}") == 403


def test_a_configured_webhook_url_is_the_one_checked(configured: TestClient) -> None:
    exact = "https://sms-hooks.example/redress/twilio?site=2"
    assert _post(configured, f"/complaints{PATH}", exact) == 400
    derived = f"https://redress.example/complaints{PATH}"
    assert _post(configured, f"/complaints{PATH}", derived) == 403
