"""``GET /api/v1/stats`` (JSON, CSV, XLSX) over 1,200 generated cases: the figures equal the
store test's independent count, the CSV and the workbook hold the same figures, only staff
read them, and a complainant's identity appears in none."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from core.settings import Settings
from domain.enums import Role
from redress.app import create_app
from services.access import Viewer
from services.statistics import compute
from services.statistics_export import statistics_scope
from store.db import engine_from_settings, prepare, session_scope
from store.seed import DEMO_PASSWORD, seed_demo
from store.tables import Complainant
from tests.store.test_stats import NOW, Generated, assert_equal, expected, generate, load

IDENTITY = ["Rahima Statsone", "Meghna Sromik Forum", "rahima.statsone@private.example"]


class Site:
    """The app over a seeded SQLite file holding the generated cases."""

    def __init__(self, http: TestClient, cases: list[Generated], settings: Settings) -> None:
        self.http = http
        self.settings = settings
        self.cases = cases
        self.tokens: dict[str, str] = {}

    def headers(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            answer = self.http.post(
                "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            self.tokens[username] = answer.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def get(self, path: str, who: str | None, **params: str) -> Any:
        headers = self.headers(who) if who else {}
        return self.http.get(path, headers=headers, params=params)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("stats")
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'redress.db'}",
        data_dir=tmp,
        demo_accounts=True,
        public_url="http://testserver",
        secret_key="stats-tests-secret-key-0123456789",
        require_mfa=False,
    )
    prepare(settings)
    seed_demo(settings)
    engine = engine_from_settings(settings)
    cases = generate(1_200)
    load(engine, cases)
    with session_scope(engine) as session:  # a confidential complainant's intake record
        session.add(
            Complainant(
                reference=cases[1].state.reference,
                name=IDENTITY[0],
                organisation=IDENTITY[1],
                email=IDENTITY[2],
                confidential=True,
            )
        )
    yield Site(TestClient(create_app(settings, engine=engine)), cases, settings)
    engine.dispose()


def csv_figures(text: str) -> dict[tuple[str, str, str], str]:
    """The CSV's rows by (figure, key, measure)."""
    reader = csv.reader(io.StringIO(text))
    assert next(reader) == ["figure", "key", "measure", "value"]
    found = {}
    for figure, key, measure, value in reader:
        assert (figure, key, measure) not in found
        found[figure, key, measure] = value
    return found


def number(value: str) -> float | str:
    """A cell's value as a number where it is one (a workbook keeps 41.0 as 41)."""
    try:
        return float(value)
    except ValueError:
        return value


def json_figures(body: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    """The JSON's figures in the same shape, walked here independently of the export."""
    found: dict[tuple[str, str, str], str] = {}

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    for name, value in body.items():
        if isinstance(value, list):
            for item in value:
                found[name, item["id"], "name"] = item["name"]
                found[name, item["id"], "cases"] = text(item["cases"])
        elif isinstance(value, dict) and name in {"deadlines", "orders", "reopened"}:
            for measure, v in value.items():
                found[name, "", measure] = text(v)
        elif isinstance(value, dict) and name in {"decisions", "time_to_close"}:
            for measure, v in value.items():
                if isinstance(v, dict):
                    for key, n in v.items():
                        found[name, key, measure] = text(n)
                else:
                    found[name, "", measure] = text(v)
        elif isinstance(value, dict):
            for key, v in value.items():
                if isinstance(v, dict):
                    for measure, n in v.items():
                        found[name, key, measure] = text(n)
                else:
                    found[name, key, ""] = text(v)
        else:
            found[name, "", ""] = text(value)
    return found


def test_staff_read_the_figures_of_the_generated_cases(site: Site) -> None:
    answer = site.get("/api/v1/stats", "secretariat")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # API.md's keys, as given, and this project's beside them.
    assert {"total", "by_stage", "by_outcome", "by_issue", "by_country", "durations"} <= set(body)
    assert set(body["durations"]["mediation"]) >= {"median_days", "p90_days", "target_days"}
    assert set(body["deadlines"]) == {"met", "missed"}
    want = expected(site.cases, NOW)
    # Open cases' ages move with the clock: everything else is the independent count.
    assert sum(body["open_by_age"].values()) == sum(want["open_by_age"].values())
    body["open_by_age"] = dict(want["open_by_age"])
    assert_equal(body, want)


def test_the_csv_and_the_workbook_hold_the_same_figures(site: Site) -> None:
    params = {"covenant": "garments-textile", "from": "2024-06-01", "to": "2025-05-31"}
    body = site.get("/api/v1/stats", "chair", **params).json()
    kept = [
        g
        for g in site.cases
        if g.state.covenant == "garments-textile"
        and "2024-06-01" <= g.state.filed_at.date().isoformat() <= "2025-05-31"
    ]
    assert body["total"] == len(kept) and body["from"] == "2024-06-01" and body["to"]
    answer = site.get("/api/v1/stats.csv", "chair", **params)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    figures = csv_figures(answer.text)
    assert figures == json_figures(body)
    assert figures["total", "", ""] == str(body["total"]) != "0"
    assert figures["durations", "mediation", "median_days"] == str(
        body["durations"]["mediation"]["median_days"]
    )
    book = site.get("/api/v1/stats.xlsx", "chair", **params)
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    cells = [
        ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells[0] == ["figure", "key", "measure", "value"]
    assert {(f, k, m): number(v) for f, k, m, v in cells[1:]} == {
        key: number(v) for key, v in figures.items()
    }
    for text in (answer.text, str(body), str(cells)):
        assert not [i for i in IDENTITY if i in text]


def test_only_staff_read_statistics_and_only_of_their_covenants(site: Site) -> None:
    assert site.get("/api/v1/stats", None).status_code == 401
    assert site.get("/api/v1/stats.csv", None).status_code == 401
    for who in ("company", "union", "mediator"):
        for path in ("/api/v1/stats", "/api/v1/stats.csv", "/api/v1/stats.xlsx"):
            assert site.get(path, who).status_code == 403, (who, path)
    # The steering group of banking and gold reads gold's figures, not the garments'.
    finance = site.get("/api/v1/stats", "steering-finance").json()
    assert finance["total"] == sum(1 for g in site.cases if g.state.covenant == "gold")
    refused = site.get("/api/v1/stats.csv", "steering-finance", covenant="garments-textile")
    assert refused.status_code == 404
    assert site.get("/api/v1/stats", "admin").json()["total"] == len(site.cases)
    backwards = site.get("/api/v1/stats", "chair", **{"from": "2025-01-02", "to": "2025-01-01"})
    assert backwards.status_code == 422
    for wrong in ({"to": "0"}, {"from": "2025-13-01"}, {"from": "yesterday"}):
        assert site.get("/api/v1/stats.csv", "chair", **wrong).status_code == 422, wrong


def test_staff_of_no_covenant_yet_read_figures_of_no_case(site: Site) -> None:
    newcomer = Viewer(user_id=99, username="newcomer", role=Role.COMMITTEE)
    scope = statistics_scope(newcomer)
    assert scope is not None and scope.covenants == frozenset()
    assert statistics_scope(Viewer(user_id=98, username="c", role=Role.COMPANY)) is None
    engine = engine_from_settings(site.settings)
    with Session(engine) as session:
        assert compute(session, scope=scope).total == 0
        assert compute(session, scope=statistics_scope(Viewer(role=Role.ADMIN)) or scope).total
    engine.dispose()
