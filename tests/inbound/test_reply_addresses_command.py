"""``redress reply-addresses``: a case's reply addresses listed, and revoked."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console
from sqlmodel import Session

from core.settings import Settings, get_settings
from redress.cli import main
from redress.reply_addresses_command import reply_addresses_command
from store import reply_addresses
from store.db import make_engine, prepare
from store.reply_addresses import Addressee

REFERENCE = "GT-2026-0001"


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'redress.db'}", data_dir=tmp_path)
    prepare(settings)
    engine = make_engine(settings.database_url)
    ids = iter(["a" * 16, "b" * 16])
    with Session(engine) as session:
        for who in (
            Addressee(email="Rahima@Workers.example", role="complainant", complainant=1),
            Addressee(email="csr@company.example", role="respondents", organisation_id="acme"),
        ):
            reply_addresses.issue_reply_address(
                session=session,
                reference=REFERENCE,
                addressee=who,
                now=datetime.now(UTC),
                new_id=lambda: next(ids),
            )
        session.commit()
    engine.dispose()
    yield settings


def run(settings: Settings, *, email: str | None = None, revoke: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    console = Console(file=out, width=200)
    status = reply_addresses_command(
        settings, console, reference=REFERENCE, email=email, revoke=revoke
    )
    return status, out.getvalue()


def test_the_case_addresses_are_listed_and_revoked_by_address(settings: Settings) -> None:
    status, listed = run(settings)
    assert status == 0
    assert "aaaaaaaaaaaaaaaa" in listed and "complainant 1" in listed
    assert "contact of acme" in listed and "rahima@workers.example" in listed

    assert run(settings, email="csr@company.example", revoke=True) == (
        0,
        f"Revoked 1 reply address(es) of {REFERENCE}.\n",
    )
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        contact = reply_addresses.get_reply_address(session=session, token_id="b" * 16)
        complainant = reply_addresses.get_reply_address(session=session, token_id="a" * 16)
        assert contact is not None and contact.revoked_at is not None
        assert complainant is not None and complainant.revoked_at is None
    engine.dispose()
    assert run(settings, email="nobody@example.org")[0] == 1


def test_the_command_revokes_every_address_of_a_case(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDRESS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REDRESS_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        assert main(["reply-addresses", REFERENCE, "--revoke"]) == 0
        assert main(["reply-addresses", "GT-2026-9999"]) == 1
    finally:
        get_settings.cache_clear()
    assert f"Revoked 2 reply address(es) of {REFERENCE}." in capsys.readouterr().out
