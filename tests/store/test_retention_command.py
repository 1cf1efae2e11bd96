"""``redress retention``: on the demo data with closed cases, --dry-run counts and changes
nothing (also as of a later date), --now erases and deletes, and running it again does nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from core.settings import Settings, get_settings
from redress.cli import main
from store import cases
from store.db import make_engine, prepare
from store.seed import seed_demo
from tests.store.test_retention import _setup


def test_dry_run_then_now_on_the_demo_data(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    settings = Settings(database_url=url, data_dir=tmp_path / "data")
    prepare(settings)
    seed_demo(settings)
    engine = make_engine(url)
    _setup(engine, tmp_path / "data", datetime.now(UTC))
    monkeypatch.setenv("REDRESS_DATABASE_URL", url)
    monkeypatch.setenv("REDRESS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()  # the command reads these, not an earlier test's
    request.addfinalizer(get_settings.cache_clear)

    assert main(["retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out
    assert "3 complainants' contact details would be erased and 2 documents would be" in out
    assert "Cases: GT-2026-0004, GT-2026-0002" in out  # the longest closed first
    later = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    assert main(["retention", "--dry-run", "--as-of", later]) == 0
    assert "4 complainants' contact details would be erased" in capsys.readouterr().out
    with Session(engine) as session:
        filer = cases.get_complainant(session=session, reference="GT-2026-0002")
        assert filer is not None and filer.email == "rahima.akter@mail.example"

    assert main(["retention", "--now"]) == 0
    out = capsys.readouterr().out
    assert "3 complainants' contact details were erased and 2 documents were deleted" in out
    assert "3 notes added" in out and "Rahima" not in out  # 0002; 0004 twice
    with Session(engine) as session:
        filer = cases.get_complainant(session=session, reference="GT-2026-0002")
        assert filer is not None and filer.email is None
    assert main(["retention", "--now"]) == 0
    assert "0 complainants' contact details were erased" in capsys.readouterr().out
    assert main(["retention"]) == 2
    assert main(["retention", "--now", "--as-of", later]) == 2
    engine.dispose()
