"""``redress keys rotate``: the settings of a new key, and how many authenticator secrets
each key still seals (a key may go once none does)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from core.codec import new_key_entry
from core.sealing import sealer
from core.settings import Settings, get_settings
from redress.cli import main
from store.db import make_engine, prepare
from store.tables import User


def test_rotate_prints_the_new_key_and_counts_the_secrets_by_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    first, first_id = new_key_entry("")
    settings = Settings(database_url=url, secret_key="keys-command-secret-key-0123456789")
    prepare(settings)
    derived = sealer(settings)
    rotated = sealer(settings.model_copy(update={"payload_keys": first}))
    engine = make_engine(url)
    with Session(engine) as session:
        for n, (secret, pending) in enumerate(
            [
                (derived.seal("A", "c"), None),
                (rotated.seal("B", "c"), rotated.seal("C", "c")),
                ("JBSWY3DPEHPK3PXP", None),  # stored before sealing
                (None, None),
            ]
        ):
            session.add(
                User(
                    username=f"u{n}",
                    display_name=f"U {n}",
                    role="secretariat",
                    password_hash="x",
                    totp_secret=secret,
                    totp_pending=pending,
                )
            )
        session.commit()
    engine.dispose()
    for name, value in {
        "REDRESS_DATABASE_URL": url,
        "REDRESS_DATA_DIR": str(tmp_path),
        "REDRESS_SECRET_KEY": settings.secret_key,
        "REDRESS_PAYLOAD_KEYS": first,
        "COLUMNS": "300",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert main(["keys", "rotate"]) == 0
    finally:
        get_settings.cache_clear()
    out = " ".join(capsys.readouterr().out.split())
    assert f"REDRESS_PAYLOAD_KEYS={first},k2:" in out and "REDRESS_PAYLOAD_KEY_ID=k2" in out
    assert (
        "Authenticator secrets by the key that seals them: "
        "in plain text from before sealing (sealed at the next sign-in): 1; "
        f"key derived: 1; key {first_id}: 2." in out
    )
