"""``redress import-locations`` on the shared lists: one command, a summary, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from redress.cli import main
from store.db import make_engine, prepare
from store.tables import LocationSourcing, ProductionLocation
from tests.store.test_supplier_lists import FILES


def test_one_command_imports_every_shared_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    monkeypatch.setenv("REDRESS_DATABASE_URL", url)
    monkeypatch.setenv("REDRESS_DATA_DIR", str(tmp_path))
    from core.settings import Settings, get_settings

    get_settings.cache_clear()
    prepare(Settings(database_url=url))
    args = ["import-locations", "--covenant", "garments-textile", "--company-per-file"]
    assert main([*args, *map(str, FILES)]) == 0
    out = capsys.readouterr().out
    assert "list-2: 83 rows" in out and "list-2.csv line 83: duplicate" in out
    assert "merged (already listed by another company)" in out
    engine = make_engine(url)
    with Session(engine) as session:
        counts = (
            session.exec(select(func.count()).select_from(ProductionLocation)).one(),
            session.exec(select(func.count()).select_from(LocationSourcing)).one(),
        )
    assert main([*args, *map(str, FILES)]) == 0
    with Session(engine) as session:
        again = (
            session.exec(select(func.count()).select_from(ProductionLocation)).one(),
            session.exec(select(func.count()).select_from(LocationSourcing)).one(),
        )
    assert again == counts
    assert main(["import-locations", "--covenant", "cocoa", "--company", "X", str(FILES[0])]) == 2
    get_settings.cache_clear()
