"""The read model the read benchmarks load: bulk-inserted cases (realistic subjects, some
Bengali and Chinese, naming real factories from the shared supplier lists; one or two
respondents; three events each) and production locations listed by many brands."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, insert, text
from sqlmodel import Session

from bench.search import real_rows, synthetic_rows
from domain.cases import CaseState, Party
from domain.enums import CaseKind, CaseStatus, DecidingBody, Stage
from store.cases import CaseFilter
from store.covenants import load_covenant_files
from store.supplier_lists import new_location
from store.tables import (
    CaseEvent,
    CaseRecusal,
    CaseRespondent,
    CaseRow,
    LocationSourcing,
    Organisation,
    ProductionLocation,
)

FIRST_FILED = datetime(2021, 1, 4, 8, 0, tzinfo=UTC)
COMPANIES = [f"company-{n:03d}" for n in range(300)]
UNIONS = [f"union-{n:02d}" for n in range(40)]
BIG_BRAND = "brand-large"
STAFF = CaseFilter(recused="chair", covenants=frozenset({"garments-textile", "natural-stone"}))
# What complaints are about; {f} is a factory from the shared supplier lists.
ENGLISH = [
    "Unpaid overtime at {f}",
    "Dismissal of union members at {f}",
    "Blocked fire exits at {f}",
    "Wages below the legal minimum at {f}",
    "Forced overtime before the export season at {f}",
    "Harassment of women workers on the night shift at {f}",
    "Withheld passports of migrant workers at {f}",
    "Cracks in the building and no inspection at {f}",
    "Maternity leave refused at {f}",
    "Reprisals against a worker who spoke to auditors at {f}",
    "Child labour in a granite quarry supplying {f}",
    "Toxic dye discharged into the river by {f}",
]
BENGALI = [
    "{f} কারখানায় তিন মাসের মজুরি বকেয়া",  # three months' wages owed at the factory
    "{f} কারখানায় ইউনিয়ন সদস্যদের ছাঁটাই",  # union members dismissed
    "{f} কারখানায় অগ্নি নির্গমন পথ বন্ধ",  # fire exits blocked
]
CHINESE = [
    "{f}拖欠工人三个月工资",  # owes the workers three months' wages
    "{f}强迫工人加班",  # forces workers to work overtime
    "{f}解雇工会成员",  # dismissed union members
]
DESCRIPTION = (
    "Workers report that the factory has not paid overtime for three months, that those "
    "who complained were moved to the night shift, and that two union members were dismissed."
)
STAGES = [  # roughly how cases spread over the stages of a busy mechanism
    (Stage.RECEIVED, 2),
    (Stage.SCREENING, 4),
    (Stage.ADMISSIBILITY, 6),
    (Stage.RESPONSE, 8),
    (Stage.MEDIATION, 6),
    (Stage.HEARING, 3),
    (Stage.DECISION, 2),
    (Stage.REMEDIATION, 9),
    (Stage.CLOSED, 60),
]
EVENTS = [
    ("filed", "Complaint received"),
    ("registered", "Registered by the secretariat"),
    ("message", "Message from the complainant"),
]
CHUNK = 5_000


@dataclass
class Corpus:
    """What the generator draws from, and what it made (for the queries to pick from)."""

    factories: list[str]
    templates: dict[tuple[str, Stage], str]
    references: list[str]


def corpus() -> Corpus:
    """Factory names from the shared lists and a snapshot template per covenant and stage."""
    names = sorted({row.name for row in real_rows()})
    templates = {}
    for covenant in load_covenant_files():
        for stage, _ in STAGES:
            state = CaseState(
                reference="@@REF@@",
                kind=CaseKind.COMPLAINT,
                covenant=covenant.slug,
                covenant_name=covenant.name,
                procedure=covenant.procedure,
                deciding_body=DecidingBody.COMMITTEE,
                stage=stage,
                status=CaseStatus.CLOSED if stage is Stage.CLOSED else CaseStatus.OPEN,
                confidential=False,
                pseudonym="Complainant B",
                respondents=[Party(organisation_id="company-000", name="Company")],
                subject="@@SUBJECT@@",
                description=DESCRIPTION,
                filed_at=FIRST_FILED,
            )
            templates[covenant.slug, stage] = state.model_dump_json(exclude={"events"})
    return Corpus(names, templates, [])


def subject(rng: random.Random, factories: Sequence[str]) -> str:
    """A complaint's subject: mostly English, some Bengali, some Chinese."""
    roll = rng.random()
    pool = ENGLISH if roll < 0.8 else BENGALI if roll < 0.9 else CHINESE
    return rng.choice(pool).format(f=rng.choice(factories))


