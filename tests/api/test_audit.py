"""The audit trail: every read, download, identity shown and change, by whom; readable by
the chair and the admin; a chain that shows an edited or deleted row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from core.settings import get_settings
from redress.cli import main
from store import audit
from store.db import make_engine, prepare
from tests.api.conftest import Filed, Stack


async def test_reads_downloads_identities_and_changes_are_recorded(
    stack: Stack, file_complaint: Filed
) -> None:
    filed = await file_complaint(
        complainant={"name": "Nasrin Sultana", "email": "n@w.example", "confidential": True}
    )
    ref, code = filed["reference"], filed["access_code"]
    await stack.act(ref, "secretariat", action="register")
    assert (await stack.case(ref, "secretariat")).status_code == 200
    await stack.act(ref, "chair", action="declare_admissible")
    assert (await stack.case(ref, "company")).status_code == 200
    assert (
        await stack.http.get(f"/api/v1/cases/{ref}", headers={"X-Access-Code": code})
    ).status_code == 200
    uploaded = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers("company"),
        files={"file": ("reply.txt", b"our reply", "text/plain")},
        data={"visibility": "parties"},
    )
    download = await stack.http.get(
        uploaded.json()["url"], headers=await stack.headers("secretariat")
    )
    assert download.status_code == 200

    trail = await stack.http.get(f"/api/v1/cases/{ref}/audit", headers=await stack.headers("chair"))
    assert trail.status_code == 200
    rows = [(r["user"], r["action"]) for r in trail.json()["items"]]
    assert ("secretariat", "register") in rows and ("chair", "declare_admissible") in rows
    assert ("secretariat", "read") in rows and ("secretariat", "identity_shown") in rows
    assert ("company", "read") in rows and ("company", "identity_shown") not in rows
    assert ("complainant", "read") in rows and ("complainant", "identity_shown") in rows
    assert ("company", "add_document") in rows and ("secretariat", "download") in rows
    assert rows[-1] == ("chair", "audit_read")
    company_row = next(r for r in trail.json()["items"] if r["user"] == "company")
    assert (
        company_row["organisation"] == "noorderlicht-fashion" and company_row["role"] == "company"
    )
    assert "Nasrin" not in trail.text  # the trail names readers, never the complainant


async def test_only_the_chair_and_the_admin_read_the_trail(
    stack: Stack, file_complaint: Filed
) -> None:
    ref = (await file_complaint())["reference"]
    url = f"/api/v1/cases/{ref}/audit"
    answers = {
        who: (await stack.http.get(url, headers=await stack.headers(who))).status_code
        for who in ("chair", "admin", "secretariat", "committee", "company", "union")
    }
    # The company does not know of a case in screening, nor the union of another's case:
    # 404 as for an unknown one.
    assert answers == {
        "chair": 200,
        "admin": 200,
        "secretariat": 403,
        "committee": 403,
        "company": 404,
        "union": 404,
    }
    assert (await stack.http.get(url)).status_code == 401
    unknown = await stack.http.get(
        "/api/v1/cases/GT-2026-NOPE0/audit", headers=await stack.headers("admin")
    )
    assert unknown.status_code == 404
    chair = await stack.headers("chair")
    token = chair["Authorization"].removeprefix("Bearer ")
    csv = await stack.http.get(
        f"/portal/cases/{ref}/audit.csv", headers={"Cookie": f"redress_session={token}"}
    )
    assert csv.status_code == 200 and csv.text.lstrip("\ufeff").startswith("at,user,role")
    admin = (await stack.headers("admin"))["Authorization"].removeprefix("Bearer ")
    found = await stack.http.get(
        f"/portal/audit?reference={ref.lower()}", headers={"Cookie": f"redress_session={admin}"}
    )
    assert found.status_code == 303 and found.headers["location"] == f"/portal/cases/{ref}/audit"


def test_audit_verify_shows_an_edited_or_deleted_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    monkeypatch.setenv("REDRESS_DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    prepare(engine)
    for n in range(5):
        who = audit.Who(f"user{n}", "secretariat")
        audit.append(engine, reference="GT-2026-AAAAA", who=who, action="read", detail={"n": n})
    try:
        assert main(["audit", "verify"]) == 0
        assert "5 rows" in capsys.readouterr().out
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_entries SET username = 'someone' WHERE id = 3"))
        assert main(["audit", "verify"]) == 1
        assert "broken at row 3" in capsys.readouterr().out
        with engine.begin() as connection:
            connection.execute(text("UPDATE audit_entries SET username = 'user2' WHERE id = 3"))
            connection.execute(text("DELETE FROM audit_entries WHERE id = 2"))
        assert main(["audit", "verify"]) == 1
        assert "broken at row 3" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
        engine.dispose()
