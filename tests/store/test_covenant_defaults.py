"""Settings added to procedures after covenant files and stored versions were written: the
loader supplies their defaults (status e-mails every 90 days), while a case keeps the
procedure it was filed under (without the setting: none)."""

from __future__ import annotations

import json

from domain.cases import CaseStart
from domain.procedure import STATUS_UPDATE_DAYS
from store import covenants
from store.covenants import load_covenant_files
from store.db import session_scope
from store.tables import CovenantVersion
from tests.factories import Database
from tests.store.test_queries import seeded_engine


def test_a_covenant_file_without_the_setting_sends_status_emails_every_ninety_days() -> None:
    for covenant in load_covenant_files():
        assert covenant.procedure.status_update_days == STATUS_UPDATE_DAYS == 90


def test_a_version_stored_before_the_setting_gets_the_default_and_an_explicit_one_stays(
    database: Database,
) -> None:
    engine = seeded_engine(database)
    shipped = {c.slug: c for c in load_covenant_files()}["natural-stone"].procedure
    version = shipped.version + 1
    before = json.loads(shipped.model_dump_json())
    del before["status_update_days"]  # as rows were written before the setting existed
    explicit = json.loads(shipped.model_dump_json()) | {"status_update_days": 30}
    with session_scope(engine) as session:
        for number, procedure in ((version, before), (version + 1, explicit)):
            row = CovenantVersion(
                slug="natural-stone",
                version=number,
                name="Natural stone",
                procedure_json=json.dumps(procedure | {"version": number}),
            )
            session.add(row)
    with session_scope(engine) as session:
        old = covenants.covenant_version(session=session, slug="natural-stone", version=version)
        assert old is not None and old.procedure.status_update_days == 90
        latest = covenants.latest_covenant(session=session, slug="natural-stone")
        assert latest is not None and latest.procedure.status_update_days == 30


def test_a_case_filed_before_the_setting_keeps_its_procedure_without_status_emails() -> None:
    shipped = load_covenant_files()[0]
    recorded = json.loads(shipped.procedure.model_dump_json())
    del recorded["status_update_days"]  # a CaseStart in a history recorded before
    start = CaseStart.model_validate(
        {
            "reference": "GT-2025-0001",
            "kind": "complaint",
            "covenant": shipped.slug,
            "covenant_name": shipped.name,
            "procedure": recorded,
            "confidential": False,
            "pseudonym": "Complainant A",
            "respondents": [{"organisation_id": "acme", "name": "Acme"}],
            "subject": "S",
            "description": "D",
            "filed_at": "2025-01-06T09:00:00+00:00",
        }
    )
    assert start.procedure.status_update_days == 0