def case_batch(
    data: Corpus, first: int, count: int, rng: random.Random
) -> dict[str, list[dict[str, Any]]]:
    """Rows of ``count`` cases numbered from ``first``: cases, respondents, recusals, events."""
    stages = [stage for stage, _ in STAGES]
    weights = [weight for _, weight in STAGES]
    rows: dict[str, list[dict[str, Any]]] = {"cases": [], "respondents": [], "recusals": []}
    rows["events"] = []
    for number in range(first, first + count):
        covenant = "natural-stone" if number % 10 == 0 else "garments-textile"
        filed = FIRST_FILED + timedelta(minutes=20 * number)
        reference = f"{'NS' if number % 10 == 0 else 'GT'}-{filed.year}-{number:06d}"
        stage = rng.choices(stages, weights)[0]
        text_ = subject(rng, data.factories)
        snapshot = data.templates[covenant, stage].replace("@@REF@@", reference)
        snapshot = snapshot.replace("@@SUBJECT@@", json.dumps(text_, ensure_ascii=False)[1:-1])
        open_ = stage is not Stage.CLOSED
        overdue = open_ and rng.random() < 0.1
        rows["cases"].append(
            {
                "reference": reference,
                "kind": "complaint",
                "covenant": covenant,
                "stage": stage.value,
                "status": "open" if open_ else "closed",
                "outcome": None if open_ else "resolved",
                "subject": text_,
                "confidential": rng.random() < 0.3,
                "pseudonym": "Complainant B",
                "complainant_organisation_id": rng.choice(UNIONS),
                "deciding_body": "committee",
                "overdue": overdue,
                "next_deadline_name": "response" if open_ else None,
                "next_due": filed + timedelta(days=30) if open_ else None,
                "filed_at": filed,
                "closed_at": filed + timedelta(days=200) if not open_ else None,
                "last_seq": 3,
                "officer": "secretariat",
                "mediator": "mediator" if stage is Stage.MEDIATION else None,
                "respondents_see": stage not in (Stage.RECEIVED, Stage.SCREENING),
                "snapshot": snapshot,
            }
        )
        for company in rng.sample(COMPANIES, 2 if rng.random() < 0.1 else 1):
            rows["respondents"].append(
                {"reference": reference, "organisation_id": company, "production_location_id": None}
            )
        if rng.random() < 0.01:
            rows["recusals"].append({"reference": reference, "member": "chair"})
        for seq, (type_, summary) in enumerate(EVENTS, start=1):
            rows["events"].append(
                {
                    "reference": reference,
                    "seq": seq,
                    "at": filed + timedelta(days=seq),
                    "type": type_,
                    "summary": summary,
                    "text": DESCRIPTION if type_ == "message" else None,
                    "visibility": "parties",
                    "actor_role": "secretariat",
                    "party": None,
                }
            )
        data.references.append(reference)
    return rows


def bulk_insert(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows in chunks, in one transaction."""
    target = table.__table__
    assert isinstance(target, Table)
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(target), rows[start : start + CHUNK])


def add_cases(engine: Engine, data: Corpus, count: int, rng: random.Random) -> float:
    """Insert ``count`` more cases; the seconds it took."""
    began = time.perf_counter()
    first = len(data.references)
    for start in range(first, first + count, 20_000):
        rows = case_batch(data, start, min(20_000, first + count - start), rng)
        bulk_insert(engine, CaseRow, rows["cases"])
        bulk_insert(engine, CaseRespondent, rows["respondents"])
        bulk_insert(engine, CaseRecusal, rows["recusals"])
        bulk_insert(engine, CaseEvent, rows["events"])
    analyse(engine)
    return time.perf_counter() - began


def add_locations(engine: Engine, count: int) -> float:
    """Insert ``count`` locations, each listed by one of 200 companies (about 500 each, as
    a brand's published list), and 2,000 of them by a large brand too; the seconds it took."""
    began = time.perf_counter()
    companies = [f"brand-{n:03d}" for n in range(200)]
    with Session(engine) as session:
        for company in [*companies, BIG_BRAND]:
            session.add(Organisation(id=company, name=company.title(), kind="company"))
        session.commit()
    rng = random.Random(count)
    seen: set[str] = set()
    locations, links = [], []
    listed = {"covenant": "garments-textile", "listed": True, "listed_at": FIRST_FILED}
    for row in synthetic_rows(count):
        location = new_location(row.name, row.address, row.country)
        if location.id in seen:
            continue
        seen.add(location.id)
        locations.append(location.model_dump())
        links.append({"location_id": location.id, "company_id": rng.choice(companies), **listed})
    for location_id in rng.sample(sorted(seen), min(2_000, len(seen))):
        links.append({"location_id": location_id, "company_id": BIG_BRAND, **listed})
    bulk_insert(engine, ProductionLocation, locations)
    bulk_insert(engine, LocationSourcing, links)
    analyse(engine)
    return time.perf_counter() - began


def analyse(engine: Engine) -> None:
    """PostgreSQL's planner statistics and visibility map, as autovacuum makes them after a
    bulk load (index-only scans need the map). SQLite is left as a deployment has it (the
    application runs no ANALYZE there)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
