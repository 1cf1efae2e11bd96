"""``redress create-admin``, ``redress organisations`` and ``redress users``: an empty
database brought into service from the operator's terminal."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from core.settings import Settings, get_settings
from devserver.mailsink import MailSink
from notifications.mailbox import body_parts
from redress.cli import main
from store.db import make_engine, prepare
from store.security_tables import AdminChange
from store.tables import AccountToken, User


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated database with no demo data, named by the environment."""
    url = f"sqlite:///{tmp_path / 'people.db'}"
    for name, value in {
        "REDRESS_DATABASE_URL": url,
        "REDRESS_DATA_DIR": str(tmp_path),
        "REDRESS_PUBLIC_URL": "https://redress.example",
        "REDRESS_SMTP_STARTTLS": "false",  # the sink speaks plain SMTP
        "COLUMNS": "200",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    prepare(Settings(database_url=url))
    yield url
    get_settings.cache_clear()


def test_the_first_admin_gets_a_one_time_link_and_never_a_password(
    empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-admin", "ops@mechanism.example"]) == 0
    out = capsys.readouterr().out
    assert "https://redress.example/account/password?token=" in out
    token = out.split("token=")[1].split()[0]
    with Session(make_engine(empty)) as session:
        admin = session.exec(select(User)).one()
        assert (admin.username, admin.role, admin.active) == ("admin", "admin", True)
        assert not admin.password_hash.startswith("$")  # no password until the link is used
        stored = session.exec(select(AccountToken)).one()
        assert stored.token_hash != token and stored.purpose == "invitation"
    assert main(["create-admin", "ops@mechanism.example"]) == 0  # a new link, same admin
    with Session(make_engine(empty)) as session:
        assert len(session.exec(select(User)).all()) == 1
        assert len(session.exec(select(AccountToken)).all()) == 1  # the first link stopped
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    assert "ops@mechanism.example" in capsys.readouterr().out


def test_organisations_and_users_from_the_terminal(
    empty: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["organisations", "add", "Waddenzee Apparel B.V.", "--kind", "company"]
    assert main([*args, "--country", "nl", "--contact", "csr@waddenzee.example:nl"]) == 0
    assert "waddenzee-apparel" in capsys.readouterr().out
    assert main([*args, "--country", "NL"]) == 2  # the same name again
    assert "exists already" in capsys.readouterr().out
    assert main(["organisations", "add", "X Ltd", "--kind", "company", "--country", "QQ"]) == 2
    assert "ISO 3166" in capsys.readouterr().out
    assert main(["organisations", "party", "waddenzee-apparel", "garments-textile"]) == 0
    assert main(["organisations", "party", "waddenzee-apparel", "no-covenant"]) == 2
    assert (
        main(["organisations", "contacts", "waddenzee-apparel", "a@w.example", "b@w.example:en"])
        == 0
    )
    capsys.readouterr()
    assert main(["organisations", "list"]) == 0
    assert "a@w.example (en)" in capsys.readouterr().out

    async def invite() -> int:
        sink = MailSink(data_dir=tmp_path, smtp_port=0, web_port=None)
        await sink.start()
        monkeypatch.setenv("REDRESS_SMTP_PORT", str(sink.smtp_port))
        get_settings.cache_clear()
        try:
            code = await asyncio.to_thread(
                main,
                [
                    "users",
                    "invite",
                    "ilse",
                    "ilse@waddenzee.example",
                    "company",
                    "--organisation",
                    "waddenzee-apparel",
                    "--language",
                    "nl",
                ],
            )
            message = sink.store.load(sink.store.ids()[0])
            assert message is not None and message["To"] == "ilse@waddenzee.example"
            text, _ = body_parts(message)
            assert text is not None and "/account/password?token=" in text and "ilse" in text
            return code
        finally:
            await sink.stop()

    assert asyncio.run(invite()) == 0
    assert (
        main(["users", "invite", "bad", "x@y.example", "company", "--organisation", "nobody"]) == 2
    )
    assert "no organisation 'nobody'" in capsys.readouterr().out
    assert main(["users", "disable", "ilse"]) == 0
    assert main(["users", "disable", "nobody"]) == 2
    with Session(make_engine(empty)) as session:
        user = session.exec(select(User).where(User.username == "ilse")).one()
        assert not user.active
        actions = [c.action for c in session.exec(select(AdminChange)).all()]
    assert actions.count("organisation_created") == 1 and "user_changed" in actions
