"""``redress receive-mail`` and ``redress fetch-mail`` refuse to start without what they need."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import get_settings
from redress.cli import cli, main


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("REDRESS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REDRESS_SECRET_KEY", "commands-tests-secret-0123456789")
    monkeypatch.setenv("REDRESS_REPLY_DOMAIN", "")
    monkeypatch.setenv("REDRESS_IMAP_HOST", "")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_both_commands_are_listed() -> None:
    assert {"receive-mail", "fetch-mail"} <= set(cli.commands)


@pytest.mark.usefixtures("environment")
@pytest.mark.parametrize("command", ["receive-mail", "fetch-mail"])
def test_without_a_reply_domain_there_is_nothing_to_receive(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command]) == 1
    assert "REDRESS_REPLY_DOMAIN is not set" in capsys.readouterr().err


@pytest.mark.usefixtures("environment")
def test_fetching_needs_a_mailbox(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDRESS_REPLY_DOMAIN", "reply.redress.test")
    get_settings.cache_clear()
    assert main(["fetch-mail"]) == 1
    assert "REDRESS_IMAP_HOST" in capsys.readouterr().err
