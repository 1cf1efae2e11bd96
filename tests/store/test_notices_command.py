"""``redress notices``: the notices given up on and the refused addresses, for operators."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from activities.records import RecordActivities
from domain.enums import Audience, NoticeKind, Stage
from domain.notices import Notice, NoticeRequest, ParkedNotice
from redress.cli import main
from store.db import make_engine, prepare, session_scope
from store.tables import Outbox


def test_failed_notices_are_listed_and_unknown_ones_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'notices.db'}"
    monkeypatch.setenv("REDRESS_DATABASE_URL", url)
    monkeypatch.setenv("REDRESS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    from core.settings import Settings, get_settings

    get_settings.cache_clear()
    prepare(Settings(database_url=url))
    engine = make_engine(url)
    now = datetime.now(UTC)
    notice = Notice(
        key="GT-2026-00007/3/stage_changed/0",
        kind=NoticeKind.STAGE_CHANGED,
        audiences=[Audience.COMPLAINANT],
        stage=Stage.ADMISSIBILITY,
    )
    request = NoticeRequest(reference="GT-2026-00007", notice=notice)
    RecordActivities(engine).park_sync(ParkedNotice(request=request, error="template", at=now))
    with session_scope(engine) as session:
        session.add(
            Outbox(
                message_id="<m1@redress.test>",
                reference="GT-2026-00008",
                notice_key="GT-2026-00008/1/receipt/0",
                recipient="nobody@invalid.example",
                subject="Receipt",
                language="en",
                created_at=now,
                failed_at=now,
                error="550 no such user",
            )
        )
    assert main(["notices", "--failed"]) == 0
    out = capsys.readouterr().out
    assert "GT-2026-00007/3/stage_changed/0" in out and "Notices given up on (1)" in out
    assert "nobody@invalid.example" in out and "550 no such user" in out
    assert main(["notices", "--retry", "GT-2026-00009/1/receipt/0"]) == 1
    assert "no parked notice waiting" in capsys.readouterr().out
    get_settings.cache_clear()
